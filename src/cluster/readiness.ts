/**
 * Per-region ARC readiness of an estate (routing.control arc), read from the Recovery Readiness API for each cell the
 * claim's status names (status.regions.<region>.readinessCell). The claim's status also carries each region's
 * readiness as the region's lag monitor last reported it (status.regions.<region>.readiness); `drctl status` asks AWS
 * itself, so it is current. The API's calls, region and endpoint: lambda/shared/readiness.ts.
 */
import { Route53RecoveryReadinessClient } from '@aws-sdk/client-route53-recovery-readiness';
import { READINESS_API_REGION, readCellSummary, type Readiness } from '../../lambda/shared/readiness.js';

export { READINESS_API_REGION, type Readiness } from '../../lambda/shared/readiness.js';

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
        return { region, cell, ...(await readCellSummary(client, cell)) };
      } catch (err) {
        const e = err as { name?: string; message?: string };
        return { region, cell, checks: [], error: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
      }
    }),
  );
}
