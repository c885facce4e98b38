/**
 * The failover workflow (starter → Step Functions execution in moto → the composed definition played by the ASL
 * interpreter, each Task the orchestrator's step handler in-process; see support/workflow.ts) against moto's real RDS (global cluster with a primary in
 * us-east-1 and a secondary in us-west-2), Route 53 (zone, health checks, failover records),
 * STS, SSM, SNS (observed through SQS) and CloudWatch, plus a local HTTP server for `/health`.
 *
 * FAKE: moto 5.2.5 has no SwitchoverGlobalCluster / FailoverGlobalCluster. Tests whose name
 * starts with "[fake RDS switchover/failover]" run those two operations against the fake in
 * support/rds-global-fake.ts (which follows the RDS API reference); every other call,
 * including DescribeGlobalClusters, goes to moto.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeNodegroupCommand,
  EKSClient,
  UpdateNodegroupConfigCommand,
} from '@aws-sdk/client-eks';
import {
  CreateDBClusterCommand,
  CreateGlobalClusterCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
  RDSServiceException,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  awsClients,
  FAILOVER_CLIENT_LIMITS,
  ROUTE53_LIMITS,
  type ClientFactory,
  type FailoverClients,
  type TemporaryCredentials,
} from '../../lambda/failover/clients.js';
import { ROUTE53_OBSERVE_GRACE_MS } from '../../lambda/failover/steps.js';
import { createStepHandler } from '../../lambda/failover/workflow.js';
import { SWITCH_DNS_BUDGET_SECONDS } from '../../lambda/shared/workflow-contract.js';
import { executionName, MAX_REPEATS } from '../../lambda/failover/start.js';
import { createQueue, createRole, MOTO_ACCOUNT, useMoto, type TestQueue } from './support/aws.js';
import { startArcClusterFake, type FakeArcCluster } from './support/arc-cluster-fake.js';
import { startHangingProxy } from './support/hanging-proxy.js';
import { startHealthServer, type HealthServer } from './support/health-server.js';
import { startProxy } from './support/proxy.js';
import { captureLogs, lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';
import { createGlobalClusterFake, type GlobalClusterFake } from './support/rds-global-fake.js';
import { workflowRunner, type WorkflowRun } from './support/workflow.js';
import { VirtualClock } from './support/asl.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { dimensionList, failoverRtoDimensions } from '../../lambda/shared/metrics-contract.js';

const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
/** The estate id of every estate of this file (DRPLANE_ESTATE), as compose sets it (src/compose/naming.ts). */
const ESTATE = 'e0c0ffee';
let moto: MotoServer;
let health: HealthServer;
const route53 = new Route53Client({ region: PRIMARY });

/** One AWS call as a client made by the handler sent it. */
interface Call {
  readonly service: string;
  readonly region: string;
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** `own` for the function's role, else the access key of the credentials used. */
  readonly identity: string;
}

/** Wraps the production client factory: records every call, and installs the RDS fake. */
function observedFactory(fake: GlobalClusterFake, calls: Call[], credentials: TemporaryCredentials[]): ClientFactory {
  return (creds) => {
    if (creds !== undefined) credentials.push(creds);
    const inner = awsClients(creds);
    const seen = new WeakSet<object>();
    const record = <C extends { middlewareStack: { add: RDSClient['middlewareStack']['add'] } }>(
      service: string,
      region: string,
      client: C,
    ): C => {
      if (seen.has(client)) return client;
      seen.add(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          calls.push({
            service,
            region,
            command: context.commandName ?? '?',
            input: { ...(args.input as object) },
            identity: creds?.accessKeyId ?? 'own',
          });
          return next(args);
        },
        { step: 'initialize', name: 'drplaneTestRecorder', priority: 'high' },
      );
      return client;
    };
    const wrapped: FailoverClients = {
      rds: (r) => fake.install(record('rds', r, inner.rds(r))),
      route53: (r) => record('route53', r, inner.route53(r)),
      sns: (r) => record('sns', r, inner.sns(r)),
      cloudWatch: (r) => record('cloudwatch', r, inner.cloudWatch(r)),
      ssm: (r) => record('ssm', r, inner.ssm(r)),
      sts: (r) => record('sts', r, inner.sts(r)),
      sfn: (r) => {
        const client = inner.sfn(r);
        record('sfn', r, client as unknown as RDSClient);
        return client;
      },
      eks: (r) => {
        const client = inner.eks(r);
        record('eks', r, client as unknown as RDSClient);
        return client;
      },
      arc: (e) => {
        const client = inner.arc(e);
        record('arc', e.region, client as unknown as RDSClient);
        return client;
      },
    };
    return wrapped;
  };
}

/** Makes every call of a Route 53 client fail like an unreachable endpoint (no HTTP answer). */
function unreachable(client: Route53Client): Route53Client {
  if (!brokenClients.has(client)) {
    brokenClients.add(client);
    client.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('connect ECONNREFUSED route53'), { name: 'Error', code: 'ECONNREFUSED' });
      },
      { step: 'finalizeRequest', name: 'drplaneTestUnreachable', priority: 'low' },
    );
  }
  return client;
}
const brokenClients = new WeakSet<object>();

/**
 * FAKE Route 53 throttling: makes the calls of a Route 53 client named in `commands` (all when omitted) fail as
 * Route 53 throttles (botocore route53 2013-04-01: Throttling, HTTP 400, a client fault), for the first `times` such
 * calls (every one when omitted); every other call goes to moto. `count.n` counts the throttled calls.
 */
function throttling(
  client: Route53Client,
  o: { commands?: readonly string[]; times?: number; count?: { n: number } } = {},
): Route53Client {
  if (throttlingClients.has(client)) return client;
  throttlingClients.add(client);
  const count = o.count ?? { n: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const named = o.commands === undefined || o.commands.includes(context.commandName ?? '');
      if (named && (o.times === undefined || count.n < o.times)) {
        count.n++;
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'Throttling',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'drplaneTestThrottle', priority: 'high' },
  );
  return client;
}
const throttlingClients = new WeakSet<object>();

/** A complete estate in moto: a global cluster with a member per region, service records, health checks. */
interface Estate {
  readonly name: string;
  readonly globalClusterId: string;
  readonly arns: Record<string, string>;
  readonly zoneId: string;
  readonly recordName: string;
  readonly endpoints: Record<string, string>;
  readonly healthCheckIds: Record<string, string>;
  readonly roleArn: string;
  readonly externalId: string;
  readonly queue: TestQueue;
  readonly env: Record<string, string>;
}

/** The estate's shape: its regions (primary first) and the routing policy of its service records. */
interface EstateShape {
  readonly regions: readonly string[];
  /** failover: PRIMARY → regions[0], SECONDARY → regions[1]; latency: one record per region. */
  readonly policy: 'failover' | 'latency';
}

const TWO_REGIONS: EstateShape = { regions: [PRIMARY, SECONDARY], policy: 'failover' };

async function createEstate(name: string, shape: EstateShape = TWO_REGIONS): Promise<Estate> {
  const { regions } = shape;
  const globalClusterId = `gdb-${name}`;
  const east = new RDSClient({ region: regions[0] });
  await east.send(
    new CreateGlobalClusterCommand({
      GlobalClusterIdentifier: globalClusterId,
      Engine: 'aurora-postgresql',
      EngineVersion: '15.10',
    }),
  );
  const arns: Record<string, string> = {};
  for (const [i, region] of regions.entries()) {
    const out = await new RDSClient({ region }).send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: `${name}-${i}`,
        Engine: 'aurora-postgresql',
        EngineVersion: '15.10',
        GlobalClusterIdentifier: globalClusterId,
        // Only the primary has credentials; secondaries refuse them.
        ...(i === 0 ? { MasterUsername: 'dradmin', ManageMasterUserPassword: true } : {}),
      }),
    );
    arns[region] = out.DBCluster?.DBClusterArn as string;
  }

  const zone = await route53.send(new CreateHostedZoneCommand({ Name: `${name}.example.com`, CallerReference: randomUUID() }));
  const zoneId = (zone.HostedZone?.Id as string).replace('/hostedzone/', '');
  const recordName = `api.${name}.example.com`;
  const endpoints: Record<string, string> = Object.fromEntries(
    regions.map((region, i) => [region, `d-${name}${i + 1}.execute-api.${region}.amazonaws.com`]),
  );
  const healthCheckIds: Record<string, string> = {};
  for (const region of regions) {
    const hc = await route53.send(
      new CreateHealthCheckCommand({
        CallerReference: randomUUID(),
        HealthCheckConfig: {
          Type: 'HTTPS',
          FullyQualifiedDomainName: endpoints[region],
          ResourcePath: '/health',
          Port: 443,
          EnableSNI: true,
        },
      }),
    );
    healthCheckIds[region] = hc.HealthCheck?.Id as string;
  }
  const record = (region: string, policy: Partial<ResourceRecordSet>, setId: string): ResourceRecordSet => ({
    Name: recordName,
    Type: 'CNAME',
    SetIdentifier: setId,
    ...policy,
    TTL: 60,
    ResourceRecords: [{ Value: endpoints[region] as string }],
    HealthCheckId: healthCheckIds[region],
  });
  const serviceRecords =
    shape.policy === 'failover'
      ? [
          record(regions[0] as string, { Failover: 'PRIMARY' }, 'primary'),
          record(regions[1] as string, { Failover: 'SECONDARY' }, 'secondary'),
        ]
      : regions.map((region) => record(region, { Region: region as ResourceRecordSet['Region'] }, region));
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: serviceRecords.map((r) => ({ Action: 'CREATE', ResourceRecordSet: r })) },
    }),
  );

  const roleArn = await createRole(moto.endpoint, `dr-operations-${name}`, {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  });
  const externalId = randomUUID();
  const externalIdParameter = `/drplane/${name}/external-id`;
  await new SSMClient({ region: PRIMARY }).send(
    new PutParameterCommand({ Name: externalIdParameter, Value: externalId, Type: 'SecureString' }),
  );

  const sns = new SNSClient({ region: PRIMARY });
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `failover-${name}` }))).TopicArn as string;
  const queue = await createQueue(moto.endpoint, PRIMARY, `observer-${name}`);
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));

  const env = {
    AWS_REGION: PRIMARY,
    DRPLANE_REGIONS: JSON.stringify({ primary: regions[0], secondaries: regions.slice(1) }),
    DRPLANE_GLOBAL_CLUSTER_ID: globalClusterId,
    DRPLANE_CLUSTER_ARNS: JSON.stringify(arns),
    DRPLANE_HOSTED_ZONE_ID: zoneId,
    DRPLANE_RECORD_NAME: recordName,
    DRPLANE_HEALTH_URLS: JSON.stringify(Object.fromEntries(regions.map((r) => [r, health.url(r)]))),
    DRPLANE_HEALTH_CHECK_IDS: JSON.stringify(healthCheckIds),
    // As compose sets it (orchestrator.ts): the routing policy of the records.
    DRPLANE_ROUTING_POLICY: shape.policy,
    DRPLANE_TOPIC_ARN: topicArn,
    DRPLANE_OPERATIONS_ROLE_ARN: roleArn,
    DRPLANE_ESTATE: ESTATE,
    DRPLANE_EXTERNAL_ID_PARAMETER: externalIdParameter,
  };
  return { name, globalClusterId, arns, zoneId, recordName, endpoints, healthCheckIds, roleArn, externalId, queue, env };
}

/** The estate's failover records, as moto has them now. */
async function records(
  e: Estate,
): Promise<Record<string, { value: string | undefined; healthCheckId: string | undefined; setId: string | undefined }>> {
  const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: e.zoneId, StartRecordName: e.recordName }));
  const mine = (out.ResourceRecordSets ?? []).filter((r) => r.Name === `${e.recordName}.` && r.Failover !== undefined);
  return Object.fromEntries(
    mine.map((r) => [
      r.Failover as string,
      { value: r.ResourceRecords?.[0]?.Value, healthCheckId: r.HealthCheckId, setId: r.SetIdentifier },
    ]),
  );
}

