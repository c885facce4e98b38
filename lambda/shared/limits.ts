/**
 * Bounded AWS calls: every client gets a connection timeout, a request timeout that throws, a socket idle
 * timeout and a small number of attempts; every call gets an abort signal that bounds it as a whole (all
 * attempts included) and never outlives the run's deadline. A hung regional endpoint then costs one call's
 * budget, not the whole invocation.
 *
 * The abort signal is the hard bound: it works with every AWS SDK v3 the Lambda runtimes ship, while
 * `throwOnRequestTimeout` is known only to recent `@smithy/node-http-handler` versions (older ones treat
 * `requestTimeout` as a socket idle timeout, which `socketTimeout` sets here as well).
 */

/** Time limits of a handler's AWS calls, in milliseconds. */
export interface CallLimits {
  /** TCP + TLS connection set-up of one attempt. */
  readonly connectionTimeoutMs: number;
  /** One attempt, request sent to response read. */
  readonly requestTimeoutMs: number;
  /** Attempts per call, the first included (the SDK retries throttling and transient errors). */
  readonly maxAttempts: number;
  /** One call, every attempt and the back-off between them included. */
  readonly callTimeoutMs: number;
}

/** The client configuration that applies `limits` (spread it into a client's constructor options). */
export function boundedClientConfig(limits: CallLimits) {
  return {
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: limits.requestTimeoutMs,
    },
  };
}

/** Hands out per-call abort signals bounded by the call limit and by a deadline for the whole run. */
export interface CallBudget {
  /** Options for `client.send(command, options)`: an abort signal for one call. */
  call(): { abortSignal: AbortSignal };
  /** Milliseconds left before the deadline. */
  remainingMs(): number;
}

/** A budget ending at `deadline` (epoch ms): each call gets the smaller of `callTimeoutMs` and the time left (at least 1 ms). */
export function callBudget(limits: CallLimits, deadline: number, clock: () => number = Date.now): CallBudget {
  const remainingMs = (): number => Math.max(0, deadline - clock());
  return {
    remainingMs,
    call: () => ({ abortSignal: AbortSignal.timeout(Math.max(1, Math.min(limits.callTimeoutMs, remainingMs()))) }),
  };
}
