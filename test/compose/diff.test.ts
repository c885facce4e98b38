import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { diffPlans } from '../../src/compose/diff.js';
import { savedPlan } from '../../src/compose/plan.js';
import { FULL_SPEC, ID, plan } from './helpers.js';

/** A plan as `drctl plan -o yaml` saves it, read back. */
const saved = (text: string) => savedPlan(parseAllDocuments(text).map((d) => d.toJS()))!;
const yamlOf = (spec: object) =>
  plan(spec)
    .map((p) => stringify(p.manifest, { lineWidth: 0, version: '1.1' }))
    .join('---\n');

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

  it('reads a saved plan back as the same plan: no change against the claim it was made from', () => {
    const before = saved(yamlOf(FULL_SPEC));
    expect(before).toHaveLength(plan(FULL_SPEC).length);
    expect(diffPlans(before, savedPlan(plan(FULL_SPEC).map((p) => p.manifest))!)).toEqual([]);
  });

  it('shows every stateful resource a naming change (an upgrade of drplane) would replace', () => {
    // The plan an older drplane made: the same resources, named without the estate id.
    const older = saved(yamlOf(FULL_SPEC).replaceAll(`-${ID}`, ''));
    const now = savedPlan(plan(FULL_SPEC).map((p) => p.manifest))!;
    const replaced = diffPlans(older, now).filter((c) => c.replacesStateful);
    expect(new Set(replaced.map((c) => c.kind))).toEqual(
      new Set(['GlobalCluster', 'Cluster', 'ClusterInstance', 'Table', 'Bucket', 'Vault']),
    );
    expect(replaced.every((c) => c.change === 'change')).toBe(true);
  });

  it('is undefined for a claim or an empty file, which are not saved plans', () => {
    expect(savedPlan([{ apiVersion: 'drplane.io/v1alpha1', kind: 'DisasterRecovery', metadata: { name: 'x' } }])).toBeUndefined();
    expect(savedPlan([null])).toBeUndefined();
  });
});
