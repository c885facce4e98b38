/**
 * The regional service: HTTP handler for Lambda Function URLs and API Gateway HTTP APIs
 * (payload format 2.0).
 *
 * - `GET /health` → 200 or 503 with `{region, role, environment, checks: {table, database, secret}}`
 * - `POST /transactions` → 201 with the stored item; a retry with the same `Idempotency-Key` header by the same
 *   caller (or a retried invocation, same request id, without one) → 200 with the item stored by the first attempt;
 *   the caller's key reused with another body → 422; a malformed key → 400 (idempotency.ts)
 * - `GET /transactions/{id}` → 200 or 404
 *
 * Configuration: SERVICE_ENV in ../shared/env-contract.ts. Logs: one JSON line per event
 * with requestId and region; request bodies are never logged.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ConfigError, type Env } from '../shared/env.js';
import { httpError, json, type HttpResponse } from '../shared/http.js';
import { createLogger, describeError, type Logger, type LogSink } from '../shared/logger.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { boundedClientConfig } from '../shared/limits.js';
import { HEALTH_CLIENT_LIMITS, checkHealth, type ProbeMemory } from './health.js';
import { IDEMPOTENCY_HEADER, callerOf, idempotencyKeyOf, requestHashOf, transactionIdOf } from './idempotency.js';
import { normalizePath, route } from './routes.js';
import { getTransaction, putTransaction } from './transactions.js';
import { validateTransaction, validateTransactionId } from './validation.js';

/** Function URL and HTTP API v2 events share this shape. */
export type ServiceEvent = APIGatewayProxyEventV2;

/** The parts of the Lambda context the service uses. */
export type ServiceContext = Pick<Context, 'awsRequestId'>;

/** Options for tests; Lambda uses the defaults. */
export interface ServiceOptions {
  /** Environment to read the configuration from (default: process.env, at the first invocation). */
  readonly env?: Env;
  /** Where log lines go (default: stdout). */
  readonly logSink?: LogSink;
  /** Clock (default: the system clock). */
  readonly now?: () => Date;
}

interface Runtime {
  readonly config: ServiceConfig;
  readonly db: DynamoDBClient;
  /** Clients of `/health`, with its tight limits (health.ts HEALTH_CLIENT_LIMITS). */
  readonly healthDb: DynamoDBClient;
  readonly sm: SecretsManagerClient;
  /** The last successful database probe, reused for a few seconds (health.ts). */
  readonly probe: ProbeMemory;
}

/** Creates a service handler; the module's `handler` is one with default options. */
export function createServiceHandler(options: ServiceOptions = {}) {
  const now = options.now ?? (() => new Date());
  let runtime: Runtime | undefined;

  const getRuntime = (): Runtime => {
    if (runtime === undefined) {
      const config = loadServiceConfig(options.env ?? process.env);
      const bounded = { region: config.region, ...boundedClientConfig(HEALTH_CLIENT_LIMITS) };
      runtime = {
        config,
        db: new DynamoDBClient({ region: config.region }),
        healthDb: new DynamoDBClient(bounded),
        sm: new SecretsManagerClient(bounded),
        probe: {},
      };
    }
    return runtime;
  };

  return async function handler(event: ServiceEvent, context: ServiceContext): Promise<HttpResponse> {
    const started = Date.now();
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = normalizePath(event.rawPath ?? '/', event.requestContext?.stage);
    let log: Logger = createLogger(
      { requestId: context.awsRequestId, region: (options.env ?? process.env).AWS_REGION ?? 'unknown' },
      options.logSink,
    );
    let response: HttpResponse;
    try {
      const rt = getRuntime();
      log = createLogger({ requestId: context.awsRequestId, region: rt.config.region }, options.logSink);
      response = await dispatch(rt, event, method, path, context.awsRequestId, now, log);
    } catch (err) {
      if (err instanceof ConfigError) {
        log.error('configuration error', { error: describeError(err) });
        response = httpError(500, 'ServiceMisconfigured', 'the service is misconfigured; see its logs');
      } else {
        log.error('unhandled error', { error: describeError(err) });
        response = httpError(500, 'InternalError', 'internal error; see the service logs for this request id', {
          requestId: context.awsRequestId,
        });
      }
    }
    log.info('request', { method, path, status: response.statusCode, durationMs: Date.now() - started });
    return response;
  };
}

