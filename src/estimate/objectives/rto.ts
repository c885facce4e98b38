/**
 * RTO per failure type: the steps from the failure to clients being served by a healthy region, one after another,
 * through the path that really runs for that failure in this estate (today's failover machinery, src/compose/failover.ts):
 *
 * - Loss of the primary region: automatic mode's trigger (the estate-at-risk composite alarm and the EventBridge rule)
 *   lives in the primary region, so it does not run. People notice, decide and run `drctl failover --unplanned --yes`;
 *   the commit reaches the orchestrator through Argo CD and Crossplane; Aurora fails over with data loss.
 * - Application fault in the primary (the region and its stores are up): automatic mode's alarm can start the
 *   orchestrator when one of its member alarms sees the fault; otherwise people and GitOps. The database moves as
 *   failover.allowDataLoss says (switchover, no loss, by default).
 * - Planned switchover: an operator commits the change; no detection and no one paged.
 *
 * Detection and DNS steps are conservative: they are added one after another although health-check DNS failover can
 * overlap the decision.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { FailureType } from '../../api/fields.js';
import { failoverBlocker } from '../../compose/estate.js';
import { DETECTION, DNS, PROMOTION, type Timing } from '../timings.js';
import { step, timed, total } from './steps.js';
import { slowestOf, storeObjectives } from './stores.js';
import type { Step, StoreObjective } from './types.js';

/** The region whose Route 53 health-check metrics (and so the health alarms) exist: us-east-1 only. */
const HEALTH_METRICS_REGION = 'us-east-1';

/** How the failover starts for a failure: the automatic trigger (and which alarm sees the fault), or people. */
export interface Trigger {
  readonly automatic: boolean;
  /** Which alarm starts it (automatic), or why people decide (manual). */
  readonly why: string;
  /** Health-check alarm or the service's error alarm (automatic only). */
  readonly alarm?: 'health' | 'errors';
}

/** How a failover starts for a failure in this estate. */
export function triggerOf(spec: DisasterRecoverySpec, failure: FailureType): Trigger {
  if (failure === 'planned-switchover') return { automatic: false, why: 'an operator moves the estate on purpose' };
  const mode = spec.failover?.mode ?? 'manual';
  if (mode !== 'automatic') return { automatic: false, why: 'failover.mode: manual' };
  const blocker = failoverBlocker(spec);
  if (blocker)
    return {
      automatic: false,
      why: `failover.mode is automatic, but no failover orchestrator is composed (it needs ${blocker})`,
    };
  if (failure === 'region-loss')
    return {
      automatic: false,
      why: `failover.mode is automatic, but its estate-at-risk alarm and trigger live in the lost primary region ${spec.regions.primary} and do not run`,
    };
  if (spec.routing && spec.regions.primary === HEALTH_METRICS_REGION)
    return { automatic: true, alarm: 'health', why: 'the primary health-check alarm is part of the estate-at-risk alarm' };
  if (spec.service)
    return { automatic: true, alarm: 'errors', why: "the primary service's error alarm is part of the estate-at-risk alarm" };
  return {
    automatic: false,
    why: `failover.mode is automatic, but no member of the estate-at-risk alarm sees an application fault (health-check alarms exist only in ${HEALTH_METRICS_REGION}, and there is no service)`,
  };
}

function healthCheckStep(spec: DisasterRecoverySpec, what: string): Step[] {
  const routing = spec.routing;
  if (!routing) return [];
  const { intervalSeconds: interval, failureThreshold: threshold } = routing.healthCheck;
  return [
    step(
      'rto',
      'health-check',
      `Route 53 health checks mark ${what} unhealthy: ${interval} s interval × ${threshold} failures`,
      interval * threshold,
      interval * (threshold + DETECTION.healthCheckExtraIntervals),
      DETECTION.healthCheckSource,
    ),
  ];
}

/** From a commit in git to the orchestrator running (or, without one, the records moving): Argo CD, then watches. */
function gitOpsSteps(spec: DisasterRecoverySpec): Step[] {
  const blocker = failoverBlocker(spec);
  const react = blocker
    ? `Crossplane and the provider react through watches and move the records (no orchestrator: it needs ${blocker})`
    : 'Crossplane and the provider react through watches; the Invocation starts the orchestrator';
  return [
    timed('argocd-poll', 'Argo CD notices the commit (polling, no webhook)', DETECTION.argoPoll),
    timed('argocd-sync', 'Argo CD applies the changed claim', DETECTION.argoSync),
    timed('crossplane-watch', react, DETECTION.crossplaneWatch),
  ];
}

