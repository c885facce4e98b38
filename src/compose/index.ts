/**
 * The pure core: (composite, observed state) → desired resources, status and events, for every
 * drplane composite kind. The composition function and `drctl plan` both call `composeComposite`,
 * so a plan is exactly what the cluster gets. Nothing here does I/O.
 */
import type { z } from 'zod';
import type { EstateContext, GlobalDatabaseSpec } from '../api/primitives.js';
import { API_VERSION, type DisasterRecoverySpec, DisasterRecoverySpecSchema } from '../api/claim.js';
import { CROSS_FIELD_RULES } from '../api/rules.js';
import { PRIMITIVE_APIS, type PrimitiveKind } from '../primitives/kinds.js';
import { PRIMITIVES } from '../primitives/registry.js';
import type { Composed } from '../primitives/types.js';
import { bindProviderConfig, ComposeContext, LABEL } from './context.js';
import { previousGuardOf, type SwitchoverGuard, switchoverGuard } from '../primitives/database/switchover.js';
import { composedNames, type ComposedName } from './composed-names.js';
import { composeEstate } from './estate.js';
import { readyIn } from './outputs.js';
import { gatesReadiness } from './observed.js';
import { POLICY_RULES } from '../policy/rules/index.js';
import { type Problem, policyContext } from '../policy/types.js';
import type { ComposeEvent, ComposeOptions, ComposeResult, DesiredResource, Manifest, ObservedView } from './types.js';

export * from './types.js';
export { liveView, steadyView, isReady, readPath, gatesReadiness, INFORMATIONAL } from './observed.js';
export { ComposeContext, LABEL, EXTERNAL_NAME } from './context.js';

/** Bad input: the composite's spec does not match its schema. Lists every problem with its field. */
export class ComposeInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ComposeInputError';
  }
}

/** Labels Crossplane puts on a composite created for a claim. */
const CLAIM_NAME = 'crossplane.io/claim-name';
const CLAIM_NAMESPACE = 'crossplane.io/claim-namespace';

