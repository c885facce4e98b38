/**
 * XReplicatedBucket: a bucket per region (versioned, SSE-KMS with a bucket key, public access
 * blocked, owner-enforced, noncurrent versions expiring), a least-privilege replication role, and
 * one replication configuration on the primary bucket with a rule per secondary: delete markers,
 * replica modifications, KMS-encrypted objects, RTC 15 minutes with metrics.
 *
 * Ordering (seed 002): S3 rejects a replication configuration until versioning is Enabled on the
 * source and every destination, and the destination key ARNs exist only after creation. So the
 * configuration is emitted only once every BucketVersioning is observed Ready and every
 * destination key ARN is observed; once emitted it is always emitted again.
 */
import { hardenedBucketParts } from './s3.js';
import { Bucket, BucketLifecycleConfiguration, BucketReplicationConfiguration } from '../../imports/s3.aws.upbound.io.js';
import { Role, RolePolicy } from '../../imports/iam.aws.upbound.io.js';
import type { ReplicatedBucketSpec } from '../api/primitives.js';
import type { ComposeContext } from './context.js';
import { policyDocument, serviceTrust } from './iam.js';
import { keyKey, kmsKey } from './kms.js';
import type { ComposeEvent, DesiredResource, ObservedView } from './types.js';

type BucketSection = ReplicatedBucketSpec['bucket'];

const byLabel = (ctx: ComposeContext, component: string, region: string) => ({
  matchControllerRef: true,
  matchLabels: ctx.selector(component, region),
});

/** Composition keys of a bucket's parts. */
const keys = (bucket: string, region: string) => ({
  bucket: `bucket-${bucket}-${region}`,
  versioning: `bucket-${bucket}-${region}-versioning`,
  replication: `bucket-${bucket}-replication`,
  role: `bucket-${bucket}-replication-role`,
  policy: `bucket-${bucket}-replication-policy`,
});

/** The bucket and its configuration resources in one region. */
function regionalBucket(ctx: ComposeContext, b: BucketSection, region: string): DesiredResource[] {
  const k = keys(b.name, region);
  const name = ctx.namer.bucket(b.name, region).value;
  const purpose = `bucket-${b.name}`;
  const component = `bucket-${b.name}`;
  const bucketRef = byLabel(ctx, component, region);
  const part = (suffix: string, manifest: DesiredResource['manifest']): DesiredResource => ({
    key: `${k.bucket}-${suffix}`,
    manifest,
    region,
  });
  const meta = (suffix: string) => ctx.metadata(`${component}-${suffix}`, region);
  const bucket = Bucket.manifest({
    metadata: ctx.metadata(component, region, name),
    spec: { forProvider: { region, forceDestroy: !ctx.production, tags: ctx.tags({ Name: name }) } },
  });
  return [
    ...kmsKey(ctx, purpose, region),
    { key: k.bucket, manifest: ctx.stateful(bucket), region },
    ...hardenedBucketParts(ctx, { region, key: k.bucket, component, bucketRef, keyPurpose: purpose }),
    part(
      'lifecycle',
      BucketLifecycleConfiguration.manifest({
        metadata: meta('lifecycle'),
        spec: {
          forProvider: {
            region,
            bucketSelector: bucketRef,
            rule: [
              {
                id: 'expire-noncurrent-versions',
                status: 'Enabled',
                filter: [{ prefix: '' }],
                noncurrentVersionExpiration: [{ noncurrentDays: b.noncurrentVersionDays }],
                abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
              },
            ],
          },
        },
      }),
    ),
  ];
}

const bucketArn = (ctx: ComposeContext, b: BucketSection, region: string) =>
  `arn:aws:s3:::${ctx.namer.bucket(b.name, region).value}`;

