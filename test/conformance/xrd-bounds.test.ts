/**
 * One source for limits: every bound of the generated DisasterRecovery XRD (maxProperties, maxItems,
 * minItems, maxLength, minLength, minimum, maximum, pattern, enum) on a field reachable from a valid base
 * claim (examples/payments.yaml) is derived from the XRD's openAPIV3Schema itself. For each, a claim that
 * just breaks the bound must get an error from `drctl validate` (validateClaim) on that field, and a claim
 * that just meets it none there. What cannot be built automatically is skipped and counted; the number of
 * bounds checked may not fall below what was measured, so the test cannot pass vacuously.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { POLICY_RULES, validateClaim } from '../../src/policy/validate.js';
import { TODAY } from '../policy/specs.js';
import { apiFiles } from '../support/generated.js';
import { repoPath } from '../support/paths.js';

/** Bounds checked when this test was written (2026-12-05): the count may grow, never shrink. */
const MEASURED_CHECKED = 75;

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: (string | number)[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
}

type Json = unknown;
/** A step of a document path: a property name, or an index into an array. */
type Step = string | number;

const BOUNDS = [
  'maxProperties',
  'maxItems',
  'minItems',
  'maxLength',
  'minLength',
  'minimum',
  'maximum',
  'pattern',
  'enum',
] as const;
type Bound = (typeof BOUNDS)[number];

const xrdFile = apiFiles('definition.yaml').find((f) => readFileSync(f, 'utf8').includes('kind: DisasterRecovery\n'));
if (!xrdFile) throw new Error('no XRD with claimNames kind DisasterRecovery in compositions/apis: run `npm run synth`');
const xrd = parse(readFileSync(xrdFile, 'utf8')) as {
  spec: { claimNames: { kind: string }; versions: { schema: { openAPIV3Schema: Schema } }[] };
};
const root = xrd.spec.versions[0]!.schema.openAPIV3Schema;
const base = parse(readFileSync(repoPath('examples', 'payments.yaml'), 'utf8')) as Record<string, Json>;

const pathText = (steps: readonly Step[]) =>
  steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

const get = (doc: Json, steps: readonly Step[]): Json =>
  steps.reduce<Json>((v, s) => (v === undefined || v === null ? undefined : (v as Record<string | number, Json>)[s]), doc);

/** A copy of `doc` with the value at `steps` replaced; parents must exist. */
function withValue(doc: Json, steps: readonly Step[], value: Json): Json {
  const copy = structuredClone(doc);
  const parent = get(copy, steps.slice(0, -1)) as Record<string | number, Json>;
  parent[steps.at(-1)!] = value;
  return copy;
}

const matches = (pattern: string, s: string) => new RegExp(pattern).test(s);

/** Strings that match `pattern` (fast-check, fixed seed), shortest first. */
const samples = (pattern: string): string[] =>
  fc.sample(fc.stringMatching(new RegExp(pattern)), { numRuns: 40, seed: 14 }).sort((a, b) => a.length - b.length);

/** A minimal value of a schema (required fields only), or undefined when none can be built. */
function minimal(s: Schema): Json {
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'string':
      return s.pattern ? samples(s.pattern)[0] : 'a'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, Json> = {};
      for (const r of s.required ?? []) {
        const v = minimal(s.properties?.[r] ?? {});
        if (v === undefined) return undefined;
        out[r] = v;
      }
      return out;
    }
  }
  return undefined;
}

/** A variant of `v` that differs from it (the i-th), keeping its form: digits appended, before an email's @, to a name. */
function variant(v: Json, i: number): Json {
  if (typeof v === 'string') return v.includes('@') ? v.replace('@', `${i}@`) : `${v.slice(0, -1)}${i}${v.slice(-1)}`;
  if (v && typeof v === 'object' && typeof (v as Record<string, Json>).name === 'string')
    return { ...(v as object), name: variant((v as Record<string, Json>).name, i) };
  return v;
}

