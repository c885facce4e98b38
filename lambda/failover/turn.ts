/**
 * One run acts per estate at a time (the workflow's first step, wait-turn).
 *
 * Execution names are a hash of the request, so a start is idempotent within one region's state machine only, and
 * runs can start in several regions at once: the automatic trigger and the probe's re-driver start the standby's
 * workflow, the GitOps Invocation (`drctl failover --apply` or a commit that moves activeRegion) starts the new active
 * region's, and with three regions the trigger moves to another region after a failover while the first run may still
 * be going. Each run targets its own region; two of them would move the same global database and the same records
 * toward different regions, or the same one twice, and RDS serializes only the database operations, not the records.
 *
 * The guard: before any step that reads the estate to act on it, a run lists the RUNNING executions of the estate's
 * state machines in every region (ListExecutions, statusFilter RUNNING, paged) and waits its turn: it goes on only when
 * it is the earliest-started of them (ties broken by execution ARN, so every run reaches the same order), and looks
 * again otherwise (the step returns the state with `turn` set, and the definition's Choice sends it through a Wait of
 * TURN_POLL_SECONDS back to wait-turn; NotYet only once wait-turn's budget is spent). Dry runs change nothing and
 * neither wait nor count.
 *
 * Why this and not a lock: a lock needs a store whose conditional write is consistent across regions and survives the
 * loss of any one of them. Route 53 (CREATE of a lock record fails when it exists) has its control plane in us-east-1;
 * S3 and SSM are regional; DynamoDB global tables resolve concurrent writes last-writer-wins, and their strongly
 * consistent mode needs three regions of one region set (a two-region estate has one standby); a majority of regional
 * locks cannot be had with two regions once one is lost. A lock would also need a lease for a run that died holding it.
 * The executions are already that record: every run is a Step Functions execution whose status Step Functions keeps
 * (a run that ends, fails or times out is no longer RUNNING: no lease to expire), and the order needs no write.
 *
 * A run's lease: a run that started (or was last redriven) longer ago than runSeconds (workflow-contract.ts, the longest
 * a run acts once it has its turn) no longer blocks, and wait-turn's budget is that lease plus slack (src/compose/
 * workflow.ts turnSeconds). A run waits only for runs that started before it, each of which stops blocking within the
 * lease of its start, so a waiting run cannot run out of retries while a run before it is within its lease, however
 * many runs are queued. The price: a run that itself waited W seconds for its turn is unguarded for the last W seconds
 * of its longest possible run (runSeconds assumes every waiting step uses its full budget).
 *
 * Limits, said where they apply:
 * - A region whose Step Functions endpoint is refused or unreachable at network level (connection refused or reset,
 *   no route, no DNS answer: {@link isUnreachable}) is left out: its runs target that region, whose RDS and service
 *   are what is lost, and waiting for an answer would hold the failover away from it. Such a run could still reach
 *   Route 53; the detail names the region so the timeline shows it.
 * - A region that throttles (ListExecutions is a throttled control-plane API and every waiting run polls it) or has
 *   more RUNNING runs than the listing reads is asked again (it answers: its Step Functions runs, and so may a run of
 *   it that acts), within wait-turn's budget, and never left out for it.
 * - A region that times out or answers with a server error is asked again too, but the region the run fails away
 *   from only for {@link ASK_AGAIN_LIMIT_SECONDS} of an unbroken streak of such looks: a lost region's endpoint often
 *   hangs or answers 5xx instead of refusing, and asking it again until wait-turn's budget runs out (about an hour)
 *   would hold every failover away from it. The streak starts at the first look the region did not answer
 *   (`unsureSince`, carried from look to look in the run's state: the step loops through the definition's Choice and
 *   Wait instead of a Retry, which would send every look the same input) and ends with any answer, throttling
 *   included; it is not counted from the step's start, because the step legitimately waits for earlier runs for a long
 *   time, and one 5xx after that wait must not leave out a region whose earlier run may still be acting. Past the
 *   limit such a region is left out and named, as a refused one.
 *   Which region may be left out so: the one the run fails away from (the lost region of an automatic run, the other
 *   region of a two-region estate), never the run's own (its Step Functions is running this very run) nor a third
 *   region of a larger estate: a third region is not the one lost, its runs target it and may be acting (moving the
 *   database there), so a passing fault of its Step Functions costs this run time (within the budget), never the
 *   guard. A run started by people in an estate of three or more regions does not know yet which region it fails
 *   away from (observe reads the writer after wait-turn), so there any other region may be left out, as before. The
 *   region left out is where the run fails away from, so a run of it targets a region being lost; and switch-dns moves
 *   records (or routing controls) only while the database writes in its own target (steps.ts writerIsTarget), so a
 *   run that went on after leaving a region out cannot move the records away from where the database is.
 * - An unplanned run also waits behind an earlier run whose target region is the one it fails away from, while that
 *   region's Step Functions still answers (for at most the lease). Not preempted (StopExecution) on purpose: from
 *   wait-turn a run cannot tell that the earlier run is stuck rather than acting (it may be past promote-database),
 *   and stopping it mid-switch would leave the records half moved.
 * - ListExecutions is eventually consistent (botocore stepfunctions 2016-11-23: "may not reflect very recent updates"):
 *   a run goes on only when the listing of its own region shows its own execution (the listing is at least as recent
 *   as its start). A run started in another region within the listings' lag of this one can still be missed; RDS's
 *   one operation per global cluster (promote-database follows a run under way) remains the database's guard.
 */
