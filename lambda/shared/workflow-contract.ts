/**
 * The contract between the failover workflow's definition (src/compose/workflow.ts, Amazon States Language) and the
 * orchestrator's step handler (lambda/failover/workflow.ts): the state names, what each Task sends, and the error
 * names the definition's Retry and Catch match.
 */

/** The Task states, in the order a run passes them. Each invokes the orchestrator with a {@link StepEvent}. */
export const WORKFLOW_STEPS = [
  'wait-turn',
  'check-trigger',
  'check-rpo',
  'observe',
  'scale-nodes',
  'promote-database',
  'wait-for-writer',
  'switch-dns',
  'dns-insync',
  'verify-health',
  'report',
] as const;

/** One step of the workflow, or the failure notification a Catch leads to. */
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number] | 'notify-failure';

/**
 * The steps that poll: they throw {@link NOT_YET} until done, and the state's Retry waits and asks again.
 * promote-database polls only while RDS refuses an unplanned run's failover because a switchover (or its
 * cancellation) is in the way (lambda/failover/plan.ts afterRefusal); switch-dns only while Route 53 throttles it
 * (within {@link SWITCH_DNS_BUDGET_SECONDS}; at its last poll the swap falls back to the best effort an unavailable
 * Route 53 gets, lambda/failover/steps.ts bestEffort: unplanned runs only, where health checks already serve the target
 * and, for failover records, the region left fails its /health; else the step fails). wait-turn is the exception: it loops through the definition (a Choice and a Wait state) instead of a
 * Retry, because each look carries state to the next ({@link TURN_POLL_SECONDS}, lambda/failover/turn.ts).
 */
export const POLLING_STEPS: readonly WorkflowStep[] = [
  'wait-turn',
  'promote-database',
  'wait-for-writer',
  'switch-dns',
  'dns-insync',
  'verify-health',
];

/**
 * switch-dns's budget while Route 53 throttles it (PriorRequestNotComplete, ThrottlingException): asked again every
 * poll interval; in the last poll interval of the budget the swap falls back to the best effort an unavailable
 * Route 53 gets (lambda/failover/dns-fallback.ts). Two minutes: Route 53 applies a zone's changes one after another
 * and a prior change is INSYNC within about a minute; the database has moved already, so the run should not wait
 * longer for a record swap that health-checked DNS may already have made moot.
 */
export const SWITCH_DNS_BUDGET_SECONDS = 120;

/** The budget of a polling step other than wait-turn (`waitSeconds`: the composed budget of each waiting step). */
export const pollBudgetSeconds = (step: WorkflowStep, waitSeconds: number): number =>
  step === 'switch-dns' ? SWITCH_DNS_BUDGET_SECONDS : waitSeconds;

/**
 * How long wait-turn (lambda/failover/turn.ts) asks again the region its run fails away from when that region's Step
 * Functions times out or answers 5xx, counted from the look at which the region stopped answering (an unbroken streak:
 * an answer, throttling included, ends it): past it the region is left out. 150 s is 30 looks at wait-turn's 5 s
 * interval ({@link TURN_POLL_SECONDS}), long enough to ride out a passing fault of a region that is up, short against
 * the RTO. Throttling is never bounded so: it proves the region's Step Functions runs.
 */
export const ASK_AGAIN_LIMIT_SECONDS = 150;

/**
 * Seconds between two looks of wait-turn: shorter than the other polls, because the common wait is for the listing to
 * show the run itself (ListExecutions is eventually consistent), which costs the RTO.
 */
export const TURN_POLL_SECONDS = 5;

/** Budget of one page of one region's listing in wait-turn: a region that does not answer in time is unsure. */
export const TURN_LIST_TIMEOUT_MS = 5_000;

/**
 * The longest wait-turn takes to leave out a lost region whose Step Functions hangs (each look times out), from the
 * step's start: the first look times out ({@link TURN_LIST_TIMEOUT_MS}) and starts the streak; the region is left out
 * at the first look at least {@link ASK_AGAIN_LIMIT_SECONDS} later, and looks come one Wait ({@link TURN_POLL_SECONDS})
 * plus one timed-out listing apart: 5 + 150 + 5 + 5 = 165 s (a region answering 5xx at once: about 155 s). The
 * objectives model (src/estimate/objectives/rto.ts) counts it in the region-loss worst case.
 */
