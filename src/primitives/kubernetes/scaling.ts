/**
 * The size of each region's node group, and the scale-down a region owes once it stops serving.
 *
 * The composition moves the bounds (minSize: the region's floor; maxSize: the claim's) and gives the desired size in
 * spec.initProvider. The provider this project pins (provider-upjet-aws v2.6.0) re-applies that initProvider value on
 * every update of an EKS node group: its upjet (59c45527) filters initProvider-only fields out of Terraform's diff by
 * key (`scaling_config.desired_size`) without the singleton-list conversion of v1beta2's object-shaped scalingConfig,
 * while the diff names `scaling_config.0.desired_size`, so the two never match (fixed upstream in upjet f6ae634, later
 * than the pinned release; crossplane-contrib/provider-upjet-aws#1907). Under that provider the desired size is the
 * composition's, not only at creation: an autoscaler's or the failover orchestrator's change lasts until the node
 * group's next poll. That is why a region's size follows its role here, and why the scale-down gate below holds the
 * initProvider value too, not only forProvider's.
 *
 * Serving regions: git's activeRegion and the region the Aurora writer is observed in (XGlobalDatabase's writerRegion,
 * passed by the estate). The failover orchestrator scales its target region's node group up as its first step
 * (lambda/failover/nodes.ts), before git knows. In a run git started (activeRegion moved) the composition agrees at
 * once. In a run the orchestrator started by itself (automatic mode) the target is not serving until the writer is
 * observed there, which happens at the rds provider's next poll of the global cluster (every 10 min by default, the
 * bootstrap sets no other: src/facts/timings.ts PROVIDER_POLL); if the node group's own poll comes first, the pinned
 * provider puts it back to its standby size, terminating what the head start launched, and the scale-up starts again
 * once the writer is observed. The objectives model counts that wait before the node scale-up on the automatic path
 * (src/estimate/objectives/rto.ts, CLUSTER_SCALE_UP.writerObserved). Once the writer is observed there, that region's
 * floor is minSize, so its nodes are the composition's too, and CoreDNS is created there. The region git still names
 * keeps its nodes until git (or a fail-back of the writer) agrees.
 *
 * Fail-back: each region the previous reconcile served (`status.servingRegions`, or `status.activeRegion` in a status
 * written before it) joins `status.scaleDownRegions` when it stops serving (git and the writer both left it), and stays
 * there until its node group is observed at or below its mode's floor. Its size (forProvider's and initProvider's)
 * stays the serving size until the switch is done: every serving region has held its serving capacity (below) for
 * SCALE_DOWN_SETTLE_SECONDS; then it is set to its floor. A composite whose status was lost (a control-plane restore)
 * owes nothing: it cannot tell a region that served until the restore from a standby scaled up outside git, so a
 * non-serving region observed above its floor gets its floor, which the pinned provider applies at the node group's
 * next poll without waiting for the serving regions' capacity; a Warning event names each such region (`unknownPast`).
 *
 * Serving capacity is what the control plane can see of nodes that run: a desired size is only what was asked for, and
 * instances that launch but never join the cluster leave it unchanged. Crossplane observes no node and no health issue
 * of a node group (the pinned NodeGroup CRD's status.atProvider has scalingConfig, status and resources, not EKS's
 * `health.issues`), so a region holds its serving capacity when its NodeGroup is Ready, EKS reports it ACTIVE (a group
 * whose instances fail to join gets the NodeCreationFailure issue, and EKS shows a group with health issues as
 * DEGRADED: botocore's eks Issue and NodegroupStatus), at least minSize nodes are desired, and its CoreDNS add-on is
 * Ready (a Deployment: EKS reports it ACTIVE only once its pods run on a node that joined; for a pilot-light region
 * the add-on is created by the switch, so its Ready proves a node of the new capacity). Joined nodes beyond the first are
 * still invisible, and EKS publishes no time within which it flags instances that do not join, so the gate also waits:
 * the capacity must have held, in every reconcile since it was first seen (`status.regions.<r>.nodes.capacitySince`,
 * written with the function's clock when first seen and kept while it holds), for the time drplane plans for nodes to
 * launch and join at worst (CLUSTER_SCALE_UP.nodes.worstSeconds). Without a clock (a plan) the gate stays shut.
 */
