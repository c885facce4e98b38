/**
 * Rules that compare the claim's recovery objectives with what its replication and failover can do.
 *
 * Decisions, documented here and in every message:
 * - RPO 0 with any data store is an error: every replication drplane composes (Aurora global,
 *   DynamoDB global tables, S3 replication) is asynchronous, so some recent writes can be lost.
 * - An RPO below the typical lag of Aurora (~1 s) or DynamoDB (~2 s) is a warning: usually met,
 *   not guaranteed.
 * - With buckets, an RPO below 900 s is a WARNING, not an error: S3 Replication Time Control
 *   guarantees 99.99% of objects within 15 minutes, so objects are covered only to 15 minutes while
 *   the tables and the database meet the tighter RPO. A bucket without RTC has no time guarantee.
 * - An RTO the objectives model (src/estimate, `drctl objectives`) misses even in the typical case is a
 *   warning; the model's numbers are the only ones, so validate and objectives never disagree.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { estimateObjectives } from '../../estimate/objectives.js';
import { AURORA_GLOBAL_LAG, DYNAMODB_GLOBAL_LAG, type ReplicationLag, S3_RTC_LAG } from '../data/recovery-times.js';
import { type PolicyRule, type Problem, problem } from '../types.js';

/** The asynchronous replication mechanisms of an estate, slowest first. */
export function replicationIn(spec: DisasterRecoverySpec): ReplicationLag[] {
  const lags: ReplicationLag[] = [];
  if ((spec.buckets ?? []).length > 0) lags.push(S3_RTC_LAG);
  if ((spec.tables ?? []).length > 0) lags.push(DYNAMODB_GLOBAL_LAG);
  if (spec.database) lags.push(AURORA_GLOBAL_LAG);
  return lags;
}

/** RPO 0 cannot be met by asynchronous replication. */
export const rpoZeroRule: PolicyRule = {
  id: 'objectives.rpo-zero',
  severity: 'error',
  summary: 'rpoSeconds: 0 cannot be met: every replication drplane composes is asynchronous.',
  check: (spec) => {
    const lags = replicationIn(spec);
    if (spec.objectives?.rpoSeconds !== 0 || lags.length === 0) return [];
    const fastest = lags[lags.length - 1]!;
    return [
      problem(
        rpoZeroRule,
        'spec.objectives.rpoSeconds',
        `an RPO of 0 means no committed write may be lost, but the estate replicates asynchronously: ${lags.map((l) => l.what).join('; ')}. ` +
          `Write the data loss the business accepts, at least ${fastest.seconds} (the fastest replication here)`,
      ),
    ];
  },
};

/** An RPO below the typical lag of Aurora or DynamoDB is usually met, not guaranteed. */
export const rpoBelowLagRule: PolicyRule = {
  id: 'objectives.rpo-below-lag',
  severity: 'warning',
  summary: 'rpoSeconds below the typical replication lag of Aurora (~1 s) or DynamoDB (~2 s) is not guaranteed.',
  check: (spec) => {
    const rpo = spec.objectives?.rpoSeconds;
    if (rpo === undefined || rpo === 0) return [];
    return replicationIn(spec)
      .filter((lag) => lag !== S3_RTC_LAG && rpo < lag.seconds)
      .map((lag) =>
        problem(
          rpoBelowLagRule,
          'spec.objectives.rpoSeconds',
          `an RPO of ${rpo}s is below ${lag.what}, so a regional outage can lose more; write rpoSeconds: ${lag.seconds} or more`,
        ),
      );
  },
};

/** Objects in S3 are covered only within RTC's 15 minutes (or without any bound when RTC is off). */
export const rpoBucketsRule: PolicyRule = {
  id: 'objectives.rpo-buckets',
  severity: 'warning',
  summary:
    'S3 replication covers objects within 15 minutes with RTC and without a bound without it; an RPO below 900 s does not hold for buckets.',
  check: (spec) => {
    const rpo = spec.objectives?.rpoSeconds;
    if (rpo === undefined || rpo === 0) return [];
    return (spec.buckets ?? []).flatMap((bucket, index): Problem[] => {
      const path = `spec.buckets[${index}]`;
      if (!bucket.replicationTimeControl) {
        return [
          problem(
            rpoBucketsRule,
            `${path}.replicationTimeControl`,
            `bucket ${bucket.name} replicates without Replication Time Control, which gives no time guarantee for objects; set replicationTimeControl: true to bound it to 15 minutes`,
          ),
        ];
      }
      if (rpo >= S3_RTC_LAG.seconds) return [];
      const others = [(spec.tables ?? []).length > 0 ? 'the DynamoDB tables' : '', spec.database ? 'the Aurora database' : '']
        .filter(Boolean)
        .join(' and ');
      const holds = others ? `an RPO of ${rpo}s holds for ${others}, but objects` : `with an RPO of ${rpo}s, objects`;
      return [
        problem(
          rpoBucketsRule,
          path,
          `${holds} in bucket ${bucket.name} are covered only within 15 minutes (S3 RTC replicates 99.99% of objects within 900s). ` +
            'Accept that for objects (this is a warning), keep data that needs the tighter RPO out of S3, or write rpoSeconds: 900',
        ),
      ];
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

/**
 * An RTO the estate misses even in the typical case. The recovery time is the objectives model's (the same
 * numbers `drctl objectives` prints): detection, the decision (alarm or people and GitOps), promotion of the
 * slowest store, DNS. Missing only the worst case is for `drctl objectives` to report, not a validation warning.
 */
export const rtoRule: PolicyRule = {
  id: 'objectives.rto-below-recovery',
  severity: 'warning',
  summary:
    'rtoMinutes below the typical recovery time (detection + decision + promotion + DNS, as `drctl objectives` models it) cannot be met.',
  check: (spec) => {
    if (!spec.objectives) return [];
    const estimate = estimateObjectives(spec);
    if (estimate.rto.metTypically !== false) return [];
    const steps = estimate.steps
      .filter((s) => s.objective === 'rto' && s.counted && s.typicalSeconds > 0)
      .map((s) => `${s.id} ${s.typicalSeconds}s`);
    const options = estimate.advice.filter((a) => a.objective === 'rto').map((a) => a.change);
    const accept = `write rtoMinutes: ${Math.ceil(estimate.typical.rtoMinutes)} or more (the typical recovery)`;
    const fix =
      options.length > 0
        ? `changes drctl objectives computes (savings are worst case): ${options.join('; ')}; or ${accept}`
        : accept;
    return [
      problem(
        rtoRule,
        'spec.objectives.rtoMinutes',
        `an RTO of ${spec.objectives.rtoMinutes} min is shorter than recovery typically takes: ${steps.join(' + ')} = ${estimate.typical.rtoMinutes} min ` +
          `(worst case ${estimate.rto.worstMinutes} min; \`drctl objectives\` shows every step and its source). Options: ${fix}`,
      ),
    ];
  },
};

/** Rules of the objectives. */
export const OBJECTIVE_RULES: readonly PolicyRule[] = [rpoZeroRule, rpoBelowLagRule, rpoBucketsRule, lagThresholdRule, rtoRule];
