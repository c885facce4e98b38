/**
 * Automatic mode (spec.failover.mode automatic): detection and trigger live in the standby region, the one that takes
 * over, so they survive the loss of the serving region (and of us-east-1's control planes when it serves). The serving
 * region is the Aurora writer's as AWS reports it (XFailoverController.databaseWriterRegion), else activeRegion: after
 * an automatic failover, which leaves git alone, the trigger watches the region that now serves, from the new standby.
 * Keys name the standby region (a managed resource cannot change region), so a move replaces the trigger.
 *
 * - Probe: an EventBridge schedule (every minute) runs the standby's orchestrator with `{probe: {region: serving}}`;
 *   it GETs the serving region's `/health` (2 s) and publishes drplane/RegionHealthy (1/0) in the standby region, with
 *   what Route 53's health checkers see of the serving region (drplane/CheckersHealthyPercent) and whether its Aurora
 *   cluster is in maintenance (drplane/RegionInMaintenance) when those APIs answer (lambda/failover/probe.ts). The
 *   probe never throws: it publishes drplane/ProbeErrors 1/0, and an alarm notifies after 5 failed or silent minutes.
 * - Signal: a metric alarm on RegionHealthy, Minimum < 1 in 3 of 3 one-minute periods (sustained: three failed probes
 *   in a row, the same as Route 53's default failure threshold); missing data (the probe not running) does not breach,
 *   so a problem of the standby itself never starts a failover. No error or throttle metric of the service takes part:
 *   those are the estate-at-risk alarm's (a notification only).
 * - Armed: RegionHealthy Maximum >= 1 in any of the last 24 hours. A serving region that never answered /health from
 *   the standby (an estate still being built, a service that never worked) is not failed away from.
 * - Whose series: every probe metric names the estate (dimensions metrics-contract.ts probeDimensions: Estate = the
 *   estate id, Region = the serving region, ProbedFrom = the standby; ProbeErrors: Estate, ProbedFrom), built by the
 *   same function the probe publishes with. Two estates of one account over the same region pair thus never share a
 *   series: another estate's failing probe cannot fire this trigger, nor its healthy probe arm it.
 *   Upgrade from a version without the Estate dimension: the alarms move to the new series, which starts empty. The
 *   armed alarm (24 h Maximum of RegionHealthy, missing data `missing`) has no data and leaves ALARM at its next
 *   evaluation (INSUFFICIENT_DATA), so the trigger is disarmed until the probe's first healthy minute in the new
 *   series arms it again (the 24 h of history in the old series no longer count): the safe direction, no failover
 *   can start meanwhile. The signal alarm (missing data not breaching) reads OK. If the alarms and the orchestrator's
 *   new code and DRPLANE_ESTATE are applied more than 5 minutes apart, the probe-errors alarm (missing data
 *   breaching) notifies once for the silent minutes.
 * - Second vantage: Route 53's health checkers (many locations) of the serving region, CheckersHealthyPercent at or
 *   below Route 53's own 18 % in 3 of 3 minutes. The trigger needs it not OK: checkers that still see the region
 *   healthy veto a failover the standby's probe alone asks for (a problem between the two regions). When Route 53's
 *   API (us-east-1) does not answer there is no data, which breaches (the alarm goes to ALARM after three minutes
 *   without data, not OK), and the standby's probe decides alone: a documented limit, and exactly the case of
 *   us-east-1 serving and lost.
 * - Maintenance: RegionInMaintenance >= 1 in the last 5 minutes holds the trigger (Aurora patching, a reboot or a
 *   modification makes /health fail for minutes). Only the cluster's status and its DB instances' say so: RDS's
 *   pending-maintenance actions and maintenance windows say when maintenance may start, not that it runs; a region
 *   whose RDS API does not answer is never held. A hold has an end: maintenance in each of the last 60 minutes
 *   (failover-maintenance-stuck) notifies and releases it, so a cluster stuck `modifying` does not disarm the trigger
 *   for good.
 * - RPO guard (with a database): the standby cluster's lag metric (replicated-stores.ts auroraLag, read by a Metrics
 *   Insights query over every dimension set that names the cluster: auroraLagQuery) above the guard (rpoGuardSeconds:
 *   spec.objectives rpoSeconds less the lag metric's 60 s period when it is above 60 s, else rpoSeconds; 30 s without
 *   objectives) in the last minute: an alarm that notifies, not a member of the trigger. The
 *   run's check-rpo step (lambda/failover/rpo.ts) decides on the lag in the 5 minutes before the failing probes began
 *   (env DRPLANE_LAG_METRIC, DRPLANE_RPO_GUARD_MS) and ends `held` when it was above the guard or unknown: the trigger
 *   never fails over toward a replica that lagged more than that, and a lag that grows after the loss vetoes nothing.
 * - Trigger alarm: `ALARM(signal) AND ALARM(armed) AND NOT OK(checkers) AND (NOT ALARM(maintenance) OR ALARM(maintenance-stuck))`. A rule on it entering ALARM starts the standby's orchestrator asynchronously with an unplanned
 *   failover to the standby and `trigger: {alarmName, time}` (the alarm's transition time `detail.state.timestamp`,
 *   through an input transformer: each transition is its own request); the run re-checks the alarm first
 *   (check-trigger). The rule's event is an edge; the probe is the level: every minute while the trigger alarm is in
 *   ALARM it rebuilds the same request (the transition time from DescribeAlarms, env DRPLANE_TRIGGER_ALARM) and
 *   re-drives it (lambda/failover/start.ts redrive): an event that never arrived starts late by at most a minute, a
 *   run that failed transiently is started again 120 s after it ended, at most three attempts; a permanent failure
 *   (`FailoverFailed.Permanent`) or a success is final. So no dead-letter queue is needed (EventBridge's would be
 *   SQS, which the pinned provider CRDs do not include); an alarm on the rule's FailedInvocations still reports an
 *   event that never reached the orchestrator, and the orchestrator's FunctionEventInvokeConfig (300 s, no retries)
 *   sends a dropped or failed asynchronous event to the region's alert topic (failover-workflow.ts).
 *
 * Nothing reverts it: the records follow the observed Aurora writer (XFailoverRouting.databaseWriterRegion), observed
 * from every region so that the lost primary's stale GlobalCluster status is left out (database/switchover.ts); the
 * run moves writer./reader. with the failover records; and `drctl status` names the `drctl failover` command that
 * records the new activeRegion in git. While Route 53's API (us-east-1) is lost no record changes at all (docs/gitops.md).
 * Which standby: the first of the estate's regions (primary, then secondaries, in order) that neither serves nor was
 * just lost (triggerStandby). A region counts as lost when the writer AWS reports left it while git still names it
 * (an automatic or unplanned failover that git has not recorded yet): with three regions the next trigger then sits
 * in the healthy third region, not in the one just lost, where it could neither run nor be created. With two regions
 * there is no third: the trigger waits in the lost region for it to come back.
 */
