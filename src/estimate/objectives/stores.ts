/**
 * What each data store of a spec can deliver: its replication lag (the data an unplanned failover
 * loses) and the time to make its secondary copy take writes.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { AURORA_MANAGED_RPO_MIN_SECONDS, LAG, PROMOTION, type Timing } from '../../facts/timings.js';
import type { Promotion, StoreObjective } from './types.js';

const promotionOf = (t: Timing, label: string): Promotion => ({
  label,
  typicalSeconds: t.typicalSeconds,
  worstSeconds: t.worstSeconds,
  typicalBasis: t.typicalBasis,
  worstBasis: t.worstBasis,
  source: t.source,
});

const store = (
  name: string,
  field: string,
  technology: string,
  lag: Timing,
  promotion: Promotion,
  rpoObjective: number | undefined,
  switchover?: Promotion,
): StoreObjective => ({
  store: name,
  field,
  technology,
  rpo: {
    typicalSeconds: lag.typicalSeconds,
    worstSeconds: lag.worstSeconds,
    bounded: lag.bounded,
    typicalBasis: lag.typicalBasis,
    worstBasis: lag.worstBasis,
    source: lag.source,
  },
  promotion,
  ...(switchover ? { switchover } : {}),
  rpoMet: rpoObjective === undefined ? null : lag.worstSeconds <= rpoObjective,
});

function databaseStore(spec: DisasterRecoverySpec, rpo: number | undefined): StoreObjective[] {
  const db = spec.database;
  if (!db) return [];
  const managed =
    db.engine === 'aurora-postgresql'
      ? `; managed RPO (rds.global_db_rpo, ≥ ${AURORA_MANAGED_RPO_MIN_SECONDS} s) could bound the lag but is not set`
      : '; no managed RPO for aurora-mysql';
  return [
    store(
      'database',
      'spec.database',
      `Aurora global database, ${db.engine} (storage-level, asynchronous${managed})`,
      LAG.auroraGlobal,
      promotionOf(PROMOTION.auroraUnplannedFailover, 'Aurora unplanned failover (FailoverGlobalCluster with AllowDataLoss)'),
      rpo,
      promotionOf(PROMOTION.auroraPlannedSwitchover, 'Aurora planned switchover (SwitchoverGlobalCluster, no data loss)'),
    ),
  ];
}

/** Every data store of the spec, database first, then tables and buckets in claim order. */
export function storeObjectives(spec: DisasterRecoverySpec): StoreObjective[] {
  const rpo = spec.objectives?.rpoSeconds;
  const nothing = promotionOf(PROMOTION.dynamodbMultiActive, 'nothing to promote: every replica takes writes');
  return [
    ...databaseStore(spec, rpo),
    ...(spec.tables ?? []).map((t, i) =>
      t.consistency === 'strong'
        ? store(
            `table ${t.name}`,
            `spec.tables[${i}]`,
            'DynamoDB global table (multi-Region strong consistency, MRSC)',
            LAG.dynamodbStrong,
            nothing,
            rpo,
          )
        : store(
            `table ${t.name}`,
            `spec.tables[${i}]`,
            'DynamoDB global table (multi-active, asynchronous)',
            LAG.dynamodbGlobal,
            nothing,
            rpo,
          ),
    ),
    ...(spec.buckets ?? []).map((b, i) => ({
      ...store(
        `bucket ${b.name}`,
        `spec.buckets[${i}]`,
        b.replicationTimeControl
          ? 'S3 cross-region replication with Replication Time Control'
          : 'S3 cross-region replication without Replication Time Control',
        b.replicationTimeControl ? LAG.s3WithRtc : LAG.s3WithoutRtc,
        promotionOf(PROMOTION.s3Replica, 'nothing to promote: the replica bucket is readable at once'),
        rpo,
      ),
      replicationTimeControl: b.replicationTimeControl,
    })),
  ];
}

/** The store with the largest worst-case lag (first of equals), if any. */
export function worstStore(stores: readonly StoreObjective[]): StoreObjective | undefined {
  return slowestOf(stores, (s) => s.rpo.worstSeconds);
}

/** The store with the largest value of `seconds` (first of equals), if any. */
export function slowestOf(stores: readonly StoreObjective[], seconds: (s: StoreObjective) => number): StoreObjective | undefined {
  return stores.reduce<StoreObjective | undefined>(
    (slow, s) => (slow === undefined || seconds(s) > seconds(slow) ? s : slow),
    undefined,
  );
}
