/**
 * The service of every example claim, as compose renders it, against a moto table keyed as that claim declares its
 * first table: `/health` answers 200 and transactions are written, replayed and read back. A service that keyed its
 * items `{id: S}` whatever the table (seed-004: transactionId + createdAt N; three-region: orderId + createdAt N)
 * failed `/health` in every region, and automatic mode then failed a healthy estate over with AllowDataLoss.
 */
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_ENV } from '../../lambda/shared/env-contract.js';
import { createServiceHandler } from '../../lambda/service/index.js';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { planClaim } from '../../src/compose/plan.js';
import { fp, labels, managed } from '../compose/helpers.js';
import { useMoto } from './support/aws.js';
import { httpEvent, lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';

const dir = join(import.meta.dirname, '..', '..', 'examples');
const EXAMPLES: ReadonlyArray<readonly [string, DisasterRecoveryClaim]> = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => [f, DisasterRecoveryClaimSchema.parse(parse(readFileSync(join(dir, f), 'utf8')))] as const)
  .filter(([, c]) => c.spec.service !== undefined && (c.spec.tables ?? []).length > 0);

/** The environment compose gives the service in the claim's primary region. */
function renderedServiceEnv(c: DisasterRecoveryClaim): Record<string, string> {
  const region = c.spec.regions.primary;
  const fn = managed(planClaim(c), 'Function').find(
    (m) => labels(m)['drplane.io/component'] === 'service-function' && fp(m).region === region,
  );
  if (fn === undefined) throw new Error('the plan has no service Function in the primary region');
  return (fp(fn).environment as { variables: Record<string, string> }).variables;
}

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe('the service of every example claim, on a table keyed as the claim declares it', () => {
  it('covers the composite keys of seed-004 and three-region', () => {
    const keys = EXAMPLES.map(([f, c]) => `${f}: ${c.spec.tables![0]!.hashKey.name}+${c.spec.tables![0]!.rangeKey?.name ?? '-'}`);
    expect(keys).toContain('seed-004-financial-transactions.yaml: transactionId+createdAt');
    expect(keys).toContain('three-region.yaml: orderId+createdAt');
  });

  it.each(EXAMPLES)(
    '%s: /health 200, a keyed transaction written once, replayed and read',
    { timeout: 30_000 },
    async (_f, c) => {
      const region = c.spec.regions.primary;
      const env = renderedServiceEnv(c);
      const tableName = env[SERVICE_ENV.tableName];
      expect(tableName).toBeDefined();
      // The table as the claim declares it (the claim's own fields, not the service's environment).
      const first = c.spec.tables![0]!;
      const attrs = [first.hashKey, ...(first.rangeKey === undefined ? [] : [first.rangeKey])];
      const db = new DynamoDBClient({ region });
      await db.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attrs.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
          KeySchema: [
            { AttributeName: first.hashKey.name, KeyType: 'HASH' },
            ...(first.rangeKey === undefined ? [] : [{ AttributeName: first.rangeKey.name, KeyType: 'RANGE' as const }]),
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      // The reader endpoint is known only after creation (the plan holds a placeholder); db-probe.test.ts covers it.
      const { [SERVICE_ENV.dbEndpoint]: _db, [SERVICE_ENV.dbEngine]: _engine, ...rendered } = env;
      const handler = createServiceHandler({ env: { ...rendered, AWS_REGION: region }, logSink: () => undefined });

      const health = await handler(httpEvent('GET', '/health'), lambdaContext());
      expect(JSON.parse(health.body)).toMatchObject({ region, checks: { table: { status: 'ok' } } });
      expect(health.statusCode).toBe(200);
      // Again: the sentinel written by the first check is read back.
      const again = JSON.parse((await handler(httpEvent('GET', '/health'), lambdaContext())).body) as {
        checks: { table: { detail: string } };
      };
      expect(again.checks.table.detail).toBe('sentinel read (consistent)');

      const keyed = () => {
        const e = httpEvent('POST', '/transactions', {
          body: JSON.stringify({ amount: 7.5, currency: 'EUR', reference: 'r-1' }),
        });
        return { ...e, headers: { ...e.headers, 'idempotency-key': 'example-claim-key-0001' } };
      };
      const created = await handler(keyed(), lambdaContext());
      expect(created.statusCode).toBe(201);
      const item = JSON.parse(created.body) as { id: string; createdAt: string };
      expect(item.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const retry = await handler(keyed(), lambdaContext());
      expect(retry.statusCode).toBe(200);
      expect(JSON.parse(retry.body)).toEqual(item);
      const read = await handler(httpEvent('GET', `/transactions/${item.id}`), lambdaContext());
      expect(read.statusCode).toBe(200);
      expect(JSON.parse(read.body)).toEqual(item);
      // One transaction and the sentinel, each under the table's own key with its declared types.
      const scan = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
      expect(scan.Count).toBe(2);
      for (const stored of scan.Items ?? []) {
        for (const a of attrs) expect(Object.keys(stored[a.name] ?? {})).toEqual([a.type]);
      }
    },
  );
});
