import { describe, expect, it } from 'vitest';
import { LAG_MONITOR_ENV } from '../../lambda/shared/env-contract.js';
import { requireEstateId } from '../../lambda/shared/env.js';
import { DRPLANE_METRICS, readinessReportDimensions } from '../../lambda/shared/metrics-contract.js';
import { DRMonitoringSpecSchema } from '../../src/api/primitives.js';
import { ComposeContext } from '../../src/compose/context.js';
import { lagStores } from '../../src/compose/lag-monitor.js';
import { liveView } from '../../src/compose/observed.js';
import type { ComposeResult, Manifest } from '../../src/compose/types.js';
import {
  ACCOUNT,
  ID,
  FULL_SPEC,
  TWO_REGION_SPEC,
  byKey,
  composeLive,
  externalName,
  fp,
  keysOf,
  managed,
  nestedOf,
  observedView,
  plan,
  policyOf,
  spec,
  type Observed,
} from './helpers.js';

const topicArn = (r: string) => `arn:aws:sns:${r}:${ACCOUNT}:payments-alerts-prod`;
const keyArn = (r: string) => `arn:aws:kms:${r}:${ACCOUNT}:key/0000-${r}`;
const healthIds = { 'us-east-1': 'hc-use1', 'us-west-2': 'hc-usw2', 'eu-west-1': 'hc-euw1' };

/** The monitoring composite with the health check ids the estate passes once routing reports them. */
function monitoring(estate: object, ids: Record<string, string> = healthIds): Manifest {
  const xr = nestedOf(estate, 'XDRMonitoring');
  return { ...xr, spec: { ...spec(xr), healthCheckIds: ids } };
}
/** Topics and keys observed in these regions. */
const topics = (...regions: string[]): Record<string, Observed> =>
  Object.fromEntries(
    regions.flatMap((r) => [
      [`alerts-topic-${r}`, { ready: true, arn: topicArn(r) }],
      [`kms-monitoring-${r}`, { ready: true, arn: keyArn(r) }],
    ]),
  );
const alarms = (out: ComposeResult) => out.resources.map((r) => r.manifest).filter((m) => m.kind === 'MetricAlarm');

