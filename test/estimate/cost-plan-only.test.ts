/**
 * The cost model reads the plan, not the spec, for values the plan holds (audit 16 M6): the records' TTL, the email
 * subscriptions, the Aurora backup window and instance class, the backup rule (schedule, retention, copy destinations and
 * how long copies are kept). Each case changes the planned value only (the spec
 * keeps its own) and expects the estimate to follow the plan.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';
import { estimateCost } from '../../src/estimate/cost.js';
import { repoPath } from '../support/paths.js';
import { SHARED_ARC_CLUSTER, threeRegionArc } from '../support/variants.js';

const claim = DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples/payments.yaml'), 'utf8')));
const DAY = new Date('2026-12-06T00:00:00Z');

/** The plan of examples/payments.yaml with forProvider changed on the resources `pick` selects (or dropped: null). */
function planWith(pick: (r: PlannedResource) => boolean, patch: Record<string, unknown> | null): PlannedResource[] {
  return planClaim(claim).flatMap((r) => {
    if (!pick(r)) return [r];
    if (patch === null) return [];
    const spec = r.manifest.spec as { forProvider: Record<string, unknown> };
    return [{ ...r, manifest: { ...r.manifest, spec: { ...spec, forProvider: { ...spec.forProvider, ...patch } } } }];
  });
}
const component = (r: PlannedResource) =>
  (r.manifest.metadata as { labels: Record<string, string> }).labels['drplane.io/component'];
const items = (plan: readonly PlannedResource[]) => {
  const e = estimateCost(claim.spec, plan, {}, DAY);
  return [...Object.values(e.regions), e.global].flatMap((g) => g.components);
};

