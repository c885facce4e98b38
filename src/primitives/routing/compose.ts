/**
 * XFailoverRouting: Route 53 health checks of the service in every region and records in the
 * claim's existing hosted zone (spec.routing.zoneId). drplane never creates a hosted zone (seed 002:
 * a zone for a domain the estate does not own cannot be delegated, so nothing resolves).
 *
 * Policy (spec.routing.policy, default by region count as the claim schema documents):
 * - `failover` (default for two regions): two records with stable keys and set identifiers,
 *   `primary` (PRIMARY → the serving region) and `secondary` (SECONDARY → the estate primary, or the
 *   first secondary while the primary serves), each with its region's health check. A move updates
 *   both records in place: nothing is replaced.
 * - `latency` (default for three or more regions): one latency record per region with its health
 *   check; every healthy region serves.
 *
 * Health checks probe the service host directly (HTTPS, 443, SNI on, the claim's path): the Function
 * URL host, or the HTTP API host when the service has one. Records reach a health check through a
 * label selector with resolve policy Always, so a record follows its region when activeRegion moves.
 *
 * With a database, `writer.<recordName>` and `reader.<recordName>` are CNAMEs to the serving region's
 * Aurora cluster and reader endpoints. Only `writer.` takes writes: it names the cluster endpoint of the region whose
 * cluster writes (servingRegion below), never a secondary's, where Aurora refuses writes. `reader.` is read-only
 * wherever it points. The regional service writes nothing to Aurora (its transactions are in DynamoDB): its one use
 * of the database is `/health`'s reachability probe of its own region's reader endpoint (no login, no query), which a
 * secondary's reader endpoint serves as well as the writer's, so every region's service gets its own reader endpoint
 * (service compose: DRPLANE_DB_ENDPOINT). Gap: while the writer's region is not observed (the database composite not
 * reporting yet), `writer.` follows activeRegion, which during a git switchover still names a secondary until the
 * database reports; the global cluster's writer endpoint (GlobalCluster status.atProvider.endpoint), which always
 * names the writer, would close it and is not wired yet.
 *
 * The serving region (servingRegion) is the Aurora writer's region as AWS reports it (the estate passes
 * it from XGlobalDatabase's observed members), else activeRegion: after an automatic failover, which
 * leaves activeRegion in git unchanged, the names resolve to the new writer and stay there.
 *
 * The public name (spec.customDomain: the service has an HTTP API, the default with routing): the service records are
 * alias A and AAAA records to each region's API Gateway custom domain for recordName (public-name.ts: ACM certificate,
 * validation records, DomainName, APIMapping), and each region's health check probes `<region>.<recordName>`, a
 * second custom domain of the same API, so the name clients call is what is checked, region by region. Alias
 * records live at the zone apex too.
 *
 * Without an HTTP API (service.httpApi: false) the service records are CNAMEs to the Function URL hosts, which answer
 * 403 for the custom name (both route on the Host header): failover of the name works, clients cannot use it; policy
 * says so (routing.custom-domain), and no CNAME exists at the zone apex (routing.zone-apex).
 */
import {
  HealthCheck,
  Record as DnsRecord,
  RecordSpecForProviderHealthCheckIdSelectorPolicyResolve,
} from '../../../imports/route53.aws.upbound.io.js';
import type { FailoverRoutingSpec } from './schema.js';
import { arcArmed, arcReadiness, arcSharedCluster, routingControl } from '../../api/sections.js';
import { ARC, arcResources, gatedCheckOf, routingControlKey } from './arc.js';
import { LABEL, type ComposeContext } from '../../compose/context.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { readinessReports, readinessResources, readyCells, reportedReadiness } from './readiness.js';
import { ALIAS_TYPES, aliasRecord, aliasTarget, publicNameKeys, publicNameResources, regionalName } from './public-name.js';

/** Component label of the health checks. */
export const HEALTH_CHECK = 'health-check';

/** Composition key of the health check of a region. */
export const healthCheckKey = (region: string): string => `health-check-${region}`;

/** The routing policy in force: the claim's, else failover for two regions and latency for more. */
export const routingPolicy = (
  ctx: ComposeContext,
  spec: { readonly routing: { readonly policy?: 'failover' | 'latency' | undefined } },
): 'failover' | 'latency' => spec.routing.policy ?? (ctx.regions.length >= 3 ? 'latency' : 'failover');