import { CompositeAlarm, MetricAlarm } from '../../imports/cloudwatch.aws.upbound.io.js';
import {
  DRPLANE_METRICS,
  ROUTE53_HEALTHY_PERCENT,
  probeDimensions,
  probeErrorsDimensions,
} from '../../lambda/shared/metrics-contract.js';
import { automaticRequest, type ProbeEvent } from '../../lambda/shared/workflow-contract.js';
import type { FailoverControllerSpec } from '../api/primitives.js';
import type { ComposeContext } from './context.js';
import { eventTrigger, type EventTriggerSpec } from './event-trigger.js';
import { MAX_EVENT_AGE_SECONDS } from './failover-workflow.js';
import { auroraLag } from './replicated-stores.js';
import { functionArn } from './lambda.js';
import { standbyRegion } from '../primitives/routing/compose.js';
import type { ComposeEvent, DesiredResource, ObservedView } from './types.js';

/** Composition keys of the automatic trigger in a standby region (the region is part of each key). */
export const triggerKeys = (standby: string) => ({
  probeRule: `failover-probe-${standby}`,
  probeTarget: `failover-probe-target-${standby}`,
  probePermission: `failover-probe-permission-${standby}`,
  probeErrors: `failover-probe-errors-${standby}`,
  signal: `failover-signal-${standby}`,
  armed: `failover-armed-${standby}`,
  checkers: `failover-checkers-${standby}`,
  maintenance: `failover-maintenance-${standby}`,
  maintenanceStuck: `failover-maintenance-stuck-${standby}`,
  guard: `failover-rpo-guard-${standby}`,
  alarm: `failover-trigger-alarm-${standby}`,
  rule: `failover-trigger-${standby}`,
  target: `failover-trigger-target-${standby}`,
  permission: `failover-trigger-permission-${standby}`,
  undelivered: `failover-trigger-undelivered-${standby}`,
});

