/**
 * Validation of DisasterRecovery claims: YAML text or parsed objects in, the claim and every problem
 * out (syntax, document kind, unknown fields, schema, then policy rules). Never throws for bad input.
 */
import { withArticle } from './text.js';
import { type DisasterRecoveryClaim, DisasterRecoveryClaimSchema } from '../api/claim.js';
import { partialClaim, partialPolicyProblems } from './partial.js';
import { POLICY_RULES } from './rules/index.js';
import { type SourceLookup, issueToProblem, render } from './schema-issues.js';
import { parsePath } from './schema-tree.js';
import { type Problem, type PolicyRule, policyContext } from './types.js';

export type { ClaimIdentity, Fix, PolicyContext, PolicyRule, Problem, Severity } from './types.js';
export { POLICY_RULES } from './rules/index.js';
import { unknownFields } from './unknown-fields.js';
import { readDocuments, type SourceDocument } from './yaml-source.js';

/** Options of a validation. */
export interface ValidateOptions {
  /** Day to compare support dates against; default today. */
  readonly today?: Date;
  /** Rules to run; default all of POLICY_RULES. */
  readonly rules?: readonly PolicyRule[];
  /** Raw text of a field in the source, for "quote it" hints (validateText sets it). */
  readonly source?: SourceLookup;
}

/** The outcome of validating one claim. */
export interface ClaimValidation {
  /** The claim with defaults applied, when it passed the schema. */
  readonly claim?: DisasterRecoveryClaim;
  /** Every problem, sorted by document, path, rule id. */
  readonly problems: Problem[];
}

/** The outcome of validating a file of one or more claims. */
export interface TextValidation extends ClaimValidation {
  /** The file name as given. */
  readonly file: string;
  /** Every claim of the file that passed the schema, in document order (claim is the first). */
  readonly claims: DisasterRecoveryClaim[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates one parsed document (a claim as a plain object). */
export function validateClaim(document: unknown, options: ValidateOptions = {}): ClaimValidation {
  const notAClaim = documentKindProblem(document);
  if (notAClaim) return { problems: [notAClaim] };
  const problems = unknownFields(document);
  const parsed = DisasterRecoveryClaimSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) {
    problems.push(
      ...onePerField(parsed.error.issues).map((issue) =>
        issueToProblem(issue, options.source, { today: options.today, document }),
      ),
    );
    // The parts that parsed are still checked, so one run shows every problem (partial.ts says how).
    const partial = partialClaim(document, parsed.error.issues);
    if (partial)
      problems.push(
        ...partialPolicyProblems(partial, options.rules ?? POLICY_RULES, contextOf(document as Record<string, unknown>, options)),
      );
    return { problems: sortProblems(dedupe(problems)) };
  }
  const claim = parsed.data;
  const ctx = policyContext({ today: options.today, claim: { name: claim.metadata.name, namespace: claim.metadata.namespace } });
  for (const rule of options.rules ?? POLICY_RULES) problems.push(...rule.check(claim.spec, ctx));
  return { claim, problems: sortProblems(dedupe(problems)) };
}

/** The policy context of a document that failed the schema (its name when it has a usable one). */
function contextOf(document: Record<string, unknown>, options: ValidateOptions) {
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  return policyContext({
    today: options.today,
    claim: { name: text(metadata.name, 'claim'), namespace: text(metadata.namespace, 'default') },
  });
}

/** Problems without repeats (a rule and the schema may report the same thing on the same field). */
/**
 * One schema issue per field: zod can report several for one value (a string where a list belongs fails both the
 * length bound and the type; a huge integer fails the field's maximum and the safe-integer bound). The wrong type is
 * the one to fix first, then the tightest maximum (the field's own), else the first issue.
 */
function onePerField<T extends { path: PropertyKey[]; code: string; maximum?: unknown }>(issues: readonly T[]): T[] {
  const byPath = new Map<string, T>();
  const tighter = (a: T, b: T) => a.code === 'too_big' && b.code === 'too_big' && Number(a.maximum) < Number(b.maximum);
  for (const issue of issues) {
    const key = issue.path.map(String).join('\u0000');
    const kept = byPath.get(key);
    if (!kept || (issue.code === 'invalid_type' && kept.code !== 'invalid_type') || tighter(issue, kept)) byPath.set(key, issue);
  }
  return [...byPath.values()];
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.ruleId}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A problem when the document is not a DisasterRecovery claim at all (then nothing else is checked). */
function documentKindProblem(document: unknown): Problem | undefined {
  if (!isRecord(document)) {
    return {
      path: '',
      ruleId: 'document.not-a-claim',
      severity: 'error',
      message: `the document is ${render(document)}, not a DisasterRecovery claim (a mapping with apiVersion, kind, metadata and spec)`,
    };
  }
  const kind = document.kind;
  if (kind === 'DisasterRecovery') return undefined;
  const what = typeof kind === 'string' ? withArticle(kind) : 'a document without a kind';
  return {
    path: 'kind',
    ruleId: 'document.kind',
    severity: 'error',
    message: `this is ${what}, not a DisasterRecovery claim; drctl validate checks claims only (kind: DisasterRecovery, apiVersion: drplane.io/v1alpha1): move it to another file`,
  };
}

/** Validates YAML text holding one or more claims; `file` names it in the result. */
export function validateText(text: string, file: string, options: ValidateOptions = {}): TextValidation {
  const documents = readDocuments(text);
  if (documents.length === 0) {
    return {
      file,
      claims: [],
      problems: [
        {
          path: '',
          ruleId: 'document.empty',
          severity: 'error',
          message: 'the file holds no YAML document; write a DisasterRecovery claim in it',
        },
      ],
    };
  }
  const several = documents.length > 1;
  const results = documents.map((doc) => validateDocument(doc, several, options));
  const claims = results.flatMap((r) => (r.claim ? [r.claim] : []));
  return { file, claim: claims[0], claims, problems: sortProblems(results.flatMap((r) => r.problems)) };
}

function validateDocument(doc: SourceDocument, several: boolean, options: ValidateOptions): ClaimValidation {
  const tag = (p: Problem): Problem => (several ? { ...p, document: doc.index } : p);
  if (doc.errors.length > 0) return { problems: doc.errors.map(tag) };
  const result = validateClaim(doc.data, { ...options, source: doc.sourceText });
  const problems = result.problems.map((p) => tag({ ...p, ...(p.line === undefined ? doc.position(parsePath(p.path)) : {}) }));
  return { claim: result.claim, problems };
}

/** Problems in a stable order: document, path, rule id, message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const key = (p: Problem): [number, string, string, string] => [p.document ?? 0, p.path, p.ruleId, p.message];
  return [...problems].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || compare(ka[1], kb[1]) || compare(ka[2], kb[2]) || compare(ka[3], kb[3]);
  });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** True when any problem is an error. */
export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');
