/**
 * Rules for the kubernetes section: a network to run in, a version EKS supports, instance types every region offers
 * in one architecture, node group bounds in order, and private subnets that hold the nodes' pod addresses.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { acceleratorOf, INSTANCE_SERIES_SOURCE, instanceTypeGap, isArm64, seriesOf } from '../../facts/ec2.js';
import { addressesOf, describeEniSource, MOST_ADDRESSES } from '../../facts/eni.js';
import { daysUntil } from '../../facts/days.js';
import {
  EKS_VERSIONS,
  findEksVersion,
  MINOR_RELEASE_DAYS,
  minorOf,
  NEWEST_EKS_VERSION,
  type EksVersion,
} from '../../facts/eks-versions.js';
import { addressCount, parseCidr, subnetPrefix } from '../../policy/cidr.js';
import { type PolicyRule, problem, withFix } from '../../policy/types.js';
import { PRICES } from '../../estimate/prices.js';
import { addressesPerSubnet } from '../network/rules.js';
import { DEFAULT_NODES_QUOTA } from './section.js';

/** Days before the end of standard support from which the version draws a warning. */
export const EKS_WARNING_DAYS = 180;

/** Hours in the month the warnings price extended support with (730, the cost model's default). */
const HOURS_PER_MONTH = 730;

const regionsOf = (spec: DisasterRecoverySpec): string[] => [spec.regions.primary, ...spec.regions.secondaries];

/** A cluster runs in the estate's private subnets: no network, no cluster. */
export const needsNetworkRule: PolicyRule = {
  id: 'kubernetes.needs-network',
  severity: 'error',
  summary: 'An EKS cluster runs in the estate’s private subnets: spec.kubernetes needs spec.network.',
  check: (spec) =>
    spec.kubernetes && !spec.network
      ? [
          problem(
            needsNetworkRule,
            'spec.kubernetes',
            'the clusters run in the private subnets of the estate network, and this claim has no spec.network: add a network section (a CIDR per region), or remove spec.kubernetes',
          ),
        ]
      : [],
};

/** minSize ≤ maxSize. */
export const nodeGroupBoundsRule: PolicyRule = {
  id: 'kubernetes.node-group-bounds',
  severity: 'error',
  summary: 'kubernetes.nodeGroup.minSize must not exceed maxSize (EKS refuses the node group).',
  check: (spec) => {
    const g = spec.kubernetes?.nodeGroup;
    if (!g || g.minSize <= g.maxSize) return [];
    return [
      withFix(
        problem(
          nodeGroupBoundsRule,
          'spec.kubernetes.nodeGroup.maxSize',
          `maxSize ${g.maxSize} is below minSize ${g.minSize}: EKS refuses a node group whose minimum exceeds its maximum; write maxSize: ${g.minSize} or more`,
        ),
        { path: 'spec.kubernetes.nodeGroup.maxSize', value: g.minSize },
      ),
    ];
  },
};

/** What extended support adds to each cluster per month, from the price table. */
function extendedSupportMonthly(regions: number): string {
  const extra = (PRICES.eksClusterExtendedHour.usd - PRICES.eksClusterHour.usd) * HOURS_PER_MONTH;
  const confirmed = PRICES.eksClusterExtendedHour.status === 'confirmed' && PRICES.eksClusterHour.status === 'confirmed';
  return `$${extra.toFixed(2)} per cluster-month ($${(extra * regions).toFixed(2)} for the ${regions} clusters, ${confirmed ? 'list price' : 'unconfirmed list price'})`;
}

/** The newest version of the table that is in standard support on `today`, if any. */
const newestStandard = (today: Date): EksVersion | undefined =>
  EKS_VERSIONS.find((v) => daysUntil(v.endOfStandardSupport, today) > 0);

/**
 * Whether a version the table lacks is newer than the table by no more minors than Kubernetes can have released since
 * the table's newest (one every MINOR_RELEASE_DAYS): EKS may well offer it, drplane cannot say.
 */
