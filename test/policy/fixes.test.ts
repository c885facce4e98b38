/**
 * Suggested fixes are accepted: every problem that proposes a concrete value carries it as a machine-applicable
 * `fix` (path and value), its message quotes that value, and applying it to the claim removes the problem without
 * drawing any error the claim did not have.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parsePath } from '../../src/policy/schema-tree.js';
import { type Fix, type Problem, validateClaim } from '../../src/policy/validate.js';
import { readInvalidFixture } from '../support/fixtures.js';
import { repoPath } from '../support/paths.js';
import { TODAY } from './specs.js';

/** Problems that propose no concrete value, and why none can be proposed. */
const NO_FIX: Record<string, string> = {
  'names.invalid': 'the claim or a logical name must be renamed; only the team can choose the new name',
  'routing.zone-required': 'the id of a hosted zone the team owns',
  'schema.unknown-field': 'what the field was meant to be (timeToLive → ttlAttribute is no typo)',
  'database.needs-network': 'a network section: CIDRs the team chooses for its address plan',
  'regions.primary-not-secondary': 'when the primary is the only secondary, which standby region to use (and pay for)',
};

/** The claim with a fix applied (a copy). */
function apply(document: unknown, fix: Fix): unknown {
  const copy = structuredClone(document) as Record<string, unknown>;
  const path = parsePath(fix.path);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (fix.remove) delete node[last];
  else node[last] = fix.value;
  return copy;
}

const key = (p: Problem) => `${p.ruleId} ${p.path} ${p.message}`;

/** Applies every fix of a document's problems, one at a time, and checks the outcome. */
function checkFixes(document: unknown): Problem[] {
  const before = validateClaim(document, { today: TODAY }).problems;
  for (const p of before.filter((x) => x.fix)) {
    const fix = p.fix!;
    if (fix.remove) expect(p.message, `${p.ruleId}: the message says to remove it`).toMatch(/remove/);
    else if (typeof fix.value !== 'object')
      expect(p.message, `${p.ruleId}: the message quotes the value`).toContain(String(fix.value));
    const after = validateClaim(apply(document, fix), { today: TODAY }).problems;
    const context = `${p.ruleId} at ${p.path} fixed with ${JSON.stringify(fix)}`;
    expect(
      after.filter((q) => q.ruleId === p.ruleId && q.path === p.path && q.severity === p.severity).map(key),
      `${context}: the problem is gone`,
    ).toEqual(before.filter((q) => q !== p && q.ruleId === p.ruleId && q.path === p.path && q.severity === p.severity).map(key));
    const known = new Set(before.map(key));
    expect(after.filter((q) => q.severity === 'error' && !known.has(key(q))).map(key), `${context}: no new error`).toEqual([]);
  }
  return before;
}

const fixtures = readdirSync(repoPath('test', 'fixtures', 'invalid'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const read = (file: string) => parse(readFileSync(file, 'utf8'), { version: '1.1' }) as Record<string, any>;

describe('suggested fixes', () => {
  it.each(fixtures)('of %s are accepted, and every error it declares has one', (file) => {
    const fixture = readInvalidFixture(repoPath('test', 'fixtures', 'invalid', file));
    const problems = checkFixes(read(fixture.file));
    for (const p of problems.filter((x) => x.severity === 'error' && fixture.expects.includes(x.ruleId)))
      expect(p.fix !== undefined || p.ruleId in NO_FIX, `${p.ruleId} proposes a value to write`).toBe(true);
  });

  const payments = () => read(repoPath('examples', 'payments.yaml'));
  it('for an engine version YAML read as a number propose a version AWS offers, not the quoted number', () => {
    const claim = payments();
    claim.spec.database.engineVersion = 15;
    const [p] = checkFixes(claim).filter((x) => x.path === 'spec.database.engineVersion');
    expect(p!.fix).toEqual({ path: 'spec.database.engineVersion', value: expect.stringMatching(/^15\.\d+$/) });
    const quoted = payments();
    quoted.spec.database.engineVersion = '15';
    expect(checkFixes(quoted).find((x) => x.path === 'spec.database.engineVersion')!.fix).toBeDefined();
  });

  it('for overlapping or malformed CIDRs propose a range no other region uses', () => {
    const three = read(repoPath('examples', 'three-region.yaml'));
    const [second, third] = three.spec.regions.secondaries as string[];
    const cidrs = three.spec.network.cidrs as Record<string, string>;
    for (const [region, value] of [
      [second!, cidrs[three.spec.regions.primary]!],
      [second!, '10.1.1.0/16'],
      [third!, '10.0.0.0/8'],
      [third!, 'ten'],
    ] as const) {
      const claim = read(repoPath('examples', 'three-region.yaml'));
      claim.spec.network.cidrs[region] = value;
      const problems = checkFixes(claim).filter((p) => p.path === `spec.network.cidrs.${region}`);
      expect(problems.length, `${region}: ${value}`).toBeGreaterThan(0);
      expect(
        problems.every((p) => p.fix),
        `${region}: ${value}`,
      ).toBe(true);
    }
    const missing = read(repoPath('examples', 'three-region.yaml'));
    delete missing.spec.network.cidrs[third!];
    expect(checkFixes(missing).find((p) => p.ruleId === 'network.cidr-per-region')!.fix).toBeDefined();
  });

  it('for out-of-range numbers and enums propose the nearest allowed value', () => {
    const claim = payments();
    claim.spec.routing.healthCheck.intervalSeconds = 20;
    claim.spec.backup.retentionDays = 0;
    const problems = checkFixes(claim);
    expect(problems.find((p) => p.path === 'spec.routing.healthCheck.intervalSeconds')!.fix!.value).toBe(10);
    expect(problems.find((p) => p.path === 'spec.backup.retentionDays')!.fix!.value).toBe(1);
  });
});
