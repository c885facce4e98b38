/**
 * What a failover run has to do, derived only from the observed AWS state. Pure.
 */
import type { Change } from '@aws-sdk/client-route-53';
import { PlanError } from './records.js';

/** The global cluster as DescribeGlobalClusters shows it. */
export interface ObservedCluster {
  readonly status: string | undefined;
  readonly members: readonly { readonly arn: string; readonly isWriter: boolean }[];
  /** Present while a switchover/failover is pending or running (FailoverState). */
  readonly failoverState:
    | {
        readonly status: string | undefined;
        readonly fromArn: string | undefined;
        readonly toArn: string | undefined;
        readonly dataLossAllowed: boolean | undefined;
      }
    | undefined;
}

/**
 * FailoverState statuses during which the writer may still change. The RDS model (2014-10-31) enumerates `pending`,
 * `failing-over` and `cancelling`; its documentation of FailoverState.Status adds `switching-over`. FailoverState "is
 * empty unless a switchover or failover operation is scheduled or is in progress", so any FailoverState that has a
 * status or a target counts as an operation in progress, whatever its status (a value this list lacks included).
 */
export const IN_PROGRESS_STATUSES: readonly string[] = ['pending', 'switching-over', 'failing-over', 'cancelling'];

/** What to do with the database. */
export type DatabaseAction =
  | { readonly action: 'none'; readonly reason: string }
  | {
      readonly action: 'switchover' | 'failover';
      readonly fromArn: string | undefined;
      readonly toArn: string;
      /** Set when an unplanned failover takes over a switchover in progress: what it supersedes. */
      readonly supersedes?: string;
    }
  | { readonly action: 'wait'; readonly reason: string };

/** What to do with DNS. */
export type DnsAction =
  | { readonly action: 'none'; readonly reason: string }
  | { readonly action: 'swap'; readonly changes: readonly Change[] }
  /** Route 53 could not be read (its control plane is in us-east-1); the swap is tried again after the database. */
  | { readonly action: 'unknown'; readonly reason: string }
  /** routing.control arc: the routing control states switch-dns sets (`us-west-2 On, us-east-1 Off`). */
  | { readonly action: 'controls'; readonly states: string };

