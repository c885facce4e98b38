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
  type Turn,
  type TurnClock,
} from '../../lambda/failover/turn.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { automaticRequest, runSeconds, turnSeconds } from '../../lambda/shared/workflow-contract.js';
import { failoverDefinition } from '../../src/compose/workflow.js';
import { MOTO_ACCOUNT, useMoto } from './support/aws.js';
import { lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';
import { startOutageProxy, type OutageProxy } from './support/outage-proxy.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
/** The third region of a three-region estate. */
const EU = 'eu-west-1';
/** Each region's short name in the estate's resource names. */
const SHORT: Record<string, string> = { [EAST]: 'use1', [WEST]: 'usw2', [EU]: 'euw1' };

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

/**
 * An estate's workflows (the composed definition), one per region (`regions`: the primary first; by default us-east-1
 * and us-west-2), and each region's starter and step handler.
 */
async function estate(name: string, regions: readonly string[] = [EAST, WEST]) {
  const machines: Record<string, string> = {};
  for (const region of regions) {
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
    [FAILOVER_ENV.regions]: JSON.stringify({ primary: regions[0], secondaries: regions.slice(1) }),
    [FAILOVER_ENV.globalClusterId]: 'gdb',
    [FAILOVER_ENV.clusterArns]: JSON.stringify(
      Object.fromEntries(regions.map((r) => [r, `arn:aws:rds:${r}:${MOTO_ACCOUNT}:cluster:db-${SHORT[r]}`])),
    ),
    [FAILOVER_ENV.hostedZoneId]: 'Z123',
    [FAILOVER_ENV.recordName]: 'api.example.com',
    [FAILOVER_ENV.healthUrls]: JSON.stringify(
      Object.fromEntries(regions.map((r) => [r, `https://${SHORT[r]}.example.com/health`])),
    ),
    [FAILOVER_ENV.topicArn]: `arn:aws:sns:${region}:${MOTO_ACCOUNT}:alerts`,
    [FAILOVER_ENV.operationsRoleArn]: `arn:aws:iam::${MOTO_ACCOUNT}:role/dr-operations`,
    [FAILOVER_ENV.estate]: 'e0c0ffee',
    [FAILOVER_ENV.externalIdParameter]: '/drplane/prod/external-id',
    [FAILOVER_ENV.stateMachineArn]: machines[region]!,
    ...(all ? { [FAILOVER_ENV.stateMachineArns]: JSON.stringify(machines) } : {}),
  });
  const starter = (region: string) => createStarter({ env: envOf(region), logSink: () => undefined });
  /**
   * The run's wait-turn step, as its Task invokes it: the execution's ARN and start time from the context object
   * (`$$.Execution.StartTime`, the start Step Functions, here moto, recorded), and the state its previous look returned
   * (`prior`; a fresh run's state without). Not its turn yet: the state comes back with `turn` (the definition's Choice
   * sends it through a Wait to the next look) and nothing on the timeline.
   */
  const waitTurn = async (
    region: string,
    start: Pick<StartResult, 'executionArn'>,
    all = true,
    now?: () => Date,
    prior?: RunState,
  ) => {
    const { startDate } = await new SFNClient({ region, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: start.executionArn! }),
    );
    return (await createStepHandler({ env: envOf(region, all), logSink: () => undefined, ...(now ? { now } : {}) })(
      {
        step: 'wait-turn',
        state: prior ?? { request: { targetRegion: region, mode: 'unplanned' }, timeline: [] },
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
    const eastTurn = await e.waitTurn(EAST, east);
    expect(eastTurn.timeline).toEqual([]);
    expect(eastTurn.turn?.detail).toMatch(new RegExp(`^waiting for ${west.name} in ${WEST}`));
    const westTurn = await e.waitTurn(WEST, west);
    expect(westTurn.timeline.at(-1)).toMatchObject({ step: 'wait-turn', outcome: 'done' });
    expect(westTurn.timeline.at(-1)?.detail).toMatch(new RegExp(`^first of 2 running \\(${east.name} in ${EAST} wait\\)$`));
    // Asked again while the earlier still runs: still waiting (the loop looks again).
    expect((await e.waitTurn(EAST, east, true, undefined, eastTurn)).turn?.detail).toMatch(/^waiting for /);

    // The earlier run ends: the later one has its turn, and what its looks carried is gone from the state.
    await e.close(WEST, west.executionArn!);
    const after = await e.waitTurn(EAST, east, true, undefined, eastTurn);
    expect(after.timeline.at(-1)).toMatchObject({ step: 'wait-turn', outcome: 'done', detail: 'no other run' });
    expect(after.turn).toBeUndefined();
    await e.close(EAST, east.executionArn!);
  });

  it('leaves out a region whose Step Functions API does not answer, and says so', async () => {
    const e = await estate('lost');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T11:00:00.000Z'), lambdaContext());
    // us-east-1 answers: the us-west-2 run waits for the earlier us-east-1 run.
    expect((await e.waitTurn(WEST, west)).turn?.detail).toMatch(new RegExp(`^waiting for ${east.name} in ${EAST}`));
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

  it('asks again a region whose Step Functions answers 503 for ASK_AGAIN_LIMIT_SECONDS of 503s in a row, then leaves it out', async () => {
    const e = await estate('unavailable');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T14:00:00.000Z'), lambdaContext());
    const { startDate } = await new SFNClient({ region: WEST, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: west.executionArn! }),
    );
    const at = (s: number) => () => new Date(startDate!.getTime() + s * 1000);
    // us-east-1 answers for the first 200 s: the run waits for the earlier us-east-1 run, which may be acting.
    const waiting = await e.waitTurn(WEST, west, true, at(200));
    expect(waiting.turn).toMatchObject({ unsureSince: {} });
    expect(waiting.turn?.detail).toMatch(new RegExp(`^waiting for ${east.name} in ${EAST}`));
    // Then its APIs are lost, its Step Functions endpoint answering 503 rather than refusing.
    proxy.fail([EAST], [], ['states']);
    try {
      // One 503 after 200 s of waiting does not leave the region out: the streak starts at this look.
      const first = await e.waitTurn(WEST, west, true, at(205), waiting);
      expect(first.turn?.unsureSince).toEqual({ [EAST]: at(205)().toISOString() });
      expect(first.turn?.detail).toMatch(/^asking again: us-east-1 \(.*\) \(not answering for 0 s; left out after 150 s\)$/);
      const later = await e.waitTurn(WEST, west, true, at(205 + ASK_AGAIN_LIMIT_SECONDS - 5), first);
      expect(later.turn?.detail).toMatch(/\(not answering for 145 s; left out after 150 s\)$/);
      // 150 s of 503s in a row: left out, named.
      const turn = await e.waitTurn(WEST, west, true, at(205 + ASK_AGAIN_LIMIT_SECONDS), later);
      expect(turn.timeline.at(-1)?.outcome).toBe('done');
      expect(turn.timeline.at(-1)?.detail).toMatch(
        /^no other run; not answering, left out: us-east-1 \(not answering for 150 s, past the 150 s limit: /,
      );
      expect(turn.turn).toBeUndefined();
      expect(proxy.unavailable.get(`${EAST}/states`) ?? 0).toBeGreaterThan(0);
    } finally {
      proxy.fail([]);
    }
    // Answering again, the earlier us-east-1 run blocks again.
    expect((await e.waitTurn(WEST, west, true, at(600))).turn?.detail).toMatch(
      new RegExp(`^waiting for ${east.name} in ${EAST}`),
    );
    await e.close(EAST, east.executionArn!);
    await e.close(WEST, west.executionArn!);
  });

  it("gives up with NotYet once its budget (turnSeconds from the step's start) is spent", async () => {
    const e = await estate('budget');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T15:00:00.000Z'), lambdaContext());
    const { startDate } = await new SFNClient({ region: WEST, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: west.executionArn! }),
    );
    // The run's own region's Step Functions answers 503: asked again (never left out: it runs this run) until the
    // budget is spent.
    proxy.fail([WEST], [], ['states']);
    try {
      const at = (s: number) => () => new Date(startDate!.getTime() + s * 1000);
      expect((await e.waitTurn(WEST, west, true, at(turnSeconds(600) - 1))).turn?.detail).toMatch(
        /^asking again: us-west-2 \(Service Unavailable\)$/,
      );
      const spent = e.waitTurn(WEST, west, true, at(turnSeconds(600)));
      await expect(spent).rejects.toMatchObject({ name: 'NotYet' });
      await expect(spent).rejects.toThrow(/^after 3630 s of its 3630 s budget: asking again: us-west-2 /);
    } finally {
      proxy.fail([]);
    }
    await e.close(EAST, east.executionArn!);
    await e.close(WEST, west.executionArn!);
  });

  it('an earlier run older than its lease (runSeconds) no longer blocks: the later run goes, naming it', async () => {
    const e = await estate('lease');
    const east = await e.starter(EAST)({ targetRegion: EAST, mode: 'planned', reason: 'earlier' }, lambdaContext());
    await new Promise((r) => setTimeout(r, 20));
    const west = await e.starter(WEST)(automaticRequest('trigger', WEST, EAST, '2026-12-06T13:00:00.000Z'), lambdaContext());
    // 4 waiting steps (promote-database, wait-for-writer, dns-insync, verify-health) x 600 + switch-dns's 120 (while
    // Route 53 throttles) + 15 x 70 = 3570 s, the composed waitSeconds of 600 s
    const lease = runSeconds(600);
    expect(lease).toBe(3570);
    const { startDate } = await new SFNClient({ region: EAST, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: east.executionArn! }),
    );
    // Within its lease the earlier run blocks (a second before it ends)...
    const within = () => new Date(startDate!.getTime() + (lease - 1) * 1000);
    expect((await e.waitTurn(WEST, west, true, within)).turn?.detail).toMatch(new RegExp(`^waiting for ${east.name} in ${EAST}`));
    // ...and past it, it is still RUNNING but no longer blocks.
    const past = () => new Date(startDate!.getTime() + (lease + 1) * 1000);
    const turn = await e.waitTurn(WEST, west, true, past);
    expect(turn.timeline.at(-1)).toMatchObject({
      step: 'wait-turn',
      outcome: 'done',
      detail: `no other run; past the 3570 s lease, not waited for: ${east.name} in ${EAST}`,
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
    expect((await e.waitTurn(WEST, { executionArn: second.executionArn! }, false)).turn?.detail).toMatch(
      /^waiting for first in us-west-2/,
    );
    await e.close(WEST, first.executionArn!);
    const turn = await e.waitTurn(WEST, { executionArn: second.executionArn! }, false);
    expect(turn.timeline.at(-1)?.detail).toBe("no other run (only us-west-2's workflow is configured)");
    await e.close(WEST, second.executionArn!);
  });
});

/**
 * Which region a run fails away from (lambda/failover/steps.ts awayFromOf), seen through the wait-turn step handler:
 * a region whose Step Functions is unreachable at network level is left out at once only when it may be left out (the
 * region the run fails away from, or any region when the run does not know it); another is asked again.
 */
describe('wait-turn: the region a run fails away from', { timeout: 60_000 }, () => {
  /** A run of `request` started in us-west-2's workflow, its wait-turn asked while `lost` regions refuse connections. */
  async function lookWhileLost(
    name: string,
    regions: readonly string[],
    request: Record<string, unknown>,
    lost: readonly string[],
  ): Promise<RunState> {
    const e = await estate(name, regions);
    const west = await e.starter(WEST)(request, lambdaContext());
    proxy.fail(lost);
    try {
      const turn = await e.waitTurn(WEST, west, true, undefined, { request, timeline: [] } as unknown as RunState);
      for (const region of lost) expect(proxy.refused.get(`${region}/states`) ?? 0, region).toBeGreaterThan(0);
      return turn;
    } finally {
      proxy.fail([]);
      await e.close(WEST, west.executionArn!);
    }
  }

  it('an automatic run fails away from its lost region (the trigger), whichever region that is: it is left out, a third region asked again', async () => {
    const lostEast = await lookWhileLost(
      'away-auto-east',
      [EAST, WEST, EU],
      automaticRequest('trigger', WEST, EAST, '2026-12-06T16:00:00.000Z'),
      [EAST, EU],
    );
    expect(lostEast.timeline).toEqual([]);
    expect(lostEast.turn?.detail).toMatch(
      /^asking again: eu-west-1 \(.+\) \(not answering for 0 s; not the region this run fails away from: asked again\)$/,
    );
    expect(Object.keys(lostEast.turn?.unsureSince ?? {})).toEqual([EU]);
    // The lost region a secondary (eu-west-1 served): it is the one left out, the primary asked again.
    const lostEu = await lookWhileLost(
      'away-auto-eu',
      [EAST, WEST, EU],
      automaticRequest('trigger', WEST, EU, '2026-12-06T16:05:00.000Z'),
      [EAST, EU],
    );
    expect(lostEu.timeline).toEqual([]);
    expect(lostEu.turn?.detail).toMatch(
      /^asking again: us-east-1 \(.+\) \(not answering for 0 s; not the region this run fails away from: asked again\)$/,
    );
    expect(Object.keys(lostEu.turn?.unsureSince ?? {})).toEqual([EAST]);
  });

  it('a run started by people in a two-region estate fails away from the other region: it is left out at once', async () => {
    // In two regions, the other region and "not known" leave out alike; what this checks is that the region left out
    // is the other one and the run goes on, not that the target or its own region is taken for it.
    const turn = await lookWhileLost('away-two', [EAST, WEST], { targetRegion: WEST, mode: 'unplanned' }, [EAST]);
    expect(turn.turn).toBeUndefined();
    expect(turn.timeline.at(-1)).toMatchObject({ step: 'wait-turn', outcome: 'done' });
    expect(turn.timeline.at(-1)?.detail).toMatch(/^no other run; not answering, left out: us-east-1 \([^)]+\)$/);
  });

  it('a run started by people in a three-region estate does not know the region it fails away from: every unreachable region is left out at once', async () => {
    const turn = await lookWhileLost('away-three', [EAST, WEST, EU], { targetRegion: WEST, mode: 'unplanned' }, [EAST, EU]);
    expect(turn.turn).toBeUndefined();
    expect(turn.timeline.at(-1)).toMatchObject({ step: 'wait-turn', outcome: 'done' });
    expect(turn.timeline.at(-1)?.detail).toMatch(
      /^no other run; not answering, left out: (us-east-1 \([^)]+\), eu-west-1|eu-west-1 \([^)]+\), us-east-1) \([^)]+\)$/,
    );
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
      unsureSince: {},
    });
  });

  it('a region unreachable at network level is left out at once only where a region may be left out: a third region is asked again with a streak (audit-21-final L3)', () => {
    const CENTRAL = 'us-central-1';
    const listing = {
      runs: [b],
      unanswered: [
        { region: EAST, why: 'connect ECONNREFUSED' },
        { region: CENTRAL, why: 'getaddrinfo EAI_AGAIN' },
      ],
    };
    // b runs in us-west-2 and fails away from us-east-1: us-east-1 is left out at once, us-central-1 is asked again.
    const first = decideTurn(b, listing, { ...clock, awayFrom: EAST });
    expect(first).toEqual({
      go: false,
      detail:
        'asking again: us-central-1 (getaddrinfo EAI_AGAIN) (not answering for 0 s; not the region this run fails away from: asked again)',
      unsureSince: { [CENTRAL]: clock.now.toISOString() },
    });
    // Still asked again past the limit, the streak carried; a run that does not know where it fails away from goes.
    const later = { ...clock, now: new Date(clock.now.getTime() + 600_000), unsureSince: first.unsureSince, awayFrom: EAST };
    expect(decideTurn(b, listing, later)).toMatchObject({ go: false, unsureSince: { [CENTRAL]: clock.now.toISOString() } });
    expect(decideTurn(b, listing, clock)).toMatchObject({
      go: true,
      detail: expect.stringContaining('left out: us-east-1 (connect ECONNREFUSED), us-central-1 (getaddrinfo EAI_AGAIN)'),
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
  /** The run fails away from us-east-1 (an automatic run's lost region, the other region of two). */
  const clock: TurnClock = { now, leaseSeconds: 2850, awayFrom: EAST };
  /** A look `s` seconds after the run's start, carrying what the previous look returned (`prior`). */
  const after = (s: number, prior?: Pick<Turn, 'unsureSince'>): TurnClock => ({
    ...clock,
    now: new Date(self.startDate.getTime() + s * 1000),
    ...(prior === undefined ? {} : { unsureSince: prior.unsureSince }),
  });
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
  const throttled = Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
  const down = Object.assign(new Error('Service Unavailable'), {
    name: 'ServiceUnavailable',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
  });
  /** An earlier us-east-1 run (it may be acting): the run waits for it while us-east-1 answers. */
  const earlier = exec(EAST, 'earlier', new Date(self.startDate.getTime() - 1_000));

  it('[fake Step Functions: ThrottlingException] a throttling region is asked again, never left out, however long the step has waited', async () => {
    const listing = await listRuns(
      fake(() => Promise.reject(throttled)),
      arns,
      clock,
    );
    expect(listing.unanswered).toEqual([]);
    expect(decideTurn(self, listing, after(60))).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Rate exceeded) (it answers: asked again, never left out)',
      unsureSince: {},
    });
    // A throttle after 600 s of ordinary waiting (an earlier run of us-east-1 blocked until then) does not drop the
    // region, nor does throttling for 600 s from the step's start.
    const answering = await listRuns(
      fake(() => Promise.resolve({ executions: [earlier] })),
      arns,
      clock,
    );
    const waited = decideTurn(self, answering, after(595));
    expect(waited).toMatchObject({ go: false, waitingFor: { name: 'earlier' }, unsureSince: {} });
    expect(decideTurn(self, listing, after(600, waited))).toMatchObject({ go: false, unsureSince: {} });
    // Throttling is an answer: it ends a streak of 503s (the region's Step Functions runs).
    const silent = decideTurn(
      self,
      await listRuns(
        fake(() => Promise.reject(down)),
        arns,
        clock,
      ),
      after(0),
    );
    expect(silent.unsureSince).toEqual({ [EAST]: after(0).now.toISOString() });
    const busy = decideTurn(self, listing, after(140, silent));
    expect(busy.unsureSince).toEqual({});
    expect(
      decideTurn(
        self,
        await listRuns(
          fake(() => Promise.reject(down)),
          arns,
          clock,
        ),
        after(160, busy),
      ),
    ).toMatchObject({
      go: false,
      detail: 'asking again: us-east-1 (Service Unavailable) (not answering for 0 s; left out after 150 s)',
    });
  });

  // Before the bound (audit-21-close H1) a region that did not answer was asked again however long, which held every
  // run for wait-turn's whole budget when a lost region's endpoint hangs.
  it('[fake Step Functions: slow answer] a region that does not answer within 5 s is asked again, then left out after 150 s of it', async () => {
    expect(ASK_AGAIN_LIMIT_SECONDS).toBe(150);
    // As @smithy/node-http-handler rejects a request whose abortSignal fires: an Error named AbortError.
    const slow: Send = (_input, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))),
      );
    const listing = await listRuns(fake(slow), arns, clock);
    expect(listing.unanswered).toEqual([]);
    const first = decideTurn(self, listing, after(5));
    expect(first).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Request aborted) (not answering for 0 s; left out after 150 s)',
      unsureSince: { [EAST]: after(5).now.toISOString() },
    });
    const almost = decideTurn(self, listing, after(5 + ASK_AGAIN_LIMIT_SECONDS - 1, first));
    expect(almost).toMatchObject({ go: false, unsureSince: first.unsureSince });
    // 150 s after the first look it did not answer, the region is left out and named, as a refused one.
    expect(decideTurn(self, listing, after(5 + ASK_AGAIN_LIMIT_SECONDS, almost))).toEqual({
      go: true,
      detail: 'no other run; not answering, left out: us-east-1 (not answering for 150 s, past the 150 s limit: Request aborted)',
      unsureSince: first.unsureSince,
    });
  });

  it('[fake Step Functions: 503] one 5xx after 150 s of ordinary waiting does not drop the region; 150 s of 5xx in a row does', async () => {
    const failing = await listRuns(
      fake(() => Promise.reject(down)),
      arns,
      clock,
    );
    const answering = await listRuns(
      fake(() => Promise.resolve({ executions: [earlier] })),
      arns,
      clock,
    );
    // 600 s of waiting for the earlier run, then a 503: the streak starts now, the region is asked again.
    const waited = decideTurn(self, answering, after(600));
    expect(waited).toMatchObject({ go: false, waitingFor: { name: 'earlier' }, unsureSince: {} });
    const one = decideTurn(self, failing, after(605, waited));
    expect(one).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Service Unavailable) (not answering for 0 s; left out after 150 s)',
      unsureSince: { [EAST]: after(605).now.toISOString() },
    });
    // 5xx at every look for 149 s: still asked; for 150 s: left out.
    let look = one;
    for (let t = 610; t < 605 + ASK_AGAIN_LIMIT_SECONDS; t += 5) {
      look = decideTurn(self, failing, after(t, look));
      expect(look).toMatchObject({ go: false, unsureSince: one.unsureSince });
    }
    expect(decideTurn(self, failing, after(605 + ASK_AGAIN_LIMIT_SECONDS - 1, look))).toMatchObject({ go: false });
    expect(decideTurn(self, failing, after(605 + ASK_AGAIN_LIMIT_SECONDS, look))).toEqual({
      go: true,
      detail:
        'no other run; not answering, left out: us-east-1 (not answering for 150 s, past the 150 s limit: Service Unavailable)',
      unsureSince: one.unsureSince,
    });
    // Once the region answers again, an earlier run of it still blocks, however long the step has been looking.
    expect(decideTurn(self, answering, after(900, look))).toMatchObject({ go: false, waitingFor: { name: 'earlier' } });
  });

  it('[fake Step Functions: 503] a streak broken by an answer starts again: 5xx for 100 s, an answer, 5xx again', async () => {
    const failing = await listRuns(
      fake(() => Promise.reject(down)),
      arns,
      clock,
    );
    const answering = await listRuns(
      fake(() => Promise.resolve({ executions: [earlier] })),
      arns,
      clock,
    );
    const first = decideTurn(self, failing, after(0));
    const streak = decideTurn(self, failing, after(100, first));
    expect(streak.unsureSince).toEqual({ [EAST]: after(0).now.toISOString() });
    const answered = decideTurn(self, answering, after(105, streak));
    expect(answered.unsureSince).toEqual({});
    // 5xx again at 110 s: 150 s after the first 5xx, but 40 s into the new streak: asked again.
    const again = decideTurn(self, failing, after(110, answered));
    const at150 = decideTurn(self, failing, after(150, again));
    expect(at150).toEqual({
      go: false,
      detail: 'asking again: us-east-1 (Service Unavailable) (not answering for 40 s; left out after 150 s)',
      unsureSince: { [EAST]: after(110).now.toISOString() },
    });
    expect(decideTurn(self, failing, after(110 + ASK_AGAIN_LIMIT_SECONDS - 1, at150))).toMatchObject({ go: false });
    expect(decideTurn(self, failing, after(110 + ASK_AGAIN_LIMIT_SECONDS, at150))).toMatchObject({ go: true });
  });

  it("[fake Step Functions: 503] the run's own region is asked again past the limit (it is running this run)", async () => {
    const own = { [EAST]: machine(EAST), [WEST]: machine(WEST) };
    const clients = {
      sfn: (region: string) => ({
        send: () => (region === WEST ? Promise.reject(down) : Promise.resolve({ executions: [] })),
      }),
    } as unknown as FailoverClients;
    const listing = await listRuns(clients, own, clock);
    const first = decideTurn(self, listing, after(0));
    expect(decideTurn(self, listing, after(600, first))).toEqual({
      go: false,
      detail: 'asking again: us-west-2 (Service Unavailable)',
      unsureSince: { [WEST]: after(0).now.toISOString() },
    });
  });

  it('[fake Step Functions: 503] a third region that does not answer is asked again within the budget: only the region the run fails away from is left out', async () => {
    const CENTRAL = 'us-central-1';
    const three = { ...arns, [CENTRAL]: machine(CENTRAL) };
    const clients = {
      sfn: (region: string) => ({
        send: () => (region === WEST ? Promise.resolve({ executions: [self] }) : Promise.reject(down)),
      }),
    } as unknown as FailoverClients;
    const listing = await listRuns(clients, three, clock);
    const first = decideTurn(self, listing, after(0));
    // us-east-1 (lost) is left out after the limit; us-central-1 is not the region this run fails away from.
    expect(decideTurn(self, listing, after(600, first))).toEqual({
      go: false,
      detail:
        'asking again: us-central-1 (Service Unavailable) (not answering for 600 s; not the region this run fails away from: asked again)',
      unsureSince: { [EAST]: after(0).now.toISOString(), [CENTRAL]: after(0).now.toISOString() },
    });
    // A run that does not know where it fails away from (started by people in a three-region estate) leaves out both.
    const unknown = { ...after(600, first), awayFrom: undefined };
    expect(decideTurn(self, listing, unknown)).toMatchObject({ go: true });
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
    // It answers (with too many runs to read): asked again, never left out.
    expect(decideTurn(self, many, after(600))).toEqual({
      go: false,
      detail: `asking again: us-east-1 (more than ${MAX_PAGES * 100} RUNNING runs within the lease: the oldest are not read) (it answers: asked again, never left out)`,
      unsureSince: {},
    });
  });
});
