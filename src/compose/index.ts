/**
 * The pure core: (composite, observed state) → desired resources, status and events, for every
 * drplane composite kind. The composition function and `drctl plan` both call `composeComposite`,
 * so a plan is exactly what the cluster gets. Nothing here does I/O.
 */
import type { z } from 'zod';
import { COMPOSITE_KINDS } from '../api/primitives.js';
import { API_VERSION, type DisasterRecoverySpec } from '../api/claim.js';
import type {
  DRBackupSpec,
  DRMonitoringSpec,
  DRNetworkSpec,
  EstateContext,
  FailoverControllerSpec,
  FailoverRoutingSpec,
  GlobalDatabaseSpec,
  GlobalTableSpec,
  RegionalServiceSpec,
  ReplicatedBucketSpec,
} from '../api/primitives.js';
import { composeBackup } from './backup.js';
import { composeBucket } from './bucket.js';
import { bindProviderConfig, ComposeContext, LABEL } from './context.js';
import { clusterId, composeDatabase } from './database.js';
import { type SwitchoverGuard, switchoverGuard } from './switchover.js';
import { composeEstate } from './estate.js';
import { composeFailover } from './failover.js';
import { composeMonitoring } from './monitoring.js';
import { composeNetwork } from './network.js';
import { composeRouting } from './routing.js';
import { composeService } from './service.js';
import { composeTable } from './table.js';
import type { ComposeEvent, ComposeOptions, ComposeResult, DesiredResource, Manifest, ObservedView } from './types.js';

export * from './types.js';
export { liveView, steadyView, isReady, readPath } from './observed.js';
export { ComposeContext, LABEL, EXTERNAL_NAME } from './context.js';

/** Bad input: the composite's spec does not match its schema. Lists every problem with its field. */
export class ComposeInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ComposeInputError';
  }
}

/** Labels Crossplane puts on a composite created for a claim. */
const CLAIM_NAME = 'crossplane.io/claim-name';
const CLAIM_NAMESPACE = 'crossplane.io/claim-namespace';