/** The lag the RPO guard allows when the estate states no objectives (the monitoring default threshold). */
export const DEFAULT_GUARD_SECONDS = 30;
/** Consecutive failed one-minute probes before the serving region counts as lost. */
export const SIGNAL_PERIODS = 3;
/** Hours back in which one healthy probe arms the trigger. */
export const ARMED_HOURS = 24;
/** Minutes back in which a maintenance state of the serving region's cluster holds the trigger. */
export const MAINTENANCE_MINUTES = 5;
/** Minutes in a row of maintenance after which it counts as stuck: the hold ends and people are told. */
export const MAINTENANCE_STUCK_MINUTES = 60;
/** Minutes in a row the probe fails (or publishes nothing) before its alarm notifies. */
export const PROBE_ERROR_MINUTES = 5;
/** Attempts EventBridge makes to hand the trigger's event to the orchestrator (after the first). */
export const TARGET_RETRY_ATTEMPTS = 3;

/** The period of the Aurora lag points check-rpo reads (lambda/failover/rpo.ts): the lag at the loss can exceed the last point by this much. */
export const LAG_PERIOD_SECONDS = 60;

/**
 * The most replication lag, in seconds, check-rpo lets an automatic failover go ahead with (the lag in the minutes
 * before the loss). An automatic failover loses at most this plus {@link LAG_PERIOD_SECONDS} (the lag grows by at most
 * a second per second after the last point), so with spec.objectives the guard leaves that period inside the RPO:
 * rpoSeconds − 60 s when rpoSeconds is above 60 s. An RPO of 60 s or less has no room for it: the guard is rpoSeconds
 * itself, and the objectives model says the automatic path cannot meet it. Without objectives: {@link DEFAULT_GUARD_SECONDS}.
 */
export const rpoGuardSeconds = (objectives: { readonly rpoSeconds: number } | undefined): number => {
  if (objectives === undefined) return DEFAULT_GUARD_SECONDS;
  const { rpoSeconds } = objectives;
  return rpoSeconds > LAG_PERIOD_SECONDS ? rpoSeconds - LAG_PERIOD_SECONDS : rpoSeconds;
};

/** The region automatic mode watches: the observed Aurora writer's, when it is one of the estate's, else activeRegion. */
export const watchedRegion = (ctx: ComposeContext, spec: Pick<FailoverControllerSpec, 'databaseWriterRegion'>): string =>
  spec.databaseWriterRegion !== undefined && ctx.regions.includes(spec.databaseWriterRegion)
    ? spec.databaseWriterRegion
    : ctx.active;

/**
 * The region whose orchestrator watches `serving` and takes over from it: the first of the estate's regions that is
 * neither serving nor presumed lost (activeRegion, when the observed writer has left it), else routing's standby.
 */
export function triggerStandby(ctx: ComposeContext, spec: Pick<FailoverControllerSpec, 'databaseWriterRegion'>): string {
  const serving = watchedRegion(ctx, spec);
  const lost = serving !== ctx.active ? ctx.active : undefined;
  return ctx.regions.find((r) => r !== serving && r !== lost) ?? standbyRegion(ctx, serving);
}

/** Name of the trigger alarm in the standby region. */
export const triggerAlarmName = (ctx: ComposeContext, standby: string): string =>
  ctx.namer.name('alarm', 'failover-trigger', standby);

const alarmName = (ctx: ComposeContext, logical: string, region: string) => ctx.namer.name('alarm', logical, region);

