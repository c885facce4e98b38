/**
 * The guard against a desired state that silently drops a production data store. Crossplane deletes a composed
 * resource as soon as the function stops returning it; for a data store that is only right when the claim removed it
 * (a table, a bucket, a region taken out of the spec), never when a faulty function build forgets a kind.
 *
 * Every production data store a composite composes (a resource whose lifecycle is `deletionPolicy: Orphan`, and the
 * nested composites that hold data) carries the composite's `metadata.generation` at the time it was composed, in
 * the annotation {@link COMPOSED_AT_GENERATION}. When the desired state lacks a data store the cluster holds, and that
 * data store was composed at the composite's current generation, the spec has not changed since: the drop comes from
 * the function, not from the claim, and the function refuses the whole desired state (a Fatal result: Crossplane then
 * applies and deletes nothing, and the composite's Synced condition and a Warning event name what was dropped). A
 * drop that comes with a change of the spec goes through.
 *
 * Plans and renders carry no generation: they are left as they are.
 */
import type { DesiredResource, Manifest } from './types.js';

/** Annotation of a production data store: the generation of its composite's spec when it was last composed. */
export const COMPOSED_AT_GENERATION = 'drplane.io/composed-at-generation';

/** Nested composites that hold an estate's data (their own data stores go with them). */
const DATA_COMPOSITES = new Set(['XGlobalDatabase', 'XGlobalTable', 'XReplicatedBucket', 'XDRBackup']);

/** A data store the desired state dropped. */
export interface DroppedDataStore {
  /** Composition-resource name. */
  readonly key: string;
  readonly kind: string;
  readonly name: string;
}

/** The outcome of {@link guardDataStores}. */
export interface GuardedResources {
  /** The desired resources, the production data stores stamped with the composite's generation. */
  readonly resources: DesiredResource[];
  /** Data stores the cluster holds, composed at the current generation, that the desired state lacks. */
  readonly dropped: DroppedDataStore[];
}

const annotationsOf = (m: Manifest | undefined): Record<string, string> =>
  ((m?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {}) as Record<string, string>;

/** True for a production data store: stateful (Orphan) or a nested composite that holds data. */
function isProductionDataStore(m: Manifest, production: boolean): boolean {
  if (!production) return false;
  return DATA_COMPOSITES.has(m.kind) || (m.spec as { deletionPolicy?: unknown } | undefined)?.deletionPolicy === 'Orphan';
}

/**
 * Stamps the production data stores among `desired` with the composite's generation, and lists the data stores of
 * `observed` (by composition-resource name) that `desired` drops although the composite's spec has not changed since
 * they were composed.
 */
export function guardDataStores(
  xr: Manifest,
  observed: Readonly<Record<string, Manifest>>,
  desired: readonly DesiredResource[],
): GuardedResources {
  const generation = (xr.metadata as { generation?: unknown } | undefined)?.generation;
  if (typeof generation !== 'number') return { resources: [...desired], dropped: [] };
  const production = (xr.spec as { profile?: unknown } | undefined)?.profile === 'production';
  const stamp = String(generation);
  const resources = desired.map((d) => {
    if (!isProductionDataStore(d.manifest, production)) return d;
    const metadata = (d.manifest.metadata ?? {}) as Record<string, unknown>;
    const annotations = { ...annotationsOf(d.manifest), [COMPOSED_AT_GENERATION]: stamp };
    return { ...d, manifest: { ...d.manifest, metadata: { ...metadata, annotations } } };
  });
  const wanted = new Set(desired.map((d) => d.key));
  const dropped = Object.entries(observed)
    .filter(([key, o]) => !wanted.has(key) && annotationsOf(o)[COMPOSED_AT_GENERATION] === stamp)
    .map(([key, o]) => ({ key, kind: o.kind, name: String((o.metadata as { name?: unknown } | undefined)?.name ?? key) }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return { resources, dropped };
}

/** The message of a refused desired state: what was dropped, why it is refused, and what to do. */
export function droppedMessage(xr: Manifest, dropped: readonly DroppedDataStore[]): string {
  const name = String((xr.metadata as { name?: unknown } | undefined)?.name ?? '');
  const generation = String((xr.metadata as { generation?: unknown } | undefined)?.generation ?? '?');
  const list = dropped.map((d) => `${d.kind} ${d.name} (${d.key})`).join(', ');
  return (
    `refusing to compose ${xr.kind} ${name}: the desired state drops ${dropped.length} production data ` +
    `store${dropped.length === 1 ? '' : 's'} the cluster holds although the spec is unchanged (generation ${generation}): ${list}. ` +
    'Crossplane would delete them; nothing is applied or deleted until a function build composes them again ' +
    '(roll back the function), or the claim removes them on purpose'
  );
}
