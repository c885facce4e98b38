/**
 * Client idempotency keys for `POST /transactions` (the semantics of the IETF HTTPAPI draft "The Idempotency-Key
 * HTTP Header Field"). Function URLs and HTTP APIs do not retry, so a retry comes from the client as a new invocation
 * with a new request id: only a key the client sends with every attempt ties the attempts together.
 *
 * - Scoped to the caller: the transaction id is a SHA-256 of the caller's identity and the key, so two callers that
 *   happen to send the same key get two transactions, and one caller can neither replay nor block another's.
 * - Bound to the body: the stored item keeps a SHA-256 of the caller and the request (its `requestHash`); the same key
 *   with a different body is refused with 422 (the draft: a key reused with another payload), never applied.
 * - Validated: 16 to 128 letters, digits, `.`, `_`, `:` or `-`, one value; anything else is a 400 naming the header.
 *   Neither the key nor the caller is stored, returned or logged: only hashes.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { TransactionInput, Validated } from './validation.js';

/** The request header that carries the key (HTTP header names are case-insensitive; payload v2 lowercases them). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Shortest key: a key of fewer characters is too easily the same for two different transactions (a UUID has 36). */
export const KEY_MIN_LENGTH = 16;
/** Longest key. */
export const KEY_MAX_LENGTH = 128;

const KEY_CHARS = /^[A-Za-z0-9._:-]*$/;

/**
 * The client's key from `headers`, undefined when absent; an empty, repeated (comma-joined), too short, too long or
 * malformed one is a field error naming the header, what is wrong and what a good key is.
 */
export function idempotencyKeyOf(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): Validated<string | undefined> {
  const wanted = IDEMPOTENCY_HEADER.toLowerCase();
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === wanted);
  if (entry === undefined || entry[1] === undefined) return { ok: true, value: undefined };
  const value = entry[1].trim();
  const fix = `send one value of ${KEY_MIN_LENGTH} to ${KEY_MAX_LENGTH} letters, digits, '.', '_', ':' or '-' (a fresh UUID per transaction is a good key), the same with every retry of that transaction`;
  const wrong = !KEY_CHARS.test(value)
    ? `has a character other than letters, digits, '.', '_', ':' or '-'${value.includes(',') ? ' (a comma: the header was sent more than once?)' : ''}`
    : value.length < KEY_MIN_LENGTH
      ? `is ${value.length} characters long, shorter than ${KEY_MIN_LENGTH}`
      : value.length > KEY_MAX_LENGTH
        ? `is ${value.length} characters long, longer than ${KEY_MAX_LENGTH}`
        : undefined;
  if (wrong !== undefined) {
    return { ok: false, error: { field: IDEMPOTENCY_HEADER, message: `${IDEMPOTENCY_HEADER} ${wrong}; ${fix}` } };
  }
  return { ok: true, value };
}

/**
 * Who sends the request, as the endpoint authenticated it: the IAM principal (Function URL or HTTP API with AWS_IAM
 * auth), the JWT issuer and subject (HTTP API JWT authorizer), else `anonymous` (auth NONE: every caller is one).
 */
export function callerOf(event: Pick<APIGatewayProxyEventV2, 'requestContext'>): string {
  const authorizer = (event.requestContext as { authorizer?: Record<string, unknown> } | undefined)?.authorizer;
  const iam = authorizer?.iam as { userArn?: unknown; callerId?: unknown; accountId?: unknown } | undefined;
  if (typeof iam?.userArn === 'string' && iam.userArn !== '') return `iam:${iam.userArn}`;
  if (typeof iam?.callerId === 'string' && iam.callerId !== '') return `iam:${String(iam.accountId)}:${iam.callerId}`;
  const claims = (authorizer?.jwt as { claims?: Record<string, unknown> } | undefined)?.claims;
  if (typeof claims?.sub === 'string' && claims.sub !== '') return `jwt:${String(claims.iss ?? '')}|${claims.sub}`;
  return 'anonymous';
}

const sha256 = (text: string, encoding: 'base64url' | 'hex') => createHash('sha256').update(text, 'utf8').digest(encoding);

/** The transaction id of `caller`'s key: `k-` and the base64url SHA-256 of both (45 characters, a valid id). */
export function transactionIdOf(key: string, caller: string): string {
  return `k-${sha256(`drplane-transaction\u0000${caller}\u0000${key}`, 'base64url')}`;
}

/** The hash stored with a keyed transaction: the caller and the request's fields (hex SHA-256). */
export function requestHashOf(caller: string, input: TransactionInput): string {
  return sha256(JSON.stringify(['drplane-request', caller, input.amount, input.currency, input.reference]), 'hex');
}
