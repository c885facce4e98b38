/**
 * The one list of drplane's primitives, by composite kind, in the order the estate composes them: each entry is the
 * primitive's API (kind, plural, short names, spec and status schema) from its folder. Everything else that varies by
 * primitive is typed over these keys (src/primitives/registry.ts), so a primitive listed here without its compose
 * module, cost, rules or fan-out does not compile. A leaf of the API: schemas only, no compose code.
 */
import { api as backup } from './backup/schema.js';
import { api as bucket } from './bucket/schema.js';
import { api as database } from './database/schema.js';
import { api as failover } from './failover/schema.js';
import { api as kubernetes } from './kubernetes/schema.js';
import { api as monitoring } from './monitoring/schema.js';
import { api as network } from './network/schema.js';
import { api as routing } from './routing/schema.js';
import { api as service } from './service/schema.js';
import { api as table } from './table/schema.js';

/** Every primitive's API by its composite kind, in the estate's order. */
export const PRIMITIVE_APIS = {
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
} as const;

/** Composite kind of a primitive. */
export type PrimitiveKind = keyof typeof PRIMITIVE_APIS;
