/**
 * Rules that compare the claim's recovery objectives with what its estate can deliver, for each failure the
 * objectives apply to (spec.objectives.failures, default the loss of the primary region). They report the verdicts
 * of the objectives model (`drctl objectives`), which judges with this package's one rule (objectives-verdict.ts):
 * validate and objectives give the same verdict with the same numbers, worst case, for every claim and failure.
 *
 * - RPO 0 that a failure cannot meet (a store replicates asynchronously) is an error.
 * - Any other objective a failure misses in the worst case is a warning (the claim can be deployed; it will not
 *   deliver what it states), naming the failure and the path that runs for it; `drctl objectives` exits 1 on the
 *   same claim.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { estimateObjectives, type FailureEstimate, type ObjectivesEstimate } from '../../estimate/objectives.js';
import { type PolicyRule, problem, withFix } from '../types.js';

const SEE = '`drctl objectives` shows every failure, store and step with its source';

/** The estimate of a spec with objectives (the rules run it once per rule; it is pure and cheap). */
const estimateOf = (spec: DisasterRecoverySpec): ObjectivesEstimate | undefined =>
  spec.objectives ? estimateObjectives(spec) : undefined;

/** The failures the objectives apply to whose verdict misses one objective. */
const missing = (estimate: ObjectivesEstimate, objective: 'rpoMet' | 'rtoMet'): FailureEstimate[] =>
  estimate.failures.filter((f) => f.verdict !== null && !f.verdict[objective]);

/** RPO 0 cannot be met by asynchronous replication. */
export const rpoZeroRule: PolicyRule = {
  id: 'objectives.rpo-zero',
  severity: 'error',
  summary: 'rpoSeconds: 0 cannot be met for a failure whose recovery loses what asynchronous replication had not copied yet.',
  check: (spec) => {
    const estimate = estimateOf(spec);
    if (spec.objectives?.rpoSeconds !== 0 || !estimate) return [];
    const failing = missing(estimate, 'rpoMet');
    if (failing.length === 0) return [];
    const losses = failing
      .map((f) => {
        const stores = f.steps
          .filter((s) => s.objective === 'rpo' && s.worstSeconds > 0)
          .map((s) => `${s.label}, up to ${s.worstSeconds} s`)
          .join('; ');
        return `${f.title}: ${stores}`;
      })
      .join('. ');
    return [
      withFix(
        problem(
          rpoZeroRule,
          'spec.objectives.rpoSeconds',
          `an RPO of 0 means no committed write may be lost, but the estate replicates asynchronously (${losses}). ` +
            `Write the data loss the business accepts: rpoSeconds: ${estimate.rpoSeconds} is what this estate delivers in the worst case (${SEE}); ` +
            'a planned switchover (drctl drill) loses nothing',
        ),
        { path: 'spec.objectives.rpoSeconds', value: estimate.rpoSeconds },
      ),
    ];
  },
};

/** An RPO above zero that the model's worst case misses: one warning per failure and change the model advises. */
export const rpoRule: PolicyRule = {
  id: 'objectives.rpo-not-met',
  severity: 'warning',
  summary: 'rpoSeconds below what a failure the objectives apply to loses in the worst case (the objectives model) is not met.',
  check: (spec) => {
    const estimate = estimateOf(spec);
    const rpo = spec.objectives?.rpoSeconds;
    if (!estimate || rpo === undefined || rpo === 0) return [];
    return missing(estimate, 'rpoMet').flatMap((f) => {
      const worst = `it loses up to ${f.rpo.worstSeconds} s of writes in the worst case (${f.rpo.limitedBy}; ${f.rpo.typicalSeconds} s typically)`;
      return estimate.advice
        .filter((a) => a.objective === 'rpo' && a.failure === f.failure)
        .map((a) => problem(rpoRule, a.field, `an RPO of ${rpo} s is not met for ${f.title}: ${worst}. ${a.change} (${SEE})`));
    });
  },
};

/** The lag alarm fires before the RPO is breached. */
export const lagThresholdRule: PolicyRule = {
  id: 'monitoring.lag-threshold-above-rpo',
  severity: 'warning',
  summary: 'monitoring.replicationLagThresholdSeconds above rpoSeconds lets the estate breach its RPO without an alarm.',
  check: (spec) => {
    const rpo = spec.objectives?.rpoSeconds;
    const threshold = spec.monitoring?.replicationLagThresholdSeconds;
    if (rpo === undefined || threshold === undefined || rpo === 0 || threshold <= rpo) return [];
    return [
      problem(
        lagThresholdRule,
        'spec.monitoring.replicationLagThresholdSeconds',
        `the replication-lag alarm fires at ${threshold}s but the RPO is ${rpo}s, so lag can breach the RPO without an alarm; write replicationLagThresholdSeconds: ${rpo} or less`,
      ),
    ];
  },
};

/** An RTO the model's worst case misses: per failure, the steps that add up to it and what the model advises. */
export const rtoRule: PolicyRule = {
  id: 'objectives.rto-not-met',
  severity: 'warning',
  summary:
    'rtoMinutes below the worst-case recovery time of a failure the objectives apply to (detection + decision + promotion + DNS through the path that runs for it, the objectives model) is not met.',
  check: (spec) => {
    const estimate = estimateOf(spec);
    if (!spec.objectives || !estimate) return [];
    const objective = spec.objectives.rtoMinutes;
    return missing(estimate, 'rtoMet').map((f) => {
      const steps = f.steps
        .filter((s) => s.objective === 'rto' && s.counted && s.worstSeconds > 0)
        .map((s) => `${s.id} ${s.worstSeconds}s`);
      const options = estimate.advice.filter((a) => a.objective === 'rto' && a.failure === f.failure).map((a) => a.change);
      const accept = `write rtoMinutes: ${Math.ceil(f.rto.worstMinutes)} (what this estate delivers in the worst case)`;
      const fix = options.length > 0 ? `${options.join('; ')}; or ${accept}` : accept;
      return problem(
        rtoRule,
        'spec.objectives.rtoMinutes',
        `an RTO of ${objective} min is not met for ${f.title} (${f.path}): recovery takes up to ${steps.join(' + ')} = ${f.rto.worstMinutes} min ` +
          `(${f.rto.typicalMinutes} min typically; ${SEE}). Options (savings are worst case): ${fix}`,
      );
    });
  },
};

/** Rules of the objectives. */
export const OBJECTIVE_RULES: readonly PolicyRule[] = [rpoZeroRule, rpoRule, lagThresholdRule, rtoRule];
