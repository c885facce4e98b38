/**
 * Typed contracts between primitives. Each primitive declares what it publishes in its status (`outputs` of its api,
 * src/primitives/<name>/schema.ts) and what it is passed in its spec; the estate reads another primitive's values
 * only through these readers, by field names the compiler checks against that primitive's declaration, never by a
 * string path.
 */
import type { z } from 'zod';
import { PRIMITIVE_APIS, type PrimitiveKind } from '../primitives/kinds.js';
import { PRIMITIVES } from '../primitives/registry.js';
import type { SpecSchemaOf } from '../primitives/types.js';
import type { ObservedView } from './types.js';

/** A per-region output of a kind. */
export type RegionOutputOf<K extends PrimitiveKind> = (typeof PRIMITIVE_APIS)[K]['outputs']['regions'][number];
/** A composite-wide output of a kind. */
export type CompositeOutputOf<K extends PrimitiveKind> = (typeof PRIMITIVE_APIS)[K]['outputs']['composite'][number];
/** A spec field of a kind that holds one value per region (values the estate passes it from other primitives). */
export type PerRegionInputOf<K extends PrimitiveKind> = {
  [F in keyof z.output<SpecSchemaOf<K>>]-?: NonNullable<z.output<SpecSchemaOf<K>>[F]> extends Record<string, string> ? F : never;
}[keyof z.output<SpecSchemaOf<K>>] &
  string;
/** A spec field of a kind that holds one text value. */
export type TextInputOf<K extends PrimitiveKind> = {
  [F in keyof z.output<SpecSchemaOf<K>>]-?: NonNullable<z.output<SpecSchemaOf<K>>[F]> extends string ? F : never;
}[keyof z.output<SpecSchemaOf<K>>] &
  string;

/** What one nested composite of a kind published and was passed, as Crossplane observed it. */
export interface Observed<K extends PrimitiveKind> {
  /** A per-region output, once published. */
  output(region: string, field: RegionOutputOf<K>): string | undefined;
  /** A per-region output that is an object (a group of values, such as a node group's counts), once published. */
  group(region: string, field: RegionOutputOf<K>): Readonly<Record<string, unknown>> | undefined;
  /** A composite-wide text output, once published. */
  composite(field: CompositeOutputOf<K>): string | undefined;
  /** True when a composite-wide boolean output is true. */
  flag(field: CompositeOutputOf<K>): boolean;
  /** True once it has published any per-region output (its `status.regions` exists). */
  readonly published: boolean;
  /** A per-region value the estate passed it in its spec before. */
  passed(field: PerRegionInputOf<K>, region: string): string | undefined;
  /** A text value the estate passed it in its spec before. */
  passedText(field: TextInputOf<K>): string | undefined;
}

/** The observed outputs and inputs of the nested composite of `kind` (by default its registry key). */
export function observedComposite<K extends PrimitiveKind>(
  observed: ObservedView,
  kind: K,
  key: string = PRIMITIVES[kind].key,
): Observed<K> {
  return {
    output: (region, field) => observed.field(key, `status.regions.${region}.${field}`),
    group: (region, field) => {
      const value = observed.read(key, `status.regions.${region}.${field}`);
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    },
    composite: (field) => observed.field(key, `status.${field}`),
    flag: (field) => observed.flag(key, ['status', field]),
    get published() {
      return observed.read(key, 'status.regions') !== undefined;
    },
    passed: (field, region) => observed.field(key, `spec.${field}.${region}`),
    passedText: (field) => observed.field(key, `spec.${field}`),
  };
}

/** True when the nested composite `key` reports every resource of `region` ready (every primitive publishes it). */
export const readyIn = (observed: ObservedView, key: string, region: string): boolean =>
  observed.flag(key, ['status', 'regions', region, 'ready']);
