/**
 * The one rule that judges recovery objectives: a failure's delivered RPO and RTO against spec.objectives, for
 * the failures the objectives apply to. `drctl objectives` (through the objectives model) and `drctl validate`
 * (through the rules in rules/objectives.ts, which read the model's verdicts) both get their answer here, once.
 * A leaf module: it imports nothing of src/estimate, so the model can call it.
 */
import type { DisasterRecoverySpec } from '../api/claim.js';
import type { FailureType } from '../api/fields.js';

/** What a failure's recovery path delivers, in seconds. */
export interface Delivered {
  readonly rpoTypicalSeconds: number;
  readonly rpoWorstSeconds: number;
  readonly rtoTypicalSeconds: number;
  readonly rtoWorstSeconds: number;
}

/** The verdict on one failure: worst case decides; typical is for information. */
export interface ObjectiveVerdict {
  readonly rpoMet: boolean;
  readonly rtoMet: boolean;
  /** Both met in the worst case. */
  readonly met: boolean;
  readonly rpoMetTypically: boolean;
  readonly rtoMetTypically: boolean;
}

/** The failures spec.objectives applies to: spec.objectives.failures, or the loss of the primary region. */
export function objectiveFailures(spec: DisasterRecoverySpec): readonly FailureType[] {
  if (!spec.objectives) return [];
  return spec.objectives.failures ?? ['region-loss'];
}

/** Judges one failure against spec.objectives; null when the objectives do not apply to it. */
export function judgeFailure(spec: DisasterRecoverySpec, failure: FailureType, d: Delivered): ObjectiveVerdict | null {
  const o = spec.objectives;
  if (!o || !objectiveFailures(spec).includes(failure)) return null;
  const rtoSeconds = o.rtoMinutes * 60;
  const rpoMet = d.rpoWorstSeconds <= o.rpoSeconds;
  const rtoMet = d.rtoWorstSeconds <= rtoSeconds;
  return {
    rpoMet,
    rtoMet,
    met: rpoMet && rtoMet,
    rpoMetTypically: d.rpoTypicalSeconds <= o.rpoSeconds,
    rtoMetTypically: d.rtoTypicalSeconds <= rtoSeconds,
  };
}
