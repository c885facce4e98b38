/**
 * The failover workflow's definition (src/compose/workflow.ts):
 * - moto 5.2.5's Step Functions parser (execute_state_machine on, its ASL grammar) accepts it and refuses a broken one;
 * - the ASL interpreter the workflow tests run it with (support/asl.ts) follows the specification's Retry, Catch,
 *   Choice and timeout rules, checked here on small definitions with counted invocations.
 */
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_YET, POLLING_STEPS, runSeconds, turnSeconds, WORKFLOW_STEPS } from '../../lambda/shared/workflow-contract.js';
import { failoverDefinition } from '../../src/compose/workflow.js';
import { runDefinition, VirtualClock } from './support/asl.js';
import { jsonCall, MOTO_ACCOUNT, useMoto } from './support/aws.js';
import { startMoto, type MotoServer } from './support/moto.js';

let moto: MotoServer;
const FN = `arn:aws:lambda:us-west-2:${MOTO_ACCOUNT}:function:failover`;

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
  // moto's parser backend validates definitions on CreateStateMachine.
  const res = await fetch(`${moto.endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  expect(res.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

const create = (name: string, definition: string) =>
  new SFNClient({ region: 'us-west-2' }).send(
    new CreateStateMachineCommand({ name, definition, roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sfn` }),
  );

