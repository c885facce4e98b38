/**
 * The replication-lag monitor (lambda/lag-monitor) of XDRMonitoring: one in every estate region, each watching what
 * its own region's CloudWatch can observe, so that losing a region (the primary included) loses only that region's
 * view and nothing follows `activeRegion` or the writer through a recompose:
 *
 * - Aurora: the region's own cluster. Its lag metric (AuroraGlobalDBRPOLag, or AuroraGlobalDBReplicationLag for older
 *   Aurora MySQL: auroraLagMetricOf) is published in a secondary cluster's region; the monitor
 *   asks RDS each run (DescribeGlobalClusters) which member writes and reports that one as the writer, so after a
 *   failover the new writer is not an endless `unknown` and the old primary, now a secondary, is read.
 * - DynamoDB: ReplicationLatency of every table from this region to every other (published in the source region;
 *   global tables are multi-writer, so whichever region takes the writes is watched by its own monitor).
 * - S3: ReplicationLatency of every other region's bucket into this region's (rule `to-<this region>`): S3 publishes
 *   it in the destination bucket's region (S3 User Guide, "Using S3 Replication metrics"), compared with the S3
 *   threshold (at least the 15 minutes of Replication Time Control).
 *
 * - ARC readiness (routing.arc.readiness): the readiness of the region's own cell, reported for the claim's status
 *   (lambda/lag-monitor/readiness.ts); an ARC estate with readiness runs a monitor in each region even without stores.
 * - Watched primitives (each one's `watch` hook: its environment entries and IAM statements): EKS (spec.kubernetes
 *   with a network: spec.nodeHealth), the region's managed node group, its health issues and the nodes it lacks below
 *   its minimum size, published for the node-group alarms (lambda/lag-monitor/nodes.ts,
 *   src/primitives/kubernetes/watch.ts); an estate with a watched primitive runs a monitor in each region even without
 *   stores.
 *
 * Each monitor runs every minute from an EventBridge rule of its region (Rule + Target + a Permission limited to that
 * rule's ARN), alerts to its region's topic, and keeps its state and run lock in its region's SSM under one prefix.
 * Timeout 50 s, under the schedule; the run lock (`<prefix>/lock`, a create-only PutParameter) skips a run that
 * overlaps another. No reserved concurrency: Lambda keeps 10 unreserved executions per account and region, and
 * accounts with a low quota refuse any.
 */
import { LAG_MONITOR_ENV, lockParameterName, type LagStore } from '../../lambda/shared/env-contract.js';
import { DRPLANE_METRICS } from '../../lambda/shared/metrics-contract.js';
import { readinessParameterName } from '../../lambda/shared/readiness.js';
import type { DRMonitoringSpec } from '../api/primitives.js';
import { arn, observedArn } from './arn.js';
import type { ComposeContext } from './context.js';
import { replicatedStores, s3ThresholdSeconds } from './replicated-stores.js';
import { eventTrigger } from './event-trigger.js';
import { globalClusterId } from '../primitives/database/compose.js';
import { cellArn, readinessNames } from '../primitives/routing/readiness-names.js';
import { watchedBy } from '../primitives/monitoring/watches.js';
import type { Statement } from './iam.js';
import { keyKey } from './kms.js';
import { INTERNAL_RUNTIME, codeOf, drplaneLambda, logsStatement, type LambdaArtifacts } from './lambda.js';
import type { ComposeEvent, DesiredResource, ObservedView } from './types.js';

/** Purpose of the lag monitor's resources. */
export const LAG_MONITOR = 'lag-monitor';
/** Purpose of the monitoring key (the alert topics' key of each region). */
export const MONITORING = 'monitoring';

/** Composition key of the alert topic of a region. */
export const topicKey = (region: string): string => `alerts-topic-${region}`;

/**
 * SSM path under which each region's lag monitor keeps its state (in its own region), as SecureStrings of the
 * region's monitoring key. Not `…/lag`, where earlier versions kept plain Strings: SSM refuses to change a
 * parameter's type (HierarchyTypeMismatchException), so the SecureStrings start under a path of their own.
 */
export const lagStatePrefix = (ctx: ComposeContext): string => `/drplane/${ctx.namer.estateId}/lag-state`;

/** Composition keys of a region's monitor schedule: the primary's keep the keys they had when it ran there alone. */
export const lagMonitorKeys = (ctx: ComposeContext, region: string) => {
  const suffix = region === ctx.primary ? '' : `-${region}`;
  return {
    schedule: `lag-monitor-schedule${suffix}`,
    target: `lag-monitor-target${suffix}`,
    permission: `lag-monitor-schedule-permission${suffix}`,
    errorsAlarm: `alarm-lag-monitor-errors${suffix}`,
  };
};

