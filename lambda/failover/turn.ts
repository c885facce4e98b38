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
 * it is the earliest-started of them (ties broken by execution ARN, so every run reaches the same order), and polls
 * otherwise (NotYet: the state's Retry is the poll). Dry runs change nothing and neither wait nor count.
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
 *   Route 53; the detail names the region so the timeline shows it. A region that answers slowly, throttles
 *   (ListExecutions is a throttled control-plane API and every waiting run polls it) or answers with a server error is
 *   asked again (NotYet), but only for {@link ASK_AGAIN_LIMIT_SECONDS} from the step's first look: a lost region's
 *   endpoint often hangs or answers 5xx instead of refusing, and asking it again until wait-turn's budget runs out
 *   (about 48 minutes) would hold every failover away from it. Past the limit such a region is left out and named, as
 *   a refused one. The run's own region is never left out this way: its Step Functions is running this very run, and
 *   a run always targets its own region, so the region a run fails away from is another one.
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
import { ASK_AGAIN_LIMIT_SECONDS } from '../shared/workflow-contract.js';
import { describeError } from '../shared/logger.js';
import type { FailoverClients } from './clients.js';

/** Budget of one page of one region's listing: a region that does not answer in time is asked again (NotYet). */
export const LIST_TIMEOUT_MS = 5_000;
/** How long wait-turn asks again another region that does not answer (defined in the workflow contract). */
export { ASK_AGAIN_LIMIT_SECONDS };
/**
 * Pages read per region (100 executions each). The listing is newest first (botocore stepfunctions ListExecutions:
 * "sorted by their startDate or redriveDate"), so the oldest runs, which go first, are on the last pages: a region with
 * more RUNNING runs within the lease than this is not decided on (NotYet) rather than decided without its oldest.
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
}

/** What the listings found. */
export interface Listing {
  readonly runs: readonly Run[];
  /** Regions refused or unreachable at network level, with why: left out. */
  readonly unanswered: readonly RegionWhy[];
  /** Regions that answered slowly, throttled, failed on their side or had too many runs to read: asked again. */
  readonly unsure?: readonly RegionWhy[];
}

/** How wait-turn reads and weighs the listings. */
export interface TurnClock {
  /** Now, as the Lambda's clock has it. */
  readonly now: Date;
  /** A run's lease in seconds (runSeconds): a run older than this no longer blocks. */
  readonly leaseSeconds: number;
  /**
   * The step's first look (when the step started): another region is asked again for at most
   * {@link ASK_AGAIN_LIMIT_SECONDS} from it.
   */
  readonly firstLook: Date;
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

/** Step Functions throttling (botocore stepfunctions: ThrottlingException), a timeout, an abort or a server error. */
export function isAskAgain(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((err as { $fault?: unknown }).$fault === 'server' || (status !== undefined && status >= 500)) return true;
  return ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'TimeoutError', 'AbortError'].includes(err.name);
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
 * throttles, times out, fails on its side or has too many runs to read ({@link isAskAgain}) in `unsure` (asked again);
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
    else if (s.reason instanceof TooManyRuns || isAskAgain(s.reason))
      unsure.push({ region, why: describeError(s.reason).message });
    else throw s.reason;
  });
  return { runs, unanswered, unsure };
}

/** The order every run agrees on: earlier start (or last redrive: {@link sinceOf}) first, then the execution ARN. */
export const byTurn = (a: Run, b: Run): number =>
  sinceOf(a).getTime() - sinceOf(b).getTime() || (a.executionArn < b.executionArn ? -1 : a.executionArn > b.executionArn ? 1 : 0);

/** Whether `self` may act now. */
export type Turn =
  { readonly go: true; readonly detail: string } | { readonly go: false; readonly detail: string; readonly waitingFor?: Run };

/**
 * Decides from a listing whether the run `self` (its execution ARN and start) may act: every region must have answered
 * or be left out (a throttled, slow or failing region is asked again, another region than the run's own only until
 * {@link ASK_AGAIN_LIMIT_SECONDS} after `clock.firstLook`, then left out), it must be listed in its own region (a
 * listing older than the run says nothing of runs started just before it), and no other non-dry run within its lease
 * (`clock.leaseSeconds` from {@link sinceOf}) may be earlier in {@link byTurn}'s order.
 */
export function decideTurn(
  self: { readonly executionArn: string; readonly startDate: Date },
  listing: Listing,
  clock: TurnClock,
): Turn {
  const ownRegion = parseArn(self.executionArn)?.region ?? '';
  const askedFor = Math.floor((clock.now.getTime() - clock.firstLook.getTime()) / 1000);
  const pastLimit = askedFor >= ASK_AGAIN_LIMIT_SECONDS;
  const unsure = (listing.unsure ?? []).filter((u) => !pastLimit || u.region === ownRegion);
  if (unsure.length > 0) {
    const limit = pastLimit ? '' : ` (another region for at most ${ASK_AGAIN_LIMIT_SECONDS} s, ${askedFor} s so far)`;
    return { go: false, detail: `asking again: ${unsure.map((u) => `${u.region} (${u.why})`).join(', ')}${limit}` };
  }
  const given = (listing.unsure ?? [])
    .filter((u) => pastLimit && u.region !== ownRegion)
    .map((u) => ({
      region: u.region,
      why: `asked again for ${askedFor} s, past the ${ASK_AGAIN_LIMIT_SECONDS} s limit: ${u.why}`,
    }));
  const lost = [...listing.unanswered, ...given].map((u) => `${u.region} (${u.why})`);
  const unanswered = lost.length === 0 ? '' : `; not answering, left out: ${lost.join(', ')}`;
  const listedSelf = listing.runs.find((r) => r.executionArn === self.executionArn);
  if (listedSelf === undefined && !listing.unanswered.some((u) => u.region === ownRegion)) {
    return { go: false, detail: `this run is not listed yet in ${ownRegion} (ListExecutions is eventually consistent)` };
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
    };
  }
  const later =
    others.length === 0
      ? 'no other run'
      : `first of ${others.length + 1} running (${others.map((r) => `${r.name} in ${r.region}`).join(', ')} wait)`;
  return { go: true, detail: `${later}${unanswered}${past}` };
}
