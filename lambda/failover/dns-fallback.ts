/**
 * When the record swap may be skipped. Route 53's control plane (ChangeResourceRecordSets, GetChange,
 * ListResourceRecordSets) is served from us-east-1; when that region is the one lost, the swap fails after the
 * database was promoted. Route 53's data plane (health checks, answers) is global, so health-checked failover
 * records already send clients to the SECONDARY once the PRIMARY's health check fails. Pure.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { normalizeDnsName } from './config.js';
import { failoverPairs, planDns } from './records.js';

/** The routing policy drplane composed for the records (DRPLANE_ROUTING_POLICY). */
export type RoutingPolicy = 'failover' | 'latency';

/** What the run knows of the estate's records when Route 53 cannot be read. */
export interface ComposedRouting {
  /**
   * What gates the records (DRPLANE_ROUTING_CONTROL). With `arc` a record serves only while its region's routing
   * control is On, which the records do not show: nothing is ever claimed to serve the target without a change.
   */
  readonly control?: 'health-check' | 'arc';
  /** The policy compose chose for the records; undefined when not configured (older compositions). */
  readonly policy?: RoutingPolicy;
  /** The Aurora writer's region before the run (observe): compose points the PRIMARY record at it. */
  readonly writerRegion?: string;
  /** Lowercase service host per region (each region's `/health` host), to plan the swap as switch-dns would. */
  readonly serviceHosts?: Readonly<Record<string, string>>;
}

/** Records not readable: why the records drplane composes already send clients to `targetRegion`, or undefined. */
function servedAsComposed(
  regions: readonly string[],
  healthCheckIds: Readonly<Record<string, string>> | undefined,
  targetRegion: string,
  composed: ComposedRouting,
): string | undefined {
  const checked = (r: string | undefined): boolean => r !== undefined && healthCheckIds?.[r] !== undefined;
  if (composed.policy === 'latency') {
    // One latency record per region, each with its region's health check: Route 53 answers with the healthy regions.
    if (!regions.every(checked)) return undefined;
    return `the records could not be read; the estate routes by latency with a health check on every region's record, so Route 53 answers with the healthy regions, ${targetRegion} among them: nothing to move`;
  }
  if (composed.policy === undefined && regions.length !== 2) return undefined;
  // Failover (or two regions, where drplane composes nothing else): PRIMARY → the writer's region, SECONDARY → the
  // estate primary, or the first secondary while the primary writes (routing/compose.ts standbyRegion).
  const [primary, firstSecondary] = regions;
  let serving: string | undefined;
  if (regions.length === 2) serving = regions.find((r) => r !== targetRegion);
  else serving = composed.writerRegion === targetRegion ? undefined : composed.writerRegion;
  if (serving === undefined || !regions.includes(serving)) return undefined;
  const standby = serving === primary ? firstSecondary : primary;
  if (standby !== targetRegion || !checked(serving) || !checked(targetRegion)) return undefined;
  return regions.length === 2
    ? `the records could not be read; in a two-region estate with health checks Route 53 answers with ${targetRegion} (SECONDARY) while ${serving} is unhealthy`
    : `the records could not be read; as composed (PRIMARY → ${serving}, the writer before the run; SECONDARY → ${targetRegion}), both health-checked, Route 53 answers with ${targetRegion} while ${serving} is unhealthy`;
}

/**
 * Why DNS already serves `targetRegion` without a change, or undefined when it may not. `records` are what observe
 * read (undefined when Route 53 did not answer then either); `composed` is what the run knows without them.
 */
export function servedByHealthChecks(
  records: readonly ResourceRecordSet[] | undefined,
  recordName: string,
  regions: readonly string[],
  healthCheckIds: Readonly<Record<string, string>> | undefined,
  targetRegion: string,
  composed: ComposedRouting = {},
): string | undefined {
  if (composed.control === 'arc') return undefined;
  if (records === undefined) return servedAsComposed(regions, healthCheckIds, targetRegion, composed);
  const mine = records.filter((r) => r.Name !== undefined && normalizeDnsName(r.Name) === recordName);
  const latency = mine.filter((r) => r.Region !== undefined);
  const failover = mine.filter((r) => r.Failover !== undefined);
  if (latency.length > 0 && failover.length === 0) {
    // Latency records: with Route 53 up the step changes nothing either (records.ts planDns).
    let plan;
    try {
      plan = planDns(records, recordName, regions, healthCheckIds, composed.serviceHosts, targetRegion);
    } catch {
      return undefined;
    }
    if (plan.changes.length > 0) return undefined;
    const notes = plan.warnings.length === 0 ? '' : ` (${plan.warnings.join('; ')})`;
    return `the records read before the promotion are latency records: nothing to move${notes}`;
  }
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

/**
 * Route 53 throttled the request: botocore route53 (2013-04-01) PriorRequestNotComplete ("wait, in intervals of
 * increasing duration, before you try the request again") and ThrottlingException (requests per second exceeded), both
 * HTTP 400; `Throttling` is the query protocol's name for the same. The region answers: ask again, never "lost"
 * (as wait-turn's turn.ts isAskAgain, eb23285).
 */
export function isThrottled(err: unknown): boolean {
  return err instanceof Error && ['Throttling', 'ThrottlingException', 'PriorRequestNotComplete'].includes(err.name);
}

/**
 * True for an error of Route 53 itself being unreachable or failing: a server error (5xx), or no HTTP answer at all
 * (connection refused or reset, DNS failure, timeout or abort of a hanging call). Not a refusal of the request, and not
 * throttling ({@link isThrottled}): a throttled Route 53 answers, so the caller asks again instead of going on as if
 * the region were lost.
 */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || isThrottled(err)) return false;
  const fault = (err as { $fault?: unknown }).$fault;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (fault === 'server' || (status !== undefined && status >= 500)) return true;
  // Network: no HTTP answer at all (connection refused or reset, DNS failure, timeout).
  return status === undefined && fault === undefined;
}
