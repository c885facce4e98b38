/**
 * The steps of a failover run, one per Task state of the workflow (src/compose/workflow.ts). Each gets the run's
 * state and returns what it adds; a polling step throws {@link NotYetError} until its condition holds, and the state's
 * Retry waits and asks again (its IntervalSeconds is the poll interval, MaxAttempts the step's budget).
 */
import { DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { parseArn } from '../shared/arn.js';
import { describeError } from '../shared/logger.js';
import { DRPLANE_METRICS, dimensionList, failoverRtoDimensions } from '../shared/metrics-contract.js';
import {
  AUTOMATIC_ATTEMPTS,
  NOT_YET,
  PERMANENT_ERRORS,
  REDRIVE_AFTER_SECONDS,
  runSeconds,
  SWITCH_DNS_BUDGET_SECONDS,
  turnSeconds,
  WORKFLOW_STEPS,
  type WorkflowStep,
} from '../shared/workflow-contract.js';
import { alreadyInState, describeMove, endpointOrder, moveStates, updateStates, type ArcConfig } from './arc.js';
import { ROUTE53_LIMITS, route53Call, type FailoverClients } from './clients.js';
import type { FailoverConfig } from './config.js';
import { isThrottled, isUnavailable, servedByHealthChecks } from './dns-fallback.js';
import { restoreNodeGroup, scaleNodeGroup } from './nodes.js';
import { describeGlobalCluster, listRecords } from './observe.js';
import {
  afterRefusal,
  movingTo,
  planDatabase,
  writerArn,
  writerProgress,
  writerSettled,
  type FailoverPlan,
  type ObservedCluster,
} from './plan.js';
import { databaseChanges, hostsOf, PlanError, planDns } from './records.js';
import { decideRpo } from './rpo.js';
import type { RunState } from './state.js';
import type { StepOutcome, TimelineStep } from './timeline.js';
import { decideTurn, listRuns } from './turn.js';
import { checkHealthOnce } from './verify.js';

/** A polling step's condition does not hold yet; `message` says what was seen. */
export class NotYetError extends Error {
  override readonly name = NOT_YET;
}

/** What a step needs. */
export interface StepDeps {
  readonly cfg: FailoverConfig;
  /** Clients with the function's own role (alarm state, metric, notification). */
  readonly own: FailoverClients;
  /** Clients with the DR-operations role (RDS, Route 53), assumed on first use. */
  readonly ops: () => Promise<FailoverClients>;
  readonly now: () => Date;
  readonly executionStart: Date;
  /** The execution's name (`<base>` or `<base>-<n>`, start.ts): which attempt of its request this run is. */
  readonly executionName: string;
  /** The execution's ARN (wait-turn finds the run in the listings by it). */
  readonly executionArn: string;
  /** When this step's invocation ends (epoch ms, Date.now's clock): what the step does must be over by then. */
  readonly invocationDeadline: number;
}

/**
 * The orchestrator function's timeout in ms, the invocation of one step (compose: STEP_FUNCTION_TIMEOUT_SECONDS, the
 * Task's TimeoutSeconds above it): the deadline when the Lambda context does not say.
 */
export const STEP_INVOCATION_MS = 60_000;

/**
 * What switch-dns keeps back from its invocation for Route 53 after the routing controls (list and change, each
 * bounded by ROUTE53_LIMITS.callTimeoutMs) and for returning: the ARC update must end this long before the invocation
 * does, or the Lambda times out mid-retry and the Task fails with a timeout instead of the step's own error.
 */
export const ARC_RESERVE_MS = 2 * ROUTE53_LIMITS.callTimeoutMs + 2_000;

/** What a step adds to the state, and how it ends on the timeline. */
export interface StepResult {
  readonly patch?: Partial<RunState>;
  readonly outcome: StepOutcome;
  readonly detail?: string;
  /** What went wrong without failing the step (best-effort calls): logged as warnings; the detail names them too. */
  readonly warnings?: readonly string[];
  /**
   * Not done yet, but what the step found goes on to its next look (wait-turn's loop): the handler returns the state
   * with `patch` and puts nothing on the timeline.
   */
  readonly pending?: boolean;
}

/** Time one `/health` attempt may take (Route 53 health checkers wait 2 s for a region; the step 5 s). */
export const HEALTH_ATTEMPT_MS = 5_000;

/** What RDS answers when another operation already runs, or the target already writes (a concurrent run won). */
const RACE_ERRORS: readonly string[] = ['InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault'];

const regionOf = (arn: string | undefined): string | undefined => (arn === undefined ? undefined : parseArn(arn)?.region);

function clusterState(c: ObservedCluster): string {
  const writer = regionOf(writerArn(c)) ?? 'none';
  const fs =
    c.failoverState === undefined
      ? ''
      : `, failover ${c.failoverState.status ?? '?'} to ${regionOf(c.failoverState.toArn) ?? '?'}`;
  return `status ${c.status ?? '?'}, writer ${writer}${fs}`;
}

/**
 * The DNS changes of a run: the service records (records.ts planDns) and, in the same change batch, writer./reader.
 * toward the target's Aurora endpoints (databaseChanges), so nothing keeps naming a cluster that no longer writes.
 * With routing.control arc the service records are never changed (they carry the ARC-gated checks Crossplane owns;
 * switch-dns flips the routing controls instead): only writer./reader. move.
 */
function dnsPlan(records: readonly ResourceRecordSet[], cfg: FailoverConfig, targetRegion: string) {
  const service =
    cfg.arc !== undefined
      ? { changes: [], warnings: [], reason: `the service records are gated by ARC routing controls` }
      : planDns(records, cfg.recordName, cfg.allRegions, cfg.healthCheckIds, hostsOf(cfg.healthUrls), targetRegion);
  const db = databaseChanges(records, cfg.recordName, cfg.databaseEndpoints, targetRegion);
  const changes = [...service.changes, ...db.changes];
  const moved = db.changes.map((c) => c.ResourceRecordSet?.Name?.split('.')[0]).join('./');
  return {
    changes,
    serviceChanges: service.changes.length,
    databaseMoved: moved === '' ? undefined : `${moved}. → ${targetRegion}`,
    warnings: [...service.warnings, ...db.warnings],
    reason: changes.length === 0 ? service.reason : undefined,
  };
}

/** The region traffic leaves: the lost region of an automatic run, else the writer's region before the run. */
const regionLeft = (state: RunState): string | undefined => state.request.trigger?.region ?? state.plan?.currentWriterRegion;

const planOf = (state: RunState): FailoverPlan => {
  if (state.plan === undefined) throw new PlanError('the run has no plan: the observe step did not run');
  return state.plan;
};

/**
 * The region a run fails away from, as far as wait-turn can know it before observe: the lost region of an automatic
 * run, else the other region of a two-region estate; undefined in a larger estate started by people.
 */
function awayFromOf(d: StepDeps, state: RunState): string | undefined {
  const trigger = state.request.trigger?.region;
  if (trigger !== undefined) return trigger;
  const others = d.cfg.allRegions.filter((r) => r !== state.request.targetRegion);
  return others.length === 1 ? others[0] : undefined;
}

/**
 * wait-turn: one run acts per estate at a time (turn.ts): this run goes on once it is the earliest-started RUNNING
 * execution of the estate's workflows in every region that answers; until then it returns the state with `turn` (what
 * its look found, and since when each region has not answered), and the definition's Choice and Wait bring it back
 * for the next look; once its budget (turnSeconds from the step's start) is spent, NotYet ends the loop (the Catch).
 * It is the first step, so check-trigger and observe read the estate after an earlier run has ended. A dry run skips it.
 */
async function waitTurn(d: StepDeps, state: RunState): Promise<StepResult> {
  if (state.request.dryRun) return { outcome: 'skipped', detail: 'a dry run changes nothing' };
  const arns =
    d.cfg.stateMachineArns ?? (d.cfg.stateMachineArn === undefined ? undefined : { [d.cfg.region]: d.cfg.stateMachineArn });
  if (arns === undefined) return { outcome: 'skipped', detail: 'no workflow ARNs configured: runs are not ordered' };
  // A run's lease: the longest it acts once it has its turn (workflow-contract.ts runSeconds).
  const leaseSeconds = runSeconds(d.cfg.deadlineSeconds);
  const listing = await listRuns(d.own, arns, { now: d.now(), leaseSeconds });
  const now = d.now();
  const awayFrom = awayFromOf(d, state);
  const turn = decideTurn({ executionArn: d.executionArn, startDate: d.executionStart }, listing, {
    now,
    leaseSeconds,
    unsureSince: isStringRecord(state.turn?.unsureSince) ? state.turn.unsureSince : {},
    ...(awayFrom === undefined ? {} : { awayFrom }),
  });
  if (!turn.go) {
    // The step's start (as its timeline entry counts it; the execution's start for the first step).
    const startedAt = new Date(state.timeline.at(-1)?.endedAt ?? d.executionStart.toISOString());
    const budget = turnSeconds(d.cfg.deadlineSeconds);
    const waited = (now.getTime() - startedAt.getTime()) / 1000;
    if (waited >= budget) throw new NotYetError(`after ${Math.floor(waited)} s of its ${budget} s budget: ${turn.detail}`);
    return {
      pending: true,
      outcome: 'done',
      detail: turn.detail,
      patch: { turn: { detail: turn.detail, unsureSince: turn.unsureSince } },
    };
  }
  const only = d.cfg.stateMachineArns === undefined ? ` (only ${d.cfg.region}'s workflow is configured)` : '';
  return { outcome: 'done', detail: `${turn.detail}${only}` };
}

const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** check-trigger: a run the alarm started goes on only while that alarm is still in ALARM (a stale event does nothing). */
async function checkTrigger(d: StepDeps, state: RunState): Promise<StepResult> {
  const trigger = state.request.trigger;
  if (trigger === undefined) return { outcome: 'skipped', detail: 'not started by an alarm' };
  const out = await d.own
    .cloudWatch(d.cfg.region)
    .send(new DescribeAlarmsCommand({ AlarmNames: [trigger.alarmName], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }));
  const value = out.CompositeAlarms?.[0]?.StateValue ?? out.MetricAlarms?.[0]?.StateValue ?? 'not found';
  if (value !== 'ALARM') {
    return {
      patch: { outcome: 'stale' },
      outcome: 'done',
      detail: `${trigger.alarmName} is ${value} now (state change at ${trigger.time}): stale event, nothing done`,
    };
  }
  return { outcome: 'done', detail: `${trigger.alarmName} is still in ALARM` };
}

/**
 * check-rpo: a run the trigger started goes on only when the standby's lag in the minutes before the loss is known and
 * within the RPO guard (rpo.ts); otherwise it ends `held` and tells the topic what to do.
 */
async function checkRpo(d: StepDeps, state: RunState): Promise<StepResult> {
  const trigger = state.request.trigger;
  if (trigger === undefined) return { outcome: 'skipped', detail: 'not started by an alarm' };
  if (d.cfg.rpoGuard === undefined) return { outcome: 'skipped', detail: 'no RPO guard configured' };
  const decision = await decideRpo(d.own, d.cfg, trigger.region, new Date(trigger.time));
  if (!decision.held) {
    return {
      outcome: 'done',
      detail: `lag up to ${decision.maxLagMs} ms in the 5 minutes before the loss at ${decision.lossAt.toISOString()}: within the RPO guard`,
    };
  }
  const detail = `held: ${decision.why}; if failing over is right, run \`drctl failover --unplanned\``;
  const entry: TimelineStep = {
    step: 'check-rpo',
    startedAt: state.timeline.at(-1)?.endedAt ?? d.executionStart.toISOString(),
    endedAt: d.now().toISOString(),
    outcome: 'done',
    detail,
  };
  await notify(d, { ...state, timeline: [...state.timeline, entry] }, 'held', { held: decision.why });
  return { patch: { outcome: 'held' }, outcome: 'done', detail };
}

/**
 * How long observe waits for Route 53 after RDS answered, in a run that changes things. Route 53 is off the path to
 * promote-database: its control plane is in us-east-1, which may be the region lost, and one that hangs would hold
 * the promotion. Records not read by then are `unknown`; switch-dns reads them again after the database moved.
 */
export const ROUTE53_OBSERVE_GRACE_MS = 1_000;

type Listed = { records: ResourceRecordSet[]; error: undefined } | { records: undefined; error: unknown };

/** The records, or the error of Route 53 being unavailable (a refusal of the request, such as AccessDenied, throws). */
async function listForObserve(d: StepDeps, route53: FailoverClients['route53'], signal: AbortSignal): Promise<Listed> {
  try {
    return { records: await listRecords(route53(d.cfg.region), d.cfg.hostedZoneId, d.cfg.recordName, signal), error: undefined };
  } catch (error) {
    // Throttled: the records are read again after the database (switch-dns), as when Route 53 is unavailable.
    if (!isUnavailable(error) && !isThrottled(error)) throw error;
    return { records: undefined, error };
  }
}

/** Settles with `listing`, or with "no answer" once `ms` passed (and aborts the listing). */
async function within(listing: Promise<Listed>, ms: number, abort: AbortController): Promise<Listed> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Listed>((resolve) => {
    timer = setTimeout(() => resolve({ records: undefined, error: new Error(`no answer within ${ms} ms after RDS's`) }), ms);
  });
  try {
    return await Promise.race([listing, late]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/**
 * observe: the global cluster (through the target region) and the records, and the plan. Route 53 is read in parallel
 * and waited for only {@link ROUTE53_OBSERVE_GRACE_MS} after RDS answered (a dry run, which only reports, waits for
 * it within its call limits).
 */
async function observe(d: StepDeps, state: RunState): Promise<StepResult> {
  const { cfg } = d;
  const { targetRegion, mode } = state.request;
  const ops = await d.ops();
  const targetArn = cfg.clusterArns[targetRegion] as string;
  const abort = new AbortController();
  const listing = listForObserve(d, (r) => ops.route53(r), abort.signal);
  listing.catch(() => undefined); // observed below, or abandoned when RDS fails
  let cluster: ObservedCluster;
  try {
    cluster = await describeGlobalCluster(ops.rds(targetRegion), cfg.globalClusterId);
  } catch (err) {
    abort.abort();
    throw err;
  }
  const listed = state.request.dryRun ? await listing : await within(listing, ROUTE53_OBSERVE_GRACE_MS, abort);
  const base = {
    globalClusterId: cfg.globalClusterId,
    targetRegion,
    mode,
    currentWriterRegion: regionOf(writerArn(cluster)),
    database: planDatabase(cluster, targetArn, mode),
    healthUrl: cfg.healthUrls[targetRegion] as string,
  };
  let plan: FailoverPlan;
  if (cfg.arc !== undefined) {
    // The routing controls move the traffic; Route 53's records matter only for writer./reader.
    const db = listed.records === undefined ? undefined : dnsPlan(listed.records, cfg, targetRegion);
    const from = state.request.trigger?.region ?? base.currentWriterRegion;
    plan = {
      ...base,
      dns: { action: 'controls', states: describeMove(cfg.arc, targetRegion, from) },
      warnings: db?.warnings ?? [],
    };
  } else if (listed.records === undefined) {
    const why = isThrottled(listed.error) ? 'throttled the listing' : 'is unavailable';
    const reason = `Route 53 ${why} (${describeError(listed.error).message}); the records are read again after the database`;
    plan = { ...base, dns: { action: 'unknown', reason }, warnings: [reason] };
  } else {
    const { changes, warnings, reason } = dnsPlan(listed.records, cfg, targetRegion);
    plan = {
      ...base,
      dns:
        changes.length === 0
          ? { action: 'none', reason: reason ?? `${cfg.recordName} already points at ${targetRegion}` }
          : { action: 'swap', changes },
      warnings,
    };
  }
  return {
    patch: { plan, records: listed.records ?? null, ...(state.request.dryRun ? { outcome: 'dry-run' as const } : {}) },
    outcome: 'done',
    detail: `writer ${plan.currentWriterRegion ?? 'none'}; database ${plan.database.action}; dns ${plan.dns.action}`,
  };
}

/** What scale-nodes and its undo keep back from their invocation's end, for returning the step's state. */
export const NODES_RESERVE_MS = 3_000;

/**
 * scale-nodes: the target region's EKS node group up to the serving size (nodes.ts), first, so the nodes boot while
 * the database moves. Best effort: an EKS error (after the client's retries, and nodes.ts's own for an update already
 * in progress) is on the timeline and in the report, and the run goes on, because the database and the records must
 * not wait on the cluster; Crossplane raises the group's floor anyway once it observes the writer in the target region.
 * What it changed is kept in the state (nodesScaled), so that a run that fails before the database moved puts the
 * group back (notify-failure).
 */
async function scaleNodes(d: StepDeps, state: RunState): Promise<StepResult> {
  const { targetRegion } = state.request;
  const group = d.cfg.nodeGroups?.[targetRegion];
  if (group === undefined) return { outcome: 'skipped', detail: 'the estate has no EKS cluster' };
  try {
    const out = await scaleNodeGroup((await d.ops()).eks(targetRegion), group, {
      deadline: d.invocationDeadline - NODES_RESERVE_MS,
    });
    return {
      ...(out.sizes === undefined ? {} : { patch: { nodesChanged: true, nodesScaled: { region: targetRegion, ...out.sizes } } }),
      outcome: out.changed ? 'done' : 'skipped',
      detail: out.detail,
    };
  } catch (err) {
    const e = describeError(err);
    return {
      outcome: 'failed',
      detail: `node group ${group.cluster}/${group.nodegroup} not scaled (${e.name}: ${e.message}); the run goes on, Crossplane raises its floor once the writer is observed there`,
    };
  }
}

/**
 * After a failed run: the node group scale-nodes raised goes back to its size before the run, unless the database
 * writes in the target region or is moving there (then the region serves, or will, and keeps its nodes). Without this a
 * pilot-light standby stays at the serving size, billed, while nothing serves from it: the composition lowers only a
 * region that served. A database that cannot be read leaves the nodes up (said so): serving without nodes is worse
 * than paying for them.
 */
async function restoreNodes(d: StepDeps, state: RunState): Promise<{ restored: boolean; text: string } | undefined> {
  const record = state.nodesScaled;
  const group = record === undefined ? undefined : d.cfg.nodeGroups?.[record.region];
  if (record === undefined || group === undefined) return undefined;
  const name = `${group.cluster}/${group.nodegroup}`;
  try {
    const ops = await d.ops();
    const { targetRegion } = state.request;
    const cluster = await describeGlobalCluster(ops.rds(targetRegion), d.cfg.globalClusterId);
    if (movingTo(cluster, d.cfg.clusterArns[targetRegion] as string)) {
      return {
        restored: false,
        text: `node group ${name} kept at ${record.after.desiredSize}: the database writes or moves there (${clusterState(cluster)})`,
      };
    }
    const out = await restoreNodeGroup(ops.eks(record.region), group, record, {
      deadline: d.invocationDeadline - NODES_RESERVE_MS,
    });
    return { restored: out.changed, text: out.detail };
  } catch (err) {
    const e = describeError(err);
    return {
      restored: false,
      text: `node group ${name} left at ${record.after.desiredSize}, not restored (${e.name}: ${e.message}): lower it by hand if the database did not move`,
    };
  }
}

/**
 * promote-database: SwitchoverGlobalCluster (planned) or FailoverGlobalCluster with AllowDataLoss (unplanned).
 *
 * An unplanned run that takes over a switchover in progress (plan.ts planDatabase) describes the global cluster again
 * first: when RDS refused an earlier attempt, the step is asked again (NotYet) and the switchover may have finished,
 * failed or moved on since observe. RDS refusing with a state fault is handled by plan.ts afterRefusal: follow an
 * operation toward the target; in unplanned mode, while something RDS runs (a switchover, its cancellation) is in the
 * way, NotYet, so the state's Retry asks again every poll interval for at most the step's budget (waitSeconds; then
 * the run fails and, if automatic, the probe re-drives it): never an unbounded wait.
 */
async function promoteDatabase(d: StepDeps, state: RunState): Promise<StepResult> {
  const { cfg } = d;
  const { targetRegion, mode } = state.request;
  const targetArn = cfg.clusterArns[targetRegion] as string;
  const observed = planOf(state).database;
  const rds = (await d.ops()).rds(targetRegion);
  const takeover = observed.action === 'failover' ? observed.supersedes : undefined;
  const action =
    takeover === undefined ? observed : planDatabase(await describeGlobalCluster(rds, cfg.globalClusterId), targetArn, mode);
  if (action.action === 'none') {
    // Observe saw a switchover in the way; it has finished toward the target since: the writer moved during the run.
    return takeover === undefined
      ? { patch: { dbChanged: false }, outcome: 'skipped', detail: action.reason }
      : { patch: { dbChanged: true }, outcome: 'skipped', detail: `${action.reason} (observe saw ${takeover})` };
  }
  if (action.action === 'wait') return { patch: { dbChanged: true }, outcome: 'skipped', detail: `${action.reason}; resuming` };
  const operation = action.action === 'switchover' ? 'SwitchoverGlobalCluster' : 'FailoverGlobalCluster (AllowDataLoss)';
  try {
    await rds.send(
      action.action === 'switchover'
        ? new SwitchoverGlobalClusterCommand({
            GlobalClusterIdentifier: cfg.globalClusterId,
            TargetDbClusterIdentifier: action.toArn,
          })
        : new FailoverGlobalClusterCommand({
            GlobalClusterIdentifier: cfg.globalClusterId,
            TargetDbClusterIdentifier: action.toArn,
            AllowDataLoss: true,
          }),
    );
  } catch (err) {
    // RDS runs one operation at a time per global cluster, so it is the lock: a concurrent run (another trigger, a
    // retried Task) may have got there first, or a switchover is in the way of an unplanned run's failover.
    if (!RACE_ERRORS.includes(describeError(err).name)) throw err;
    const refused = `${operation} refused (${describeError(err).name})`;
    const cluster = await describeGlobalCluster(rds, cfg.globalClusterId);
    const next = afterRefusal(cluster, targetArn, mode);
    if (next.next === 'follow') {
      // observe saw the target not writing; it writes now or will: the writer moved during this run (this Task's own
      // earlier attempt whose answer was lost, a concurrent run toward the target, a switchover that finished), so the
      // run reports its RTO.
      return { patch: { dbChanged: true }, outcome: 'done', detail: `${refused}: ${next.reason}; resuming` };
    }
    if (next.next === 'ask-again') {
      throw new NotYetError(`${refused}: ${next.reason}; asking again; last state: ${clusterState(cluster)}`);
    }
    throw err;
  }
  const superseding = action.action === 'failover' ? action.supersedes : undefined;
  const taken =
    superseding !== undefined
      ? `, superseding ${superseding}`
      : takeover !== undefined
        ? ` (observe saw ${takeover}; it has ended)`
        : '';
  return {
    patch: { dbChanged: true },
    outcome: 'done',
    detail: `${operation} from ${regionOf(action.fromArn) ?? 'none'} to ${targetRegion}${taken}`,
  };
}

/** wait-for-writer: the target is the writer and its move is over (plan.ts writerProgress). */
async function waitForWriter(d: StepDeps, state: RunState): Promise<StepResult> {
  if (state.dbChanged !== true) return { outcome: 'skipped', detail: 'the target cluster is already the writer' };
  const { targetRegion } = state.request;
  const c = await describeGlobalCluster((await d.ops()).rds(targetRegion), d.cfg.globalClusterId);
  const progress = writerProgress(c, d.cfg.clusterArns[targetRegion] as string);
  if (progress.state === 'failed') {
    throw new PlanError(`${targetRegion} will not become the writer: ${progress.reason}; last state: ${clusterState(c)}`);
  }
  if (progress.state === 'waiting') {
    throw new NotYetError(`${targetRegion} is not the writer yet; last state: ${clusterState(c)}`);
  }
  return { outcome: 'done', detail: `writer is ${targetRegion} (${progress.detail})` };
}

/**
 * Why the swap may be skipped when Route 53 fails (unavailable, or still throttling at the end of switch-dns's
 * budget), or undefined. Never for a planned run: it moves a healthy estate, whose old primary passes its health check,
 * so Route 53 keeps answering with it until the records move. For failover records, only while the region the run
 * leaves fails its own `/health` (one probe from here): the records' shape says Route 53 *would* answer with the
 * target once that region is unhealthy, not that it is (audit-21-final F1). Latency records change nothing either way.
 */
async function bestEffort(d: StepDeps, state: RunState, err: unknown): Promise<string | undefined> {
  if (err instanceof PlanError || !(isUnavailable(err) || isThrottled(err))) return undefined;
  if (state.request.mode === 'planned') return undefined;
  const records = state.records === null ? undefined : state.records;
  const { cfg } = d;
  const why = servedByHealthChecks(records, cfg.recordName, cfg.allRegions, cfg.healthCheckIds, state.request.targetRegion, {
    control: cfg.arc === undefined ? 'health-check' : 'arc',
    ...(cfg.routingPolicy === undefined ? {} : { policy: cfg.routingPolicy }),
    ...(state.plan?.currentWriterRegion === undefined ? {} : { writerRegion: state.plan.currentWriterRegion }),
    serviceHosts: hostsOf(cfg.healthUrls),
  });
  if (why === undefined) return undefined;
  const route53 = isThrottled(err) ? `still throttles at the end of switch-dns's budget` : 'is unavailable';
  const head = `best effort: Route 53 ${route53} (${describeError(err).message}); ${why}`;
  if (cfg.routingPolicy === 'latency') return head;
  const left = regionLeft(state);
  const url = left === undefined || left === state.request.targetRegion ? undefined : cfg.healthUrls[left];
  if (url === undefined) return undefined;
  const probe = await checkHealthOnce(url, left as string, HEALTH_ATTEMPT_MS);
  return probe.ok ? undefined : `${head}; ${left}'s /health fails (${probe.why})`;
}

/**
 * The last chance of a polling step at `budgetSeconds` from its start (the previous step's end): its Retry waits at
 * least `pollSeconds` between attempts and makes ceil(budget / poll) of them, so the attempt that finds less than one
 * poll interval left may be its last.
 */
function lastPoll(d: StepDeps, state: RunState, budgetSeconds: number): boolean {
  const started = new Date(state.timeline.at(-1)?.endedAt ?? d.executionStart.toISOString()).getTime();
  return (d.now().getTime() - started) / 1000 + d.cfg.pollSeconds >= budgetSeconds;
}

/**
 * Before switch-dns moves anything (records or routing controls): the database writes in the run's target and its
 * move is over. The run waited for the writer (wait-for-writer) or found it there (observe), but a run that went on
 * after wait-turn left out a region that did not answer may meet another run that moved the database since; the
 * records must never be moved away from where the database is. PlanError (no retry: a person decides; an automatic
 * re-drive would move the database back).
 */
async function writerIsTarget(d: StepDeps, state: RunState): Promise<void> {
  const { targetRegion } = state.request;
  const targetArn = d.cfg.clusterArns[targetRegion] as string;
  const cluster = await describeGlobalCluster((await d.ops()).rds(targetRegion), d.cfg.globalClusterId);
  if (!writerSettled(cluster, targetArn)) {
    throw new PlanError(
      `records not moved: the database does not write in ${targetRegion} now (${clusterState(cluster)}); another run may have moved it`,
    );
  }
}

/**
 * switch-dns: the failover records' UPSERTs, once the database writes in the target (writerIsTarget). Best effort when
 * Route 53 is unavailable and health checks already serve the target; while Route 53 throttles, asked again (NotYet)
 * within SWITCH_DNS_BUDGET_SECONDS, and at its last poll the same best effort, so that verification and the RTO run.
 */
async function switchDns(d: StepDeps, state: RunState): Promise<StepResult> {
  const { cfg } = d;
  const { targetRegion, mode } = state.request;
  await writerIsTarget(d, state);
  if (cfg.arc !== undefined) return switchControls(d, state, cfg.arc);
  try {
    const route53 = (await d.ops()).route53(cfg.region);
    // Observed again: the records may have changed while the database moved.
    const { changes, reason, serviceChanges, databaseMoved } = dnsPlan(
      await listRecords(route53, cfg.hostedZoneId, cfg.recordName),
      cfg,
      targetRegion,
    );
    if (changes.length === 0)
      return { outcome: 'skipped', detail: reason ?? `${cfg.recordName} already points at ${targetRegion}` };
    const out = await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: cfg.hostedZoneId,
        ChangeBatch: { Comment: `drplane failover to ${targetRegion} (${mode})`, Changes: changes },
      }),
      route53Call(),
    );
    return {
      patch: { dnsChanged: true, ...(out.ChangeInfo?.Id === undefined ? {} : { changeId: out.ChangeInfo.Id }) },
      outcome: 'done',
      detail: [
        serviceChanges > 0 ? `${serviceChanges} UPSERT(s): PRIMARY → ${targetRegion}` : undefined,
        databaseMoved === undefined ? undefined : `UPSERT ${databaseMoved}`,
      ]
        .filter((x) => x !== undefined)
        .join('; '),
    };
  } catch (err) {
    if (isThrottled(err) && !lastPoll(d, state, SWITCH_DNS_BUDGET_SECONDS)) {
      throw new NotYetError(`Route 53 throttled the swap (${describeError(err).message}): asking again`);
    }
    const why = await bestEffort(d, state, err);
    if (why === undefined) throw err;
    return { outcome: 'skipped', detail: why };
  }
}

