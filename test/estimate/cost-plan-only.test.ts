/**
 * The cost model reads the plan, not the spec, for values the plan holds (audit 16 M6): the records' TTL, the email
 * subscriptions, the Aurora backup window and instance class. Each case changes the planned value only (the spec
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
    const base = items(planClaim(claim)).find((l) => l.item.startsWith('DNS queries'))!;
    expect(base).toMatchObject({ item: 'DNS queries, failover records (TTL 60 s)', basis: 'plan' });
    const longer = items(
      planWith((r) => component(r)?.startsWith('database-') === true && r.manifest.kind === 'Record', { ttl: 300 }),
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
});
