/**
 * The primitives' status hooks (src/primitives/types.ts StatusView): what each reports in the claim's status, the lines
 * `drctl status` prints for it and the line under its managed resources, reached only through the registry.
 */
import { describe, expect, it } from 'vitest';
import { DisasterRecoveryStatusSchema } from '../../src/api/claim.js';
import { observedComposite } from '../../src/compose/outputs.js';
import type { ObservedView } from '../../src/compose/types.js';
import { nodeGroupIn } from '../../src/primitives/kubernetes/status.js';
import { PRIMITIVES, regionStatusLines, resourceLine } from '../../src/primitives/registry.js';
import type { Primitive } from '../../src/primitives/types.js';

/** An observed view holding one composite's status (only `read` and `field` are used by observedComposite's readers). */
function viewOf(key: string, status: unknown): ObservedView {
  const read = (k: string, path: string) =>
    k === key
      ? path.split('.').reduce<unknown>((o, f) => (o as Record<string, unknown> | undefined)?.[f], { status })
      : undefined;
  return {
    read,
    field: (k: string, path: string) => {
      const v = read(k, path);
      return typeof v === 'string' ? v : undefined;
    },
  } as unknown as ObservedView;
}

describe('the kubernetes status hook, through the registry', () => {
  const group = { ready: true, desiredSize: 3, minSize: 3, maxSize: 6, status: 'ACTIVE', capacitySince: '2026-12-07T03:00:00Z' };

  it("copies each region's node group from the composite's status into the claim's clusterNodes, and nothing when absent", () => {
    const hook = PRIMITIVES.XRegionalCluster.status!;
    const cluster = observedComposite(viewOf('kubernetes', { regions: { 'us-east-1': { nodes: group } } }), 'XRegionalCluster');
    expect(hook.claimRegion(cluster, 'us-east-1')).toEqual({ clusterNodes: group });
    expect(hook.claimRegion(cluster, 'us-west-2')).toEqual({});
  });

  it("declares clusterNodes in the claim's status schema (the XRD prunes what it does not declare)", () => {
    const parsed = DisasterRecoveryStatusSchema.parse({ regions: { 'us-east-1': { clusterNodes: group, ready: true } } });
    expect(parsed.regions?.['us-east-1']).toEqual({ clusterNodes: group, ready: true });
  });

  it('prints a line per region with a node group, in yellow (warn) when it is not ready', () => {
    expect(regionStatusLines('us-east-1', { clusterNodes: group })).toEqual([
      { text: 'EKS nodes [us-east-1] desired 3 (min 3, max 6), ACTIVE, serving capacity since 2026-12-07T03:00:00Z' },
    ]);
    expect(regionStatusLines('us-west-2', { clusterNodes: { ready: false, desiredSize: 0, status: 'UPDATING' } })).toEqual([
      { text: 'EKS nodes [us-west-2] desired 0, UPDATING, not ready', warn: true },
    ]);
    expect(regionStatusLines('us-west-2', { serviceUrl: 'https://x' })).toEqual([]);
  });

  it("reads a NodeGroup's counts from its atProvider, and says nothing under other resources", () => {
    const ref = { apiVersion: 'eks.aws.upbound.io/v1beta2', kind: 'NodeGroup' };
    const atProvider = { scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 4 }, status: 'ACTIVE' };
    expect(resourceLine(ref, atProvider)).toBe('nodes desired 2 (min 1, max 4), ACTIVE');
    expect(resourceLine(ref, undefined)).toBeUndefined();
    expect(resourceLine({ apiVersion: 'eks.aws.upbound.io/v1beta1', kind: 'Cluster' }, atProvider)).toBeUndefined();
    expect(resourceLine({ apiVersion: 'example.io/v1', kind: 'NodeGroup' }, atProvider)).toBeUndefined();
  });

  it('drops node-group fields of the wrong type rather than trusting them (a status written by another version)', () => {
    expect(nodeGroupIn({ clusterNodes: { desiredSize: '3', status: 'ACTIVE', ready: 'yes', capacitySince: '' } })).toEqual({
      status: 'ACTIVE',
    });
    expect(nodeGroupIn({ clusterNodes: 'x' })).toBeUndefined();
    expect(nodeGroupIn(undefined)).toBeUndefined();
  });
});

describe('the status hook rule (checked by the compiler: npm run typecheck)', () => {
  it('requires a status hook exactly where the api declares claim status fields', () => {
    // @ts-expect-error XRegionalService declares serviceUrl in the claim's status: without its hook it does not compile.
    const missing: Primitive<'XRegionalService'> = { ...PRIMITIVES.XRegionalService, status: undefined };
    // @ts-expect-error XDRNetwork declares no claim status field: a status hook there does not compile.
    const extra: Primitive<'XDRNetwork'> = { ...PRIMITIVES.XDRNetwork, status: PRIMITIVES.XRegionalService.status };
    const declaring = Object.entries(PRIMITIVES)
      .filter(([, p]) => p.status !== undefined)
      .map(([kind]) => kind);
    expect(declaring).toEqual(['XGlobalDatabase', 'XRegionalService', 'XRegionalCluster', 'XFailoverRouting']);
    expect([missing.status, extra.status]).toEqual([undefined, PRIMITIVES.XRegionalService.status]);
  });
});
