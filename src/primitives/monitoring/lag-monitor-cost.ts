/**
 * The replication-lag monitor (src/compose/lag-monitor.ts): one in every estate region. Its cost is its own runs
 * (Lambda requests and GB-seconds, CloudWatch GetMetricData and PutMetricData) and the ReplicationLagSeconds series it
 * publishes in its region.
 *
 * Source: the plan only. What each region's monitor watches is the DRPLANE_STORES list of its Function (memory and
 * architecture from the same manifest); how often it runs is its Rule's scheduleExpression (a Function without a
 * Rule in the plan is counted at the composed rate, once a minute). A plan without the monitor bills none. The monitor publishes a series for every store except the Aurora cluster that writes (the active region's:
 * it has no lag and the monitor publishes nothing for it), and asks GetMetricData for every store each run.
 *
 * A watched primitive (its watch hook reads the Function's environment: kubernetes' DRPLANE_EKS_CLUSTER) makes the
 * monitor publish series of its own, in the same PutMetricData calls as the lag series (an EKS node group: two,
 * NodeGroupHealthIssues and NodeGroupNodesBelowMinimum).
 */
import type { LagStore } from '../../../lambda/shared/env-contract.js';
import { LAG_MONITOR_ENV } from '../../../lambda/shared/env-contract.js';
import { LABEL } from '../../compose/context.js';
import { secondsPerMonth } from '../../estimate/assumptions.js';
import { forProvider, GROUPS, labelsOf } from '../../estimate/inventory.js';
import { type Basis, line, type PlacedLine } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';
import { watches } from './watches.js';

/** drplane.io/component label of the monitor's Function and of its EventBridge Rule (src/compose/lag-monitor.ts). */
const FUNCTION_COMPONENT = 'lag-monitor-function';
const SCHEDULE_COMPONENT = 'lag-monitor-schedule';
const EVENTS_GROUP = 'cloudwatchevents.aws.upbound.io';
/** Metrics per PutMetricData call the monitor sends (lambda/lag-monitor/index.ts chunks of 20). */
const METRICS_PER_PUT = 20;
/** The rate src/compose/lag-monitor.ts gives the schedule, for a Function whose Rule the plan lacks. */
const COMPOSED_SCHEDULE = 'rate(1 minute)';

/** The monitor of one region as the estimate counts it. */
export interface RegionalLagMonitor {
  readonly region: string;
  /** What it watches (kind and, for the published series, whether it is the writing Aurora cluster). */
  readonly stores: readonly Pick<LagStore, 'type'>[];
  /** Lag series it publishes: every store but the writing Aurora cluster. */
  readonly published: number;
  /** Series it publishes for watched primitives (each one's watch: kubernetes' 2 of a node group), each with what they are. */
  readonly watchSeries: readonly { readonly count: number; readonly what: string }[];
  readonly memoryMb: number;
  readonly arm: boolean;
  readonly schedule: string;
  readonly runsPerMonth: number;
  readonly basis: Basis;
}

/** Seconds between runs of an EventBridge `rate(N unit)` expression; undefined for anything else (cron). */
export function rateSeconds(expression: string): number | undefined {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!m) return undefined;
  const unit = m[2]!.startsWith('minute') ? 60 : m[2]!.startsWith('hour') ? 3600 : 86_400;
  return Number(m[1]) * unit;
}

/** Runs a month of a schedule; a schedule that is not a rate is counted as once a minute (the composed rate). */
function runsPerMonth(ctx: CostContext, schedule: string): number {
  return secondsPerMonth(ctx.assumptions) / (rateSeconds(schedule) ?? 60);
}

const isActiveWriter = (ctx: CostContext, region: string, store: LagStore): boolean =>
  store.type === 'aurora' && store.region === ctx.active && region === ctx.active;

