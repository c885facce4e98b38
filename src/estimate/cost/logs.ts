/**
 * CloudWatch Logs ingestion. Source: the plan's log groups (cloudwatchlogs Group, one per function the estate
 * runs) and the Aurora logs every member cluster exports (enabledCloudwatchLogsExports). Volume: the service's
 * group grows with its requests (assumptions.logs.serviceBytesPerRequest); every other group, and each cluster's
 * exported logs, ingests assumptions.logs.otherGbPerGroup. Storage of the ingested logs is not priced.
 */
import { forProvider, GROUPS } from '../inventory.js';
import { line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';
import { serviceRequests } from './service.js';

const COMPONENT = 'CloudWatch Logs';
const GB = 1024 ** 3;

function regionLines(ctx: CostContext, region: string): PlacedLine[] {
  const groups = ctx.inventory.find({ group: GROUPS.logs, kind: 'Group', region });
  const service = groups.filter((g) => ctx.inventory.parent(g)?.kind === 'XRegionalService').length;
  const other = groups.length - service;
  const exports = ctx.inventory
    .find({ group: GROUPS.rds, kind: 'Cluster', region })
    .filter(
      (c) =>
        Array.isArray(forProvider(c).enabledCloudwatchLogsExports) &&
        (forProvider(c).enabledCloudwatchLogsExports as unknown[]).length > 0,
    ).length;
  const base = { component: COMPONENT, region, basis: 'plan' as const };
  const { serviceBytesPerRequest, otherGbPerGroup } = ctx.assumptions.logs;
  return [
    ...(service > 0
      ? [
          line({
            ...base,
            item: `ingestion, service logs (${serviceBytesPerRequest} bytes per request)`,
            quantity: (serviceRequests(ctx, region) * serviceBytesPerRequest) / GB,
            priceId: 'logsIngestion',
          }),
        ]
      : []),
    ...(other + exports > 0
      ? [
          line({
            ...base,
            item: `ingestion, ${[
              other > 0 ? `${other} other log group${other === 1 ? '' : 's'}` : '',
              exports > 0 ? `Aurora's exported logs` : '',
            ]
              .filter(Boolean)
              .join(' and ')} (${otherGbPerGroup} GB each)`,
            quantity: (other + exports) * otherGbPerGroup,
            priceId: 'logsIngestion',
          }),
        ]
      : []),
  ];
}

/** Every CloudWatch Logs line. */
export function logLines(ctx: CostContext): PlacedLine[] {
  return ctx.regions.flatMap((region) => regionLines(ctx, region));
}
