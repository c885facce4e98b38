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
