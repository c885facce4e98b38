/** Polling for conditions that a controller brings about eventually. */

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this long; default 60 s. */
  readonly timeoutMs?: number;
  /** Pause between attempts; default 500 ms. */
  readonly intervalMs?: number;
}

/** Thrown by an attempt to end the wait at once: waiting longer cannot help (a process died, say). */
export class StopWaiting extends Error {
  override name = 'StopWaiting';
}

/** Pauses for `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until it returns a value other than undefined, and resolves with that value. An attempt that
 * throws counts as "not yet", unless it throws {@link StopWaiting}, which is rethrown at once. On timeout, rejects with `what`, how long it waited, and the last error or
 * the last description of the state (an attempt may return undefined after setting `state.last`).
 */
export async function eventually<T>(
  what: string,
  attempt: (state: { last?: string }) => Promise<T | undefined> | T | undefined,
  options: EventuallyOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 500;
  const start = Date.now();
  const state: { last?: string } = {};
  for (;;) {
    try {
      const value = await attempt(state);
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof StopWaiting) throw err;
      state.last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() - start >= timeoutMs) {
      throw new Error(
        `timed out after ${Math.round((Date.now() - start) / 1000)} s waiting for ${what}${state.last ? `; last: ${state.last}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}
