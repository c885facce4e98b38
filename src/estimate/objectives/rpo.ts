/**
 * RPO per failure type: what a failover loses. When the primary region is lost, each store loses what had not
 * replicated yet (its replication lag). While the primary region is up (an application fault, a planned
 * switchover), replication keeps running: tables and buckets lose nothing, and the database loses nothing unless
 * the failover is unplanned (failover.allowDataLoss, or automatic mode, which always is), which loses the lag of that
 * moment. In automatic mode (the trigger starts the run) that lag is bounded: check-rpo goes on only when the standby's
 * lag before the loss was within the RPO guard, so Aurora loses at most the guard plus the lag metric's one-minute
 * period (configured, bounded); a run it holds leaves the decision to people.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { FailureType } from '../../api/fields.js';
import { LAG_PERIOD_SECONDS, rpoGuardSeconds } from '../../compose/failover-trigger.js';
import { AURORA_GUARDED_LAG, PROMOTION } from '../../facts/timings.js';
import { losslessDatabase, triggerOf, unplannedReason } from './rto.js';
import { step } from './steps.js';
import { slowestOf } from './stores.js';
import type { Step, StoreObjective } from './types.js';

const slug = (store: string): string => store.replace(/\s+/g, '-');

/** A store's loss for one failure: its lag, or nothing while the region that holds the writes is up. */
interface Loss {
  readonly store: StoreObjective;
  readonly typicalSeconds: number;
  readonly worstSeconds: number;
  readonly why: string;
  readonly source: string;
  readonly bounded: boolean;
  readonly step: Step['typicalBasis'][];
}

const REGION_UP =
  'Assumption: the primary region and its data stores are up, so replication keeps running and every write reaches the other regions (a replica may lag for a while); nothing is lost.';

/** Aurora's loss on the automatic path: the lag check-rpo let through (at most the guard) plus one metric period. */
function guardedLoss(spec: DisasterRecoverySpec, s: StoreObjective): Loss {
  const guard = rpoGuardSeconds(spec.objectives);
  const period = LAG_PERIOD_SECONDS;
  return {
    store: s,
    typicalSeconds: s.rpo.typicalSeconds,
    worstSeconds: guard + period,
    why:
      `Aurora unplanned failover (automatic failover is always unplanned): it goes ahead only when the standby's lag before the loss ` +
      `was at most the RPO guard (${guard} s), and the one-minute lag metric adds up to ${period} s: loses the lag of that moment`,
    source: `${s.rpo.source} ${AURORA_GUARDED_LAG.source}`,
    bounded: true,
    step: [s.rpo.typicalBasis, 'configured'],
  };
}

function lossOf(spec: DisasterRecoverySpec, failure: FailureType, s: StoreObjective): Loss {
  const lag = (why: string): Loss => ({
    store: s,
    typicalSeconds: s.rpo.typicalSeconds,
    worstSeconds: s.rpo.worstSeconds,
    why,
    source: s.rpo.source,
    bounded: s.rpo.bounded,
    step: [s.rpo.typicalBasis, s.rpo.worstBasis],
  });
  const none = (why: string, source: string): Loss => ({
    store: s,
    typicalSeconds: 0,
    worstSeconds: 0,
    why,
    source,
    bounded: true,
    step: ['documented', 'documented'],
  });
  if (s.store === 'database' && triggerOf(spec, failure).automatic) return guardedLoss(spec, s);
  if (failure === 'region-loss') return lag(`${s.technology}, replication lag`);
  if (s.store !== 'database')
    return {
      ...none(`${s.technology}: the primary region is up, nothing is lost`, REGION_UP),
      step: ['assumption', 'assumption'],
    };
  return losslessDatabase(spec, failure)
    ? none('Aurora planned switchover: the secondary catches up first, nothing is lost', PROMOTION.auroraPlannedSwitchover.source)
    : lag(`Aurora unplanned failover (${unplannedReason(spec, failure)}): loses the replication lag of that moment`);
}

/** The per-store losses of a failure. */
export function lossesOf(spec: DisasterRecoverySpec, failure: FailureType, stores: readonly StoreObjective[]): Loss[] {
  return stores.map((s) => lossOf(spec, failure, s));
}

/** One RPO step per store (the worst one counted). */
export function rpoSteps(spec: DisasterRecoverySpec, failure: FailureType, stores: readonly StoreObjective[]): Step[] {
  const losses = lossesOf(spec, failure, stores);
  const worst = worstLoss(losses);
  return losses.map((l) =>
    step(
      'rpo',
      `lag-${slug(l.store.store)}`,
      `${l.store.store}: ${l.why}`,
      l.typicalSeconds,
      l.worstSeconds,
      l.source,
      l === worst,
      { typical: l.step[0]!, worst: l.step[1]! },
    ),
  );
}

function worstLoss(losses: readonly Loss[]): Loss | undefined {
  const worst = slowestOf(
    losses.map((l) => l.store),
    (s) => losses.find((l) => l.store === s)!.worstSeconds,
  );
  return losses.find((l) => l.store === worst);
}

/** A failure's RPO: the worst store's loss (0 with no data stores: nothing to lose). */
export function rpoOf(spec: DisasterRecoverySpec, failure: FailureType, stores: readonly StoreObjective[]) {
  const losses = lossesOf(spec, failure, stores);
  const worst = worstLoss(losses);
  const worstSeconds = worst?.worstSeconds ?? 0;
  return {
    typicalSeconds: Math.max(0, ...losses.map((l) => l.typicalSeconds)),
    worstSeconds,
    guaranteed: losses.every((l) => l.bounded),
    unbounded: losses.filter((l) => !l.bounded && l.worstSeconds > 0).map((l) => l.store.store),
    ...(worst && worstSeconds > 0 ? { limitedBy: worst.store.store } : {}),
  };
}
