/**
 * The lag monitor's ARC readiness report (routing.arc.readiness) against moto's SSM and the FAKE readiness API
 * (test/support/readiness-api-fake.ts: moto has no route53-recovery-readiness).
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLagMonitorConfig } from '../../lambda/lag-monitor/config.js';
import { createLagMonitorHandler } from '../../lambda/lag-monitor/index.js';
import { ConfigError } from '../../lambda/shared/env.js';
import { readinessReportDimensions } from '../../lambda/shared/metrics-contract.js';
import {
  READINESS_API_REGION,
  READINESS_REPORT_PERIOD_SECONDS,
  parseReadinessReport,
  readinessParameterName,
} from '../../lambda/shared/readiness.js';
import { startFakeReadinessApi, type FakeCell, type FakeReadinessApi } from '../support/readiness-api-fake.js';
import { useMoto } from './support/aws.js';
import { captureLogs, lambdaContext } from './support/lambda.js';
import { drplaneMetricAt as metricAt } from './support/metrics.js';
import { startMoto, type MotoServer } from './support/moto.js';
import { startProxy } from './support/proxy.js';

let moto: MotoServer;
let fake: FakeReadinessApi;
const CELL = 'payments_cell_prod_use1_e1';
const cells: Record<string, FakeCell> = {
  [CELL]: { readiness: 'READY', checks: { payments_check_functions: 'READY', payments_check_aurora: 'READY' } },
};
const STATE_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b7a2c2e-4a53-4c0e-9a57-0d7c3b5e2a10';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:drplane-alerts';

/** The estate id (DRPLANE_ESTATE, and the estate tag, as compose sets both). */
const ESTATE = 'e1234567';
const TAGS = { Environment: 'prod', ManagedBy: 'drplane', 'drplane:estate': ESTATE, team: 'payments' };
/** The monitor's ReadinessReportErrors series: the estate's, in its region (metrics-contract.ts). */
const REPORT_ERRORS = readinessReportDimensions(ESTATE, 'us-east-1');

const env = (prefix: string, cell: string | null = CELL, stores: readonly unknown[] = []): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  DRPLANE_PRIMARY_REGION: 'us-east-1',
  // A readiness-only monitor by default: an ARC estate without replicated stores still reports its cell.
  DRPLANE_STORES: JSON.stringify(stores),
  DRPLANE_TOPIC_ARN: TOPIC_ARN,
  DRPLANE_LAG_THRESHOLD_SECONDS: '5',
  DRPLANE_STATE_PARAMETER_PREFIX: prefix,
  DRPLANE_STATE_KEY_ARN: STATE_KEY_ARN,
  DRPLANE_ESTATE: ESTATE,
  ...(cell === null ? {} : { DRPLANE_READINESS_CELL: cell, DRPLANE_REPORT_TAGS: JSON.stringify(TAGS) }),
});

/**
 * The report parameter's value, version, type and Description (read with DescribeParameters, as the provider reads it
 * into status.atProvider.description), or undefined when it does not exist.
 */
async function report(
  prefix: string,
): Promise<{ value: string; version: number; type: string; description: string } | undefined> {
  const ssm = new SSMClient({ region: 'us-east-1' });
  const Name = readinessParameterName(prefix);
  try {
    const p = (await ssm.send(new GetParameterCommand({ Name }))).Parameter;
    const meta = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [Name] }] }),
    );
    const description = meta.Parameters?.[0]?.Description ?? '';
    return { value: p?.Value ?? '', version: p?.Version ?? 0, type: p?.Type ?? '', description };
  } catch (err) {
    if (err instanceof ParameterNotFound) return undefined;
    throw err;
  }
}

/** The report parameter's tags (ListTagsForResource), by key. */
async function tagsOf(prefix: string): Promise<Record<string, string>> {
  const out = await new SSMClient({ region: 'us-east-1' }).send(
    new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: readinessParameterName(prefix) }),
  );
  return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key, t.Value]));
}

/** A DynamoDB store whose replication lag (2.5 s) CloudWatch holds at `at`, so a run publishes its lag metric. */
async function storeWithLag(table: string, at: Date): Promise<unknown> {
  await new CloudWatchClient({ region: 'us-east-1' }).send(
    new PutMetricDataCommand({
      Namespace: 'AWS/DynamoDB',
      MetricData: [
        {
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'TableName', Value: table },
            { Name: 'ReceivingRegion', Value: 'us-west-2' },
          ],
          Value: 2500,
          Unit: 'Milliseconds',
          Timestamp: new Date(at.getTime() - 30_000),
        },
      ],
    }),
  );
  return { type: 'dynamodb', tableName: table, receivingRegion: 'us-west-2' };
}

