/**
 * XDRMonitoring: alerts that reach someone, alarms that always have actions (seed 003), a composite
 * estate-at-risk alarm, one cross-region dashboard, and the replication-lag monitor.
 *
 * - An SNS alert topic in every estate region, and in us-east-1 when the estate has Route 53 health
 *   checks (their metrics exist only there), each KMS-encrypted with a monitoring key. The key is
 *   created with the default key policy; once its ARN is observed (it carries the account id) its
 *   policy adds what CloudWatch needs to publish alarm notifications to an encrypted topic. Every
 *   alertEmails address is subscribed (protocol email: each address confirms once per topic).
 * - Metric alarms, each with alarmActions and okActions = the SNS topic ARN of its region, as
 *   strings (the provider's alarmActionsRefs point at autoscaling policies, not SNS), emitted once
 *   the topic ARN is observed: Aurora lag (auroraLagMetricOf) per member cluster (in its region: the
 *   metric comes from whichever clusters are secondaries, so after a failover the old primary's is
 *   watched), DynamoDB ReplicationLatency per table from every region to every other (in the source
 *   region) and per bucket rule of every region S3 ReplicationLatency (in the destination region) and
 *   OperationsFailedReplication (in the source region): tables are multi-writer and buckets replicate
 *   both ways, so replication from the new active region is alarmed after a failover; Lambda Errors and Throttles of the service per
 *   region, Route 53 HealthCheckStatus per health check (in us-east-1).
 * - The estate-at-risk composite alarm lives in the primary region and covers the primary region's
 *   alarms only: a composite alarm can only reference alarms of its own region, so the Aurora RPO
 *   alarms (secondary regions) and, unless the primary is us-east-1, the health-check alarms notify
 *   on their own but are not part of it.
 * - The dashboard (primary region) shows every region through per-metric `region` properties.
 * - The lag monitor (lambda/lag-monitor) runs in every estate region, each watching what its region
 *   observes (lag-monitor.ts), with an Errors alarm of its own in its region.
 */
import { CompositeAlarm, Dashboard, MetricAlarm } from '../../../imports/cloudwatch.aws.upbound.io.js';
import { Topic, TopicSubscription } from '../../../imports/sns.aws.upbound.io.js';
import { auroraLagQuery, DRPLANE_METRICS, lagDimensions } from '../../../lambda/shared/metrics-contract.js';
import type { DRMonitoringSpec } from './schema.js';
import { regionCode } from '../../api/regions.js';
import { arn, observedAccount, observedArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { clusterId } from '../database/compose.js';
import { policyDocument } from '../../compose/iam.js';
import { accountAdministersKey, aliasName, keyKey, kmsKey } from '../../compose/kms.js';
import {
  LAG_MONITOR,
  MONITORING,
  auroraLagMetricOf,
  hasLagStores,
  lagMonitor,
  lagMonitorFunctionName,
  lagMonitorKeys,
  lagStores,
  s3ThresholdSeconds,
  topicKey,
} from '../../compose/lag-monitor.js';
import { type LambdaArtifacts } from '../../compose/lambda.js';
import { own } from '../../compose/selector.js';
import { shortHash } from '../../compose/naming.js';
import { serviceFunctionName } from '../service/compose.js';
import { tableName } from '../table/compose.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';

export { MONITORING, topicKey };
/** The only region with Route 53 health-check metrics. */
export const HEALTH_METRICS_REGION = 'us-east-1';
/** Name of the estate-at-risk composite alarm (a notification: automatic failover has its own trigger, failover-trigger.ts). */
export const compositeAlarmName = (ctx: ComposeContext): string => ctx.namer.name('alarm', 'estate-at-risk', ctx.primary);

/** Regions with an alert topic: the estate's, plus us-east-1 for health-check alarms. */
export function monitoringRegions(ctx: ComposeContext, spec: DRMonitoringSpec): string[] {
  return spec.routing && !ctx.regions.includes(HEALTH_METRICS_REGION) ? [...ctx.regions, HEALTH_METRICS_REGION] : ctx.regions;
}

/**
 * Every direction data replicates in, as the AWS metrics measure it: `[source, receiver]` for every ordered pair of
 * regions. DynamoDB global tables are multi-writer (the service writes in whichever region serves) and S3 replicates
 * every region's bucket to every other, so after a failover the new active region is a source like any other.
 */
export const replicationPairs = (ctx: ComposeContext): Array<readonly [string, string]> =>
  ctx.regions.flatMap((from) => ctx.regions.filter((to) => to !== from).map((to) => [from, to] as const));

/**
 * The key policy of a monitoring key: the account administers the key through IAM (the default
 * policy's statement), and CloudWatch may use it to publish this account's alarm notifications in this
 * region to the encrypted topic (aws:SourceAccount and aws:SourceArn: no other account's alarm can make
 * CloudWatch use the key). SNS needs no statement of its own: it uses the key with each publisher's permissions.
 */
export function monitoringKeyPolicy(region: string, account: string): string {
  return policyDocument([
    accountAdministersKey(account),
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: ['*'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': arn('cloudwatch', region, account, 'alarm:*') },
      },
    },
  ]);
}

