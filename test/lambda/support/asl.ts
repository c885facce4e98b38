/**
 * A small interpreter of the Amazon States Language subset drplane's failover workflow uses (src/compose/workflow.ts),
 * so a test can run the real definition with the real step handler in-process. moto 5.2.5 can execute state machines
 * (its Step Functions parser) but only invokes Lambda tasks in Docker, which this environment does not have; moto
 * validates the definition's syntax instead (workflow-definition.test.ts).
 *
 * Subset, with the semantics of the ASL specification: Task (Resource called through `invoke`; Parameters with `.$`
 * paths into the state input `$` and the context object `$$.Execution.Id|StartTime`; TimeoutSeconds → States.Timeout;
 * Retry: the first retrier whose ErrorEquals matches the error (or States.ALL) applies, waits
 * IntervalSeconds × BackoffRate^(attempt-1), at most MaxAttempts retries; Catch: the first matching catcher, its
 * ResultPath `$.<field>` puts {Error, Cause} into the input), Choice (IsPresent, StringEquals, BooleanEquals;
 * Default), Wait (Seconds), Succeed, Fail, and the machine's TimeoutSeconds. Waits are virtual: they advance `clock` instead of
 * sleeping, so a drill reports the RTO the definition's intervals give without waiting for them. Anything outside the
 * subset is an error, never ignored.
 */

/** A task failed: its error name and cause (Lambda's JSON {errorType, errorMessage} for a thrown Error). */
export class TaskError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

/** One visit of a state in the run's history. */
export interface StateVisit {
  readonly state: string;
  readonly enteredAt: number;
  readonly exitedAt: number;
  /** Task invocations made in this visit (1 + retries). */
  readonly attempts: number;
  /** Virtual seconds waited between attempts. */
  readonly waitedSeconds: number;
}

/** How an execution ended. */
export interface ExecutionResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output: unknown;
  /** The last state data seen (the output, or the input of the state that failed the execution). */
  readonly lastState: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly history: readonly StateVisit[];
}

/** A clock that real time moves and virtual waits advance. */
export class VirtualClock {
  private offsetMs = 0;
  /** The current time. */
  now = (): Date => new Date(Date.now() + this.offsetMs);
  /** Waits `seconds` without sleeping. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

type Json = Record<string, unknown>;

interface RunOptions {
  readonly invoke: (resource: string, payload: unknown) => Promise<unknown>;
  readonly executionId: string;
  readonly clock: VirtualClock;
  /** The execution's start time (default: now on `clock`). */
  readonly startTime?: Date;
  /**
   * Called after each Retry wait has advanced the clock: lets runs played side by side interleave in real time (a run
   * that polls another's progress must not spend its whole budget before the other has taken a step).
   */
  readonly onWait?: (seconds: number) => Promise<void>;
}

function fail(message: string): never {
  throw new Error(`ASL interpreter: ${message}`);
}

/** Reads a path: `$`, `$.a.b`, `$$.Execution.Id`, `$$.Execution.StartTime`. */
function readPath(path: string, input: unknown, context: Json): unknown {
  const [root, rest] = path.startsWith('$$') ? [context, path.slice(2)] : [input, path.slice(1)];
  if (rest === '') return root;
  if (!rest.startsWith('.')) fail(`unsupported path ${path}`);
  let value: unknown = root;
  for (const key of rest.slice(1).split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
    value = (value as Json)[key];
  }
  return value;
}

function resolveParameters(template: unknown, input: unknown, context: Json): unknown {
  if (Array.isArray(template)) return template.map((t) => resolveParameters(t, input, context));
  if (typeof template !== 'object' || template === null) return template;
  const out: Json = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      const resolved = readPath(String(value), input, context);
      if (resolved === undefined) throw new TaskError('States.Runtime', `path ${String(value)} has no value`);
      out[key.slice(0, -2)] = resolved;
    } else out[key] = resolveParameters(value, input, context);
  }
  return out;
}

function setResultPath(resultPath: unknown, input: unknown, result: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return result;
  const m = /^\$\.([A-Za-z_]\w*)$/.exec(String(resultPath));
  if (m === null) fail(`unsupported ResultPath ${String(resultPath)}`);
  return { ...(input as Json), [m[1]!]: result };
}

const matches = (errorEquals: unknown, error: string): boolean => {
  const names = errorEquals as string[];
  if (names.includes(error)) return true;
  if (names.includes('States.ALL')) return true;
  return names.includes('States.TaskFailed') && error !== 'States.Timeout';
};