/**
 * switch-dns with routing.control arc: the target's routing control On and the region left Off, through the ARC
 * cluster's regional endpoints (arc.ts), starting with one outside the region left; never through the control-plane
 * API and never by changing the service records (switchDns checked first that the database writes in the target).
 * Then writer./reader. follow the database when Route 53 answers (else, unavailable or throttling, Crossplane moves
 * them once it observes the new writer).
 */
async function switchControls(d: StepDeps, state: RunState, arc: ArcConfig): Promise<StepResult> {
  const { cfg } = d;
  const { targetRegion, mode } = state.request;
  const from = regionLeft(state);
  const entries = moveStates(arc, targetRegion, from);
  const ops = await d.ops();
  const outside = arc.endpoints.findIndex((e) => e.region !== from);
  const first = outside < 0 ? 0 : outside;
  const move = describeMove(arc, targetRegion, from);
  // Already so (a re-driven run, a person): one read at one endpoint, then nothing to change.
  const seen: { region: string; result: string }[] = [];
  // The ARC part ends ARC_RESERVE_MS before the invocation: the conflict rounds and the endpoints tried fit its time.
  const deadline = d.invocationDeadline - ARC_RESERVE_MS;
  const already = await alreadyInState(
    { ...arc, endpoints: endpointOrder(arc.endpoints, first).slice(0, 1) },
    entries,
    ops.arc,
    seen,
    0,
    deadline,
  );
  let controls: string;
  let flipped = false;
  if (already !== undefined) {
    controls = `routing controls already ${move} (read at ${already.region})`;
  } else {
    // ArcUpdateError: refused (after the conflict rounds) or no endpoint answered; the state's Retry tries again.
    const out = await updateStates(arc, entries, ops.arc, { first, deadline });
    const tried = out.attempts.length > 1 ? `; ${out.attempts.map((a) => `${a.region}: ${a.result}`).join(', ')}` : '';
    controls = out.alreadySet
      ? `routing controls ${move}: already in effect, read at ${out.endpoint.region} (${out.endpoint.endpoint})${tried}`
      : `routing controls ${move} through the ARC endpoint in ${out.endpoint.region} (${out.endpoint.endpoint})${tried}`;
    flipped = true;
  }
  let records = '';
  let changeId: string | undefined;
  try {
    const route53 = ops.route53(cfg.region);
    const { changes, databaseMoved } = dnsPlan(await listRecords(route53, cfg.hostedZoneId, cfg.recordName), cfg, targetRegion);
    if (changes.length > 0) {
      const out = await route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: cfg.hostedZoneId,
          ChangeBatch: { Comment: `drplane failover to ${targetRegion} (${mode})`, Changes: changes },
        }),
        route53Call(),
      );
      changeId = out.ChangeInfo?.Id;
      records = `; UPSERT ${databaseMoved ?? `${changes.length} record(s)`}`;
    }
  } catch (err) {
    // Throttled like unavailable: the controls have moved the traffic; asking again would only delay verification.
    if (!isUnavailable(err) && !isThrottled(err)) throw err;
    const why = isThrottled(err) ? 'throttles' : 'is unavailable';
    records = `; writer./reader. not moved: Route 53 ${why} (${describeError(err).message}), Crossplane moves them once it observes the new writer`;
  }
  return {
    patch: {
      ...(flipped || changeId !== undefined ? { dnsChanged: true } : {}),
      ...(changeId === undefined ? {} : { changeId }),
    },
    outcome: flipped || changeId !== undefined ? 'done' : 'skipped',
    detail: `${controls}${records}`,
  };
}

