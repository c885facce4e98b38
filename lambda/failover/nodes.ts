/**
 * scale-nodes: the target region's EKS managed node group is raised to the serving size before the database moves,
 * so its nodes boot while the writer moves (a pilot-light region has none, a warm one one).
 *
 * Only the desired size is changed. The composition owns the bounds (minSize, maxSize) and gives the desired size in
 * spec.initProvider (src/primitives/kubernetes/scaling.ts). The provider the project pins (provider-upjet-aws v2.6.0)
 * re-applies that value on every update of the node group (an upjet defect fixed after that release, scaling.ts has
 * the evidence), so this scale-up is a head start: it holds until the node group's next provider poll. Once Crossplane
 * observes the writer in the target region (this run's promote-database), the composition gives that region the
 * serving size itself (it serves), and the region left keeps its nodes until git or a fail-back agrees (its scale-down
 * then waits for the serving region's nodes to be Ready). With git's failover (drctl failover, activeRegion) the
 * composition raises the target at the same time as this step.
 *
 * The run does not wait for the nodes before switching DNS: the records route to the regional service (API Gateway
 * and Lambda), which does not run on the nodes, so holding the switch for the node start-up (4 to 10 minutes planned,
 * src/facts/timings.ts CLUSTER_SCALE_UP) would keep clients on the lost region for nothing. Node readiness is watched
 * by Crossplane (the claim's status.regions.<region>.clusterNodes, drctl drill's `nodes` step) and the node-group alarm.
 */
import { DescribeNodegroupCommand, UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import type { NodeGroupTarget } from '../shared/env-contract.js';
import type { FailoverClients } from './clients.js';

/** What scale-nodes did in one region. */
export interface NodeScaleResult {
  /** True when UpdateNodegroupConfig was called. */
  readonly changed: boolean;
  readonly detail: string;
}

/**
 * Raises `group`'s desired size to its serving size when it is below (never lowers it: an autoscaler or a person may
 * have scaled it further). EKS refuses a desired size above maxSize (botocore eks: UpdateNodegroupConfig,
 * InvalidParameterException), so a group whose maxSize is below the serving size is raised to its maxSize and says so.
 */
export async function scaleNodeGroup(eks: ReturnType<FailoverClients['eks']>, group: NodeGroupTarget): Promise<NodeScaleResult> {
  const name = `${group.cluster}/${group.nodegroup}`;
  const seen = await eks.send(new DescribeNodegroupCommand({ clusterName: group.cluster, nodegroupName: group.nodegroup }));
  const scaling = seen.nodegroup?.scalingConfig;
  const desired = scaling?.desiredSize ?? 0;
  if (desired >= group.size) {
    return { changed: false, detail: `node group ${name} already runs ${desired} node(s) (serving size ${group.size})` };
  }
  const max = scaling?.maxSize;
  const to = max === undefined ? group.size : Math.min(group.size, max);
  if (to <= desired) {
    return { changed: false, detail: `node group ${name} runs ${desired} node(s), its maxSize ${max}: nothing to raise` };
  }
  const out = await eks.send(
    new UpdateNodegroupConfigCommand({
      clusterName: group.cluster,
      nodegroupName: group.nodegroup,
      scalingConfig: { desiredSize: to },
    }),
  );
  const capped = to < group.size ? ` (capped at its maxSize ${max}; serving size ${group.size})` : '';
  return {
    changed: true,
    detail:
      `node group ${name}: desired ${desired} → ${to}${capped}, update ${out.update?.id ?? 'unknown'} ${out.update?.status ?? ''}`.trim(),
  };
}
