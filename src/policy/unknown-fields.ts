/**
 * Fields the schema does not know. zod drops them silently, but the API server refuses them (strict
 * field validation) and a typo such as `databse:` would otherwise leave a whole section out of the
 * estate without a word. Keys that look like secrets get their own rule: drplane never takes one.
 */
import { type PathSegment, type SchemaNode, acceptsAnyKey, claimSchema, formatPath, mapValues } from './schema-tree.js';
import { closest } from './suggest.js';
import type { Problem } from './types.js';

const SECRET_KEY = /pass(word)?|secret|credential|token|private.?key/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every field of `document` that the claim schema does not declare, as problems. */
export function unknownFields(document: unknown, root: SchemaNode = claimSchema()): Problem[] {
  const found: Problem[] = [];
  walk(document, root, [], found);
  return found;
}

function walk(value: unknown, node: SchemaNode, segments: PathSegment[], found: Problem[]): void {
  if (node.type === 'array' && Array.isArray(value) && node.items) {
    value.forEach((item, index) => walk(item, node.items!, [...segments, index], found));
    return;
  }
  if (node.type !== 'object' || !isRecord(value) || acceptsAnyKey(node)) return;
  const declared = node.properties ?? {};
  const values = mapValues(node);
  for (const [key, child] of Object.entries(value)) {
    const childNode = Object.hasOwn(declared, key) ? declared[key] : values;
    if (childNode) walk(child, childNode, [...segments, key], found);
    else found.push(unknownField(key, Object.keys(declared), [...segments, key]));
  }
}

function unknownField(key: string, known: string[], segments: PathSegment[]): Problem {
  const path = formatPath(segments);
  if (SECRET_KEY.test(key)) {
    return {
      path,
      ruleId: 'secrets.plaintext',
      severity: 'error',
      message: `a claim never carries a ${key}: it would sit in git in plain text. drplane generates the database master password and keeps it in a Kubernetes Secret; remove ${key}`,
      fix: { path, remove: true },
    };
  }
  const guess = closest(key, known);
  const hint = guess ? `did you mean ${guess}?` : `the fields here are ${known.join(', ')}`;
  return {
    path,
    ruleId: 'schema.unknown-field',
    severity: 'error',
    message: `unknown field ${JSON.stringify(key)}: ${hint} (the API server refuses unknown fields)`,
  };
}
