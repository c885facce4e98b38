/**
 * Rules that compare the claim's recovery objectives with what its estate can deliver. They read one model, the
 * objectives model of src/estimate (`drctl objectives`): validate and objectives give the same verdict with the same
 * numbers, worst case, for every claim.
 *
 * - RPO 0 with any data store is an error: every replication drplane composes (Aurora global, DynamoDB global
 *   tables, S3 replication) is asynchronous, so some recent writes can be lost.
 * - Any other objective the model misses in the worst case is a warning (the claim can be deployed; it will not
 *   deliver what it states), one per change the model advises; `drctl objectives` exits 1 on the same claim.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { estimateObjectives, type ObjectivesEstimate } from '../../estimate/objectives.js';
import { type PolicyRule, problem, withFix } from '../types.js';

const SEE = '`drctl objectives` shows every store and step with its source';

/** The estimate of a spec with objectives (the rules run it once per rule; it is pure and cheap). */
const estimateOf = (spec: DisasterRecoverySpec): ObjectivesEstimate | undefined =>
  spec.objectives ? estimateObjectives(spec) : undefined;

/** RPO 0 cannot be met by asynchronous replication. */
export const rpoZeroRule: PolicyRule = {
  id: 'objectives.rpo-zero',
  severity: 'error',
  summary: 'rpoSeconds: 0 cannot be met: every replication drplane composes is asynchronous.',
  check: (spec) => {
    const estimate = estimateOf(spec);
    if (spec.objectives?.rpoSeconds !== 0 || estimate?.rpo.met !== false) return [];
    const stores = estimate.stores.map((s) => `${s.store}: ${s.technology}, up to ${s.rpo.worstSeconds} s`).join('; ');
    return [
      withFix(
        problem(
          rpoZeroRule,
          'spec.objectives.rpoSeconds',
          `an RPO of 0 means no committed write may be lost, but the estate replicates asynchronously (${stores}). ` +
            `Write the data loss the business accepts: rpoSeconds: ${estimate.rpoSeconds} is what this estate delivers in the worst case (${SEE}); ` +
            'a planned switchover (drctl drill) loses nothing',
        ),
        { path: 'spec.objectives.rpoSeconds', value: estimate.rpoSeconds },
      ),
    ];
  },
};

/** An RPO above zero that the model's worst case misses: one warning per change the model advises. */
export const rpoRule: PolicyRule = {
  id: 'objectives.rpo-not-met',
  severity: 'warning',
  summary: 'rpoSeconds below the worst-case replication lag of a data store (the objectives model) is not met.',
  check: (spec) => {
    const estimate = estimateOf(spec);
    const rpo = spec.objectives?.rpoSeconds;
    if (!estimate || rpo === undefined || rpo === 0 || estimate.rpo.met !== false) return [];
    const worst = `the estate loses up to ${estimate.rpoSeconds} s of writes in the worst case (${estimate.rpo.limitedBy}; ${estimate.typical.rpoSeconds} s typically)`;
    return estimate.advice
      .filter((a) => a.objective === 'rpo')
      .map((a) => problem(rpoRule, a.field, `an RPO of ${rpo} s is not met: ${worst}. ${a.change} (${SEE})`));
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

/** An RTO the model's worst case misses: the steps that add up to it and what the model advises. */
export const rtoRule: PolicyRule = {
  id: 'objectives.rto-not-met',
  severity: 'warning',
  summary:
    'rtoMinutes below the worst-case recovery time (detection + decision + promotion + DNS, the objectives model) is not met.',
  check: (spec) => {
    const estimate = estimateOf(spec);
    if (!spec.objectives || !estimate || estimate.rto.met !== false) return [];
    const steps = estimate.steps
      .filter((s) => s.objective === 'rto' && s.counted && s.worstSeconds > 0)
      .map((s) => `${s.id} ${s.worstSeconds}s`);
    const options = estimate.advice.filter((a) => a.objective === 'rto').map((a) => a.change);
    const accept = `write rtoMinutes: ${Math.ceil(estimate.rto.worstMinutes)} (what this estate delivers in the worst case)`;
    const fix = options.length > 0 ? `${options.join('; ')}; or ${accept}` : accept;
    return [
      problem(
        rtoRule,
        'spec.objectives.rtoMinutes',
        `an RTO of ${spec.objectives.rtoMinutes} min is not met: recovery takes up to ${steps.join(' + ')} = ${estimate.rto.worstMinutes} min ` +
          `(${estimate.typical.rtoMinutes} min typically; ${SEE}). Options (savings are worst case): ${fix}`,
      ),
    ];
  },
};

/** Rules of the objectives. */
export const OBJECTIVE_RULES: readonly PolicyRule[] = [rpoZeroRule, rpoRule, lagThresholdRule, rtoRule];
