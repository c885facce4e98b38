/**
 * RPO: an unplanned failover loses what had not replicated yet, so each store's RPO is its
 * replication lag and the estate's is the worst store's.
 */
import { PROMOTION } from '../timings.js';
import { step } from './steps.js';
import { worstStore } from './stores.js';
import type { Step, StoreObjective } from './types.js';

const slug = (store: string): string => store.replace(/\s+/g, '-');

/** One RPO step per store (the worst one counted), plus planned switchover for information. */
export function rpoSteps(stores: readonly StoreObjective[]): Step[] {
  const worst = worstStore(stores);
  const lags = stores.map((s) =>
    step(
      'rpo',
      `lag-${slug(s.store)}`,
      `${s.store}: ${s.technology}, replication lag`,
      s.rpo.typicalSeconds,
      s.rpo.worstSeconds,
      s.rpo.source,
      s === worst,
    ),
  );
  const switchover = stores.some((s) => s.store === 'database')
    ? [
        step(
          'rpo',
          'planned-switchover',
          'planned switchover (drills, planned moves): the secondary catches up first, no data loss',
          0,
          0,
          PROMOTION.auroraPlannedSwitchover.source,
          false,
        ),
      ]
    : [];
  return [...lags, ...switchover];
}

/** The estate's RPO: the worst store's lag (0 with no data stores: nothing to lose). */
export function rpoOf(stores: readonly StoreObjective[]) {
  const worst = worstStore(stores);
  return {
    typicalSeconds: Math.max(0, ...stores.map((s) => s.rpo.typicalSeconds)),
    worstSeconds: worst?.rpo.worstSeconds ?? 0,
    guaranteed: stores.every((s) => s.rpo.bounded),
    limitedBy: worst?.store,
  };
}