function plausiblyNewer(version: string, today: Date): boolean {
  const newest = EKS_VERSIONS[0]!;
  const minor = minorOf(version);
  const newestMinor = minorOf(newest.version)!;
  if (minor === undefined || minor <= newestMinor) return false;
  const released = Math.floor(-daysUntil(newest.release, today) / MINOR_RELEASE_DAYS);
  return minor - newestMinor <= released;
}

/**
 * The version is one EKS supports: an error once extended support has ended (EKS creates no cluster on it and
 * upgrades existing ones by itself) or for a version the table does not know, older than its newest or more minors
 * beyond it than Kubernetes can have released by today; a warning for a version just beyond the table (EKS may offer
 * it), in extended support (billed) and within EKS_WARNING_DAYS of the end of standard support, with what extended
 * support costs. Dated: the function never refuses a new estate for it (a version's support ends without any change
 * to the claim).
 */
export const versionSupportRule: PolicyRule = {
  id: 'kubernetes.version-support',
  dated: true,
  severity: 'error',
  summary: `The EKS Kubernetes version must be in standard or extended support (warning in extended support, within ${EKS_WARNING_DAYS} days of the end of standard support, and for a version just newer than drplane's table).`,
  check: (spec, ctx) => {
    const k = spec.kubernetes;
    if (!k) return [];
    const path = 'spec.kubernetes.version';
    const found = newestStandard(ctx.today);
    const move = found && found.version !== k.version ? found : undefined;
    const moveFix = move ? { path, value: move.version } : undefined;
    const instead = move
      ? `write version: ${move.version} (standard support until ${move.endOfStandardSupport})`
      : `drplane's version table (src/facts/eks-versions.ts, newest ${NEWEST_EKS_VERSION}) has no version in standard support longer; EKS may offer newer ones (aws eks describe-cluster-versions): add the next with its dates and their source, then write it here`;
    const row = findEksVersion(k.version);
    if (!row && plausiblyNewer(k.version, ctx.today)) {
      return [
        problem(
          versionSupportRule,
          path,
          `${k.version} is newer than every version in drplane's EKS version table (src/facts/eks-versions.ts, newest ${NEWEST_EKS_VERSION}): EKS may well offer it (check aws eks describe-cluster-versions), but its support dates cannot be checked; add it to the table with its dates and their source`,
          'warning',
        ),
      ];
    }
    if (!row) {
      return [
        withFix(
          problem(
            versionSupportRule,
            path,
            `${k.version} is not in drplane's EKS version table (src/facts/eks-versions.ts: ${EKS_VERSIONS.map((v) => v.version).join(', ')}), so its support cannot be checked; ${instead}, or add the version with its dates and their source`,
          ),
          moveFix ?? { path, value: NEWEST_EKS_VERSION },
        ),
      ];
    }
    const extendedLeft = daysUntil(row.endOfExtendedSupport, ctx.today);
    const standardLeft = daysUntil(row.endOfStandardSupport, ctx.today);
    const source = `(dates: ${row.source})`;
    if (extendedLeft <= 0) {
      return [
        withFix(
          problem(
            versionSupportRule,
            path,
            `EKS ended extended support for Kubernetes ${row.version} on ${row.endOfExtendedSupport}: it creates no cluster on it (a region recreated in a disaster fails) and upgrades existing control planes on its own; ${instead} ${source}`,
          ),
          moveFix,
        ),
      ];
    }
    if (standardLeft > EKS_WARNING_DAYS) return [];
    const clusters = regionsOf(spec).length;
    const cost = `extended support costs ${extendedSupportMonthly(clusters)} more than standard`;
    const message =
      standardLeft <= 0
        ? `Kubernetes ${row.version} left EKS standard support on ${row.endOfStandardSupport} and is in extended support until ${row.endOfExtendedSupport} (in ${extendedLeft} days): ${cost}, and EKS upgrades the clusters itself after that day; ${instead} ${source}`
        : `EKS standard support for Kubernetes ${row.version} ends on ${row.endOfStandardSupport} (in ${standardLeft} days); after it ${cost} until ${row.endOfExtendedSupport}. Upgrade and test the workloads on a newer version: ${instead} ${source}`;
    return [withFix(problem(versionSupportRule, path, message, 'warning'), moveFix)];
  },
};

