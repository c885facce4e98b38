/**
 * Which CloudWatch metric measures the cross-region lag of an Aurora global database's secondary clusters: one rule,
 * shared by the lag monitor's configuration and the alarms (src/compose). Pure.
 */
import { AURORA_LAG_METRIC_NAMES } from '../../lambda/shared/env-contract.js';
import { RPO_LAG_METRIC_FROM } from '../facts/aurora-global.js';
import { compareKeys, versionKey, type AuroraEngine } from '../facts/aurora-versions.js';

/** One of the AWS/RDS lag metrics a secondary cluster publishes, in milliseconds, depending on engine and version. */
export type AuroraLagMetric = (typeof AURORA_LAG_METRIC_NAMES)[number];

/**
 * The lag metric of a global database of `engine` at `engineVersion`: AuroraGlobalDBRPOLag (the recovery point) where
 * AWS publishes it, else AuroraGlobalDBReplicationLag (Aurora MySQL 2 below 2.12.0 and 3 below 3.04.0; see
 * RPO_LAG_METRIC_FROM). A version drplane cannot parse, or of a major it has no floor for, gets AuroraGlobalDBRPOLag:
 * policy refuses unparsable versions, and every major released after 3 is above the floors.
 */
export function auroraLagMetric(engine: AuroraEngine, engineVersion: string): AuroraLagMetric {
  const key = versionKey(engine, engineVersion);
  const floor = key === undefined ? undefined : RPO_LAG_METRIC_FROM[engine]?.[String(key[0])];
  if (key === undefined || floor === undefined) return 'AuroraGlobalDBRPOLag';
  return compareKeys(key, versionKey(engine, floor)!) >= 0 ? 'AuroraGlobalDBRPOLag' : 'AuroraGlobalDBReplicationLag';
}
