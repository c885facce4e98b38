/**
 * XDisasterRecovery: fans the claim out into the nested primitive composites, each carrying the
 * estate context (owner, environment, profile, regions, activeRegion, tags, objectives, providerConfigRef) and the
 * section it owns. Keys are stable per section and per table/bucket name.
 *
 * Values that exist only after creation flow between primitives through this composer: it reads
 * the observed status of a nested composite (the service hosts of XRegionalService, the Aurora
 * endpoints and ARNs of XGlobalDatabase, the health check ids of XFailoverRouting, the alert topic
 * ARN of XDRMonitoring) and passes them into the spec of the primitive that needs them. A value,
 * once passed, stays: when a status is momentarily missing, the value is taken back from the
 * dependent's own observed spec, so a transient observation never removes what was built from it.
 * In a plan every such value is a visible placeholder.
 */
import { API_VERSION, type DisasterRecoverySpec } from '../api/claim.js';
import { eachPrimitive } from '../primitives/registry.js';
import { HEALTH_PATH } from '../primitives/service/compose.js';
import type { ComposeContext } from './context.js';
import { observedComposite } from './outputs.js';
import type { ComposeEvent, DesiredResource, ObservedView } from './types.js';

/** The fields every nested composite receives. */
function estateFields(ctx: ComposeContext, spec: DisasterRecoverySpec) {
  return {
    owner: ctx.estate.owner,
    environment: spec.environment,
    profile: spec.profile,
    regions: spec.regions,
    ...(spec.activeRegion ? { activeRegion: spec.activeRegion } : {}),
    tags: spec.tags ?? {},
    ...(spec.objectives ? { objectives: spec.objectives } : {}),
    ...(spec.providerConfigRef ? { providerConfigRef: spec.providerConfigRef } : {}),
  };
}

function nested(ctx: ComposeContext, key: string, kind: string, spec: object): DesiredResource {
  return { key, manifest: { apiVersion: API_VERSION, kind, metadata: ctx.metadata(key, undefined), spec } };
}

/** A map region → value with only the regions whose value is known. */
function perRegion(ctx: ComposeContext, value: (region: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of ctx.regions) {
    const v = value(r);
    if (v !== undefined) out[r] = v;
  }
  return out;
}

/** Values that cross primitives, each from its source's status, else from where it was passed before. */
export type CrossValues = ReturnType<typeof crossValues>;

function crossValues(ctx: ComposeContext, observed: ObservedView) {
  const service = observedComposite(observed, 'XRegionalService');
  const database = observedComposite(observed, 'XGlobalDatabase');
  const routing = observedComposite(observed, 'XFailoverRouting');
  const monitoring = observedComposite(observed, 'XDRMonitoring');
  const failover = observedComposite(observed, 'XFailoverController');
  const cluster = observedComposite(observed, 'XRegionalCluster');
  const hosts = perRegion(ctx, (r) => service.output(r, 'endpoint') ?? routing.passed('serviceEndpoints', r));
  return {
    hosts,
    writers: perRegion(ctx, (r) => database.output(r, 'endpoint') ?? routing.passed('databaseWriterEndpoints', r)),
    // The service's own spec is a fallback only while the database composite has reported no regions (never, or
    // its status momentarily empty): once it reports, a region without a reader has none, and a host kept from the
    // service's spec would outlive the cluster (the service's /health would probe a removed endpoint).
    readers: perRegion(
      ctx,
      (r) =>
        database.output(r, 'readerEndpoint') ??
        routing.passed('databaseReaderEndpoints', r) ??
        (database.published ? undefined : service.passed('databaseReaderEndpoints', r)),
    ),
    // Where the Aurora writer is (XGlobalDatabase observes it); the records and the EKS node groups follow it.
    // A plan shows the steady state: no observed writer, the records on activeRegion.
    writerRegion: observed.planning
      ? undefined
      : (database.composite('writerRegion') ??
        routing.passedText('databaseWriterRegion') ??
        monitoring.passedText('databaseWriterRegion') ??
        cluster.passedText('databaseWriterRegion')),
    clusterArns: perRegion(ctx, (r) => database.output(r, 'arn') ?? failover.passed('clusterArns', r)),
    healthCheckIds: perRegion(
      ctx,
      (r) => routing.output(r, 'healthCheckId') ?? monitoring.passed('healthCheckIds', r) ?? failover.passed('healthCheckIds', r),
    ),
    healthUrls: Object.fromEntries(Object.entries(hosts).map(([r, host]) => [r, `https://${host}${HEALTH_PATH}`])),
    topicArns: perRegion(ctx, (r) => monitoring.output(r, 'arn') ?? failover.passed('topicArns', r)),
    // Each node group's Auto Scaling group (XRegionalCluster observes it), for the node-health rules of XDRMonitoring;
    // kept from the monitoring spec when the cluster's status momentarily lacks it, so the rule is never dropped.
    nodeGroupAutoScalingGroups: perRegion(ctx, (r) => {
      const name = cluster.group(r, 'nodes')?.['autoScalingGroup'];
      return typeof name === 'string' && name !== '' ? name : monitoring.passed('nodeGroupAutoScalingGroups', r);
    }),
    // routing.control arc: each region's routing control and the cluster's endpoints, where the orchestrator flips them.
    arcControlArns: perRegion(ctx, (r) => routing.output(r, 'routingControlArn') ?? failover.passed('arcControlArns', r)),
    arcEndpoints: routing.composite('arcEndpoints') ?? failover.passedText('arcEndpoints'),
  };
}

