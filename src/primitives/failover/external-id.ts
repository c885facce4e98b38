/**
 * The external ID in Secrets Manager: a secret in the primary region, replicated to every secondary and encrypted with
 * the failover key of each region, whose value a SecretVersion takes from the composite's connection secret.
 */
import { Secret, SecretVersion } from '../../../imports/secretsmanager.aws.upbound.io.js';
import type { ComposeContext } from '../../compose/context.js';
import { aliasName, keyKey, keySelector } from '../../compose/kms.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { EXTERNAL_ID_KEY, FAILOVER, connectionSecretOf, externalIdSecretName } from './names.js';

/** The secret and its version, once every region's failover key is Ready (or once the secret exists). */
export function externalIdSecret(ctx: ComposeContext, observed: ObservedView): DesiredResource[] {
  const primary = ctx.primary;
  const keysReady = ctx.regions.every((r) => observed.ready(keyKey(FAILOVER, r)));
  if (!keysReady && !observed.exists('failover-external-id')) return [];
  return [
    {
      key: 'failover-external-id',
      region: primary,
      manifest: Secret.manifest({
        metadata: ctx.metadata('failover-external-id', primary),
        spec: {
          forProvider: {
            region: primary,
            name: externalIdSecretName(ctx),
            description: 'External ID with which the drplane failover orchestrator assumes the DR-operations role',
            kmsKeyIdSelector: keySelector(ctx, FAILOVER, primary),
            recoveryWindowInDays: ctx.production ? 7 : 0,
            replica: ctx.secondaries.map((region) => ({ region, kmsKeyId: aliasName(ctx, FAILOVER, region) })),
            tags: ctx.tags(),
          },
        },
      }),
    },
    {
      key: 'failover-external-id-version',
      region: primary,
      manifest: SecretVersion.manifest({
        metadata: ctx.metadata('failover-external-id-version', primary),
        spec: {
          forProvider: {
            region: primary,
            secretIdSelector: own(ctx, 'failover-external-id', primary),
            secretStringSecretRef: { ...connectionSecretOf(ctx), key: EXTERNAL_ID_KEY },
          },
        },
      }),
    },
  ];
}
