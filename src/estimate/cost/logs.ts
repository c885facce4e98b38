/**
 * CloudWatch Logs: ingestion and storage. Source: the plan's log groups (cloudwatchlogs Group, one per function the
 * estate runs, with their retentionInDays) and the Aurora logs every member cluster exports
 * (enabledCloudwatchLogsExports) into log groups RDS creates itself. Volume: the service's group grows with its
 * requests (assumptions.logs.serviceBytesPerRequest); every other group, and each cluster's exported logs, ingests
 * assumptions.logs.otherGbPerGroup. Storage at steady state holds retention ÷ days-in-a-month months of what a group
 * ingests (× assumptions.logs.storedPerIngestedGb); a group without retention (RDS's own) never expires, and is
 * priced at assumptions.logs.unmanagedRetentionDays.
 */
import { daysPerMonth } from '../assumptions.js';
import { forProvider, GROUPS } from '../inventory.js';
import { line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';
import { serviceRequests } from '../../primitives/service/cost.js';

const COMPONENT = 'CloudWatch Logs';
const GB = 1024 ** 3;

/** Days a planned log group keeps its logs (undefined: never expires). */
function retentionOf(group: Parameters<typeof forProvider>[0]): number | undefined {
  const days = Number(forProvider(group).retentionInDays);
  return Number.isFinite(days) && days > 0 ? days : undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function regionLines(ctx: CostContext, region: string): PlacedLine[] {
  const groups = ctx.inventory.find({ group: GROUPS.cloudwatchlogs, kind: 'Group', region });
  const isService = (g: (typeof groups)[number]) => ctx.inventory.parent(g)?.kind === 'XRegionalService';
  const service = groups.filter(isService);
  const other = groups.filter((g) => !isService(g));
  const exports = ctx.inventory
    .find({ group: GROUPS.rds, kind: 'Cluster', region })
    .filter(
      (c) =>
        Array.isArray(forProvider(c).enabledCloudwatchLogsExports) &&
        (forProvider(c).enabledCloudwatchLogsExports as unknown[]).length > 0,
    ).length;
  const base = { component: COMPONENT, region, basis: 'plan' as const };
  const { serviceBytesPerRequest, otherGbPerGroup, unmanagedRetentionDays, storedPerIngestedGb } = ctx.assumptions.logs;
  const month = daysPerMonth(ctx.assumptions);
  const serviceGb = service.length > 0 ? (serviceRequests(ctx, region) * serviceBytesPerRequest) / GB : 0;
  const kept = (days: number | undefined) => days ?? unmanagedRetentionDays;
  const retentionText = (days: number | undefined) =>
    days === undefined ? `never expire: ${unmanagedRetentionDays} days kept assumed` : `${days}-day retention`;
  const stored = (gb: number, days: number | undefined) => (gb * storedPerIngestedGb * kept(days)) / month;
  const compression = storedPerIngestedGb === 1 ? 'no compression assumed' : `${storedPerIngestedGb} GB stored per GB ingested`;
  const otherLabel = [
    other.length > 0 ? plural(other.length, 'other log group') : '',
    exports > 0 ? `Aurora's exported logs` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const serviceDays = service.map(retentionOf)[0];
  /** Other groups by retention (plan groups with theirs, RDS's groups without one). */
  const byRetention = new Map<number | undefined, number>();
  for (const g of other) byRetention.set(retentionOf(g), (byRetention.get(retentionOf(g)) ?? 0) + 1);
  if (exports > 0) byRetention.set(undefined, (byRetention.get(undefined) ?? 0) + exports);
  const storage = [...byRetention.entries()]
    .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
    .map(([days, count]) =>
      line({
        ...base,
        item: `storage, ${days === undefined && exports > 0 ? (count > exports ? `${plural(count - exports, 'log group')} and Aurora's exported logs` : "Aurora's exported logs") : plural(count, 'other log group')} (${retentionText(days)}; ${compression})`,
        quantity: stored(count * otherGbPerGroup, days),
        priceId: 'logsStorage',
      }),
    );
  return [
    ...(service.length > 0
      ? [
          line({
            ...base,
            item: `ingestion, service logs (${serviceBytesPerRequest} bytes per request)`,
            quantity: serviceGb,
            priceId: 'logsIngestion',
          }),
          line({
            ...base,
            item: `storage, service logs (${retentionText(serviceDays)}; ${compression})`,
            quantity: stored(serviceGb, serviceDays),
            priceId: 'logsStorage',
          }),
        ]
      : []),
    ...(other.length + exports > 0
      ? [
          line({
            ...base,
            item: `ingestion, ${otherLabel} (${otherGbPerGroup} GB each)`,
            quantity: (other.length + exports) * otherGbPerGroup,
            priceId: 'logsIngestion',
          }),
          ...storage,
        ]
      : []),
  ];
}

/** Every CloudWatch Logs line. */
export function logLines(ctx: CostContext): PlacedLine[] {
  return ctx.regions.flatMap((region) => regionLines(ctx, region));
}