/** An SSM error answer (AWS JSON 1.1: HTTP 400, `__type`), as a refused call gets it. */
interface Refusal {
  readonly type: string;
  readonly message: string;
}

/**
 * A proxy in front of moto's SSM (AWS_ENDPOINT_URL_SSM) that answers with a Refusal the calls `refuse` picks, by
 * operation (X-Amz-Target AmazonSSM.<op>) and request body, and forwards every other call to moto unchanged.
 */
async function startSsmRefusals(target: string): Promise<{
  endpoint: string;
  refused: string[];
  refuse(rule: ((op: string, body: Record<string, unknown>) => Refusal | undefined) | undefined): void;
  stop(): Promise<void>;
}> {
  let rule: ((op: string, body: Record<string, unknown>) => Refusal | undefined) | undefined;
  const refused: string[] = [];
  const proxy = await startProxy(target, {
    buffered: ({ headers, body }) => {
      const op = String(headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // not JSON: no rule matches on its body
      }
      const refusal = rule?.(op, parsed);
      if (refusal === undefined) return undefined;
      refused.push(`${op} ${refusal.type}`);
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: refusal.type, message: refusal.message }),
      };
    },
  });
  return {
    ...proxy,
    refused,
    refuse: (r) => {
      rule = r;
    },
  };
}

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
  fake = await startFakeReadinessApi(cells);
  process.env.AWS_ENDPOINT_URL_ROUTE53_RECOVERY_READINESS = fake.endpoint;
}, 60_000);

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_ROUTE53_RECOVERY_READINESS;
  await fake?.close();
  await moto?.stop();
});

describe('lag monitor readiness report [fake readiness API]', { timeout: 30_000 }, () => {
  it('writes the cell readiness to a String parameter, again only when it changes or the period has passed', async () => {
    const prefix = '/drplane/rtest/lag-state';
    const T = new Date('2026-12-06T20:00:00.000Z');
    let clock = T;
    const handler = createLagMonitorHandler({ env: env(prefix), now: () => clock });
    fake.requests.length = 0;
    fake.signedRegions.length = 0;

    const run1 = await handler({}, lambdaContext());
    expect(run1.readiness).toEqual({ cell: CELL, readiness: 'READY', checkedAt: T.toISOString(), reported: true, created: true });
    // Every page of the cell's summary was read (the fake answers one check per page), in the API's region.
    expect(fake.requests).toEqual([`GET /cellreadiness/${CELL}`, `GET /cellreadiness/${CELL}?nextToken=1`]);
    expect(new Set(fake.signedRegions)).toEqual(new Set([READINESS_API_REGION]));
    const r1 = await report(prefix);
    expect(r1?.type).toBe('String');
    expect(parseReadinessReport(r1?.value)).toEqual({ cell: CELL, readiness: 'READY', checkedAt: T.toISOString() });
    // The composition reads the Description (the provider shows it in status; the value it does not).
    expect(parseReadinessReport(r1?.description)).toEqual({ cell: CELL, readiness: 'READY', checkedAt: T.toISOString() });

    // A minute later, unchanged: read, not rewritten.
    clock = new Date(T.getTime() + 60_000);
    const run2 = await handler({}, lambdaContext());
    expect(run2.readiness).toEqual({ cell: CELL, readiness: 'READY', checkedAt: clock.toISOString(), reported: false });
    expect((await report(prefix))?.version).toBe(r1?.version);

    // Changed: rewritten at once.
    cells[CELL] = { ...cells[CELL]!, readiness: 'NOT_READY' };
    clock = new Date(T.getTime() + 120_000);
    const run3 = await handler({}, lambdaContext());
    expect(run3.readiness).toEqual({ cell: CELL, readiness: 'NOT_READY', checkedAt: clock.toISOString(), reported: true });
    expect(parseReadinessReport((await report(prefix))?.value)).toEqual({
      cell: CELL,
      readiness: 'NOT_READY',
      checkedAt: clock.toISOString(),
    });
    expect(parseReadinessReport((await report(prefix))?.description)?.readiness).toBe('NOT_READY');

    // Unchanged for a whole period: rewritten with the new time, so the claim can tell a current report from an old one.
    const at3 = clock;
    clock = new Date(at3.getTime() + READINESS_REPORT_PERIOD_SECONDS * 1000);
    const run4 = await handler({}, lambdaContext());
    expect(run4.readiness?.reported).toBe(true);
    expect(parseReadinessReport((await report(prefix))?.value)?.checkedAt).toBe(clock.toISOString());
    cells[CELL] = { ...cells[CELL]!, readiness: 'READY' };
  });

  it('a refused readiness read is in the summary, fails nothing and leaves the last report to age', async () => {
    const prefix = '/drplane/rdeny/lag-state';
    const logs = captureLogs();
    const T = new Date('2026-12-06T20:00:00.000Z');
    let clock = T;
    const handler = createLagMonitorHandler({ env: env(prefix), logSink: logs.sink, now: () => clock });
    await handler({}, lambdaContext());
    const before = await report(prefix);
    fake.deny(true);
    try {
      clock = new Date(T.getTime() + READINESS_REPORT_PERIOD_SECONDS * 2000);
      const run = await handler({}, lambdaContext());
      expect(run.readiness).toEqual({ cell: CELL, reported: false, error: 'GetCellReadinessSummary: AccessDeniedException' });
      expect(await report(prefix)).toEqual(before);
      expect(logs.records().some((r) => r.msg === 'readiness report failed')).toBe(true);
    } finally {
      fake.deny(false);
    }
  });

  it('without a readiness cell the monitor neither calls the readiness API nor writes a report', async () => {
    const prefix = '/drplane/rnone/lag-state';
    fake.requests.length = 0;
    const run = await createLagMonitorHandler({ env: env(prefix, null) })({}, lambdaContext());
    expect(run.readiness).toBeUndefined();
    expect(fake.requests).toEqual([]);
    expect(await report(prefix)).toBeUndefined();
  });

  it('refuses a cell name the readiness API would not accept, naming the variable', () => {
    const bad = () => loadLagMonitorConfig(env('/drplane/x/lag-state', 'payments-cell'));
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/DRPLANE_READINESS_CELL.*"payments-cell".*letters, digits and '_'/);
  });
});

