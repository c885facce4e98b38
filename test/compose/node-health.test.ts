import { describe, expect, it } from 'vitest';
import { liveView } from '../../src/compose/observed.js';
import { compositeOf } from '../../src/compose/plan.js';
import type { ComposeResult, Manifest } from '../../src/compose/types.js';
import {
  ACCOUNT,
  FULL_SPEC,
  TWO_REGION_SPEC,
  byKey,
  claim,
  composeLive,
  externalName,
  fp,
  keysOf,
  nestedOf,
  observedView,
  policyOf,
  spec,
  type Observed,
} from './helpers.js';

const PLATFORM = `arn:aws:iam::${ACCOUNT}:role/platform`;
const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
const asg = (r: string) => `eks-nodes-${r}-0ac1f2b3`;
const topicArn = (r: string) => `arn:aws:sns:${r}:${ACCOUNT}:payments-alerts-prod`;
const withCluster = { ...FULL_SPEC, kubernetes: { platformRoleArn: PLATFORM } };

/** Topics and keys observed in these regions. */
const topics = (...rs: string[]): Record<string, Observed> =>
  Object.fromEntries(
    rs.flatMap((r) => [
      [`alerts-topic-${r}`, { ready: true, arn: topicArn(r) }],
      [`kms-monitoring-${r}`, { ready: true, arn: `arn:aws:kms:${r}:${ACCOUNT}:key/0000-${r}` }],
    ]),
  );

/** The monitoring composite of an estate with a cluster, passed the node groups' Auto Scaling groups of `rs`. */
function monitoring(estate: object, rs: readonly string[]): Manifest {
  const xr = nestedOf(estate, 'XDRMonitoring');
  return { ...xr, spec: { ...spec(xr), nodeGroupAutoScalingGroups: Object.fromEntries(rs.map((r) => [r, asg(r)])) } };
}
const ofKind = (out: ComposeResult, kind: string) => out.resources.map((r) => r.manifest).filter((m) => m.kind === kind);