/** dns-insync: the change reached every Route 53 name server. */
async function dnsInsync(d: StepDeps, state: RunState): Promise<StepResult> {
  if (state.changeId === undefined) return { outcome: 'skipped', detail: 'no DNS change' };
  let status: string;
  try {
    const out = await (await d.ops()).route53(d.cfg.region).send(new GetChangeCommand({ Id: state.changeId }), route53Call());
    status = out.ChangeInfo?.Status ?? 'unknown';
  } catch (err) {
    // Throttled: Route 53 answers, the change is confirmed at the next poll; at the budget's last poll, best effort.
    if (isThrottled(err) && !lastPoll(d, state, d.cfg.deadlineSeconds)) {
      throw new NotYetError(`GetChange throttled (${describeError(err).message}): asking again`);
    }
    if (!isUnavailable(err) && !isThrottled(err)) throw err;
    const why = isThrottled(err) ? 'still throttles at the end of the budget' : 'is unavailable';
    return {
      outcome: 'skipped',
      detail: `best effort: the change was accepted; Route 53 ${why} to confirm INSYNC (${describeError(err).message})`,
    };
  }
  if (status !== 'INSYNC') throw new NotYetError(`the DNS change is ${status}, not INSYNC yet`);
  return { outcome: 'done', detail: 'INSYNC' };
}