async function invokeOnce(state: Json, payload: unknown, options: RunOptions): Promise<unknown> {
  const timeoutMs = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds * 1000 : 99_999_999_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TaskError('States.Timeout', 'the task timed out')), timeoutMs);
  });
  try {
    return await Promise.race([options.invoke(String(state.Resource), payload), timeout]);
  } catch (err) {
    if (err instanceof TaskError) throw err;
    const e = err instanceof Error ? err : new Error(String(err));
    throw new TaskError(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message }));
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `definition` on `input` to the end. */
export async function runDefinition(definition: Json, input: unknown, options: RunOptions): Promise<ExecutionResult> {
  const states = definition.States as Record<string, Json>;
  const start = options.startTime ?? options.clock.now();
  const context = { Execution: { Id: options.executionId, StartTime: start.toISOString() } };
  const history: StateVisit[] = [];
  const machineTimeout = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds : undefined;
  let name = String(definition.StartAt);
  let data: unknown = input;
  for (;;) {
    const state = states[name] ?? fail(`no state named ${name}`);
    const enteredAt = options.clock.now().getTime();
    if (machineTimeout !== undefined && enteredAt - start.getTime() > machineTimeout * 1000) {
      return {
        status: 'FAILED',
        output: undefined,
        lastState: data,
        error: 'States.Timeout',
        cause: 'the execution timed out',
        history,
      };
    }
    switch (state.Type) {
      case 'Succeed':
        history.push({ state: name, enteredAt, exitedAt: enteredAt, attempts: 0, waitedSeconds: 0 });
        return { status: 'SUCCEEDED', output: data, lastState: data, history };
      case 'Fail':
        history.push({ state: name, enteredAt, exitedAt: enteredAt, attempts: 0, waitedSeconds: 0 });
        return {
          status: 'FAILED',
          output: undefined,
          lastState: data,
          error: String(state.Error),
          cause: String(state.Cause),
          history,
        };
      case 'Choice': {
        const choice = (state.Choices as Json[]).find((c) => {
          const value = readPath(String(c.Variable), data, context);
          if ('IsPresent' in c) return (value !== undefined) === c.IsPresent;
          if ('StringEquals' in c) return value === c.StringEquals;
          if ('BooleanEquals' in c) return value === c.BooleanEquals;
          return fail(`unsupported Choice rule ${JSON.stringify(c)}`);
        });
        history.push({ state: name, enteredAt, exitedAt: enteredAt, attempts: 0, waitedSeconds: 0 });
        name = String(choice?.Next ?? state.Default ?? fail(`Choice ${name} has no match and no Default`));
        continue;
      }
      case 'Wait': {
        if (typeof state.Seconds !== 'number') fail(`Wait ${name} without Seconds`);
        options.clock.advance(state.Seconds);
        await options.onWait?.(state.Seconds);
        history.push({
          state: name,
          enteredAt,
          exitedAt: options.clock.now().getTime(),
          attempts: 0,
          waitedSeconds: state.Seconds,
        });
        name = String(state.Next);
        continue;
      }
      case 'Task': {
        const retriers = (state.Retry as Json[] | undefined) ?? [];
        const used = retriers.map(() => 0);
        let attempts = 0;
        let waited = 0;
        for (;;) {
          attempts++;
          try {
            const payload = state.Parameters === undefined ? data : resolveParameters(state.Parameters, data, context);
            const result = await invokeOnce(state, payload, options);
            data = setResultPath(state.ResultPath, data, result);
            history.push({ state: name, enteredAt, exitedAt: options.clock.now().getTime(), attempts, waitedSeconds: waited });
            if (state.End === true) return { status: 'SUCCEEDED', output: data, lastState: data, history };
            name = String(state.Next);
            break;
          } catch (err) {
            if (!(err instanceof TaskError)) throw err;
            const i = retriers.findIndex((r) => matches(r.ErrorEquals, err.error));
            const retrier = retriers[i];
            const max = typeof retrier?.MaxAttempts === 'number' ? retrier.MaxAttempts : 3;
            if (retrier !== undefined && used[i]! < max) {
              const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
              const rate = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
              const wait = interval * rate ** used[i]!;
              used[i]!++;
              waited += wait;
              options.clock.advance(wait);
              await options.onWait?.(wait);
              continue;
            }
            history.push({ state: name, enteredAt, exitedAt: options.clock.now().getTime(), attempts, waitedSeconds: waited });
            const catcher = ((state.Catch as Json[] | undefined) ?? []).find((c) => matches(c.ErrorEquals, err.error));
            if (catcher === undefined) {
              return { status: 'FAILED', output: undefined, lastState: data, error: err.error, cause: err.cause, history };
            }
            data = setResultPath(catcher.ResultPath, data, { Error: err.error, Cause: err.cause });
            name = String(catcher.Next);
            break;
          }
        }
        continue;
      }
      default:
        fail(`unsupported state type ${String(state.Type)} (${name})`);
    }
  }
}
