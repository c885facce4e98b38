/**
 * The external ID in SSM Parameter Store: one SecureString parameter per region, encrypted with that region's
 * failover key and read by that region's orchestrator, whose value the provider takes from the composite's
 * connection secret. Parameters are regional (no replication), so each region holds its own copy: an orchestrator
 * never reads across regions, and the loss of one region leaves the others able to assume the operations role.
 */
import { Parameter } from '../../../imports/ssm.aws.upbound.io.js';
import { observedArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { keyKey } from '../../compose/kms.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { EXTERNAL_ID_KEY, FAILOVER, connectionSecretOf, externalIdParameter } from './names.js';

/** Composition key of a region's external-ID parameter. */
export const externalIdKey = (region: string): string => `failover-external-id-${region}`;

/**
 * A region's parameter, once its failover key's ARN is observed (SSM takes a key id, not a reference; the ARN pins
 * the key, where an alias could be repointed). Standard tier: the value is 64 hex characters, and standard
 * parameters carry no charge.
 */
function externalIdParameterIn(ctx: ComposeContext, region: string, keyArn: string): DesiredResource {
  const name = externalIdParameter(ctx);
  return {
    key: externalIdKey(region),
    region,
    manifest: Parameter.manifest({
      metadata: ctx.metadata('failover-external-id', region, name),
      spec: {
        forProvider: {
          region,
          type: 'SecureString',
          tier: 'Standard',
          keyId: keyArn,
          description: 'External ID with which the drplane failover orchestrator assumes the DR-operations role',
          valueSecretRef: { ...connectionSecretOf(ctx), key: EXTERNAL_ID_KEY },
          tags: ctx.tags(),
        },
      },
    }),
  };
}

/** A KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not a key id or an alias. */
const isKeyArn = (v: string | undefined): v is string => v !== undefined && /^arn:aws[\w-]*:kms:[^:]+:\d{12}:key\/.+$/.test(v);

/**
 * The parameter of every region whose failover key is observed (a region's comes once its key exists). A parameter
 * that exists keeps its key when the key's status is lost (a control-plane restore): dropping it would delete it in
 * AWS, and the region's orchestrator could not assume the operations role until it came back. It keeps the key ARN it
 * was composed with (its own spec.forProvider.keyId), the form the grants and every other composed reference use, and
 * otherwise takes a key ARN from status.atProvider.keyId (DescribeParameters' KeyId). That KeyId is the key id in the
 * form it was put with: moto 5.2.5 echoes a key ARN unchanged (test/lambda/moto-ssm-key-id.test.ts), and
 * terraform-provider-aws's acceptance test TestAccSSMParameter_Secure_key expects key_id "alias/…" back as given (its
 * Read sets key_id from DescribeParameters with no diff suppression, so another form would be a diff at every
 * observation). Not checked against AWS itself; were another form ever seen, keyId would belong in initProvider.
 */
export function externalIdParameters(ctx: ComposeContext, observed: ObservedView): DesiredResource[] {
  return ctx.regions.flatMap((region) => {
    const key = externalIdKey(region);
    const keyArn =
      observedArn(observed, keyKey(FAILOVER, region)) ??
      [observed.field(key, 'spec.forProvider.keyId'), observed.field(key, 'status.atProvider.keyId')].find(isKeyArn);
    return keyArn === undefined ? [] : [externalIdParameterIn(ctx, region, keyArn)];
  });
}
