/**
 * Alert state per store and region, so a breach is announced once per incident. Pure.
 *
 *   ok     + lag > threshold   → breach, notify "breach"
 *   breach + lag > threshold   → breach, silent
 *   breach + lag ≤ threshold   → ok, notify "recovery"
 *   ok     + lag ≤ threshold   → ok, silent
 *   any    + unknown (no data) → unchanged, silent
 */

/** The remembered state; a store never seen is `ok`. */
export type AlertState = 'ok' | 'breach';

/** One run's reading: seconds of lag, or unknown when CloudWatch had no datapoint. */
export type LagReading =
  { readonly kind: 'value'; readonly seconds: number } | { readonly kind: 'unknown'; readonly reason: string };

/** Outcome of a transition. */
export interface Transition {
  readonly next: AlertState;
  readonly notify: 'breach' | 'recovery' | undefined;
}

/** The next state and whether to notify. A lag equal to the threshold is not a breach. */
export function transition(previous: AlertState, reading: LagReading, thresholdSeconds: number): Transition {
  if (reading.kind === 'unknown') return { next: previous, notify: undefined };
  const breached = reading.seconds > thresholdSeconds;
  if (breached && previous === 'ok') return { next: 'breach', notify: 'breach' };
  if (!breached && previous === 'breach') return { next: 'ok', notify: 'recovery' };
  return { next: previous, notify: undefined };
}

/** The stored form of a state parameter. */
export interface StoredState {
  readonly state: AlertState;
  /** ISO-8601 time of the last change. */
  readonly since: string;
}

/** Parses a state parameter value; anything unreadable counts as `ok`. */
export function parseStoredState(value: string | undefined): AlertState {
  if (value === undefined) return 'ok';
  try {
    const parsed = JSON.parse(value) as Partial<StoredState>;
    return parsed.state === 'breach' ? 'breach' : 'ok';
  } catch {
    return 'ok';
  }
}
