/**
 * The lag monitor's view of its region's EKS node group (lambda/lag-monitor/nodes.ts, audit-16 M3): what it reads and
 * the two metrics the node-group alarms watch. Against moto's EKS, Auto Scaling and CloudWatch (moto reports no health
 * issue and creates no Auto Scaling group for a node group, so the group's is created here under the name EKS reports),
 * and, for what moto cannot show (issues, refused calls), with stand-in clients.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  SetInstanceHealthCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteNodegroupCommand,
  DescribeNodegroupCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLagMonitorConfig } from '../../lambda/lag-monitor/config.js';
import { createLagMonitorHandler } from '../../lambda/lag-monitor/index.js';
import { observeNodeGroup } from '../../lambda/lag-monitor/nodes.js';
import { ConfigError } from '../../lambda/shared/env.js';
import { callBudget } from '../../lambda/shared/limits.js';
import { DRPLANE_METRICS, nodeGroupDimensions } from '../../lambda/shared/metrics-contract.js';
import { MOTO_ACCOUNT, useMoto } from './support/aws.js';
import { lambdaContext } from './support/lambda.js';
import { drplaneMetricAt } from './support/metrics.js';
import { startMoto, type MotoServer } from './support/moto.js';

const REGION = 'us-east-1';
const STATE_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b7a2c2e-4a53-4c0e-9a57-0d7c3b5e2a10';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:drplane-alerts';

/** A monitor's environment with a node group and no replicated store (an estate with a cluster and no table). */
const env = (prefix: string, cluster: string, nodegroup: string): Record<string, string> => ({
  AWS_REGION: REGION,
  DRPLANE_PRIMARY_REGION: REGION,
  DRPLANE_STORES: '[]',
  DRPLANE_TOPIC_ARN: TOPIC_ARN,
  DRPLANE_LAG_THRESHOLD_SECONDS: '5',
  DRPLANE_STATE_PARAMETER_PREFIX: prefix,
  DRPLANE_STATE_KEY_ARN: STATE_KEY_ARN,
  DRPLANE_ESTATE: 'e1ab2c3d',
  DRPLANE_EKS_CLUSTER: cluster,
  DRPLANE_EKS_NODEGROUP: nodegroup,
});

const budget = () =>
  callBudget({ connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 1, callTimeoutMs: 3000 }, Date.now() + 30_000);

describe('lag monitor node group: configuration', () => {
  it('reads the cluster and node group, both or neither, naming the variable that is wrong', () => {
    expect(loadLagMonitorConfig(env('/drplane/c/lag-state', 'eks-use1', 'nodes-use1')).nodeGroup).toEqual({
      cluster: 'eks-use1',
      nodegroup: 'nodes-use1',
    });
    const { DRPLANE_EKS_CLUSTER: _c, DRPLANE_EKS_NODEGROUP: _n, ...none } = env('/drplane/c/lag-state', 'x', 'y');
    expect(loadLagMonitorConfig(none).nodeGroup).toBeUndefined();
    const { DRPLANE_EKS_NODEGROUP: _, ...clusterOnly } = env('/drplane/c/lag-state', 'eks-use1', 'y');
    expect(() => loadLagMonitorConfig(clusterOnly)).toThrow(ConfigError);
    expect(() => loadLagMonitorConfig(clusterOnly)).toThrow(/DRPLANE_EKS_NODEGROUP: is unset while DRPLANE_EKS_CLUSTER is set/);
    expect(() => loadLagMonitorConfig(env('/drplane/c/lag-state', 'eks use1', 'nodes'))).toThrow(
      /DRPLANE_EKS_CLUSTER.*"eks use1".*EKS cluster name/,
    );
    expect(() => loadLagMonitorConfig(env('/drplane/c/lag-state', 'eks', '-nodes'))).toThrow(/DRPLANE_EKS_NODEGROUP.*"-nodes"/);
  });
});

/** Stand-in EKS and Auto Scaling clients that answer with `nodegroup` and `groups`, or throw the named error. */
function standIns(answers: { nodegroup?: unknown; eksError?: string; groups?: unknown[]; asgError?: string }) {
  const failure = (name: string) => Object.assign(new Error(name), { name });
  const calls: string[] = [];
  const eks = {
    send: async (command: unknown) => {
      calls.push(command instanceof DescribeNodegroupCommand ? 'DescribeNodegroup' : 'other');
      if (answers.eksError !== undefined) throw failure(answers.eksError);
      return { nodegroup: answers.nodegroup };
    },
  } as unknown as EKSClient;
  const autoscaling = {
    send: async (command: unknown) => {
      calls.push(command instanceof DescribeAutoScalingGroupsCommand ? 'DescribeAutoScalingGroups' : 'other');
      if (answers.asgError !== undefined) throw failure(answers.asgError);
      return { AutoScalingGroups: answers.groups ?? [] };
    },
  } as unknown as AutoScalingClient;
  return { eks, autoscaling, calls };
}

