/**
 * The orchestrator's ARC module (lambda/failover/arc.ts) against FAKE route53-recovery-cluster endpoints
 * (test/lambda/support/arc-cluster-fake.ts: moto has no ARC data plane; the fake follows the botocore model), with
 * the real AWS SDK client: a move sets every state in one call, endpoints are tried in turn when one is down or
 * unavailable, and a safety rule's refusal is not retried elsewhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ARC_CALL_LIMITS,
  arcClients,
  ArcUpdateError,
  DEFAULT_WAIT_PERIOD_MS,
  endpointOrder,
  moveStates,
  updateStates,
  type ArcConfig,
} from '../../lambda/failover/arc.js';
import { ROUTE53_LIMITS } from '../../lambda/failover/clients.js';
import { ARC_RESERVE_MS, STEP_INVOCATION_MS } from '../../lambda/failover/steps.js';
import { STEP_FUNCTION_TIMEOUT_SECONDS, TASK_TIMEOUT_SECONDS } from '../../src/compose/workflow.js';
import { startArcClusterFake, type FakeArcCluster } from './support/arc-cluster-fake.js';

const arn = (name: string) => `arn:aws:route53-recovery-control::111122223333:controlpanel/p1/routingcontrol/${name}`;
const CONTROLS = { 'us-east-1': arn('use1'), 'us-west-2': arn('usw2'), 'eu-west-1': arn('euw1') };
const GATE = arn('gate');
const REGION_ARNS = Object.values(CONTROLS);
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

let fake: FakeArcCluster;
let cfg: ArcConfig;
const clients = arcClients(credentials);

beforeEach(async () => {
  fake = await startArcClusterFake([...REGION_ARNS, GATE], {
    assertion: { asserted: REGION_ARNS, atLeast: 1 },
    gating: { gates: [GATE], targets: REGION_ARNS },
  });
  cfg = { endpoints: fake.endpoints, controls: CONTROLS };
  // Armed: the gate on, then us-east-1 serving (as an operator arms a new estate).
  fake.states.set(GATE, 'On');
  fake.states.set(CONTROLS['us-east-1'], 'On');
});
afterEach(async () => fake.close());

describe('moveStates', () => {
  it('the target On and the region left Off in one call; the other regions keep their state (the assertion rule judges the result)', () => {
    expect(moveStates(cfg, 'us-west-2', 'us-east-1')).toEqual([
      { RoutingControlArn: CONTROLS['us-west-2'], RoutingControlState: 'On' },
      { RoutingControlArn: CONTROLS['us-east-1'], RoutingControlState: 'Off' },
    ]);
    // The region left unknown, or the target itself: only the target On.
    expect(moveStates(cfg, 'us-west-2')).toEqual([{ RoutingControlArn: CONTROLS['us-west-2'], RoutingControlState: 'On' }]);
    expect(moveStates(cfg, 'us-west-2', 'us-west-2')).toHaveLength(1);
    expect(() => moveStates(cfg, 'ap-south-1')).toThrow(/no routing control for ap-south-1/);
  });
});

describe('updateStates through the cluster endpoints', () => {
  it('moves traffic in one UpdateRoutingControlStates call at the first endpoint', async () => {
    const out = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients);
    expect(out.endpoint.region).toBe('us-east-1');
    expect(out.attempts).toEqual([{ region: 'us-east-1', result: 'ok' }]);
    expect(fake.states.get(CONTROLS['us-west-2'])).toBe('On');
    expect(fake.states.get(CONTROLS['us-east-1'])).toBe('Off');
    expect(fake.states.get(CONTROLS['eu-west-1'])).toBe('Off');
    expect(fake.calls.map((c) => c.operation)).toEqual(['UpdateRoutingControlStates']);
  });

  it('survives the loss of a region: a refused connection and an unavailable endpoint are passed over', async () => {
    await fake.stop('us-east-1');
    fake.unavailable('us-west-2', true);
    const out = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients);
    expect(out.attempts.map((a) => a.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(out.attempts[1]!.result).toBe('EndpointTemporarilyUnavailableException');
    expect(out.attempts[2]!.result).toBe('ok');
    expect(fake.states.get(CONTROLS['us-west-2'])).toBe('On');
  });

  it('a safety rule refusal (the gate off: ConflictException) is retried after the wait period, a bounded number of times, at the first endpoint only', async () => {
    fake.states.set(GATE, 'Off');
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const err = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients, { sleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArcUpdateError);
    expect((err as ArcUpdateError).final).toBe(true);
    expect((err as ArcUpdateError).message).toMatch(
      /ARC refused the change at us-east-1 \(3 rounds, 5000 ms apart\): ConflictException/,
    );
    const updates = fake.calls.filter((c) => c.operation === 'UpdateRoutingControlStates');
    expect(updates.map((c) => `${c.region} ${c.status}`)).toEqual(['us-east-1 409', 'us-east-1 409', 'us-east-1 409']);
    expect(waits).toEqual([DEFAULT_WAIT_PERIOD_MS, DEFAULT_WAIT_PERIOD_MS]);
    // Between rounds the states were read: us-west-2 is still Off, so it was not counted as done.
    expect((err as ArcUpdateError).attempts.filter((a) => a.result.startsWith('GetRoutingControlState'))).toHaveLength(3);
    expect(fake.states.get(CONTROLS['us-east-1'])).toBe('On');
  });

  it('the assertion rule refuses a change that leaves no region on', async () => {
    const allOff = REGION_ARNS.map((a) => ({ RoutingControlArn: a, RoutingControlState: 'Off' as const }));
    await expect(updateStates(cfg, allOff, clients, { sleep: async () => undefined })).rejects.toThrow(
      /ConflictException: the assertion rule/,
    );
    expect(fake.states.get(CONTROLS['us-east-1'])).toBe('On');
  });

  it('fails, naming each endpoint, when none answers', async () => {
    for (const e of fake.endpoints) fake.unavailable(e.region, true);
    const err = (await updateStates(cfg, moveStates(cfg, 'eu-west-1', 'us-east-1'), clients).catch(
      (e: unknown) => e,
    )) as ArcUpdateError;
    expect(err.final).toBe(false);
    // Five updates, then (before failing) a read at each endpoint, which none answers either.
    expect(err.attempts.map((a) => a.result)).toEqual([
      ...Array(5).fill('EndpointTemporarilyUnavailableException'),
      ...Array(5).fill('GetRoutingControlState: EndpointTemporarilyUnavailableException'),
    ]);
    expect(err.message).toMatch(/no ARC cluster endpoint took the change \(us-east-1: EndpointTemporarilyUnavailableException/);
  });

  it('starts at any endpoint and wraps around', () => {
    expect(endpointOrder(fake.endpoints, 3).map((e) => e.region)).toEqual([
      'ap-northeast-1',
      'ap-southeast-2',
      'us-east-1',
      'us-west-2',
      'eu-west-1',
    ]);
  });
});

describe('ConflictException and answers lost on the way back (audit M1)', () => {
  /** A fresh fake cluster whose safety rules hold every change for `waitPeriodMs`, and the config that says so. */
  async function withWaitPeriod(waitPeriodMs: number): Promise<void> {
    await fake.close();
    fake = await startArcClusterFake([...REGION_ARNS, GATE], {
      assertion: { asserted: REGION_ARNS, atLeast: 1 },
      gating: { gates: [GATE], targets: REGION_ARNS },
      waitPeriodMs,
    });
    cfg = { endpoints: fake.endpoints, controls: CONTROLS, waitPeriodMs };
  }

  it('an endpoint applies the change and its answer is lost: the next endpoint is refused within the wait period, and a read shows the change in effect: done', async () => {
    await withWaitPeriod(5_000);
    fake.states.set(GATE, 'On');
    fake.states.set(CONTROLS['us-east-1'], 'On');
    fake.loseAnswers('us-east-1', true);
    const waits: number[] = [];
    const out = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients, {
      sleep: async (ms) => void waits.push(ms),
    });
    expect(out.alreadySet).toBe(true);
    expect(out.attempts.slice(0, 2).map((a) => a.region)).toEqual(['us-east-1', 'us-west-2']);
    expect(out.attempts[1]!.result).toBe('ConflictException');
    expect(out.attempts.at(-1)!.result).toBe('GetRoutingControlState: every state as wanted');
    expect(waits).toEqual([]);
    expect(fake.states.get(CONTROLS['us-west-2'])).toBe('On');
    expect(fake.states.get(CONTROLS['us-east-1'])).toBe('Off');
  });

  it('someone else made the same move moments ago (wait period running, states as wanted): done without a change', async () => {
    await withWaitPeriod(5_000);
    fake.states.set(GATE, 'On');
    fake.states.set(CONTROLS['us-west-2'], 'On');
    fake.changedNow();
    const out = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients, { sleep: async () => undefined });
    expect(out.alreadySet).toBe(true);
    expect(out.endpoint.region).toBe('us-east-1');
    expect(fake.calls.filter((c) => c.operation === 'UpdateRoutingControlStates').map((c) => c.status)).toEqual([409]);
  });

  it('a concurrent flip of another control: ConflictException, then after the wait period the change goes through', async () => {
    await withWaitPeriod(300);
    fake.states.set(GATE, 'On');
    fake.states.set(CONTROLS['us-east-1'], 'On');
    fake.changedNow();
    const started = Date.now();
    const out = await updateStates(cfg, moveStates(cfg, 'eu-west-1', 'us-east-1'), clients);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(out.alreadySet).toBe(false);
    expect(out.attempts[0]).toEqual({ region: 'us-east-1', result: 'ConflictException' });
    expect(out.attempts.at(-1)).toEqual({ region: 'us-east-1', result: 'ok' });
    expect(fake.states.get(CONTROLS['eu-west-1'])).toBe('On');
    expect(fake.states.get(CONTROLS['us-east-1'])).toBe('Off');
  });

  it('no endpoint takes the update, but a read shows the states already as wanted: done', async () => {
    fake.states.set(CONTROLS['us-west-2'], 'On');
    fake.states.set(CONTROLS['us-east-1'], 'Off');
    for (const e of fake.endpoints) fake.loseAnswers(e.region, true);
    const out = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients);
    expect(out.alreadySet).toBe(true);
    expect(out.attempts.filter((a) => a.result !== 'ok' && !a.result.startsWith('Get'))).toHaveLength(5);
  });
});

