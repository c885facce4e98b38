/**
 * A Lambda function's environment variables may total at most 4 KB (AWS Lambda quotas). The lag monitor carries the
 * estate's tags with ARC readiness, so a claim with many long tags renders a function AWS refuses: policy says so.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type DisasterRecoveryClaim, DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { MAX_CLAIM_TAGS } from '../../src/api/fields.js';
import { planClaim } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { estatePlan } from '../../src/policy/estate-names.js';
import {
  environmentBytes,
  environmentVariables,
  functionName,
  LAMBDA_ENVIRONMENT_MAX_BYTES,
  lambdaEnvironmentSizeRule,
} from '../../src/policy/rules/lambda-environment.js';
import { policyContext } from '../../src/policy/types.js';
import { validateClaim } from '../../src/policy/validate.js';
import { repoPath } from '../support/paths.js';

const EXAMPLES = [
  'payments.yaml',
  'three-region.yaml',
  'seed-000-dr-operations.yaml',
  'seed-001-multi-region-pulumi.yaml',
  'seed-002-lambda-dr.yaml',
  'seed-003-cdk-dr.yaml',
  'seed-004-financial-transactions.yaml',
  'minimal.yaml',
  'kubernetes.yaml',
];

function example(file: string): DisasterRecoveryClaim {
  return DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', file), 'utf8')));
}

const check = (claim: DisasterRecoveryClaim) =>
  lambdaEnvironmentSizeRule.check(
    claim.spec,
    policyContext({ claim: { name: claim.metadata.name, namespace: claim.metadata.namespace } }),
  );

/** payments.yaml with ARC readiness (the lag monitor then carries the estate's tags) and the given tags. */
function withReadiness(tags: Record<string, string>): DisasterRecoveryClaim {
  const base = example('payments.yaml');
  return DisasterRecoveryClaimSchema.parse({
    ...base,
    spec: { ...base.spec, tags, routing: { ...base.spec.routing, control: 'arc', arc: { readiness: true } } },
  });
}

/** The most and longest tags the claim allows: keys of 128 and values of 256 characters. */
const LONG_TAGS = Object.fromEntries(
  Array.from({ length: MAX_CLAIM_TAGS }, (_, i) => [`k${String(i).padStart(3, '0')}`.padEnd(128, 'k'), 'v'.repeat(256)]),
);

const lagMonitors = (claim: DisasterRecoveryClaim) =>
  planClaim(claim).filter((p) => p.manifest.kind === 'Function' && p.key.includes('lag-monitor'));

