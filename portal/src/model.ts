/** The claim being edited, as a plain object addressed by field paths (spec.tables[0].name). */
import type { SchemaNode } from './api.js';

/** A path segment: a key or an array index. */
export type Segment = string | number;

/** Segments as a path, as src/policy writes problem paths. */
export function formatPath(segments: readonly Segment[]): string {
  return segments.reduce<string>((path, s) => {
    if (typeof s === 'number') return `${path}[${s}]`;
    if (!/^[A-Za-z0-9_-]+$/.test(s)) return `${path}[${JSON.stringify(s)}]`;
    return path === '' ? s : `${path}.${s}`;
  }, '');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `segments`, or undefined. */
export function getAt(root: unknown, segments: readonly Segment[]): unknown {
  let v: unknown = root;
  for (const s of segments) {
    if (Array.isArray(v) && typeof s === 'number') v = v[s];
    else if (isObj(v) && typeof s === 'string') v = v[s];
    else return undefined;
  }
  return v;
}

/** A copy of `root` with the value at `segments` set (undefined deletes it); creates objects on the way. */
export function setAt<T>(root: T, segments: readonly Segment[], value: unknown): T {
  if (segments.length === 0) return value as T;
  const [head, ...rest] = segments as [Segment, ...Segment[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy as T;
  }
  const copy: Obj = isObj(root) ? { ...root } : {};
  const next = setAt(copy[head as string], rest, value);
  if (next === undefined) delete copy[head as string];
  else copy[head as string] = next;
  return copy as T;
}

/** The defaults of a node: declared defaults, and required objects and arrays filled in. */
export function defaultsOf(node: SchemaNode): unknown {
  if (node.default !== undefined) return structuredClone(node.default);
  if (node.type === 'array') return [];
  if (node.type !== 'object' || !node.properties) return undefined;
  const out: Obj = {};
  for (const [key, child] of Object.entries(node.properties)) {
    const required = node.required?.includes(key) ?? false;
    const value = child.default !== undefined || required ? defaultsOf(child) : undefined;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The map-value schema of a node, when it is a map. */
export function mapValues(node: SchemaNode): SchemaNode | undefined {
  const v = node.additionalProperties;
  return typeof v === 'object' && Object.keys(v).length > 0 ? v : undefined;
}

/** A readable label from a key: rpoSeconds → RPO seconds, alertEmails → Alert emails. */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const fixed = words.replace(/\b(rpo|rto|kms|ttl|ttl|cidrs?|mb|gb|id|url|api|http|dns)\b/g, (w) =>
    w === 'cidrs' ? 'CIDRs' : w.toUpperCase(),
  );
  return fixed.charAt(0).toUpperCase() + fixed.slice(1);
}

/** The claim a new form starts with: schema defaults, regions to pick. */
export function newClaim(schema: SchemaNode): Obj {
  const spec = schema.properties?.spec;
  const base = spec ? (defaultsOf(spec) as Obj) : {};
  return {
    apiVersion: 'drplane.io/v1alpha1',
    kind: 'DisasterRecovery',
    metadata: { name: '', namespace: 'default' },
    spec: { environment: '', ...base, regions: { primary: '', secondaries: [] } },
  };
}

/** The claim without empty strings (a cleared field is an absent field). */
export function pruned(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruned);
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === '' || v === undefined) continue;
    out[k] = pruned(v);
  }
  return out;
}
