/** Reading a claim from a request body: YAML or JSON text in, validation by src/policy out. */
import type { Context } from 'hono';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { type Problem, validateText } from '../policy/validate.js';
import { requireContentType } from './guard.js';

/**
 * Content types a claim may be sent as (JSON is YAML, so one parser reads both), as /api/openapi.json documents
 * them. None is one a page of another site may send without asking first (text/plain, forms), so a browser
 * never lets such a page post a claim.
 */
export const CLAIM_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml', 'application/json'] as const;

/** The body text of a claim request; 415 for another content type. */
export async function claimText(c: Context): Promise<string> {
  requireContentType(c, CLAIM_TYPES, 'the claim');
  return c.req.text();
}

/** A validated claim, or every problem. */
export interface ReadClaim {
  readonly text: string;
  readonly claim?: DisasterRecoveryClaim;
  readonly problems: Problem[];
  /** True when no problem is an error (warnings allowed). */
  readonly valid: boolean;
}

/** Validates claim text with the same rules as `drctl validate`; one claim per request. */
export function readClaim(text: string): ReadClaim {
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
