/**
 * The regional service: Lambda requests and GB-seconds, and HTTP API requests.
 *
 * Source: the plan's Functions and Apis composed by XRegionalService (memory and architecture from the
 * manifest); a plan without them bills none. Traffic: client requests split by the routing policy
 * (ctx.shares) plus Route 53 health-check probes, which hit every health-checked region all month
 * (each probe invokes the function; through the HTTP API when there is one).
 */
import { secondsPerMonth } from '../../estimate/assumptions.js';
import { LABEL } from '../../compose/context.js';
import { forProvider, GROUPS, labelsOf } from '../../estimate/inventory.js';
import { type Basis, line, type PlacedLine } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';

const MILLION = 1_000_000;

/** The service as deployed in one region. */
interface RegionalService {
  readonly region: string;
  readonly memoryMb: number;
  readonly arm: boolean;
  readonly httpApi: boolean;
  readonly basis: Basis;
}

function fromPlan(ctx: CostContext): RegionalService[] {
  const apis = new Set(
    ctx.inventory.find({ group: GROUPS.apigatewayv2, kind: 'API', parentKind: 'XRegionalService' }).map((r) => r.region),
  );
  return ctx.inventory.find({ group: GROUPS.lambda, kind: 'Function', parentKind: 'XRegionalService' }).map((r) => {
    const fp = forProvider(r);
    const region = String(fp.region ?? r.region);
    const architectures = Array.isArray(fp.architectures) ? fp.architectures : [];
    return {
      region,
      // Lambda's default memory when a Function leaves it out (botocore lambda CreateFunction, MemorySize: default 128).
      memoryMb: Number(fp.memorySize ?? 128),
      arm: architectures.includes('arm64'),
      httpApi: apis.has(region),
      basis: 'plan',
    };
  });
}

/**
 * Health-check requests per month reaching one region's endpoint: from the interval of the plan's
 * HealthCheck labelled with that region (0 when the plan has none for it).
 */
export function probesPerMonth(ctx: CostContext, region: string): number {
  const interval = ctx.inventory
    .find({ group: GROUPS.route53, kind: 'HealthCheck' })
    .filter((h) => labelsOf(h)[LABEL.region] === region)
    .map((h) => Number(forProvider(h).requestInterval ?? 30))[0];
  if (interval === undefined) return 0;
  return (ctx.assumptions.routing.probesPerInterval * secondsPerMonth(ctx.assumptions)) / interval;
}

/** Requests per month the service takes in a region: its share of client requests plus health-check probes. */
export function serviceRequests(ctx: CostContext, region: string): number {
  return ctx.assumptions.service.requestsPerMonth * (ctx.shares[region] ?? 0) + probesPerMonth(ctx, region);
}

function regionLines(ctx: CostContext, s: RegionalService): PlacedLine[] {
  const probes = probesPerMonth(ctx, s.region);
  const requests = serviceRequests(ctx, s.region);
  const gbSeconds = requests * (ctx.assumptions.service.avgDurationMs / 1000) * (s.memoryMb / 1024);
  const base = { region: s.region, basis: s.basis };
  const what = probes > 0 ? 'client + health-check requests' : 'client requests';
  return [
    line({ ...base, component: 'Lambda', item: `service ${what}`, quantity: requests / MILLION, priceId: 'lambdaRequests' }),
    line({
      ...base,
      component: 'Lambda',
      item: `service compute (${s.memoryMb} MB, ${s.arm ? 'arm64' : 'x86_64'})`,
      quantity: gbSeconds,
      priceId: s.arm ? 'lambdaComputeArm' : 'lambdaComputeX86',
    }),
    ...(s.httpApi
      ? [
          line({
            ...base,
            component: 'API Gateway',
            item: `HTTP API ${what}`,
            quantity: requests / MILLION,
            priceId: 'httpApiRequests',
          }),
        ]
      : []),
  ];
}

/** Every service line. */
export function serviceLines(ctx: CostContext): PlacedLine[] {
  return fromPlan(ctx).flatMap((s) => regionLines(ctx, s));
}
