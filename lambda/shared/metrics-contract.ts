/**
 * Names of the custom CloudWatch metrics the handlers publish, and the dimensions of each (one builder per metric), so
 * alarms and dashboards in the compositions use exactly what the handlers write. Pure; imports only types.
 *
 * Every series names its estate: two estates in one account (and region) must never share one, or one estate's probe
 * would arm or fire another's failover trigger. The probe, readiness and RTO metrics carry the dimension `Estate` (the
 * estate id, {@link ESTATE_DIMENSION}); the lag and node-group metrics need none, as their Store, Cluster and NodeGroup
 * values are AWS names the estate's Namer made, which end in the estate id (src/compose/naming.ts).
 */
import type { LagStore } from './env-contract.js';

/** Namespace, metric and dimension names of the custom metrics. */
export const DRPLANE_METRICS = {
  namespace: 'drplane',
  /** Replication lag in seconds, one series per store and region (dimensions below). */
  replicationLag: 'ReplicationLagSeconds',
  /** Measured recovery time of a failover run; dimensions {@link failoverRtoDimensions} (Estate, TargetRegion, Mode). */
  failoverRto: 'FailoverRtoSeconds',
  /**
   * 1 when a region's `/health` answered healthy to the probe of another region, else 0; dimensions
   * {@link probeDimensions} (Estate, Region, ProbedFrom).
   */
  regionHealthy: 'RegionHealthy',
  /**
   * Percentage (0-100) of Route 53's health checkers that last saw a region's health check healthy, as the probe of
   * another region read it (GetHealthCheckStatus); dimensions {@link probeDimensions}. Not published when Route 53 does
   * not answer.
   */
  checkersHealthy: 'CheckersHealthyPercent',
  /**
   * 1 when the probed region's Aurora cluster is in a maintenance state (RDS DescribeDBClusters: maintenance,
   * upgrading, rebooting, modifying), else 0; dimensions {@link probeDimensions}. Not published when RDS does not answer.
   */
  regionInMaintenance: 'RegionInMaintenance',
  /**
   * 1 when the automatic trigger's probe failed (configuration, event, publishing, re-drive), else 0; dimensions
   * {@link probeErrorsDimensions} (Estate, ProbedFrom: the probe's region). The probe publishes it instead of throwing.
   */
  probeErrors: 'ProbeErrors',
  /**
   * 1 when the lag monitor's ARC readiness report failed this run (the readiness read, the parameter write or its
   * tagging), else 0; dimensions {@link readinessReportDimensions} (Estate, Region: the monitor's). Published by every
   * run of a monitor with a readiness cell.
   */
  readinessReportErrors: 'ReadinessReportErrors',
  /**
   * The number of health issues EKS reports for a region's managed node group (DescribeNodegroup `health.issues`; e.g.
   * NodeCreationFailure: instances that launched but did not register with the cluster); dimensions
   * {@link NodeGroupDimensions}. Published by every run of a lag monitor with a node group that EKS describes.
   */
  nodeGroupHealthIssues: 'NodeGroupHealthIssues',
  /**
   * How many nodes a region's managed node group lacks to reach its minimum size: EKS's current `scalingConfig.minSize`
   * less the instances of its Auto Scaling groups that are InService and Healthy, at least 0 (a pilot-light standby's
   * minimum is 0, so it never lacks any); dimensions {@link NodeGroupDimensions}.
   */
  nodeGroupNodesBelowMinimum: 'NodeGroupNodesBelowMinimum',
} as const;

/**
 * The name of the dimension that names the estate: its id (src/compose/naming.ts Namer.estateId, `e` and 7 hex digits
 * of the hash of the claim's namespace, name, environment and ProviderConfig), the tail of every AWS name of the
 * estate and its `drplane:estate` tag. The Lambdas get it from `DRPLANE_ESTATE` (env-contract.ts).
 */
export const ESTATE_DIMENSION = 'Estate';

/** A metric's dimensions as CloudWatch's PutMetricData and GetMetricData take them, in the builder's order. */
export const dimensionList = <T extends { readonly [K in keyof T]: string }>(dimensions: T): { Name: string; Value: string }[] =>
  Object.entries(dimensions as Readonly<Record<string, string>>).map(([Name, Value]) => ({ Name, Value }));

/** The dimensions of `RegionHealthy`, `CheckersHealthyPercent` and `RegionInMaintenance`. */
export interface ProbeDimensions {
  /** The estate id. */
  readonly Estate: string;
  /** The probed region (the serving one). */
  readonly Region: string;
  /** The probe's own region (the standby's). */
  readonly ProbedFrom: string;
}

