/**
 * Automatic mode's level trigger (audit 21 H3): while the trigger alarm is in ALARM, the probe re-drives the failover
 * of the alarm's transition (lambda/failover/start.ts redrive) on moto's CloudWatch and Step Functions. Executions are
 * ended as Step Functions ends them through the moto launcher's `drplane.close` (support/moto_server.py); the last
 * attempt's failure notification goes through moto's SNS to a queue.
 */
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StopExecutionCommand,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbe, createStarter, createStepHandler } from '../../lambda/failover/index.js';
import type { ProbeResult } from '../../lambda/failover/probe.js';
import { executionName } from '../../lambda/failover/start.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { automaticRequest, PERMANENT_FAILED_ERROR } from '../../lambda/shared/workflow-contract.js';
import { createQueue, MOTO_ACCOUNT, useMoto, type TestQueue } from './support/aws.js';
import { startHealthServer, type HealthServer } from './support/health-server.js';
import { lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';

const PRIMARY = 'us-east-1';
const STANDBY = 'us-west-2';
const EAST = `arn:aws:rds:us-east-1:${MOTO_ACCOUNT}:cluster:db-use1`;
const WEST = `arn:aws:rds:us-west-2:${MOTO_ACCOUNT}:cluster:db-usw2`;

let moto: MotoServer;
let health: HealthServer;
let queue: TestQueue;
let topicArn: string;

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
  health = await startHealthServer();
  health.setStatus(PRIMARY, 503);
  const sns = new SNSClient({ region: STANDBY });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'dr-alerts' }))).TopicArn!;
  queue = await createQueue(moto.endpoint, STANDBY, 'dr-alerts');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
}, 60_000);

afterAll(async () => {
  await health?.stop();
  await moto?.stop();
});

