/**
 * check-rpo (audit 21 M1) on moto's CloudWatch: the RPO decision of an automatic run uses the standby's lag in the 5
 * minutes before its probes of the lost region began to fail, never the lag after.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambda/failover/clients.js';
import { loadFailoverConfig } from '../../lambda/failover/config.js';
import { decideRpo } from '../../lambda/failover/rpo.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { MOTO_ACCOUNT, useMoto } from './support/aws.js';
import { startMoto, type MotoServer } from './support/moto.js';

const PRIMARY = 'us-east-1';
const STANDBY = 'us-west-2';
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
}, 60_000);
afterAll(async () => moto?.stop());

const MINUTE = 60_000;

/** A standby whose cluster is `cluster`; the guard 30 s. */
function config(cluster: string) {
  return loadFailoverConfig({
    AWS_REGION: STANDBY,
    [FAILOVER_ENV.regions]: JSON.stringify({ primary: PRIMARY, secondaries: [STANDBY] }),
    [FAILOVER_ENV.globalClusterId]: 'gdb',
    [FAILOVER_ENV.clusterArns]: JSON.stringify({
      [PRIMARY]: `arn:aws:rds:${PRIMARY}:${MOTO_ACCOUNT}:cluster:${cluster}-use1`,
      [STANDBY]: `arn:aws:rds:${STANDBY}:${MOTO_ACCOUNT}:cluster:${cluster}`,
    }),
    [FAILOVER_ENV.hostedZoneId]: 'Z123',
    [FAILOVER_ENV.recordName]: 'api.example.com',
    [FAILOVER_ENV.healthUrls]: JSON.stringify({ [PRIMARY]: 'https://a.example/health', [STANDBY]: 'https://b.example/health' }),
    [FAILOVER_ENV.topicArn]: `arn:aws:sns:${STANDBY}:${MOTO_ACCOUNT}:dr`,
    [FAILOVER_ENV.operationsRoleArn]: `arn:aws:iam::${MOTO_ACCOUNT}:role/dr-operations`,
    [FAILOVER_ENV.externalIdParameter]: '/drplane/prod/external-id',
    [FAILOVER_ENV.lagMetric]: 'AuroraGlobalDBRPOLag',
    [FAILOVER_ENV.rpoGuardMs]: '30000',
  });
}

/**
 * An outage of the primary at `loss` (whole minutes, in the past): healthy probes every minute for 10 minutes before,
 * failed probes from `loss` on (3 of them, then the trigger fired), and the lag points given (ms before/after `loss`).
 * Each estate uses its own cluster and probe dimensions, so the cases do not see each other's points.
 */
async function outage(cluster: string, lag: { atMs: number; valueMs: number }[]) {
  const cw = new CloudWatchClient({ region: STANDBY });
  const loss = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
  const probed = { Region: PRIMARY, ProbedFrom: STANDBY };
  const probes = [...Array(13).keys()].map((i) => ({ t: loss + (i - 10) * MINUTE + 5_000, v: i < 10 ? 1 : 0 }));
  // Another region's probes (another dimension set) do not count.
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'drplane',
      MetricData: probes.map((p) => ({
        MetricName: 'RegionHealthy',
        Dimensions: Object.entries({ ...probed, Region: `${cluster}-region` }).map(([Name, Value]) => ({ Name, Value })),
        Value: p.v,
        Timestamp: new Date(p.t),
      })),
    }),
  );
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'drplane',
      MetricData: probes.map((p) => ({
        MetricName: 'RegionHealthy',
        Dimensions: Object.entries(probed).map(([Name, Value]) => ({ Name, Value })),
        Value: p.v,
        Timestamp: new Date(p.t),
      })),
    }),
  );
  if (lag.length > 0) {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/RDS',
        MetricData: lag.map((l) => ({
          MetricName: 'AuroraGlobalDBRPOLag',
          // Aurora's dimension set is not pinned: the one the Aurora labs show.
          Dimensions: [
            { Name: 'DBClusterIdentifier', Value: cluster },
            { Name: 'SourceRegion', Value: PRIMARY },
          ],
          Value: l.valueMs,
          Unit: 'Milliseconds',
          Timestamp: new Date(loss + 5_000 + l.atMs),
        })),
      }),
    );
  }
  // The trigger's time: three failed probes after the loss.
  const triggerTime = new Date(loss + 3 * MINUTE + 10_000);
  return { loss, decide: () => decideRpo(awsClients(undefined), config(cluster), PRIMARY, triggerTime) };
}

describe('check-rpo: the lag before the loss decides', { timeout: 30_000 }, () => {
  it('goes on when the lag before the loss was within the guard, whatever it became after', async () => {
    // 10 s lag just before the loss; 120 s after it (a growing lag once the primary is gone).
    const o = await outage('rpo-within', [
      { atMs: -2 * MINUTE, valueMs: 10_000 },
      { atMs: 1 * MINUTE, valueMs: 120_000 },
      { atMs: 2 * MINUTE, valueMs: 120_000 },
    ]);
    const d = await o.decide();
    expect(d).toMatchObject({ held: false, maxLagMs: 10_000 });
    // T is the first failed probe's minute.
    expect(d.lossAt.getTime()).toBe(o.loss);
  });

  it('holds when the lag a minute before the loss was above the guard', async () => {
    const o = await outage('rpo-past', [
      { atMs: -3 * MINUTE, valueMs: 2_000 },
      { atMs: -1 * MINUTE, valueMs: 40_000 },
    ]);
    const d = await o.decide();
    expect(d.held).toBe(true);
    expect(d.held && d.why).toMatch(/lagged up to 40000 ms .* above the RPO guard of 30000 ms$/);
  });

  it('holds when no lag point exists in the 5 minutes before the loss (unknown), even with points after it', async () => {
    const o = await outage('rpo-unknown', [
      { atMs: -20 * MINUTE, valueMs: 1_000 },
      { atMs: 1 * MINUTE, valueMs: 1_000 },
    ]);
    const d = await o.decide();
    expect(d.held).toBe(true);
    expect(d.held && d.why).toMatch(/^the lag of us-west-2's cluster is unknown: no AuroraGlobalDBRPOLag point from /);
  });
});
