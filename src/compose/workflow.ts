/**
 * The failover workflow's definition (Amazon States Language), one state machine per region. Pure.
 *
 * Why Step Functions: a run lasts minutes (Aurora promotes, DNS propagates, the new primary warms up), longer than the
 * provider's synchronous Invocation waits, and it has to survive retries and restarts. A Standard state machine keeps
 * the run durable and exactly-once per execution name (the starter names it from a hash of the request), gives every
 * step its own timeout and retries, waits without a function running, and keeps each state's input and output in the
 * execution history for the audit. Each step is a Task invoking the orchestrator function (`{step, state, execution}`,
 * lambda/shared/workflow-contract.ts); the polling steps throw NotYet and their Retry is the poll (IntervalSeconds =
 * poll interval, MaxAttempts = budget / interval, BackoffRate 1), except wait-turn, whose looks carry what they found
 * to the next look (a Retry sends every attempt the same input): it returns the state with `turn` set, and a Choice
 * sends it through a Wait back to itself. Each look is about ten history events: a budget of about an hour at 5 s is
 * some 7,000 of a Standard execution's 25,000. The timeline travels in the state (each step adds
 * its entry, started when the previous one ended) and the RTO is measured from the context object's
 * `$$.Execution.StartTime`, so neither needs GetExecutionHistory (more permissions and paging for what the state
 * already holds).
 */
import {
  FAILED_ERROR,
  NOT_YET,
  PERMANENT_ERRORS,
  PERMANENT_FAILED_ERROR,
  pollBudgetSeconds,
  POLLING_STEPS,
  runSeconds as actSeconds,
  TASK_TIMEOUT_SECONDS,
  TURN_POLL_SECONDS,
  turnSeconds as turnBudget,
  WORKFLOW_STEPS,
  type WorkflowStep,
} from '../../lambda/shared/workflow-contract.js';

/** What the definition depends on. */
export interface WorkflowTiming {
  /** ARN of the orchestrator function of the same region. */
  readonly functionArn: string;
  /** Seconds between two polls of a waiting step (an integer of at least 1). */
  readonly pollSeconds: number;
  /** Budget of each waiting step in seconds. */
  readonly waitSeconds: number;
}

export { TASK_TIMEOUT_SECONDS };
/** The orchestrator function's timeout: a step makes a few AWS calls of at most 20 s each. */
export const STEP_FUNCTION_TIMEOUT_SECONDS = 60;

/** Seconds between two looks of wait-turn (workflow-contract.ts): its loop's Wait state. */
export { TURN_POLL_SECONDS };

/** The longest a run acts once it has its turn, which is also its lease in wait-turn (workflow-contract.ts). */
export const runSeconds = (t: Pick<WorkflowTiming, 'waitSeconds'>): number => actSeconds(t.waitSeconds);

/**
 * wait-turn's budget: a run waits only for runs that started before it (or with it), and each of them stops blocking
 * once it is older than its lease (runSeconds), so the lease plus slack covers every wait, however many runs are before
 * it. The step itself ends its loop (NotYet, to the Catch) once this long has passed since its start.
 */
export const turnSeconds = (t: Pick<WorkflowTiming, 'waitSeconds'>): number => turnBudget(t.waitSeconds);

/** Lambda's own transient errors (Step Functions names them so) and a Task timing out. */
const TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'States.Timeout',
];

/** Names a step's state (the step names are valid state names). */
const stateOf = (step: WorkflowStep): string => step;

