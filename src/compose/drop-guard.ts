/**
 * The guard against a desired state that silently drops a data store. Crossplane deletes a composed resource as soon
 * as the function stops returning it; for a data store that is only right when the claim removed it (a table, a
 * bucket, a region taken out of the spec), never when a faulty function build forgets a kind.
 *
 * Every data store a composite composes, whatever the estate's profile (a stateful resource: one whose desired
 * manifest states a `deletionPolicy`, and the nested composites that hold data), carries the composite's
 * `metadata.generation` at the time it was composed, in the annotation {@link COMPOSED_AT_GENERATION}: that
 * annotation is what marks an observed object as a data store. When the desired state lacks a data store the cluster
 * holds, the drop is refused if either
 *
 * - the data store was composed at the composite's current generation: the spec has not changed since, so the drop
 *   comes from the function, not from the claim; or
 * - the composite's current spec still declares it ({@link stillDeclared}): read from the spec itself, not from what
 *   compose returned, so a faulty build shipped together with a spec change is caught too.
 *
 * A refusal is a Fatal result of the whole desired state: Crossplane then applies and deletes nothing, and the
 * composite's Synced condition and a Warning event name what was dropped and why. Plans and renders carry no
 * generation: they are left as they are.
 */
import { LABEL } from './context.js';
import type { PrimitiveKind } from '../primitives/kinds.js';
import { PRIMITIVE_KINDS, PRIMITIVES } from '../primitives/registry.js';
import type { DesiredResource, Manifest } from './types.js';

/** Annotation of a data store: the generation of its composite's spec when it was last composed. */
export const COMPOSED_AT_GENERATION = 'drplane.io/composed-at-generation';

/** Nested composites that hold an estate's data (their own data stores go with them): the registry's `holdsData`. */
const isDataComposite = (kind: string): boolean =>
  (PRIMITIVE_KINDS as readonly string[]).includes(kind) && PRIMITIVES[kind as PrimitiveKind].holdsData;

/**
 * Kinds whose number per region follows the spec in ways only compose knows (Aurora instances: their count follows
 * the standby mode); their drop is refused only while the spec is unchanged. They hold no data of their own.
 */
const COUNTED_KINDS = new Set(['ClusterInstance']);

/** Why a drop is refused. */
export type DropReason = 'spec-unchanged' | 'still-declared';

/** A data store the desired state dropped. */
export interface DroppedDataStore {
  /** Composition-resource name. */
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  /** `spec-unchanged`: composed at the current generation; `still-declared`: the spec still declares it. */
  readonly reason: DropReason;
}

/** The outcome of {@link guardDataStores}. */
export interface GuardedResources {
  /** The desired resources, the data stores stamped with the composite's generation. */
  readonly resources: DesiredResource[];
  /** Data stores the cluster holds that the desired state lacks although the claim did not remove them. */
  readonly dropped: DroppedDataStore[];
}

