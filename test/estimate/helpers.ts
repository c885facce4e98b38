/** Claims, plans and lookups shared by the estimate tests. */
import { DisasterRecoveryClaimSchema, type DisasterRecoverySpec } from '../../src/api/claim.js';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';
import type { CostEstimate } from '../../src/estimate/cost.js';
import type { CostLine } from '../../src/estimate/lines.js';

/** The smallest useful estate: one DynamoDB global table in two regions (examples/minimal.yaml). */
export const MINIMAL = {
  environment: 'dev',
  profile: 'test',
  regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
  objectives: { rpoSeconds: 60, rtoMinutes: 60 },
  tables: [{ name: 'items', hashKey: { name: 'id', type: 'S' } }],
};

/** The full three-region estate (the sections of examples/three-region.yaml). */
export const FULL = {
  environment: 'prod',
  profile: 'production',
  regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] },
  objectives: { rpoSeconds: 900, rtoMinutes: 30 },
  tags: { CostCenter: 'Commerce' },
  network: {
    cidrs: { 'us-east-1': '10.10.0.0/16', 'us-west-2': '10.11.0.0/16', 'eu-west-1': '10.12.0.0/16' },
    endpoints: ['dynamodb', 's3', 'secretsmanager', 'sns', 'logs', 'monitoring'],
    availabilityZones: 3,
  },
  database: {
    engine: 'aurora-mysql',
    engineVersion: '8.0.mysql_aurora.3.10.0',
    instanceClass: 'db.r7g.large',
    databaseName: 'orders',
    instances: 2,
    secondaryInstances: 1,
  },
  tables: [
    { name: 'orders', hashKey: { name: 'orderId', type: 'S' }, rangeKey: { name: 'createdAt', type: 'N' } },
    { name: 'sessions', hashKey: { name: 'sessionId', type: 'S' }, ttlAttribute: 'expiresAt' },
  ],
  buckets: [{ name: 'invoices' }],
  service: {
    runtime: 'nodejs22.x',
    memoryMb: 512,
    reservedConcurrency: 20,
    functionUrl: true,
    authType: 'AWS_IAM',
    httpApi: true,
  },
  routing: {
    zoneName: 'shop.example.org',
    zoneId: 'Z0ABCDEF123456789XYZ',
    recordName: 'api.shop.example.org',
    healthCheck: { intervalSeconds: 10, failureThreshold: 3 },
    ttlSeconds: 30,
  },
  monitoring: { alertEmails: ['orders-oncall@example.org', 'sre@example.org'], replicationLagThresholdSeconds: 10 },
  backup: { schedule: 'cron(0 */6 * * ? *)', retentionDays: 35, copyToSecondary: true },
  failover: { mode: 'automatic' },
};

/** A claim from a spec written as a user would (defaults applied by the schema). */
export function claimOf(spec: object, name = 'orders') {
  return DisasterRecoveryClaimSchema.parse({
    apiVersion: 'drplane.io/v1alpha1',
    kind: 'DisasterRecovery',
    metadata: { name, namespace: 'team-orders' },
    spec,
  });
}

/** The parsed spec of a spec written as a user would. */
export const specOf = (spec: object): DisasterRecoverySpec => claimOf(spec).spec;

/**
 * The network and data primitives. Hand-computed estimates keep the plan to these, so their
 * figures do not move while the other primitives (service, routing, monitoring, backup, failover)
 * are still changing; those components then take the spec path, and a separate test checks them
 * against the real plan.
 */
export const CORE_PRIMITIVES = ['XDRNetwork', 'XGlobalDatabase', 'XGlobalTable', 'XReplicatedBucket'];

/**
 * The billed resources of the other primitives the hand-computed estimates price (the cost model reads only the plan):
 * the service's Functions and HTTP APIs, the health checks, the lag monitors' Functions and schedules, the alarms and
 * dashboards, the backup plan with the vaults its copies go to and the region settings that allow DynamoDB copies,
 * with the composites they hang under. Their KMS keys, log groups and the rest stay out, so the KMS and log figures of
 * the core primitives do not move.
 */
export const PRICED_KINDS = [
  'XRegionalService',
  'XFailoverRouting',
  'XDRMonitoring',
  'XDRBackup',
  'Function',
  'API',
  'HealthCheck',
  'Rule',
  'MetricAlarm',
  'CompositeAlarm',
  'Dashboard',
  'Plan',
  'Vault',
  'RegionSettings',
];

/**
 * The plan of a spec restricted to the composites of some primitives and the resources they compose, plus the
 * resources of `kinds` (and composites of those kinds) wherever they are.
 */
export function planOf(
  spec: object,
  primitives: readonly string[] = CORE_PRIMITIVES,
  kinds: readonly string[] = PRICED_KINDS,
): PlannedResource[] {
  const plan = planClaim(claimOf(spec));
  const composites = new Map(
    plan.filter((r) => r.manifest.apiVersion.startsWith('drplane.io/')).map((r) => [`${r.parent}/${r.key}`, r.manifest.kind]),
  );
  return plan.filter((r) => {
    const own = composites.get(`${r.parent}/${r.key}`);
    const inPrimitive = own !== undefined ? primitives.includes(own) : primitives.includes(composites.get(r.parent) ?? '');
    return inPrimitive || kinds.includes(r.manifest.kind);
  });
}

/** The lines of a region (or 'global') whose component matches and whose item starts with a prefix. */
export function linesOf(e: CostEstimate, where: string, component: string, itemPrefix = ''): CostLine[] {
  const group = where === 'global' ? e.global : e.regions[where];
  return (group?.components ?? []).filter((l) => l.component === component && l.item.startsWith(itemPrefix));
}

/** The single line matching; fails the test when there is not exactly one. */
export function lineOf(e: CostEstimate, where: string, component: string, itemPrefix: string): CostLine {
  const found = linesOf(e, where, component, itemPrefix);
  if (found.length !== 1) throw new Error(`expected one ${component} "${itemPrefix}" line in ${where}, found ${found.length}`);
  return found[0]!;
}

/** Sum of some lines' monthlyUsd, in USD, computed in cents. */
export const usd = (lines: readonly CostLine[]): number => lines.reduce((c, l) => c + Math.round(l.monthlyUsd * 100), 0) / 100;

/** Subtotal of one component in one region. */
export const subtotal = (e: CostEstimate, where: string, component: string): number => usd(linesOf(e, where, component));
