/** XFailoverController's names and keys: its purpose, the external ID's homes, the operations role and the Invocations. */
import { createHash } from 'node:crypto';
import type { ComposeContext } from '../../compose/context.js';
import { secretNamespace } from '../database/compose.js';

/** Purpose of the orchestrator's resources. */
export const FAILOVER = 'failover';
/** Key of the external ID in the composite's connection secret. */
export const EXTERNAL_ID_KEY = 'externalId';
/** Composition key of the DR-operations role. */
export const OPERATIONS_ROLE = 'failover-operations-role';

/** The Kubernetes Secret that receives this composite's connection details (the estate sets it as writeConnectionSecretToRef). */
export const connectionSecretOf = (ctx: ComposeContext) => ({
  name: ctx.namer.name('generic', 'failover-external-id'),
  namespace: secretNamespace(ctx),
});

/**
 * Name of the SecureString parameter holding the external ID, the same in every region (each region has its own):
 * under the estate's own path, which the provider's IAM scope and the orchestrator's grant are written for.
 */
export const externalIdParameter = (ctx: ComposeContext): string => `/drplane/${ctx.namer.estateId}/failover/external-id`;

/** The external ID of a composite with this UID. */
export const externalIdOf = (uid: string): string =>
  createHash('sha256').update(`drplane/failover/external-id/${uid}`).digest('hex');

/** The Invocation key of a region. */
export const invocationKey = (region: string): string => `failover-invocation-${region}`;

/** AWS name of the DR-operations role. */
export const operationsRoleName = (ctx: ComposeContext) => ctx.namer.name('iamRole', 'dr-operations');
/** AWS name of a region's orchestrator execution role. */
export const orchestratorRoleName = (ctx: ComposeContext, region: string) => ctx.namer.name('iamRole', FAILOVER, region);
