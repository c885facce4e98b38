/**
 * The service records named DRPLANE_RECORD_NAME: which region each serves, and the UPSERTs that
 * move traffic. Pure. drplane composes one of two routing policies (spec.routing.policy):
 *
 * - failover: one PRIMARY and one SECONDARY record per type (usually one type: A alias, AAAA
 *   alias or CNAME). Failing over keeps both records and their set identifiers and swaps what
 *   they point at: PRIMARY gets the target region's value and health check, SECONDARY gets the
 *   old primary's. Both UPSERTs go in one change batch, so Route 53 applies them atomically.
 *   When the target is not the SECONDARY's region (three or more regions), a CNAME PRIMARY gets
 *   the target's service host (the host of its DRPLANE_HEALTH_URLS entry, which is what drplane's
 *   records point at); an alias record needs SECONDARY pointed at the target first.
 * - latency: one record per region, each with its region's health check; every healthy region
 *   already serves, so there is nothing to move (a warning if no record serves the target).
 *
 * Neither policy keeps the database from failing over: a name with no service record (a zone
 * apex, where drplane composes none) is a warning, not an error.
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
  serviceHosts?: Readonly<Record<string, string>>,
): { changes: Change[]; warnings: string[] } {
  const changes: Change[] = [];
  const warnings: string[] = [];
  for (const pair of pairs) {
    if (pair.primaryRegion === targetRegion) continue;
    const targetHost = serviceHosts?.[targetRegion];
    let promoted: Partial<ResourceRecordSet>;
    if (pair.secondaryRegion === targetRegion) {
      promoted = target(pair.secondary, healthCheckIds?.[targetRegion] ?? pair.secondary.HealthCheckId);
    } else if (pair.type === 'CNAME' && targetHost !== undefined) {
      // Three or more regions: the target serves neither record; point PRIMARY at its service host.
      promoted = {
        ResourceRecords: [{ Value: targetHost }],
        ...(pair.secondary.TTL !== undefined ? { TTL: pair.secondary.TTL } : {}),
        ...(healthCheckIds?.[targetRegion] !== undefined ? { HealthCheckId: healthCheckIds[targetRegion] } : {}),
      };
    } else {
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
      ...promoted,
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

/** What the DNS step does: the changes (empty when nothing moves), why nothing moves, and warnings. */
export interface DnsChanges {
  readonly changes: Change[];
  /** Why no change is needed; set when `changes` is empty. */
  readonly reason?: string;
  readonly warnings: string[];
}

/** The host of each region's health URL: the service host drplane's records point at. */
export function hostsOf(healthUrls: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(healthUrls).map(([region, url]) => [region, new URL(url).hostname]));
}

/**
 * Plans the DNS step for whichever routing policy the records named `recordName` use: failover
 * records are swapped (see swapChanges), latency records stay as they are. Throws PlanError only
 * for record sets that cannot be reasoned about (failover and latency records mixed, a failover
 * pair that cannot be moved).
 */
export function planDns(
  records: readonly ResourceRecordSet[],
  recordName: string,
  regions: readonly string[],
  healthCheckIds: Readonly<Record<string, string>> | undefined,
  serviceHosts: Readonly<Record<string, string>> | undefined,
  targetRegion: string,
): DnsChanges {
  const mine = records.filter((r) => r.Name !== undefined && normalizeDnsName(r.Name) === recordName);
  const failover = mine.filter((r) => r.Failover !== undefined);
  const latency = mine.filter((r) => r.Region !== undefined);
  if (failover.length > 0 && latency.length > 0) {
    throw new PlanError(
      `${recordName} has both failover (${failover.length}) and latency (${latency.length}) records; keep one routing policy per name`,
    );
  }
  if (failover.length > 0) {
    const pairs = failoverPairs(failover, recordName, regions, healthCheckIds);
    const { changes, warnings } = swapChanges(pairs, targetRegion, healthCheckIds, serviceHosts);
    return changes.length === 0
      ? { changes, warnings, reason: `${recordName} already points at ${targetRegion}` }
      : { changes, warnings };
  }
  if (latency.length > 0) {
    const served = latency.map((r) => regionOfRecord(r, regions, healthCheckIds));
    const warnings: string[] = [];
    if (!served.includes(targetRegion)) {
      warnings.push(
        `no latency record of ${recordName} serves ${targetRegion}: clients keep reaching the other healthy regions only`,
      );
    }
    const unchecked = latency.filter((r) => r.HealthCheckId === undefined && r.AliasTarget === undefined);
    if (unchecked.length > 0) {
      warnings.push(
        `${unchecked.length} latency record(s) of ${recordName} have no health check, so Route 53 keeps sending clients to them when their region is down`,
      );
    }
    return {
      changes: [],
      warnings,
      reason: `${recordName} uses latency records: every healthy region serves, nothing to move`,
    };
  }
  return {
    changes: [],
    warnings: [`no failover or latency records named ${recordName} in the hosted zone: DNS was not moved`],
    reason: `no failover or latency records named ${recordName}`,
  };
}

/** A region's Aurora endpoints: its cluster (writer) endpoint and its reader endpoint. */
export interface DatabaseEndpoints {
  readonly writer: string;
  readonly reader: string;
}

/**
 * The UPSERTs that point `writer.<recordName>` and `reader.<recordName>` (CNAMEs drplane composes with a database) at
 * the target region's cluster and reader endpoints, once the target writes. Only records that exist are changed
 * (keeping their TTL): a name compose did not create (no database records, a zone apex) is a warning, not a change.
 */
export function databaseChanges(
  records: readonly ResourceRecordSet[],
  recordName: string,
  endpoints: Readonly<Record<string, DatabaseEndpoints>> | undefined,
  targetRegion: string,
): { changes: Change[]; warnings: string[] } {
  const target = endpoints?.[targetRegion];
  if (target === undefined) return { changes: [], warnings: [] };
  const changes: Change[] = [];
  const warnings: string[] = [];
  for (const which of ['writer', 'reader'] as const) {
    const name = `${which}.${recordName}`;
    const value = normalizeDnsName(target[which]);
    const existing = records.find((r) => r.Name !== undefined && normalizeDnsName(r.Name) === name && r.Type === 'CNAME');
    if (existing === undefined) {
      warnings.push(`no CNAME ${name} in the hosted zone: it was not moved to ${targetRegion}`);
      continue;
    }
    const now = (existing.ResourceRecords ?? []).map((rr) => normalizeDnsName(rr.Value ?? ''));
    if (now.length === 1 && now[0] === value) continue;
    changes.push({
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: existing.Name,
        Type: 'CNAME',
        ...(existing.TTL !== undefined ? { TTL: existing.TTL } : {}),
        ResourceRecords: [{ Value: target[which] }],
      },
    });
  }
  return { changes, warnings };
}