describe('lambda.environment-too-large', () => {
  it('counts names plus values in UTF-8 bytes', () => {
    expect(environmentBytes({ AB: 'cd', É: 'é' })).toBe(2 + 2 + 2 + 2);
    expect(
      environmentVariables({
        apiVersion: 'x',
        kind: 'Function',
        spec: { forProvider: { environment: [{ variables: { A: 'b' } }] } },
      }),
    ).toEqual({ A: 'b' });
  });

  it('refuses a claim whose tags push the lag monitor past 4 KB, naming the function, its size and the biggest variable', () => {
    const claim = withReadiness(LONG_TAGS);
    const monitors = lagMonitors(claim);
    expect(monitors.length).toBeGreaterThan(0);
    const sizes = monitors.map((m) => environmentBytes(environmentVariables(m.manifest)));
    for (const size of sizes) expect(size).toBeGreaterThan(LAMBDA_ENVIRONMENT_MAX_BYTES);
    const problems = check(claim);
    expect(problems).toHaveLength(monitors.length);
    for (const [i, p] of problems.entries()) {
      const name = functionName(monitors[i]!.manifest);
      expect(name).toMatch(/lag-monitor/);
      expect(p.severity).toBe('error');
      expect(p.ruleId).toBe('lambda.environment-too-large');
      expect(p.message).toContain(`Lambda function ${name}`);
      expect(p.message).toContain(`${sizes[i]} bytes of environment variables`);
      expect(p.message).toMatch(/the biggest are DRPLANE_REPORT_TAGS \(\d+ bytes\)/);
      expect(p.message).toContain("DRPLANE_REPORT_TAGS: it carries the estate's tags");
      expect(p.message).toContain('fewer or shorter tags in spec.tags');
      expect(p.path, 'reported at the field to change').toBe('spec.tags');
    }
    // The same claim through drctl validate's path is refused.
    expect(validateClaim(claim).problems.some((p) => p.ruleId === 'lambda.environment-too-large')).toBe(true);
  });

  it('advises on the biggest variable: with many tables and buckets it is the stores the lag monitor watches, not the tags', () => {
    // three-region.yaml with 8 tables and 8 buckets (the claim allows 10 of each) and no readiness: the lag monitor of
    // each region lists every replication it watches in DRPLANE_STORES, over 5 KB; the estate's two tags are not in it.
    const base = example('three-region.yaml');
    const claim = DisasterRecoveryClaimSchema.parse({
      ...base,
      spec: {
        ...base.spec,
        tables: Array.from({ length: 8 }, (_, i) => ({ name: `table${i}`, hashKey: { name: 'id', type: 'S' } })),
        buckets: Array.from({ length: 8 }, (_, i) => ({ name: `bucket${i}` })),
      },
    });
    const monitors = lagMonitors(claim);
    const problems = check(claim);
    expect(problems).toHaveLength(monitors.length);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.message).toMatch(/the biggest are DRPLANE_STORES \(\d+ bytes\)/);
      expect(p.message).toContain('DRPLANE_STORES: it lists every replication the monitor watches');
      expect(p.message).toContain('use fewer tables or buckets (spec.tables, spec.buckets)');
      expect(p.message, 'no advice about tags that are not the problem').not.toContain('spec.tags');
      expect(p.path).toBe('spec.monitoring');
    }
  });

  it("sizes each claim's own environment: the RPO guard follows spec.objectives, though the plan is shared across objectives", () => {
    // three-region.yaml fails over automatically with a database: its orchestrators carry DRPLANE_RPO_GUARD_MS, which
    // spec.objectives sets (rpoSeconds - 60 s). Planned first with one RPO, then another, each claim's Lambdas are its own.
    const base = example('three-region.yaml');
    const withRpo = (rpoSeconds: number) =>
      DisasterRecoveryClaimSchema.parse({ ...base, spec: { ...base.spec, objectives: { ...base.spec.objectives, rpoSeconds } } });
    const identity = { name: base.metadata.name, namespace: base.metadata.namespace };
    const environments = (plan: readonly { key: string; region?: string; manifest: Manifest }[]) =>
      Object.fromEntries(
        plan.filter((p) => p.manifest.kind === 'Function').map((p) => [`${p.key} ${p.region}`, environmentVariables(p.manifest)]),
      );
    const guards: string[] = [];
    for (const rpoSeconds of [900, 86_400, 61, 900]) {
      const claim = withRpo(rpoSeconds);
      const own = environments(planClaim(claim));
      expect(environments(estatePlan(claim.spec, identity)), `rpoSeconds ${rpoSeconds}`).toEqual(own);
      guards.push(...Object.values(own).flatMap((v) => (v.DRPLANE_RPO_GUARD_MS ? [v.DRPLANE_RPO_GUARD_MS] : [])));
    }
    // The objectives do reach the environment (so the check above can fail): 840 s, 86,340 s and 1 s.
    expect(new Set(guards)).toEqual(new Set(['840000', '86340000', '1000']));
  });

  it('accepts the same claim with a few short tags', () => {
    const claim = withReadiness({ team: 'payments', costCenter: 'cc-1234' });
    expect(lagMonitors(claim).length).toBeGreaterThan(0);
    expect(check(claim)).toEqual([]);
  });

  it.each(EXAMPLES)('%s: every Lambda is within the limit', (file) => {
    const claim = example(file);
    const functions = planClaim(claim).filter((p) => p.manifest.kind === 'Function');
    for (const f of functions)
      expect(environmentBytes(environmentVariables(f.manifest))).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_MAX_BYTES);
    expect(check(claim)).toEqual([]);
  });
});