/** The region SECONDARY points at: the estate primary, or the first secondary while the primary is active. */
export const standbyRegion = (ctx: ComposeContext, active: string = ctx.active): string =>
  active === ctx.primary ? ctx.secondaries[0]! : ctx.primary;

/**
 * The region the records send clients to: the Aurora writer as AWS reports it, when it is one of the estate's regions,
 * else activeRegion. An automatic failover (or one by hand) moves the writer without changing activeRegion in git;
 * following the writer keeps writer./reader. and the failover records on the database that takes writes, and keeps
 * Crossplane from putting back the records the orchestrator swapped. During a GitOps switchover the records move when
 * the writer does, never to a region that cannot write yet.
 */
export const servingRegion = (ctx: ComposeContext, spec: FailoverRoutingSpec): string =>
  spec.databaseWriterRegion !== undefined && ctx.regions.includes(spec.databaseWriterRegion)
    ? spec.databaseWriterRegion
    : ctx.active;

/** The public URL of the estate: its record name over HTTPS. */
export const publicUrl = (recordName: string): string => `https://${recordName}/`;

function healthCheck(ctx: ComposeContext, spec: FailoverRoutingSpec, region: string, host: string): DesiredResource {
  const hc = spec.routing.healthCheck;
  return {
    key: healthCheckKey(region),
    manifest: HealthCheck.manifest({
      metadata: ctx.metadata(HEALTH_CHECK, region),
      spec: {
        forProvider: {
          type: 'HTTPS',
          fqdn: host,
          port: 443,
          enableSni: true,
          resourcePath: hc.path,
          requestInterval: hc.intervalSeconds,
          failureThreshold: hc.failureThreshold,
          tags: ctx.tags({ Name: ctx.namer.name('generic', 'health', region) }),
        },
      },
    }),
  };
}

/**
 * The health check a service record of a region uses: the endpoint check, or with ARC once armed (routing.arc.armed)
 * the gated (calculated) check. Unarmed, the controls may still be Off, which would make every gated check unhealthy,
 * and Route 53 serves every record of a group whose checks are all unhealthy: the endpoint checks would stop mattering.
 */
const healthCheckOf = (ctx: ComposeContext, spec: FailoverRoutingSpec, region: string) =>
  arcArmed(spec.routing)
    ? gatedCheckOf(ctx, region)
    : {
        ...own(ctx, HEALTH_CHECK, region),
        // Re-resolve on every reconcile: when activeRegion moves, the PRIMARY record's selector names another region.
        policy: { resolve: RecordSpecForProviderHealthCheckIdSelectorPolicyResolve.ALWAYS },
      };

type RoutingPolicy = { failoverRoutingPolicy: { type: string } } | { latencyRoutingPolicy: { region: string } };

function serviceRecord(
  ctx: ComposeContext,
  spec: FailoverRoutingSpec,
  key: string,
  setIdentifier: string,
  region: string,
  host: string,
  policy: RoutingPolicy,
): DesiredResource {
  return {
    key,
    manifest: DnsRecord.manifest({
      metadata: ctx.metadata('service-record', undefined),
      spec: {
        forProvider: {
          zoneId: spec.routing.zoneId!,
          name: spec.routing.recordName,
          type: 'CNAME',
          ttl: spec.routing.ttlSeconds,
          setIdentifier,
          records: [host],
          healthCheckIdSelector: healthCheckOf(ctx, spec, region),
          ...policy,
        },
      },
    }),
  };
}

function databaseRecord(
  ctx: ComposeContext,
  spec: FailoverRoutingSpec,
  which: 'writer' | 'reader',
  endpoint: string,
): DesiredResource {
  return {
    key: `record-db-${which}`,
    manifest: DnsRecord.manifest({
      metadata: ctx.metadata(`database-${which}-record`, undefined),
      spec: {
        forProvider: {
          zoneId: spec.routing.zoneId!,
          name: `${which}.${spec.routing.recordName}`,
          type: 'CNAME',
          ttl: spec.routing.ttlSeconds,
          records: [endpoint],
        },
      },
    }),
  };
}

/** The key of a service record of a type: the A record keeps the key the CNAME had, so an estate moves in place. */
const typedKey = (key: string, type: 'A' | 'AAAA'): string => (type === 'A' ? key : `${key}-aaaa`);

