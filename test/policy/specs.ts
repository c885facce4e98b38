/** Hand-built claim specs for rule tests: a valid full estate, changed one field at a time. */
import { type DisasterRecoverySpec, type DisasterRecoverySpecInput, DisasterRecoverySpecSchema } from '../../src/api/claim.js';
import type { PolicyRule, Problem } from '../../src/policy/types.js';
import { policyContext } from '../../src/policy/types.js';

/** The day every rule test runs on, so support-date rules give the same answer every day. */
export const TODAY = new Date('2026-11-23T00:00:00Z');

/** A valid two-region estate with every section; no rule reports anything on it. */
export const FULL: DisasterRecoverySpecInput = {
  environment: 'prod',
  profile: 'production',
  regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
  // 60 min: a manual failover (people decide, then git) takes up to 48 min (src/estimate/objectives, worst case).
  objectives: { rpoSeconds: 900, rtoMinutes: 60 },
  tags: { CostCenter: 'Operations' },
  network: {
    cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' },
    endpoints: ['dynamodb', 's3', 'secretsmanager', 'sns', 'logs', 'monitoring'],
  },
  database: { engine: 'aurora-postgresql', engineVersion: '16.13', instanceClass: 'db.r6g.large', databaseName: 'app' },
  tables: [{ name: 'items', hashKey: { name: 'id', type: 'S' } }],
  buckets: [{ name: 'docs', replicationTimeControl: true }],
  service: { functionUrl: true, httpApi: true },
  routing: { zoneName: 'example.com', zoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com' },
  monitoring: { alertEmails: ['oncall@example.com'], replicationLagThresholdSeconds: 30 },
  backup: { retentionDays: 35 },
  failover: { mode: 'manual' },
};

/** A spec parsed (defaults applied) from FULL with some top-level fields replaced or removed (undefined). */
export function spec(changes: Partial<Record<keyof DisasterRecoverySpecInput, unknown>> = {}): DisasterRecoverySpec {
  const input: Record<string, unknown> = { ...FULL, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete input[key];
  return DisasterRecoverySpecSchema.parse(input);
}

/** The problems one rule finds in a spec, on TODAY, for a claim named `name`. */
export function check(rule: PolicyRule, s: DisasterRecoverySpec, options: { today?: Date; name?: string } = {}): Problem[] {
  return rule.check(
    s,
    policyContext({ today: options.today ?? TODAY, claim: { name: options.name ?? 'app', namespace: 'team' } }),
  );
}