/** What the primitives with a `status` hook report in the claim's status.regions.<region>, in the estate's order. */
function primitivesRegionStatus(observed: ObservedView, region: string): Record<string, unknown> {
  const parts = eachPrimitive((kind, p) => p.status?.claimRegion(observedComposite(observed, kind), region) ?? {});
  return Object.assign({}, ...parts) as Record<string, unknown>;
}

/**
 * The nested primitive composites of an estate, events that depend on what Crossplane observed, and the estate's
 * status. What the claim alone decides is policy's (src/compose/index.ts turns its problems into events).
 */
export function composeEstate(
  ctx: ComposeContext,
  spec: DisasterRecoverySpec,
  observed: ObservedView,
): { resources: DesiredResource[]; events: ComposeEvent[]; status: Record<string, unknown>; sections: Record<string, string> } {
  const base = estateFields(ctx, spec);
  const events: ComposeEvent[] = [];
  const x = crossValues(ctx, observed);
  const sections: Record<string, string> = {};
  const out = eachPrimitive((kind, primitive) =>
    primitive.nested(spec, x, ctx).map(({ name, section: field, spec: section, writeConnectionSecretToRef }) => {
      const key = name === undefined ? primitive.key : `${primitive.key}-${name}`;
      sections[key] = field;
      return nested(ctx, key, kind, {
        ...base,
        ...section,
        ...(writeConnectionSecretToRef ? { writeConnectionSecretToRef } : {}),
      });
    }),
  ).flat();
  const database = observedComposite(observed, 'XGlobalDatabase');
  const routing = observedComposite(observed, 'XFailoverRouting');
  const regions = observed.planning ? {} : Object.fromEntries(ctx.regions.map((r) => [r, primitivesRegionStatus(observed, r)]));
  const writerRegion = observed.planning ? undefined : database.composite('writerRegion');
  if (!observed.planning && database.flag('clustersPaused')) {
    // Waiting for the writer to move is normal; paused with the writer already in place needs a person (stale fields).
    const waiting = writerRegion !== ctx.active;
    events.push({
      severity: waiting ? 'Normal' : 'Warning',
      message:
        `the Aurora Cluster resources are paused around a switchover (writer in ${writerRegion ?? 'an unknown region'}, activeRegion ${ctx.active}); ` +
        `the events of the nested XGlobalDatabase say why${waiting ? '' : ' and what clears it'}`,
    });
  }
  const publicUrl = observed.planning ? undefined : routing.composite('publicUrl');
  return {
    resources: out,
    events,
    sections,
    status: {
      regions,
      ...(writerRegion ? { databaseWriterRegion: writerRegion } : {}),
      ...(publicUrl ? { publicUrl } : {}),
    },
  };
}
