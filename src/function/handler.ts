/**
 * The composition function's request handler: a thin adapter over src/compose. It reads the
 * observed composite and composed resources, asks compose for the desired state, marks each
 * desired resource Ready from its observed conditions, writes status, connection details and
 * events. Bad input is a Fatal result that names the field; it never throws. A desired state that
 * drops a data store (of any profile) the claim did not remove, because the spec is unchanged since it was composed
 * or still declares it, is refused as a whole (src/compose/drop-guard.ts).
 *
 * The Lambda zips that compose ships to S3 are loaded once, when this module loads (from
 * $DRPLANE_LAMBDA_DIR, default dist/lambda), and passed to compose as an explicit option.
 *
 * Every response carries a TTL (`meta.ttl`, {@link responseTtl}, {@link ttlSecondsFor}); each call's duration, outcome and desired-resource
 * count go to the function's metrics (src/function/metrics.ts) when the handler is given them.
 */
import {
  Ready,
  Resource,
  fatal,
  getObservedComposedResources,
  getObservedCompositeResource,
  normal,
  setDesiredCompositeStatus,
  to,
  warning,
  type FunctionHandler,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import {
  ComposeInputError,
  composeComposite,
  gatesReadiness,
  isReady,
  liveView,
  readPath,
  type ComposeOptions,
  type ComposeResult,
  type Manifest,
} from '../compose/index.js';
import { droppedMessage, guardDataStores } from '../compose/drop-guard.js';
import { loadLambdaArtifacts } from './artifacts.js';
import { DEFAULT_RESPONSE_TTL_SECONDS } from './flags.js';
import type { CallOutcome, ErrorReason, FunctionMetrics } from './metrics.js';

/** Kinds that have no Ready condition of their own: ready once they exist. */
const READY_WHEN_PRESENT = new Set(['ClusterUsage']);

function observedResources(req: RunFunctionRequest): Record<string, Manifest> {
  const out: Record<string, Manifest> = {};
  for (const [key, res] of Object.entries(getObservedComposedResources(req) ?? {})) {
    if (res?.resource) out[key] = res.resource as Manifest;
  }
  return out;
}

/** A composed resource's readiness: one that only informs the status (gatesReadiness false) is always ready. */
function readiness(desired: Manifest, observed: Manifest | undefined): Ready {
  if (!gatesReadiness(desired)) return Ready.READY_TRUE;
  if (!observed) return Ready.READY_FALSE;
  return READY_WHEN_PRESENT.has(desired.kind) || isReady(observed) ? Ready.READY_TRUE : Ready.READY_FALSE;
}

/** Status of the estate: what compose reports, plus the last change of activeRegion. */
function statusOf(xr: Manifest, result: ComposeResult): Record<string, unknown> {
  const previous = readPath(xr, 'status.activeRegion');
  const active = result.status.activeRegion;
  const lastFailover = readPath(xr, 'status.lastFailover');
  if (typeof previous === 'string' && previous !== active) {
    return { ...result.status, lastFailover: { from: previous, to: active, at: new Date().toISOString() } };
  }
  return lastFailover ? { ...result.status, lastFailover } : result.status;
}

/** What composes a composite: src/compose's {@link composeComposite} (a test may pass a faulty build's). */
export type Composer = typeof composeComposite;

/** A protobuf Duration, as the SDK's `to` takes it for the response's TTL. */
type Duration = NonNullable<Parameters<typeof to>[1]>;

/** Crossplane requeues a composite after its TTL ± 10 % (reconciler.go `jitter`). */
const REQUEUE_JITTER = 0.1;

/**
 * The TTL of a response composed at `now`: `maxSeconds`, but never past the end of the UTC day, Crossplane's jitter
 * included (the time to midnight divided by 1.1). In Crossplane v2 the
 * TTL is how long the answer holds: with realtime compositions (on by default) Crossplane composes the composite again
 * when the TTL runs out (and at once on any change of the composite or a composed resource, which it watches), and its
 * response cache (alpha, `--enable-function-response-cache`) serves this response to an identical request until then.
 * drplane's answer depends only on the request but for the policy rules that compare against the day
 * (src/facts/days.ts: whole UTC days), so a response must not outlive its day, and for timers compose reports
 * (ComposeResult's recheckAfterSeconds, {@link ttlSecondsFor}).
 */
export function responseTtl(now: Date, maxSeconds = DEFAULT_RESPONSE_TTL_SECONDS): Duration {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const untilMidnight = Math.max(1, Math.floor((midnight - now.getTime()) / 1000 / (1 + REQUEUE_JITTER)));
  return { seconds: Math.min(maxSeconds, untilMidnight), nanos: 0 };
}

/**
 * The TTL ceiling of a composed answer. A composite at rest (every resource it composes observed Ready, no timer
 * pending) gets `atRest`: nothing but a change Crossplane watches can change its answer, so composing it again sooner
 * only re-applies every resource for nothing (bench:scale: at rest the TTL requeues are the whole reconcile load).
 * A composite still settling gets `settling`: a watch event its circuit breaker dropped while it was being created is
 * made up for within it. A timer (`recheckSeconds`, such as the EKS fail-back's settle time) bounds either.
 */
export function ttlSecondsFor(allReady: boolean, recheckSeconds: number | undefined, settling: number, atRest: number): number {
  const ceiling = allReady && recheckSeconds === undefined ? atRest : settling;
  return recheckSeconds === undefined ? ceiling : Math.max(1, Math.min(ceiling, Math.ceil(recheckSeconds)));
}

/** How the function answers: compose options, and the response's TTL ceilings in seconds. */
export interface FunctionOptions extends ComposeOptions {
  /** The TTL of an answer while the composite settles, and of a refusal (default {@link DEFAULT_RESPONSE_TTL_SECONDS}). */
  readonly responseTtlSeconds?: number;
  /** The TTL of an answer for a composite at rest (default: responseTtlSeconds). */
  readonly responseTtlAtRestSeconds?: number;
}

/** A response and what it did (for the metrics). */
interface Answer {
  readonly rsp: RunFunctionResponse;
  readonly outcome: CallOutcome;
}

function refuse(rsp: RunFunctionResponse, kind: string, error: ErrorReason, message: string): Answer {
  return { rsp: fatal(rsp, message), outcome: { kind, desired: 0, error } };
}

function answer(req: RunFunctionRequest, options: FunctionOptions, compose: Composer): Answer {
  const today = options.today ?? new Date();
  const rsp = to(req, responseTtl(today, options.responseTtlSeconds));
  const xr = getObservedCompositeResource(req)?.resource as Manifest | undefined;
  if (!xr || typeof xr.kind !== 'string')
    return refuse(rsp, 'unknown', 'no-composite', 'the request has no observed composite resource');
  let result: ComposeResult;
  try {
    result = compose(xr, liveView(observedResources(req)), { ...options, today });
  } catch (error) {
    if (error instanceof ComposeInputError)
      return refuse(rsp, xr.kind, 'invalid-spec', `invalid ${xr.kind}: ${error.problems.join('; ')}`);
    const message = `cannot compose ${xr.kind}: ${error instanceof Error ? error.message : String(error)}`;
    return refuse(rsp, xr.kind, 'compose-error', message);
  }
  const observed = observedResources(req);
  const guarded = guardDataStores(xr, observed, result.resources);
  if (guarded.dropped.length > 0) return refuse(rsp, xr.kind, 'dropped-data-store', droppedMessage(xr, guarded.dropped));
  const desired = rsp.desired!;
  for (const d of guarded.resources) {
    desired.resources[d.key] = Resource.fromJSON({ resource: d.manifest, ready: readiness(d.manifest, observed[d.key]) });
  }
  setDesiredCompositeStatus({ rsp, status: statusOf(xr, result) });
  if (result.connectionDetails) {
    const details = Object.fromEntries(Object.entries(result.connectionDetails).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
    desired.composite!.connectionDetails = { ...desired.composite!.connectionDetails, ...details };
  }
  for (const e of result.events) (e.severity === 'Warning' ? warning : normal)(rsp, e.message);
  const ready = result.resources.filter((d) => readiness(d.manifest, observed[d.key]) === Ready.READY_TRUE).length;
  normal(rsp, `composed ${result.resources.length} resources for ${xr.kind}; ${ready} ready`);
  const settling = options.responseTtlSeconds ?? DEFAULT_RESPONSE_TTL_SECONDS;
  const ttl = ttlSecondsFor(
    ready === result.resources.length,
    result.recheckAfterSeconds,
    settling,
    options.responseTtlAtRestSeconds ?? settling,
  );
  rsp.meta = { ...rsp.meta!, ttl: responseTtl(today, ttl) };
  return { rsp, outcome: { kind: xr.kind, desired: guarded.resources.length } };
}

/** Handles one RunFunction call. */
export function runFunction(
  req: RunFunctionRequest,
  options: FunctionOptions = {},
  compose: Composer = composeComposite,
): RunFunctionResponse {
  return answer(req, options, compose).rsp;
}

/**
 * The function as the SDK's handler interface, composing with `options` (and `compose`, default src/compose's), each
 * call timed and counted in `metrics` when given.
 */
export function createHandler(
  options: FunctionOptions,
  compose: Composer = composeComposite,
  metrics?: FunctionMetrics,
): FunctionHandler {
  return {
    RunFunction: async (req) => {
      const start = performance.now();
      const { rsp, outcome } = answer(req, options, compose);
      metrics?.record(outcome, (performance.now() - start) / 1000);
      return rsp;
    },
  };
}

/** The zips found at startup; a missing or stale one is reported once on stderr. */
const loaded = loadLambdaArtifacts();
for (const note of loaded.notes) process.stderr.write(`function-drplane: ${note}\n`);

/** The Lambda zips loaded at startup (what the entry point composes with). */
export const loadedArtifacts = loaded.artifacts;

/** The function as the SDK's handler interface, with the Lambda zips loaded at startup. */
export const handler: FunctionHandler = createHandler({ artifacts: loaded.artifacts });