/** verify-health: the target's `/health` answers 200 from the target region. */
async function verifyHealth(d: StepDeps, state: RunState): Promise<StepResult> {
  const url = d.cfg.healthUrls[state.request.targetRegion] as string;
  const r = await checkHealthOnce(url, state.request.targetRegion, HEALTH_ATTEMPT_MS);
  if (!r.ok) throw new NotYetError(`${url} does not answer healthy yet; last state: ${r.why}`);
  return { outcome: 'done', detail: 'healthy' };
}

async function notify(d: StepDeps, state: RunState, outcome: string, extra: Record<string, unknown>): Promise<void> {
  const { cfg } = d;
  const { targetRegion, mode, reason } = state.request;
  const rto = typeof extra.rtoSeconds === 'number' ? ` in ${extra.rtoSeconds}s` : '';
  const text = `drplane failover to ${targetRegion} (${mode}): ${outcome}${rto}`.replace(/[^\x20-\x7e]/g, '?');
  await d.own.sns(cfg.topicRegion).send(
    new PublishCommand({
      TopicArn: cfg.topicArn,
      Subject: text.length <= 100 ? text : `${text.slice(0, 97)}...`,
      Message: JSON.stringify({
        globalClusterId: cfg.globalClusterId,
        targetRegion,
        mode,
        reason: reason ?? null,
        outcome,
        ...extra,
        timeline: state.timeline,
      }),
    }),
  );
}

