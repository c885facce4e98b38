/**
 * One run acts per estate at a time (lambda/failover/turn.ts, the workflow's wait-turn step) on moto's Step Functions:
 * two regions' workflows each start a run (the standby's automatic trigger and the GitOps Invocation of another
 * region), through the production starter, and each run's wait-turn step decides from the RUNNING executions of both
 * regions. Executions are ended as Step Functions ends them through the moto launcher's `drplane.close`; a lost region
 * is the outage proxy resetting every request signed for it.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStarter, createStepHandler, type RunState, type StartResult } from '../../lambda/failover/index.js';
import type { FailoverClients } from '../../lambda/failover/clients.js';
import {
  ASK_AGAIN_LIMIT_SECONDS,
  byTurn,
  decideTurn,
  listRuns,
  MAX_PAGES,
  type Run,
  type TurnClock,
} from '../../lambda/failover/turn.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { automaticRequest, runSeconds } from '../../lambda/shared/workflow-contract.js';
import { failoverDefinition } from '../../src/compose/workflow.js';
import { MOTO_ACCOUNT, useMoto } from './support/aws.js';
import { lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';
import { startOutageProxy, type OutageProxy } from './support/outage-proxy.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';

let moto: MotoServer;
let proxy: OutageProxy;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startOutageProxy(moto.endpoint);
  useMoto(proxy.endpoint);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

/** An estate's two workflows (the composed definition) and each region's starter and step handler. */
async function estate(name: string) {
  const machines: Record<string, string> = {};
  for (const region of [EAST, WEST]) {
    const fn = `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:failover-${name}`;
    const out = await new SFNClient({ region, endpoint: moto.endpoint }).send(
      new CreateStateMachineCommand({
        name: `failover-${name}-${region}`,
        definition: JSON.stringify(failoverDefinition({ functionArn: fn, pollSeconds: 15, waitSeconds: 600 })),
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sfn`,
      }),
    );
    machines[region] = out.stateMachineArn!;
  }
  const envOf = (region: string, all = true): Record<string, string> => ({
    AWS_REGION: region,
    [FAILOVER_ENV.regions]: JSON.stringify({ primary: EAST, secondaries: [WEST] }),
    [FAILOVER_ENV.globalClusterId]: 'gdb',
    [FAILOVER_ENV.clusterArns]: JSON.stringify({
      [EAST]: `arn:aws:rds:${EAST}:${MOTO_ACCOUNT}:cluster:db-use1`,
      [WEST]: `arn:aws:rds:${WEST}:${MOTO_ACCOUNT}:cluster:db-usw2`,
    }),
    [FAILOVER_ENV.hostedZoneId]: 'Z123',
    [FAILOVER_ENV.recordName]: 'api.example.com',
    [FAILOVER_ENV.healthUrls]: JSON.stringify({
      [EAST]: 'https://use1.example.com/health',
      [WEST]: 'https://usw2.example.com/health',
    }),
    [FAILOVER_ENV.topicArn]: `arn:aws:sns:${region}:${MOTO_ACCOUNT}:alerts`,
    [FAILOVER_ENV.operationsRoleArn]: `arn:aws:iam::${MOTO_ACCOUNT}:role/dr-operations`,
    [FAILOVER_ENV.externalIdParameter]: '/drplane/prod/external-id',
    [FAILOVER_ENV.stateMachineArn]: machines[region]!,
    ...(all ? { [FAILOVER_ENV.stateMachineArns]: JSON.stringify(machines) } : {}),
  });
  const starter = (region: string) => createStarter({ env: envOf(region), logSink: () => undefined });
  /**
   * The run's wait-turn step, as its Task invokes it: the execution's ARN and start time from the context object
   * (`$$.Execution.StartTime`, the start Step Functions, here moto, recorded).
   */
  const waitTurn = async (region: string, start: Pick<StartResult, 'executionArn'>, all = true, now?: () => Date) => {
    const { startDate } = await new SFNClient({ region, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: start.executionArn! }),
    );
    return (await createStepHandler({ env: envOf(region, all), logSink: () => undefined, ...(now ? { now } : {}) })(
      {
        step: 'wait-turn',
        state: { request: { targetRegion: region, mode: 'unplanned' }, timeline: [] },
        execution: { id: start.executionArn!, startTime: startDate!.toISOString() },
      },
      lambdaContext(),
    )) as RunState;
  };
  const close = (region: string, executionArn: string) =>
    new SFNClient({ region, endpoint: moto.endpoint }).send(
      new StopExecutionCommand({ executionArn, error: 'drplane.close', cause: JSON.stringify({ status: 'SUCCEEDED' }) }),
    );
  return { machines, starter, waitTurn, close };
}

describe('one run acts per estate at a time (wait-turn)', { timeout: 60_000 }, () => {
  it('of two runs started in two regions, the earlier acts and the later waits until it has ended', async () => {
    const e = await estate('race');
    // The standby's automatic trigger starts a failover toward us-west-2 ...
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T10:00:00.000Z'), lambdaContext());
    // ... and, a moment later, a commit moves activeRegion back: the GitOps Invocation starts one in us-east-1.
    await new Promise((r) => setTimeout(r, 20));
    const east = await e.starter(EAST)(
      { targetRegion: EAST, mode: 'planned', reason: 'activeRegion changed in git' },
      lambdaContext(),
    );
    expect([west.outcome, east.outcome]).toEqual(['started', 'started']);

    // Both run at once, each in its own region's workflow: the later one waits for the earlier, whichever asks first.
    const eastTurn = e.waitTurn(EAST, east);
    await expect(eastTurn).rejects.toMatchObject({ name: 'NotYet' });
    await expect(eastTurn).rejects.toThrow(new RegExp(`waiting for ${west.name} in ${WEST}`));
    const westTurn = await e.waitTurn(WEST, west);
    expect(westTurn.timeline.at(-1)).toMatchObject({ step: 'wait-turn', outcome: 'done' });
    expect(westTurn.timeline.at(-1)?.detail).toMatch(new RegExp(`^first of 2 running \\(${east.name} in ${EAST} wait\\)$`));
    // Asked again while the earlier still runs: still waiting (the Retry polls).
    await expect(e.waitTurn(EAST, east)).rejects.toMatchObject({ name: 'NotYet' });

    // The earlier run ends: the later one has its turn.
    await e.close(WEST, west.executionArn!);
    const after = await e.waitTurn(EAST, east);
    expect(after.timeline.at(-1)).toMatchObject({ step: 'wait-turn', outcome: 'done', detail: 'no other run' });
    await e.close(EAST, east.executionArn!);
  });

  it('leaves out a region whose Step Functions API does not answer, and says so', async () => {
    const e = await estate('lost');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T11:00:00.000Z'), lambdaContext());
    // us-east-1 answers: the us-west-2 run waits for the earlier us-east-1 run.
    await expect(e.waitTurn(WEST, west)).rejects.toThrow(new RegExp(`waiting for ${east.name} in ${EAST}`));
    // us-east-1 is lost: its runs cannot be listed, and the standby's run goes on, naming the region it left out.
    proxy.fail([EAST]);
    try {
      const turn = await e.waitTurn(WEST, west);
      expect(turn.timeline.at(-1)?.outcome).toBe('done');
      expect(turn.timeline.at(-1)?.detail).toMatch(/^no other run; not answering, left out: us-east-1 \(/);
      expect(proxy.refused.get(`${EAST}/states`) ?? 0).toBeGreaterThan(0);
    } finally {
      proxy.fail([]);
    }
    await e.close(EAST, east.executionArn!);
    await e.close(WEST, west.executionArn!);
  });

  it('asks again a region whose Step Functions answers 503, for ASK_AGAIN_LIMIT_SECONDS from the first look, then leaves it out', async () => {
    const e = await estate('unavailable');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T14:00:00.000Z'), lambdaContext());
    const { startDate } = await new SFNClient({ region: WEST, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: west.executionArn! }),
    );
    const at = (s: number) => () => new Date(startDate!.getTime() + s * 1000);
    // us-east-1's APIs are lost, its Step Functions endpoint answering 503 rather than refusing.
    proxy.fail([EAST], [], ['states']);
    try {
      await expect(e.waitTurn(WEST, west, true, at(ASK_AGAIN_LIMIT_SECONDS - 5))).rejects.toThrow(
        /^asking again: us-east-1 \(.*\) \(another region for at most 150 s, 145 s so far\)$/,
      );
      // The step's first look is the execution's start (wait-turn is the first step): from the limit on, it goes.
      const turn = await e.waitTurn(WEST, west, true, at(ASK_AGAIN_LIMIT_SECONDS));
      expect(turn.timeline.at(-1)?.outcome).toBe('done');
      expect(turn.timeline.at(-1)?.detail).toMatch(
        /^no other run; not answering, left out: us-east-1 \(asked again for 150 s, past the 150 s limit: /,
      );
      expect(proxy.unavailable.get(`${EAST}/states`) ?? 0).toBeGreaterThan(0);
    } finally {
      proxy.fail([]);
    }
    // Answering again, the earlier us-east-1 run blocks again.
    await expect(e.waitTurn(WEST, west, true, at(600))).rejects.toThrow(new RegExp(`waiting for ${east.name} in ${EAST}`));
    await e.close(EAST, east.executionArn!);
    await e.close(WEST, west.executionArn!);
  });

  it('an earlier run older than its lease (runSeconds) no longer blocks: the later run goes, naming it', async () => {
    const e = await estate('lease');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T13:00:00.000Z'), lambdaContext());
    // 4 waiting steps (promote-database, wait-for-writer, dns-insync, verify-health) x 600 + 15 x 70 = 3450 s, the
    // composed waitSeconds of 600 s
    const lease = runSeconds(600);
    expect(lease).toBe(3450);
    const { startDate } = await new SFNClient({ region: EAST, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: east.executionArn! }),
    );
    // Within its lease the earlier run blocks (a second before it ends)...
    const within = () => new Date(startDate!.getTime() + (lease - 1) * 1000);
    await expect(e.waitTurn(WEST, west, true, within)).rejects.toThrow(new RegExp(`waiting for ${east.name} in ${EAST}`));
    // ...and past it, it is still RUNNING but no longer blocks.
    const past = () => new Date(startDate!.getTime() + (lease + 1) * 1000);
    const turn = await e.waitTurn(WEST, west, true, past);
    expect(turn.timeline.at(-1)).toMatchObject({
      step: 'wait-turn',
      outcome: 'done',
      detail: `no other run; past the 3450 s lease, not waited for: ${east.name} in ${EAST}`,
    });
    await e.close(EAST, east.executionArn!);
    await e.close(WEST, west.executionArn!);
  });

  it('does not wait for a dry run, and a dry run does not wait', async () => {
    const e = await estate('dry');
    const dry = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', dryRun: true }, lambdaContext());
    expect(dry.name).toMatch(/^dryrun-/);
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T12:00:00.000Z'), lambdaContext());
    const turn = await e.waitTurn(WEST, west);
    expect(turn.timeline.at(-1)).toMatchObject({ outcome: 'done', detail: 'no other run' });
    await e.close(EAST, dry.executionArn!);
    await e.close(WEST, west.executionArn!);
  });

  it("with only its own region's workflow configured, orders the runs of that workflow and says the others are not", async () => {
    const e = await estate('own-only');
    const sfn = new SFNClient({ region: WEST, endpoint: moto.endpoint });
    const input = JSON.stringify({ request: { targetRegion: WEST, mode: 'unplanned' }, timeline: [] });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: e.machines[WEST], name: 'first', input }));
    await new Promise((r) => setTimeout(r, 20));
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: e.machines[WEST], name: 'second', input }));
    await expect(e.waitTurn(WEST, { executionArn: second.executionArn! }, false)).rejects.toThrow(
      /waiting for first in us-west-2/,
    );
    await e.close(WEST, first.executionArn!);
    const turn = await e.waitTurn(WEST, { executionArn: second.executionArn! }, false);
    expect(turn.timeline.at(-1)?.detail).toBe("no other run (only us-west-2's workflow is configured)");
    await e.close(WEST, second.executionArn!);
  });
});

describe('the order every run agrees on (decideTurn)', () => {
  const run = (region: string, name: string, at: string): Run => ({
    executionArn: `arn:aws:states:${region}:${MOTO_ACCOUNT}:execution:failover-${region}:${name}`,
    name,
    region,
    startDate: new Date(at),
  });
  const a = run(EAST, 'planned-us-east-1-aaaa', '2026-12-06T10:00:00.000Z');
  const b = run(WEST, 'unplanned-us-west-2-bbbb', '2026-12-06T10:00:00.000Z');
  const clock: TurnClock = {
    now: new Date('2026-12-06T10:01:00.000Z'),
    leaseSeconds: 2850,
    firstLook: new Date('2026-12-06T10:00:00.000Z'),
  };

  it('breaks a tie of start times by execution ARN, the same way from either run', () => {
    expect([b, a].sort(byTurn)).toEqual([a, b]);
    const listing = { runs: [a, b], unanswered: [] };
    expect(decideTurn(a, listing, clock).go).toBe(true);
    expect(decideTurn(b, listing, clock)).toMatchObject({ go: false, waitingFor: a });
  });

  it('does not go on before the listing of its own region shows the run itself (eventual consistency)', () => {
    expect(decideTurn(a, { runs: [], unanswered: [] }, clock)).toEqual({
      go: false,
      detail: 'this run is not listed yet in us-east-1 (ListExecutions is eventually consistent)',
    });
  });

  it('a run redriven later counts from its redrive (Step Functions orders RUNNING runs by startDate or redriveDate)', () => {
    const redriven: Run = {
      ...a,
      startDate: new Date('2026-12-06T09:00:00.000Z'),
      redriveDate: new Date('2026-12-06T10:30:00.000Z'),
    };
    const now = {
      now: new Date('2026-12-06T10:31:00.000Z'),
      leaseSeconds: 2850,
      firstLook: new Date('2026-12-06T10:30:00.000Z'),
    };
    expect(decideTurn(b, { runs: [redriven, b], unanswered: [] }, now).go).toBe(true);
    expect(decideTurn(redriven, { runs: [redriven, b], unanswered: [] }, now)).toMatchObject({ go: false, waitingFor: b });
  });
});

/**
 * [fake Step Functions] ListExecutions answers the listing cannot get from moto: throttling, a page that does not come
 * within LIST_TIMEOUT_MS, more pages than a region usually has. Shaped as @aws-sdk/client-sfn gives them (botocore
 * stepfunctions 2016-11-23 ListExecutions: executions newest first, `nextToken` while more remain; ThrottlingException
 * is the common throttling error of the JSON protocol, HTTP 400, client fault).
 */
describe('[fake Step Functions] what the listing does with a region that answers badly', { timeout: 30_000 }, () => {
  const machine = (region: string) => `arn:aws:states:${region}:${MOTO_ACCOUNT}:stateMachine:failover-${region}`;
  const arns = { [EAST]: machine(EAST), [WEST]: machine(WEST) };
  const exec = (region: string, name: string, at: Date) => ({
    executionArn: `arn:aws:states:${region}:${MOTO_ACCOUNT}:execution:failover-${region}:${name}`,
    name,
    startDate: at,
  });
  const now = new Date('2026-12-06T12:00:00.000Z');
  const self = exec(WEST, 'self', new Date(now.getTime() - 60_000));
  /** Wait-turn's first look was at the run's start, a minute ago: within ASK_AGAIN_LIMIT_SECONDS. */
  const clock: TurnClock = { now, leaseSeconds: 2850, firstLook: self.startDate };
  /** The same listing weighed `s` seconds after the step's first look. */
  const after = (s: number): TurnClock => ({ ...clock, now: new Date(self.startDate.getTime() + s * 1000) });
  type Send = (input: { nextToken?: string }, signal: AbortSignal) => Promise<unknown>;
  /** Clients whose Step Functions client answers ListExecutions with `east` for us-east-1, `self` alone for us-west-2. */
  const fake = (east: Send, calls: string[] = []): FailoverClients =>
    ({
      sfn: (region: string) => ({
        send: (cmd: { input: { nextToken?: string } }, opts: { abortSignal: AbortSignal }) => {
          calls.push(`${region}:${cmd.input.nextToken ?? ''}`);
          return region === EAST ? east(cmd.input, opts.abortSignal) : Promise.resolve({ executions: [self] });
        },
      }),
    }) as unknown as FailoverClients;

  it('[fake Step Functions: ThrottlingException] a throttling region is asked again within the limit, not left out', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const listing = await listRuns(
      fake(() => Promise.reject(throttled)),
      arns,
      clock,
    );
    expect(listing.unanswered).toEqual([]);
    expect(decideTurn(self, listing, clock)).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Rate exceeded) (another region for at most 150 s, 60 s so far)',
    });
    // Still within the limit a second before it.
    expect(decideTurn(self, listing, after(ASK_AGAIN_LIMIT_SECONDS - 1))).toMatchObject({ go: false });
  });

  // Before the bound (audit-21-close H1) this test asserted that such a region is asked again however long it does not
  // answer, which held every run for wait-turn's whole budget (2,910 s) when a lost region's endpoint hangs.
  it('[fake Step Functions: slow answer] a region that does not answer within 5 s is asked again, then left out after the limit', async () => {
    expect(ASK_AGAIN_LIMIT_SECONDS).toBe(150);
    // As @smithy/node-http-handler rejects a request whose abortSignal fires: an Error named AbortError.
    const slow: Send = (_input, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))),
      );
    const listing = await listRuns(fake(slow), arns, clock);
    expect(listing.unanswered).toEqual([]);
    expect(decideTurn(self, listing, clock)).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Request aborted) (another region for at most 150 s, 60 s so far)',
    });
    expect(decideTurn(self, listing, after(ASK_AGAIN_LIMIT_SECONDS - 1))).toMatchObject({ go: false });
    // From the limit on, the region is left out and named, as a refused one.
    expect(decideTurn(self, listing, after(ASK_AGAIN_LIMIT_SECONDS))).toEqual({
      go: true,
      detail: 'no other run; not answering, left out: us-east-1 (asked again for 150 s, past the 150 s limit: Request aborted)',
    });
  });

  it('[fake Step Functions: 503] a region answering 5xx is left out after the limit, but its runs count while it answers', async () => {
    const down = Object.assign(new Error('Service Unavailable'), {
      name: 'ServiceUnavailable',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    const failing = await listRuns(
      fake(() => Promise.reject(down)),
      arns,
      clock,
    );
    expect(decideTurn(self, failing, after(ASK_AGAIN_LIMIT_SECONDS - 1))).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Service Unavailable) (another region for at most 150 s, 149 s so far)',
    });
    expect(decideTurn(self, failing, after(600))).toEqual({
      go: true,
      detail:
        'no other run; not answering, left out: us-east-1 (asked again for 600 s, past the 150 s limit: Service Unavailable)',
    });
    // Once the region answers again, an earlier run of it still blocks, however long the step has been looking.
    const earlier = exec(EAST, 'earlier', new Date(self.startDate.getTime() - 1_000));
    const answering = await listRuns(
      fake(() => Promise.resolve({ executions: [earlier] })),
      arns,
      clock,
    );
    expect(decideTurn(self, answering, after(600))).toMatchObject({ go: false, waitingFor: { name: 'earlier' } });
  });

  it("[fake Step Functions: 503] the run's own region is asked again past the limit (it is running this run)", async () => {
    const down = Object.assign(new Error('Service Unavailable'), { $fault: 'server', $metadata: { httpStatusCode: 503 } });
    const own = { [EAST]: machine(EAST), [WEST]: machine(WEST) };
    const clients = {
      sfn: (region: string) => ({
        send: () => (region === WEST ? Promise.reject(down) : Promise.resolve({ executions: [] })),
      }),
    } as unknown as FailoverClients;
    const listing = await listRuns(clients, own, clock);
    expect(decideTurn(self, listing, after(600))).toEqual({
      go: false,
      detail: 'asking again: us-west-2 (Service Unavailable)',
    });
  });

  it('[fake Step Functions: 6 pages] reads every page, so the oldest run (on the last page) is waited for', async () => {
    // 600 runs newest first: 599 started after this run, the oldest (page 6) before it.
    const runs = Array.from({ length: 600 }, (_, i) =>
      i === 599 ? exec(EAST, 'oldest', new Date(now.getTime() - 120_000)) : exec(EAST, `r${i}`, new Date(now.getTime() - i)),
    );
    const calls: string[] = [];
    const paged: Send = ({ nextToken }) => {
      const page = Number(nextToken ?? '0');
      return Promise.resolve({
        executions: runs.slice(page * 100, page * 100 + 100),
        ...(page < 5 ? { nextToken: String(page + 1) } : {}),
      });
    };
    const listing = await listRuns(fake(paged, calls), arns, clock);
    expect(calls.filter((c) => c.startsWith(EAST))).toHaveLength(6);
    expect(decideTurn(self, listing, clock)).toMatchObject({ go: false, waitingFor: { name: 'oldest' } });
  });

  it('[fake Step Functions: paging] stops at the first page that reaches past the lease, and asks again past MAX_PAGES', async () => {
    const calls: string[] = [];
    const old: Send = ({ nextToken }) =>
      Promise.resolve({
        executions: [exec(EAST, `x${nextToken ?? ''}`, new Date(now.getTime() - 2851_000))],
        nextToken: `${nextToken ?? ''}+`,
      });
    const listing = await listRuns(fake(old, calls), arns, clock);
    expect(calls.filter((c) => c.startsWith(EAST))).toEqual([`${EAST}:`]);
    expect(decideTurn(self, listing, clock)).toMatchObject({
      go: true,
      detail: 'no other run; past the 2850 s lease, not waited for: x in us-east-1',
    });

    const endless: Send = ({ nextToken }) =>
      Promise.resolve({ executions: [exec(EAST, `y${nextToken ?? ''}`, now)], nextToken: `${nextToken ?? ''}+` });
    const many = await listRuns(fake(endless), arns, clock);
    expect(decideTurn(self, many, clock)).toEqual({
      go: false,
      detail: `asking again: us-east-1 (more than ${MAX_PAGES * 100} RUNNING runs within the lease: the oldest are not read) (another region for at most 150 s, 60 s so far)`,
    });
  });
});
