/** Reading a claim from a request body: YAML or JSON text in, validation by src/policy out. */
import type { Context } from 'hono';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { type Problem, validateText } from '../policy/validate.js';
import { mediaType, requireContentType } from './guard.js';

/**
 * Content types a claim may be sent as (JSON is YAML, so one parser reads both), as /api/openapi.json documents
 * them. None is one a page of another site may send without asking first (text/plain, forms), so a browser
 * never lets such a page post a claim.
 */
export const CLAIM_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml', 'application/json'] as const;

/** The body of a claim request: its text, and whether it was sent as JSON. */
export interface ClaimBody {
  readonly text: string;
  readonly json: boolean;
}

/** The body of a claim request; 415 for another content type. */
export async function claimText(c: Context): Promise<ClaimBody> {
  requireContentType(c, CLAIM_TYPES, 'the claim');
  return { text: await c.req.text(), json: mediaType(c) === 'application/json' };
}

/** A body sent as JSON that JSON.parse refuses, reported as JSON (the YAML parser would report it as YAML). */
function jsonSyntax(body: ClaimBody): Problem | undefined {
  if (!body.json) return undefined;
  try {
    JSON.parse(body.text);
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      path: '',
      ruleId: 'json.syntax',
      severity: 'error',
      message: `the body is not valid JSON (${why}); fix the JSON, or send the claim as YAML with Content-Type: application/yaml`,
    };
  }
}

/** A validated claim, or every problem. */
export interface ReadClaim {
  readonly text: string;
  readonly claim?: DisasterRecoveryClaim;
  readonly problems: Problem[];
  /** True when no problem is an error (warnings allowed). */
  readonly valid: boolean;
}

/** Validates a claim body with the same rules as `drctl validate`; one claim per request. */
export function readClaim(body: ClaimBody): ReadClaim {
  const { text } = body;
  const syntax = jsonSyntax(body);
  if (syntax) return { text, problems: [syntax], valid: false };
  const result = validateText(text, 'request');
  const problems = [...result.problems];
  if (result.claims.length > 1) {
    problems.push({
      path: '',
      ruleId: 'portal.one-claim',
      severity: 'error',
      message: 'send one claim per request (the body holds several documents)',
    });
  }
  const valid = result.claim !== undefined && !problems.some((p) => p.severity === 'error');
  return { text, claim: result.claim, problems, valid };
}

/** The claim when valid; otherwise a 422 answer carrying the problems. */
export class InvalidClaim extends Error {
  override name = 'InvalidClaim';
  constructor(readonly problems: Problem[]) {
    super('the claim is not valid');
  }
}

/** The claim of a request, or InvalidClaim (answered 422 with the problems). */
export async function validClaim(c: Context): Promise<{ claim: DisasterRecoveryClaim; text: string }> {
  const read = readClaim(await claimText(c));
  if (!read.valid || !read.claim) throw new InvalidClaim(read.problems);
  return { claim: read.claim, text: read.text };
}
