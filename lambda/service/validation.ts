/**
 * Validation of `POST /transactions` bodies and transaction ids. Pure.
 */

/** A valid new transaction. */
export interface TransactionInput {
  /** Positive, finite. */
  readonly amount: number;
  /** ISO-4217 style: three uppercase letters. */
  readonly currency: string;
  /** 1 to 128 characters. */
  readonly reference: string;
}

/** A validation failure naming the field at fault. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Result of a validation. */
export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

const FIELDS = ['amount', 'currency', 'reference'] as const;
const MAX_REFERENCE = 128;

const fail = (field: string, message: string): Validated<never> => ({ ok: false, error: { field, message } });

/** Checks a parsed JSON body against the transaction shape; unknown fields are refused. */
export function validateTransaction(body: unknown): Validated<TransactionInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('body', 'the body must be a JSON object with amount, currency and reference');
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    return fail(unknown[0] as string, `unknown field "${unknown[0] as string}"; allowed fields are ${FIELDS.join(', ')}`);
  }
  const { amount, currency, reference } = record;
  if (amount === undefined) return fail('amount', 'amount is required: a number greater than 0');
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    return fail('amount', 'amount must be a JSON number greater than 0, e.g. 12.5');
  }
  if (amount <= 0) return fail('amount', `amount must be greater than 0, got ${amount}`);
  if (currency === undefined) return fail('currency', 'currency is required: three uppercase letters, e.g. EUR');
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return fail('currency', 'currency must be three uppercase letters, e.g. EUR');
  }
  if (reference === undefined) return fail('reference', `reference is required: a string of 1 to ${MAX_REFERENCE} characters`);
  if (typeof reference !== 'string' || reference.length === 0 || Array.from(reference).length > MAX_REFERENCE) {
    return fail('reference', `reference must be a string of 1 to ${MAX_REFERENCE} characters`);
  }
  return { ok: true, value: { amount, currency, reference } };
}

/** Transaction ids are Lambda request ids (UUIDs) or `k-` + a base64url hash of an idempotency key; accept 1-128 URL-safe characters. */
export function validateTransactionId(id: string): Validated<string> {
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id)
    ? { ok: true, value: id }
    : fail('id', "id must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
}