/** One metric alarm, before its topic is known. */
interface AlarmDef {
  readonly key: string;
  readonly region: string;
  readonly logical: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: 'Maximum' | 'Minimum' | 'Sum';
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly treatMissingData: 'missing' | 'notBreaching' | 'breaching';
  /**
   * A Metrics Insights query the alarm evaluates instead of the metric (`statistic` and `dimensions` then only
   * describe it): for a metric whose published dimension set is not pinned (auroraLagQuery).
   */
  readonly query?: string;
}

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

/**
 * Aurora: the recovery point of every region's cluster (AuroraGlobalDBRPOLag, or AuroraGlobalDBReplicationLag for older
 * Aurora MySQL: auroraLagMetricOf; in ms, reported in the cluster's region by
 * whichever clusters are secondaries now: after a failover the old primary reports it, and the new writer none),
 * through a Metrics Insights query over every dimension set that names the cluster (auroraLagQuery).
 */
function databaseAlarms(ctx: ComposeContext, spec: DRMonitoringSpec, lagSeconds: number): AlarmDef[] {
  const metricName = auroraLagMetricOf(spec);
  return ctx.regions.map((s) =>
    lagAlarm(
      {
        key: `alarm-aurora-rpo-lag-${s}`,
        region: s,
        logical: 'aurora-rpo-lag',
        description: `Aurora global database: recovery point of ${clusterId(ctx, s)} lags more than ${lagSeconds} s (reported while it is a secondary)`,
        namespace: 'AWS/RDS',
        metricName,
        dimensions: { DBClusterIdentifier: clusterId(ctx, s) },
        query: auroraLagQuery(metricName, clusterId(ctx, s)),
      },
      { period: 60, evaluationPeriods: 3, threshold: lagSeconds * 1000, treatMissingData: 'missing' },
    ),
  );
}

/** Composition key of a lag alarm from `from` to `to`: the primary's keep their keys, other sources add `-from-<region>`. */
const pairKey = (ctx: ComposeContext, base: string, from: string, to: string): string =>
  from === ctx.primary ? `${base}-${to}` : `${base}-${to}-from-${from}`;

/** DynamoDB: replication latency (ms) per table from every region to every other (reported in the source region). */
function tableAlarms(ctx: ComposeContext, tables: readonly string[], lagSeconds: number): AlarmDef[] {
  return tables.flatMap((t) =>
    replicationPairs(ctx).map(([from, to]) =>
      lagAlarm(
        {
          key: pairKey(ctx, `alarm-dynamodb-lag-${t}`, from, to),
          region: from,
          logical: `dynamodb-lag-${t}-${regionCode(to)}`,
          description: `DynamoDB global table ${tableName(ctx, t)}: replication from ${from} to ${to} lags more than ${lagSeconds} s`,
          namespace: 'AWS/DynamoDB',
          metricName: 'ReplicationLatency',
          dimensions: { ReceivingRegion: to, TableName: tableName(ctx, t) },
        },
        { period: 60, evaluationPeriods: 3, threshold: lagSeconds * 1000, treatMissingData: 'notBreaching' },
      ),
    ),
  );
}

/** The dimensions of S3's replication metrics for bucket `b`'s rule from `from` to `to`. */
const s3RuleDimensions = (ctx: ComposeContext, b: string, from: string, to: string): Record<string, string> => ({
  DestinationBucket: ctx.namer.bucket(b, to).value,
  RuleId: `to-${to}`,
  SourceBucket: ctx.namer.bucket(b, from).value,
});

/**
 * S3, per bucket rule from every region to every other: replication latency (s, at the S3 threshold: at least RTC's
 * 15 minutes) in the destination bucket's region, and failed operations in the source bucket's region, where S3
 * publishes each (S3 User Guide, "Using S3 Replication metrics"). The latency alarms have keys of their own
 * (`alarm-s3-latency-*`): those before them (`alarm-s3-lag-*`) were in the source region, and a new key makes
 * Crossplane delete the old alarm instead of moving a managed resource between regions.
 */