/** A maxSize above EKS's default node quota: allowed (the quota is adjustable), with a warning to raise it first. */
export const nodeQuotaRule: PolicyRule = {
  id: 'kubernetes.node-quota',
  severity: 'warning',
  summary: `A node group above ${DEFAULT_NODES_QUOTA} nodes needs a raised EKS quota "Nodes per managed node group" in every region and account.`,
  check: (spec) => {
    const max = spec.kubernetes?.nodeGroup.maxSize;
    if (max === undefined || max <= DEFAULT_NODES_QUOTA) return [];
    return [
      problem(
        nodeQuotaRule,
        'spec.kubernetes.nodeGroup.maxSize',
        `maxSize ${max} is above EKS's default quota of ${DEFAULT_NODES_QUOTA} nodes per managed node group: the node group cannot scale past it until the quota is raised (Service Quotas, Amazon EKS, "Nodes per managed node group") in every region of the estate, the standbys included`,
        'warning',
      ),
    ];
  },
};

/** Every instance type is offered in every region of the estate (cfn-lint's per-region data). */
export const instanceTypesRule: PolicyRule = {
  id: 'kubernetes.instance-type-region',
  severity: 'error',
  summary: 'Every node instance type must be offered in every region of the estate.',
  check: (spec) => {
    const types = spec.kubernetes?.nodeGroup.instanceTypes ?? [];
    const regions = regionsOf(spec);
    return types.flatMap((type, i) => {
      const gap = instanceTypeGap(type, regions);
      if (!gap) return [];
      const path = `spec.kubernetes.nodeGroup.instanceTypes[${i}]`;
      const instead = gap.nearest ? `use ${gap.nearest}, which all of them offer` : 'choose a type every region offers';
      return [
        withFix(
          problem(
            instanceTypesRule,
            path,
            `${type} is not offered in ${gap.lacking.join(', ')} (EC2 instance types per region: src/facts/generated/ec2-instance-types.json), so the node group of that region cannot start; ${instead}`,
          ),
          gap.nearest ? { path, value: gap.nearest } : undefined,
        ),
      ];
    });
  },
};

/**
 * One node group has one AMI, so one architecture: all Graviton (arm64) types or none. And no A1 type (series a, the
 * first Graviton): the node group's AMI is Amazon Linux 2023 (amiTypeOf), which on ARM supports only Graviton2 or later
 * and not A1 instances, its packages being built for ARMv8.2 with the Cryptography Extension (Amazon Linux 2023 User
 * Guide, "AL2023 system requirements", https://docs.aws.amazon.com/linux/al2023/ug/system-requirements.html, a note
 * under "ARM CPU requirements for AL2023"; read in the AWS-published Italian and Portuguese translations of that page
 * the search tool stores, audit 16 L8). No model on this machine (botocore ec2 and eks, cfn-lint) states it: EKS would
 * accept the node group and its nodes would not boot.
 */