/** AWS name of the lag monitor function of a region. */
export const lagMonitorFunctionName = (ctx: ComposeContext, region: string): string =>
  ctx.namer.name('lambdaFunction', LAG_MONITOR, region);

/**
 * What the monitor of `region` watches (lambda/shared/env-contract.ts LagStore), each where its metric is published
 * (replicated-stores.ts): the region's Aurora cluster, the replication of every table from this region to every other
 * region, and of every bucket from every other region into this one.
 */
export function lagStores(ctx: ComposeContext, spec: DRMonitoringSpec, region: string): LagStore[] {
  const stores = replicatedStores(ctx, spec);
  return [
    ...stores.aurora.filter((l) => l.region === region),
    ...stores.tables.filter((l) => l.from === region),
    ...stores.buckets.filter((l) => l.to === region),
  ].map((l) => l.store);
}

/** True when the estate has anything whose lag a monitor reads. */
export const hasLagStores = (ctx: ComposeContext, spec: DRMonitoringSpec): boolean =>
  ctx.regions.some((r) => lagStores(ctx, spec, r).length > 0);

/**
 * True when each region runs a lag monitor: it has stores to watch, ARC readiness cells to report (arcReadiness), or
 * a watched primitive to observe (a primitive's watch hook: kubernetes' node groups).
 */
export const hasLagMonitor = (ctx: ComposeContext, spec: DRMonitoringSpec): boolean =>
  hasLagStores(ctx, spec) || spec.arcReadiness || watchedBy(spec).some((w) => w.lagMonitor !== undefined);

