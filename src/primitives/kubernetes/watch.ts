/**
 * What XDRMonitoring composes for the kubernetes primitive (its `watch`, src/primitives/types.ts Watch): with a cluster
 * (spec.kubernetes with a network: XDRMonitoring's spec.nodeHealth), each region's lag monitor observes the region's
 * managed node group (lambda/lag-monitor/nodes.ts) and publishes its health issues and the nodes it lacks below its
 * minimum size, which two alarms per region watch; and once the node group's Auto Scaling group is known, an
 * EventBridge rule on its failed launches notifies the region's alert topic (node-health.ts), whose key and policy
 * admit EventBridge.
 */
import { LAG_MONITOR_ENV } from '../../../lambda/shared/env-contract.js';
import { DRPLANE_METRICS, nodeGroupDimensions } from '../../../lambda/shared/metrics-contract.js';
import { arn } from '../../compose/arn.js';
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { ComposeContext } from '../../compose/context.js';
import type { Statement } from '../../compose/iam.js';
import { CLUSTER_SCALE_UP, PROVIDER_POLL_WORST_SECONDS } from '../../facts/timings.js';
import { EVERY_RUN_ABOVE_ZERO, type AlarmDef } from '../monitoring/alarm-def.js';
import type { Watch } from '../types.js';
import { clusterName, nodeGroupName } from './compose.js';
import { nodeHealth, nodeHealthRuleArn } from './node-health.js';
import { floorOf, servingRegions } from './scaling.js';

/** Composition keys of a region's node-group alarms. */
export const nodeGroupAlarmKeys = (region: string) => ({
  issues: `alarm-node-group-issues-${region}`,
  belowMinimum: `alarm-node-group-below-minimum-${region}`,
});

/** Minutes a node group's health issues last before their alarm fires (five 1-minute periods: nodeGroupAlarms). */
export const NODE_GROUP_ISSUE_MINUTES = 5;

/** Length of a period of the below-minimum alarm (nodeGroupAlarms). */
const BELOW_MINIMUM_PERIOD_SECONDS = 300;

/**
 * Periods of the below-minimum alarm: one more than the whole periods the worst scale-up drplane plans for
 * (CLUSTER_SCALE_UP.nodes.worstSeconds, 600 s: 3) can cover. A period counts only when every run in it saw the group
 * short (Minimum), so a scale-up of at most that long (a failover's, a fail-back's, a new node group's) spans too few
 * whole periods to fire it, while a group short for 15 minutes does.
 */
export const BELOW_MINIMUM_PERIODS = Math.floor(CLUSTER_SCALE_UP.nodes.worstSeconds / BELOW_MINIMUM_PERIOD_SECONDS) + 1;

/**
 * What the below-minimum alarm's description says of an automatic failover (audit L4): the orchestrator raises a
 * pilot-light or warm standby's node group at once, but until the rds provider observes the writer there the region
 * is not serving for the composition, and the pinned provider puts the group back to its standby size at the node
 * group's next poll (up to PROVIDER_POLL_WORST_SECONDS; kubernetes/scaling.ts says why); the composition raises it
 * again once the writer is observed, so the group can be short for longer than BELOW_MINIMUM_PERIODS periods. That
 * alarm is expected then, once; the objectives model counts the same wait (CLUSTER_SCALE_UP.writerObserved).
 */
export const AUTOMATIC_FAILOVER_NOTE = `Expected once during an automatic failover to a pilot-light or warm standby: the pinned provider reverts the orchestrator's scale-up at the node group's next poll (up to ${PROVIDER_POLL_WORST_SECONDS} s) and the composition raises it again once the writer is observed there, so the group can look short for longer`;

