/**
 * Route 53 (global): health checks and DNS queries. The hosted zone already exists (the claim
 * names it), so it is not priced here.
 *
 * Source: the plan's HealthChecks (type, interval, latency measurement); a plan without them bills none.
 * Queries: every caching resolver re-asks once per TTL, never more often than clients call; none billed when the service
 * records are alias records to API Gateway (Route 53 does not charge alias queries to AWS resources).
 * routing.control arc: the ARC cluster by the hour (from the plan's Cluster) where the estate creates it
 * (a shared cluster, routing.arc.clusterArn, is billed where it was created), and the checks with no endpoint it adds
 * (a RECOVERY_CONTROL and a CALCULATED check per region) on their own line, and its ARC readiness checks by the hour
 * (one per resource set), all at unconfirmed list prices the estimate notes.
 */
import { secondsPerMonth } from '../../estimate/assumptions.js';
import { externalNameOf, forProvider, GROUPS, labelsOf, observedOnly } from '../../estimate/inventory.js';
import { line, type PlacedLine } from '../../estimate/lines.js';
import { type CostContext, routingPolicy } from '../../estimate/cost/context.js';

const COMPONENT = 'Route 53';
const MILLION = 1_000_000;

/** The billed shape of one health check. */
interface HealthCheck {
  /** A calculated or routing-control check: it probes nothing, so it has no endpoint type and no features. */
  readonly noEndpoint: boolean;
  readonly https: boolean;
  readonly fast: boolean;
  readonly latency: boolean;
  readonly stringMatch: boolean;
}

/** Health-check types that probe no endpoint. */
const NO_ENDPOINT = new Set(['CALCULATED', 'RECOVERY_CONTROL']);

function fromPlan(ctx: CostContext): HealthCheck[] {
  return ctx.inventory.find({ group: GROUPS.route53, kind: 'HealthCheck' }).map((r) => {
    const fp = forProvider(r);
    const type = String(fp.type ?? '');
    return {
      noEndpoint: NO_ENDPOINT.has(type),
      https: type.startsWith('HTTPS'),
      fast: Number(fp.requestInterval) === 10,
      latency: fp.measureLatency === true,
      stringMatch: type.endsWith('STR_MATCH'),
    };
  });
}

/** Optional features billed per health check: HTTPS, fast interval, latency measurement, string matching. */
const features = (h: HealthCheck): string[] =>
  [h.https ? 'HTTPS' : '', h.fast ? 'fast interval' : '', h.latency ? 'latency' : '', h.stringMatch ? 'string match' : ''].filter(
    Boolean,
  );

function healthCheckLines(ctx: CostContext): PlacedLine[] {
  const all = fromPlan(ctx);
  const checks = all.filter((h) => !h.noEndpoint);
  const gates = all.length - checks.length;
  const aws = ctx.assumptions.routing.endpointType === 'aws';
  const kinds = [...new Set(checks.flatMap(features))];
  const optionCount = checks.reduce((n, h) => n + features(h).length, 0);
  const base = { component: COMPONENT, region: 'global', basis: 'plan' as const };
  const free = aws ? Math.min(ctx.assumptions.routing.freeAwsHealthChecks, checks.length) : 0;
  return [
    line({
      ...base,
      item: `health checks (${aws ? 'AWS' : 'non-AWS'} endpoints${free > 0 ? `, ${checks.length} less ${free} of the account's 50 free` : ''})`,
      quantity: checks.length - free,
      priceId: aws ? 'healthCheckAws' : 'healthCheckNonAws',
    }),
    ...(gates > 0
      ? [
          line({
            ...base,
            item: 'health checks without an endpoint (ARC routing control, calculated)',
            quantity: gates,
            priceId: 'healthCheckNoEndpoint',
          }),
        ]
      : []),
    ...(optionCount > 0
      ? [
          line({
            ...base,
            item: `health-check optional features (${kinds.join(', ')})`,
            quantity: optionCount,
            priceId: aws ? 'healthCheckOptionAws' : 'healthCheckOptionNonAws',
          }),
        ]
      : []),
  ];
}

/**
 * The TTL resolvers cache the estate's names for: the planned records' `ttl` (the service records when they are
 * CNAMEs, the database records otherwise: both carry routing.ttlSeconds). Alias records (the HTTP API's) have no TTL
 * in the plan; with no planned TTL at all the claim's routing.ttlSeconds is the only home of the value.
 */
function plannedTtl(ctx: CostContext): { ttl: number; basis: 'plan' | 'spec' } {
  const records = ctx.inventory.find({ group: GROUPS.route53, kind: 'Record' });
  const ttlOf = (component: string) =>
    records
      .filter((r) => labelsOf(r)['drplane.io/component'] === component)
      .map((r) => forProvider(r).ttl)
      .find((t): t is number => typeof t === 'number');
  const planned = ttlOf('service-record') ?? ttlOf('database-writer-record') ?? ttlOf('database-reader-record');
  return planned === undefined ? { ttl: ctx.spec.routing!.ttlSeconds, basis: 'spec' } : { ttl: planned, basis: 'plan' };
}

/** DNS queries per month: resolvers × (seconds per month / TTL), capped at the client requests. */
export function dnsQueriesPerMonth(ctx: CostContext): number {
  const ttl = Math.max(plannedTtl(ctx).ttl, 1);
  const byResolvers = (ctx.assumptions.routing.resolvers * secondsPerMonth(ctx.assumptions)) / ttl;
  return Math.min(byResolvers, ctx.assumptions.service.requestsPerMonth);
}

