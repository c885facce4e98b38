/**
 * The live tree of an estate: claim → composite → nested primitives → managed resources, each
 * with its Ready/Synced conditions and the message of anything not ready. Read-only.
 */
import { KubernetesObjectApi, type KubeConfig } from '@kubernetes/client-node';
import { type CrossplaneObject, type Ref, claimRef, readClaim, readObject, refsOf } from './objects.js';
import { INFORMATIONAL } from '../compose/observed.js';
import { resourceLine } from '../primitives/registry.js';

/** One object of the tree. */
export interface TreeNode {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly region?: string;
  /** 'True', 'False' or 'Unknown' (no condition yet). */
  readonly ready: string;
  readonly synced: string;
  /** Message of the Ready or Synced condition when either is not True. */
  readonly message?: string;
  /** True when the object carries crossplane.io/paused: "true" (Crossplane does not reconcile it). */
  readonly paused?: boolean;
  /**
   * True when the composition marks the object informational (drplane.io/informational: an observed report that may
   * not exist yet, e.g. a region's ARC readiness report): it gates nothing, and `drctl status` does not count it.
   */
  readonly informational?: boolean;
  readonly children: TreeNode[];
  /** Set when the object could not be read. */
  readonly error?: string;
  /** On the claim only: where the estate serves and writes, and its last failover, from the claim's status. */
  readonly estate?: EstateSummary;
  /**
   * On a managed resource its primitive says something about (its registry entry's status hook): that line, from the
   * resource's status.atProvider (an EKS NodeGroup's node counts and EKS status).
   */
  readonly detail?: string;
}

/** The claim's status.regions: each region's fields, as the claim reports them. */
function regionsOf(regions: unknown): Record<string, Readonly<Record<string, unknown>>> | undefined {
  if (typeof regions !== 'object' || regions === null || Array.isArray(regions)) return undefined;
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [region, value] of Object.entries(regions as Record<string, unknown>))
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) out[region] = value as Record<string, unknown>;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Each region's ARC readiness cell from a claim's status.regions.<region>.readinessCell (routing.control arc). */
function readinessCellsOf(regions: unknown): Record<string, string> | undefined {
  if (typeof regions !== 'object' || regions === null) return undefined;
  const out: Record<string, string> = {};
  for (const [region, value] of Object.entries(regions as Record<string, unknown>)) {
    const cell = (value as { readinessCell?: unknown } | null)?.readinessCell;
    if (typeof cell === 'string' && cell !== '') out[region] = cell;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The claim status fields that say where an estate stands. */
export interface EstateSummary {
  readonly activeRegion?: string;
  readonly databaseWriterRegion?: string;
  readonly lastFailover?: { readonly from?: string; readonly to?: string; readonly at?: string };
  /** HTTPS URL of routing.recordName, once one of its service records is Ready. */
  readonly publicUrl?: string;
  /**
   * Each region's fields of the claim's status (status.regions.<region>): endpoints, readiness and what each primitive
   * reports there (its api's claim.regionStatus, such as an EKS node group's clusterNodes), read by the primitives'
   * typed readers.
   */
  readonly regions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Each region's ARC readiness cell, once Ready (the claim's status.regions.<region>.readinessCell). */
  readonly readinessCells?: Readonly<Record<string, string>>;
}

/** The summary fields of a claim's status, only those present. */
function summaryOf(status: Record<string, unknown> | undefined): EstateSummary | undefined {
  if (!status) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const last = status.lastFailover as EstateSummary['lastFailover'] | undefined;
  const regions = regionsOf(status.regions);
  const readinessCells = readinessCellsOf(status.regions);
  const summary: EstateSummary = {
    ...(text(status.activeRegion) ? { activeRegion: text(status.activeRegion) } : {}),
    ...(text(status.databaseWriterRegion) ? { databaseWriterRegion: text(status.databaseWriterRegion) } : {}),
    ...(last && typeof last === 'object' ? { lastFailover: last } : {}),
    ...(text(status.publicUrl) ? { publicUrl: text(status.publicUrl) } : {}),
    ...(regions ? { regions } : {}),
    ...(readinessCells ? { readinessCells } : {}),
  };
  return Object.keys(summary).length > 0 ? summary : undefined;
}

type Obj = CrossplaneObject;

/** The annotation that stops Crossplane reconciling an object (drplane sets it on Aurora clusters around a switchover). */
const PAUSED_ANNOTATION = 'crossplane.io/paused';

function condition(o: Obj, type: string) {
  return o.status?.conditions?.find((c) => c.type === type);
}

async function node(api: KubernetesObjectApi, ref: Ref, depth: number): Promise<TreeNode> {
  let o: Obj;
  try {
    o = await readObject(api, ref);
  } catch (err) {
    const code = (err as { code?: number }).code;
    return {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      ready: 'Unknown',
      synced: 'Unknown',
      children: [],
      error: code === 404 ? 'not found' : `cannot read: ${(err as Error).message}`,
    };
  }
  const ready = condition(o, 'Ready');
  const synced = condition(o, 'Synced');
  const notOk = [synced, ready].find((c) => c && c.status !== 'True' && c.message);
  const children = depth < 4 ? await Promise.all(refsOf(o).map((r) => node(api, r, depth + 1))) : [];
  const atProvider = o.status?.atProvider as Record<string, unknown> | undefined;
  const detail = resourceLine(ref, atProvider);
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    region: o.spec?.forProvider?.region,
    ready: ready?.status ?? 'Unknown',
    synced: synced?.status ?? 'Unknown',
    ...(notOk?.message ? { message: notOk.message } : {}),
    ...(o.metadata?.annotations?.[PAUSED_ANNOTATION] === 'true' ? { paused: true } : {}),
    ...(o.metadata?.annotations?.[INFORMATIONAL] === 'true' ? { informational: true } : {}),
    ...(detail ? { detail } : {}),
    children: children.sort(
      (a, b) => (a.region ?? '').localeCompare(b.region ?? '') || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
    ),
  };
}

/** The tree of a claim, from the claim down to managed resources. */
export async function estateTree(kc: KubeConfig, namespace: string, name: string): Promise<TreeNode> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const claim = await readClaim(api, namespace, name);
  const root = await node(api, claimRef(namespace, name), 0);
  const xrRef = claim.spec?.resourceRef;
  const estate = summaryOf(claim.status);
  return { ...root, ...(estate ? { estate } : {}), children: xrRef ? [await node(api, xrRef, 1)] : [] };
}

/** Every node of a tree, depth first. */
export function flatten(tree: TreeNode): TreeNode[] {
  return [tree, ...tree.children.flatMap(flatten)];
}