/**
 * A region's EKS node group (spec.kubernetes), from what its lag monitor publishes each minute
 * (lambda/lag-monitor/nodes.ts, dimensions Cluster and NodeGroup):
 *
 * - Health issues (drplane/NodeGroupHealthIssues > 0, Minimum over five 1-minute periods: every run for 5 minutes saw
 *   an issue). EKS raises an issue only after its own checks (NodeCreationFailure once launched instances have failed
 *   to register), so little is added: five minutes pass over issues EKS raises and clears within a run or two
 *   (AutoScalingGroupRateLimitExceeded, IamThrottling, a ClusterUnreachable network blip).
 * - Nodes below the minimum (drplane/NodeGroupNodesBelowMinimum > 0, Minimum over BELOW_MINIMUM_PERIODS 5-minute
 *   periods: 15 minutes): fewer healthy instances in service than EKS's current minSize, for longer than a planned
 *   scale-up. The minimum is the one EKS holds now, which the composition moves with the region's role: a pilot-light
 *   standby's is 0, so it never fires there while the region stands by, and a warm standby's is 1; an automatic
 *   failover can fire it once (AUTOMATIC_FAILOVER_NOTE). A group EKS no longer knows after it existed counts its whole
 *   planned minimum as missing (LAG_MONITOR_ENV.eksNodegroupMinimum, lambda/lag-monitor/nodes.ts), so a deleted group
 *   fires it too (unless it is a pilot-light standby's, planned at 0).
 *
 * Missing data is `missing` for both, as for the readiness alarm (monitoring/alarms.ts): no datapoint is no
 * observation (the monitor did not run or could not describe the group: its Errors alarm says so; the node group does
 * not exist yet), which says nothing about the nodes. `breaching` would fire on every new estate until its node groups exist; `notBreaching` would clear
 * an alarm while nothing is observed. The EventBridge rule on failed launches (node-health.ts) stays the fast path for
 * those; these alarms add what no launch event shows: instances that run but never become nodes, and a group short of
 * its minimum.
 */
function nodeGroupAlarms(ctx: ComposeContext, region: string): AlarmDef[] {
  const keys = nodeGroupAlarmKeys(region);
  const group = nodeGroupName(ctx, region);
  const target = {
    region,
    namespace: DRPLANE_METRICS.namespace,
    dimensions: { ...nodeGroupDimensions(clusterName(ctx, region), group) },
    ...EVERY_RUN_ABOVE_ZERO,
  };
  return [
    {
      ...target,
      key: keys.issues,
      logical: 'node-group-issues',
      description: `The EKS node group ${group} in ${region} has had health issues for ${NODE_GROUP_ISSUE_MINUTES} minutes (EKS DescribeNodegroup health.issues, e.g. NodeCreationFailure: instances that launched but did not join the cluster); the codes are in the region's lag monitor log`,
      metricName: DRPLANE_METRICS.nodeGroupHealthIssues,
      period: 60,
      evaluationPeriods: NODE_GROUP_ISSUE_MINUTES,
    },
    {
      ...target,
      key: keys.belowMinimum,
      logical: 'node-group-below-minimum',
      description: `The EKS node group ${group} in ${region} has had fewer healthy instances in service than its minimum size for ${(BELOW_MINIMUM_PERIODS * BELOW_MINIMUM_PERIOD_SECONDS) / 60} minutes, longer than a planned scale-up (or EKS no longer knows the group, which existed: its whole minimum counts as missing). ${AUTOMATIC_FAILOVER_NOTE}`,
      metricName: DRPLANE_METRICS.nodeGroupNodesBelowMinimum,
      period: BELOW_MINIMUM_PERIOD_SECONDS,
      evaluationPeriods: BELOW_MINIMUM_PERIODS,
    },
  ];
}

/**
 * The monitor role's reads of the region's node group (lambda/lag-monitor/nodes.ts). cfn-lint's IAM data
 * (Policies.json): eks:DescribeNodegroup acts on the `nodegroup` resource, arn:${Partition}:eks:${Region}:${Account}:nodegroup/.*,
 * which EKS ends with the group's id (nodegroup/<cluster>/<node group>/<uuid>, unknown before it exists);
 * autoscaling:DescribeAutoScalingGroups names no resource type there (no resource-level permissions): "*".
 */