/**
 * report: the RTO metric (start of the execution → healthy) when the run failed over (moved the database or the
 * records), and the timeline to SNS. A run that only raised the target's node group (the database and the records
 * were there already, e.g. a run that waited its turn behind the one that moved them) is no failover: it ends
 * `nodes-scaled`, with no RTO datapoint (its duration includes its wait for its turn). The metric and the
 * notification are best effort: a failure of either is logged and named in the step's detail, and the run completes.
 */
async function report(d: StepDeps, state: RunState): Promise<StepResult> {
  const { targetRegion, mode } = state.request;
  const failedOver = state.dbChanged === true || state.dnsChanged === true;
  const rtoSeconds = Math.round((d.now().getTime() - d.executionStart.getTime()) / 10) / 100;
  // Best effort (audit-21-close L2): the run's work is done here, so a refused or throttled metric or notification
  // must not send a completed failover to the Catch (a FailoverFailed, re-drives and a "failed" mail). Each failure is
  // logged and named on the report's timeline entry, which the execution's output keeps.
  const warnings: string[] = [];
  if (failedOver) {
    try {
      await d.own.cloudWatch(d.cfg.region).send(
        new PutMetricDataCommand({
          Namespace: DRPLANE_METRICS.namespace,
          MetricData: [
            {
              MetricName: DRPLANE_METRICS.failoverRto,
              Dimensions: dimensionList(failoverRtoDimensions(d.cfg.estate, targetRegion, mode)),
              Value: rtoSeconds,
              Unit: 'Seconds',
              Timestamp: d.now(),
            },
          ],
        }),
      );
    } catch (err) {
      warnings.push(`the RTO metric was not published (PutMetricData: ${describeError(err).message})`);
    }
  }
  const outcome = failedOver ? 'completed' : state.nodesChanged === true ? 'nodes-scaled' : 'noop';
  try {
    await notify(d, state, outcome, {
      rtoSeconds: failedOver ? rtoSeconds : null,
      previousWriterRegion: state.plan?.currentWriterRegion ?? null,
    });
  } catch (err) {
    warnings.push(`the notification was not sent (SNS Publish: ${describeError(err).message})`);
  }
  const detail = failedOver
    ? `RTO ${rtoSeconds}s`
    : outcome === 'nodes-scaled'
      ? 'only the node group was raised: no failover, no RTO'
      : 'noop';
  return {
    patch: { outcome, ...(failedOver ? { rtoSeconds } : {}) },
    outcome: 'done',
    detail: warnings.length === 0 ? detail : `${detail}; best effort: ${warnings.join('; ')}`,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}

/** The step a Catch came from: the first step not on the timeline. */
export const failedStepOf = (state: RunState): string =>
  WORKFLOW_STEPS.find((s) => !state.timeline.some((t) => t.step === s)) ?? 'unknown';

/** The error message inside a Catch's Cause (Lambda sends JSON with errorMessage), else the Cause itself. */
function causeOf(error: RunState['error']): string {
  const cause = error?.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: a Step Functions error such as States.Timeout
  }
  return cause === '' ? (error?.Error ?? 'unknown error') : cause;
}