function task(step: WorkflowStep, next: string, t: WorkflowTiming, catchTo: string | undefined): Record<string, unknown> {
  // wait-turn loops through wait-turn-looked and wait-turn-poll instead (its looks carry state); its NotYet, once its
  // budget is spent, goes to the Catch at once.
  const polls = POLLING_STEPS.includes(step) && step !== 'wait-turn';
  const interval = t.pollSeconds;
  const budget = pollBudgetSeconds(step, t.waitSeconds);
  const retry: Record<string, unknown>[] = [
    // No retry can fix these; listed first so that States.ALL below does not retry them.
    { ErrorEquals: [...PERMANENT_ERRORS], MaxAttempts: 0 },
    ...(step === 'wait-turn' ? [{ ErrorEquals: [NOT_YET], MaxAttempts: 0 }] : []),
    ...(polls
      ? [
          {
            ErrorEquals: [NOT_YET],
            IntervalSeconds: interval,
            MaxAttempts: Math.max(1, Math.ceil(budget / interval)),
            BackoffRate: 1,
          },
        ]
      : []),
    { ErrorEquals: TRANSIENT, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 },
    // Anything else (an AWS API error after the SDK's own retries): twice more, then the Catch.
    { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 2 },
  ];
  return {
    Type: 'Task',
    Comment: `drplane failover step ${step}`,
    Resource: t.functionArn,
    Parameters: {
      step,
      'state.$': '$',
      execution: { 'id.$': '$$.Execution.Id', 'startTime.$': '$$.Execution.StartTime' },
    },
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    Retry: retry,
    ...(catchTo === undefined ? {} : { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: catchTo }] }),
    Next: next,
  };
}

/** A Choice that ends the run when a step set `outcome` (a stale trigger, a dry run). */
const endIfFinished = (next: string): Record<string, unknown> => ({
  Type: 'Choice',
  Choices: [{ Variable: '$.outcome', IsPresent: true, Next: 'done' }],
  Default: next,
});

/** The definition as a JSON-ready object; keys in a fixed order, so the same timing gives the same text. */
export function failoverDefinition(t: WorkflowTiming): Record<string, unknown> {
  if (!Number.isInteger(t.pollSeconds) || t.pollSeconds < 1) throw new Error('pollSeconds must be an integer of at least 1');
  const states: Record<string, unknown> = {};
  const steps = WORKFLOW_STEPS;
  steps.forEach((step, i) => {
    const following = i + 1 < steps.length ? stateOf(steps[i + 1]!) : 'done';
    if (step === 'wait-turn') {
      // Not its turn yet: the step returned the state with `turn` (what its look found); look again after a Wait.
      states[stateOf(step)] = task(step, 'wait-turn-looked', t, 'notify-failure');
      states['wait-turn-looked'] = {
        Type: 'Choice',
        Choices: [{ Variable: '$.turn', IsPresent: true, Next: 'wait-turn-poll' }],
        Default: following,
      };
      states['wait-turn-poll'] = { Type: 'Wait', Seconds: TURN_POLL_SECONDS, Next: stateOf(step) };
    } else if (step === 'check-trigger' || step === 'check-rpo' || step === 'observe') {
      const choice = `${step}-finished`;
      states[stateOf(step)] = task(step, choice, t, 'notify-failure');
      states[choice] = endIfFinished(following);
    } else {
      states[stateOf(step)] = task(step, following, t, 'notify-failure');
    }
  });
  // A notification that fails keeps the step's error in $.error (its own goes to $.notifyError), so failed-how still
  // tells a permanent failure from a transient one and the re-driver does not retry what cannot succeed.
  const notify = task('notify-failure', 'failed-how', t, undefined);
  states['notify-failure'] = {
    ...notify,
    Retry: [{ ErrorEquals: TRANSIENT, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.notifyError', Next: 'failed-how' }],
  };
  // The execution's error tells the probe's re-driver (lambda/failover/start.ts) whether another attempt can help.
  states['failed-how'] = {
    Type: 'Choice',
    Choices: PERMANENT_ERRORS.map((e) => ({ Variable: '$.error.Error', StringEquals: e, Next: 'failed-permanently' })),
    Default: 'failed',
  };
  states.done = { Type: 'Succeed' };
  states.failed = { Type: 'Fail', Error: FAILED_ERROR, Cause: 'a step failed; the failure notification has the timeline' };
  states['failed-permanently'] = {
    Type: 'Fail',
    Error: PERMANENT_FAILED_ERROR,
    Cause: 'a step failed with an error no retry can fix; the failure notification has the timeline',
  };
  return {
    Comment: 'drplane failover: wait its turn, promote the Aurora global database, move the records, verify, report',
    StartAt: stateOf(steps[0]!),
    // Its turn (as long as the earlier runs' leases), then its own run.
    TimeoutSeconds: turnSeconds(t) + runSeconds(t),
    States: states,
  };
}