function fromPlan(ctx: CostContext): RegionalLagMonitor[] {
  const rules = ctx.inventory
    .find({ group: EVENTS_GROUP, kind: 'Rule' })
    .filter((r) => labelsOf(r)[LABEL.component] === SCHEDULE_COMPONENT);
  return ctx.inventory
    .find({ group: GROUPS.lambda, kind: 'Function' })
    .filter((r) => labelsOf(r)[LABEL.component] === FUNCTION_COMPONENT)
    .map((fn) => {
      const fp = forProvider(fn);
      const region = String(fp.region ?? fn.region);
      const env = (fp.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {};
      const stores = JSON.parse(env[LAG_MONITOR_ENV.stores] ?? '[]') as LagStore[];
      const rule = rules.find((r) => String(forProvider(r).region ?? r.region) === region);
      const schedule = String(rule ? forProvider(rule).scheduleExpression : COMPOSED_SCHEDULE);
      return {
        region,
        stores,
        published: stores.filter((s) => !isActiveWriter(ctx, region, s)).length,
        watchSeries: watches().flatMap((w) => w.lagMonitor?.series(env) ?? []),
        memoryMb: Number(fp.memorySize ?? 128),
        arm: Array.isArray(fp.architectures) && fp.architectures.includes('arm64'),
        schedule,
        runsPerMonth: runsPerMonth(ctx, schedule),
        basis: 'plan',
      };
    });
}

/**
 * The monitor of every region the plan composes one in that watches stores or a watched primitive (none without a
 * monitoring section).
 */
export function lagMonitors(ctx: CostContext): RegionalLagMonitor[] {
  return fromPlan(ctx).filter((m) => m.stores.length > 0 || m.watchSeries.length > 0);
}

function regionLines(ctx: CostContext, m: RegionalLagMonitor): PlacedLine[] {
  const base = { region: m.region, basis: m.basis };
  const runs = m.runsPerMonth;
  const { lagMonitorDurationMs } = ctx.assumptions.monitoring;
  const watched = m.watchSeries.reduce((n, s) => n + s.count, 0);
  const putsPerRun = Math.ceil((m.published + watched) / METRICS_PER_PUT);
  const puts = runs * putsPerRun;
  return [
    ...(m.published > 0
      ? [
          line({
            ...base,
            component: 'CloudWatch',
            item: `custom metrics: replication lag (${m.published} series published here)`,
            quantity: m.published,
            priceId: 'customMetric',
          }),
        ]
      : []),
    ...m.watchSeries.map((s) =>
      line({ ...base, component: 'CloudWatch', item: `custom metrics: ${s.what}`, quantity: s.count, priceId: 'customMetric' }),
    ),
    line({
      ...base,
      component: 'Lambda',
      item: `lag monitor runs (${m.schedule})`,
      quantity: runs / 1_000_000,
      priceId: 'lambdaRequests',
    }),
    line({
      ...base,
      component: 'Lambda',
      item: `lag monitor compute (${m.memoryMb} MB, ${m.arm ? 'arm64' : 'x86_64'}, ${lagMonitorDurationMs} ms a run)`,
      quantity: runs * (lagMonitorDurationMs / 1000) * (m.memoryMb / 1024),
      priceId: m.arm ? 'lambdaComputeArm' : 'lambdaComputeX86',
    }),
    ...(m.stores.length > 0
      ? [
          line({
            ...base,
            component: 'CloudWatch',
            item: `lag monitor GetMetricData (${m.stores.length} metrics a run)`,
            quantity: (runs * m.stores.length) / 1000,
            priceId: 'cloudwatchGetMetricData',
          }),
        ]
      : []),
    ...(puts > 0
      ? [
          line({
            ...base,
            component: 'CloudWatch',
            item: `lag monitor PutMetricData (${putsPerRun} a run)`,
            quantity: puts / 1000,
            priceId: 'cloudwatchApiRequests',
          }),
        ]
      : []),
  ];
}

/** Every line of the lag monitors: their series, runs and CloudWatch API calls, in each monitor's region. */
export function lagMonitorLines(ctx: CostContext): PlacedLine[] {
  return lagMonitors(ctx).flatMap((m) => regionLines(ctx, m));
}
