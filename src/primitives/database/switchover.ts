/**
 * Keeps Crossplane out of the way of an Aurora global switchover (PITFALLS, Aurora).
 *
 * The orchestrator Lambda moves the writer with SwitchoverGlobalCluster/FailoverGlobalCluster, outside Crossplane.
 * Meanwhile the provider keeps reconciling the member Cluster resources against a spec written for the old topology:
 * `replicationSourceIdentifier` was late-initialized to the old writer's ARN, so after the switchover the new writer
 * still "wants" to replicate from the old one (the provider loops Synced=False, and planning the field empty means
 * promote, which would detach the cluster from the global database).
 *
 * So, from the global cluster's observation (its members and which one writes; the GlobalCluster itself is never
 * paused, so the observation stays current). It is observed from every region: the managed global cluster lives in
 * the primary region, and each secondary has an Observe-only view of it (database/compose.ts). A source whose last
 * observation failed (Synced=False, such as the primary's while that region is lost) is left out, so a lost region's
 * stale status never names the writer; when current sources disagree, the writer seen last is kept:
 * - while `activeRegion` names a region whose cluster is not the writer, a switchover is under way: every member
 *   Cluster resource carries `crossplane.io/paused: "true"`;
 * - after it, while any member's spec still holds a replicationSourceIdentifier that no longer matches the topology
 *   (the writer has none; a reader replicates from the writer), they stay paused and a Warning event gives the
 *   command that clears the stale field; the provider then late-initializes it afresh;
 * - a writer that moved away from `activeRegion` while git did not move (automatic failover, or one by hand) is
 *   adopted instead: the composite's status from the previous reconcile (its activeRegion and writerRegion) says
 *   which of the two moved, and `status.adoptedWriterRegion` keeps the answer. Nothing is paused for it (no
 *   switchover toward activeRegion will come: the orchestrator only moves the writer toward the region a request
 *   names, and git made none), the records already follow the writer (routing), and an event names the command
 *   that records the new region in git. Without that history (a composite that never reported a status) the
 *   disagreement counts as a switchover, as before;
 * - otherwise nothing is paused. A plan shows the steady state: nothing paused.
 */
import type { ComposeContext } from '../../compose/context.js';
import { readPath } from '../../compose/observed.js';
import type { ComposeEvent, Manifest, ObservedView } from '../../compose/types.js';

/** The annotation Crossplane reads to stop reconciling a managed resource. */
export const PAUSED = 'crossplane.io/paused';

/** Key of the global cluster and of each region's member cluster (the composition-resource names). */
export const GLOBAL_KEY = 'aurora-global';
/** Key of the global cluster observed from a secondary region (managementPolicies Observe). */
export const globalViewKey = (region: string): string => `aurora-global-view-${region}`;
export const memberKey = (region: string): string => `aurora-cluster-${region}`;

/** One member whose spec holds a replication source the topology no longer has. */
export interface StaleSource {
  readonly region: string;
  /** The member's composition-resource name (key of the observed resources). */
  readonly key: string;
  /** The Cluster resource's metadata.name. */
  readonly name: string;
  /** What the spec holds. */
  readonly value: string;
  /** What AWS has now: the writer's ARN for a reader, nothing for the writer. */
  readonly expected?: string;
}

/** What the composite's status said after the previous reconcile (XGlobalDatabase writes these fields). */
export interface PreviousGuard {
  readonly activeRegion?: string;
  readonly writerRegion?: string;
  readonly adoptedWriterRegion?: string;
}

/** The previous reconcile's view from an observed XGlobalDatabase (its status). */
export function previousGuardOf(xr: Manifest): PreviousGuard {
  const text = (path: string) => {
    const v = readPath(xr, path);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const activeRegion = text('status.activeRegion');
  const writerRegion = text('status.writerRegion');
  const adoptedWriterRegion = text('status.adoptedWriterRegion');
  return {
    ...(activeRegion ? { activeRegion } : {}),
    ...(writerRegion ? { writerRegion } : {}),
    ...(adoptedWriterRegion ? { adoptedWriterRegion } : {}),
  };
}

/**
 * True when the writer is in `writerRegion`, not in activeRegion, because it moved while git did not: git's
 * activeRegion is what it was at the previous reconcile, and then the writer was in activeRegion, or was already
 * adopted in this region.
 */
function movedOutsideGit(ctx: ComposeContext, writerRegion: string, previous: PreviousGuard): boolean {
  if (previous.activeRegion === undefined || previous.activeRegion !== ctx.active) return false;
  return previous.adoptedWriterRegion === writerRegion || previous.writerRegion === ctx.active;
}

/** What the guard decided for one reconcile. */
export interface SwitchoverGuard {
  /** Region of the writer cluster as AWS reports it, when known. */
  readonly writerRegion?: string;
  /** Set when the writer moved outside git (automatic failover, by hand) and the estate follows it. */
  readonly adoptedWriterRegion?: string;
  /** True when the member Cluster resources are to be paused. */
  readonly paused: boolean;
  readonly stale: readonly StaleSource[];
  readonly events: ComposeEvent[];
}

type Member = { dbClusterArn?: unknown; isWriter?: unknown };

/** The region inside an RDS cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>). */
export function regionOfClusterArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:rds:([a-z0-9-]+):\d{12}:cluster:/.exec(arn)?.[1];
}

