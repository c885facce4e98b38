/**
 * Monthly cost estimate of an estate: per region and per component, from the spec, the plan
 * (`planClaim`) and explicit traffic assumptions, priced from the list prices in prices.ts.
 * Pure and deterministic: no I/O, the same inputs (and day, for the EKS support tier) give the same output.
 *
 * Not modelled (small, or dependent on workload details a claim does not state): VPC peering traffic,
 * SSM Parameter Store and KMS calls of the orchestrator, its own Lambda invocations, one-time replica seeding, KMS rotation surcharges after the first year.
 *
 * Every price the tables flag with `confirmBy` (a PRICES row or an inter-region pair) and
 * every model assumption the figures depend on is repeated in `notes`, so the output shows it.
 */
import type { DisasterRecoverySpec } from '../api/claim.js';
import type { PlannedResource } from '../compose/plan.js';
import { type AssumptionOverrides, type CostAssumptions, resolveAssumptions } from './assumptions.js';
import { costContext, type CostContext } from './cost/context.js';
import { kmsLines } from './cost/kms.js';
import { logLines } from './cost/logs.js';
import { Inventory } from './inventory.js';
import { PRIMITIVES } from '../primitives/registry.js';
import { type CostLine, type PlacedLine, sumUsd, TRANSFER_PRICE_IDS } from './lines.js';
import { PRICES, PRICE_TABLE_DATE, type PriceRow, type PriceStatus, priceStatusCounts, regionMultiplier } from './prices.js';
import { TRANSFER_RATES, transferNote } from './transfer.js';

/** The lines billed in one place (a region, or global services) and their total. */
export interface CostGroup {
  /** Sum of the lines' monthlyUsd (each already rounded to cents). */
  readonly totalUsd: number;
  readonly components: readonly CostLine[];
}

/** A monthly cost estimate. */
export interface CostEstimate {
  /** Sum of every region's total and the global total, in USD per month. */
  readonly totalMonthlyUsd: number;
  /** Lines billed in each region of the estate, primary first. */
  readonly regions: Readonly<Record<string, CostGroup>>;
  /** Lines of global services (Route 53 health checks and queries, CloudWatch dashboards). */
  readonly global: CostGroup;
  /** The assumptions the figures rest on (defaults with overrides applied). */
  readonly assumptions: CostAssumptions;
  /** Year and month the price table was last checked. */
  readonly priceTableDate: string;
  /** How many prices (price table, Aurora instance prices, transfer rates, modelling factors) have each status. */
  readonly priceStatus: Readonly<Record<PriceStatus, number>>;
  /**
   * Per region other than us-east-1: how many lines of region-dependent prices use the region's own row (`listed`),
   * and how many fall back to us-east-1's price × `multiplier` (`fallback`, unconfirmed for that region).
   */
  readonly regionalPrices: Readonly<Record<string, RegionalPriceUse>>;
  /** Caveats specific to this estimate (fallback prices, schedules read approximately). */
  readonly notes: readonly string[];
}

/** How a region's lines are priced where prices vary by region. */
export interface RegionalPriceUse {
  /** Lines priced from the region's own row (regional-prices.ts). */
  readonly listed: number;
  /** Lines priced at us-east-1's price × multiplier, because the table has no row for the region. */
  readonly fallback: number;
  /** The region multiplier the fallback lines use (1: us-east-1's price as is). */
  readonly multiplier: number;
}

/**
 * Every line of the estimate, with the region it is billed in: each primitive's (in the estate's order), then the
 * estate-wide ones. The failover's SSM parameters have no line: standard-tier parameters "are offered at no
 * additional cost" (botocore ssm PutParameter, Tier).
 */
function allLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  return [...Object.values(PRIMITIVES).flatMap((p) => p.cost?.(ctx, notes) ?? []), ...kmsLines(ctx), ...logLines(ctx, notes)];
}

/** Notes for the assumed prices the lines use: unconfirmed rows of the price table and unconfirmed transfer pairs. */
function priceNotes(ctx: CostContext, lines: readonly PlacedLine[]): string[] {
  const used = [...new Set(lines.filter((l) => l.monthlyUsd > 0).map((l) => l.priceId))];
  const rows = used
    .map((id) => (id === 'auroraInstance' || id === 'ec2Instance' ? undefined : (PRICES[id] as PriceRow)))
    .filter((row): row is PriceRow => row?.confirmBy !== undefined)
    .map((row) => {
      return `price of ${row.service} ${row.item} ($${row.usd} per ${row.unit}) is unconfirmed (written ${row.written}, not read on the page); confirm on ${row.source.split(' — ')[1]}: ${row.confirmBy}.`;
    });
  const sources = [
    ...new Set(lines.filter((l) => (TRANSFER_PRICE_IDS as readonly string[]).includes(l.priceId)).map((l) => l.region)),
  ];
  const pairs = sources.flatMap((from) => ctx.regions.filter((to) => to !== from).map((to) => transferNote(from, to)));
  return [...rows, ...pairs.filter((n): n is string => n !== undefined)];
}

