/**
 * VPC endpoints. Source: the plan (the network primitive is composed): every VPCEndpoint by type;
 * an interface endpoint bills per AZ-hour for each subnet it has a network interface in, counted
 * from the VPCEndpointSubnetAssociations that select it (or inline subnetIds, for providers that
 * still take them). Gateway endpoints (S3, DynamoDB) cost nothing and are listed at $0.
 */
import type { PlannedResource } from '../../compose/plan.js';
import { forProvider, GROUPS, selects } from '../../estimate/inventory.js';
import { line, type PlacedLine } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'VPC endpoints';

/** The service of an endpoint: what follows com.amazonaws.<region>. in its service name (s3, ecr.api). */
const serviceOf = (r: PlannedResource): string => {
  const name = forProvider(r).serviceName;
  return typeof name === 'string' ? name.split('.').slice(3).join('.') || r.key : r.key;
};

/** AZs (subnets) an interface endpoint has a network interface in. */
function zonesOf(ctx: CostContext, endpoint: PlannedResource, region: string): number {
  const inline = forProvider(endpoint).subnetIds;
  if (Array.isArray(inline) && inline.length > 0) return inline.length;
  return ctx.inventory
    .find({ group: GROUPS.ec2, kind: 'VPCEndpointSubnetAssociation', region })
    .filter((a) => selects(forProvider(a).vpcEndpointIdSelector, endpoint)).length;
}

function regionLines(ctx: CostContext, region: string): PlacedLine[] {
  const endpoints = ctx.inventory.find({ group: GROUPS.ec2, kind: 'VPCEndpoint', region });
  const gateways = endpoints.filter((e) => forProvider(e).vpcEndpointType === 'Gateway');
  const interfaces = endpoints.filter((e) => forProvider(e).vpcEndpointType !== 'Gateway');
  const endpointAzs = interfaces.reduce((n, e) => n + zonesOf(ctx, e, region), 0);
  const base = { component: COMPONENT, region, basis: 'plan' as const };
  const names = (list: PlannedResource[]) => list.map(serviceOf).join(', ');
  return [
    ...(gateways.length > 0
      ? [line({ ...base, item: `gateway endpoints (${names(gateways)})`, quantity: gateways.length, priceId: 'gatewayEndpoint' })]
      : []),
    ...(endpointAzs > 0
      ? [
          line({
            ...base,
            item: `interface endpoints (${names(interfaces)}): ${endpointAzs} endpoint-AZs`,
            quantity: endpointAzs * ctx.assumptions.hoursPerMonth,
            priceId: 'interfaceEndpointHour',
          }),
          line({
            ...base,
            item: 'interface endpoint data processed',
            quantity: ctx.assumptions.network.endpointGbPerMonth,
            priceId: 'interfaceEndpointData',
          }),
        ]
      : []),
  ];
}

/** Every VPC endpoint line. */
export function endpointLines(ctx: CostContext): PlacedLine[] {
  return ctx.regions.flatMap((region) => regionLines(ctx, region));
}
