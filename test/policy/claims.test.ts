/** Every claim in claims/ is valid; every fixture in test/fixtures/invalid/ fails with the rule it names. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateObjectives } from '../../src/estimate/objectives.js';
import { hasErrors, validateText } from '../../src/policy/validate.js';
import { readInvalidFixture } from '../support/fixtures.js';
import { repoPath } from '../support/paths.js';
import { TODAY } from './specs.js';

const claims = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const fixtures = readdirSync(repoPath('test', 'fixtures', 'invalid'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Warnings a claim keeps on purpose (its header says why); every other claim has none. */
// Automatic failover fails over unplanned and is not reverted: the estates that use it are told so.
const AUTOMATIC = 'failover.automatic-scope';
// A service with reservedConcurrency is told the account quota it needs in every region (new accounts often lack it).
const QUOTA = 'service.reserved-concurrency-quota';
// seed-001 has a service and, like its seed, no table for it; seed-002 a failover section without a database.
const NO_TABLE = 'service.no-table';
const NO_ORCHESTRATOR = 'failover.orchestrator-needs';
// kubernetes.yaml's EKS version is the newest drplane knows, within 180 days of the end of its standard support on TODAY.
const EKS_SUPPORT = 'kubernetes.version-support';
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'kubernetes.yaml': [EKS_SUPPORT],
  'payments.yaml': [QUOTA],
  'seed-000-dr-operations.yaml': [AUTOMATIC, QUOTA],
  'seed-001-multi-region-pulumi.yaml': [QUOTA, NO_TABLE],
  'seed-002-lambda-dr.yaml': [NO_ORCHESTRATOR, QUOTA],
  'seed-004-financial-transactions.yaml': [AUTOMATIC, QUOTA],
  'three-region.yaml': [AUTOMATIC, QUOTA],
};

describe('claims/', () => {
  it('holds a claim per seed, the DESIGN example, the minimal and a three-region claim', () => {
    expect(claims).toEqual(expect.arrayContaining(['minimal.yaml', 'payments.yaml', 'three-region.yaml']));
    for (const seed of ['000', '001', '002', '003', '004'])
      expect(
        claims.some((c) => c.startsWith(`seed-${seed}-`)),
        `seed ${seed}`,
      ).toBe(true);
  });

  it.each(claims)('%s is one valid claim with a header comment and only the warnings it expects', (file) => {
    const text = readFileSync(repoPath('examples', file), 'utf8');
    expect(text.startsWith('# '), 'a header comment says what the claim is').toBe(true);
    const result = validateText(text, file, { today: TODAY });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.claims).toHaveLength(1);
    expect(result.problems.map((p) => p.ruleId)).toEqual(EXPECTED_WARNINGS[file] ?? []);
  });

  it.each(claims)('%s states objectives its estate meets in the worst case (drctl objectives)', (file) => {
    const claim = validateText(readFileSync(repoPath('examples', file), 'utf8'), file, { today: TODAY }).claim!;
    const estimate = estimateObjectives(claim.spec);
    expect(claim.spec.objectives, 'an example states its objectives').toBeDefined();
    expect(estimate.advice).toEqual([]);
    expect({ rpo: estimate.rpo.met, rto: estimate.rto.met }).toEqual({ rpo: true, rto: true });
  });

  it('three-region.yaml has three regions and seed 000 has every section of its wish list', () => {
    const three = validateText(readFileSync(repoPath('examples', 'three-region.yaml'), 'utf8'), 'three-region.yaml', {
      today: TODAY,
    }).claim!;
    expect(three.spec.regions.secondaries).toHaveLength(2);
    const seed0 = claims.find((c) => c.startsWith('seed-000-'))!;
    const wish = validateText(readFileSync(repoPath('examples', seed0), 'utf8'), seed0, { today: TODAY }).claim!.spec;
    for (const section of [
      'network',
      'database',
      'tables',
      'buckets',
      'service',
      'routing',
      'monitoring',
      'backup',
      'failover',
    ] as const) {
      expect(wish[section], section).toBeDefined();
    }
    expect(wish.failover?.mode).toBe('automatic');
  });
});

describe('test/fixtures/invalid/', () => {
  it.each(fixtures)('%s fails with exactly the rule it declares', (file) => {
    const fixture = readInvalidFixture(repoPath('test', 'fixtures', 'invalid', file));
    expect(fixture.expects.length, 'a fixture declares its rule in a # expect: line').toBeGreaterThan(0);
    const text = readFileSync(fixture.file, 'utf8');
    expect(text, 'the header names the seed').toMatch(/^# Seed \d{3}/);
    const result = validateText(text, file, { today: TODAY });
    expect(hasErrors(result.problems)).toBe(true);
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect([...new Set(errors.map((p) => p.ruleId))].sort()).toEqual([...fixture.expects].sort());
    for (const p of errors) {
      expect(p.line, `${p.ruleId} points at a line`).toBeGreaterThan(0);
      expect(p.message.length, 'a message says what to write instead').toBeGreaterThan(40);
    }
  });
});
