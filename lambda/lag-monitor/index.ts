/**
 * The replication-lag monitor, run every minute by a schedule.
 *
 * 1. Reads each store's latest lag from CloudWatch (Aurora AuroraGlobalDBRPOLag, DynamoDB and
 *    S3 ReplicationLatency), converted to seconds; no datapoint → `unknown`. An Aurora store that RDS
 *    reports as the global cluster's writer (DescribeGlobalClusters, each run) is `writer`: it has no lag.
 * 2. Publishes `drplane/ReplicationLagSeconds` (Store, StoreType, Region) for every known lag,
 *    in the function's region.
 * 3. Compares with the threshold (S3 stores with their own, at least the 15 minutes of Replication Time
 *    Control) and the remembered state (one SSM parameter per store and
 *    region) and publishes to SNS once per incident: on the breach and on the recovery.
 *    The state is written after the message, so a failed publish is retried next run
 *    (at-least-once delivery).
 *
 * One run at a time: a run that finds another run's live lock (lock.ts, SSM) returns `skipped` and
 * changes nothing; the lock, not reserved concurrency, keeps overlapping runs from alerting twice.
 *
 * With an ARC readiness cell (routing.arc.readiness), each run also reports the cell's readiness in SSM for the
 * claim's status (readiness.ts); a failed readiness read or write is in the summary, the log and the
 * `drplane/ReadinessReportErrors` metric, leaves the last report as it was, and does not fail the run.
 *
 * With an EKS node group (spec.kubernetes), each run also observes it (nodes.ts: EKS DescribeNodegroup, Auto Scaling
 * DescribeAutoScalingGroups) and publishes `drplane/NodeGroupHealthIssues` and `drplane/NodeGroupNodesBelowMinimum`
 * (dimensions Cluster, NodeGroup) with the lag metrics; a failed observation fails the run, after the rest is done.
 *
 * Every AWS call is bounded (../shared/limits.ts, LAG_MONITOR_LIMITS) and the run keeps a margin before the
 * Lambda timeout: a hung regional endpoint makes its stores `unknown` (read) or failed (write), each named in the
 * summary, instead of using the whole run.
 *
 * Configuration: LAG_MONITOR_ENV in ../shared/env-contract.ts.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Route53RecoveryReadinessClient } from '@aws-sdk/client-route53-recovery-readiness';
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import type { LagStore } from '../shared/env-contract.js';
import type { Env } from '../shared/env.js';
import { boundedClientConfig, callBudget, type CallBudget, type CallLimits } from '../shared/limits.js';
import { createLogger, describeError, type LogSink } from '../shared/logger.js';
import {
  DRPLANE_METRICS,
  dimensionList,
  lagDimensions,
  nodeGroupDimensions,
  readinessReportDimensions,
  type LagDimensions,
} from '../shared/metrics-contract.js';
import { loadLagMonitorConfig, type LagMonitorConfig } from './config.js';
import { acquireLock, lockParameterName, releaseLock } from './lock.js';
import { observeNodeGroup, type NodeGroupResult } from './nodes.js';
import { readLags } from './read.js';
import { reportReadiness, type ReadinessResult } from './readiness.js';
import { READINESS_API_REGION, readinessParameterName } from '../shared/readiness.js';
import { parseStoredState, transition, type AlertState, type LagReading, type StoredState } from './state.js';
import { findWriter, type WriterLookup } from './writer.js';

/** One store's line in the summary. */
export interface StoreResult extends LagDimensions {
  /**
   * `unknown` when CloudWatch had no datapoint or the read failed (no metric is published for it); `writer` for the
   * Aurora cluster that writes now (it replicates to the others and has no lag of its own).
   */
  readonly status: 'ok' | 'breach' | 'unknown' | 'writer';
  /** Seconds, or null when unknown or the writer. */
  readonly lagSeconds: number | null;
  /** The threshold this store is compared with. */
  readonly thresholdSeconds: number;
  /** Why the lag is unknown. */
  readonly reason?: string;
  /** The message sent this run, if any. */
  readonly notified?: 'breach' | 'recovery';
  /** What failed for this store this run (a refused or timed-out write); the run then fails. */
  readonly error?: string;
}

