/**
 * Per-region ARC readiness of an estate (routing.control arc), read from the Recovery Readiness API: Crossplane observes
 * none (the provider's readiness kinds report names and ARNs only), so `drctl status` asks AWS for each cell the
 * claim's status names (status.regions.<region>.readinessCell).
 *
 * GetCellReadinessSummary (botocore route53-recovery-readiness 2019-12-02: GET /cellreadiness/{cellName}, paged by
 * NextToken) answers the cell's Readiness (READY, NOT_READY, UNKNOWN, NOT_AUTHORIZED) and each readiness check's in it.
 * The readiness API is global (its ARNs carry no region) and is called in us-west-2, the region of ARC's
 * configuration APIs (route53-recovery-control-config's only endpoint's credential scope in botocore's endpoints.json);
 * AWS_ENDPOINT_URL_ROUTE53_RECOVERY_READINESS (the SDK's service endpoint variable) points it elsewhere.
 */
import { GetCellReadinessSummaryCommand, Route53RecoveryReadinessClient } from '@aws-sdk/client-route53-recovery-readiness';

/** Region the readiness API is called in. */
export const READINESS_API_REGION = 'us-west-2';

/** A readiness status as the API reports it (botocore shape Readiness). */
export type Readiness = 'READY' | 'NOT_READY' | 'UNKNOWN' | 'NOT_AUTHORIZED';

/** The readiness of one region's cell, or why it could not be read. */
export interface CellReadiness {
  readonly region: string;
  /** The cell's name (the claim's status.regions.<region>.readinessCell). */
  readonly cell: string;
  /** The cell's readiness; undefined when it could not be read (`error` says why). */
  readonly readiness?: Readiness;
  /** Each readiness check in the cell, by name, sorted. */
  readonly checks: readonly { readonly name: string; readonly readiness: Readiness }[];
  /** Why the cell's readiness could not be read (the API's error name and message). */
  readonly error?: string;
}

const known = (r: unknown): r is Readiness => r === 'READY' || r === 'NOT_READY' || r === 'UNKNOWN' || r === 'NOT_AUTHORIZED';

/** Reads one cell's summary, following NextToken; throws the SDK's error. */
async function cellSummary(client: Route53RecoveryReadinessClient, cell: string) {
  let readiness: Readiness | undefined;
  const checks: { name: string; readiness: Readiness }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetCellReadinessSummaryCommand({ CellName: cell, NextToken: token }));
    if (known(page.Readiness)) readiness = page.Readiness;
    for (const c of page.ReadinessChecks ?? [])
      if (c.ReadinessCheckName && known(c.Readiness)) checks.push({ name: c.ReadinessCheckName, readiness: c.Readiness });
    token = page.NextToken || undefined;
  } while (token);
  return { readiness: readiness ?? 'UNKNOWN', checks: checks.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/**
 * The readiness of each region's cell (`cells`: region → cell name), in the order given, with the operator's default
 * AWS credentials. A cell that cannot be read (no credentials, access denied, not found) carries the error instead;
 * the others are still read.
 */
export async function readCellReadiness(
  cells: Readonly<Record<string, string>>,
  client: Route53RecoveryReadinessClient = new Route53RecoveryReadinessClient({ region: READINESS_API_REGION, maxAttempts: 2 }),
): Promise<CellReadiness[]> {
  return Promise.all(
    Object.entries(cells).map(async ([region, cell]) => {
      try {
        return { region, cell, ...(await cellSummary(client, cell)) };
      } catch (err) {
        const e = err as { name?: string; message?: string };
        return { region, cell, checks: [], error: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
      }
    }),
  );
}
