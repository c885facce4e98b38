/**
 * Runs the failover workflow as production does, minus Lambda: the starter starts an execution of a state machine
 * created in moto from the definition compose writes (src/compose/workflow.ts), and the ASL interpreter
 * (support/asl.ts) plays that execution's input through the definition, invoking the orchestrator's step handler
 * in-process for every Task. What runs between the states (Choice, Retry, Catch, timeouts) is the definition's.
 * When the run is over the execution is stopped in moto, so it is closed as an ended execution is in AWS.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ClientFactory } from '../../../lambda/failover/clients.js';
import { createStarter, createStepHandler, type RunState, type StartResult } from '../../../lambda/failover/index.js';
import type { LogSink } from '../../../lambda/shared/logger.js';
import type { StepEvent } from '../../../lambda/shared/workflow-contract.js';
import { failoverDefinition } from '../../../src/compose/workflow.js';
import { runDefinition, VirtualClock, type ExecutionResult } from './asl.js';
import { MOTO_ACCOUNT } from './aws.js';
import { lambdaContext } from './lambda.js';

/** One run: what the starter answered, how the execution ended, and its final state. */
export interface WorkflowRun {
  readonly start: StartResult;
  readonly execution: ExecutionResult;
  readonly state: RunState;
  /** The failure notification's message (the failed step's timeline entry), when the run failed. */
  readonly failure?: string;
}

/** Options of a runner. */
export interface RunnerOptions {
  readonly env: Record<string, string>;
  readonly clientFactory: ClientFactory;
  readonly logSink: LogSink;
  readonly region: string;
  /** Poll interval and waiting budget the definition is built with (virtual seconds). */
  readonly pollSeconds?: number;
  readonly waitSeconds?: number;
  /** Shared by the runs of one drill, so the timeline of each is in one time line. */
  readonly clock?: VirtualClock;
  /** Real milliseconds each Retry wait also takes (runs played side by side; see asl.ts onWait). */
  readonly realWaitMs?: number;
}

/** The orchestrator's ARN in a region (what compose puts in the definition). */
export const functionArnOf = (region: string, name: string): string =>
  `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:${name}`;

/** Creates the region's state machine in moto with the composed definition and returns a runner for it. */
export async function workflowRunner(name: string, o: RunnerOptions) {
  const clock = o.clock ?? new VirtualClock();
  const functionArn = functionArnOf(o.region, `failover-${name}`);
  const definition = failoverDefinition({ functionArn, pollSeconds: o.pollSeconds ?? 1, waitSeconds: o.waitSeconds ?? 30 });
  const sfn = new SFNClient({ region: o.region });
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: `failover-${name}`,
      definition: JSON.stringify(definition),
      roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/failover-workflow-${name}`,
      type: 'STANDARD',
    }),
  );
  const stateMachineArn = created.stateMachineArn as string;
  const env = { ...o.env, AWS_REGION: o.region, DRPLANE_STATE_MACHINE_ARN: stateMachineArn };
  const options = { env, logSink: o.logSink, clientFactory: o.clientFactory, now: clock.now };
  const starter = createStarter(options);
  const step = createStepHandler(options);

  /** Starts a run through the starter and plays its execution to the end. */
  async function run(event: unknown): Promise<WorkflowRun> {
    const start = await starter(event, lambdaContext());
    if (start.executionArn === undefined) throw new Error(`the starter started nothing: ${JSON.stringify(start)}`);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: start.executionArn }));
    const execution = await runDefinition(definition, JSON.parse(described.input ?? 'null'), {
      executionId: start.executionArn,
      clock,
      ...(o.realWaitMs === undefined ? {} : { onWait: () => new Promise<void>((r) => setTimeout(r, o.realWaitMs)) }),
      invoke: async (resource, payload) => {
        if (resource !== functionArn) throw new Error(`the definition invokes ${resource}, not the orchestrator`);
        return step(payload as StepEvent, lambdaContext());
      },
    });
    // moto's execution stays RUNNING (moto does not run it); end it there so that, as in AWS, the execution is closed
    // once the run is over (moto can only stop it: ABORTED stands in for SUCCEEDED/FAILED).
    await sfn.send(new StopExecutionCommand({ executionArn: start.executionArn }));
    const state = (execution.output ?? execution.lastState) as RunState;
    const failed = state.timeline.find((s) => s.outcome === 'failed');
    return { start, execution, state, ...(failed?.detail === undefined ? {} : { failure: failed.detail }) };
  }
  return { run, starter, step, stateMachineArn, definition, clock, functionArn };
}