/** What one run did; also logged. */
export interface LagMonitorSummary {
  readonly checkedAt: string;
  readonly thresholdSeconds: number;
  /** The threshold of S3 stores. */
  readonly s3ThresholdSeconds: number;
  readonly stores: readonly StoreResult[];
  readonly counts: {
    readonly ok: number;
    readonly breach: number;
    readonly unknown: number;
    readonly writer: number;
    readonly notified: number;
  };
  /** Set when another run held the lock: this run checked nothing. */
  readonly skipped?: string;
  /** With a readiness cell: what this run read and reported (readiness.ts). */
  readonly readiness?: ReadinessResult;
  /** With a node group: what this run saw of it (nodes.ts). */
  readonly nodeGroup?: NodeGroupResult;
}

/**
 * Limits of the monitor's AWS calls (timeout 50 s): a call gives up after 8 s (two attempts of at most 5 s, 2 s to
 * connect), and the run stops starting calls {@link RUN_MARGIN_MS} before the Lambda timeout.
 */
export const LAG_MONITOR_LIMITS: CallLimits = {
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 2,
  callTimeoutMs: 8_000,
};

/** Time kept at the end of a run to release the lock and log the summary. */
export const RUN_MARGIN_MS = 4_000;

/** Options for tests; Lambda uses the defaults. */
export interface LagMonitorOptions {
  readonly env?: Env;
  readonly logSink?: LogSink;
  readonly now?: () => Date;
  /** Call limits (default {@link LAG_MONITOR_LIMITS}). */
  readonly limits?: CallLimits;
}

/** The state parameter name of a store: `<prefix>/<StoreType>/<Store>/<Region>`. */
export function stateParameterName(prefix: string, d: LagDimensions): string {
  return `${prefix}/${d.StoreType}/${d.Store}/${d.Region}`;
}

/** The threshold `store` is compared with. */
export const thresholdOf = (cfg: LagMonitorConfig, store: LagStore): number =>
  store.type === 's3' ? cfg.s3ThresholdSeconds : cfg.thresholdSeconds;

/** Subject lines are limited to 100 printable ASCII characters. */
function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

const errorName = (err: unknown): string => describeError(err).name;

