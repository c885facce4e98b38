/**
 * The starter: what the GitOps Lambda Invocation and the automatic trigger call. It checks the request, starts the
 * region's failover workflow and returns within seconds, so the provider's synchronous Invocation never waits for a
 * run (its create timing out, being retried and invoking again was the failure it replaces).
 *
 * Idempotent: the execution is named from a hash of the request (`<mode>-<target>-<20 hex>`) and started with the same
 * input, so a retried or duplicated request while the run lives is the same execution (Step Functions answers
 * StartExecution with the running execution for the same name and input). Once that execution has ended, the same
 * request starts a new one (`…-2`, `…-3`): it derives everything from AWS, so it is a no-op where the first run
 * finished, and it finishes what a failed one left. The automatic trigger's request carries the time of the alarm's
 * state change, so each transition is its own request. After {@link MAX_REPEATS} ended executions of one request
 * (a GitOps request's reason is fixed, and a name is reusable only 90 days after its execution closes, botocore
 * stepfunctions 2016-11-23 StartExecution), the request is started as `<base>-t<epoch seconds>` unless one of its
 * executions is RUNNING (then that one is the answer, so a retry of the same Invocation still maps to its run).
 */
import { createHash } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  type ExecutionListItem,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { ConfigError } from '../shared/env.js';
import { FAILOVER_ENV } from '../shared/env-contract.js';
import { createLogger, describeError, type Logger } from '../shared/logger.js';
import { AUTOMATIC_ATTEMPTS, PERMANENT_FAILED_ERROR, REDRIVE_AFTER_SECONDS } from '../shared/workflow-contract.js';
import { awsClients } from './clients.js';
import { loadFailoverConfig, type FailoverConfig } from './config.js';
import { checkEvent } from './event.js';
import type { FailoverOptions } from './options.js';
import { initialState, type RunState } from './state.js';

/** What the starter did. */
export interface StartResult {
  /**
   * `started`: the request's execution runs (started now, or by the same request earlier: Step Functions does not say
   * which); `ignored`: an Invocation's delete.
   */
  readonly outcome: 'started' | 'ignored';
  readonly executionArn?: string;
  readonly name?: string;
}

/**
 * How many numbered executions (`<base>`, `<base>-2` … `<base>-50`) of one request are tried before the start falls
 * back to a name with a time component (each ended one is a repeated request).
 */
export const MAX_REPEATS = 50;

/**
 * The name of a repeat beyond {@link MAX_REPEATS}: `<base>-t<epoch seconds>` (`-t<epoch ms>` when that second's name
 * is taken). At most 45 + 15 characters, within the 1–80 of botocore stepfunctions `Name`, and only 0-9, a-z and `-`
 * (what the model's documentation allows for CloudWatch logging).
 */
export const timedName = (base: string, now: Date, fine = false): string =>
  `${base}-t${fine ? now.getTime() : Math.floor(now.getTime() / 1000)}`;

/** A RUNNING execution whose name is `base` or starts `base-`, from the machine's RUNNING listing (a few pages). */
async function runningOf(sfn: SFNClient, stateMachineArn: string, base: string): Promise<ExecutionListItem | undefined> {
  let nextToken: string | undefined;
  for (let page = 0; page < 5; page++) {
    const out = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        statusFilter: 'RUNNING',
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    const found = out.executions?.find((x) => x.name === base || x.name?.startsWith(`${base}-`) === true);
    if (found !== undefined) return found;
    nextToken = out.nextToken;
    if (nextToken === undefined) return undefined;
  }
  return undefined;
}

/** The execution name of a request: `<mode>-<target>-<first 20 hex of the SHA-256 of its canonical JSON>`. */
export function executionName(request: RunState['request']): string {
  const canonical = JSON.stringify({
    targetRegion: request.targetRegion,
    mode: request.mode,
    dryRun: request.dryRun,
    reason: request.reason ?? null,
    trigger: request.trigger === undefined ? null : { alarmName: request.trigger.alarmName, time: request.trigger.time },
  });
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 20);
  return `${request.dryRun ? 'dryrun' : request.mode}-${request.targetRegion}-${hash}`;
}