export const architectureRule: PolicyRule = {
  id: 'kubernetes.instance-architecture',
  severity: 'error',
  summary:
    'Node instance types must share one architecture (all Graviton arm64, or all x86_64): a node group has one AMI type; and no A1 type (Amazon Linux 2023 needs Graviton2 or later).',
  check: (spec) => {
    const types = spec.kubernetes?.nodeGroup.instanceTypes ?? [];
    const graviton1 = types.flatMap((type, i) =>
      seriesOf(type) === 'a'
        ? [
            problem(
              architectureRule,
              `spec.kubernetes.nodeGroup.instanceTypes[${i}]`,
              `${type} is an A1 type (the first Graviton): the nodes run Amazon Linux 2023, which on ARM supports only Graviton2 or later, not A1 instances (Amazon Linux 2023 User Guide, AL2023 system requirements), so they would not boot; use a Graviton2 or later type (t4g, m6g, m7g, c7g, …)`,
            ),
          ]
        : [],
    );
    const arm = types.filter(isArm64);
    if (arm.length === 0 || arm.length === types.length) return graviton1;
    return [
      ...graviton1,
      problem(
        architectureRule,
        'spec.kubernetes.nodeGroup.instanceTypes',
        `${arm.join(', ')} ${arm.length === 1 ? 'is' : 'are'} Graviton (arm64) and ${types.filter((t) => !isArm64(t)).join(', ')} x86_64: a managed node group has one AMI type, so EKS refuses the mix; list types of one architecture`,
      ),
    ];
  },
};

/**
 * Accelerated instance types are refused: drplane composes the standard EKS-optimized AMI types only, which have no
 * NVIDIA or Neuron drivers (botocore CreateNodegroup: a GPU instance type needs a GPU AMI type), so such nodes would
 * start with their accelerators unusable, or, for FPGAs and other accelerators EKS has no AMI type for, not at all.
 */
export const acceleratedRule: PolicyRule = {
  id: 'kubernetes.instance-accelerated',
  severity: 'error',
  summary:
    'Node instance types must not be accelerated (GPU, Inferentia, Trainium, FPGA, …): drplane composes only the standard EKS AMI types, without their drivers.',
  check: (spec) =>
    (spec.kubernetes?.nodeGroup.instanceTypes ?? []).flatMap((type, i) => {
      const accelerator = acceleratorOf(type);
      if (accelerator === undefined) return [];
      return [
        problem(
          acceleratedRule,
          `spec.kubernetes.nodeGroup.instanceTypes[${i}]`,
          `${type} is an accelerated type (${accelerator}; series by the ${INSTANCE_SERIES_SOURCE}), but drplane's node group uses the standard EKS-optimized AMI, which has no NVIDIA or Neuron drivers: its accelerators would be unusable. Use a general-purpose, compute- or memory-optimized type (for example m7i.large), and run accelerated nodes in a node group of your own`,
        ),
      ];
    }),
};

/**
 * Addresses the largest of the instance types may hold in its subnet (a node group may start any of them), from the
 * VPC CNI's per-type table (src/facts/eni.ts); a type the table does not know counts as the table's largest, and is
 * named in `unknown`.
 */
export function addressesPerNode(instanceTypes: readonly string[]): { perNode: number; unknown: string[] } {
  const unknown = instanceTypes.filter((t) => addressesOf(t) === undefined);
  const perNode = Math.max(...instanceTypes.map((t) => addressesOf(t) ?? MOST_ADDRESSES));
  return { perNode, unknown };
}

/**
 * Addresses kept free in each subnet for the EKS control plane's network interfaces: the EKS User Guide's network
 * requirements ask for at least six per subnet and recommend 16 (an upgrade creates new interfaces before it removes
 * the old ones), and a DR estate must be able to upgrade.
 */
export const CONTROL_PLANE_ENIS_PER_SUBNET = 16;

/**
 * Nodes one private subnet must hold: maxSize spread over the availability zones left after one is lost, the event a
 * DR estate plans for (the node group's Auto Scaling group then launches every node in the zones that remain).
 */
export const nodesPerSubnet = (maxSize: number, availabilityZones: number): number =>
  Math.ceil(maxSize / Math.max(1, availabilityZones - 1));