/** The replication role: S3 may read the source and replicate into the destinations, nothing else. */
function replicationRole(ctx: ComposeContext, b: BucketSection, keyArns: Record<string, string>): DesiredResource[] {
  const k = keys(b.name, ctx.primary);
  const roleName = ctx.namer.name('iamRole', `${b.name}-s3-replication`);
  const source = bucketArn(ctx, b, ctx.primary);
  const destinations = ctx.secondaries.map((r) => bucketArn(ctx, b, r));
  const policy = policyDocument([
    {
      Sid: 'ReadSourceConfiguration',
      Effect: 'Allow',
      Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      Resource: [source],
    },
    {
      Sid: 'ReadSourceVersions',
      Effect: 'Allow',
      Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      Resource: [`${source}/*`],
    },
    {
      Sid: 'WriteReplicas',
      Effect: 'Allow',
      Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      Resource: destinations.map((d) => `${d}/*`),
    },
    {
      Sid: 'DecryptSource',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [keyArns[ctx.primary]!],
      Condition: { StringLike: { 'kms:ViaService': `s3.${ctx.primary}.amazonaws.com` } },
    },
    ...ctx.secondaries.map((r) => ({
      Sid: `EncryptReplicas${r.replace(/-/g, '')}`,
      Effect: 'Allow' as const,
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: [keyArns[r]!],
      Condition: { StringLike: { 'kms:ViaService': `s3.${r}.amazonaws.com` } },
    })),
  ]);
  return [
    {
      key: k.role,
      manifest: Role.manifest({
        metadata: ctx.metadata(`bucket-${b.name}-replication-role`, undefined, roleName),
        spec: {
          forProvider: {
            assumeRolePolicy: serviceTrust('s3.amazonaws.com'),
            description: `S3 replication of ${b.name}`,
            tags: ctx.tags(),
          },
        },
      }),
    },
    {
      key: k.policy,
      manifest: RolePolicy.manifest({
        metadata: ctx.metadata(`bucket-${b.name}-replication-policy`, undefined, `${roleName}:replication`),
        spec: {
          forProvider: {
            policy,
            roleSelector: { matchControllerRef: true, matchLabels: ctx.selector(`bucket-${b.name}-replication-role`) },
          },
        },
      }),
    },
  ];
}

function replication(ctx: ComposeContext, b: BucketSection, keyArns: Record<string, string>): DesiredResource {
  const region = ctx.primary;
  const manifest = BucketReplicationConfiguration.manifest({
    metadata: ctx.metadata(`bucket-${b.name}-replication`, region),
    spec: {
      forProvider: {
        region,
        bucketSelector: byLabel(ctx, `bucket-${b.name}`, region),
        roleSelector: { matchControllerRef: true, matchLabels: ctx.selector(`bucket-${b.name}-replication-role`) },
        rule: ctx.secondaries.map((dest, i) => ({
          id: `to-${dest}`,
          priority: i + 1,
          status: 'Enabled',
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' }, replicaModifications: { status: 'Enabled' } },
          destination: {
            bucketSelector: byLabel(ctx, `bucket-${b.name}`, dest),
            storageClass: 'STANDARD',
            encryptionConfiguration: { replicaKmsKeyId: keyArns[dest]! },
            metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
            ...(b.replicationTimeControl ? { replicationTime: { status: 'Enabled', time: { minutes: 15 } } } : {}),
          },
        })),
      },
    },
  });
  return { key: keys(b.name, region).replication, manifest, region };
}

/** Every resource of an XReplicatedBucket, and events explaining what waits for what. */
export function composeBucket(
  ctx: ComposeContext,
  b: BucketSection,
  observed: ObservedView,
): { resources: DesiredResource[]; events: ComposeEvent[] } {
  const regional = ctx.regions.flatMap((region) => regionalBucket(ctx, b, region));
  const keyArns = Object.fromEntries(
    ctx.regions.map((r) => [r, observed.field(keyKey(`bucket-${b.name}`, r), 'status.atProvider.arn')]),
  );
  const missingArns = ctx.regions.filter((r) => keyArns[r] === undefined);
  if (missingArns.length > 0) {
    return {
      resources: regional,
      events: [{ severity: 'Normal', message: `bucket ${b.name}: waiting for KMS key ARNs in ${missingArns.join(', ')}` }],
    };
  }
  const arns = keyArns as Record<string, string>;
  const role = replicationRole(ctx, b, arns);
  const k = keys(b.name, ctx.primary);
  const versioningReady = ctx.regions.every((r) => observed.ready(keys(b.name, r).versioning));
  if (!observed.exists(k.replication) && !(versioningReady && observed.ready(k.policy))) {
    const message = `bucket ${b.name}: replication waits until versioning is enabled in every region and the replication role is ready`;
    return { resources: [...regional, ...role], events: [{ severity: 'Normal', message }] };
  }
  return { resources: [...regional, ...role, replication(ctx, b, arns)], events: [] };
}