function nodeGroupStatements(ctx: ComposeContext, region: string, account: string): Statement[] {
  return [
    {
      Sid: 'ReadNodeGroup',
      Effect: 'Allow',
      Action: ['eks:DescribeNodegroup'],
      Resource: [arn('eks', region, account, `nodegroup/${clusterName(ctx, region)}/${nodeGroupName(ctx, region)}/*`)],
    },
    {
      Sid: 'CountNodes',
      Effect: 'Allow',
      Action: ['autoscaling:DescribeAutoScalingGroups'],
      Resource: ['*'],
    },
  ];
}

/**
 * Each region's node-group minimum as XRegionalCluster composes it for the same claim and writer (scaling.ts floorOf
 * over servingRegions, which the cluster's nested spec gets as databaseWriterRegion only with a database), for the lag
 * monitor's vanished-group report (LAG_MONITOR_ENV.eksNodegroupMinimum).
 */
function plannedMinimums(
  ctx: ComposeContext,
  k: NonNullable<DisasterRecoverySpec['kubernetes']>,
  writerRegion: string | undefined,
): Record<string, number> {
  const serving = servingRegions(ctx, writerRegion);
  return Object.fromEntries(ctx.regions.map((r) => [r, floorOf(serving, k, r)]));
}

/** Series a monitor with a node group publishes for it (DRPLANE_METRICS nodeGroupHealthIssues, nodeGroupNodesBelowMinimum). */
const NODE_GROUP_SERIES = 2;

/** The kubernetes primitive's watch. */
export const clusterWatch: Watch = {
  // With a cluster (kubernetes.needs-network: only with a network), its node groups' Auto Scaling groups.
  monitoringSpec: (claim, x, ctx) => ({
    nodeHealth: claim.kubernetes !== undefined && claim.network !== undefined,
    ...(claim.kubernetes && claim.network
      ? {
          nodeGroupAutoScalingGroups: x.nodeGroupAutoScalingGroups,
          nodeGroupMinimumSizes: plannedMinimums(ctx, claim.kubernetes, claim.database ? x.writerRegion : undefined),
        }
      : {}),
  }),
  watched: (spec) => spec.nodeHealth,
  alarms: nodeGroupAlarms,
  eventRules: {
    // A rule per region whose node group's Auto Scaling group is known.
    resources: (ctx, spec, region, topicArn) => {
      const group = spec.nodeGroupAutoScalingGroups[region];
      return group === undefined ? [] : nodeHealth(ctx, region, group, topicArn);
    },
    arns: (ctx, spec, region, account) =>
      spec.nodeGroupAutoScalingGroups[region] === undefined ? [] : [nodeHealthRuleArn(ctx, region, account)],
  },
  lagMonitor: {
    environment: (ctx, spec, region) => {
      const minimum = spec.nodeGroupMinimumSizes[region];
      return {
        [LAG_MONITOR_ENV.eksCluster]: clusterName(ctx, region),
        [LAG_MONITOR_ENV.eksNodegroup]: nodeGroupName(ctx, region),
        // Once the group existed (its Auto Scaling group observed): a group EKS then no longer knows is short of this.
        ...(spec.nodeGroupAutoScalingGroups[region] !== undefined && minimum !== undefined
          ? { [LAG_MONITOR_ENV.eksNodegroupMinimum]: String(minimum) }
          : {}),
      };
    },
    statements: nodeGroupStatements,
    // The EKS and Auto Scaling Describe calls it makes for them have no charge (neither service prices its API calls).
    series: (env) =>
      env[LAG_MONITOR_ENV.eksCluster] === undefined
        ? undefined
        : {
            count: NODE_GROUP_SERIES,
            what: `EKS node group health (${NODE_GROUP_SERIES} series: health issues, nodes below the minimum)`,
          },
  },
};
