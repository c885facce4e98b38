/**
 * The catalogue of the estate's replicated stores: every replication link (an Aurora member cluster, a DynamoDB table
 * from one region to another, an S3 bucket rule from one region to another) with the AWS metric that measures its lag
 * (namespace, metric name, dimensions, the region CloudWatch publishes it in, its unit) and the threshold it is held
 * to. The lag monitors (lag-monitor.ts), the alarms and the dashboard (primitives/monitoring) and the RPO guard of
 * automatic failover (failover-trigger.ts) all read their metrics here, so a store is described once.
 *
 * Where AWS publishes each metric: Aurora's lag in the cluster's own region, while it is a secondary; DynamoDB's
 * ReplicationLatency in the source region, per receiving region; S3's ReplicationLatency in the destination bucket's
 * region and OperationsFailedReplication in the source's (S3 User Guide, "Using S3 Replication metrics").
 */
import { auroraLagQuery } from '../../lambda/shared/metrics-contract.js';
import { s3LagThresholdSeconds, type LagStore } from '../../lambda/shared/env-contract.js';
import type { DRMonitoringSpec } from '../api/primitives.js';
import { auroraLagMetric, type AuroraLagMetric } from '../policy/aurora-lag-metric.js';
import type { ComposeContext } from './context.js';
import { clusterId } from '../primitives/database/compose.js';
import { tableName } from '../primitives/table/compose.js';

/** A CloudWatch metric as AWS publishes it. */
export interface MetricIdentity {
  /** The region whose CloudWatch holds it. */
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Its dimensions, in the order the dashboard lists them. */
  readonly dimensions: Readonly<Record<string, string>>;
  /**
   * A Metrics Insights query to read instead of the metric, for a metric whose published dimension set is not pinned
   * (Aurora's lag: auroraLagQuery); `dimensions` then only describe it.
   */
  readonly query?: string;
  /** Its unit: lags in milliseconds (Aurora, DynamoDB) or seconds (S3); counts for failures. */
  readonly unit: 'milliseconds' | 'seconds' | 'count';
}

/** What every replication link carries. */
interface Link {
  /** The link as the lag monitor reads it (lambda/shared/env-contract.ts). */
  readonly store: LagStore;
  /** The metric of its lag. */
  readonly lag: MetricIdentity;
  /** The lag it is held to, in seconds. */
  readonly thresholdSeconds: number;
}

/** An Aurora member cluster: its lag, reported while it is a secondary. */
export interface AuroraLink extends Link {
  readonly kind: 'aurora';
  readonly region: string;
  readonly cluster: string;
}

/** A DynamoDB global table's replication from one region to another. */
export interface TableLink extends Link {
  readonly kind: 'dynamodb';
  /** The table's name in the claim. */
  readonly table: string;
  /** The table's AWS name. */
  readonly tableName: string;
  readonly from: string;
  readonly to: string;
}

/** An S3 bucket's replication rule from one region to another, with its failed-operations count. */
export interface BucketLink extends Link {
  readonly kind: 's3';
  /** The bucket's name in the claim. */
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly failed: MetricIdentity;
}

/** The replicated stores of an estate, each kind in a fixed order. */
export interface ReplicatedStores {
  /** One per estate region, in the estate's order (when the estate has a database). */
  readonly aurora: readonly AuroraLink[];
  /** Per table in claim order, per replication pair (replicationPairs). */
  readonly tables: readonly TableLink[];
  /** Per bucket in claim order, per replication pair (replicationPairs). */
  readonly buckets: readonly BucketLink[];
}

/** What the catalogue reads of a spec. */
export type StoresSpec = Pick<
  DRMonitoringSpec,
  'database' | 'databaseEngine' | 'databaseEngineVersion' | 'tables' | 'buckets' | 'monitoring'
>;

/**
 * The lag metric the estate's Aurora secondaries publish (src/policy/aurora-lag-metric.ts), read by the monitors and
 * alarmed on: AuroraGlobalDBRPOLag, or AuroraGlobalDBReplicationLag for Aurora MySQL below 3.04.0 / 2.12.0. Without
 * the engine version (an XDRMonitoring composed before it was passed) the RPO metric, as before.
 */
