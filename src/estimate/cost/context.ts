/** What every cost component reads: the spec, the plan's inventory, the assumptions and where traffic lands. */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { CostAssumptions } from '../assumptions.js';
import type { Inventory } from '../inventory.js';

/** Input of every cost component. */
export interface CostContext {
  /**
   * The claim's spec. The cost model reads the plan: the spec only for `regions`, `active` and `shares` below, whether
   * the claim has a database, routing or monitoring section, and routing.ttlSeconds when no planned record has a TTL
   * (README.md, src/estimate/). A component that needs another fact reads it from the plan's resources or their
   * nested composites' specs (Inventory.parent, Inventory.nested).
   */
  readonly spec: DisasterRecoverySpec;
  readonly inventory: Inventory;
  readonly assumptions: CostAssumptions;
  /** Every region, primary first. */
  readonly regions: readonly string[];
  /** Region that serves traffic and takes writes (spec.activeRegion, else the primary). */
  readonly active: string;
  /** Share of client traffic each region serves (sums to 1). */
  readonly shares: Readonly<Record<string, number>>;
}

/**
 * The routing policy in effect: the API defaults to failover for two regions and latency for three
 * or more (spec.routing.policy description); undefined without a routing section.
 */
export function routingPolicy(spec: DisasterRecoverySpec): 'failover' | 'latency' | undefined {
  if (!spec.routing) return undefined;
  return spec.routing.policy ?? (spec.regions.secondaries.length >= 2 ? 'latency' : 'failover');
}

/**
 * Traffic share per region: latency records spread clients evenly over every healthy region;
 * failover records (or no routing at all) send everything to the active region.
 */
export function trafficShares(spec: DisasterRecoverySpec, regions: readonly string[], active: string): Record<string, number> {
  const spread = routingPolicy(spec) === 'latency';
  return Object.fromEntries(regions.map((r) => [r, spread ? 1 / regions.length : r === active ? 1 : 0]));
}

/** Builds the context of one estimate. */
export function costContext(spec: DisasterRecoverySpec, inventory: Inventory, assumptions: CostAssumptions): CostContext {
  const regions = [spec.regions.primary, ...spec.regions.secondaries];
  const active = spec.activeRegion ?? spec.regions.primary;
  return { spec, inventory, assumptions, regions, active, shares: trafficShares(spec, regions, active) };
}
