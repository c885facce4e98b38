/**
 * Generated DisasterRecovery claims (fast-check): names, namespaces, environments, profiles, one to three
 * regions, and any mix of the sections, each drawn from the values the schema and policy accept (regions
 * from a list with distinct CIDRs, sections combined as policy requires). A claim
 * that `drctl validate` still refuses is left out by the caller (see `validClaims`).
 */
import fc from 'fast-check';
import { validateClaim } from '../../src/policy/validate.js';
import type { DisasterRecoveryClaim } from '../../src/api/claim.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-east-2'] as const;
const ENGINES = [
  { engine: 'aurora-postgresql', engineVersion: '16.8', databaseName: 'app' },
  { engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.10.0', databaseName: 'app' },
] as const;
const ENDPOINTS = ['dynamodb', 's3', 'secretsmanager', 'sns', 'logs', 'monitoring', 'sts'] as const;

const dnsLabel = (max: number) =>
  fc.stringMatching(new RegExp(`^[a-z][a-z0-9]{0,${max - 2}}[a-z0-9]$`)).filter((s) => s.length <= max);

/** A claim document as a user would write it (before defaults). */
export const claimDocument = fc
  .record({
    name: dnsLabel(12),
    namespace: dnsLabel(16),
    environment: fc.constantFrom('prod', 'dev', 'qa', 'stg', 'dr'),
    profile: fc.constantFrom('production', 'test'),
    regions: fc.uniqueArray(fc.constantFrom(...REGIONS), { minLength: 2, maxLength: 3 }),
    database: fc.option(fc.record({ db: fc.constantFrom(...ENGINES), instances: fc.integer({ min: 1, max: 3 }) }), {
      nil: undefined,
    }),
    tables: fc.uniqueArray(fc.constantFrom('items', 'orders', 'sessions'), { maxLength: 2 }),
    buckets: fc.uniqueArray(fc.constantFrom('docs', 'invoices', 'media'), { maxLength: 2 }),
    service: fc.option(
      fc.record({ functionUrl: fc.boolean(), httpApi: fc.boolean(), authType: fc.constantFrom('AWS_IAM', 'NONE') }),
      {
        nil: undefined,
      },
    ),
    routing: fc.boolean(),
    monitoring: fc.option(fc.record({ dashboard: fc.boolean() }), { nil: undefined }),
    backup: fc.option(fc.record({ copyToSecondary: fc.boolean() }), { nil: undefined }),
    failover: fc.option(fc.constantFrom('manual', 'automatic'), { nil: undefined }),
    endpoints: fc.subarray([...ENDPOINTS]),
  })
  .map((c) => {
    // What policy asks of a mix: routing health-checks the service (a URL or API reachable without signing),
    // automatic failover starts from the monitoring alarm, a VPC service reaches AWS through endpoints.
    if (c.routing) c.service = { functionUrl: true, httpApi: c.service?.httpApi ?? false, authType: 'NONE' };
    if (c.failover === 'automatic') c.monitoring ??= { dashboard: false };
    const endpoints = c.service ? [...ENDPOINTS] : c.endpoints;
    const [primary, ...secondaries] = c.regions as [string, ...string[]];
    const cidrs = Object.fromEntries(c.regions.map((r) => [r, `10.${REGIONS.indexOf(r as (typeof REGIONS)[number])}.0.0/16`]));
    return {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: c.name, namespace: c.namespace },
      spec: {
        environment: c.environment,
        profile: c.profile,
        regions: { primary, secondaries },
        objectives: { rpoSeconds: 900, rtoMinutes: 120 },
        network: { cidrs, endpoints },
        ...(c.database ? { database: { ...c.database.db, instances: c.database.instances } } : {}),
        ...(c.tables.length ? { tables: c.tables.map((name) => ({ name, hashKey: { name: 'id', type: 'S' } })) } : {}),
        ...(c.buckets.length ? { buckets: c.buckets.map((name) => ({ name })) } : {}),
        ...(c.service ? { service: c.service } : {}),
        ...(c.routing
          ? { routing: { zoneName: 'example.com', zoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com' } }
          : {}),
        ...(c.monitoring ? { monitoring: { alertEmails: ['oncall@example.com'], ...c.monitoring } } : {}),
        ...(c.backup ? { backup: c.backup } : {}),
        ...(c.failover ? { failover: { mode: c.failover } } : {}),
      },
    };
  });

/** `count` generated claims that `drctl validate` accepts (no error), from a fixed seed; throws when too few are valid. */
export function validClaims(count: number, seed = 14): { claims: DisasterRecoveryClaim[]; refused: number } {
  const drawn = fc.sample(claimDocument, { numRuns: count * 2, seed });
  const claims: DisasterRecoveryClaim[] = [];
  let refused = 0;
  for (const doc of drawn) {
    if (claims.length === count) break;
    const { claim, problems } = validateClaim(doc);
    if (claim && !problems.some((p) => p.severity === 'error')) claims.push(claim);
    else refused++;
  }
  if (claims.length < count)
    throw new Error(`only ${claims.length} of ${drawn.length} generated claims are valid (wanted ${count})`);
  return { claims, refused };
}
