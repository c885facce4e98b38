/**
 * Converts a zod schema into a Kubernetes structural OpenAPI v3 schema for an XRD: JSON Schema
 * from zod, then only the keywords the API server accepts, in a stable key order.
 */
import { z } from 'zod';

/** A node of an OpenAPI v3 schema as Kubernetes accepts it. */
export type OpenApiSchema = { [key: string]: unknown };

const KEPT = [
  'type',
  'description',
  'default',
  'enum',
  'format',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'maxProperties',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-validations',
  'x-kubernetes-preserve-unknown-fields',
] as const;

function unionOfConstants(node: OpenApiSchema): OpenApiSchema | undefined {
  const options = node.anyOf as OpenApiSchema[] | undefined;
  if (!options || !options.every((o) => 'const' in o)) return undefined;
  const values = options.map((o) => o.const);
  const { anyOf: _anyOf, ...rest } = node;
  return { ...rest, type: typeof values[0] === 'number' ? 'integer' : 'string', enum: node.enum ?? values };
}

function convert(input: OpenApiSchema): OpenApiSchema {
  const node = unionOfConstants(input) ?? input;
  if ('anyOf' in node || 'oneOf' in node || 'allOf' in node) {
    throw new Error(`schema uses a union Kubernetes cannot express: ${JSON.stringify(node).slice(0, 200)}`);
  }
  const out: OpenApiSchema = {};
  if ('const' in node) out.enum = [node.const];
  for (const key of KEPT) {
    const value = node[key];
    if (value === undefined || (key === 'format' && value !== 'int64' && value !== 'date-time')) continue;
    if (key === 'properties') {
      const props = value as Record<string, OpenApiSchema>;
      out.properties = Object.fromEntries(Object.keys(props).map((k) => [k, convert(props[k]!)]));
    } else if (key === 'items') {
      out.items = convert(value as OpenApiSchema);
    } else if (key === 'additionalProperties') {
      if (typeof value === 'object') out.additionalProperties = convert(value as OpenApiSchema);
    } else if (key === 'required') {
      const defaulted = new Set(
        Object.entries((node.properties ?? {}) as Record<string, OpenApiSchema>)
          .filter(([, p]) => 'default' in p)
          .map(([k]) => k),
      );
      const required = (value as string[]).filter((k) => !defaulted.has(k));
      if (required.length > 0) out.required = required;
    } else if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) >= Number.MAX_SAFE_INTEGER) {
      continue;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The structural OpenAPI v3 schema of a zod schema, as the input a user writes (defaults optional). */
export function openApiSchema(schema: z.ZodType): OpenApiSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw', reused: 'inline' }) as OpenApiSchema;
  return convert(json);
}
