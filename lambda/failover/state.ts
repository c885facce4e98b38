/**
 * The state a failover run carries from one workflow state to the next. Step Functions keeps it in the execution
 * history, so it holds no secret (the operations role's credentials are never in it: each step assumes the role).
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { isRecord } from '../shared/env.js';
import type { FailoverEvent } from '../shared/env-contract.js';
import { checkEvent, EventError } from './event.js';
import type { NodeScaleRecord } from './nodes.js';
import type { FailoverPlan } from './plan.js';
import type { TimelineStep } from './timeline.js';

/**
 * How a run ended: `stale` (the triggering alarm was no longer in ALARM), `held` (an automatic run whose standby's lag
 * before the loss was above the RPO guard, or unknown: a person decides), `noop` (everything was in place), `nodes-scaled` (the database and the records were in place already; only the
 * target's node group was raised: no failover happened, so no RTO is reported).
 */
export type RunOutcome = 'stale' | 'held' | 'dry-run' | 'completed' | 'nodes-scaled' | 'noop' | 'failed';

/** wait-turn's last look. */
export interface TurnLook {
  /** Why the run waits. */
  readonly detail: string;
  /** Per region that timed out or answered 5xx, since when, in an unbroken streak of looks (ISO 8601). */
  readonly unsureSince: Readonly<Record<string, string>>;
}

/** The run's state. */
export interface RunState {
  /** The request the execution was started with (checked again by every step). */
  readonly request: FailoverEvent & { readonly dryRun: boolean };
  /** One entry per finished step; a step starts when the previous one ended (or the execution started). */
  readonly timeline: readonly TimelineStep[];
  readonly plan?: FailoverPlan;
  /** The records observe read; null when Route 53 could not be read. */
  readonly records?: ResourceRecordSet[] | null;
  readonly dbChanged?: boolean;
  readonly dnsChanged?: boolean;
  /** scale-nodes raised the target region's EKS node group. */
  readonly nodesChanged?: boolean;
  /** What scale-nodes changed (sizes before and after): notify-failure restores it when the database did not move. */
  readonly nodesScaled?: NodeScaleRecord;
  /** notify-failure put the node group back to its size before the run. */
  readonly nodesRestored?: boolean;
  readonly changeId?: string;
  readonly outcome?: RunOutcome;
  /** Seconds from the start of the execution until the new primary answered `/health`; only when completed. */
  readonly rtoSeconds?: number;
  /**
   * While wait-turn waits (lambda/failover/turn.ts): what its last look found, carried to the next look through the
   * definition's Choice and Wait (a Retry would send every look the same input). Absent once the run has its turn.
   */
  readonly turn?: TurnLook;
  /** Added by the definition's Catch: the error of the step that failed. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** The state a new execution starts with. */
export const initialState = (request: RunState['request']): RunState => ({ request, timeline: [] });

/** Checks a state received from Step Functions (its request again, against the configured regions). */
export function checkState(value: unknown, regions: readonly string[]): RunState {
  if (!isRecord(value) || !isRecord(value.request) || !Array.isArray(value.timeline)) {
    throw new EventError('the workflow state must be {"request": {...}, "timeline": [...]}; start runs through the starter');
  }
  const { ignore: _ignore, ...request } = checkEvent(value.request, regions);
  return { ...(value as unknown as RunState), request };
}
