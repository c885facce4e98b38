/**
 * The failover orchestrator. Input: `{targetRegion, mode: "planned"|"unplanned", dryRun?, reason?}`.
 *
 * Steps (each on the timeline with start/end time and outcome):
 * 1. assume-role: reads the external ID from SSM (SecureString) and assumes the DR-operations
 *    role; RDS and Route 53 calls use that role's credentials.
 * 2. observe: describes the global cluster (through the target region) and the failover
 *    records, and computes the plan. A dry run returns here.
 * 3. promote-database: SwitchoverGlobalCluster (planned) or FailoverGlobalCluster with
 *    AllowDataLoss (unplanned), unless the target already is the writer or an operation
 *    toward it is already running (then it is resumed, not re-issued).
 * 4. wait-for-writer: polls until the target cluster is the writer, within the deadline.
 * 5. switch-dns / dns-insync: failover records: UPSERTs the PRIMARY record to the target and the
 *    SECONDARY to the old primary (see records.ts), then waits for INSYNC; skipped if already so,
 *    and for latency records (every healthy region serves already).
 * 6. verify-health: GET of the target's `/health` until 200 from the target region.
 * 7. report: `drplane/FailoverRtoSeconds` (only when something changed) and the timeline to
 *    SNS, with the function's own credentials.
 *
 * Every run derives its state from AWS, so running it twice ends in the same state and a run
 * after a crash picks up where the last one stopped. Runs may overlap (no reserved concurrency):
 * RDS accepts one switchover/failover per global cluster at a time, so a run whose request is
 * refused because another run's operation toward the same target is under way (or done) follows
 * that operation; the DNS UPSERTs of two runs toward one target are identical. Configuration:
 * FAILOVER_ENV.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { parseArn } from '../shared/arn.js';
import type { Env } from '../shared/env.js';
import { createLogger, describeError, type LogSink } from '../shared/logger.js';
import { DRPLANE_METRICS } from '../shared/metrics-contract.js';
import { awsClients, type ClientFactory, type FailoverClients } from './clients.js';
import { loadFailoverConfig, type FailoverConfig } from './config.js';
import { checkEvent, type CheckedEvent } from './event.js';
import { describeGlobalCluster, listRecords } from './observe.js';
import { planDatabase, writerArn, writerSettled, type FailoverPlan, type ObservedCluster } from './plan.js';
import { isUnavailable, servedByHealthChecks } from './dns-fallback.js';
import { hostsOf, PlanError, planDns } from './records.js';
import { Timeline, type StepControl, type TimelineStep } from './timeline.js';
import { checkHealthOnce } from './verify.js';

/** The result of a run. */
export interface FailoverResult {
  /** `completed`: something changed; `noop`: all was in place; `ignored`: an Invocation's delete. */
  readonly outcome: 'completed' | 'noop' | 'dry-run' | 'ignored';
  readonly targetRegion?: string;
  readonly mode?: 'planned' | 'unplanned';
  readonly plan?: FailoverPlan;
  /** Seconds from the start of the run until the new primary answered `/health`; only when completed. */
  readonly rtoSeconds?: number;
  readonly timeline: readonly TimelineStep[];
}

/** A run failed; the timeline says where. */
export class FailoverError extends Error {
  override readonly name = 'FailoverError';
  constructor(
    message: string,
    readonly timeline: readonly TimelineStep[],
  ) {
    super(message);
  }
}

/** A wait did not finish before the deadline. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/** Options for tests; Lambda uses the defaults. */
export interface FailoverOptions {
  readonly env?: Env;
  readonly logSink?: LogSink;
  readonly clientFactory?: ClientFactory;
  readonly now?: () => Date;
}

/** Time kept back from the Lambda timeout to report a failure. */
const SAFETY_MS = 20_000;
const HEALTH_ATTEMPT_MS = 5_000;

