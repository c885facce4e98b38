/**
 * The waiting half of `drctl drill --apply`: after a commit, polls the estate until the switchover has finished (the
 * claim applies the new activeRegion, what each primitive of the claim checks in the target (src/primitives/registry.ts
 * drillChecks: the Aurora writer is there, the EKS node group there holds serving capacity as the control plane sees
 * it), claim and composite are Ready, nothing is paused),
 * timing each step, or gives up at a deadline saying what was still not done.
 */
import type { DisasterRecoverySpec } from '../api/claim.js';
import type { SwitchoverObservation } from '../cluster/switchover.js';
import { eachPrimitive } from '../primitives/registry.js';
import type { DrillCheck } from '../primitives/types.js';

/**
 * The steps of a switchover, in the order they finish: `applied`, each primitive's checks (the database's `writer`, an
 * EKS cluster's `nodes`: their `drillChecks` in the registry), `ready`, `unpaused`.
 */
export type StepId = string;

/** One measured step: when it was first seen done, counted from the commit and from the step before. */
export interface MeasuredStep {
  readonly id: StepId;
  readonly label: string;
  /** Seconds from the commit until the step (and every step before it) was first observed done; absent when never. */
  readonly atSeconds?: number;
  /** Seconds from the step before (from the commit for the first step). */
  readonly seconds?: number;
}

/** The outcome of one wait. */
export interface WaitResult {
  readonly completed: boolean;
  readonly steps: readonly MeasuredStep[];
  /** Seconds from the commit until every step was done, or until the wait gave up. */
  readonly elapsedSeconds: number;
  /** What was still not done when the wait gave up (empty when completed). */
  readonly pending: readonly string[];
  /** How many times the cluster was read. */
  readonly polls: number;
}

/** What the wait needs; `observe`, `now` and `sleep` are injectable so tests run on a fake cluster and fast. */
export interface WaitOptions {
  readonly target: string;
  /** The claim's spec: each primitive it has adds its `drillChecks` (src/primitives/registry.ts). */
  readonly spec: DisasterRecoverySpec;
  readonly observe: () => Promise<SwitchoverObservation>;
  /** Epoch milliseconds of the commit. */
  readonly since: number;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called when a step is first observed done. */
  readonly onStep?: (step: MeasuredStep) => void;
}

type Check = DrillCheck;

function checks(target: string, primitiveChecks: readonly Check[]): Check[] {
  return [
    {
      id: 'applied',
      label: `the claim reports activeRegion ${target}`,
      done: (o) => o.activeRegion === target,
      why: (o) => `the claim reports activeRegion ${o.activeRegion ?? '(none)'}, not ${target}: has Argo CD synced the commit?`,
    },
    ...primitiveChecks,
    {
      id: 'ready',
      label: 'the claim and its composite are Ready',
      done: (o) => o.ready,
      why: (o) => `not Ready: ${o.notReady.join('; ')}`,
    },
    {
      id: 'unpaused',
      label: 'nothing is paused',
      done: (o) => o.paused.length === 0,
      why: (o) => `still paused: ${o.paused.join(', ')}`,
    },
  ];
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * Polls until every step holds in one reading, or until `timeoutMs` after `since`. A step is timed at the first reading
 * in which it and every step before it hold (so a Ready left over from before the commit does not count). A failed
 * read is retried until the deadline and reported if it was the last one.
 */
export async function waitForSwitchover(opts: WaitOptions): Promise<WaitResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const own = eachPrimitive((_kind, p) => p.drillChecks?.(opts.spec, opts.target) ?? []).flat();
  const list = checks(opts.target, own);
  const at = new Map<StepId, number>();
  let polls = 0;
  let last: SwitchoverObservation | undefined;
  let readError: string | undefined;
  for (;;) {
    polls += 1;
    try {
      last = await opts.observe();
      readError = undefined;
      const t = now();
      for (const c of list) {
        if (!c.done(last)) break;
        if (!at.has(c.id)) {
          at.set(c.id, t);
          opts.onStep?.(measured(list, at, opts.since).find((s) => s.id === c.id)!);
        }
      }
      if (list.every((c) => c.done(last!)))
        return {
          completed: true,
          steps: measured(list, at, opts.since),
          elapsedSeconds: seconds(t - opts.since),
          pending: [],
          polls,
        };
    } catch (err) {
      readError = `the last read of the cluster failed: ${(err as Error).message}`;
    }
    const t = now();
    if (t - opts.since >= opts.timeoutMs) {
      const pending = last ? list.filter((c) => !c.done(last!)).map((c) => c.why(last!)) : [];
      return {
        completed: false,
        steps: measured(list, at, opts.since),
        elapsedSeconds: seconds(t - opts.since),
        pending: readError ? [...pending, readError] : pending,
        polls,
      };
    }
    await sleep(Math.min(opts.intervalMs, Math.max(0, opts.since + opts.timeoutMs - t)));
  }
}

function measured(list: readonly Check[], at: ReadonlyMap<StepId, number>, since: number): MeasuredStep[] {
  let previous = since;
  return list.map((c) => {
    const t = at.get(c.id);
    if (t === undefined) return { id: c.id, label: c.label };
    const step = { id: c.id, label: c.label, atSeconds: seconds(t - since), seconds: seconds(t - previous) };
    previous = t;
    return step;
  });
}

/** Parses a duration such as 30m, 90s, 1.5h or 200ms into milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * factor;
  return ms > 0 ? ms : undefined;
}