describe('node-group health alert', () => {
  it('reads the Auto Scaling group of a node group from its observed atProvider.resources', () => {
    const xr = nestedOf(withCluster, 'XRegionalCluster');
    const nodeGroup = (resources: unknown): Manifest => ({
      apiVersion: 'eks.aws.upbound.io/v1beta2',
      kind: 'NodeGroup',
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        atProvider: { scalingConfig: { desiredSize: 2 }, resources },
      },
    });
    const out = composeLive(
      xr,
      liveView({ 'eks-nodes-us-east-1': nodeGroup([{ autoscalingGroups: [{ name: asg('us-east-1') }] }]) }),
    );
    const status = out.status as { regions: Record<string, { nodes?: Record<string, unknown> }> };
    expect(status.regions['us-east-1']!.nodes).toMatchObject({ desiredSize: 2, autoScalingGroup: asg('us-east-1') });
    // Not reported yet (or malformed): no name.
    for (const resources of [undefined, [], [{ autoscalingGroups: [{ name: '' }] }], [{ autoscalingGroups: 'x' }]]) {
      const none = composeLive(xr, liveView({ 'eks-nodes-us-east-1': nodeGroup(resources) }));
      expect((none.status as any).regions['us-east-1'].nodes).not.toHaveProperty('autoScalingGroup');
    }
  });

  it('passes each observed Auto Scaling group to the monitoring composite, and keeps the last known one', () => {
    const estate = compositeOf(claim({ ...TWO_REGION_SPEC, kubernetes: { platformRoleArn: PLATFORM } }));
    const cluster = {
      kubernetes: { status: { regions: { 'us-east-1': { nodes: { ready: true, autoScalingGroup: asg('us-east-1') } } } } },
    };
    const out = composeLive(estate, observedView(cluster));
    expect(spec(byKey(out, 'monitoring')).nodeGroupAutoScalingGroups).toEqual({ 'us-east-1': asg('us-east-1') });
    // The cluster's status lost it: the value passed before stays, so the rule is not dropped.
    const lost = composeLive(
      estate,
      observedView({
        kubernetes: { status: { regions: { 'us-east-1': { nodes: { ready: true } } } } },
        monitoring: { spec: { nodeGroupAutoScalingGroups: { 'us-east-1': asg('us-east-1') } } },
      }),
    );
    expect(spec(byKey(lost, 'monitoring')).nodeGroupAutoScalingGroups).toEqual({ 'us-east-1': asg('us-east-1') });
    // An estate without a cluster passes nothing (its monitoring spec is unchanged).
    const plain = composeLive(compositeOf(claim(TWO_REGION_SPEC)), observedView(cluster));
    expect(spec(byKey(plain, 'monitoring'))).not.toHaveProperty('nodeGroupAutoScalingGroups');
  });

  it('composes per region an EventBridge rule on failed launches of the node group, targeting the alert topic', () => {
    const out = composeLive(monitoring(withCluster, regions), observedView(topics(...regions)));
    for (const r of regions) {
      const rule = byKey(out, `node-health-${r}`);
      expect(rule.kind).toBe('Rule');
      expect(fp(rule)).toMatchObject({ region: r, eventBusName: 'default' });
      expect(JSON.parse(fp(rule).eventPattern)).toEqual({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance Launch Unsuccessful'],
        detail: { AutoScalingGroupName: [asg(r)] },
      });
      const target = byKey(out, `node-health-target-${r}`);
      expect(target.kind).toBe('Target');
      expect(fp(target)).toMatchObject({ region: r, eventBusName: 'default', arn: topicArn(r), targetId: 'alerts' });
      expect(fp(target).ruleSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'node-health',
        'drplane.io/region': r,
      });
    }
    // Only notifications: no Lambda, no failover trigger among what the rule reaches.
    expect(ofKind(out, 'Target').filter((t) => String(fp(t).arn).includes(':lambda:'))).toEqual([]);
  });

  it('lets EventBridge publish to the topic only from the rule, and use the topic key, and keeps the alarms publishing', () => {
    const out = composeLive(monitoring(withCluster, ['us-east-1']), observedView(topics(...regions)));
    const rule = byKey(out, 'node-health-us-east-1');
    const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${externalName(rule)}`;
    const topic = byKey(out, 'alerts-topic-us-east-1');
    const statements = policyOf(topic).Statement;
    expect(statements.find((s) => s.Principal.Service === 'events.amazonaws.com')).toEqual({
      Sid: 'EventBridgeRulesPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: [topicArn('us-east-1')],
      Condition: { ArnEquals: { 'aws:SourceArn': [ruleArn] } },
    });
    // The policy replaces SNS's default one: CloudWatch alarms of this account and region still publish.
    expect(statements.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com')).toMatchObject({
      Action: ['sns:Publish'],
      Resource: [topicArn('us-east-1')],
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:*` } },
    });
    const key = policyOf(byKey(out, 'kms-monitoring-us-east-1')).Statement;
    expect(key.find((s) => s.Principal?.Service === 'events.amazonaws.com')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    // A region whose group is not known yet has no rule and keeps SNS's default topic policy; its key already admits
    // EventBridge (decided by the claim, spec.nodeHealth, so the plan shows the policy the key keeps: e2e claims tier).
    expect(fp(byKey(out, 'alerts-topic-us-west-2'))).not.toHaveProperty('policy');
    const other = policyOf(byKey(out, 'kms-monitoring-us-west-2')).Statement;
    expect(other.some((s) => s.Principal?.Service === 'events.amazonaws.com')).toBe(true);
  });

  it('waits for the Auto Scaling group name and the topic ARN', () => {
    expect(keysOf(composeLive(monitoring(withCluster, []), observedView(topics(...regions))))).not.toContain(
      'node-health-us-east-1',
    );
    const noTopic = composeLive(monitoring(withCluster, regions), liveView({}));
    expect(ofKind(noTopic, 'Rule').filter((m) => externalName(m)?.includes('node-health'))).toEqual([]);
    expect(ofKind(noTopic, 'Target').filter((m) => JSON.stringify(m).includes('node-health'))).toEqual([]);
  });
});