/** What RDS answers when another operation already runs, or the target already writes (a concurrent run won). */
const RACE_ERRORS: readonly string[] = ['InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const regionOf = (arn: string | undefined): string | undefined => (arn === undefined ? undefined : parseArn(arn)?.region);

function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

/** Polls `probe` every `pollMs` until it reports done or the deadline passes. */
async function waitFor(
  what: string,
  deadlineAt: number,
  pollMs: number,
  now: () => Date,
  probe: () => Promise<{ done: boolean; state: string }>,
): Promise<number> {
  for (let polls = 1; ; polls++) {
    const r = await probe();
    if (r.done) return polls;
    if (now().getTime() + pollMs > deadlineAt) {
      throw new DeadlineError(`${what} did not happen before the deadline; last state: ${r.state}`);
    }
    await sleep(pollMs);
  }
}

function clusterState(c: ObservedCluster): string {
  const writer = regionOf(writerArn(c)) ?? 'none';
  const fs =
    c.failoverState === undefined
      ? ''
      : `, failover ${c.failoverState.status ?? '?'} to ${regionOf(c.failoverState.toArn) ?? '?'}`;
  return `status ${c.status ?? '?'}, writer ${writer}${fs}`;
}

/** Creates an orchestrator handler; the module's `handler` is one with default options. */
export function createFailoverHandler(options: FailoverOptions = {}) {
  const now = options.now ?? (() => new Date());
  const factory = options.clientFactory ?? awsClients;
  let config: FailoverConfig | undefined;

  return async function handler(
    event: unknown,
    context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
  ): Promise<FailoverResult> {
    const start = now();
    let log = createLogger(
      { requestId: context.awsRequestId, region: (options.env ?? process.env).AWS_REGION ?? 'unknown' },
      options.logSink,
    );
    let ev: CheckedEvent;
    try {
      config ??= loadFailoverConfig(options.env ?? process.env);
      log = createLogger({ requestId: context.awsRequestId, region: config.region }, options.logSink);
      ev = checkEvent(event, config.allRegions);
    } catch (err) {
      log.error('refused', { error: describeError(err) });
      throw err;
    }
    const cfg = config;
    if (ev.ignore) {
      log.info('ignored: delete action of a Lambda Invocation');
      return { outcome: 'ignored', timeline: [] };
    }
    log = log.child({ targetRegion: ev.targetRegion, mode: ev.mode, dryRun: ev.dryRun });
    log.info('failover run started', { reason: ev.reason });

    const deadlineAt = start.getTime() + Math.min(cfg.deadlineSeconds * 1000, context.getRemainingTimeInMillis() - SAFETY_MS);
    const pollMs = cfg.pollSeconds * 1000;
    const own = factory(undefined);
    const timeline = new Timeline(now, (step) => log.info('step', { ...step }));
    const targetArn = cfg.clusterArns[ev.targetRegion] as string;
    const healthUrl = cfg.healthUrls[ev.targetRegion] as string;

    try {
      const ops = await timeline.step('assume-role', () => assumeOperationsRole(own, cfg, context.awsRequestId, factory));

      const { plan, records: observedRecords } = await timeline.step('observe', async (s) => {
        const p = await observeAndPlan(ops, cfg, ev, targetArn, healthUrl);
        s.detail(`writer ${p.plan.currentWriterRegion ?? 'none'}; database ${p.plan.database.action}; dns ${p.plan.dns.action}`);
        return p;
      });
      for (const warning of plan.warnings) log.warn('plan warning', { warning });
      if (ev.dryRun) {
        log.info('dry run: nothing changed', { plan });
        return { outcome: 'dry-run', targetRegion: ev.targetRegion, mode: ev.mode, plan, timeline: timeline.steps };
      }

      const rds = ops.rds(ev.targetRegion);
      const dbChanged = await timeline.step('promote-database', async (s) => {
        const action = plan.database;
        if (action.action === 'none') {
          s.skip(action.reason);
          return false;
        }
        if (action.action === 'wait') {
          s.skip(`${action.reason}; resuming`);
          return true;
        }
        const operation = action.action === 'switchover' ? 'SwitchoverGlobalCluster' : 'FailoverGlobalCluster (AllowDataLoss)';
        try {
          await rds.send(
            action.action === 'switchover'
              ? new SwitchoverGlobalClusterCommand({
                  GlobalClusterIdentifier: cfg.globalClusterId,
                  TargetDbClusterIdentifier: action.toArn,
                })
              : new FailoverGlobalClusterCommand({
                  GlobalClusterIdentifier: cfg.globalClusterId,
                  TargetDbClusterIdentifier: action.toArn,
                  AllowDataLoss: true,
                }),
          );
        } catch (err) {
          // A concurrent run (another trigger, a retried invocation) got there first: RDS runs one operation at a
          // time per global cluster, so it is the lock. Follow that run if it moves the writer to our target.
          if (!RACE_ERRORS.includes(describeError(err).name)) throw err;
          // A refused takeover of a switchover falls back to what a planned run does: follow it or refuse.
          const mode = action.supersedes === undefined ? ev.mode : 'planned';
          const current = planDatabase(await describeGlobalCluster(rds, cfg.globalClusterId), targetArn, mode);
          if (current.action === 'wait' || current.action === 'none') {
            s.detail(`${operation} refused (${describeError(err).name}): ${current.reason}; resuming`);
            return current.action === 'wait';
          }
          throw err;
        }
        const taken = action.supersedes === undefined ? '' : `, superseding ${action.supersedes}`;
        s.detail(`${operation} from ${regionOf(action.fromArn) ?? 'none'} to ${ev.targetRegion}${taken}`);
        return true;
      });

      await timeline.step('wait-for-writer', async (s) => {
        if (!dbChanged) {
          s.skip('the target cluster is already the writer');
          return;
        }
        const polls = await waitFor(`${ev.targetRegion} becoming the writer`, deadlineAt, pollMs, now, async () => {
          const c = await describeGlobalCluster(rds, cfg.globalClusterId);
          return { done: writerSettled(c, targetArn), state: clusterState(c) };
        });
        s.detail(`writer is ${ev.targetRegion} after ${polls} poll(s)`);
      });

      const route53 = ops.route53(cfg.region);
      // Route 53's control plane is in us-east-1: when it fails and health-checked records already serve the
      // target, the swap is best effort and the run goes on to verification (see dns-fallback.ts).
      const bestEffort = (s: StepControl, err: unknown, records: typeof observedRecords): boolean => {
        if (err instanceof PlanError || !isUnavailable(err)) return false;
        const why = servedByHealthChecks(records, cfg.recordName, cfg.allRegions, cfg.healthCheckIds, ev.targetRegion);
        if (why === undefined) return false;
        s.skip(`best effort: Route 53 is unavailable (${describeError(err).message}); ${why}`);
        return true;
      };
      let dnsChanged = false;
      const changeId = await timeline.step('switch-dns', async (s) => {
        try {
          // Observed again: the records may have changed while the database moved.
          const records = await listRecords(route53, cfg.hostedZoneId, cfg.recordName);
          const { changes, reason } = dnsPlan(records, cfg, ev.targetRegion);
          if (changes.length === 0) {
            s.skip(reason ?? `${cfg.recordName} already points at ${ev.targetRegion}`);
            return undefined;
          }
          const out = await route53.send(
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: cfg.hostedZoneId,
              ChangeBatch: { Comment: `drplane failover to ${ev.targetRegion} (${ev.mode})`, Changes: changes },
            }),
          );
          dnsChanged = true;
          s.detail(`${changes.length} UPSERT(s): PRIMARY → ${ev.targetRegion}`);
          return out.ChangeInfo?.Id;
        } catch (err) {
          if (bestEffort(s, err, observedRecords)) return undefined;
          throw err;
        }
      });

      await timeline.step('dns-insync', async (s) => {
        if (changeId === undefined) {
          s.skip('no DNS change');
          return;
        }
        try {
          await waitFor('the DNS change reaching INSYNC', deadlineAt, pollMs, now, async () => {
            const out = await route53.send(new GetChangeCommand({ Id: changeId }));
            const status = out.ChangeInfo?.Status ?? 'unknown';
            return { done: status === 'INSYNC', state: status };
          });
        } catch (err) {
          if (!isUnavailable(err)) throw err;
          s.skip(
            `best effort: the change was accepted; Route 53 is unavailable to confirm INSYNC (${describeError(err).message})`,
          );
        }
      });

      await timeline.step('verify-health', async (s) => {
        let attempts = 0;
        await waitFor(`${healthUrl} answering healthy`, deadlineAt, pollMs, now, async () => {
          attempts++;
          const budget = Math.max(1_000, Math.min(HEALTH_ATTEMPT_MS, deadlineAt - now().getTime()));
          const r = await checkHealthOnce(healthUrl, ev.targetRegion, budget);
          return { done: r.ok, state: r.ok ? 'healthy' : r.why };
        });
        s.detail(`healthy after ${attempts} attempt(s)`);
      });

      const changed = dbChanged || dnsChanged;
      const rtoSeconds = Math.round((now().getTime() - start.getTime()) / 10) / 100;
      const result: FailoverResult = {
        outcome: changed ? 'completed' : 'noop',
        targetRegion: ev.targetRegion,
        mode: ev.mode,
        plan,
        ...(changed ? { rtoSeconds } : {}),
        timeline: timeline.steps,
      };
      await timeline.step('report', async () => {
        if (changed) {
          await own.cloudWatch(cfg.region).send(
            new PutMetricDataCommand({
              Namespace: DRPLANE_METRICS.namespace,
              MetricData: [
                {
                  MetricName: DRPLANE_METRICS.failoverRto,
                  Dimensions: [
                    { Name: 'TargetRegion', Value: ev.targetRegion },
                    { Name: 'Mode', Value: ev.mode },
                  ],
                  Value: rtoSeconds,
                  Unit: 'Seconds',
                  Timestamp: now(),
                },
              ],
            }),
          );
        }
        await notify(
          own,
          cfg,
          ev,
          result.outcome,
          { rtoSeconds: changed ? rtoSeconds : null, previousWriterRegion: plan.currentWriterRegion },
          timeline.steps,
        );
      });
      log.info('failover run finished', { outcome: result.outcome, rtoSeconds: result.rtoSeconds });
      return { ...result, timeline: timeline.steps };
    } catch (err) {
      const failedStep = timeline.steps.find((s) => s.outcome === 'failed')?.step ?? 'unknown';
      const message = `failover to ${ev.targetRegion} failed at ${failedStep}: ${describeError(err).message}`;
      log.error('failover run failed', { error: describeError(err), timeline: timeline.steps });
      if (!ev.dryRun && failedStep !== 'report') {
        try {
          await notify(own, cfg, ev, 'failed', { error: message }, timeline.steps);
        } catch (notifyErr) {
          log.error('failure notification failed', { error: describeError(notifyErr) });
        }
      }
      throw new FailoverError(message, timeline.steps);
    }
  };
}