function lagMonitorStatements(
  ctx: ComposeContext,
  spec: DRMonitoringSpec,
  region: string,
  account: string,
  topicArn: string,
  keyArn: string,
): Statement[] {
  const prefix = lagStatePrefix(ctx);
  return [
    // GetMetricData has no resource-level permissions: "*" is the only resource it accepts.
    // ListMetrics finds the dimension sets Aurora publishes its lag with (lambda/lag-monitor/read.ts).
    {
      Sid: 'ReadReplicationMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
      Resource: ['*'],
    },
    // PutMetricData has no resource-level permissions either; the namespace condition narrows it to drplane's metrics.
    {
      Sid: 'PublishLagMetric',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: ['*'],
      Condition: { StringEquals: { 'cloudwatch:namespace': DRPLANE_METRICS.namespace } },
    },
    // Who writes now: the global cluster only (global clusters have no region in their ARN).
    ...(spec.database
      ? [
          {
            Sid: 'FindWriter',
            Effect: 'Allow' as const,
            Action: ['rds:DescribeGlobalClusters'],
            Resource: [arn('rds', '', account, `global-cluster:${globalClusterId(ctx)}`)],
          },
        ]
      : []),
    { Sid: 'Alert', Effect: 'Allow', Action: ['sns:Publish'], Resource: [topicArn] },
    {
      Sid: 'AlertTopicKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [keyArn],
      Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
    },
    {
      Sid: 'ReadState',
      Effect: 'Allow',
      Action: ['ssm:GetParametersByPath'],
      Resource: [arn('ssm', region, account, `parameter${prefix}`), arn('ssm', region, account, `parameter${prefix}/*`)],
    },
    {
      Sid: 'WriteState',
      Effect: 'Allow',
      Action: ['ssm:PutParameter'],
      Resource: [arn('ssm', region, account, `parameter${prefix}/*`)],
    },
    // The state is SecureString (standard tier): Parameter Store encrypts and decrypts with the caller's kms:Encrypt and
    // kms:Decrypt on the region's monitoring key.
    {
      Sid: 'StateKey',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: [keyArn],
      Condition: { StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` } },
    },
    // The run lock (lambda/lag-monitor/lock.ts): read it back, release it.
    {
      Sid: 'RunLock',
      Effect: 'Allow',
      Action: ['ssm:DeleteParameter', 'ssm:GetParameter'],
      Resource: [arn('ssm', region, account, `parameter${lockParameterName(prefix)}`)],
    },
    // routing.arc.readiness: the region's own cell only (cfn-lint IAM data: GetCellReadinessSummary acts on the `cell`
    // resource, arn:${Partition}:route53-recovery-readiness::${Account}:cell/.*). Its report is a String parameter under
    // the state prefix: WriteState and ReadState cover it, and a String needs no key. The monitor tags it with the
    // estate's tags (Tags on create, AddTagsToResource after a rewrite: lambda/lag-monitor/readiness.ts), on that
    // parameter only.
    ...(spec.arcReadiness
      ? [
          {
            Sid: 'ReadReadiness',
            Effect: 'Allow' as const,
            Action: ['route53-recovery-readiness:GetCellReadinessSummary'],
            Resource: [cellArn(account, readinessNames(ctx).cell(region))],
          },
          {
            Sid: 'TagReadinessReport',
            Effect: 'Allow' as const,
            Action: ['ssm:AddTagsToResource'],
            Resource: [arn('ssm', region, account, `parameter${readinessParameterName(prefix)}`)],
          },
        ]
      : []),
    // What each watched primitive's observation needs (kubernetes: the region's node group).
    ...watchedBy(spec).flatMap((w) => w.lagMonitor?.statements(ctx, region, account) ?? []),
    logsStatement(ctx, LAG_MONITOR, region, account),
  ];
}

/** The lag monitor of `region`: code, role, logs, function, and its one-minute EventBridge schedule. */
export function lagMonitor(
  ctx: ComposeContext,
  spec: DRMonitoringSpec,
  region: string,
  observed: ObservedView,
  artifacts: LambdaArtifacts | undefined,
): { resources: DesiredResource[]; events: ComposeEvent[] } {
  const stores = lagStores(ctx, spec, region);
  const keys = lagMonitorKeys(ctx, region);
  const code = codeOf('lag-monitor', artifacts);
  const topic = observedArn(observed, topicKey(region));
  const keyArn = observedArn(observed, keyKey(MONITORING, region));
  const lambda = drplaneLambda(
    ctx,
    {
      purpose: LAG_MONITOR,
      region,
      code,
      vpc: false,
      logRetentionDays: 30,
      statements: (account) =>
        topic !== undefined && keyArn !== undefined ? lagMonitorStatements(ctx, spec, region, account, topic, keyArn) : undefined,
      function: () =>
        topic === undefined || keyArn === undefined
          ? undefined
          : {
              description: `drplane replication-lag monitor of ${ctx.estate.owner.name}-${ctx.estate.environment} in ${region}`,
              runtime: INTERNAL_RUNTIME,
              memoryMb: 256,
              // Under the one-minute schedule; overlapping runs (retries, duplicate deliveries) are kept apart by the
              // run lock in SSM, not by reserved concurrency, which accounts with a low quota refuse (PITFALLS, Lambda).
              timeoutSeconds: 50,
              environment: {
                [LAG_MONITOR_ENV.primaryRegion]: ctx.primary,
                // The Estate dimension of ReadinessReportErrors, the one its alarm reads (monitoring/alarms.ts).
                [LAG_MONITOR_ENV.estate]: ctx.namer.estateId,
                [LAG_MONITOR_ENV.stores]: JSON.stringify(stores),
                [LAG_MONITOR_ENV.topicArn]: topic,
                [LAG_MONITOR_ENV.lagThresholdSeconds]: String(spec.monitoring.replicationLagThresholdSeconds),
                [LAG_MONITOR_ENV.s3LagThresholdSeconds]: String(s3ThresholdSeconds(spec)),
                [LAG_MONITOR_ENV.stateParameterPrefix]: lagStatePrefix(ctx),
                [LAG_MONITOR_ENV.stateKeyArn]: keyArn,
                ...(spec.database ? { [LAG_MONITOR_ENV.globalClusterId]: globalClusterId(ctx) } : {}),
                ...(spec.arcReadiness
                  ? {
                      [LAG_MONITOR_ENV.readinessCell]: readinessNames(ctx).cell(region),
                      [LAG_MONITOR_ENV.reportTags]: JSON.stringify(ctx.tags()),
                    }
                  : {}),
                ...Object.fromEntries(
                  watchedBy(spec).flatMap((w) => Object.entries(w.lagMonitor?.environment(ctx, spec, region) ?? {})),
                ),
              },
            },
    },
    observed,
  );
  const resources = [...lambda.resources];
  resources.push(
    ...eventTrigger(
      ctx,
      {
        purpose: LAG_MONITOR,
        region,
        rule: {
          key: keys.schedule,
          component: 'lag-monitor-schedule',
          name: ctx.namer.name('schedule', LAG_MONITOR, region),
          description: 'Runs the drplane replication-lag monitor every minute',
          when: { scheduleExpression: 'rate(1 minute)' },
        },
        target: { key: keys.target, component: 'lag-monitor-target' },
        permission: { key: keys.permission, statementId: 'EventBridgeSchedule' },
      },
      observed,
    ),
  );
  return { resources, events: lambda.events };
}
