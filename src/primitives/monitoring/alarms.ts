/**
 * XDRMonitoring's alarms: a metric alarm per replication link of the catalogue (replicated-stores.ts), per service
 * metric, per lag monitor, per readiness report (routing.arc.readiness), those of each watched primitive (its `watch`
 * hook: the EKS node groups' two per region, src/primitives/kubernetes/watch.ts) and per health check, each acting on
 * its region's alert topic; and the estate-at-risk composite alarm over the primary region's alarms (compose.ts's
 * module comment says which and why).
 */
import { CompositeAlarm, MetricAlarm } from '../../../imports/cloudwatch.aws.upbound.io.js';
import type { DRMonitoringSpec } from './schema.js';
import { regionCode } from '../../api/regions.js';
import { sortKeys, type ComposeContext } from '../../compose/context.js';
import { DRPLANE_METRICS, readinessReportDimensions } from '../../../lambda/shared/metrics-contract.js';
import { LAG_MONITOR, lagMonitorFunctionName, lagMonitorKeys } from '../../compose/lag-monitor.js';
import {
  inUnitOf,
  replicatedStores,
  type AuroraLink,
  type BucketLink,
  type MetricIdentity,
  type TableLink,
} from '../../compose/replicated-stores.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { serviceFunctionName } from '../service/compose.js';
import { EVERY_RUN_ABOVE_ZERO, type AlarmDef } from './alarm-def.js';
import { HEALTH_METRICS_REGION, compositeAlarmName } from './names.js';
import { watchedBy } from './watches.js';

/** What names an alarm and its metric; the shape helpers below add the evaluation. */
type AlarmTarget = Pick<
  AlarmDef,
  'key' | 'region' | 'logical' | 'description' | 'namespace' | 'metricName' | 'dimensions' | 'query'
>;

/** A count that must stay 0 (errors, throttles, failed operations): Sum over 5 minutes above 0; no data is fine. */
const countAlarm = (target: AlarmTarget, evaluationPeriods = 1): AlarmDef => ({
  ...target,
  statistic: 'Sum',
  period: 300,
  evaluationPeriods,
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'notBreaching',
});

/** A lag that must stay under a threshold: its Maximum above it for `evaluationPeriods` periods. */
const lagAlarm = (
  target: AlarmTarget,
  evaluation: Pick<AlarmDef, 'period' | 'evaluationPeriods' | 'threshold' | 'treatMissingData'>,
): AlarmDef => ({ ...target, ...evaluation, statistic: 'Maximum', comparisonOperator: 'GreaterThanThreshold' });

/** The alarm fields that name a metric of the catalogue (replicated-stores.ts). */
const onMetric = (m: MetricIdentity): Pick<AlarmDef, 'region' | 'namespace' | 'metricName' | 'dimensions' | 'query'> => ({
  region: m.region,
  namespace: m.namespace,
  metricName: m.metricName,
  dimensions: m.dimensions,
  ...(m.query === undefined ? {} : { query: m.query }),
});

/**
 * Aurora: the recovery point of every region's cluster (AuroraGlobalDBRPOLag, or AuroraGlobalDBReplicationLag for older
 * Aurora MySQL: auroraLagMetricOf; in ms, reported in the cluster's region by
 * whichever clusters are secondaries now: after a failover the old primary reports it, and the new writer none),
 * through a Metrics Insights query over every dimension set that names the cluster (auroraLagQuery).
 */
function databaseAlarms(links: readonly AuroraLink[]): AlarmDef[] {
  return links.map((l) =>
    lagAlarm(
      {
        ...onMetric(l.lag),
        key: `alarm-aurora-rpo-lag-${l.region}`,
        logical: 'aurora-rpo-lag',
        description: `Aurora global database: recovery point of ${l.cluster} lags more than ${l.thresholdSeconds} s (reported while it is a secondary)`,
      },
      { period: 60, evaluationPeriods: 3, threshold: inUnitOf(l.lag, l.thresholdSeconds), treatMissingData: 'missing' },
    ),
  );
}

/** Composition key of a lag alarm from `from` to `to`: the primary's keep their keys, other sources add `-from-<region>`. */
const pairKey = (ctx: ComposeContext, base: string, from: string, to: string): string =>
  from === ctx.primary ? `${base}-${to}` : `${base}-${to}-from-${from}`;

/** DynamoDB: replication latency (ms) per table from every region to every other (reported in the source region). */
function tableAlarms(ctx: ComposeContext, links: readonly TableLink[]): AlarmDef[] {
  return links.map((l) =>
    lagAlarm(
      {
        ...onMetric(l.lag),
        key: pairKey(ctx, `alarm-dynamodb-lag-${l.table}`, l.from, l.to),
        logical: `dynamodb-lag-${l.table}-${regionCode(l.to)}`,
        description: `DynamoDB global table ${l.tableName}: replication from ${l.from} to ${l.to} lags more than ${l.thresholdSeconds} s`,
      },
      { period: 60, evaluationPeriods: 3, threshold: inUnitOf(l.lag, l.thresholdSeconds), treatMissingData: 'notBreaching' },
    ),
  );
}

