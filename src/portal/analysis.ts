/** The read-only analyses of a claim, exactly as drctl computes them (plan, cost, objectives). */
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { planClaim } from '../compose/plan.js';
import type { Manifest } from '../compose/types.js';
import { type CostEstimate, type ObjectivesEstimate, estimateCost, estimateObjectives } from '../estimate/index.js';

/** The plan answer: every managed or composite resource, and counts of kinds per region. */
export interface PlanAnswer {
  readonly resources: Manifest[];
  readonly summary: { total: number; byRegion: Record<string, Record<string, number>> };
}

/** Plans a claim and counts kinds per region (global resources under "global"). */
export function planAnswer(claim: DisasterRecoveryClaim): PlanAnswer {
  const planned = planClaim(claim);
  const byRegion: Record<string, Record<string, number>> = {};
  for (const r of planned) {
    const region = r.region ?? 'global';
    const kinds = (byRegion[region] ??= {});
    const kind = String(r.manifest.kind ?? 'Unknown');
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return { resources: planned.map((r) => r.manifest), summary: { total: planned.length, byRegion } };
}

/** The monthly cost estimate with default assumptions (as `drctl cost` without flags). */
export function costAnswer(claim: DisasterRecoveryClaim): CostEstimate {
  return estimateCost(claim.spec, planClaim(claim));
}

/** The RPO/RTO estimate against spec.objectives (as `drctl objectives`). */
export function objectivesAnswer(claim: DisasterRecoveryClaim): ObjectivesEstimate {
  return estimateObjectives(claim.spec);
}
