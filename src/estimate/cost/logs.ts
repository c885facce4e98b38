/**
 * CloudWatch Logs: ingestion and storage. Source: the plan's log groups (cloudwatchlogs Group, one per function the
 * estate runs, with their retentionInDays) and the Aurora logs every member cluster exports
 * (enabledCloudwatchLogsExports) into log groups RDS creates itself. Volume: the service's group grows with its
 * requests (assumptions.logs.serviceBytesPerRequest); every other group, and each cluster's exported logs, ingests
 * assumptions.logs.otherGbPerGroup. Storage at steady state holds retention ÷ days-in-a-month months of what a group
 * ingests (× assumptions.logs.storedPerIngestedGb); a group without retention (RDS's own) never expires, and is
 * priced at assumptions.logs.unmanagedRetentionDays.
 *
 * An EKS cluster's control-plane log group (`/aws/eks/<cluster>/cluster`, EKS's fixed name) ingests, per cluster, the
 * sum over the log types its planned Cluster enables (enabledClusterLogTypes) of
 * assumptions.kubernetes.controlPlaneLogGbPerMonth: its own stated assumption instead of otherGbPerGroup, since
 * audit logs alone run to GB a month on a quiet cluster. Its storage follows the planned group's retention; a cluster
 * whose group is not in the plan writes to one EKS creates without retention.
 */
import { EXTERNAL_NAME } from '../../compose/context.js';
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

type Planned = Parameters<typeof forProvider>[0];

const externalName = (r: Planned): string | undefined =>
  ((r.manifest.metadata ?? {}) as { annotations?: Record<string, string> }).annotations?.[EXTERNAL_NAME];

/** One EKS cluster's control-plane logs: the types it enables, the GB a month they are assumed to add, its group. */
interface ControlPlaneLogs {
  readonly types: readonly string[];
  readonly gb: number;
  /** The planned log group EKS writes to, if the plan has it. */
  readonly group: Planned | undefined;
}

/**
 * The control-plane logs of each EKS cluster planned in a region (none ingested when it enables no log type: its
 * group stays empty). A type with no assumed volume (one EKS might add) is priced at otherGbPerGroup and noted.
 */
function controlPlaneLogs(ctx: CostContext, region: string, groups: readonly Planned[], notes: string[]): ControlPlaneLogs[] {
  const perType = ctx.assumptions.kubernetes.controlPlaneLogGbPerMonth as Readonly<Record<string, number>>;
  return ctx.inventory.find({ group: GROUPS.eks, kind: 'Cluster', region }).flatMap((c) => {
    const enabled = forProvider(c).enabledClusterLogTypes;
    const types = Array.isArray(enabled) ? enabled.filter((t): t is string => typeof t === 'string') : [];
    const gb = types.reduce((sum, t) => {
      const assumed = perType[t];
      if (assumed !== undefined) return sum + assumed;
      notes.push(
        `EKS control-plane log type ${t} has no assumed volume (assumption kubernetes.controlPlaneLogGbPerMonth); priced at ${ctx.assumptions.logs.otherGbPerGroup} GB a month (logs.otherGbPerGroup).`,
      );
      return sum + ctx.assumptions.logs.otherGbPerGroup;
    }, 0);
    const name = externalName(c);
    const group = name === undefined ? undefined : groups.find((g) => externalName(g) === `/aws/eks/${name}/cluster`);
    return [{ types, gb, group }];
  });
}

function regionLines(ctx: CostContext, region: string, notes: string[]): PlacedLine[] {
  const groups = ctx.inventory.find({ group: GROUPS.cloudwatchlogs, kind: 'Group', region });
  const isService = (g: (typeof groups)[number]) => ctx.inventory.parent(g)?.kind === 'XRegionalService';
  const service = groups.filter(isService);
  const clusters = controlPlaneLogs(ctx, region, groups, notes);
  const eksGroups = new Set(clusters.map((c) => c.group).filter((g) => g !== undefined));
  const eks = clusters.filter((c) => c.types.length > 0);
  const other = groups.filter((g) => !isService(g) && !eksGroups.has(g));
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
  /** EKS control-plane storage by retention (a cluster whose group is not planned: EKS's own, never expiring). */
  const eksByRetention = new Map<number | undefined, { count: number; gb: number }>();
  for (const c of eks) {
    const days = c.group === undefined ? undefined : retentionOf(c.group);
    const seen = eksByRetention.get(days) ?? { count: 0, gb: 0 };
    eksByRetention.set(days, { count: seen.count + 1, gb: seen.gb + c.gb });
  }
  const eksGb = eks.reduce((sum, c) => sum + c.gb, 0);
  const eksTypes = [...new Set(eks.flatMap((c) => c.types))].sort();
  const perCluster = [...new Set(eks.map((c) => c.gb))].map((gb) => `${Number(gb.toFixed(3))} GB`).join(' or ');
  return [
    ...(eks.length > 0
      ? [
          line({
            ...base,
            item: `ingestion, EKS control-plane logs (${plural(eks.length, 'cluster')}; ${eksTypes.join(', ')}: ${perCluster} a month each, assumed)`,
            quantity: eksGb,
            priceId: 'logsIngestion',
          }),
          ...[...eksByRetention.entries()]
            .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
            .map(([days, { count, gb }]) =>
              line({
                ...base,
                item: `storage, EKS control-plane logs (${plural(count, 'cluster')}; ${retentionText(days)}; ${compression})`,
                quantity: stored(gb, days),
                priceId: 'logsStorage',
              }),
            ),
        ]
      : []),
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

/** Every CloudWatch Logs line; `notes` gets the EKS control-plane log assumption when a cluster exports logs. */
export function logLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  const lines = ctx.regions.flatMap((region) => regionLines(ctx, region, notes));
  if (lines.some((l) => l.item.includes('EKS control-plane logs'))) {
    const perType = Object.entries(ctx.assumptions.kubernetes.controlPlaneLogGbPerMonth)
      .map(([t, gb]) => `${t} ${gb}`)
      .join(', ');
    notes.push(
      `EKS control-plane logs are priced at an assumed GB a month per cluster and enabled log type (assumption kubernetes.controlPlaneLogGbPerMonth: ${perType}), ` +
        "an estimate for a quiet cluster, not a published or measured figure; audit logs grow with every API request: measure the group's IncomingBytes and override.",
    );
  }
  return lines;
}
