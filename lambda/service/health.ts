/**
 * `GET /health`: proves this region's dependencies answer. DynamoDB `DescribeTable` for the
 * table and Secrets Manager `DescribeSecret` for the database secret (metadata only; the
 * secret value is never read). Both run in parallel, each bounded by a timeout so the answer
 * fits a Route 53 health check's two-second budget.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** One dependency's result. `ok` is true for `skipped`. */
export type CheckResult =
  | { readonly ok: true; readonly status: 'ok'; readonly detail?: string }
  | { readonly ok: true; readonly status: 'skipped'; readonly reason: string }
  | { readonly ok: false; readonly status: 'failed'; readonly error: string };

/** The health report. */
export interface HealthReport {
  readonly ok: boolean;
  readonly checks: { readonly table: CheckResult; readonly secret: CheckResult };
}

/** Per-check time limit. */
export const HEALTH_CHECK_TIMEOUT_MS = 1_500;

/** The error name only (e.g. ResourceNotFoundException, TimeoutError): no messages, no ARNs. */
function failed(err: unknown): CheckResult {
  const name = err instanceof Error ? err.name : 'UnknownError';
  return { ok: false, status: 'failed', error: name };
}

async function checkTable(db: DynamoDBClient, tableName: string): Promise<CheckResult> {
  try {
    const out = await db.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS),
    });
    const status = out.Table?.TableStatus;
    // UPDATING tables (e.g. adding a replica) still serve reads and writes.
    if (status === 'ACTIVE' || status === 'UPDATING') return { ok: true, status: 'ok', detail: status };
    return { ok: false, status: 'failed', error: `TableStatus ${status ?? 'unknown'}` };
  } catch (err) {
    return failed(err);
  }
}

async function checkSecret(sm: SecretsManagerClient, secretArn: string | undefined): Promise<CheckResult> {
  if (secretArn === undefined) return { ok: true, status: 'skipped', reason: 'no database secret configured' };
  try {
    const out = await sm.send(new DescribeSecretCommand({ SecretId: secretArn }), {
      abortSignal: AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS),
    });
    if (out.DeletedDate !== undefined) return { ok: false, status: 'failed', error: 'SecretScheduledForDeletion' };
    return { ok: true, status: 'ok' };
  } catch (err) {
    return failed(err);
  }
}

/** Runs both checks. */
export async function checkHealth(
  db: DynamoDBClient,
  sm: SecretsManagerClient,
  tableName: string,
  secretArn: string | undefined,
): Promise<HealthReport> {
  const [table, secret] = await Promise.all([checkTable(db, tableName), checkSecret(sm, secretArn)]);
  return { ok: table.ok && secret.ok, checks: { table, secret } };
}
