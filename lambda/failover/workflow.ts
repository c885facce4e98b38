/**
 * The orchestrator as the workflow's Task: `{step, state, execution}` in, the next state out (see
 * lambda/shared/workflow-contract.ts). A step that finishes is put on the timeline (it started when the previous one
 * ended, or when the execution started); a polling step that is not done throws NotYet and adds nothing, or (wait-turn)
 * returns the state with what its look found for the next look, and adds nothing to the timeline either.
 */
import type { Context } from 'aws-lambda';
import { createLogger, describeError } from '../shared/logger.js';
import type { StepEvent } from '../shared/workflow-contract.js';
import { awsClients } from './clients.js';
import { loadFailoverConfig, type FailoverConfig } from './config.js';
import { EventError } from './event.js';
import { operationsClients } from './operations.js';
import type { FailoverOptions } from './options.js';
import { checkState, type RunState } from './state.js';
import { NotYetError, STEP_INVOCATION_MS, STEPS, type StepDeps } from './steps.js';

/** Creates the Task handler; the function's `handler` dispatches to one with default options. */
export function createStepHandler(options: FailoverOptions = {}) {
  const now = options.now ?? (() => new Date());
  const factory = options.clientFactory ?? awsClients;
  let config: FailoverConfig | undefined;
  let ops: ((session: string) => Promise<ReturnType<typeof factory>>) | undefined;

  return async function step(
    event: StepEvent,
    context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
  ): Promise<RunState> {
    // When this invocation ends (Lambda's clock: Date.now, not the run's `now`), by the context, else by the
    // function's configured timeout.
    const invocationDeadline = Date.now() + (context.getRemainingTimeInMillis?.() ?? STEP_INVOCATION_MS);
    const env = options.env ?? process.env;
    let log = createLogger(
      { requestId: context.awsRequestId, region: env.AWS_REGION ?? 'unknown', step: event.step },
      options.logSink,
    );
    try {
      config ??= loadFailoverConfig(env);
      const cfg = config;
      const own = factory(undefined);
      ops ??= operationsClients(own, cfg, factory, now);
      const run = STEPS[event.step];
      if (run === undefined) throw new EventError(`unknown step ${JSON.stringify(event.step)}`);
      const state = checkState(event.state, cfg.allRegions);
      const executionStart = new Date(event.execution.startTime);
      if (Number.isNaN(executionStart.getTime())) throw new EventError('execution.startTime is not a time');
      log = log.child({ targetRegion: state.request.targetRegion, mode: state.request.mode, execution: event.execution.id });
      const session = `drplane-failover-${event.execution.id.split(':').at(-1) ?? context.awsRequestId}`;
      const executionName = event.execution.id.split(':').at(-1) ?? '';
      const deps: StepDeps = {
        cfg,
        own,
        ops: () => ops!(session),
        now,
        executionStart,
        executionName,
        executionArn: event.execution.id,
        invocationDeadline,
      };
      const startedAt = state.timeline.at(-1)?.endedAt ?? executionStart.toISOString();
      const result = await run(deps, state);
      if (result.pending === true) {
        // Not done, and what it found goes to its next look (wait-turn's loop): no timeline entry yet.
        log.info('not yet', { detail: result.detail });
        return { ...state, ...result.patch };
      }
      const entry = {
        step: event.step,
        startedAt,
        endedAt: now().toISOString(),
        outcome: result.outcome,
        ...(result.detail === undefined ? {} : { detail: result.detail }),
      };
      log.info('step', entry);
      for (const warning of result.warnings ?? []) log.warn('step warning', { step: event.step, warning });
      for (const warning of event.step === 'observe' ? (result.patch?.plan?.warnings ?? []) : [])
        log.warn('plan warning', { warning });
      // notify-failure writes the timeline itself (the failed step's entry).
      const timeline = result.patch?.timeline ?? [...state.timeline, entry];
      const { turn: _look, ...rest } = state;
      return { ...rest, ...result.patch, timeline };
    } catch (err) {
      if (err instanceof NotYetError) log.info('not yet', { detail: err.message });
      else log.error('step failed', { error: describeError(err) });
      throw err;
    }
  };
}
