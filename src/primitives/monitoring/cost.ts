/**
 * CloudWatch alarms, dashboards and custom metrics, and SNS email notifications.
 *
 * Source per item:
 * - Alarms: the plan's MetricAlarms (high resolution when the period is under 60 s; one billed
 *   metric per metric query) and CompositeAlarms.
 * - Dashboards: the plan's Dashboards beyond the free ones.
 * - Custom metrics of the lag monitors: lag-monitor.ts (per region, from each monitor's configuration in the plan).
 * - SNS: spec.monitoring.alertEmails × assumed notifications per region (the topic and
 *   subscriptions themselves are free).
 */
import { GROUPS, forProvider, listField } from '../../estimate/inventory.js';
import { type Basis, line, type PlacedLine } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';

const CW = 'CloudWatch';

/** Alarm counts of one region. */
interface AlarmCounts {
  readonly standardMetrics: number;
  readonly highResMetrics: number;
  readonly composite: number;
  readonly basis: Basis;
}

function alarmsFromPlan(ctx: CostContext, region: string): AlarmCounts {
  let standardMetrics = 0;
  let highResMetrics = 0;
  for (const r of ctx.inventory.find({ group: GROUPS.cloudwatch, kind: 'MetricAlarm', region })) {
    const fp = forProvider(r);
    const queries = listField(fp.metricQuery).filter((q) => q.metric !== undefined);
    const metrics = Math.max(queries.length, 1);
    const period = Number(fp.period ?? listField(queries[0]?.metric)[0]?.period ?? 60);
    if (period < 60) highResMetrics += metrics;
    else standardMetrics += metrics;
  }
  const composite = ctx.inventory.count({ group: GROUPS.cloudwatch, kind: 'CompositeAlarm', region });
  return { standardMetrics, highResMetrics, composite, basis: 'plan' };
}

function alarmLines(ctx: CostContext, region: string): PlacedLine[] {
  const a = alarmsFromPlan(ctx, region);
  const base = { component: CW, region, basis: a.basis };
  return [
    ...(a.standardMetrics > 0
      ? [line({ ...base, item: 'standard-resolution alarm metrics', quantity: a.standardMetrics, priceId: 'alarmStandard' })]
      : []),
    ...(a.highResMetrics > 0
      ? [line({ ...base, item: 'high-resolution alarm metrics', quantity: a.highResMetrics, priceId: 'alarmHighResolution' })]
      : []),
    ...(a.composite > 0 ? [line({ ...base, item: 'composite alarms', quantity: a.composite, priceId: 'alarmComposite' })] : []),
  ];
}

function dashboardLines(ctx: CostContext): PlacedLine[] {
  const dashboards = ctx.inventory.count({ group: GROUPS.cloudwatch, kind: 'Dashboard' });
  const billed = Math.max(dashboards - ctx.assumptions.monitoring.freeDashboards, 0);
  if (billed === 0) return [];
  return [line({ component: CW, region: 'global', basis: 'plan', item: 'dashboards', quantity: billed, priceId: 'dashboard' })];
}

function snsLines(ctx: CostContext, region: string): PlacedLine[] {
  const emails = ctx.inventory
    .find({ group: GROUPS.sns, kind: 'TopicSubscription', region })
    .filter((s) => forProvider(s).protocol === 'email').length;
  if (emails === 0) return [];
  const quantity = (emails * ctx.assumptions.monitoring.notificationsPerMonth) / 100_000;
  return [
    line({
      component: 'SNS',
      region,
      basis: 'plan',
      item: `email notifications (${emails} addresses)`,
      quantity,
      priceId: 'snsEmail',
    }),
  ];
}

/** Every monitoring line (empty without a monitoring section). */
export function monitoringLines(ctx: CostContext): PlacedLine[] {
  if (!ctx.spec.monitoring) return [];
  return [...ctx.regions.flatMap((region) => [...alarmLines(ctx, region), ...snsLines(ctx, region)]), ...dashboardLines(ctx)];
}
