/**
 * Reading the environment with errors a person can act on: every error names the variable,
 * says what is wrong and what to write instead. Pure apart from the `env` object passed in.
 */

import { ESTATE_ID_PATTERN } from './env-contract.js';

/** An environment variable the handler needs is missing or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** The variable at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** The environment as a plain string map (process.env or a test's object). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Value of a required variable; empty or whitespace counts as missing. */
export function requireString(env: Env, name: string, what: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') throw new ConfigError(name, `is not set; expected ${what}`);
  return value;
}

/** Value of an optional variable, or undefined when unset or empty. */
export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A required variable restricted to `allowed`. */
export function requireOneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T {
  const value = requireString(env, name, `one of ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `is "${value}"; expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A positive finite number; `fallback` when unset (required when no fallback is given). */
export function positiveNumber(env: Env, name: string, fallback?: number): number {
  const raw = fallback === undefined ? requireString(env, name, 'a number greater than 0') : optionalString(env, name);
  if (raw === undefined) return fallback as number;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(name, `is "${raw}"; expected a number greater than 0`);
  }
  return value;
}

/** Parses a required JSON variable, then checks its shape with `check` (which throws ConfigError). */
export function requireJson<T>(env: Env, name: string, example: string, check: (value: unknown) => T): T {
  return parseJson(name, requireString(env, name, `JSON like ${example}`), example, check);
}

/** Like {@link requireJson}, but undefined when the variable is unset. */
export function optionalJson<T>(env: Env, name: string, example: string, check: (value: unknown) => T): T | undefined {
  const raw = optionalString(env, name);
  return raw === undefined ? undefined : parseJson(name, raw, example, check);
}

function parseJson<T>(name: string, raw: string, example: string, check: (value: unknown) => T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, `is not valid JSON; expected JSON like ${example}`);
  }
  return check(parsed);
}

/**
 * The estate id in `name` (required): `e` and 7 lowercase hex digits, as the compositions set it
 * (env-contract.ts ESTATE_ID_PATTERN). It names the estate in the metrics' dimensions.
 */
export function requireEstateId(env: Env, name: string): string {
  const value = requireString(env, name, 'the estate id (e and 7 hex digits, e.g. e1a2b3c4)');
  if (!ESTATE_ID_PATTERN.test(value))
    throw new ConfigError(name, `is "${value}"; expected the estate id (e and 7 hex digits, e.g. e1a2b3c4)`);
  return value;
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** AWS region names such as `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Checks a region name and returns it; `where` says which variable/field is at fault. */
export function checkRegion(variable: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || !REGION_PATTERN.test(value)) {
    throw new ConfigError(variable, `${where} is ${JSON.stringify(value)}; expected an AWS region such as "us-east-1"`);
  }
  return value;
}

/** Checks a JSON object whose keys are regions and whose values pass `checkValue`. */
export function checkRegionMap<T>(
  variable: string,
  value: unknown,
  checkValue: (region: string, v: unknown) => T,
): Record<string, T> {
  if (!isRecord(value)) throw new ConfigError(variable, 'must be a JSON object mapping region to value');
  const out: Record<string, T> = {};
  for (const [region, v] of Object.entries(value)) {
    checkRegion(variable, `key "${region}"`, region);
    out[region] = checkValue(region, v);
  }
  return out;
}