/** The ARN of execution `name` of a state machine. */
const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** What the re-driver found and did. */
export interface RedriveResult {
  /**
   * `started`: it started the next attempt (or the first, when the rule's delivery was lost); `running`, `succeeded`:
   * an attempt runs or one succeeded; `permanent`: the last attempt failed with an error no retry fixes; `aborted`: an
   * operator stopped the last attempt; `waiting`: the last attempt failed less than {@link REDRIVE_AFTER_SECONDS} ago;
   * `gave-up`: {@link AUTOMATIC_ATTEMPTS} attempts failed.
   */
  readonly outcome: 'started' | 'running' | 'succeeded' | 'permanent' | 'aborted' | 'waiting' | 'gave-up';
  /** Executions of the request that exist (after a start, including it). */
  readonly attempts: number;
  /** The execution the outcome is about (the last attempt, or the one started). */
  readonly name: string;
}

/**
 * The level-triggered half of automatic mode (the rule's event is an edge): called by the probe every minute while the
 * trigger alarm is in ALARM, with the request the rule would have sent for that transition (same execution name).
 * It reads the request's executions `<base>`, `<base>-2`, `<base>-3` and starts the next one when the rule's delivery
 * was lost (none exists) or the last attempt failed transiently and ended at least {@link REDRIVE_AFTER_SECONDS} ago,
 * at most {@link AUTOMATIC_ATTEMPTS} in all. A run that succeeded (completed, stale, noop) is final, and so is one that
 * failed with `FailoverFailed.Permanent` or that an operator stopped (ABORTED). The last attempt's failure
 * notification says that automatic mode gave up (steps.ts notify-failure), so nothing is sent from here.
 * Before it starts one, it lists the machine's RUNNING executions (audit arc-rpo L4): a run of the region's workflow
 * already under way (another transition's request, whose name differs, or any other failover of this region) means
 * `running`, not a second concurrent run; the next probe looks again. `abortSignal` (the probe's deadline) bounds
 * every call.
 */
export async function redrive(
  sfn: SFNClient,
  stateMachineArn: string,
  request: RunState['request'],
  now: Date,
  log: Logger,
  abortSignal?: AbortSignal,
): Promise<RedriveResult> {
  // The caller's deadline (the probe's), on every call.
  const opts = abortSignal === undefined ? undefined : { abortSignal };
  const base = executionName(request);
  const nameOf = (n: number) => (n === 1 ? base : `${base}-${n}`);
  let last: { name: string; status?: string; error?: string; ended?: Date } | undefined;
  let attempts = 0;
  for (let n = 1; n <= AUTOMATIC_ATTEMPTS; n++) {
    try {
      const seen = await sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, nameOf(n)) }),
        opts,
      );
      // An ended execution has a stopDate; its start bounds the end from below should one be missing.
      last = { name: nameOf(n), status: seen.status, error: seen.error, ended: seen.stopDate ?? seen.startDate };
      attempts = n;
    } catch (err) {
      if (describeError(err).name !== 'ExecutionDoesNotExist') throw err;
      break;
    }
  }
  const result = (outcome: RedriveResult['outcome']): RedriveResult => ({ outcome, attempts, name: last?.name ?? base });
  if (last !== undefined) {
    switch (last.status) {
      case 'RUNNING':
      case 'PENDING_REDRIVE':
        return result('running');
      case 'SUCCEEDED':
        return result('succeeded');
      case 'ABORTED':
        return result('aborted');
      case 'FAILED':
        if (last.error === PERMANENT_FAILED_ERROR) return result('permanent');
        break;
      default:
        // TIMED_OUT, or a status this code does not know: a transient failure.
        break;
    }
    if (attempts >= AUTOMATIC_ATTEMPTS) return result('gave-up');
    const ended = last.ended?.getTime() ?? now.getTime();
    if (now.getTime() - ended < REDRIVE_AFTER_SECONDS * 1000) return result('waiting');
  }
  const name = nameOf(attempts + 1);
  const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }), opts);
  const other = running.executions?.[0]?.name;
  if (other !== undefined) {
    log.info('no re-drive: a run of this workflow is under way', { running: other, wanted: name });
    return { outcome: 'running', attempts, name: other };
  }
  const input = JSON.stringify(initialState(request));
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }), opts);
  } catch (err) {
    // The rule's own delivery started it in the meantime (same name and input while it runs: no error; once ended: this).
    if (describeError(err).name !== 'ExecutionAlreadyExists') throw err;
    return { outcome: 'running', attempts: attempts + 1, name };
  }
  log.warn('automatic failover re-driven', { name, attempt: attempts + 1, previous: last?.name ?? null, status: last?.status });
  return { outcome: 'started', attempts: attempts + 1, name };
}