describe('cost reads the plan where the plan holds the value (audit 16 M6)', () => {
  it("prices DNS queries at the planned records' TTL, not routing.ttlSeconds", () => {
    expect(claim.spec.routing!.ttlSeconds).toBe(60);
    // payments' service records are alias records, whose queries are not billed (cost-alias-queries.test.ts); without
    // them (a plan before the custom domains report their targets) the queries are billed at the database records' TTL.
    const isService = (r: PlannedResource) => component(r) === 'service-record';
    const base = items(planWith(isService, null)).find((l) => l.item.startsWith('DNS queries'))!;
    expect(base).toMatchObject({ item: 'DNS queries, failover records (TTL 60 s)', basis: 'plan' });
    const longer = items(
      planWith((r) => component(r)?.startsWith('database-') === true && r.manifest.kind === 'Record', { ttl: 300 }).filter(
        (r) => !isService(r),
      ),
    );
    const line = longer.find((l) => l.item.startsWith('DNS queries'))!;
    expect(line.item).toBe('DNS queries, failover records (TTL 300 s)');
    // 500 resolvers × 2,628,000 s / 300 s = 4.38 million queries (vs 21.9 million at 60 s).
    expect(line.quantity).toBeCloseTo(4.38, 6);
  });

  it('counts the planned email subscriptions of each region, not monitoring.alertEmails', () => {
    const sub = (r: PlannedResource) => r.manifest.kind === 'TopicSubscription' && r.region === 'us-west-2';
    const base = items(planClaim(claim)).filter((l) => l.item.startsWith('email notifications'));
    expect(base.map((l) => l.item)).toEqual(['email notifications (1 addresses)', 'email notifications (1 addresses)']);
    const without = items(planWith(sub, null)).filter((l) => l.item.startsWith('email notifications'));
    expect(without).toHaveLength(1);
  });

  it('takes the Aurora instance class from the planned ClusterInstances (a guard: it already did, now with no spec fallback)', () => {
    const bigger = items(planWith((r) => r.manifest.kind === 'ClusterInstance', { instanceClass: 'db.r6g.xlarge' }));
    expect(bigger.some((l) => l.item.includes('db.r6g.xlarge'))).toBe(true);
    expect(bigger.some((l) => l.item.includes('db.r6g.large'))).toBe(false);
  });

  describe("AWS Backup: the planned Plan's rule, not spec.backup", () => {
    /** The AWS Backup lines' items of each region. */
    const backup = (plan: readonly PlannedResource[]) => {
      const e = estimateCost(claim.spec, plan, {}, DAY);
      const of = (region: string) =>
        (e.regions[region]?.components ?? []).filter((l) => l.component === 'AWS Backup').map((l) => l.item);
      return { e, east: of('us-east-1'), west: of('us-west-2') };
    };
    const isPlan = (r: PlannedResource) => r.manifest.kind === 'Plan' && r.manifest.apiVersion.startsWith('backup.');
    const rule = () => {
      const plan = planClaim(claim).find(isPlan)!;
      return (plan.manifest.spec as { forProvider: { rule: Record<string, unknown>[] } }).forProvider.rule[0]!;
    };

    it('reads the schedule, the retention and the copies from the plan, in the region the plan runs', () => {
      expect(claim.spec.backup).toMatchObject({ schedule: 'cron(0 * * * ? *)', retentionDays: 35, copyToSecondary: true });
      const base = backup(planClaim(claim));
      const lines = Object.values(base.e.regions).flatMap((g) => g.components);
      expect(lines.filter((l) => l.component === 'AWS Backup').every((l) => l.basis === 'plan')).toBe(true);
      // The copy destination in the plan is the us-west-2 vault's ARN placeholder: its copies land there.
      expect(JSON.stringify(rule().copyAction)).toContain(
        '<status.atProvider.arn of backup-vault-us-west-2, known after creation>',
      );
      expect(base.west).toContain('warm storage of copies, table transactions: 840 full copies');
      expect(base.east).toContain('warm storage, table transactions: 840 full copies');
      // A daily rule kept 7 days with no copy action, in the plan only: fewer points, nothing copied.
      const daily = backup(
        planWith(isPlan, {
          rule: [{ ...rule(), schedule: 'cron(0 5 * * ? *)', lifecycle: { deleteAfter: 7 }, copyAction: undefined }],
        }),
      );
      expect(daily.west).toEqual([]);
      expect(daily.east).toContain('warm storage, table transactions: 7 full copies');
    });

    it("keeps copies for the copy action's own days, and resolves a real vault ARN to its region", () => {
      const copy = {
        destinationVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:other',
        lifecycle: { deleteAfter: 10 },
      };
      const lines = backup(planWith(isPlan, { rule: [{ ...rule(), copyAction: [copy] }] }));
      // hourly for 10 days: 240 full copies in us-west-2, while the source keeps 35 days' 840
      expect(lines.west).toContain('warm storage of copies, table transactions: 240 full copies');
      expect(lines.east).toContain('warm storage, table transactions: 840 full copies');
    });

    it('prices nothing without a planned Plan, and notes a copy it cannot place', () => {
      const none = backup(planWith(isPlan, null));
      expect([...none.east, ...none.west]).toEqual([]);
      const lost = backup(
        planWith(isPlan, {
          rule: [{ ...rule(), copyAction: [{ destinationVaultArn: 'somewhere', lifecycle: { deleteAfter: 5 } }] }],
        }),
      );
      expect(lost.e.notes.some((n) => n.includes('goes to a vault the plan does not place'))).toBe(true);
      expect(lost.west).toEqual([]);
      expect(lost.east).toContain('warm storage, table transactions: 840 full copies');
    });
  });
});

