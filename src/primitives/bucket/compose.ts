/**
 * XReplicatedBucket: a bucket per region (versioned, SSE-KMS with a bucket key, public access
 * blocked, owner-enforced, noncurrent versions expiring), a least-privilege replication role, and a
 * replication configuration on every region's bucket with a rule to every other region: delete
 * markers, replica modifications, KMS-encrypted objects, RTC 15 minutes with metrics. Two-way
 * (PITFALLS, S3: bidirectional): after a failover the new active region's writes reach the old one
 * too. S3 does not replicate a replica again, so the mesh does not loop; replica modification sync
 * keeps metadata changes flowing both ways.
 *
 * Ordering (seed 002): S3 rejects a replication configuration until versioning is Enabled on the
 * source and every destination, and the destination key ARNs exist only after creation. So the
 * configuration is emitted only once every BucketVersioning is observed Ready and every
 * destination key ARN is observed; once emitted it is always emitted again.
 */
import { hardenedBucketParts } from '../../compose/s3.js';
import { Bucket, BucketLifecycleConfiguration, BucketReplicationConfiguration } from '../../../imports/s3.aws.upbound.io.js';
import { Role, RolePolicy } from '../../../imports/iam.aws.upbound.io.js';
import type { ReplicatedBucketSpec } from './schema.js';
import type { ComposeContext } from '../../compose/context.js';
import { own } from '../../compose/selector.js';
import { policyDocument, serviceTrust } from '../../compose/iam.js';
import { keyKey, kmsKey } from '../../compose/kms.js';
import { lastForProvider } from '../../compose/observed.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';

type BucketSection = ReplicatedBucketSpec['bucket'];

/**
 * Composition keys of a bucket's parts. The primary's replication configuration keeps the key it had when only the
 * primary replicated: a new key would delete and re-create it, and the delete could remove the new configuration.
 */
const keys = (ctx: ComposeContext, bucket: string, region: string) => ({
  bucket: `bucket-${bucket}-${region}`,
  versioning: `bucket-${bucket}-${region}-versioning`,
  replication: region === ctx.primary ? `bucket-${bucket}-replication` : `bucket-${bucket}-replication-${region}`,
  role: `bucket-${bucket}-replication-role`,
  policy: `bucket-${bucket}-replication-policy`,
});

