/**
 * The registry of drplane's primitives: each one's compose module, estate fan-out, cost lines and policy rules, by
 * composite kind. Typed over the kinds of kinds.ts, so a primitive listed there and missing here (or missing a piece)
 * is a compile error. The estate, the function's composers, the cost model and the policy rules all map over it; its
 * order is the estate's (kinds.ts).
 */
import { PRIMITIVE_APIS, type PrimitiveKind } from './kinds.js';
import type { ManagedRef, Primitive, StatusLine } from './types.js';
import { backup } from './backup/index.js';
import { bucket } from './bucket/index.js';
import { database } from './database/index.js';
import { failover } from './failover/index.js';
import { kubernetes } from './kubernetes/index.js';
import { monitoring } from './monitoring/index.js';
import { network } from './network/index.js';
import { routing } from './routing/index.js';
import { service } from './service/index.js';
import { table } from './table/index.js';

/** Every primitive by composite kind. */
export const PRIMITIVES: { readonly [K in PrimitiveKind]: Primitive<K> } = {
  XDRNetwork: network,
  XGlobalDatabase: database,
  XGlobalTable: table,
  XReplicatedBucket: bucket,
  XRegionalService: service,
  XRegionalCluster: kubernetes,
  XFailoverRouting: routing,
  XDRMonitoring: monitoring,
  XDRBackup: backup,
  XFailoverController: failover,
};

/** The primitives' kinds in the estate's order (that of kinds.ts, not of the object above). */
export const PRIMITIVE_KINDS = Object.keys(PRIMITIVE_APIS) as PrimitiveKind[];

/** Calls `f` with every primitive, kind and entry typed together, in the estate's order. */
export function eachPrimitive<T>(f: <K extends PrimitiveKind>(kind: K, primitive: Primitive<K>) => T): T[] {
  return PRIMITIVE_KINDS.map((kind) => f(kind, PRIMITIVES[kind] as Primitive<typeof kind>));
}

/** Every primitive's lines for one region of the claim's status (status.regions.<region>), in the estate's order. */
export function regionStatusLines(region: string, regionStatus: Readonly<Record<string, unknown>>): StatusLine[] {
  return eachPrimitive((_, p) => p.status?.lines?.(region, regionStatus) ?? []).flat();
}

/** What the primitive a managed resource belongs to says under it in `drctl status`, if anything. */
export function resourceLine(ref: ManagedRef, atProvider: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return eachPrimitive((_, p) => p.status?.resourceLine?.(ref, atProvider)).find((line) => line !== undefined);
}
