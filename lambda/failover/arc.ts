/**
 * Route 53 ARC routing controls (routing.control arc), flipped through the cluster's data plane: the five regional
 * endpoints of route53-recovery-cluster that the cluster reports (status.atProvider.clusterEndpoints), never the
 * control-configuration API (us-west-2 only). The API reference (UpdateRoutingControlStates: "You must specify
 * Regional endpoints") and the ARC developer guide advise trying the endpoints in turn until one answers: any one of
 * the five can take the change, so the loss of any one region (or of us-west-2) does not stop a failover.
 *
 * One UpdateRoutingControlStates call sets every state of a move at once (the target On, the region left Off), so the
 * assertion safety rule (at least one region on) judges the move as a whole, and no second call falls inside the
 * rules' wait period. An endpoint that does not answer, is temporarily unavailable, throttles or fails inside is left
 * for the next; a refusal another endpoint would repeat (ValidationException, AccessDeniedException,
 * ResourceNotFoundException, ServiceLimitExceededException) ends the attempt; ConflictException (a safety rule, or a
 * change within a rule's wait period) is tried again after the wait period, a bounded number of times. Before a failure
 * is reported the states are read (GetRoutingControlState), and a change already in effect counts as done.
 */
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
  type UpdateRoutingControlStateEntry,
} from '@aws-sdk/client-route53-recovery-cluster';
import { boundedClientConfig, type CallLimits } from '../shared/limits.js';
import type { TemporaryCredentials } from './clients.js';

/** One regional endpoint of the cluster, as the cluster reports it. */
export interface ClusterEndpoint {
  readonly endpoint: string;
  readonly region: string;
}

/** What the orchestrator knows of the estate's ARC controls (env from compose). */
export interface ArcConfig {
  /** The cluster's regional endpoints. */
  readonly endpoints: readonly ClusterEndpoint[];
  /** Each estate region's routing control ARN. */
  readonly controls: Readonly<Record<string, string>>;
  /** The safety rules' wait period in ms (default {@link DEFAULT_WAIT_PERIOD_MS}). */
  readonly waitPeriodMs?: number;
}

/** A routing control state. */
export type ControlState = 'On' | 'Off';

/**
 * Limits of one call to one endpoint: short, since four more endpoints wait behind it (five endpoints × 8 s stays
 * inside a step's 60 s invocation).
 */
export const ARC_CALL_LIMITS: CallLimits = {
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 1,
  callTimeoutMs: 8_000,
};

/** A client of one cluster endpoint. */
export type ArcClientFactory = (endpoint: ClusterEndpoint) => Pick<Route53RecoveryClusterClient, 'send'>;

/** The production factory: a client per endpoint, signed for the endpoint's region. */
export const arcClients =
  (credentials: TemporaryCredentials | undefined): ArcClientFactory =>
  ({ endpoint, region }) =>
    new Route53RecoveryClusterClient({
      region,
      endpoint,
      ...boundedClientConfig(ARC_CALL_LIMITS),
      ...(credentials === undefined ? {} : { credentials }),
    });

/**
 * The states of a move to `target`: the target On and the region traffic leaves (`from`) Off, in one call, so the
 * assertion rule (at least one region On) judges the result, in which the target is On. Other regions keep their
 * state: with latency records they keep serving, with failover records the standby stays armed.
 */
export function moveStates(cfg: ArcConfig, target: string, from?: string): UpdateRoutingControlStateEntry[] {
  const arn = (region: string) => {
    const found = cfg.controls[region];
    if (found === undefined)
      throw new Error(`no routing control for ${region} (DRPLANE_ARC_CONTROLS names ${Object.keys(cfg.controls).join(', ')})`);
    return found;
  };
  return [
    { RoutingControlArn: arn(target), RoutingControlState: 'On' },
    ...(from !== undefined && from !== target ? [{ RoutingControlArn: arn(from), RoutingControlState: 'Off' as const }] : []),
  ];
}

/** `us-west-2 On, us-east-1 Off`: the states of a move ({@link moveStates}), by region. */
export function describeMove(cfg: ArcConfig, target: string, from?: string): string {
  const byArn = new Map(Object.entries(cfg.controls).map(([region, arn]) => [arn, region]));
  return moveStates(cfg, target, from)
    .map((e) => `${byArn.get(e.RoutingControlArn ?? '') ?? '?'} ${e.RoutingControlState ?? '?'}`)
    .join(', ');
}

/**
 * Errors another endpoint would answer the same way: trying the next one is pointless (botocore
 * UpdateRoutingControlStates.errors). ConflictException is not among them: the model documents it as "There was a
 * conflict with this request. Try again.", and a safety rule refuses every change for its wait period after one, so it
 * is retried after that period ({@link updateStates}).
 */
const FINAL = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ServiceLimitExceededException',
]);

/** The refusal a safety rule (or a change within its wait period) answers with. */
const CONFLICT = 'ConflictException';

