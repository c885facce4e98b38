/**
 * How fast the replication and failover mechanisms of an estate are, as AWS documents them; the
 * objectives rules compare the claim's RPO and RTO with these. Checked 2026-11-23. `drctl objectives`
 * will model recovery in full; these are the coarse numbers validation needs.
 */

/** One asynchronous replication mechanism and its typical or guaranteed lag. */
export interface ReplicationLag {
  /** What replicates, for messages. */
  readonly what: string;
  /** Lag in seconds: typical for Aurora and DynamoDB, the SLA for S3 RTC. */
  readonly seconds: number;
  /** Where the number comes from. */
  readonly source: string;
}

/** Aurora global database: storage-level replication, typically under a second. */
export const AURORA_GLOBAL_LAG: ReplicationLag = {
  what: 'Aurora global database replication (asynchronous, typically under 1 second)',
  seconds: 1,
  source: 'AWS Aurora User Guide, "Using Amazon Aurora global databases"',
};

/** DynamoDB global tables (multi-Region eventual consistency): typically a second or two. */
export const DYNAMODB_GLOBAL_LAG: ReplicationLag = {
  what: 'DynamoDB global table replication (asynchronous, typically 1-2 seconds)',
  seconds: 2,
  source: 'AWS DynamoDB Developer Guide, "Global tables" (ReplicationLatency metric)',
};

/** S3 Replication Time Control: 99.99% of objects within 15 minutes (the SLA). */
export const S3_RTC_LAG: ReplicationLag = {
  what: 'S3 replication with Replication Time Control (99.99% of objects within 15 minutes)',
  seconds: 900,
  source: 'AWS S3 User Guide, "Meeting compliance requirements with S3 Replication Time Control"',
};

/** Managed cross-Region failover of an Aurora global database: typically about a minute. */
export const AURORA_FAILOVER_SECONDS = 60;

/** One evaluation period of the estate-at-risk alarm before the orchestrator starts (automatic mode). */
export const ALARM_EVALUATION_SECONDS = 60;
