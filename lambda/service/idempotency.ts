/**
 * Client idempotency keys for `POST /transactions`. Function URLs and HTTP APIs do not retry, so a retry comes from
 * the client as a new invocation with a new request id: only a key the client sends with every attempt ties the
 * attempts together. The transaction id is derived from the key (a SHA-256, so the key itself is never stored,
 * returned or logged), and the conditional put on that id makes the first attempt's item the answer to every retry.
 */
import { createHash } from 'node:crypto';
import type { Validated } from './validation.js';

/** The request header that carries the key (HTTP header names are case-insensitive; payload v2 lowercases them). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The client's key from `headers`, undefined when absent; an empty, repeated (comma-joined) or malformed one is a
 * field error naming the header.
 */
export function idempotencyKeyOf(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): Validated<string | undefined> {
  const wanted = IDEMPOTENCY_HEADER.toLowerCase();
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === wanted);
  if (entry === undefined || entry[1] === undefined) return { ok: true, value: undefined };
  const value = entry[1].trim();
  if (!KEY_PATTERN.test(value)) {
    return {
      ok: false,
      error: {
        field: IDEMPOTENCY_HEADER,
        message: `${IDEMPOTENCY_HEADER} must be one value of 1 to 128 letters, digits, '.', '_', ':' or '-' (a UUID is a good key); send the same key with every retry of one transaction`,
      },
    };
  }
  return { ok: true, value };
}

/** The transaction id of a key: `k-` and the base64url SHA-256 of the key (45 characters, a valid transaction id). */
export function transactionIdOf(key: string): string {
  return `k-${createHash('sha256').update(`drplane-transaction:${key}`, 'utf8').digest('base64url')}`;
}
