/**
 * When the record swap may be skipped. Route 53's control plane (ChangeResourceRecordSets, GetChange,
 * ListResourceRecordSets) is served from us-east-1; when that region is the one lost, the swap fails after the
 * database was promoted. Route 53's data plane (health checks, answers) is global, so health-checked failover
 * records already send clients to the SECONDARY once the PRIMARY's health check fails. Pure.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { failoverPairs } from './records.js';

/** Why DNS already serves `targetRegion` without a change, or undefined when it may not. */
export function servedByHealthChecks(
  records: readonly ResourceRecordSet[] | undefined,
  recordName: string,
  regions: readonly string[],
  healthCheckIds: Readonly<Record<string, string>> | undefined,
  targetRegion: string,
): string | undefined {
  if (records === undefined) {
    // Not observed: drplane composes one pair, PRIMARY → the serving region, SECONDARY → the other, each with its
    // region's health check. Only with two regions is the target certainly the SECONDARY.
    const others = regions.filter((r) => r !== targetRegion);
    if (regions.length !== 2 || healthCheckIds?.[targetRegion] === undefined || healthCheckIds[others[0]!] === undefined)
      return undefined;
    return `the records could not be read; in a two-region estate with health checks Route 53 answers with ${targetRegion} (SECONDARY) while ${others[0]!} is unhealthy`;
  }
  const failover = records.filter((r) => r.Failover !== undefined);
  if (failover.length === 0) return undefined;
  let pairs;
  try {
    pairs = failoverPairs(failover, recordName, regions, healthCheckIds);
  } catch {
    return undefined;
  }
  const checked = (r: ResourceRecordSet): boolean =>
    r.HealthCheckId !== undefined || r.AliasTarget?.EvaluateTargetHealth === true;
  const ok = pairs.every(
    (p) => p.primaryRegion === targetRegion || (p.secondaryRegion === targetRegion && checked(p.primary) && checked(p.secondary)),
  );
  if (!ok) return undefined;
  return `${targetRegion} is the health-checked SECONDARY: Route 53 answers with it while the PRIMARY is unhealthy`;
}

/** True for an error of Route 53 itself being unreachable or failing (not a refusal of the request). */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const fault = (err as { $fault?: unknown }).$fault;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (fault === 'server' || (status !== undefined && status >= 500)) return true;
  if (['Throttling', 'ThrottlingException', 'PriorRequestNotComplete'].includes(err.name)) return true;
  // Network: no HTTP answer at all (connection refused or reset, DNS failure, timeout).
  return status === undefined && fault === undefined;
}