const instance = (LifecycleState: string, HealthStatus: string) => ({ InstanceId: 'i-0', LifecycleState, HealthStatus });
const REF = { cluster: 'eks-use1', nodegroup: 'nodes-use1' };

describe('lag monitor node group: what it reads [stand-in clients]', () => {
  it('counts the health issues EKS reports, and only InService and Healthy instances of the group’s Auto Scaling groups', async () => {
    const { eks, autoscaling, calls } = standIns({
      nodegroup: {
        status: 'DEGRADED',
        scalingConfig: { minSize: 3, maxSize: 6, desiredSize: 3 },
        resources: { autoScalingGroups: [{ name: 'eks-nodes-1' }] },
        health: {
          issues: [
            { code: 'NodeCreationFailure', message: 'Instances failed to join the kubernetes cluster', resourceIds: ['i-1'] },
            { code: 'AccessDenied', message: 'x' },
          ],
        },
      },
      groups: [
        {
          AutoScalingGroupName: 'eks-nodes-1',
          Instances: [
            instance('InService', 'Healthy'),
            instance('InService', 'Unhealthy'),
            instance('Pending', 'Healthy'),
            instance('Terminating', 'Healthy'),
          ],
        },
        // A group EKS does not name for this node group is not counted.
        { AutoScalingGroupName: 'someone-else', Instances: [instance('InService', 'Healthy')] },
      ],
    });
    expect(await observeNodeGroup(eks, autoscaling, REF, budget())).toEqual({
      ...REF,
      status: 'DEGRADED',
      issues: ['NodeCreationFailure', 'AccessDenied'],
      minSize: 3,
      inService: 1,
      belowMinimum: 2,
    });
    expect(calls).toEqual(['DescribeNodegroup', 'DescribeAutoScalingGroups']);
  });

  it('a pilot-light standby (minimum 0, no Auto Scaling group reported) lacks nothing; a group with more nodes than its minimum lacks nothing', async () => {
    const pilot = standIns({ nodegroup: { status: 'ACTIVE', scalingConfig: { minSize: 0, maxSize: 6, desiredSize: 0 } } });
    expect(await observeNodeGroup(pilot.eks, pilot.autoscaling, REF, budget())).toEqual({
      ...REF,
      status: 'ACTIVE',
      issues: [],
      minSize: 0,
      inService: 0,
      belowMinimum: 0,
    });
    expect(pilot.calls).toEqual(['DescribeNodegroup']);
    const more = standIns({
      nodegroup: { scalingConfig: { minSize: 1 }, resources: { autoScalingGroups: [{ name: 'g' }] } },
      groups: [{ AutoScalingGroupName: 'g', Instances: [instance('InService', 'Healthy'), instance('InService', 'Healthy')] }],
    });
    expect(await observeNodeGroup(more.eks, more.autoscaling, REF, budget())).toMatchObject({ inService: 2, belowMinimum: 0 });
  });

  it('a node group EKS does not know is no failure; any other refused call is, keeping what was read', async () => {
    const missing = standIns({ eksError: 'ResourceNotFoundException' });
    expect(await observeNodeGroup(missing.eks, missing.autoscaling, REF, budget())).toEqual({
      ...REF,
      reason: expect.stringContaining('does not know the node group'),
    });
    const denied = standIns({ eksError: 'AccessDeniedException' });
    expect(await observeNodeGroup(denied.eks, denied.autoscaling, REF, budget())).toEqual({
      ...REF,
      error: 'DescribeNodegroup: AccessDeniedException',
    });
    const asgDenied = standIns({
      nodegroup: { scalingConfig: { minSize: 2 }, resources: { autoScalingGroups: [{ name: 'g' }] }, health: { issues: [] } },
      asgError: 'AccessDenied',
    });
    expect(await observeNodeGroup(asgDenied.eks, asgDenied.autoscaling, REF, budget())).toEqual({
      ...REF,
      issues: [],
      minSize: 2,
      error: 'DescribeAutoScalingGroups: AccessDenied',
    });
  });
});