function parseSpec<T>(schema: z.ZodType, spec: unknown): T {
  const result = schema.safeParse(spec ?? {});
  if (result.success) return result.data as T;
  throw new ComposeInputError(result.error.issues.map((i) => `spec.${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** The estate context of the top-level composite, whose owner comes from the claim labels. */
function estateOf(xr: Manifest, spec: DisasterRecoverySpec): EstateContext {
  const meta = (xr.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
  const labels = meta.labels ?? {};
  return {
    owner: { name: labels[CLAIM_NAME] ?? meta.name ?? 'unnamed', namespace: labels[CLAIM_NAMESPACE] ?? '' },
    environment: spec.environment,
    profile: spec.profile,
    regions: spec.regions,
    activeRegion: spec.activeRegion,
    tags: spec.tags ?? {},
    objectives: spec.objectives,
    ...(spec.providerConfigRef ? { providerConfigRef: spec.providerConfigRef } : {}),
  };
}

/**
 * Readiness per region: every resource in the region is ready, and every nested composite
 * reports the region ready in its own status.
 */
function regionReadiness(resources: readonly DesiredResource[], observed: ObservedView, regions: readonly string[]) {
  const nested = resources.filter((d) => d.manifest.apiVersion === API_VERSION);
  // Global kinds (IAM roles, health checks) count for the region their label names.
  const regionOf = (d: DesiredResource) =>
    d.region ?? ((d.manifest.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {})[LABEL.region];
  return Object.fromEntries(
    regions.map((r) => {
      const own = resources.filter((d) => regionOf(d) === r && gatesReadiness(d.manifest)).every((d) => observed.ready(d.key));
      const children = nested.every((d) => readyIn(observed, d.key, r));
      return [r, { ready: own && children }];
    }),
  );
}

/** An event for a policy problem of the claim: its field, what is wrong and the rule's id, as `drctl validate` says it. */
const policyEvent = (p: Problem): ComposeEvent => ({
  severity: 'Warning',
  message: `${p.path}: ${p.message} (${p.ruleId}${p.severity === 'error' ? ', an error: drctl validate refuses this claim' : ''})`,
});

/** Policy problems of the last estates seen, by UTC day, claim and spec: a reconcile repeats the same claim every minute. */
const POLICY_CACHE = new Map<string, readonly Problem[]>();
const POLICY_CACHE_SIZE = 32;

/**
 * Ids of the rules whose verdict depends on the day (`dated` in src/policy/types.ts). Read on first use: the policy
 * rules import compose (they check the names of the plan), so they may not be loaded yet when this module is.
 */
let datedRules: ReadonlySet<string> | undefined;
const isDated = (id: string): boolean => (datedRules ??= new Set(POLICY_RULES.filter((r) => r.dated).map((r) => r.id))).has(id);

/**
 * The policy rules (src/policy, the one home of rules about a claim) run on the estate's claim. Only with `today` (the
 * function passes it): rules compare dates, and a plan stays independent of the day. The rules' dates are whole UTC
 * days (src/facts/days.ts), so a result holds for the day it was computed on.
 */
function policyProblems(ctx: ComposeContext, spec: DisasterRecoverySpec, today: Date | undefined): readonly Problem[] {
  if (today === undefined) return [];
  const { name, namespace } = ctx.estate.owner;
  const key = `${today.toISOString().slice(0, 10)} ${namespace}/${name} ${JSON.stringify(spec)}`;
  const cached = POLICY_CACHE.get(key);
  if (cached) return cached;
  const policy = policyContext({ today, claim: ctx.estate.owner });
  const problems = POLICY_RULES.flatMap((rule) => rule.check(spec, policy));
  if (POLICY_CACHE.size >= POLICY_CACHE_SIZE) POLICY_CACHE.delete(POLICY_CACHE.keys().next().value!);
  POLICY_CACHE.set(key, problems);
  return problems;
}

/**
 * A new estate (none of its resources exists yet) whose claim breaks a policy rule of severity error is refused, as
 * `drctl validate` refuses it: the API server's schema and CEL cannot express those rules (an instance class a region
 * does not offer, an RPO of 0), so such a claim reaches the function, and composing it would create an estate AWS
 * cannot complete. Refusing creates nothing and deletes nothing. A live estate is never refused for a policy error: a
 * rule that starts to fail on an existing estate (a date passed, a rule added by a newer build) must not freeze it,
 * since its next change may be a failover; it gets the problem as a Warning event on every reconcile instead.
 */
function refuseNewEstate(problems: readonly Problem[], resources: readonly DesiredResource[], observed: ObservedView): void {
  const errors = problems.filter((p) => p.severity === 'error' && !isDated(p.ruleId));
  if (errors.length === 0 || observed.planning || resources.some((d) => observed.exists(d.key))) return;
  throw new ComposeInputError([
    ...errors.map((p) => `${p.path}: ${p.message} (${p.ruleId})`),
    'nothing is composed for this new estate until the claim is fixed (drctl validate reports the same)',
  ]);
}

type Composer = (
  xr: Manifest,
  observed: ObservedView,
  options: ComposeOptions,
) => Composed & {
  ctx: ComposeContext;
  /** The estate's only: the claim field of each nested composite. */
  sections?: Record<string, string>;
};

/** The composer of a primitive: its spec parsed with its schema, then its compose module of the registry. */
function primitive<K extends PrimitiveKind>(kind: K): Composer {
  const schema = PRIMITIVE_APIS[kind].spec;
  const compose = PRIMITIVES[kind].compose;
  return (xr, observed, options) => {
    const spec = parseSpec<Parameters<typeof compose>[1]>(schema, xr.spec);
    const ctx = new ComposeContext(spec);
    return { ctx, ...compose(ctx, spec, observed, options, xr) };
  };
}

const COMPOSERS: Record<string, Composer> = {
  XDisasterRecovery: (xr, observed, options) => {
    const spec = parseSpec<DisasterRecoverySpec>(DisasterRecoverySpecSchema, xr.spec);
    // The API server enforces the cross-field rules as CEL; a spec that got past it (an older XRD, validation off) and
    // breaks a rule on where the estate lives (its regions and their networks) is refused here too, before it can
    // compose an estate in a region it does not have. (The other rules' consequences are reported as policy events.)
    const broken = CROSS_FIELD_RULES.filter((r) => /^(regions|network)\./.test(r.id) && !r.holds(spec));
    if (broken.length > 0) throw new ComposeInputError(broken.map((r) => `${r.path}: ${r.message} (${r.id})`));
    const ctx = new ComposeContext(estateOf(xr, spec));
    const estate = composeEstate(ctx, spec, observed);
    const problems = policyProblems(ctx, spec, options.today);
    refuseNewEstate(problems, estate.resources, observed);
    return { ctx, ...estate, events: [...problems.map(policyEvent), ...estate.events] };
  },
  ...Object.fromEntries((Object.keys(PRIMITIVES) as PrimitiveKind[]).map((kind) => [kind, primitive(kind)])),
};

/**
 * The switchover guard of an XGlobalDatabase composite over its observed resources: whether its member clusters are
 * paused, and which stale replication sources keep them so. The function composes with it; `drctl unpause` reads it.
 */
export function databaseSwitchover(xr: Manifest, observed: ObservedView): SwitchoverGuard {
  const spec = parseSpec<GlobalDatabaseSpec>(PRIMITIVE_APIS.XGlobalDatabase.spec, xr.spec);
  return switchoverGuard(new ComposeContext(spec), observed, previousGuardOf(xr));
}

export {
  type SwitchoverGuard,
  type StaleSource,
  clearCommand,
  memberKey,
  GLOBAL_KEY,
} from '../primitives/database/switchover.js';

/** Composite kinds the function composes. */
export const COMPOSED_KINDS: readonly string[] = Object.keys(COMPOSERS);

/**
 * Composes one composite: its desired resources, status and events.
 * Throws ComposeInputError (with every offending field) when the spec is invalid or the kind unknown.
 */
export function composeComposite(xr: Manifest, observed: ObservedView, options: ComposeOptions = {}): ComposeResult {
  const composer = COMPOSERS[xr.kind];
  if (!composer)
    throw new ComposeInputError([`kind: ${xr.kind} is not a drplane composite (expected one of ${COMPOSED_KINDS.join(', ')})`]);
  const {
    ctx,
    resources: composed,
    events = [],
    status,
    connectionDetails,
    sections,
    recheckAfterSeconds,
  } = composer(xr, observed, options);
  const resources = bindProviderConfig(ctx, composed);
  const names: Record<string, readonly ComposedName[]> = {};
  for (const d of resources) {
    const made = composedNames(ctx.namer, d.manifest);
    if (made.length > 0) names[d.key] = made;
  }
  const regions = { ...regionReadiness(resources, observed, ctx.regions) } as Record<string, Record<string, unknown>>;
  for (const [r, extra] of Object.entries((status?.regions ?? {}) as Record<string, Record<string, unknown>>))
    regions[r] = { ...regions[r], ...extra };
  return {
    resources,
    events,
    status: { ...status, regions, resources: resources.length, primaryRegion: ctx.primary, activeRegion: ctx.active },
    ...(connectionDetails ? { connectionDetails } : {}),
    ...(recheckAfterSeconds !== undefined ? { recheckAfterSeconds } : {}),
    names,
    ...(sections ? { sections } : {}),
  };
}