/**
 * S3, per bucket rule from every region to every other: replication latency (s, at the S3 threshold: at least RTC's
 * 15 minutes) in the destination bucket's region, and failed operations in the source bucket's region, where S3
 * publishes each (S3 User Guide, "Using S3 Replication metrics"). The latency alarms have keys of their own
 * (`alarm-s3-latency-*`): those before them (`alarm-s3-lag-*`) were in the source region, and a new key makes
 * Crossplane delete the old alarm instead of moving a managed resource between regions.
 */
function bucketAlarms(ctx: ComposeContext, links: readonly BucketLink[]): AlarmDef[] {
  return links.flatMap(({ bucket: b, from, to, lag, failed, thresholdSeconds }) => [
    lagAlarm(
      {
        ...onMetric(lag),
        key: pairKey(ctx, `alarm-s3-latency-${b}`, from, to),
        logical: `s3-latency-${b}-from-${regionCode(from)}`,
        description: `S3 replication of ${b} from ${from} to ${to} takes longer than ${thresholdSeconds} s`,
      },
      { period: 300, evaluationPeriods: 1, threshold: inUnitOf(lag, thresholdSeconds), treatMissingData: 'notBreaching' },
    ),
    countAlarm({
      ...onMetric(failed),
      key: pairKey(ctx, `alarm-s3-failed-${b}`, from, to),
      logical: `s3-failed-${b}-${regionCode(to)}`,
      description: `S3 replication of ${b} from ${from} to ${to} has failed operations`,
    }),
  ]);
}

/** The regional service: Lambda errors and throttles in every region. */
function serviceAlarms(ctx: ComposeContext): AlarmDef[] {
  return ctx.regions.flatMap((r) =>
    (['Errors', 'Throttles'] as const).map((metric) =>
      countAlarm({
        key: `alarm-service-${metric.toLowerCase()}-${r}`,
        region: r,
        logical: `service-${metric.toLowerCase()}`,
        description: `The regional service in ${r} reports ${metric.toLowerCase()}`,
        namespace: 'AWS/Lambda',
        metricName: metric,
        dimensions: { FunctionName: serviceFunctionName(ctx, r) },
      }),
    ),
  );
}

/** A region's lag monitor failing (two periods: one failed run is retried by the next schedule). */
const lagMonitorAlarm = (ctx: ComposeContext, region: string): AlarmDef =>
  countAlarm(
    {
      key: lagMonitorKeys(ctx, region).errorsAlarm,
      region,
      logical: `${LAG_MONITOR}-errors`,
      description: `The replication-lag monitor in ${region} fails: the replication it observes is not being watched`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: lagMonitorFunctionName(ctx, region) },
    },
    2,
  );

/** Composition key of the alarm on a region's readiness report failures. */
export const readinessReportAlarmKey = (region: string): string => `alarm-readiness-report-errors-${region}`;

/**
 * A region's ARC readiness report failing (routing.arc.readiness): the lag monitor of the region publishes
 * drplane/ReadinessReportErrors (dimensions Estate and Region: readinessReportDimensions, the estate's own series; 1
 * when this run's report failed, else 0) every run, once a minute;
 * it rewrites the report every 5 minutes and the claim shows it stale 30 minutes after its last read. The alarm fires
 * when no run of 15 minutes succeeded (the Minimum of three 5-minute periods above 0): one failed run, or a few, is
 * retried by the next and leaves the report current, while 15 minutes without one leaves time to act before the
 * claim's staleAfter passes (at least 15 more minutes).
 *
 * Missing data is `missing`, not breaching nor fine: a period without a datapoint is a period without a report attempt
 * (the monitor did not run, or failed before it reached the report: its Errors alarm fires for that; a monitor that
 * cannot publish this metric fails its run), which says nothing about whether reports fail. `breaching` would fire on
 * every new estate until the monitor's first run and whenever the monitor is stopped; `notBreaching` would send OK and
 * clear an alarm while nothing was checked. With `missing`, an alarm with no data at all goes to INSUFFICIENT_DATA,
 * which notifies nobody and does not clear what the Errors alarm reports.
 */
const readinessReportAlarm = (ctx: ComposeContext, region: string): AlarmDef => ({
  key: readinessReportAlarmKey(region),
  region,
  logical: 'readiness-report-errors',
  description: `The ARC readiness report of ${region} fails: its lag monitor has not renewed the region's readiness for 15 minutes, and the claim's status.regions.${region}.readiness turns stale`,
  namespace: DRPLANE_METRICS.namespace,
  metricName: DRPLANE_METRICS.readinessReportErrors,
  dimensions: { ...readinessReportDimensions(ctx.namer.estateId, region) },
  ...EVERY_RUN_ABOVE_ZERO,
  period: 300,
  evaluationPeriods: 3,
});

