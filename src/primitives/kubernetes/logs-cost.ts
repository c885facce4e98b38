/**
 * EKS control-plane logs, priced by the kubernetes primitive itself (its `logs` hook; the estate-wide CloudWatch Logs
 * lines, src/estimate/cost/logs.ts, leave its groups out). Source: the plan. A cluster's control-plane log group
 * (`/aws/eks/<cluster>/cluster`, EKS's fixed name) ingests the sum over the log types its planned Cluster enables
 * (enabledClusterLogTypes) of assumptions.kubernetes.controlPlaneLogGbPerMonth: its own stated assumption instead of
 * logs.otherGbPerGroup, since audit logs alone run to GB a month on a quiet cluster. Its storage follows the planned
 * group's retention; a cluster whose group is not in the plan writes to one EKS creates without retention.
 */
import { forProvider, GROUPS } from '../../estimate/inventory.js';
import { line } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';
import { externalName, logPricing, plural, retentionOf, type OwnLogs, type Planned } from '../../estimate/cost/log-pricing.js';

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

/** The note on the assumed control-plane log volume, once an estimate has such lines. */
function assumptionNote(ctx: CostContext): string {
  const perType = Object.entries(ctx.assumptions.kubernetes.controlPlaneLogGbPerMonth)
    .map(([t, gb]) => `${t} ${gb}`)
    .join(', ');
  return (
    `EKS control-plane logs are priced at an assumed GB a month per cluster and enabled log type (assumption kubernetes.controlPlaneLogGbPerMonth: ${perType}), ` +
    "an estimate for a quiet cluster, not a published or measured figure; audit logs grow with every API request: measure the group's IncomingBytes and override."
  );
}

/** A region's EKS control-plane log lines (ingestion, then storage by retention) and the planned groups they cover. */
export function controlPlaneLogLines(ctx: CostContext, region: string, groups: readonly Planned[], notes: string[]): OwnLogs {
  const clusters = controlPlaneLogs(ctx, region, groups, notes);
  const covered = clusters.flatMap((c) => (c.group === undefined ? [] : [c.group]));
  const eks = clusters.filter((c) => c.types.length > 0);
  if (eks.length === 0) return { groups: covered, lines: [] };
  const { base, retentionText, stored, compression } = logPricing(ctx, region);
  /** Storage by retention (a cluster whose group is not planned: EKS's own, never expiring). */
  const byRetention = new Map<number | undefined, { count: number; gb: number }>();
  for (const c of eks) {
    const days = c.group === undefined ? undefined : retentionOf(c.group);
    const seen = byRetention.get(days) ?? { count: 0, gb: 0 };
    byRetention.set(days, { count: seen.count + 1, gb: seen.gb + c.gb });
  }
  const gb = eks.reduce((sum, c) => sum + c.gb, 0);
  const types = [...new Set(eks.flatMap((c) => c.types))].sort();
  const perCluster = [...new Set(eks.map((c) => c.gb))].map((g) => `${Number(g.toFixed(3))} GB`).join(' or ');
  return {
    groups: covered,
    lines: [
      line({
        ...base,
        item: `ingestion, EKS control-plane logs (${plural(eks.length, 'cluster')}; ${types.join(', ')}: ${perCluster} a month per cluster, assumed)`,
        quantity: gb,
        priceId: 'logsIngestion',
      }),
      ...[...byRetention.entries()]
        .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
        .map(([days, { count, gb: stored_ }]) =>
          line({
            ...base,
            item: `storage, EKS control-plane logs (${plural(count, 'cluster')}; ${retentionText(days)}; ${compression})`,
            quantity: stored(stored_, days),
            priceId: 'logsStorage',
          }),
        ),
    ],
    note: assumptionNote(ctx),
  };
}
