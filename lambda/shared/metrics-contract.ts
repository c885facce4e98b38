/**
 * Names of the custom CloudWatch metrics the handlers publish, and the dimensions of the lag
 * metric per store, so alarms and dashboards in the compositions use exactly what the
 * handlers write. Pure; imports only types.
 */
import type { LagStore } from './env-contract.js';

/** Namespace, metric and dimension names of the custom metrics. */
export const DRPLANE_METRICS = {
  namespace: 'drplane',
  /** Replication lag in seconds, one series per store and region (dimensions below). */
  replicationLag: 'ReplicationLagSeconds',
  /** Measured recovery time of a failover run, dimensions TargetRegion and Mode. */
  failoverRto: 'FailoverRtoSeconds',
  /** 1 when a region's `/health` answered healthy to the probe of another region, else 0; dimensions Region, ProbedFrom. */
  regionHealthy: 'RegionHealthy',
} as const;

/** The dimensions of `ReplicationLagSeconds` for one store. */
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
