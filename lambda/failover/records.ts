/**
 * Route 53 failover records: which region each serves, and the UPSERTs that move traffic. Pure.
 *
 * The record set has one PRIMARY and one SECONDARY record per type (usually one type: A
 * alias, AAAA alias or CNAME). Failing over keeps both records and their set identifiers and
 * swaps what they point at: PRIMARY gets the target region's value and health check,
 * SECONDARY gets the old primary's. Both UPSERTs go in one change batch, so Route 53 applies
 * them atomically. The target must already be the SECONDARY's region (true for two-region
 * estates; with more regions, point SECONDARY at the target first).
 *
 * A record's region is found from its health check ID (DRPLANE_HEALTH_CHECK_IDS), else from
 * the region name inside its value (regional endpoints such as
 * `d-abc.execute-api.us-west-2.amazonaws.com` or `x.lambda-url.us-west-2.on.aws` carry it).
 */
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { normalizeDnsName } from './config.js';

/** The records cannot be failed over as they are. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** PRIMARY and SECONDARY records of one type, with the regions they serve. */
export interface FailoverPair {
  readonly type: string;
  readonly primary: ResourceRecordSet;
  readonly secondary: ResourceRecordSet;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The configured region a record serves, or undefined when it cannot be told. */
export function regionOfRecord(
  record: ResourceRecordSet,
  regions: readonly string[],
  healthCheckIds: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (record.HealthCheckId !== undefined && healthCheckIds !== undefined) {
    const byCheck = regions.find((r) => healthCheckIds[r] === record.HealthCheckId);
    if (byCheck !== undefined) return byCheck;
  }
  const values = [record.AliasTarget?.DNSName, ...(record.ResourceRecords ?? []).map((rr) => rr.Value)]
    .filter((v): v is string => v !== undefined)
    .map((v) => v.toLowerCase());
  const matches = regions.filter((r) => {
    const pattern = new RegExp(`(^|[.-])${escape(r)}(\\.|$)`);
    return values.some((v) => pattern.test(v));
  });
  return matches.length === 1 ? matches[0] : undefined;
}

function describe(record: ResourceRecordSet): string {
  return `${record.Type ?? '?'} ${record.Failover ?? '?'} record (SetIdentifier ${record.SetIdentifier ?? 'none'})`;
}

/** Groups the failover records named `recordName` into PRIMARY/SECONDARY pairs per type. */
export function failoverPairs(
  records: readonly ResourceRecordSet[],
  recordName: string,
  regions: readonly string[],
  healthCheckIds: Readonly<Record<string, string>> | undefined,
): FailoverPair[] {
  const mine = records.filter((r) => r.Name !== undefined && normalizeDnsName(r.Name) === recordName && r.Failover !== undefined);
  if (mine.length === 0) {
    throw new PlanError(`no PRIMARY/SECONDARY failover records named ${recordName} in the hosted zone`);
  }
  const types = [...new Set(mine.map((r) => r.Type ?? ''))].sort();
  return types.map((type) => {
    const ofType = mine.filter((r) => (r.Type ?? '') === type);
    const primaries = ofType.filter((r) => r.Failover === 'PRIMARY');
    const secondaries = ofType.filter((r) => r.Failover === 'SECONDARY');
    const primary = primaries[0];
    const secondary = secondaries[0];
    if (primaries.length !== 1 || secondaries.length !== 1 || primary === undefined || secondary === undefined) {
      throw new PlanError(
        `${recordName} ${type} needs exactly one PRIMARY and one SECONDARY failover record; found ${primaries.length} and ${secondaries.length}`,
      );
    }
    const region = (r: ResourceRecordSet): string => {
      const found = regionOfRecord(r, regions, healthCheckIds);
      if (found === undefined) {
        throw new PlanError(
          `cannot tell which region the ${describe(r)} of ${recordName} serves: give it the region's health check ` +
            '(DRPLANE_HEALTH_CHECK_IDS) or a regional endpoint value',
        );
      }
      return found;
    };
    return { type, primary, secondary, primaryRegion: region(primary), secondaryRegion: region(secondary) };
  });
}

/** Where a record points: value or alias, TTL, health check. */
function target(from: ResourceRecordSet, healthCheckId: string | undefined): Partial<ResourceRecordSet> {
  return {
    ...(from.AliasTarget !== undefined ? { AliasTarget: from.AliasTarget } : {}),
    ...(from.ResourceRecords !== undefined ? { ResourceRecords: from.ResourceRecords } : {}),
    ...(from.TTL !== undefined ? { TTL: from.TTL } : {}),
    ...(healthCheckId !== undefined ? { HealthCheckId: healthCheckId } : {}),
  };
}

/** The changes that make `targetRegion` PRIMARY, and warnings worth a look. Empty when already so. */
export function swapChanges(
  pairs: readonly FailoverPair[],
  targetRegion: string,
  healthCheckIds: Readonly<Record<string, string>> | undefined,
): { changes: Change[]; warnings: string[] } {
  const changes: Change[] = [];
  const warnings: string[] = [];
  for (const pair of pairs) {
    if (pair.primaryRegion === targetRegion) continue;
    if (pair.secondaryRegion !== targetRegion) {
      throw new PlanError(
        `the ${pair.type} failover records point at ${pair.primaryRegion} (PRIMARY) and ${pair.secondaryRegion} (SECONDARY); ` +
          `${targetRegion} has no record to promote. Point the SECONDARY record at ${targetRegion} first.`,
      );
    }
    const newPrimary: ResourceRecordSet = {
      Name: pair.primary.Name,
      Type: pair.primary.Type,
      SetIdentifier: pair.primary.SetIdentifier,
      Failover: 'PRIMARY',
      ...target(pair.secondary, healthCheckIds?.[targetRegion] ?? pair.secondary.HealthCheckId),
    };
    const newSecondary: ResourceRecordSet = {
      Name: pair.secondary.Name,
      Type: pair.secondary.Type,
      SetIdentifier: pair.secondary.SetIdentifier,
      Failover: 'SECONDARY',
      ...target(pair.primary, healthCheckIds?.[pair.primaryRegion] ?? pair.primary.HealthCheckId),
    };
    if (newPrimary.AliasTarget === undefined && newPrimary.HealthCheckId === undefined) {
      warnings.push(`the new PRIMARY ${pair.type} record has no health check, so Route 53 can never fail away from it`);
    }
    changes.push({ Action: 'UPSERT', ResourceRecordSet: newPrimary }, { Action: 'UPSERT', ResourceRecordSet: newSecondary });
  }
  return { changes, warnings };
}
