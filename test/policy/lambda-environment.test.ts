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
      expect(p.message).toContain('fewer or shorter tags in spec.tags');
    }
    // The same claim through drctl validate's path is refused.
    expect(validateClaim(claim).problems.some((p) => p.ruleId === 'lambda.environment-too-large')).toBe(true);
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