describe('updateStates within the step time (audit-ssm-arc L5)', () => {
  /** Endpoints that accept the connection and never answer: each call ends only when its abort signal fires. */
  const hanging = (() => ({
    send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        options?.abortSignal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
        );
      }),
  })) as unknown as Parameters<typeof updateStates>[2];

  it('every endpoint hanging: gives up at the deadline (not 5 × 8 s later), not final, so the state retries the step', async () => {
    const started = Date.now();
    const err = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), hanging, {
      deadline: started + 1_200,
    }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(ArcUpdateError);
    expect((err as ArcUpdateError).final).toBe(false);
    expect((err as ArcUpdateError).message).toMatch(/time for ARC ran out/);
    expect(took).toBeLessThan(2_000);
  }, 15_000);

  it('a conflict whose wait period would end past the deadline is not waited for: not final, no sleep', async () => {
    fake.states.set(GATE, 'Off');
    const waits: number[] = [];
    const err = await updateStates(cfg, moveStates(cfg, 'us-west-2', 'us-east-1'), clients, {
      sleep: async (ms) => void waits.push(ms),
      deadline: Date.now() + DEFAULT_WAIT_PERIOD_MS - 1_000,
    }).catch((e: unknown) => e);
    expect(waits).toEqual([]);
    expect((err as ArcUpdateError).final).toBe(false);
    expect((err as ArcUpdateError).message).toMatch(/time for ARC ran out/);
  });

  it('switch-dns keeps the Route 53 calls after the controls, and one endpoint call, inside the invocation; the invocation inside the Task', () => {
    expect(STEP_INVOCATION_MS).toBe(STEP_FUNCTION_TIMEOUT_SECONDS * 1000);
    expect(TASK_TIMEOUT_SECONDS * 1000).toBeGreaterThan(STEP_INVOCATION_MS);
    expect(ARC_RESERVE_MS).toBeGreaterThanOrEqual(2 * ROUTE53_LIMITS.callTimeoutMs);
    // Room for at least a read and a full update call before the reserve.
    expect(STEP_INVOCATION_MS - ARC_RESERVE_MS).toBeGreaterThan(2 * ARC_CALL_LIMITS.callTimeoutMs);
  });
});