/** maxSize nodes, packed into the zones left after one is lost, fit the private subnets with their pod addresses. */
export const nodeAddressesRule: PolicyRule = {
  id: 'kubernetes.node-addresses',
  severity: 'error',
  summary:
    'maxSize nodes (spread over the availability zones left after one is lost) with their VPC CNI pod addresses must fit the private subnets besides what else the estate puts there.',
  check: (spec) => {
    const k = spec.kubernetes;
    const network = spec.network;
    if (!k || !network) return [];
    const { perNode, unknown } = addressesPerNode(k.nodeGroup.instanceTypes);
    const assumed = unknown.length
      ? ` (${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the VPC CNI's table, so counted at its largest, ${MOST_ADDRESSES})`
      : '';
    const perSubnet = nodesPerSubnet(k.nodeGroup.maxSize, network.availabilityZones);
    const survivors = Math.max(1, network.availabilityZones - 1);
    const needed = perSubnet * perNode + CONTROL_PLANE_ENIS_PER_SUBNET + addressesPerSubnet(spec, network);
    return Object.entries(network.cidrs).flatMap(([region, cidr]) => {
      const parsed = parseCidr(cidr);
      if (!parsed.ok || !regionsOf(spec).includes(region)) return [];
      const size = addressCount(subnetPrefix(parsed.network.prefix));
      if (needed <= size) return [];
      const room = Math.floor((size - CONTROL_PLANE_ENIS_PER_SUBNET - addressesPerSubnet(spec, network)) / perNode);
      const fits = Math.max(0, room) * survivors;
      return [
        problem(
          nodeAddressesRule,
          'spec.kubernetes.nodeGroup.maxSize',
          `maxSize ${k.nodeGroup.maxSize} puts up to ${perSubnet} nodes in each private subnet of ${region} (${cidr}: /${subnetPrefix(parsed.network.prefix)} subnets of ${size} addresses) once one of its ${network.availabilityZones} availability zones is lost, ` +
            `and the VPC CNI gives each node up to ${perNode} addresses for its pods (${k.nodeGroup.instanceTypes.join(', ')}: ENIs × IPv4 addresses per ENI, ${describeEniSource()})${assumed}: ${needed} addresses with the estate's endpoints and the control plane. ` +
            `Lower maxSize to ${fits} or less, or give ${region} a larger range`,
        ),
      ];
    });
  },
};

/**
 * Every extra network admitted to the clusters' API is a real IPv4 network (security group rules take no host bits) and
 * not the whole internet: the endpoint is private, and 0.0.0.0/0 would admit any network routed into the VPC.
 */
export const apiAccessCidrsRule: PolicyRule = {
  id: 'kubernetes.api-access-cidrs',
  severity: 'error',
  summary: 'kubernetes.apiAccessCidrs must be IPv4 networks (no host bits set), each narrower than /0.',
  check: (spec) =>
    (spec.kubernetes?.apiAccessCidrs ?? []).flatMap((cidr, i) => {
      const path = `spec.kubernetes.apiAccessCidrs[${i}]`;
      const parsed = parseCidr(cidr);
      if (!parsed.ok) {
        const fix = parsed.suggestion ? { path, value: parsed.suggestion } : undefined;
        const instead = parsed.suggestion ? `write ${parsed.suggestion}` : 'write a network such as 10.100.0.0/16';
        return [withFix(problem(apiAccessCidrsRule, path, `${cidr} is not an IPv4 network: ${parsed.reason}; ${instead}`), fix)];
      }
      if (parsed.network.prefix > 0) return [];
      return [
        problem(
          apiAccessCidrsRule,
          path,
          `${cidr} admits every network routed into the estate VPCs to the Kubernetes API: list the networks of the VPN, Transit Gateway or bastion that need it`,
        ),
      ];
    }),
};

/** Rules of the kubernetes section. */
export const KUBERNETES_RULES: readonly PolicyRule[] = [
  needsNetworkRule,
  nodeGroupBoundsRule,
  versionSupportRule,
  instanceTypesRule,
  architectureRule,
  acceleratedRule,
  nodeAddressesRule,
  nodeQuotaRule,
  apiAccessCidrsRule,
];
