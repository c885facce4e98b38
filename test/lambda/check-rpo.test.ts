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
import { dimensionList, probeDimensions } from '../../lambda/shared/metrics-contract.js';
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
/** The estate id of the standby (DRPLANE_ESTATE) unless a case names another. */
const ESTATE = 'e0c0ffee';

/** A standby of `estate` whose cluster is `cluster`; the guard 30 s. */
function config(cluster: string, estate: string = ESTATE) {
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
    [FAILOVER_ENV.estate]: estate,
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
async function outage(
  cluster: string,
  lag: { atMs: number; valueMs: number }[],
  options: {
    /** Probe points as minutes from the loss with their value (default: 10 healthy minutes, then 3 failed). */
    probes?: { minute: number; v: number }[];
    /** The lag's dimension set (default: the cluster and its source region). */
    lagDimensions?: { Name: string; Value: string }[];
    clients?: ReturnType<typeof awsClients>;
    /** The lost region the probes name (default the primary); each edge case has its own, so their points stay apart. */
    lost?: string;
    /** The estate whose probe published the points and whose run decides (default {@link ESTATE}). */
    estate?: string;
  } = {},
) {
  const cw = new CloudWatchClient({ region: STANDBY });
  const loss = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
  const lost = options.lost ?? PRIMARY;
  const estate = options.estate ?? ESTATE;
  // The probe's series (metrics-contract.ts probeDimensions), as the probe of this estate publishes it.
  const probed = probeDimensions(estate, lost, STANDBY);
  const probes = (options.probes ?? [...Array(13).keys()].map((i) => ({ minute: i - 10, v: i < 10 ? 1 : 0 }))).map((p) => ({
    t: loss + p.minute * MINUTE + 5_000,
    v: p.v,
  }));
  // Another region's probes (another dimension set) do not count.
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'drplane',
      MetricData: probes.map((p) => ({
        MetricName: 'RegionHealthy',
        Dimensions: dimensionList({ ...probed, Region: `${cluster}-region` }),
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
        Dimensions: dimensionList(probed),
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
          Dimensions: options.lagDimensions ?? [
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
  return {
    loss,
    decide: () => decideRpo(options.clients ?? awsClients(undefined), config(cluster, estate), lost, triggerTime),
  };
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
    expect(d.lossAt?.getTime()).toBe(o.loss);
  });

  it('holds when the lag a minute before the loss was above the guard', async () => {
    // Its own lost region (probe dimensions): the three cases of this block compute their loss from the clock, and one
    // that starts a minute later than another would otherwise read the other's probes as its own.
    const o = await outage(
      'rpo-past',
      [
        { atMs: -3 * MINUTE, valueMs: 2_000 },
        { atMs: -1 * MINUTE, valueMs: 40_000 },
      ],
      { lost: 'sa-east-1' },
    );
    const d = await o.decide();
    expect(d.held).toBe(true);
    expect(d.held && d.why).toMatch(/lagged up to 40000 ms .* above the RPO guard of 30000 ms$/);
  });

  it('holds when no lag point exists in the 5 minutes before the loss (unknown), even with points after it', async () => {
    const o = await outage(
      'rpo-unknown',
      [
        { atMs: -20 * MINUTE, valueMs: 1_000 },
        { atMs: 1 * MINUTE, valueMs: 1_000 },
      ],
      { lost: 'ap-northeast-1' },
    );
    const d = await o.decide();
    expect(d.held).toBe(true);
    expect(d.held && d.why).toMatch(/^the lag of us-west-2's cluster is unknown: no AuroraGlobalDBRPOLag point from /);
  });
});

describe('check-rpo: T and the lag series at their edges (audit arc-rpo L3)', { timeout: 60_000 }, () => {
  const failed = (from: number, to: number) => [...Array(to - from + 1).keys()].map((i) => ({ minute: from + i, v: 0 }));

  it('holds when no healthy probe precedes the streak in the 30 minutes (the loss began earlier), not T = the oldest point', async () => {
    const o = await outage('rpo-old-streak', [{ atMs: -1 * MINUTE, valueMs: 1_000 }], {
      probes: failed(-40, 2),
      lost: 'ap-south-1',
    });
    const d = await o.decide();
    expect(d).toMatchObject({ held: true });
    expect(d.held && d.why).toMatch(/has no healthy point in the 30 minutes before the trigger: the loss began earlier$/);
    expect(d.lossAt).toBeUndefined();
  });

  it("reads only its own estate's probes: another estate's probe of the same regions in the same account does not count", async () => {
    // Two estates, the same lost region probed from the same standby region, at the same time: estate A's region was
    // healthy for 10 minutes and then failed; estate B's probe failed for 43 minutes. Before the Estate dimension both
    // wrote one series, and A's run would have read B's failures (or B's run A's healthy minutes).
    const lost = 'eu-central-1';
    const a = await outage('rpo-estate-a', [{ atMs: -1 * MINUTE, valueMs: 1_000 }], { lost, estate: 'e00000aa' });
    const b = await outage('rpo-estate-b', [{ atMs: -1 * MINUTE, valueMs: 1_000 }], {
      probes: failed(-40, 2),
      lost,
      estate: 'e00000bb',
    });
    const da = await a.decide();
    expect(da).toMatchObject({ held: false, maxLagMs: 1_000 });
    expect(da.lossAt?.getTime()).toBe(a.loss);
    const db = await b.decide();
    expect(db.held).toBe(true);
    expect(db.held && db.why).toMatch(/has no healthy point in the 30 minutes before the trigger: the loss began earlier$/);
  });

  it('holds when a minute of the streak has no probe point (a gap: the probe did not run)', async () => {
    const probes = [...[...Array(10).keys()].map((i) => ({ minute: i - 10, v: 1 })), { minute: 0, v: 0 }, { minute: 2, v: 0 }];
    const o = await outage('rpo-gap', [{ atMs: -1 * MINUTE, valueMs: 1_000 }], { probes, lost: 'eu-west-1' });
    const d = await o.decide();
    expect(d.held).toBe(true);
    expect(d.held && d.why).toMatch(/has no point for .* \(the probe did not run\): when the loss began is not known$/);
  });

  it('pages ListMetrics: a dimension set on the second page counts', async () => {
    // 500 other sets naming the cluster first (moto pages ListMetrics by 500, as CloudWatch does), lag 1 s long before.
    const cw = new CloudWatchClient({ region: STANDBY });
    const cluster = 'rpo-paged';
    const old = Math.floor(Date.now() / MINUTE) * MINUTE - 55 * MINUTE;
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/RDS',
        MetricData: [...Array(500).keys()].map((i) => ({
          MetricName: 'AuroraGlobalDBRPOLag',
          Dimensions: [
            { Name: 'DBClusterIdentifier', Value: cluster },
            { Name: 'SourceRegion', Value: `other-${i}` },
          ],
          Value: 1_000,
          Timestamp: new Date(old),
        })),
      }),
    );
    const o = await outage(cluster, [{ atMs: -1 * MINUTE, valueMs: 45_000 }], { lost: 'eu-central-1' });
    const d = await o.decide();
    expect(d.held && d.why).toMatch(/lagged up to 45000 ms/);
  });

  it("falls back to the cluster's own dimension set when ListMetrics lists nothing (a metric not listed yet)", async () => {
    const clients = awsClients(undefined);
    const cw = clients.cloudWatch(STANDBY);
    cw.middlewareStack.add(
      (next, context) => async (args) =>
        context.commandName === 'ListMetricsCommand'
          ? { output: { Metrics: [], $metadata: {} } as never, response: {} }
          : next(args),
      { step: 'initialize', name: 'notListedYet' },
    );
    const o = await outage('rpo-unlisted', [{ atMs: -1 * MINUTE, valueMs: 2_000 }], {
      lagDimensions: [{ Name: 'DBClusterIdentifier', Value: 'rpo-unlisted' }],
      clients,
      lost: 'ca-central-1',
    });
    expect(await o.decide()).toMatchObject({ held: false, maxLagMs: 2_000 });
  });
});
