/**
 * Validation of claim files: YAML syntax, then the schema (zod, the same schema the XRD is made
 * from), then every policy rule. Every problem names its field and, when the source is text, its
 * line and column. Never throws for bad input.
 */
import { LineCounter, parseAllDocuments, isNode, type Document } from 'yaml';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim, API_VERSION } from '../api/claim.js';
import { POLICY_RULES } from './rules/index.js';
import { issueToProblem } from './schema-issues.js';
import type { PathSegment } from './schema-tree.js';
import { policyContext, type PolicyContext, type Problem } from './types.js';
import { unknownFields } from './unknown-fields.js';

export type { Problem, Severity, PolicyRule, PolicyContext } from './types.js';
export { POLICY_RULES } from './rules/index.js';

/** The outcome of validating one claim document. */
export interface ClaimValidation {
  /** The claim with defaults applied, when it passed the schema. */
  readonly claim?: DisasterRecoveryClaim;
  /** Every problem, sorted by path then rule id. */
  readonly problems: Problem[];
}

/** Options of validation. */
export interface ValidateOptions {
  /** The day date-based rules compare against (default: today). */
  readonly today?: Date;
}

const byPathThenRule = (a: Problem, b: Problem): number =>
  (a.document ?? 0) - (b.document ?? 0) || a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);

/** True when at least one problem is an error. */
export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a claim given as an object (already parsed). */
export function validateClaim(document: unknown, options: ValidateOptions = {}): ClaimValidation {
  if (!isMapping(document)) {
    return { problems: [{ path: '', ruleId: 'document.not-a-claim', severity: 'error', message: 'the document is not a mapping; a claim starts with apiVersion: drplane.io/v1alpha1 and kind: DisasterRecovery' }] };
  }
  if (document.kind !== 'DisasterRecovery') {
    const kind = document.kind === undefined ? 'no kind' : `kind ${JSON.stringify(document.kind)}`;
    return { problems: [{ path: 'kind', ruleId: 'document.kind', severity: 'error', message: `${kind}: drctl validates DisasterRecovery claims (apiVersion: ${API_VERSION}, kind: DisasterRecovery)` }] };
  }
  const problems = [...unknownFields(document)];
  const parsed = DisasterRecoveryClaimSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => issueToProblem(i)));
    return { problems: dedupe(problems).sort(byPathThenRule) };
  }
  const ctx: PolicyContext = policyContext({
    today: options.today,
    claim: { name: parsed.data.metadata.name, namespace: parsed.data.metadata.namespace },
  });
  for (const rule of POLICY_RULES) problems.push(...rule.check(parsed.data.spec, ctx));
  return { claim: parsed.data, problems: dedupe(problems).sort(byPathThenRule) };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.ruleId}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Parses a problem path (spec.tables[0].name) into segments for the YAML document. */
function segmentsOf(path: string): PathSegment[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((s) => s !== undefined && s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Line and column of the deepest node on a path that exists in the document. */
function position(doc: Document, lines: LineCounter, path: string): { line: number; column: number } | undefined {
  const segments = segmentsOf(path);
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return undefined;
}

/** Validates every claim document of a YAML text; problems carry line and column. */
export function validateText(text: string, options: ValidateOptions = {}): ClaimValidation[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const multi = list.length > 1;
  const results = list.map((doc, index): ClaimValidation => {
    const document = multi ? { document: index + 1 } : {};
    if (doc.errors.length > 0) {
      return {
        problems: doc.errors.map((e) => {
          const { line, col } = lines.linePos(e.pos[0]);
          return { path: '', ruleId: 'yaml.syntax', severity: 'error' as const, message: `YAML syntax error: ${e.message.split('\n')[0]}`, line, column: col, ...document };
        }),
      };
    }
    const result = validateClaim(doc.toJS({ maxAliasCount: 50 }), options);
    return { ...result, problems: result.problems.map((p) => ({ ...p, ...position(doc, lines, p.path), ...document })) };
  });
  if (results.length === 0 || (results.length === 1 && list[0]!.contents === null)) {
    return [{ problems: [{ path: '', ruleId: 'document.empty', severity: 'error', message: 'the file holds no YAML document; write a DisasterRecovery claim (see claims/minimal.yaml)' }] }];
  }
  return results;
}
