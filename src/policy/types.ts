/**
 * The vocabulary of drplane's policy layer: problems found in a claim, the rules that find them and
 * the context they run in.
 */
import type { DisasterRecoverySpec } from '../api/claim.js';

/** How bad a problem is: an error refuses the claim, a warning only informs. */
export type Severity = 'error' | 'warning';

/**
 * A change that resolves a problem, as a tool can apply it: write `value` at `path`, or remove the field. The
 * problem's message quotes the same value; applying it draws no error the claim did not have.
 */
export interface Fix {
  /** Field to change, relative to the document (spec.database.engineVersion, spec.network.cidrs.us-west-2). */
  readonly path: string;
  /** Value to write there (the whole list or mapping when an entry is added or dropped). */
  readonly value?: unknown;
  /** True when the fix removes the field instead. */
  readonly remove?: true;
}

/** One thing wrong with a claim: where, what and how to fix it, and which rule found it. */
export interface Problem {
  /** Field the problem is about, relative to the document (spec.x.y, spec.tables[0].name); empty for whole-file problems. */
  readonly path: string;
  /** What is wrong and what to write instead. */
  readonly message: string;
  /** Stable id of the rule that found the problem (e.g. database.engine-version). */
  readonly ruleId: string;
  /** error refuses the claim; warning does not. */
  readonly severity: Severity;
  /** 1-based line of the field in the source text, when known. */
  readonly line?: number;
  /** 1-based column of the field in the source text, when known. */
  readonly column?: number;
  /** 1-based index of the YAML document in a multi-document file, when the file has more than one. */
  readonly document?: number;
  /** The change the message proposes, when it proposes one concrete value. */
  readonly fix?: Fix;
}

/** The claim an estate belongs to: the inputs of every AWS name besides the spec. */
export interface ClaimIdentity {
  /** metadata.name of the claim. */
  readonly name: string;
  /** metadata.namespace of the claim. */
  readonly namespace: string;
}

/** What a rule may know besides the spec. */
export interface PolicyContext {
  /** The day rules compare dates against (end of standard support); tests pass a fixed one. */
  readonly today: Date;
  /** Name and namespace of the claim, for the AWS names the estate will have. */
  readonly claim: ClaimIdentity;
}

/** A rule a schema cannot express, run over a spec that already passed the schema. */
export interface PolicyRule {
  /** Stable id printed with every problem (area.what, e.g. network.cidr-overlap). */
  readonly id: string;
  /** Severity of the problems the rule reports (a rule that reports both reports per problem). */
  readonly severity: Severity;
  /** One line saying what the rule guards against, for documentation and `drctl explain`. */
  readonly summary: string;
  /**
   * True when the rule's verdict depends on the day (`ctx.today`: an end of support, a deprecation date): a spec it
   * accepts today may fail it later without any change. The function never refuses a new estate for such a rule.
   */
  readonly dated?: true;
  /** Finds the rule's problems in a spec; returns none when the spec is fine. */
  readonly check: (spec: DisasterRecoverySpec, ctx: PolicyContext) => Problem[];
}

/** A claim name used when a spec is checked without its claim (unit tests, composites). */
export const ANONYMOUS_CLAIM: ClaimIdentity = { name: 'claim', namespace: 'default' };

/** A policy context with defaults: today and an anonymous claim. */
export function policyContext(overrides: Partial<PolicyContext> = {}): PolicyContext {
  return { today: overrides.today ?? new Date(), claim: overrides.claim ?? ANONYMOUS_CLAIM };
}

/** Builds a problem of a rule, with the rule's id and (unless given) severity. */
export function problem(
  rule: Pick<PolicyRule, 'id' | 'severity'>,
  path: string,
  message: string,
  severity: Severity = rule.severity,
): Problem {
  return { path, message, ruleId: rule.id, severity };
}

/** A problem with the fix its message proposes. */
export const withFix = (p: Problem, fix: Fix | undefined): Problem => (fix ? { ...p, fix } : p);
