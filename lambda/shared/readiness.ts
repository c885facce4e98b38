/**
 * Route 53 ARC readiness (route53-recovery-readiness), shared by the lag monitor (which reports each region's cell in
 * SSM for the claim's status) and `drctl status` (which reads it directly).
 *
 * GetCellReadinessSummary (botocore route53-recovery-readiness 2019-12-02: GET /cellreadiness/{cellName}, paged by
 * NextToken) answers the cell's Readiness (READY, NOT_READY, UNKNOWN, NOT_AUTHORIZED) and each readiness check's in it.
 * The readiness API is global (its ARNs carry no region): botocore has no endpoints.json entry for it, only the
 * regional rule set (https://route53-recovery-readiness.{Region}.amazonaws.com), and it is called in us-west-2, the
 * region of ARC's configuration APIs (route53-recovery-control-config's only endpoint's credential scope in botocore's
 * endpoints.json). AWS_ENDPOINT_URL_ROUTE53_RECOVERY_READINESS (the SDK's service endpoint variable) points it elsewhere.
 */
import { GetCellReadinessSummaryCommand, type Route53RecoveryReadinessClient } from '@aws-sdk/client-route53-recovery-readiness';

/** Region the readiness API is called in. */
export const READINESS_API_REGION = 'us-west-2';

/** A readiness status as the API reports it (botocore shape Readiness). */
export type Readiness = 'READY' | 'NOT_READY' | 'UNKNOWN' | 'NOT_AUTHORIZED';

/** True for a value of botocore's Readiness enum. */
export const isReadiness = (r: unknown): r is Readiness =>
  r === 'READY' || r === 'NOT_READY' || r === 'UNKNOWN' || r === 'NOT_AUTHORIZED';

/** A cell's readiness and each of its checks', sorted by name. */
export interface CellSummary {
  readonly readiness: Readiness;
  readonly checks: readonly { readonly name: string; readonly readiness: Readiness }[];
}

/** Reads one cell's summary, following NextToken; throws the SDK's error. `options` is passed to every send. */
export async function readCellSummary(
  client: Route53RecoveryReadinessClient,
  cell: string,
  options: () => { abortSignal?: AbortSignal } = () => ({}),
): Promise<CellSummary> {
  let readiness: Readiness | undefined;
  const checks: { name: string; readiness: Readiness }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetCellReadinessSummaryCommand({ CellName: cell, NextToken: token }), options());
    if (isReadiness(page.Readiness)) readiness = page.Readiness;
    for (const c of page.ReadinessChecks ?? [])
      if (c.ReadinessCheckName && isReadiness(c.Readiness)) checks.push({ name: c.ReadinessCheckName, readiness: c.Readiness });
    token = page.NextToken || undefined;
  } while (token);
  return { readiness: readiness ?? 'UNKNOWN', checks: checks.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/**
 * What the lag monitor of a region writes about its region's cell (a String parameter, JSON): the cell, its readiness
 * and when it was read. The routing composite observes the parameter and copies it into the claim's status.
 */
export interface ReadinessReport {
  readonly cell: string;
  readonly readiness: Readiness;
  /** When the readiness API answered (ISO 8601, UTC). */
  readonly checkedAt: string;
}

/**
 * The report is rewritten when the readiness changes and at least this often while it does not (the monitor runs every
 * minute; rewriting every run would make a new parameter version and a new observation each minute).
 */
export const READINESS_REPORT_PERIOD_SECONDS = 300;

/**
 * A report older than this is stale (the claim shows checkedAt plus this as staleAfter): three report periods, plus 15 minutes for a write to
 * reach the claim (the provider observes the parameter on its poll interval; the function recomposes a composite at
 * rest after its response TTL, 300 s in drplane's deployment: docs/gitops.md, Reconcile settings).
 */
export const READINESS_STALE_AFTER_SECONDS = 3 * READINESS_REPORT_PERIOD_SECONDS + 900;

/** The report parameter under the lag monitor's state prefix (no state parameter has this name: StoreType comes first). */
export const readinessParameterName = (prefix: string): string => `${prefix}/arc-readiness`;

/** The parameter value of a report. */
export const formatReadinessReport = (r: ReadinessReport): string =>
  JSON.stringify({ cell: r.cell, readiness: r.readiness, checkedAt: r.checkedAt });

/** A report read back from its parameter value; undefined when the value is not one (absent, hand-edited, older format). */
export function parseReadinessReport(value: unknown): ReadinessReport | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    if (typeof v.cell !== 'string' || !isReadiness(v.readiness) || typeof v.checkedAt !== 'string') return undefined;
    if (Number.isNaN(Date.parse(v.checkedAt))) return undefined;
    return { cell: v.cell, readiness: v.readiness, checkedAt: v.checkedAt };
  } catch {
    return undefined;
  }
}