async function assumeOperationsRole(
  own: FailoverClients,
  cfg: FailoverConfig,
  requestId: string,
  factory: ClientFactory,
): Promise<FailoverClients> {
  const param = await own.ssm(cfg.region).send(new GetParameterCommand({ Name: cfg.externalIdParameter, WithDecryption: true }));
  const externalId = param.Parameter?.Value;
  if (externalId === undefined || externalId === '') throw new Error(`SSM parameter ${cfg.externalIdParameter} is empty`);
  const out = await own.sts(cfg.region).send(
    new AssumeRoleCommand({
      RoleArn: cfg.operationsRoleArn,
      RoleSessionName: `drplane-failover-${requestId}`.slice(0, 64),
      ExternalId: externalId,
    }),
  );
  const c = out.Credentials;
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
    throw new Error('AssumeRole returned no credentials');
  }
  return factory({
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
  });
}

async function observeAndPlan(
  ops: FailoverClients,
  cfg: FailoverConfig,
  ev: CheckedEvent,
  targetArn: string,
  healthUrl: string,
): Promise<{ plan: FailoverPlan; records: ResourceRecordSet[] | undefined }> {
  const [cluster, listed] = await Promise.all([
    describeGlobalCluster(ops.rds(ev.targetRegion), cfg.globalClusterId),
    // Route 53 unreachable (its control plane is in us-east-1) does not stop the database from failing over.
    listRecords(ops.route53(cfg.region), cfg.hostedZoneId, cfg.recordName).then(
      (records) => ({ records, error: undefined }),
      (error: unknown) => {
        if (!isUnavailable(error)) throw error;
        return { records: undefined, error };
      },
    ),
  ]);
  const database = planDatabase(cluster, targetArn, ev.mode);
  const base = {
    globalClusterId: cfg.globalClusterId,
    targetRegion: ev.targetRegion,
    mode: ev.mode,
    currentWriterRegion: regionOf(writerArn(cluster)),
    database,
    healthUrl,
  };
  if (listed.records === undefined) {
    const reason = `Route 53 is unavailable: ${describeError(listed.error).message}`;
    return { plan: { ...base, dns: { action: 'unknown', reason }, warnings: [reason] }, records: undefined };
  }
  const { changes, warnings, reason } = dnsPlan(listed.records, cfg, ev.targetRegion);
  const dns: FailoverPlan['dns'] =
    changes.length === 0
      ? { action: 'none', reason: reason ?? `${cfg.recordName} already points at ${ev.targetRegion}` }
      : { action: 'swap', changes };
  return { plan: { ...base, dns, warnings }, records: listed.records };
}