import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { parseArn } from '../shared/arn.js';
import { ASK_AGAIN_LIMIT_SECONDS, TURN_LIST_TIMEOUT_MS } from '../shared/workflow-contract.js';
import { describeError } from '../shared/logger.js';
import type { FailoverClients } from './clients.js';

/** Budget of one page of one region's listing: a region that does not answer in time is asked again. */
export const LIST_TIMEOUT_MS = TURN_LIST_TIMEOUT_MS;
/** How long wait-turn asks again the region it fails away from while it does not answer (workflow contract). */
export { ASK_AGAIN_LIMIT_SECONDS };
/**
 * Pages read per region (100 executions each). The listing is newest first (botocore stepfunctions ListExecutions:
 * "sorted by their startDate or redriveDate"), so the oldest runs, which go first, are on the last pages: a region with
 * more RUNNING runs within the lease than this is not decided on (asked again) rather than decided without its oldest.
 */
export const MAX_PAGES = 20;

/** A RUNNING execution of one of the estate's workflows. */
export interface Run {
  readonly executionArn: string;
  readonly name: string;
  readonly region: string;
  readonly startDate: Date;
  /** When the run was last redriven (RedriveExecution), if it was: it then counts from then. */
  readonly redriveDate?: Date;
}

/** When a run counts from: its start, or its last redrive (Step Functions orders RUNNING runs by either). */
export const sinceOf = (r: Pick<Run, 'startDate' | 'redriveDate'>): Date =>
  r.redriveDate !== undefined && r.redriveDate > r.startDate ? r.redriveDate : r.startDate;

/** A region and why its runs are not (all) known. */
export interface RegionWhy {
  readonly region: string;
  readonly why: string;
  /**
   * `busy`: it answered, throttling or with more runs than are read (never left out); `silent`: it timed out or failed
   * on its side (the region it fails away from is left out after {@link ASK_AGAIN_LIMIT_SECONDS} of it). Default silent.
   */
  readonly kind?: 'busy' | 'silent';
}

/** What the listings found. */
export interface Listing {
  readonly runs: readonly Run[];
  /** Regions refused or unreachable at network level, with why: left out. */
  readonly unanswered: readonly RegionWhy[];
  /** Regions that throttled or had too many runs to read (busy), or answered slowly or 5xx (silent): asked again. */
  readonly unsure?: readonly RegionWhy[];
}

/** How wait-turn reads and weighs the listings. */
export interface TurnClock {
  /** Now, as the Lambda's clock has it. */
  readonly now: Date;
  /** A run's lease in seconds (runSeconds): a run older than this no longer blocks. */
  readonly leaseSeconds: number;
  /**
   * Per region, since when it has not answered (timed out or 5xx) in an unbroken streak of looks, as the previous look
   * returned it ({@link Turn}'s `unsureSince`); none at the step's first look.
   */
  readonly unsureSince?: Readonly<Record<string, string>>;
  /**
   * The region the run fails away from: the only other region that may be left out for not answering. Undefined when
   * the run does not know (any other region may then be).
   */
  readonly awayFrom?: string;
}

/** Node's codes of a request refused or unreachable at network level (no HTTP answer). */
const UNREACHABLE_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'];

/**
 * True for an error of an endpoint refused or unreachable at network level: no HTTP answer at all, and a connection
 * error code. Throttling, a server error (an HTTP answer), a timeout or an abort are not.
 */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) return false;
  if ((err as { $fault?: unknown }).$fault !== undefined) return false;
  const code = (err as { code?: unknown }).code;
  return UNREACHABLE_CODES.includes(typeof code === 'string' ? code : err.name);
}

/** Step Functions throttling (botocore stepfunctions: ThrottlingException): the region answers. */
export function isThrottling(err: unknown): boolean {
  return err instanceof Error && ['ThrottlingException', 'Throttling', 'TooManyRequestsException'].includes(err.name);
}

/** Step Functions throttling ({@link isThrottling}), a timeout, an abort or a server error: asked again. */
export function isAskAgain(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((err as { $fault?: unknown }).$fault === 'server' || (status !== undefined && status >= 500)) return true;
  return isThrottling(err) || ['TimeoutError', 'AbortError'].includes(err.name);
}

