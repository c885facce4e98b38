/**
 * Automatic mode (spec.failover.mode automatic): detection and trigger live in the standby region, the one that takes
 * over, so they survive the loss of the serving region (and of us-east-1's control planes when it serves).
 *
 * - Probe: an EventBridge schedule (every minute) runs the standby's orchestrator with `{probe: {region: serving}}`;
 *   it GETs the serving region's `/health` (2 s) and publishes drplane/RegionHealthy (1/0) in the standby region.
 * - Signal: a metric alarm on it, Minimum < 1 in 3 of 3 one-minute periods (sustained: three failed probes in a row,
 *   the same as Route 53's default failure threshold); missing data (the probe not running) does not breach, so a
 *   problem of the standby itself never starts a failover. No error or throttle metric of the service takes part:
 *   those are the estate-at-risk alarm's (a notification only).
 * - RPO guard (with a database): the standby cluster's lag metric (replicated-stores.ts auroraLag, read by a Metrics Insights query
 *   over every dimension set that names the cluster: auroraLagQuery) above the RPO (spec.objectives rpoSeconds, else
 *   30 s) in the last minute. The trigger alarm is `ALARM(signal) AND NOT ALARM(guard)`: it never
 *   fails over toward a replica that lags more than the business accepts to lose.
 * - Trigger: a rule on the trigger alarm entering ALARM starts the standby's orchestrator asynchronously with an
 *   unplanned failover to the standby and `trigger: {alarmName, time}` (the event's time, through an input
 *   transformer: each transition is its own request); the run re-checks the alarm first (check-trigger), and the
 *   orchestrator's FunctionEventInvokeConfig drops events older than 300 s and retries none.
 *
 * Nothing reverts it: the records follow the observed Aurora writer (XFailoverRouting.databaseWriterRegion), and
 * `drctl status` names the `drctl failover` command that records the new activeRegion in git.
 */
import { CompositeAlarm, MetricAlarm } from '../../imports/cloudwatch.aws.upbound.io.js';
import type { FailoverEvent } from '../../lambda/shared/env-contract.js';
import { DRPLANE_METRICS } from '../../lambda/shared/metrics-contract.js';
import type { ProbeEvent } from '../../lambda/shared/workflow-contract.js';
import type { FailoverControllerSpec } from '../api/primitives.js';
import type { ComposeContext } from './context.js';
import { eventTrigger, type EventTriggerSpec } from './event-trigger.js';
import { auroraLag } from './replicated-stores.js';
import { functionArn } from './lambda.js';
import { standbyRegion } from '../primitives/routing/compose.js';
import type { ComposeEvent, DesiredResource, ObservedView } from './types.js';

/** Composition keys of the automatic trigger. */
export const TRIGGER_KEYS = {
  probeRule: 'failover-probe',
  probeTarget: 'failover-probe-target',
  probePermission: 'failover-probe-permission',
  signal: 'failover-signal',
  guard: 'failover-rpo-guard',
  alarm: 'failover-trigger-alarm',
  rule: 'failover-trigger',
  target: 'failover-trigger-target',
  permission: 'failover-trigger-permission',
} as const;

/** The lag the RPO guard allows when the estate states no objectives (the monitoring default threshold). */
export const DEFAULT_GUARD_SECONDS = 30;
/** Consecutive failed one-minute probes before the serving region counts as lost. */
export const SIGNAL_PERIODS = 3;

/** Name of the trigger alarm in the standby region. */
export const triggerAlarmName = (ctx: ComposeContext, standby: string): string =>
  ctx.namer.name('alarm', 'failover-trigger', standby);

const alarmName = (ctx: ComposeContext, logical: string, region: string) => ctx.namer.name('alarm', logical, region);

