/**
 * The lag monitor against moto's real CloudWatch, SNS (observed through a subscribed SQS
 * queue) and SSM.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBClusterCommand, CreateGlobalClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLagMonitorHandler, type StoreResult } from '../../lambda/lag-monitor/index.js';
import type { LagStore } from '../../lambda/shared/env-contract.js';
import { createQueue, useMoto, type TestQueue } from './support/aws.js';
import { captureLogs, lambdaContext } from './support/lambda.js';
import { startHangingProxy } from './support/hanging-proxy.js';
import { startMoto, type MotoServer } from './support/moto.js';

let moto: MotoServer;
let topicArn: string;
let queue: TestQueue;
const cw = (region: string) => new CloudWatchClient({ region });

const STORES: LagStore[] = [
  { type: 'aurora', region: 'us-west-2', clusterIdentifier: 'db-usw2' },
  { type: 'dynamodb', tableName: 'transactions-test', receivingRegion: 'us-west-2' },
  {
    type: 's3',
    sourceBucket: 'docs-use1',
    destinationBucket: 'docs-usw2',
    ruleId: 'to-usw2',
    region: 'us-west-2',
    sourceRegion: 'us-east-1',
  },
  // Nothing is ever published for this one: it must be reported unknown.
  { type: 'aurora', region: 'eu-west-1', clusterIdentifier: 'db-euw1' },
];

function monitorEnv(prefix: string, topic = topicArn): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    DRPLANE_PRIMARY_REGION: 'us-east-1',
    DRPLANE_STORES: JSON.stringify(STORES),
    DRPLANE_TOPIC_ARN: topic,
    DRPLANE_LAG_THRESHOLD_SECONDS: '5',
    DRPLANE_STATE_PARAMETER_PREFIX: prefix,
    DRPLANE_STATE_KEY_ARN: STATE_KEY_ARN,
    DRPLANE_ESTATE: 'e1ab2c3d',
  };
}

/** The key the monitor's state parameters are SecureStrings of (moto does not check that it exists). */
const STATE_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b7a2c2e-4a53-4c0e-9a57-0d7c3b5e2a10';

/** Puts the source metrics AWS would publish, at `at`. */
async function putSourceLags(at: Date, lags: { auroraMs: number; dynamoMs: number; s3Seconds: number }): Promise<void> {
  await cw('us-west-2').send(
    new PutMetricDataCommand({
      Namespace: 'AWS/RDS',
      MetricData: [
        {
          MetricName: 'AuroraGlobalDBRPOLag',
          Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'db-usw2' }],
          Value: lags.auroraMs,
          Unit: 'Milliseconds',
          Timestamp: at,
        },
      ],
    }),
  );
  await cw('us-east-1').send(
    new PutMetricDataCommand({
      Namespace: 'AWS/DynamoDB',
      MetricData: [
        {
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'TableName', Value: 'transactions-test' },
            { Name: 'ReceivingRegion', Value: 'us-west-2' },
          ],
          Value: lags.dynamoMs,
          Unit: 'Milliseconds',
          Timestamp: at,
        },
      ],
    }),
  );
  // S3 publishes ReplicationLatency in the destination bucket's region.
  await cw('us-west-2').send(
    new PutMetricDataCommand({
      Namespace: 'AWS/S3',
      MetricData: [
        {
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'SourceBucket', Value: 'docs-use1' },
            { Name: 'DestinationBucket', Value: 'docs-usw2' },
            { Name: 'RuleId', Value: 'to-usw2' },
          ],
          Value: lags.s3Seconds,
          Unit: 'Seconds',
          Timestamp: at,
        },
      ],
    }),
  );
}