/** The writer's ARN as DescribeGlobalClusters reports it (moto's members with the fake's writer state). */
async function writer(fake: GlobalClusterFake, e: Estate): Promise<string | undefined> {
  const client = fake.install(new RDSClient({ region: SECONDARY }));
  const out = await client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: e.globalClusterId }));
  const cluster = out.GlobalClusters?.find((c) => c.GlobalClusterIdentifier === e.globalClusterId);
  return cluster?.GlobalClusterMembers?.find((m) => m.IsWriter === true)?.DBClusterArn;
}

/**
 * Datapoints of FailoverRtoSeconds to SECONDARY in `mode`, in the estate's series (metrics-contract.ts
 * failoverRtoDimensions), or with `estate` null in the series without an Estate dimension (the one before it had one).
 */
async function rtoSamples(mode: 'planned' | 'unplanned', estate: string | null = ESTATE): Promise<number> {
  const out = await new CloudWatchClient({ region: PRIMARY }).send(
    new GetMetricDataCommand({
      // The runs' clock (the ASL interpreter's) runs ahead of the real one: a wide window around now.
      StartTime: new Date(Date.now() - 6 * 3_600_000),
      EndTime: new Date(Date.now() + 6 * 3_600_000),
      MetricDataQueries: [
        {
          Id: 'rto',
          MetricStat: {
            Metric: {
              Namespace: 'drplane',
              MetricName: 'FailoverRtoSeconds',
              Dimensions:
                estate === null
                  ? [
                      { Name: 'TargetRegion', Value: SECONDARY },
                      { Name: 'Mode', Value: mode },
                    ]
                  : dimensionList(failoverRtoDimensions(estate, SECONDARY, mode)),
            },
            Period: 12 * 3600,
            Stat: 'SampleCount',
          },
        },
      ],
    }),
  );
  return out.MetricDataResults?.[0]?.Values?.reduce((a, b) => a + b, 0) ?? 0;
}

/** Node groups in moto EKS: one cluster and managed node group per region at `sizes[region]` (min = desired), maxSize 6. */
async function createNodeGroups(
  prefix: string,
  sizes: Record<string, number>,
): Promise<Record<string, { cluster: string; nodegroup: string; size: number }>> {
  const groups: Record<string, { cluster: string; nodegroup: string; size: number }> = {};
  for (const [region, size] of Object.entries(sizes)) {
    const eks = new EKSClient({ region });
    const g = { cluster: `${prefix}-eks-${region}`, nodegroup: `${prefix}-ng-${region}`, size: 3 };
    await eks.send(
      new CreateClusterCommand({
        name: g.cluster,
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/eks-cluster`,
        resourcesVpcConfig: { subnetIds: [`subnet-${region}`] },
      }),
    );
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: g.cluster,
        nodegroupName: g.nodegroup,
        nodeRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/eks-node`,
        subnets: [`subnet-${region}`],
        scalingConfig: { minSize: size, maxSize: 6, desiredSize: size },
      }),
    );
    groups[region] = g;
  }
  return groups;
}

/** A node group's scaling as moto EKS has it now. */
async function nodeScalingOf(g: { cluster: string; nodegroup: string }, region: string) {
  const out = await new EKSClient({ region }).send(
    new DescribeNodegroupCommand({ clusterName: g.cluster, nodegroupName: g.nodegroup }),
  );
  return out.nodegroup?.scalingConfig;
}

/** Makes an RDS client refuse `command` with `error` (what RDS answers a request it will not run), every time. */
function refusing(client: RDSClient, command: string, error: string): RDSClient {
  if (refusingClients.has(client)) return client;
  refusingClients.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command) {
        throw new RDSServiceException({ name: error, $fault: 'client', $metadata: {}, message: `${command} refused (test)` });
      }
      return next(args);
    },
    { step: 'initialize', name: 'drplaneTestRefuse', priority: 'high' },
  );
  return client;
}
const refusingClients = new WeakSet<object>();

const MUTATIONS = [
  'SwitchoverGlobalClusterCommand',
  'FailoverGlobalClusterCommand',
  'ChangeResourceRecordSetsCommand',
  'PutMetricDataCommand',
];

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
  health = await startHealthServer();
}, 60_000);

afterAll(async () => {
  await health?.stop();
  await moto?.stop();
});

/** A runner of the estate's workflow with the default test budget (30 polls of 1 virtual second). */
const runnerOf = (e: Estate, clientFactory: ClientFactory, extra: { waitSeconds?: number; env?: Record<string, string> } = {}) =>
  workflowRunner(`${e.name}-${randomUUID().slice(0, 8)}`, {
    env: extra.env ?? e.env,
    clientFactory,
    logSink: captureLogs().sink,
    region: PRIMARY,
    ...(extra.waitSeconds === undefined ? {} : { waitSeconds: extra.waitSeconds }),
  });

const steps = (r: WorkflowRun) => r.state.timeline.map((s) => [s.step, s.outcome]);
const detailOf = (r: WorkflowRun, step: string) => r.state.timeline.find((s) => s.step === step)?.detail;

