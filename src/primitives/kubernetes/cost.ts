/**
 * EKS clusters. Source: the plan (the kubernetes primitive is composed): each region's NodeGroup stands for its cluster
 * (the Cluster itself waits for its key's ARN, so a plan need not hold it), priced per cluster-hour; the nodes a region
 * keeps (its node group's minSize: minSize in the active region, the standby mode's floor elsewhere) per
 * instance-hour of the group's first instance type (an on-demand group launches its types in the order given).
 * The interface endpoints the clusters need are the network's lines; the control-plane log group is an estate log.
 */
import { forProvider, GROUPS } from '../../estimate/inventory.js';
import { line, type PlacedLine, priced } from '../../estimate/lines.js';
import { EC2_FALLBACK_FAMILY, ec2InstanceHourly } from '../../estimate/prices.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'EKS';

function regionLines(ctx: CostContext, region: string, notes: string[]): PlacedLine[] {
  const groups = ctx.inventory.find({ group: GROUPS.eks, kind: 'NodeGroup', region });
  if (groups.length === 0) return [];
  const hours = ctx.assumptions.hoursPerMonth;
  const role = region === ctx.active ? 'active region' : `${ctx.spec.kubernetes?.standby ?? 'standby'} standby`;
  return [
    line({
      component: COMPONENT,
      item: `cluster control plane (${groups.length} cluster${groups.length === 1 ? '' : 's'}, standard support)`,
      quantity: groups.length * hours,
      priceId: 'eksClusterHour',
      region,
      basis: 'plan',
    }),
    ...groups.map((g) => {
      const fp = forProvider(g) as { scalingConfig?: { minSize?: number }; instanceTypes?: string[] };
      const nodes = fp.scalingConfig?.minSize ?? 0;
      const type = fp.instanceTypes?.[0] ?? 'unknown';
      const price = ec2InstanceHourly(type, region);
      if (!price.known && nodes > 0)
        notes.push(
          `EC2 ${type} is not in the price table; priced as ${EC2_FALLBACK_FAMILY} of that size (errs high, low for GPU and other accelerated types).`,
        );
      return priced({
        component: COMPONENT,
        item: `${type} node-hours (${nodes} node${nodes === 1 ? '' : 's'}, the ${role}'s floor${nodes === 0 ? ': scaled up on failover' : ''})`,
        quantity: nodes * hours,
        unit: 'instance-hour',
        unitUsd: price.usd,
        priceId: 'ec2Instance',
        origin: price.origin,
        region,
        basis: 'plan',
      });
    }),
  ];
}

/** Every EKS line: control planes and the nodes each region keeps; a note on extended support when there is a cluster. */
export function clusterLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  const lines = ctx.regions.flatMap((region) => regionLines(ctx, region, notes));
  if (lines.length > 0)
    notes.push(
      'EKS control planes are priced in standard support ($0.10 per cluster-hour); a Kubernetes version past its standard support bills $0.60 (kubernetes.version-support warns with the difference).',
    );
  return lines;
}
