/** One failure type through the path that runs for it: its RPO, RTO, steps and the policy's verdict. */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { FAILURES, type FailureType } from '../../api/fields.js';
import { judgeFailure, objectiveFailures } from '../../policy/objectives-verdict.js';
import { rpoOf, rpoSteps } from './rpo.js';
import { losslessDatabase, rtoSteps, triggerOf, unplannedReason } from './rto.js';
import { minutes, total } from './steps.js';
import type { FailureEstimate, StoreObjective } from './types.js';

/** What fails, in words. */
function titleOf(spec: DisasterRecoverySpec, failure: FailureType): string {
  const primary = spec.regions.primary;
  if (failure === 'region-loss') return `loss of the primary region ${primary}`;
  if (failure === 'application-fault')
    return `application fault in the primary region ${primary} (the region and its data stores are up)`;
  return `planned switchover from ${primary} (drctl failover, drctl drill)`;
}

/** The path that runs, in words. */
function pathOf(spec: DisasterRecoverySpec, failure: FailureType): string {
  const trigger = triggerOf(spec, failure);
  const start = trigger.automatic
    ? `automatic: ${trigger.why}; EventBridge starts the orchestrator`
    : failure === 'planned-switchover'
      ? 'an operator commits activeRegion (drctl failover); Argo CD and Crossplane start the orchestrator'
      : `people and GitOps: ${trigger.why}`;
  const database = spec.database
    ? losslessDatabase(spec, failure)
      ? '; the database switches over without data loss'
      : failure === 'region-loss'
        ? '; the database fails over with data loss (FailoverGlobalCluster, AllowDataLoss)'
        : `; the database fails over with data loss (${unplannedReason(spec, failure)})`
    : '';
  return `${start}${database}`;
}

/** The estimate of one failure type. */
export function failureEstimate(
  spec: DisasterRecoverySpec,
  failure: FailureType,
  stores: readonly StoreObjective[],
): FailureEstimate {
  const rto = total(rtoSteps(spec, failure, stores));
  const rpo = rpoOf(spec, failure, stores);
  return {
    failure,
    title: titleOf(spec, failure),
    path: pathOf(spec, failure),
    objective: objectiveFailures(spec).includes(failure),
    rpo,
    rto: {
      ...rto,
      typicalMinutes: minutes(rto.typicalSeconds),
      worstMinutes: minutes(rto.worstSeconds),
    },
    steps: [...rpoSteps(spec, failure, stores), ...rtoSteps(spec, failure, stores)],
    verdict: judgeFailure(spec, failure, {
      rpoTypicalSeconds: rpo.typicalSeconds,
      rpoWorstSeconds: rpo.worstSeconds,
      rtoTypicalSeconds: rto.typicalSeconds,
      rtoWorstSeconds: rto.worstSeconds,
    }),
  };
}

/** Every failure type, in FAILURES order. */
export const failureEstimates = (spec: DisasterRecoverySpec, stores: readonly StoreObjective[]): FailureEstimate[] =>
  FAILURES.map((f) => failureEstimate(spec, f, stores));