/** The automatic trigger's resources, in the standby region. */
export function automaticTrigger(
  ctx: ComposeContext,
  spec: FailoverControllerSpec,
  observed: ObservedView,
  purpose: string,
): { resources: DesiredResource[]; events: ComposeEvent[] } {
  const serving = ctx.active;
  const standby = standbyRegion(ctx, serving);
  const topic = spec.topicArns[standby];
  const fnArn = functionArn(observed, purpose, standby);
  const resources: DesiredResource[] = [];
  const events: ComposeEvent[] = [];
  if (topic === undefined || fnArn === undefined) {
    events.push({
      severity: 'Normal',
      message: `automatic failover waits for the orchestrator and the alert topic in ${standby}`,
    });
    return { resources, events };
  }
  // A trigger of the standby's orchestrator: a rule, a target and a permission (event-trigger.ts).
  const trigger = (
    rule: string,
    target: string,
    permission: string,
    description: string,
    when: EventTriggerSpec['rule']['when'],
    input: Record<string, unknown>,
    statementId: string,
  ) =>
    eventTrigger(
      ctx,
      {
        purpose,
        region: standby,
        rule: { key: rule, component: rule, name: ctx.namer.name('schedule', rule, standby), description, when },
        target: { key: target, component: target, input },
        permission: { key: permission, statementId },
      },
      observed,
    );
  const probe: ProbeEvent = { probe: { region: serving } };
  resources.push(
    ...trigger(
      TRIGGER_KEYS.probeRule,
      TRIGGER_KEYS.probeTarget,
      TRIGGER_KEYS.probePermission,
      `Probes ${serving}'s /health every minute for automatic failover`,
      { scheduleExpression: 'rate(1 minute)' },
      { input: JSON.stringify(probe) },
      'FailoverProbeSchedule',
    ),
  );

  const metricAlarm = (key: string, logical: string, forProvider: Record<string, unknown>): DesiredResource => ({
    key,
    region: standby,
    manifest: MetricAlarm.manifest({
      metadata: ctx.metadata(key, standby, alarmName(ctx, logical, standby)),
      spec: {
        forProvider: {
          region: standby,
          ...forProvider,
          actionsEnabled: true,
          alarmActions: [topic],
          okActions: [topic],
          tags: ctx.tags(),
        },
      },
    }),
  });
  resources.push(
    metricAlarm(TRIGGER_KEYS.signal, 'failover-signal', {
      alarmDescription: `${serving} does not answer /health from ${standby} (${SIGNAL_PERIODS} failed probes in a row)`,
      namespace: DRPLANE_METRICS.namespace,
      metricName: DRPLANE_METRICS.regionHealthy,
      dimensions: { Region: serving, ProbedFrom: standby },
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: SIGNAL_PERIODS,
      datapointsToAlarm: SIGNAL_PERIODS,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'notBreaching',
    }),
  );
  const members = [`ALARM("${alarmName(ctx, 'failover-signal', standby)}")`];
  const memberKeys: string[] = [TRIGGER_KEYS.signal];
  if (spec.database) {
    const rpoSeconds = spec.objectives?.rpoSeconds ?? DEFAULT_GUARD_SECONDS;
    resources.push(
      metricAlarm(TRIGGER_KEYS.guard, 'failover-rpo-guard', {
        alarmDescription: `Aurora in ${standby} lags more than the RPO (${rpoSeconds} s): no automatic failover toward it`,
        // A Metrics Insights query: Aurora's dimension set for the lag is not pinned (lambda/shared/metrics-contract.ts).
        metricQuery: [
          {
            id: 'lag',
            expression: auroraLag(ctx, spec, standby).query!,
            period: 60,
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: rpoSeconds * 1000,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
      }),
    );
    members.push(`NOT ALARM("${alarmName(ctx, 'failover-rpo-guard', standby)}")`);
    memberKeys.push(TRIGGER_KEYS.guard);
  }
  const name = triggerAlarmName(ctx, standby);
  // The composite names its member alarms: it waits until they exist.
  if (memberKeys.every((k) => observed.ready(k)) || observed.exists(TRIGGER_KEYS.alarm)) {
    resources.push({
      key: TRIGGER_KEYS.alarm,
      region: standby,
      manifest: CompositeAlarm.manifest({
        metadata: ctx.metadata(TRIGGER_KEYS.alarm, standby, name),
        spec: {
          forProvider: {
            region: standby,
            alarmDescription: `Automatic failover from ${serving} to ${standby}: ${serving} is lost and ${standby} is within the RPO`,
            alarmRule: members.join(' AND '),
            actionsEnabled: true,
            alarmActions: [topic],
            okActions: [topic],
            tags: ctx.tags(),
          },
        },
      }),
    });
  }
  const pattern = {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: [name], state: { value: ['ALARM'] } },
  };
  // The event's time goes into the request (placeholder <time>): each transition is its own execution.
  const input: FailoverEvent = {
    targetRegion: standby,
    mode: 'unplanned',
    reason: `automatic: ${name} is in ALARM (${serving} lost)`,
    trigger: { alarmName: name, time: '<time>' },
  };
  resources.push(
    ...trigger(
      TRIGGER_KEYS.rule,
      TRIGGER_KEYS.target,
      TRIGGER_KEYS.permission,
      `Starts an unplanned failover to ${standby} when ${name} fires`,
      { eventPattern: JSON.stringify(pattern) },
      { inputTransformer: { inputPaths: { time: '$.time' }, inputTemplate: JSON.stringify(input) } },
      'FailoverTriggerAlarm',
    ),
  );
  return { resources, events };
}