async function dispatch(
  rt: Runtime,
  event: ServiceEvent,
  method: string,
  path: string,
  requestId: string,
  now: () => Date,
  log: Logger,
): Promise<HttpResponse> {
  const r = route(method, path);
  switch (r.kind) {
    case 'health': {
      const report = await checkHealth(
        rt.healthDb,
        rt.sm,
        {
          tableName: rt.config.table.name,
          tableKey: rt.config.table.key,
          region: rt.config.region,
          database: rt.config.database,
          secretArn: rt.config.dbSecretArn,
        },
        rt.probe,
        now().getTime(),
      );
      if (!report.ok) log.warn('health check failed', { checks: report.checks });
      return json(report.ok ? 200 : 503, {
        region: rt.config.region,
        role: rt.config.role,
        environment: rt.config.environment,
        checks: report.checks,
      });
    }
    case 'createTransaction': {
      const key = idempotencyKeyOf(event.headers);
      if (!key.ok) return httpError(400, 'ValidationError', key.error.message, { field: key.error.field });
      const body = parseBody(event);
      if (!body.ok) return body.response;
      const valid = validateTransaction(body.value);
      if (!valid.ok) {
        return httpError(400, 'ValidationError', valid.error.message, { field: valid.error.field });
      }
      // With a client key every retry of that caller maps to one id; without one, only a retried invocation does.
      const caller = callerOf(event);
      const id = key.value === undefined ? requestId : transactionIdOf(key.value, caller);
      const hash = key.value === undefined ? undefined : requestHashOf(caller, valid.value);
      const outcome = await putTransaction(rt.db, rt.config.table, id, valid.value, rt.config.region, now(), hash);
      log.info('transaction write', { outcome: outcome.kind, transactionId: id, idempotencyKey: key.value !== undefined });
      switch (outcome.kind) {
        case 'created':
          return json(201, outcome.item, { location: `/transactions/${encodeURIComponent(id)}` });
        case 'replayed':
          return json(200, outcome.item, { 'idempotent-replayed': 'true' });
        case 'conflict':
          return key.value === undefined
            ? httpError(409, 'IdempotencyConflict', 'this request id already stored a different transaction', { field: 'id' })
            : // A key reused with another payload: 422, as the Idempotency-Key draft says; nothing is written.
              httpError(
                422,
                'IdempotencyKeyReused',
                `this ${IDEMPOTENCY_HEADER} was already used for a different request (amount, currency or reference); use a new key for a new transaction`,
                { field: IDEMPOTENCY_HEADER },
              );
      }
      break;
    }
    case 'getTransaction': {
      const id = validateTransactionId(r.id);
      if (!id.ok) return httpError(400, 'ValidationError', id.error.message, { field: id.error.field });
      const item = await getTransaction(rt.db, rt.config.table, id.value);
      return item === undefined ? httpError(404, 'NotFound', `no transaction with id ${id.value}`) : json(200, item);
    }
    case 'methodNotAllowed':
      return httpError(
        405,
        'MethodNotAllowed',
        `${method} is not allowed on ${path}; use ${r.allow}`,
        {},
        {
          allow: r.allow,
        },
      );
    case 'badPath':
      return httpError(400, 'BadPath', 'the path is not valid percent-encoding', { field: 'id' });
    case 'notFound':
      return httpError(404, 'NotFound', `no route for ${path}`);
  }
  throw new Error('unreachable route');
}

function parseBody(event: ServiceEvent): { ok: true; value: unknown } | { ok: false; response: HttpResponse } {
  if (event.body === undefined || event.body === '') {
    return { ok: false, response: httpError(400, 'ValidationError', 'a JSON body is required', { field: 'body' }) };
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: httpError(400, 'MalformedJson', 'the body is not valid JSON', { field: 'body' }) };
  }
}

/** The Lambda entry point (`index.handler`). */
export const handler = createServiceHandler();
