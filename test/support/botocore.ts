/**
 * botocore's service models, as the AWS API constraint checks read them: moto installs botocore into
 * `.venv`, whose `botocore/data/<service>/<date>/service-2.json(.gz)` describe every operation's input
 * shapes (pattern, min and max length, enum). Found programmatically; a missing model fails loudly.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoPath } from './paths.js';

/** The constraints of one string, list or map shape. */
export interface ShapeConstraints {
  /** The shape's name in the model. */
  readonly shape: string;
  readonly type: string;
  readonly min?: number;
  readonly max?: number;
  /** A Java regular expression that the whole value must match. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

interface Shape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  value?: { shape: string };
}
interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

/** Folder of botocore's data in the repository's virtualenv; throws when there is none. */
export function botocoreDataDir(): string {
  const lib = repoPath('.venv', 'lib');
  const pythons = existsSync(lib) ? readdirSync(lib).filter((d) => /^python3/.test(d)) : [];
  const found = pythons.map((p) => join(lib, p, 'site-packages', 'botocore', 'data')).filter((d) => existsSync(d));
  if (found.length === 0)
    throw new Error(
      `botocore not found under ${lib}/python3*/site-packages: run \`pip install -r test/requirements.txt\` into .venv`,
    );
  return found.sort().at(-1)!;
}

const models = new Map<string, Model>();

/** The newest service model of `service` (botocore's folder name, e.g. `logs`). */
export function serviceModel(service: string): Model {
  const cached = models.get(service);
  if (cached) return cached;
  const dir = join(botocoreDataDir(), service);
  if (!existsSync(dir)) throw new Error(`botocore has no service "${service}" in ${dir}`);
  for (const version of readdirSync(dir).sort().reverse()) {
    for (const file of ['service-2.json', 'service-2.json.gz']) {
      const path = join(dir, version, file);
      if (!existsSync(path)) continue;
      const raw = readFileSync(path);
      const model = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Model;
      models.set(service, model);
      return model;
    }
  }
  throw new Error(`botocore has no service-2.json(.gz) for "${service}" in ${dir}`);
}

const constraintsOf = (name: string, s: Shape): ShapeConstraints => ({
  shape: name,
  type: s.type,
  ...(s.min !== undefined ? { min: s.min } : {}),
  ...(s.max !== undefined ? { max: s.max } : {}),
  ...(s.pattern !== undefined ? { pattern: s.pattern } : {}),
  ...(s.enum !== undefined ? { enum: s.enum } : {}),
});

/** A named shape of a service (`dynamodb`, `TableName`). */
export function shape(service: string, name: string): ShapeConstraints {
  const s = serviceModel(service).shapes[name];
  if (!s) throw new Error(`botocore ${service} has no shape ${name}`);
  return constraintsOf(name, s);
}

/**
 * The shape an operation's parameter has: `Operation.Member(.Member|[])*`, where `[]` steps into a list's
 * member or a map's value (`PutTargets.Targets[].Id`). Throws on an unknown operation or member.
 */
export function parameter(service: string, path: string): ShapeConstraints {
  const model = serviceModel(service);
  const [operation, ...steps] = path.replace(/\[\]/g, '.[]').split('.');
  const input = model.operations[operation!]?.input?.shape;
  if (!input) throw new Error(`botocore ${service} has no operation ${operation} with input`);
  let name = input;
  for (const step of steps) {
    const s = model.shapes[name]!;
    const next = step === '[]' ? (s.member ?? s.value)?.shape : s.members?.[step]?.shape;
    if (!next) throw new Error(`botocore ${service} ${path}: ${name} has no ${step}`);
    name = next;
  }
  return constraintsOf(name, model.shapes[name]!);
}

/** A botocore (Java) pattern as a JavaScript RegExp that must match the whole value. */
export function wholeMatch(pattern: string): RegExp {
  // Anchors in either spelling: ^ … $, or \A … \z (Java's, in route53-recovery-readiness), which JavaScript lacks.
  const body = pattern.replace(/^(\^|\\A)/, '').replace(/(\$|\\[zZ])$/, '');
  try {
    return new RegExp(`^(?:${body})$`, 'u');
  } catch {
    return new RegExp(`^(?:${body})$`);
  }
}

/** How `value` breaks `c` (length, pattern, enum); [] when it conforms. */
export function violations(value: string, c: ShapeConstraints): string[] {
  const out: string[] = [];
  if (c.min !== undefined && value.length < c.min) out.push(`shorter than ${c.min}`);
  if (c.max !== undefined && value.length > c.max) out.push(`longer than ${c.max} (${value.length})`);
  if (c.pattern !== undefined && !wholeMatch(c.pattern).test(value)) out.push(`does not match ${c.pattern}`);
  if (c.enum !== undefined && !c.enum.includes(value)) out.push(`not one of ${c.enum.join(', ')}`);
  return out;
}
