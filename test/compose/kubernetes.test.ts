/** XRegionalCluster: the EKS cluster of every region, its node group sized by standby mode, and the endpoints it needs. */
import { describe, expect, it } from 'vitest';
import { CLUSTER_ENDPOINTS, PLATFORM_ACCESS_POLICY } from '../../src/primitives/kubernetes/compose.js';
import { SCALE_DOWN_SETTLE_SECONDS } from '../../src/primitives/kubernetes/scaling.js';
import {
  ACCOUNT,
  FULL_SPEC,
  byKey,
  composeLive,
  fp,
  keysOf,
  labels,
  managed,
  nestedOf,
  observedView,
  plan,
  spec,
  type Observed,
} from './helpers.js';

const PLATFORM = `arn:aws:iam::${ACCOUNT}:role/platform`;
const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
const withCluster = (kubernetes: object = {}) => ({ ...FULL_SPEC, kubernetes: { platformRoleArn: PLATFORM, ...kubernetes } });

/** What nodes wait for in a region: the VPC CNI and Pod Identity Agent add-ons and the aws-node association, Ready. */
const cniReady = (r: string): Record<string, Observed> => ({
  [`eks-addon-vpc-cni-${r}`]: { ready: true },
  [`eks-addon-eks-pod-identity-agent-${r}`]: { ready: true },
  [`eks-pod-identity-cni-${r}`]: { ready: true },
});

/**
 * The cluster keys of every region observed with their ARN (the cluster waits for it) and the add-ons the nodes wait
 * for Ready, plus `more`.
 */
const keysObserved = (more: Record<string, Observed> = {}): Record<string, Observed> => ({
  ...Object.fromEntries(regions.map((r) => [`kms-cluster-${r}`, { ready: true, arn: `arn:aws:kms:${r}:${ACCOUNT}:key/k-${r}` }])),
  ...Object.assign({}, ...regions.map(cniReady)),
  ...more,
});

/** Observed node group of a region that runs `desired` nodes: Ready, and ACTIVE as EKS reports it. */
const nodes = (desired: number, status = 'ACTIVE'): Observed => ({
  ready: true,
  atProvider: { status, scalingConfig: { desiredSize: desired } } as any,
});

