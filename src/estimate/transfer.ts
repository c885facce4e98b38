/**
 * Inter-region data transfer prices per pair of regions. AWS bills data sent to another region at
 * the source region's rate (Amazon EC2 on-demand pricing, "Data Transfer", "Data Transfer OUT From
 * Amazon EC2 To" another AWS Region; S3 replication, DynamoDB global tables, Aurora global databases
 * and AWS Backup copies are billed the same way); the receiving region pays nothing.
 *
 * The rates differ by pair: most US, Canada and EU sources pay $0.02/GB; the two US East regions
 * pay $0.01/GB to each other; sources in Asia Pacific, South America, the Middle East and Africa pay
 * several times more. Only the US/EU row was checked against the page (PRICE_TABLE_DATE); every
 * other row is an assumption that could not be confirmed offline (no package this project can
 * install ships AWS's transfer prices): the estimate names it in its notes with what would confirm it.
 */
import { PRICE_TABLE_DATE } from './prices.js';

/** Page that states every rate of this table. */
export const TRANSFER_SOURCE =
  'Amazon EC2 on-demand pricing, Data Transfer (inter-Region) — https://aws.amazon.com/ec2/pricing/on-demand/';

/** Date the unconfirmed rows were written down as assumptions. */
export const TRANSFER_ASSUMED_ON = '2026-12-05';

/** One row: the rate for data leaving `from` (a region or a region prefix) to `to` (any region when absent). */
export interface TransferRate {
  /** A region (us-east-1) or a prefix of region names (ap-). */
  readonly from: string;
  /** The receiving region when the row holds for one pair only. */
  readonly to?: string;
  /** USD per GB sent. */
  readonly usd: number;
  /** Source page of the rate. */
  readonly source: string;
  /** True when the rate was read on the source page (on `checked`); false for an assumption. */
  readonly confirmed: boolean;
  /** When the row was checked or, for an assumption, written down. */
  readonly checked: string;
  /** For an assumption: what would confirm it. */
  readonly confirmBy?: string;
}

const assumed = (from: string, usd: number, to?: string): TransferRate => ({
  from,
  ...(to ? { to } : {}),
  usd,
  source: TRANSFER_SOURCE,
  confirmed: false,
  checked: TRANSFER_ASSUMED_ON,
  confirmBy: `the page's Data Transfer section, source region ${from}${to ? `, to ${to}` : ''}: "Data Transfer OUT From Amazon EC2 To" another AWS Region`,
});

const checked = (from: string, usd: number): TransferRate => ({
  from,
  usd,
  source: TRANSFER_SOURCE,
  confirmed: true,
  checked: PRICE_TABLE_DATE,
});

/**
 * Rates, most specific first: a pair row wins over a region row, which wins over a prefix row. The
 * first matching row is the rate.
 */
export const TRANSFER_RATES: readonly TransferRate[] = [
  assumed('us-east-1', 0.01, 'us-east-2'),
  assumed('us-east-2', 0.01, 'us-east-1'),
  assumed('sa-east-1', 0.138),
  assumed('af-south-1', 0.147),
  assumed('me-', 0.1105),
  assumed('ap-', 0.09),
  checked('us-', 0.02),
  checked('ca-', 0.02),
  checked('eu-', 0.02),
];

/** Rate of a region no row matches: the dearest row, so the estimate errs high (flagged in the notes). */
export const UNKNOWN_TRANSFER_USD = Math.max(...TRANSFER_RATES.map((r) => r.usd));

const matches = (row: TransferRate, from: string, to: string): boolean =>
  (row.from.endsWith('-') ? from.startsWith(row.from) : from === row.from) && (row.to === undefined || row.to === to);

/** The row pricing data sent from one region to another, or undefined when none matches. */
export function transferRow(from: string, to: string): TransferRate | undefined {
  return TRANSFER_RATES.find((row) => matches(row, from, to));
}

/** USD per GB sent from `from` to `to`. */
export function transferUsd(from: string, to: string): number {
  return transferRow(from, to)?.usd ?? UNKNOWN_TRANSFER_USD;
}

/** What the estimate says about a pair's rate when it is not a confirmed one; undefined when it is. */
export function transferNote(from: string, to: string): string | undefined {
  const row = transferRow(from, to);
  if (!row)
    return `inter-region transfer ${from} → ${to}: no rate in the transfer table; priced at $${UNKNOWN_TRANSFER_USD}/GB, the dearest row (errs high). Confirm on ${TRANSFER_SOURCE}.`;
  if (row.confirmed) return undefined;
  return `inter-region transfer ${from} → ${to} at $${row.usd}/GB is an assumption (${row.checked}), not confirmed offline; confirm on ${row.source}, ${row.confirmBy}.`;
}
