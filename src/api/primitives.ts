/**
 * The DR primitives: one composite kind each, composed by the XDisasterRecovery composition from the claim. Each
 * primitive's spec (the estate context plus the claim section it owns) lives in its folder,
 * `src/primitives/<name>/schema.ts`, listed once in `src/primitives/kinds.ts`; this module re-exports them so the
 * XRDs, drctl and the portal derive from the API as before.
 */
import { DisasterRecoverySpecSchema, DisasterRecoveryStatusSchema } from './claim.js';
import type { CompositeKind } from './estate.js';
import { PRIMITIVE_APIS } from '../primitives/kinds.js';

export { PrimitiveStatusSchema, type CompositeKind, type EstateContext, type PrimitiveApi } from './estate.js';
export { PRIMITIVE_APIS, type PrimitiveKind } from '../primitives/kinds.js';
export { DRNetworkSpecSchema, type DRNetworkSpec } from '../primitives/network/schema.js';
export { GlobalDatabaseSpecSchema, type GlobalDatabaseSpec } from '../primitives/database/schema.js';
export { GlobalTableSpecSchema, type GlobalTableSpec } from '../primitives/table/schema.js';
export { ReplicatedBucketSpecSchema, type ReplicatedBucketSpec } from '../primitives/bucket/schema.js';
export { RegionalServiceSpecSchema, type RegionalServiceSpec } from '../primitives/service/schema.js';
export { FailoverRoutingSpecSchema, type FailoverRoutingSpec } from '../primitives/routing/schema.js';
export { DRMonitoringSpecSchema, type DRMonitoringSpec } from '../primitives/monitoring/schema.js';
export { DRBackupSpecSchema, type DRBackupSpec } from '../primitives/backup/schema.js';
export { FailoverControllerSpecSchema, type FailoverControllerSpec } from '../primitives/failover/schema.js';

/** Every composite kind drplane defines, the estate first, then the primitives in the estate's order. */
export const COMPOSITE_KINDS: readonly CompositeKind[] = [
  {
    kind: 'XDisasterRecovery',
    plural: 'xdisasterrecoveries',
    claimKind: 'DisasterRecovery',
    shortNames: ['xdr'],
    spec: DisasterRecoverySpecSchema,
    status: DisasterRecoveryStatusSchema,
  },
  ...Object.values(PRIMITIVE_APIS),
];
