import { describe, expect, it } from 'vitest';
import { liveView } from '../../src/compose/observed.js';
import { FULL_SPEC, composeLive, externalName, fp, labels, managed, nestedOf, observedView, plan } from './helpers.js';

/** The replicated bucket's resources (the estate also has Lambda artifacts buckets). */
const resources = managed(plan(FULL_SPEC)).filter((m) =>
  /^(kms-)?bucket-documents/.test(labels(m)['drplane.io/component'] ?? ''),
);
const bucketXr = nestedOf(FULL_SPEC, 'XReplicatedBucket');
const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
const arn = (r: string) => `arn:aws:kms:${r}:111122223333:key/0000-${r}`;
const keysKnown = Object.fromEntries(regions.map((r) => [`kms-bucket-documents-${r}`, { ready: true, arn: arn(r) }]));
const versioningReady = Object.fromEntries(regions.map((r) => [`bucket-documents-${r}-versioning`, { ready: true }]));

describe('XReplicatedBucket', () => {
  it('makes a bucket per region with globally unique DNS-safe names', () => {
    const buckets = resources.filter((m) => m.kind === 'Bucket');
    expect(buckets.map((b) => fp(b).region).sort()).toEqual([...regions].sort());
    for (const b of buckets) {
      expect(externalName(b)).toMatch(/^payments-documents-prod-[a-z0-9]+-e[0-9a-f]{7}$/);
      expect(externalName(b)!.length).toBeLessThanOrEqual(63);
    }
  });

  it('versions, encrypts with the region key, blocks public access and enforces bucket ownership in every region', () => {
    for (const region of regions) {
      const of = (kind: string) => resources.find((m) => m.kind === kind && fp(m).region === region);
      expect(fp(of('BucketVersioning')!).versioningConfiguration).toEqual({ status: 'Enabled' });
      const sse = fp(of('BucketServerSideEncryptionConfiguration')!).rule[0];
      expect(sse.applyServerSideEncryptionByDefault.sseAlgorithm).toBe('aws:kms');
      expect(sse.applyServerSideEncryptionByDefault.kmsMasterKeyIdSelector.matchLabels['drplane.io/region']).toBe(region);
      expect(fp(of('BucketPublicAccessBlock')!)).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(fp(of('BucketOwnershipControls')!).rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
    }
  });

  it('replicates every region to every other (two-way) with delete markers, replica modifications, RTC 15 minutes and metrics', () => {
    const configs = resources.filter((m) => m.kind === 'BucketReplicationConfiguration');
    expect(configs.map((c) => fp(c).region).sort()).toEqual([...regions].sort());
    for (const config of configs) {
      const source = fp(config).region as string;
      expect(fp(config).bucketSelector.matchLabels['drplane.io/region']).toBe(source);
      const destinations = fp(config).rule.map((r: any) => r.destination.bucketSelector.matchLabels['drplane.io/region']);
      expect(destinations.sort()).toEqual(regions.filter((r) => r !== source).sort());
      expect(fp(config).rule.map((r: any) => r.id)).toEqual(regions.filter((r) => r !== source).map((r) => `to-${r}`));
      for (const rule of fp(config).rule) {
        expect(rule).toMatchObject({
          status: 'Enabled',
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' }, replicaModifications: { status: 'Enabled' } },
        });
        expect(rule.destination.replicationTime).toEqual({ status: 'Enabled', time: { minutes: 15 } });
        expect(rule.destination.metrics).toEqual({ status: 'Enabled', eventThreshold: { minutes: 15 } });
      }
    }
  });

  it('keeps the key the primary configuration had before replication was two-way (a new key would delete it)', () => {
    const view = observedView({ ...keysKnown, ...versioningReady, 'bucket-documents-replication-policy': { ready: true } });
    const keys = composeLive(bucketXr, view)
      .resources.filter((r) => r.manifest.kind === 'BucketReplicationConfiguration')
      .map((r) => `${r.key} ${r.region}`);
    expect(keys).toEqual([
      'bucket-documents-replication us-east-1',
      'bucket-documents-replication-us-west-2 us-west-2',
      'bucket-documents-replication-eu-west-1 eu-west-1',
    ]);
  });

  it('waits for versioning on every side before emitting replication (seed 002), then keeps emitting it', () => {
    const kinds = (view: Parameters<typeof composeLive>[1]) => composeLive(bucketXr, view).resources.map((r) => r.manifest.kind);
    expect(kinds(liveView({}))).not.toContain('BucketReplicationConfiguration');
    expect(kinds(observedView({ ...keysKnown }))).not.toContain('BucketReplicationConfiguration');
    const almost = { ...keysKnown, ...versioningReady, 'bucket-documents-us-west-2-versioning': { ready: false } };
    expect(kinds(observedView({ ...almost, 'bucket-documents-replication-policy': { ready: true } }))).not.toContain(
      'BucketReplicationConfiguration',
    );
    const ready = { ...keysKnown, ...versioningReady, 'bucket-documents-replication-policy': { ready: true } };
    expect(kinds(observedView(ready))).toContain('BucketReplicationConfiguration');
    const existing = { ...keysKnown, 'bucket-documents-replication': { ready: true } };
    expect(kinds(observedView(existing)).filter((k) => k === 'BucketReplicationConfiguration')).toHaveLength(3);
    // Any one configuration observed keeps them all.
    const one = { ...keysKnown, 'bucket-documents-replication-eu-west-1': { ready: true } };
    expect(kinds(observedView(one)).filter((k) => k === 'BucketReplicationConfiguration')).toHaveLength(3);
  });

  it('names each destination key by its ARN, taken from the observed key', () => {
    const view = observedView({ ...keysKnown, ...versioningReady, 'bucket-documents-replication-policy': { ready: true } });
    const configs = composeLive(bucketXr, view).resources.filter((r) => r.manifest.kind === 'BucketReplicationConfiguration');
    for (const { manifest, region } of configs) {
      expect(fp(manifest).rule.map((r: any) => r.destination.encryptionConfiguration.replicaKmsKeyId)).toEqual(
        regions.filter((r) => r !== region).map(arn),
      );
    }
  });

  it('gives the replication role only S3 replication actions on these buckets and KMS on these keys', () => {
    const view = observedView({ ...keysKnown });
    const out = composeLive(bucketXr, view).resources;
    const policy = JSON.parse(fp(out.find((r) => r.manifest.kind === 'RolePolicy')!.manifest).policy);
    const role = out.find((r) => r.manifest.kind === 'Role')!.manifest;
    expect(JSON.parse(fp(role).assumeRolePolicy).Statement[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    for (const s of policy.Statement) {
      expect(s.Action.every((a: string) => /^(s3|kms):[A-Z]/.test(a) && !a.includes('*'))).toBe(true);
      expect(
        s.Resource.every(
          (r: string) => r !== '*' && (r.startsWith('arn:aws:s3:::payments-documents-prod-') || r.startsWith('arn:aws:kms:')),
        ),
      ).toBe(true);
    }
  });
});