/** `count` distinct items for an array with items `s`, starting from `existing`. */
function distinctItems(s: Schema, existing: Json[], count: number): Json[] | undefined {
  if (s.enum) {
    const rest = s.enum.filter((e) => !existing.includes(e));
    // Past the last member, members repeat: still one item too many for a maxItems that equals the enum's size.
    const all = [...existing, ...rest];
    while (all.length < count && all.length > 0) all.push(all[all.length % s.enum.length]!);
    return all.length >= count ? all.slice(0, count) : undefined;
  }
  const seed = existing[0] ?? minimal(s);
  if (seed === undefined) return undefined;
  const out = [...existing];
  for (let i = 0; out.length < count; i++) out.push(variant(seed, i));
  return out.slice(0, count);
}

/** A string of exactly `n` characters built from `s` (its last character repeated, or cut). */
const sized = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + (s.slice(-1) || 'a').repeat(n - s.length));

interface Case {
  /** `spec.tags maxProperties=40`. */
  readonly id: string;
  readonly steps: readonly Step[];
  readonly breaks: Json;
  readonly meets: Json;
}

/** The breaking and meeting values of one bound at `steps`, given the value the base has there (or a built one). */
function caseFor(bound: Bound, s: Schema, steps: readonly Step[], current: Json): Case | string {
  const id = `${pathText(steps)} ${bound}=${bound === 'enum' ? `[${s.enum!.length}]` : JSON.stringify(s[bound])}`;
  const str = typeof current === 'string' ? current : undefined;
  const make = (breaks: Json, meets: Json): Case | string =>
    breaks === undefined || meets === undefined ? `${id}: no value could be built` : { id, steps, breaks, meets };
  switch (bound) {
    case 'maximum':
      return make(s.maximum! + 1, s.maximum);
    case 'minimum':
      return make(s.minimum! - 1, s.minimum);
    case 'maxLength':
      return str === undefined ? `${id}: no string to start from` : make(sized(str, s.maxLength! + 1), sized(str, s.maxLength!));
    case 'minLength':
      return str === undefined || s.minLength! < 1
        ? `${id}: no string to start from`
        : make(sized(str, s.minLength! - 1), sized(str, s.minLength!));
    case 'pattern': {
      if (str === undefined) return `${id}: no string to start from`;
      const breaks = [`${str}!`, `!${str}`, ' ', '#'].find((c) => !matches(s.pattern!, c));
      return make(breaks, str);
    }
    case 'enum': {
      const numeric = typeof s.enum![0] === 'number';
      const breaks = numeric ? Array.from({ length: 100 }, (_, i) => i + 2).find((n) => !s.enum!.includes(n)) : 'not-a-member';
      return make(breaks, current ?? s.enum![0]);
    }
    case 'maxItems': {
      if (!Array.isArray(current) || !s.items) return `${id}: no array to start from`;
      return make(distinctItems(s.items, current, s.maxItems! + 1), distinctItems(s.items, current, s.maxItems!));
    }
    case 'minItems': {
      if (!Array.isArray(current) || !s.items || s.minItems! < 1) return `${id}: no array to start from`;
      return make(current.slice(0, s.minItems! - 1), distinctItems(s.items, current.slice(0, s.minItems!), s.minItems!));
    }
    case 'maxProperties': {
      if (!current || typeof current !== 'object' || Array.isArray(current)) return `${id}: no map to start from`;
      const entries = Object.entries(current);
      if (entries.length === 0) return `${id}: no entry to copy`;
      const grow = (n: number) => {
        const out: Record<string, Json> = { ...current };
        for (let i = 0; Object.keys(out).length < n; i++) out[`Key${i}`] = entries[0]![1];
        return out;
      };
      return make(grow(s.maxProperties! + 1), grow(s.maxProperties!));
    }
  }
}

