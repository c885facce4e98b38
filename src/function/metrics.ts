/**
 * The function's Prometheus metrics (prom-client), served on their own HTTP port (`--metrics-address`, default
 * `0.0.0.0:8080`, as function-sdk-go serves its own) at `/metrics`: how long each RunFunction call takes by composite
 * kind, why calls fail, and how many desired resources each call returns, plus prom-client's process metrics (CPU
 * seconds, resident memory, event-loop lag, heap). The bootstrap's PodMonitor scrapes the port
 * (charts/bootstrap/function-metrics.ts).
 */
import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Why a RunFunction call failed (the `reason` label of {@link FunctionMetrics.errors}). */
export type ErrorReason =
  /** The request carried no observed composite. */
  | 'no-composite'
  /** The composite's spec is invalid, or a new estate's claim breaks a policy error rule. */
  | 'invalid-spec'
  /** The desired state would have dropped data stores the claim did not remove (src/compose/drop-guard.ts). */
  | 'dropped-data-store'
  /** Compose threw something else (a defect). */
  | 'compose-error';

/** What one RunFunction call did, as the handler reports it to the metrics. */
export interface CallOutcome {
  /** Kind of the observed composite, or `unknown`. */
  readonly kind: string;
  /** Desired composed resources returned (0 when refused). */
  readonly desired: number;
  /** Set when the call ended Fatal. */
  readonly error?: ErrorReason;
}

/** The metrics of one function process, on their own registry. */
export interface FunctionMetrics {
  readonly registry: Registry;
  readonly duration: Histogram<'composite_kind'>;
  readonly errors: Counter<'composite_kind' | 'reason'>;
  readonly desiredResources: Histogram<'composite_kind'>;
  /** Records one call that took `seconds`. */
  record(outcome: CallOutcome, seconds: number): void;
}

/**
 * RunFunction duration buckets, in seconds: a nested composite composes in well under a millisecond, a three-region
 * estate in about one (bench/), and Crossplane gives a call at most its 2-minute reconcile timeout.
 */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
/** Desired-resource buckets: a nested composite composes a handful to ~150 resources, an estate up to ~12 nested ones. */
const RESOURCE_BUCKETS = [0, 1, 2, 5, 10, 20, 50, 100, 150, 200, 300];

/** Creates the metrics on a new registry (with the process metrics when `processMetrics`). */
export function createMetrics({ processMetrics = true }: { processMetrics?: boolean } = {}): FunctionMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'drplane_function_' });
  const duration = new Histogram({
    name: 'drplane_function_run_duration_seconds',
    help: 'Time to answer one RunFunction call, by the kind of the composite it composed.',
    labelNames: ['composite_kind'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'drplane_function_run_errors_total',
    help: 'RunFunction calls answered with a Fatal result, by composite kind and reason.',
    labelNames: ['composite_kind', 'reason'] as const,
    registers: [registry],
  });
  const desiredResources = new Histogram({
    name: 'drplane_function_desired_resources',
    help: 'Desired composed resources returned per RunFunction call, by composite kind.',
    labelNames: ['composite_kind'] as const,
    buckets: RESOURCE_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    duration,
    errors,
    desiredResources,
    record(outcome, seconds) {
      duration.observe({ composite_kind: outcome.kind }, seconds);
      desiredResources.observe({ composite_kind: outcome.kind }, outcome.desired);
      if (outcome.error) errors.inc({ composite_kind: outcome.kind, reason: outcome.error });
    },
  };
}

/** Parses `host:port` (`:8080` means every interface); throws naming the flag when it is not one. */
export function parseMetricsAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535)
    throw new Error(
      `--metrics-address ${JSON.stringify(address)} is not host:port; write e.g. 0.0.0.0:8080 or :8080, or "" to serve no metrics`,
    );
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** Serves `GET /metrics` of `metrics` on `address` (host:port); anything else is 404. */
export function serveMetrics(metrics: FunctionMetrics, address: string): Promise<Server> {
  const { host, port } = parseMetricsAddress(address);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
