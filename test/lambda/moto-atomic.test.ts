/**
 * The moto server the Lambda tests run (support/moto_server.py) applies a DynamoDB conditional write as one step, as
 * DynamoDB does: of concurrent PutItem calls with `attribute_not_exists` on one key, exactly one succeeds. Plain moto
 * checks and writes without a lock, and with request threads interleaved as on a loaded machine (a tiny switch
 * interval) lets several through; the service's idempotency tests then fail for moto's sake, not drplane's.
 */
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMoto, type MotoServer } from './support/moto.js';

let moto: MotoServer;

beforeAll(async () => {
  const before = process.env.DRPLANE_MOTO_SWITCH_INTERVAL;
  process.env.DRPLANE_MOTO_SWITCH_INTERVAL = '0.000001';
  try {
    moto = await startMoto();
  } finally {
    if (before === undefined) delete process.env.DRPLANE_MOTO_SWITCH_INTERVAL;
    else process.env.DRPLANE_MOTO_SWITCH_INTERVAL = before;
  }
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

it('of 8 concurrent conditional puts on one key, exactly one wins, in each of 100 rounds', async () => {
  const db = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await db.send(
    new CreateTableCommand({
      TableName: 'atomic',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const put = (key: string, writer: number) =>
    db
      .send(
        new PutItemCommand({
          TableName: 'atomic',
          Item: { id: { S: key }, writer: { N: String(writer) } },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      )
      .then(
        () => 1,
        (err: unknown) => {
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
          return 0;
        },
      );
  const winners: number[] = [];
  for (let round = 0; round < 100; round++) {
    const results = await Promise.all(Array.from({ length: 8 }, (_, writer) => put(`key-${round}`, writer)));
    winners.push(results.reduce((a, b) => a + b, 0));
  }
  expect(winners).toEqual(Array.from({ length: 100 }, () => 1));
}, 120_000);