describe('lag monitor node group: the planned minimum (audit L5)', () => {
  it('reads DRPLANE_EKS_NODEGROUP_MINIMUM with the node group only, an integer 0-5000, naming the variable', () => {
    const base = env('/drplane/c/lag-state', 'eks-use1', 'nodes-use1');
    expect(loadLagMonitorConfig({ ...base, DRPLANE_EKS_NODEGROUP_MINIMUM: '2' }).nodeGroup).toEqual({
      cluster: 'eks-use1',
      nodegroup: 'nodes-use1',
      minimum: 2,
    });
    expect(loadLagMonitorConfig({ ...base, DRPLANE_EKS_NODEGROUP_MINIMUM: '0' }).nodeGroup?.minimum).toBe(0);
    for (const bad of ['-1', '1.5', 'two', '5001', '2e0'])
      expect(() => loadLagMonitorConfig({ ...base, DRPLANE_EKS_NODEGROUP_MINIMUM: bad })).toThrow(
        /DRPLANE_EKS_NODEGROUP_MINIMUM: .*an integer from 0 to 5000/,
      );
    const { DRPLANE_EKS_CLUSTER: _c, DRPLANE_EKS_NODEGROUP: _n, ...none } = base;
    expect(() => loadLagMonitorConfig({ ...none, DRPLANE_EKS_NODEGROUP_MINIMUM: '2' })).toThrow(
      /DRPLANE_EKS_NODEGROUP_MINIMUM: is set without DRPLANE_EKS_CLUSTER and DRPLANE_EKS_NODEGROUP/,
    );
  });

  it('a group EKS no longer knows, told its minimum, lacks all of it; without the minimum it lacks nothing known', async () => {
    const told = standIns({ eksError: 'ResourceNotFoundException' });
    expect(await observeNodeGroup(told.eks, told.autoscaling, { ...REF, minimum: 3 }, budget())).toEqual({
      ...REF,
      minimum: 3,
      reason: expect.stringContaining('no longer knows the node group'),
      belowMinimum: 3,
    });
    expect(told.calls).toEqual(['DescribeNodegroup']);
    const untold = standIns({ eksError: 'ResourceNotFoundException' });
    expect(await observeNodeGroup(untold.eks, untold.autoscaling, REF, budget())).not.toHaveProperty('belowMinimum');
    // The minimum says nothing about a group EKS describes: EKS's own minSize counts.
    const seen = standIns({ nodegroup: { scalingConfig: { minSize: 1 }, health: { issues: [] } } });
    expect(await observeNodeGroup(seen.eks, seen.autoscaling, { ...REF, minimum: 3 }, budget())).toMatchObject({
      minSize: 1,
      belowMinimum: 1,
    });
  });
});

