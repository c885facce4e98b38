/**
 * Route 53 ARC routing controls (routing.control arc), flipped through the cluster's data plane: the five regional
 * endpoints of route53-recovery-cluster that the cluster reports (status.atProvider.clusterEndpoints), never the
 * control-configuration API (us-west-2 only). The API reference (UpdateRoutingControlStates: "You must specify
 * Regional endpoints") and the ARC developer guide advise trying the endpoints in turn until one answers: any one of
 * the five can take the change, so the loss of any one region (or of us-west-2) does not stop a failover.
 *
 * One UpdateRoutingControlStates call sets every state of a move at once, so the assertion safety rule (at least one
 * region on) judges the move as a whole. An endpoint that does not answer, is temporarily unavailable, throttles or
 * fails inside is left for the next; a refusal that another endpoint would repeat (a safety rule: ConflictException,
 * e.g. the gate control is off; ValidationException; AccessDeniedException; ResourceNotFoundException;
 * ServiceLimitExceededException) ends the attempt at once.
 */
import {
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
 * The states of a move to `target`: the target on; with failover records every other region off (one region serves);
 * with latency records the region left (`from`) off and the others as they are.
 */
export function moveStates(
  cfg: ArcConfig,
  target: string,
  policy: 'failover' | 'latency',
  from?: string,
): UpdateRoutingControlStateEntry[] {
  const arn = (region: string) => {
    const found = cfg.controls[region];
    if (found === undefined)
      throw new Error(`no routing control for ${region} (DRPLANE_ARC_CONTROLS names ${Object.keys(cfg.controls).join(', ')})`);
    return found;
  };
  const off =
    policy === 'failover' ? Object.keys(cfg.controls).filter((r) => r !== target) : from && from !== target ? [from] : [];
  return [
    { RoutingControlArn: arn(target), RoutingControlState: 'On' },
    ...off.sort().map((r) => ({ RoutingControlArn: arn(r), RoutingControlState: 'Off' as const })),
  ];
}

/** Errors another endpoint would answer the same way: trying the next one is pointless. */
const FINAL = new Set([
  'ConflictException',
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ServiceLimitExceededException',
]);

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

/**
 * Sets `entries` in one UpdateRoutingControlStates call, trying the cluster's endpoints in turn from `first`; returns
 * the endpoint that took it and every attempt. Throws ArcUpdateError (final when ARC itself refused the change).
 */
export async function updateStates(
  cfg: ArcConfig,
  entries: readonly UpdateRoutingControlStateEntry[],
  clients: ArcClientFactory,
  first = 0,
): Promise<{ endpoint: ClusterEndpoint; attempts: EndpointAttempt[] }> {
  if (cfg.endpoints.length === 0)
    throw new ArcUpdateError('the ARC cluster reports no endpoints (DRPLANE_ARC_ENDPOINTS)', [], true);
  const attempts: EndpointAttempt[] = [];
  for (const endpoint of endpointOrder(cfg.endpoints, first)) {
    try {
      await clients(endpoint).send(new UpdateRoutingControlStatesCommand({ UpdateRoutingControlStateEntries: [...entries] }), {
        abortSignal: AbortSignal.timeout(ARC_CALL_LIMITS.callTimeoutMs),
      });
      attempts.push({ region: endpoint.region, result: 'ok' });
      return { endpoint, attempts };
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      attempts.push({ region: endpoint.region, result: name });
      if (FINAL.has(name)) {
        const message = err instanceof Error ? err.message : String(err);
        throw new ArcUpdateError(`ARC refused the change at ${endpoint.region}: ${name}: ${message}`, attempts, true);
      }
    }
  }
  throw new ArcUpdateError(
    `no ARC cluster endpoint took the change (${attempts.map((a) => `${a.region}: ${a.result}`).join(', ')})`,
    attempts,
    false,
  );
}

/** Parses DRPLANE_ARC_ENDPOINTS (JSON [{endpoint, region}]) and DRPLANE_ARC_CONTROLS (JSON {region: arn}). */
export function parseArcConfig(endpointsJson: string, controlsJson: string): ArcConfig {
  const endpoints = JSON.parse(endpointsJson) as unknown;
  const controls = JSON.parse(controlsJson) as unknown;
  if (!Array.isArray(endpoints) || !endpoints.every((e) => typeof e?.endpoint === 'string' && typeof e?.region === 'string'))
    throw new Error('DRPLANE_ARC_ENDPOINTS: expected a JSON array of {"endpoint": "https://…", "region": "…"}');
  if (
    typeof controls !== 'object' ||
    controls === null ||
    Array.isArray(controls) ||
    !Object.values(controls).every((v) => typeof v === 'string' && v.startsWith('arn:'))
  )
    throw new Error('DRPLANE_ARC_CONTROLS: expected a JSON object of region → routing control ARN');
  return {
    endpoints: endpoints.map((e: ClusterEndpoint) => ({ endpoint: e.endpoint, region: e.region })),
    controls: controls as Record<string, string>,
  };
}
