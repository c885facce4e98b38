/**
 * scale-nodes: the target region's EKS managed node group is raised to the serving size before the database moves,
 * so its nodes boot while the writer moves (a pilot-light region has none, a warm one one).
 *
 * The desired size and minSize are raised (never maxSize; minSize so that a Cluster Autoscaler keeps the new nodes). The
 * composition owns the bounds (forProvider minSize, maxSize) and gives the desired size in spec.initProvider
 * (src/primitives/kubernetes/scaling.ts). The provider the project pins (provider-upjet-aws v2.6.0) re-applies the
 * composition's values on every update of the node group (for the desired size an upjet defect fixed after that
 * release, scaling.ts has the evidence), so this scale-up is a head start: it holds until the node group's next
 * provider poll. The composition cannot adopt it earlier: that poll both observes the raised sizes and reverts them, so
 * the function never sees them first (a residual limit of the pinned provider). Once Crossplane
 * observes the writer in the target region (this run's promote-database, seen at the rds provider's next poll of the
 * global cluster: up to 10 min with the providers' default --poll), the composition gives that region the serving
 * size itself (it serves), and the region left keeps its nodes until git or a fail-back agrees (its scale-down then
 * waits for the serving region's serving capacity). So in a run started without git (automatic mode) the nodes may be
 * launched, terminated at the node group's poll, and launched again once the writer is observed: the objectives model
 * counts the scale-up from that observation (src/estimate/objectives/rto.ts), not from this step. With git's failover
 * (drctl failover, activeRegion) the composition raises the target at the same time as this step, and the head start
 * holds.
 *
 * The run does not wait for the nodes before switching DNS: the records route to the regional service (API Gateway
 * and Lambda), which does not run on the nodes, so holding the switch for the node start-up (4 to 10 minutes planned,
 * src/facts/timings.ts CLUSTER_SCALE_UP) would keep clients on the lost region for nothing. Node readiness is watched
 * by Crossplane (the claim's status.regions.<region>.clusterNodes, drctl drill's `nodes` step) and the node-group alarm.
 */
import { DescribeNodegroupCommand, UpdateNodegroupConfigCommand, type NodegroupScalingConfig } from '@aws-sdk/client-eks';
import { describeError } from '../shared/logger.js';
import type { NodeGroupTarget } from '../shared/env-contract.js';
import type { FailoverClients } from './clients.js';

type Eks = ReturnType<FailoverClients['eks']>;

/** A node group's sizes the run changed or may restore. */
export interface NodeSizes {
  readonly desiredSize: number;
  /** Only when the run raised it. */
  readonly minSize?: number;
}

/** What scale-nodes did to the target region's node group: enough to undo it (restoreNodeGroup). */
export interface NodeScaleRecord {
  readonly region: string;
  /** The sizes before the run changed them. */
  readonly before: NodeSizes;
  /** The sizes the run set. */
  readonly after: NodeSizes;
}

/** What scale-nodes did in one region. */
export interface NodeScaleResult {
  /** True when UpdateNodegroupConfig was called (and accepted). */
  readonly changed: boolean;
  readonly detail: string;
  /** When changed: the sizes before and after. */
  readonly sizes?: { readonly before: NodeSizes; readonly after: NodeSizes };
}

/**
 * How the EKS calls of scale-nodes and its undo are timed. EKS refuses UpdateNodegroupConfig with
 * ResourceInUseException (botocore eks 2017-11-01: one of the operation's errors, HTTP 409, "The specified resource is
 * in use") while another update of the group runs: the provider's own UpdateNodegroupConfig, a version update, an
 * earlier attempt's. The SDK's standard retry does not retry a 409, so the step waits and asks again itself, with a
 * doubling wait, as long as the invocation leaves room.
 */
export interface EksTiming {
  /** Epoch ms (Date.now's clock) by which every call is over: each is aborted then. */
  readonly deadline: number;
  /** The first wait after ResourceInUseException; each next one doubles. */
  readonly firstWaitMs?: number;
  /** Waits at most this many times. */
  readonly maxRetries?: number;
}

/** Waits of scale-nodes after ResourceInUseException: 1, 2, 4, 8 s (15 s in all). */
export const IN_USE_RETRY = { firstWaitMs: 1_000, maxRetries: 4 } as const;
/** A retry starts only while this much of the deadline is left after its wait (two calls that answer). */
export const IN_USE_CALL_ROOM_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of one call: aborted at the deadline. */
const until = (deadline: number) => ({ abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });

/** Calls UpdateNodegroupConfig, waiting and asking again after ResourceInUseException while the timing allows. */
async function updateScaling(
  eks: Eks,
  group: NodeGroupTarget,
  scalingConfig: NodegroupScalingConfig,
  timing: EksTiming,
): Promise<{ id?: string; status?: string; retries: number }> {
  const maxRetries = timing.maxRetries ?? IN_USE_RETRY.maxRetries;
  let wait = timing.firstWaitMs ?? IN_USE_RETRY.firstWaitMs;
  for (let retries = 0; ; retries++) {
    try {
      const out = await eks.send(
        new UpdateNodegroupConfigCommand({ clusterName: group.cluster, nodegroupName: group.nodegroup, scalingConfig }),
        until(timing.deadline),
      );
      return {
        ...(out.update?.id ? { id: out.update.id } : {}),
        ...(out.update?.status ? { status: out.update.status } : {}),
        retries,
      };
    } catch (err) {
      const inUse = describeError(err).name === 'ResourceInUseException';
      if (!inUse || retries >= maxRetries || Date.now() + wait + IN_USE_CALL_ROOM_MS > timing.deadline) {
        if (inUse && retries > 0 && err instanceof Error) err.message = `${err.message} (still in use after ${retries} retries)`;
        throw err;
      }
      await sleep(wait);
      wait *= 2;
    }
  }
}

