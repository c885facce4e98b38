/**
 * The claim's structural schema (the same OpenAPI schema the XRD carries), navigable by field path:
 * the source of descriptions, bounds and enums for schema messages, unknown-field checks and
 * `drctl explain`.
 */
import { DisasterRecoveryClaimSchema } from '../api/claim.js';
import { type OpenApiSchema, openApiSchema } from '../api/openapi.js';

/** One node of the claim schema. */
export type SchemaNode = OpenApiSchema & {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  pattern?: string;
};

/** The fields a node lists: its properties, or those of its items (a list of objects is entered by field name). */
export function fieldsOf(node: SchemaNode): Record<string, SchemaNode> | undefined {
  return node.properties ?? node.items?.properties;
}

/** A segment of a field path: an object key or an array index. */
export type PathSegment = string | number;

let cached: SchemaNode | undefined;

/** The schema of a whole DisasterRecovery document (apiVersion, kind, metadata, spec), built once. */
export function claimSchema(): SchemaNode {
  cached ??= openApiSchema(DisasterRecoveryClaimSchema) as SchemaNode;
  return cached;
}

/** The schema of map values when the node is a map (an object with an additionalProperties schema). */
export function mapValues(node: SchemaNode): SchemaNode | undefined {
  const values = node.additionalProperties;
  return typeof values === 'object' && Object.keys(values).length > 0 ? values : undefined;
}

/** True when the node accepts keys it does not declare (metadata is loose). */
export function acceptsAnyKey(node: SchemaNode): boolean {
  const values = node.additionalProperties;
  return values === true || (typeof values === 'object' && Object.keys(values).length === 0);
}

/**
 * The schema of a child: a declared property, a map value, or for arrays the item schema (an index)
 * or a field of the items (a name: spec.tables.name, as `kubectl explain` writes it).
 */
export function childSchema(node: SchemaNode, segment: PathSegment): SchemaNode | undefined {
  if (node.type === 'array') {
    if (typeof segment === 'number') return node.items;
    return node.items ? childSchema(node.items, segment) : undefined;
  }
  if (typeof segment === 'string' && node.properties && Object.hasOwn(node.properties, segment)) return node.properties[segment];
  return mapValues(node);
}

/** The schema at a path, or undefined when the path leaves the schema. */
export function schemaAt(segments: readonly PathSegment[], root: SchemaNode = claimSchema()): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of segments) {
    if (node === undefined) return undefined;
    node = childSchema(node, segment);
  }
  return node;
}

const PLAIN_KEY = /^[A-Za-z0-9_:-]+$/;

/** Segments as a field path: spec.tables[0].name; keys that are not plain are quoted (tags["a.b/c"]). */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    if (!PLAIN_KEY.test(segment)) return `${path}[${JSON.stringify(segment)}]`;
    return path === '' ? segment : `${path}.${segment}`;
  }, '');
}

/** A field path as segments: spec.tables[0].name → spec, tables, 0, name (inverse of formatPath). */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
  }
  return segments;
}

/** The type of a node as `kubectl explain` prints it: string, integer, []Object, map[string]string, Object. */
export function typeName(node: SchemaNode): string {
  if (node.type === 'array') return `[]${node.items ? typeName(node.items) : 'Object'}`;
  const values = mapValues(node);
  if (node.type === 'object' && values && !node.properties) return `map[string]${typeName(values)}`;
  if (node.type === 'object') return 'Object';
  return node.type ?? 'Object';
}
