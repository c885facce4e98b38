/**
 * RTO: the steps from a regional failure to clients being served by a healthy region, one after
 * another: detection, the decision (an alarm, or people), promotion of the slowest data store
 * (stores promote in parallel), the already-warm service (when the estate has one), and DNS.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { DETECTION, DNS, PROMOTION } from '../timings.js';
import { step, timed, total } from './steps.js';
import { slowestPromotion, storeObjectives } from './stores.js';
import type { Step, StoreObjective } from './types.js';

/** True when failover starts on its own: automatic mode with the alarm that triggers it. */
export const automaticFailover = (spec: DisasterRecoverySpec): boolean =>
  spec.failover?.mode === 'automatic' && spec.monitoring !== undefined;

function detectionSteps(spec: DisasterRecoverySpec): Step[] {
  const routing = spec.routing;
  if (!routing) return [];
  const { intervalSeconds: interval, failureThreshold: threshold } = routing.healthCheck;
  const label = `Route 53 health checks mark the region unhealthy: ${interval} s interval × ${threshold} failures`;
  return [
    step(
      'rto',
      'health-check',
      label,
      interval * threshold,
      interval * (threshold + DETECTION.healthCheckExtraIntervals),
      DETECTION.healthCheckSource,
    ),
  ];
}

function decisionSteps(spec: DisasterRecoverySpec): Step[] {
  if (automaticFailover(spec)) {
    return [
      timed('alarm', 'estate-at-risk alarm evaluates (failover.mode: automatic)', DETECTION.alarm),
      timed('orchestrator', 'EventBridge starts the failover orchestrator', DETECTION.orchestratorStart),
    ];
  }
  const why =
    spec.failover?.mode === 'automatic'
      ? 'failover.mode is automatic but there is no monitoring section to raise the alarm, so people decide'
      : 'failover.mode: manual';
  return [
    timed('human', `people notice, confirm and decide to fail over (${why})`, DETECTION.human),
    timed('gitops', 'activeRegion changed in git; Argo CD syncs, Crossplane starts the orchestrator', DETECTION.gitOps),
  ];
}

function promotionSteps(stores: readonly StoreObjective[]): Step[] {
  const slowest = slowestPromotion(stores);
  return stores.map((s) => {
    const parallel = s === slowest ? '' : ' (in parallel with a slower store)';
    return step(
      'rto',
      `promote-${s.store.replace(/\s+/g, '-')}`,
      `${s.store}: ${s.promotion.label}${parallel}`,
      s.promotion.typicalSeconds,
      s.promotion.worstSeconds,
      s.promotion.source,
      s === slowest,
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
  return [step('rto', 'dns', `DNS answers expire: TTL ${ttl} s`, ttl, ttl + DNS.propagationWorstSeconds, DNS.source)];
}

/** Every RTO step of a spec, in the order they happen. */
export function rtoSteps(spec: DisasterRecoverySpec, stores: readonly StoreObjective[] = storeObjectives(spec)): Step[] {
  return [
    ...detectionSteps(spec),
    ...decisionSteps(spec),
    ...promotionSteps(stores),
    ...(spec.service
      ? [timed('service', 'regional service already deployed and warm in every region', PROMOTION.warmService)]
      : []),
    ...dnsSteps(spec),
  ];
}

/** Typical and worst-case RTO of a spec in seconds. */
export function rtoSecondsOf(spec: DisasterRecoverySpec): { typicalSeconds: number; worstSeconds: number } {
  return total(rtoSteps(spec));
}

/**
 * A planned switchover (a drill, or moving regions on purpose): no outage to detect and no one to page; the change of
 * activeRegion reaches Crossplane through git, the database switches over without data loss (the slowest step when
 * there is one), and DNS follows. Tables and buckets have nothing to promote.
 */
export function switchoverSteps(spec: DisasterRecoverySpec): Step[] {
  return [
    timed('gitops', 'activeRegion changed in git; Argo CD syncs, Crossplane starts the orchestrator', DETECTION.gitOps),
    ...(spec.database
      ? [
          timed(
            'switchover-database',
            'database: Aurora planned switchover (SwitchoverGlobalCluster, no data loss)',
            PROMOTION.auroraPlannedSwitchover,
          ),
        ]
      : []),
    ...dnsSteps(spec),
  ];
}
