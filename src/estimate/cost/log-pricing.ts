/**
 * What every CloudWatch Logs line is priced from, shared by the estate-wide log lines (logs.ts) and a primitive that
 * prices its own log groups (a `logs` hook, src/primitives/types.ts: kubernetes' control-plane logs): the planned
 * groups' retention, storage at steady state (retention ÷ days-in-a-month months of what a group ingests, ×
 * assumptions.logs.storedPerIngestedGb) and the wording of the lines. A leaf: imports no primitive.
 */
import { EXTERNAL_NAME } from '../../compose/context.js';
import { daysPerMonth } from '../assumptions.js';
import { forProvider } from '../inventory.js';
import type { PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';

/** The component of every CloudWatch Logs line. */
export const LOGS_COMPONENT = 'CloudWatch Logs';

/** A planned resource as the inventory holds it. */
export type Planned = Parameters<typeof forProvider>[0];

/** Days a planned log group keeps its logs (undefined: never expires). */
export function retentionOf(group: Planned): number | undefined {
  const days = Number(forProvider(group).retentionInDays);
  return Number.isFinite(days) && days > 0 ? days : undefined;
}

/** `1 cluster`, `2 clusters`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The AWS name a planned resource is given (its crossplane.io/external-name). */
export const externalName = (r: Planned): string | undefined =>
  ((r.manifest.metadata ?? {}) as { annotations?: Record<string, string> }).annotations?.[EXTERNAL_NAME];

/** How one region's log lines price storage and say so. */
export interface LogPricing {
  /** The fields every log line of the region shares. */
  readonly base: { readonly component: string; readonly region: string; readonly basis: 'plan' };
  /** `30-day retention`, or for a group that never expires the days assumed kept. */
  readonly retentionText: (days: number | undefined) => string;
  /** GB stored at steady state by a group that ingests `gb` a month and keeps `days` (undefined: never expires). */
  readonly stored: (gb: number, days: number | undefined) => number;
  /** What the storage lines assume of compression. */
  readonly compression: string;
}

/** The log pricing of one region under the estimate's assumptions. */
export function logPricing(ctx: CostContext, region: string): LogPricing {
  const { unmanagedRetentionDays, storedPerIngestedGb } = ctx.assumptions.logs;
  const month = daysPerMonth(ctx.assumptions);
  const kept = (days: number | undefined) => days ?? unmanagedRetentionDays;
  return {
    base: { component: LOGS_COMPONENT, region, basis: 'plan' },
    retentionText: (days) =>
      days === undefined ? `never expire: ${unmanagedRetentionDays} days kept assumed` : `${days}-day retention`,
    stored: (gb, days) => (gb * storedPerIngestedGb * kept(days)) / month,
    compression: storedPerIngestedGb === 1 ? 'no compression assumed' : `${storedPerIngestedGb} GB stored per GB ingested`,
  };
}

/** What a primitive prices of a region's CloudWatch Logs itself: the planned groups it covers and their lines. */
export interface OwnLogs {
  /** Planned log groups it prices (the estate-wide lines leave them out). */
  readonly groups: readonly Planned[];
  /** Its ingestion and storage lines, placed before the estate-wide ones. */
  readonly lines: readonly PlacedLine[];
  /** A note for the estimate once any region has such lines (added once, after every region's lines). */
  readonly note?: string;
}
