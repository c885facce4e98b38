/**
 * Cost lines and money arithmetic. Every line is rounded to cents on its own; totals are sums of
 * rounded lines done in integer cents, so a total always equals the sum of the lines it shows.
 */
import { PRICES, type PriceId, type PriceOrigin, regionalUnitPrice } from './prices.js';
import { transferUsd } from './transfer.js';

/** Where the quantity of a line comes from. */
export type Basis =
  /** Counted from the plan's managed resources. */
  | 'plan'
  /** Derived from the spec because the plan does not compose this yet (or it is runtime traffic the spec sizes). */
  | 'spec';

/** One line of the estimate. */
export interface CostLine {
  /** Service or feature, e.g. "Aurora", "DynamoDB", "VPC endpoints". */
  readonly component: string;
  /** What is counted, e.g. "db.r7g.large instance-hours". */
  readonly item: string;
  /** Quantity in `unit`, rounded to 6 decimals. */
  readonly quantity: number;
  readonly unit: string;
  /** USD per unit in this region. */
  readonly unitUsd: number;
  /** quantity × unitUsd, rounded to cents. */
  readonly monthlyUsd: number;
  /** Price-table row the line is priced from. */
  readonly priceId: PriceId | 'auroraInstance' | 'ec2Instance';
  readonly basis: Basis;
  /**
   * For a price that varies by region, billed outside us-east-1: `listed` (the region's own row) or `fallback` (no row
   * for the region: us-east-1's price × the region multiplier, unconfirmed for that region). Absent otherwise.
   */
  readonly regionalPrice?: Exclude<PriceOrigin, 'us-east-1'>;
}

/** A line with the region it is billed in ('global' for Route 53 and other global services). */
export interface PlacedLine extends CostLine {
  readonly region: string;
}

/** Rounds a quantity to 6 decimals (enough to keep a fraction of a billing unit visible). */
export const roundQuantity = (n: number): number => Math.round(Number((n * 1e6).toPrecision(15))) / 1e6;

/** Whole cents of an amount in USD, rounded half away from zero after trimming float noise. */
export const cents = (usd: number): number => Math.round(Number((usd * 100).toPrecision(12)));

/** Sum of amounts that are already whole cents, exact. */
export const sumUsd = (amounts: readonly number[]): number => amounts.reduce((total, usd) => total + cents(usd), 0) / 100;

/** What a component passes to build a line. */
export interface LineInput {
  readonly component: string;
  readonly item: string;
  readonly quantity: number;
  readonly priceId: PriceId;
  readonly region: string;
  readonly basis: Basis;
}

/** A priced line from a price-table row (the row's unit, the region's price). */
export function line(input: LineInput): PlacedLine {
  const region = input.region === 'global' ? 'us-east-1' : input.region;
  const price = regionalUnitPrice(input.priceId, region);
  return priced({ ...input, unitUsd: price.usd, unit: PRICES[input.priceId].unit, origin: price.origin });
}

/** A line with an explicit unit price (Aurora instance classes). */
export function priced(
  input: Omit<LineInput, 'priceId'> & { priceId: CostLine['priceId']; unitUsd: number; unit: string; origin?: PriceOrigin },
): PlacedLine {
  const quantity = roundQuantity(input.quantity);
  return {
    component: input.component,
    item: input.item,
    quantity,
    unit: input.unit,
    unitUsd: input.unitUsd,
    monthlyUsd: cents(quantity * input.unitUsd) / 100,
    priceId: input.priceId,
    basis: input.basis,
    ...(input.origin !== undefined && input.origin !== 'us-east-1' ? { regionalPrice: input.origin } : {}),
    region: input.region,
  };
}

/** Price rows of data sent between regions: each priced per pair at the source region's rate (transfer.ts). */
export const TRANSFER_PRICE_IDS = ['interRegionTransfer', 'backupCopyTransferRds', 'backupCopyTransferBackup'] as const;

/** A price row of data sent between regions. */
export type TransferPriceId = (typeof TRANSFER_PRICE_IDS)[number];

/**
 * A line of data sent from `input.region` to `to`, priced at the pair's inter-region rate (transfer.ts), under the
 * price row that names how AWS bills it (`interRegionTransfer` unless said).
 */
export function transferLine(
  input: Omit<LineInput, 'priceId'> & { readonly to: string; readonly priceId?: TransferPriceId },
): PlacedLine {
  const { to, priceId = 'interRegionTransfer', ...rest } = input;
  return priced({
    ...rest,
    priceId,
    unitUsd: transferUsd(input.region, to),
    unit: PRICES[priceId].unit,
  });
}
