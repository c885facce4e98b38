/**
 * What each data store of a spec can deliver: its replication lag (the data an unplanned failover
 * loses) and the time to make its secondary copy take writes.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { AURORA_MANAGED_RPO_MIN_SECONDS, LAG, PROMOTION, type Timing } from '../timings.js';
import type { StoreObjective } from './types.js';

const store = (
  name: string,
  field: string,
  technology: string,
  lag: Timing,
  promotion: Timing,
  promotionLabel: string,
  rpoObjective: number | undefined,
): StoreObjective => ({
  store: name,
  field,
  technology,
  rpo: { typicalSeconds: lag.typicalSeconds, worstSeconds: lag.worstSeconds, bounded: lag.bounded, source: lag.source },
  promotion: {
    label: promotionLabel,
    typicalSeconds: promotion.typicalSeconds,
    worstSeconds: promotion.worstSeconds,
    source: promotion.source,
  },
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
      PROMOTION.auroraUnplannedFailover,
      'Aurora managed failover (FailoverGlobalCluster with AllowDataLoss)',
      rpo,
    ),
  ];
}

/** Every data store of the spec, database first, then tables and buckets in claim order. */
export function storeObjectives(spec: DisasterRecoverySpec): StoreObjective[] {
  const rpo = spec.objectives?.rpoSeconds;
  return [
    ...databaseStore(spec, rpo),
    ...(spec.tables ?? []).map((t, i) =>
      store(
        `table ${t.name}`,
        `spec.tables[${i}]`,
        'DynamoDB global table (multi-active, asynchronous)',
        LAG.dynamodbGlobal,
        PROMOTION.dynamodbMultiActive,
        'nothing to promote: every replica takes writes',
        rpo,
      ),
    ),
    ...(spec.buckets ?? []).map((b, i) =>
      store(
        `bucket ${b.name}`,
        `spec.buckets[${i}]`,
        b.replicationTimeControl
          ? 'S3 cross-region replication with Replication Time Control'
          : 'S3 cross-region replication without Replication Time Control',
        b.replicationTimeControl ? LAG.s3WithRtc : LAG.s3WithoutRtc,
        PROMOTION.s3Replica,
        'nothing to promote: the replica bucket is readable at once',
        rpo,
      ),
    ),
  ];
}

/** The store with the largest worst-case lag (first of equals), if any. */
export function worstStore(stores: readonly StoreObjective[]): StoreObjective | undefined {
  return stores.reduce<StoreObjective | undefined>(
    (worst, s) => (worst === undefined || s.rpo.worstSeconds > worst.rpo.worstSeconds ? s : worst),
    undefined,
  );
}

/** The store slowest to promote in the worst case (first of equals), if any. */
export function slowestPromotion(stores: readonly StoreObjective[]): StoreObjective | undefined {
  return stores.reduce<StoreObjective | undefined>(
    (slow, s) => (slow === undefined || s.promotion.worstSeconds > slow.promotion.worstSeconds ? s : slow),
    undefined,
  );
}