/** The members one observation of the global cluster reports, when it reports them. */
function reportedMembers(observed: ObservedView, key: string): Member[] | undefined {
  const members = observed.read(key, 'status.atProvider.globalClusterMembers');
  return Array.isArray(members) ? (members as Member[]) : undefined;
}

/** True when the managed resource says its last observation failed (Synced=False): its status is stale. */
function unsynced(observed: ObservedView, key: string): boolean {
  const conditions = observed.read(key, 'status.conditions');
  return (
    Array.isArray(conditions) &&
    conditions.some((c: { type?: unknown; status?: unknown }) => c?.type === 'Synced' && c.status === 'False')
  );
}

/** The writer member's ARN, when exactly one member writes. */
function writerArn(members: readonly Member[]): string | undefined {
  const writers = members.filter((m) => m?.isWriter === true && typeof m.dbClusterArn === 'string');
  return writers.length === 1 ? (writers[0]!.dbClusterArn as string) : undefined;
}

/** What the observations of the global cluster say together. */
interface Observation {
  /** The members of the source that decided, when one did. */
  readonly members?: Member[];
  /** Set when current observations name different writers: the writer is not decided. */
  readonly conflict?: string;
}

/**
 * The global cluster's members from every current observation: the managed global cluster (primary region) and its
 * views from the secondaries. A source whose last observation failed (Synced=False) is stale and left out: the status
 * of a lost region's resource keeps naming the writer it had. When current sources name different writers (one has
 * seen a failover the other has not yet), nothing is decided.
 */
function observeMembers(ctx: ComposeContext, observed: ObservedView): Observation {
  const keys = [GLOBAL_KEY, ...ctx.secondaries.map(globalViewKey)];
  const current = keys.flatMap((key) => {
    const members = reportedMembers(observed, key);
    return members === undefined || unsynced(observed, key) ? [] : [{ key, members, writer: writerArn(members) }];
  });
  if (current.length === 0) return {};
  const writers = [...new Set(current.map((c) => c.writer).filter((w): w is string => w !== undefined))];
  if (writers.length > 1) {
    const seen = current.map((c) => `${c.key}: ${c.writer === undefined ? 'none' : (regionOfClusterArn(c.writer) ?? c.writer)}`);
    return { conflict: seen.join(', ') };
  }
  return { members: (current.find((c) => c.writer !== undefined) ?? current[0]!).members };
}

/** True when a member cluster of this region is in the global cluster (it can take over the writer). */
const isMember = (members: readonly Member[], region: string): boolean =>
  members.some((m) => typeof m?.dbClusterArn === 'string' && regionOfClusterArn(m.dbClusterArn) === region);

/** True when any member Cluster resource is paused now (by this guard earlier, or by a person). */
const pausedNow = (ctx: ComposeContext, observed: ObservedView): boolean =>
  ctx.regions.some((r) => observed.read(memberKey(r), ['metadata', 'annotations', PAUSED]) === 'true');

/** Members whose spec.forProvider.replicationSourceIdentifier disagrees with the current writer. */
function staleSources(ctx: ComposeContext, observed: ObservedView, writer: string, writerRegion: string): StaleSource[] {
  return ctx.regions.flatMap((region) => {
    const key = memberKey(region);
    const value = observed.read(key, 'spec.forProvider.replicationSourceIdentifier');
    if (typeof value !== 'string' || value === '') return [];
    const expected = region === writerRegion ? undefined : writer;
    if (value === expected) return [];
    const name = observed.read(key, 'metadata.name');
    return [{ region, key, name: typeof name === 'string' ? name : key, value, ...(expected ? { expected } : {}) }];
  });
}

/** The kubectl command that removes a stale replication source from one Cluster resource. */
export const clearCommand = (name: string): string =>
  `kubectl patch clusters.rds.aws.upbound.io ${name} --type=json ` +
  `-p '[{"op":"remove","path":"/spec/forProvider/replicationSourceIdentifier"}]'`;

