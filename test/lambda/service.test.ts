/**
 * The regional service against moto's real DynamoDB and Secrets Manager.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceHandler, type ServiceOptions } from '../../lambda/service/index.js';
import { useMoto } from './support/aws.js';
import { startDbListener } from './support/db-listener.js';
import { captureLogs, httpEvent, lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';

const REGION = 'us-east-1';
let moto: MotoServer;
let db: DynamoDBClient;
let secretArn: string;
let tableSeq = 0;

async function createTable(): Promise<string> {
  const name = `transactions-${process.pid}-${++tableSeq}`;
  await db.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

function serviceEnv(tableName: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_REGION: REGION,
    DRPLANE_ROLE: 'primary',
    DRPLANE_TABLE_NAME: tableName,
    DRPLANE_TABLE_KEY: '{"hash":{"name":"id","type":"S"}}',
    DRPLANE_DB_SECRET_ARN: secretArn,
    DRPLANE_ENVIRONMENT: 'test',
    ...extra,
  };
}

function service(tableName: string, options: Omit<ServiceOptions, 'env'> & { env?: Record<string, string | undefined> } = {}) {
  const logs = captureLogs();
  const handler = createServiceHandler({ logSink: logs.sink, ...options, env: options.env ?? serviceEnv(tableName) });
  return { handler, logs };
}

async function countItems(tableName: string): Promise<number> {
  const out = await db.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }));
  return out.Count ?? -1;
}

const post = (body: unknown) =>
  httpEvent('POST', '/transactions', { body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
  db = new DynamoDBClient({ region: REGION });
  const sm = new SecretsManagerClient({ region: REGION });
  const secret = await sm.send(
    new CreateSecretCommand({ Name: `db-${process.pid}`, SecretString: '{"password":"not-a-real-one"}' }),
  );
  secretArn = secret.ARN as string;
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe('service: transactions in DynamoDB', { timeout: 20_000 }, () => {
  it('POST /transactions writes a real item keyed by the request id, GET reads it back', async () => {
    const table = await createTable();
    const { handler } = service(table);
    const ctx = lambdaContext();
    const created = await handler(post({ amount: 12.5, currency: 'EUR', reference: 'invoice 7' }), ctx);
    expect(created.statusCode).toBe(201);
    expect(created.headers?.location).toBe(`/transactions/${ctx.awsRequestId}`);
    const item = JSON.parse(created.body) as Record<string, unknown>;
    expect(item).toMatchObject({ id: ctx.awsRequestId, amount: 12.5, currency: 'EUR', reference: 'invoice 7', region: REGION });

    const stored = await db.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: ctx.awsRequestId } }, ConsistentRead: true }),
    );
    expect(stored.Item?.amount).toEqual({ N: '12.5' });
    expect(stored.Item?.currency).toEqual({ S: 'EUR' });

    const read = await handler(httpEvent('GET', `/transactions/${ctx.awsRequestId}`), lambdaContext());
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body)).toEqual(item);
  });

  it('a retried invocation (same request id) stores one item and returns the same transaction', async () => {
    const table = await createTable();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { handler } = service(table, { now: () => new Date((clock += 60_000)) });
    const ctx = lambdaContext();
    const body = { amount: 99, currency: 'USD', reference: 'order-1' };
    const first = await handler(post(body), ctx);
    const retry = await handler(post(body), ctx);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    // The retry returns the stored item (first createdAt), not a second write.
    expect(JSON.parse(retry.body)).toEqual(JSON.parse(first.body));
    expect(await countItems(table)).toBe(1);
    // A different request id is a different transaction.
    expect((await handler(post(body), lambdaContext())).statusCode).toBe(201);
    expect(await countItems(table)).toBe(2);
  });

  it('a client retry with the same Idempotency-Key (a new invocation, a new request id) returns the first result and stores one item', async () => {
    const table = await createTable();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { handler, logs } = service(table, { now: () => new Date((clock += 60_000)) });
    const key = '3f1c1e4e-5b7a-4a39-9d2c-7f0e8c1b2a90';
    const keyed = (body: unknown, k: string = key) => {
      const event = post(body);
      return { ...event, headers: { ...event.headers, 'idempotency-key': k } };
    };
    const body = { amount: 42, currency: 'EUR', reference: 'invoice 42' };
    const first = await handler(keyed(body), lambdaContext());
    // The client timed out and sends the same request again: Function URLs do not retry, so this is a new invocation.
    const retry = await handler(keyed(body), lambdaContext());
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    expect(JSON.parse(retry.body)).toEqual(JSON.parse(first.body));
    const id = (JSON.parse(first.body) as { id: string }).id;
    expect(id).toMatch(/^k-[A-Za-z0-9_-]{43}$/);
    expect(first.headers?.location).toBe(`/transactions/${id}`);
    expect(await countItems(table)).toBe(1);
    // Header names are case-insensitive.
    const upper = post(body);
    expect((await handler({ ...upper, headers: { ...upper.headers, 'Idempotency-Key': key } }, lambdaContext())).statusCode).toBe(
      200,
    );
    expect(await countItems(table)).toBe(1);
    // The read path finds it under the derived id; the key itself is neither stored nor logged.
    expect((await handler(httpEvent('GET', `/transactions/${id}`), lambdaContext())).statusCode).toBe(200);
    const stored = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    expect(JSON.stringify(stored.Items)).not.toContain(key);
    expect(logs.raw.join('\n')).not.toContain(key);

    // The same key with another body is refused with 422 naming the header (the Idempotency-Key draft), nothing
    // written; a new key is a new transaction.
    const clash = await handler(keyed({ ...body, amount: 43 }), lambdaContext());
    expect(clash.statusCode).toBe(422);
    expect(JSON.parse(clash.body)).toMatchObject({ error: { code: 'IdempotencyKeyReused', field: 'Idempotency-Key' } });
    expect(await countItems(table)).toBe(1);
    expect((await handler(keyed(body, 'another-key-0001'), lambdaContext())).statusCode).toBe(201);
    expect(await countItems(table)).toBe(2);
  });

  it("scopes an Idempotency-Key to its caller: the same key from two IAM principals is two transactions, a retry is each one's own", async () => {
    const table = await createTable();
    const { handler } = service(table);
    const key = '0b7d9a51-2f0e-4a4e-bd62-1f3a0c5e9d77';
    const as = (userArn: string | undefined, body: unknown) => {
      const event = post(body);
      const requestContext =
        userArn === undefined
          ? event.requestContext
          : { ...event.requestContext, authorizer: { iam: { userArn, accountId: '123456789012', callerId: 'AIDAEXAMPLE' } } };
      return { ...event, requestContext, headers: { ...event.headers, 'idempotency-key': key } } as typeof event;
    };
    const body = { amount: 10, currency: 'EUR', reference: 'scoped' };
    const alice = await handler(as('arn:aws:iam::123456789012:user/alice', body), lambdaContext());
    const bob = await handler(as('arn:aws:iam::123456789012:user/bob', body), lambdaContext());
    expect([alice.statusCode, bob.statusCode]).toEqual([201, 201]);
    const ids = [alice, bob].map((r) => (JSON.parse(r.body) as { id: string }).id);
    expect(new Set(ids).size).toBe(2);
    expect(await countItems(table)).toBe(2);
    // Bob's retry replays Bob's transaction; Bob reusing the key for another body is refused, Alice's stays as it was.
    const retry = await handler(as('arn:aws:iam::123456789012:user/bob', body), lambdaContext());
    expect(retry.statusCode).toBe(200);
    expect(JSON.parse(retry.body)).toEqual(JSON.parse(bob.body));
    expect((await handler(as('arn:aws:iam::123456789012:user/bob', { ...body, amount: 11 }), lambdaContext())).statusCode).toBe(
      422,
    );
    // An unauthenticated caller (auth NONE) is a caller of its own.
    expect((await handler(as(undefined, body), lambdaContext())).statusCode).toBe(201);
    expect(await countItems(table)).toBe(3);
    // Stored: a hash of caller and request, never the key, the caller or the hash in an answer.
    const stored = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    const text = JSON.stringify(stored.Items);
    expect(text).not.toContain(key);
    expect(text).not.toContain('alice');
    expect(stored.Items?.every((i) => /^[0-9a-f]{64}$/.test(i.requestHash?.S ?? ''))).toBe(true);
    expect(JSON.parse(alice.body)).not.toHaveProperty('requestHash');
  });

  it('two requests with the same Idempotency-Key at once: one 201, the other a 200 replay of it (or 422 with another body); one item', async () => {
    const table = await createTable();
    const { handler } = service(table);
    const keyed = (body: unknown, k: string) => {
      const event = post(body);
      return { ...event, headers: { ...event.headers, 'idempotency-key': k } };
    };
    const body = { amount: 7, currency: 'EUR', reference: 'concurrent 7' };
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        handler(keyed(body, `same-key-round-${round}`), lambdaContext()),
        handler(keyed(body, `same-key-round-${round}`), lambdaContext()),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
      const replay = a.statusCode === 200 ? a : b;
      expect(replay.headers?.['idempotent-replayed']).toBe('true');
      expect(JSON.parse(a.body)).toEqual(JSON.parse(b.body));
      expect(await countItems(table)).toBe(round + 1);
    }
    const [x, y] = await Promise.all([
      handler(keyed(body, 'different-bodies-key'), lambdaContext()),
      handler(keyed({ ...body, amount: 8 }, 'different-bodies-key'), lambdaContext()),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([201, 422]);
    expect(await countItems(table)).toBe(6);
  });

  it.each([
    ['', 'is 0 characters long, shorter than 16'],
    ['has space in the key', "has a character other than letters, digits, '.', '_', ':' or '-'"],
    ['aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb', 'a comma: the header was sent more than once?'],
    ['short-key-123', 'is 13 characters long, shorter than 16'],
    ['x'.repeat(129), 'is 129 characters long, longer than 128'],
  ])('refuses the Idempotency-Key %j with a 400 naming the header and what is wrong', async (bad, why) => {
    const table = await createTable();
    const { handler } = service(table);
    const event = post({ amount: 1, currency: 'EUR', reference: 'r' });
    const res = await handler({ ...event, headers: { ...event.headers, 'idempotency-key': bad } }, lambdaContext());
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'ValidationError', field: 'Idempotency-Key' } });
    expect((JSON.parse(res.body) as { error: { message: string } }).error.message).toContain(why);
    expect(await countItems(table)).toBe(0);
  });

  it('the same request id with a different body is a 409 and leaves the stored item alone', async () => {
    const table = await createTable();
    const { handler } = service(table);
    const ctx = lambdaContext();
    await handler(post({ amount: 1, currency: 'USD', reference: 'a' }), ctx);
    const clash = await handler(post({ amount: 2, currency: 'USD', reference: 'a' }), ctx);
    expect(clash.statusCode).toBe(409);
    expect(JSON.parse(clash.body)).toMatchObject({ error: { code: 'IdempotencyConflict' } });
    const read = await handler(httpEvent('GET', `/transactions/${ctx.awsRequestId}`), lambdaContext());
    expect(JSON.parse(read.body)).toMatchObject({ amount: 1 });
  });

  it('GET of an unknown id is 404; an id with forbidden characters is 400 naming id', async () => {
    const table = await createTable();
    const { handler } = service(table);
    expect((await handler(httpEvent('GET', '/transactions/does-not-exist'), lambdaContext())).statusCode).toBe(404);
    const bad = await handler(httpEvent('GET', '/transactions/a%20b'), lambdaContext());
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { field: 'id' } });
  });

  const badInputs: [string, string, string][] = [
    ['missing amount', JSON.stringify({ currency: 'EUR', reference: 'r' }), 'amount'],
    ['amount as a string', JSON.stringify({ amount: '10', currency: 'EUR', reference: 'r' }), 'amount'],
    ['zero amount', JSON.stringify({ amount: 0, currency: 'EUR', reference: 'r' }), 'amount'],
    ['negative amount', JSON.stringify({ amount: -3, currency: 'EUR', reference: 'r' }), 'amount'],
    ['lowercase currency', JSON.stringify({ amount: 1, currency: 'eur', reference: 'r' }), 'currency'],
    ['four-letter currency', JSON.stringify({ amount: 1, currency: 'EURO', reference: 'r' }), 'currency'],
    ['missing reference', JSON.stringify({ amount: 1, currency: 'EUR' }), 'reference'],
    ['empty reference', JSON.stringify({ amount: 1, currency: 'EUR', reference: '' }), 'reference'],
    ['129-character reference', JSON.stringify({ amount: 1, currency: 'EUR', reference: 'x'.repeat(129) }), 'reference'],
    ['numeric reference', JSON.stringify({ amount: 1, currency: 'EUR', reference: 5 }), 'reference'],
    ['unknown field', JSON.stringify({ amount: 1, currency: 'EUR', reference: 'r', note: 'hi' }), 'note'],
    ['array body', JSON.stringify([1, 2]), 'body'],
    ['malformed JSON', '{"amount": 1,', 'body'],
    ['empty body', '', 'body'],
  ];

  it.each(badInputs)('POST with %s is 400 naming the field and writes nothing', async (_case, body, field) => {
    const table = await createTable();
    const { handler } = service(table);
    const res = await handler(httpEvent('POST', '/transactions', { body }), lambdaContext());
    expect(res.statusCode).toBe(400);
    const parsed = JSON.parse(res.body) as { error: { field: string; message: string } };
    expect(parsed.error.field).toBe(field);
    expect(parsed.error.message).toContain(field === 'body' ? 'JSON' : field);
    expect(await countItems(table)).toBe(0);
  });

  it('accepts a 128-character reference and a base64-encoded body', async () => {
    const table = await createTable();
    const { handler } = service(table);
    const body = JSON.stringify({ amount: 0.01, currency: 'JPY', reference: 'é'.repeat(128) });
    const res = await handler(httpEvent('POST', '/transactions', { body, base64: true }), lambdaContext());
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ reference: 'é'.repeat(128) });
  });
});

describe('service: routing', { timeout: 20_000 }, () => {
  it('unknown route 404, wrong method 405 with Allow, HTTP API stage prefix stripped', async () => {
    const table = await createTable();
    const { handler } = service(table);
    expect((await handler(httpEvent('GET', '/nope'), lambdaContext())).statusCode).toBe(404);
    const wrong = await handler(httpEvent('DELETE', '/transactions'), lambdaContext());
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow).toBe('POST');
    const wrongHealth = await handler(httpEvent('POST', '/health'), lambdaContext());
    expect(wrongHealth.statusCode).toBe(405);
    expect(wrongHealth.headers?.allow).toBe('GET');
    const staged = await handler(httpEvent('GET', '/prod/health', { stage: 'prod' }), lambdaContext());
    expect(staged.statusCode).toBe(200);
  });
});

describe('service: /health', { timeout: 20_000 }, () => {
  it('is 200 after a consistent read of the sentinel item (written once when missing), then 503 naming the table once it is deleted', async () => {
    const table = await createTable();
    const { handler, logs } = service(table);
    const first = await handler(httpEvent('GET', '/health'), lambdaContext());
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toEqual({
      region: REGION,
      role: 'primary',
      environment: 'test',
      checks: {
        table: { ok: true, status: 'ok', detail: 'sentinel written (it was missing)' },
        database: { ok: true, status: 'skipped', reason: 'no database endpoint configured' },
        secret: { ok: true, status: 'ok' },
      },
    });
    // The sentinel is an item of the table, out of reach of the transactions API.
    const sentinel = await db.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: '#drplane-health' } }, ConsistentRead: true }),
    );
    expect(sentinel.Item?.kind).toEqual({ S: 'drplane-health-sentinel' });
    expect((await handler(httpEvent('GET', '/transactions/%23drplane-health'), lambdaContext())).statusCode).toBe(400);
    const again = await handler(httpEvent('GET', '/health'), lambdaContext());
    expect(JSON.parse(again.body).checks.table).toEqual({ ok: true, status: 'ok', detail: 'sentinel read (consistent)' });

    await db.send(new DeleteTableCommand({ TableName: table }));
    const down = await handler(httpEvent('GET', '/health'), lambdaContext());
    expect(down.statusCode).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({
      checks: { table: { ok: false, status: 'failed', error: 'ResourceNotFoundException' }, secret: { ok: true } },
    });
    expect(logs.records().some((r) => r.msg === 'health check failed')).toBe(true);
  });

  it.each(['postgres', 'mysql'] as const)(
    'proves the database reachable: the %s endpoint answers its protocol; a closed or hung one is 503 naming database, within the 2 s of Route 53',
    async (mode) => {
      const table = await createTable();
      const engine = mode === 'postgres' ? 'aurora-postgresql' : 'aurora-mysql';
      const withDb = (port: number) =>
        service(table, { env: serviceEnv(table, { DRPLANE_DB_ENDPOINT: `127.0.0.1:${port}`, DRPLANE_DB_ENGINE: engine }) });
      const timed = async (handler: ReturnType<typeof service>['handler']) => {
        const started = Date.now();
        const res = await handler(httpEvent('GET', '/health'), lambdaContext());
        return { res, ms: Date.now() - started, body: JSON.parse(res.body) as { checks: Record<string, unknown> } };
      };

      const up = await startDbListener(mode);
      try {
        let clock = Date.parse('2026-01-01T00:00:00Z');
        const env = serviceEnv(table, { DRPLANE_DB_ENDPOINT: `127.0.0.1:${up.port}`, DRPLANE_DB_ENGINE: engine });
        const { handler } = service(table, { env, now: () => new Date(clock) });
        const ok = await timed(handler);
        expect(ok.res.statusCode).toBe(200);
        expect(ok.body.checks.database).toEqual({ ok: true, status: 'ok', detail: 'answered now' });
        expect(up.connections()).toBe(1);
        // Route 53's checkers come every few seconds: a success is reused for 10 s, then the database is probed again.
        clock += 4_000;
        expect((await timed(handler)).body.checks.database).toEqual({ ok: true, status: 'ok', detail: 'answered 4000 ms ago' });
        expect(up.connections()).toBe(1);
        clock += 6_000;
        expect((await timed(handler)).body.checks.database).toEqual({ ok: true, status: 'ok', detail: 'answered now' });
        expect(up.connections()).toBe(2);
      } finally {
        await up.stop();
      }
      // The same port, nothing listening any more.
      const refused = await timed(withDb(up.port).handler);
      expect(refused.res.statusCode).toBe(503);
      expect(refused.body.checks.database).toEqual({ ok: false, status: 'failed', error: 'ECONNREFUSED' });
      expect(refused.body.checks.table).toMatchObject({ ok: true });

      const hung = await startDbListener('silent');
      try {
        const slow = await timed(withDb(hung.port).handler);
        expect(slow.res.statusCode).toBe(503);
        expect(slow.body.checks.database).toEqual({ ok: false, status: 'failed', error: 'TimeoutError' });
        // Route 53 waits two seconds for the answer, cold start included: the checks end at 700 ms.
        expect(slow.ms).toBeGreaterThanOrEqual(650);
        expect(slow.ms).toBeLessThan(950);
      } finally {
        await hung.stop();
      }
    },
  );

  it('refuses a malformed database endpoint or a missing engine with the variable named', async () => {
    const table = await createTable();
    for (const [extra, variable] of [
      [{ DRPLANE_DB_ENDPOINT: 'db.example.com', DRPLANE_DB_ENGINE: 'aurora-postgresql' }, 'DRPLANE_DB_ENDPOINT'],
      [{ DRPLANE_DB_ENDPOINT: 'db.example.com:5432' }, 'DRPLANE_DB_ENGINE'],
    ] as const) {
      const { handler, logs } = service(table, { env: serviceEnv(table, extra) });
      expect((await handler(httpEvent('GET', '/health'), lambdaContext())).statusCode).toBe(500);
      expect(JSON.stringify(logs.records())).toContain(variable);
    }
  });

  it('skips the secret check when no secret is configured, and fails it for a missing secret', async () => {
    const table = await createTable();
    const skipped = service(table, { env: serviceEnv(table, { DRPLANE_DB_SECRET_ARN: undefined }) });
    const res = await skipped.handler(httpEvent('GET', '/health'), lambdaContext());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ checks: { secret: { ok: true, status: 'skipped' } } });

    const missing = service(table, {
      env: serviceEnv(table, { DRPLANE_DB_SECRET_ARN: `arn:aws:secretsmanager:${REGION}:123456789012:secret:gone-AbCdEf` }),
    });
    const down = await missing.handler(httpEvent('GET', '/health'), lambdaContext());
    expect(down.statusCode).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ checks: { secret: { ok: false, error: 'ResourceNotFoundException' } } });
  });
});

describe('service: logs and configuration', { timeout: 20_000 }, () => {
  it('logs one JSON line per request with requestId and region, and never the body', async () => {
    const table = await createTable();
    const { handler, logs } = service(table);
    const ctx = lambdaContext();
    await handler(post({ amount: 5, currency: 'GBP', reference: 'very-private-reference' }), ctx);
    await handler(post('{"amount": "oops-private"'), lambdaContext());
    expect(logs.raw.every((line) => !line.includes('\n'))).toBe(true);
    const records = logs.records();
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const r of records) {
      expect(r.region).toBe(REGION);
      expect(typeof r.requestId).toBe('string');
    }
    expect(records.filter((r) => r.msg === 'request').map((r) => r.status)).toEqual([201, 400]);
    expect(records.find((r) => r.msg === 'request')?.requestId).toBe(ctx.awsRequestId);
    const all = logs.raw.join('\n');
    expect(all).not.toContain('very-private-reference');
    expect(all).not.toContain('oops-private');
    expect(all).not.toContain('not-a-real-one');
  });

  it('answers 500 and logs the missing variable by name when configuration is incomplete', async () => {
    const logs = captureLogs();
    const handler = createServiceHandler({
      env: { AWS_REGION: REGION, DRPLANE_ROLE: 'primary', DRPLANE_ENVIRONMENT: 't' },
      logSink: logs.sink,
    });
    const res = await handler(httpEvent('GET', '/health'), lambdaContext());
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('DRPLANE_TABLE_NAME');
    const error = logs.records().find((r) => r.msg === 'configuration error');
    expect(error).toMatchObject({
      region: REGION,
      error: { name: 'ConfigError', message: 'DRPLANE_TABLE_NAME: is not set; expected the DynamoDB table name' },
    });
  });
});
