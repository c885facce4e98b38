/** The configuration every drplane bucket carries, whatever it holds. */
import {
  BucketOwnershipControls,
  BucketPolicy,
  BucketPublicAccessBlock,
  BucketServerSideEncryptionConfiguration,
  BucketVersioning,
} from '../../imports/s3.aws.upbound.io.js';
import type { ComposeContext } from './context.js';
import type { OwnSelector } from './selector.js';
import { policyDocument } from './iam.js';
import { keySelector } from './kms.js';
import type { DesiredResource } from './types.js';

/** Where a bucket's parts go and what they select. */
export interface BucketParts {
  readonly region: string;
  /** Composition key of the bucket; each part's key is `<key>-<part>`. */
  readonly key: string;
  /** Component label of the bucket; each part's is `<component>-<part>`. */
  readonly component: string;
  /** Selector of the bucket the parts configure. */
  readonly bucketRef: OwnSelector;
  /** Purpose of the KMS key that encrypts the bucket. */
  readonly keyPurpose: string;
  /** The bucket's AWS name (deterministic), for the policy that names it. */
  readonly bucketName: string;
}

/** A bucket policy that refuses every request not made over TLS (aws:SecureTransport), whoever makes it. */
export function tlsOnlyPolicy(bucketName: string): string {
  const arn = `arn:aws:s3:::${bucketName}`;
  return policyDocument([
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:*'],
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

/**
 * Versioning, SSE-KMS with a bucket key, every public access blocked, bucket-owner-enforced ownership, and a policy
 * that refuses requests without TLS.
 */
export function hardenedBucketParts(ctx: ComposeContext, b: BucketParts): DesiredResource[] {
  const { region, bucketRef } = b;
  const part = (suffix: string, manifest: DesiredResource['manifest']): DesiredResource => ({
    key: `${b.key}-${suffix}`,
    manifest,
    region,
  });
  const meta = (suffix: string) => ctx.metadata(`${b.component}-${suffix}`, region);
  return [
    part(
      'versioning',
      BucketVersioning.manifest({
        metadata: meta('versioning'),
        spec: { forProvider: { region, bucketSelector: bucketRef, versioningConfiguration: { status: 'Enabled' } } },
      }),
    ),
    part(
      'encryption',
      BucketServerSideEncryptionConfiguration.manifest({
        metadata: meta('encryption'),
        spec: {
          forProvider: {
            region,
            bucketSelector: bucketRef,
            rule: [
              {
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: 'aws:kms',
                  kmsMasterKeyIdSelector: keySelector(ctx, b.keyPurpose, region),
                },
                bucketKeyEnabled: true,
              },
            ],
          },
        },
      }),
    ),
    part(
      'public-access-block',
      BucketPublicAccessBlock.manifest({
        metadata: meta('public-access-block'),
        spec: {
          forProvider: {
            region,
            bucketSelector: bucketRef,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          },
        },
      }),
    ),
    part(
      'ownership',
      BucketOwnershipControls.manifest({
        metadata: meta('ownership'),
        spec: { forProvider: { region, bucketSelector: bucketRef, rule: { objectOwnership: 'BucketOwnerEnforced' } } },
      }),
    ),
    part(
      'tls-only',
      BucketPolicy.manifest({
        metadata: meta('tls-only'),
        spec: { forProvider: { region, bucketSelector: bucketRef, policy: tlsOnlyPolicy(b.bucketName) } },
      }),
    ),
  ];
}