/** The plan a dry run returns and a real run follows. */
export interface FailoverPlan {
  readonly globalClusterId: string;
  readonly targetRegion: string;
  readonly mode: 'planned' | 'unplanned';
  readonly currentWriterRegion: string | undefined;
  readonly database: DatabaseAction;
  readonly dns: DnsAction;
  readonly healthUrl: string;
  readonly warnings: readonly string[];
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** The writer member's ARN, if any. */
export function writerArn(cluster: ObservedCluster): string | undefined {
  return cluster.members.find((m) => m.isWriter)?.arn;
}

/** Where the move of the writer to the target stands (wait-for-writer). */
export type WriterProgress =
  | { readonly state: 'settled'; readonly detail: string }
  | { readonly state: 'waiting' }
  | { readonly state: 'failed'; readonly reason: string };

/**
 * Where the move of the writer to `targetArn` stands, from the model's FailoverState (see {@link IN_PROGRESS_STATUSES}):
 *
 * - no FailoverState: settled once the target is the writer (waiting before: RDS may not show an accepted operation
 *   at once);
 * - `cancelling`, or an operation toward another cluster: failed, the target will not become the writer;
 * - a failover with data loss toward the target, `failing-over` (or without a status): settled once the target is the
 *   writer. Its FailoverState may stay while the old primary is demoted, which needs the old primary's region: in the
 *   outage the failover is for, that region may not answer for hours, and the new writer serves meanwhile. `pending`
 *   (the operation has not started) waits;
 * - a switchover toward the target: waiting until FailoverState is empty (a switchover demotes the old primary and
 *   synchronizes replicas after the promotion; both regions are up, so it ends).
 */
export function writerProgress(cluster: ObservedCluster, targetArn: string): WriterProgress {
  const targetWrites = cluster.members.some((m) => m.isWriter && same(m.arn, targetArn));
  const fs = cluster.failoverState;
  if (fs === undefined) return targetWrites ? { state: 'settled', detail: 'no operation in progress' } : { state: 'waiting' };
  if (fs.status === 'cancelling') {
    return {
      state: 'failed',
      reason: `the ${fs.dataLossAllowed === true ? 'failover' : 'switchover'} toward the target is being cancelled`,
    };
  }
  if (fs.toArn !== undefined && !same(fs.toArn, targetArn)) {
    return { state: 'failed', reason: `an operation toward ${fs.toArn} is ${fs.status ?? 'in progress'}` };
  }
  if (targetWrites && fs.dataLossAllowed === true && (fs.status === 'failing-over' || fs.status === undefined)) {
    return {
      state: 'settled',
      detail: `the target writes; the failover's FailoverState is still ${fs.status ?? 'present'} (the old primary's demotion needs its region)`,
    };
  }
  return { state: 'waiting' };
}

/**
 * True when the database writes in `targetArn`'s cluster or is moving there (a FailoverState toward it that is not
 * being cancelled): what a failed run must not undo the target's node group for.
 */
export function movingTo(cluster: ObservedCluster, targetArn: string): boolean {
  if (cluster.members.some((m) => m.isWriter && same(m.arn, targetArn))) return true;
  const fs = cluster.failoverState;
  return fs !== undefined && fs.status !== 'cancelling' && same(fs.toArn, targetArn);
}

/** True once the target is the writer and its move is over ({@link writerProgress} settled). */
export function writerSettled(cluster: ObservedCluster, targetArn: string): boolean {
  return writerProgress(cluster, targetArn).state === 'settled';
}

/**
 * Decides the database step. Resumes an operation toward the target that is already running. In unplanned mode a
 * switchover in progress (one that does not allow data loss, toward any member, in any status, `cancelling` included)
 * gives way to FailoverGlobalCluster with AllowDataLoss: a switchover needs the old primary to take part, so in an
 * outage it does not finish. Whether RDS accepts the failover while a switchover is pending is not stated in the RDS
 * model (botocore rds 2014-10-31: FailoverGlobalCluster and SwitchoverGlobalCluster both list
 * InvalidGlobalClusterStateFault, "The global cluster is in an invalid state and can't perform the requested
 * operation", and neither says which states); promote-database handles a refusal with {@link afterRefusal}.
 */
export function planDatabase(cluster: ObservedCluster, targetArn: string, mode: 'planned' | 'unplanned'): DatabaseAction {
  if (!cluster.members.some((m) => same(m.arn, targetArn))) {
    throw new PlanError(
      `cluster ${targetArn} is not a member of the global cluster (members: ${cluster.members.map((m) => m.arn).join(', ') || 'none'})`,
    );
  }
  // The target writes and its move is over (a failover's lingering FailoverState included): nothing to do.
  if (writerSettled(cluster, targetArn)) return { action: 'none', reason: 'the target cluster is already the writer' };
  const fs = cluster.failoverState;
  if (fs !== undefined && IN_PROGRESS_STATUSES.includes(fs.status ?? '')) {
    if (mode === 'unplanned' && fs.dataLossAllowed !== true) {
      return {
        action: 'failover',
        fromArn: writerArn(cluster),
        toArn: targetArn,
        supersedes: `a switchover toward ${fs.toArn ?? '?'} that is ${fs.status ?? 'running'}`,
      };
    }
    if (fs.status === 'cancelling') {
      throw new PlanError(
        `a switchover/failover toward ${fs.toArn ?? '?'} is being cancelled; run again once the global cluster is available`,
      );
    }
    if (!same(fs.toArn, targetArn)) {
      throw new PlanError(
        `a switchover/failover toward ${fs.toArn ?? '?'} is in progress (${fs.status ?? '?'}); wait for it, or target that region`,
      );
    }
    return {
      action: 'wait',
      reason: `a ${fs.dataLossAllowed === true ? 'failover' : 'switchover'} to the target is already ${fs.status ?? 'running'}`,
    };
  }
  return { action: mode === 'planned' ? 'switchover' : 'failover', fromArn: writerArn(cluster), toArn: targetArn };
}

/** What promote-database does after RDS refused its operation with a state fault ({@link afterRefusal}). */
export type AfterRefusal =
  /** The writer moves (or moved) to the target without this run's operation: follow it. */
  | { readonly next: 'follow'; readonly reason: string }
  /** Unplanned: something RDS still runs is in the way (a switchover, its cancellation): ask again, within a budget. */
  | { readonly next: 'ask-again'; readonly reason: string }
  /** Nothing to wait for: the refusal is the step's error. */
  | { readonly next: 'fail' };

/**
 * After RDS refused the run's SwitchoverGlobalCluster/FailoverGlobalCluster with InvalidGlobalClusterStateFault or
 * InvalidDBClusterStateFault, what to do, from the global cluster as described after the refusal:
 *
 * - an operation toward the target already running, or the target writing: follow it (a concurrent run, this Task's
 *   own earlier attempt whose answer was lost, or a switchover that finished);
 * - unplanned, and the failover is still what is needed (a switchover is pending, switching over or being cancelled,
 *   or no operation shows yet): ask again. RDS may refuse a failover while a switchover is pending and accept it once
 *   the switchover has finished or failed; the caller bounds how long it asks (the workflow's Retry of the step);
 * - planned, with nothing to follow: fail (the refusal is the error; the Task's Retry tries it again).
 *
 * A failover toward another member that is running, or a failover being cancelled, throws PlanError (planDatabase).
 */
export function afterRefusal(cluster: ObservedCluster, targetArn: string, mode: 'planned' | 'unplanned'): AfterRefusal {
  const now = planDatabase(cluster, targetArn, mode);
  if (now.action === 'none' || now.action === 'wait') return { next: 'follow', reason: now.reason };
  if (mode === 'planned') return { next: 'fail' };
  const fs = cluster.failoverState;
  return {
    next: 'ask-again',
    reason:
      now.action === 'failover' && now.supersedes !== undefined
        ? `${now.supersedes} is in the way`
        : `the global cluster is ${cluster.status ?? '?'}${fs === undefined ? ', no operation shows' : ''}`,
  };
}
