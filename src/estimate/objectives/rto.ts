/**
 * RTO per failure type: the steps from the failure to clients being served by a healthy region, one after another,
 * through the path that really runs for that failure in this estate (src/primitives/failover/compose.ts, src/compose/failover-trigger.ts and
 * failover-workflow.ts: every failover is a Step Functions execution of the orchestrator's steps):
 *
 * - Automatic mode (with a composed orchestrator): the standby region probes the serving region's /health every
 *   minute; three failed probes in a row raise its signal alarm, CloudWatch evaluates the composite trigger alarm,
 *   EventBridge starts the standby's orchestrator and the workflow fails over unplanned (FailoverGlobalCluster with
 *   AllowDataLoss), unless its check-rpo step finds the standby's Aurora lag before the loss above the RPO guard or
 *   unknown (the run is then held and people decide). It runs for the loss of the primary region and for an
 *   application fault that fails /health alike.
 * - Otherwise people notice, decide and run `drctl failover` (`--unplanned --yes` when the region is lost); the commit
 *   reaches the orchestrator through Argo CD and Crossplane's watches, and the Invocation starts the workflow; the
 *   database moves as failover.allowDataLoss says.
 * - Planned switchover: an operator commits the change; no detection and no one paged.
 * - routing.control arc, armed: the orchestrator's switch-dns step flips the routing controls in every run (automatic
 *   or started from git); people flip them only where no orchestrator is composed.
 *
 * - Region loss, with an orchestrator: its wait-turn step may ask the lost region's Step Functions again for
 *   ASK_AGAIN_LIMIT_SECONDS (150 s) of looks that hang or answer 5xx rather than refuse, plus the first look's timeout
 *   and one look's interval and timeout: TURN_DROP_WORST_SECONDS, 165 s (worst case only).
 *
 * Detection and DNS steps are conservative: they are added one after another although health-check DNS failover can
 * overlap the decision.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { FailureType } from '../../api/fields.js';
import { failoverBlocker } from '../../primitives/failover/rules.js';
import { DEFAULT_GUARD_SECONDS, rpoGuardSeconds } from '../../compose/failover-trigger.js';
import { ARC_TIMING, DETECTION, DNS, PROMOTION } from '../../facts/timings.js';
import { arcArmed } from '../../api/sections.js';
import { ASK_AGAIN_LIMIT_SECONDS, TURN_DROP_WORST_SECONDS } from '../../../lambda/shared/workflow-contract.js';
import { eachPrimitive } from '../../primitives/registry.js';
import { step, timed, total } from './steps.js';
import { slowestOf, storeObjectives } from './stores.js';
import type { Step, StoreObjective } from './types.js';

/** How a failover starts for a failure: the automatic trigger in the standby region, or people. */
export interface Trigger {
  readonly automatic: boolean;
  /** What starts it (automatic), or why people decide (manual). */
  readonly why: string;
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
  const guard = spec.objectives ? `${rpoGuardSeconds(spec.objectives)} s (rpoSeconds)` : `${DEFAULT_GUARD_SECONDS} s`;
  return {
    automatic: true,
    why: `the standby region probes ${spec.regions.primary}'s /health and its trigger alarm starts an unplanned failover (the run is held when the standby's Aurora lag exceeds ${guard} in the 5 minutes before the loss, or is unknown: then people decide)`,
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
  if (trigger.automatic)
    return [
      timed(
        'probe-signal',
        `the standby's probe fails ${spec.regions.primary}'s /health in 3 consecutive one-minute periods (trigger alarm)`,
        DETECTION.probeSignal,
      ),
      timed(
        'trigger-evaluation',
        'CloudWatch evaluates the composite trigger alarm and EventBridge matches its state change',
        DETECTION.triggerEvaluation,
      ),
      timed(
        'orchestrator',
        "EventBridge invokes the standby's orchestrator, which starts the failover workflow",
        DETECTION.orchestratorStart,
      ),
    ];
  if (failure === 'planned-switchover') return gitOpsSteps(spec);
  const command = failure === 'region-loss' ? 'drctl failover --unplanned --yes' : 'drctl failover';
  return [timed('human', `people notice, confirm and decide, then run ${command}`, DETECTION.human), ...gitOpsSteps(spec)];
}

/**
 * Region loss with an orchestrator: the run's first step, wait-turn, lists the workflow's RUNNING executions in every
 * region. A lost region that refuses is left out at once (typical 0); one whose Step Functions endpoint hangs or
 * answers 5xx is asked again for ASK_AGAIN_LIMIT_SECONDS of such looks before it is left out, which with the first
 * look's timeout and the last look's interval and timeout is TURN_DROP_WORST_SECONDS after the step's start (worst).
 */
function turnSteps(spec: DisasterRecoverySpec, failure: FailureType): Step[] {
  if (failure !== 'region-loss' || failoverBlocker(spec)) return [];
  return [
    step(
      'rto',
      'wait-turn',
      `the run's wait-turn step leaves out ${spec.regions.primary}'s Step Functions: at once when it refuses, after ${ASK_AGAIN_LIMIT_SECONDS} s of looks that hang or answer 5xx (at most ${TURN_DROP_WORST_SECONDS} s with the looks' timeouts and interval)`,
      0,
      TURN_DROP_WORST_SECONDS,
      `drplane's failover orchestrator, lambda/failover/turn.ts (ASK_AGAIN_LIMIT_SECONDS and TURN_DROP_WORST_SECONDS in lambda/shared/workflow-contract.ts): wait-turn asks again the region it fails away from while it times out or answers 5xx, for ${ASK_AGAIN_LIMIT_SECONDS} s of such looks in a row, then leaves it out: ${TURN_DROP_WORST_SECONDS} s from the step's start at most (the first look's 5 s listing timeout, the ${ASK_AGAIN_LIMIT_SECONDS} s, then one 5 s wait and one 5 s timeout); a refused connection is left out at once`,
      true,
      { typical: 'configured', worst: 'configured' },
    ),
  ];
}

/** Whether the database moves without data loss (SwitchoverGlobalCluster) for a failure. */
export const losslessDatabase = (spec: DisasterRecoverySpec, failure: FailureType): boolean =>
  failure === 'planned-switchover' ||
  (failure === 'application-fault' && !spec.failover?.allowDataLoss && !triggerOf(spec, failure).automatic);

/** Why the database moves with data loss while the primary region is up: the automatic path, or the claim's setting. */
export const unplannedReason = (spec: DisasterRecoverySpec, failure: FailureType): string =>
  triggerOf(spec, failure).automatic ? 'automatic failover is always unplanned' : 'failover.allowDataLoss: true';

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

/**
 * What the primitives with a part in recovery add after the promotion (their `recoverySteps`, in the estate's order):
 * an EKS standby's scale-up, say.
 */
function primitiveRecoverySteps(spec: DisasterRecoverySpec, failure: FailureType, automatic: boolean): Step[] {
  return eachPrimitive((_kind, p) => p.recoverySteps?.(spec, failure, automatic) ?? []).flat();
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

/**
 * routing.control arc, armed (routing.arc.armed): the records follow the routing controls. Where an orchestrator is
 * composed, every failover run (GitOps, `--apply`, automatic) flips them in its switch-dns step (lambda/failover/
 * steps.ts switchControls: one UpdateRoutingControlStates through a cluster endpoint), so the flip is a step of the run
 * and nobody has to decide it; without one (failoverBlocker) people flip them with the ARC CLI, after the decision
 * decisionSteps already counts. Unarmed, the records keep the endpoint checks and move as with health-check.
 */
function arcSteps(spec: DisasterRecoverySpec): Step[] {
  if (!spec.routing || !spec.service || !arcArmed(spec.routing)) return [];
  const blocker = failoverBlocker(spec);
  const who = blocker
    ? `by people, with the ARC CLI: no orchestrator is composed (it needs ${blocker})`
    : "by the orchestrator's switch-dns step";
  return [
    timed(
      'arc-flip',
      `the routing controls are flipped through a cluster endpoint (${who}), and the routing-control health checks follow`,
      ARC_TIMING.flip,
    ),
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
    failure === 'planned-switchover' || trigger.automatic
      ? []
      : healthCheckStep(spec, failure === 'region-loss' ? 'the primary region' : 'the primary service');
  return [
    ...detection,
    ...decisionSteps(spec, failure, trigger),
    ...turnSteps(spec, failure),
    ...promotionSteps(spec, failure, stores),
    ...(spec.service
      ? [timed('service', 'regional service already deployed and warm in every region', PROMOTION.warmService)]
      : []),
    ...primitiveRecoverySteps(spec, failure, trigger.automatic),
    ...arcSteps(spec),
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
