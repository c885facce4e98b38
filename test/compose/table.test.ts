import { describe, expect, it } from 'vitest';
import { FULL_SPEC, ID, externalName, fp, managed, plan, spec } from './helpers.js';

const resources = managed(plan(FULL_SPEC));
const table = resources.find((m) => m.kind === 'Table')!;

describe('XGlobalTable', () => {
  it('creates one table in the primary, named with the environment suffix and no region code', () => {
    expect(resources.filter((m) => m.kind === 'Table')).toHaveLength(1);
    expect(fp(table).region).toBe('us-east-1');
    expect(externalName(table)).toBe(`payments-transactions-prod-${ID}`);
  });

  it('has streams with new and old images, PITR, on-demand billing, SSE with the primary key and TTL', () => {
    expect(fp(table)).toMatchObject({
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      pointInTimeRecovery: { enabled: true },
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      ttl: { attributeName: 'expiresAt', enabled: true },
    });
    expect(fp(table).serverSideEncryption.enabled).toBe(true);
    expect(fp(table).serverSideEncryption.kmsKeyArnSelector.matchLabels).toMatchObject({
      'drplane.io/component': 'kms-table-transactions',
      'drplane.io/region': 'us-east-1',
    });
  });

  it('has a replica block in every secondary with its own region key and PITR, and no TableReplica resources', () => {
    expect(fp(table).replica.map((r: { regionName: string }) => r.regionName)).toEqual(['us-west-2', 'eu-west-1']);
    for (const r of fp(table).replica) {
      expect(r.pointInTimeRecovery).toBe(true);
      expect(r.kmsKeyArnSelector.matchLabels['drplane.io/region']).toBe(r.regionName);
    }
    expect(resources.filter((m) => m.kind === 'TableReplica')).toEqual([]);
  });

  it('omits TTL when not asked and adds the range key when given', () => {
    const t = managed(
      plan({ ...FULL_SPEC, tables: [{ name: 'events', hashKey: { name: 'pk' }, rangeKey: { name: 'at', type: 'N' } }] }),
      'Table',
    )[0]!;
    expect(fp(t).ttl).toBeUndefined();
    expect(fp(t)).toMatchObject({
      hashKey: 'pk',
      rangeKey: 'at',
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'at', type: 'N' },
      ],
    });
  });

  it('production protects the table from deletion; test does not', () => {
    expect(fp(table).deletionProtectionEnabled).toBe(true);
    expect(spec(table).deletionPolicy).toBe('Orphan');
    const t = managed(plan({ ...FULL_SPEC, profile: 'test' }), 'Table')[0]!;
    expect(fp(t).deletionProtectionEnabled).toBe(false);
    expect(spec(t).deletionPolicy).toBe('Delete');
  });

  it('production protects every replica from deletion too (a replica block has its own flag); test does not', () => {
    expect(fp(table).replica).toHaveLength(2);
    for (const r of fp(table).replica) expect(r.deletionProtectionEnabled).toBe(true);
    const t = managed(plan({ ...FULL_SPEC, profile: 'test' }), 'Table')[0]!;
    for (const r of fp(t).replica) expect(r.deletionProtectionEnabled).toBe(false);
  });
});

describe('XGlobalTable with multi-Region strong consistency (MRSC)', () => {
  const strongTable = (s: object) => managed(plan(s)).find((m) => m.kind === 'Table')!;
  const tables = (extra: object) => [{ name: 'transactions', hashKey: { name: 'id', type: 'S' }, ...extra }];

  it('sets consistencyMode STRONG on every replica of three regions, and no witness', () => {
    const t = strongTable({
      ...FULL_SPEC,
      regions: { primary: 'us-east-1', secondaries: ['us-east-2', 'us-west-2'] },
      network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-east-2': '10.1.0.0/16', 'us-west-2': '10.2.0.0/16' } },
      tables: tables({ consistency: 'strong' }),
    });
    expect(fp(t).replica.map((r: { consistencyMode?: string }) => r.consistencyMode)).toEqual(['STRONG', 'STRONG']);
    expect(fp(t).globalTableWitness).toBeUndefined();
  });

  it('names the witness region of a two-region table', () => {
    const t = strongTable({
      ...FULL_SPEC,
      regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
      network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
      tables: tables({ consistency: 'strong', witnessRegion: 'us-east-2' }),
    });
    expect(fp(t).replica).toEqual([expect.objectContaining({ regionName: 'us-west-2', consistencyMode: 'STRONG' })]);
    expect(fp(t).globalTableWitness).toEqual({ regionName: 'us-east-2' });
  });

  it('leaves eventual tables as they were (no consistencyMode: AWS defaults to EVENTUAL)', () => {
    expect(fp(table).replica.every((r: object) => !('consistencyMode' in r))).toBe(true);
    expect(fp(table).globalTableWitness).toBeUndefined();
  });
});
