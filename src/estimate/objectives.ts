/**
 * The RPO and RTO an estate can actually deliver, per data store and for the whole estate, with
 * the reasoning as steps and, for every objective the claim states but the estate misses, what
 * to change. Pure and deterministic; the constants and their sources are in timings.ts.
 *
 * - RPO (per store): the replication lag at the moment of an unplanned failover. Estate RPO = the
 *   worst store. Asynchronous replication everywhere, so RPO 0 is never met (a planned
 *   switchover is lossless, but that is not disaster recovery).
 * - RTO: detection + decision (alarm, or people and GitOps) + the slowest store promotion + the
 *   warm service + DNS, one after another (conservative: in reality DNS failover on health
 *   checks overlaps the decision).
 * - `met` compares the worst case with spec.objectives; `metTypically` the typical case.
 */
import type { DisasterRecoverySpec } from '../api/claim.js';
import { rpoAdvice, rtoAdvice } from './objectives/advice.js';
import { rpoOf, rpoSteps } from './objectives/rpo.js';
import { rtoSteps, switchoverSteps } from './objectives/rto.js';
import { minutes, total } from './objectives/steps.js';
import { storeObjectives } from './objectives/stores.js';
import type { ObjectivesEstimate, Step } from './objectives/types.js';

export type { Advice, ObjectiveCheck, ObjectivesEstimate, Step, StoreObjective } from './objectives/types.js';

const within = (value: number, limit: number | undefined): boolean | null => (limit === undefined ? null : value <= limit);

/** Estimates the RPO and RTO a spec's estate delivers and checks them against spec.objectives. */
export function estimateObjectives(spec: DisasterRecoverySpec): ObjectivesEstimate {
  const stores = storeObjectives(spec);
  const rtoStepList = rtoSteps(spec, stores);
  const rto = total(rtoStepList);
  const rpo = rpoOf(stores);
  const rpoObjective = spec.objectives?.rpoSeconds;
  const rtoObjectiveSeconds = spec.objectives ? spec.objectives.rtoMinutes * 60 : undefined;
  const rpoMet = within(rpo.worstSeconds, rpoObjective);
  const rtoMet = within(rto.worstSeconds, rtoObjectiveSeconds);
  const advice = [
    ...(rpoMet === false ? rpoAdvice(spec, stores, rpoObjective!, rpo.worstSeconds) : []),
    ...(rtoMet === false ? rtoAdvice(spec, spec.objectives!.rtoMinutes) : []),
  ];
  return {
    rpoSeconds: rpo.worstSeconds,
    rtoMinutes: minutes(rto.worstSeconds),
    typical: { rpoSeconds: rpo.typicalSeconds, rtoMinutes: minutes(rto.typicalSeconds) },
    met: rpoMet === null || rtoMet === null ? null : rpoMet && rtoMet,
    rpo: { ...rpo, objectiveSeconds: rpoObjective, met: rpoMet, metTypically: within(rpo.typicalSeconds, rpoObjective) },
    rto: {
      ...rto,
      objectiveMinutes: spec.objectives?.rtoMinutes,
      typicalMinutes: minutes(rto.typicalSeconds),
      worstMinutes: minutes(rto.worstSeconds),
      met: rtoMet,
      metTypically: within(rto.typicalSeconds, rtoObjectiveSeconds),
    },
    stores,
    steps: [...rpoSteps(stores), ...rtoStepList],
    advice,
  };
}

/** How long a planned switchover of the estate takes (steps, typical and worst minutes); it loses no data. */
export function estimateSwitchover(spec: DisasterRecoverySpec): { steps: Step[]; typicalMinutes: number; worstMinutes: number } {
  const steps = switchoverSteps(spec);
  const t = total(steps);
  return { steps, typicalMinutes: minutes(t.typicalSeconds), worstMinutes: minutes(t.worstSeconds) };
}
