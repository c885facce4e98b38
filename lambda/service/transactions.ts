/**
 * Transactions in DynamoDB, idempotent on their id: the item's `id` comes from the client's
 * Idempotency-Key (idempotency.ts), else the invocation's `context.awsRequestId`, and is written
 * with a conditional put, so a retry finds the first attempt's item instead of writing a second one.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TransactionInput } from './validation.js';

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

function toItem(t: Transaction, requestHash: string | undefined): Record<string, AttributeValue> {
  return {
    id: { S: t.id },
    amount: { N: String(t.amount) },
    currency: { S: t.currency },
    reference: { S: t.reference },
    createdAt: { S: t.createdAt },
    region: { S: t.region },
    ...(requestHash === undefined ? {} : { requestHash: { S: requestHash } }),
  };
}

/** Reads a stored item back; throws if it lacks an attribute the service always writes. */
export function fromItem(item: Record<string, AttributeValue>): Transaction {
  const s = (name: string): string => {
    const v = item[name]?.S;
    if (v === undefined) throw new Error(`stored transaction lacks string attribute "${name}"`);
    return v;
  };
  const amount = Number(item.amount?.N);
  if (!Number.isFinite(amount)) throw new Error('stored transaction lacks number attribute "amount"');
  return {
    id: s('id'),
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
  tableName: string,
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
        TableName: tableName,
        Item: toItem(item, requestHash),
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'created', item };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const existing = err.Item ?? (await getTransactionItem(db, tableName, id));
    if (existing === undefined) throw new Error(`conditional put of ${id} failed but no item is stored`);
    const stored = fromItem(existing);
    const storedHash = existing.requestHash?.S;
    const same = requestHash !== undefined && storedHash !== undefined ? storedHash === requestHash : sameInput(stored, input);
    return same ? { kind: 'replayed', item: stored } : { kind: 'conflict', item: stored };
  }
}

async function getTransactionItem(
  db: DynamoDBClient,
  tableName: string,
  id: string,
): Promise<Record<string, AttributeValue> | undefined> {
  const out = await db.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } }, ConsistentRead: true }));
  return out.Item;
}

/** The transaction stored under `id`, or undefined. */
export async function getTransaction(db: DynamoDBClient, tableName: string, id: string): Promise<Transaction | undefined> {
  const item = await getTransactionItem(db, tableName, id);
  return item === undefined ? undefined : fromItem(item);
}