/** Every bound on a field reachable from the base, as cases (or the reason a bound was skipped). */
function collect(s: Schema, steps: Step[], doc: Json, out: (Case | string)[]): void {
  const current = get(doc, steps);
  for (const bound of BOUNDS) {
    if (s[bound] === undefined) continue;
    let value = current;
    if (value === undefined && ['maxLength', 'minLength', 'pattern'].includes(bound)) value = minimal(s);
    out.push(caseFor(bound, s, steps, value));
  }
  if (s.type === 'object' && s.properties) {
    for (const [key, child] of Object.entries(s.properties)) {
      const childSteps = [...steps, key];
      if (get(doc, childSteps) === undefined && child.type === 'object') {
        // An absent section: built from its required fields, so the bounds below it are reachable.
        const built = minimal(child);
        if (built === undefined) {
          out.push(`${pathText(childSteps)}: absent from the base and not buildable`);
          continue;
        }
        collect(child, childSteps, withValue(doc, childSteps, built), out);
        continue;
      }
      collect(child, childSteps, doc, out);
    }
  }
  if (s.type === 'object' && typeof s.additionalProperties === 'object' && current && typeof current === 'object') {
    const keys = Object.keys(current);
    if (keys.length) collect(s.additionalProperties, [...steps, keys[0]!], doc, out);
  }
  if (s.type === 'array' && s.items) {
    if (Array.isArray(current) && current.length) collect(s.items, [...steps, 0], doc, out);
    else if (s.items.type === 'object' || s.items.type === 'string') out.push(`${pathText(steps)}[]: no item in the base`);
  }
}

/** The document a case builds: the base with its absent parents built, then the value put in. */
function build(c: Case, value: Json): Json {
  let doc: Json = structuredClone(base);
  let s: Schema = root;
  for (let i = 0; i < c.steps.length - 1; i++) {
    const step = c.steps[i]!;
    s = (typeof step === 'number' ? s.items : (s.properties?.[step] ?? (s.additionalProperties as Schema))) ?? {};
    if (get(doc, c.steps.slice(0, i + 1)) === undefined) doc = withValue(doc, c.steps.slice(0, i + 1), minimal(s));
  }
  return withValue(doc, c.steps, value);
}

const cases: (Case | string)[] = [];
collect(root, [], base, cases);
const checked = cases.filter((c): c is Case => typeof c !== 'string');
const skipped = cases.filter((c): c is string => typeof c === 'string');

/** Ids of the policy rules: their errors weigh a field against the rest of the claim, not against its own bound. */
const POLICY_IDS = new Set(POLICY_RULES.map((r) => r.id));

/** Errors validateClaim reports on the field at `path` or below it. */
const errorsOn = (doc: Json, path: string) =>
  validateClaim(doc, { today: TODAY }).problems.filter(
    (p) => p.severity === 'error' && (p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`)),
  );

describe(`every bound of the ${xrd.spec.claimNames.kind} XRD is enforced by drctl validate`, () => {
  it('the base claim is valid, and the walk reaches bounds at every depth', () => {
    expect(validateClaim(base, { today: TODAY }).problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(checked.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'spec.tags maxProperties=40',
        'spec.tags.CostCenter maxLength=256',
        'spec.tables[0].hashKey.name maxLength=255',
        'spec.routing.healthCheck.failureThreshold maximum=10',
        'spec.regions.secondaries minItems=1',
      ]),
    );
  });

  it('a claim that just breaks a bound gets an error on its field; one that just meets it, none there', () => {
    const failures: string[] = [];
    const byPolicy: string[] = [];
    for (const c of checked) {
      const path = pathText(c.steps);
      if (errorsOn(build(c, c.breaks), path).length === 0)
        failures.push(`${c.id}: ${JSON.stringify(c.breaks).slice(0, 80)} is accepted, the XRD refuses it`);
      const all = errorsOn(build(c, c.meets), path);
      // A value at the bound that a policy rule refuses because of the rest of the claim (an RPO of 0 on
      // asynchronous replication, a region without Aurora global databases) meets the bound: listed, not failed.
      const meets = all.filter((p) => !POLICY_IDS.has(p.ruleId));
      if (meets.length === 0 && all.length) byPolicy.push(`${c.id}: ${all.map((p) => p.ruleId).join(', ')}`);
      if (meets.length)
        failures.push(`${c.id}: ${JSON.stringify(c.meets).slice(0, 80)} is refused (${meets[0]!.message}), the XRD accepts it`);
    }
    console.log(
      `XRD bounds (${xrdFile}): ${checked.length} bounds checked, ${skipped.length} skipped` +
        (skipped.length ? `:\n  ${skipped.join('\n  ')}` : '') +
        `\n${byPolicy.length} values at a bound refused by a policy rule (the claim around them):\n  ${byPolicy.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(MEASURED_CHECKED);
  }, 120_000);
});
