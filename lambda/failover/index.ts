/**
 * The failover orchestrator (one function per region, `index.handler`). It plays two parts:
 *
 * - the starter (start.ts): the GitOps Lambda Invocation and the automatic trigger send
 *   `{targetRegion, mode: "planned"|"unplanned", dryRun?, reason?, trigger?}`; it starts the region's failover
 *   workflow (Step Functions, src/compose/workflow.ts) idempotently and returns within seconds;
 * - the workflow's Tasks (workflow.ts, steps.ts): `{step, state, execution}` from a Task state; it runs that one step
 *   and returns the next state;
 * - the automatic trigger's probe (probe.ts): `{probe: {region}}` every minute in the standby region.
 *
 * Steps, each a Task state with its own timeout and retries (the polling ones retry NotYet at the poll interval):
 * wait-turn (one run acts per estate at a time: turn.ts), check-trigger (an automatic run goes on only while its
 * alarm is still in ALARM), observe (plan; a dry run ends
 * here), promote-database (SwitchoverGlobalCluster planned / FailoverGlobalCluster AllowDataLoss unplanned, taking
 * over a stuck switchover), wait-for-writer, switch-dns (Route 53 calls of at most 12 s each, clients.ts
 * ROUTE53_LIMITS; asked again while Route 53 throttles, for SWITCH_DNS_BUDGET_SECONDS; in an unplanned run, best effort
 * when Route 53 is unreachable and health-checked records already serve the target, for failover records only while
 * the region left fails its /health), dns-insync, verify-health, report (RTO = execution start → healthy, and the
 * timeline to SNS). A Catch on every step leads to notify-failure, then the execution fails.
 */
import type { Context } from 'aws-lambda';
import { isProbeEvent, isStepEvent } from '../shared/workflow-contract.js';
import type { FailoverOptions } from './options.js';
import { createProbe, type ProbeResult } from './probe.js';
import { createStarter, type StartResult } from './start.js';
import type { RunState } from './state.js';
import { createStepHandler } from './workflow.js';

export type { FailoverOptions } from './options.js';
export type { StartResult } from './start.js';
export type { RunState } from './state.js';
export { createProbe } from './probe.js';
export { createStarter } from './start.js';
export { createStepHandler } from './workflow.js';

/** Creates the function's handler: a workflow Task runs a step, a probe probes, anything else asks the starter. */
export function createFailoverHandler(options: FailoverOptions = {}) {
  const step = createStepHandler(options);
  const start = createStarter(options);
  const probe = createProbe(options);
  return (event: unknown, context: Pick<Context, 'awsRequestId'>): Promise<StartResult | RunState | ProbeResult> =>
    isStepEvent(event) ? step(event, context) : isProbeEvent(event) ? probe(event, context) : start(event, context);
}

/** The Lambda entry point (`index.handler`). */
export const handler = createFailoverHandler();