/** Creates a monitor handler; the module's `handler` is one with default options. */
export function createLagMonitorHandler(options: LagMonitorOptions = {}) {
  const now = options.now ?? (() => new Date());
  const limits = options.limits ?? LAG_MONITOR_LIMITS;
  const clientConfig = (region: string) => ({ region, ...boundedClientConfig(limits) });
  let config: LagMonitorConfig | undefined;
  const cloudWatchClients = new Map<string, CloudWatchClient>();
  const cloudWatch = (region: string): CloudWatchClient => {
    let client = cloudWatchClients.get(region);
    if (client === undefined) {
      client = new CloudWatchClient(clientConfig(region));
      cloudWatchClients.set(region, client);
    }
    return client;
  };
  let snsClient: SNSClient | undefined;
  let ssmClient: SSMClient | undefined;
  let rdsClient: RDSClient | undefined;
  let readinessClient: Route53RecoveryReadinessClient | undefined;
  let eksClient: EKSClient | undefined;
  let autoScalingClient: AutoScalingClient | undefined;

  return async function handler(
    _event: unknown,
    context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
  ): Promise<LagMonitorSummary> {
    const log = createLogger(
      { requestId: context.awsRequestId, region: (options.env ?? process.env).AWS_REGION ?? 'unknown' },
      options.logSink,
    );
    try {
      config ??= loadLagMonitorConfig(options.env ?? process.env);
    } catch (err) {
      log.error('configuration error', { error: describeError(err) });
      throw err;
    }
    const cfg = config;
    const ssm = (ssmClient ??= new SSMClient(clientConfig(cfg.region)));
    const at = now();
    const ends = Date.now() + context.getRemainingTimeInMillis();
    const budget = callBudget(limits, ends - RUN_MARGIN_MS);

    const lockName = lockParameterName(cfg.statePrefix);
    const lock = await acquireLock(
      ssm,
      lockName,
      context.awsRequestId,
      at,
      new Date(at.getTime() + context.getRemainingTimeInMillis()),
      budget.call,
    );
    if (!lock.acquired) {
      const skipped = `another run (${lock.heldBy}) holds ${lockName} until ${lock.until}`;
      log.info('lag check skipped', { skipped });
      return {
        checkedAt: at.toISOString(),
        thresholdSeconds: cfg.thresholdSeconds,
        s3ThresholdSeconds: cfg.s3ThresholdSeconds,
        stores: [],
        counts: { ok: 0, breach: 0, unknown: 0, writer: 0, notified: 0 },
        skipped,
      };
    }
    try {
      return await check(cfg, at, budget, log);
    } finally {
      try {
        // The margin is kept for this call: bounded by the call limit, not by the run's deadline.
        await releaseLock(ssm, lockName, context.awsRequestId, () => ({
          abortSignal: AbortSignal.timeout(Math.min(limits.callTimeoutMs, RUN_MARGIN_MS / 2)),
        }));
      } catch (err) {
        // The lock expires with the run anyway; a failed release only delays the next run.
        log.error('lock release failed', { error: describeError(err) });
      }
    }
  };

  /** The writer of the global cluster, when the monitor has Aurora stores and knows the global cluster. */
  async function writerOf(cfg: LagMonitorConfig, budget: CallBudget): Promise<WriterLookup | undefined> {
    if (cfg.globalClusterId === undefined || !cfg.stores.some((s) => s.type === 'aurora')) return undefined;
    const rds = (rdsClient ??= new RDSClient(clientConfig(cfg.region)));
    return findWriter(rds, cfg.globalClusterId, budget.call);
  }

  /** The region's node group, when the monitor has one. */
  async function nodeGroupOf(cfg: LagMonitorConfig, budget: CallBudget): Promise<NodeGroupResult | undefined> {
    if (cfg.nodeGroup === undefined) return undefined;
    const eks = (eksClient ??= new EKSClient(clientConfig(cfg.region)));
    const autoscaling = (autoScalingClient ??= new AutoScalingClient(clientConfig(cfg.region)));
    return observeNodeGroup(eks, autoscaling, cfg.nodeGroup, budget);
  }

  async function check(
    cfg: LagMonitorConfig,
    at: Date,
    budget: CallBudget,
    log: ReturnType<typeof createLogger>,
  ): Promise<LagMonitorSummary> {
    const sns = (snsClient ??= new SNSClient(clientConfig(cfg.topicRegion)));
    const ssm = (ssmClient ??= new SSMClient(clientConfig(cfg.region)));
    const [lags, writer, nodeGroup] = await Promise.all([
      readLags(cfg.stores, cfg.primaryRegion, cloudWatch, at, budget.call),
      writerOf(cfg, budget),
      nodeGroupOf(cfg, budget),
    ]);
    const isWriter = (store: LagStore): boolean =>
      store.type === 'aurora' && writer?.kind === 'known' && writer.writer === `${store.region}/${store.clusterIdentifier}`;
    const readings: (LagReading | 'writer')[] = lags.map((r, i) => {
      const store = cfg.stores[i] as LagStore;
      if (isWriter(store)) return 'writer';
      // A secondary that reports nothing while RDS could not say who writes: say both.
      if (store.type === 'aurora' && r.kind === 'unknown' && writer?.kind === 'failed') {
        return { kind: 'unknown', reason: `${r.reason}; ${writer.reason}` };
      }
      return r;
    });
    const dims = cfg.stores.map(lagDimensions);
    const failures: string[] = [];
    const storeErrors = new Map<number, string>();

    // 2. Custom metrics for every known lag, and the node group's (nodes.ts) in the same calls.
    const data: { index?: number; datum: MetricDatum }[] = [];
    readings.forEach((r, index) => {
      const d = dims[index] as LagDimensions;
      if (r === 'writer' || r.kind !== 'value') return;
      data.push({
        index,
        datum: {
          MetricName: DRPLANE_METRICS.replicationLag,
          Dimensions: [
            { Name: 'Store', Value: d.Store },
            { Name: 'StoreType', Value: d.StoreType },
            { Name: 'Region', Value: d.Region },
          ],
          Value: r.seconds,
          Unit: 'Seconds',
          Timestamp: at,
        },
      });
    });
    if (nodeGroup !== undefined) {
      if (nodeGroup.error !== undefined) failures.push(nodeGroup.error);
      const dimensions = Object.entries(nodeGroupDimensions(nodeGroup.cluster, nodeGroup.nodegroup)).map(([Name, Value]) => ({
        Name,
        Value,
      }));
      const count = (MetricName: string, Value: number): { datum: MetricDatum } => ({
        datum: { MetricName, Dimensions: dimensions, Value, Unit: 'Count', Timestamp: at },
      });
      if (nodeGroup.issues !== undefined) data.push(count(DRPLANE_METRICS.nodeGroupHealthIssues, nodeGroup.issues.length));
      if (nodeGroup.belowMinimum !== undefined)
        data.push(count(DRPLANE_METRICS.nodeGroupNodesBelowMinimum, nodeGroup.belowMinimum));
    }
    for (let i = 0; i < data.length; i += 20) {
      const chunk = data.slice(i, i + 20);
      try {
        await cloudWatch(cfg.region).send(
          new PutMetricDataCommand({ Namespace: DRPLANE_METRICS.namespace, MetricData: chunk.map((c) => c.datum) }),
          budget.call(),
        );
      } catch (err) {
        failures.push(`PutMetricData: ${errorName(err)}`);
        for (const c of chunk) if (c.index !== undefined) storeErrors.set(c.index, `PutMetricData: ${errorName(err)}`);
      }
    }

    // 3. Alert state, once per incident. Without the remembered states nothing is announced this run.
    let states: Map<string, string> | undefined;
    try {
      states = await readStates(ssm, cfg.statePrefix, budget);
    } catch (err) {
      failures.push(`GetParametersByPath: ${errorName(err)}`);
    }
    const results: StoreResult[] = [];
    for (const [i, reading] of readings.entries()) {
      const d = dims[i] as LagDimensions;
      const threshold = thresholdOf(cfg, cfg.stores[i] as LagStore);
      if (reading === 'writer') {
        results.push({ ...d, status: 'writer', lagSeconds: null, thresholdSeconds: threshold });
        continue;
      }
      let notified: 'breach' | 'recovery' | undefined;
      let error = storeErrors.get(i);
      if (states === undefined && reading.kind === 'value') {
        error = [error, 'alert state not read: GetParametersByPath failed'].filter(Boolean).join('; ');
      }
      const name = stateParameterName(cfg.statePrefix, d);
      const previous: AlertState = parseStoredState(states?.get(name));
      const t = transition(previous, reading, threshold);
      if (states !== undefined && t.notify !== undefined && reading.kind === 'value') {
        try {
          await sns.send(
            new PublishCommand({
              TopicArn: cfg.topicArn,
              Subject: subject(
                `drplane: replication lag ${t.notify === 'breach' ? 'above' : 'back under'} ${threshold}s: ${d.StoreType} ${d.Store} (${d.Region})`,
              ),
              Message: JSON.stringify({
                event: t.notify,
                store: d.Store,
                storeType: d.StoreType,
                region: d.Region,
                lagSeconds: reading.seconds,
                thresholdSeconds: threshold,
                at: at.toISOString(),
              }),
            }),
            budget.call(),
          );
          notified = t.notify;
          const stored: StoredState = { state: t.next, since: at.toISOString() };
          await ssm.send(
            new PutParameterCommand({
              Name: name,
              Value: JSON.stringify(stored),
              Type: 'SecureString',
              KeyId: cfg.stateKeyArn,
              Tier: 'Standard',
              Overwrite: true,
            }),
            budget.call(),
          );
        } catch (err) {
          const what = `${t.notify} for ${d.StoreType}/${d.Store}/${d.Region}: ${errorName(err)}`;
          failures.push(what);
          error = [error, what].filter(Boolean).join('; ');
        }
      }
      results.push({
        ...d,
        status: reading.kind === 'unknown' ? 'unknown' : reading.seconds > threshold ? 'breach' : 'ok',
        lagSeconds: reading.kind === 'value' ? reading.seconds : null,
        thresholdSeconds: threshold,
        ...(reading.kind === 'unknown' ? { reason: reading.reason } : {}),
        ...(notified === undefined ? {} : { notified }),
        ...(error === undefined ? {} : { error }),
      });
    }

    // 4. The readiness report of the region's ARC cell, if any (never fails the run: readiness.ts). Whether it failed
    // is published as ReadinessReportErrors (1 or 0, dimensions Estate and Region: readinessReportDimensions) so a
    // report that stopped being renewed shows in CloudWatch before the claim's staleAfter passes; that metric's own
    // failure is a failure of the run, as the lag metrics' is.
    let readiness: ReadinessResult | undefined;
    if (cfg.readinessCell !== undefined) {
      readiness = await reportReadiness({
        cell: cfg.readinessCell,
        statePrefix: cfg.statePrefix,
        previous: states?.get(readinessParameterName(cfg.statePrefix)),
        now,
        tags: cfg.reportTags,
        readinessClient: (readinessClient ??= new Route53RecoveryReadinessClient(clientConfig(READINESS_API_REGION))),
        ssm,
        budget,
      });
      if (readiness.error !== undefined) log.error('readiness report failed', { readiness });
      try {
        await cloudWatch(cfg.region).send(
          new PutMetricDataCommand({
            Namespace: DRPLANE_METRICS.namespace,
            MetricData: [
              {
                MetricName: DRPLANE_METRICS.readinessReportErrors,
                Dimensions: dimensionList(readinessReportDimensions(cfg.estate, cfg.region)),
                Value: readiness.error === undefined ? 0 : 1,
                Unit: 'Count',
                Timestamp: at,
              },
            ],
          }),
          budget.call(),
        );
      } catch (err) {
        failures.push(`PutMetricData ${DRPLANE_METRICS.readinessReportErrors}: ${errorName(err)}`);
      }
    }

    const count = (s: StoreResult['status']): number => results.filter((r) => r.status === s).length;
    const summary: LagMonitorSummary = {
      checkedAt: at.toISOString(),
      thresholdSeconds: cfg.thresholdSeconds,
      s3ThresholdSeconds: cfg.s3ThresholdSeconds,
      stores: results,
      counts: {
        ok: count('ok'),
        breach: count('breach'),
        unknown: count('unknown'),
        writer: count('writer'),
        notified: results.filter((r) => r.notified !== undefined).length,
      },
      ...(readiness === undefined ? {} : { readiness }),
      ...(nodeGroup === undefined ? {} : { nodeGroup }),
    };
    log.info('lag check', { summary });
    if (failures.length > 0) {
      log.error('lag check had failures', { failures });
      throw new Error(`lag monitor: ${failures.length} AWS call(s) failed: ${failures.join('; ')}`);
    }
    return summary;
  }
}

/** All state parameters under the prefix, by name. */
async function readStates(ssm: SSMClient, prefix: string, budget: CallBudget): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const out = await ssm.send(
      new GetParametersByPathCommand({ Path: prefix, Recursive: true, WithDecryption: true, NextToken: nextToken }),
      budget.call(),
    );
    for (const p of out.Parameters ?? []) {
      if (p.Name !== undefined && p.Value !== undefined) states.set(p.Name, p.Value);
    }
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  return states;
}

/** The Lambda entry point (`index.handler`). */
export const handler = createLagMonitorHandler();
