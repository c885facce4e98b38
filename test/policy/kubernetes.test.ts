/** Rules of the kubernetes section: network, node group bounds, EKS version support, instance types, addresses. */
import { describe, expect, it } from 'vitest';
import { EKS_VERSIONS } from '../../src/facts/eks-versions.js';
import {
  apiAccessCidrsRule,
  acceleratedRule,
  architectureRule,
  instanceTypesRule,
  needsNetworkRule,
  addressesPerNode,
  CONTROL_PLANE_ENIS_PER_SUBNET,
  nodeAddressesRule,
  nodeGroupBoundsRule,
  nodeQuotaRule,
  versionSupportRule,
} from '../../src/primitives/kubernetes/rules.js';
import { PRICES } from '../../src/estimate/prices.js';
import { DisasterRecoverySpecSchema } from '../../src/api/claim.js';
import { check, spec } from './specs.js';

const PLATFORM = 'arn:aws:iam::123456789012:role/platform';
const k8s = (more: object = {}, nodeGroup: object = {}) => ({
  kubernetes: { platformRoleArn: PLATFORM, version: '1.34', nodeGroup, ...more },
});
const on = (date: string) => ({ today: new Date(`${date}T00:00:00Z`) });

describe('kubernetes rules', () => {
  it('needs a network', () => {
    expect(check(needsNetworkRule, spec({ ...k8s(), network: undefined, service: { vpc: false } }))[0]?.message).toMatch(
      /no spec.network/,
    );
    expect(check(needsNetworkRule, spec(k8s()))).toEqual([]);
  });

  it('refuses extra API networks that are not IPv4 networks or that are the whole internet', () => {
    const problems = check(apiAccessCidrsRule, spec(k8s({ apiAccessCidrs: ['10.100.0.0/16', '10.9.1.0/16', '0.0.0.0/0'] })));
    expect(problems.map((p) => p.path)).toEqual(['spec.kubernetes.apiAccessCidrs[1]', 'spec.kubernetes.apiAccessCidrs[2]']);
    expect(problems[0]).toMatchObject({ severity: 'error', fix: { value: '10.9.0.0/16' } });
    expect(problems[0]!.message).toMatch(/host bits are set/);
    expect(check(apiAccessCidrsRule, spec(k8s({ apiAccessCidrs: ['192.168.0.0/24'] })))).toEqual([]);
  });

  it('refuses minSize above maxSize, proposing maxSize = minSize', () => {
    const [p] = check(nodeGroupBoundsRule, spec(k8s({}, { minSize: 5, maxSize: 2 })));
    expect(p).toMatchObject({ severity: 'error', path: 'spec.kubernetes.nodeGroup.maxSize', fix: { value: 5 } });
    expect(check(nodeGroupBoundsRule, spec(k8s({}, { minSize: 2, maxSize: 2 })))).toEqual([]);
  });

  it('says nothing for a version far from the end of its standard support', () => {
    expect(check(versionSupportRule, spec(k8s({ version: '1.35' })), on('2026-06-01'))).toEqual([]);
  });

  it('warns within 180 days of the end of standard support, with the extended-support cost and the source', () => {
    // 1.34: standard support until 2026-12-02.
    const [p] = check(versionSupportRule, spec(k8s({ version: '1.34' })), on('2026-11-01'));
    expect(p).toMatchObject({ severity: 'warning', fix: { path: 'spec.kubernetes.version', value: '1.35' } });
    expect(p!.message).toMatch(/ends on 2026-12-02 \(in 31 days\)/);
    expect(p!.message).toMatch(/\$365\.00 per cluster-month \(\$730\.00 for the 2 clusters/);
    expect(p!.message).toMatch(/amazon-eks-user-guide/);
  });

  it('warns in extended support and refuses a version past it', () => {
    expect(check(versionSupportRule, spec(k8s({ version: '1.31' })), on('2026-01-10'))[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/left EKS standard support on 2025-11-26 and is in extended support until 2026-11-26/),
    });
    expect(check(versionSupportRule, spec(k8s({ version: '1.31' })), on('2026-11-26'))[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/ended extended support for Kubernetes 1.31 on 2026-11-26/),
    });
  });

  it('bills extended support from the first day of the end of standard support, and never claims the table is the newest EKS has', () => {
    const [first] = check(versionSupportRule, spec(k8s({ version: '1.35' })), on('2027-03-27'));
    expect(first!.message).toMatch(/left EKS standard support on 2027-03-27 and is in extended support/);
    const [day] = check(versionSupportRule, spec(k8s({ version: '1.35' })), on('2027-03-26'));
    expect(day!.message).toMatch(/ends on 2027-03-27 \(in 1 days\)/);
    // 1.35 is the table's newest: the fix points at EKS's own list, not at "no version lasts longer".
    expect(day!.message).toMatch(/EKS may offer newer ones \(aws eks describe-cluster-versions\)/);
    expect(day!.message).not.toMatch(/lasts longer/);
  });

  it('calls the extended-support price what the price table says it is (confirmed rows: list price)', () => {
    const [p] = check(versionSupportRule, spec(k8s({ version: '1.35' })), on('2027-03-26'));
    const confirmed = [PRICES.eksClusterHour, PRICES.eksClusterExtendedHour].every((r) => r.status === 'confirmed');
    expect(confirmed).toBe(true);
    expect(p!.message).toMatch(/\$365\.00 per cluster-month \(\$730\.00 for the 2 clusters, list price\)/);
  });

  it('accepts a node group above the default EKS quota of 450 nodes, with a warning to raise it', () => {
    const big = {
      ...k8s({}, { minSize: 2, maxSize: 600 }),
      network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
    };
    expect(DisasterRecoverySpecSchema.safeParse(spec(big)).success).toBe(true);
    const [p] = check(nodeQuotaRule, spec(big));
    expect(p).toMatchObject({ severity: 'warning', path: 'spec.kubernetes.nodeGroup.maxSize' });
    expect(p!.message).toMatch(/above EKS's default quota of 450 nodes per managed node group/);
    expect(check(nodeQuotaRule, spec(k8s({}, { maxSize: 450 })))).toEqual([]);
  });

  it('refuses a version the table does not know', () => {
    const [p] = check(versionSupportRule, spec(k8s({ version: '1.99' })), on('2026-06-01'));
    expect(p).toMatchObject({ severity: 'error', fix: { value: '1.35' } });
  });

  it('is a dated rule: its verdict depends on the day, so the function never refuses a new estate for it (audit 16 M1)', () => {
    expect(versionSupportRule.dated).toBe(true);
  });

  it('warns, not refuses, for a version just newer than the table, by the Kubernetes release cadence (audit 16 M1)', () => {
    // The table's newest is 1.35, released on EKS 2026-01-28; Kubernetes ships a minor about every 122 days.
    const [p] = check(versionSupportRule, spec(k8s({ version: '1.36' })), on('2026-12-06'));
    expect(p).toMatchObject({ severity: 'warning', path: 'spec.kubernetes.version' });
    expect(p!.message).toMatch(/newer than every version in drplane's EKS version table .*newest 1\.35.*EKS may well offer it/);
    expect(p!.fix).toBeUndefined();
    // 312 days after 1.35: at most two newer minors can exist; a third is not a version EKS can offer yet.
    expect(check(versionSupportRule, spec(k8s({ version: '1.37' })), on('2026-12-06'))[0]?.severity).toBe('warning');
    expect(check(versionSupportRule, spec(k8s({ version: '1.38' })), on('2026-12-06'))[0]?.severity).toBe('error');
    // A week after 1.35's release no newer minor can exist; an older version the table lacks is long out of support.
    expect(check(versionSupportRule, spec(k8s({ version: '1.36' })), on('2026-02-04'))[0]?.severity).toBe('error');
    expect(check(versionSupportRule, spec(k8s({ version: '1.20' })), on('2026-12-06'))[0]?.severity).toBe('error');
  });

  it('has a source and ordered dates for every version', () => {
    for (const v of EKS_VERSIONS) {
      expect(v.release < v.endOfStandardSupport && v.endOfStandardSupport < v.endOfExtendedSupport, v.version).toBe(true);
      expect(v.source.length, v.version).toBeGreaterThan(20);
    }
  });

  it('refuses an instance type a region of the estate does not offer, naming the region and one they all offer', () => {
    // cfn-lint's data: us-east-1 and us-west-2 offer m7i.large; a type offered nowhere is refused everywhere.
    expect(check(instanceTypesRule, spec(k8s({}, { instanceTypes: ['m7i.large'] })))).toEqual([]);
    const [p] = check(instanceTypesRule, spec(k8s({}, { instanceTypes: ['zz9.large'] })));
    expect(p).toMatchObject({ severity: 'error', path: 'spec.kubernetes.nodeGroup.instanceTypes[0]' });
    expect(p!.message).toMatch(/not offered in us-east-1, us-west-2/);
  });

  it('refuses a mix of Graviton and x86 types', () => {
    expect(check(architectureRule, spec(k8s({}, { instanceTypes: ['m7g.large', 'm7i.large'] })))).toHaveLength(1);
    expect(check(architectureRule, spec(k8s({}, { instanceTypes: ['m7g.large', 'c7g.large'] })))).toEqual([]);
    // A1 is Graviton (arm64): with an x86 type it is a mix as well as an A1 type, with another Graviton type only the
    // latter (audit 16 M5, L8).
    const paths = (types: string[]) => check(architectureRule, spec(k8s({}, { instanceTypes: types }))).map((p) => p.path);
    expect(paths(['a1.large', 'm7i.large'])).toEqual([
      'spec.kubernetes.nodeGroup.instanceTypes[0]',
      'spec.kubernetes.nodeGroup.instanceTypes',
    ]);
    expect(paths(['m7g.large', 'a1.large'])).toEqual(['spec.kubernetes.nodeGroup.instanceTypes[1]']);
  });

  it("refuses A1 (first Graviton) types: Amazon Linux 2023, the nodes' AMI, needs Graviton2 or later (audit 16 L8)", () => {
    for (const type of ['a1.medium', 'a1.large', 'a1.4xlarge', 'a1.metal']) {
      const problems = check(architectureRule, spec(k8s({}, { instanceTypes: [type] })));
      expect(problems, type).toHaveLength(1);
      expect(problems[0]).toMatchObject({ severity: 'error', path: 'spec.kubernetes.nodeGroup.instanceTypes[0]' });
      expect(problems[0]!.message).toContain(`${type} is an A1 type`);
      expect(problems[0]!.message).toContain('Graviton2 or later');
    }
    // Graviton2 and later (t4g, m6g, c7g, m8g) and x86 types pass.
    for (const type of ['t4g.large', 'm6g.large', 'c7g.large', 'm8g.large', 'm7i.large']) {
      expect(check(architectureRule, spec(k8s({}, { instanceTypes: [type] }))), type).toEqual([]);
    }
  });

  it('refuses accelerated instance types (GPU, Inferentia, Trainium, FPGA), naming the type and the accelerator', () => {
    const types = [
      'm7i.large',
      'g5.xlarge',
      'p4d.24xlarge',
      'inf2.xlarge',
      'trn1.2xlarge',
      'g5g.xlarge',
      'f1.2xlarge',
      'gr6.4xlarge',
    ];
    const problems = check(acceleratedRule, spec(k8s({}, { instanceTypes: types })));
    expect(problems.map((p) => p.path)).toEqual(
      types.slice(1).map((_, i) => `spec.kubernetes.nodeGroup.instanceTypes[${i + 1}]`),
    );
    expect(problems.every((p) => p.severity === 'error')).toBe(true);
    expect(problems[0]!.message).toMatch(/^g5\.xlarge is an accelerated type \(GPUs;.*no NVIDIA or Neuron drivers/);
    expect(problems[2]!.message).toMatch(/AWS Inferentia/);
    // General-purpose, compute, memory and storage types (Graviton and x86 alike) pass: m7g has the g option, not series g.
    const plain = ['m7g.large', 'c7gn.xlarge', 'r8gd.large', 'i4i.large', 't3.large', 'a1.large', 'hpc7g.4xlarge'];
    expect(check(acceleratedRule, spec(k8s({}, { instanceTypes: plain })))).toEqual([]);
  });

  it('counts each instance type at its own ENIs × IPv4 addresses per ENI (VPC CNI table), not by its size alone', () => {
    // Examples from the VPC CNI's table at the pinned commit (audit 16 H3): the size-only table had 30, 30, 240, 18, 750.
    expect(addressesPerNode(['t3.large'])).toEqual({ perNode: 36, unknown: [] });
    expect(addressesPerNode(['m8i.large']).perNode).toBe(60);
    expect(addressesPerNode(['g5.12xlarge']).perNode).toBe(750);
    expect(addressesPerNode(['m7g.medium']).perNode).toBe(8);
    expect(addressesPerNode(['m8i.48xlarge']).perNode).toBe(1536);
    expect(addressesPerNode(['m7g.medium', 'm7i.large']).perNode).toBe(30);
    expect(addressesPerNode(['zz9.large'])).toEqual({ perNode: 1536, unknown: ['zz9.large'] });
  });

  it('refuses a maxSize that fits at the size-only estimate but not at the real address count of the type', () => {
    // /22 VPC → /24 subnets of 256 addresses; 2 AZs, so after the loss of one all 7 nodes in one subnet, 34 more for
    // endpoints and the control plane: 7 × 30 + 34 = 244 fit (the size-only table said 30 for every .large), 7 × 36 + 34 = 286 do not.
    const net = { network: { cidrs: { 'us-east-1': '10.0.0.0/22', 'us-west-2': '10.1.0.0/16' } } };
    const [p] = check(nodeAddressesRule, spec({ ...k8s({}, { instanceTypes: ['t3.large'], maxSize: 7 }), ...net }));
    expect(check(nodeAddressesRule, spec({ ...k8s({}, { instanceTypes: ['m7i.large'], maxSize: 7 }), ...net }))).toEqual([]);
    expect(p).toMatchObject({ severity: 'error', path: 'spec.kubernetes.nodeGroup.maxSize' });
    expect(p!.message).toMatch(/up to 36 addresses/);
    expect(p!.message).toMatch(/amazon-vpc-cni-k8s v1\.23\.1/);
  });

  it('refuses a maxSize whose pod addresses do not fit the private subnets', () => {
    // A /24 VPC has /26 subnets of 64 addresses; m7i.large nodes take up to 30 each.
    const small = { network: { cidrs: { 'us-east-1': '10.0.0.0/24', 'us-west-2': '10.1.0.0/16' } } };
    const [p] = check(nodeAddressesRule, spec({ ...k8s({}, { instanceTypes: ['m7i.large'], maxSize: 10 }), ...small }));
    expect(p).toMatchObject({ severity: 'error', path: 'spec.kubernetes.nodeGroup.maxSize' });
    expect(p!.message).toMatch(/us-east-1 \(10.0.0.0\/24/);
    expect(check(nodeAddressesRule, spec(k8s({}, { instanceTypes: ['m7i.large'], maxSize: 100 })))).toEqual([]);
  });

  it('packs maxSize into the zones left after one is lost, and keeps 16 addresses per subnet for the control plane', () => {
    // /22 VPC → /24 subnets of 256 addresses, 3 AZs, m7i.large (30 addresses each), 20 addresses for the endpoints.
    // 14 nodes: 7 per subnet after a loss: 7 × 30 + 20 + 16 = 246 fit; 15 nodes: 8 × 30 + 36 = 276 do not (spread
    // over all three zones, 5 × 30 + 36 = 186 would have passed).
    const net = { network: { cidrs: { 'us-east-1': '10.0.0.0/22', 'us-west-2': '10.1.0.0/16' }, availabilityZones: 3 } };
    const at = (maxSize: number) =>
      check(nodeAddressesRule, spec({ ...k8s({}, { instanceTypes: ['m7i.large'], maxSize }), ...net }));
    expect(at(14)).toEqual([]);
    const [p] = at(15);
    expect(p!.message).toMatch(
      /up to 8 nodes in each private subnet of us-east-1 .* once one of its 3 availability zones is lost/,
    );
    expect(p!.message).toMatch(/Lower maxSize to 14 or less/);
    expect(CONTROL_PLANE_ENIS_PER_SUBNET).toBe(16);
  });
});
