/**
 * The lag monitor's ARC readiness report (routing.arc.readiness) against moto's SSM and the FAKE readiness API
 * (test/support/readiness-api-fake.ts: moto has no route53-recovery-readiness).
 */
import { DescribeParametersCommand, GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLagMonitorConfig } from '../../lambda/lag-monitor/config.js';
import { createLagMonitorHandler } from '../../lambda/lag-monitor/index.js';
import { ConfigError } from '../../lambda/shared/env.js';
import {
  READINESS_API_REGION,
  READINESS_REPORT_PERIOD_SECONDS,
  parseReadinessReport,
  readinessParameterName,
} from '../../lambda/shared/readiness.js';
import { startFakeReadinessApi, type FakeCell, type FakeReadinessApi } from '../support/readiness-api-fake.js';
import { useMoto } from './support/aws.js';
import { captureLogs, lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';

let moto: MotoServer;
let fake: FakeReadinessApi;
const CELL = 'payments_cell_prod_use1_e1';
const cells: Record<string, FakeCell> = {
  [CELL]: { readiness: 'READY', checks: { payments_check_functions: 'READY', payments_check_aurora: 'READY' } },
};
const STATE_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b7a2c2e-4a53-4c0e-9a57-0d7c3b5e2a10';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:drplane-alerts';

const env = (prefix: string, cell: string | null = CELL): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  DRPLANE_PRIMARY_REGION: 'us-east-1',
  // A readiness-only monitor: an ARC estate without replicated stores still reports its cell.
  DRPLANE_STORES: '[]',
  DRPLANE_TOPIC_ARN: TOPIC_ARN,
  DRPLANE_LAG_THRESHOLD_SECONDS: '5',
  DRPLANE_STATE_PARAMETER_PREFIX: prefix,
  DRPLANE_STATE_KEY_ARN: STATE_KEY_ARN,
  ...(cell === null ? {} : { DRPLANE_READINESS_CELL: cell }),
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
    expect(run1.readiness).toEqual({ cell: CELL, readiness: 'READY', reported: true });
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
    expect(run2.readiness).toEqual({ cell: CELL, readiness: 'READY', reported: false });
    expect((await report(prefix))?.version).toBe(r1?.version);

    // Changed: rewritten at once.
    cells[CELL] = { ...cells[CELL]!, readiness: 'NOT_READY' };
    clock = new Date(T.getTime() + 120_000);
    const run3 = await handler({}, lambdaContext());
    expect(run3.readiness).toEqual({ cell: CELL, readiness: 'NOT_READY', reported: true });
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
