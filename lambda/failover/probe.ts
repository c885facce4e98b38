/**
 * The automatic trigger's probe: every minute (an EventBridge schedule in the standby region) it asks the serving
 * region's `/health` once and publishes, in its own region where the trigger's alarms read them (dimensions
 * metrics-contract.ts probeDimensions: Estate = the estate id, so no other estate's alarm reads them; Region = the
 * probed region; ProbedFrom = its own):
 *
 * - `drplane/RegionHealthy`: 1 healthy, 0 not. An external signal: it goes through the service's public endpoint from
 *   another region, so it sees what clients see, and it needs nothing of the probed region's control plane.
 * - `drplane/CheckersHealthyPercent`: the share of Route 53's health checkers (many locations) whose last report of
 *   the probed region's health check is a success (GetHealthCheckStatus): the second vantage. Not published when the
 *   estate has no health check ID for the region or Route 53's API does not answer (its control plane is us-east-1).
 * - `drplane/RegionInMaintenance`: 1 while the probed region's Aurora cluster or one of its DB instances reports a
 *   maintenance state (DescribeDBClusters, and DescribeDBInstances filtered on db-cluster-id, in that region: OS
 *   patching and reboots show in the instances while the cluster stays `available`), else 0. Not published when that
 *   region's RDS API does not answer: a lost region is never taken for one in maintenance. How long it has lasted is
 *   counted by the trigger's `failover-maintenance-stuck` alarm (60 one-minute points in a row), which ends the hold.
 *
 * The two extra reads have a short budget each and never fail the probe: RegionHealthy is always published.
 * The probe never throws (every minute, a thrown error would reach the function's on-failure destination, the alert
 * topic): a failure is logged and published as `drplane/ProbeErrors` 1 (else 0), which an alarm watches. Nor does it
 * time out: its work after the bounded reads is aborted at a deadline {@link PROBE_RESERVE_MS} before the invocation
 * ends, and what was cut is reported (`skipped`) and counted as a failure.
 *
 * Then, in automatic mode (`DRPLANE_TRIGGER_ALARM`), it is the level-triggered half of the trigger: the rule starts a
 * failover when the trigger alarm enters ALARM (an edge: a lost event or a failed run would never be started again).
 * While the alarm is in ALARM the probe rebuilds the rule's request for that transition (its time is the alarm's
 * transition time, as in the rule's event) and re-drives it (start.ts redrive): it starts the execution when none
 * exists, and the next attempt after a transient failure, at most three in all.
 */
import { DescribeAlarmsCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetHealthCheckStatusCommand } from '@aws-sdk/client-route-53';
import type { Context } from 'aws-lambda';
import { parseArn } from '../shared/arn.js';
import { COMMON_ENV, ESTATE_ID_PATTERN, FAILOVER_ENV } from '../shared/env-contract.js';
import { createLogger, describeError, type Logger } from '../shared/logger.js';
import { DRPLANE_METRICS, dimensionList, probeDimensions, probeErrorsDimensions } from '../shared/metrics-contract.js';
import { automaticRequest, type ProbeEvent } from '../shared/workflow-contract.js';
import { awsClients, type FailoverClients } from './clients.js';
import { loadFailoverConfig, type FailoverConfig } from './config.js';
import { checkEvent, EventError } from './event.js';
import type { FailoverOptions } from './options.js';
import { redrive, type RedriveResult } from './start.js';
import { checkHealthOnce } from './verify.js';

/** One probe's budget: Route 53 health checkers allow a region 2 s too. */
export const PROBE_TIMEOUT_MS = 2_000;
/** Budget of each extra read (Route 53's checkers, the cluster's status). */
export const SIGNAL_TIMEOUT_MS = 3_000;

/**
 * The probe function's timeout in ms (the failover function's: STEP_FUNCTION_TIMEOUT_SECONDS, src/compose/workflow.ts),
 * its invocation when the Lambda context does not say.
 */
export const PROBE_INVOCATION_MS = 60_000;
/** Time one `drplane/ProbeErrors` publish may take (its own abort signal). */
export const PROBE_ERRORS_PUBLISH_MS = 5_000;
/**
 * What the probe keeps back from its invocation (audit-21-close L4): the ProbeErrors publish and returning. The rest
 * of its work (the signal's publish, the alarm read, the re-drive) is aborted at the probe's deadline, the invocation's
 * end less this, so the function never times out (a timeout is no return: the on-failure destination would mail).
 */
