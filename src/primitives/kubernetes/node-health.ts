/**
 * The EKS node group's health alert that XDRMonitoring composes for the kubernetes primitive (its watch: watch.ts),
 * fast path: per region with an EKS node group, an EventBridge rule on the default bus that matches Amazon EC2 Auto
 * Scaling's "EC2 Instance Launch Unsuccessful" events of the node group's Auto Scaling group, with the region's alert
 * topic as its target. It notifies; it never starts a failover.
 *
 * Why an event and not an alarm on Auto Scaling's own metrics: the Auto Scaling group metrics (GroupInServiceInstances,
 * …) are published only while metrics collection is enabled on the group, which EKS managed node groups leave off, so
 * an alarm on them would never get data. The event is sent for every failed launch (capacity, quota, a bad launch
 * template), at once, in a pilot-light region's scale-up too.
 *
 * What no launch event shows (instances that launch but never join the cluster: EKS's NodeCreationFailure, the group
 * DEGRADED; a group that stays below its minimum size) is alarmed from what each region's lag monitor observes of the
 * node group (lambda/lag-monitor/nodes.ts): the node-group alarms of watch.ts, on drplane/NodeGroupHealthIssues and
 * drplane/NodeGroupNodesBelowMinimum.
 *
 * Facts: source `aws.autoscaling`, detail-type `EC2 Instance Launch Unsuccessful`, and `detail.AutoScalingGroupName`
 * (Amazon EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference", unsuccessful scaling events).
 * The rule's ARN on the default bus is arn:aws:events:<region>:<account>:rule/<name> (the form EventBridge documents
 * for aws:SourceArn in a target's resource policy). AWS service events on the default bus, their matching and their
 * delivery to targets have no EventBridge charge (EventBridge pricing), so the cost model has no line for the rule;
 * each notification is an SNS publish and email, as for the alarms.
 *
 * The group's name is observed (XRegionalCluster's nodes.autoScalingGroup, passed by the estate, which keeps the last
 * known value): the rule is composed once it is known, and stays.
 */
import { Rule, Target } from '../../../imports/cloudwatchevents.aws.upbound.io.js';
import { arn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { DEFAULT_EVENT_BUS } from '../../compose/event-trigger.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource } from '../../compose/types.js';

/** Component label of the node-health rule (its target selects it by this label). */
export const NODE_HEALTH = 'node-health';

/** Composition keys of a region's node-health rule and target. */
export const nodeHealthKeys = (region: string) => ({
  rule: `${NODE_HEALTH}-${region}`,
  target: `${NODE_HEALTH}-target-${region}`,
});

/** AWS name of a region's node-health rule. */
export const nodeHealthRuleName = (ctx: ComposeContext, region: string): string =>
  ctx.namer.name('schedule', NODE_HEALTH, region);

/** ARN of a region's node-health rule (default bus), for the topic's and the key's policies. */
export const nodeHealthRuleArn = (ctx: ComposeContext, region: string, account: string): string =>
  arn('events', region, account, `rule/${nodeHealthRuleName(ctx, region)}`);

/** The event pattern: failed instance launches of one Auto Scaling group. */
export const nodeHealthPattern = (autoScalingGroup: string) => ({
  source: ['aws.autoscaling'],
  'detail-type': ['EC2 Instance Launch Unsuccessful'],
  detail: { AutoScalingGroupName: [autoScalingGroup] },
});

/** A region's rule and its target (the alert topic, by ARN: the provider's Target has no SNS reference). */
export function nodeHealth(ctx: ComposeContext, region: string, autoScalingGroup: string, topicArn: string): DesiredResource[] {
  const keys = nodeHealthKeys(region);
  return [
    {
      key: keys.rule,
      region,
      manifest: Rule.manifest({
        metadata: ctx.metadata(NODE_HEALTH, region, nodeHealthRuleName(ctx, region)),
        spec: {
          forProvider: {
            region,
            description: `Notifies when the EKS node group in ${region} fails to launch a node (Auto Scaling group ${autoScalingGroup})`,
            eventBusName: DEFAULT_EVENT_BUS,
            eventPattern: JSON.stringify(nodeHealthPattern(autoScalingGroup)),
            tags: ctx.tags(),
          },
        },
      }),
    },
    {
      key: keys.target,
      region,
      manifest: Target.manifest({
        metadata: ctx.metadata(`${NODE_HEALTH}-target`, region),
        spec: {
          forProvider: {
            region,
            eventBusName: DEFAULT_EVENT_BUS,
            ruleSelector: own(ctx, NODE_HEALTH, region),
            arn: topicArn,
            targetId: 'alerts',
          },
        },
      }),
    },
  ];
}