/** The dimensions the probe of `estate` in `probedFrom` publishes its metrics of `region` with, and its alarms read. */
export const probeDimensions = (estate: string, region: string, probedFrom: string): ProbeDimensions => ({
  Estate: estate,
  Region: region,
  ProbedFrom: probedFrom,
});

/** The dimensions of `ProbeErrors`: the estate id and the probe's own region. */
export interface ProbeErrorsDimensions {
  readonly Estate: string;
  readonly ProbedFrom: string;
}

/** The dimensions of `ProbeErrors` of the probe of `estate` in `probedFrom`. */
export const probeErrorsDimensions = (estate: string, probedFrom: string): ProbeErrorsDimensions => ({
  Estate: estate,
  ProbedFrom: probedFrom,
});

/** The dimensions of `ReadinessReportErrors`: the estate id and the lag monitor's region. */
export interface ReadinessReportDimensions {
  readonly Estate: string;
  readonly Region: string;
}

/** The dimensions of `ReadinessReportErrors` of the lag monitor of `estate` in `region`. */
export const readinessReportDimensions = (estate: string, region: string): ReadinessReportDimensions => ({
  Estate: estate,
  Region: region,
});

/** The dimensions of `FailoverRtoSeconds`: the estate id, the run's target region and its mode. */
export interface FailoverRtoDimensions {
  readonly Estate: string;
  readonly TargetRegion: string;
  readonly Mode: 'planned' | 'unplanned';
}

/** The dimensions of `FailoverRtoSeconds` of a run of `estate` to `targetRegion` in `mode`. */
export const failoverRtoDimensions = (
  estate: string,
  targetRegion: string,
  mode: 'planned' | 'unplanned',
): FailoverRtoDimensions => ({ Estate: estate, TargetRegion: targetRegion, Mode: mode });

/**
 * The dimensions of the node-group metrics: the EKS cluster and its managed node group (unique in a region; both are
 * names the estate's Namer made, which end in the estate id, so they need no Estate dimension).
 */
export interface NodeGroupDimensions {
  readonly Cluster: string;
  readonly NodeGroup: string;
}

/** The dimensions of `NodeGroupHealthIssues` and `NodeGroupNodesBelowMinimum` for a cluster's node group. */
export const nodeGroupDimensions = (cluster: string, nodegroup: string): NodeGroupDimensions => ({
  Cluster: cluster,
  NodeGroup: nodegroup,
});

/**
 * Route 53 counts an endpoint healthy when more than this percentage of its health checkers report it healthy
 * (Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is healthy").
 */
export const ROUTE53_HEALTHY_PERCENT = 18;

/**
 * The dimensions of `ReplicationLagSeconds` for one store. No Estate dimension: Store is the replica's AWS name (the
 * estate's Namer made it, and it ends in the estate id), so no two estates share a series.
 */
export interface LagDimensions {
  /** Names the replica: the secondary cluster, the table, or the destination bucket. */
  readonly Store: string;
  readonly StoreType: LagStore['type'];
  /** The region the replica lives in. */
  readonly Region: string;
}

/** The `ReplicationLagSeconds` dimensions the lag monitor publishes for `store`. */
export function lagDimensions(store: LagStore): LagDimensions {
  switch (store.type) {
    case 'aurora':
      return { Store: store.clusterIdentifier, StoreType: 'aurora', Region: store.region };
    case 'dynamodb':
      return { Store: store.tableName, StoreType: 'dynamodb', Region: store.receivingRegion };
    case 's3':
      return { Store: store.destinationBucket, StoreType: 's3', Region: store.region };
  }
}

/**
 * The CloudWatch Metrics Insights query of an Aurora cluster's global-database lag (AuroraGlobalDBRPOLag or
 * AuroraGlobalDBReplicationLag), the highest value over every dimension set that names the cluster.
 *
 * Why a query and not a metric with dimensions: CloudWatch matches a metric's dimension set exactly, and AWS does not
 * pin in any machine-readable source (botocore has no metric catalogue) which set Aurora publishes these with. The
 * Aurora labs find them under the SourceRegion group and the Neptune guide (same storage layer) lists
 * `DBClusterIdentifier, SourceRegion` for global-database metrics, while drplane's alarms named `DBClusterIdentifier`
 * alone: a metric published with both would never reach them, and the RPO guard of automatic failover would let a
 * failover toward a lagging replica through. `FROM "AWS/RDS"` without SCHEMA() reads every dimension set.
 */
export function auroraLagQuery(metricName: string, clusterIdentifier: string): string {
  if (!/^\w+$/.test(metricName) || !/^[A-Za-z0-9-]+$/.test(clusterIdentifier)) {
    throw new Error(`not a metric name / cluster identifier: ${metricName} / ${clusterIdentifier}`);
  }
  return `SELECT MAX(${metricName}) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${clusterIdentifier}'`;
}