/**
 * Where the public name's service records are alias records (to the regional API Gateway custom domains), Route 53
 * does not bill their queries: "Route 53 doesn't charge for alias queries to API Gateway APIs or other AWS
 * resources" (Route 53 Developer Guide, "Routing traffic to an Amazon API Gateway API by using your domain name",
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html). True when the plan has service records and every one is an alias record.
 */
function serviceRecordsAreAliases(ctx: CostContext): boolean {
  const records = ctx.inventory
    .find({ group: GROUPS.route53, kind: 'Record' })
    .filter((r) => labelsOf(r)['drplane.io/component'] === 'service-record');
  return records.length > 0 && records.every((r) => forProvider(r).alias !== undefined);
}

function queryLines(ctx: CostContext): PlacedLine[] {
  const latency = routingPolicy(ctx.spec) === 'latency';
  const priceId = latency ? 'dnsQueriesLatency' : 'dnsQueriesStandard';
  const kind = latency ? 'latency' : 'failover';
  if (serviceRecordsAreAliases(ctx)) {
    // Alias records take the target's TTL, not routing.ttlSeconds: no TTL is named, and no query is billed.
    return [
      line({
        component: COMPONENT,
        region: 'global',
        basis: 'plan',
        item: `DNS queries, ${kind} alias records to API Gateway: not billed (Route 53 Developer Guide, routing-to-api-gateway)`,
        quantity: 0,
        priceId,
      }),
    ];
  }
  const { ttl, basis } = plannedTtl(ctx);
  const item = `DNS queries, ${kind} records (TTL ${ttl} s)`;
  const quantity = dnsQueriesPerMonth(ctx) / MILLION;
  return [line({ component: COMPONENT, region: 'global', basis, item, quantity, priceId })];
}

/**
 * The public name's regional pieces, listed at $0 so the estimate shows them: ACM public certificates and the API
 * Gateway custom domains of HTTP APIs carry no charge of their own (the requests are billed as HTTP API requests).
 * Source: the plan's Certificates and DomainNames per region.
 */
function publicNameLines(ctx: CostContext): PlacedLine[] {
  return ctx.regions.flatMap((region) => {
    const certificates = ctx.inventory.find({ group: GROUPS.acm, kind: 'Certificate', region }).length;
    const domains = ctx.inventory.find({ group: GROUPS.apigatewayv2, kind: 'DomainName', region }).length;
    const base = { component: 'Public name', region, basis: 'plan' as const };
    return [
      ...(certificates > 0
        ? [
            line({
              ...base,
              item: 'ACM public certificates (no charge)',
              quantity: certificates,
              priceId: 'acmPublicCertificate',
            }),
          ]
        : []),
      ...(domains > 0
        ? [line({ ...base, item: 'API Gateway custom domains (no charge)', quantity: domains, priceId: 'apiCustomDomain' })]
        : []),
    ];
  });
}

/**
 * The ARC cluster, by the hour, where the estate creates it: the plan's Clusters that it does not only observe. An estate
 * on a shared cluster (routing.arc.clusterArn: the plan holds an observed-only view of it) gets a $0 line that says so:
 * the cluster is billed to the estate or account that created it, once however many share it.
 */
function arcLines(ctx: CostContext): PlacedLine[] {
  const planned = ctx.inventory.find({ group: GROUPS.route53recoverycontrolconfig, kind: 'Cluster' });
  // A shared cluster is only observed (managementPolicies Observe): not created here, not billed here. Its view names
  // the cluster by its ARN, the kind's external name (routing/arc.ts sharedClusterView).
  const clusters = planned.filter((r) => !observedOnly(r)).length;
  const shared = planned.filter(observedOnly).map(externalNameOf)[0];
  const base = { component: 'Route 53 ARC', region: 'global', priceId: 'arcCluster' as const };
  if (clusters > 0) {
    return [
      line({
        ...base,
        basis: 'plan',
        item: `routing control cluster, created by this estate (${clusters} × ${ctx.assumptions.hoursPerMonth} h; data plane in five regions; other estates that share it through routing.arc.clusterArn add nothing)`,
        quantity: clusters * ctx.assumptions.hoursPerMonth,
      }),
    ];
  }
  if (shared === undefined) return [];
  return [
    line({
      ...base,
      basis: 'plan',
      item: `routing control cluster, shared (routing.arc.clusterArn ${shared}): billed where it was created, not here`,
      quantity: 0,
    }),
  ];
}

/**
 * ARC readiness checks by the hour: the plan's ReadinessChecks (routing/readiness.ts). A recovery group, its
 * cells and resource sets are not billed of their own (taken as included: the price row says what would confirm it).
 */
function readinessLines(ctx: CostContext): PlacedLine[] {
  const checks = ctx.inventory.find({ group: GROUPS.route53recoveryreadiness, kind: 'ReadinessCheck' }).length;
  if (checks === 0) return [];
  return [
    line({
      component: 'Route 53 ARC',
      region: 'global',
      basis: 'plan',
      item: `readiness checks, one per resource set compared across the regions' cells (${checks} × ${ctx.assumptions.hoursPerMonth} h)`,
      quantity: checks * ctx.assumptions.hoursPerMonth,
      priceId: 'arcReadinessCheck',
    }),
  ];
}

/** Every Route 53 line, the ARC cluster's and readiness checks', and the public name's (empty without a routing section). */
export function routingLines(ctx: CostContext): PlacedLine[] {
  if (!ctx.spec.routing) return [];
  return [...healthCheckLines(ctx), ...queryLines(ctx), ...arcLines(ctx), ...readinessLines(ctx), ...publicNameLines(ctx)];
}