describe('lag monitor node group: metrics [moto EKS, Auto Scaling, CloudWatch, SSM]', { timeout: 60_000 }, () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
    useMoto(moto.endpoint);
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });

  /** A clock near real time (moto's CloudWatch keeps recent datapoints), one second per test apart. */
  let tick = 0;
  const start = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 1000 * tick++);

  /**
   * An EKS cluster and node group in moto with `minSize`, and the Auto Scaling group EKS names for it holding
   * `instances` instances (the first `unhealthy` of them marked Unhealthy); undefined `instances`: no such group.
   */
  async function nodeGroup(name: string, minSize: number, instances?: number, unhealthy = 0): Promise<void> {
    const eks = new EKSClient({ region: REGION });
    await eks.send(
      new CreateClusterCommand({
        name,
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}-cluster`,
        resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true, endpointPublicAccess: false },
      }),
    );
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: name,
        nodegroupName: `${name}-nodes`,
        nodeRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}-node`,
        subnets: ['subnet-1'],
        scalingConfig: { minSize, maxSize: 6, desiredSize: minSize },
      }),
    );
    if (instances === undefined) return;
    const described = await eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: `${name}-nodes` }));
    const asg = described.nodegroup?.resources?.autoScalingGroups?.[0]?.name;
    if (asg === undefined) throw new Error('moto reported no Auto Scaling group for the node group');
    const autoscaling = new AutoScalingClient({ region: REGION });
    await autoscaling.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: `${name}-lc`,
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.small',
      }),
    );
    await autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: asg,
        LaunchConfigurationName: `${name}-lc`,
        MinSize: instances,
        MaxSize: 6,
        DesiredCapacity: instances,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    const group = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asg] })))
      .AutoScalingGroups?.[0];
    for (const i of (group?.Instances ?? []).slice(0, unhealthy)) {
      await autoscaling.send(
        new SetInstanceHealthCommand({ InstanceId: i.InstanceId, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: false }),
      );
    }
  }

  /** Values of drplane/<metric> for the node group `name` (its group `<name>-nodes`) with a timestamp in [at, at + 1 s). */
  const metricAt = (metric: string, name: string, at: Date) =>
    drplaneMetricAt(metric, { ...nodeGroupDimensions(name, `${name}-nodes`) }, at, REGION);

  it('publishes the health issues (0) and the nodes lacking below the minimum: 3 minimum, 3 instances of which 1 Unhealthy → 1', async () => {
    const name = 'serving';
    await nodeGroup(name, 3, 3, 1);
    const T = start();
    const run = await createLagMonitorHandler({ env: env('/drplane/nserving/lag-state', name, `${name}-nodes`), now: () => T })(
      {},
      lambdaContext(),
    );
    expect(run.nodeGroup).toEqual({
      cluster: name,
      nodegroup: `${name}-nodes`,
      status: 'ACTIVE',
      issues: [],
      minSize: 3,
      inService: 2,
      belowMinimum: 1,
    });
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, name, T)).toEqual([1]);
    expect(await metricAt(DRPLANE_METRICS.nodeGroupHealthIssues, name, T)).toEqual([0]);
  });

  it('a serving group at its minimum publishes 0 lacking; a group whose Auto Scaling group has no instance publishes all of its minimum', async () => {
    await nodeGroup('full', 2, 2);
    await nodeGroup('empty', 2, 0);
    const T = start();
    await createLagMonitorHandler({ env: env('/drplane/nfull/lag-state', 'full', 'full-nodes'), now: () => T })(
      {},
      lambdaContext(),
    );
    await createLagMonitorHandler({ env: env('/drplane/nempty/lag-state', 'empty', 'empty-nodes'), now: () => T })(
      {},
      lambdaContext(),
    );
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, 'full', T)).toEqual([0]);
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, 'empty', T)).toEqual([2]);
  });

  it('a pilot-light standby (minimum 0, no node) publishes 0: its alarm never fires', async () => {
    const name = 'pilot';
    await nodeGroup(name, 0, 0);
    const T = start();
    const run = await createLagMonitorHandler({ env: env('/drplane/npilot/lag-state', name, `${name}-nodes`), now: () => T })(
      {},
      lambdaContext(),
    );
    expect(run.nodeGroup).toMatchObject({ minSize: 0, inService: 0, belowMinimum: 0 });
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, name, T)).toEqual([0]);
    expect(await metricAt(DRPLANE_METRICS.nodeGroupHealthIssues, name, T)).toEqual([0]);
  });

  it('a node group not created yet publishes nothing and fails nothing', async () => {
    const T = start();
    const run = await createLagMonitorHandler({ env: env('/drplane/nnone/lag-state', 'absent', 'absent-nodes'), now: () => T })(
      {},
      lambdaContext(),
    );
    expect(run.nodeGroup).toEqual({
      cluster: 'absent',
      nodegroup: 'absent-nodes',
      reason: expect.stringContaining('does not know the node group'),
    });
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, 'absent', T)).toEqual([]);
    expect(await metricAt(DRPLANE_METRICS.nodeGroupHealthIssues, 'absent', T)).toEqual([]);
  });

  it('a node group that existed and was deleted publishes its whole planned minimum as missing, so its alarm fires (audit L5); a pilot-light standby’s 0 stays quiet', async () => {
    await nodeGroup('vanished', 2, 2);
    await nodeGroup('vanishedpilot', 0, 0);
    const eks = new EKSClient({ region: REGION });
    for (const name of ['vanished', 'vanishedpilot'])
      await eks.send(new DeleteNodegroupCommand({ clusterName: name, nodegroupName: `${name}-nodes` }));
    const T = start();
    const run = await createLagMonitorHandler({
      env: { ...env('/drplane/nvanished/lag-state', 'vanished', 'vanished-nodes'), DRPLANE_EKS_NODEGROUP_MINIMUM: '2' },
      now: () => T,
    })({}, lambdaContext());
    expect(run.nodeGroup).toEqual({
      cluster: 'vanished',
      nodegroup: 'vanished-nodes',
      minimum: 2,
      reason: expect.stringContaining('no longer knows the node group'),
      belowMinimum: 2,
    });
    // A breaching datapoint (the alarm's test: Minimum above 0), and no health-issue datapoint (nothing was described).
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, 'vanished', T)).toEqual([2]);
    expect(await metricAt(DRPLANE_METRICS.nodeGroupHealthIssues, 'vanished', T)).toEqual([]);
    await createLagMonitorHandler({
      env: {
        ...env('/drplane/nvanishedpilot/lag-state', 'vanishedpilot', 'vanishedpilot-nodes'),
        DRPLANE_EKS_NODEGROUP_MINIMUM: '0',
      },
      now: () => T,
    })({}, lambdaContext());
    expect(await metricAt(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, 'vanishedpilot', T)).toEqual([0]);
  });
});
