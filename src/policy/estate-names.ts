/**
 * Every AWS name an estate will have, read from its plan: the names compose made for the managed resources `drctl
 * plan` renders, with what compose says beside them (the naming rule, the name before shortening, the claim field the
 * resource comes from). Nothing here derives a name: a composer that renames a resource renames what policy checks.
 *
 * Names compose builds from a Namer name (log groups `/aws/lambda/<function>`, ARC readiness names) or keeps constant
 * (an inline policy's `replication`) are not in the list (src/compose/composed-names.ts).
 */
import { API_VERSION, type DisasterRecoverySpec } from '../api/claim.js';
import { LABEL } from '../compose/context.js';
import { rpoGuardSeconds } from '../compose/failover-trigger.js';
import { ComposeInputError } from '../compose/index.js';
import type { FittedName, NameKind } from '../compose/naming.js';
import { type PlannedResource, planClaim } from '../compose/plan.js';
import type { ClaimIdentity } from './types.js';

/** One AWS name of the estate and where it comes from. */
export interface EstateName {
  /** Naming rule the name must follow. */
  readonly kind: NameKind;
  /** What the name is for, e.g. "Aurora instance". */
  readonly what: string;
  /** Claim section the resource comes from (spec.service, spec.tables[0], …). */
  readonly path: string;
  /** Region of the resource; undefined for global resources. */
  readonly region?: string;
  /** The name, full and fitted. */
  readonly name: FittedName;
  /**
   * The same resource in every region (and every ordinal, such as Aurora instances 1 and 2) has the same group:
   * claim field, what, and the logical part of its name without a trailing ordinal.
   */
  readonly group: string;
}

/**
 * The plans of the last estates planned, by claim and spec. Without `spec.objectives`, but for the one value of them a
 * rendered Lambda reads ({@link objectivesInLambdas}): objectives set thresholds only, never which resources exist or
 * their names, so claims that differ only in their objectives share one plan (test/policy/plan-names.test.ts checks
 * that the examples' names are the same under other objectives, test/policy/lambda-environment.test.ts that every
 * Lambda's environment is that of the claim's own plan).
 */
const CACHE = new Map<string, EstatePlan>();
const CACHE_SIZE = 16;

/** The plan of an estate and its names; an empty plan when compose refuses the spec. */
interface EstatePlan {
  readonly plan: readonly PlannedResource[];
  readonly names: EstateName[];
}

/**
 * What of spec.objectives a rendered Lambda reads: the RPO guard of automatic failover (rpoGuardSeconds, in the
 * orchestrators' DRPLANE_RPO_GUARD_MS), or nothing. The rest of the objectives reach only nested composites' specs and
 * alarm thresholds, which neither the names nor the Lambda environments policy reads.
 */
const objectivesInLambdas = (spec: DisasterRecoverySpec): number | undefined =>
  spec.failover?.mode === 'automatic' ? rpoGuardSeconds(spec.objectives) : undefined;

/**
 * The plan of the estate a spec describes (cached as the names are: its objectives are those of the first spec of the
 * cache entry, which differ from this spec's in nothing a Lambda or an AWS name reads): empty when compose refuses the
 * spec (the rule that refuses it reports why).
 */
export function estatePlan(spec: DisasterRecoverySpec, claim: ClaimIdentity): readonly PlannedResource[] {
  return cachedPlan(spec, claim).plan;
}

/**
 * Every AWS name of the estate a spec describes, in plan order. None when compose refuses the spec (regions or
 * networks that break a cross-field rule): the rule that refuses it reports why.
 */
export function estateNames(spec: DisasterRecoverySpec, claim: ClaimIdentity): EstateName[] {
  return cachedPlan(spec, claim).names;
}

function cachedPlan(spec: DisasterRecoverySpec, claim: ClaimIdentity): EstatePlan {
  const key = `${claim.namespace}/${claim.name} ${JSON.stringify({ ...spec, objectives: undefined })} ${objectivesInLambdas(spec)}`;
  const cached = CACHE.get(key);
  if (cached) return cached;
  const plan = planOf(spec, claim);
  const entry = { plan, names: namesOfPlan(plan) };
  if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  CACHE.set(key, entry);
  return entry;
}

function planOf(spec: DisasterRecoverySpec, claim: ClaimIdentity): readonly PlannedResource[] {
  try {
    return planClaim({
      apiVersion: API_VERSION,
      kind: 'DisasterRecovery',
      metadata: { name: claim.name, namespace: claim.namespace },
      spec,
    });
  } catch (error) {
    if (error instanceof ComposeInputError) return [];
    throw error;
  }
}

function namesOfPlan(plan: readonly PlannedResource[]): EstateName[] {
  return plan.flatMap((p) => {
    if (p.section === undefined) return [];
    // Global resources (IAM) of one region say so in their region label.
    const labels = (p.manifest.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
    const region = p.region ?? labels[LABEL.region];
    return (p.names ?? []).map((n) => ({
      kind: n.kind,
      what: n.what,
      path: p.section!,
      ...(region === undefined ? {} : { region }),
      name: { value: n.name.value, full: n.name.full, shortened: n.name.shortened },
      group: `${p.section}|${n.what}|${n.name.logical.replace(/-\d+$/, '')}`,
    }));
  });
}
