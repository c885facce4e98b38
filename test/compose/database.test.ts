import { describe, expect, it } from 'vitest';
import { liveView } from '../../src/compose/observed.js';
import { FULL_SPEC, ID, composeLive, externalName, fp, labels, managed, nestedOf, observedView, plan, spec } from './helpers.js';

const prod = managed(plan(FULL_SPEC));
const test = managed(plan({ ...FULL_SPEC, profile: 'test', environment: 'qa' }));
const clusters = (rs: typeof prod) => rs.filter((m) => m.kind === 'Cluster');

describe('XGlobalDatabase', () => {
  it("gives Performance Insights the database key's observed ARN, and creates a region's instances only once it is known", () => {
    const xr = nestedOf(FULL_SPEC, 'XGlobalDatabase');
    const keyArn = (r: string) => `arn:aws:kms:${r}:111122223333:key/0b7e1f7a-2c1d-4e55-9a3a-5d2f4f1a9c01`;
    const instancesOf = (view: Parameters<typeof composeLive>[1]) =>
      composeLive(xr, view).resources.filter((r) => r.manifest.kind === 'ClusterInstance');
    expect(instancesOf(liveView({}))).toEqual([]);
    const known = instancesOf(observedView({ 'kms-database-us-west-2': { arn: keyArn('us-west-2') } }));
    expect(known.map((r) => r.region)).toEqual(['us-west-2']);
    for (const { manifest } of known) {
      expect(fp(manifest)).toMatchObject({ performanceInsightsEnabled: true, performanceInsightsKmsKeyId: keyArn('us-west-2') });
      expect(fp(manifest).performanceInsightsKmsKeyIdSelector).toBeUndefined();
    }
  });

  it('creates one global cluster from engine and version, encrypted', () => {
    // Besides the views from the secondaries (Observe only; test/compose/switchover.test.ts).
    const globals = prod.filter((m) => m.kind === 'GlobalCluster' && spec(m).managementPolicies === undefined);
    expect(globals).toHaveLength(1);
    expect(fp(globals[0]!)).toMatchObject({
      engine: 'aurora-postgresql',
      engineVersion: '16.6',
      storageEncrypted: true,
      region: 'us-east-1',
    });
    expect(fp(globals[0]!).sourceDbClusterIdentifier).toBeUndefined();
  });

  it('joins every cluster to the global cluster by its literal identifier', () => {
    const globalId = externalName(prod.find((m) => m.kind === 'GlobalCluster')!);
    expect(globalId).toBe(`payments-global-prod-${ID}`);
    expect(clusters(prod).map((c) => fp(c).globalClusterIdentifier)).toEqual([globalId, globalId, globalId]);
  });

  it('generates the primary master password into a Secret; never a literal password', () => {
    const primary = clusters(prod).find((c) => fp(c).region === 'us-east-1')!;
    expect(fp(primary)).toMatchObject({
      autoGeneratePassword: true,
      masterUsername: 'drplane_admin',
      databaseName: 'transactions',
    });
    expect(fp(primary).masterPasswordSecretRef).toEqual({
      name: `payments-aurora-master-prod-${ID}`,
      namespace: 'team-payments',
      key: 'password',
    });
    expect(fp(primary).manageMasterUserPassword).toBeUndefined();
    const text = JSON.stringify(prod);
    expect(text).not.toMatch(/"masterPassword"\s*:/);
    expect(text).not.toMatch(/"password"\s*:\s*"/i);
  });

  it('joins secondaries with no credentials and no database name', () => {
    for (const c of clusters(prod).filter((x) => fp(x).region !== 'us-east-1')) {
      for (const field of [
        'masterUsername',
        'autoGeneratePassword',
        'masterPasswordSecretRef',
        'databaseName',
        'manageMasterUserPassword',
      ]) {
        expect(fp(c)[field], `${field} on ${fp(c).region}`).toBeUndefined();
      }
      expect(spec(c).writeConnectionSecretToRef).toBeUndefined();
    }
  });

  it('never sets replicationSourceIdentifier, and pins the cluster engine version only at creation', () => {
    for (const c of clusters(prod)) {
      expect(fp(c).replicationSourceIdentifier).toBeUndefined();
      expect(fp(c).engineVersion).toBeUndefined();
      expect(spec(c).initProvider).toEqual({ engineVersion: '16.6' });
    }
    for (const i of prod.filter((m) => m.kind === 'ClusterInstance')) expect(fp(i).engineVersion).toBeUndefined();
  });

  it('encrypts every cluster with its own region key, rotated', () => {
    for (const c of clusters(prod)) {
      expect(fp(c).storageEncrypted).toBe(true);
      expect(fp(c).kmsKeyIdSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'kms-database',
        'drplane.io/region': fp(c).region,
      });
    }
    const keys = prod.filter((m) => m.kind === 'Key' && labels(m)['drplane.io/component'] === 'kms-database');
    expect(keys.map((k) => fp(k).region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    for (const k of keys) expect(fp(k).enableKeyRotation).toBe(true);
  });

  it('gives each region a subnet group over the network private subnets and the database security group', () => {
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const group = prod.find((m) => m.kind === 'SubnetGroup' && fp(m).region === region)!;
      expect(fp(group).subnetIdSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'private-subnet',
        'drplane.io/region': region,
      });
      const c = clusters(prod).find((x) => fp(x).region === region)!;
      expect(fp(c).vpcSecurityGroupIdSelector.matchLabels['drplane.io/component']).toBe('sg-database');
    }
  });

  it('sets every member cluster to Aurora I/O-Optimized (aurora-iopt1) when the claim asks, and leaves Standard as the provider default', () => {
    const io = managed(plan({ ...FULL_SPEC, database: { ...FULL_SPEC.database, storageType: 'io-optimized' } }));
    expect(clusters(io).map((c) => fp(c).storageType)).toEqual(clusters(io).map(() => 'aurora-iopt1'));
    expect(clusters(prod).map((c) => fp(c).storageType)).toEqual(clusters(prod).map(() => undefined));
  });

  it('creates the requested number of private instances per region', () => {
    const count = (region: string) => prod.filter((m) => m.kind === 'ClusterInstance' && fp(m).region === region).length;
    expect([count('us-east-1'), count('us-west-2'), count('eu-west-1')]).toEqual([2, 1, 1]);
    for (const i of prod.filter((m) => m.kind === 'ClusterInstance')) expect(fp(i).publiclyAccessible).toBe(false);
  });

  it('production: deletion protection, a final snapshot, and the stateful resources orphaned', () => {
    for (const c of clusters(prod)) {
      expect(fp(c)).toMatchObject({ deletionProtection: true, skipFinalSnapshot: false });
      expect(fp(c).finalSnapshotIdentifier).toMatch(/-final$/);
    }
    const dataKey = (x: (typeof prod)[number]) =>
      x.kind === 'Key' && /^kms-(database|table-|bucket-|backup)/.test(labels(x)['drplane.io/component'] ?? '');
    for (const m of prod.filter((x) => ['GlobalCluster', 'Cluster', 'ClusterInstance'].includes(x.kind) || dataKey(x)))
      expect(spec(m).deletionPolicy).toBe('Orphan');
    // Keys of build artifacts and alert topics protect nothing that outlives the estate: they go with it.
    for (const m of prod.filter((x) => x.kind === 'Key' && !dataKey(x))) expect(spec(m).deletionPolicy).toBeUndefined();
    expect(fp(prod.find((m) => m.kind === 'GlobalCluster')!).deletionProtection).toBe(true);
  });

  it('test: no deletion protection, no final snapshot, everything deletes', () => {
    for (const c of clusters(test)) {
      expect(fp(c)).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true });
      expect(fp(c).finalSnapshotIdentifier).toBeUndefined();
    }
    // The one exception: AWS Backup's region settings are the account's, shared with other estates (XDRBackup).
    expect(new Set(test.filter((m) => spec(m).deletionPolicy === 'Orphan').map((m) => m.kind))).toEqual(
      new Set(['RegionSettings']),
    );
  });

  it('orders deletion with usages: global by primary, primary by secondaries, clusters by instances', () => {
    const usages = prod
      .filter((m) => m.kind === 'ClusterUsage')
      .map(
        (u) =>
          `${spec(u).of.kind}:${spec(u).of.resourceSelector.matchLabels['drplane.io/region'] ?? '-'} <- ${spec(u).by.kind}:${spec(u).by.resourceSelector.matchLabels['drplane.io/region']}`,
      );
    expect(usages).toEqual(
      expect.arrayContaining([
        'GlobalCluster:us-east-1 <- Cluster:us-east-1',
        'Cluster:us-east-1 <- Cluster:us-west-2',
        'Cluster:us-east-1 <- Cluster:eu-west-1',
        'Cluster:us-west-2 <- ClusterInstance:us-west-2',
      ]),
    );
    for (const u of prod.filter((m) => m.kind === 'ClusterUsage')) expect(spec(u).replayDeletion).toBe(true);
  });

  it('holds every cluster for every one of its instances: each instance is the `by` of a usage that selects it alone', () => {
    const matches = (selector: Record<string, string>, m: (typeof prod)[number]) =>
      Object.entries(selector).every(([k, v]) => labels(m)[k] === v);
    const usages = prod.filter((m) => m.kind === 'ClusterUsage');
    const instances = prod.filter((m) => m.kind === 'ClusterInstance');
    expect(instances.length).toBeGreaterThan(clusters(prod).length); // two instances in the primary
    for (const instance of instances) {
      const holding = usages.filter(
        (u) => spec(u).by.kind === 'ClusterInstance' && matches(spec(u).by.resourceSelector.matchLabels, instance),
      );
      expect(holding, `usages holding ${labels(instance)['drplane.io/region']} ${externalName(instance)}`).toHaveLength(1);
      const by = spec(holding[0]!).by.resourceSelector.matchLabels;
      // A usage selector resolves to one resource: it must match this instance and no other.
      expect(instances.filter((i) => matches(by, i))).toEqual([instance]);
      const of = spec(holding[0]!).of;
      expect(of.kind).toBe('Cluster');
      expect(
        clusters(prod)
          .filter((c) => matches(of.resourceSelector.matchLabels, c))
          .map((c) => fp(c).region),
      ).toEqual([fp(instance).region]);
    }
  });
});

describe('versions come from the claim', () => {
  it('turns off automatic minor upgrades on every instance: the GlobalCluster pins engineVersion from the claim', () => {
    const instances = prod.filter((m) => m.kind === 'ClusterInstance');
    expect(instances.length).toBeGreaterThan(0);
    for (const i of instances) {
      expect(fp(i).autoMinorVersionUpgrade).toBe(false);
      expect(fp(i).engineVersion).toBeUndefined();
    }
    expect(fp(prod.find((m) => m.kind === 'GlobalCluster')!).engineVersion).toBe('16.6');
  });
});
