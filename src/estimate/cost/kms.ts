/**
 * KMS: one key-month per customer-managed Key in the plan (every primitive composes its own keys,
 * so this grows as primitives are added, with no change here), plus, for keys with automatic (yearly)
 * rotation, one rotation-month for each of the first two rotations the assumed key age has seen
 * (assumptions.kms.keyAgeYears; 2 by default, the steady state), plus API requests per region.
 * Source: the plan only; keys a primitive will add appear as soon as compose emits them.
 */
import { GROUPS, forProvider } from '../inventory.js';
import { line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';

/** KMS lines of one region. */
function regionLines(ctx: CostContext, region: string): PlacedLine[] {
  const keys = ctx.inventory.count({ group: GROUPS.kms, kind: 'Key', region });
  if (keys === 0) return [];
  const rotating = ctx.inventory
    .find({ group: GROUPS.kms, kind: 'Key', region })
    .filter((r) => forProvider(r).enableKeyRotation === true).length;
  const age = ctx.assumptions.kms.keyAgeYears;
  const rotations = Math.min(2, Math.max(0, Math.floor(age)));
  const base = { component: 'KMS', region, basis: 'plan' as const };
  const rotation =
    rotating > 0 && rotations > 0
      ? [
          line({
            ...base,
            item: `key rotations billed (${rotating} rotating keys × ${rotations}: keys ${age} years old, assumption kms.keyAgeYears)`,
            quantity: rotating * rotations,
            priceId: 'kmsKeyRotation',
          }),
        ]
      : [];
  return [
    line({ ...base, item: `customer managed keys (${keys})`, quantity: keys, priceId: 'kmsKey' }),
    ...rotation,
    line({ ...base, item: 'API requests', quantity: ctx.assumptions.kms.requestsPerMonth / 10_000, priceId: 'kmsRequests' }),
  ];
}

/** Every KMS line. */
export function kmsLines(ctx: CostContext): PlacedLine[] {
  return ctx.regions.flatMap((region) => regionLines(ctx, region));
}