describe('XDRMonitoring', () => {
  it('makes a KMS-encrypted alert topic in every region, and one in us-east-1 for health-check alarms when the estate is elsewhere', () => {
    const euOnly = {
      ...TWO_REGION_SPEC,
      regions: { primary: 'eu-west-1', secondaries: ['eu-central-1'] },
      network: undefined,
      database: undefined,
      failover: undefined,
    };
    const topicRegions = managed(plan(euOnly))
      .filter((m) => m.kind === 'Topic')
      .map((t) => fp(t).region);
    expect(topicRegions).toEqual(['eu-west-1', 'eu-central-1', 'us-east-1']);
    for (const t of managed(plan(FULL_SPEC)).filter((m) => m.kind === 'Topic')) {
      expect(fp(t).kmsMasterKeyId).toBe(`alias/payments-monitoring-prod-${externalName(t)!.split('-').at(-2)}-${ID}`);
    }
  });

  it('subscribes every alert address to every topic by email', () => {
    const subs = managed(plan(FULL_SPEC)).filter((m) => m.kind === 'TopicSubscription');
    expect(subs).toHaveLength(3 * 2);
    for (const s of subs) {
      expect(fp(s).protocol).toBe('email');
      expect(['oncall@example.com', 'sre@example.com']).toContain(fp(s).endpoint);
      expect(fp(s).topicArnSelector.matchLabels['drplane.io/region']).toBe(fp(s).region);
    }
  });

  it('gives every alarm its region topic ARN as alarm and OK action (seed 003), and waits for the ARN before creating alarms', () => {
    expect(alarms(composeLive(monitoring(FULL_SPEC), liveView({})))).toEqual([]);
    const out = composeLive(monitoring(FULL_SPEC), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
    expect(alarms(out).length).toBeGreaterThan(10);
    for (const a of alarms(out)) {
      expect(fp(a).alarmActions, externalName(a)).toEqual([topicArn(fp(a).region)]);
      expect(fp(a).okActions).toEqual([topicArn(fp(a).region)]);
      expect(fp(a).actionsEnabled).toBe(true);
    }
    const partial = composeLive(monitoring(FULL_SPEC), observedView(topics('us-east-1')));
    expect(new Set(alarms(partial).map((a) => fp(a).region))).toEqual(new Set(['us-east-1']));
  });

  it("alarms on Aurora RPO lag of every member cluster in its region (the primary's reports only after a failover), in milliseconds of the claimed threshold", () => {
    const out = composeLive(monitoring(FULL_SPEC), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
    const code = { 'us-east-1': 'use1', 'us-west-2': 'usw2', 'eu-west-1': 'euw1' } as const;
    for (const s of ['us-east-1', 'us-west-2', 'eu-west-1'] as const) {
      const a = fp(byKey(out, `alarm-aurora-rpo-lag-${s}`));
      expect(a).toMatchObject({
        region: s,
        threshold: 5000,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
      });
      // A Metrics Insights query: every dimension set that names the cluster (Aurora's is not pinned by AWS).
      expect(a.metricQuery).toEqual([
        {
          id: 'q',
          expression: `SELECT MAX(AuroraGlobalDBRPOLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = 'payments-aurora-prod-${code[s]}-${ID}'`,
          period: 60,
          returnData: true,
        },
      ]);
      for (const field of ['namespace', 'metricName', 'dimensions', 'statistic', 'period']) expect(a).not.toHaveProperty(field);
    }
  });

  it('a failed-over claim (activeRegion us-west-2): replication from us-west-2 to every other region is alarmed there, and the lag monitor reads it', () => {
    const failedOver = { ...FULL_SPEC, activeRegion: 'us-west-2' };
    const out = composeLive(monitoring(failedOver), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
    for (const to of ['us-east-1', 'eu-west-1']) {
      expect(fp(byKey(out, `alarm-dynamodb-lag-transactions-${to}-from-us-west-2`))).toMatchObject({
        region: 'us-west-2',
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensions: { TableName: `payments-transactions-prod-${ID}`, ReceivingRegion: to },
        alarmActions: [topicArn('us-west-2')],
      });
      // S3 publishes ReplicationLatency in the destination bucket's region, OperationsFailedReplication in the source's.
      const lag = fp(byKey(out, `alarm-s3-latency-documents-${to}-from-us-west-2`));
      expect(lag).toMatchObject({ region: to, namespace: 'AWS/S3', metricName: 'ReplicationLatency' });
      expect(lag.dimensions).toMatchObject({
        RuleId: `to-${to}`,
        SourceBucket: expect.stringMatching(/^payments-documents-prod-usw2-/),
        DestinationBucket: expect.stringMatching(new RegExp(`^payments-documents-prod-${to === 'us-east-1' ? 'use1' : 'euw1'}-`)),
      });
      expect(fp(byKey(out, `alarm-s3-failed-documents-${to}-from-us-west-2`))).toMatchObject({
        region: 'us-west-2',
        metricName: 'OperationsFailedReplication',
      });
    }
    // The old primary is a secondary now: its recovery point is watched.
    expect(fp(byKey(out, 'alarm-aurora-rpo-lag-us-east-1'))).toMatchObject({
      region: 'us-east-1',
      metricQuery: [
        {
          expression: `SELECT MAX(AuroraGlobalDBRPOLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = 'payments-aurora-prod-use1-${ID}'`,
        },
      ],
    });
    // Every direction of every table and bucket: 3 regions x 2 receivers.
    const lagAlarms = alarms(out).filter((a) => fp(a).metricName === 'ReplicationLatency');
    expect(lagAlarms.filter((a) => fp(a).namespace === 'AWS/DynamoDB')).toHaveLength(6);
    expect(lagAlarms.filter((a) => fp(a).namespace === 'AWS/S3')).toHaveLength(6);
  });

  it('runs a lag monitor in every region, each reading what its region observes: its own Aurora cluster, and its tables and buckets toward every other region', () => {
    const resources = managed(plan(FULL_SPEC));
    const fns = resources.filter((m) => m.kind === 'Function' && externalName(m)!.startsWith('payments-lag-monitor'));
    expect(fns.map((f) => fp(f).region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    const code = { 'us-east-1': 'use1', 'us-west-2': 'usw2', 'eu-west-1': 'euw1' } as const;
    for (const fn of fns) {
      const region = fp(fn).region as string;
      const others = ['us-east-1', 'us-west-2', 'eu-west-1'].filter((r) => r !== region);
      const env = fp(fn).environment.variables;
      expect(env[LAG_MONITOR_ENV.globalClusterId]).toBe(`payments-global-prod-${ID}`);
      const stores = JSON.parse(env[LAG_MONITOR_ENV.stores]);
      expect(stores.filter((st: { type: string }) => st.type === 'aurora')).toEqual([
        {
          type: 'aurora',
          region,
          clusterIdentifier: `payments-aurora-prod-${code[region as keyof typeof code]}-${ID}`,
          metric: 'AuroraGlobalDBRPOLag',
        },
      ]);
      expect(stores.filter((st: { type: string }) => st.type === 'dynamodb')).toEqual(
        others.map((to) => ({
          type: 'dynamodb',
          tableName: `payments-transactions-prod-${ID}`,
          receivingRegion: to,
          sourceRegion: region,
        })),
      );
      expect(
        stores
          .filter((st: { type: string }) => st.type === 's3')
          .map(
            (st: { region: string; sourceRegion: string; ruleId: string; sourceBucket: string; destinationBucket: string }) => [
              st.region,
              st.sourceRegion,
              st.ruleId,
              st.sourceBucket.split('-')[3],
              st.destinationBucket.split('-')[3],
            ],
          ),
        // Inbound rules, read where S3 publishes their ReplicationLatency: the destination bucket's region, this one.
      ).toEqual(
        others.map((from) => [region, from, `to-${region}`, code[from as keyof typeof code], code[region as keyof typeof code]]),
      );
    }
    // The same estate after a failover (activeRegion, or the writer observed elsewhere) watches the same things:
    // nothing the monitors read depends on where the writes go.
    const failedOver = managed(plan({ ...FULL_SPEC, activeRegion: 'us-west-2' })).filter(
      (m) => m.kind === 'Function' && externalName(m)!.startsWith('payments-lag-monitor'),
    );
    expect(failedOver.map((f) => fp(f).environment.variables[LAG_MONITOR_ENV.stores])).toEqual(
      fns.map((f) => fp(f).environment.variables[LAG_MONITOR_ENV.stores]),
    );
    const xr = monitoring(FULL_SPEC);
    const moved = DRMonitoringSpecSchema.parse({ ...spec(xr), databaseWriterRegion: 'us-west-2' });
    const ctx = new ComposeContext(moved);
    expect(
      lagStores(ctx, moved, 'us-west-2')
        .filter((st) => st.type !== 'aurora')
        .map((st) => (st.type === 's3' ? st.region : st.sourceRegion)),
    ).toEqual(['us-west-2', 'us-west-2', 'us-west-2', 'us-west-2']);
    expect(
      lagStores(ctx, moved, 'us-west-2')
        .filter((st) => st.type === 's3')
        .map((st) => st.ruleId),
    ).toEqual(['to-us-west-2', 'to-us-west-2']);
  });

  it('alarms on DynamoDB replication per table and receiving region in the primary, and per S3 rule on latency in the destination region and failures in the source region', () => {
    const out = composeLive(monitoring(FULL_SPEC), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
    for (const s of ['us-west-2', 'eu-west-1']) {
      expect(fp(byKey(out, `alarm-dynamodb-lag-transactions-${s}`))).toMatchObject({
        region: 'us-east-1',
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensions: { TableName: `payments-transactions-prod-${ID}`, ReceivingRegion: s },
        threshold: 5000,
      });
      const lag = fp(byKey(out, `alarm-s3-latency-documents-${s}`));
      expect(lag).toMatchObject({ region: s, namespace: 'AWS/S3', metricName: 'ReplicationLatency', threshold: 900 });
      expect(lag.dimensions).toMatchObject({
        RuleId: `to-${s}`,
        SourceBucket: expect.stringMatching(/^payments-documents-prod-use1-/),
      });
      expect(fp(byKey(out, `alarm-s3-failed-documents-${s}`))).toMatchObject({
        region: 'us-east-1',
        metricName: 'OperationsFailedReplication',
        statistic: 'Sum',
        threshold: 0,
      });
    }
  });

  it('watches AuroraGlobalDBReplicationLag, not the RPO lag it does not publish, for Aurora MySQL below 3.04.0 (alarms, monitors, dashboard)', () => {
    const metricsOf = (version: string) => {
      const estate = { ...FULL_SPEC, database: { engine: 'aurora-mysql', engineVersion: version, databaseName: 'transactions' } };
      const out = composeLive(monitoring(estate), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
      const rds = alarms(out).filter((a) => / FROM "AWS\/RDS" /.test(fp(a).metricQuery?.[0]?.expression ?? ''));
      const fns = managed(plan(estate)).filter(
        (m) => m.kind === 'Function' && externalName(m)!.startsWith('payments-lag-monitor'),
      );
      const monitored = fns.flatMap((f) =>
        JSON.parse(fp(f).environment.variables[LAG_MONITOR_ENV.stores])
          .filter((st: { type: string }) => st.type === 'aurora')
          .map((st: { metric: string }) => st.metric),
      );
      const dashboard = out.resources.map((r) => r.manifest).find((m) => m.kind === 'Dashboard')!;
      const alarmed = [...new Set(rds.map((a) => /^SELECT MAX\((\w+)\)/.exec(fp(a).metricQuery[0].expression)?.[1]))];
      return { alarmed, rdsAlarms: rds.length, monitored, dashboard };
    };
    const old = metricsOf('8.0.mysql_aurora.3.03.3');
    expect(old).toMatchObject({ alarmed: ['AuroraGlobalDBReplicationLag'], rdsAlarms: 3 });
    expect(old.monitored).toEqual([
      'AuroraGlobalDBReplicationLag',
      'AuroraGlobalDBReplicationLag',
      'AuroraGlobalDBReplicationLag',
    ]);
    expect(fp(old.dashboard).dashboardBody).toContain('SELECT MAX(AuroraGlobalDBReplicationLag) FROM \\"AWS/RDS\\"');
    expect(fp(old.dashboard).dashboardBody).not.toContain('AuroraGlobalDBRPOLag');
    const recent = metricsOf('8.0.mysql_aurora.3.04.0');
    expect(recent).toMatchObject({ alarmed: ['AuroraGlobalDBRPOLag'], rdsAlarms: 3 });
    expect(recent.monitored).toEqual(['AuroraGlobalDBRPOLag', 'AuroraGlobalDBRPOLag', 'AuroraGlobalDBRPOLag']);
  });

  it('alarms on service errors and throttles in every region', () => {
    const out = composeLive(monitoring(FULL_SPEC), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
    for (const r of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      for (const metric of ['errors', 'throttles']) {
        expect(fp(byKey(out, `alarm-service-${metric}-${r}`))).toMatchObject({
          region: r,
          namespace: 'AWS/Lambda',
          dimensions: { FunctionName: expect.stringMatching(/^payments-service-prod-/) },
        });
      }
    }
  });

  it('keeps every Route 53 HealthCheckStatus alarm in us-east-1, whatever the estate regions', () => {
    const euOnly = {
      ...TWO_REGION_SPEC,
      regions: { primary: 'eu-west-1', secondaries: ['eu-central-1'] },
      network: undefined,
      database: undefined,
      failover: undefined,
    };
    const out = composeLive(
      monitoring(euOnly, { 'eu-west-1': 'hc-1', 'eu-central-1': 'hc-2' }),
      observedView(topics('eu-west-1', 'eu-central-1', 'us-east-1')),
    );
    const health = alarms(out).filter((a) => fp(a).metricName === 'HealthCheckStatus');
    expect(health.map((a) => fp(a).dimensions.HealthCheckId).sort()).toEqual(['hc-1', 'hc-2']);
    for (const a of health)
      expect(fp(a)).toMatchObject({
        region: 'us-east-1',
        namespace: 'AWS/Route53',
        alarmActions: [topicArn('us-east-1')],
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
      });
  });

  it('sums up the primary region in an estate-at-risk composite alarm of existing alarms only, with actions', () => {
    const observed = topics('us-east-1', 'us-west-2', 'eu-west-1');
    expect(keysOf(composeLive(monitoring(FULL_SPEC), observedView(observed)))).not.toContain('estate-at-risk');
    const first = composeLive(monitoring(FULL_SPEC), observedView(observed));
    const primaryAlarms = first.resources.filter((r) => r.manifest.kind === 'MetricAlarm' && r.region === 'us-east-1');
    const ready = Object.fromEntries(primaryAlarms.map((a) => [a.key, { ready: true }]));
    const out = composeLive(monitoring(FULL_SPEC), observedView({ ...observed, ...ready }));
    const composite = fp(byKey(out, 'estate-at-risk'));
    expect(composite).toMatchObject({
      region: 'us-east-1',
      alarmActions: [topicArn('us-east-1')],
      okActions: [topicArn('us-east-1')],
    });
    expect(composite.alarmRule.split(' OR ')).toEqual(primaryAlarms.map((a) => `ALARM("${externalName(a.manifest)}")`));
    // A composite alarm can reference only alarms of its own region.
    expect(composite.alarmRule).not.toMatch(/usw2"\)|euw1"\)/);
  });

  it('writes the monitoring key policy once the key ARN shows the account: CloudWatch may encrypt to the topic', () => {
    const before = composeLive(monitoring(FULL_SPEC), liveView({}));
    expect(fp(byKey(before, 'kms-monitoring-us-east-1')).policy).toBeUndefined();
    const out = composeLive(monitoring(FULL_SPEC), observedView(topics('us-east-1')));
    const policy = policyOf(byKey(out, 'kms-monitoring-us-east-1'));
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:*'] }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it('draws one cross-region dashboard with a deterministic body, once the health check ids are known', () => {
    expect(keysOf(composeLive(monitoring(FULL_SPEC, {}), liveView({})))).not.toContain('dashboard');
    const a = fp(byKey(composeLive(monitoring(FULL_SPEC), liveView({})), 'dashboard'));
    const b = fp(byKey(composeLive(monitoring(FULL_SPEC), liveView({})), 'dashboard'));
    expect(a.dashboardBody).toBe(b.dashboardBody);
    expect(a.region).toBe('us-east-1');
    const body = JSON.parse(a.dashboardBody);
    const regionsShown = new Set(
      body.widgets.flatMap((w: any) =>
        (w.properties.metrics ?? []).map((m: unknown[]) => (m.at(-1) as { region: string }).region),
      ),
    );
    expect(regionsShown).toEqual(new Set(['us-east-1', 'us-west-2', 'eu-west-1']));
    expect(body.widgets.map((w: any) => w.properties.title).filter(Boolean)).toContain('Route 53 health checks (1 = healthy)');
  });

  it('runs each lag monitor every minute, under a minute, without reserved concurrency, with the LAG_MONITOR_ENV contract and the S3 threshold', () => {
    const resources = managed(plan(FULL_SPEC));
    const fns = resources.filter((m) => m.kind === 'Function' && externalName(m)!.startsWith('payments-lag-monitor'));
    expect(fns).toHaveLength(3);
    for (const fn of fns) {
      expect(fp(fn)).toMatchObject({ timeout: 50, architectures: ['arm64'], handler: 'index.handler' });
      // Accounts with a low concurrency quota refuse any reservation; the run lock in SSM keeps runs apart.
      expect(fp(fn)).not.toHaveProperty('reservedConcurrentExecutions');
      const env = fp(fn).environment.variables;
      // Every variable but the readiness cell and the report's tags, which only an estate with routing.arc.readiness
      // sets (readiness-status.test.ts), and the node group's, which only an estate with a cluster sets (its minimum
      // once the group's Auto Scaling group is known: node-health.test.ts).
      const only = [
        LAG_MONITOR_ENV.readinessCell,
        LAG_MONITOR_ENV.reportTags,
        LAG_MONITOR_ENV.eksCluster,
        LAG_MONITOR_ENV.eksNodegroup,
        LAG_MONITOR_ENV.eksNodegroupMinimum,
      ] as string[];
      expect(Object.keys(env).sort()).toEqual(
        Object.values(LAG_MONITOR_ENV)
          .filter((v) => !only.includes(v))
          .sort(),
      );
      expect(env[LAG_MONITOR_ENV.stateParameterPrefix]).toMatch(/^\/drplane\/e[0-9a-f]{7}\/lag-state$/);
      // the region's monitoring key, whose ARN the plan shows as a placeholder until it is observed
      expect(env[LAG_MONITOR_ENV.stateKeyArn]).toMatch(/^<.+>$|^arn:aws:kms:/);
      expect(env[LAG_MONITOR_ENV.lagThresholdSeconds]).toBe('5');
      // S3 lag is compared with Replication Time Control's 15 minutes, like the S3 alarms, not with 5 s.
      expect(env[LAG_MONITOR_ENV.s3LagThresholdSeconds]).toBe('900');
    }
    const rules = resources.filter(
      (m) =>
        m.kind === 'Rule' && externalName(m)!.startsWith('payments-lag-monitor') && fp(m).scheduleExpression === 'rate(1 minute)',
    );
    expect(rules.map((r) => fp(r).region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
  });

  it('with a claimed threshold above 15 minutes, S3 uses it too (monitor and alarms agree)', () => {
    const slow = { ...FULL_SPEC, monitoring: { ...FULL_SPEC.monitoring, replicationLagThresholdSeconds: 1200 } };
    const fn = managed(plan(slow)).find((m) => m.kind === 'Function' && externalName(m)!.startsWith('payments-lag-monitor'))!;
    expect(fp(fn).environment.variables[LAG_MONITOR_ENV.s3LagThresholdSeconds]).toBe('1200');
    const out = composeLive(monitoring(slow), observedView(topics('us-east-1', 'us-west-2', 'eu-west-1')));
    expect(fp(byKey(out, 'alarm-s3-latency-documents-us-west-2')).threshold).toBe(1200);
  });

  it('invokes the lag monitor from its rule only: a Target with the function ARN and a Permission for the rule ARN', () => {
    const xr = monitoring(FULL_SPEC);
    const fnArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-lag-monitor-prod-use1-${ID}`;
    const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/payments-lag-monitor-prod-use1-${ID}`;
    expect(keysOf(composeLive(xr, liveView({})))).not.toContain('lag-monitor-target');
    const out = composeLive(
      xr,
      observedView({
        'lag-monitor-function-us-east-1': { ready: true, arn: fnArn },
        'lag-monitor-schedule': { ready: true, arn: ruleArn },
      }),
    );
    expect(fp(byKey(out, 'lag-monitor-target'))).toMatchObject({ arn: fnArn, targetId: 'lag-monitor' });
    expect(fp(byKey(out, 'lag-monitor-schedule-permission'))).toMatchObject({
      principal: 'events.amazonaws.com',
      action: 'lambda:InvokeFunction',
      sourceArn: ruleArn,
    });
  });

  it("a standby region's monitor: its own schedule, target, permission, role policy on its own topic, and Errors alarm", () => {
    const fnArn = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:payments-lag-monitor-prod-euw1-${ID}`;
    const ruleArn = `arn:aws:events:eu-west-1:${ACCOUNT}:rule/payments-lag-monitor-prod-euw1-${ID}`;
    const out = composeLive(
      monitoring(FULL_SPEC),
      observedView({
        ...topics('us-east-1', 'us-west-2', 'eu-west-1'),
        'lag-monitor-function-eu-west-1': { ready: true, arn: fnArn },
        'lag-monitor-schedule-eu-west-1': { ready: true, arn: ruleArn },
        'lag-monitor-role-eu-west-1': { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/payments-lag-monitor-prod-euw1` },
      }),
    );
    expect(fp(byKey(out, 'lag-monitor-schedule-eu-west-1'))).toMatchObject({
      region: 'eu-west-1',
      scheduleExpression: 'rate(1 minute)',
    });
    expect(fp(byKey(out, 'lag-monitor-target-eu-west-1'))).toMatchObject({ region: 'eu-west-1', arn: fnArn });
    expect(fp(byKey(out, 'lag-monitor-schedule-permission-eu-west-1'))).toMatchObject({ sourceArn: ruleArn });
    const policy = policyOf(byKey(out, 'lag-monitor-policy-eu-west-1'));
    const bySid = Object.fromEntries(policy.Statement.map((st) => [st.Sid, st]));
    expect(bySid.Alert).toMatchObject({ Resource: [topicArn('eu-west-1')] });
    expect(bySid.WriteState.Resource[0]).toMatch(new RegExp(`^arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/drplane/`));
    expect(fp(byKey(out, 'alarm-lag-monitor-errors-eu-west-1'))).toMatchObject({
      region: 'eu-west-1',
      metricName: 'Errors',
      dimensions: { FunctionName: `payments-lag-monitor-prod-euw1-${ID}` },
      alarmActions: [topicArn('eu-west-1')],
    });
    // The primary's keep their keys.
    expect(fp(byKey(out, 'alarm-lag-monitor-errors'))).toMatchObject({ region: 'us-east-1' });
  });

  it('lets the lag monitor read metrics, write its drplane metric and state, and alert, nothing more', () => {
    const out = composeLive(
      monitoring(FULL_SPEC),
      observedView({
        ...topics('us-east-1'),
        'lag-monitor-role-us-east-1': { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/payments-lag-monitor-prod-use1` },
      }),
    );
    const policy = policyOf(byKey(out, 'lag-monitor-policy-us-east-1'));
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.ReadReplicationMetrics).toMatchObject({
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
      Resource: ['*'],
    });
    expect(bySid.PublishLagMetric).toMatchObject({
      Action: ['cloudwatch:PutMetricData'],
      Condition: { StringEquals: { 'cloudwatch:namespace': 'drplane' } },
    });
    expect(bySid.Alert).toMatchObject({ Action: ['sns:Publish'], Resource: [topicArn('us-east-1')] });
    // Who writes now: DescribeGlobalClusters on the estate's global cluster only.
    expect(bySid.FindWriter).toEqual({
      Sid: 'FindWriter',
      Effect: 'Allow',
      Action: ['rds:DescribeGlobalClusters'],
      Resource: [`arn:aws:rds::${ACCOUNT}:global-cluster:payments-global-prod-${ID}`],
    });
    expect(bySid.WriteState.Resource).toEqual([
      expect.stringMatching(new RegExp(`^arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/drplane/e[0-9a-f]{7}/lag-state/\\*$`)),
    ]);
    // SecureString state: Parameter Store encrypts and decrypts with the caller's rights on the monitoring key only
    expect(bySid.StateKey).toMatchObject({
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } },
    });
    expect(bySid.StateKey.Resource).toEqual([bySid.AlertTopicKey.Resource[0]]);
    expect(bySid.RunLock).toMatchObject({ Action: ['ssm:DeleteParameter', 'ssm:GetParameter'] });
    expect(bySid.RunLock.Resource).toEqual([
      expect.stringMatching(new RegExp(`^arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/drplane/e[0-9a-f]{7}/lag-state/lock$`)),
    ]);
  });
  it("alarms on each region's readiness report failures only with ARC readiness checks: 15 minutes without a successful report, no data left missing", () => {
    const withReadiness = { ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { readiness: true } } };
    const observed = observedView(topics('us-east-1', 'us-west-2', 'eu-west-1'));
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
    for (const r of regions) {
      const out = composeLive(monitoring(withReadiness), observed);
      const alarm = fp(byKey(out, `alarm-readiness-report-errors-${r}`));
      // The series the region's lag monitor publishes (index.ts: readinessReportDimensions of its config), from the
      // rendered Function's environment as the Lambda reads it: the estate's own, in its region.
      const fn = managed(plan(withReadiness)).find(
        (m) => m.kind === 'Function' && externalName(m)!.startsWith('payments-lag-monitor') && fp(m).region === r,
      )!;
      const vars = fp(fn).environment.variables as Record<string, string>;
      // (config.ts reads DRPLANE_ESTATE with requireEstateId; the monitor's region is the Function's.)
      expect(fp(fn).region).toBe(r);
      expect(alarm.dimensions).toEqual(readinessReportDimensions(requireEstateId(vars, LAG_MONITOR_ENV.estate), r));
      expect(alarm).toEqual({
        region: r,
        alarmDescription: expect.stringContaining(`status.regions.${r}.readiness turns stale`),
        namespace: 'drplane',
        metricName: 'ReadinessReportErrors',
        dimensions: { Estate: ID, Region: r },
        statistic: 'Minimum',
        period: 300,
        evaluationPeriods: 3,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
        actionsEnabled: true,
        alarmActions: [topicArn(r)],
        okActions: [topicArn(r)],
        tags: expect.any(Object),
      });
    }
    // The metric the lag monitor publishes in its region, by the same names.
    expect(DRPLANE_METRICS).toMatchObject({ namespace: 'drplane', readinessReportErrors: 'ReadinessReportErrors' });
    // Another claim in the same account and regions: its own series, so neither estate's failures reach the other's alarm.
    const xr = monitoring(withReadiness);
    const other = composeLive({ ...xr, spec: { ...spec(xr), owner: { ...spec(xr).owner, name: 'billing' } } }, observed);
    const own = fp(byKey(composeLive(xr, observed), 'alarm-readiness-report-errors-us-east-1')).dimensions;
    const theirs = fp(byKey(other, 'alarm-readiness-report-errors-us-east-1')).dimensions;
    expect(theirs.Region).toBe(own.Region);
    expect(theirs.Estate).toMatch(/^e[0-9a-f]{7}$/);
    expect(theirs.Estate).not.toBe(own.Estate);
    const without = [
      FULL_SPEC,
      { ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } },
      { ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { readiness: false } } },
    ];
    for (const estate of without)
      expect(keysOf(composeLive(monitoring(estate), observed)).filter((k) => k.startsWith('alarm-readiness-report'))).toEqual([]);
  });
});