export const PROBE_RESERVE_MS = PROBE_ERRORS_PUBLISH_MS + 2_000;

/**
 * Aurora cluster states in which the cluster is being maintained or changed on purpose, so `/health` may fail for
 * minutes without the region being lost (Aurora User Guide, "Viewing DB cluster status").
 */
export const MAINTENANCE_STATES: readonly string[] = ['maintenance', 'upgrading', 'modifying', 'rebooting'];

/**
 * DB instance states (DBInstanceStatus) in which an instance is being maintained or changed on purpose (Aurora User
 * Guide, "Viewing DB instance status"): these, and every `configuring-*` state (enhanced monitoring, IAM database
 * authentication, log exports).
 */
export const INSTANCE_MAINTENANCE_STATES: readonly string[] = ['maintenance', 'rebooting', 'upgrading', 'modifying'];

/** True for a DB instance state of {@link INSTANCE_MAINTENANCE_STATES} or `configuring-*`. */
export const instanceInMaintenance = (status: string | undefined): boolean =>
  status !== undefined && (INSTANCE_MAINTENANCE_STATES.includes(status) || status.startsWith('configuring-'));

/** A read that gives up after `ms` (the SDK call is aborted). */
async function bounded<T>(ms: number, read: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await read(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** The percentage of Route 53's checkers whose last report is a success, or undefined when none reported. */
export async function checkersHealthyPercent(
  clients: FailoverClients,
  ownRegion: string,
  healthCheckId: string,
): Promise<number | undefined> {
  const out = await bounded(SIGNAL_TIMEOUT_MS, (abortSignal) =>
    clients.route53(ownRegion).send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }), { abortSignal }),
  );
  const reports = (out.HealthCheckObservations ?? []).map((o) => o.StatusReport?.Status ?? '');
  if (reports.length === 0) return undefined;
  const healthy = reports.filter((s) => s.startsWith('Success')).length;
  return Math.round((healthy / reports.length) * 1000) / 10;
}

/**
 * True when the region's Aurora cluster is in one of {@link MAINTENANCE_STATES} or one of its DB instances in a
 * maintenance state ({@link instanceInMaintenance}); false when both reads answered and neither is. A read that does
 * not answer leaves the answer unknown (thrown) unless the other one already shows maintenance.
 */
export async function inMaintenance(clients: FailoverClients, region: string, clusterArn: string): Promise<boolean> {
  const id = parseArn(clusterArn)?.resource.split(':').at(-1) ?? clusterArn;
  const rds = clients.rds(region);
  const [cluster, instances] = await Promise.allSettled([
    bounded(SIGNAL_TIMEOUT_MS, (abortSignal) =>
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }), { abortSignal }),
    ).then((out) => (out.DBClusters ?? []).some((c) => MAINTENANCE_STATES.includes(c.Status ?? ''))),
    bounded(SIGNAL_TIMEOUT_MS, (abortSignal) =>
      rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }), { abortSignal }),
    ).then((out) => (out.DBInstances ?? []).some((i) => instanceInMaintenance(i.DBInstanceStatus))),
  ]);
  const answers = [cluster, instances];
  if (answers.some((a) => a.status === 'fulfilled' && a.value)) return true;
  const failed = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return false;
}

/** What the probe found and did. */
export interface ProbeResult {
  /** Undefined when the probe failed before it could ask. */
  readonly healthy?: boolean;
  readonly checkersHealthyPercent?: number;
  readonly inMaintenance?: boolean;
  /** Automatic mode, trigger alarm in ALARM: what the re-driver did. */
  readonly redrive?: RedriveResult;
  /** Set when the probe failed (logged and counted in `drplane/ProbeErrors`; the probe never throws). */
  readonly failed?: boolean;
  /** What the probe's deadline cut or left undone (each also counted as a failure). */
  readonly skipped?: readonly string[];
}