/** Creates the starter; the function's `handler` dispatches to one with default options. */
export function createStarter(options: FailoverOptions = {}) {
  const factory = options.clientFactory ?? awsClients;
  let config: FailoverConfig | undefined;

  return async function start(event: unknown, context: Pick<Context, 'awsRequestId'>): Promise<StartResult> {
    const env = options.env ?? process.env;
    let log = createLogger({ requestId: context.awsRequestId, region: env.AWS_REGION ?? 'unknown' }, options.logSink);
    try {
      config ??= loadFailoverConfig(env);
      const cfg = config;
      const { ignore, ...request } = checkEvent(event, cfg.allRegions);
      if (ignore) {
        log.info('ignored: delete action of a Lambda Invocation');
        return { outcome: 'ignored' };
      }
      if (cfg.stateMachineArn === undefined) {
        throw new ConfigError(FAILOVER_ENV.stateMachineArn, 'is not set; the starter needs the ARN of the failover workflow');
      }
      log = log.child({ targetRegion: request.targetRegion, mode: request.mode });
      const sfn = factory(undefined).sfn(cfg.region);
      const input = JSON.stringify(initialState(request));
      const base = executionName(request);
      for (let n = 1; n <= MAX_REPEATS; n++) {
        const name = n === 1 ? base : `${base}-${n}`;
        try {
          const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: cfg.stateMachineArn, name, input }));
          // Same name and input while it runs: Step Functions answers with the execution that runs.
          const executionArn = out.executionArn ?? executionArnOf(cfg.stateMachineArn, name);
          log.info('workflow started', { name, executionArn, reason: request.reason });
          return { outcome: 'started', executionArn, name };
        } catch (err) {
          if (describeError(err).name !== 'ExecutionAlreadyExists') throw err;
          const seen = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(cfg.stateMachineArn, name) }));
          if (seen.status === 'RUNNING') {
            log.info('workflow already running', { name });
            return { outcome: 'started', ...(seen.executionArn === undefined ? {} : { executionArn: seen.executionArn }), name };
          }
          // That request's run has ended: a repeated request starts the next execution.
        }
      }
      // Repeats beyond the numbered names (audit-21-close L3): never a throw, which the provider would retry forever.
      const running = await runningOf(sfn, cfg.stateMachineArn, base);
      if (running?.name !== undefined) {
        log.info('workflow already running', { name: running.name });
        return {
          outcome: 'started',
          ...(running.executionArn === undefined ? {} : { executionArn: running.executionArn }),
          name: running.name,
        };
      }
      const now = (options.now ?? (() => new Date()))();
      for (const name of [timedName(base, now), timedName(base, now, true)]) {
        try {
          const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: cfg.stateMachineArn, name, input }));
          const executionArn = out.executionArn ?? executionArnOf(cfg.stateMachineArn, name);
          log.info('workflow started', { name, executionArn, reason: request.reason, repeats: MAX_REPEATS });
          return { outcome: 'started', executionArn, name };
        } catch (err) {
          // That second's name closed already (a run that ended within the second): the millisecond name.
          if (describeError(err).name !== 'ExecutionAlreadyExists') throw err;
        }
      }
      throw new Error(
        `executions ${timedName(base, now)} and ${timedName(base, now, true)} exist already; start the request again`,
      );
    } catch (err) {
      log.error('refused', { error: describeError(err) });
      throw err;
    }
  };
}
