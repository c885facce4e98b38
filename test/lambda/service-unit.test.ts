/**
 * Pure parts of the service: validation, routing, and the replay branch of the idempotent put.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { normalizePath, route } from '../../lambda/service/routes.js';
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
      't',
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
