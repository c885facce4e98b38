/**
 * EKS clusters. Source: the plan (the kubernetes primitive is composed): each region's Cluster, priced per cluster-hour
 * at the support tier its planned version is in on the day the estimate is for (assumption kubernetes.supportOn):
 * extended support once the version's standard support has ended (src/facts/eks-versions.ts), when the planned
 * upgradePolicy.supportType lets the cluster stay (EXTENDED, EKS's default); the nodes a region keeps (its node group's
 * minSize: minSize in the active region, the standby mode's floor elsewhere) per instance-hour of the group's first
 * instance type (an on-demand group launches its types in the order given), and each of those nodes' root volume: the
 * planned node group's diskSize, else EKS's default for a node group without a launch template (20 GiB for Linux AMI
 * types: botocore eks CreateNodegroupRequest diskSize), per GB-month at the gp2 rate. Which volume type EKS's own launch
 * template gives the root volume is not in any source on hand (the API takes only a size), so the dearer
 * general-purpose type is priced: the line errs high by a fifth if it is gp3 (ebsGp2Storage says what would confirm it).
 * A node group with a launch template would size its volumes there: it is noted unpriced (drplane composes none).
 * The interface endpoints the clusters need are the network's lines; the control-plane logs are CloudWatch Logs lines
 * this primitive prices itself (logs-cost.ts, its `logs` hook), at their own assumption per enabled log type
 * (kubernetes.controlPlaneLogGbPerMonth).
 */
import { daysUntil } from '../../facts/days.js';
import { findEksVersion } from '../../facts/eks-versions.js';
import { activeRegionOf, forProvider, GROUPS } from '../../estimate/inventory.js';
import { line, type PlacedLine, priced } from '../../estimate/lines.js';
import { EC2_FALLBACK_FAMILY, ec2InstanceHourly, PRICES } from '../../estimate/prices.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'EKS';

/**
 * GiB of a managed node's root volume when the node group names neither diskSize nor a launch template: 20 GiB for
 * Linux and Bottlerocket AMI types (botocore's eks model, CreateNodegroupRequest.diskSize; drplane runs AL2023 only).
 */
export const EKS_DEFAULT_DISK_GIB = 20;

/** A planned Cluster's support tier on a day, and why. */
interface Tier {
  readonly extended: boolean;
  readonly words: string;
}

/**
 * The tier a cluster of `version` bills on `day`: extended from the first day of the end of standard support (as
 * kubernetes.version-support counts it), unless supportType STANDARD has EKS upgrade it then instead.
 */
function supportTier(version: string | undefined, supportType: string | undefined, day: string, notes: string[]): Tier {
  const row = version === undefined ? undefined : findEksVersion(version);
  if (!row) {
    notes.push(
      `EKS: Kubernetes ${version ?? '(no version)'} is not in drplane's EKS version table; its control plane is priced in standard support.`,
    );
    return { extended: false, words: `Kubernetes ${version ?? '?'}, standard support assumed` };
  }
  const on = new Date(`${day}T00:00:00Z`);
  const ended = daysUntil(row.endOfStandardSupport, on) <= 0;
  if (ended && supportType !== 'STANDARD')
    return { extended: true, words: `Kubernetes ${row.version} in extended support on ${day}` };
  if (ended) return { extended: false, words: `upgraded by EKS at the end of ${row.version}'s standard support` };
  return { extended: false, words: `Kubernetes ${row.version} in standard support on ${day}` };
}

function regionLines(ctx: CostContext, region: string, notes: string[]): PlacedLine[] {
  const clusters = ctx.inventory.find({ group: GROUPS.eks, kind: 'Cluster', region });
  const groups = ctx.inventory.find({ group: GROUPS.eks, kind: 'NodeGroup', region });
  if (clusters.length === 0 && groups.length === 0) return [];
  const hours = ctx.assumptions.hoursPerMonth;
  // The region's role as its XRegionalCluster was composed: the active region of its estate context, or its standby mode.
  const composite = ctx.inventory.parent(clusters[0] ?? groups[0]!);
  const standby = (composite?.spec as { kubernetes?: { standby?: unknown } } | undefined)?.kubernetes?.standby;
  const role =
    region === (activeRegionOf(composite) ?? ctx.active)
      ? 'active region'
      : `${typeof standby === 'string' ? standby : 'standby'} standby`;
  const tiers = new Map<string, { tier: Tier; count: number }>();
  for (const c of clusters) {
    const fp = forProvider(c) as { version?: string; upgradePolicy?: { supportType?: string } };
    const tier = supportTier(fp.version, fp.upgradePolicy?.supportType, ctx.assumptions.kubernetes.supportOn, notes);
    const seen = tiers.get(tier.words);
    tiers.set(tier.words, { tier, count: (seen?.count ?? 0) + 1 });
  }
  return [
    ...[...tiers.values()].map(({ tier, count }) =>
      line({
        component: COMPONENT,
        item: `cluster control plane (${count} cluster${count === 1 ? '' : 's'}, ${tier.words})`,
        quantity: count * hours,
        priceId: tier.extended ? 'eksClusterExtendedHour' : 'eksClusterHour',
        region,
        basis: 'plan',
      }),
    ),
    ...groups.flatMap((g) => {
      const fp = forProvider(g) as {
        scalingConfig?: { minSize?: number };
        instanceTypes?: string[];
        diskSize?: number;
        launchTemplate?: unknown;
      };
      const nodes = fp.scalingConfig?.minSize ?? 0;
      const type = fp.instanceTypes?.[0] ?? 'unknown';
      const price = ec2InstanceHourly(type, region);
      if (!price.known && nodes > 0)
        notes.push(
          `EC2 ${type} is not in the price table; priced as ${EC2_FALLBACK_FAMILY} of that size (errs high, low for GPU and other accelerated types).`,
        );
      const floor = `${nodes} node${nodes === 1 ? '' : 's'}, the ${role}'s floor${nodes === 0 ? ': scaled up on failover' : ''}`;
      const instances = priced({
        component: COMPONENT,
        item: `${type} node-hours (${floor})`,
        quantity: nodes * hours,
        unit: 'instance-hour',
        unitUsd: price.usd,
        priceId: 'ec2Instance',
        origin: price.origin,
        region,
        basis: 'plan',
      });
      if (fp.launchTemplate !== undefined) {
        notes.push(`EKS: the node group in ${region} has a launch template; its nodes' volumes are not priced.`);
        return [instances];
      }
      const gib = fp.diskSize ?? EKS_DEFAULT_DISK_GIB;
      const size = fp.diskSize === undefined ? `${gib} GiB, EKS's default` : `${gib} GiB`;
      return [
        instances,
        line({
          component: COMPONENT,
          item: `node root volumes (${floor}; ${size} each, priced as gp2)`,
          quantity: nodes * gib,
          priceId: 'ebsGp2Storage',
          region,
          basis: 'plan',
        }),
      ];
    }),
  ];
}

/** Every EKS line: control planes and the nodes each region keeps; a note on the support tier when there is a cluster. */
export function clusterLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  const lines = ctx.regions.flatMap((region) => regionLines(ctx, region, notes));
  if (lines.length > 0)
    notes.push(
      `EKS control planes are priced at their version's support tier on ${ctx.assumptions.kubernetes.supportOn} (assumption kubernetes.supportOn; drctl cost --on changes it) for the whole month: $${PRICES.eksClusterHour.usd.toFixed(2)} per cluster-hour in standard support, $${PRICES.eksClusterExtendedHour.usd.toFixed(2)} in extended support (kubernetes.version-support warns before standard support ends).`,
    );
  return lines;
}