/**
 * Default wait period of drplane's safety rules (RuleConfig WaitPeriodMs, 5000 ms, src/primitives/routing/arc.ts
 * SAFETY_RULE_WAIT_MS): during it "any request against the target routing controls will fail"
 * (route53-recovery-control-config model, NewAssertionRule).
 */
export const DEFAULT_WAIT_PERIOD_MS = 5_000;

/** Rounds of a change ARC refused with ConflictException: the first and two more, each after the wait period. */
export const CONFLICT_ROUNDS = 3;

/** One endpoint's answer to the call. */
export interface EndpointAttempt {
  readonly region: string;
  /** The error's name, or `ok`. */
  readonly result: string;
}

/** The endpoints in the order to try them: starting at `first` (by index, wrapped), so callers can spread the load. */
export function endpointOrder(endpoints: readonly ClusterEndpoint[], first = 0): ClusterEndpoint[] {
  const n = endpoints.length;
  if (n === 0) return [];
  const start = ((first % n) + n) % n;
  return [...endpoints.slice(start), ...endpoints.slice(0, start)];
}

/** ARC refused or no endpoint answered: `attempts` says what each endpoint did. */
export class ArcUpdateError extends Error {
  constructor(
    message: string,
    readonly attempts: readonly EndpointAttempt[],
    readonly final: boolean,
  ) {
    super(message);
    this.name = 'ArcUpdateError';
  }
}

/** How a change was made. */
export interface ArcUpdate {
  /** The endpoint that took the change, or that reported every state already as wanted. */
  readonly endpoint: ClusterEndpoint;
  /** Every call made, in order (updates, and reads as `GetRoutingControlState: <result>`). */
  readonly attempts: EndpointAttempt[];
  /**
   * True when no call was answered with success but a read showed every state already as wanted: an earlier attempt
   * took effect and its answer was lost, or someone else made the same move.
   */
  readonly alreadySet: boolean;
}

/** Knobs of {@link updateStates} (tests shorten the waits). */
export interface UpdateOptions {
  /** Index of the endpoint to try first. */
  readonly first?: number;
  /** Rounds when ARC answers ConflictException (default {@link CONFLICT_ROUNDS}). */
  readonly conflictRounds?: number;
  /** Waits `ms` (default setTimeout). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Epoch ms (Date.now) by which the whole update must be over, answered or not: no call starts with less than
   * {@link MIN_CALL_MS} left, each call is aborted at it, and no wait period is waited that would end past it. The step
   * sets it so that the step ends inside its invocation (switch-dns: the invocation's end less what Route 53 may take).
   */
  readonly deadline?: number;
}

/** Least time left for which a call to an endpoint is still started. */
export const MIN_CALL_MS = 500;

/** Milliseconds left before `deadline` (Infinity without one). */
const leftBefore = (deadline: number | undefined): number => (deadline === undefined ? Infinity : deadline - Date.now());

const nameOf = (err: unknown): string => (err instanceof Error ? err.name : 'Error');
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** One call's options: aborted at the call limit, or at `deadline` when that comes first. */
const callOptions = (deadline?: number) => ({
  abortSignal: AbortSignal.timeout(Math.max(1, Math.min(ARC_CALL_LIMITS.callTimeoutMs, leftBefore(deadline)))),
});

/**
 * Reads each entry's state (GetRoutingControlState) at the first endpoint that answers every read; returns that
 * endpoint when every entry is already in its wanted state, else undefined (a state differs, or no endpoint answered).
 */
export async function alreadyInState(
  cfg: ArcConfig,
  entries: readonly UpdateRoutingControlStateEntry[],
  clients: ArcClientFactory,
  attempts: EndpointAttempt[],
  first = 0,
  /** No read starts with less than {@link MIN_CALL_MS} left before it (epoch ms); each read is aborted at it. */
  deadline?: number,
): Promise<ClusterEndpoint | undefined> {
  for (const endpoint of endpointOrder(cfg.endpoints, first)) {
    const client = clients(endpoint);
    try {
      for (const entry of entries) {
        if (leftBefore(deadline) < MIN_CALL_MS) {
          attempts.push({ region: endpoint.region, result: 'GetRoutingControlState: not sent, the time budget is spent' });
          return undefined;
        }
        const out = await client.send(
          new GetRoutingControlStateCommand({ RoutingControlArn: entry.RoutingControlArn }),
          callOptions(deadline),
        );
        if (out.RoutingControlState !== entry.RoutingControlState) {
          attempts.push({
            region: endpoint.region,
            result: `GetRoutingControlState: ${entry.RoutingControlArn} is ${out.RoutingControlState ?? '?'}`,
          });
          return undefined;
        }
      }
      attempts.push({ region: endpoint.region, result: 'GetRoutingControlState: every state as wanted' });
      return endpoint;
    } catch (err) {
      attempts.push({ region: endpoint.region, result: `GetRoutingControlState: ${nameOf(err)}` });
      if (FINAL.has(nameOf(err))) return undefined;
    }
  }
  return undefined;
}