function parseSpec<T>(schema: z.ZodType, spec: unknown): T {
  const result = schema.safeParse(spec ?? {});
  if (result.success) return result.data as T;
  throw new ComposeInputError(result.error.issues.map((i) => `spec.${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** The estate context of the top-level composite, whose owner comes from the claim labels. */
function estateOf(xr: Manifest, spec: DisasterRecoverySpec): EstateContext {
  const meta = (xr.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
  const labels = meta.labels ?? {};
  return {
    owner: { name: labels[CLAIM_NAME] ?? meta.name ?? 'unnamed', namespace: labels[CLAIM_NAMESPACE] ?? '' },
    environment: spec.environment,
    profile: spec.profile,
    regions: spec.regions,
    activeRegion: spec.activeRegion,
    tags: spec.tags ?? {},
    objectives: spec.objectives,
    ...(spec.providerConfigRef ? { providerConfigRef: spec.providerConfigRef } : {}),
  };
}

/**
 * Readiness per region: every resource in the region is ready, and every nested composite
 * reports the region ready in its own status.
 */
function regionReadiness(resources: readonly DesiredResource[], observed: ObservedView, regions: readonly string[]) {
  const nested = resources.filter((d) => d.manifest.apiVersion === API_VERSION);
  // Global kinds (IAM roles, health checks) count for the region their label names.
  const regionOf = (d: DesiredResource) =>
    d.region ?? ((d.manifest.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {})[LABEL.region];
  return Object.fromEntries(
    regions.map((r) => {
      const own = resources.filter((d) => regionOf(d) === r).every((d) => observed.ready(d.key));
      const children = nested.every((d) => observed.flag(d.key, ['status', 'regions', r, 'ready']));
      return [r, { ready: own && children }];
    }),
  );
}

type Composed = {
  resources: DesiredResource[];
  events?: ComposeEvent[];
  status?: Record<string, unknown>;
  connectionDetails?: Readonly<Record<string, string>>;
};
type Composer = (xr: Manifest, observed: ObservedView, options: ComposeOptions) => Composed & { ctx: ComposeContext };

function primitive<S extends EstateContext>(
  kind: string,
  build: (ctx: ComposeContext, spec: S, observed: ObservedView, options: ComposeOptions, xr: Manifest) => Composed,
): Composer {
  const schema = COMPOSITE_KINDS.find((k) => k.kind === kind)!.spec;
  return (xr, observed, options) => {
    const spec = parseSpec<S>(schema, xr.spec);
    const ctx = new ComposeContext(spec);
    return { ctx, ...build(ctx, spec, observed, options, xr) };
  };
}

/** The UID the API server gave a composite, if it has one (a plan's and a render's composites have none). */
const uidOf = (xr: Manifest): string | undefined => {
  const uid = (xr.metadata as { uid?: unknown } | undefined)?.uid;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
};

function databaseStatus(ctx: ComposeContext, observed: ObservedView, guard: SwitchoverGuard) {
  return {
    ...(guard.writerRegion ? { writerRegion: guard.writerRegion } : {}),
    ...(guard.paused ? { clustersPaused: true } : {}),
    regions: Object.fromEntries(
      ctx.regions.map((r) => {
        const key = `aurora-cluster-${r}`;
        const endpoint = observed.planning ? undefined : observed.field(key, 'status.atProvider.endpoint');
        const reader = observed.planning ? undefined : observed.field(key, 'status.atProvider.readerEndpoint');
        const arn = observed.planning ? undefined : observed.field(key, 'status.atProvider.arn');
        return [
          r,
          {
            ...(endpoint ? { endpoint } : {}),
            ...(reader ? { readerEndpoint: reader } : {}),
            ...(arn ? { arn } : {}),
            identifier: clusterId(ctx, r),
          },
        ];
      }),
    ),
  };
}

const COMPOSERS: Record<string, Composer> = {
  XDisasterRecovery: (xr, observed) => {
    const spec = parseSpec<DisasterRecoverySpec>(COMPOSITE_KINDS[0]!.spec, xr.spec);
    const ctx = new ComposeContext(estateOf(xr, spec));
    return { ctx, ...composeEstate(ctx, spec, observed) };
  },
  XDRNetwork: primitive<DRNetworkSpec>('XDRNetwork', (ctx, s) => ({
    resources: composeNetwork(ctx, s.network, s.databaseEngine),
  })),
  XGlobalDatabase: primitive<GlobalDatabaseSpec>('XGlobalDatabase', (ctx, s, o) => {
    const guard = switchoverGuard(ctx, o);
    return {
      resources: composeDatabase(ctx, s.database, o, guard.paused),
      status: databaseStatus(ctx, o, guard),
      events: guard.events,
    };
  }),
  XGlobalTable: primitive<GlobalTableSpec>('XGlobalTable', (ctx, s) => ({ resources: composeTable(ctx, s.table) })),
  XReplicatedBucket: primitive<ReplicatedBucketSpec>('XReplicatedBucket', (ctx, s, o) => composeBucket(ctx, s.bucket, o)),
  XRegionalService: primitive<RegionalServiceSpec>('XRegionalService', (ctx, s, o, opts) =>
    composeService(ctx, s, o, opts.artifacts, opts.today),
  ),
  XFailoverRouting: primitive<FailoverRoutingSpec>('XFailoverRouting', (ctx, s, o) => composeRouting(ctx, s, o)),
  XDRMonitoring: primitive<DRMonitoringSpec>('XDRMonitoring', (ctx, s, o, opts) => composeMonitoring(ctx, s, o, opts.artifacts)),
  XDRBackup: primitive<DRBackupSpec>('XDRBackup', (ctx, s, o) => composeBackup(ctx, s, o)),
  XFailoverController: primitive<FailoverControllerSpec>('XFailoverController', (ctx, s, o, opts, xr) =>
    composeFailover(ctx, s, o, uidOf(xr), opts.artifacts),
  ),
};

/**
 * The switchover guard of an XGlobalDatabase composite over its observed resources: whether its member clusters are
 * paused, and which stale replication sources keep them so. The function composes with it; `drctl unpause` reads it.
 */
export function databaseSwitchover(xr: Manifest, observed: ObservedView): SwitchoverGuard {
  const spec = parseSpec<GlobalDatabaseSpec>(COMPOSITE_KINDS.find((k) => k.kind === 'XGlobalDatabase')!.spec, xr.spec);
  return switchoverGuard(new ComposeContext(spec), observed);
}

export { type SwitchoverGuard, type StaleSource, clearCommand, memberKey, GLOBAL_KEY } from './switchover.js';

/** Composite kinds the function composes. */
export const COMPOSED_KINDS: readonly string[] = Object.keys(COMPOSERS);

/**
 * Composes one composite: its desired resources, status and events.
 * Throws ComposeInputError (with every offending field) when the spec is invalid or the kind unknown.
 */
export function composeComposite(xr: Manifest, observed: ObservedView, options: ComposeOptions = {}): ComposeResult {
  const composer = COMPOSERS[xr.kind];
  if (!composer)
    throw new ComposeInputError([`kind: ${xr.kind} is not a drplane composite (expected one of ${COMPOSED_KINDS.join(', ')})`]);
  const { ctx, resources: composed, events = [], status, connectionDetails } = composer(xr, observed, options);
  const resources = bindProviderConfig(ctx, composed);
  const regions = { ...regionReadiness(resources, observed, ctx.regions) } as Record<string, Record<string, unknown>>;
  for (const [r, extra] of Object.entries((status?.regions ?? {}) as Record<string, Record<string, unknown>>))
    regions[r] = { ...regions[r], ...extra };
  return {
    resources,
    events,
    status: { ...status, regions, resources: resources.length, primaryRegion: ctx.primary, activeRegion: ctx.active },
    ...(connectionDetails ? { connectionDetails } : {}),
  };
}
