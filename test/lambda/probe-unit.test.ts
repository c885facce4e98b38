/**
 * The automatic trigger's probe with stand-in clients: what it publishes for the serving region from the standby (its
 * own /health answer, Route 53's checkers, the cluster's maintenance state), and that the two extra reads never keep
 * RegionHealthy from being published.
 */
import type { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory, FailoverClients } from '../../lambda/failover/clients.js';
import { createProbe, PROBE_ERRORS_PUBLISH_MS, PROBE_RESERVE_MS } from '../../lambda/failover/probe.js';
import { startHealthServer, type HealthServer } from './support/health-server.js';
import { lambdaContext } from './support/lambda.js';

const EAST = 'arn:aws:rds:us-east-1:111122223333:cluster:db-use1';
/** The estate id the composition gives the probe (DRPLANE_ESTATE): the Estate dimension of all it publishes. */
const ESTATE = 'e0c0ffee';
const WEST = 'arn:aws:rds:us-west-2:111122223333:cluster:db-usw2';

type Datum = { MetricName?: string; Value?: number; Dimensions?: { Name?: string; Value?: string }[] };

/** Clients whose Route 53 and RDS answer (or fail) as told, and whose CloudWatch keeps what was published. */
function fakeClients(r: {
  checkers?: string[] | Error;
  clusterStatus?: string | Error;
  /** The cluster's DB instances' states (DescribeDBInstances); the RDS API fails for both reads with clusterStatus. */
  instanceStatuses?: string[];
  /** The first PutMetricData calls that fail (count). */
  putFails?: number;
  /** DescribeAlarms' answer (the re-driver's read of the trigger alarm). */
  alarms?: Error | { CompositeAlarms: Record<string, unknown>[]; MetricAlarms: Record<string, unknown>[] };
  /** Step Functions' DescribeExecution never answers (the standby's control plane hangs) until the call is aborted. */
  sfnHangs?: boolean;
}) {
  let putFails = r.putFails ?? 0;
  const published: Datum[] = [];
  const calls: string[] = [];
  const answer = (name: string, value: unknown) => {
    calls.push(name);
    if (value instanceof Error) return Promise.reject(value);
    return Promise.resolve(value);
  };
  const clients = {
    route53: () => ({
      send: (cmd: { input: { HealthCheckId: string } }) =>
        answer(
          `GetHealthCheckStatus ${cmd.input.HealthCheckId}`,
          r.checkers instanceof Error
            ? r.checkers
            : {
                HealthCheckObservations: (r.checkers ?? []).map((Status) => ({ Region: 'us-east-1', StatusReport: { Status } })),
              },
        ),
    }),
    rds: (region: string) => ({
      send: (cmd: { input: { DBClusterIdentifier?: string; Filters?: { Name: string; Values: string[] }[] } }) =>
        cmd.input.Filters === undefined
          ? answer(
              `DescribeDBClusters ${region} ${cmd.input.DBClusterIdentifier}`,
              r.clusterStatus instanceof Error ? r.clusterStatus : { DBClusters: [{ Status: r.clusterStatus ?? 'available' }] },
            )
          : answer(
              `DescribeDBInstances ${region} ${cmd.input.Filters.map((f) => `${f.Name}=${f.Values.join(',')}`).join(' ')}`,
              r.clusterStatus instanceof Error
                ? r.clusterStatus
                : {
                    DBInstances: (r.instanceStatuses ?? ['available', 'available']).map((DBInstanceStatus) => ({
                      DBInstanceStatus,
                    })),
                  },
            ),
    }),
    sfn: () => ({
      send: (cmd: { constructor: { name: string } }, opts?: { abortSignal?: AbortSignal }) => {
        const name = cmd.constructor.name.replace(/Command$/, '');
        if (name === 'DescribeExecution' && r.sfnHangs === true) {
          calls.push(name);
          return new Promise((_resolve, reject) =>
            opts?.abortSignal?.addEventListener('abort', () =>
              reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
            ),
          );
        }
        if (name === 'DescribeExecution')
          return answer(name, Object.assign(new Error('no such execution'), { name: 'ExecutionDoesNotExist' }));
        return answer(name, name === 'ListExecutions' ? { executions: [] } : {});
      },
    }),
    cloudWatch: () => ({
      send: (cmd: PutMetricDataCommand) => {
        if (!('MetricData' in cmd.input)) return answer('DescribeAlarms', r.alarms ?? { CompositeAlarms: [], MetricAlarms: [] });
        if (putFails-- > 0) return answer('PutMetricData', new Error('connect ETIMEDOUT'));
        calls.push('PutMetricData');
        published.push(...((cmd.input.MetricData ?? []) as Datum[]));
        return Promise.resolve({});
      },
    }),
  } as unknown as FailoverClients;
  const factory: ClientFactory = () => clients;
  return { factory, published, calls };
}

