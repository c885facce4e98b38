/**
 * Pure parts of the service: validation, routing, and the replay branch of the idempotent put.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { normalizePath, route } from '../../lambda/service/routes.js';
import { loadServiceConfig } from '../../lambda/service/config.js';
import { idOf, itemKey, itemOf } from '../../lambda/service/keys.js';
import { putTransaction } from '../../lambda/service/transactions.js';
import { validateTransaction, validateTransactionId } from '../../lambda/service/validation.js';

describe('validateTransaction', () => {
  it('accepts a valid body', () => {
    expect(validateTransaction({ amount: 10.25, currency: 'EUR', reference: 'r-1' })).toEqual({
      ok: true,
      value: { amount: 10.25, currency: 'EUR', reference: 'r-1' },
    });
  });

  it.each([
    [null, 'body'],
    ['text', 'body'],
    [{ currency: 'EUR', reference: 'r' }, 'amount'],
    [{ amount: Number.NaN, currency: 'EUR', reference: 'r' }, 'amount'],
    [{ amount: Number.POSITIVE_INFINITY, currency: 'EUR', reference: 'r' }, 'amount'],
    [{ amount: true, currency: 'EUR', reference: 'r' }, 'amount'],
    [{ amount: -0.01, currency: 'EUR', reference: 'r' }, 'amount'],
    [{ amount: 1, currency: 'E1R', reference: 'r' }, 'currency'],
    [{ amount: 1, currency: null, reference: 'r' }, 'currency'],
    [{ amount: 1, currency: 'EUR', reference: ['r'] }, 'reference'],
    [{ amount: 1, currency: 'EUR', reference: 'r', extra: 1 }, 'extra'],
  ])('refuses %j naming %s', (body, field) => {
    const result = validateTransaction(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe(field);
      expect(result.error.message).toContain(field === 'body' ? 'JSON object' : field);
    }
  });

  it('counts reference length in characters, not UTF-16 units', () => {
    expect(validateTransaction({ amount: 1, currency: 'EUR', reference: '😀'.repeat(128) }).ok).toBe(true);
    expect(validateTransaction({ amount: 1, currency: 'EUR', reference: '😀'.repeat(129) }).ok).toBe(false);
  });

  it('checks transaction ids', () => {
    expect(validateTransactionId('c0ffee00-1234-4abc-8def-0123456789ab').ok).toBe(true);
    expect(validateTransactionId('a b').ok).toBe(false);
    expect(validateTransactionId('x'.repeat(129)).ok).toBe(false);
  });
});

describe('routing', () => {
  it('normalizes stage prefixes and trailing slashes', () => {
    expect(normalizePath('/health', '$default')).toBe('/health');
    expect(normalizePath('/prod/health', 'prod')).toBe('/health');
    expect(normalizePath('/prod', 'prod')).toBe('/');
    expect(normalizePath('/production/health', 'prod')).toBe('/production/health');
    expect(normalizePath('/health/', undefined)).toBe('/health');
    expect(normalizePath('', undefined)).toBe('/');
  });

  it('maps methods and paths', () => {
    expect(route('GET', '/health')).toEqual({ kind: 'health' });
    expect(route('get', '/health')).toEqual({ kind: 'health' });
    expect(route('PUT', '/health')).toEqual({ kind: 'methodNotAllowed', allow: 'GET' });
    expect(route('POST', '/transactions')).toEqual({ kind: 'createTransaction' });
    expect(route('GET', '/transactions')).toEqual({ kind: 'methodNotAllowed', allow: 'POST' });
    expect(route('GET', '/transactions/abc-1')).toEqual({ kind: 'getTransaction', id: 'abc-1' });
    expect(route('DELETE', '/transactions/abc-1')).toEqual({ kind: 'methodNotAllowed', allow: 'GET' });
    expect(route('GET', '/transactions/%E0%A4%A')).toEqual({ kind: 'badPath' });
    expect(route('GET', '/transactions/a/b')).toEqual({ kind: 'notFound' });
    expect(route('GET', '/')).toEqual({ kind: 'notFound' });
  });
});

describe('putTransaction replay without ReturnValuesOnConditionCheckFailure', () => {
  // A stand-in client: DynamoDB always returns the old item with ALL_OLD; this checks the
  // fallback read used if it ever does not.
  it('reads the stored item when the condition failure carries none', async () => {
    const sent: string[] = [];
    const stored = {
      id: { S: 'req-1' },
      amount: { N: '5' },
      currency: { S: 'USD' },
      reference: { S: 'a' },
      createdAt: { S: '2026-01-01T00:00:00.000Z' },
      region: { S: 'us-east-1' },
    };
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        if (command.constructor.name === 'PutItemCommand') {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        return { Item: stored };
      },
    } as unknown as DynamoDBClient;
    const outcome = await putTransaction(
      client,
      { name: 't', key: { hash: { name: 'id', type: 'S' } } },
      'req-1',
      { amount: 5, currency: 'USD', reference: 'a' },
      'us-west-2',
      new Date(),
    );
    expect(outcome).toEqual({
      kind: 'replayed',
      item: {
        id: 'req-1',
        amount: 5,
        currency: 'USD',
        reference: 'a',
        createdAt: '2026-01-01T00:00:00.000Z',
        region: 'us-east-1',
      },
    });
    expect(sent).toEqual(['PutItemCommand', 'GetItemCommand']);
  });
});

describe('the table key (DRPLANE_TABLE_KEY)', () => {
  const base = { AWS_REGION: 'us-east-1', DRPLANE_ROLE: 'primary', DRPLANE_TABLE_NAME: 't', DRPLANE_ENVIRONMENT: 'test' };
  const load = (key: string | undefined) => loadServiceConfig({ ...base, DRPLANE_TABLE_KEY: key });

  it('is required with the table and read as the claim declares the key', () => {
    expect(() => load(undefined)).toThrow('DRPLANE_TABLE_KEY: is not set');
    expect(load('{"hash":{"name":"transactionId","type":"S"},"range":{"name":"createdAt","type":"N"}}').table).toEqual({
      name: 't',
      key: { hash: { name: 'transactionId', type: 'S' }, range: { name: 'createdAt', type: 'N' } },
    });
  });

  it('refuses a number partition key, a bad type, unknown fields and one name twice, naming the variable', () => {
    expect(() => load('{"hash":{"name":"n","type":"N"}}')).toThrow(
      /DRPLANE_TABLE_KEY: hash.type is "N".*policy rule service.table-key/,
    );
    expect(() => load('{"hash":{"name":"id","type":"X"}}')).toThrow('DRPLANE_TABLE_KEY: hash.type is "X"');
    expect(() => load('{"hash":{"name":"id","type":"S"},"sort":{}}')).toThrow('unknown field(s) sort');
    expect(() => load('{"hash":{"name":"id","type":"S"},"range":{"name":"id","type":"N"}}')).toThrow('both name "id"');
    expect(() => load('[]')).toThrow('DRPLANE_TABLE_KEY: must be a JSON object');
  });

  it('keys an item as the table is: the id in the partition key, a fixed sort key, colliding data renamed', () => {
    const key = { hash: { name: 'orderId', type: 'S' }, range: { name: 'createdAt', type: 'N' } } as const;
    expect(itemKey(key, 'k-1')).toEqual({ orderId: { S: 'k-1' }, createdAt: { N: '0' } });
    const item = itemOf(key, 'k-1', { createdAt: { S: '2026-01-01T00:00:00.000Z' }, region: { S: 'us-east-1' } });
    expect(item).toEqual({
      orderId: { S: 'k-1' },
      createdAt: { N: '0' },
      'drplane.createdAt': { S: '2026-01-01T00:00:00.000Z' },
      region: { S: 'us-east-1' },
    });
    const binary = { hash: { name: 'id', type: 'B' }, range: { name: 'sk', type: 'S' } } as const;
    expect(idOf(binary, itemKey(binary, 'k-ü'))).toBe('k-ü');
    expect(itemKey(binary, 'x').sk).toEqual({ S: 'drplane' });
    expect(() => itemKey({ hash: { name: 'n', type: 'N' } }, 'x')).toThrow('is a number (N)');
  });
});