export const auroraLagMetricOf = (spec: Pick<DRMonitoringSpec, 'databaseEngine' | 'databaseEngineVersion'>): AuroraLagMetric =>
  spec.databaseEngine !== undefined && spec.databaseEngineVersion !== undefined
    ? auroraLagMetric(spec.databaseEngine, spec.databaseEngineVersion)
    : 'AuroraGlobalDBRPOLag';

/** The S3 threshold of an estate: its replication-lag threshold, never under what Replication Time Control promises. */
export const s3ThresholdSeconds = (spec: Pick<DRMonitoringSpec, 'monitoring'>): number =>
  s3LagThresholdSeconds(spec.monitoring.replicationLagThresholdSeconds);

/**
 * Every direction data replicates in, as the AWS metrics measure it: `[source, receiver]` for every ordered pair of
 * regions. DynamoDB global tables are multi-writer (the service writes in whichever region serves) and S3 replicates
 * every region's bucket to every other, so after a failover the new active region is a source like any other.
 */
export const replicationPairs = (ctx: ComposeContext): Array<readonly [string, string]> =>
  ctx.regions.flatMap((from) => ctx.regions.filter((to) => to !== from).map((to) => [from, to] as const));

/** The lag metric of the Aurora cluster of `region` (read through a Metrics Insights query: auroraLagQuery). */
export function auroraLag(
  ctx: ComposeContext,
  spec: Pick<DRMonitoringSpec, 'databaseEngine' | 'databaseEngineVersion'>,
  region: string,
): MetricIdentity {
  const metricName = auroraLagMetricOf(spec);
  const cluster = clusterId(ctx, region);
  return {
    region,
    namespace: 'AWS/RDS',
    metricName,
    dimensions: { DBClusterIdentifier: cluster },
    query: auroraLagQuery(metricName, cluster),
    unit: 'milliseconds',
  };
}

/** Every replication link of the estate with its metrics and threshold. */
export function replicatedStores(ctx: ComposeContext, spec: StoresSpec): ReplicatedStores {
  const lagSeconds = spec.monitoring.replicationLagThresholdSeconds;
  const aurora = spec.database
    ? ctx.regions.map((region): AuroraLink => ({
        kind: 'aurora',
        region,
        cluster: clusterId(ctx, region),
        store: { type: 'aurora', region, clusterIdentifier: clusterId(ctx, region), metric: auroraLagMetricOf(spec) },
        lag: auroraLag(ctx, spec, region),
        thresholdSeconds: lagSeconds,
      }))
    : [];
  const tables = spec.tables.flatMap((table) =>
    replicationPairs(ctx).map(([from, to]): TableLink => ({
      kind: 'dynamodb',
      table,
      tableName: tableName(ctx, table),
      from,
      to,
      store: { type: 'dynamodb', tableName: tableName(ctx, table), receivingRegion: to, sourceRegion: from },
      lag: {
        region: from,
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensions: { TableName: tableName(ctx, table), ReceivingRegion: to },
        unit: 'milliseconds',
      },
      thresholdSeconds: lagSeconds,
    })),
  );
  const buckets = spec.buckets.flatMap((bucket) =>
    replicationPairs(ctx).map(([from, to]): BucketLink => {
      const source = ctx.namer.bucket(bucket, from).value;
      const destination = ctx.namer.bucket(bucket, to).value;
      const dimensions = { DestinationBucket: destination, RuleId: `to-${to}`, SourceBucket: source };
      return {
        kind: 's3',
        bucket,
        from,
        to,
        store: {
          type: 's3',
          sourceBucket: source,
          destinationBucket: destination,
          ruleId: `to-${to}`,
          region: to,
          sourceRegion: from,
        },
        lag: { region: to, namespace: 'AWS/S3', metricName: 'ReplicationLatency', dimensions, unit: 'seconds' },
        failed: { region: from, namespace: 'AWS/S3', metricName: 'OperationsFailedReplication', dimensions, unit: 'count' },
        thresholdSeconds: s3ThresholdSeconds(spec),
      };
    }),
  );
  return { aurora, tables, buckets };
}

/** A threshold in seconds in the unit of a lag metric. */
export const inUnitOf = (metric: MetricIdentity, seconds: number): number =>
  metric.unit === 'milliseconds' ? seconds * 1000 : seconds;