/** The function's clock in the fail-back tests, and a time `minutes` before it, as status.regions.<r>.nodes.capacitySince. */
const NOW = new Date('2026-12-07T03:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
/** A previous status's regions, each with the capacitySince given. */
const heldSince = (since: Record<string, string>) => ({
  regions: Object.fromEntries(Object.entries(since).map(([r, at]) => [r, { nodes: { capacitySince: at } }])),
});

const live = (kubernetes: object, observed: Record<string, Observed>) =>
  composeLive(nestedOf(withCluster(kubernetes), 'XRegionalCluster'), observedView(observed));

const scaling = (result: ReturnType<typeof live>, region: string) => fp(byKey(result, `eks-nodes-${region}`)).scalingConfig;
const initScaling = (result: ReturnType<typeof live>, region: string) =>
  spec(byKey(result, `eks-nodes-${region}`)).initProvider.scalingConfig;

describe('XRegionalCluster', () => {
  it('is composed only with a kubernetes section and a network', () => {
    expect(plan(FULL_SPEC).some((r) => r.manifest.kind === 'XRegionalCluster')).toBe(false);
    const { network: _, ...noNetwork } = withCluster();
    expect(plan(noNetwork).some((r) => r.manifest.kind === 'XRegionalCluster')).toBe(false);
    expect(managed(plan(withCluster()), 'Cluster').filter((m) => m.apiVersion.startsWith('eks.'))).toHaveLength(3);
  });

  it('makes a private cluster per region: no public endpoint, secrets encrypted with the region key, every control-plane log', () => {
    const result = live({}, keysObserved());
    for (const r of regions) {
      const cluster = fp(byKey(result, `eks-cluster-${r}`));
      expect(cluster.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
      expect(cluster.vpcConfig.subnetIdSelector.matchLabels['drplane.io/component']).toBe('private-subnet');
      expect(cluster.encryptionConfig).toEqual({
        provider: { keyArn: `arn:aws:kms:${r}:${ACCOUNT}:key/k-${r}` },
        resources: ['secrets'],
      });
      expect(cluster.enabledClusterLogTypes).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
      expect(cluster.accessConfig).toEqual({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false });
      const kmsPolicy = JSON.parse(fp(byKey(result, `eks-cluster-role-kms-${r}`)).policy);
      expect(kmsPolicy.Statement[0].Resource).toEqual([`arn:aws:kms:${r}:${ACCOUNT}:key/k-${r}`]);
    }
  });

  it('opens the private API to the estate VPCs and the claimed extra networks on 443, through a security group on the cluster', () => {
    const extra = ['192.168.10.0/24', '172.16.0.0/12'];
    const result = live({ apiAccessCidrs: extra }, keysObserved());
    for (const r of regions) {
      const selector = fp(byKey(result, `eks-cluster-${r}`)).vpcConfig.securityGroupIdSelector;
      expect(selector.matchLabels).toMatchObject({ 'drplane.io/component': 'sg-eks-api', 'drplane.io/region': r });
    }
    const rules = managed(plan(withCluster({ apiAccessCidrs: extra })), 'SecurityGroupIngressRule').filter(
      (m) => fp(m).securityGroupIdSelector.matchLabels['drplane.io/component'] === 'sg-eks-api' && fp(m).region === 'us-west-2',
    );
    expect(rules.map((m) => [fp(m).fromPort, fp(m).toPort, fp(m).ipProtocol])).toEqual(rules.map(() => [443, 443, 'tcp']));
    expect(rules.map((m) => fp(m).cidrIpv4).sort()).toEqual([...Object.values(FULL_SPEC.network.cidrs), ...extra].sort());
    const groups = managed(plan(withCluster()), 'SecurityGroup').filter(
      (m) => labels(m)['drplane.io/component'] === 'sg-eks-api',
    );
    expect(groups).toHaveLength(3);
    expect(managed(plan(FULL_SPEC), 'SecurityGroup').some((m) => labels(m)['drplane.io/component'] === 'sg-eks-api')).toBe(false);
  });

  it('waits for the key ARN before composing the cluster (the provider cannot resolve keyArn)', () => {
    const result = live({}, {});
    expect(keysOf(result).filter((k) => /^eks-cluster-(us|eu)-/.test(k))).toEqual([]);
    expect(keysOf(result)).toContain('eks-node-role-us-west-2');
    expect(keysOf(result)).toContain('eks-addon-vpc-cni-us-west-2');
  });

  it('starts nodes (and CoreDNS) only once the VPC CNI can get credentials, and keeps a node group once created', () => {
    const keysOnly = Object.fromEntries(
      regions.map((r) => [`kms-cluster-${r}`, { ready: true, arn: `arn:aws:kms:${r}:${ACCOUNT}:key/k-${r}` }]),
    );
    const waiting = live({}, keysOnly);
    expect(keysOf(waiting)).not.toContain('eks-nodes-us-east-1');
    expect(keysOf(waiting)).not.toContain('eks-addon-coredns-us-east-1');
    expect(keysOf(waiting)).toContain('eks-addon-vpc-cni-us-east-1');
    expect(keysOf(waiting)).toContain('eks-pod-identity-cni-us-east-1');
    // The association alone is not enough: the agent add-on must be Ready too.
    const partial = live(
      {},
      { ...keysOnly, 'eks-addon-vpc-cni-us-east-1': { ready: true }, 'eks-pod-identity-cni-us-east-1': { ready: true } },
    );
    expect(keysOf(partial)).not.toContain('eks-nodes-us-east-1');
    const started = live({}, { ...keysOnly, ...cniReady('us-east-1') });
    expect(keysOf(started)).toContain('eks-nodes-us-east-1');
    expect(keysOf(started)).toContain('eks-addon-coredns-us-east-1');
    expect(keysOf(started)).not.toContain('eks-nodes-us-west-2');
    // An existing node group stays when an add-on is briefly not Ready (an update).
    const kept = live({}, { ...keysOnly, 'eks-nodes-us-east-1': nodes(2) });
    expect(keysOf(kept)).toContain('eks-nodes-us-east-1');
    // The plan is the steady state: every region's node group is in it.
    expect(plan(withCluster()).filter((r) => /^eks-nodes-/.test(r.key))).toHaveLength(3);
  });

  describe('orders deletion with ClusterUsages (audit-16 L4)', () => {
    const usages = (result: ReturnType<typeof live>) =>
      result.resources.filter((r) => r.manifest.kind === 'ClusterUsage').map((r) => r.manifest);
    const matches = (selector: Record<string, string>, m: { metadata?: unknown }) =>
      Object.entries(selector).every(([k, v]) => labels(m as never)[k] === v);
    /** The composition keys of the one resource each side of a usage selects (by kind and labels), or the count. */
    const sides = (result: ReturnType<typeof live>, u: ReturnType<typeof usages>[number]) =>
      (['of', 'by'] as const).map((side) => {
        const sel = spec(u)[side];
        expect(sel.resourceSelector.matchControllerRef).toBe(true);
        const hit = result.resources.filter(
          (r) =>
            r.manifest.kind === sel.kind &&
            r.manifest.apiVersion === sel.apiVersion &&
            matches(sel.resourceSelector.matchLabels, r.manifest),
        );
        return hit.length === 1 ? hit[0]!.key : `${hit.length} matches`;
      });

    it('holds the cluster for its node group, add-ons, access and Pod Identity, and its role, key and logs for the cluster', () => {
      const result = live({}, keysObserved());
      const pairs = usages(result).map((u) => sides(result, u).join(' <- '));
      const r = 'us-east-1';
      expect(pairs).toEqual(
        expect.arrayContaining([
          `eks-cluster-${r} <- eks-nodes-${r}`,
          `eks-cluster-${r} <- eks-addon-vpc-cni-${r}`,
          `eks-cluster-${r} <- eks-addon-kube-proxy-${r}`,
          `eks-cluster-${r} <- eks-addon-eks-pod-identity-agent-${r}`,
          `eks-cluster-${r} <- eks-addon-coredns-${r}`,
          `eks-cluster-${r} <- eks-access-platform-${r}`,
          `eks-cluster-${r} <- eks-access-platform-admin-${r}`,
          `eks-cluster-${r} <- eks-pod-identity-cni-${r}`,
          `eks-cluster-role-${r} <- eks-cluster-${r}`,
          `eks-cluster-role-${r}-amazoneksclusterpolicy <- eks-cluster-${r}`,
          `kms-cluster-${r} <- eks-cluster-${r}`,
          `eks-logs-${r} <- eks-cluster-${r}`,
          `eks-node-role-${r} <- eks-nodes-${r}`,
        ]),
      );
      // Every usage selects exactly one composed resource on each side, and replays the blocked deletion.
      for (const p of pairs) expect(p).not.toMatch(/matches/);
      expect(new Set(pairs).size).toBe(pairs.length);
      for (const u of usages(result)) expect(spec(u).replayDeletion).toBe(true);
      for (const region of regions) {
        expect(pairs.filter((p) => p.startsWith(`eks-cluster-${region} <- `)).length, region).toBeGreaterThanOrEqual(7);
      }
    });

    it('names only resources that are composed: none for a cluster still waiting for its key, none for a dropped add-on', () => {
      const waiting = live({}, {});
      const pairs = usages(waiting).map((u) => sides(waiting, u).join(' <- '));
      // Neither the cluster nor the node group is composed yet: every usage names one of them.
      expect(pairs).toEqual([]);
      // A pilot-light standby has no CoreDNS (no nodes), so no usage for it either.
      const pilot = live({ standby: 'pilot-light' }, keysObserved());
      const pilotPairs = usages(pilot).map((u) => sides(pilot, u).join(' <- '));
      expect(keysOf(pilot)).not.toContain('eks-addon-coredns-us-west-2');
      expect(pilotPairs.filter((p) => p.includes('coredns-us-west-2'))).toEqual([]);
      expect(pilotPairs).toContain('eks-cluster-us-east-1 <- eks-addon-coredns-us-east-1');
      for (const p of pilotPairs) expect(p).not.toMatch(/matches/);
    });
  });

  it('gives only the platform role access: an access entry with the cluster-admin policy, cluster-wide', () => {
    const result = live({}, keysObserved());
    expect(fp(byKey(result, 'eks-access-platform-us-east-1')).principalArn).toBe(PLATFORM);
    expect(fp(byKey(result, 'eks-access-platform-admin-us-east-1'))).toMatchObject({
      policyArn: PLATFORM_ACCESS_POLICY,
      accessScope: { type: 'cluster' },
    });
  });

  it('gives the VPC CNI its permissions through Pod Identity, not through the node role', () => {
    const resources = managed(plan(withCluster()));
    const attached = (role: string) =>
      resources
        .filter((m) => m.kind === 'RolePolicyAttachment' && fp(m).roleSelector.matchLabels['drplane.io/component'] === role)
        .map((m) => fp(m).policyArn.split('/').pop());
    expect(new Set(attached('eks-node-role'))).toEqual(
      new Set(['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly']),
    );
    expect(new Set(attached('eks-cni-role'))).toEqual(new Set(['AmazonEKS_CNI_Policy']));
    const association = resources.find((m) => m.kind === 'PodIdentityAssociation')!;
    expect(fp(association)).toMatchObject({ namespace: 'kube-system', serviceAccount: 'aws-node' });
  });

  it("trusts Pod Identity for the CNI role only for aws-node in kube-system of the region's own cluster", () => {
    const result = live({}, keysObserved());
    for (const r of regions) {
      const trust = JSON.parse(fp(byKey(result, `eks-cni-role-${r}`)).assumeRolePolicy);
      const cluster = fp(byKey(result, `eks-cluster-${r}`)).tags.Name;
      expect(trust.Statement[0].Condition).toEqual({
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${r}:${ACCOUNT}:cluster/${cluster}`,
          'aws:RequestTag/kubernetes-namespace': 'kube-system',
          'aws:RequestTag/kubernetes-service-account': 'aws-node',
        },
      });
    }
    // Before the account is known there is no CNI role (and no association to pass it) to trust anyone.
    expect(keysOf(live({}, {})).filter((key) => /^eks-(cni-role|pod-identity-cni)-/.test(key))).toEqual([]);
  });

  it.each([
    ['hot', 3],
    ['warm', 1],
    ['pilot-light', 0],
  ] as const)(
    'creates a %s standby node group with %i nodes and the active region with minSize, in initProvider',
    (standby, size) => {
      const result = live({ standby, nodeGroup: { minSize: 3, maxSize: 9 } }, keysObserved());
      expect(scaling(result, 'us-east-1')).toEqual({ minSize: 3, maxSize: 9 });
      expect(initScaling(result, 'us-east-1')).toEqual({ desiredSize: 3 });
      for (const r of ['us-west-2', 'eu-west-1']) {
        expect(scaling(result, r)).toEqual({ minSize: size, maxSize: 9 });
        expect(initScaling(result, r)).toEqual({ desiredSize: size });
      }
    },
  );

  it('never writes a desired size observed within the bounds into forProvider (the provider would revert a scale-up)', () => {
    // The orchestrator scaled us-west-2 to 5 outside git: forProvider must not name a desired size at all, because the
    // provider compares forProvider with AWS and calls UpdateNodegroupConfig before the function sees the new status.
    const k = { standby: 'pilot-light', nodeGroup: { minSize: 3, maxSize: 9 } };
    const scaled = live(k, keysObserved({ 'eks-nodes-us-west-2': nodes(5), 'eks-nodes-us-east-1': nodes(3) }));
    expect(scaling(scaled, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
    expect(scaling(scaled, 'us-east-1')).toEqual({ minSize: 3, maxSize: 9 });
    expect(initScaling(scaled, 'us-west-2')).toEqual({ desiredSize: 0 });
  });

  it('enforces a desired size only when the observed one leaves the new bounds (EKS refuses min > desired > max)', () => {
    const k = { standby: 'pilot-light', nodeGroup: { minSize: 3, maxSize: 9 } };
    // The new active region (floor 3) observed at 0, and a region observed above a lowered maxSize.
    const moved = live(k, keysObserved({ 'eks-nodes-us-east-1': nodes(0), 'eks-nodes-eu-west-1': nodes(12) }));
    expect(scaling(moved, 'us-east-1')).toEqual({ minSize: 3, maxSize: 9, desiredSize: 3 });
    expect(scaling(moved, 'eu-west-1')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 9 });
  });

  it('adds CoreDNS (a Deployment) only to regions whose role keeps nodes, and keeps it while a region still runs nodes', () => {
    const k = { standby: 'pilot-light' };
    expect(keysOf(live(k, keysObserved()))).not.toContain('eks-addon-coredns-us-west-2');
    expect(keysOf(live(k, keysObserved()))).toContain('eks-addon-coredns-us-east-1');
    expect(keysOf(live(k, keysObserved()))).toContain('eks-addon-vpc-cni-us-west-2');
    expect(keysOf(live({ standby: 'warm' }, keysObserved()))).toContain('eks-addon-coredns-us-west-2');
    // The old active region after a change of activeRegion: its nodes still run, so its CoreDNS stays (deleting the
    // add-on would delete the Deployment the pods there resolve names with) ...
    const draining = keysObserved({ 'eks-nodes-us-west-2': nodes(2), 'eks-addon-coredns-us-west-2': { ready: true } });
    expect(keysOf(live(k, draining))).toContain('eks-addon-coredns-us-west-2');
    // ... until its node group is observed scaled down: then the live estate is the plan again.
    const drained = keysObserved({ 'eks-nodes-us-west-2': nodes(0), 'eks-addon-coredns-us-west-2': { ready: true } });
    expect(keysOf(live(k, drained))).not.toContain('eks-addon-coredns-us-west-2');
    // An unknown size (no status yet) keeps nothing the plan lacks, and nodes alone never create CoreDNS in a standby.
    const unknown = keysObserved({ 'eks-nodes-us-west-2': { ready: true }, 'eks-addon-coredns-us-west-2': { ready: true } });
    expect(keysOf(live(k, unknown))).not.toContain('eks-addon-coredns-us-west-2');
    expect(keysOf(live(k, keysObserved({ 'eks-nodes-us-west-2': nodes(4) })))).not.toContain('eks-addon-coredns-us-west-2');
  });

  it('creates CoreDNS with preserve, so dropping it never deletes the Deployment under running pods', () => {
    const coredns = managed(plan(withCluster()), 'Addon').filter((m) => fp(m).addonName === 'coredns');
    expect(coredns.map((m) => fp(m).preserve)).toEqual([true, true, true]);
    const others = managed(plan(withCluster()), 'Addon').filter((m) => fp(m).addonName !== 'coredns');
    expect(others.map((m) => fp(m).preserve ?? false)).toEqual(others.map(() => false));
  });

  describe('fail-back', () => {
    const k = { standby: 'pilot-light', nodeGroup: { minSize: 3, maxSize: 9 } };
    /** The composite with the claim's activeRegion and what its status said after the previous reconcile. */
    const composite = (activeRegion: string, status: object) => ({
      ...nestedOf({ ...withCluster(k), activeRegion }, 'XRegionalCluster'),
      status,
    });
    const reconcile = (activeRegion: string, status: object, observed: Record<string, Observed>, today: Date | null = NOW) =>
      composeLive(composite(activeRegion, status), observedView(keysObserved(observed)), today ? { today } : {});
    const owed = (result: ReturnType<typeof live>) => result.status.scaleDownRegions;
    const since = (result: ReturnType<typeof live>, region: string) =>
      (result.status.regions as Record<string, { nodes?: { capacitySince?: string } }>)[region]?.nodes?.capacitySince;
    const coreDns = (r: string) => ({ [`eks-addon-coredns-${r}`]: { ready: true } });

    it('scales the region that stopped serving down to its floor once the new active region runs minSize', () => {
      // git moved activeRegion from us-west-2 back to us-east-1; the previous reconcile served us-west-2.
      const moved = reconcile(
        'us-east-1',
        { activeRegion: 'us-west-2' },
        {
          'eks-nodes-us-west-2': nodes(3),
          'eks-nodes-us-east-1': nodes(0),
          'eks-addon-coredns-us-west-2': { ready: true },
        },
      );
      expect(scaling(moved, 'us-east-1')).toEqual({ minSize: 3, maxSize: 9, desiredSize: 3 });
      // Not yet: the new active region has no nodes, the old one keeps serving what still runs there.
      expect(scaling(moved, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
      // initProvider too: the pinned provider re-applies its desired size on every update (scaling.ts), so the floor
      // there would scale us-west-2 down before us-east-1's nodes are Ready.
      expect(initScaling(moved, 'us-west-2')).toEqual({ desiredSize: 3 });
      expect(owed(moved)).toEqual(['us-west-2']);
      // The switch is done (us-east-1 has held its serving capacity for 10 minutes): us-west-2 goes to the pilot-light
      // floor, CoreDNS kept meanwhile.
      const switched = reconcile(
        'us-east-1',
        { activeRegion: 'us-east-1', scaleDownRegions: ['us-west-2'], ...heldSince({ 'us-east-1': minutesAgo(10) }) },
        {
          'eks-nodes-us-west-2': nodes(3),
          'eks-nodes-us-east-1': nodes(3),
          ...coreDns('us-east-1'),
          'eks-addon-coredns-us-west-2': { ready: true },
        },
      );
      expect(scaling(switched, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 0 });
      expect(initScaling(switched, 'us-west-2')).toEqual({ desiredSize: 0 });
      expect(keysOf(switched)).toContain('eks-addon-coredns-us-west-2');
      expect(owed(switched)).toEqual(['us-west-2']);
      // Observed at the floor: nothing is owed, the desired size is left alone again, CoreDNS goes (plan = live).
      const done = reconcile(
        'us-east-1',
        { activeRegion: 'us-east-1', scaleDownRegions: ['us-west-2'] },
        {
          'eks-nodes-us-west-2': nodes(0),
          'eks-nodes-us-east-1': nodes(3),
          'eks-addon-coredns-us-west-2': { ready: true },
        },
      );
      expect(scaling(done, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
      expect(owed(done)).toBeUndefined();
      expect(keysOf(done)).not.toContain('eks-addon-coredns-us-west-2');
    });

    it("follows the orchestrator's scale-up: the observed writer's region serves, and git's keeps its nodes until git agrees", () => {
      /** activeRegion (git) and the Aurora writer's region as the estate passes it (XGlobalDatabase observed it). */
      const withWriter = (
        activeRegion: string,
        writer: string | undefined,
        status: object,
        observed: Record<string, Observed>,
      ) => {
        const xr = composite(activeRegion, status);
        const s = { ...(xr.spec as object), ...(writer === undefined ? {} : { databaseWriterRegion: writer }) };
        return composeLive({ ...xr, spec: s }, observedView(keysObserved(observed)), { today: NOW });
      };
      // The orchestrator raised us-west-2 (pilot-light) to 3 and moved the writer there; git still says us-east-1.
      const raised = { 'eks-nodes-us-west-2': nodes(3), 'eks-nodes-us-east-1': nodes(3) };
      const failedOver = withWriter('us-east-1', 'us-west-2', { activeRegion: 'us-east-1' }, raised);
      // us-west-2's floor is minSize: nothing can lower its nodes, and it gets CoreDNS; us-east-1 keeps minSize too.
      expect(scaling(failedOver, 'us-west-2')).toEqual({ minSize: 3, maxSize: 9 });
      expect(scaling(failedOver, 'us-east-1')).toEqual({ minSize: 3, maxSize: 9 });
      expect(keysOf(failedOver)).toContain('eks-addon-coredns-us-west-2');
      expect(scaling(failedOver, 'eu-west-1')).toEqual({ minSize: 0, maxSize: 9 });
      expect(owed(failedOver)).toBeUndefined();
      expect(failedOver.status.servingRegions).toEqual(['us-east-1', 'us-west-2']);
      // Without the writer (the same observation, as before this change) us-west-2 would be a pilot-light standby.
      const gitOnly = withWriter('us-east-1', undefined, { activeRegion: 'us-east-1' }, raised);
      expect(scaling(gitOnly, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
      expect(keysOf(gitOnly)).not.toContain('eks-addon-coredns-us-west-2');
      // Before the scale-up is observed (desired 0), the writer's region is raised to its floor by the composition too.
      const notYet = withWriter('us-east-1', 'us-west-2', { activeRegion: 'us-east-1' }, { 'eks-nodes-us-west-2': nodes(0) });
      expect(scaling(notYet, 'us-west-2')).toEqual({ minSize: 3, maxSize: 9, desiredSize: 3 });
      // git records the move: us-east-1 stops serving and owes its scale-down, taken once us-west-2 has held its serving
      // capacity for 10 minutes.
      const held = heldSince({ 'us-west-2': minutesAgo(11), 'us-east-1': minutesAgo(11) });
      const servedBoth = { servingRegions: ['us-east-1', 'us-west-2'], ...held };
      const withDns = { ...raised, ...coreDns('us-west-2'), ...coreDns('us-east-1') };
      const recorded = withWriter('us-west-2', 'us-west-2', servedBoth, withDns);
      expect(recorded.status.servingRegions).toEqual(['us-west-2']);
      expect(owed(recorded)).toEqual(['us-east-1']);
      expect(scaling(recorded, 'us-east-1')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 0 });
      // A fail-back of the writer alone (git never moved): us-west-2 stops serving and goes back to pilot-light.
      const back = withWriter('us-east-1', 'us-east-1', servedBoth, withDns);
      expect(owed(back)).toEqual(['us-west-2']);
      expect(scaling(back, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 0 });
      // ... but not while the region that serves has no nodes Ready at minSize.
      const backEarly = withWriter('us-east-1', 'us-east-1', servedBoth, {
        'eks-nodes-us-west-2': nodes(3),
        'eks-nodes-us-east-1': { ready: false, atProvider: { status: 'ACTIVE', scalingConfig: { desiredSize: 3 } } as any },
        ...coreDns('us-east-1'),
      });
      expect(owed(backEarly)).toEqual(['us-west-2']);
      expect(scaling(backEarly, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
    });

    it('returns a warm or hot region to its own floor, not to zero', () => {
      const status = {
        activeRegion: 'us-east-1',
        scaleDownRegions: ['us-west-2'],
        ...heldSince({ 'us-east-1': minutesAgo(30) }),
      };
      const observed = { 'eks-nodes-us-west-2': nodes(7), 'eks-nodes-us-east-1': nodes(3), ...coreDns('us-east-1') };
      const warm = composeLive(
        { ...nestedOf({ ...withCluster({ ...k, standby: 'warm' }), activeRegion: 'us-east-1' }, 'XRegionalCluster'), status },
        observedView(keysObserved(observed)),
        { today: NOW },
      );
      expect(scaling(warm, 'us-west-2').desiredSize).toBe(1);
      const hot = composeLive(
        { ...nestedOf({ ...withCluster({ ...k, standby: 'hot' }), activeRegion: 'us-east-1' }, 'XRegionalCluster'), status },
        observedView(keysObserved(observed)),
        { today: NOW },
      );
      expect(scaling(hot, 'us-west-2').desiredSize).toBe(3);
    });

    it('leaves a standby that never served alone (scaled up outside git ahead of a failover), and the new active region', () => {
      const steady = reconcile(
        'us-east-1',
        { activeRegion: 'us-east-1' },
        {
          'eks-nodes-us-west-2': nodes(5),
          'eks-nodes-us-east-1': nodes(3),
        },
      );
      expect(scaling(steady, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
      expect(owed(steady)).toBeUndefined();
      expect(steady.recheckAfterSeconds, 'nothing owed: only observed changes change the answer').toBeUndefined();
      // Failing over to a region that still owes its scale-down cancels it; the region left behind owes one instead.
      const back = reconcile(
        'us-west-2',
        { activeRegion: 'us-east-1', scaleDownRegions: ['us-west-2'], ...heldSince({ 'us-west-2': minutesAgo(10) }) },
        {
          'eks-nodes-us-west-2': nodes(3),
          'eks-nodes-us-east-1': nodes(3),
          ...coreDns('us-west-2'),
        },
      );
      expect(owed(back)).toEqual(['us-east-1']);
      expect(scaling(back, 'us-west-2')).toEqual({ minSize: 3, maxSize: 9 });
      expect(scaling(back, 'us-east-1')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 0 });
    });

    it('warns, naming the region, when a standby is observed above its floor and the status that would say whether it served is lost (audit 16 L7)', () => {
      const observed = { 'eks-nodes-us-west-2': nodes(3), 'eks-nodes-us-east-1': nodes(3), ...coreDns('us-east-1') };
      const warnings = (result: ReturnType<typeof live>) =>
        result.events.filter((e) => e.severity === 'Warning' && e.message.includes('EKS node group')).map((e) => e.message);
      // A control-plane restore lost the status: us-west-2 may have served until now; nothing says so.
      const lost = reconcile('us-east-1', {}, observed);
      expect(warnings(lost)).toEqual([
        expect.stringContaining(
          'the EKS node group in us-west-2 is observed at 3 nodes desired, above its pilot-light standby floor of 0, and this XRegionalCluster reports no status',
        ),
      ]);
      expect(warnings(lost)[0]).toContain('without waiting for us-east-1 to hold serving capacity');
      // what the composition does meanwhile: no scale-down owed, the floor as the desired size (applied at the next poll)
      expect(owed(lost)).toBeUndefined();
      expect(scaling(lost, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9 });
      expect(initScaling(lost, 'us-west-2')).toEqual({ desiredSize: 0 });
      // Written back, the status says which regions served: the next reconcile knows, and says nothing.
      expect(lost.status.servingRegions).toEqual(['us-east-1']);
      expect(warnings(reconcile('us-east-1', { servingRegions: lost.status.servingRegions }, observed))).toEqual([]);
      // With a status, a standby scaled up outside git is a known case (the test above): no warning; nor at the floor.
      expect(warnings(reconcile('us-east-1', { activeRegion: 'us-east-1' }, observed))).toEqual([]);
      expect(warnings(reconcile('us-east-1', {}, { ...observed, 'eks-nodes-us-west-2': nodes(0) }))).toEqual([]);
      // A warm standby's floor is 1: 1 is no warning, 2 is.
      const warm = (desired: number) =>
        composeLive(
          {
            ...nestedOf({ ...withCluster({ ...k, standby: 'warm' }), activeRegion: 'us-east-1' }, 'XRegionalCluster'),
            status: {},
          },
          observedView(keysObserved({ ...observed, 'eks-nodes-us-west-2': nodes(desired) })),
          { today: NOW },
        );
      expect(warnings(warm(1))).toEqual([]);
      expect(warnings(warm(2))).toEqual([expect.stringContaining('above its warm standby floor of 1')]);
    });

    describe('the scale-down gate: serving capacity as observed, held for the settle time', () => {
      /** us-east-1 serves again (git moved back from us-west-2, which still runs 3 nodes and owes its scale-down). */
      const owing = { activeRegion: 'us-east-1', scaleDownRegions: ['us-west-2'] };
      const base = { 'eks-nodes-us-west-2': nodes(3), 'eks-addon-coredns-us-west-2': { ready: true } };
      const held = (result: ReturnType<typeof live>) => scaling(result, 'us-west-2').desiredSize === undefined;

      it('waits SCALE_DOWN_SETTLE_SECONDS (the planned worst node start-up, 10 min) after the capacity is first seen', () => {
        expect(SCALE_DOWN_SETTLE_SECONDS).toBe(600);
        const observed = { ...base, 'eks-nodes-us-east-1': nodes(3), ...coreDns('us-east-1') };
        // First seen now: written to status, nothing scaled down yet (initProvider holds the serving size too).
        const first = reconcile('us-east-1', owing, observed);
        expect(since(first, 'us-east-1')).toBe(NOW.toISOString());
        expect(held(first)).toBe(true);
        expect(initScaling(first, 'us-west-2')).toEqual({ desiredSize: 3 });
        // The clock alone opens the gate: the function is told when (its response's TTL stays within it).
        expect(first.recheckAfterSeconds).toBe(600);
        // The same time read back 9 minutes 59 seconds later: kept, still waiting.
        const almost = reconcile(
          'us-east-1',
          { ...owing, ...heldSince({ 'us-east-1': new Date(NOW.getTime() - 599_000).toISOString() }) },
          observed,
        );
        expect(since(almost, 'us-east-1')).toBe(new Date(NOW.getTime() - 599_000).toISOString());
        expect(held(almost)).toBe(true);
        expect(almost.recheckAfterSeconds).toBe(1);
        // 10 minutes: the old region goes to its floor.
        const settled = reconcile('us-east-1', { ...owing, ...heldSince({ 'us-east-1': minutesAgo(10) }) }, observed);
        expect(since(settled, 'us-east-1')).toBe(minutesAgo(10));
        expect(scaling(settled, 'us-west-2')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 0 });
        expect(settled.recheckAfterSeconds, 'no timer left once the switch is done').toBeUndefined();
        // The same inputs give the same answer (the clock is an input).
        expect(reconcile('us-east-1', { ...owing, ...heldSince({ 'us-east-1': minutesAgo(10) }) }, observed)).toEqual(settled);
      });

      it.each([
        [
          'DEGRADED (instances that never join: NodeCreationFailure)',
          { 'eks-nodes-us-east-1': nodes(3, 'DEGRADED'), ...coreDns('us-east-1') },
        ],
        ['UPDATING', { 'eks-nodes-us-east-1': nodes(3, 'UPDATING'), ...coreDns('us-east-1') }],
        ['not Ready', { 'eks-nodes-us-east-1': { ...nodes(3), ready: false }, ...coreDns('us-east-1') }],
        ['below minSize', { 'eks-nodes-us-east-1': nodes(2), ...coreDns('us-east-1') }],
        [
          'without CoreDNS Ready (no pod runs on a joined node)',
          { 'eks-nodes-us-east-1': nodes(3), 'eks-addon-coredns-us-east-1': { ready: false } },
        ],
        ['without CoreDNS', { 'eks-nodes-us-east-1': nodes(3) }],
        [
          'with no status reported',
          {
            'eks-nodes-us-east-1': { ready: true, atProvider: { scalingConfig: { desiredSize: 3 } } as any },
            ...coreDns('us-east-1'),
          },
        ],
      ])(
        'holds the old region while the serving region is %s, and forgets when its capacity was first seen',
        (_what, serving) => {
          // Even with a time long past in the previous status: the capacity broke, so the wait starts again when it returns.
          const result = reconcile(
            'us-east-1',
            { ...owing, ...heldSince({ 'us-east-1': minutesAgo(60) }) },
            { ...base, ...serving },
          );
          expect(held(result)).toBe(true);
          expect(initScaling(result, 'us-west-2')).toEqual({ desiredSize: 3 });
          expect(since(result, 'us-east-1')).toBeUndefined();
          expect(owed(result)).toEqual(['us-west-2']);
          // No timer to wait on until the capacity is seen: recheck no later than a whole settle time.
          expect(result.recheckAfterSeconds).toBe(600);
        },
      );

      it('never opens without a clock, and restarts the wait from a time later than the clock', () => {
        const observed = { ...base, 'eks-nodes-us-east-1': nodes(3), ...coreDns('us-east-1') };
        const status = { ...owing, ...heldSince({ 'us-east-1': minutesAgo(60) }) };
        const noClock = reconcile('us-east-1', status, observed, null);
        expect(held(noClock)).toBe(true);
        expect(since(noClock, 'us-east-1')).toBeUndefined();
        const future = reconcile('us-east-1', { ...owing, ...heldSince({ 'us-east-1': minutesAgo(-30) }) }, observed);
        expect(since(future, 'us-east-1')).toBe(NOW.toISOString());
        expect(held(future)).toBe(true);
        const garbage = reconcile('us-east-1', { ...owing, ...heldSince({ 'us-east-1': 'yesterday' }) }, observed);
        expect(since(garbage, 'us-east-1')).toBe(NOW.toISOString());
        expect(held(garbage)).toBe(true);
      });

      it("needs every serving region settled: the writer region and git's", () => {
        // Writer in us-west-2, git at us-east-1: both serve; eu-west-1 served before and owes.
        const xr = composite('us-east-1', {
          servingRegions: ['eu-west-1'],
          ...heldSince({ 'us-east-1': minutesAgo(20), 'us-west-2': minutesAgo(5) }),
        });
        const observed = {
          'eks-nodes-eu-west-1': nodes(3),
          'eks-nodes-us-east-1': nodes(3),
          'eks-nodes-us-west-2': nodes(3),
          ...coreDns('us-east-1'),
          ...coreDns('us-west-2'),
        };
        const run = (specExtra: object, status: object) =>
          composeLive(
            { ...xr, spec: { ...(xr.spec as object), ...specExtra }, status: { ...(xr.status as object), ...status } },
            observedView(keysObserved(observed)),
            { today: NOW },
          );
        const early = run({ databaseWriterRegion: 'us-west-2' }, {});
        expect(owed(early)).toEqual(['eu-west-1']);
        expect(scaling(early, 'eu-west-1').desiredSize).toBeUndefined();
        const later = run(
          { databaseWriterRegion: 'us-west-2' },
          heldSince({ 'us-east-1': minutesAgo(20), 'us-west-2': minutesAgo(10) }),
        );
        expect(scaling(later, 'eu-west-1')).toEqual({ minSize: 0, maxSize: 9, desiredSize: 0 });
      });
    });
  });

  it("runs the nodes on the cluster's Kubernetes version: the claim's, or the control plane's while it upgrades", () => {
    const versions = (result: { resources: readonly { key: string; manifest: any }[] }) =>
      managed(result.resources as any, 'NodeGroup').map((m) => fp(m).version);
    expect(versions({ resources: plan(withCluster({ version: '1.34' })) })).toEqual(['1.34', '1.34', '1.34']);
    // kubernetes.version moved to 1.35; us-east-1's control plane still reports 1.34, us-west-2's is done.
    const upgrading = live(
      { version: '1.35' },
      keysObserved({
        'eks-cluster-us-east-1': { ready: true, atProvider: { version: '1.34' } },
        'eks-cluster-us-west-2': { ready: true, atProvider: { version: '1.35' } },
      }),
    );
    expect(fp(byKey(upgrading, 'eks-nodes-us-east-1')).version).toBe('1.34');
    expect(fp(byKey(upgrading, 'eks-nodes-us-west-2')).version).toBe('1.35');
    expect(fp(byKey(upgrading, 'eks-nodes-eu-west-1')).version).toBe('1.35');
  });

  it("reports each region's node group in status: node counts, EKS status and readiness, once observed", () => {
    const observed = keysObserved({
      'eks-nodes-us-east-1': {
        ready: true,
        atProvider: { status: 'ACTIVE', scalingConfig: { desiredSize: 3, minSize: 2, maxSize: 10 } } as any,
      },
      'eks-nodes-us-west-2': { ready: false, atProvider: { status: 'CREATING', scalingConfig: { desiredSize: 0 } } as any },
    });
    const regionsOf = (r: ReturnType<typeof live>) => r.status.regions as Record<string, { nodes?: object }>;
    const result = live({ nodeGroup: { minSize: 2, maxSize: 10 } }, observed);
    expect(regionsOf(result)['us-east-1']!.nodes).toEqual({
      ready: true,
      desiredSize: 3,
      minSize: 2,
      maxSize: 10,
      status: 'ACTIVE',
    });
    expect(regionsOf(result)['us-west-2']!.nodes).toEqual({ ready: false, desiredSize: 0, status: 'CREATING' });
    // No node group yet (eu-west-1): no nodes entry.
    expect(regionsOf(result)['eu-west-1']!.nodes).toBeUndefined();
  });

  it("keeps a cluster composed from its own report of its key when the key's status is lost (audit 16 L4)", () => {
    const keyArn = (r: string) => `arn:aws:kms:${r}:${ACCOUNT}:key/k-${r}`;
    // The keys' observed status is gone (a control-plane restore); the clusters exist and report their key.
    const observed: Record<string, Observed> = Object.fromEntries(
      regions.map((r) => [
        `eks-cluster-${r}`,
        { ready: true, atProvider: { encryptionConfig: { provider: { keyArn: keyArn(r) } } } as any },
      ]),
    );
    const result = live({}, observed);
    for (const r of regions) {
      expect(fp(byKey(result, `eks-cluster-${r}`)).encryptionConfig.provider.keyArn).toBe(keyArn(r));
      expect(JSON.parse(fp(byKey(result, `eks-cluster-role-kms-${r}`)).policy).Statement[0].Resource).toEqual([keyArn(r)]);
    }
    // Nothing observed at all: no cluster yet (it waits for its key), and a report that is no key ARN is not taken.
    expect(keysOf(live({}, {})).filter((k) => k.startsWith('eks-cluster-us'))).toEqual([]);
    const bogus = { 'eks-cluster-us-east-1': { atProvider: { encryptionConfig: { provider: { keyArn: 'alias/x' } } } as any } };
    expect(keysOf(live({}, bogus))).not.toContain('eks-cluster-us-east-1');
  });

  it('picks the AMI type of the instance types: Graviton types get the arm64 AMI', () => {
    const ami = (instanceTypes: string[]) =>
      fp(managed(plan(withCluster({ nodeGroup: { instanceTypes } })), 'NodeGroup')[0]!).amiType;
    expect(ami(['m7g.large', 'c7gn.xlarge'])).toBe('AL2023_ARM_64_STANDARD');
    expect(ami(['m7i.large', 'm7i-flex.large'])).toBe('AL2023_x86_64_STANDARD');
    // A1 (series a) is the first Graviton: arm64, though its name has no g option (audit 16 M5).
    expect(ami(['a1.large', 'a1.xlarge'])).toBe('AL2023_ARM_64_STANDARD');
  });

  it('has the network compose the endpoints a cluster without NAT needs, each once', () => {
    const endpoints = (s: object) =>
      managed(plan(s), 'VPCEndpoint')
        .filter((m) => fp(m).region === 'us-east-1')
        .map((m) => fp(m).serviceName.replace('com.amazonaws.us-east-1.', ''));
    const without = endpoints(FULL_SPEC);
    const withEks = endpoints(withCluster());
    for (const e of CLUSTER_ENDPOINTS) expect(withEks).toContain(e);
    // In AWS's private-cluster list: the EKS API (controllers calling it) and Auto Scaling (the Cluster Autoscaler).
    expect(withEks).toEqual(expect.arrayContaining(['eks', 'autoscaling']));
    expect(without).not.toContain('autoscaling');
    expect(new Set(withEks).size).toBe(withEks.length);
    expect(without).not.toContain('ecr.dkr');
  });
});
