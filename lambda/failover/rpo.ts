/**
 * check-rpo: the RPO decision of an automatic run, made on the standby's replication lag at the moment the serving
 * region was lost, not now (audit 21 M1).
 *
 * T, the start of the loss, is the first failed probe of the streak that fired the trigger: RegionHealthy of the lost
 * region as this region's probe published it (Minimum per minute over the last 30 minutes), walked back from the
 * trigger's time while it is below 1. The window is W = [T − 5 min, T). The lag is this region's Aurora lag metric
 * (AuroraGlobalDBRPOLag or AuroraGlobalDBReplicationLag, milliseconds) over every dimension set that names its cluster
 * (ListMetrics, then one Maximum query per set: AWS does not pin which set Aurora publishes, see
 * lambda/shared/metrics-contract.ts auroraLagQuery). Points after T are ignored: AWS does not say whether Aurora keeps
 * publishing (or how) once its primary is gone.
 *
 * No point in W (the lag is unknown) or a maximum above the guard: the run ends `held` and notifies; a person decides
 * (`drctl failover --unplanned`). Otherwise the run goes on.
 */
import { GetMetricDataCommand, ListMetricsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { parseArn } from '../shared/arn.js';
import { DRPLANE_METRICS } from '../shared/metrics-contract.js';
import type { FailoverClients } from './clients.js';
import type { FailoverConfig } from './config.js';

/** How far back check-rpo looks for the start of the failing streak. */
export const STREAK_LOOKBACK_MINUTES = 30;
/** The window before the loss whose lag counts. */
export const LAG_WINDOW_MINUTES = 5;
/** Failed probes that fire the signal (src/compose/failover-trigger.ts SIGNAL_PERIODS): T's fallback. */
const SIGNAL_MINUTES = 3;

const MINUTE = 60_000;

/** The lag check's result: `held` with why, or go on. */
export type RpoDecision =
  | { readonly held: false; readonly lossAt: Date; readonly maxLagMs: number }
  | { readonly held: true; readonly lossAt: Date; readonly why: string };

/** The one query's points, oldest first. */
async function series(
  clients: FailoverClients,
  region: string,
  metric: { namespace: string; metricName: string; dimensions: Dimension[]; stat: 'Minimum' | 'Maximum' },
  from: Date,
  to: Date,
): Promise<{ t: number; v: number }[]> {
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
    }),
  );
  const r = out.MetricDataResults?.[0];
  return (r?.Timestamps ?? [])
    .map((t, i) => ({ t: t.getTime(), v: r?.Values?.[i] }))
    .filter((p): p is { t: number; v: number } => typeof p.v === 'number')
    .sort((a, b) => a.t - b.t);
}

/** T: the first failed probe of the streak that ends at `until` (falls back to the signal's 3 minutes before it). */
export async function lossStart(
  clients: FailoverClients,
  cfg: FailoverConfig,
  lost: string | undefined,
  until: Date,
): Promise<Date> {
  const fallback = new Date(until.getTime() - SIGNAL_MINUTES * MINUTE);
  if (lost === undefined) return fallback;
  const points = await series(
    clients,
    cfg.region,
    {
      namespace: DRPLANE_METRICS.namespace,
      metricName: DRPLANE_METRICS.regionHealthy,
      dimensions: [
        { Name: 'Region', Value: lost },
        { Name: 'ProbedFrom', Value: cfg.region },
      ],
      stat: 'Minimum',
    },
    new Date(until.getTime() - STREAK_LOOKBACK_MINUTES * MINUTE),
    new Date(until.getTime() + MINUTE),
  );
  let start: number | undefined;
  for (const p of points.filter((x) => x.t <= until.getTime()).reverse()) {
    if (p.v >= 1) break;
    start = p.t;
  }
  return start === undefined ? fallback : new Date(start);
}

/** The highest lag of this region's cluster in [from, to), over every dimension set naming it; undefined: no point. */
export async function maxLagMs(clients: FailoverClients, cfg: FailoverConfig, from: Date, to: Date): Promise<number | undefined> {
  if (cfg.rpoGuard === undefined) return undefined;
  const arn = cfg.clusterArns[cfg.region] ?? '';
  const cluster = parseArn(arn)?.resource.split(':').at(-1) ?? arn;
  const listed = await clients.cloudWatch(cfg.region).send(
    new ListMetricsCommand({
      Namespace: 'AWS/RDS',
      MetricName: cfg.rpoGuard.metric,
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }],
    }),
  );
  const sets = (listed.Metrics ?? [])
    .map((m) => m.Dimensions ?? [])
    .filter((dims) => dims.some((d) => d.Name === 'DBClusterIdentifier' && d.Value === cluster));
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
  const lossAt = await lossStart(clients, cfg, lost, triggerTime);
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