/** Which attempt of its request an execution is: 1 for `<base>`, n for `<base>-<n>` (start.ts names them). */
export const attemptOf = (executionName: string): number => {
  const m = /-[0-9a-f]{20}-(\d+)$/.exec(executionName);
  return m === null ? 1 : Number(m[1]);
};

/**
 * What follows a failed automatic run: the probe re-drives it (start.ts redrive) unless the error is permanent or
 * this was the last attempt, when automatic mode gives up and a person has to act.
 */
function automaticFollowUp(d: StepDeps, state: RunState): { gaveUp: boolean; text: string } | undefined {
  if (state.request.trigger === undefined) return undefined;
  const attempt = attemptOf(d.executionName);
  const permanent = (PERMANENT_ERRORS as readonly string[]).includes(state.error?.Error ?? '');
  if (permanent || attempt >= AUTOMATIC_ATTEMPTS) {
    return {
      gaveUp: true,
      text:
        `automatic failover gave up after attempt ${attempt} of ${AUTOMATIC_ATTEMPTS}` +
        `${permanent ? ' (an error no retry fixes)' : ''}: fix the cause, then run \`drctl failover --unplanned\``,
    };
  }
  return {
    gaveUp: false,
    text: `automatic attempt ${attempt} of ${AUTOMATIC_ATTEMPTS}: the probe starts the next ${REDRIVE_AFTER_SECONDS} s after this one ended while ${state.request.trigger.alarmName} stays in ALARM`,
  };
}