/** Nothing to guard: the steady state, and every plan. */
const CALM: SwitchoverGuard = { paused: false, stale: [], events: [] };

/**
 * Decides whether the member Cluster resources are paused, and says why. A pause already in place is kept while the
 * observation cannot say where the writer is (a switchover can leave the members briefly without a single writer).
 */
export function switchoverGuard(ctx: ComposeContext, observed: ObservedView, previous: PreviousGuard = {}): SwitchoverGuard {
  if (observed.planning) return CALM;
  const observation = observeMembers(ctx, observed);
  if (observation.conflict !== undefined) {
    const kept = previous.writerRegion;
    return {
      ...(kept ? { writerRegion: kept } : {}),
      ...(previous.adoptedWriterRegion ? { adoptedWriterRegion: previous.adoptedWriterRegion } : {}),
      paused: pausedNow(ctx, observed),
      stale: [],
      events: [
        {
          severity: 'Warning',
          message: `the observations of the global cluster name different writers (${observation.conflict}); drplane keeps the writer it saw last (${kept ?? 'none'}) and changes nothing about the pause until they agree`,
        },
      ],
    };
  }
  const members = observation.members;
  const writer = members && writerArn(members);
  const writerRegion = writer === undefined ? undefined : regionOfClusterArn(writer);
  if (members === undefined || writer === undefined || writerRegion === undefined) {
    if (!pausedNow(ctx, observed)) return CALM;
    return {
      paused: true,
      stale: [],
      events: [
        {
          severity: 'Normal',
          message: `the global cluster does not report a single writer${members === undefined ? ' (no observed members)' : ''}; the paused Aurora Cluster resources stay paused until it does`,
        },
      ],
    };
  }
  if (!ctx.regions.includes(writerRegion)) {
    return {
      writerRegion,
      paused: pausedNow(ctx, observed),
      stale: [],
      events: [
        {
          severity: 'Warning',
          message: `the global cluster's writer is in ${writerRegion}, which is not a region of this estate (${ctx.regions.join(', ')}); drplane changes nothing about the pause of the Aurora Cluster resources until it is`,
        },
      ],
    };
  }
  const adopted = writerRegion !== ctx.active && movedOutsideGit(ctx, writerRegion, previous);
  const switching = writerRegion !== ctx.active && !adopted;
  const canSwitch = isMember(members, ctx.active);
  const stale = staleSources(ctx, observed, writer, writerRegion);
  const events: ComposeEvent[] = [];
  if (adopted) {
    events.push({
      severity: 'Normal',
      message:
        `the global cluster's writer moved to ${writerRegion} outside git (automatic failover, or by hand) while activeRegion stays ${ctx.active}: ` +
        `drplane follows it (the records serve ${writerRegion}; nothing is paused for a switchover, none is coming). ` +
        `Record it in git when convenient: drctl failover <claim file> --to ${writerRegion} --reason "..." (the run it starts finds nothing to do)`,
    });
  }
  if (switching && canSwitch) {
    events.push({
      severity: 'Normal',
      message:
        `activeRegion is ${ctx.active} but the global cluster's writer is in ${writerRegion}: the Aurora Cluster resources are paused (${PAUSED}) ` +
        `until they agree. Either a switchover to ${ctx.active} is under way (the orchestrator moves the writer), or the database failed over ` +
        `outside git (automatic failover, or by hand): then set activeRegion: ${writerRegion} in the claim`,
    });
  } else if (switching) {
    events.push({
      severity: 'Normal',
      message:
        `activeRegion is ${ctx.active} but its Aurora cluster is not a member of the global cluster yet (still being created?); ` +
        `the writer stays in ${writerRegion} and nothing is paused until ${ctx.active} can take over`,
    });
  }
  for (const s of stale) {
    events.push({
      severity: 'Warning',
      message:
        `Aurora cluster ${s.name} (${s.region}) still has spec.forProvider.replicationSourceIdentifier ${s.value} from before the switchover ` +
        `(AWS now has ${s.expected ?? 'none: it is the writer'}); the Cluster resources stay paused until it is cleared, ` +
        `because reconciling it would try to re-attach or promote the cluster. Clear it with: ${clearCommand(s.name)} (drctl unpause on the claim file clears every stale member)`,
    });
  }
  return {
    writerRegion,
    ...(adopted ? { adoptedWriterRegion: writerRegion } : {}),
    paused: (switching && canSwitch) || stale.length > 0,
    stale,
    events,
  };
}
