/**
 * XDRNetwork: per region a VPC (DNS support and hostnames on), private subnets over several AZs, a
 * private route table, security groups, VPC endpoints instead of a NAT gateway, and peering from
 * the primary to each secondary with routes on both sides and DNS resolution of the peer's private names on both
 * sides (VPCPeeringConnectionOptions, once the connection is active).
 */
import {
  Route,
  RouteTable,
  RouteTableAssociation,
  SecurityGroup,
  SecurityGroupEgressRule,
  SecurityGroupIngressRule,
  Subnet,
  Vpc,
  VpcEndpoint,
  VpcEndpointRouteTableAssociation,
  VpcEndpointSecurityGroupAssociation,
  VpcEndpointSubnetAssociation,
  VpcPeeringConnection,
  VpcPeeringConnectionAccepter,
  VpcPeeringConnectionAccepterSpecManagementPolicies,
  VpcPeeringConnectionOptions,
} from '../../../imports/ec2.aws.upbound.io.js';
import type { DRNetworkSpec } from './schema.js';
import { GATEWAY_ENDPOINTS } from '../../api/sections.js';
import { subnetCidr } from '../../compose/cidr.js';
import type { ComposeContext } from '../../compose/context.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { zones } from '../../compose/zones.js';
import { CLUSTER_ENDPOINTS } from '../kubernetes/compose.js';

/** Component labels other primitives select network resources by. */
export const NETWORK = {
  vpc: 'vpc',
  subnet: 'private-subnet',
  routeTable: 'private-route-table',
  databaseSg: 'sg-database',
  serviceSg: 'sg-service',
  endpointSg: 'sg-endpoints',
  clusterApiSg: 'sg-eks-api',
} as const;

/** What the network composes for the estate's EKS clusters: the extra networks admitted to their private API. */
export interface ClusterNetwork {
  /** Networks besides the estate's VPCs that may reach the clusters' API on 443 (kubernetes.apiAccessCidrs). */
  readonly apiCidrs: readonly string[];
}

/** Database ports by engine family. */
export const DB_PORT = { 'aurora-postgresql': 5432, 'aurora-mysql': 3306 } as const;

type Network = DRNetworkSpec['network'];
type Engine = NonNullable<DRNetworkSpec['databaseEngine']>;

function vpc(ctx: ComposeContext, region: string, cidr: string): DesiredResource {
  const manifest = Vpc.manifest({
    metadata: ctx.metadata(NETWORK.vpc, region),
    spec: {
      forProvider: {
        region,
        cidrBlock: cidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: ctx.tags({ Name: ctx.namer.name('generic', 'vpc', region) }),
      },
    },
  });
  return { key: `vpc-${region}`, manifest, region };
}

/** Label that tells the private subnets of one region apart, so each association selects exactly one. */
export const ZONE_LABEL = 'drplane.io/zone';

const subnetInZone = (ctx: ComposeContext, region: string, az: string) => own(ctx, NETWORK.subnet, region, { [ZONE_LABEL]: az });

function subnets(ctx: ComposeContext, region: string, network: Network): DesiredResource[] {
  const cidr = network.cidrs[region]!;
  return zones(region, network.availabilityZones).flatMap((az, i) => [
    {
      key: `subnet-${az}`,
      region,
      manifest: Subnet.manifest({
        metadata: ctx.metadata(NETWORK.subnet, region, undefined, { [ZONE_LABEL]: az }),
        spec: {
          forProvider: {
            region,
            availabilityZone: az,
            cidrBlock: subnetCidr(cidr, i),
            mapPublicIpOnLaunch: false,
            vpcIdSelector: own(ctx, NETWORK.vpc, region),
            tags: ctx.tags({ Name: ctx.namer.name('generic', `private-${az.slice(-1)}`, region), Tier: 'private' }),
          },
        },
      }),
    },
    {
      key: `subnet-${az}-rta`,
      region,
      manifest: RouteTableAssociation.manifest({
        metadata: ctx.metadata('private-route-table-association', region),
        spec: {
          forProvider: {
            region,
            routeTableIdSelector: own(ctx, NETWORK.routeTable, region),
            subnetIdSelector: subnetInZone(ctx, region, az),
          },
        },
      }),
    },
  ]);
}

function routeTable(ctx: ComposeContext, region: string): DesiredResource {
  const manifest = RouteTable.manifest({
    metadata: ctx.metadata(NETWORK.routeTable, region),
    spec: {
      forProvider: {
        region,
        vpcIdSelector: own(ctx, NETWORK.vpc, region),
        tags: ctx.tags({ Name: ctx.namer.name('generic', 'private', region) }),
      },
    },
  });
  return { key: `route-table-${region}`, manifest, region };
}