/** Prices of each status: priceStatusCounts() plus the transfer table's rows. */
function statusCounts(): Record<PriceStatus, number> {
  const counts = priceStatusCounts();
  for (const r of TRANSFER_RATES) counts[r.status] += 1;
  return counts;
}

function group(lines: readonly PlacedLine[]): CostGroup {
  const components = lines.map(({ region: _region, ...rest }) => rest);
  return { totalUsd: sumUsd(components.map((l) => l.monthlyUsd)), components };
}

function regionalPriceUse(regions: readonly string[], lines: readonly PlacedLine[]): Record<string, RegionalPriceUse> {
  return Object.fromEntries(
    regions
      .filter((r) => r !== 'us-east-1')
      .map((r) => {
        const own = lines.filter((l) => l.region === r && l.monthlyUsd > 0);
        return [
          r,
          {
            listed: own.filter((l) => l.regionalPrice === 'listed').length,
            fallback: own.filter((l) => l.regionalPrice === 'fallback').length,
            multiplier: regionMultiplier(r).multiplier,
          },
        ];
      }),
  );
}

/** What a fallback price is, in words: "us-east-1 price used" or "us-east-1 price × 1.1 used". */
const fallbackWords = (region: string): string => {
  const m = regionMultiplier(region).multiplier;
  return m === 1 ? 'us-east-1 price used' : `us-east-1 price × ${m} used (region multiplier, an assumption)`;
};

function regionNotes(regions: readonly string[], lines: readonly PlacedLine[]): string[] {
  const unknown = regions
    .filter((r) => !regionMultiplier(r).known)
    .map(
      (r) =>
        `${r} is not in the regional price table; its regional prices are us-east-1 × ${regionMultiplier(r).multiplier} (a guess).`,
    );
  const fallbacks = regions.flatMap((r) => {
    const items = [
      ...new Set(
        lines
          .filter((l) => l.region === r && l.regionalPrice === 'fallback' && l.monthlyUsd > 0)
          .map(
            (l) =>
              `${l.component} ${l.priceId === 'auroraInstance' || l.priceId === 'ec2Instance' ? 'instance-hours' : (PRICES[l.priceId] as PriceRow).item}`,
          ),
      ),
    ];
    return items.length === 0 ? [] : [`${r}: no ${r} price for ${items.join('; ')}: ${fallbackWords(r)}, unconfirmed for ${r}.`];
  });
  return [...unknown, ...fallbacks];
}

/**
 * Estimates the monthly cost of an estate.
 * @param spec the parsed claim spec (defaults applied)
 * @param plan `planClaim(claim)` of the same claim
 * @param overrides traffic and size assumptions to change from DEFAULT_ASSUMPTIONS
 * @param today the default of the day-dependent assumptions (the EKS support tier, kubernetes.supportOn)
 */
export function estimateCost(
  spec: DisasterRecoverySpec,
  plan: readonly PlannedResource[],
  overrides: AssumptionOverrides = {},
  today: Date = new Date(),
): CostEstimate {
  const assumptions = resolveAssumptions(overrides, today);
  const ctx = costContext(spec, new Inventory(plan), assumptions);
  const notes: string[] = [];
  const lines = allLines(ctx, notes);
  const regions = Object.fromEntries(ctx.regions.map((r) => [r, group(lines.filter((l) => l.region === r))]));
  const global = group(lines.filter((l) => l.region === 'global'));
  const totalMonthlyUsd = sumUsd([...Object.values(regions).map((g) => g.totalUsd), global.totalUsd]);
  return {
    totalMonthlyUsd,
    regions,
    global,
    assumptions,
    priceTableDate: PRICE_TABLE_DATE,
    priceStatus: statusCounts(),
    regionalPrices: regionalPriceUse(ctx.regions, lines),
    notes: [...new Set([...notes, ...priceNotes(ctx, lines), ...regionNotes(ctx.regions, lines)])],
  };
}
