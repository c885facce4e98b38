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
 * Limits, said where they apply:
 * - A region whose Step Functions API does not answer (lost, or unreachable) is left out: its runs target that region,
 *   whose RDS and service are what is lost, and waiting for an answer would hold the failover away from it. Such a run
 *   could still reach Route 53; the detail names the region so the timeline shows it.
 * - ListExecutions is eventually consistent (botocore stepfunctions 2016-11-23: "may not reflect very recent updates"):
 *   a run goes on only when the listing of its own region shows its own execution (the listing is at least as recent
 *   as its start). A run started in another region within the listings' lag of this one can still be missed; RDS's
 *   one operation per global cluster (promote-database follows a run under way) remains the database's guard.
 */
import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { parseArn } from '../shared/arn.js';
import { describeError } from '../shared/logger.js';
import type { FailoverClients } from './clients.js';
import { isUnavailable } from './dns-fallback.js';

/** Budget of one region's listing: a region that does not answer in time counts as not answering. */
export const LIST_TIMEOUT_MS = 5_000;
/** Pages read per region (100 executions each): far more RUNNING runs than an estate ever has. */
const MAX_PAGES = 5;

/** A RUNNING execution of one of the estate's workflows. */
export interface Run {
  readonly executionArn: string;
  readonly name: string;
  readonly region: string;
  readonly startDate: Date;
}

/** What the listings found. */
export interface Listing {
  readonly runs: readonly Run[];
  /** Regions whose Step Functions API did not answer, with why. */
  readonly unanswered: readonly { readonly region: string; readonly why: string }[];
}

/** True for a dry run's execution (start.ts names them `dryrun-…`): it changes nothing, so it neither waits nor counts. */
export const isDryRunName = (name: string): boolean => name.startsWith('dryrun-');

/** The RUNNING executions of one state machine, every page. */
async function runningOf(clients: FailoverClients, region: string, stateMachineArn: string): Promise<Run[]> {
  const sfn = clients.sfn(region);
  const runs: Run[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken }),
      { abortSignal: AbortSignal.timeout(LIST_TIMEOUT_MS) },
    );
    runs.push(...(out.executions ?? []).flatMap((e: ExecutionListItem) => toRun(e, region)));
    nextToken = out.nextToken;
    if (nextToken === undefined) break;
  }
  return runs;
}

function toRun(e: ExecutionListItem, region: string): Run[] {
  if (e.executionArn === undefined || e.name === undefined || e.startDate === undefined) return [];
  return [{ executionArn: e.executionArn, name: e.name, region, startDate: new Date(e.startDate) }];
}

/**
 * Lists the RUNNING executions of every region's workflow (`stateMachineArns`: region → ARN) in parallel. A region that
 * does not answer (no HTTP answer, a server error, throttling: dns-fallback.ts isUnavailable) is reported in
 * `unanswered`; any other error (a refusal such as AccessDenied) is thrown: a guard that cannot see is not skipped
 * silently.
 */
export async function listRuns(clients: FailoverClients, stateMachineArns: Readonly<Record<string, string>>): Promise<Listing> {
  const regions = Object.keys(stateMachineArns);
  const settled = await Promise.allSettled(regions.map((r) => runningOf(clients, r, stateMachineArns[r]!)));
  const runs: Run[] = [];
  const unanswered: { region: string; why: string }[] = [];
  settled.forEach((s, i) => {
    const region = regions[i]!;
    if (s.status === 'fulfilled') runs.push(...s.value);
    else if (isUnavailable(s.reason) || (s.reason instanceof Error && s.reason.name === 'TimeoutError'))
      unanswered.push({ region, why: describeError(s.reason).message });
    else throw s.reason;
  });
  return { runs, unanswered };
}

/** The order every run agrees on: earlier start first, then the execution ARN. */
export const byTurn = (a: Run, b: Run): number =>
  a.startDate.getTime() - b.startDate.getTime() ||
  (a.executionArn < b.executionArn ? -1 : a.executionArn > b.executionArn ? 1 : 0);

/** Whether `self` may act now. */
export type Turn =
  { readonly go: true; readonly detail: string } | { readonly go: false; readonly detail: string; readonly waitingFor?: Run };

/**
 * Decides from a listing whether the run `self` (its execution ARN and start) may act: it must be listed in its own
 * region (a listing older than the run says nothing of runs started just before it), and no other non-dry run may be
 * earlier in {@link byTurn}'s order.
 */
export function decideTurn(self: { readonly executionArn: string; readonly startDate: Date }, listing: Listing): Turn {
  const ownRegion = parseArn(self.executionArn)?.region ?? '';
  const lost = listing.unanswered.map((u) => `${u.region} (${u.why})`);
  const unanswered = lost.length === 0 ? '' : `; not answering, left out: ${lost.join(', ')}`;
  const ownListed = listing.runs.some((r) => r.executionArn === self.executionArn);
  if (!ownListed && !listing.unanswered.some((u) => u.region === ownRegion)) {
    return { go: false, detail: `this run is not listed yet in ${ownRegion} (ListExecutions is eventually consistent)` };
  }
  const me: Run = { executionArn: self.executionArn, name: '', region: ownRegion, startDate: self.startDate };
  const others = listing.runs.filter((r) => r.executionArn !== self.executionArn && !isDryRunName(r.name));
  const first = [...others, me].sort(byTurn)[0]!;
  if (first.executionArn !== self.executionArn) {
    return {
      go: false,
      waitingFor: first,
      detail: `waiting for ${first.name} in ${first.region} (started ${first.startDate.toISOString()})${unanswered}`,
    };
  }
  const later =
    others.length === 0
      ? 'no other run'
      : `first of ${others.length + 1} running (${others.map((r) => `${r.name} in ${r.region}`).join(', ')} wait)`;
  return { go: true, detail: `${later}${unanswered}` };
}