function securityGroup(
  ctx: ComposeContext,
  region: string,
  component: string,
  purpose: string,
  description: string,
): DesiredResource {
  const manifest = SecurityGroup.manifest({
    metadata: ctx.metadata(component, region),
    spec: {
      forProvider: {
        region,
        name: ctx.namer.name('generic', purpose, region),
        description,
        revokeRulesOnDelete: true,
        vpcIdSelector: own(ctx, NETWORK.vpc, region),
        tags: ctx.tags({ Name: ctx.namer.name('generic', purpose, region) }),
      },
    },
  });
  return { key: `${component}-${region}`, manifest, region };
}

type Rule = { key: string; component: string; port: number; cidr: string; description: string };

/** One TCP port from or to a CIDR on a security group: an ingress or an egress rule (same fields, two kinds). */
function sgRule(direction: 'ingress' | 'egress', ctx: ComposeContext, region: string, r: Rule): DesiredResource {
  const Kind = direction === 'ingress' ? SecurityGroupIngressRule : SecurityGroupEgressRule;
  const manifest = Kind.manifest({
    metadata: ctx.metadata(`${r.component}-${direction}`, region),
    spec: {
      forProvider: {
        region,
        ipProtocol: 'tcp',
        fromPort: r.port,
        toPort: r.port,
        cidrIpv4: r.cidr,
        description: r.description,
        securityGroupIdSelector: own(ctx, r.component, region),
        tags: ctx.tags(),
      },
    },
  });
  return { key: r.key, manifest, region };
}

const ingress = (ctx: ComposeContext, region: string, r: Rule) => sgRule('ingress', ctx, region, r);
const egress = (ctx: ComposeContext, region: string, r: Rule) => sgRule('egress', ctx, region, r);

/**
 * Security groups that allow only what is needed: the database accepts its engine's port from the
 * estate's VPCs (no port at all without a database); interface endpoints accept HTTPS from the
 * VPC; the service may call HTTPS (endpoints) and the database port.
 */
function securityGroups(ctx: ComposeContext, region: string, network: Network, engine: Engine | undefined): DesiredResource[] {
  const estateCidrs = ctx.regions.map((r) => [r, network.cidrs[r]!] as const);
  const ownCidr = network.cidrs[region]!;
  const ports = engine ? [[engine, DB_PORT[engine]] as const] : [];
  return [
    securityGroup(ctx, region, NETWORK.databaseSg, 'database', 'Aurora: database ports from the estate VPCs only'),
    ...ports.flatMap(([engine, port]) =>
      estateCidrs.map(([from, cidr]) =>
        ingress(ctx, region, {
          key: `sg-database-${region}-in-${port}-${from}`,
          component: NETWORK.databaseSg,
          port,
          cidr,
          description: `${engine} from ${from}`,
        }),
      ),
    ),
    securityGroup(ctx, region, NETWORK.endpointSg, 'endpoints', 'VPC interface endpoints: HTTPS from this VPC'),
    ingress(ctx, region, {
      key: `sg-endpoints-${region}-in-443`,
      component: NETWORK.endpointSg,
      port: 443,
      cidr: ownCidr,
      description: 'HTTPS from this VPC',
    }),
    securityGroup(ctx, region, NETWORK.serviceSg, 'service', 'Regional service: HTTPS to AWS endpoints and the database'),
    egress(ctx, region, {
      key: `sg-service-${region}-out-443`,
      component: NETWORK.serviceSg,
      port: 443,
      cidr: '0.0.0.0/0',
      description: 'HTTPS to VPC and gateway endpoints (no NAT: nothing else is routable)',
    }),
    ...ports.flatMap(([engine, port]) =>
      estateCidrs.map(([to, cidr]) =>
        egress(ctx, region, {
          key: `sg-service-${region}-out-${port}-${to}`,
          component: NETWORK.serviceSg,
          port,
          cidr,
          description: `${engine} in ${to}`,
        }),
      ),
    ),
  ];
}

/** Key-safe form of a CIDR (10.0.0.0/16 → 10-0-0-0-16). */
const cidrKey = (cidr: string): string => cidr.replace(/[./]/g, '-');

/**
 * The security group EKS puts on the control plane's network interfaces besides its own cluster security group (which
 * admits only the nodes): HTTPS to the private API from every VPC of the estate and from the claim's extra networks.
 */
