/**
 * CloudWatch Logs: ingestion and storage. Source: the plan's log groups (cloudwatchlogs Group, one per function the
 * estate runs, with their retentionInDays) and the Aurora logs every member cluster exports
 * (enabledCloudwatchLogsExports) into log groups RDS creates itself. Volume: the service's group grows with its
 * requests (assumptions.logs.serviceBytesPerRequest); every other group, and each cluster's exported logs, ingests
 * assumptions.logs.otherGbPerGroup. Storage at steady state holds retention ÷ days-in-a-month months of what a group
 * ingests (× assumptions.logs.storedPerIngestedGb); a group without retention (RDS's own) never expires, and is
 * priced at assumptions.logs.unmanagedRetentionDays (log-pricing.ts).
 *
 * A primitive whose log groups follow a volume of their own prices them itself (its registry entry's `logs` hook:
 * kubernetes' control-plane logs, src/primitives/kubernetes/logs-cost.ts); those lines come first and its groups are
 * left out of the others here.
 */
import { eachPrimitive } from '../../primitives/registry.js';
import { GROUPS, forProvider } from '../inventory.js';
import { line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';
import { logPricing, plural, retentionOf, type OwnLogs } from './log-pricing.js';
import { serviceRequests } from '../../primitives/service/cost.js';

const GB = 1024 ** 3;

function regionLines(ctx: CostContext, region: string, notes: string[], own: readonly OwnLogs[]): PlacedLine[] {
  const groups = ctx.inventory.find({ group: GROUPS.cloudwatchlogs, kind: 'Group', region });
  const isService = (g: (typeof groups)[number]) => ctx.inventory.parent(g)?.kind === 'XRegionalService';
  const service = groups.filter(isService);
  const covered = new Set(own.flatMap((o) => o.groups));
  const other = groups.filter((g) => !isService(g) && !covered.has(g));
  const exports = ctx.inventory
    .find({ group: GROUPS.rds, kind: 'Cluster', region })
    .filter(
      (c) =>
        Array.isArray(forProvider(c).enabledCloudwatchLogsExports) &&
        (forProvider(c).enabledCloudwatchLogsExports as unknown[]).length > 0,
    ).length;
  const { base, retentionText, stored, compression } = logPricing(ctx, region);
  const { serviceBytesPerRequest, otherGbPerGroup } = ctx.assumptions.logs;
  const serviceGb = service.length > 0 ? (serviceRequests(ctx, region) * serviceBytesPerRequest) / GB : 0;
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
    ...own.flatMap((o) => o.lines),
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

/**
 * Every CloudWatch Logs line: per region, what primitives price themselves (their `logs` hooks, in the estate's order),
 * then the service's and the other groups; each hook's note once, after every region's lines.
 */
export function logLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  const own: string[] = [];
  const lines = ctx.regions.flatMap((region) => {
    const groups = ctx.inventory.find({ group: GROUPS.cloudwatchlogs, kind: 'Group', region });
    const shares = eachPrimitive((_, p) => p.logs?.(ctx, region, groups, notes)).filter((o) => o !== undefined);
    for (const o of shares) if (o.note !== undefined && o.lines.length > 0 && !own.includes(o.note)) own.push(o.note);
    return regionLines(ctx, region, notes, shares);
  });
  notes.push(...own);
  return lines;
}
