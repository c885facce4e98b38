/**
 * XDisasterRecovery: fans the claim out into the nested primitive composites, each carrying the
 * estate context (owner, environment, profile, regions, activeRegion, tags, objectives) and the
 * section it owns. Keys are stable per section and per table/bucket name.
 */
import { z } from 'zod';
import { API_VERSION, type DisasterRecoverySpec } from '../api/claim.js';
import type { DRNetworkSpecSchema, GlobalDatabaseSpecSchema, GlobalTableSpecSchema, ReplicatedBucketSpecSchema } from '../api/primitives.js';
import type { ComposeContext } from './context.js';
import type { DesiredResource } from './types.js';

type Input<T extends z.ZodType> = z.input<T>;

/** The fields every nested composite receives. */
function estateFields(ctx: ComposeContext, spec: DisasterRecoverySpec) {
  return {
    owner: ctx.estate.owner,
    environment: spec.environment,
    profile: spec.profile,
    regions: spec.regions,
    ...(spec.activeRegion ? { activeRegion: spec.activeRegion } : {}),
    tags: spec.tags ?? {},
    ...(spec.objectives ? { objectives: spec.objectives } : {}),
  };
}

function nested(ctx: ComposeContext, key: string, kind: string, spec: object): DesiredResource {
  return { key, manifest: { apiVersion: API_VERSION, kind, metadata: ctx.metadata(key, undefined), spec } };
}

/** The nested primitive composites of an estate. */
export function composeEstate(ctx: ComposeContext, spec: DisasterRecoverySpec): DesiredResource[] {
  const base = estateFields(ctx, spec);
  const out: DesiredResource[] = [];
  if (spec.network) {
    const s: Input<typeof DRNetworkSpecSchema> = { ...base, network: spec.network, ...(spec.database ? { databaseEngine: spec.database.engine } : {}) };
    out.push(nested(ctx, 'network', 'XDRNetwork', s));
  }
  if (spec.database) {
    const s: Input<typeof GlobalDatabaseSpecSchema> = { ...base, database: spec.database };
    out.push(nested(ctx, 'database', 'XGlobalDatabase', s));
  }
  for (const table of spec.tables ?? []) {
    const s: Input<typeof GlobalTableSpecSchema> = { ...base, table };
    out.push(nested(ctx, `table-${table.name}`, 'XGlobalTable', s));
  }
  for (const bucket of spec.buckets ?? []) {
    const s: Input<typeof ReplicatedBucketSpecSchema> = { ...base, bucket };
    out.push(nested(ctx, `bucket-${bucket.name}`, 'XReplicatedBucket', s));
  }
  return out;
}