describe('failover workflow definition', () => {
  it("moto's ASL parser accepts the composed definition and refuses a broken one", async () => {
    const definition = failoverDefinition({ functionArn: FN, pollSeconds: 15, waitSeconds: 600 });
    const out = await create('failover-ok', JSON.stringify(definition));
    expect(out.stateMachineArn).toContain(':stateMachine:failover-ok');
    const broken = JSON.stringify(definition).replace('"StartAt"', '"Start"');
    // Sent as plain JSON 1.0 to see moto's answer (the SDK cannot parse moto's error body for this one).
    await expect(
      jsonCall(moto.endpoint, 'states', 'AWSStepFunctions', 'us-west-2', 'CreateStateMachine', {
        name: 'failover-broken',
        definition: broken,
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sfn`,
      }),
    ).rejects.toThrow(/HTTP 400: .*ASLParserException.*mismatched input/);
  });

  it('has a Task per step in order, polls with Retry at the poll interval within the budget, and catches every step', () => {
    const d = failoverDefinition({ functionArn: FN, pollSeconds: 15, waitSeconds: 600 }) as {
      StartAt: string;
      TimeoutSeconds: number;
      States: Record<
        string,
        {
          Type: string;
          Next?: string;
          Retry?: { ErrorEquals: string[]; MaxAttempts: number; IntervalSeconds?: number; BackoffRate?: number }[];
          Catch?: { Next: string }[];
        }
      >;
    };
    // wait-turn first: check-trigger and observe read the estate once earlier runs have ended (lambda/failover/turn.ts).
    expect(d.StartAt).toBe('wait-turn');
    let name: string | undefined = d.StartAt;
    const passed: string[] = [];
    while (name !== undefined && name !== 'done') {
      const s: (typeof d.States)[string] | undefined = d.States[name];
      if (s === undefined) throw new Error(`no state ${name}`);
      if (s.Type === 'Task') passed.push(name);
      name = s.Type === 'Choice' ? (s as unknown as { Default: string }).Default : s.Next;
    }
    expect(passed).toEqual([...WORKFLOW_STEPS]);
    for (const step of WORKFLOW_STEPS) {
      const s = d.States[step]!;
      expect(s.Catch?.[0]?.Next).toBe('notify-failure');
      expect(s.Retry?.[0]).toEqual({ ErrorEquals: ['PlanError', 'EventError', 'ConfigError'], MaxAttempts: 0 });
      const poll = s.Retry?.find((r) => r.ErrorEquals.includes(NOT_YET));
      if (step === 'wait-turn')
        // wait-turn loops through the definition; its NotYet (its budget spent) goes to the Catch at once.
        expect(poll).toEqual({ ErrorEquals: [NOT_YET], MaxAttempts: 0 });
      else if (step === 'switch-dns')
        // While Route 53 throttles: SWITCH_DNS_BUDGET_SECONDS (120 s) at the poll interval.
        expect(poll).toEqual({ ErrorEquals: [NOT_YET], IntervalSeconds: 15, MaxAttempts: 8, BackoffRate: 1 });
      else if (POLLING_STEPS.includes(step))
        expect(poll).toEqual({ ErrorEquals: [NOT_YET], IntervalSeconds: 15, MaxAttempts: 40, BackoffRate: 1 });
      else expect(poll).toBeUndefined();
    }
    // wait-turn's loop: a look that is not its turn returns the state with `turn`; a Wait of 5 s, then the next look.
    expect(d.States['wait-turn']!.Next).toBe('wait-turn-looked');
    expect(d.States['wait-turn-looked']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.turn', IsPresent: true, Next: 'wait-turn-poll' }],
      Default: 'check-trigger',
    });
    expect(d.States['wait-turn-poll']).toEqual({ Type: 'Wait', Seconds: 5, Next: 'wait-turn' });
    // Its turn (the lease, 4 waiting steps of 600 s + switch-dns's 120 s + 15 Tasks of 70 s, plus 60 s of slack), then
    // its own run.
    expect(d.TimeoutSeconds).toBe(4 * 600 + 120 + 15 * 70 + 60 + (4 * 600 + 120 + 15 * 70));
  });

  it("wait-turn's budget outlasts the lease of every run before it, and the execution outlasts its wait and its run", () => {
    for (const waitSeconds of [60, 600, 1800]) {
      const d = failoverDefinition({ functionArn: FN, pollSeconds: 15, waitSeconds }) as { TimeoutSeconds: number };
      // A run blocks only within runSeconds of its start (turn.ts), and only runs started before this one block it,
      // so every wait ends within the lease of this run's start; the step's budget (it gives up with NotYet once it
      // has looked that long) covers it with a minute to spare for the clocks.
      const lease = runSeconds(waitSeconds);
      expect(turnSeconds(waitSeconds)).toBeGreaterThanOrEqual(lease + 60);
      expect(d.TimeoutSeconds).toBeGreaterThanOrEqual(turnSeconds(waitSeconds) + lease);
    }
  });

  it('runs the wait-turn loop: each look gets what the previous one returned, and the budget ends it with NotYet', async () => {
    const definition = failoverDefinition({ functionArn: FN, pollSeconds: 15, waitSeconds: 600 });
    const clock = new VirtualClock();
    const seen: unknown[] = [];
    const r = await runDefinition(
      definition,
      { request: {}, timeline: [] },
      {
        executionId: 'x',
        clock,
        invoke: async (_fn, payload) => {
          const { step, state } = payload as { step: string; state: Record<string, unknown> };
          if (step === 'wait-turn') {
            seen.push(state.turn);
            const looks = ((state.turn as { looks?: number } | undefined)?.looks ?? 0) + 1;
            if (looks < 3) return { ...state, turn: { looks } };
            throw Object.assign(new Error('budget spent'), { name: NOT_YET });
          }
          return state;
        },
      },
    );
    expect(seen).toEqual([undefined, { looks: 1 }, { looks: 2 }]);
    expect([r.status, r.error]).toEqual(['FAILED', 'FailoverFailed']);
    expect(r.history.map((h) => h.state).slice(0, 7)).toEqual([
      'wait-turn',
      'wait-turn-looked',
      'wait-turn-poll',
      'wait-turn',
      'wait-turn-looked',
      'wait-turn-poll',
      'wait-turn',
    ]);
    expect(r.history[7]?.state).toBe('notify-failure');
  });

  it("ends FailoverFailed.Permanent after an error no retry fixes, else FailoverFailed (the probe's re-driver reads it)", async () => {
    const definition = failoverDefinition({ functionArn: FN, pollSeconds: 15, waitSeconds: 600 });
    const run = (error: string) => {
      const steps: string[] = [];
      return runDefinition(
        definition,
        { request: {}, timeline: [] },
        {
          executionId: 'x',
          clock: new VirtualClock(),
          invoke: async (_fn, payload) => {
            const { step, state } = payload as { step: string; state: Record<string, unknown> };
            steps.push(step);
            if (step === 'observe') throw Object.assign(new Error('no'), { name: error });
            return state;
          },
        },
      ).then((r) => ({ ...r, steps }));
    };
    for (const permanent of ['PlanError', 'EventError', 'ConfigError']) {
      const r = await run(permanent);
      expect([r.status, r.error, r.steps]).toEqual([
        'FAILED',
        'FailoverFailed.Permanent',
        ['wait-turn', 'check-trigger', 'check-rpo', 'observe', 'notify-failure'],
      ]);
    }
    const transient = await run('InvalidGlobalClusterStateFault');
    expect([transient.status, transient.error]).toEqual(['FAILED', 'FailoverFailed']);
    // Retried by States.ALL (1 + 2) before the Catch.
    expect(transient.steps.filter((s) => s === 'observe')).toHaveLength(3);
  });

  it('a permanent failure stays permanent when its notification fails too (audit-21-close L1)', async () => {
    const definition = failoverDefinition({ functionArn: FN, pollSeconds: 15, waitSeconds: 600 });
    const r = await runDefinition(
      definition,
      { request: {}, timeline: [] },
      {
        executionId: 'x',
        clock: new VirtualClock(),
        invoke: async (_fn, payload) => {
          const { step, state } = payload as { step: string; state: Record<string, unknown> };
          if (step === 'observe') throw Object.assign(new Error('no'), { name: 'PlanError' });
          // SNS or its key refuses the failure notification.
          if (step === 'notify-failure') throw Object.assign(new Error('KMS refused'), { name: 'KMSAccessDeniedException' });
          return state;
        },
      },
    );
    expect([r.status, r.error]).toEqual(['FAILED', 'FailoverFailed.Permanent']);
    const last = r.lastState as { error: { Error: string }; notifyError: { Error: string } };
    expect(last.error.Error).toBe('PlanError');
    expect(last.notifyError.Error).toBe('KMSAccessDeniedException');
  });
});

describe('ASL interpreter semantics', () => {
  const machine = (retry: unknown[], extra: Record<string, unknown> = {}) => ({
    StartAt: 't',
    States: {
      t: {
        Type: 'Task',
        Resource: 'fn',
        Retry: retry,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'f' }],
        Next: 'ok',
        ...extra,
      },
      ok: { Type: 'Succeed' },
      f: { Type: 'Fail', Error: 'X', Cause: 'y' },
    },
  });
  const failing = (times: number, name = 'NotYet') => {
    let calls = 0;
    return {
      calls: () => calls,
      invoke: async () => {
        calls++;
        if (calls <= times) throw Object.assign(new Error('no'), { name });
        return { done: true };
      },
    };
  };

  it('retries up to MaxAttempts with IntervalSeconds × BackoffRate^n, then catches', async () => {
    const f = failing(2);
    const clock = new VirtualClock();
    const ok = await runDefinition(
      machine([{ ErrorEquals: ['NotYet'], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 2 }]),
      {},
      { invoke: f.invoke, executionId: 'x', clock },
    );
    expect(ok.status).toBe('SUCCEEDED');
    expect(f.calls()).toBe(3);
    expect(ok.history[0]).toMatchObject({ attempts: 3, waitedSeconds: 3 + 6 });

    const g = failing(3);
    const caught = await runDefinition(
      machine([{ ErrorEquals: ['NotYet'], IntervalSeconds: 1, MaxAttempts: 2 }]),
      {},
      { invoke: g.invoke, executionId: 'x', clock },
    );
    expect(caught).toMatchObject({ status: 'FAILED', error: 'X' });
    expect((caught.lastState as { error: { Error: string } }).error.Error).toBe('NotYet');
    expect(g.calls()).toBe(3);
  });

  it('uses the first matching retrier: MaxAttempts 0 stops an error that States.ALL would retry', async () => {
    const f = failing(1, 'PlanError');
    const r = await runDefinition(
      machine([
        { ErrorEquals: ['PlanError'], MaxAttempts: 0 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5 },
      ]),
      {},
      { invoke: f.invoke, executionId: 'x', clock: new VirtualClock() },
    );
    expect(r.status).toBe('FAILED');
    expect(f.calls()).toBe(1);
  });

  it('times a Task out after TimeoutSeconds (States.Timeout)', async () => {
    const r = await runDefinition(
      machine([], { TimeoutSeconds: 1 }),
      {},
      { invoke: () => new Promise((resolve) => setTimeout(resolve, 2_000)), executionId: 'x', clock: new VirtualClock() },
    );
    expect((r.lastState as { error: { Error: string } }).error.Error).toBe('States.Timeout');
  });
});