function decisionSteps(spec: DisasterRecoverySpec, failure: FailureType, trigger: Trigger): Step[] {
  if (trigger.automatic) {
    const alarm: Timing = trigger.alarm === 'health' ? DETECTION.alarm : DETECTION.serviceErrorsAlarm;
    const label =
      trigger.alarm === 'health'
        ? 'estate-at-risk alarm fires on the primary health-check alarm (failover.mode: automatic)'
        : "estate-at-risk alarm fires on the primary service's Lambda errors (failover.mode: automatic)";
    return [
      timed('alarm', label, alarm),
      timed('orchestrator', 'EventBridge starts the failover orchestrator in the primary region', DETECTION.orchestratorStart),
    ];
  }
  if (failure === 'planned-switchover') return gitOpsSteps(spec);
  const command = failure === 'region-loss' ? 'drctl failover --unplanned --yes' : 'drctl failover';
  return [timed('human', `people notice, confirm and decide, then run ${command}`, DETECTION.human), ...gitOpsSteps(spec)];
}

/** Whether the database moves without data loss (SwitchoverGlobalCluster) for a failure. */
export const losslessDatabase = (spec: DisasterRecoverySpec, failure: FailureType): boolean =>
  failure === 'planned-switchover' || (failure === 'application-fault' && !spec.failover?.allowDataLoss);

function promotionSteps(spec: DisasterRecoverySpec, failure: FailureType, stores: readonly StoreObjective[]): Step[] {
  const planned = losslessDatabase(spec, failure);
  const promotion = (s: StoreObjective) => (planned && s.switchover ? s.switchover : s.promotion);
  const slowest = slowestOf(stores, (s) => promotion(s).worstSeconds);
  return stores.map((s) => {
    const p = promotion(s);
    const parallel = s === slowest ? '' : ' (in parallel with a slower store)';
    return step(
      'rto',
      `promote-${s.store.replace(/\s+/g, '-')}`,
      `${s.store}: ${p.label}${parallel}`,
      p.typicalSeconds,
      p.worstSeconds,
      p.source,
      s === slowest,
      { typical: p.typicalBasis, worst: p.worstBasis },
    );
  });
}

function dnsSteps(spec: DisasterRecoverySpec): Step[] {
  const routing = spec.routing;
  if (!routing) {
    const label = 'no routing section: clients must be pointed at the new region by other means (not timed here)';
    return [step('rto', 'dns', label, 0, 0, 'spec.routing is absent', false)];
  }
  const ttl = routing.ttlSeconds;
  return [
    step('rto', 'dns', `DNS answers expire: TTL ${ttl} s`, ttl, ttl + DNS.propagationWorstSeconds, DNS.source, true, {
      typical: 'configured',
      worst: 'documented',
    }),
  ];
}

/** Every RTO step of a failure, in the order they happen. */
export function rtoSteps(
  spec: DisasterRecoverySpec,
  failure: FailureType = 'region-loss',
  stores: readonly StoreObjective[] = storeObjectives(spec),
): Step[] {
  const trigger = triggerOf(spec, failure);
  const detection =
    failure === 'planned-switchover' || (trigger.automatic && trigger.alarm === 'errors')
      ? []
      : healthCheckStep(spec, failure === 'region-loss' ? 'the primary region' : 'the primary service');
  return [
    ...detection,
    ...decisionSteps(spec, failure, trigger),
    ...promotionSteps(spec, failure, stores),
    ...(spec.service
      ? [timed('service', 'regional service already deployed and warm in every region', PROMOTION.warmService)]
      : []),
    ...dnsSteps(spec),
  ];
}

/** Typical and worst-case RTO of a failure in seconds. */
export function rtoSecondsOf(
  spec: DisasterRecoverySpec,
  failure: FailureType = 'region-loss',
): { typicalSeconds: number; worstSeconds: number } {
  return total(rtoSteps(spec, failure));
}
