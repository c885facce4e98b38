/**
 * Where CloudWatch keeps each store's replication lag, and in which unit. Pure.
 */
import type { LagStore } from '../shared/env-contract.js';

/** A CloudWatch metric to read for one store. */
export interface LagSource {
  /** Region whose CloudWatch holds the metric. */
  readonly readRegion: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
  /** Factor that turns the metric's unit into seconds. */
  readonly toSeconds: number;
  /**
   * True when `dimensions` only filter: the metric's published dimension set is not pinned (Aurora's global-database
   * lag, see auroraLagQuery in lambda/shared/metrics-contract.ts), so the reader lists the metrics that carry these
   * dimensions (ListMetrics) and reads each with its exact set, keeping the highest value.
   */
  readonly discover?: boolean;
}

/** The source metric of `store`; DynamoDB's is read in its `sourceRegion`, by default `primaryRegion`. */
export function lagSource(store: LagStore, primaryRegion: string): LagSource {
  switch (store.type) {
    case 'aurora':
      // Published by the secondary cluster, in its own region, in milliseconds; older Aurora MySQL publishes only
      // AuroraGlobalDBReplicationLag (the composition names it in `metric`).
      return {
        readRegion: store.region,
        namespace: 'AWS/RDS',
        metricName: store.metric ?? 'AuroraGlobalDBRPOLag',
        dimensions: [{ Name: 'DBClusterIdentifier', Value: store.clusterIdentifier }],
        toSeconds: 1 / 1000,
        discover: true,
      };
    case 'dynamodb':
      // Published in the source region per receiving region, in milliseconds.
      return {
        readRegion: store.sourceRegion ?? primaryRegion,
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensions: [
          { Name: 'TableName', Value: store.tableName },
          { Name: 'ReceivingRegion', Value: store.receivingRegion },
        ],
        toSeconds: 1 / 1000,
      };
    case 's3':
      // ReplicationLatency is published in the destination bucket's region (S3 User Guide, "Using S3 Replication
      // metrics"; OperationsFailedReplication, not read here, in the source's), in seconds.
      return {
        readRegion: store.region,
        namespace: 'AWS/S3',
        metricName: 'ReplicationLatency',
        dimensions: [
          { Name: 'SourceBucket', Value: store.sourceBucket },
          { Name: 'DestinationBucket', Value: store.destinationBucket },
          { Name: 'RuleId', Value: store.ruleId },
        ],
        toSeconds: 1,
      };
  }
}