/**
 * The trigger alarm's state and the time of its last transition: StateTransitionedTimestamp, the last change of
 * StateValue, which the rule's event was about. Never StateUpdatedTimestamp (audit arc-rpo L4): it moves on any state
 * update, even one that keeps the value, and would name another execution; no transition time, no re-drive.
 */
async function triggerState(
  clients: FailoverClients,
  region: string,
  alarmName: string,
  abortSignal: AbortSignal,
): Promise<{ value: string; time: Date | undefined }> {
  const out = await clients
    .cloudWatch(region)
    .send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }), {
      abortSignal,
    });
  const alarm = out.CompositeAlarms?.[0] ?? out.MetricAlarms?.[0];
  return { value: alarm?.StateValue ?? 'not found', time: alarm?.StateTransitionedTimestamp };
}

/** While the trigger alarm is in ALARM, re-drives the failover of its transition; undefined otherwise. */
async function redriveIfAlarm(
  clients: FailoverClients,
  cfg: FailoverConfig,
  probed: string,
  now: Date,
  log: Logger,
  abortSignal: AbortSignal,
): Promise<RedriveResult | undefined> {
  if (cfg.triggerAlarm === undefined) return undefined;
  if (cfg.stateMachineArn === undefined) {
    log.warn('no re-drive: the workflow ARN is not configured');
    return undefined;
  }
  const state = await triggerState(clients, cfg.region, cfg.triggerAlarm, abortSignal);
  if (state.value !== 'ALARM') return undefined;
  if (state.time === undefined) throw new Error(`${cfg.triggerAlarm} is in ALARM but CloudWatch gives no transition time`);
  const { ignore: _ignore, ...request } = checkEvent(
    automaticRequest(cfg.triggerAlarm, cfg.region, probed, state.time.toISOString()),
    cfg.allRegions,
  );
  const result = await redrive(clients.sfn(cfg.region), cfg.stateMachineArn, request, now, log, abortSignal);
  log.info('re-drive', { alarm: cfg.triggerAlarm, since: request.trigger?.time, ...result });
  return result;
}