class TooManyRuns extends Error {
  override readonly name = 'TooManyRuns';
}

/** True for a dry run's execution (start.ts names them `dryrun-…`): it changes nothing, so it neither waits nor counts. */
export const isDryRunName = (name: string): boolean => name.startsWith('dryrun-');

/**
 * The RUNNING executions of one state machine within the lease: pages until the end, or until a page ends with a run
 * past the lease (the listing is newest first, so the rest are older still).
 */
async function runningOf(
  clients: FailoverClients,
  region: string,
  stateMachineArn: string,
  clock: Pick<TurnClock, 'now' | 'leaseSeconds'>,
): Promise<Run[]> {
  const sfn = clients.sfn(region);
  const oldest = clock.now.getTime() - clock.leaseSeconds * 1000;
  const runs: Run[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken }),
      { abortSignal: AbortSignal.timeout(LIST_TIMEOUT_MS) },
    );
    const got = (out.executions ?? []).flatMap((e: ExecutionListItem) => toRun(e, region));
    runs.push(...got);
    nextToken = out.nextToken;
    const last = got.at(-1);
    if (nextToken === undefined || (last !== undefined && sinceOf(last).getTime() < oldest)) return runs;
  }
  throw new TooManyRuns(`more than ${MAX_PAGES * 100} RUNNING runs within the lease: the oldest are not read`);
}

function toRun(e: ExecutionListItem, region: string): Run[] {
  if (e.executionArn === undefined || e.name === undefined || e.startDate === undefined) return [];
  const redrive = e.redriveDate === undefined ? {} : { redriveDate: new Date(e.redriveDate) };
  return [{ executionArn: e.executionArn, name: e.name, region, startDate: new Date(e.startDate), ...redrive }];
}

/**
 * Lists the RUNNING executions of every region's workflow (`stateMachineArns`: region → ARN) in parallel. A region
 * refused or unreachable at network level ({@link isUnreachable}) is reported in `unanswered` (left out); one that
 * throttles or has too many runs to read in `unsure` as busy, one that times out or fails on its side
 * ({@link isAskAgain}) as silent;
 * any other error (a refusal such as AccessDenied) is thrown: a guard that cannot see is not skipped silently.
 */
export async function listRuns(
  clients: FailoverClients,
  stateMachineArns: Readonly<Record<string, string>>,
  clock: Pick<TurnClock, 'now' | 'leaseSeconds'>,
): Promise<Listing> {
  const regions = Object.keys(stateMachineArns);
  const settled = await Promise.allSettled(regions.map((r) => runningOf(clients, r, stateMachineArns[r]!, clock)));
  const runs: Run[] = [];
  const unanswered: RegionWhy[] = [];
  const unsure: RegionWhy[] = [];
  settled.forEach((s, i) => {
    const region = regions[i]!;
    if (s.status === 'fulfilled') runs.push(...s.value);
    else if (isUnreachable(s.reason)) unanswered.push({ region, why: describeError(s.reason).message });
    else if (s.reason instanceof TooManyRuns || isThrottling(s.reason))
      unsure.push({ region, why: describeError(s.reason).message, kind: 'busy' });
    else if (isAskAgain(s.reason)) unsure.push({ region, why: describeError(s.reason).message, kind: 'silent' });
    else throw s.reason;
  });
  return { runs, unanswered, unsure };
}

/** The order every run agrees on: earlier start (or last redrive: {@link sinceOf}) first, then the execution ARN. */
export const byTurn = (a: Run, b: Run): number =>
  sinceOf(a).getTime() - sinceOf(b).getTime() || (a.executionArn < b.executionArn ? -1 : a.executionArn > b.executionArn ? 1 : 0);

/**
 * Whether `self` may act now; `unsureSince` is what the next look gets as {@link TurnClock}'s: the regions that did
 * not answer at this look (timed out or 5xx), each since the first look of its unbroken streak.
 */
export type Turn = (
  { readonly go: true; readonly detail: string } | { readonly go: false; readonly detail: string; readonly waitingFor?: Run }
) & { readonly unsureSince: Readonly<Record<string, string>> };

const secondsBetween = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / 1000);

/**
 * Decides from a listing whether the run `self` (its execution ARN and start) may act: every region must have answered
 * or be left out (a busy region is asked again; a silent one too, and the region the run fails away from,
 * `clock.awayFrom`, only until it has been silent for {@link ASK_AGAIN_LIMIT_SECONDS} in an unbroken streak, from
 * `clock.unsureSince`, then it is left out), it must be listed in its own region (a listing older than the run says
 * nothing of runs started just before it), and no other non-dry run within its lease (`clock.leaseSeconds` from
 * {@link sinceOf}) may be earlier in {@link byTurn}'s order.
 */
