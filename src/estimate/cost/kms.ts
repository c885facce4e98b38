/**
 * KMS: one key-month per customer-managed Key in the plan (every primitive composes its own keys,
 * so this grows as primitives are added, with no change here), plus API requests per region.
 * Source: the plan only; keys a primitive will add appear as soon as compose emits them.
 */
import { GROUPS } from '../inventory.js';
import { line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';

/** KMS lines of one region. */
function regionLines(ctx: CostContext, region: string): PlacedLine[] {
  const keys = ctx.inventory.count({ group: GROUPS.kms, kind: 'Key', region });
  if (keys === 0) return [];
  const base = { component: 'KMS', region, basis: 'plan' as const };
  return [
    line({ ...base, item: `customer managed keys (${keys})`, quantity: keys, priceId: 'kmsKey' }),
    line({ ...base, item: 'API requests', quantity: ctx.assumptions.kms.requestsPerMonth / 10_000, priceId: 'kmsRequests' }),
  ];
}

/** Every KMS line. */
export function kmsLines(ctx: CostContext): PlacedLine[] {
  return ctx.regions.flatMap((region) => regionLines(ctx, region));
}
