/**
 * EKS in the cost estimate, hand-computed from prices.ts (us-east-1): a cluster $0.10 per cluster-hour (confirmed row),
 * m7g.large $0.0816 and m7i.large $0.1008 per instance-hour (unconfirmed EC2 rows), 730 hours a month; nodes are the
 * floor each region's node group keeps: minSize in the active region, by standby mode elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { planClaim } from '../../src/compose/plan.js';
import { DEFAULT_ASSUMPTIONS } from '../../src/estimate/assumptions.js';
import { estimateCost } from '../../src/estimate/cost.js';
import { CONTROL_PLANE_LOGS } from '../../src/primitives/kubernetes/compose.js';
import { ec2InstanceHourly, EC2_INSTANCE_HOURLY } from '../../src/estimate/prices.js';
import { MINIMAL, claimOf, lineOf, linesOf, specOf, subtotal } from './helpers.js';

const withCluster = (kubernetes: object) => ({
  ...MINIMAL,
  network: { cidrs: { 'us-east-1': '10.20.0.0/16', 'us-west-2': '10.21.0.0/16' } },
  kubernetes: { platformRoleArn: 'arn:aws:iam::123456789012:role/platform', ...kubernetes },
});
/** The day the EKS support tier is judged on in these tests (1.35 in standard support, 1.34 just in extended). */
const DAY = new Date('2026-12-06T00:00:00Z');
const estimate = (kubernetes: object, supportOn?: string) => {
  const spec = withCluster(kubernetes);
  return estimateCost(specOf(spec), planClaim(claimOf(spec)), supportOn ? { kubernetes: { supportOn } } : {}, DAY);
};