/** The DNS step for the configured record name, whatever routing policy its records use. */
const dnsPlan = (records: Parameters<typeof planDns>[0], cfg: FailoverConfig, targetRegion: string) =>
  planDns(records, cfg.recordName, cfg.allRegions, cfg.healthCheckIds, hostsOf(cfg.healthUrls), targetRegion);

async function notify(
  own: FailoverClients,
  cfg: FailoverConfig,
  ev: CheckedEvent,
  outcome: string,
  extra: Record<string, unknown>,
  timeline: readonly TimelineStep[],
): Promise<void> {
  const rto = typeof extra.rtoSeconds === 'number' ? ` in ${extra.rtoSeconds}s` : '';
  await own.sns(cfg.topicRegion).send(
    new PublishCommand({
      TopicArn: cfg.topicArn,
      Subject: subject(`drplane failover to ${ev.targetRegion} (${ev.mode}): ${outcome}${rto}`),
      Message: JSON.stringify({
        globalClusterId: cfg.globalClusterId,
        targetRegion: ev.targetRegion,
        mode: ev.mode,
        reason: ev.reason ?? null,
        outcome,
        ...extra,
        timeline,
      }),
    }),
  );
}

/** The Lambda entry point (`index.handler`). */
export const handler = createFailoverHandler();