import type { ComposeContext } from '../../compose/context.js';
import { CLUSTER_SCALE_UP } from '../../facts/timings.js';
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
  /** The Auto Scaling group EKS runs the nodes in, once EKS reports it (the node-health rule matches its events). */
  readonly autoScalingGroup?: string;
  /** True when the region's CoreDNS add-on is composed and Ready (its pods run on a node that joined the cluster). */
  readonly coreDnsReady?: boolean;
}

/**
 * Seconds every serving region must have held its serving capacity before a region that stopped serving scales down:
 * the worst case drplane plans for a node group's nodes to launch, join and become Ready (src/facts/timings.ts), since
 * EKS names no time within which it reports instances that never join.
 */
export const SCALE_DOWN_SETTLE_SECONDS = CLUSTER_SCALE_UP.nodes.worstSeconds;

/**
 * True when a region's node group shows serving capacity as far as the control plane can see it: Ready, ACTIVE (not
 * DEGRADED, which is how EKS shows instances that failed to join), at least minSize nodes desired, and CoreDNS Ready.
 */
export function holdsServingCapacity(seen: ObservedNodes | undefined, minSize: number): boolean {
  return (
    seen !== undefined &&
    seen.ready &&
    seen.status === 'ACTIVE' &&
    seen.coreDnsReady === true &&
    (seen.desiredSize ?? -1) >= minSize
  );
}

/**
 * Node group size of a region. The bounds are the composition's; the desired size is given in spec.initProvider
 * (initialDesired: the pinned provider re-applies it on every update, see above) and in forProvider only when it must
 * move (desiredSize).
 */