describe('EKS cost: control plane per region, and the nodes each region keeps', () => {
  it('prices a control plane in every region and the active region at minSize nodes', () => {
    const e = estimate({ nodeGroup: { instanceTypes: ['m7g.large'], minSize: 2, maxSize: 6 }, standby: 'pilot-light' });
    for (const r of ['us-east-1', 'us-west-2']) {
      // 1 cluster × 730 h × $0.10 = $73.00
      expect(lineOf(e, r, 'EKS', 'cluster control plane').monthlyUsd).toBe(73);
    }
    // 2 nodes × 730 h × $0.0816 = $119.136 → $119.14
    expect(lineOf(e, 'us-east-1', 'EKS', 'm7g.large node-hours').monthlyUsd).toBe(119.14);
    // pilot-light: no node until failover
    expect(lineOf(e, 'us-west-2', 'EKS', 'm7g.large node-hours')).toMatchObject({ quantity: 0, monthlyUsd: 0 });
    // Their root volumes: 2 × 20 GiB (EKS's default diskSize) × $0.10 (gp2) = $4.00; none in the pilot-light region.
    expect(lineOf(e, 'us-east-1', 'EKS', 'node root volumes')).toMatchObject({
      item: "node root volumes (2 nodes, the active region's floor; 20 GiB, EKS's default each, priced as gp2)",
      quantity: 40,
      unit: 'GB-month',
      priceId: 'ebsGp2Storage',
      monthlyUsd: 4,
    });
    expect(lineOf(e, 'us-west-2', 'EKS', 'node root volumes')).toMatchObject({ quantity: 0, monthlyUsd: 0 });
    expect(subtotal(e, 'us-east-1', 'EKS')).toBe(196.14);
  });

  it("prices root volumes from the planned node group: its diskSize, else EKS's default; none with a launch template", () => {
    const spec = withCluster({ nodeGroup: { instanceTypes: ['m7g.large'], minSize: 3, maxSize: 6 }, standby: 'warm' });
    const plan = planClaim(claimOf(spec));
    const groups = plan.filter((r) => r.manifest.kind === 'NodeGroup');
    expect(groups.map((g) => (g.manifest.spec as { forProvider: { diskSize?: number } }).forProvider.diskSize)).toEqual([
      undefined,
      undefined,
    ]);
    // The plan is what is read: a diskSize there is priced as given (us-west-2, a warm standby: 1 node × 50 GiB), and a
    // launch template leaves the volumes unpriced, with a note.
    const edited = plan.map((r) => {
      if (r.manifest.kind !== 'NodeGroup') return r;
      const fp = (r.manifest.spec as { forProvider: Record<string, unknown> }).forProvider;
      const region = fp.region as string;
      const more = region === 'us-west-2' ? { diskSize: 50 } : { launchTemplate: { name: 'lt', version: '1' } };
      return { ...r, manifest: { ...r.manifest, spec: { ...(r.manifest.spec as object), forProvider: { ...fp, ...more } } } };
    });
    const e = estimateCost(specOf(spec), edited, {}, DAY);
    // 1 × 50 × $0.10 = $5.00 at us-east-1's rate × us-west-2's multiplier (a regional row without its own price there)
    const sized = lineOf(e, 'us-west-2', 'EKS', 'node root volumes');
    expect(sized.item).toBe("node root volumes (1 node, the warm standby's floor; 50 GiB each, priced as gp2)");
    expect(sized.quantity).toBe(50);
    expect(linesOf(e, 'us-east-1', 'EKS').some((l) => l.item.startsWith('node root volumes'))).toBe(false);
    expect(e.notes).toContain("EKS: the node group in us-east-1 has a launch template; its nodes' volumes are not priced.");
  });

  it.each([
    ['hot', 3, 220.75],
    ['warm', 1, 73.58],
    ['pilot-light', 0, 0],
  ] as const)('keeps a %s standby at %i nodes ($%s of m7i.large a month)', (standby, nodes, monthly) => {
    // nodes × 730 × $0.1008: 3 → $220.752 → $220.75; 1 → $73.584 → $73.58
    const e = estimate({ nodeGroup: { instanceTypes: ['m7i.large'], minSize: 3, maxSize: 9 }, standby });
    expect(lineOf(e, 'us-west-2', 'EKS', 'm7i.large node-hours')).toMatchObject({ quantity: nodes * 730, monthlyUsd: monthly });
  });

  it('prices a type the table lacks as the dearest known family of that size, and says so', () => {
    const e = estimate({ nodeGroup: { instanceTypes: ['c8gn.xlarge'], minSize: 1, maxSize: 3 } });
    // r7i.large $0.1323 × 2 (xlarge) × 730 = $193.158 → $193.16
    expect(lineOf(e, 'us-east-1', 'EKS', 'c8gn.xlarge node-hours').monthlyUsd).toBe(193.16);
    expect(e.notes.some((n) => n.includes('EC2 c8gn.xlarge is not in the price table'))).toBe(true);
  });

  it('prices a control plane in extended support once its version left standard support on the day judged (audit 16 M2)', () => {
    // 1.34: standard support until 2026-12-02 (src/facts/eks-versions.ts); the composed upgradePolicy is EXTENDED.
    const inExtended = estimate({ version: '1.34' });
    expect(inExtended.assumptions.kubernetes.supportOn).toBe('2026-12-06');
    for (const r of ['us-east-1', 'us-west-2']) {
      // 1 cluster × 730 h × $0.60 = $438.00
      expect(lineOf(inExtended, r, 'EKS', 'cluster control plane')).toMatchObject({
        item: 'cluster control plane (1 cluster, Kubernetes 1.34 in extended support on 2026-12-06)',
        priceId: 'eksClusterExtendedHour',
        monthlyUsd: 438,
      });
    }
    // The day before standard support ends: still $0.10.
    expect(lineOf(estimate({ version: '1.34' }, '2026-12-01'), 'us-east-1', 'EKS', 'cluster control plane')).toMatchObject({
      item: 'cluster control plane (1 cluster, Kubernetes 1.34 in standard support on 2026-12-01)',
      priceId: 'eksClusterHour',
      monthlyUsd: 73,
    });
    expect(inExtended.notes.some((n) => n.includes('support tier on 2026-12-06 (assumption kubernetes.supportOn'))).toBe(true);
  });

  it('refuses a support day that is not YYYY-MM-DD, naming the assumption', () => {
    expect(() => estimate({}, '06/12/2026')).toThrow(/kubernetes\.supportOn 06\/12\/2026 is not a day written YYYY-MM-DD/);
  });

  describe('control-plane logs: their own assumption per enabled log type, not a generic log group (audit-16 L2)', () => {
    const spec = withCluster({ nodeGroup: { instanceTypes: ['m7g.large'], minSize: 2, maxSize: 6 } });
    /** The plan with each EKS cluster's enabledClusterLogTypes set to `types` (undefined: as composed). */
    const withLogTypes = (types?: readonly string[]) =>
      planClaim(claimOf(spec)).map((r) =>
        types !== undefined && r.manifest.kind === 'Cluster' && r.manifest.apiVersion.startsWith('eks.')
          ? {
              ...r,
              manifest: {
                ...r.manifest,
                spec: {
                  ...(r.manifest.spec as object),
                  forProvider: { ...(r.manifest.spec as { forProvider: object }).forProvider, enabledClusterLogTypes: types },
                },
              },
            }
          : r,
      );
    const estimateWith = (types?: readonly string[], overrides = {}) =>
      estimateCost(specOf(spec), withLogTypes(types), overrides, DAY);

    it('assumes a volume for exactly the log types EKS has (botocore eks LogType)', () => {
      expect(Object.keys(DEFAULT_ASSUMPTIONS.kubernetes.controlPlaneLogGbPerMonth).sort()).toEqual(
        [...CONTROL_PLANE_LOGS].sort(),
      );
    });

    it('prices the five log types drplane enables at the sum of their assumed GB, kept 90 days', () => {
      const e = estimateWith();
      for (const r of ['us-east-1', 'us-west-2']) {
        // api 2 + audit 15 + authenticator 1 + controllerManager 1 + scheduler 0.5 = 19.5 GB × $0.50 = $9.75
        expect(lineOf(e, r, 'CloudWatch Logs', 'ingestion, EKS control-plane logs')).toMatchObject({
          item: 'ingestion, EKS control-plane logs (1 cluster; api, audit, authenticator, controllerManager, scheduler: 19.5 GB a month per cluster, assumed)',
          quantity: 19.5,
          priceId: 'logsIngestion',
          monthlyUsd: 9.75,
        });
        // 19.5 GB × 90 days / (730 / 24) days = 57.70 GB-month × $0.03 = $1.73
        const storage = lineOf(e, r, 'CloudWatch Logs', 'storage, EKS control-plane logs');
        expect(storage.item).toContain('90-day retention');
        expect(storage.quantity).toBeCloseTo((19.5 * 90) / (730 / 24), 6);
        expect(storage.monthlyUsd).toBe(1.73);
        // The control-plane group is not also priced as a generic 0.5 GB group (this estate has no other log group).
        expect(linesOf(e, r, 'CloudWatch Logs').map((l) => l.item.split(' (')[0])).toEqual([
          'ingestion, EKS control-plane logs',
          'storage, EKS control-plane logs',
        ]);
      }
      expect(e.notes.some((n) => n.includes('assumption kubernetes.controlPlaneLogGbPerMonth: api 2, audit 15'))).toBe(true);
    });

    it('reads the enabled types from the plan and follows an override of the assumption', () => {
      const apiOnly = estimateWith(['api']);
      expect(lineOf(apiOnly, 'us-east-1', 'CloudWatch Logs', 'ingestion, EKS control-plane logs')).toMatchObject({
        quantity: 2,
        monthlyUsd: 1,
      });
      const measured = estimateWith(undefined, { kubernetes: { controlPlaneLogGbPerMonth: { audit: 60 } } });
      // 2 + 60 + 1 + 1 + 0.5 = 64.5 GB × $0.50 = $32.25
      expect(lineOf(measured, 'us-east-1', 'CloudWatch Logs', 'ingestion, EKS control-plane logs').monthlyUsd).toBe(32.25);
      // No type enabled: the group stays empty, and is not priced as a generic one either.
      const none = estimateWith([]);
      expect(linesOf(none, 'us-east-1', 'CloudWatch Logs')).toEqual([]);
      expect(none.notes.some((n) => n.includes('controlPlaneLogGbPerMonth'))).toBe(false);
    });
  });

  it('has no EKS line without a kubernetes section', () => {
    const e = estimateCost(specOf(MINIMAL), planClaim(claimOf(MINIMAL)));
    expect(linesOf(e, 'us-east-1', 'EKS')).toEqual([]);
  });

  it('scales EC2 prices by size and region multiplier', () => {
    expect(ec2InstanceHourly('m7g.2xlarge', 'us-east-1')).toEqual({ usd: 0.3264, known: true, origin: 'us-east-1' });
    expect(ec2InstanceHourly('m7g.medium', 'eu-west-1')).toEqual({ usd: 0.04488, known: true, origin: 'fallback' });
    expect(ec2InstanceHourly('zz1.large', 'us-east-1').known).toBe(false);
    expect(Object.keys(EC2_INSTANCE_HOURLY).length).toBeGreaterThan(10);
  });
});
