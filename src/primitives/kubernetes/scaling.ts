/**
 * The size of each region's node group, and the scale-down a region owes once it stops serving.
 *
 * The composition moves the bounds (minSize: the region's floor; maxSize: the claim's). The desired size belongs to
 * whoever scales the group (the composition when the floor rises, an autoscaler) and is written only at creation
 * (spec.initProvider) or when it must move: when the observed one leaves the bounds, and on fail-back.
 *
 * Fail-back: lowering a standby's floor does not remove nodes (its desired size stays where it was), so a region that
 * served before a change of activeRegion would stay hot, and billed, for good. The composite therefore remembers it:
 * the region the previous reconcile served (`status.activeRegion`) joins `status.scaleDownRegions` when activeRegion
 * moves away from it, and stays there until its node group is observed at or below its mode's floor. Its desired size
 * is set to that floor only once the switch is done, as observed: the new active region's node group Ready and at
 * least at minSize. Nothing else is scaled down, so a standby scaled up outside git (ahead of a failover) keeps its
 * nodes. A composite whose status was lost (a control-plane restore) owes nothing: its old region then keeps its
 * nodes until someone scales it down.
 */
import type { ComposeContext } from '../../compose/context.js';
import { readPath } from '../../compose/observed.js';
import type { Manifest } from '../../compose/types.js';
import type { RegionalClusterSpec } from './schema.js';
import type { StandbyMode } from './section.js';

type Kubernetes = RegionalClusterSpec['kubernetes'];

/** A region's node group as Crossplane last observed it (undefined fields: not reported). */
export interface ObservedNodes {
  /** True when the NodeGroup resource reports Ready=True. */
  readonly ready: boolean;
  readonly desiredSize?: number;
  readonly minSize?: number;
  readonly maxSize?: number;
  /** EKS's status of the node group (ACTIVE, CREATING, UPDATING, DEGRADED, …). */
  readonly status?: string;
}

/**
 * Node group size of a region. The bounds are the composition's; the desired size is written at creation
 * (initialDesired, in spec.initProvider, which the provider adds to Terraform's ignore_changes) and otherwise only
 * when it must move (desiredSize).
 */
export interface NodeScaling {
  readonly minSize: number;
  readonly maxSize: number;
  /** The desired size the group is created with: the region's floor. */
  readonly initialDesired: number;
  /** A desired size to enforce now: the observed one is outside the bounds, or the region owes its scale-down. */
  readonly desiredSize?: number;
}

/** Nodes a standby region keeps per mode, given the active region's minimum. */
export function standbyNodes(mode: StandbyMode, minSize: number): number {
  if (mode === 'hot') return minSize;
  if (mode === 'warm') return 1;
  return 0;
}

/** The fewest nodes a region runs: minSize in the active region, what the standby mode keeps elsewhere. */
export const floorOf = (ctx: ComposeContext, k: Kubernetes, region: string): number =>
  region === ctx.active ? k.nodeGroup.minSize : standbyNodes(k.standby, k.nodeGroup.minSize);

/** What the composite's status said after the previous reconcile. */
export interface PreviousScaling {
  readonly activeRegion?: string;
  readonly scaleDownRegions: readonly string[];
}

/** The previous reconcile's view from an observed XRegionalCluster (its status). */
export function previousScalingOf(xr: Manifest): PreviousScaling {
  const active = readPath(xr, 'status.activeRegion');
  const owed = readPath(xr, 'status.scaleDownRegions');
  return {
    ...(typeof active === 'string' && active !== '' ? { activeRegion: active } : {}),
    scaleDownRegions: Array.isArray(owed) ? owed.filter((r): r is string => typeof r === 'string') : [],
  };
}

/** The fail-back state of one reconcile. */
export interface FailBack {
  /** Regions that served before and are not yet observed at their floor, in the estate's region order. */
  readonly owed: readonly string[];
  /** True when the active region's node group is observed Ready at minSize or more: owed regions may scale down. */
  readonly switched: boolean;
}

/**
 * Which regions owe a scale-down, and whether they may take it now. A region stops owing once its node group is
 * observed at or below its floor, or when it has none; the active region never owes one (a fail-back to a region still
 * owing cancels it).
 */
export function failBack(
  ctx: ComposeContext,
  k: Kubernetes,
  previous: PreviousScaling,
  nodes: (region: string) => ObservedNodes | undefined,
): FailBack {
  const candidates = new Set(previous.scaleDownRegions);
  if (previous.activeRegion !== undefined && previous.activeRegion !== ctx.active) candidates.add(previous.activeRegion);
  const owed = ctx.regions.filter((r) => {
    if (r === ctx.active || !candidates.has(r)) return false;
    const seen = nodes(r);
    if (seen === undefined) return false;
    return seen.desiredSize === undefined || seen.desiredSize > floorOf(ctx, k, r);
  });
  const active = nodes(ctx.active);
  const switched = active !== undefined && active.ready && (active.desiredSize ?? -1) >= k.nodeGroup.minSize;
  return { owed, switched };
}

/**
 * The size of a region's node group. A desired size observed within the bounds is left alone (not even copied: the
 * provider would compare the copy with AWS and call UpdateNodegroupConfig with it in the same reconcile, reverting a
 * scale-up it had not yet observed); one below the floor is raised to it, one above maxSize lowered to it; a region
 * owing its scale-down is set to its floor once the switch is done.
 */
export function nodeScaling(
  ctx: ComposeContext,
  k: Kubernetes,
  region: string,
  seen: ObservedNodes | undefined,
  back: FailBack,
): NodeScaling {
  const { maxSize } = k.nodeGroup;
  const floor = floorOf(ctx, k, region);
  const scaling = { minSize: floor, maxSize, initialDesired: floor };
  const desired = seen?.desiredSize;
  if (desired === undefined) return scaling;
  if (back.switched && back.owed.includes(region) && desired > floor) return { ...scaling, desiredSize: floor };
  const bounded = Math.min(Math.max(desired, floor), maxSize);
  return bounded === desired ? scaling : { ...scaling, desiredSize: bounded };
}
