/** Rules for the VPC CIDRs: valid networks, sizes, no overlap, room for the subnets compose makes. */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { GATEWAY_ENDPOINTS } from '../../api/sections.js';
import { endpointServices } from './compose.js';
import {
  AWS_RESERVED_PER_SUBNET,
  addressCount,
  freeNetwork,
  isPrivate,
  type Network,
  overlaps,
  parseCidr,
  subnetBlocks,
  subnetPrefix,
} from '../../policy/cidr.js';
import { type PolicyRule, type Problem, problem, withFix } from '../../policy/types.js';

/** Smallest and largest VPC drplane makes (AWS allows /16 to /28; below /24 the subnets get too small). */
export const VPC_PREFIX = { largest: 16, smallest: 24 } as const;

/** Network interfaces a VPC-attached Lambda function may hold per subnet (Hyperplane ENIs, with headroom). */
export const LAMBDA_ENIS_PER_SUBNET = 2;

type NetworkSection = NonNullable<DisasterRecoverySpec['network']>;

/** Region → CIDR entries in a stable order: the estate's regions first, then any others by name. */
function cidrEntries(spec: DisasterRecoverySpec): Array<[string, string]> {
  const cidrs = spec.network?.cidrs ?? {};
  const order: string[] = [spec.regions.primary, ...spec.regions.secondaries];
  const rank = (region: string) => (order.includes(region) ? order.indexOf(region) : order.length);
  return Object.entries(cidrs).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The parsed networks of the claim, keyed by region; invalid CIDRs are left out. */
function networks(spec: DisasterRecoverySpec): Array<[string, Network]> {
  return cidrEntries(spec).flatMap(([region, cidr]): Array<[string, Network]> => {
    const parsed = parseCidr(cidr);
    return parsed.ok ? [[region, parsed.network]] : [];
  });
}

const cidrPath = (region: string): string => `spec.network.cidrs.${region}`;

/**
 * A CIDR to propose for a region: `preferred` when it is valid, /16-/24 and overlaps no other region's range,
 * else the first free network of `prefix` in 10.0.0.0/8. Every CIDR fix goes through here, so none collides.
 */
export function cidrFor(
  spec: DisasterRecoverySpec,
  region: string,
  prefix: number = VPC_PREFIX.largest,
  preferred?: string,
): string | undefined {
  const taken = networks(spec)
    .filter(([r]) => r !== region)
    .map(([, n]) => n);
  const wanted = preferred === undefined ? undefined : parseCidr(preferred);
  const fits = (n: Network) => n.prefix >= VPC_PREFIX.largest && n.prefix <= VPC_PREFIX.smallest && isPrivate(n);
  if (wanted?.ok && fits(wanted.network) && !taken.some((t) => overlaps(t, wanted.network))) return preferred;
  return freeNetwork(Math.min(Math.max(prefix, VPC_PREFIX.largest), VPC_PREFIX.smallest), taken);
}

/** A fix that writes `cidr` for a region, when there is one. */
const cidrFix = (region: string, cidr: string | undefined) => (cidr ? { path: cidrPath(region), value: cidr } : undefined);

/** Every CIDR is a real IPv4 network: octets 0-255, no leading zeros, host bits zero. */
export const cidrValidRule: PolicyRule = {
  id: 'network.cidr-invalid',
  severity: 'error',
  summary: 'VPC CIDRs must be valid IPv4 networks (octets 0-255, host bits zero).',
  check: (spec) =>
    cidrEntries(spec).flatMap(([region, cidr]) => {
      const parsed = parseCidr(cidr);
      if (parsed.ok) return [];
      const free = cidrFor(spec, region, VPC_PREFIX.largest, parsed.suggestion);
      const fix = free
        ? `write ${free}${free === parsed.suggestion ? '' : ' (a range no other region uses)'}`
        : 'write a private /16 network';
      return [
        withFix(
          problem(cidrValidRule, cidrPath(region), `${cidr} is not a valid IPv4 network: ${parsed.reason}; ${fix}`),
          cidrFix(region, free),
        ),
      ];
    }),
};

/** Every CIDR is between /16 and /24. */
export const cidrPrefixRule: PolicyRule = {
  id: 'network.cidr-prefix',
  severity: 'error',
  summary: `VPC CIDRs must be /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}.`,
  check: (spec) =>
    networks(spec)
      .filter(([, n]) => n.prefix < VPC_PREFIX.largest || n.prefix > VPC_PREFIX.smallest)
      .map(([region, n]) => {
        const why =
          n.prefix < VPC_PREFIX.largest
            ? `AWS VPCs are at most /${VPC_PREFIX.largest}`
            : `drplane needs at least a /${VPC_PREFIX.smallest} for the private subnets`;
        const bounded = Math.min(Math.max(n.prefix, VPC_PREFIX.largest), VPC_PREFIX.smallest);
        const free = cidrFor(spec, region, bounded, suggestedNetwork(n, bounded));
        return withFix(
          problem(
            cidrPrefixRule,
            cidrPath(region),
            `${n.cidr} is a /${n.prefix}: ${why}; use a /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}${free ? `, for example ${free}` : ''}`,
          ),
          cidrFix(region, free),
        );
      }),
};

/** The network with the same first address and another prefix, when that is a valid network. */
function suggestedNetwork(network: Network, prefix: number): string {
  const candidate = `${network.cidr.split('/')[0]}/${prefix}`;
  const parsed = parseCidr(candidate);
  return parsed.ok ? candidate : (parsed.suggestion ?? candidate);
}

/** No two regions' CIDRs overlap (peering and routes need disjoint ranges). */
export const cidrOverlapRule: PolicyRule = {
  id: 'network.cidr-overlap',
  severity: 'error',
  summary: 'VPC CIDRs of different regions must not overlap.',
  check: (spec) => {
    const all = networks(spec);
    const found: Problem[] = [];
    all.forEach(([region, n], i) => {
      const earlier = all.slice(0, i).find(([, other]) => overlaps(other, n));
      if (!earlier) return;
      const free = cidrFor(spec, region, n.prefix);
      const fix = free ? `give ${region} a range of its own, for example ${free}` : `give ${region} a range of its own`;
      found.push(
        withFix(
          problem(
            cidrOverlapRule,
            cidrPath(region),
            `${n.cidr} (${region}) overlaps ${earlier[1].cidr} (${earlier[0]}); peered VPCs and their routes need disjoint ranges: ${fix}`,
          ),
          cidrFix(region, free),
        ),
      );
    });
    return found;
  },
};

/** Addresses one private subnet needs: AWS's reserved ones, interface endpoints, Aurora instances, Lambda ENIs. */
export function addressesPerSubnet(spec: DisasterRecoverySpec, network: NetworkSection): number {
  const interfaceEndpoints = endpointServices(network, spec.kubernetes !== undefined).filter(
    (e) => !GATEWAY_ENDPOINTS.includes(e),
  ).length;
  const db = spec.database;
  const instances = db ? Math.ceil(Math.max(db.instances, db.secondaryInstances) / network.availabilityZones) : 0;
  const lambda = spec.service && spec.service.vpc !== false ? LAMBDA_ENIS_PER_SUBNET : 0;
  return AWS_RESERVED_PER_SUBNET + interfaceEndpoints + instances + lambda;
}

/** Each VPC holds one private subnet per availability zone with room for what the estate puts there. */
export const cidrCapacityRule: PolicyRule = {
  id: 'network.cidr-too-small',
  severity: 'error',
  summary:
    'Each VPC must hold a private subnet per availability zone (compose splits it into /(prefix+2) blocks) with room for endpoints, instances and Lambda ENIs.',
  check: (spec) => {
    const network = spec.network;
    if (!network) return [];
    const needed = addressesPerSubnet(spec, network);
    return networks(spec).flatMap(([region, n]) => {
      const prefix = subnetPrefix(n.prefix);
      const size = addressCount(prefix);
      if (network.availabilityZones <= subnetBlocks() && size >= needed) return [];
      return [
        problem(
          cidrCapacityRule,
          cidrPath(region),
          `${n.cidr} is split into /${prefix} subnets of ${size} addresses, one per availability zone (${network.availabilityZones}), ` +
            `but each subnet needs ${needed} (${AWS_RESERVED_PER_SUBNET} reserved by AWS, interface endpoints, Aurora instances, Lambda ENIs); use a larger range such as a /${VPC_PREFIX.largest}`,
        ),
      ];
    });
  },
};

/** CIDRs outside the RFC 1918 private ranges draw a warning. */
export const cidrPrivateRule: PolicyRule = {
  id: 'network.cidr-not-private',
  severity: 'warning',
  summary: 'VPC CIDRs should be inside the RFC 1918 private ranges.',
  check: (spec) =>
    networks(spec)
      .filter(([, n]) => !isPrivate(n))
      .map(([region, n]) =>
        problem(
          cidrPrivateRule,
          cidrPath(region),
          `${n.cidr} is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); hosts in it shadow public addresses of the same range: use a private range such as 10.0.0.0/16`,
        ),
      ),
};

/** Rules of the network section. */
export const NETWORK_RULES: readonly PolicyRule[] = [
  cidrValidRule,
  cidrPrefixRule,
  cidrOverlapRule,
  cidrCapacityRule,
  cidrPrivateRule,
];
