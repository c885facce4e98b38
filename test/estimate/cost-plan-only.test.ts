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
