/**
 * The replication-lag monitor, run every minute by a schedule.
 *
 * 1. Reads each store's latest lag from CloudWatch (Aurora AuroraGlobalDBRPOLag, DynamoDB and
 *    S3 ReplicationLatency), converted to seconds; no datapoint → `unknown`.
 * 2. Publishes `drplane/ReplicationLagSeconds` (Store, StoreType, Region) for every known lag,
 *    in the function's region.
 * 3. Compares with the threshold and the remembered state (one SSM parameter per store and
 *    region) and publishes to SNS once per incident: on the breach and on the recovery.
 *    The state is written after the message, so a failed publish is retried next run
 *    (at-least-once delivery).
 *
 * One run at a time: a run that finds another run's live lock (lock.ts, SSM) returns `skipped` and
 * changes nothing; the lock, not reserved concurrency, keeps overlapping runs from alerting twice.
 *
 * Configuration: LAG_MONITOR_ENV in ../shared/env-contract.ts.
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import type { Env } from '../shared/env.js';
import { createLogger, describeError, type LogSink } from '../shared/logger.js';
import { DRPLANE_METRICS, lagDimensions, type LagDimensions } from '../shared/metrics-contract.js';
import { loadLagMonitorConfig, type LagMonitorConfig } from './config.js';
import { acquireLock, lockParameterName, releaseLock } from './lock.js';
import { readLags } from './read.js';
import { parseStoredState, transition, type AlertState, type StoredState } from './state.js';

/** One store's line in the summary. */
export interface StoreResult extends LagDimensions {
  /** `unknown` when CloudWatch had no datapoint (no metric is published for it). */
  readonly status: 'ok' | 'breach' | 'unknown';
  /** Seconds, or null when unknown. */
  readonly lagSeconds: number | null;
  /** Why the lag is unknown. */
  readonly reason?: string;
  /** The message sent this run, if any. */
  readonly notified?: 'breach' | 'recovery';
}

/** What one run did; also logged. */
export interface LagMonitorSummary {
  readonly checkedAt: string;
  readonly thresholdSeconds: number;
  readonly stores: readonly StoreResult[];
  readonly counts: { readonly ok: number; readonly breach: number; readonly unknown: number; readonly notified: number };
  /** Set when another run held the lock: this run checked nothing. */
  readonly skipped?: string;
}

/** Options for tests; Lambda uses the defaults. */
export interface LagMonitorOptions {
  readonly env?: Env;
  readonly logSink?: LogSink;
  readonly now?: () => Date;
}

/** The state parameter name of a store: `<prefix>/<StoreType>/<Store>/<Region>`. */
export function stateParameterName(prefix: string, d: LagDimensions): string {
  return `${prefix}/${d.StoreType}/${d.Store}/${d.Region}`;
}

/** Subject lines are limited to 100 printable ASCII characters. */
function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