export interface NodeScaling {
  readonly minSize: number;
  readonly maxSize: number;
  /**
   * The desired size in spec.initProvider: the region's floor, or the serving size (minSize) while the region owes a
   * scale-down that the switch does not allow yet.
   */
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

/**
 * The regions that serve, in the estate's order: activeRegion and the observed Aurora writer's region (a region of the
 * estate; undefined in a plan and without a database).
 */
export function servingRegions(ctx: ComposeContext, writerRegion: string | undefined): readonly string[] {
  return ctx.regions.filter((r) => r === ctx.active || r === writerRegion);
}

/** The fewest nodes a region runs: minSize in a serving region, what the standby mode keeps elsewhere. */
export const floorOf = (serving: readonly string[], k: Kubernetes, region: string): number =>
  serving.includes(region) ? k.nodeGroup.minSize : standbyNodes(k.standby, k.nodeGroup.minSize);

/** What the composite's status said after the previous reconcile. */
export interface PreviousScaling {
  /** The regions that served (status.servingRegions, else [status.activeRegion]); empty when the status was lost. */
  readonly servingRegions: readonly string[];
  readonly scaleDownRegions: readonly string[];
  /** Per region, since when its serving capacity held (status.regions.<r>.nodes.capacitySince), as epoch milliseconds. */
  readonly capacitySince: Readonly<Record<string, number>>;
}

/** The previous reconcile's view from an observed XRegionalCluster (its status). */
export function previousScalingOf(xr: Manifest): PreviousScaling {
  const texts = (v: unknown) => (Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string' && r !== '') : []);
  const active = readPath(xr, 'status.activeRegion');
  const serving = texts(readPath(xr, 'status.servingRegions'));
  const regions = readPath(xr, 'status.regions');
  const capacitySince: Record<string, number> = {};
  if (typeof regions === 'object' && regions !== null) {
    for (const [region, value] of Object.entries(regions as Record<string, unknown>)) {
      const since = (value as { nodes?: { capacitySince?: unknown } } | null)?.nodes?.capacitySince;
      const at = typeof since === 'string' ? Date.parse(since) : Number.NaN;
      if (Number.isFinite(at)) capacitySince[region] = at;
    }
  }
  return {
    servingRegions: serving.length > 0 ? serving : typeof active === 'string' && active !== '' ? [active] : [],
    scaleDownRegions: texts(readPath(xr, 'status.scaleDownRegions')),
    capacitySince,
  };
}

/** The fail-back state of one reconcile. */
export interface FailBack {
  /** The regions that serve now (servingRegions): their floor is minSize. */
  readonly serving: readonly string[];
  /** Regions that served before and are not yet observed at their floor, in the estate's region order. */
  readonly owed: readonly string[];
  /**
   * True when every serving region has held its serving capacity (holdsServingCapacity) for SCALE_DOWN_SETTLE_SECONDS
   * by the function's clock: owed regions may scale down.
   */
  readonly switched: boolean;
  /**
   * Per region whose node group holds serving capacity now, since when (RFC 3339): the previous status's time while it
   * held at the previous reconcile too, else now. Empty without a clock.
   */
  readonly capacitySince: Readonly<Record<string, string>>;
  /**
   * While a scale-down is owed and the switch is not done: seconds until the settle time of the serving regions'
   * capacity runs out by the clock alone (SCALE_DOWN_SETTLE_SECONDS when some serving region does not hold its
   * capacity yet: that changes only with what is observed). Absent otherwise, and without a clock.
   */
  readonly recheckAfterSeconds?: number;
  /**
   * Regions that do not serve and are observed above their floor while the composite reports no previous status (lost
   * in a control-plane restore: a new composite's node groups are not observed yet): whether they served until now is
   * unknown, so they owe nothing and scale to their floor ungated. Empty otherwise.
   */
  readonly unknownPast: readonly string[];
}

/**
 * Since when each region has held its serving capacity: kept from the previous status while it still holds, now where
 * it starts to hold (or where the previous time is later than now: a skewed or hand-written value), absent where it
 * does not hold. Without a clock nothing is known.
 */
function capacityTimes(
  ctx: ComposeContext,
  k: Kubernetes,
  previous: PreviousScaling,
  nodes: (region: string) => ObservedNodes | undefined,
  now: Date | undefined,
): Record<string, number> {
  if (now === undefined) return {};
  const out: Record<string, number> = {};
  for (const r of ctx.regions) {
    if (!holdsServingCapacity(nodes(r), k.nodeGroup.minSize)) continue;
    const before = previous.capacitySince[r];
    out[r] = before !== undefined && before <= now.getTime() ? before : now.getTime();
  }
  return out;
}

/**
 * Which regions owe a scale-down, and whether they may take it now (`now`: the function's clock; undefined in a plan).
 * A region stops owing once its node group is observed at or below its floor, or when it has none; a serving region
 * never owes one (a fail-back to a region still owing cancels it).
 */
export function failBack(
  ctx: ComposeContext,
  k: Kubernetes,
  previous: PreviousScaling,
  nodes: (region: string) => ObservedNodes | undefined,
  writerRegion: string | undefined,
  now: Date | undefined,
): FailBack {
  const serving = servingRegions(ctx, writerRegion);
  const candidates = new Set([...previous.scaleDownRegions, ...previous.servingRegions]);
  const owed = ctx.regions.filter((r) => {
    if (serving.includes(r) || !candidates.has(r)) return false;
    const seen = nodes(r);
    if (seen === undefined) return false;
    return seen.desiredSize === undefined || seen.desiredSize > floorOf(serving, k, r);
  });
  const since = capacityTimes(ctx, k, previous, nodes, now);
  const settledBy = now === undefined ? undefined : now.getTime() - SCALE_DOWN_SETTLE_SECONDS * 1000;
  const switched = settledBy !== undefined && serving.every((r) => since[r] !== undefined && since[r] <= settledBy);
  const capacitySince = Object.fromEntries(Object.entries(since).map(([r, t]) => [r, new Date(t).toISOString()]));
  const recheck = owed.length > 0 && !switched && now !== undefined ? settleLeft(serving, since, now) : undefined;
  // No previous status at all (servingRegions is never empty once written: activeRegion always serves).
  const lost = previous.servingRegions.length === 0;
  const unknownPast = lost
    ? ctx.regions.filter((r) => !serving.includes(r) && (nodes(r)?.desiredSize ?? -1) > floorOf(serving, k, r))
    : [];
  return {
    serving,
    owed,
    switched,
    capacitySince,
    unknownPast,
    ...(recheck !== undefined ? { recheckAfterSeconds: recheck } : {}),
  };
}

/** Whole seconds (at least 1) until every serving region's capacity has held for SCALE_DOWN_SETTLE_SECONDS. */
function settleLeft(serving: readonly string[], since: Readonly<Record<string, number>>, now: Date): number {
  const times = serving.map((r) => since[r]);
  if (times.some((t) => t === undefined)) return SCALE_DOWN_SETTLE_SECONDS;
  const settledAt = Math.max(...(times as number[])) + SCALE_DOWN_SETTLE_SECONDS * 1000;
  return Math.max(1, Math.ceil((settledAt - now.getTime()) / 1000));
}

/**
 * The size of a region's node group. A desired size observed within the bounds is left alone (not even copied: the
 * provider would compare the copy with AWS and call UpdateNodegroupConfig with it in the same reconcile, reverting a
 * scale-up it had not yet observed); one below the floor is raised to it, one above maxSize lowered to it; a region
 * owing its scale-down is set to its floor once the switch is done.
 */
export function nodeScaling(k: Kubernetes, region: string, seen: ObservedNodes | undefined, back: FailBack): NodeScaling {
  const { maxSize } = k.nodeGroup;
  const floor = floorOf(back.serving, k, region);
  const owed = back.owed.includes(region);
  // Until the switch is done, a region owing its scale-down and observed above its floor is held at the size it served
  // with: the pinned provider applies initProvider's desired size on its next update, so a floor there would scale it
  // down at once. A size not observed (not reported yet) holds nothing: there is nothing known to keep.
  const held = owed && !back.switched && seen?.desiredSize !== undefined && seen.desiredSize > floor;
  const scaling = { minSize: floor, maxSize, initialDesired: held ? k.nodeGroup.minSize : floor };
  const desired = seen?.desiredSize;
  if (desired === undefined) return scaling;
  if (back.switched && owed && desired > floor) return { ...scaling, desiredSize: floor };
  const bounded = Math.min(Math.max(desired, floor), maxSize);
  return bounded === desired ? scaling : { ...scaling, desiredSize: bounded };
}

/**
 * The Warning for a region in FailBack.unknownPast: what drplane cannot know after its status was lost, what the
 * composition does about it, and what to check.
 */
export function unknownPastWarning(k: Kubernetes, region: string, seen: ObservedNodes | undefined, back: FailBack): string {
  const floor = floorOf(back.serving, k, region);
  return (
    `the EKS node group in ${region} is observed at ${seen?.desiredSize ?? '?'} nodes desired, above its ${k.standby} standby floor of ${floor}, ` +
    `and this XRegionalCluster reports no status from an earlier reconcile (a control-plane restore loses it), so drplane cannot tell whether ${region} served until now ` +
    `or was scaled up outside git: it owes ${region} no scale-down and gives it its floor, which the pinned provider applies at the node group's next poll ` +
    `without waiting for ${back.serving.join(', ')} to hold serving capacity; if ${region} served until recently, check that ${back.serving.join(', ')} runs its nodes (drctl status)`
  );
}