/** A standby's state machine and trigger alarm (a metric alarm stands in for the composite: moto has no composite). */
async function standby(name: string) {
  const sfn = new SFNClient({ region: STANDBY });
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name,
      definition: JSON.stringify({ StartAt: 'x', States: { x: { Type: 'Succeed' } } }),
      roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sfn`,
    }),
  );
  const alarmName = `${name}-trigger`;
  const cw = new CloudWatchClient({ region: STANDBY });
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      Namespace: 'drplane',
      MetricName: 'RegionHealthy',
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    }),
  );
  const setAlarm = (value: 'OK' | 'ALARM') =>
    cw.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: value, StateReason: 'test' }));
  const env: Record<string, string> = {
    AWS_REGION: STANDBY,
    [FAILOVER_ENV.regions]: JSON.stringify({ primary: PRIMARY, secondaries: [STANDBY] }),
    [FAILOVER_ENV.globalClusterId]: 'gdb',
    [FAILOVER_ENV.clusterArns]: JSON.stringify({ [PRIMARY]: EAST, [STANDBY]: WEST }),
    [FAILOVER_ENV.hostedZoneId]: 'Z123',
    [FAILOVER_ENV.recordName]: 'api.example.com',
    [FAILOVER_ENV.healthUrls]: JSON.stringify({ [PRIMARY]: health.url(PRIMARY), [STANDBY]: health.url(STANDBY) }),
    [FAILOVER_ENV.topicArn]: topicArn,
    [FAILOVER_ENV.operationsRoleArn]: `arn:aws:iam::${MOTO_ACCOUNT}:role/dr-operations`,
    [FAILOVER_ENV.estate]: 'e0c0ffee',
    [FAILOVER_ENV.externalIdParameter]: '/drplane/prod/external-id',
    [FAILOVER_ENV.stateMachineArn]: stateMachineArn!,
    [FAILOVER_ENV.triggerAlarm]: alarmName,
  };
  /** One probe of the primary at `at` (the re-driver's clock). */
  const probe = (at: Date = new Date()): Promise<ProbeResult> =>
    createProbe({ env, now: () => at, logSink: () => undefined })({ probe: { region: PRIMARY } }, lambdaContext());
  const executions = async (): Promise<ExecutionListItem[]> =>
    ((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? []).sort((a, b) =>
      a.name!.localeCompare(b.name!),
    );
  /** Ends an execution as Step Functions does once it ran (the moto launcher's drplane.close). */
  const close = (execution: string, end: { status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'; error?: string; cause?: string }) =>
    sfn.send(
      new StopExecutionCommand({
        executionArn: `${stateMachineArn!.replace(':stateMachine:', ':execution:')}:${execution}`,
        error: 'drplane.close',
        cause: JSON.stringify(end),
      }),
    );
  return { env, alarmName, stateMachineArn: stateMachineArn!, setAlarm, probe, executions, close };
}

const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe('the probe re-drives an automatic failover while the trigger alarm is in ALARM', { timeout: 30_000 }, () => {
  it('starts the execution the rule would have started when its event was lost, and the same one as the rule', async () => {
    const s = await standby('lost-event');
    // OK: nothing to re-drive.
    await s.setAlarm('OK');
    expect((await s.probe()).redrive).toBeUndefined();
    expect(await s.executions()).toEqual([]);
    // ALARM and no execution (the rule's event never arrived): the probe starts it.
    await s.setAlarm('ALARM');
    const first = await s.probe();
    expect(first.healthy).toBe(false);
    expect(first.redrive).toMatchObject({ outcome: 'started', attempts: 1 });
    const [started] = await s.executions();
    expect(started?.name).toMatch(/^unplanned-us-west-2-[0-9a-f]{20}$/);
    // The rule's event arriving late names the same execution: the alarm's transition time in CloudWatch's format
    // (+0000) normalizes to the same request, and StartExecution answers with the running execution.
    const transition = await triggerTimeOf(started!.executionArn!);
    expect(transition).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const cloudWatchFormat = transition.replace('Z', '+0000');
    const ruleEvent = automaticRequest(s.alarmName, STANDBY, PRIMARY, cloudWatchFormat);
    const viaRule = await createStarter({ env: s.env, logSink: () => undefined })(ruleEvent, lambdaContext());
    expect(viaRule.name).toBe(started!.name);
    expect(await s.executions()).toHaveLength(1);
    // While it runs, nothing more.
    expect((await s.probe()).redrive).toMatchObject({ outcome: 'running', attempts: 1 });
    expect(await s.executions()).toHaveLength(1);
    // Succeeded (completed, stale or noop alike): final.
    await s.close(started!.name!, { status: 'SUCCEEDED' });
    expect((await s.probe(later(600))).redrive).toMatchObject({ outcome: 'succeeded', attempts: 1 });
    expect(await s.executions()).toHaveLength(1);
  });

  // audit arc-rpo L4: another transition's request has another name; a run under way is not doubled.
  it('does not start a second run while one of the workflow runs (another transition of the alarm, ListExecutions RUNNING)', async () => {
    const s = await standby('concurrent');
    await s.setAlarm('ALARM');
    const first = (await s.probe()).redrive!;
    expect(first).toMatchObject({ outcome: 'started', attempts: 1 });
    // The alarm leaves ALARM and enters it again while the first run still runs: a new transition time.
    await s.setAlarm('OK');
    await new Promise((r) => setTimeout(r, 1_100));
    await s.setAlarm('ALARM');
    expect((await s.probe()).redrive).toMatchObject({ outcome: 'running', attempts: 0, name: first.name });
    expect(await s.executions()).toHaveLength(1);
    // Once it ended, the new transition's request starts.
    await s.close(first.name, { status: 'SUCCEEDED' });
    const next = (await s.probe()).redrive!;
    expect(next).toMatchObject({ outcome: 'started', attempts: 1 });
    expect(next.name).not.toBe(first.name);
  });

  it('a transient failure is re-driven 120 s after it ended, a permanent one never, at most three attempts', async () => {
    const s = await standby('transient');
    await s.setAlarm('ALARM');
    const first = (await s.probe()).redrive!;
    await s.close(first.name, { status: 'FAILED', error: 'FailoverFailed', cause: 'a step failed' });
    // Within 120 s of its end: wait.
    expect((await s.probe(later(60))).redrive).toMatchObject({ outcome: 'waiting', attempts: 1 });
    // After: attempt 2, named <base>-2.
    const second = (await s.probe(later(130))).redrive!;
    expect(second).toMatchObject({ outcome: 'started', attempts: 2, name: `${first.name}-2` });
    // A Step Functions timeout is transient too: attempt 3.
    await s.close(second.name, { status: 'TIMED_OUT' });
    const third = (await s.probe(later(130))).redrive!;
    expect(third).toMatchObject({ outcome: 'started', attempts: 3, name: `${first.name}-3` });
    await s.close(third.name, { status: 'FAILED', error: 'FailoverFailed', cause: 'a step failed' });
    // Three attempts failed: automatic mode gives up, whatever the time.
    expect((await s.probe(later(3600))).redrive).toMatchObject({ outcome: 'gave-up', attempts: 3 });
    expect((await s.executions()).map((x) => x.name)).toEqual([first.name, `${first.name}-2`, `${first.name}-3`]);
  });

  it('a run that failed permanently or that an operator stopped is not started again; a new transition is a new request', async () => {
    const s = await standby('permanent');
    await s.setAlarm('ALARM');
    const first = (await s.probe()).redrive!;
    await s.close(first.name, { status: 'FAILED', error: PERMANENT_FAILED_ERROR, cause: 'PlanError' });
    expect((await s.probe(later(600))).redrive).toMatchObject({ outcome: 'permanent', attempts: 1 });
    // The alarm goes OK and enters ALARM again: another transition time, another request, started.
    await s.setAlarm('OK');
    await new Promise((r) => setTimeout(r, 1_100));
    await s.setAlarm('ALARM');
    const next = (await s.probe()).redrive!;
    expect(next).toMatchObject({ outcome: 'started', attempts: 1 });
    expect(next.name).not.toBe(first.name);
    // An operator's StopExecution (ABORTED): final.
    await new SFNClient({ region: STANDBY }).send(
      new StopExecutionCommand({ executionArn: `${s.stateMachineArn.replace(':stateMachine:', ':execution:')}:${next.name}` }),
    );
    expect((await s.probe(later(600))).redrive).toMatchObject({ outcome: 'aborted', attempts: 1 });
    expect(await s.executions()).toHaveLength(2);
  });

  it("the last attempt's failure notification says automatic mode gave up; an earlier one says the next attempt comes", async () => {
    const s = await standby('gave-up');
    const request = { ...automaticRequest(s.alarmName, STANDBY, PRIMARY, '2026-12-06T10:00:00.000Z'), dryRun: false };
    const base = executionName(request);
    const step = createStepHandler({ env: s.env, logSink: () => undefined });
    await queue.drain();
    const fail = (name: string, error: string) =>
      step(
        {
          step: 'notify-failure',
          state: { request, timeline: [], error: { Error: error, Cause: '{"errorMessage":"RDS refused"}' } },
          execution: {
            id: `${s.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
            startTime: new Date().toISOString(),
          },
        },
        lambdaContext(),
      );
    await fail(base, 'States.TaskFailed');
    await fail(`${base}-3`, 'States.TaskFailed');
    await fail(`${base}-2`, 'PlanError');
    const messages = (await queue.drain()).map((m) => [m.Subject, (JSON.parse(m.Message) as { automatic?: string }).automatic]);
    expect(messages).toEqual([
      [
        'drplane failover to us-west-2 (unplanned): failed',
        `automatic attempt 1 of 3: the probe starts the next 120 s after this one ended while ${s.alarmName} stays in ALARM`,
      ],
      [
        'drplane failover to us-west-2 (unplanned): failed; automatic failover gave up',
        'automatic failover gave up after attempt 3 of 3: fix the cause, then run `drctl failover --unplanned`',
      ],
      [
        'drplane failover to us-west-2 (unplanned): failed; automatic failover gave up',
        'automatic failover gave up after attempt 2 of 3 (an error no retry fixes): fix the cause, then run `drctl failover --unplanned`',
      ],
    ]);
  });
});

/** The trigger time in an execution's input (the request it was started with). */
async function triggerTimeOf(executionArn: string): Promise<string> {
  const out = await new SFNClient({ region: STANDBY }).send(new DescribeExecutionCommand({ executionArn }));
  return (JSON.parse(out.input ?? '{}') as { request: { trigger: { time: string } } }).request.trigger.time;
}
