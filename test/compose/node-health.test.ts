import { describe, expect, it } from 'vitest';
import { LAG_MONITOR_ENV } from '../../lambda/shared/env-contract.js';
import { liveView } from '../../src/compose/observed.js';
import { compositeOf } from '../../src/compose/plan.js';
import { CLUSTER_SCALE_UP, PROVIDER_POLL_WORST_SECONDS } from '../../src/facts/timings.js';
import { BELOW_MINIMUM_PERIODS } from '../../src/primitives/kubernetes/watch.js';
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
  managed,
  nestedOf,
  observedView,
  plan,
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

describe('node-group health alarms (audit-16 M3)', () => {
  /** The plan's managed resources of `estate` of one kind in `region`. */
  const inRegion = (estate: object, kind: string, region: string) =>
    managed(plan(estate), kind).filter((m) => fp(m).region === region);
  /** The AWS names the kubernetes primitive gives a region's cluster and node group, as the plan composes them. */
  const eksNames = (estate: object, region: string) => ({
    cluster: externalName(inRegion(estate, 'Cluster', region).find((m) => m.apiVersion.startsWith('eks.'))!)!,
    nodegroup: externalName(inRegion(estate, 'NodeGroup', region)[0]!)!,
  });
  const alarm = (estate: object, region: string, metric: string) =>
    inRegion(estate, 'MetricAlarm', region).find((m) => fp(m).metricName === metric);

  it('alarms per region on the health issues EKS reports and on nodes below the minimum, with the names the lag monitor publishes', () => {
    const out = composeLive(monitoring(withCluster, []), observedView(topics(...regions)));
    for (const r of regions) {
      const names = eksNames(withCluster, r);
      const dimensions = { Cluster: names.cluster, NodeGroup: names.nodegroup };
      const actions = { actionsEnabled: true, alarmActions: [topicArn(r)], okActions: [topicArn(r)] };
      expect(fp(byKey(out, `alarm-node-group-issues-${r}`))).toEqual({
        region: r,
        alarmDescription: expect.stringContaining('NodeCreationFailure'),
        namespace: 'drplane',
        metricName: 'NodeGroupHealthIssues',
        dimensions,
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: 5,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
        ...actions,
        tags: expect.any(Object),
      });
      expect(fp(byKey(out, `alarm-node-group-below-minimum-${r}`))).toEqual({
        region: r,
        alarmDescription: expect.stringContaining('fewer healthy instances in service than its minimum size for 15 minutes'),
        namespace: 'drplane',
        metricName: 'NodeGroupNodesBelowMinimum',
        dimensions,
        statistic: 'Minimum',
        period: 300,
        evaluationPeriods: 3,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
        ...actions,
        tags: expect.any(Object),
      });
    }
    // The alarms do not wait for the Auto Scaling group: the names are the composition's own.
    expect(keysOf(out)).toContain('alarm-node-group-issues-us-east-1');
  });

  it('gives a scale-up as long as the worst one planned too few whole periods to fire the below-minimum alarm', () => {
    const period = 300;
    // A shortfall lasting CLUSTER_SCALE_UP's worst case covers at most floor(worst / period) whole periods.
    expect(Math.floor(CLUSTER_SCALE_UP.nodes.worstSeconds / period)).toBeLessThan(BELOW_MINIMUM_PERIODS);
    expect(BELOW_MINIMUM_PERIODS * period).toBeLessThanOrEqual(CLUSTER_SCALE_UP.nodes.worstSeconds + period);
  });

  it("sets each region's lag monitor on its node group, with DescribeNodegroup on that group only", () => {
    const out = composeLive(
      monitoring(withCluster, []),
      observedView({
        ...topics(...regions),
        'lag-monitor-role-us-west-2': { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/lag-monitor` },
      }),
    );
    const names = eksNames(withCluster, 'us-west-2');
    const fn = inRegion(withCluster, 'Function', 'us-west-2').find((m) => externalName(m)!.includes('lag-monitor'))!;
    expect(fp(fn).environment.variables).toMatchObject({
      [LAG_MONITOR_ENV.eksCluster]: names.cluster,
      [LAG_MONITOR_ENV.eksNodegroup]: names.nodegroup,
    });
    const bySid = Object.fromEntries(policyOf(byKey(out, 'lag-monitor-policy-us-west-2')).Statement.map((st) => [st.Sid, st]));
    expect(bySid.ReadNodeGroup).toEqual({
      Sid: 'ReadNodeGroup',
      Effect: 'Allow',
      Action: ['eks:DescribeNodegroup'],
      Resource: [`arn:aws:eks:us-west-2:${ACCOUNT}:nodegroup/${names.cluster}/${names.nodegroup}/*`],
    });
    expect(bySid.CountNodes).toEqual({
      Sid: 'CountNodes',
      Effect: 'Allow',
      Action: ['autoscaling:DescribeAutoScalingGroups'],
      Resource: ['*'],
    });
  });

  it('an estate with a cluster and no replicated store still runs a lag monitor in every region, for its node groups', () => {
    const clusterOnly = {
      environment: 'dev',
      profile: 'test',
      regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
      network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
      kubernetes: { platformRoleArn: PLATFORM, standby: 'pilot-light' },
      monitoring: { alertEmails: ['oncall@example.com'], dashboard: false },
    };
    for (const r of ['us-east-1', 'us-west-2']) {
      const fns = inRegion(clusterOnly, 'Function', r).filter((m) => externalName(m)!.includes('lag-monitor'));
      expect(fns).toHaveLength(1);
      expect(JSON.parse(fp(fns[0]!).environment.variables[LAG_MONITOR_ENV.stores])).toEqual([]);
      expect(fp(fns[0]!).environment.variables[LAG_MONITOR_ENV.eksCluster]).toBe(eksNames(clusterOnly, r).cluster);
      // The pilot-light standby gets the same alarm: its minimum is 0, so it never lacks a node (lag-monitor-nodes tests).
      expect(alarm(clusterOnly, r, 'NodeGroupNodesBelowMinimum')).toBeDefined();
      expect(alarm(clusterOnly, r, 'NodeGroupHealthIssues')).toBeDefined();
    }
  });

  it('says in the below-minimum alarm that an automatic failover to a pilot-light or warm standby fires it once (audit L4), within AWS AlarmDescription length', () => {
    const out = composeLive(monitoring(withCluster, []), observedView(topics(...regions)));
    for (const r of regions) {
      const description = fp(byKey(out, `alarm-node-group-below-minimum-${r}`)).alarmDescription as string;
      expect(description).toContain(
        `Expected once during an automatic failover to a pilot-light or warm standby: the pinned provider reverts the orchestrator's scale-up at the node group's next poll (up to ${PROVIDER_POLL_WORST_SECONDS} s)`,
      );
      expect(description).toContain('(or EKS no longer knows the group, which existed: its whole minimum counts as missing)');
    }
    // botocore cloudwatch 2010-08-01 AlarmDescription: max 1024 characters, for every alarm of the estate.
    for (const m of out.resources.map((d) => d.manifest).filter((m) => m.kind === 'MetricAlarm'))
      expect((fp(m).alarmDescription as string).length).toBeLessThanOrEqual(1024);
  });

  it("passes each region's planned node-group minimum, following the observed writer (audit L5)", () => {
    const warm = nestedOf(withCluster, 'XDRMonitoring');
    expect(spec(warm).nodeGroupMinimumSizes).toEqual({ 'us-east-1': 2, 'us-west-2': 1, 'eu-west-1': 1 });
    const pilot = {
      ...withCluster,
      kubernetes: { platformRoleArn: PLATFORM, standby: 'pilot-light', nodeGroup: { minSize: 3 } },
    };
    expect(spec(nestedOf(pilot, 'XDRMonitoring')).nodeGroupMinimumSizes).toEqual({
      'us-east-1': 3,
      'us-west-2': 0,
      'eu-west-1': 0,
    });
    // The writer observed in us-west-2 (an automatic failover): both regions serve, as XRegionalCluster sizes them.
    const estate = compositeOf(claim(pilot));
    const out = composeLive(estate, observedView({ database: { status: { writerRegion: 'us-west-2' } } }));
    expect(spec(byKey(out, 'monitoring')).nodeGroupMinimumSizes).toEqual({ 'us-east-1': 3, 'us-west-2': 3, 'eu-west-1': 0 });
    expect(spec(byKey(out, 'kubernetes')).databaseWriterRegion).toBe('us-west-2');
    // Without a cluster nothing is passed.
    expect(spec(nestedOf(FULL_SPEC, 'XDRMonitoring'))).not.toHaveProperty('nodeGroupMinimumSizes');
  });

  it('tells a region’s lag monitor the planned minimum only once its node group has existed (its Auto Scaling group known)', () => {
    // Each region's monitor function exists (so it is composed without waiting for its code object).
    const views = observedView({
      ...topics(...regions),
      ...Object.fromEntries(regions.map((r) => [`lag-monitor-function-${r}`, { ready: true }])),
    });
    const variables = (out: ComposeResult, r: string) =>
      fp(byKey(out, `lag-monitor-function-${r}`)).environment.variables as Record<string, string>;
    const out = composeLive(monitoring(withCluster, ['us-west-2']), views);
    expect(variables(out, 'us-west-2')[LAG_MONITOR_ENV.eksNodegroupMinimum]).toBe('1');
    // Not seen yet: a group EKS does not know there is one not created yet, and publishes nothing.
    expect(variables(out, 'us-east-1')).not.toHaveProperty(LAG_MONITOR_ENV.eksNodegroupMinimum);
    expect(variables(out, 'eu-west-1')).not.toHaveProperty(LAG_MONITOR_ENV.eksNodegroupMinimum);
    const all = composeLive(monitoring(withCluster, regions), views);
    expect(variables(all, 'us-east-1')[LAG_MONITOR_ENV.eksNodegroupMinimum]).toBe('2');
    expect(variables(all, 'eu-west-1')[LAG_MONITOR_ENV.eksNodegroupMinimum]).toBe('1');
  });

  it('without a cluster: no node-group alarm, no EKS variable and no EKS permission', () => {
    const resources = managed(plan(FULL_SPEC));
    expect(resources.filter((m) => m.kind === 'MetricAlarm' && String(fp(m).metricName).startsWith('NodeGroup'))).toEqual([]);
    for (const fn of resources.filter((m) => m.kind === 'Function' && externalName(m)!.includes('lag-monitor'))) {
      expect(Object.keys(fp(fn).environment.variables)).not.toContain(LAG_MONITOR_ENV.eksCluster);
      expect(Object.keys(fp(fn).environment.variables)).not.toContain(LAG_MONITOR_ENV.eksNodegroup);
    }
    const out = composeLive(
      nestedOf(FULL_SPEC, 'XDRMonitoring'),
      observedView({
        ...topics('us-east-1'),
        'lag-monitor-role-us-east-1': { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/lag-monitor` },
      }),
    );
    const sids = policyOf(byKey(out, 'lag-monitor-policy-us-east-1')).Statement.map((st) => st.Sid);
    expect(sids).not.toContain('ReadNodeGroup');
    expect(sids).not.toContain('CountNodes');
  });
});
