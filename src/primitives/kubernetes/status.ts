/**
 * XRegionalCluster in the claim's status and in `drctl status`: each region's node group (the claim's
 * status.regions.<region>.clusterNodes, copied from the composite's status.regions.<region>.nodes), one line per region
 * under the claim, and the counts under each NodeGroup of the tree. The desired size is what was asked for, not nodes
 * that run or joined (the control plane sees none): the lines say "desired"; serving capacity is capacitySince
 * (scaling.ts's judgement: Ready, ACTIVE, minSize desired, CoreDNS Ready).
 */
import type { z } from 'zod';
import type { StatusView } from '../types.js';
import { nodeGroupStatus } from './section.js';

/** A region's node group as the claim's status reports it (fields absent until observed). */
export type NodeGroupSummary = NonNullable<z.output<ReturnType<typeof nodeGroupStatus>>>;

/** The claim's status field that holds a region's node group (the kubernetes api's claim.regionStatus). */
const FIELD = 'clusterNodes';

/** Schema of the node group's fields, for the typed readers below. */
const SUMMARY = nodeGroupStatus().unwrap();

/**
 * The node group in one region of the claim's status (status.regions.<region>), or undefined when there is none; a
 * field of the wrong type is dropped rather than trusted (the status is read from the cluster, written by any version).
 */
export function nodeGroupIn(regionStatus: Readonly<Record<string, unknown>> | undefined): NodeGroupSummary | undefined {
  const value = regionStatus?.[FIELD];
  if (typeof value !== 'object' || value === null) return undefined;
  const summary: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(value)) {
    const schema = SUMMARY.shape[field as keyof typeof SUMMARY.shape];
    if (v !== undefined && v !== '' && schema?.safeParse(v).success) summary[field] = v;
  }
  return Object.keys(summary).length > 0 ? (summary as NodeGroupSummary) : undefined;
}

/**
 * `desired 3 (min 2, max 10), ACTIVE`: a node group's desired size, bounds and EKS status, as far as known. The
 * desired size is what was asked for, not nodes that run or joined: said as such.
 */
export function nodeCounts(n: NodeGroupSummary): string {
  const bounds = [n.minSize !== undefined ? `min ${n.minSize}` : '', n.maxSize !== undefined ? `max ${n.maxSize}` : '']
    .filter(Boolean)
    .join(', ');
  return `desired ${n.desiredSize ?? '?'}${bounds ? ` (${bounds})` : ''}${n.status ? `, ${n.status}` : ''}`;
}

/** True for an EKS managed node group of the provider (eks.aws.upbound.io NodeGroup). */
const isNodeGroup = (ref: { apiVersion: string; kind: string }) =>
  ref.kind === 'NodeGroup' && ref.apiVersion.startsWith('eks.aws.upbound.io/');

/** A NodeGroup's counts and EKS status from its status.atProvider (scalingConfig, status). */
function atProviderNodes(atProvider: Readonly<Record<string, unknown>> | undefined): NodeGroupSummary | undefined {
  const scaling = atProvider?.['scalingConfig'];
  const counts = typeof scaling === 'object' && scaling !== null && !Array.isArray(scaling) ? scaling : {};
  return nodeGroupIn({ [FIELD]: { ...counts, status: atProvider?.['status'] } });
}

/** The kubernetes primitive's part of the claim's status and of `drctl status`. */
export const clusterStatus: StatusView<'XRegionalCluster'> = {
  claimRegion: (composite, region) => {
    const nodes = composite.group(region, 'nodes');
    return nodes ? { [FIELD]: nodes } : {};
  },
  lines: (region, regionStatus) => {
    const n = nodeGroupIn(regionStatus);
    if (n === undefined) return [];
    const since = n.capacitySince ? `, serving capacity since ${n.capacitySince}` : '';
    const text = `EKS nodes [${region}] ${nodeCounts(n)}${since}`;
    return [n.ready === false ? { text: `${text}, not ready`, warn: true } : { text }];
  },
  resourceLine: (ref, atProvider) => {
    const n = isNodeGroup(ref) ? atProviderNodes(atProvider) : undefined;
    return n ? `nodes ${nodeCounts(n)}` : undefined;
  },
};
