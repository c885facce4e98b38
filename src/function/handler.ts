/**
 * The composition function's request handler: a thin adapter over src/compose. It reads the
 * observed composite and composed resources, asks compose for the desired state, marks each
 * desired resource Ready from its observed conditions, writes status, connection details and
 * events. Bad input is a Fatal result that names the field; it never throws. A desired state that
 * drops a production data store while the spec is unchanged is refused (src/compose/drop-guard.ts).
 *
 * The Lambda zips that compose ships to S3 are loaded once, when this module loads (from
 * $DRPLANE_LAMBDA_DIR, default dist/lambda), and passed to compose as an explicit option.
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
  isReady,
  liveView,
  readPath,
  type ComposeOptions,
  type ComposeResult,
  type Manifest,
} from '../compose/index.js';
import { droppedMessage, guardDataStores } from '../compose/drop-guard.js';
import { loadLambdaArtifacts } from './artifacts.js';

/** Kinds that have no Ready condition of their own: ready once they exist. */
const READY_WHEN_PRESENT = new Set(['ClusterUsage']);

function observedResources(req: RunFunctionRequest): Record<string, Manifest> {
  const out: Record<string, Manifest> = {};
  for (const [key, res] of Object.entries(getObservedComposedResources(req) ?? {})) {
    if (res?.resource) out[key] = res.resource as Manifest;
  }
  return out;
}

function readiness(kind: string, observed: Manifest | undefined): Ready {
  if (!observed) return Ready.READY_FALSE;
  return READY_WHEN_PRESENT.has(kind) || isReady(observed) ? Ready.READY_TRUE : Ready.READY_FALSE;
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

/** Handles one RunFunction call. */
export function runFunction(
  req: RunFunctionRequest,
  options: ComposeOptions = {},
  compose: Composer = composeComposite,
): RunFunctionResponse {
  const rsp = to(req);
  const xr = getObservedCompositeResource(req)?.resource as Manifest | undefined;
  if (!xr || typeof xr.kind !== 'string') return fatal(rsp, 'the request has no observed composite resource');
  let result: ComposeResult;
  try {
    result = compose(xr, liveView(observedResources(req)), { today: new Date(), ...options });
  } catch (error) {
    if (error instanceof ComposeInputError) return fatal(rsp, `invalid ${xr.kind}: ${error.problems.join('; ')}`);
    return fatal(rsp, `cannot compose ${xr.kind}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const observed = observedResources(req);
  const guarded = guardDataStores(xr, observed, result.resources);
  if (guarded.dropped.length > 0) return fatal(rsp, droppedMessage(xr, guarded.dropped));
  const desired = rsp.desired!;
  for (const d of guarded.resources) {
    desired.resources[d.key] = Resource.fromJSON({ resource: d.manifest, ready: readiness(d.manifest.kind, observed[d.key]) });
  }
  setDesiredCompositeStatus({ rsp, status: statusOf(xr, result) });
  if (result.connectionDetails) {
    const details = Object.fromEntries(Object.entries(result.connectionDetails).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
    desired.composite!.connectionDetails = { ...desired.composite!.connectionDetails, ...details };
  }
  for (const e of result.events) (e.severity === 'Warning' ? warning : normal)(rsp, e.message);
  const ready = result.resources.filter((d) => readiness(d.manifest.kind, observed[d.key]) === Ready.READY_TRUE).length;
  normal(rsp, `composed ${result.resources.length} resources for ${xr.kind}; ${ready} ready`);
  return rsp;
}

/** The function as the SDK's handler interface, composing with `options` (and `compose`, default src/compose's). */
export function createHandler(options: ComposeOptions, compose: Composer = composeComposite): FunctionHandler {
  return { RunFunction: async (req) => runFunction(req, options, compose) };
}

/** The zips found at startup; a missing or stale one is reported once on stderr. */
const loaded = loadLambdaArtifacts();
for (const note of loaded.notes) process.stderr.write(`function-drplane: ${note}\n`);

/** The function as the SDK's handler interface, with the Lambda zips loaded at startup. */
export const handler: FunctionHandler = createHandler({ artifacts: loaded.artifacts });