describe('failover workflow', { timeout: 30_000 }, () => {
  it('[fake RDS switchover] planned failover moves the writer and the records to us-west-2; a second run is a no-op', async () => {
    const e = await createEstate('planned');
    const fake = createGlobalClusterFake(3);
    const calls: Call[] = [];
    const creds: TemporaryCredentials[] = [];
    const logs = captureLogs();
    const w = await workflowRunner('planned', {
      env: e.env,
      logSink: logs.sink,
      clientFactory: observedFactory(fake, calls, creds),
      region: PRIMARY,
    });
    expect(await writer(fake, e)).toBe(e.arns[PRIMARY]);

    const run1 = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'game day' });
    expect(run1.execution.status).toBe('SUCCEEDED');
    expect(run1.state.outcome).toBe('completed');
    expect(run1.state.rtoSeconds).toBeGreaterThan(0);
    expect(steps(run1)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'skipped'],
      ['check-rpo', 'skipped'],
      ['observe', 'done'],
      ['scale-nodes', 'skipped'],
      ['promote-database', 'done'],
      ['wait-for-writer', 'done'],
      ['switch-dns', 'done'],
      ['dns-insync', 'done'],
      ['verify-health', 'done'],
      ['report', 'done'],
    ]);
    for (const s of run1.state.timeline) expect(Date.parse(s.endedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    // The wait for the writer is the definition's Retry: the fake needs 3 describes, so 2 polls of 1 s were waited.
    expect(run1.execution.history.find((h) => h.state === 'wait-for-writer')).toMatchObject({ attempts: 3, waitedSeconds: 2 });

    // Database: one switchover to the secondary's ARN, and the writer moved.
    expect(fake.operations).toEqual([
      {
        operation: 'SwitchoverGlobalCluster',
        globalClusterId: e.globalClusterId,
        targetArn: e.arns[SECONDARY],
        allowDataLoss: false,
      },
    ]);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    // DNS: PRIMARY now serves us-west-2 with its health check, SECONDARY the old primary.
    expect(await records(e)).toEqual({
      PRIMARY: { value: e.endpoints[SECONDARY], healthCheckId: e.healthCheckIds[SECONDARY], setId: 'primary' },
      SECONDARY: { value: e.endpoints[PRIMARY], healthCheckId: e.healthCheckIds[PRIMARY], setId: 'secondary' },
    });
    // Health verified against the new primary.
    expect(health.requests).toContain(`/${SECONDARY}/health`);

    // The starter started one execution named from the request's hash, with the function's own role.
    expect(run1.start.name).toMatch(/^planned-us-west-2-[0-9a-f]{20}$/);
    expect(calls.filter((c) => c.command === 'StartExecutionCommand').map((c) => c.identity)).toEqual(['own']);
    // The role was assumed once (the steps reuse it) with the external ID from SSM; RDS and Route 53 used its credentials.
    const assumes = calls.filter((c) => c.command === 'AssumeRoleCommand');
    expect(assumes).toHaveLength(1);
    expect(assumes[0]?.identity).toBe('own');
    expect(assumes[0]?.input).toMatchObject({
      RoleArn: e.roleArn,
      ExternalId: e.externalId,
      RoleSessionName: `drplane-failover-${run1.start.name}`,
    });
    expect(calls.find((c) => c.command === 'GetParameterCommand')?.input).toMatchObject({
      Name: `/drplane/planned/external-id`,
      WithDecryption: true,
    });
    const assumed = creds[0];
    expect(assumed).toBeDefined();
    const opsCalls = calls.filter((c) => c.service === 'rds' || c.service === 'route53');
    expect(opsCalls.length).toBeGreaterThan(0);
    expect(opsCalls.every((c) => c.identity === assumed?.accessKeyId)).toBe(true);
    const who = await new STSClient({ region: PRIMARY, credentials: assumed }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/dr-operations-planned/drplane-failover-${run1.start.name}`);
    // The external ID never reaches the logs, nor the workflow state (kept in the execution history).
    expect(logs.raw.join('\n')).not.toContain(e.externalId);
    expect(JSON.stringify(run1.state)).not.toContain(e.externalId);
    expect(JSON.stringify(run1.state)).not.toContain(assumed?.secretAccessKey);

    // Reported: one SNS message with the timeline, one RTO datapoint.
    const messages = await e.queue.drain();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Subject).toMatch(/^drplane failover to us-west-2 \(planned\): completed in [\d.]+s$/);
    const body = JSON.parse(messages[0]?.Message ?? '{}') as {
      outcome: string;
      reason: string;
      rtoSeconds: number;
      timeline: { step: string }[];
    };
    expect(body).toMatchObject({ outcome: 'completed', reason: 'game day', rtoSeconds: run1.state.rtoSeconds });
    expect(body.timeline.map((s) => s.step)).toEqual([
      'wait-turn',
      'check-trigger',
      'check-rpo',
      'observe',
      'scale-nodes',
      'promote-database',
      'wait-for-writer',
      'switch-dns',
      'dns-insync',
      'verify-health',
    ]);
    expect(await rtoSamples('planned')).toBe(1);
    // In the estate's own series only: the series without an Estate dimension, which every estate shared, has none.
    expect(await rtoSamples('planned', null)).toBe(0);

    // Second run (another reason: another execution): derives from AWS that everything is in place and changes nothing.
    const before = await records(e);
    calls.length = 0;
    const run2 = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'again' });
    expect(run2.state.outcome).toBe('noop');
    expect(run2.state.rtoSeconds).toBeUndefined();
    expect(steps(run2)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'skipped'],
      ['check-rpo', 'skipped'],
      ['observe', 'done'],
      ['scale-nodes', 'skipped'],
      ['promote-database', 'skipped'],
      ['wait-for-writer', 'skipped'],
      ['switch-dns', 'skipped'],
      ['dns-insync', 'skipped'],
      ['verify-health', 'done'],
      ['report', 'done'],
    ]);
    expect(calls.filter((c) => MUTATIONS.includes(c.command))).toEqual([]);
    expect(fake.operations).toHaveLength(1);
    expect(await records(e)).toEqual(before);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    expect(await rtoSamples('planned')).toBe(1);
    const again = await e.queue.drain();
    expect(again.map((m) => (JSON.parse(m.Message) as { outcome: string }).outcome)).toEqual(['noop']);
  });

  it("[fake RDS switchover] scale-nodes raises the target region's EKS node group first (moto EKS), its desired size and minSize (audit M4), never maxSize; a re-run leaves it", async () => {
    const e = await createEstate('nodes');
    // A pilot-light standby (none) and an active region at 3, as XRegionalCluster sizes them; maxSize 6.
    const groups: Record<string, { cluster: string; nodegroup: string; size: number }> = {};
    for (const [i, region] of [PRIMARY, SECONDARY].entries()) {
      const eks = new EKSClient({ region });
      const g = { cluster: `nodes-eks-${region}`, nodegroup: `nodes-ng-${region}`, size: 3 };
      await eks.send(
        new CreateClusterCommand({
          name: g.cluster,
          roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/eks-cluster`,
          resourcesVpcConfig: { subnetIds: [`subnet-${region}`] },
        }),
      );
      const size = i === 0 ? 3 : 0;
      await eks.send(
        new CreateNodegroupCommand({
          clusterName: g.cluster,
          nodegroupName: g.nodegroup,
          nodeRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/eks-node`,
          subnets: [`subnet-${region}`],
          scalingConfig: { minSize: size, maxSize: 6, desiredSize: size },
        }),
      );
      groups[region] = g;
    }
    const scalingOf = async (region: string) =>
      (
        await new EKSClient({ region }).send(
          new DescribeNodegroupCommand({ clusterName: groups[region]!.cluster, nodegroupName: groups[region]!.nodegroup }),
        )
      ).nodegroup?.scalingConfig;
    const fake = createGlobalClusterFake(2);
    const calls: Call[] = [];
    const creds: TemporaryCredentials[] = [];
    const w = await runnerOf(e, observedFactory(fake, calls, creds), {
      env: { ...e.env, DRPLANE_NODE_GROUPS: JSON.stringify(groups) },
    });
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'nodes first' });
    expect(run.state.outcome).toBe('completed');
    expect(steps(run).slice(3, 6)).toEqual([
      ['observe', 'done'],
      ['scale-nodes', 'done'],
      ['promote-database', 'done'],
    ]);
    expect(detailOf(run, 'scale-nodes')).toMatch(
      /^node group nodes-eks-us-west-2\/nodes-ng-us-west-2: desired 0 → 3, minSize 0 → 3, update /,
    );
    // minSize with the desired size, so a Cluster Autoscaler does not remove the new nodes as unneeded (audit M4); maxSize
    // is the composition's.
    expect(await scalingOf(SECONDARY)).toEqual({ minSize: 3, maxSize: 6, desiredSize: 3 });
    expect(await scalingOf(PRIMARY)).toEqual({ minSize: 3, maxSize: 6, desiredSize: 3 });
    const eksCalls = calls.filter((c) => c.service === 'eks');
    expect(eksCalls.map((c) => [c.command, c.region])).toEqual([
      ['DescribeNodegroupCommand', SECONDARY],
      ['UpdateNodegroupConfigCommand', SECONDARY],
    ]);
    expect(eksCalls[1]?.input).toEqual({
      clusterName: 'nodes-eks-us-west-2',
      nodegroupName: 'nodes-ng-us-west-2',
      scalingConfig: { minSize: 3, desiredSize: 3 },
    });
    // With the DR-operations role's credentials, like RDS and Route 53.
    expect(eksCalls.every((c) => c.identity === creds[0]?.accessKeyId)).toBe(true);
    // Before the database step: the nodes boot while the writer moves.
    const at = (s: string) => run.state.timeline.findIndex((t) => t.step === s);
    expect(at('scale-nodes')).toBeLessThan(at('promote-database'));

    // A re-run finds the group at its size: nothing scaled (and nothing else to do: noop).
    calls.length = 0;
    const again = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'again' });
    expect(again.state.outcome).toBe('noop');
    expect(steps(again)[4]).toEqual(['scale-nodes', 'skipped']);
    expect(detailOf(again, 'scale-nodes')).toBe(
      'node group nodes-eks-us-west-2/nodes-ng-us-west-2 already runs 3 node(s) (serving size 3)',
    );
    expect(calls.filter((c) => c.command === 'UpdateNodegroupConfigCommand')).toEqual([]);
    await e.queue.drain();
  });

  it('[fake RDS switchover] a node group EKS cannot find does not hold the database or the records: scale-nodes fails, the run completes', async () => {
    const e = await createEstate('nodes-missing');
    const groups = Object.fromEntries(
      [PRIMARY, SECONDARY].map((r) => [r, { cluster: `missing-eks-${r}`, nodegroup: `missing-ng-${r}`, size: 2 }]),
    );
    const fake = createGlobalClusterFake(2);
    const w = await runnerOf(e, observedFactory(fake, [], []), {
      env: { ...e.env, DRPLANE_NODE_GROUPS: JSON.stringify(groups) },
    });
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'no cluster' });
    expect(run.state.outcome).toBe('completed');
    expect(steps(run)[4]).toEqual(['scale-nodes', 'failed']);
    expect(detailOf(run, 'scale-nodes')).toMatch(
      /^node group missing-eks-us-west-2\/missing-ng-us-west-2 not scaled \(ResourceNotFoundException: .*\); the run goes on/,
    );
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    // The report carries the failed step for the people reading it.
    const body = JSON.parse((await e.queue.drain())[0]?.Message ?? '{}') as { timeline: { step: string; outcome: string }[] };
    expect(body.timeline.find((t) => t.step === 'scale-nodes')?.outcome).toBe('failed');
  });

  it('[fake RDS switchover] [FAKE EKS ResourceInUseException] scale-nodes waits and asks again while another update of the node group is in progress (audit M5)', async () => {
    const e = await createEstate('nodes-inuse');
    const groups = await createNodeGroups('inuse', { [PRIMARY]: 3, [SECONDARY]: 0 });
    // FAKE: moto EKS never answers ResourceInUseException. A proxy in front of it answers the first UpdateNodegroupConfig
    // signed for us-west-2 as EKS does while an update runs (botocore eks 2017-11-01: POST
    // /clusters/{name}/node-groups/{nodegroupName}/update-config, ResourceInUseException, HTTP 409, restJson1's
    // x-amzn-ErrorType header and a `message`), then forwards every request to moto.
    let refused = 0;
    const proxy = await startProxy(moto.endpoint, (scope, req) => {
      if (scope !== `${SECONDARY}/eks` || !/\/update-config$/.test(req.url ?? '') || refused > 0) return false;
      refused++;
      req.resume();
      req.on('end', () => {
        const res = req.socket;
        const body = JSON.stringify({
          message: 'Nodegroup cannot be updated as it is currently being updated',
          clusterName: groups[SECONDARY]!.cluster,
        });
        res.end(
          `HTTP/1.1 409 Conflict\r\ncontent-type: application/json\r\nx-amzn-errortype: ResourceInUseException\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
      return true;
    });
    process.env.AWS_ENDPOINT_URL_EKS = proxy.endpoint;
    try {
      const calls: Call[] = [];
      const w = await runnerOf(e, observedFactory(createGlobalClusterFake(2), calls, []), {
        env: { ...e.env, DRPLANE_NODE_GROUPS: JSON.stringify(groups) },
      });
      const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'update in progress' });
      expect(run.state.outcome).toBe('completed');
      expect(refused).toBe(1);
      expect(steps(run)[4]).toEqual(['scale-nodes', 'done']);
      expect(detailOf(run, 'scale-nodes')).toMatch(
        /^node group inuse-eks-us-west-2\/inuse-ng-us-west-2: desired 0 → 3, minSize 0 → 3, update \S+ .* after 1 ResourceInUseException retry$/,
      );
      expect(calls.filter((c) => c.service === 'eks').map((c) => c.command)).toEqual([
        'DescribeNodegroupCommand',
        'UpdateNodegroupConfigCommand',
        'UpdateNodegroupConfigCommand',
      ]);
      expect((await nodeScalingOf(groups[SECONDARY]!, SECONDARY))?.desiredSize).toBe(3);
      expect(run.state.nodesScaled).toEqual({
        region: SECONDARY,
        before: { desiredSize: 0, minSize: 0 },
        after: { desiredSize: 3, minSize: 3 },
      });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_EKS;
      await proxy.stop();
      await e.queue.drain();
    }
  });

  it('[fake RDS switchover refused] a run whose promotion is refused puts the node group it raised back to its size before the run (audit M6)', async () => {
    const e = await createEstate('nodes-refused');
    const groups = await createNodeGroups('refused', { [PRIMARY]: 3, [SECONDARY]: 0 });
    const fake = createGlobalClusterFake(2);
    const base = observedFactory(fake, [], []);
    // RDS refuses the switchover (a request it will not run: no retry helps), every attempt.
    const factory: ClientFactory = (creds) => {
      const inner = base(creds);
      return { ...inner, rds: (r) => refusing(inner.rds(r), 'SwitchoverGlobalClusterCommand', 'InvalidParameterValue') };
    };
    const w = await runnerOf(e, factory, { env: { ...e.env, DRPLANE_NODE_GROUPS: JSON.stringify(groups) } });
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'refused' });
    expect(run.execution.status).toBe('FAILED');
    expect(run.state.outcome).toBe('failed');
    expect(detailOf(run, 'scale-nodes')).toMatch(/desired 0 → 3/);
    expect(await writer(fake, e)).toBe(e.arns[PRIMARY]);
    // Back to 0: the standby is not left at the serving size while nothing serves from it.
    expect(await nodeScalingOf(groups[SECONDARY]!, SECONDARY)).toEqual({ minSize: 0, maxSize: 6, desiredSize: 0 });
    expect(run.state.nodesRestored).toBe(true);
    const failure = JSON.parse((await e.queue.drain())[0]?.Message ?? '{}') as { outcome: string; nodes?: string };
    expect(failure.outcome).toBe('failed');
    expect(failure.nodes).toMatch(
      /^node group refused-eks-us-west-2\/refused-ng-us-west-2: desired 3 → 0, minSize 3 → 0 \(back to its size before this run\)/,
    );
  });

  it('[fake RDS switchover] a run that gives up waiting while the writer moves to the target keeps the node group it raised (the region is about to serve)', async () => {
    const e = await createEstate('nodes-moving');
    const groups = await createNodeGroups('moving', { [PRIMARY]: 3, [SECONDARY]: 0 });
    // A switchover that never finishes within the run's budget: the database is moving to the target.
    const fake = createGlobalClusterFake(2, { switchoverPolls: Infinity });
    const w = await runnerOf(e, observedFactory(fake, [], []), {
      env: { ...e.env, DRPLANE_NODE_GROUPS: JSON.stringify(groups) },
      waitSeconds: 2,
    });
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'slow switchover' });
    expect(run.state.outcome).toBe('failed');
    expect(run.failure).toMatch(/failed at wait-for-writer/);
    expect((await nodeScalingOf(groups[SECONDARY]!, SECONDARY))?.desiredSize).toBe(3);
    expect(run.state.nodesRestored).toBeUndefined();
    const failure = JSON.parse((await e.queue.drain())[0]?.Message ?? '{}') as { nodes?: string };
    expect(failure.nodes).toMatch(
      /^node group moving-eks-us-west-2\/moving-ng-us-west-2 kept at 3: the database writes or moves there/,
    );
  });

  it('[fake RDS switchover] a run that only raises the node group (database and records already there) is no failover: no RTO datapoint, not "completed" (audit L5)', async () => {
    const e = await createEstate('nodes-only');
    const groups = await createNodeGroups('only', { [PRIMARY]: 3, [SECONDARY]: 0 });
    const fake = createGlobalClusterFake(2);
    const w = await runnerOf(e, observedFactory(fake, [], []), {
      env: { ...e.env, DRPLANE_NODE_GROUPS: JSON.stringify(groups) },
    });
    const first = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'move' });
    expect(first.state.outcome).toBe('completed');
    await e.queue.drain();
    // The node group is lowered again behind the run's back (the pinned provider's revert, a person).
    await new EKSClient({ region: SECONDARY }).send(
      new UpdateNodegroupConfigCommand({
        clusterName: groups[SECONDARY]!.cluster,
        nodegroupName: groups[SECONDARY]!.nodegroup,
        scalingConfig: { minSize: 0, desiredSize: 0 },
      }),
    );
    const samples = await rtoSamples('planned');
    const again = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'nodes only' });
    expect(steps(again).slice(4, 8)).toEqual([
      ['scale-nodes', 'done'],
      ['promote-database', 'skipped'],
      ['wait-for-writer', 'skipped'],
      ['switch-dns', 'skipped'],
    ]);
    expect(again.state.outcome).toBe('nodes-scaled');
    expect(again.state.rtoSeconds).toBeUndefined();
    expect(detailOf(again, 'report')).toBe('only the node group was raised: no failover, no RTO');
    expect(await rtoSamples('planned')).toBe(samples);
    const messages = await e.queue.drain();
    expect(messages.map((m) => m.Subject)).toEqual(['drplane failover to us-west-2 (planned): nodes-scaled']);
    expect(JSON.parse(messages[0]?.Message ?? '{}')).toMatchObject({ outcome: 'nodes-scaled', rtoSeconds: null });
  });

  it('[fake RDS switchover] a completed failover whose RTO metric and notification are refused still completes; the report names both (audit-21-close L2)', async () => {
    const e = await createEstate('report-refused');
    const fake = createGlobalClusterFake(2);
    const base = observedFactory(fake, [], []);
    // The function's own CloudWatch and SNS refuse (throttled, a key policy): after the failover is done.
    const factory: ClientFactory = (creds) => {
      const inner = base(creds);
      if (creds !== undefined) return inner;
      return {
        ...inner,
        cloudWatch: (r) =>
          refusing(
            inner.cloudWatch(r) as unknown as RDSClient,
            'PutMetricDataCommand',
            'Throttling',
          ) as unknown as CloudWatchClient,
        sns: (r) => refusing(inner.sns(r) as unknown as RDSClient, 'PublishCommand', 'KMSAccessDenied') as unknown as SNSClient,
      };
    };
    const logs = captureLogs();
    const w = await workflowRunner(`report-refused-${randomUUID().slice(0, 8)}`, {
      env: e.env,
      clientFactory: factory,
      logSink: logs.sink,
      region: PRIMARY,
    });
    const samples = await rtoSamples('planned');
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'report refused' });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.state.outcome).toBe('completed');
    expect(steps(run).at(-1)).toEqual(['report', 'done']);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    expect(detailOf(run, 'report')).toMatch(
      /^RTO [\d.]+s; best effort: the RTO metric was not published \(PutMetricData: PutMetricDataCommand refused \(test\)\); the notification was not sent \(SNS Publish: PublishCommand refused \(test\)\)$/,
    );
    expect(await rtoSamples('planned')).toBe(samples);
    expect(await e.queue.drain()).toEqual([]);
    const warnings = logs.records().filter((r) => r.msg === 'step warning');
    expect(warnings).toHaveLength(2);
  });

  it('[fake RDS failover] unplanned failover uses AllowDataLoss; a run that gives up waiting fails and notifies, the next resumes', async () => {
    const e = await createEstate('unplanned');
    const fake = createGlobalClusterFake(6);
    const calls: Call[] = [];
    const factory = observedFactory(fake, calls, []);
    // First run: a waiting budget too short for the failover to finish (2 polls).
    const short = await runnerOf(e, factory, { waitSeconds: 2 });
    const event = { targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 outage' };
    const failed = await short.run(event);
    expect(failed.execution).toMatchObject({ status: 'FAILED', error: 'FailoverFailed' });
    expect(failed.failure).toMatch(
      /^failover to us-west-2 failed at wait-for-writer: gave up waiting: us-west-2 is not the writer yet; last state: status failing-over, writer us-east-1, failover failing-over to us-west-2$/,
    );
    expect(fake.operations).toEqual([
      {
        operation: 'FailoverGlobalCluster',
        globalClusterId: e.globalClusterId,
        targetArn: e.arns[SECONDARY],
        allowDataLoss: true,
      },
    ]);
    expect((await records(e)).PRIMARY?.value).toBe(e.endpoints[PRIMARY]);
    const failure = (await e.queue.drain()).map(
      (m) => JSON.parse(m.Message) as { outcome: string; error: string; timeline: { step: string; outcome: string }[] },
    );
    expect(failure).toHaveLength(1);
    expect(failure[0]?.outcome).toBe('failed');
    expect(failure[0]?.timeline.at(-1)).toMatchObject({ step: 'wait-for-writer', outcome: 'failed' });

    // The same request again: that execution has ended, so the starter starts the next one (…-2), which finds the
    // failover in flight and waits for it.
    const resumed = await workflowRunner(`unplanned-resume`, {
      env: { ...e.env },
      clientFactory: factory,
      logSink: captureLogs().sink,
      region: PRIMARY,
    });
    const run = await resumed.run(event);
    expect(run.state.outcome).toBe('completed');
    expect(run.state.plan?.database).toEqual({ action: 'wait', reason: 'a failover to the target is already failing-over' });
    expect(run.state.timeline.find((s) => s.step === 'promote-database')).toMatchObject({ outcome: 'skipped' });
    expect(fake.operations).toHaveLength(1);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    expect((await records(e)).PRIMARY?.value).toBe(e.endpoints[SECONDARY]);
    expect(await rtoSamples('unplanned')).toBe(1);
  });

  it('[fake RDS switchover/failover] an unplanned run takes over a stuck switchover with AllowDataLoss', async () => {
    const e = await createEstate('takeover');
    // The switchover never finishes (the old primary is lost); a failover takes 2 describes.
    const fake = createGlobalClusterFake(2, { switchoverPolls: Infinity });
    const factory = observedFactory(fake, [], []);
    const planned = await runnerOf(e, factory, { waitSeconds: 2 });
    const stuck = await planned.run({ targetRegion: SECONDARY, mode: 'planned' });
    expect(stuck.failure).toMatch(
      /failed at wait-for-writer: gave up waiting: .* last state: status switching-over, writer us-east-1, failover switching-over to us-west-2/,
    );
    const unplanned = await runnerOf(e, factory);
    const run = await unplanned.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.state.outcome).toBe('completed');
    expect(detailOf(run, 'promote-database')).toBe(
      `FailoverGlobalCluster (AllowDataLoss) from us-east-1 to us-west-2, superseding a switchover toward ${e.arns[SECONDARY]} that is switching-over`,
    );
    expect(fake.operations.map((o) => [o.operation, o.allowDataLoss])).toEqual([
      ['SwitchoverGlobalCluster', false],
      ['FailoverGlobalCluster', true],
    ]);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
  });

  /** A switchover toward us-west-2 started outside the run (a planned run, a person), through the fake. */
  async function startSwitchover(fake: GlobalClusterFake, e: Estate): Promise<void> {
    await fake.install(new RDSClient({ region: SECONDARY })).send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: e.globalClusterId,
        TargetDbClusterIdentifier: e.arns[SECONDARY],
      }),
    );
  }
  /** Task invocations of a state in the run (1 + its retries). */
  const attemptsOf = (r: WorkflowRun, state: string) => r.execution.history.filter((h) => h.state === state).at(-1)?.attempts;

  it('[fake RDS switchover/failover: RDS refuses the takeover] the run asks again; the switchover finishes toward the target and the run follows it', async () => {
    const e = await createEstate('notakeover');
    const fake = createGlobalClusterFake(2, { switchoverPolls: 4, refuseTakeover: true });
    const w = await runnerOf(e, observedFactory(fake, [], []));
    await startSwitchover(fake, e);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned' });
    expect(run.state.outcome).toBe('completed');
    // Refused once (the switchover is in the way), asked again a poll later: the switchover had finished.
    expect(attemptsOf(run, 'promote-database')).toBe(2);
    expect(detailOf(run, 'promote-database')).toBe(
      `the target cluster is already the writer (observe saw a switchover toward ${e.arns[SECONDARY]} that is switching-over)`,
    );
    expect(run.state.dbChanged).toBe(true);
    expect(fake.operations.map((o) => o.operation)).toEqual(['SwitchoverGlobalCluster']);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
  });

  it('[fake RDS switchover/failover: RDS refuses the takeover] the switchover fails (cancelled): the run asks again, then fails over with AllowDataLoss', async () => {
    const e = await createEstate('takeover-cancelled');
    // The switchover fails after 3 describes, shows `cancelling` for 2, then the global cluster is back as it was.
    const fake = createGlobalClusterFake(2, {
      switchoverPolls: 3,
      switchoverEnds: 'cancelled',
      cancelPolls: 2,
      refuseTakeover: true,
    });
    const w = await runnerOf(e, observedFactory(fake, [], []));
    await startSwitchover(fake, e);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.state.outcome).toBe('completed');
    expect(attemptsOf(run, 'promote-database')).toBeGreaterThan(1);
    expect(detailOf(run, 'promote-database')).toBe(
      `FailoverGlobalCluster (AllowDataLoss) from us-east-1 to us-west-2 (observe saw a switchover toward ${e.arns[SECONDARY]} that is switching-over; it has ended)`,
    );
    expect(fake.operations.map((o) => [o.operation, o.allowDataLoss])).toEqual([
      ['SwitchoverGlobalCluster', false],
      ['FailoverGlobalCluster', true],
    ]);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
  });

  it('[fake RDS switchover/failover: RDS refuses the takeover] a switchover that never ends: promote-database asks again for its budget only, then the run fails there', async () => {
    const e = await createEstate('takeover-stuck');
    const fake = createGlobalClusterFake(2, { switchoverPolls: Infinity, refuseTakeover: true });
    // Poll 1 s, budget 5 s: 1 call + 5 retries.
    const w = await runnerOf(e, observedFactory(fake, [], []), { waitSeconds: 5 });
    await startSwitchover(fake, e);
    const before = w.clock.now().getTime();
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.execution.status).toBe('FAILED');
    expect(run.failure).toMatch(
      new RegExp(
        `^failover to us-west-2 failed at promote-database: gave up waiting: FailoverGlobalCluster \\(AllowDataLoss\\) refused \\(InvalidGlobalClusterStateFault\\): a switchover toward ${e.arns[SECONDARY]} that is switching-over is in the way; asking again; last state: status switching-over, writer us-east-1, failover switching-over to us-west-2$`,
      ),
    );
    expect(attemptsOf(run, 'promote-database')).toBe(6);
    expect(run.state.timeline.some((s) => s.step === 'wait-for-writer')).toBe(false);
    // Virtual time: the 5 one-second waits of promote-database's Retry, and nothing unbounded.
    expect(w.clock.now().getTime() - before).toBeLessThan(60_000);
    expect(fake.operations.map((o) => o.operation)).toEqual(['SwitchoverGlobalCluster']);
  });

  it('[fake RDS failover] Route 53 unreachable (us-east-1 lost): the swap is best effort, verification and the RTO still run', async () => {
    const e = await createEstate('r53down');
    const fake = createGlobalClusterFake(2);
    const inner = observedFactory(fake, [], []);
    // Every Route 53 call fails as a lost us-east-1 endpoint does: no HTTP answer at all.
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return { ...clients, route53: (r) => unreachable(clients.route53(r)) };
    };
    // The lost region's service does not answer healthy either (best effort needs it: audit-21-final F1).
    health.setStatus(PRIMARY, 503);
    onTestFinished(() => health.setStatus(PRIMARY, 200));
    const samples = await rtoSamples('unplanned');
    const w = await runnerOf(e, factory);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.state.outcome).toBe('completed');
    expect(run.state.plan?.dns).toEqual({
      action: 'unknown',
      reason: 'Route 53 is unavailable (connect ECONNREFUSED route53); the records are read again after the database',
    });
    expect(steps(run)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'skipped'],
      ['check-rpo', 'skipped'],
      ['observe', 'done'],
      ['scale-nodes', 'skipped'],
      ['promote-database', 'done'],
      ['wait-for-writer', 'done'],
      ['switch-dns', 'skipped'],
      ['dns-insync', 'skipped'],
      ['verify-health', 'done'],
      ['report', 'done'],
    ]);
    expect(detailOf(run, 'switch-dns')).toBe(
      "best effort: Route 53 is unavailable (connect ECONNREFUSED route53); the records could not be read; in a two-region estate with health checks Route 53 answers with us-west-2 (SECONDARY) while us-east-1 is unhealthy; us-east-1's /health fails (HTTP 503)",
    );
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    // This run's own RTO datapoint (earlier tests published theirs under the same dimensions).
    expect((await rtoSamples('unplanned')) - samples).toBe(1);

    // Without health checks Route 53 cannot fail over by itself: the run fails at switch-dns, after the database.
    const { DRPLANE_HEALTH_CHECK_IDS: _ids, ...unchecked } = e.env;
    const back = await runnerOf(e, factory, { env: unchecked });
    const failed = await back.run({ targetRegion: PRIMARY, mode: 'unplanned' });
    expect(failed.execution.status).toBe('FAILED');
    expect(failed.failure).toBe('failover to us-east-1 failed at switch-dns: connect ECONNREFUSED route53');
    // Retried by the definition (States.ALL: twice) before the Catch.
    expect(failed.execution.history.find((h) => h.state === 'switch-dns')).toMatchObject({ attempts: 3 });
  });

  it('[fake RDS failover] [FAKE Route 53 throttling] Route 53 throttles every call once the database moved: switch-dns asks again within its budget, then the swap is best effort; verification and the RTO run (audit-21 M2)', async () => {
    const e = await createEstate('r53throttled');
    const fake = createGlobalClusterFake(2);
    const inner = observedFactory(fake, [], []);
    const count = { n: 0 };
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return { ...clients, route53: (r) => throttling(clients.route53(r), { count }) };
    };
    // The lost region's service does not answer healthy either (best effort needs it: audit-21-final F1).
    health.setStatus(PRIMARY, 503);
    onTestFinished(() => health.setStatus(PRIMARY, 200));
    const samples = await rtoSamples('unplanned');
    const w = await runnerOf(e, factory);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.failure).toBeUndefined();
    expect(run.state.outcome).toBe('completed');
    expect(steps(run)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'skipped'],
      ['check-rpo', 'skipped'],
      ['observe', 'done'],
      ['scale-nodes', 'skipped'],
      ['promote-database', 'done'],
      ['wait-for-writer', 'done'],
      ['switch-dns', 'skipped'],
      ['dns-insync', 'skipped'],
      ['verify-health', 'done'],
      ['report', 'done'],
    ]);
    expect(detailOf(run, 'switch-dns')).toBe(
      "best effort: Route 53 still throttles at the end of switch-dns's budget (Rate exceeded); the records could not be read; in a two-region estate with health checks Route 53 answers with us-west-2 (SECONDARY) while us-east-1 is unhealthy; us-east-1's /health fails (HTTP 503)",
    );
    // Asked again (NotYet, every poll) within its budget, not failed after the Task's two retries (~15 s).
    const switched = run.state.timeline.find((t) => t.step === 'switch-dns')!;
    const took = (Date.parse(switched.endedAt) - Date.parse(switched.startedAt)) / 1000;
    expect(took).toBeGreaterThanOrEqual(SWITCH_DNS_BUDGET_SECONDS - 15);
    expect(took).toBeLessThan(SWITCH_DNS_BUDGET_SECONDS);
    expect(run.execution.history.find((h) => h.state === 'switch-dns')!.attempts).toBeGreaterThan(3);
    expect(count.n).toBeGreaterThan(3);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    expect(run.state.rtoSeconds).toBeGreaterThan(0);
    expect((await rtoSamples('unplanned')) - samples).toBe(1);

    // Without health checks nothing serves the target by itself: the run fails at switch-dns once the budget is spent.
    const { DRPLANE_HEALTH_CHECK_IDS: _ids, ...unchecked } = e.env;
    const back = await runnerOf(e, factory, { env: unchecked });
    const failed = await back.run({ targetRegion: PRIMARY, mode: 'unplanned' });
    expect(failed.execution.status).toBe('FAILED');
    expect(failed.failure).toBe('failover to us-east-1 failed at switch-dns: Rate exceeded');
  });

  it('[fake RDS switchover] [fake RDS failover] [FAKE Route 53 throttling] no best effort while the region left still answers healthy: a planned run, and an unplanned one whose old primary passes /health, fail at switch-dns (audit-21-final F1)', async () => {
    const e = await createEstate('r53stuck');
    const fake = createGlobalClusterFake(2);
    const inner = observedFactory(fake, [], []);
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return { ...clients, route53: (r) => throttling(clients.route53(r)) };
    };
    const before = await records(e);
    // Planned: the old primary is healthy by definition, so Route 53 keeps answering with it until the records move.
    const planned = await (await runnerOf(e, factory)).run({ targetRegion: SECONDARY, mode: 'planned', reason: 'game day' });
    expect(planned.execution.status).toBe('FAILED');
    expect(planned.failure).toBe('failover to us-west-2 failed at switch-dns: Rate exceeded');
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    // Unplanned back to us-east-1 while us-west-2 (the region left) still answers healthy: the records would not follow.
    const asked = health.requests.length;
    const unplanned = await (await runnerOf(e, factory)).run({ targetRegion: PRIMARY, mode: 'unplanned', reason: 'drill' });
    expect(unplanned.execution.status).toBe('FAILED');
    expect(unplanned.failure).toBe('failover to us-east-1 failed at switch-dns: Rate exceeded');
    // This run probed the region it leaves (the server's list holds every earlier test's requests too).
    expect(health.requests.slice(asked)).toContain(`/${SECONDARY}/health`);
    expect(await records(e)).toEqual(before);
  });

  it('[fake RDS switchover] [FAKE Route 53 throttling] a swap throttled for a few polls moves the records once Route 53 takes it', async () => {
    const e = await createEstate('r53busy');
    const fake = createGlobalClusterFake(2);
    const inner = observedFactory(fake, [], []);
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return {
        ...clients,
        route53: (r) => throttling(clients.route53(r), { commands: ['ChangeResourceRecordSetsCommand'], times: 3 }),
      };
    };
    const w = await runnerOf(e, factory);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'drill' });
    expect(run.failure).toBeUndefined();
    expect(run.state.outcome).toBe('completed');
    expect(steps(run).find(([s]) => s === 'switch-dns')).toEqual(['switch-dns', 'done']);
    expect(run.execution.history.find((h) => h.state === 'switch-dns')!.attempts).toBe(4);
    expect((await records(e)).PRIMARY?.value).toBe(e.endpoints[SECONDARY]);
  });

  it('[fake RDS failover] switch-dns moves no record while the database does not write in the target (a run that left a region out meets another that moved it)', async () => {
    const e = await createEstate('notwriter');
    const before = await records(e);
    const fake = createGlobalClusterFake(2);
    const calls: Call[] = [];
    const step = createStepHandler({
      env: { ...e.env },
      clientFactory: observedFactory(fake, calls, []),
      logSink: captureLogs().sink,
    });
    // The writer is us-east-1 (moto's first member); the run targets us-west-2 and got to switch-dns.
    const attempt = step(
      {
        step: 'switch-dns',
        state: { request: { targetRegion: SECONDARY, mode: 'unplanned' }, timeline: [], dbChanged: true },
        execution: {
          id: `arn:aws:states:${SECONDARY}:${MOTO_ACCOUNT}:execution:failover:x`,
          startTime: new Date().toISOString(),
        },
      },
      lambdaContext(),
    );
    await expect(attempt).rejects.toMatchObject({ name: 'PlanError' });
    await expect(attempt).rejects.toThrow(
      /^records not moved: the database does not write in us-west-2 now \(.*writer us-east-1/,
    );
    expect(calls.filter((c) => c.service === 'route53')).toEqual([]);
    expect(await records(e)).toEqual(before);
  });

  it('[fake RDS switchover] writer./reader. move to the target in the same change batch as the failover records (audit H1)', async () => {
    const e = await createEstate('dbrecords');
    const endpoints = Object.fromEntries(
      [PRIMARY, SECONDARY].map((r) => [
        r,
        { writer: `gdb.cluster-a.${r}.rds.amazonaws.com`, reader: `gdb.cluster-ro-a.${r}.rds.amazonaws.com` },
      ]),
    );
    const cname = (which: 'writer' | 'reader', region: string): ResourceRecordSet => ({
      Name: `${which}.${e.recordName}`,
      Type: 'CNAME',
      TTL: 60,
      ResourceRecords: [{ Value: endpoints[region]![which] }],
    });
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: e.zoneId,
        ChangeBatch: {
          Changes: [cname('writer', PRIMARY), cname('reader', PRIMARY)].map((r) => ({ Action: 'CREATE', ResourceRecordSet: r })),
        },
      }),
    );
    const fake = createGlobalClusterFake(2);
    const calls: Call[] = [];
    const w = await runnerOf(e, observedFactory(fake, calls, []), {
      env: { ...e.env, DRPLANE_DB_ENDPOINTS: JSON.stringify(endpoints) },
    });
    const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'game day' });
    expect(run.state.outcome).toBe('completed');
    expect(detailOf(run, 'switch-dns')).toBe('2 UPSERT(s): PRIMARY → us-west-2; UPSERT writer./reader. → us-west-2');
    const batches = calls.filter((c) => c.command === 'ChangeResourceRecordSetsCommand');
    expect(batches).toHaveLength(1);
    const changes = (batches[0]!.input.ChangeBatch as { Changes: { Action: string; ResourceRecordSet: ResourceRecordSet }[] })
      .Changes;
    expect(changes.map((c) => [c.Action, c.ResourceRecordSet.Name?.split('.')[0], c.ResourceRecordSet.Failover])).toEqual([
      ['UPSERT', 'api', 'PRIMARY'],
      ['UPSERT', 'api', 'SECONDARY'],
      ['UPSERT', 'writer', undefined],
      ['UPSERT', 'reader', undefined],
    ]);
    const listed = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: e.zoneId, StartRecordName: `reader.${e.recordName}` }),
    );
    const valueOf = (which: string) =>
      listed.ResourceRecordSets?.find((r) => r.Name === `${which}.${e.recordName}.`)?.ResourceRecords?.[0]?.Value;
    expect([valueOf('writer'), valueOf('reader')]).toEqual([endpoints[SECONDARY]!.writer, endpoints[SECONDARY]!.reader]);
  });

  it('[fake RDS failover] three regions with latency records, Route 53 unreachable (us-east-1 lost): promoted, nothing to move, verified, RTO reported (audit N1)', async () => {
    const THIRD = 'eu-west-1';
    const e = await createEstate('r53down3', { regions: [PRIMARY, SECONDARY, THIRD], policy: 'latency' });
    const fake = createGlobalClusterFake(2);
    const inner = observedFactory(fake, [], []);
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return { ...clients, route53: (r) => unreachable(clients.route53(r)) };
    };
    const w = await runnerOf(e, factory);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.failure).toBeUndefined();
    expect(run.state.outcome).toBe('completed');
    expect(steps(run)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'skipped'],
      ['check-rpo', 'skipped'],
      ['observe', 'done'],
      ['scale-nodes', 'skipped'],
      ['promote-database', 'done'],
      ['wait-for-writer', 'done'],
      ['switch-dns', 'skipped'],
      ['dns-insync', 'skipped'],
      ['verify-health', 'done'],
      ['report', 'done'],
    ]);
    expect(detailOf(run, 'switch-dns')).toBe(
      "best effort: Route 53 is unavailable (connect ECONNREFUSED route53); the records could not be read; the estate routes by latency with a health check on every region's record, so Route 53 answers with the healthy regions, us-west-2 among them: nothing to move",
    );
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);

    // An orchestrator composed without the policy cannot tell: the run fails at switch-dns, after the database.
    const { DRPLANE_ROUTING_POLICY: _policy, ...unknown } = e.env;
    const back = await runnerOf(e, factory, { env: unknown });
    const failed = await back.run({ targetRegion: THIRD, mode: 'unplanned' });
    expect(failed.failure).toBe('failover to eu-west-1 failed at switch-dns: connect ECONNREFUSED route53');
  });

  // Its timeout (120 s) is only a hang guard, against a Route 53 call left unbounded; what must be bounded is asserted:
  // the time of each step that calls Route 53 against its own limit, and how many Route 53 calls the run makes.
  it('[fake RDS failover] Route 53 hangs (us-east-1 lost): observe does not wait for it, the database is promoted, the swap is best effort within its call limit, RTO reported', async () => {
    const e = await createEstate('r53hang');
    const fake = createGlobalClusterFake(2);
    // Route 53's endpoint accepts connections and never answers; every other service answers (moto).
    const hanging = await startHangingProxy(moto.endpoint, [PRIMARY]);
    process.env.AWS_ENDPOINT_URL_ROUTE_53 = hanging.endpoint;
    // us-east-1 is lost: its service does not answer healthy either (best effort needs it: audit-21-final F1).
    health.setStatus(PRIMARY, 503);
    onTestFinished(() => health.setStatus(PRIMARY, 200));
    const samples = await rtoSamples('unplanned');
    try {
      const w = await runnerOf(e, observedFactory(fake, [], []));
      const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 hangs' });
      expect(run.state.outcome).toBe('completed');
      expect(steps(run)).toEqual([
        ['wait-turn', 'done'],
        ['check-trigger', 'skipped'],
        ['check-rpo', 'skipped'],
        ['observe', 'done'],
        ['scale-nodes', 'skipped'],
        ['promote-database', 'done'],
        ['wait-for-writer', 'done'],
        ['switch-dns', 'skipped'],
        ['dns-insync', 'skipped'],
        ['verify-health', 'done'],
        ['report', 'done'],
      ]);
      expect(run.state.plan?.dns.action).toBe('unknown');
      expect(detailOf(run, 'switch-dns')).toMatch(/^best effort: Route 53 is unavailable/);
      const took = (step: string) => {
        const t = run.state.timeline.find((x) => x.step === step)!;
        return Date.parse(t.endedAt) - Date.parse(t.startedAt);
      };
      // observe gives Route 53 one second after RDS answered; switch-dns's listing ends at the call limit (12 s).
      expect(took('observe')).toBeLessThan(ROUTE53_OBSERVE_GRACE_MS + 1_500);
      expect(took('switch-dns')).toBeLessThanOrEqual(ROUTE53_LIMITS.callTimeoutMs + 1_000);
      // The run waited on the hanging Route 53 only where its calls are bounded: switch-dns's listing (each of its
      // attempts held) and, aborted after its grace, observe's. No other step, and no retry of switch-dns, called it.
      const held = hanging.held.get(`${PRIMARY}/route53`) ?? 0;
      expect(held).toBeGreaterThanOrEqual(ROUTE53_LIMITS.maxAttempts);
      expect(held).toBeLessThanOrEqual(ROUTE53_LIMITS.maxAttempts + 1);
      expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
      expect(run.state.rtoSeconds).toBeGreaterThan(0);
      expect((await rtoSamples('unplanned')) - samples).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ROUTE_53;
      await hanging.stop();
    }
  }, 120_000);

  it('[fake RDS failover] the old primary lost, the failover keeps its FailoverState after the target writes: wait-for-writer settles, a re-run is a no-op', async () => {
    const e = await createEstate('linger');
    const fake = createGlobalClusterFake(2, { lingerAfterFailover: true });
    const w = await runnerOf(e, observedFactory(fake, [], []));
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
    expect(run.state.outcome).toBe('completed');
    expect(detailOf(run, 'wait-for-writer')).toBe(
      "writer is us-west-2 (the target writes; the failover's FailoverState is still failing-over (the old primary's demotion needs its region))",
    );
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    const again = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost, again' });
    expect(again.state.outcome).toBe('noop');
    expect(fake.operations).toHaveLength(1);
  });

  it('[fake RDS failover] a promote-database retried after RDS accepted (the answer lost) finds the target writing and still reports the RTO', async () => {
    const e = await createEstate('retried');
    const fake = createGlobalClusterFake(1);
    const inner = observedFactory(fake, [], []);
    let lost = 0;
    const wrapped = new WeakSet<object>();
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return {
        ...clients,
        rds: (r) => {
          const c = clients.rds(r);
          if (!wrapped.has(c)) {
            wrapped.add(c);
            // The first FailoverGlobalCluster reaches RDS (the fake accepts it), then its answer is lost.
            c.middlewareStack.add(
              (next, context) => async (args) => {
                const out = await next(args);
                if (context.commandName === 'FailoverGlobalClusterCommand' && lost++ === 0) {
                  throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
                }
                return out;
              },
              { step: 'initialize', name: 'drplaneTestLostAnswer', priority: 'high' },
            );
          }
          return c;
        },
      };
    };
    const w = await runnerOf(e, factory);
    const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'answer lost' });
    // One answer lost; the Task's retry is refused (the failover is on): one operation in all.
    expect(lost).toBe(1);
    expect(fake.operations).toHaveLength(1);
    expect(run.execution.history.find((h) => h.state === 'promote-database')).toMatchObject({ attempts: 2 });
    expect(detailOf(run, 'promote-database')).toMatch(
      /refused \(InvalidGlobalClusterStateFault\): the target cluster is already the writer; resuming$/,
    );
    expect(run.state.outcome).toBe('completed');
    // The database moved during this run (its own lost attempt): counted as a change, whatever DNS did.
    expect(run.state.dbChanged).toBe(true);
    expect(run.state.rtoSeconds).toBeGreaterThan(0);
  });

  describe('routing.control arc: switch-dns flips routing controls through the ARC cluster endpoints (audit H3)', () => {
    const controlArn = (region: string) =>
      `arn:aws:route53-recovery-control::${MOTO_ACCOUNT}:controlpanel/p1/routingcontrol/${region}`;
    const GATE = controlArn('gate');
    let arc: FakeArcCluster;
    afterEach(async () => arc?.close());

    /** The estate's env with ARC, and the FAKE ARC cluster (armed: gate On, every region On, as H2 arms latency). */
    async function arcEstate(name: string, shape: EstateShape) {
      const e = await createEstate(name, shape);
      const controls = Object.fromEntries(shape.regions.map((r) => [r, controlArn(r)]));
      arc = await startArcClusterFake([...Object.values(controls), GATE], {
        assertion: { asserted: Object.values(controls), atLeast: 1 },
        gating: { gates: [GATE], targets: Object.values(controls) },
        waitPeriodMs: 5_000,
      });
      arc.states.set(GATE, 'On');
      for (const r of shape.regions) arc.states.set(controls[r]!, 'On');
      const env = {
        ...e.env,
        DRPLANE_ROUTING_CONTROL: 'arc',
        DRPLANE_ARC_ENDPOINTS: JSON.stringify(arc.endpoints),
        DRPLANE_ARC_CONTROLS: JSON.stringify(controls),
      };
      return { e, env, controls };
    }

    it('[fake RDS failover] [FAKE ARC] failover records: the target On and the old region Off, through the first endpoint outside the lost region; the service records are not touched', async () => {
      const { e, env, controls } = await arcEstate('arcfo', TWO_REGIONS);
      const before = await records(e);
      const fake = createGlobalClusterFake(2);
      const calls: Call[] = [];
      const w = await runnerOf(e, observedFactory(fake, calls, []), { env });
      const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
      expect(run.failure).toBeUndefined();
      expect(run.state.outcome).toBe('completed');
      expect(run.state.plan?.dns).toEqual({ action: 'controls', states: 'us-west-2 On, us-east-1 Off' });
      expect(arc.states.get(controls[SECONDARY]!)).toBe('On');
      expect(arc.states.get(controls[PRIMARY]!)).toBe('Off');
      // The records keep their set identifiers, values and check ids (Crossplane owns them with the gated checks).
      expect(await records(e)).toEqual(before);
      const changed = calls.filter((c) => c.command === 'ChangeResourceRecordSetsCommand');
      expect(changed).toEqual([]);
      // The first endpoint outside us-east-1 (the region left) took it; the step says which.
      const updates = arc.calls.filter((c) => c.operation === 'UpdateRoutingControlStates');
      expect(updates.map((c) => `${c.region} ${c.status}`)).toEqual(['us-west-2 200']);
      expect(detailOf(run, 'switch-dns')).toBe(
        `routing controls us-west-2 On, us-east-1 Off through the ARC endpoint in us-west-2 (${arc.endpoints[1]!.endpoint})`,
      );
      // The ARC calls used the DR-operations role's credentials.
      expect(calls.filter((c) => c.service === 'arc').every((c) => c.identity !== 'own')).toBe(true);
    });

    it('[fake RDS failover] [FAKE ARC] Route 53 unreachable and the first ARC endpoints down: the controls still move, writer./reader. are left to Crossplane, never "nothing to move"', async () => {
      const THIRD = 'eu-west-1';
      const { e, env, controls } = await arcEstate('arclat', { regions: [PRIMARY, SECONDARY, THIRD], policy: 'latency' });
      await arc.stop('us-west-2');
      arc.unavailable('eu-west-1', true);
      const fake = createGlobalClusterFake(2);
      const inner = observedFactory(fake, [], []);
      const factory: ClientFactory = (creds) => {
        const clients = inner(creds);
        return { ...clients, route53: (r) => unreachable(clients.route53(r)) };
      };
      const w = await runnerOf(e, factory, { env });
      const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
      expect(run.failure).toBeUndefined();
      expect(steps(run)).toContainEqual(['switch-dns', 'done']);
      const detail = detailOf(run, 'switch-dns') ?? '';
      expect(detail).not.toMatch(/nothing to move/);
      expect(detail).toMatch(
        /^routing controls us-west-2 On, us-east-1 Off through the ARC endpoint in ap-northeast-1 \(.*\); .*us-west-2: .*eu-west-1: EndpointTemporarilyUnavailableException, ap-northeast-1: ok; writer\.\/reader\. not moved: Route 53 is unavailable/,
      );
      expect(arc.states.get(controls[SECONDARY]!)).toBe('On');
      expect(arc.states.get(controls[PRIMARY]!)).toBe('Off');
      // The third region keeps serving (latency records): only the region left goes Off.
      expect(arc.states.get(controls[THIRD]!)).toBe('On');
    });

    it('[fake RDS failover] [FAKE ARC] [FAKE Route 53 throttling] writer./reader. lookups throttled count as unavailable: the controls move, Crossplane moves the records', async () => {
      const { e, env, controls } = await arcEstate('arcthrottled', TWO_REGIONS);
      const fake = createGlobalClusterFake(2);
      const inner = observedFactory(fake, [], []);
      const factory: ClientFactory = (creds) => {
        const clients = inner(creds);
        return { ...clients, route53: (r) => throttling(clients.route53(r)) };
      };
      const w = await runnerOf(e, factory, { env });
      const run = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', reason: 'us-east-1 lost' });
      expect(run.failure).toBeUndefined();
      expect(run.state.outcome).toBe('completed');
      expect(arc.states.get(controls[SECONDARY]!)).toBe('On');
      expect(arc.states.get(controls[PRIMARY]!)).toBe('Off');
      expect(detailOf(run, 'switch-dns')).toMatch(
        /; writer\.\/reader\. not moved: Route 53 throttles \(Rate exceeded\), Crossplane moves them once it observes the new writer$/,
      );
      expect(run.execution.history.find((h) => h.state === 'switch-dns')!.attempts).toBe(1);
    });

    it('[fake RDS failover] [FAKE ARC] switch-dns flips no routing control while the database does not write in the target', async () => {
      const { e, env, controls } = await arcEstate('arcnotwriter', TWO_REGIONS);
      const fake = createGlobalClusterFake(2);
      const step = createStepHandler({ env, clientFactory: observedFactory(fake, [], []), logSink: captureLogs().sink });
      const attempt = step(
        {
          step: 'switch-dns',
          state: { request: { targetRegion: SECONDARY, mode: 'unplanned' }, timeline: [], dbChanged: true },
          execution: {
            id: `arn:aws:states:${SECONDARY}:${MOTO_ACCOUNT}:execution:failover:y`,
            startTime: new Date().toISOString(),
          },
        },
        lambdaContext(),
      );
      await expect(attempt).rejects.toThrow(/^records not moved: the database does not write in us-west-2 now/);
      expect(arc.calls.filter((c) => c.operation === 'UpdateRoutingControlStates')).toEqual([]);
      expect(arc.states.get(controls[PRIMARY]!)).toBe('On');
      void e;
    });

    it('[fake RDS switchover] [FAKE ARC] the gate Off: ARC refuses every round, switch-dns fails after the database and the records stay', async () => {
      const { e, env, controls } = await arcEstate('arcgate', TWO_REGIONS);
      arc.states.set(GATE, 'Off');
      const before = await records(e);
      const fake = createGlobalClusterFake(2);
      const w = await runnerOf(e, observedFactory(fake, [], []), { env: { ...env, DRPLANE_ARC_WAIT_MS: '10' } });
      const run = await w.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'drill' });
      expect(run.execution.status).toBe('FAILED');
      expect(run.failure).toMatch(
        /^failover to us-west-2 failed at switch-dns: ARC refused the change at us-west-2 \(3 rounds, 10 ms apart\): ConflictException/,
      );
      expect(arc.states.get(controls[PRIMARY]!)).toBe('On');
      expect(await records(e)).toEqual(before);
    });
  });

  it('every orchestrator call fits in a step: attempts × (connect + answer) well under the 60 s function timeout', () => {
    for (const limits of [FAILOVER_CLIENT_LIMITS, ROUTE53_LIMITS]) {
      expect(limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs)).toBeLessThanOrEqual(
        limits.callTimeoutMs + 2_000,
      );
      expect(limits.callTimeoutMs).toBeLessThanOrEqual(25_000);
    }
    // switch-dns makes two Route 53 calls (list, change): both bounded, with room left in the 60 s.
    expect(2 * ROUTE53_LIMITS.callTimeoutMs).toBeLessThan(60_000 - 20_000);
  });

  it('[fake RDS switchover] stops at verify-health while the new primary is unhealthy; a re-run finishes', async () => {
    const e = await createEstate('unhealthy');
    const fake = createGlobalClusterFake(1);
    const calls: Call[] = [];
    health.setStatus(SECONDARY, 503);
    try {
      const w = await runnerOf(e, observedFactory(fake, calls, []), { waitSeconds: 3 });
      const failed = await w.run({ targetRegion: SECONDARY, mode: 'planned' });
      expect(failed.failure).toMatch(/failed at verify-health: gave up waiting: .* last state: HTTP 503$/);
      expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
      expect((await records(e)).PRIMARY?.value).toBe(e.endpoints[SECONDARY]);

      health.setStatus(SECONDARY, 200);
      calls.length = 0;
      const rerun = await w.run({ targetRegion: SECONDARY, mode: 'planned' });
      expect(rerun.start.name).toBe(`${failed.start.name}-2`);
      expect(rerun.state.timeline.find((s) => s.step === 'verify-health')).toMatchObject({ outcome: 'done' });
      expect(calls.filter((c) => MUTATIONS.includes(c.command))).toEqual([]);
    } finally {
      health.setStatus(SECONDARY, 200);
    }
  });

  it('[fake RDS switchover] three regions with latency records: the writer moves to the third region, DNS has nothing to move', async () => {
    const THIRD = 'eu-west-1';
    const e = await createEstate('latency', { regions: [PRIMARY, SECONDARY, THIRD], policy: 'latency' });
    const fake = createGlobalClusterFake(2);
    const calls: Call[] = [];
    const w = await runnerOf(e, observedFactory(fake, calls, []));
    const latencyRecords = async () => {
      const out = await route53.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: e.zoneId, StartRecordName: e.recordName }),
      );
      return (out.ResourceRecordSets ?? [])
        .filter((r) => r.Name === `${e.recordName}.`)
        .map((r) => [r.Region, r.SetIdentifier, r.ResourceRecords?.[0]?.Value, r.HealthCheckId]);
    };
    const before = await latencyRecords();
    expect(before).toHaveLength(3);

    const run = await w.run({ targetRegion: THIRD, mode: 'planned', reason: 'move to eu-west-1' });
    expect(run.state.outcome).toBe('completed');
    expect(steps(run)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'skipped'],
      ['check-rpo', 'skipped'],
      ['observe', 'done'],
      ['scale-nodes', 'skipped'],
      ['promote-database', 'done'],
      ['wait-for-writer', 'done'],
      ['switch-dns', 'skipped'],
      ['dns-insync', 'skipped'],
      ['verify-health', 'done'],
      ['report', 'done'],
    ]);
    expect(detailOf(run, 'switch-dns')).toContain('uses latency records');
    expect(run.state.plan?.dns).toEqual({
      action: 'none',
      reason: `${e.recordName} uses latency records: every healthy region serves, nothing to move`,
    });
    expect(run.state.plan?.warnings).toEqual([]);
    expect(fake.operations).toEqual([
      {
        operation: 'SwitchoverGlobalCluster',
        globalClusterId: e.globalClusterId,
        targetArn: e.arns[THIRD],
        allowDataLoss: false,
      },
    ]);
    expect(await writer(fake, e)).toBe(e.arns[THIRD]);
    expect(calls.filter((c) => c.command === 'ChangeResourceRecordSetsCommand')).toEqual([]);
    expect(await latencyRecords()).toEqual(before);
    expect(health.requests).toContain(`/${THIRD}/health`);

    // Back to the primary, unplanned this time: again only the database moves.
    const back = await w.run({ targetRegion: PRIMARY, mode: 'unplanned' });
    expect(back.state.outcome).toBe('completed');
    expect(fake.operations.at(-1)).toMatchObject({ operation: 'FailoverGlobalCluster', targetArn: e.arns[PRIMARY] });
    expect(await writer(fake, e)).toBe(e.arns[PRIMARY]);
    expect(await latencyRecords()).toEqual(before);
  });

  it('[fake RDS switchover] three regions with failover records: PRIMARY moves to a region neither record served', async () => {
    const THIRD = 'eu-west-1';
    const e = await createEstate('failover3', { regions: [PRIMARY, SECONDARY, THIRD], policy: 'failover' });
    const fake = createGlobalClusterFake(1);
    const w = await runnerOf(e, observedFactory(fake, [], []));
    const run = await w.run({ targetRegion: THIRD, mode: 'planned' });
    expect(run.state.outcome).toBe('completed');
    expect(await writer(fake, e)).toBe(e.arns[THIRD]);
    // The target's service host is its health URL's host (127.0.0.1 for the local health server).
    expect(await records(e)).toEqual({
      PRIMARY: { value: new URL(health.url(THIRD)).hostname, healthCheckId: e.healthCheckIds[THIRD], setId: 'primary' },
      SECONDARY: { value: e.endpoints[PRIMARY], healthCheckId: e.healthCheckIds[PRIMARY], setId: 'secondary' },
    });
  });

  it('[fake RDS switchover] two overlapping executions the guard cannot see of each other: one switchover, the other follows it', async () => {
    const e = await createEstate('overlap');
    const fake = createGlobalClusterFake(3);
    const calls: Call[] = [];
    const inner = observedFactory(fake, calls, []);
    // Both runs reach SwitchoverGlobalCluster having observed no operation: the barrier holds each request until
    // both have planned, then lets them through (RDS, here the fake, accepts the first and refuses the second).
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothPlanned = new Promise<void>((resolve) => (release = resolve));
    const gated = new WeakSet<object>();
    const factory: ClientFactory = (creds) => {
      const clients = inner(creds);
      return {
        ...clients,
        rds: (r) => {
          const client = clients.rds(r);
          if (!gated.has(client)) {
            gated.add(client);
            client.middlewareStack.add(
              (next, context) => async (args) => {
                if (context.commandName === 'SwitchoverGlobalClusterCommand') {
                  if (++arrived === 2) release();
                  await bothPlanned;
                }
                return next(args);
              },
              { step: 'initialize', name: 'drplaneTestBarrier', priority: 'high' },
            );
          }
          return client;
        },
      };
    };
    // Two workflows, each knowing only its own (no DRPLANE_STATE_MACHINE_ARNS): as when one region's listing lags
    // behind a run just started there (ListExecutions is eventually consistent) or does not answer. wait-turn lets
    // both go; RDS's one operation per global cluster is the database's guard then.
    const [w1, w2] = [await runnerOf(e, factory), await runnerOf(e, factory)];
    const runs = await Promise.all([
      w1.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'git' }),
      w2.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'alarm' }),
    ]);
    expect(runs.map((r) => detailOf(r, 'wait-turn'))).toEqual([
      expect.stringMatching(/^no other run \(only us-east-1's workflow is configured\)$/),
      expect.stringMatching(/^no other run \(only us-east-1's workflow is configured\)$/),
    ]);
    expect(arrived).toBe(2);
    expect(runs.map((r) => r.state.outcome)).toEqual(['completed', 'completed']);
    expect(new Set(runs.map((r) => r.start.name)).size).toBe(2);
    expect(fake.operations).toHaveLength(1);
    const promoted = runs.map((r) => detailOf(r, 'promote-database') ?? '');
    expect(promoted.filter((d) => d.startsWith('SwitchoverGlobalCluster from us-east-1 to us-west-2'))).toHaveLength(1);
    // The other was refused by RDS and follows the first. What its describe then sees depends on how far the first run's
    // own polling has moved the fake (it completes after two describes): still switching-over, or already done.
    const refused = 'SwitchoverGlobalCluster refused (InvalidGlobalClusterStateFault): ';
    expect(
      promoted.filter(
        (d) =>
          d === `${refused}a switchover to the target is already switching-over; resuming` ||
          d === `${refused}the target cluster is already the writer; resuming`,
      ),
    ).toHaveLength(1);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
    expect(await records(e)).toEqual({
      PRIMARY: { value: e.endpoints[SECONDARY], healthCheckId: e.healthCheckIds[SECONDARY], setId: 'primary' },
      SECONDARY: { value: e.endpoints[PRIMARY], healthCheckId: e.healthCheckIds[PRIMARY], setId: 'secondary' },
    });
  });

  it('[fake RDS switchover] two regions start a run toward one target at once: the later waits its turn, then finds nothing to do', async () => {
    const e = await createEstate('turns');
    const fake = createGlobalClusterFake(3);
    const calls: Call[] = [];
    const factory = observedFactory(fake, calls, []);
    const name = `${e.name}-${randomUUID().slice(0, 8)}`;
    // Each region's workflow (the starter and step handler of that region), both known to both (as compose renders).
    const arnOf = (region: string, suffix: string) =>
      `arn:aws:states:${region}:${MOTO_ACCOUNT}:stateMachine:failover-${name}-${suffix}`;
    const env = {
      ...e.env,
      [FAILOVER_ENV.stateMachineArns]: JSON.stringify({ [PRIMARY]: arnOf(PRIMARY, 'a'), [SECONDARY]: arnOf(SECONDARY, 'b') }),
    };
    // Each region's orchestrator reads the external ID in its own region's Parameter Store.
    const parameter = e.env[FAILOVER_ENV.externalIdParameter]!;
    const { Parameter } = await new SSMClient({ region: PRIMARY }).send(
      new GetParameterCommand({ Name: parameter, WithDecryption: true }),
    );
    await new SSMClient({ region: SECONDARY }).send(
      new PutParameterCommand({ Name: parameter, Value: Parameter!.Value!, Type: 'SecureString' }),
    );
    // Played side by side: every Retry wait also takes real time, so the waiting run polls while the other proceeds.
    // The later run's waits are longer (100 ms: its wait-turn budget is then about a minute of real time), so a loaded
    // machine cannot make it give up before the earlier run ends.
    const common = { env, clientFactory: factory, logSink: captureLogs().sink, clock: new VirtualClock() };
    const east = await workflowRunner(`${name}-a`, { ...common, realWaitMs: 20, region: PRIMARY });
    const west = await workflowRunner(`${name}-b`, { ...common, realWaitMs: 100, region: SECONDARY });
    expect([east.stateMachineArn, west.stateMachineArn]).toEqual([arnOf(PRIMARY, 'a'), arnOf(SECONDARY, 'b')]);
    const first = east.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'git' });
    // The second starts once the first is listed as RUNNING (not after a fixed delay, which a loaded machine outruns).
    const eastSfn = new SFNClient({ region: PRIMARY });
    for (let i = 0; i < 600; i++) {
      const { executions } = await eastSfn.send(
        new ListExecutionsCommand({ stateMachineArn: east.stateMachineArn, statusFilter: 'RUNNING' }),
      );
      if ((executions ?? []).length > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const second = west.run({ targetRegion: SECONDARY, mode: 'planned', reason: 'alarm' });
    const [a, b] = await Promise.all([first, second]);
    // The earlier run acts; the later polled wait-turn until the earlier ended, then observed the switchover done.
    expect([a.state.outcome, b.state.outcome]).toEqual(['completed', 'noop']);
    // wait-turn loops (wait-turn → wait-turn-looked → wait-turn-poll → wait-turn) while it waits.
    const looks = (r: typeof a) => r.execution.history.filter((h) => h.state === 'wait-turn').length;
    expect(looks(a)).toBe(1);
    expect(looks(b)).toBeGreaterThan(1);
    expect(b.execution.history.filter((h) => h.state === 'wait-turn-poll')).toHaveLength(looks(b) - 1);
    expect(b.state.turn).toBeUndefined();
    expect(detailOf(b, 'wait-turn')).toBe('no other run');
    expect(detailOf(b, 'promote-database')).toBe('the target cluster is already the writer');
    expect(fake.operations.map((o) => o.operation)).toEqual(['SwitchoverGlobalCluster']);
    // No Switchover call was refused: the second never raced the first to RDS.
    expect(calls.filter((c) => c.command === 'SwitchoverGlobalClusterCommand')).toHaveLength(1);
    // The later run's first step began after the earlier run had ended (its timeline starts when the execution began).
    const aEnd = Date.parse(a.state.timeline.at(-1)!.endedAt);
    const bObserved = Date.parse(b.state.timeline.find((t) => t.step === 'observe')!.startedAt);
    expect(bObserved).toBeGreaterThanOrEqual(aEnd);
    expect(await writer(fake, e)).toBe(e.arns[SECONDARY]);
  });

  it('dry run ends after observe with the plan and changes nothing', async () => {
    const e = await createEstate('dryrun');
    const fake = createGlobalClusterFake();
    const calls: Call[] = [];
    const w = await runnerOf(e, observedFactory(fake, calls, []));
    const before = await records(e);
    const result = await w.run({ targetRegion: SECONDARY, mode: 'planned', dryRun: true });
    expect(result.execution.status).toBe('SUCCEEDED');
    expect(result.start.name).toMatch(/^dryrun-us-west-2-/);
    expect(result.state.outcome).toBe('dry-run');
    expect(result.state.plan).toMatchObject({
      currentWriterRegion: PRIMARY,
      database: { action: 'switchover', fromArn: e.arns[PRIMARY], toArn: e.arns[SECONDARY] },
      dns: { action: 'swap' },
      healthUrl: health.url(SECONDARY),
      warnings: [],
    });
    const dns = result.state.plan?.dns;
    expect(
      dns?.action === 'swap'
        ? dns.changes.map((c) => [c.ResourceRecordSet?.Failover, c.ResourceRecordSet?.ResourceRecords?.[0]?.Value])
        : [],
    ).toEqual([
      ['PRIMARY', e.endpoints[SECONDARY]],
      ['SECONDARY', e.endpoints[PRIMARY]],
    ]);
    // A dry run changes nothing, so it does not wait its turn.
    expect(steps(result)[0]).toEqual(['wait-turn', 'skipped']);
    expect(result.state.timeline.map((s) => s.step)).toEqual(['wait-turn', 'check-trigger', 'check-rpo', 'observe']);
    expect(result.execution.history.map((h) => h.state)).toEqual([
      'wait-turn',
      'wait-turn-looked',
      'check-trigger',
      'check-trigger-finished',
      'check-rpo',
      'check-rpo-finished',
      'observe',
      'observe-finished',
      'done',
    ]);
    expect(calls.filter((c) => MUTATIONS.includes(c.command) || c.command === 'PublishCommand')).toEqual([]);
    expect(fake.operations).toEqual([]);
    expect(await records(e)).toEqual(before);
    expect(await e.queue.drain()).toEqual([]);
  });

  it('[fake RDS failover] a run started by an alarm re-checks it first: a stale event (alarm OK again) changes nothing', async () => {
    const e = await createEstate('stale');
    const fake = createGlobalClusterFake(1);
    const calls: Call[] = [];
    const w = await runnerOf(e, observedFactory(fake, calls, []));
    const cw = new CloudWatchClient({ region: PRIMARY });
    const alarmName = 'primary-unreachable-stale';
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: alarmName,
        Namespace: 'drplane',
        MetricName: 'RegionHealthy',
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'OK', StateReason: 'recovered' }));
    const trigger = { alarmName, time: '2026-12-05T20:00:00Z' };
    const stale = await w.run({ targetRegion: SECONDARY, mode: 'unplanned', trigger });
    expect(stale.execution.status).toBe('SUCCEEDED');
    expect(stale.state.outcome).toBe('stale');
    expect(steps(stale)).toEqual([
      ['wait-turn', 'done'],
      ['check-trigger', 'done'],
    ]);
    // The trigger's time as the run keeps it: ISO 8601, UTC, milliseconds (event.ts normalizeTriggerTime).
    expect(detailOf(stale, 'check-trigger')).toBe(
      `${alarmName} is OK now (state change at 2026-12-05T20:00:00.000Z): stale event, nothing done`,
    );
    expect(calls.filter((c) => MUTATIONS.includes(c.command) || c.service === 'rds')).toEqual([]);

    await cw.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: 'primary lost' }));
    const run = await w.run({
      targetRegion: SECONDARY,
      mode: 'unplanned',
      trigger: { ...trigger, time: '2026-12-05T20:05:00Z' },
    });
    expect(run.state.outcome).toBe('completed');
    expect(steps(run)[1]).toEqual(['check-trigger', 'done']);
    expect(fake.operations.map((o) => o.operation)).toEqual(['FailoverGlobalCluster']);
  });

  it('the starter is idempotent: the same request while its execution runs is that execution; a new request is another', async () => {
    const e = await createEstate('idempotent');
    const calls: Call[] = [];
    const w = await runnerOf(e, observedFactory(createGlobalClusterFake(), calls, []));
    const event = { targetRegion: SECONDARY, mode: 'unplanned', reason: 'retried Invocation' };
    const first = await w.starter(event, lambdaContext());
    const retried = await w.starter({ ...event }, lambdaContext());
    expect(retried).toEqual(first);
    expect(first.name).toMatch(/^unplanned-us-west-2-[0-9a-f]{20}$/);
    const other = await w.starter({ ...event, reason: 'another request' }, lambdaContext());
    expect(other.executionArn).not.toBe(first.executionArn);
    const listed = await new SFNClient({ region: PRIMARY }).send(
      new ListExecutionsCommand({ stateMachineArn: w.stateMachineArn }),
    );
    expect(listed.executions?.map((x) => x.name).sort()).toEqual([first.name, other.name].sort());
    // Automatic runs: each alarm transition (its time) is its own request.
    const trigger = { alarmName: 'estate-at-risk', time: '2026-12-05T20:00:00Z' };
    const a = await w.starter({ ...event, trigger }, lambdaContext());
    const b = await w.starter({ ...event, trigger: { ...trigger, time: '2026-12-05T20:07:00Z' } }, lambdaContext());
    expect(a.name).not.toBe(b.name);
  });

  it('the starter starts the 51st repeat of one request (a name with a time component) and still answers a retry with the running execution (audit-21-close L3)', async () => {
    const e = await createEstate('repeats');
    const w = await runnerOf(e, observedFactory(createGlobalClusterFake(), [], []));
    const event = { targetRegion: SECONDARY, mode: 'planned', reason: 'drctl drill' };
    const base = executionName({ targetRegion: SECONDARY, mode: 'planned', dryRun: false, reason: 'drctl drill' });
    const sfn = new SFNClient({ region: PRIMARY });
    const arnOf = (name: string) => `${w.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    // 50 earlier repeats of the same request, all ended (Step Functions keeps their names for 90 days).
    for (let n = 1; n <= MAX_REPEATS; n++) {
      const name = n === 1 ? base : `${base}-${n}`;
      await sfn.send(new StartExecutionCommand({ stateMachineArn: w.stateMachineArn, name, input: '{}' }));
      await sfn.send(new StopExecutionCommand({ executionArn: arnOf(name) }));
    }
    const before = Math.floor(Date.now() / 1000);
    const started = await w.starter(event, lambdaContext());
    expect(started.outcome).toBe('started');
    const stamp = Number(/^(.*)-t(\d+)$/.exec(started.name ?? '')?.[2]);
    expect(started.name).toBe(`${base}-t${stamp}`);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(started.name!.length).toBeLessThanOrEqual(80);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arnOf(started.name!) }))).status).toBe('RUNNING');
    // The provider retries the same Invocation while that run lives: the same execution, not another.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await w.starter({ ...event }, lambdaContext())).toEqual(started);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: w.stateMachineArn, statusFilter: 'RUNNING' }));
    expect(listed.executions?.map((x) => x.name)).toEqual([started.name]);
    // Once it has ended, the next repeat starts again (a later second).
    await sfn.send(new StopExecutionCommand({ executionArn: arnOf(started.name!) }));
    const next = await w.starter({ ...event }, lambdaContext());
    expect(next.name).toMatch(new RegExp(`^${base}-t\\d+$`));
    expect(next.name).not.toBe(started.name);
  });

  it("the starter refuses a target outside the estate and unknown event fields before any AWS call; ignores an Invocation's delete", async () => {
    const e = await createEstate('refuse');
    const calls: Call[] = [];
    const w = await runnerOf(e, observedFactory(createGlobalClusterFake(), calls, []));
    await expect(w.starter({ targetRegion: 'eu-west-1', mode: 'planned' }, lambdaContext())).rejects.toThrow(
      'targetRegion eu-west-1 is not a region of this estate; expected one of us-east-1, us-west-2',
    );
    await expect(w.starter({ targetRegion: SECONDARY, mode: 'planned', dryrun: true }, lambdaContext())).rejects.toThrow(
      'unknown field(s) "dryrun"',
    );
    await expect(w.starter({ targetRegion: SECONDARY, mode: 'now' }, lambdaContext())).rejects.toThrow('mode is "now"');
    const ignored = await w.starter({ targetRegion: SECONDARY, mode: 'planned', tf: { action: 'delete' } }, lambdaContext());
    expect(ignored.outcome).toBe('ignored');
    expect(calls).toEqual([]);
  });
});