/** Route 53 health of each region's service (metrics only in us-east-1; missing data counts as unhealthy). */
function healthAlarms(ctx: ComposeContext, healthCheckIds: Readonly<Record<string, string>>): AlarmDef[] {
  return ctx.regions.flatMap((r) => {
    const id = healthCheckIds[r];
    if (id === undefined) return [];
    return [
      {
        key: `alarm-health-${r}`,
        region: HEALTH_METRICS_REGION,
        logical: `health-${regionCode(r)}`,
        description: `Route 53 health check of the service in ${r} reports it unhealthy`,
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: id },
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      },
    ];
  });
}

/** Every metric alarm of the estate, in a fixed order. */
export function alarmDefs(ctx: ComposeContext, spec: DRMonitoringSpec, withLagMonitor: boolean): AlarmDef[] {
  const stores = replicatedStores(ctx, spec);
  return [
    ...databaseAlarms(stores.aurora),
    ...tableAlarms(ctx, stores.tables),
    ...bucketAlarms(ctx, stores.buckets),
    ...(spec.service ? serviceAlarms(ctx) : []),
    ...(withLagMonitor ? ctx.regions.map((r) => lagMonitorAlarm(ctx, r)) : []),
    // A lag monitor reports readiness only with readiness checks (arcReadiness implies a lag monitor: hasLagMonitor).
    ...(withLagMonitor && spec.arcReadiness ? ctx.regions.map((r) => readinessReportAlarm(ctx, r)) : []),
    // Each watched primitive's (a watch with a lagMonitor implies a lag monitor: hasLagMonitor).
    ...watchedBy(spec).flatMap((w) => ctx.regions.flatMap((r) => w.alarms(ctx, r))),
    ...(spec.routing ? healthAlarms(ctx, spec.healthCheckIds) : []),
  ];
}

/** The MetricAlarm of a definition, acting on its region's topic. Dimensions in name order. */
export function metricAlarm(ctx: ComposeContext, def: AlarmDef, topic: string): DesiredResource {
  const name = ctx.namer.name('alarm', def.logical, def.region);
  return {
    key: def.key,
    region: def.region,
    manifest: MetricAlarm.manifest({
      metadata: ctx.metadata('alarm', def.region, name),
      spec: {
        forProvider: {
          region: def.region,
          alarmDescription: def.description,
          ...(def.query === undefined
            ? {
                namespace: def.namespace,
                metricName: def.metricName,
                dimensions: sortKeys({ ...def.dimensions }),
                statistic: def.statistic,
                period: def.period,
              }
            : { metricQuery: [{ id: 'q', expression: def.query, period: def.period, returnData: true }] }),
          evaluationPeriods: def.evaluationPeriods,
          threshold: def.threshold,
          comparisonOperator: def.comparisonOperator,
          treatMissingData: def.treatMissingData,
          actionsEnabled: true,
          alarmActions: [topic],
          okActions: [topic],
          tags: ctx.tags(),
        },
      },
    }),
  };
}

/**
 * Estate at risk: the primary region's alarms that exist (a composite alarm names only alarms of its own region).
 * Members join the rule once they exist (Ready), so the composite never names a missing alarm.
 */
export function estateAtRisk(
  ctx: ComposeContext,
  defs: readonly AlarmDef[],
  alarms: readonly DesiredResource[],
  primaryTopic: string | undefined,
  observed: ObservedView,
): DesiredResource | undefined {
  const possible = defs.some((d) => d.region === ctx.primary);
  const members = alarms.filter((a) => a.region === ctx.primary && observed.ready(a.key));
  const rule =
    members.length > 0
      ? members
          .map(
            (m) =>
              `ALARM("${(m.manifest.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name']}")`,
          )
          .join(' OR ')
      : observed.field('estate-at-risk', 'spec.forProvider.alarmRule');
  if (!possible || primaryTopic === undefined || rule === undefined) return undefined;
  return {
    key: 'estate-at-risk',
    region: ctx.primary,
    manifest: CompositeAlarm.manifest({
      metadata: ctx.metadata('estate-at-risk', ctx.primary, compositeAlarmName(ctx)),
      spec: {
        forProvider: {
          region: ctx.primary,
          alarmDescription: `The ${ctx.estate.owner.name}-${ctx.estate.environment} estate is at risk: an alarm of the primary region ${ctx.primary} fires`,
          alarmRule: rule,
          actionsEnabled: true,
          alarmActions: [primaryTopic],
          okActions: [primaryTopic],
          tags: ctx.tags(),
        },
      },
    }),
  };
}
