/**
 * Claims against the real Claim CRD: the generated XRDs go through `crossplane xrd convert` (the CRDs
 * Crossplane itself would install) and `crossplane resource validate` checks claims against them,
 * OpenAPI schema and CEL cross-field rules included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { CROSS_FIELD_RULES } from '../../src/api/rules.js';
import { type Crd, describeWithCrossplane, formatFailures, validateResources, writeXrdCrds } from '../support/crossplane.js';
import { suiteTempDir, yamlFilesIn } from '../support/files.js';
import { readInvalidFixture } from '../support/fixtures.js';
import { apiFiles } from '../support/generated.js';
import { repoPath, repoRoot } from '../support/paths.js';

const CEL_RULE_IDS = new Set(CROSS_FIELD_RULES.map((rule) => rule.id));
const isCelRule = (id: string): boolean => CEL_RULE_IDS.has(id);

const claimFiles = yamlFilesIn(repoPath('examples'));
/** test/fixtures/invalid, or $DRPLANE_INVALID_FIXTURES_DIR to try the test on other fixtures. */
const fixturesDir = process.env.DRPLANE_INVALID_FIXTURES_DIR ?? repoPath('test', 'fixtures', 'invalid');
const fixtures = yamlFilesIn(fixturesDir).map(readInvalidFixture);
/** Fixtures the API server itself must refuse: they expect at least one CEL rule of the XRD. */
const celFixtures = fixtures.filter((f) => f.expects.some(isCelRule));
/** Fixtures that only `drctl validate`'s policy rules refuse; the Claim CRD accepts them by design. */
const policyOnlyFixtures = fixtures.filter((f) => f.expects.length > 0 && !f.expects.some(isCelRule));

describeWithCrossplane('claims against the Claim CRD from crossplane xrd convert', () => {
  const crdFile = join(suiteTempDir('claim-crds'), 'crds.yaml');
  let crds: Crd[] = [];

  beforeAll(async () => {
    const xrds = apiFiles('definition.yaml');
    if (xrds.length === 0) throw new Error('compositions/apis has no definition.yaml: run `npm run synth`');
    crds = await writeXrdCrds(xrds, crdFile);
  }, 120_000);

  it('xrd convert derives the namespaced DisasterRecovery claim CRD', () => {
    const claim = crds.find((crd) => crd.spec.names.kind === 'DisasterRecovery');
    expect(claim, `CRDs: ${crds.map((c) => c.metadata.name).join(', ')}`).toBeDefined();
    expect(claim!.spec.group).toBe('drplane.io');
    expect(claim!.spec.scope).toBe('Namespaced');
    // What `kubectl get disasterrecoveries` shows a team.
    const columns = claim!.spec.versions.flatMap((v) => (v.additionalPrinterColumns ?? []).map((c) => c.name));
    expect(columns).toEqual(expect.arrayContaining(['PRIMARY', 'ACTIVE', 'RPO', 'RTO']));
  });

  it('claims/ holds at least one claim', () => {
    expect(claimFiles.length).toBeGreaterThan(0);
  });

  it.each(claimFiles.map((file) => [relative(repoRoot, file), file] as const))('%s is accepted', async (_name, file) => {
    const report = await validateResources([crdFile], [file]);
    expect(report.failures, formatFailures(report)).toEqual([]);
    expect(report.summary.total).toBeGreaterThan(0);
    expect(report.summary.valid).toBe(report.summary.total);
  });

  it('spec.providerConfigRef.name: a DNS-1123 name is accepted, another is refused by the API server', async () => {
    const minimal = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8');
    const withName = (name: string) => {
      const file = join(suiteTempDir('provider-config-claims'), `${name.replace(/[^a-z]/gi, 'x')}.yaml`);
      writeFileSync(file, minimal.replace(/^spec:\n/m, `spec:\n  providerConfigRef:\n    name: '${name}'\n`));
      return file;
    };
    const good = await validateResources([crdFile], [withName('aws-111122223333')]);
    expect(good.failures, formatFailures(good)).toEqual([]);
    const bad = await validateResources([crdFile], [withName('AWS_Prod')]);
    expect(bad.ok).toBe(false);
    expect(formatFailures(bad)).toContain('providerConfigRef.name');
  });

  it('every invalid fixture declares the rule it breaks in an `# expect:` line', () => {
    expect(fixtures.filter((f) => f.expects.length === 0).map((f) => f.name)).toEqual([]);
  });

  it.each(celFixtures.map((f) => [f.name, f] as const))(
    'fixtures/invalid/%s is rejected by its CEL rule',
    async (_name, fixture) => {
      const report = await validateResources([crdFile], [fixture.file]);
      expect(report.ok, `the validator accepted ${fixture.name}`).toBe(false);
      const errors = report.failures.flatMap((r) => r.errors);
      // Any other finding means the fixture is invalid for another reason and proves nothing about the rule.
      expect(
        errors.filter((e) => e.type !== 'cel'),
        formatFailures(report),
      ).toEqual([]);
      const messages = errors.map((e) => e.message).join('\n');
      for (const id of fixture.expects.filter(isCelRule)) {
        expect(messages, `expected a CEL error naming ${id}`).toContain(`(${id})`);
      }
    },
  );

  // The other fixtures exercise policy rules, which the API server does not know; test/policy covers them.
  it('splits the fixtures into CEL-rule and policy-only ones, none unaccounted for', () => {
    expect(celFixtures.length + policyOnlyFixtures.length).toBe(fixtures.length);
    expect(celFixtures.length).toBeGreaterThan(0);
  });

  it('every CEL cross-field rule has an invalid fixture the validator must reject', () => {
    const covered = new Set(celFixtures.flatMap((f) => f.expects));
    expect(CROSS_FIELD_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});
