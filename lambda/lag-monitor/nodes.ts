/**
 * The lag monitor's view of its region's EKS managed node group (spec.kubernetes): what EKS reports as wrong with it,
 * and how many nodes it lacks below its minimum size. The monitoring composite alarms on both (the node-group alarms in
 * src/primitives/kubernetes/watch.ts); the EventBridge rule on failed launches stays the fast path for those.
 *
 * - Health issues: EKS DescribeNodegroup `nodegroup.health.issues` (botocore eks 2017-11-01 NodegroupHealth, Issue:
 *   `code`, `message`, `resourceIds`). Instances that launch but never register with the cluster are reported there as
 *   NodeCreationFailure (and the group as DEGRADED): the failure of a private cluster without an endpoint it needs, a
 *   CNI without credentials or a wrong AMI, which no launch event shows.
 * - Nodes below the minimum: `nodegroup.scalingConfig.minSize` (EKS's current bound, which the composition moves with
 *   the region's role, so a pilot-light standby's is 0) less the instances of the group's Auto Scaling groups
 *   (`nodegroup.resources.autoScalingGroups[].name`) that Auto Scaling DescribeAutoScalingGroups reports with
 *   `LifecycleState` InService and `HealthStatus` Healthy (botocore autoscaling 2011-01-01 Instance), at least 0.
 *   An instance in service has launched; whether it joined the cluster is what the health issues say.
 *
 * A group EKS does not know (ResourceNotFoundException) fails nothing. Before the composition has seen it exist
 * (DRPLANE_EKS_NODEGROUP_MINIMUM unset) it is one not created yet and publishes nothing; once it has (the variable set,
 * to the minimum size the composition plans for it now), it has vanished (deleted, or its cluster was) and its whole
 * planned minimum is published as missing, so the below-minimum alarm fires instead of going to INSUFFICIENT_DATA with
 * no one told; a pilot-light standby's planned minimum is 0 and stays quiet. Any other failed call is a failure of the run (its Errors alarm), so a refused permission is not mistaken
 * for a healthy group; what was read before the failure is still published.
 */
import { DescribeAutoScalingGroupsCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DescribeNodegroupCommand, type EKSClient } from '@aws-sdk/client-eks';
import type { CallBudget } from '../shared/limits.js';
import { describeError } from '../shared/logger.js';

/** The node group a monitor observes (DRPLANE_EKS_CLUSTER, DRPLANE_EKS_NODEGROUP, DRPLANE_EKS_NODEGROUP_MINIMUM). */
export interface NodeGroupRef {
  readonly cluster: string;
  readonly nodegroup: string;
  /**
   * The group's minimum size as the composition plans it, given once the group has existed: when EKS no longer knows
   * the group, it is what the group lacks. Undefined: a group EKS does not know is one not created yet.
   */
  readonly minimum?: number;
}

/** What one run saw of the node group; also in the run's summary. */
export interface NodeGroupResult extends NodeGroupRef {
  /** EKS's status of the group (ACTIVE, DEGRADED, …), when described. */
  readonly status?: string;
  /** The codes of the group's health issues ([] when none), when described. */
  readonly issues?: readonly string[];
  /** EKS's current minimum size of the group. */
  readonly minSize?: number;
  /** Instances of the group's Auto Scaling groups that are InService and Healthy. */
  readonly inService?: number;
  /**
   * minSize less inService, at least 0; for a group EKS no longer knows, the planned minimum (ref.minimum). Published
   * as NodeGroupNodesBelowMinimum.
   */
  readonly belowMinimum?: number;
  /** Why nothing, or only the planned minimum, was observed (the group does not exist); not a failure. */
  readonly reason?: string;
  /** The call that failed; the run then fails. */
  readonly error?: string;
}

/** The Auto Scaling group names EKS reports for a node group (1-255 characters: botocore XmlStringMaxLen255). */
function groupNames(resources: { autoScalingGroups?: { name?: string }[] } | undefined): string[] {
  return (resources?.autoScalingGroups ?? [])
    .map((g) => g.name)
    .filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 255);
}

/** Instances InService and Healthy in the named Auto Scaling groups, every page read. */
async function inServiceInstances(autoscaling: AutoScalingClient, names: readonly string[], budget: CallBudget): Promise<number> {
  let count = 0;
  let NextToken: string | undefined;
  do {
    const out = await autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names], IncludeInstances: true, NextToken }),
      budget.call(),
    );
    for (const group of out.AutoScalingGroups ?? []) {
      if (!names.includes(group.AutoScalingGroupName ?? '')) continue;
      count += (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy').length;
    }
    NextToken = out.NextToken;
  } while (NextToken !== undefined && NextToken !== '');
  return count;
}

/** Observes the node group: its health issues, minimum size and instances in service. Never throws. */
export async function observeNodeGroup(
  eks: EKSClient,
  autoscaling: AutoScalingClient,
  ref: NodeGroupRef,
  budget: CallBudget,
): Promise<NodeGroupResult> {
  let nodegroup;
  try {
    nodegroup = (
      await eks.send(new DescribeNodegroupCommand({ clusterName: ref.cluster, nodegroupName: ref.nodegroup }), budget.call())
    ).nodegroup;
  } catch (err) {
    const name = describeError(err).name;
    if (name === 'ResourceNotFoundException')
      return ref.minimum === undefined
        ? { ...ref, reason: 'EKS does not know the node group (not created yet, or deleted)' }
        : {
            ...ref,
            reason: 'EKS no longer knows the node group, which existed: all of its planned minimum is missing',
            belowMinimum: ref.minimum,
          };
    return { ...ref, error: `DescribeNodegroup: ${name}` };
  }
  if (nodegroup === undefined) return { ...ref, error: 'DescribeNodegroup: no nodegroup in the answer' };
  const issues = (nodegroup.health?.issues ?? []).map((i) => i.code ?? 'Unknown');
  const minSize = nodegroup.scalingConfig?.minSize;
  const seen: NodeGroupResult = {
    ...ref,
    ...(nodegroup.status === undefined ? {} : { status: nodegroup.status }),
    issues,
    ...(minSize === undefined ? {} : { minSize }),
  };
  const names = groupNames(nodegroup.resources);
  let inService = 0;
  if (names.length > 0) {
    try {
      inService = await inServiceInstances(autoscaling, names, budget);
    } catch (err) {
      return { ...seen, error: `DescribeAutoScalingGroups: ${describeError(err).name}` };
    }
  }
  return {
    ...seen,
    inService,
    ...(minSize === undefined ? {} : { belowMinimum: Math.max(0, minSize - inService) }),
  };
}
