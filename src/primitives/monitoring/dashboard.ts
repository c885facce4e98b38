/**
 * XDRMonitoring's dashboard (primary region): every region through per-metric `region` properties; the replicated
 * stores' metrics from the catalogue (replicated-stores.ts) and the lag monitors' own.
 */
import { DRPLANE_METRICS, lagDimensions } from '../../../lambda/shared/metrics-contract.js';
import type { DRMonitoringSpec } from './schema.js';
import type { ComposeContext } from '../../compose/context.js';
import { lagStores } from '../../compose/lag-monitor.js';
import { replicatedStores, type MetricIdentity } from '../../compose/replicated-stores.js';
import { serviceFunctionName } from '../service/compose.js';
import { HEALTH_METRICS_REGION } from './names.js';

type MetricLine = (string | Record<string, string>)[];

/** The dashboard body: a deterministic JSON document (fixed key order, widgets in a fixed order). */
export function dashboardBody(ctx: ComposeContext, spec: DRMonitoringSpec): string {
  const stores = replicatedStores(ctx, spec);
  const line = (namespace: string, metric: string, dims: Readonly<Record<string, string>>, region: string): MetricLine => [
    namespace,
    metric,
    ...Object.entries(dims).flat(),
    { region },
  ];
  /** A catalogue metric (replicated-stores.ts), in the region that publishes it. */
  const lineOf = (m: MetricIdentity): MetricLine => line(m.namespace, m.metricName, m.dimensions, m.region);
  const widgets: Array<{ title: string; stat: string; metrics: MetricLine[] }> = [];
  if (spec.service) {
    widgets.push(
      {
        title: 'Service errors',
        stat: 'Sum',
        metrics: ctx.regions.map((r) => line('AWS/Lambda', 'Errors', { FunctionName: serviceFunctionName(ctx, r) }, r)),
      },
      {
        title: 'Service invocations',
        stat: 'Sum',
        metrics: ctx.regions.map((r) => line('AWS/Lambda', 'Invocations', { FunctionName: serviceFunctionName(ctx, r) }, r)),
      },
    );
  }
  // Each region's monitor publishes what it observes in its own region.
  const lagLines = ctx.regions.flatMap((r) =>
    lagStores(ctx, spec, r).map((s) =>
      line(DRPLANE_METRICS.namespace, DRPLANE_METRICS.replicationLag, { ...lagDimensions(s) }, r),
    ),
  );
  if (lagLines.length > 0) {
    const metrics = lagLines;
    widgets.push({ title: 'Replication lag, seconds (drplane lag monitor)', stat: 'Maximum', metrics });
  }
  if (stores.aurora.length > 0) {
    // The alarms' query (auroraLagQuery): every dimension set Aurora may publish the lag with.
    const metrics = stores.aurora.map((l, i): MetricLine => [
      { expression: l.lag.query!, label: l.cluster, id: `aurora${i}`, region: l.region },
    ]);
    widgets.push({ title: 'Aurora recovery point lag, ms', stat: 'Maximum', metrics });
  }
  if (stores.tables.length > 0) {
    const metrics = stores.tables.map((l) => lineOf(l.lag));
    widgets.push({ title: 'DynamoDB replication latency, ms', stat: 'Maximum', metrics });
  }
  if (stores.buckets.length > 0) {
    const metrics = stores.buckets.map((l) => lineOf(l.lag));
    widgets.push({ title: 'S3 replication latency, s', stat: 'Maximum', metrics });
  }
  if (spec.routing) {
    const metrics = ctx.regions.map((r) =>
      line('AWS/Route53', 'HealthCheckStatus', { HealthCheckId: spec.healthCheckIds[r]! }, HEALTH_METRICS_REGION),
    );
    widgets.push({ title: 'Route 53 health checks (1 = healthy)', stat: 'Minimum', metrics });
  }
  const header = {
    type: 'text',
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown: `# ${ctx.estate.owner.name}-${ctx.estate.environment}: disaster-recovery estate\nPrimary ${ctx.primary}, active ${ctx.active}${spec.databaseWriterRegion === undefined ? '' : `, database writer ${spec.databaseWriterRegion} (observed)`}, standbys ${ctx.secondaries.join(', ')}.`,
    },
  };
  const body = {
    widgets: [
      header,
      ...widgets.map((w, i) => ({
        type: 'metric',
        x: (i % 2) * 12,
        y: 2 + Math.floor(i / 2) * 6,
        width: 12,
        height: 6,
        properties: {
          title: w.title,
          view: 'timeSeries',
          stacked: false,
          region: ctx.primary,
          stat: w.stat,
          period: 60,
          metrics: w.metrics,
        },
      })),
    ],
  };
  return JSON.stringify(body);
}