const valueOf = (published: readonly Datum[], name: string) => published.find((d) => d.MetricName === name)?.Value;

describe('the automatic trigger probe', () => {
  let health: HealthServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    health = await startHealthServer();
    env = {
      AWS_REGION: 'us-west-2',
      DRPLANE_REGIONS: '{"primary":"us-east-1","secondaries":["us-west-2"]}',
      DRPLANE_GLOBAL_CLUSTER_ID: 'gdb',
      DRPLANE_CLUSTER_ARNS: JSON.stringify({ 'us-east-1': EAST, 'us-west-2': WEST }),
      DRPLANE_HOSTED_ZONE_ID: 'Z123',
      DRPLANE_RECORD_NAME: 'api.example.com',
      DRPLANE_HEALTH_URLS: JSON.stringify({ 'us-east-1': health.url('us-east-1'), 'us-west-2': health.url('us-west-2') }),
      DRPLANE_HEALTH_CHECK_IDS: JSON.stringify({ 'us-east-1': 'hc-east', 'us-west-2': 'hc-west' }),
      DRPLANE_TOPIC_ARN: 'arn:aws:sns:us-west-2:111122223333:dr',
      DRPLANE_OPERATIONS_ROLE_ARN: 'arn:aws:iam::111122223333:role/dr-operations',
      DRPLANE_ESTATE: ESTATE,
      DRPLANE_EXTERNAL_ID_PARAMETER: '/drplane/prod/external-id',
    };
  });
  afterAll(() => health.stop());

  const probeWith = (fake: ReturnType<typeof fakeClients>) =>
    createProbe({ env, clientFactory: fake.factory, logSink: () => {} })({ probe: { region: 'us-east-1' } }, lambdaContext());

  it("publishes the region's /health, the share of Route 53's checkers that see it healthy, and no maintenance", async () => {
    health.setStatus('us-east-1', 503);
    const fake = fakeClients({
      checkers: [
        'Failure: Connection timed out.',
        'Failure: HTTP Status Code 503',
        'Success: HTTP Status Code 200',
        'Failure: x',
      ],
    });
    expect(await probeWith(fake)).toEqual({ healthy: false, checkersHealthyPercent: 25, inMaintenance: false });
    expect(valueOf(fake.published, 'RegionHealthy')).toBe(0);
    expect(valueOf(fake.published, 'CheckersHealthyPercent')).toBe(25);
    expect(valueOf(fake.published, 'RegionInMaintenance')).toBe(0);
    // The serving region's health check and cluster, each with Estate = the estate id, Region = the probed region,
    // ProbedFrom = its own: the series the estate's alarms read, which no other estate's probe writes.
    expect(fake.calls.sort()).toEqual([
      'DescribeDBClusters us-east-1 db-use1',
      'DescribeDBInstances us-east-1 db-cluster-id=db-use1',
      'GetHealthCheckStatus hc-east',
      'PutMetricData',
      'PutMetricData',
    ]);
    for (const d of fake.published.filter((p) => p.MetricName !== 'ProbeErrors'))
      expect(d.Dimensions).toEqual([
        { Name: 'Estate', Value: ESTATE },
        { Name: 'Region', Value: 'us-east-1' },
        { Name: 'ProbedFrom', Value: 'us-west-2' },
      ]);
  });

  it("names its estate in every series: another estate's probe of the same regions publishes to other series", async () => {
    health.setStatus('us-east-1', 200);
    const other = fakeClients({ checkers: ['Success: HTTP Status Code 200'] });
    await createProbe({ env: { ...env, DRPLANE_ESTATE: 'e00000bb' }, clientFactory: other.factory, logSink: () => {} })(
      { probe: { region: 'us-east-1' } },
      lambdaContext(),
    );
    expect(other.published.map((d) => [d.MetricName, d.Dimensions?.[0]])).toEqual([
      ['RegionHealthy', { Name: 'Estate', Value: 'e00000bb' }],
      ['CheckersHealthyPercent', { Name: 'Estate', Value: 'e00000bb' }],
      ['RegionInMaintenance', { Name: 'Estate', Value: 'e00000bb' }],
      ['ProbeErrors', { Name: 'Estate', Value: 'e00000bb' }],
    ]);
  });

  it('refuses to run without a usable DRPLANE_ESTATE, and publishes ProbeErrors only when the estate id is usable', async () => {
    health.setStatus('us-east-1', 200);
    const run = async (estate: string | undefined, extra: Record<string, string | undefined> = {}) => {
      const fake = fakeClients({});
      const lines: string[] = [];
      const result = await createProbe({
        env: { ...env, DRPLANE_ESTATE: estate, ...extra },
        clientFactory: fake.factory,
        logSink: (line) => lines.push(line),
      })({ probe: { region: 'us-east-1' } }, lambdaContext());
      return { result, fake, log: lines.join('\n') };
    };
    // Missing or malformed: the configuration error names the variable; no series without the estate is written (the
    // probe-errors alarm counts the silence: missing data breaches).
    for (const estate of [undefined, '', 'payments-prod', 'E0C0FFEE', 'e0c0ffee0']) {
      const { result, fake, log } = await run(estate);
      expect(result).toEqual({ failed: true });
      expect(fake.published).toEqual([]);
      expect(log).toContain('DRPLANE_ESTATE');
    }
    // Another variable is wrong but the estate id is usable: ProbeErrors 1 in the estate's series.
    const { result, fake, log } = await run(ESTATE, { DRPLANE_REGIONS: undefined });
    expect(result).toEqual({ failed: true });
    expect(log).toContain('DRPLANE_REGIONS: is not set');
    expect(fake.published.map((d) => [d.MetricName, d.Value, d.Dimensions])).toEqual([
      [
        'ProbeErrors',
        1,
        [
          { Name: 'Estate', Value: ESTATE },
          { Name: 'ProbedFrom', Value: 'us-west-2' },
        ],
      ],
    ]);
  });

  it("reports the cluster's maintenance state, so Aurora patching holds the trigger", async () => {
    health.setStatus('us-east-1', 503);
    for (const status of ['maintenance', 'upgrading', 'modifying', 'rebooting']) {
      const fake = fakeClients({ checkers: ['Failure: HTTP Status Code 503'], clusterStatus: status });
      await probeWith(fake);
      expect(valueOf(fake.published, 'RegionInMaintenance')).toBe(1);
    }
  });

  it('reports an instance in maintenance while the cluster is available (audit 21 N4: OS patching, reboots)', async () => {
    health.setStatus('us-east-1', 503);
    const fake = fakeClients({ checkers: ['Failure: HTTP Status Code 503'], instanceStatuses: ['available', 'rebooting'] });
    expect(await probeWith(fake)).toMatchObject({ inMaintenance: true });
    expect(valueOf(fake.published, 'RegionInMaintenance')).toBe(1);
  });

  it('a Route 53 or RDS API that does not answer publishes nothing for it, and RegionHealthy still goes out', async () => {
    health.setStatus('us-east-1', 200);
    const fake = fakeClients({ checkers: new Error('connect ETIMEDOUT'), clusterStatus: new Error('socket hang up') });
    expect(await probeWith(fake)).toEqual({ healthy: true });
    expect(fake.published.map((d) => [d.MetricName, d.Value])).toEqual([
      ['RegionHealthy', 1],
      ['ProbeErrors', 0],
    ]);
  });

  // audit 21 N7: a probe that threw reached the orchestrator's on-failure destination (the alert topic) every minute.
  it('never throws: a bad event, a failed publish or a failed re-drive is logged and counted in ProbeErrors', async () => {
    const errorsOf = (fake: ReturnType<typeof fakeClients>) =>
      fake.published.filter((d) => d.MetricName === 'ProbeErrors').map((d) => [d.Value, d.Dimensions]);
    const own = [
      { Name: 'Estate', Value: ESTATE },
      { Name: 'ProbedFrom', Value: 'us-west-2' },
    ];
    // A region that is not the estate's.
    const bad = fakeClients({});
    await expect(
      createProbe({ env, clientFactory: bad.factory, logSink: () => {} })({ probe: { region: 'eu-west-9' } }, lambdaContext()),
    ).resolves.toEqual({ failed: true });
    expect(errorsOf(bad)).toEqual([[1, own]]);
    // CloudWatch refuses the signal once: ProbeErrors still goes out on the second call.
    health.setStatus('us-east-1', 200);
    const refused = fakeClients({ putFails: 1 });
    await expect(probeWith(refused)).resolves.toEqual({ failed: true });
    expect(errorsOf(refused)).toEqual([[1, own]]);
    // CloudWatch down altogether: resolves all the same (nothing can be published; the log has it).
    const down = fakeClients({ putFails: 9 });
    await expect(probeWith(down)).resolves.toEqual({ failed: true });
    expect(down.published).toEqual([]);
    // The re-drive (automatic mode) fails after the signal went out: the signal stands, ProbeErrors 1.
    const redrive = fakeClients({ alarms: new Error('Throttling') });
    const automatic = createProbe({
      env: {
        ...env,
        DRPLANE_TRIGGER_ALARM: 'trigger',
        DRPLANE_STATE_MACHINE_ARN: 'arn:aws:states:us-west-2:111122223333:stateMachine:failover',
      },
      clientFactory: redrive.factory,
      logSink: () => {},
    });
    await expect(automatic({ probe: { region: 'us-east-1' } }, lambdaContext())).resolves.toMatchObject({
      healthy: true,
      failed: true,
    });
    expect(valueOf(redrive.published, 'RegionHealthy')).toBe(1);
    expect(errorsOf(redrive)).toEqual([[1, own]]);
  });

  it(
    'has a deadline within its invocation: a hanging re-drive is cut, reported as skipped and counted, and the probe returns (audit-21-close L4)',
    { timeout: 20_000 },
    async () => {
      health.setStatus('us-east-1', 503);
      const fake = fakeClients({
        sfnHangs: true,
        alarms: {
          CompositeAlarms: [{ StateValue: 'ALARM', StateTransitionedTimestamp: new Date('2026-12-06T21:00:00Z') }],
          MetricAlarms: [],
        },
      });
      const automatic = createProbe({
        env: {
          ...env,
          DRPLANE_TRIGGER_ALARM: 'trigger',
          DRPLANE_STATE_MACHINE_ARN: 'arn:aws:states:us-west-2:111122223333:stateMachine:failover',
        },
        clientFactory: fake.factory,
        logSink: () => {},
      });
      // 10 s left in the invocation: the deadline is PROBE_RESERVE_MS (7 s) before its end.
      const remainingMs = 10_000;
      const started = Date.now();
      const result = await automatic({ probe: { region: 'us-east-1' } }, lambdaContext(undefined, remainingMs));
      const elapsed = Date.now() - started;
      expect(PROBE_RESERVE_MS).toBe(7_000);
      expect(elapsed).toBeGreaterThanOrEqual(remainingMs - PROBE_RESERVE_MS - 50);
      expect(elapsed).toBeLessThan(remainingMs - PROBE_ERRORS_PUBLISH_MS);
      expect(result).toEqual({
        healthy: false,
        inMaintenance: false,
        failed: true,
        skipped: ['re-drive: cut at the probe deadline'],
      });
      expect(fake.calls).toContain('DescribeExecution');
      expect(valueOf(fake.published, 'RegionHealthy')).toBe(0);
      expect(valueOf(fake.published, 'ProbeErrors')).toBe(1);
    },
  );

  // audit arc-rpo L4: StateUpdatedTimestamp moves on any state update and would name another execution.
  it('re-drives only from the alarm transition time: no StateTransitionedTimestamp, no re-drive (never StateUpdatedTimestamp)', async () => {
    health.setStatus('us-east-1', 503);
    const fake = fakeClients({
      alarms: {
        CompositeAlarms: [{ AlarmName: 'trigger', StateValue: 'ALARM', StateUpdatedTimestamp: new Date('2026-12-06T10:00:00Z') }],
        MetricAlarms: [],
      },
    });
    const automatic = createProbe({
      env: {
        ...env,
        DRPLANE_TRIGGER_ALARM: 'trigger',
        DRPLANE_STATE_MACHINE_ARN: 'arn:aws:states:us-west-2:111122223333:stateMachine:failover',
      },
      clientFactory: fake.factory,
      logSink: () => {},
    });
    const result = await automatic({ probe: { region: 'us-east-1' } }, lambdaContext());
    expect(result).toMatchObject({ healthy: false, failed: true });
    expect(result.redrive).toBeUndefined();
    expect(fake.calls.filter((c) => /Execution/.test(c))).toEqual([]);
  });
});