const annotationsOf = (m: Manifest | undefined): Record<string, string> =>
  ((m?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {}) as Record<string, string>;

const labelsOf = (m: Manifest | undefined): Record<string, string> =>
  ((m?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<string, string>;

/** True for a data store: stateful (its desired manifest states a deletionPolicy) or a nested composite that holds data. */
function isDataStore(m: Manifest): boolean {
  return isDataComposite(m.kind) || typeof (m.spec as { deletionPolicy?: unknown } | undefined)?.deletionPolicy === 'string';
}

type NamedList = readonly { readonly name?: unknown }[] | undefined;
const names = (list: unknown): string[] =>
  Array.isArray(list) ? (list as NamedList)!.map((i) => String(i?.name ?? '')).filter(Boolean) : [];

/** The regions a composite's spec names (primary and secondaries). */
function regionsOf(spec: Record<string, unknown>): string[] {
  const regions = spec.regions as { primary?: unknown; secondaries?: unknown } | undefined;
  const secondaries = Array.isArray(regions?.secondaries) ? (regions!.secondaries as unknown[]) : [];
  return [regions?.primary, ...secondaries].filter((r): r is string => typeof r === 'string');
}

/**
 * True when the composite's spec still declares the observed data store `key`, read from the spec alone:
 * - the estate (`XDisasterRecovery`): its data composites `database`, `backup`, `table-<name>` and `bucket-<name>`
 *   follow `spec.database`, `spec.backup`, `spec.tables[].name` and `spec.buckets[].name`;
 * - a data composite: a data store of a region (its `drplane.io/region` label) is declared while the spec names that
 *   region, but for kinds whose count only compose knows (Aurora instances).
 * Anything else is never called declared: its drop is refused only while the spec is unchanged.
 */
export function stillDeclared(xr: Manifest, key: string, observed: Manifest): boolean {
  const spec = (xr.spec ?? {}) as Record<string, unknown>;
  if (xr.kind === 'XDisasterRecovery') {
    if (key === 'database') return spec.database !== undefined;
    if (key === 'backup') return spec.backup !== undefined;
    if (key.startsWith('table-')) return names(spec.tables).includes(key.slice('table-'.length));
    if (key.startsWith('bucket-')) return names(spec.buckets).includes(key.slice('bucket-'.length));
    return false;
  }
  if (!isDataComposite(xr.kind) || COUNTED_KINDS.has(observed.kind)) return false;
  const region = labelsOf(observed)[LABEL.region];
  return region !== undefined && regionsOf(spec).includes(region);
}

/**
 * Stamps the data stores among `desired` with the composite's generation, and lists the data stores of `observed` (by
 * composition-resource name) that `desired` drops although the claim did not remove them: composed at the current
 * generation, or still declared by the spec.
 */
export function guardDataStores(
  xr: Manifest,
  observed: Readonly<Record<string, Manifest>>,
  desired: readonly DesiredResource[],
): GuardedResources {
  const generation = (xr.metadata as { generation?: unknown } | undefined)?.generation;
  if (typeof generation !== 'number') return { resources: [...desired], dropped: [] };
  const stamp = String(generation);
  const resources = desired.map((d) => {
    if (!isDataStore(d.manifest)) return d;
    const metadata = (d.manifest.metadata ?? {}) as Record<string, unknown>;
    const annotations = { ...annotationsOf(d.manifest), [COMPOSED_AT_GENERATION]: stamp };
    return { ...d, manifest: { ...d.manifest, metadata: { ...metadata, annotations } } };
  });
  const wanted = new Set(desired.map((d) => d.key));
  const dropped: DroppedDataStore[] = [];
  for (const [key, o] of Object.entries(observed)) {
    const composedAt = annotationsOf(o)[COMPOSED_AT_GENERATION];
    if (wanted.has(key) || composedAt === undefined) continue;
    const reason: DropReason | undefined =
      composedAt === stamp ? 'spec-unchanged' : stillDeclared(xr, key, o) ? 'still-declared' : undefined;
    if (reason)
      dropped.push({ key, kind: o.kind, name: String((o.metadata as { name?: unknown } | undefined)?.name ?? key), reason });
  }
  dropped.sort((a, b) => a.key.localeCompare(b.key));
  return { resources, dropped };
}

/** The message of a refused desired state: what was dropped, why it is refused, and what to do. */
export function droppedMessage(xr: Manifest, dropped: readonly DroppedDataStore[]): string {
  const name = String((xr.metadata as { name?: unknown } | undefined)?.name ?? '');
  const generation = String((xr.metadata as { generation?: unknown } | undefined)?.generation ?? '?');
  const profile = (xr.spec as { profile?: unknown } | undefined)?.profile;
  const what = `${typeof profile === 'string' ? `${profile} ` : ''}data store${dropped.length === 1 ? '' : 's'}`;
  const list = (reason: DropReason) =>
    dropped
      .filter((d) => d.reason === reason)
      .map((d) => `${d.kind} ${d.name} (${d.key})`)
      .join(', ');
  const why = [
    ...(dropped.some((d) => d.reason === 'spec-unchanged')
      ? [`although the spec is unchanged (generation ${generation}): ${list('spec-unchanged')}`]
      : []),
    ...(dropped.some((d) => d.reason === 'still-declared')
      ? [`although the spec (generation ${generation}) still declares them: ${list('still-declared')}`]
      : []),
  ].join('; and ');
  return (
    `refusing to compose ${xr.kind} ${name}: the desired state drops ${dropped.length} ${what} the cluster holds ${why}. ` +
    'Crossplane would delete them; nothing is applied or deleted until a function build composes them again ' +
    '(roll back the function), or the claim removes them on purpose'
  );
}