/**
 * Sets `entries` in one UpdateRoutingControlStates call, trying the cluster's endpoints in turn; returns the endpoint
 * that took it and every attempt.
 *
 * - An endpoint that does not answer, is temporarily unavailable, throttles or fails inside: the next one.
 * - ConflictException (a safety rule refuses, or the change falls within a rule's wait period, as when an earlier
 *   endpoint took the change and its answer was lost, or someone flipped a control moments ago): the states are read;
 *   if they are already as wanted that is success, else the whole round is tried again after the wait period, up to
 *   {@link CONFLICT_ROUNDS} rounds.
 * - Before any failure is reported the states are read at any endpoint, and a change already in effect is success.
 *
 * Throws ArcUpdateError (final when ARC itself refused the change: a retry would be refused again).
 */
export async function updateStates(
  cfg: ArcConfig,
  entries: readonly UpdateRoutingControlStateEntry[],
  clients: ArcClientFactory,
  options: UpdateOptions = {},
): Promise<ArcUpdate> {
  const first = options.first ?? 0;
  const rounds = Math.max(1, options.conflictRounds ?? CONFLICT_ROUNDS);
  const sleep = options.sleep ?? defaultSleep;
  if (cfg.endpoints.length === 0)
    throw new ArcUpdateError('the ARC cluster reports no endpoints (DRPLANE_ARC_ENDPOINTS)', [], true);
  const attempts: EndpointAttempt[] = [];
  const { deadline } = options;
  const settled = async (): Promise<ArcUpdate | undefined> => {
    const endpoint = await alreadyInState(cfg, entries, clients, attempts, first, deadline);
    return endpoint === undefined ? undefined : { endpoint, attempts, alreadySet: true };
  };
  const wait = cfg.waitPeriodMs ?? DEFAULT_WAIT_PERIOD_MS;
  let refusal: { endpoint: ClusterEndpoint; name: string; message: string } | undefined;
  let spent = false;
  for (let round = 1; round <= rounds && !spent; round++) {
    refusal = undefined;
    let conflict: { endpoint: ClusterEndpoint; message: string } | undefined;
    for (const endpoint of endpointOrder(cfg.endpoints, first)) {
      if (leftBefore(deadline) < MIN_CALL_MS) {
        attempts.push({ region: endpoint.region, result: 'not sent, the time budget is spent' });
        spent = true;
        break;
      }
      try {
        await clients(endpoint).send(
          new UpdateRoutingControlStatesCommand({ UpdateRoutingControlStateEntries: [...entries] }),
          callOptions(deadline),
        );
        attempts.push({ region: endpoint.region, result: 'ok' });
        return { endpoint, attempts, alreadySet: false };
      } catch (err) {
        const name = nameOf(err);
        attempts.push({ region: endpoint.region, result: name });
        if (name === CONFLICT) {
          conflict = { endpoint, message: messageOf(err) };
          break;
        }
        if (FINAL.has(name)) {
          refusal = { endpoint, name, message: messageOf(err) };
          break;
        }
      }
    }
    if (conflict === undefined) break;
    const done = await settled();
    if (done !== undefined) return done;
    refusal = { endpoint: conflict.endpoint, name: CONFLICT, message: conflict.message };
    if (round < rounds) {
      // A wait period that would end past the deadline leaves no time for the next round: the budget is spent.
      if (leftBefore(deadline) < wait + MIN_CALL_MS) {
        spent = true;
        break;
      }
      await sleep(wait);
    }
  }
  if (spent) {
    const done = refusal?.name === CONFLICT ? undefined : await settled();
    if (done !== undefined) return done;
    // Not final: the time ran out, not ARC's patience; the state's Retry runs the step again in a new invocation.
    throw new ArcUpdateError(
      `the step's time for ARC ran out before a routing control change was taken (${attempts.map((a) => `${a.region}: ${a.result}`).join(', ')})`,
      attempts,
      false,
    );
  }
  // About to fail: a change already in effect (an answer lost on the way back) is success. After a conflict the
  // states were just read.
  if (refusal?.name !== CONFLICT) {
    const done = await settled();
    if (done !== undefined) return done;
  }
  if (refusal !== undefined) {
    const times = refusal.name === CONFLICT && rounds > 1 ? ` (${rounds} rounds, ${wait} ms apart)` : '';
    throw new ArcUpdateError(
      `ARC refused the change at ${refusal.endpoint.region}${times}: ${refusal.name}: ${refusal.message}`,
      attempts,
      true,
    );
  }
  throw new ArcUpdateError(
    `no ARC cluster endpoint took the change (${attempts.map((a) => `${a.region}: ${a.result}`).join(', ')})`,
    attempts,
    false,
  );
}