describe('cost reads the plan only for the facts audit-16b L6 found read from the spec', () => {
  /** examples/<file> with `change` made to its spec. */
  const example = (file: string, change: (spec: Record<string, unknown>) => Record<string, unknown> = (s) => s) => {
    const doc = parse(readFileSync(repoPath(`examples/${file}`), 'utf8')) as { spec: Record<string, unknown> };
    return DisasterRecoveryClaimSchema.parse({ ...doc, spec: change(doc.spec) });
  };
  /** Every line of an estimate with its region. */
  const all = (e: ReturnType<typeof estimateCost>) =>
    Object.entries({ ...e.regions, global: e.global }).flatMap(([region, g]) => g.components.map((l) => ({ region, ...l })));
  /** The spec of `spec`, priced on the plan of `plan`. */
  const mixed = (spec: ReturnType<typeof example>, plan: ReturnType<typeof example>) =>
    estimateCost(spec.spec, planClaim(plan), {}, DAY);

  it("bills a bucket's requests and replication where its composite's estate context says clients write, not spec.activeRegion", () => {
    const east = example('payments.yaml', (s) => ({ ...s, activeRegion: 'us-east-1' }));
    const west = example('payments.yaml', (s) => ({ ...s, activeRegion: 'us-west-2' }));
    const s3 = (e: ReturnType<typeof estimateCost>) => all(e).filter((l) => l.component === 'S3');
    const onWest = s3(estimateCost(west.spec, planClaim(west), {}, DAY));
    // the two regions bill differently (else the test could not tell them apart) ...
    expect(onWest).not.toEqual(s3(estimateCost(east.spec, planClaim(east), {}, DAY)));
    // ... and the S3 lines follow the plan whatever the spec says
    expect(s3(mixed(east, west))).toEqual(onWest);
  });

  it("names each EKS region's role from its XRegionalCluster composite: the standby mode and the active region", () => {
    const mode = (standby: string, activeRegion = 'us-east-1') =>
      example('kubernetes.yaml', (s) => ({
        ...s,
        activeRegion,
        kubernetes: { ...(s.kubernetes as object), standby },
      }));
    const floors = (e: ReturnType<typeof estimateCost>) =>
      all(e)
        .filter((l) => l.component === 'EKS' && l.item.includes('floor'))
        .map((l) => `${l.region}: ${l.item}`);
    const warm = floors(mixed(mode('pilot-light'), mode('warm')));
    expect(warm.some((l) => l.startsWith('us-west-2: ') && l.includes("the warm standby's floor"))).toBe(true);
    expect(warm.join('\n')).not.toContain('pilot-light');
    expect(warm).toEqual(floors(estimateCost(mode('warm').spec, planClaim(mode('warm')), {}, DAY)));
    // the active region as the plan's composite has it
    const moved = floors(mixed(mode('warm'), mode('warm', 'us-west-2')));
    expect(moved.some((l) => l.startsWith('us-east-1: ') && l.includes("the warm standby's floor"))).toBe(true);
    expect(moved.some((l) => l.startsWith('us-west-2: ') && l.includes("the active region's floor"))).toBe(true);
  });

  it("prices AWS Backup for the stores the plan composes (database, tables, buckets by their composites' names), not the spec's", () => {
    const backup = (e: ReturnType<typeof estimateCost>) =>
      all(e)
        .filter((l) => l.component === 'AWS Backup')
        .map((l) => `${l.region}: ${l.item}`);
    const planned = estimateCost(claim.spec, planClaim(claim), {}, DAY);
    expect(backup(planned).some((l) => l.includes('Aurora'))).toBe(true);
    expect(backup(planned).some((l) => l.includes('table transactions'))).toBe(true);
    expect(backup(planned).some((l) => l.includes('bucket documents'))).toBe(true);
    // a spec without the database and with other names, on the plan of examples/payments.yaml: the plan's stores
    const { database: _, ...rest } = claim.spec;
    const renamed = {
      ...rest,
      tables: claim.spec.tables!.map((t) => ({ ...t, name: 'other' })),
      buckets: claim.spec.buckets!.map((b) => ({ ...b, name: 'elsewhere' })),
    };
    const e = estimateCost(renamed, planClaim(claim), {}, DAY);
    expect(backup(e)).toEqual(backup(planned));
    expect(e.notes.filter((n) => n.startsWith('Aurora snapshot'))).toEqual(
      planned.notes.filter((n) => n.startsWith('Aurora snapshot')),
    );
    expect(e.notes.some((n) => n.startsWith('Aurora snapshots in AWS Backup'))).toBe(true);
  });

  it('bills a shared ARC cluster ($0, named) when the plan observes it, whatever routing.arc says', () => {
    const shared = threeRegionArc({ clusterArn: SHARED_ARC_CLUSTER, readiness: true });
    const own = threeRegionArc({ readiness: true });
    const cluster = (e: ReturnType<typeof estimateCost>) => all(e).filter((l) => l.priceId === 'arcCluster');
    const onShared = cluster(estimateCost(own.spec, planClaim(shared), {}, DAY));
    expect(onShared).toEqual([expect.objectContaining({ quantity: 0, basis: 'plan' })]);
    expect(onShared[0]!.item).toContain(SHARED_ARC_CLUSTER);
    const onOwn = cluster(estimateCost(shared.spec, planClaim(own), {}, DAY));
    expect(onOwn).toEqual([expect.objectContaining({ quantity: 730, basis: 'plan' })]);
  });
});