/** The bucket and its configuration resources in one region. */
function regionalBucket(ctx: ComposeContext, b: BucketSection, region: string): DesiredResource[] {
  const k = keys(ctx, b.name, region);
  const name = ctx.namer.bucket(b.name, region).value;
  const purpose = `bucket-${b.name}`;
  const component = `bucket-${b.name}`;
  const bucketRef = own(ctx, component, region);
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
    ...hardenedBucketParts(ctx, { region, key: k.bucket, component, bucketRef, keyPurpose: purpose, bucketName: name }),
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
  const k = keys(ctx, b.name, ctx.primary);
  const roleName = ctx.namer.name('iamRole', `${b.name}-s3-replication`);
  // Every region's bucket is a source and a destination (two-way): the role reads from each and writes to each.
  const buckets = ctx.regions.map((r) => bucketArn(ctx, b, r));
  const policy = policyDocument([
    {
      Sid: 'ReadSourceConfiguration',
      Effect: 'Allow',
      Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      Resource: buckets,
    },
    {
      Sid: 'ReadSourceVersions',
      Effect: 'Allow',
      Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      Resource: buckets.map((a) => `${a}/*`),
    },
    {
      Sid: 'WriteReplicas',
      Effect: 'Allow',
      Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      Resource: buckets.map((a) => `${a}/*`),
    },
    ...ctx.regions.map((r) => ({
      Sid: keysSid(r),
      Effect: 'Allow' as const,
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
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
        // The bare policy name: the provider builds the id `<role>:<name>` itself (aws_iam_role_policy's external-name template).
        metadata: ctx.metadata(`bucket-${b.name}-replication-policy`, undefined, 'replication'),
        spec: {
          forProvider: {
            policy,
            roleSelector: own(ctx, `bucket-${b.name}-replication-role`),
          },
        },
      }),
    },
  ];
}

/** Sid of the replication policy's statement on the key of a region's bucket. */
const keysSid = (region: string): string => `Keys${region.replace(/-/g, '')}`;

/** The key ARN of a region's bucket in the replication policy as last composed (undefined if none). */
function lastKeyArn(observed: ObservedView, policyKey: string, region: string): string | undefined {
  const text = lastForProvider(observed, policyKey)?.policy;
  if (typeof text !== 'string') return undefined;
  try {
    const statements = (JSON.parse(text) as { Statement?: { Sid?: string; Resource?: unknown }[] }).Statement ?? [];
    const resource = statements.find((st) => st.Sid === keysSid(region))?.Resource;
    const first = Array.isArray(resource) ? resource[0] : resource;
    return typeof first === 'string' ? first : undefined;
  } catch {
    return undefined;
  }
}

/** The replication configuration of one region's bucket: a rule to every other region. */
function replication(ctx: ComposeContext, b: BucketSection, keyArns: Record<string, string>, region: string): DesiredResource {
  const manifest = BucketReplicationConfiguration.manifest({
    metadata: ctx.metadata(`bucket-${b.name}-replication`, region),
    spec: {
      forProvider: {
        region,
        bucketSelector: own(ctx, `bucket-${b.name}`, region),
        roleSelector: own(ctx, `bucket-${b.name}-replication-role`),
        rule: ctx.regions
          .filter((dest) => dest !== region)
          .map((dest, i) => ({
            id: `to-${dest}`,
            priority: i + 1,
            status: 'Enabled',
            filter: { prefix: '' },
            deleteMarkerReplication: { status: 'Enabled' },
            sourceSelectionCriteria: {
              sseKmsEncryptedObjects: { status: 'Enabled' },
              replicaModifications: { status: 'Enabled' },
            },
            destination: {
              bucketSelector: own(ctx, `bucket-${b.name}`, dest),
              storageClass: 'STANDARD',
              encryptionConfiguration: { replicaKmsKeyId: keyArns[dest]! },
              metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
              ...(b.replicationTimeControl ? { replicationTime: { status: 'Enabled', time: { minutes: 15 } } } : {}),
            },
          })),
      },
    },
  });
  return { key: keys(ctx, b.name, region).replication, manifest, region };
}

/** Every resource of an XReplicatedBucket, and events explaining what waits for what. */
export function composeBucket(
  ctx: ComposeContext,
  b: BucketSection,
  observed: ObservedView,
): { resources: DesiredResource[]; events: ComposeEvent[] } {
  const regional = ctx.regions.flatMap((region) => regionalBucket(ctx, b, region));
  const k = keys(ctx, b.name, ctx.primary);
  // Observed, or (a lost status) the ARN the replication policy was last composed with: once composed, the role, its
  // policy and the replication configurations never leave the desired state for a missing observation.
  const keyArns = Object.fromEntries(
    ctx.regions.map((r) => [
      r,
      observed.field(keyKey(`bucket-${b.name}`, r), 'status.atProvider.arn') ?? lastKeyArn(observed, k.policy, r),
    ]),
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
  const versioningReady = ctx.regions.every((r) => observed.ready(keys(ctx, b.name, r).versioning));
  // Once any configuration exists, all are emitted again (never dropped on a transient observation).
  const emitted = ctx.regions.some((r) => observed.exists(keys(ctx, b.name, r).replication));
  if (!emitted && !(versioningReady && observed.ready(k.policy))) {
    const message = `bucket ${b.name}: replication waits until versioning is enabled in every region and the replication role is ready`;
    return { resources: [...regional, ...role], events: [{ severity: 'Normal', message }] };
  }
  return { resources: [...regional, ...role, ...ctx.regions.map((r) => replication(ctx, b, arns, r))], events: [] };
}