/** The automatic trigger's resources, in the standby of the region that serves now. */
export function automaticTrigger(
  ctx: ComposeContext,
  spec: FailoverControllerSpec,
  observed: ObservedView,
  purpose: string,
): { resources: DesiredResource[]; events: ComposeEvent[] } {
  const serving = watchedRegion(ctx, spec);
  const standby = triggerStandby(ctx, spec);
  const keys = triggerKeys(standby);
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
  const ruleName = (logical: string) => ctx.namer.name('schedule', logical, standby);
  // A trigger of the standby's orchestrator: a rule, a target and a permission (event-trigger.ts). The keys name the
  // standby region; the component labels (the target selects its rule by them) do not.
  const trigger = (
    logical: string,
    keys: { rule: string; target: string; permission: string },
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
        rule: { key: keys.rule, component: logical, name: ruleName(logical), description, when },
        target: { key: keys.target, component: `${logical}-target`, input },
        permission: { key: keys.permission, statementId },
      },
      observed,
    );
  const probe: ProbeEvent = { probe: { region: serving } };
  resources.push(
    ...trigger(
      'failover-probe',
      { rule: keys.probeRule, target: keys.probeTarget, permission: keys.probePermission },
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
      metadata: ctx.metadata(key.replace(`-${standby}`, ''), standby, alarmName(ctx, logical, standby)),
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
  // The probe's metrics of the serving region, as this estate's probe publishes them in the standby: the Estate
  // dimension keeps another estate's probe of the same regions (same account) out of these alarms.
  const probed = (metricName: string) => ({
    namespace: DRPLANE_METRICS.namespace,
    metricName,
    dimensions: probeDimensions(ctx.namer.estateId, serving, standby),
  });
  resources.push(
    metricAlarm(keys.signal, 'failover-signal', {
      alarmDescription: `${serving} does not answer /health from ${standby} (${SIGNAL_PERIODS} failed probes in a row)`,
      ...probed(DRPLANE_METRICS.regionHealthy),
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: SIGNAL_PERIODS,
      datapointsToAlarm: SIGNAL_PERIODS,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'notBreaching',
    }),
    metricAlarm(keys.armed, 'failover-armed', {
      alarmDescription: `In ALARM (armed) while ${serving} answered /health from ${standby} at least once in the last ${ARMED_HOURS} hours; automatic failover needs it`,
      ...probed(DRPLANE_METRICS.regionHealthy),
      statistic: 'Maximum',
      period: 3600,
      evaluationPeriods: ARMED_HOURS,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'missing',
    }),
    metricAlarm(keys.checkers, 'failover-checkers', {
      alarmDescription: `Route 53's health checkers see ${serving} unhealthy (at most ${ROUTE53_HEALTHY_PERCENT} % healthy, ${SIGNAL_PERIODS} minutes in a row); no data (Route 53's API does not answer) breaches, so it never vetoes`,
      ...probed(DRPLANE_METRICS.checkersHealthy),
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: SIGNAL_PERIODS,
      datapointsToAlarm: SIGNAL_PERIODS,
      threshold: ROUTE53_HEALTHY_PERCENT,
      comparisonOperator: 'LessThanOrEqualToThreshold',
      // No data (Route 53's API lost, or us-east-1 with it) breaches: no data, no veto, from the third missing minute.
      // With 'missing', CloudWatch would keep the last state (OK: a veto) until its whole evaluation range, longer than
      // three periods, had no data, so the veto would outlive the loss by minutes (audit 21 N3).
      treatMissingData: 'breaching',
    }),
    metricAlarm(keys.maintenance, 'failover-maintenance', {
      alarmDescription: `${serving}'s Aurora cluster was in a maintenance state in the last ${MAINTENANCE_MINUTES} minutes: no automatic failover away from it`,
      ...probed(DRPLANE_METRICS.regionInMaintenance),
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: MAINTENANCE_MINUTES,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    }),
    // Maintenance in every one of the last 60 minutes: stuck. It notifies, and the trigger no longer holds for it.
    // Missing data (the region's RDS API lost) does not breach: the maintenance alarm then ends the hold itself.
    metricAlarm(keys.maintenanceStuck, 'failover-maintenance-stuck', {
      alarmDescription: `${serving}'s Aurora cluster has been in a maintenance state for ${MAINTENANCE_STUCK_MINUTES} minutes: stuck; automatic failover no longer waits for it (check the cluster and its instances)`,
      ...probed(DRPLANE_METRICS.regionInMaintenance),
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: MAINTENANCE_STUCK_MINUTES,
      datapointsToAlarm: MAINTENANCE_STUCK_MINUTES,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    }),
  );
  // The probe never throws (a thrown error would reach the orchestrator's on-failure destination, the alert topic,
  // every minute): it publishes ProbeErrors 1/0, and this alarm notifies once when it fails or stops publishing
  // (missing data breaches: a probe that does not run leaves automatic failover blind). Not a member of the trigger.
  resources.push(
    metricAlarm(keys.probeErrors, 'failover-probe-errors', {
      alarmDescription: `The automatic failover probe in ${standby} failed or published nothing for ${PROBE_ERROR_MINUTES} minutes: automatic failover cannot see ${serving} (see the orchestrator's log)`,
      namespace: DRPLANE_METRICS.namespace,
      metricName: DRPLANE_METRICS.probeErrors,
      dimensions: probeErrorsDimensions(ctx.namer.estateId, standby),
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: PROBE_ERROR_MINUTES,
      datapointsToAlarm: PROBE_ERROR_MINUTES,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'breaching',
    }),
  );
  const name = (logical: string) => alarmName(ctx, logical, standby);
  const members = [
    `ALARM("${name('failover-signal')}")`,
    `ALARM("${name('failover-armed')}")`,
    `NOT OK("${name('failover-checkers')}")`,
    `(NOT ALARM("${name('failover-maintenance')}") OR ALARM("${name('failover-maintenance-stuck')}"))`,
  ];
  const memberKeys: string[] = [keys.signal, keys.armed, keys.checkers, keys.maintenance, keys.maintenanceStuck];
  const rpoSeconds = rpoGuardSeconds(spec.objectives);
  if (spec.database) {
    resources.push(
      metricAlarm(keys.guard, 'failover-rpo-guard', {
        alarmDescription: `Aurora in ${standby} lags more than the RPO (${rpoSeconds} s): an automatic failover toward it would be held`,
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
    // Not a member of the trigger (audit 21 M1): once the serving region is lost, whether and what Aurora publishes
    // is not documented, and a growing lag after the loss would veto every real failover. The run's check-rpo step
    // decides on the lag before the loss; this alarm notifies.
  }
  const triggerName = triggerAlarmName(ctx, standby);
  // The composite names its member alarms: it waits until they exist.
  if (memberKeys.every((k) => observed.ready(k)) || observed.exists(keys.alarm)) {
    resources.push({
      key: keys.alarm,
      region: standby,
      manifest: CompositeAlarm.manifest({
        metadata: ctx.metadata('failover-trigger-alarm', standby, triggerName),
        spec: {
          forProvider: {
            region: standby,
            alarmDescription: `Automatic failover from ${serving} to ${standby}: ${serving} is lost (probe and Route 53 agree, it was healthy before, no maintenance); the run checks ${standby}'s lag before the loss against the RPO`,
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
    detail: { alarmName: [triggerName], state: { value: ['ALARM'] } },
  };
  // The transition's time goes into the request (placeholder <time>): each transition is its own execution, and the
  // probe's re-driver builds the same request from the alarm's transition time (lambda/failover/probe.ts).
  const input = automaticRequest(triggerName, standby, serving, '<time>');
  resources.push(
    ...trigger(
      'failover-trigger',
      { rule: keys.rule, target: keys.target, permission: keys.permission },
      `Starts an unplanned failover to ${standby} when ${triggerName} fires`,
      { eventPattern: JSON.stringify(pattern) },
      {
        inputTransformer: { inputPaths: { time: '$.detail.state.timestamp' }, inputTemplate: JSON.stringify(input) },
        // A refused invoke is retried for at most as long as the orchestrator accepts the event (no DLQ: see above).
        retryPolicy: { maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS, maximumRetryAttempts: TARGET_RETRY_ATTEMPTS },
      },
      'FailoverTriggerAlarm',
    ),
    metricAlarm(keys.undelivered, 'failover-trigger-undelivered', {
      alarmDescription: `The automatic failover rule in ${standby} could not invoke the orchestrator: the failover did not start`,
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensions: { RuleName: ruleName('failover-trigger') },
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    }),
  );
  return { resources, events };
}