export const TURN_DROP_WORST_SECONDS = (2 * TURN_LIST_TIMEOUT_MS) / 1000 + ASK_AGAIN_LIMIT_SECONDS + TURN_POLL_SECONDS;

/** Timeout of one Task of the workflow (the orchestrator function's own timeout is 60 s). */
export const TASK_TIMEOUT_SECONDS = 70;

/**
 * The longest a run acts once it has its turn: every polling step but wait-turn at its full budget
 * ({@link pollBudgetSeconds}), plus room for 15 Tasks and their retries. It is also a run's lease in wait-turn (lambda/failover/turn.ts): a run that
 * started longer ago than this no longer blocks the runs after it.
 */
export const runSeconds = (waitSeconds: number): number =>
  POLLING_STEPS.filter((s) => s !== 'wait-turn').reduce((sum, s) => sum + pollBudgetSeconds(s, waitSeconds), 0) +
  15 * TASK_TIMEOUT_SECONDS;

/**
 * Slack of wait-turn's budget over the lease, for the clocks of the Lambda and of Step Functions (which stamps a run's
 * start) and the listings' lag.
 */
export const TURN_SLACK_SECONDS = 60;

/**
 * wait-turn's budget: a run waits only for runs that started before it (or with it), and each of them stops blocking
 * once it is older than its lease ({@link runSeconds}), so the lease plus slack covers every wait, however many runs
 * are before it. The step ends its loop with NotYet once this long has passed since its start.
 */
export const turnSeconds = (waitSeconds: number): number => runSeconds(waitSeconds) + TURN_SLACK_SECONDS;

/** Error name of a polling step whose condition does not hold yet. */
export const NOT_YET = 'NotYet';

/** Error names that no retry can fix (a plan that cannot be followed, a malformed event or configuration). */
export const PERMANENT_ERRORS = ['PlanError', 'EventError', 'ConfigError'] as const;

/** The error of a failed execution (its Fail state) after a transient failure: another attempt may succeed. */
export const FAILED_ERROR = 'FailoverFailed';
/** The error of a failed execution whose step failed with one of {@link PERMANENT_ERRORS}: no attempt can succeed. */
export const PERMANENT_FAILED_ERROR = 'FailoverFailed.Permanent';

/**
 * Attempts of one automatic request (one ALARM transition of the trigger alarm): the execution the rule started and
 * up to two the probe's re-driver starts after it failed (lambda/failover/start.ts redrive).
 */
export const AUTOMATIC_ATTEMPTS = 3;
/** Seconds after a failed attempt ended before the re-driver starts the next one. */
export const REDRIVE_AFTER_SECONDS = 120;

/** What each Task sends the orchestrator (the definition's Parameters). */
export interface StepEvent {
  readonly step: WorkflowStep;
  /** The run's state: the previous step's output (a Catch adds `error`). */
  readonly state: unknown;
  /** From the context object: the execution's ARN and start time (the RTO is measured from it). */
  readonly execution: { readonly id: string; readonly startTime: string };
}

/** True when an event is a Task of the workflow rather than a request to start one. */
export const isStepEvent = (event: unknown): event is StepEvent =>
  typeof event === 'object' && event !== null && 'step' in event && 'execution' in event;

/**
 * The request of an automatic failover to `standby` after `alarmName` (in the standby) entered ALARM at `time` while
 * `serving` served: what the trigger rule's input transformer sends (with `time` the placeholder `<time>`) and what the
 * probe's re-driver rebuilds, so both name the same execution.
 */
export function automaticRequest(
  alarmName: string,
  standby: string,
  serving: string,
  time: string,
): {
  targetRegion: string;
  mode: 'unplanned';
  reason: string;
  trigger: { alarmName: string; time: string; region: string };
} {
  return {
    targetRegion: standby,
    mode: 'unplanned',
    reason: `automatic: ${alarmName} is in ALARM (${serving} lost)`,
    trigger: { alarmName, time, region: serving },
  };
}

/** The automatic trigger's probe (a schedule in the standby region): `{probe: {region}}`, the region to probe. */
export interface ProbeEvent {
  readonly probe: { readonly region: string };
}

/** True for a probe event. */
export const isProbeEvent = (event: unknown): event is ProbeEvent =>
  typeof event === 'object' && event !== null && 'probe' in event;
