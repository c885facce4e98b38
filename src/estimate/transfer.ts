/**
 * Inter-region data transfer prices per pair of regions. AWS bills data sent to another region at
 * the source region's rate (Amazon EC2 on-demand pricing, "Data Transfer", "Data Transfer OUT From
 * Amazon EC2 To" another AWS Region; S3 replication, DynamoDB global tables, Aurora global databases
 * and AWS Backup copies are billed the same way); the receiving region pays nothing.
 *
 * The rates differ by pair: most US, Canada and EU sources pay $0.02/GB; the two US East regions
 * pay $0.01/GB to each other; sources in Asia Pacific, South America, the Middle East and Africa pay
 * several times more. No row is confirmed: the page cannot be read from this machine and no package
 * this project can install ships AWS's transfer prices. The US/Canada/EU rows are list prices as
 * remembered (PRICE_TABLE_DATE); the others were written down later and the estimate names them in its
 * notes with what would confirm them.
 */
import { PRICE_TABLE_DATE, type PriceStatus } from './prices.js';

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
  /** How far the rate can be trusted (see PriceStatus); no row is confirmed yet. */
  readonly status: PriceStatus;
  /** When the rate was written down. */
  readonly written: string;
  /** For a rate the estimate notes: what would confirm it. */
  readonly confirmBy?: string;
}

const assumed = (from: string, usd: number, to?: string): TransferRate => ({
  from,
  ...(to ? { to } : {}),
  usd,
  source: TRANSFER_SOURCE,
  status: 'unconfirmed',
  written: TRANSFER_ASSUMED_ON,
  confirmBy: `the page's Data Transfer section, source region ${from}${to ? `, to ${to}` : ''}: "Data Transfer OUT From Amazon EC2 To" another AWS Region`,
});

/** A list price as remembered when the table was written (not noted: the common US/EU rate). */
const remembered = (from: string, usd: number): TransferRate => ({
  from,
  usd,
  source: TRANSFER_SOURCE,
  status: 'unconfirmed',
  written: PRICE_TABLE_DATE,
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
  remembered('us-', 0.02),
  remembered('ca-', 0.02),
  remembered('eu-', 0.02),
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

/** What the estimate says about a pair's rate when its row names what would confirm it; undefined otherwise. */
export function transferNote(from: string, to: string): string | undefined {
  const row = transferRow(from, to);
  if (!row)
    return `inter-region transfer ${from} → ${to}: no rate in the transfer table; priced at $${UNKNOWN_TRANSFER_USD}/GB, the dearest row (errs high). Confirm on ${TRANSFER_SOURCE}.`;
  if (row.confirmBy === undefined) return undefined;
  return `inter-region transfer ${from} → ${to} at $${row.usd}/GB is unconfirmed (written ${row.written}, not read on the page); confirm on ${row.source}, ${row.confirmBy}.`;
}