/** notify-failure: where a Catch leads; records the failed step and tells the topic. */
async function notifyFailure(d: StepDeps, state: RunState): Promise<StepResult> {
  const step = failedStepOf(state);
  const gaveUp = state.error?.Error === NOT_YET ? 'gave up waiting: ' : '';
  const message = `failover to ${state.request.targetRegion} failed at ${step}: ${gaveUp}${causeOf(state.error)}`;
  const followUp = automaticFollowUp(d, state);
  const entry: TimelineStep = {
    step,
    startedAt: state.timeline.at(-1)?.endedAt ?? d.executionStart.toISOString(),
    endedAt: d.now().toISOString(),
    outcome: 'failed',
    detail: message,
  };
  const failed: RunState = { ...state, timeline: [...state.timeline, entry] };
  const nodes = state.request.dryRun ? undefined : await restoreNodes(d, state);
  if (!state.request.dryRun) {
    await notify(d, failed, followUp?.gaveUp === true ? 'failed; automatic failover gave up' : 'failed', {
      error: message,
      ...(followUp === undefined ? {} : { automatic: followUp.text }),
      ...(nodes === undefined ? {} : { nodes: nodes.text }),
    });
  }
  return {
    patch: { outcome: 'failed', timeline: failed.timeline, ...(nodes?.restored === true ? { nodesRestored: true } : {}) },
    outcome: 'done',
    detail: nodes === undefined ? message : `${message}; ${nodes.text}`,
  };
}

/** Every step by its state name. */
export const STEPS: Readonly<Record<WorkflowStep, (d: StepDeps, state: RunState) => Promise<StepResult>>> = {
  'wait-turn': waitTurn,
  'check-trigger': checkTrigger,
  'check-rpo': checkRpo,
  observe,
  'scale-nodes': scaleNodes,
  'promote-database': promoteDatabase,
  'wait-for-writer': waitForWriter,
  'switch-dns': switchDns,
  'dns-insync': dnsInsync,
  'verify-health': verifyHealth,
  report,
  'notify-failure': notifyFailure,
};
