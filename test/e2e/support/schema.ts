/**
 * The CRDs the API server serves, indexed by apiVersion and kind, and the defaulting it applies to custom resources.
 *
 * An object read back from the API server carries the defaults of its CRD's structural schema (for a managed
 * resource e.g. `deletionPolicy: Delete`, `managementPolicies: ['*']`, `providerConfigRef: {name: default}`). To
 * compare it with what src/compose planned, the plan is defaulted with the same schema first, so that every other
 * difference is a real one.
 */
import type { Kubectl } from './kubectl.js';

/** The parts of an OpenAPI v3 structural schema that defaulting looks at. */
export interface JsonSchema {
  readonly type?: string;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
}

/** One served kind. */
export interface ServedKind {
  readonly group: string;
  readonly kind: string;
  /** `<plural>.<group>`: the resource name kubectl takes without ambiguity. */
  readonly resource: string;
  readonly namespaced: boolean;
  /** Schema of the whole object in this version. */
  readonly schema: JsonSchema;
}

/** Served kinds by `apiVersion/kind`. */
export type CrdIndex = ReadonlyMap<string, ServedKind>;

/** Index key of an object's type. */
export const typeKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

interface CrdObject {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
  };
}

/** Reads every CRD from the API server and indexes its served versions. */
export async function loadCrdIndex(kubectl: Kubectl): Promise<CrdIndex> {
  const index = new Map<string, ServedKind>();
  for (const crd of (await kubectl.list('customresourcedefinitions.apiextensions.k8s.io')) as unknown as CrdObject[]) {
    const { group, scope, names, versions } = crd.spec;
    for (const v of versions.filter((x) => x.served)) {
      index.set(typeKey(`${group}/${v.name}`, names.kind), {
        group,
        kind: names.kind,
        resource: `${names.plural}.${group}`,
        namespaced: scope === 'Namespaced',
        schema: v.schema?.openAPIV3Schema ?? {},
      });
    }
  }
  return index;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Returns a copy of `value` with the schema's defaults filled in the way the API server does for custom resources:
 * a property absent from an object gets its `default`, then every present value is defaulted by its own schema
 * (object properties, `additionalProperties` values, array items).
 */
export function applyDefaults(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => applyDefaults(item, schema.items));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (out[name] === undefined && prop.default !== undefined) out[name] = structuredClone(prop.default);
  }
  for (const [name, v] of Object.entries(out)) {
    const prop = schema.properties?.[name] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
    out[name] = applyDefaults(v, prop);
  }
  return out;
}
