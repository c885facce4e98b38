/**
 * The replication lags the objectives rules compare the claim's RPO with, as messages need them: a sentence
 * saying what replicates and the typical lag in seconds. The numbers and their sources live once, in
 * src/estimate/timings.ts (the objectives model `drctl objectives` runs); this module only words them.
 */
import { LAG } from '../../estimate/timings.js';

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
  what: `Aurora global database replication (asynchronous, typically under ${LAG.auroraGlobal.typicalSeconds} second)`,
  seconds: LAG.auroraGlobal.typicalSeconds,
  source: LAG.auroraGlobal.source,
};

/** DynamoDB global tables (multi-Region eventual consistency): typically a second or two. */
export const DYNAMODB_GLOBAL_LAG: ReplicationLag = {
  what: `DynamoDB global table replication (asynchronous, typically 1-${LAG.dynamodbGlobal.typicalSeconds} seconds)`,
  seconds: LAG.dynamodbGlobal.typicalSeconds,
  source: LAG.dynamodbGlobal.source,
};

/** S3 Replication Time Control: 99.99% of objects within 15 minutes (the SLA). */
export const S3_RTC_LAG: ReplicationLag = {
  what: `S3 replication with Replication Time Control (99.99% of objects within ${LAG.s3WithRtc.worstSeconds / 60} minutes)`,
  seconds: LAG.s3WithRtc.worstSeconds,
  source: LAG.s3WithRtc.source,
};