/**
 * The service behind the public name: per region the public-name resources and a health check of the regional name
 * (once its alias record is Ready: a check of a name that does not resolve yet would count the region down), and the
 * failover or latency alias records to the regional custom domains of recordName.
 */
function customDomainRouting(ctx: ComposeContext, spec: FailoverRoutingSpec, observed: ObservedView): DesiredResource[] {
  const resources: DesiredResource[] = [];
  const record = spec.routing.recordName;
  for (const region of ctx.regions) {
    resources.push(...publicNameResources(ctx, spec, region, observed));
    if (observed.ready(publicNameKeys(region).regionalRecord('A')) || observed.exists(healthCheckKey(region))) {
      resources.push(healthCheck(ctx, spec, region, regionalName(region, record)));
    }
  }
  // While a domain's status is lost, the target a service record of its region was composed with.
  const recordKeys = [...serviceRecordKeys(ctx, spec), 'record-primary', 'record-secondary'];
  const composedTo = (region: string) =>
    recordKeys.filter(
      (k) =>
        observed.read(k, ['spec', 'forProvider', 'latencyRoutingPolicy', 'region']) === region ||
        observed.read(k, ['spec', 'forProvider', 'healthCheckIdSelector', 'matchLabels', LABEL.region]) === region,
    );
  const target = (region: string) => aliasTarget(observed, publicNameKeys(region).domain, composedTo(region));
  const records = (key: string, setIdentifier: string, region: string, policy: RoutingPolicy): DesiredResource[] => {
    const t = target(region);
    if (!t) return [];
    return ALIAS_TYPES.map((type) =>
      aliasRecord(ctx, spec, typedKey(key, type), 'service-record', record, type, t, {
        setIdentifier,
        healthCheckIdSelector: healthCheckOf(ctx, spec, region),
        ...policy,
      }),
    );
  };
  if (routingPolicy(ctx, spec) === 'failover') {
    const serving = servingRegion(ctx, spec);
    const standby = standbyRegion(ctx, serving);
    if (target(serving) && target(standby)) {
      resources.push(
        ...records('record-primary', 'primary', serving, { failoverRoutingPolicy: { type: 'PRIMARY' } }),
        ...records('record-secondary', 'secondary', standby, { failoverRoutingPolicy: { type: 'SECONDARY' } }),
      );
    }
  } else {
    for (const region of ctx.regions) {
      resources.push(...records(`record-${region}`, region, region, { latencyRoutingPolicy: { region } }));
    }
  }
  return resources;
}

/**
 * The ARC cluster's regional endpoints as it reports them (status.atProvider.clusterEndpoints), as JSON
 * [{endpoint, region}] for the failover orchestrator; undefined until the cluster reports any.
 */
function clusterEndpoints(observed: ObservedView): string | undefined {
  const reported = observed.read(ARC.cluster, 'status.atProvider.clusterEndpoints');
  if (!Array.isArray(reported)) return undefined;
  const endpoints = reported.flatMap((e: unknown) => {
    const { endpoint, region } = (e ?? {}) as { endpoint?: unknown; region?: unknown };
    return typeof endpoint === 'string' && typeof region === 'string' && endpoint !== '' && region !== ''
      ? [{ endpoint, region }]
      : [];
  });
  return endpoints.length === 0 ? undefined : JSON.stringify(endpoints);
}

/** Keys of the service records (A) a policy composes: one of them Ready means the public name answers. */
const serviceRecordKeys = (ctx: ComposeContext, spec: FailoverRoutingSpec): string[] =>
  routingPolicy(ctx, spec) === 'failover' ? ['record-primary', 'record-secondary'] : ctx.regions.map((r) => `record-${r}`);

/**
 * Every resource of an XFailoverRouting and its status. What the claim alone makes wrong (no zoneId, no HTTP API for the
 * public name, a CNAME at the zone apex) is reported by policy (routing.zone-required, routing.custom-domain,
 * routing.zone-apex), on the claim and as events of the estate. Each region's reported ARC readiness
 * (routing.arc.readiness with monitoring) goes into the status with the time it turns stale, UNKNOWN with a reason
 * without a usable report; the function's clock (`today`) only refuses a report dated in the future
 * (reportedReadiness), so the same inputs render the same status for any report it accepts.
 */