export function decideTurn(
  self: { readonly executionArn: string; readonly startDate: Date },
  listed: Listing,
  clock: TurnClock,
): Turn {
  const ownRegion = parseArn(self.executionArn)?.region ?? '';
  const mayLeaveOut = (region: string): boolean =>
    region !== ownRegion && (clock.awayFrom === undefined || region === clock.awayFrom);
  // Unreachable at network level: left out at once only where a region may be left out at all; a third region (its
  // runs may be moving the database there) is asked again like a silent one, with the same streak (audit-21-final L3).
  const kept = listed.unanswered.filter((u) => u.region !== ownRegion && !mayLeaveOut(u.region));
  const listing: Listing = {
    ...listed,
    unanswered: listed.unanswered.filter((u) => !kept.includes(u)),
    unsure: [...(listed.unsure ?? []), ...kept.map((u) => ({ ...u, kind: 'silent' as const }))],
  };
  const prior = clock.unsureSince ?? {};
  // The streak of each silent region: since its first silent look (this one if the last look had it answer).
  const unsureSince: Record<string, string> = {};
  for (const u of listing.unsure ?? []) {
    if ((u.kind ?? 'silent') !== 'silent') continue;
    const since = prior[u.region] === undefined ? Number.NaN : Date.parse(prior[u.region]!);
    unsureSince[u.region] = Number.isNaN(since) || since > clock.now.getTime() ? clock.now.toISOString() : prior[u.region]!;
  }
  const silentFor = (region: string): number => secondsBetween(new Date(unsureSince[region]!), clock.now);
  const leftOut = (u: RegionWhy): boolean =>
    (u.kind ?? 'silent') === 'silent' && mayLeaveOut(u.region) && silentFor(u.region) >= ASK_AGAIN_LIMIT_SECONDS;
  const note = (u: RegionWhy): string => {
    if (u.kind === 'busy') return ' (it answers: asked again, never left out)';
    if (u.region === ownRegion) return '';
    const s = silentFor(u.region);
    return mayLeaveOut(u.region)
      ? ` (not answering for ${s} s; left out after ${ASK_AGAIN_LIMIT_SECONDS} s)`
      : ` (not answering for ${s} s; not the region this run fails away from: asked again)`;
  };
  const unsure = (listing.unsure ?? []).filter((u) => !leftOut(u));
  if (unsure.length > 0) {
    return {
      go: false,
      detail: `asking again: ${unsure.map((u) => `${u.region} (${u.why})${note(u)}`).join(', ')}`,
      unsureSince,
    };
  }
  const given = (listing.unsure ?? []).filter(leftOut).map((u) => ({
    region: u.region,
    why: `not answering for ${silentFor(u.region)} s, past the ${ASK_AGAIN_LIMIT_SECONDS} s limit: ${u.why}`,
  }));
  const lost = [...listing.unanswered, ...given].map((u) => `${u.region} (${u.why})`);
  const unanswered = lost.length === 0 ? '' : `; not answering, left out: ${lost.join(', ')}`;
  const listedSelf = listing.runs.find((r) => r.executionArn === self.executionArn);
  if (listedSelf === undefined && !listing.unanswered.some((u) => u.region === ownRegion)) {
    return {
      go: false,
      detail: `this run is not listed yet in ${ownRegion} (ListExecutions is eventually consistent)`,
      unsureSince,
    };
  }
  const me: Run = listedSelf ?? { executionArn: self.executionArn, name: '', region: ownRegion, startDate: self.startDate };
  const oldest = clock.now.getTime() - clock.leaseSeconds * 1000;
  const others = listing.runs.filter(
    (r) => r.executionArn !== self.executionArn && !isDryRunName(r.name) && sinceOf(r).getTime() >= oldest,
  );
  const expired = listing.runs.filter(
    (r) => r.executionArn !== self.executionArn && !isDryRunName(r.name) && sinceOf(r).getTime() < oldest,
  );
  const past =
    expired.length === 0
      ? ''
      : `; past the ${clock.leaseSeconds} s lease, not waited for: ${expired.map((r) => `${r.name} in ${r.region}`).join(', ')}`;
  const first = [...others, me].sort(byTurn)[0]!;
  if (first.executionArn !== self.executionArn) {
    return {
      go: false,
      waitingFor: first,
      detail: `waiting for ${first.name} in ${first.region} (started ${sinceOf(first).toISOString()})${unanswered}${past}`,
      unsureSince,
    };
  }
  const later =
    others.length === 0
      ? 'no other run'
      : `first of ${others.length + 1} running (${others.map((r) => `${r.name} in ${r.region}`).join(', ')} wait)`;
  return { go: true, detail: `${later}${unanswered}${past}`, unsureSince };
}
