/**
 * Read-only queries over a plan (`planClaim`): managed resources by API group, kind, region and
 * owning primitive. The estimate counts what the plan holds instead of re-deriving compose.
 */
import { GROUP } from '../api/claim.js';
import { PROVIDER_FAMILIES, providerGroup, type ProviderFamily } from '../api/providers.js';
import { EXTERNAL_NAME } from '../compose/context.js';
import type { Manifest } from '../compose/types.js';
import type { PlannedResource } from '../compose/plan.js';

/** Filter for managed resources. */
export interface ResourceQuery {
  /** API group, e.g. `rds.aws.upbound.io` (kinds repeat across groups: Route, Alias). */
  readonly group: string;
  readonly kind: string;
  /** Only resources in this region. */
  readonly region?: string;
  /** Only resources composed by a primitive of this kind (e.g. XRegionalService). */
  readonly parentKind?: string;
}

/** A plan indexed for the estimate. */
export class Inventory {
  private readonly composites = new Map<string, Manifest>();

  constructor(readonly plan: readonly PlannedResource[]) {
    for (const r of plan) if (isComposite(r.manifest)) this.composites.set(`${r.parent}/${r.key}`, r.manifest);
  }

  /** Managed resources matching a query, in plan order. */
  find(q: ResourceQuery): PlannedResource[] {
    return this.plan.filter(
      (r) =>
        groupOf(r.manifest) === q.group &&
        r.manifest.kind === q.kind &&
        (q.region === undefined || r.region === q.region) &&
        (q.parentKind === undefined || this.parent(r)?.kind === q.parentKind),
    );
  }

  /** Number of managed resources matching a query. */
  count(q: ResourceQuery): number {
    return this.find(q).length;
  }

  /** True when the plan composes any resource of this group and kind (i.e. compose builds it yet). */
  has(group: string, kind: string): boolean {
    return this.plan.some((r) => groupOf(r.manifest) === group && r.manifest.kind === kind);
  }

  /** The nested composite that composed a resource, if any. */
  parent(r: PlannedResource): Manifest | undefined {
    return this.composites.get(r.parent);
  }

  /** The plan's nested composites of a kind (XGlobalTable, …), in plan order: the estate's order of its sections. */
  nested(kind: string): Manifest[] {
    return this.plan.filter((r) => isComposite(r.manifest) && r.manifest.kind === kind).map((r) => r.manifest);
  }
}

/**
 * The region a nested composite's estate context names as active (its spec.activeRegion, else its primary region), as
 * compose reads it (src/compose/context.ts); undefined when the spec holds neither.
 */
export function activeRegionOf(composite: Manifest | undefined): string | undefined {
  const spec = (composite?.spec ?? {}) as { activeRegion?: unknown; regions?: { primary?: unknown } };
  const active = spec.activeRegion ?? spec.regions?.primary;
  return typeof active === 'string' ? active : undefined;
}

/** The crossplane.io/external-name annotation of a planned resource (an observed-only resource's AWS identity). */
export function externalNameOf(r: PlannedResource): string | undefined {
  const annotations = ((r.manifest.metadata ?? {}) as { annotations?: Record<string, string> }).annotations;
  return annotations?.[EXTERNAL_NAME];
}

const isComposite = (m: Manifest): boolean => groupOf(m) === GROUP;

/** API group of a manifest (`rds.aws.upbound.io/v1beta1` → `rds.aws.upbound.io`). */
export const groupOf = (m: Manifest): string => m.apiVersion.split('/')[0] ?? '';

/** spec.forProvider of a managed resource (empty when absent). */
export function forProvider(r: PlannedResource): Record<string, unknown> {
  const spec = (r.manifest.spec ?? {}) as { forProvider?: Record<string, unknown> };
  return spec.forProvider ?? {};
}

/** True when a managed resource is only observed (managementPolicies exactly Observe): AWS bills it to its creator. */
export function observedOnly(r: PlannedResource): boolean {
  const policies = ((r.manifest.spec ?? {}) as { managementPolicies?: unknown }).managementPolicies;
  return Array.isArray(policies) && policies.length === 1 && policies[0] === 'Observe';
}

/** Labels of a planned resource. */
export function labelsOf(r: PlannedResource): Record<string, string> {
  return ((r.manifest.metadata ?? {}) as { labels?: Record<string, string> }).labels ?? {};
}

/** True when every label a selector requires is on the resource. */
export function selects(selector: unknown, r: PlannedResource): boolean {
  const want = (selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!want) return false;
  const have = labelsOf(r);
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

/** An array field of forProvider (single objects, as v1beta2 kinds write them, become one-element arrays). */
export function listField(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

/** API group of every provider family drplane composes with (src/api/providers.ts), by family: GROUPS.rds is rds.aws.upbound.io. */
export const GROUPS = Object.fromEntries(PROVIDER_FAMILIES.map((f) => [f, providerGroup(f)])) as {
  readonly [F in ProviderFamily]: `${F}.aws.upbound.io`;
};