const retried = (n: number) => (n === 0 ? '' : ` after ${n} ResourceInUseException retr${n === 1 ? 'y' : 'ies'}`);

/**
 * Raises `group`'s desired size to its serving size when it is below (never lowers it: an autoscaler or a person may
 * have scaled it further). EKS refuses a desired size above maxSize (botocore eks: UpdateNodegroupConfig,
 * InvalidParameterException), so a group whose maxSize is below the serving size is raised to its maxSize and says so.
 * minSize is raised with it when it is below (never lowered): botocore eks NodegroupScalingConfig.desiredSize warns
 * that the Cluster Autoscaler changes a desiredSize set directly and never scales below minSize, so with minSize left at
 * a pilot-light 0 and no pod pending in the standby cluster it would remove the new nodes as unneeded. The serving size
 * is what the composition gives a serving region as its minSize (src/primitives/kubernetes/scaling.ts floorOf), so the
 * two agree once the writer is observed there; UpdateNodegroupConfig takes any subset of the sizes ("When updating a
 * node group, you can specify any or none of the properties").
 */
export async function scaleNodeGroup(eks: Eks, group: NodeGroupTarget, timing: EksTiming): Promise<NodeScaleResult> {
  const name = `${group.cluster}/${group.nodegroup}`;
  const seen = await eks.send(
    new DescribeNodegroupCommand({ clusterName: group.cluster, nodegroupName: group.nodegroup }),
    until(timing.deadline),
  );
  const scaling = seen.nodegroup?.scalingConfig;
  const desired = scaling?.desiredSize ?? 0;
  if (desired >= group.size) {
    return { changed: false, detail: `node group ${name} already runs ${desired} node(s) (serving size ${group.size})` };
  }
  const max = scaling?.maxSize;
  const to = max === undefined ? group.size : Math.min(group.size, max);
  if (to <= desired) {
    return { changed: false, detail: `node group ${name} runs ${desired} node(s), its maxSize ${max}: nothing to raise` };
  }
  const min = scaling?.minSize;
  const raiseMin = min === undefined || min < to;
  const out = await updateScaling(eks, group, { ...(raiseMin ? { minSize: to } : {}), desiredSize: to }, timing);
  const capped = to < group.size ? ` (capped at its maxSize ${max}; serving size ${group.size})` : '';
  const minText = raiseMin ? `, minSize ${min ?? 'unknown'} → ${to}` : '';
  return {
    changed: true,
    detail:
      `node group ${name}: desired ${desired} → ${to}${capped}${minText}, update ${out.id ?? 'unknown'} ${out.status ?? ''}`.trim() +
      retried(out.retries),
    sizes: {
      before: { desiredSize: desired, ...(raiseMin && min !== undefined ? { minSize: min } : {}) },
      after: { desiredSize: to, ...(raiseMin && min !== undefined ? { minSize: to } : {}) },
    },
  };
}

/**
 * Undoes a scale-up (`record`) whose run failed before the database moved: each size still at what the run set goes
 * back to what it was; a size someone changed since is left as it is. Never raises anything.
 */
export async function restoreNodeGroup(
  eks: Eks,
  group: NodeGroupTarget,
  record: NodeScaleRecord,
  timing: EksTiming,
): Promise<NodeScaleResult> {
  const name = `${group.cluster}/${group.nodegroup}`;
  const seen = await eks.send(
    new DescribeNodegroupCommand({ clusterName: group.cluster, nodegroupName: group.nodegroup }),
    until(timing.deadline),
  );
  const desired = seen.nodegroup?.scalingConfig?.desiredSize;
  const min = seen.nodegroup?.scalingConfig?.minSize;
  // minSize back too when the run raised it and it is still what the run set.
  const lowerMin =
    record.before.minSize !== undefined && record.after.minSize !== undefined && min === record.after.minSize
      ? record.before.minSize
      : undefined;
  if (desired !== record.after.desiredSize || record.before.desiredSize >= desired) {
    return {
      changed: false,
      detail: `node group ${name} left at desired ${desired ?? 'unknown'}: not the ${record.after.desiredSize} this run set`,
    };
  }
  const scalingConfig = { ...(lowerMin === undefined ? {} : { minSize: lowerMin }), desiredSize: record.before.desiredSize };
  const out = await updateScaling(eks, group, scalingConfig, timing);
  const minText = lowerMin === undefined ? '' : `, minSize ${min} → ${lowerMin}`;
  return {
    changed: true,
    detail: `node group ${name}: desired ${desired} → ${record.before.desiredSize}${minText} (back to its size before this run), update ${out.id ?? 'unknown'}${retried(out.retries)}`,
    sizes: { before: { desiredSize: desired, ...(lowerMin === undefined ? {} : { minSize: min }) }, after: record.before },
  };
}