function bucketAlarms(ctx: ComposeContext, buckets: readonly string[], threshold: number): AlarmDef[] {
  return buckets.flatMap((b) =>
    replicationPairs(ctx).flatMap(([from, to]) => {
      const dimensions = s3RuleDimensions(ctx, b, from, to);
      return [
        lagAlarm(
          {
            region: to,
            namespace: 'AWS/S3',
            dimensions,
            key: pairKey(ctx, `alarm-s3-latency-${b}`, from, to),
            logical: `s3-latency-${b}-from-${regionCode(from)}`,
            description: `S3 replication of ${b} from ${from} to ${to} takes longer than ${threshold} s`,
            metricName: 'ReplicationLatency',
          },
          { period: 300, evaluationPeriods: 1, threshold, treatMissingData: 'notBreaching' },
        ),
        countAlarm({
          region: from,
          namespace: 'AWS/S3',
          dimensions,
          key: pairKey(ctx, `alarm-s3-failed-${b}`, from, to),
          logical: `s3-failed-${b}-${regionCode(to)}`,
          description: `S3 replication of ${b} from ${from} to ${to} has failed operations`,
          metricName: 'OperationsFailedReplication',
        }),
      ];
    }),
  );
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
function alarmDefs(ctx: ComposeContext, spec: DRMonitoringSpec, withLagMonitor: boolean): AlarmDef[] {
  const lagSeconds = spec.monitoring.replicationLagThresholdSeconds;
  return [
    ...(spec.database ? databaseAlarms(ctx, spec, lagSeconds) : []),
    ...tableAlarms(ctx, spec.tables, lagSeconds),
    ...bucketAlarms(ctx, spec.buckets, s3ThresholdSeconds(spec)),
    ...(spec.service ? serviceAlarms(ctx) : []),
    ...(withLagMonitor ? ctx.regions.map((r) => lagMonitorAlarm(ctx, r)) : []),
    ...(spec.routing ? healthAlarms(ctx, spec.healthCheckIds) : []),
  ];
}

function metricAlarm(ctx: ComposeContext, def: AlarmDef, topic: string): DesiredResource {
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
                dimensions: def.dimensions,
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

type MetricLine = (string | Record<string, string>)[];

/** The dashboard body: a deterministic JSON document (fixed key order, widgets in a fixed order). */
function dashboardBody(ctx: ComposeContext, spec: DRMonitoringSpec): string {
  const line = (namespace: string, metric: string, dims: Record<string, string>, region: string): MetricLine => [
    namespace,
    metric,
    ...Object.entries(dims).flat(),
    { region },
  ];
  const widgets: Array<{ title: string; stat: string; metrics: MetricLine[] }> = [];
  if (spec.service) {
    widgets.push(
      {
        title: 'Service errors',
        stat: 'Sum',
        metrics: ctx.regions.map((r) => line('AWS/Lambda', 'Errors', { FunctionName: serviceFunctionName(ctx, r) }, r)),
      },
      {
        title: 'Service invocations',
        stat: 'Sum',
        metrics: ctx.regions.map((r) => line('AWS/Lambda', 'Invocations', { FunctionName: serviceFunctionName(ctx, r) }, r)),
      },
    );
  }
  // Each region's monitor publishes what it observes in its own region.
  const lagLines = ctx.regions.flatMap((r) =>
    lagStores(ctx, spec, r).map((s) =>
      line(DRPLANE_METRICS.namespace, DRPLANE_METRICS.replicationLag, { ...lagDimensions(s) }, r),
    ),
  );
  if (lagLines.length > 0) {
    const metrics = lagLines;
    widgets.push({ title: 'Replication lag, seconds (drplane lag monitor)', stat: 'Maximum', metrics });
  }
  if (spec.database) {
    // The alarms' query (auroraLagQuery): every dimension set Aurora may publish the lag with.
    const metrics = ctx.regions.map((s, i): MetricLine => [
      {
        expression: auroraLagQuery(auroraLagMetricOf(spec), clusterId(ctx, s)),
        label: clusterId(ctx, s),
        id: `aurora${i}`,
        region: s,
      },
    ]);
    widgets.push({ title: 'Aurora recovery point lag, ms', stat: 'Maximum', metrics });
  }
  if (spec.tables.length > 0) {
    const metrics = spec.tables.flatMap((t) =>
      replicationPairs(ctx).map(([from, to]) =>
        line('AWS/DynamoDB', 'ReplicationLatency', { TableName: tableName(ctx, t), ReceivingRegion: to }, from),
      ),
    );
    widgets.push({ title: 'DynamoDB replication latency, ms', stat: 'Maximum', metrics });
  }
  if (spec.buckets.length > 0) {
    const metrics = spec.buckets.flatMap((b) =>
      replicationPairs(ctx).map(([from, to]) => line('AWS/S3', 'ReplicationLatency', s3RuleDimensions(ctx, b, from, to), to)),
    );
    widgets.push({ title: 'S3 replication latency, s', stat: 'Maximum', metrics });
  }
  if (spec.routing) {
    const metrics = ctx.regions.map((r) =>
      line('AWS/Route53', 'HealthCheckStatus', { HealthCheckId: spec.healthCheckIds[r]! }, HEALTH_METRICS_REGION),
    );
    widgets.push({ title: 'Route 53 health checks (1 = healthy)', stat: 'Minimum', metrics });
  }
  const header = {
    type: 'text',
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown: `# ${ctx.estate.owner.name}-${ctx.estate.environment}: disaster-recovery estate\nPrimary ${ctx.primary}, active ${ctx.active}${spec.databaseWriterRegion === undefined ? '' : `, database writer ${spec.databaseWriterRegion} (observed)`}, standbys ${ctx.secondaries.join(', ')}.`,
    },
  };
  const body = {
    widgets: [
      header,
      ...widgets.map((w, i) => ({
        type: 'metric',
        x: (i % 2) * 12,
        y: 2 + Math.floor(i / 2) * 6,
        width: 12,
        height: 6,
        properties: {
          title: w.title,
          view: 'timeSeries',
          stacked: false,
          region: ctx.primary,
          stat: w.stat,
          period: 60,
          metrics: w.metrics,
        },
      })),
    ],
  };
  return JSON.stringify(body);
}

/** Every resource of an XDRMonitoring, its events and status. */
export function composeMonitoring(
  ctx: ComposeContext,
  spec: DRMonitoringSpec,
  observed: ObservedView,
  artifacts?: LambdaArtifacts,
) {
  const resources: DesiredResource[] = [];
  const events: ComposeEvent[] = [];
  const regions = monitoringRegions(ctx, spec);
  const topics: Record<string, string | undefined> = {};
  for (const region of regions) {
    const account = observedAccount(observed, [keyKey(MONITORING, region)]);
    resources.push(
      ...kmsKey(ctx, MONITORING, region, {
        stateful: false,
        ...(account === undefined ? {} : { policy: monitoringKeyPolicy(region, account) }),
      }),
    );
    const name = ctx.namer.name('snsTopic', 'alerts', region);
    resources.push({
      key: topicKey(region),
      region,
      manifest: Topic.manifest({
        metadata: ctx.metadata('alerts-topic', region, name),
        spec: {
          forProvider: {
            region,
            displayName: `drplane ${ctx.estate.owner.name}-${ctx.estate.environment} alerts`,
            // The alias is deterministic, so the topic names its key without waiting for the key id.
            kmsMasterKeyId: aliasName(ctx, MONITORING, region),
            tags: ctx.tags({ Name: name }),
          },
        },
      }),
    });
    for (const email of spec.monitoring.alertEmails) {
      resources.push({
        key: `alerts-${region}-email-${shortHash(email.toLowerCase(), 8)}`,
        region,
        manifest: TopicSubscription.manifest({
          metadata: ctx.metadata('alerts-subscription', region),
          spec: {
            forProvider: { region, protocol: 'email', endpoint: email, topicArnSelector: own(ctx, 'alerts-topic', region) },
          },
        }),
      });
    }
    topics[region] = observedArn(observed, topicKey(region));
  }
  const withLagMonitor = hasLagStores(ctx, spec);
  const defs = alarmDefs(ctx, spec, withLagMonitor);
  const alarms = defs.flatMap((d) => (topics[d.region] === undefined ? [] : [metricAlarm(ctx, d, topics[d.region]!)]));
  resources.push(...alarms);
  const waiting = [...new Set(defs.filter((d) => topics[d.region] === undefined).map((d) => d.region))];
  if (waiting.length > 0)
    events.push({ severity: 'Normal', message: `alarms wait for the alert topic ARN in ${waiting.join(', ')}` });

  // Estate at risk: the primary region's alarms that exist (a composite alarm names only alarms of its own region).
  // Members join the rule once they exist (Ready), so the composite never names a missing alarm.
  const primaryTopic = topics[ctx.primary];
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
  if (possible && primaryTopic !== undefined && rule !== undefined) {
    resources.push({
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
    });
  }

  const healthIdsKnown = !spec.routing || ctx.regions.every((r) => spec.healthCheckIds[r] !== undefined);
  if (spec.monitoring.dashboard && healthIdsKnown) {
    resources.push({
      key: 'dashboard',
      region: ctx.primary,
      manifest: Dashboard.manifest({
        metadata: ctx.metadata('dashboard', ctx.primary, ctx.namer.name('dashboard', 'dr')),
        spec: { forProvider: { region: ctx.primary, dashboardBody: dashboardBody(ctx, spec) } },
      }),
    });
  }
  if (withLagMonitor) {
    for (const region of ctx.regions) {
      const lag = lagMonitor(ctx, spec, region, observed, artifacts);
      resources.push(...lag.resources);
      events.push(...lag.events);
    }
  }
  const status = Object.fromEntries(
    regions.map((r) => [r, observed.planning || topics[r] === undefined ? {} : { arn: topics[r]! }]),
  );
  return { resources, events, status: { regions: status } };
}