/** Creates a monitor handler; the module's `handler` is one with default options. */
export function createLagMonitorHandler(options: LagMonitorOptions = {}) {
  const now = options.now ?? (() => new Date());
  let config: LagMonitorConfig | undefined;
  const cloudWatchClients = new Map<string, CloudWatchClient>();
  const cloudWatch = (region: string): CloudWatchClient => {
    let client = cloudWatchClients.get(region);
    if (client === undefined) {
      client = new CloudWatchClient({ region });
      cloudWatchClients.set(region, client);
    }
    return client;
  };
  let snsClient: SNSClient | undefined;
  let ssmClient: SSMClient | undefined;

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
    const ssm = (ssmClient ??= new SSMClient({ region: cfg.region }));
    const at = now();

    const lockName = lockParameterName(cfg.statePrefix);
    const lock = await acquireLock(
      ssm,
      lockName,
      context.awsRequestId,
      at,
      new Date(at.getTime() + context.getRemainingTimeInMillis()),
    );
    if (!lock.acquired) {
      const skipped = `another run (${lock.heldBy}) holds ${lockName} until ${lock.until}`;
      log.info('lag check skipped', { skipped });
      return {
        checkedAt: at.toISOString(),
        thresholdSeconds: cfg.thresholdSeconds,
        stores: [],
        counts: { ok: 0, breach: 0, unknown: 0, notified: 0 },
        skipped,
      };
    }
    try {
      return await check(cfg, at, log);
    } finally {
      try {
        await releaseLock(ssm, lockName, context.awsRequestId);
      } catch (err) {
        // The lock expires with the run anyway; a failed release only delays the next run.
        log.error('lock release failed', { error: describeError(err) });
      }
    }
  };

  async function check(cfg: LagMonitorConfig, at: Date, log: ReturnType<typeof createLogger>): Promise<LagMonitorSummary> {
    const sns = (snsClient ??= new SNSClient({ region: cfg.topicRegion }));
    const ssm = (ssmClient ??= new SSMClient({ region: cfg.region }));
    const readings = await readLags(cfg.stores, cfg.primaryRegion, cloudWatch, at);
    const dims = cfg.stores.map(lagDimensions);
    const failures: string[] = [];

    // 2. Custom metrics for every known lag.
    const data: MetricDatum[] = [];
    readings.forEach((r, i) => {
      const d = dims[i] as LagDimensions;
      if (r.kind !== 'value') return;
      data.push({
        MetricName: DRPLANE_METRICS.replicationLag,
        Dimensions: [
          { Name: 'Store', Value: d.Store },
          { Name: 'StoreType', Value: d.StoreType },
          { Name: 'Region', Value: d.Region },
        ],
        Value: r.seconds,
        Unit: 'Seconds',
        Timestamp: at,
      });
    });
    for (let i = 0; i < data.length; i += 20) {
      try {
        await cloudWatch(cfg.region).send(
          new PutMetricDataCommand({ Namespace: DRPLANE_METRICS.namespace, MetricData: data.slice(i, i + 20) }),
        );
      } catch (err) {
        failures.push(`PutMetricData: ${describeError(err).name}`);
      }
    }

    // 3. Alert state, once per incident.
    const states = await readStates(ssm, cfg.statePrefix);
    const results: StoreResult[] = [];
    for (const [i, reading] of readings.entries()) {
      const d = dims[i] as LagDimensions;
      const name = stateParameterName(cfg.statePrefix, d);
      const previous: AlertState = parseStoredState(states.get(name));
      const t = transition(previous, reading, cfg.thresholdSeconds);
      let notified: 'breach' | 'recovery' | undefined;
      if (t.notify !== undefined && reading.kind === 'value') {
        try {
          await sns.send(
            new PublishCommand({
              TopicArn: cfg.topicArn,
              Subject: subject(
                `drplane: replication lag ${t.notify === 'breach' ? 'above' : 'back under'} ${cfg.thresholdSeconds}s: ${d.StoreType} ${d.Store} (${d.Region})`,
              ),
              Message: JSON.stringify({
                event: t.notify,
                store: d.Store,
                storeType: d.StoreType,
                region: d.Region,
                lagSeconds: reading.seconds,
                thresholdSeconds: cfg.thresholdSeconds,
                at: at.toISOString(),
              }),
            }),
          );
          notified = t.notify;
          const stored: StoredState = { state: t.next, since: at.toISOString() };
          await ssm.send(new PutParameterCommand({ Name: name, Value: JSON.stringify(stored), Type: 'String', Overwrite: true }));
        } catch (err) {
          failures.push(`${t.notify} for ${d.StoreType}/${d.Store}/${d.Region}: ${describeError(err).name}`);
        }
      }
      results.push({
        ...d,
        status: reading.kind === 'unknown' ? 'unknown' : reading.seconds > cfg.thresholdSeconds ? 'breach' : 'ok',
        lagSeconds: reading.kind === 'value' ? reading.seconds : null,
        ...(reading.kind === 'unknown' ? { reason: reading.reason } : {}),
        ...(notified === undefined ? {} : { notified }),
      });
    }

    const count = (s: StoreResult['status']): number => results.filter((r) => r.status === s).length;
    const summary: LagMonitorSummary = {
      checkedAt: at.toISOString(),
      thresholdSeconds: cfg.thresholdSeconds,
      stores: results,
      counts: {
        ok: count('ok'),
        breach: count('breach'),
        unknown: count('unknown'),
        notified: results.filter((r) => r.notified !== undefined).length,
      },
    };
    log.info('lag check', { summary });
    if (failures.length > 0) {
      log.error('lag check had failures', { failures });
      throw new Error(`lag monitor: ${failures.length} AWS write(s) failed: ${failures.join('; ')}`);
    }
    return summary;
  }
}

/** All state parameters under the prefix, by name. */
async function readStates(ssm: SSMClient, prefix: string): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const out = await ssm.send(new GetParametersByPathCommand({ Path: prefix, Recursive: true, NextToken: nextToken }));
    for (const p of out.Parameters ?? []) {
      if (p.Name !== undefined && p.Value !== undefined) states.set(p.Name, p.Value);
    }
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  return states;
}

/** The Lambda entry point (`index.handler`). */
export const handler = createLagMonitorHandler();
