import { describe, expect, it } from 'vitest';
import { diffPlans } from '../../src/compose/diff.js';
import { FULL_SPEC, plan } from './helpers.js';

describe('diffPlans', () => {
  it('finds no change between two plans of the same claim', () => {
    expect(diffPlans(plan(FULL_SPEC), plan(FULL_SPEC))).toEqual([]);
  });

  it('shows a new bucket as additions in every region, nothing replaced', () => {
    const changes = diffPlans(plan(FULL_SPEC), plan({ ...FULL_SPEC, buckets: [...FULL_SPEC.buckets, { name: 'exports' }] }));
    const added = changes.filter((c) => c.change === 'add');
    expect(added.some((c) => c.kind === 'Bucket' && c.region === 'eu-west-1')).toBe(true);
    expect(changes.filter((c) => c.change === 'remove')).toEqual([]);
    expect(changes.some((c) => c.replacesStateful)).toBe(false);
  });

  it('flags a renamed table as replacing a stateful resource', () => {
    const changes = diffPlans(plan(FULL_SPEC), plan({ ...FULL_SPEC, tables: [{ ...FULL_SPEC.tables[0], name: 'payments' }] }));
    const removed = changes.find((c) => c.change === 'remove' && c.kind === 'Table')!;
    expect(removed).toMatchObject({ replacesStateful: true, region: 'us-east-1' });
  });

  it('reports changed fields of a changed resource', () => {
    const changes = diffPlans(
      plan(FULL_SPEC),
      plan({ ...FULL_SPEC, database: { ...FULL_SPEC.database, instanceClass: 'db.r7g.large' } }),
    );
    const instance = changes.find((c) => c.kind === 'ClusterInstance')!;
    expect(instance).toMatchObject({ change: 'change', fields: ['spec.forProvider.instanceClass'] });
    expect(instance.replacesStateful).toBeUndefined();
  });
});
