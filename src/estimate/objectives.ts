/**
 * The RPO and RTO an estate can actually deliver, per failure type (loss of the primary region, an application
 * fault in the primary, a planned switchover), each through the recovery path that really runs for it, with the
 * reasoning as steps whose figures carry their source, and, for every objective the claim states but a failure it
 * applies to misses, what to change. Pure and deterministic; the constants and their sources are in timings.ts; the
 * verdict is src/policy's (objectives-verdict.ts), the same one `drctl validate` reports.
 *
 * - RPO: what the failover loses. Loss of the region: each store's replication lag (the worst store counts). While
 *   the primary region is up, nothing, unless the database fails over with failover.allowDataLoss.
 * - RTO: detection + decision (an alarm, or people and GitOps) + the slowest store promotion + the warm service +
 *   DNS, one after another (conservative: DNS failover on health checks can overlap the decision).
 * - spec.objectives applies to spec.objectives.failures (default: loss of the primary region). The top-level figures
 *   are the worst of those failures; `failures` has them all.
 */
import type { DisasterRecoverySpec } from '../api/claim.js';
import { rpoAdvice, rtoAdvice } from './objectives/advice.js';
import { failureEstimates } from './objectives/failures.js';
import { rtoSteps } from './objectives/rto.js';
import { minutes, total } from './objectives/steps.js';
import { storeObjectives } from './objectives/stores.js';
import type { FailureEstimate, ObjectivesEstimate, Step } from './objectives/types.js';

export type { Advice, FailureEstimate, ObjectiveCheck, ObjectivesEstimate, Step, StoreObjective } from './objectives/types.js';

/** The failure with the largest value (first of equals). */
const worstBy = (failures: readonly FailureEstimate[], value: (f: FailureEstimate) => number): FailureEstimate =>
  failures.reduce((a, b) => (value(b) > value(a) ? b : a));

/** Estimates the RPO and RTO a spec's estate delivers per failure and checks them against spec.objectives. */
export function estimateObjectives(spec: DisasterRecoverySpec): ObjectivesEstimate {
  const stores = storeObjectives(spec);
  const failures = failureEstimates(spec, stores);
  const judged = failures.filter((f) => f.objective);
  const scope = judged.length > 0 ? judged : failures.filter((f) => f.failure === 'region-loss');
  const rpoF = worstBy(scope, (f) => f.rpo.worstSeconds);
  const rtoF = worstBy(scope, (f) => f.rto.worstSeconds);
  const all = (pick: (v: NonNullable<FailureEstimate['verdict']>) => boolean): boolean | null =>
    judged.length === 0 ? null : judged.every((f) => pick(f.verdict!));
  const rpoMet = all((v) => v.rpoMet);
  const rtoMet = all((v) => v.rtoMet);
  const rpoObjective = spec.objectives?.rpoSeconds;
  const advice = judged.flatMap((f) => [
    ...(f.verdict!.rpoMet ? [] : rpoAdvice(spec, f, rpoObjective!)),
    ...(f.verdict!.rtoMet ? [] : rtoAdvice(spec, f.failure, spec.objectives!.rtoMinutes)),
  ]);
  return {
    rpoSeconds: rpoF.rpo.worstSeconds,
    rtoMinutes: rtoF.rto.worstMinutes,
    typical: { rpoSeconds: rpoF.rpo.typicalSeconds, rtoMinutes: rtoF.rto.typicalMinutes },
    met: rpoMet === null || rtoMet === null ? null : rpoMet && rtoMet,
    rpo: {
      failure: rpoF.failure,
      typicalSeconds: rpoF.rpo.typicalSeconds,
      worstSeconds: rpoF.rpo.worstSeconds,
      guaranteed: rpoF.rpo.guaranteed,
      ...(rpoF.rpo.limitedBy ? { limitedBy: rpoF.rpo.limitedBy } : {}),
      objectiveSeconds: rpoObjective,
      met: rpoMet,
      metTypically: all((v) => v.rpoMetTypically),
    },
    rto: {
      failure: rtoF.failure,
      typicalSeconds: rtoF.rto.typicalSeconds,
      worstSeconds: rtoF.rto.worstSeconds,
      objectiveMinutes: spec.objectives?.rtoMinutes,
      typicalMinutes: rtoF.rto.typicalMinutes,
      worstMinutes: rtoF.rto.worstMinutes,
      met: rtoMet,
      metTypically: all((v) => v.rtoMetTypically),
    },
    stores,
    steps: [...rpoF.steps.filter((s) => s.objective === 'rpo'), ...rtoF.steps.filter((s) => s.objective === 'rto')],
    advice,
    failures,
  };
}

/** How long a planned switchover of the estate takes (the steps that take time, typical and worst minutes); it loses no data. */
export function estimateSwitchover(spec: DisasterRecoverySpec): { steps: Step[]; typicalMinutes: number; worstMinutes: number } {
  const steps = rtoSteps(spec, 'planned-switchover').filter((s) => s.counted && s.worstSeconds > 0);
  const t = total(steps);
  return { steps, typicalMinutes: minutes(t.typicalSeconds), worstMinutes: minutes(t.worstSeconds) };
}