/** Creates the probe handler. */
export function createProbe(options: FailoverOptions = {}) {
  const factory = options.clientFactory ?? awsClients;
  let config: FailoverConfig | undefined;
  return async function probe(
    event: ProbeEvent,
    context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
  ): Promise<ProbeResult> {
    // The probe's deadline: what follows the bounded reads is aborted then (PROBE_RESERVE_MS).
    const deadline = Date.now() + (context.getRemainingTimeInMillis?.() ?? PROBE_INVOCATION_MS) - PROBE_RESERVE_MS;
    const untilDeadline = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const env = options.env ?? process.env;
    const log = createLogger({ requestId: context.awsRequestId, region: env.AWS_REGION ?? 'unknown' }, options.logSink);
    try {
      config ??= loadFailoverConfig(env);
      const cfg = config;
      const region = event.probe?.region;
      const url = typeof region === 'string' ? cfg.healthUrls[region] : undefined;
      if (url === undefined || region === cfg.region) {
        throw new EventError(`probe.region must be another region of this estate (${cfg.allRegions.join(', ')})`);
      }
      const clients = factory(undefined);
      const checkId = cfg.healthCheckIds?.[region];
      const clusterArn = cfg.clusterArns[region];
      const unknown = (what: string) => (err: unknown) => {
        log.warn(`${what} unknown`, { error: describeError(err) });
        return undefined;
      };
      const [r, checkers, maintenance] = await Promise.all([
        checkHealthOnce(url, region, PROBE_TIMEOUT_MS),
        checkId === undefined ? undefined : checkersHealthyPercent(clients, cfg.region, checkId).catch(unknown('checkers')),
        clusterArn === undefined ? undefined : inMaintenance(clients, region, clusterArn).catch(unknown('maintenance')),
      ]);
      const datum = (MetricName: string, Value: number): MetricDatum => ({
        MetricName,
        Dimensions: dimensionList(probeDimensions(cfg.estate, region, cfg.region)),
        Value,
        Unit: MetricName === DRPLANE_METRICS.checkersHealthy ? 'Percent' : 'Count',
        ...(options.now === undefined ? {} : { Timestamp: options.now() }),
      });
      await clients.cloudWatch(cfg.region).send(
        new PutMetricDataCommand({
          Namespace: DRPLANE_METRICS.namespace,
          MetricData: [
            datum(DRPLANE_METRICS.regionHealthy, r.ok ? 1 : 0),
            ...(checkers === undefined ? [] : [datum(DRPLANE_METRICS.checkersHealthy, checkers)]),
            ...(maintenance === undefined ? [] : [datum(DRPLANE_METRICS.regionInMaintenance, maintenance ? 1 : 0)]),
          ],
        }),
        { abortSignal: untilDeadline },
      );
      log.info('probe', {
        probed: region,
        healthy: r.ok,
        ...(r.ok ? {} : { why: r.why }),
        ...(checkers === undefined ? {} : { checkersHealthyPercent: checkers }),
        ...(maintenance === undefined ? {} : { inMaintenance: maintenance }),
      });
      // After publishing: the alarm reads what was just published the next time CloudWatch evaluates it.
      let redriven: RedriveResult | undefined;
      let failed = false;
      const skipped: string[] = [];
      if (cfg.triggerAlarm !== undefined && untilDeadline.aborted) {
        failed = true;
        skipped.push('re-drive: the probe deadline passed before it');
        log.error('re-drive skipped: the probe deadline passed', { deadline: new Date(deadline).toISOString() });
      } else {
        try {
          redriven = await redriveIfAlarm(clients, cfg, region, options.now?.() ?? new Date(), log, untilDeadline);
        } catch (err) {
          failed = true;
          if (untilDeadline.aborted) skipped.push('re-drive: cut at the probe deadline');
          log.error('re-drive failed', { error: describeError(err), ...(untilDeadline.aborted ? { cutAtDeadline: true } : {}) });
        }
      }
      await publishProbeErrors(clients, cfg.estate, cfg.region, failed ? 1 : 0, options.now?.(), log);
      return {
        healthy: r.ok,
        ...(checkers === undefined ? {} : { checkersHealthyPercent: checkers }),
        ...(maintenance === undefined ? {} : { inMaintenance: maintenance }),
        ...(redriven === undefined ? {} : { redrive: redriven }),
        ...(failed ? { failed: true } : {}),
        ...(skipped.length === 0 ? {} : { skipped }),
      };
    } catch (err) {
      // Not thrown: the function's on-failure destination (the alert topic) would get a message every minute.
      log.error('probe failed', { error: describeError(err) });
      // The configuration may be what failed: its region and estate id as they are, when usable. Without an estate id
      // nothing is published (a series without it is one no alarm reads); the alarm counts the silence as failure.
      const own = env[COMMON_ENV.region]?.trim();
      const estate = env[FAILOVER_ENV.estate]?.trim();
      if (own !== undefined && own !== '' && estate !== undefined && ESTATE_ID_PATTERN.test(estate))
        await publishProbeErrors(factory(undefined), estate, own, 1, options.now?.(), log);
      return { failed: true };
    }
  };
}

/**
 * Publishes `drplane/ProbeErrors` (dimensions probeErrorsDimensions: Estate, ProbedFrom = the probe's region): 1 when
 * the probe failed (its configuration, its event, publishing the signal, or the re-drive), 0 otherwise, so an alarm
 * can tell a probe that fails or stopped publishing (failover-trigger.ts, failover-probe-errors). A failure to publish
 * is only logged.
 */
async function publishProbeErrors(
  clients: FailoverClients,
  estate: string,
  region: string,
  value: 0 | 1,
  at: Date | undefined,
  log: Logger,
): Promise<void> {
  try {
    await clients.cloudWatch(region).send(
      new PutMetricDataCommand({
        Namespace: DRPLANE_METRICS.namespace,
        MetricData: [
          {
            MetricName: DRPLANE_METRICS.probeErrors,
            Dimensions: dimensionList(probeErrorsDimensions(estate, region)),
            Value: value,
            Unit: 'Count',
            ...(at === undefined ? {} : { Timestamp: at }),
          },
        ],
      }),
      { abortSignal: AbortSignal.timeout(PROBE_ERRORS_PUBLISH_MS) },
    );
  } catch (err) {
    log.error('ProbeErrors not published', { error: describeError(err) });
  }
}
