/**
 * spec.providerConfigRef: one control plane, estates in several AWS accounts. Every AWS managed resource of the
 * estate names the claim's ProviderConfig; a claim without the field composes exactly what it did before (the
 * goldens show it); a ProviderConfig other than `default` is part of the estate id, so the same claim in two accounts
 * shares no globally unique name (S3 buckets).
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { API_VERSION, DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { EXTERNAL_NAME, isAwsManagedResource } from '../../src/compose/context.js';
import { planClaim } from '../../src/compose/plan.js';
import { estateNames } from '../../src/policy/estate-names.js';
import { validateText } from '../../src/policy/validate.js';
import { describeWithCrossplane, formatFailures, validateResources } from '../support/crossplane.js';
import { providerCrdsDir, repoPath } from '../support/paths.js';

const raw = () => parse(readFileSync(repoPath('examples', 'payments.yaml'), 'utf8')) as Record<string, any>;

/** The payments example, in `namespace`, with spec.providerConfigRef set to `name` (or unset). */
function claim(name?: string, namespace = 'team-payments'): DisasterRecoveryClaim {
  const doc = raw();
  return DisasterRecoveryClaimSchema.parse({
    ...doc,
    metadata: { ...doc.metadata, namespace },
    spec: { ...doc.spec, ...(name === undefined ? {} : { providerConfigRef: { name } }) },
  });
}

const manifests = (c: DisasterRecoveryClaim) => planClaim(c).map((p) => p.manifest);
const bucketNames = (c: DisasterRecoveryClaim) =>
  manifests(c)
    .filter((m) => m.kind === 'Bucket' && m.apiVersion.startsWith('s3.'))
    .map((m) => (m.metadata as { annotations: Record<string, string> }).annotations[EXTERNAL_NAME]);

describe('spec.providerConfigRef', () => {
  it('puts the ProviderConfig on every AWS managed resource and passes it to every nested composite', () => {
    const planned = manifests(claim('aws-222233334444'));
    const managed = planned.filter(isAwsManagedResource);
    expect(managed.length).toBeGreaterThan(100);
    for (const m of managed) expect((m.spec as any).providerConfigRef, `${m.kind}`).toEqual({ name: 'aws-222233334444' });
    const nested = planned.filter((m) => m.apiVersion === API_VERSION);
    expect(nested.length).toBeGreaterThan(3);
    for (const m of nested) expect((m.spec as any).providerConfigRef, m.kind).toEqual({ name: 'aws-222233334444' });
    // Nothing else is an AWS managed resource (Crossplane's Usages take no ProviderConfig).
    for (const m of planned.filter((p) => !isAwsManagedResource(p) && p.apiVersion !== API_VERSION))
      expect((m.spec as any)?.providerConfigRef, m.kind).toBeUndefined();
  });

  it('leaves a claim without the field as it was: no providerConfigRef anywhere (the provider uses default)', () => {
    const text = stringify(manifests(claim()));
    expect(text).not.toContain('providerConfigRef');
  });

  it('names `default` explicitly without renaming anything: the same estate id as no field', () => {
    const unset = manifests(claim());
    const named = manifests(claim('default'));
    const strip = (m: any) => ({ ...m, spec: { ...m.spec, providerConfigRef: undefined } });
    expect(JSON.parse(JSON.stringify(named.map(strip)))).toEqual(JSON.parse(JSON.stringify(unset.map(strip))));
  });

  it('makes another account another estate: no S3 bucket name in common, as S3 names are global across accounts', () => {
    const a = bucketNames(claim('aws-111122223333'));
    const b = new Set(bucketNames(claim('aws-444455556666')));
    const none = new Set(bucketNames(claim()));
    expect(a.length).toBeGreaterThan(1);
    expect(a.filter((n) => b.has(n) || none.has(n))).toEqual([]);
  });

  it('drctl validate checks the names of the estate in its account (the same Namer as compose)', () => {
    const c = claim('aws-111122223333');
    const validated = estateNames(c.spec, { name: c.metadata.name, namespace: c.metadata.namespace }).filter(
      (n) => n.kind === 's3Bucket',
    );
    const composed = new Set(bucketNames(c));
    expect(validated.length).toBeGreaterThan(0);
    for (const n of validated) expect(composed.has(n.name.value) || n.what.includes('Lambda'), n.name.value).toBe(true);
    expect(validated.filter((n) => composed.has(n.name.value)).length).toBeGreaterThan(0);
  });

  it.each([
    ['AWS_Prod', 'schema.format'],
    ['-account', 'schema.format'],
    ['a'.repeat(254), 'schema.bounds'],
    ['', 'schema.bounds'],
  ])('refuses the ProviderConfig name %j with the field and what to write', (name, ruleId) => {
    const text = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8').replace(
      /^spec:\n/m,
      `spec:\n  providerConfigRef:\n    name: '${name}'\n`,
    );
    const errors = validateText(text, 'claim.yaml').problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.path, p.ruleId])).toEqual([['spec.providerConfigRef.name', ruleId]]);
    expect(errors[0]!.line).toBeGreaterThan(0);
    if (ruleId === 'schema.format') expect(errors[0]!.message).toMatch(/DNS-1123.*for example aws-111122223333/);
  });

  it('accepts a dotted DNS-1123 name', () => {
    const text = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8').replace(
      /^spec:\n/m,
      'spec:\n  providerConfigRef:\n    name: prod.aws-111122223333\n',
    );
    expect(validateText(text, 'claim.yaml').problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describeWithCrossplane('spec.providerConfigRef against the provider CRDs', () => {
  it('every managed resource with a providerConfigRef passes crossplane resource validate', async () => {
    const managed = manifests(claim('aws-222233334444')).filter(isAwsManagedResource);
    const report = await validateResources([providerCrdsDir()], {
      yaml: managed.map((m) => stringify(m, { version: '1.1' })).join('---\n'),
    });
    expect(report.failures, formatFailures(report)).toEqual([]);
    expect(report.summary.valid).toBe(managed.length);
  }, 120_000);
});
