/**
 * check-rpo: the RPO decision of an automatic run, made on the standby's replication lag at the moment the serving
 * region was lost, not now (audit 21 M1).
 *
 * T, the start of the loss, is the first failed probe of the streak that fired the trigger: RegionHealthy of the lost
 * region as this estate's probe in this region published it (metrics-contract.ts probeDimensions; Minimum per minute
 * over the last 30 minutes), walked back from the trigger's time while it is below 1. The window is W = [T − 5 min, T). The lag is this region's Aurora lag metric
 * (AuroraGlobalDBRPOLag or AuroraGlobalDBReplicationLag, milliseconds) over every dimension set that names its cluster
 * (ListMetrics, then one Maximum query per set: AWS does not pin which set Aurora publishes, see
 * lambda/shared/metrics-contract.ts auroraLagQuery). Points after T are ignored: AWS does not say whether Aurora keeps
 * publishing (or how) once its primary is gone.
 *
 * No point in W (the lag is unknown) or a maximum above the guard: the run ends `held` and notifies; a person decides
 * (`drctl failover --unplanned`). So does a T that cannot be found (audit arc-rpo L3): no healthy probe in the 30
 * minutes (the streak began earlier, or the probe never saw the region healthy), or a minute without a probe point in
 * the streak (the probe did not run: when the loss began is not known). Otherwise the run goes on.
 *
 * Both reads page (ListMetrics by NextToken, 500 a page; GetMetricData by NextToken). ListMetrics lists a metric only
 * once it had data in the last two weeks and may take up to 15 minutes to show a new one: an empty listing falls back
 * to the cluster's own dimension set ([DBClusterIdentifier]).
 */
import { GetMetricDataCommand, ListMetricsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { parseArn } from '../shared/arn.js';
import { DRPLANE_METRICS, dimensionList, probeDimensions } from '../shared/metrics-contract.js';
import type { FailoverClients } from './clients.js';
import type { FailoverConfig } from './config.js';

/** How far back check-rpo looks for the start of the failing streak. */
export const STREAK_LOOKBACK_MINUTES = 30;
/** The window before the loss whose lag counts. */
export const LAG_WINDOW_MINUTES = 5;
/** Failed probes that fire the signal (src/compose/failover-trigger.ts SIGNAL_PERIODS): T's fallback. */
const SIGNAL_MINUTES = 3;

const MINUTE = 60_000;

/** The lag check's result: `held` with why, or go on. lossAt is absent when T could not be found. */
export type RpoDecision =
  | { readonly held: false; readonly lossAt: Date; readonly maxLagMs: number }
  | { readonly held: true; readonly lossAt?: Date; readonly why: string };

/** T, or why it is not known. */
export type LossStart = { readonly at: Date } | { readonly unknown: string };

/** The one query's points, oldest first. */
async function series(
  clients: FailoverClients,
  region: string,
  metric: { namespace: string; metricName: string; dimensions: Dimension[]; stat: 'Minimum' | 'Maximum' },
  from: Date,
  to: Date,
): Promise<{ t: number; v: number }[]> {
  const points: { t: number; v: number }[] = [];
  let token: string | undefined;
  do {
    const out = await clients.cloudWatch(region).send(
      new GetMetricDataCommand({
        // Whole minutes, as CloudWatch aligns one-minute periods of recent data: a point's period starts on the minute.
        StartTime: new Date(Math.floor(from.getTime() / MINUTE) * MINUTE),
        EndTime: to,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: metric.dimensions },
              Period: 60,
              Stat: metric.stat,
            },
            ReturnData: true,
          },
        ],
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    const r = out.MetricDataResults?.[0];
    (r?.Timestamps ?? []).forEach((t, i) => {
      const v = r?.Values?.[i];
      if (typeof v === 'number') points.push({ t: t.getTime(), v });
    });
    token = out.NextToken;
  } while (token !== undefined && token !== '');
  return points.sort((a, b) => a.t - b.t);
}

/**
 * T: the first failed probe of the streak that ends at `until`, walked back minute by minute. Unknown when no healthy
 * point precedes the streak within the lookback, or a minute of the streak has no point. Without the lost region (a
 * request from before the trigger named it) the signal's 3 minutes before `until`.
 */