export function composeRouting(ctx: ComposeContext, spec: FailoverRoutingSpec, observed: ObservedView, today?: Date) {
  const resources: DesiredResource[] = [];
  // The claim's XRD requires a zoneId with routing: without one there is nothing to compose.
  if (spec.routing.zoneId === undefined) return { resources, status: {} };
  const hosts = spec.serviceEndpoints;
  if (spec.service && spec.customDomain) {
    resources.push(...customDomainRouting(ctx, spec, observed));
  } else if (spec.service) {
    for (const region of ctx.regions) {
      const host = hosts[region];
      if (host !== undefined) resources.push(healthCheck(ctx, spec, region, host));
    }
    // At the zone apex no CNAME can exist: no service record there.
    const apex = spec.routing.recordName === spec.routing.zoneName;
    if (!apex && routingPolicy(ctx, spec) === 'failover') {
      const serving = servingRegion(ctx, spec);
      const standby = standbyRegion(ctx, serving);
      const [activeHost, standbyHost] = [hosts[serving], hosts[standby]];
      if (activeHost !== undefined && standbyHost !== undefined) {
        resources.push(
          serviceRecord(ctx, spec, 'record-primary', 'primary', serving, activeHost, {
            failoverRoutingPolicy: { type: 'PRIMARY' },
          }),
          serviceRecord(ctx, spec, 'record-secondary', 'secondary', standby, standbyHost, {
            failoverRoutingPolicy: { type: 'SECONDARY' },
          }),
        );
      }
    } else if (!apex) {
      for (const region of ctx.regions) {
        const host = hosts[region];
        if (host !== undefined)
          resources.push(
            serviceRecord(ctx, spec, `record-${region}`, region, region, host, { latencyRoutingPolicy: { region } }),
          );
      }
    }
  }
  // routing.control arc: the cluster (unless shared), panel, controls and safety rules, and the checks that gate the records;
  // readiness checks only when the claim asks for them (routing.arc.readiness: AWS no longer offers them to new customers).
  if (spec.service && routingControl(spec.routing) === 'arc')
    resources.push(
      ...arcResources(ctx, observed, healthCheckKey, arcSharedCluster(spec.routing)),
      ...(arcReadiness(spec.routing)
        ? readinessResources(ctx, observed, {
            database: spec.database,
            tables: spec.tables,
            healthCheckKey,
            sharedCluster: arcSharedCluster(spec.routing) !== undefined,
          })
        : []),
      ...(arcReadiness(spec.routing) && spec.readinessReports ? readinessReports(ctx) : []),
    );
  if (spec.database) {
    const serving = servingRegion(ctx, spec);
    const writer = spec.databaseWriterEndpoints[serving];
    const reader = spec.databaseReaderEndpoints[serving];
    if (writer !== undefined) resources.push(databaseRecord(ctx, spec, 'writer', writer));
    if (reader !== undefined) resources.push(databaseRecord(ctx, spec, 'reader', reader));
  }
  const arc = spec.service && routingControl(spec.routing) === 'arc' && !observed.planning;
  const cells = arc && arcReadiness(spec.routing) ? readyCells(ctx, observed) : {};
  const reported = arc && arcReadiness(spec.routing) && spec.readinessReports ? reportedReadiness(ctx, observed, today) : {};
  const regions = Object.fromEntries(
    ctx.regions.map((r) => {
      const id = observed.planning ? undefined : observed.field(healthCheckKey(r), 'status.atProvider.id');
      const control = arc ? observed.field(routingControlKey(r), 'status.atProvider.arn') : undefined;
      const cell = cells[r];
      const readiness = reported[r];
      return [
        r,
        {
          ...(id ? { healthCheckId: id } : {}),
          ...(control ? { routingControlArn: control } : {}),
          ...(cell ? { readinessCell: cell } : {}),
          ...(readiness ? { readiness } : {}),
        },
      ];
    }),
  );
  const answers =
    spec.service && spec.customDomain && !observed.planning && serviceRecordKeys(ctx, spec).some((k) => observed.ready(k));
  const arcEndpoints = arc ? clusterEndpoints(observed) : undefined;
  return {
    resources,
    status: {
      regions,
      ...(answers ? { publicUrl: publicUrl(spec.routing.recordName) } : {}),
      ...(arcEndpoints ? { arcEndpoints } : {}),
    },
  };
}
