/**
 * The contract between the failover workflow's definition (src/compose/workflow.ts, Amazon States Language) and the
 * orchestrator's step handler (lambda/failover/workflow.ts): the state names, what each Task sends, and the error
 * names the definition's Retry and Catch match.
 */

/** The Task states, in the order a run passes them. Each invokes the orchestrator with a {@link StepEvent}. */
export const WORKFLOW_STEPS = [
  'check-trigger',
  'observe',
  'promote-database',
  'wait-for-writer',
  'switch-dns',
  'dns-insync',
  'verify-health',
  'report',
] as const;

/** One step of the workflow, or the failure notification a Catch leads to. */
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number] | 'notify-failure';

/** The steps that poll: they throw {@link NOT_YET} until done, and the state's Retry waits and asks again. */
export const POLLING_STEPS: readonly WorkflowStep[] = ['wait-for-writer', 'dns-insync', 'verify-health'];

/** Error name of a polling step whose condition does not hold yet. */
export const NOT_YET = 'NotYet';

/** Error names that no retry can fix (a plan that cannot be followed, a malformed event or configuration). */
export const PERMANENT_ERRORS = ['PlanError', 'EventError', 'ConfigError'] as const;

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

/** The automatic trigger's probe (a schedule in the standby region): `{probe: {region}}`, the region to probe. */
export interface ProbeEvent {
  readonly probe: { readonly region: string };
}

/** True for a probe event. */
export const isProbeEvent = (event: unknown): event is ProbeEvent =>
  typeof event === 'object' && event !== null && 'probe' in event;