function clusterApiGroup(ctx: ComposeContext, region: string, network: Network, cluster: ClusterNetwork): DesiredResource[] {
  const sources = [
    ...ctx.regions.map((r) => [network.cidrs[r]!, `the estate VPC in ${r}`] as const),
    ...cluster.apiCidrs.map((cidr) => [cidr, 'kubernetes.apiAccessCidrs'] as const),
  ];
  const unique = [...new Map(sources.map(([cidr, from]) => [cidr, from])).entries()];
  return [
    securityGroup(
      ctx,
      region,
      NETWORK.clusterApiSg,
      'eks-api',
      'EKS private API: HTTPS from the estate VPCs and listed networks',
    ),
    ...unique.map(([cidr, from]) =>
      ingress(ctx, region, {
        key: `sg-eks-api-${region}-in-443-${cidrKey(cidr)}`,
        component: NETWORK.clusterApiSg,
        port: 443,
        cidr,
        description: `Kubernetes API from ${from}`,
      }),
    ),
  ];
}

/** The endpoint services of a region: the claim's, and with EKS clusters those their nodes need (each once). */
export const endpointServices = (network: Network, kubernetes = false): string[] =>
  [...new Set<string>([...network.endpoints, ...(kubernetes ? CLUSTER_ENDPOINTS : [])])].sort();

/** Gateway endpoints (S3, DynamoDB) join the private route table; interface endpoints get an ENI per subnet. */
function endpoints(ctx: ComposeContext, region: string, network: Network, kubernetes: boolean): DesiredResource[] {
  return endpointServices(network, kubernetes).flatMap((service): DesiredResource[] => {
    const component = `endpoint-${service}`;
    const gateway = GATEWAY_ENDPOINTS.includes(service);
    const endpoint: DesiredResource = {
      key: `${component}-${region}`,
      region,
      manifest: VpcEndpoint.manifest({
        metadata: ctx.metadata(component, region),
        spec: {
          forProvider: {
            region,
            serviceName: `com.amazonaws.${region}.${service}`,
            vpcEndpointType: gateway ? 'Gateway' : 'Interface',
            ...(gateway ? {} : { privateDnsEnabled: true }),
            vpcIdSelector: own(ctx, NETWORK.vpc, region),
            tags: ctx.tags({ Name: ctx.namer.name('generic', service, region) }),
          },
        },
      }),
    };
    const endpointSelector = own(ctx, component, region);
    if (gateway) {
      return [
        endpoint,
        {
          key: `${component}-${region}-rt`,
          region,
          manifest: VpcEndpointRouteTableAssociation.manifest({
            metadata: ctx.metadata(`${component}-rt`, region),
            spec: {
              forProvider: {
                region,
                vpcEndpointIdSelector: endpointSelector,
                routeTableIdSelector: own(ctx, NETWORK.routeTable, region),
              },
            },
          }),
        },
      ];
    }
    return [
      endpoint,
      {
        key: `${component}-${region}-sg`,
        region,
        manifest: VpcEndpointSecurityGroupAssociation.manifest({
          metadata: ctx.metadata(`${component}-sg`, region),
          spec: {
            forProvider: {
              region,
              vpcEndpointIdSelector: endpointSelector,
              securityGroupIdSelector: own(ctx, NETWORK.endpointSg, region),
              replaceDefaultAssociation: true,
            },
          },
        }),
      },
      ...zones(region, network.availabilityZones).map((az) => ({
        key: `${component}-${az}`,
        region,
        manifest: VpcEndpointSubnetAssociation.manifest({
          metadata: ctx.metadata(`${component}-subnet`, region),
          spec: {
            forProvider: { region, vpcEndpointIdSelector: endpointSelector, subnetIdSelector: subnetInZone(ctx, region, az) },
          },
        }),
      })),
    ];
  });
}

/** Composition key of the accepter of the peering from the primary to a secondary. */
export const peeringAccepterKey = (primary: string, secondary: string): string => `peering-${primary}-${secondary}-accepter`;

/**
 * DNS resolution across one peering, each side in its own region (a cross-region peering takes the requester's
 * options in the requester's region and the accepter's in the accepter's): a VPC resolves the peer's private DNS
 * names (interface endpoints, Aurora) to private addresses instead of public ones. AWS modifies the options of an
 * active connection only, so they follow the accepter's Ready; once composed they stay while the accepter's status is
 * lost (they name the connection by selector, nothing observed).
 */
