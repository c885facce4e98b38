/**
 * `GET /health`: proves this region can serve, for Route 53 health checks (which give an endpoint two seconds to
 * answer once connected):
 *
 * - `table`: a strongly consistent GetItem of the sentinel item ({@link HEALTH_SENTINEL_ID}) in this region's
 *   replica, the read path the transactions use. A table without the sentinel gets it once (a conditional PutItem),
 *   so the first check in a region also proves the write path.
 * - `database`: the regional Aurora endpoint answers its protocol's first message (db-probe.ts), when the service
 *   is given one (`DRPLANE_DB_ENDPOINT`); `skipped` otherwise. Route 53's checkers call every few seconds from
 *   many places: a warm instance reuses a successful probe for {@link DB_PROBE_REUSE_MS} instead of opening a
 *   database connection per request (a failure is never reused: the next check probes again).
 * - `secret`: `DescribeSecret` of `DRPLANE_DB_SECRET_ARN` (metadata only, never the value) when set; `skipped`
 *   otherwise.
 *
 * The checks run in parallel, each bounded by {@link HEALTH_CHECK_TIMEOUT_MS} (an abort signal; the clients also
 * connect and answer within shorter limits, one attempt), so the whole answer stays well inside the two seconds.
 */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TableKeySchema } from '../shared/env-contract.js';
import type { CallLimits } from '../shared/limits.js';
import { probeDatabase, type ProbeEngine } from './db-probe.js';
import { itemKey, itemOf } from './keys.js';

/** One dependency's result. `ok` is true for `skipped`. */
export type CheckResult =
  | { readonly ok: true; readonly status: 'ok'; readonly detail?: string }
  | { readonly ok: true; readonly status: 'skipped'; readonly reason: string }
  | { readonly ok: false; readonly status: 'failed'; readonly error: string };

/** The health report. */
export interface HealthReport {
  readonly ok: boolean;
  readonly checks: { readonly table: CheckResult; readonly database: CheckResult; readonly secret: CheckResult };
}

/**
 * Per-check time limit: the checks run in parallel, so this bounds the answer (plus a few ms). 700 ms leaves Route 53's
 * two seconds (from the connection) room for a cold start's initialisation, which runs before the handler.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 700;

/** Limits of the health check's AWS clients: one attempt, connected within 300 ms, answered within 600 ms. */
export const HEALTH_CLIENT_LIMITS: CallLimits = {
  connectionTimeoutMs: 300,
  requestTimeoutMs: 600,
  maxAttempts: 1,
  callTimeoutMs: HEALTH_CHECK_TIMEOUT_MS,
};

/**
 * The partition key value of the sentinel item (a sort key gets keys.ts's fixed value). `#` is not allowed in transaction ids (validation.ts), so no transaction can
 * collide with it and `GET /transactions/{id}` cannot reach it.
 */
export const HEALTH_SENTINEL_ID = '#drplane-health';

/** How long a successful database probe answers for later checks of the same instance. */
export const DB_PROBE_REUSE_MS = 10_000;

/** The last successful database probe of this instance (epoch ms), kept by the handler between requests. */
export interface ProbeMemory {
  lastOkAt?: number;
}

/** What the checks need. */
export interface HealthTargets {
  readonly tableName: string;
  /** The table's key: the sentinel is keyed as the table is. */
  readonly tableKey: TableKeySchema;
  readonly region: string;
  readonly database: { readonly engine: ProbeEngine; readonly host: string; readonly port: number } | undefined;
  readonly secretArn: string | undefined;
}

/** The error name only (e.g. ResourceNotFoundException, TimeoutError): no messages, no ARNs. */
function failed(err: unknown): CheckResult {
  const name = err instanceof Error ? err.name : 'UnknownError';
  return { ok: false, status: 'failed', error: name };
}

async function checkTable(db: DynamoDBClient, t: HealthTargets, deadline: AbortSignal): Promise<CheckResult> {
  try {
    const key = itemKey(t.tableKey, HEALTH_SENTINEL_ID);
    const out = await db.send(new GetItemCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }), {
      abortSignal: deadline,
    });
    if (out.Item !== undefined) return { ok: true, status: 'ok', detail: 'sentinel read (consistent)' };
    try {
      await db.send(
        new PutItemCommand({
          TableName: t.tableName,
          Item: itemOf(t.tableKey, HEALTH_SENTINEL_ID, { kind: { S: 'drplane-health-sentinel' }, region: { S: t.region } }),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': t.tableKey.hash.name },
        }),
        { abortSignal: deadline },
      );
    } catch (err) {
      // Another region or check wrote it first: the table answered either way.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    return { ok: true, status: 'ok', detail: 'sentinel written (it was missing)' };
  } catch (err) {
    return failed(err);
  }
}

async function checkDatabase(t: HealthTargets, memory: ProbeMemory, now: number): Promise<CheckResult> {
  if (t.database === undefined) return { ok: true, status: 'skipped', reason: 'no database endpoint configured' };
  if (memory.lastOkAt !== undefined && now - memory.lastOkAt < DB_PROBE_REUSE_MS) {
    return { ok: true, status: 'ok', detail: `answered ${now - memory.lastOkAt} ms ago` };
  }
  const result = await probeDatabase(t.database.engine, t.database.host, t.database.port, HEALTH_CHECK_TIMEOUT_MS);
  if (!result.ok) {
    delete memory.lastOkAt;
    return { ok: false, status: 'failed', error: result.error };
  }
  memory.lastOkAt = now;
  return { ok: true, status: 'ok', detail: 'answered now' };
}

async function checkSecret(sm: SecretsManagerClient, secretArn: string | undefined, deadline: AbortSignal): Promise<CheckResult> {
  if (secretArn === undefined) return { ok: true, status: 'skipped', reason: 'no database secret configured' };
  try {
    const out = await sm.send(new DescribeSecretCommand({ SecretId: secretArn }), { abortSignal: deadline });
    if (out.DeletedDate !== undefined) return { ok: false, status: 'failed', error: 'SecretScheduledForDeletion' };
    return { ok: true, status: 'ok' };
  } catch (err) {
    return failed(err);
  }
}

/** Runs every check in parallel, each within {@link HEALTH_CHECK_TIMEOUT_MS}. */
export async function checkHealth(
  db: DynamoDBClient,
  sm: SecretsManagerClient,
  targets: HealthTargets,
  memory: ProbeMemory = {},
  now: number = Date.now(),
): Promise<HealthReport> {
  const deadline = (): AbortSignal => AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS);
  const [table, database, secret] = await Promise.all([
    checkTable(db, targets, deadline()),
    checkDatabase(targets, memory, now),
    checkSecret(sm, targets.secretArn, deadline()),
  ]);
  return { ok: table.ok && database.ok && secret.ok, checks: { table, database, secret } };
}