/** Values of drplane/ReplicationLagSeconds for one store, oldest first. */
async function publishedLag(store: string, storeType: string, region: string, from: Date, to: Date): Promise<number[]> {
  const out = await cw('us-east-1').send(
    new GetMetricDataCommand({
      StartTime: from,
      EndTime: to,
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'q',
          MetricStat: {
            Metric: {
              Namespace: 'drplane',
              MetricName: 'ReplicationLagSeconds',
              Dimensions: [
                { Name: 'Store', Value: store },
                { Name: 'StoreType', Value: storeType },
                { Name: 'Region', Value: region },
              ],
            },
            Period: 1,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  return out.MetricDataResults?.[0]?.Values ?? [];
}

async function stateOf(name: string): Promise<string | undefined> {
  try {
    const out = await new SSMClient({ region: 'us-east-1' }).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return (JSON.parse(out.Parameter?.Value ?? '{}') as { state?: string }).state;
  } catch (err) {
    if (err instanceof ParameterNotFound) return undefined;
    throw err;
  }
}

/** A parameter's raw value, or undefined when it does not exist. */
async function parameterValue(name: string): Promise<string | undefined> {
  try {
    return (await new SSMClient({ region: 'us-east-1' }).send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (err) {
    if (err instanceof ParameterNotFound) return undefined;
    throw err;
  }
}

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
  // The topic lives in another region than the monitor, as a cross-region estate may have it.
  const sns = new SNSClient({ region: 'us-west-2' });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'drplane-alerts' }))).TopicArn as string;
  queue = await createQueue(moto.endpoint, 'us-west-2', 'alerts-observer');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe('lag monitor', { timeout: 30_000 }, () => {
  it('publishes lag metrics, alerts once per breach, announces recovery, reports missing data as unknown', async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const at = (s: number) => new Date(T.getTime() + s * 1000);
    const prefix = '/drplane/test/lag';
    const logs = captureLogs();
    // Runs 1-2 see the world 200 s ago, runs 3-4 see now.
    let clock = at(-200);
    const handler = createLagMonitorHandler({ env: monitorEnv(prefix), logSink: logs.sink, now: () => clock });

    // Aurora 12 s behind (breach), DynamoDB 0.8 s, S3 3 s.
    await putSourceLags(at(-240), { auroraMs: 12_000, dynamoMs: 800, s3Seconds: 3 });

    const run1 = await handler({}, lambdaContext());
    expect(run1.stores).toEqual([
      {
        Store: 'db-usw2',
        StoreType: 'aurora',
        Region: 'us-west-2',
        status: 'breach',
        lagSeconds: 12,
        thresholdSeconds: 5,
        notified: 'breach',
      },
      {
        Store: 'transactions-test',
        StoreType: 'dynamodb',
        Region: 'us-west-2',
        status: 'ok',
        lagSeconds: 0.8,
        thresholdSeconds: 5,
      },
      { Store: 'docs-usw2', StoreType: 's3', Region: 'us-west-2', status: 'ok', lagSeconds: 3, thresholdSeconds: 900 },
      {
        Store: 'db-euw1',
        StoreType: 'aurora',
        Region: 'eu-west-1',
        status: 'unknown',
        lagSeconds: null,
        thresholdSeconds: 5,
        reason: 'no datapoint in the last 300 s',
      },
    ]);
    expect(run1.counts).toEqual({ ok: 2, breach: 1, unknown: 1, writer: 0, notified: 1 });
    const first = await queue.drain();
    expect(first).toHaveLength(1);
    expect(first[0]?.Subject).toBe('drplane: replication lag above 5s: aurora db-usw2 (us-west-2)');
    expect(JSON.parse(first[0]?.Message ?? '{}')).toMatchObject({
      event: 'breach',
      store: 'db-usw2',
      lagSeconds: 12,
      thresholdSeconds: 5,
    });
    expect(await stateOf(`${prefix}/aurora/db-usw2/us-west-2`)).toBe('breach');

    // Still above the threshold: silent.
    clock = at(-199);
    const run2 = await handler({}, lambdaContext());
    expect(run2.stores[0]).toMatchObject({ status: 'breach' });
    expect(run2.counts.notified).toBe(0);
    expect(await queue.drain()).toHaveLength(0);

    // Aurora back to 1 s (recovery); DynamoDB now 9 s behind (a new breach).
    await putSourceLags(at(-60), { auroraMs: 1_000, dynamoMs: 9_000, s3Seconds: 2 });
    clock = T;
    const run3 = await handler({}, lambdaContext());
    expect(run3.stores.map((s) => [s.Store, s.status, s.notified])).toEqual([
      ['db-usw2', 'ok', 'recovery'],
      ['transactions-test', 'breach', 'breach'],
      ['docs-usw2', 'ok', undefined],
      ['db-euw1', 'unknown', undefined],
    ]);
    const third = await queue.drain();
    const events = third.map((m) => JSON.parse(m.Message) as { event: string; store: string });
    expect(events.map((e) => `${e.event}:${e.store}`).sort()).toEqual(['breach:transactions-test', 'recovery:db-usw2']);
    expect(await stateOf(`${prefix}/aurora/db-usw2/us-west-2`)).toBe('ok');
    expect(await stateOf(`${prefix}/dynamodb/transactions-test/us-west-2`)).toBe('breach');
    expect(await stateOf(`${prefix}/aurora/db-euw1/eu-west-1`)).toBeUndefined();
    // The state is a SecureString of the configured key (not the account's default key), standard tier.
    const described = await new SSMClient({ region: 'us-east-1' }).send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [`${prefix}/aurora`] }] }),
    );
    expect(described.Parameters?.map((p) => [p.Type, p.KeyId, p.Tier])).toEqual([['SecureString', STATE_KEY_ARN, 'Standard']]);

    clock = at(1);
    await handler({}, lambdaContext());
    expect(await queue.drain()).toHaveLength(0);

    // Custom metrics: one value per run for known lags, in seconds; none for the unknown store.
    const window = [at(-600), at(60)] as const;
    expect(await publishedLag('db-usw2', 'aurora', 'us-west-2', ...window)).toEqual([12, 12, 1, 1]);
    expect(await publishedLag('transactions-test', 'dynamodb', 'us-west-2', ...window)).toEqual([0.8, 0.8, 9, 9]);
    expect(await publishedLag('docs-usw2', 's3', 'us-west-2', ...window)).toEqual([3, 3, 2, 2]);
    expect(await publishedLag('db-euw1', 'aurora', 'eu-west-1', ...window)).toEqual([]);

    // One summary log line per run, with requestId and region.
    const summaries = logs.records().filter((r) => r.msg === 'lag check');
    expect(summaries).toHaveLength(4);
    expect(summaries.every((r) => r.region === 'us-east-1' && typeof r.requestId === 'string')).toBe(true);
  });

  it('fails the run and keeps the state when SNS refuses, so the next run alerts again', async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const prefix = '/drplane/test/retry';
    const now = () => new Date(T.getTime() + 1_000);
    await putSourceLags(new Date(T.getTime() - 30_000), { auroraMs: 20_000, dynamoMs: 100, s3Seconds: 1 });
    await queue.drain();

    const broken = createLagMonitorHandler({
      env: monitorEnv(prefix, 'arn:aws:sns:us-west-2:123456789012:no-such-topic'),
      logSink: captureLogs().sink,
      now,
    });
    await expect(broken({}, lambdaContext())).rejects.toThrow(/breach for aurora\/db-usw2\/us-west-2: NotFound/);
    expect(await stateOf(`${prefix}/aurora/db-usw2/us-west-2`)).toBeUndefined();

    const fixed = createLagMonitorHandler({ env: monitorEnv(prefix), logSink: captureLogs().sink, now });
    const run = await fixed({}, lambdaContext());
    expect(run.stores[0]).toMatchObject({ status: 'breach', notified: 'breach' });
    expect((await queue.drain()).map((m) => (JSON.parse(m.Message) as { store: string }).store)).toEqual(['db-usw2']);
    expect(await stateOf(`${prefix}/aurora/db-usw2/us-west-2`)).toBe('breach');
  });

  it("overlapping runs: one checks and alerts, the other skips; the lock is released, and a dead run's lock is taken over", async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const prefix = '/drplane/test/overlap';
    const now = () => new Date(T.getTime() + 2_000);
    await putSourceLags(new Date(T.getTime() - 20_000), { auroraMs: 30_000, dynamoMs: 100, s3Seconds: 1 });
    await queue.drain();
    const handler = createLagMonitorHandler({ env: monitorEnv(prefix), logSink: captureLogs().sink, now });

    const runs = await Promise.all([handler({}, lambdaContext('run-a')), handler({}, lambdaContext('run-b'))]);
    const checked = runs.filter((r) => r.skipped === undefined);
    const skipped = runs.filter((r) => r.skipped !== undefined);
    expect(checked).toHaveLength(1);
    expect(checked[0]?.stores[0]).toMatchObject({ Store: 'db-usw2', status: 'breach', notified: 'breach' });
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.skipped).toMatch(/^another run \(run-[ab]\) holds \/drplane\/test\/overlap\/lock until /);
    expect(skipped[0]?.stores).toEqual([]);
    // One alert for the breach, not one per run.
    expect((await queue.drain()).map((m) => (JSON.parse(m.Message) as { store: string }).store)).toEqual(['db-usw2']);
    expect(await parameterValue(`${prefix}/lock`)).toBeUndefined();

    // A run that died holding the lock: live until its end, taken over after it.
    const ssm = new SSMClient({ region: 'us-east-1' });
    const dead = (expiresAt: Date) =>
      ssm.send(
        new PutParameterCommand({
          Name: `${prefix}/lock`,
          Value: JSON.stringify({ holder: 'run-dead', expiresAt: expiresAt.toISOString() }),
          Type: 'String',
          Overwrite: true,
        }),
      );
    await dead(new Date(T.getTime() + 60_000));
    const blocked = await handler({}, lambdaContext('run-c'));
    expect(blocked.skipped).toBe(
      `another run (run-dead) holds ${prefix}/lock until ${new Date(T.getTime() + 60_000).toISOString()}`,
    );
    expect(JSON.parse((await parameterValue(`${prefix}/lock`)) ?? '{}')).toMatchObject({ holder: 'run-dead' });
    await dead(new Date(T.getTime() - 1_000));
    const takeover = await handler({}, lambdaContext('run-d'));
    expect(takeover.skipped).toBeUndefined();
    expect(takeover.stores[0]).toMatchObject({ Store: 'db-usw2', status: 'breach' });
    expect(await parameterValue(`${prefix}/lock`)).toBeUndefined();
  });

  it('a lock already naming this run (its PutParameter applied, the answer lost, the retry refused) is its own: the run checks', async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const prefix = '/drplane/test/retried-lock';
    await putSourceLags(new Date(T.getTime() - 20_000), { auroraMs: 100, dynamoMs: 100, s3Seconds: 1 });
    const ssm = new SSMClient({ region: 'us-east-1' });
    // What the first attempt left: the lock with this run's request id, live until the run's end.
    await ssm.send(
      new PutParameterCommand({
        Name: `${prefix}/lock`,
        Value: JSON.stringify({ holder: 'run-retried', expiresAt: new Date(T.getTime() + 60_000).toISOString() }),
        Type: 'String',
      }),
    );
    const handler = createLagMonitorHandler({ env: monitorEnv(prefix), logSink: captureLogs().sink, now: () => T });
    const run = await handler({}, lambdaContext('run-retried'));
    expect(run.skipped).toBeUndefined();
    expect(run.stores.map((s) => s.Store)).toEqual(['db-usw2', 'transactions-test', 'docs-usw2', 'db-euw1']);
    expect(await parameterValue(`${prefix}/lock`)).toBeUndefined();
  });

  it('compares S3 replication lag with the S3 threshold (at least the 15 minutes RTC promises), not the general one', async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const prefix = '/drplane/test/s3';
    const store: LagStore = {
      type: 's3',
      sourceBucket: 'rtc-use1',
      destinationBucket: 'rtc-usw2',
      ruleId: 'to-us-west-2',
      region: 'us-west-2',
      sourceRegion: 'us-east-1',
    };
    // S3 publishes ReplicationLatency in the destination bucket's region (S3 User Guide, "Using S3 Replication metrics").
    const putS3 = (seconds: number, at: Date) =>
      cw('us-west-2').send(
        new PutMetricDataCommand({
          Namespace: 'AWS/S3',
          MetricData: [
            {
              MetricName: 'ReplicationLatency',
              Dimensions: [
                { Name: 'SourceBucket', Value: 'rtc-use1' },
                { Name: 'DestinationBucket', Value: 'rtc-usw2' },
                { Name: 'RuleId', Value: 'to-us-west-2' },
              ],
              Value: seconds,
              Unit: 'Seconds',
              Timestamp: at,
            },
          ],
        }),
      );
    await queue.drain();
    let clock = new Date(T.getTime() - 200_000);
    const env = { ...monitorEnv(prefix), DRPLANE_STORES: JSON.stringify([store]) };
    const handler = createLagMonitorHandler({ env, logSink: captureLogs().sink, now: () => clock });

    // Two minutes: far above the general 5 s, well within Replication Time Control's 15 minutes.
    await putS3(120, new Date(T.getTime() - 230_000));
    const normal = await handler({}, lambdaContext());
    expect(normal.s3ThresholdSeconds).toBe(900);
    expect(normal.stores).toEqual([
      { Store: 'rtc-usw2', StoreType: 's3', Region: 'us-west-2', status: 'ok', lagSeconds: 120, thresholdSeconds: 900 },
    ]);
    expect(await queue.drain()).toHaveLength(0);

    // Twenty minutes: RTC's promise is broken.
    await putS3(1_200, new Date(T.getTime() - 30_000));
    clock = T;
    const late = await handler({}, lambdaContext());
    expect(late.stores[0]).toMatchObject({ status: 'breach', lagSeconds: 1_200, thresholdSeconds: 900, notified: 'breach' });
    const [message] = await queue.drain();
    expect(message?.Subject).toBe('drplane: replication lag above 900s: s3 rtc-usw2 (us-west-2)');
    expect(JSON.parse(message?.Message ?? '{}')).toMatchObject({ lagSeconds: 1_200, thresholdSeconds: 900 });

    // An explicit S3 threshold wins over the default.
    const strict = createLagMonitorHandler({
      env: { ...env, DRPLANE_STATE_PARAMETER_PREFIX: '/drplane/test/s3-strict', DRPLANE_S3_LAG_THRESHOLD_SECONDS: '1800' },
      logSink: captureLogs().sink,
      now: () => clock,
    });
    expect((await strict({}, lambdaContext())).stores[0]).toMatchObject({ status: 'ok', thresholdSeconds: 1_800 });
  });

  it('a hung region costs one bounded call: its stores are unknown, the rest is checked, a hung alert names its store', async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const now = () => new Date(T.getTime() + 3_000);
    await putSourceLags(new Date(T.getTime() - 20_000), { auroraMs: 2_000, dynamoMs: 30_000, s3Seconds: 1 });
    await queue.drain();
    const limits = { connectionTimeoutMs: 300, requestTimeoutMs: 600, maxAttempts: 2, callTimeoutMs: 1_500 };
    const saved = process.env.AWS_ENDPOINT_URL;
    // eu-west-1 (CloudWatch of db-euw1) accepts connections and never answers.
    const proxy = await startHangingProxy(moto.endpoint, ['eu-west-1']);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    try {
      const handler = createLagMonitorHandler({
        env: monitorEnv('/drplane/test/hung'),
        logSink: captureLogs().sink,
        now,
        limits,
      });
      const started = Date.now();
      const run = await handler({}, lambdaContext('run-hung', 45_000));
      const took = Date.now() - started;
      expect(took).toBeLessThan(6_000);
      expect(proxy.held.get('eu-west-1/monitoring')).toBeGreaterThanOrEqual(1);
      // Read where CloudWatch answers (earlier tests' values share the one-minute period, so only known-ness is checked).
      expect(run.stores.map((s) => [s.Store, s.lagSeconds === null ? 'unknown' : 'read'])).toEqual([
        ['db-usw2', 'read'],
        ['transactions-test', 'read'],
        ['docs-usw2', 'read'],
        ['db-euw1', 'unknown'],
      ]);
      expect(run.stores[3]?.reason).toMatch(/^CloudWatch read in eu-west-1 failed: \w+$/);
      expect(run.stores[1]).toMatchObject({ status: 'breach', notified: 'breach' });
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
      await proxy.stop();
    }
    await queue.drain();

    // The alert topic's region (us-west-2) hangs: the breach is not announced, the store says why, the run fails
    // (the next run retries), and all of it within the call limits.
    await putSourceLags(new Date(T.getTime() - 10_000), { auroraMs: 2_000, dynamoMs: 40_000, s3Seconds: 1 });
    const snsProxy = await startHangingProxy(moto.endpoint, ['us-west-2']);
    process.env.AWS_ENDPOINT_URL = snsProxy.endpoint;
    try {
      const logs = captureLogs();
      const handler = createLagMonitorHandler({ env: monitorEnv('/drplane/test/hung-sns'), logSink: logs.sink, now, limits });
      const started = Date.now();
      await expect(handler({}, lambdaContext('run-hung-sns', 45_000))).rejects.toThrow(
        /breach for dynamodb\/transactions-test\/us-west-2: \w+/,
      );
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(snsProxy.held.get('us-west-2/sns')).toBeGreaterThanOrEqual(1);
      const summary = logs.records().find((r) => r.msg === 'lag check')?.summary as { stores: StoreResult[] };
      expect(summary.stores.find((s) => s.Store === 'transactions-test')).toMatchObject({
        status: 'breach',
        error: expect.stringMatching(/^breach for dynamodb\/transactions-test\/us-west-2: \w+$/),
      });
      expect(summary.stores.find((s) => s.Store === 'transactions-test')?.notified).toBeUndefined();
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
      await snsProxy.stop();
    }
    expect(await stateOf('/drplane/test/hung-sns/dynamodb/transactions-test/us-west-2')).toBeUndefined();
  });

  it('after a failover: asks RDS who writes, reports the new writer as writer and reads the old primary as a replica', async () => {
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const now = () => new Date(T.getTime() + 4_000);
    // The global cluster after a failover to us-west-2: ft-usw2 writes, ft-use1 (the original primary) replicates.
    await new RDSClient({ region: 'us-west-2' }).send(
      new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'gdb-ft', Engine: 'aurora-postgresql', EngineVersion: '15.10' }),
    );
    for (const [region, id, writer] of [
      ['us-west-2', 'ft-usw2', true],
      ['us-east-1', 'ft-use1', false],
    ] as const) {
      await new RDSClient({ region }).send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: id,
          Engine: 'aurora-postgresql',
          EngineVersion: '15.10',
          GlobalClusterIdentifier: 'gdb-ft',
          ...(writer ? { MasterUsername: 'dradmin', ManageMasterUserPassword: true } : {}),
        }),
      );
    }
    await cw('us-east-1').send(
      new PutMetricDataCommand({
        Namespace: 'AWS/RDS',
        MetricData: [
          {
            MetricName: 'AuroraGlobalDBRPOLag',
            Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'ft-use1' }],
            Value: 900,
            Unit: 'Milliseconds',
            Timestamp: new Date(T.getTime() - 30_000),
          },
        ],
      }),
    );
    const stores: LagStore[] = [
      { type: 'aurora', region: 'us-east-1', clusterIdentifier: 'ft-use1' },
      { type: 'aurora', region: 'us-west-2', clusterIdentifier: 'ft-usw2' },
    ];
    const env = {
      ...monitorEnv('/drplane/test/writer'),
      AWS_REGION: 'us-west-2',
      DRPLANE_STORES: JSON.stringify(stores),
      DRPLANE_GLOBAL_CLUSTER_ID: 'gdb-ft',
    };
    const run = await createLagMonitorHandler({ env, logSink: captureLogs().sink, now })({}, lambdaContext());
    expect(run.stores).toEqual([
      { Store: 'ft-use1', StoreType: 'aurora', Region: 'us-east-1', status: 'ok', lagSeconds: 0.9, thresholdSeconds: 5 },
      { Store: 'ft-usw2', StoreType: 'aurora', Region: 'us-west-2', status: 'writer', lagSeconds: null, thresholdSeconds: 5 },
    ]);
    expect(run.counts).toEqual({ ok: 1, breach: 0, unknown: 0, writer: 1, notified: 0 });

    // Without the global cluster's name the writer is only an unknown store, as before.
    const blind = await createLagMonitorHandler({
      env: { ...env, DRPLANE_GLOBAL_CLUSTER_ID: '', DRPLANE_STATE_PARAMETER_PREFIX: '/drplane/test/writer-blind' },
      logSink: captureLogs().sink,
      now,
    })({}, lambdaContext());
    expect(blind.stores[1]).toMatchObject({ Store: 'ft-usw2', status: 'unknown' });
  });

  it('refuses to run with a configuration error that names the variable', async () => {
    const env = { ...monitorEnv('/x'), DRPLANE_STORES: '[{"type":"aurora","region":"us-west-2"}]' };
    const handler = createLagMonitorHandler({ env, logSink: captureLogs().sink });
    await expect(handler({}, lambdaContext())).rejects.toThrow(
      'DRPLANE_STORES: entry 0 field "clusterIdentifier" is undefined; expected an RDS cluster identifier',
    );
  });
  it('reads Aurora lag whatever dimension set it is published with (DBClusterIdentifier alone, or with SourceRegion)', async () => {
    // CloudWatch matches dimension sets exactly; Aurora's set for the global-database lag is not pinned by AWS.
    const T = new Date(Math.floor(Date.now() / 1000) * 1000);
    const put = (cluster: string, dims: { Name: string; Value: string }[], ms: number) =>
      cw('ap-southeast-2').send(
        new PutMetricDataCommand({
          Namespace: 'AWS/RDS',
          MetricData: [
            {
              MetricName: 'AuroraGlobalDBRPOLag',
              Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }, ...dims],
              Value: ms,
              Unit: 'Milliseconds',
              Timestamp: new Date(T.getTime() - 30_000),
            },
          ],
        }),
      );
    await put('db-with-source', [{ Name: 'SourceRegion', Value: 'us-east-1' }], 7_000);
    await put('db-plain', [], 2_000);
    // Another cluster's series must not count.
    await put('db-other', [{ Name: 'SourceRegion', Value: 'us-east-1' }], 99_000);
    const stores: LagStore[] = [
      { type: 'aurora', region: 'ap-southeast-2', clusterIdentifier: 'db-with-source' },
      { type: 'aurora', region: 'ap-southeast-2', clusterIdentifier: 'db-plain' },
    ];
    const handler = createLagMonitorHandler({
      env: { ...monitorEnv('/drplane/test/dims'), DRPLANE_STORES: JSON.stringify(stores) },
      logSink: captureLogs().sink,
      now: () => T,
    });
    const run = await handler({}, lambdaContext());
    expect(run.stores.map((s) => [s.Store, s.status, s.lagSeconds, s.reason])).toEqual([
      ['db-with-source', 'breach', 7, undefined],
      ['db-plain', 'ok', 2, undefined],
    ]);
    await queue.drain();
  });
});