function peeringOptions(ctx: ComposeContext, secondary: string, observed: ObservedView): DesiredResource[] {
  const primary = ctx.primary;
  const optionsKey = (which: 'requester' | 'accepter') => `peering-${primary}-${secondary}-options-${which}`;
  const composed = observed.exists(optionsKey('requester')) || observed.exists(optionsKey('accepter'));
  if (!composed && !observed.ready(peeringAccepterKey(primary, secondary))) return [];
  const side = (region: string, which: 'requester' | 'accepter'): DesiredResource => ({
    key: optionsKey(which),
    region,
    manifest: VpcPeeringConnectionOptions.manifest({
      metadata: ctx.metadata(`peering-${secondary}-options-${which}`, region),
      spec: {
        forProvider: {
          region,
          vpcPeeringConnectionIdSelector: own(ctx, `peering-${secondary}`, primary),
          ...(which === 'requester'
            ? { requester: { allowRemoteVpcDnsResolution: true } }
            : { accepter: { allowRemoteVpcDnsResolution: true } }),
        },
      },
    }),
  });
  return [side(primary, 'requester'), side(secondary, 'accepter')];
}

/**
 * Peering from the primary to one secondary: the requester in the primary cannot auto-accept a
 * cross-region peering, so an accepter in the secondary accepts it; routes on both sides.
 */
function peering(ctx: ComposeContext, secondary: string, network: Network): DesiredResource[] {
  const primary = ctx.primary;
  const component = `peering-${secondary}`;
  const peeringSelector = (region: string) => own(ctx, component, region);
  const route = (region: string, destination: string): DesiredResource => ({
    key: `route-${region}-to-${destination}`,
    region,
    manifest: Route.manifest({
      metadata: ctx.metadata(`route-to-${destination}`, region),
      spec: {
        forProvider: {
          region,
          destinationCidrBlock: network.cidrs[destination]!,
          routeTableIdSelector: own(ctx, NETWORK.routeTable, region),
          vpcPeeringConnectionIdSelector: peeringSelector(primary),
        },
      },
    }),
  });
  return [
    {
      key: `peering-${primary}-${secondary}`,
      region: primary,
      manifest: VpcPeeringConnection.manifest({
        metadata: ctx.metadata(component, primary),
        spec: {
          forProvider: {
            region: primary,
            peerRegion: secondary,
            vpcIdSelector: own(ctx, NETWORK.vpc, primary),
            peerVpcIdSelector: own(ctx, NETWORK.vpc, secondary),
            tags: ctx.tags({ Name: ctx.namer.name('generic', `peer-${secondary}`, primary), Side: 'requester' }),
          },
          initProvider: { autoAccept: false },
        },
      }),
    },
    {
      key: peeringAccepterKey(primary, secondary),
      region: secondary,
      manifest: VpcPeeringConnectionAccepter.manifest({
        metadata: ctx.metadata(`${component}-accepter`, secondary),
        spec: {
          // Every action but LateInitialize: the Accepter's CRD still carries the `accepter` and `requester` option
          // blocks (the provider moves them to status for the VPCPeeringConnection only, as mutually exclusive with
          // the options resource: config/cluster/ec2/config.go), and late-init would copy the options the
          // VPCPeeringConnectionOptions set into this spec, making two owners of one setting.
          managementPolicies: [
            VpcPeeringConnectionAccepterSpecManagementPolicies.OBSERVE,
            VpcPeeringConnectionAccepterSpecManagementPolicies.CREATE,
            VpcPeeringConnectionAccepterSpecManagementPolicies.UPDATE,
            VpcPeeringConnectionAccepterSpecManagementPolicies.DELETE,
          ],
          forProvider: {
            region: secondary,
            autoAccept: true,
            vpcPeeringConnectionIdSelector: peeringSelector(primary),
            tags: ctx.tags({ Name: ctx.namer.name('generic', `peer-${primary}`, secondary), Side: 'accepter' }),
          },
        },
      }),
    },
    route(primary, secondary),
    route(secondary, primary),
  ];
}

/** Every resource of an XDRNetwork. */
export function composeNetwork(
  ctx: ComposeContext,
  network: Network,
  observed: ObservedView,
  engine?: Engine,
  cluster?: ClusterNetwork,
): DesiredResource[] {
  const regional = ctx.regions.flatMap((region) => [
    vpc(ctx, region, network.cidrs[region]!),
    routeTable(ctx, region),
    ...subnets(ctx, region, network),
    ...securityGroups(ctx, region, network, engine),
    ...(cluster ? clusterApiGroup(ctx, region, network, cluster) : []),
    ...endpoints(ctx, region, network, cluster !== undefined),
  ]);
  const peerings = network.peering
    ? ctx.secondaries.flatMap((s) => [...peering(ctx, s, network), ...peeringOptions(ctx, s, observed)])
    : [];
  return [...regional, ...peerings];
}
