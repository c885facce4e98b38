/**
 * Policy problems of a claim that fails the schema, in the same run: the fields that fail are taken out (a list
 * with a bad element goes whole; a field that is required becomes optional), the rest is parsed, and every policy
 * rule runs on it while a proxy records what it reads. A rule that read anything taken out (or its absence) says nothing, so a
 * broken section never draws a false "missing section" error; rules over the parts that parsed report as usual.
 */
import { z } from 'zod';
import { DisasterRecoveryClaimSchema, type DisasterRecoverySpec, DisasterRecoverySpecSchema } from '../api/claim.js';
import { type PolicyContext, type PolicyRule, type Problem, policyContext } from './types.js';

type Path = readonly (string | number)[];
type Issue = { readonly path: readonly PropertyKey[] };

const isObject = (v: unknown): v is Record<string | number, unknown> => typeof v === 'object' && v !== null;

/** The part of a document an issue makes unusable: a field, or the whole list an element of it is in. */
function unusable(issue: Issue): Path {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const index = path.findIndex((k) => typeof k === 'number');
  return index >= 0 ? path.slice(0, index) : path;
}

function remove(root: unknown, path: Path): void {
  let node = root;
  for (const key of path.slice(0, -1)) node = isObject(node) ? node[key] : undefined;
  if (isObject(node)) delete node[path[path.length - 1]!];
}

const key = (path: Path): string => path.join('\u0000');

/** What is left of a claim that fails the schema: its spec and context, and the spec paths taken out. */
export interface PartialClaim {
  readonly spec: DisasterRecoverySpec;
  /** Paths relative to spec (["database", "engineVersion"]) that were taken out or are missing. */
  readonly removed: readonly Path[];
  /** True when metadata failed, so the claim's name (every AWS name) is unknown. */
  readonly nameUnknown: boolean;
}

/**
 * The schema with the field at `path` made optional (a required field that failed or is missing then parses
 * as absent; rules that read it are not run). Undefined where the path cannot be followed.
 */
function relax(schema: z.ZodType, path: Path): z.ZodType | undefined {
  if (path.length === 0) return schema.optional();
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) {
    const inner = relax(schema.unwrap() as z.ZodType, path);
    return inner?.optional();
  }
  // An entry taken out of a record leaves a record (no key is required).
  if (schema instanceof z.ZodRecord) return path.length === 1 ? schema : undefined;
  if (schema instanceof z.ZodObject) {
    const [field, ...rest] = path;
    const child = (schema.shape as Record<string, z.ZodType>)[String(field)];
    const relaxed = child && relax(child, rest);
    return relaxed && schema.extend({ [String(field)]: relaxed });
  }
  return undefined;
}

/** The spec schema with every path made optional; undefined when one cannot be. */
function relaxAll(paths: readonly Path[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = DisasterRecoverySpecSchema;
  for (const path of paths) schema = schema && relax(schema, path);
  return schema;
}

const REQUIRED_EVERYWHERE = ['environment', 'regions'];

/** Takes the failing parts out of a claim until the rest parses; undefined when environment or regions fail. */
export function partialClaim(document: unknown, issues: readonly Issue[]): PartialClaim | undefined {
  const doc = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  if (!isObject(doc.spec)) return undefined;
  const removed: Path[] = [];
  let nameUnknown = false;
  let pending = issues;
  for (let round = 0; round < 50; round++) {
    // Parts taken out in this round: a second issue inside one of them (two fields of one list element) is the same
    // part, not a part that still fails.
    const thisRound = new Set<string>();
    for (const issue of pending) {
      const path = unusable(issue);
      if (path[0] === 'spec' && thisRound.has(key(path.slice(1)))) continue;
      if (path[0] === 'apiVersion' || path[0] === 'kind') {
        doc[path[0]] = DisasterRecoveryClaimSchema.shape[path[0]].value;
        continue;
      }
      if (path[0] === 'metadata') {
        doc.metadata = { name: 'claim', namespace: 'default' };
        nameUnknown = true;
        continue;
      }
      if (path[0] !== 'spec') return undefined;
      let field = path.slice(1);
      // A part already taken out that still fails: its parent goes too.
      while (field.length > 0 && removed.some((r) => key(r) === key(field))) field = field.slice(0, -1);
      if (field.length === 0 || REQUIRED_EVERYWHERE.includes(String(field[0]))) return undefined;
      remove(doc.spec, field);
      removed.push(field);
      thisRound.add(key(field));
    }
    const schema = relaxAll(removed);
    if (!schema) return undefined;
    const spec = schema.safeParse(doc.spec);
    const claim = DisasterRecoveryClaimSchema.omit({ spec: true }).safeParse(doc);
    if (spec.success && claim.success) return { spec: spec.data as DisasterRecoverySpec, removed, nameUnknown };
    pending = [
      ...(spec.success ? [] : spec.error.issues.map((i) => ({ path: ['spec', ...i.path] }))),
      ...(claim.success ? [] : claim.error.issues),
    ];
  }
  return undefined;
}

/** Reads of a rule: each path it got or tested, and the objects it listed whole (spread, keys, JSON). */
interface Reads {
  readonly paths: Path[];
  readonly whole: Path[];
}

function tracked<T>(value: T, path: Path, reads: Reads, cache: WeakMap<object, unknown>): T {
  if (!isObject(value)) return value;
  const known = cache.get(value);
  if (known) return known as T;
  const proxy = new Proxy(value, {
    get(target, k, receiver) {
      const v: unknown = Reflect.get(target, k, receiver);
      if (typeof k === 'symbol') return v;
      const child = [...path, k];
      reads.paths.push(child);
      return tracked(v, child, reads, cache);
    },
    has(target, k) {
      if (typeof k !== 'symbol') reads.paths.push([...path, k]);
      return Reflect.has(target, k);
    },
    ownKeys(target) {
      reads.whole.push(path);
      return Reflect.ownKeys(target);
    },
  });
  cache.set(value, proxy);
  return proxy as T;
}

const startsWith = (path: Path, prefix: Path): boolean =>
  prefix.length <= path.length && prefix.every((k, i) => String(k) === String(path[i]));

/** True when a rule's reads touched a part taken out: the part itself, inside it, or a listing of what holds it. */
function touched(reads: Reads, removed: readonly Path[]): boolean {
  return removed.some((r) => reads.paths.some((p) => startsWith(p, r)) || reads.whole.some((w) => startsWith(r, w)));
}

/** The policy problems of a partial claim that depend only on what parsed. */
export function partialPolicyProblems(partial: PartialClaim, rules: readonly PolicyRule[], base: PolicyContext): Problem[] {
  return rules.flatMap((rule) => {
    const reads: Reads = { paths: [], whole: [] };
    let claimRead = false;
    const ctx = new Proxy(policyContext(base), {
      get(target, k, receiver) {
        if (k === 'claim') claimRead = true;
        return Reflect.get(target, k, receiver);
      },
    });
    let problems: Problem[];
    try {
      problems = rule.check(tracked(partial.spec, [], reads, new WeakMap()), ctx);
    } catch {
      // A rule that cannot run on what is left has nothing to say about it; the schema problems stand.
      return [];
    }
    return touched(reads, partial.removed) || (partial.nameUnknown && claimRead) ? [] : problems;
  });
}
