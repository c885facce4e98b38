/**
 * Transactions in DynamoDB, idempotent on their id: the id comes from the client's Idempotency-Key
 * (idempotency.ts), else the invocation's `context.awsRequestId`, and is written with a conditional put, so a retry
 * finds the first attempt's item instead of writing a second one. The item is keyed as the table is (keys.ts): the
 * id in its partition key, a fixed value in its sort key.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TableKeySchema } from '../shared/env-contract.js';
import { idOf, itemKey, itemOf, storedName } from './keys.js';
import type { TransactionInput } from './validation.js';

/** The table the transactions live in: its name and key. */
export interface TransactionTable {
  readonly name: string;
  readonly key: TableKeySchema;
}

/** A stored transaction as the API returns it. */
export interface Transaction extends TransactionInput {
  /** Derived from the client's Idempotency-Key, else the request id of the invocation that created it. */
  readonly id: string;
  /** ISO-8601 time of the first write. */
  readonly createdAt: string;
  /** Region that accepted the write. */
  readonly region: string;
}

/** Outcome of {@link putTransaction}. */
export type PutOutcome =
  | { readonly kind: 'created'; readonly item: Transaction }
  | { readonly kind: 'replayed'; readonly item: Transaction }
  | { readonly kind: 'conflict'; readonly item: Transaction };

function toItem(key: TableKeySchema, t: Transaction, requestHash: string | undefined): Record<string, AttributeValue> {
  return itemOf(key, t.id, {
    amount: { N: String(t.amount) },
    currency: { S: t.currency },
    reference: { S: t.reference },
    createdAt: { S: t.createdAt },
    region: { S: t.region },
    ...(requestHash === undefined ? {} : { requestHash: { S: requestHash } }),
  });
}

/** Reads a stored item back; throws if it lacks an attribute the service always writes. */
export function fromItem(key: TableKeySchema, item: Record<string, AttributeValue>): Transaction {
  const s = (name: string): string => {
    const v = item[storedName(key, name)]?.S;
    if (v === undefined) throw new Error(`stored transaction lacks string attribute "${storedName(key, name)}"`);
    return v;
  };
  const amount = Number(item[storedName(key, 'amount')]?.N);
  if (!Number.isFinite(amount)) throw new Error(`stored transaction lacks number attribute "${storedName(key, 'amount')}"`);
  return {
    id: idOf(key, item),
    amount,
    currency: s('currency'),
    reference: s('reference'),
    createdAt: s('createdAt'),
    region: s('region'),
  };
}

const sameInput = (a: TransactionInput, b: TransactionInput): boolean =>
  a.amount === b.amount && a.currency === b.currency && a.reference === b.reference;

/**
 * Writes the transaction under `id` unless an item with that id exists. An existing item of the same request is a
 * replay of it: the same `requestHash` (a keyed request: idempotency.ts requestHashOf, stored with the item, never
 * returned), else the same amount, currency and reference; a different one is a conflict (the id was used for another
 * transaction).
 */
export async function putTransaction(
  db: DynamoDBClient,
  table: TransactionTable,
  id: string,
  input: TransactionInput,
  region: string,
  now: Date,
  requestHash?: string,
): Promise<PutOutcome> {
  const item: Transaction = { id, ...input, createdAt: now.toISOString(), region };
  try {
    await db.send(
      new PutItemCommand({
        TableName: table.name,
        Item: toItem(table.key, item, requestHash),
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': table.key.hash.name },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'created', item };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const existing = err.Item ?? (await getTransactionItem(db, table, id));
    if (existing === undefined) throw new Error(`conditional put of ${id} failed but no item is stored`);
    const stored = fromItem(table.key, existing);
    const storedHash = existing[storedName(table.key, 'requestHash')]?.S;
    const same = requestHash !== undefined && storedHash !== undefined ? storedHash === requestHash : sameInput(stored, input);
    return same ? { kind: 'replayed', item: stored } : { kind: 'conflict', item: stored };
  }
}

async function getTransactionItem(
  db: DynamoDBClient,
  table: TransactionTable,
  id: string,
): Promise<Record<string, AttributeValue> | undefined> {
  const out = await db.send(new GetItemCommand({ TableName: table.name, Key: itemKey(table.key, id), ConsistentRead: true }));
  return out.Item;
}

/** The transaction stored under `id`, or undefined. */
export async function getTransaction(db: DynamoDBClient, table: TransactionTable, id: string): Promise<Transaction | undefined> {
  const item = await getTransactionItem(db, table, id);
  return item === undefined ? undefined : fromItem(table.key, item);
}
