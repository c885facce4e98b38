/** Crossplane ClusterUsages that make Crossplane delete resources in dependency order. */
import { ClusterUsage } from '../../imports/protection.crossplane.io.js';
import type { ComposeContext } from './context.js';
import { ownLabelled } from './selector.js';
import type { DesiredResource, Manifest } from './types.js';

/** The composed resource on one side of a usage, selected by its labels within this composite. */
export interface UsageSide {
  readonly manifest: Manifest;
}

const side = (m: Manifest) => ({
  apiVersion: m.apiVersion,
  kind: m.kind,
  resourceSelector: ownLabelled((m.metadata as { labels: Record<string, string> }).labels),
});

/**
 * A usage that blocks deletion of `of` while `by` exists (e.g. the global cluster while the primary
 * cluster exists). replayDeletion retries the blocked deletion as soon as `by` is gone.
 */
export function usage(ctx: ComposeContext, key: string, of: Manifest, by: Manifest, reason: string): DesiredResource {
  const manifest = ClusterUsage.manifest({
    metadata: ctx.metadata('usage', undefined),
    spec: { of: side(of), by: side(by), reason, replayDeletion: true },
  });
  return { key: `usage-${key}`, manifest };
}
