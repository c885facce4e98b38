/**
 * What a claim change does to the estate: resources added, changed (with the fields) and removed,
 * per region, and the stateful resources it would replace (delete and create anew), which lose
 * data unless the profile orphans them.
 */
import { EXTERNAL_NAME } from './context.js';
import type { PlannedResource } from './plan.js';

/** Kinds whose replacement loses data. */
export const STATEFUL_KINDS: readonly string[] = [
  'GlobalCluster',
  'Cluster',
  'ClusterInstance',
  'Table',
  'Bucket',
  'Key',
  'Vault',
];

/** One difference between two plans. */
export interface PlanChange {
  readonly change: 'add' | 'change' | 'remove';
  readonly id: string;
  readonly kind: string;
  readonly region?: string;
  /** Changed field paths (spec.forProvider.x), for changes. */
  readonly fields?: string[];
  /** True when the change replaces a stateful resource: removed, or renamed in AWS, or moved region. */
  readonly replacesStateful?: boolean;
}

const idOf = (r: PlannedResource) => `${r.parent}/${r.key}`;
const externalName = (r: PlannedResource) =>
  ((r.manifest.metadata ?? {}) as { annotations?: Record<string, string> }).annotations?.[EXTERNAL_NAME];
/** The AWS name of a resource whose id AWS assigns but whose name the plan chooses (a backup plan). */
const forProviderName = (r: PlannedResource) =>
  (r.manifest.spec as { forProvider?: { name?: unknown } } | undefined)?.forProvider?.name;

/** Paths where two JSON values differ, up to `limit`. */
function differences(a: unknown, b: unknown, path: string, out: string[], limit = 20): void {
  if (out.length >= limit) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys)
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out, limit);
    return;
  }
  out.push(path);
}

/** The changes from the `before` plan to the `after` plan, in a stable order. */
export function diffPlans(before: readonly PlannedResource[], after: readonly PlannedResource[]): PlanChange[] {
  const old = new Map(before.map((r) => [idOf(r), r]));
  const now = new Map(after.map((r) => [idOf(r), r]));
  const changes: PlanChange[] = [];
  for (const [id, r] of now) {
    const prev = old.get(id);
    if (!prev) {
      changes.push({ change: 'add', id, kind: r.manifest.kind, region: r.region });
      continue;
    }
    const fields: string[] = [];
    differences(
      { metadata: prev.manifest.metadata, spec: prev.manifest.spec },
      { metadata: r.manifest.metadata, spec: r.manifest.spec },
      '',
      fields,
    );
    if (fields.length === 0) continue;
    const renamed =
      externalName(prev) !== externalName(r) || forProviderName(prev) !== forProviderName(r) || prev.region !== r.region;
    changes.push({
      change: 'change',
      id,
      kind: r.manifest.kind,
      region: r.region,
      fields,
      ...(renamed && STATEFUL_KINDS.includes(r.manifest.kind) ? { replacesStateful: true } : {}),
    });
  }
  for (const [id, r] of old) {
    if (!now.has(id))
      changes.push({
        change: 'remove',
        id,
        kind: r.manifest.kind,
        region: r.region,
        ...(STATEFUL_KINDS.includes(r.manifest.kind) ? { replacesStateful: true } : {}),
      });
  }
  const order = { remove: 0, change: 1, add: 2 };
  return changes.sort(
    (a, b) => (a.region ?? '~').localeCompare(b.region ?? '~') || order[a.change] - order[b.change] || a.id.localeCompare(b.id),
  );
}
