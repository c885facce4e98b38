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
import { byTurn, decideTurn, type Run } from '../../lambda/failover/turn.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { automaticRequest } from '../../lambda/shared/workflow-contract.js';
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
  const waitTurn = async (region: string, start: Pick<StartResult, 'executionArn'>, all = true) => {
    const { startDate } = await new SFNClient({ region, endpoint: moto.endpoint }).send(
      new DescribeExecutionCommand({ executionArn: start.executionArn! }),
    );
    return (await createStepHandler({ env: envOf(region, all), logSink: () => undefined })(
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

  it('breaks a tie of start times by execution ARN, the same way from either run', () => {
    expect([b, a].sort(byTurn)).toEqual([a, b]);
    const listing = { runs: [a, b], unanswered: [] };
    expect(decideTurn(a, listing).go).toBe(true);
    expect(decideTurn(b, listing)).toMatchObject({ go: false, waitingFor: a });
  });

  it('does not go on before the listing of its own region shows the run itself (eventual consistency)', () => {
    expect(decideTurn(a, { runs: [], unanswered: [] })).toEqual({
      go: false,
      detail: 'this run is not listed yet in us-east-1 (ListExecutions is eventually consistent)',
    });
  });
});