describe('lag monitor readiness report: failures [moto SSM + CloudWatch, fake readiness API]', { timeout: 60_000 }, () => {
  /** A clock near real time (moto's CloudWatch keeps recent datapoints), one second per test apart. */
  let tick = 0;
  const start = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 1000 * tick++);

  it('checkedAt is when the readiness API answered, not when the run started', async () => {
    const prefix = '/drplane/rread/lag-state';
    const T = new Date('2026-12-06T21:00:00.000Z');
    let clock = T;
    const handler = createLagMonitorHandler({ env: env(prefix), now: () => clock });
    // The lock, the metrics and the alert state take 20 s of this run before the readiness API answers.
    fake.onRequest = () => {
      clock = new Date(T.getTime() + 20_000);
    };
    try {
      const run = await handler({}, lambdaContext());
      expect(run.checkedAt).toBe(T.toISOString());
      const read = new Date(T.getTime() + 20_000).toISOString();
      expect(run.readiness?.checkedAt).toBe(read);
      expect(parseReadinessReport((await report(prefix))?.value)?.checkedAt).toBe(read);
      expect(parseReadinessReport((await report(prefix))?.description)?.checkedAt).toBe(read);
    } finally {
      fake.onRequest = undefined;
    }
  });

  it('creates the report with the estate’s tags, and adds a tag the claim gained when it rewrites it', async () => {
    const prefix = '/drplane/rtags/lag-state';
    const T = new Date('2026-12-06T22:00:00.000Z');
    const run = await createLagMonitorHandler({ env: env(prefix), now: () => T })({}, lambdaContext());
    expect(run.readiness).toMatchObject({ reported: true, created: true });
    expect(await tagsOf(prefix)).toEqual(TAGS);
    // A period later, with a tag added to the claim (a new environment): rewritten, then tagged (PutParameter refuses
    // Tags with Overwrite).
    const later = new Date(T.getTime() + READINESS_REPORT_PERIOD_SECONDS * 1000);
    const e = { ...env(prefix), DRPLANE_REPORT_TAGS: JSON.stringify({ ...TAGS, costCenter: 'cc-42' }) };
    const run2 = await createLagMonitorHandler({ env: e, now: () => later })({}, lambdaContext());
    expect(run2.readiness).toEqual({ cell: CELL, readiness: 'READY', checkedAt: later.toISOString(), reported: true });
    expect(await tagsOf(prefix)).toEqual({ ...TAGS, costCenter: 'cc-42' });
  });

  it('tags a report an earlier monitor created untagged when it next rewrites it', async () => {
    const prefix = '/drplane/runtagged/lag-state';
    const old = new Date('2026-12-06T22:00:00.000Z');
    const value = JSON.stringify({ cell: CELL, readiness: 'READY', checkedAt: old.toISOString() });
    await new SSMClient({ region: 'us-east-1' }).send(
      new PutParameterCommand({ Name: readinessParameterName(prefix), Value: value, Description: value, Type: 'String' }),
    );
    expect(await tagsOf(prefix)).toEqual({});
    const at = new Date(old.getTime() + READINESS_REPORT_PERIOD_SECONDS * 1000);
    const run = await createLagMonitorHandler({ env: env(prefix), now: () => at })({}, lambdaContext());
    expect(run.readiness).toEqual({ cell: CELL, readiness: 'READY', checkedAt: at.toISOString(), reported: true });
    expect(await tagsOf(prefix)).toEqual(TAGS);
  });

  it('rewrites at once a report dated after the read (a skewed clock or a hand-written value would never come due)', async () => {
    const prefix = '/drplane/rfuture/lag-state';
    const at = new Date('2026-12-06T22:00:00.000Z');
    const forged = JSON.stringify({ cell: CELL, readiness: 'READY', checkedAt: '2027-12-06T22:00:00.000Z' });
    await new SSMClient({ region: 'us-east-1' }).send(
      new PutParameterCommand({ Name: readinessParameterName(prefix), Value: forged, Description: forged, Type: 'String' }),
    );
    const run = await createLagMonitorHandler({ env: env(prefix), now: () => at })({}, lambdaContext());
    expect(run.readiness?.reported).toBe(true);
    expect(parseReadinessReport((await report(prefix))?.description)?.checkedAt).toBe(at.toISOString());
  });

  for (const error of ['AccessDeniedException', 'ThrottlingException', 'InternalServerException'] as const) {
    it(`readiness API ${error}: lag metrics published, error logged and counted (ReadinessReportErrors 1), last report left as it was, run not failed`, async () => {
      const prefix = `/drplane/rapi${error.length}/lag-state`;
      const logs = captureLogs();
      const T = start();
      let clock = T;
      const store = await storeWithLag(`orders-api-${error.length}`, T);
      const handler = createLagMonitorHandler({ env: env(prefix, CELL, [store]), logSink: logs.sink, now: () => clock });
      const run1 = await handler({}, lambdaContext());
      expect(run1.readiness?.reported).toBe(true);
      expect(await metricAt('ReadinessReportErrors', REPORT_ERRORS, T)).toEqual([0]);
      // Only there: nothing goes to the series without an Estate dimension, which every estate of the account shared.
      expect(await metricAt('ReadinessReportErrors', { Region: 'us-east-1' }, T)).toEqual([]);
      const before = await report(prefix);
      fake.failWith(error);
      try {
        // Two periods on: the report is due, and would be rewritten if anything were read.
        clock = new Date(T.getTime() + READINESS_REPORT_PERIOD_SECONDS * 2000);
        await storeWithLag(`orders-api-${error.length}`, clock);
        const run = await handler({}, lambdaContext());
        expect(run.readiness).toEqual({ cell: CELL, reported: false, error: `GetCellReadinessSummary: ${error}` });
        expect(run.stores).toEqual([expect.objectContaining({ status: 'ok', lagSeconds: 2.5 })]);
        expect(
          await metricAt(
            'ReplicationLagSeconds',
            { Store: `orders-api-${error.length}`, StoreType: 'dynamodb', Region: 'us-west-2' },
            clock,
          ),
        ).toEqual([2.5]);
        expect(await metricAt('ReadinessReportErrors', REPORT_ERRORS, clock)).toEqual([1]);
        expect(await report(prefix)).toEqual(before);
        const failed = logs.records().filter((r) => r.msg === 'readiness report failed');
        expect(failed).toHaveLength(1);
        expect(JSON.stringify(failed[0])).toContain(error);
      } finally {
        fake.failWith(undefined);
      }
    });
  }

  describe('with SSM refusing calls', () => {
    let proxy: Awaited<ReturnType<typeof startSsmRefusals>>;
    beforeAll(async () => {
      proxy = await startSsmRefusals(moto.endpoint);
    });
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_SSM;
      await proxy?.stop();
    });

    const refusals: Record<string, Refusal> = {
      AccessDeniedException: {
        type: 'AccessDeniedException',
        message: 'User: arn:aws:sts::123456789012:assumed-role/lag/x is not authorized to perform: ssm:PutParameter',
      },
      ParameterLimitExceeded: { type: 'ParameterLimitExceeded', message: 'Parameter limit exceeded' },
      ThrottlingException: { type: 'ThrottlingException', message: 'Rate exceeded' },
    };
    for (const [name, refusal] of Object.entries(refusals)) {
      it(`PutParameter of the report refused (${name}): lag metrics published, error logged and counted, last report left, run not failed`, async () => {
        const prefix = `/drplane/rput${name.length}/lag-state`;
        const logs = captureLogs();
        const T = start();
        let clock = T;
        const table = `orders-put-${name.length}`;
        const store = await storeWithLag(table, T);
        const handler = createLagMonitorHandler({ env: env(prefix, CELL, [store]), logSink: logs.sink, now: () => clock });
        await handler({}, lambdaContext());
        const before = await report(prefix);
        expect(before).toBeDefined();
        cells[CELL] = { ...cells[CELL]!, readiness: 'NOT_READY' };
        process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
        proxy.refused.length = 0;
        // Only the report's writes: the run lock (also a PutParameter) and the state read go through.
        proxy.refuse((op, body) => (op === 'PutParameter' && body.Name === readinessParameterName(prefix) ? refusal : undefined));
        try {
          clock = new Date(T.getTime() + 60_000);
          await storeWithLag(table, clock);
          const run = await createLagMonitorHandler({
            env: env(prefix, CELL, [store]),
            logSink: logs.sink,
            now: () => clock,
          })({}, lambdaContext());
          expect(proxy.refused.length).toBeGreaterThanOrEqual(1);
          expect(proxy.refused.every((r) => r === `PutParameter ${name}`)).toBe(true);
          expect(run.readiness).toEqual({
            cell: CELL,
            readiness: 'NOT_READY',
            checkedAt: clock.toISOString(),
            reported: false,
            error: `PutParameter: ${name}`,
          });
          expect(
            await metricAt('ReplicationLagSeconds', { Store: table, StoreType: 'dynamodb', Region: 'us-west-2' }, clock),
          ).toEqual([2.5]);
          expect(await metricAt('ReadinessReportErrors', REPORT_ERRORS, clock)).toEqual([1]);
          expect(logs.records().filter((r) => r.msg === 'readiness report failed')).toHaveLength(1);
        } finally {
          proxy.refuse(undefined);
          delete process.env.AWS_ENDPOINT_URL_SSM;
          cells[CELL] = { ...cells[CELL]!, readiness: 'READY' };
        }
        // The last report is what it was (READY, its time): it ages towards staleAfter, nothing wrong was written.
        expect(await report(prefix)).toEqual(before);
      });
    }

    it('GetParametersByPath refused: the run fails (its alert state is unknown) but the report is still written right, from this run’s read', async () => {
      const prefix = '/drplane/rstate/lag-state';
      const logs = captureLogs();
      const T = start();
      let clock = T;
      await createLagMonitorHandler({ env: env(prefix), now: () => clock })({}, lambdaContext());
      const before = await report(prefix);
      cells[CELL] = { ...cells[CELL]!, readiness: 'NOT_READY' };
      process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
      proxy.refused.length = 0;
      proxy.refuse((op) =>
        op === 'GetParametersByPath'
          ? { type: 'AccessDeniedException', message: 'not authorized to perform: ssm:GetParametersByPath' }
          : undefined,
      );
      try {
        clock = new Date(T.getTime() + 60_000);
        const handler = createLagMonitorHandler({ env: env(prefix), logSink: logs.sink, now: () => clock });
        await expect(handler({}, lambdaContext())).rejects.toThrow(/GetParametersByPath: AccessDeniedException/);
        expect(proxy.refused).toContain('GetParametersByPath AccessDeniedException');
      } finally {
        proxy.refuse(undefined);
        delete process.env.AWS_ENDPOINT_URL_SSM;
        cells[CELL] = { ...cells[CELL]!, readiness: 'READY' };
      }
      // Not knowing the last report, the monitor tried to create it, found it, and overwrote it with what it read.
      const summary = logs.records().find((r) => r.msg === 'lag check') as { summary?: { readiness?: unknown } } | undefined;
      expect(summary?.summary?.readiness).toEqual({
        cell: CELL,
        readiness: 'NOT_READY',
        checkedAt: clock.toISOString(),
        reported: true,
      });
      const after = await report(prefix);
      expect(after?.version).toBe((before?.version ?? 0) + 1);
      expect(parseReadinessReport(after?.description)).toEqual({
        cell: CELL,
        readiness: 'NOT_READY',
        checkedAt: clock.toISOString(),
      });
      expect(await tagsOf(prefix)).toEqual(TAGS);
      expect(await metricAt('ReadinessReportErrors', REPORT_ERRORS, clock)).toEqual([0]);
    });
  });
});