export async function lossStart(
  clients: FailoverClients,
  cfg: FailoverConfig,
  lost: string | undefined,
  until: Date,
): Promise<LossStart> {
  if (lost === undefined) return { at: new Date(until.getTime() - SIGNAL_MINUTES * MINUTE) };
  const points = await series(
    clients,
    cfg.region,
    {
      namespace: DRPLANE_METRICS.namespace,
      metricName: DRPLANE_METRICS.regionHealthy,
      // The series this estate's probe publishes (probe.ts) and its signal alarm reads: no other estate's.
      dimensions: dimensionList(probeDimensions(cfg.estate, lost, cfg.region)),
      stat: 'Minimum',
    },
    new Date(until.getTime() - STREAK_LOOKBACK_MINUTES * MINUTE),
    new Date(until.getTime() + MINUTE),
  );
  const probes = `${DRPLANE_METRICS.regionHealthy} of ${lost} from ${cfg.region}`;
  const recent = points.filter((x) => x.t <= until.getTime()).reverse();
  // The streak's newest point is the minute of the trigger's transition or the one before it.
  let expected = Math.floor(until.getTime() / MINUTE) * MINUTE;
  if (recent[0] !== undefined && recent[0].t < expected) expected -= MINUTE;
  let start: number | undefined;
  for (const p of recent) {
    if (p.t !== expected) {
      const missing = new Date(expected).toISOString();
      return { unknown: `${probes} has no point for ${missing} (the probe did not run): when the loss began is not known` };
    }
    if (p.v >= 1) {
      if (start === undefined)
        return { unknown: `${probes} was healthy at ${new Date(p.t).toISOString()}, just before the trigger` };
      return { at: new Date(start) };
    }
    start = p.t;
    expected -= MINUTE;
  }
  return {
    unknown:
      recent.length === 0
        ? `${probes} has no point in the ${STREAK_LOOKBACK_MINUTES} minutes before the trigger`
        : `${probes} has no healthy point in the ${STREAK_LOOKBACK_MINUTES} minutes before the trigger: the loss began earlier`,
  };
}

/** The highest lag of this region's cluster in [from, to), over every dimension set naming it; undefined: no point. */
export async function maxLagMs(clients: FailoverClients, cfg: FailoverConfig, from: Date, to: Date): Promise<number | undefined> {
  if (cfg.rpoGuard === undefined) return undefined;
  const arn = cfg.clusterArns[cfg.region] ?? '';
  const cluster = parseArn(arn)?.resource.split(':').at(-1) ?? arn;
  const own: Dimension[] = [{ Name: 'DBClusterIdentifier', Value: cluster }];
  const listedSets: Dimension[][] = [];
  let token: string | undefined;
  do {
    const listed = await clients.cloudWatch(cfg.region).send(
      new ListMetricsCommand({
        Namespace: 'AWS/RDS',
        MetricName: cfg.rpoGuard.metric,
        Dimensions: own,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    listedSets.push(
      ...(listed.Metrics ?? [])
        .map((m) => m.Dimensions ?? [])
        .filter((dims) => dims.some((d) => d.Name === 'DBClusterIdentifier' && d.Value === cluster)),
    );
    token = listed.NextToken;
  } while (token !== undefined && token !== '');
  // Not listed (yet): the cluster's own set, which a query may still answer.
  const sets = listedSets.length > 0 ? listedSets : [own];
  let max: number | undefined;
  for (const dimensions of sets) {
    const points = await series(
      clients,
      cfg.region,
      { namespace: 'AWS/RDS', metricName: cfg.rpoGuard.metric, dimensions, stat: 'Maximum' },
      from,
      to,
    );
    for (const p of points) if (p.t >= from.getTime() && p.t < to.getTime()) max = Math.max(max ?? p.v, p.v);
  }
  return max;
}

/** The decision for a run the trigger started at `triggerTime` after `lost` was found lost. */
export async function decideRpo(
  clients: FailoverClients,
  cfg: FailoverConfig,
  lost: string | undefined,
  triggerTime: Date,
): Promise<RpoDecision> {
  if (cfg.rpoGuard === undefined) throw new Error('decideRpo needs the RPO guard configuration');
  const start = await lossStart(clients, cfg, lost, triggerTime);
  if ('unknown' in start) return { held: true, why: start.unknown };
  const lossAt = start.at;
  const from = new Date(lossAt.getTime() - LAG_WINDOW_MINUTES * MINUTE);
  const lag = await maxLagMs(clients, cfg, from, lossAt);
  const window = `${from.toISOString()} to ${lossAt.toISOString()}`;
  if (lag === undefined) {
    return {
      held: true,
      lossAt,
      why: `the lag of ${cfg.region}'s cluster is unknown: no ${cfg.rpoGuard.metric} point from ${window}`,
    };
  }
  if (lag > cfg.rpoGuard.maxLagMs) {
    return {
      held: true,
      lossAt,
      why: `${cfg.region}'s cluster lagged up to ${lag} ms from ${window}, above the RPO guard of ${cfg.rpoGuard.maxLagMs} ms`,
    };
  }
  return { held: false, lossAt, maxLagMs: lag };
}
