/** The Aurora versions (cfn-lint facts + global-database overlay) and the database.engine-version rule that reads them. */
import { describe, expect, it } from 'vitest';
import { AURORA_FACTS } from '../../src/facts/aurora.js';
import { END_OF_STANDARD_SUPPORT, GLOBAL_DATABASE_SUPPORT } from '../../src/facts/aurora-global.js';
import { AURORA_VERSIONS, versionKey } from '../../src/facts/aurora-versions.js';
import { acceptedVersions, daysUntil, findVersion, newerThanKnown, suggestVersions } from '../../src/policy/engine-versions.js';
import { SUPPORT_WARNING_DAYS, engineVersionRule } from '../../src/primitives/database/rules.js';
import { FULL, TODAY, check, spec } from './specs.js';

const withVersion = (engineVersion: string, engine: 'aurora-postgresql' | 'aurora-mysql' = 'aurora-postgresql') =>
  spec({ database: { ...FULL.database, engine, engineVersion } });

const DATA = `cfn-lint ${AURORA_FACTS.source.version} data of ${AURORA_FACTS.source.date}`;

describe('the versions', () => {
  it('come from the generated cfn-lint facts: one row per listed version, deprecations marked', () => {
    for (const engine of ['aurora-postgresql', 'aurora-mysql'] as const) {
      const facts = AURORA_FACTS.engines[engine];
      const rows = AURORA_VERSIONS.filter((r) => r.engine === engine);
      expect(rows.map((r) => r.version)).toEqual(facts.versions);
      expect(rows.filter((r) => r.deprecated).map((r) => r.version)).toEqual(
        facts.deprecated.filter((v) => facts.versions.includes(v)),
      );
    }
    expect(AURORA_FACTS.source).toMatchObject({ package: 'cfn-lint', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(AURORA_FACTS.source.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keep only overlay facts the data lacks: global support from a version per major, end of support per major', () => {
    for (const [engine, majors] of Object.entries(GLOBAL_DATABASE_SUPPORT)) {
      for (const [major, support] of Object.entries(majors)) {
        expect(versionKey(engine as 'aurora-mysql', support.from)?.[0], `${engine} ${major}`).toBe(Number(major));
        expect(support.source).toContain('https://docs.aws.amazon.com/');
        expect(END_OF_STANDARD_SUPPORT[engine as 'aurora-mysql'][major], `${engine} ${major}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('has versions for both engines that can start a global database today', () => {
    expect(acceptedVersions('aurora-postgresql', TODAY).length).toBeGreaterThan(3);
    expect(acceptedVersions('aurora-mysql', TODAY).length).toBeGreaterThan(3);
  });
});

describe('database.engine-version', () => {
  it('accepts 16.15 and 16.14, the newest Aurora PostgreSQL 16 minors, with no problem (issue 23)', () => {
    expect(findVersion('aurora-postgresql', '16.15')).toMatchObject({ deprecated: false, globalDatabase: true });
    expect(check(engineVersionRule, withVersion('16.15'))).toEqual([]);
    expect(check(engineVersionRule, withVersion('16.14'))).toEqual([]);
  });

  it('accepts a current version with no problem', () => {
    expect(check(engineVersionRule, withVersion('17.9'))).toEqual([]);
    expect(check(engineVersionRule, withVersion('8.0.mysql_aurora.3.10.3', 'aurora-mysql'))).toEqual([]);
  });

  it("refuses 15.4 (deprecated in the data) with the error AWS gave in seed 004, the data's date, and the nearest and newest 15.x", () => {
    const [problem] = check(engineVersionRule, withVersion('15.4'));
    expect(problem).toMatchObject({ severity: 'error', ruleId: 'database.engine-version', path: 'spec.database.engineVersion' });
    expect(problem!.message).toContain('aurora-postgresql 15.4 is deprecated');
    expect(problem!.message).toContain(`${DATA} lists it as deprecated`);
    expect(problem!.message).toContain('The requested engine version was not found or does not support global functionality');
    const newest15 = acceptedVersions('aurora-postgresql', TODAY).find((r) => r.major === '15')!.version;
    expect(problem!.message).toContain(`"15.10" or "${newest15}"`);
  });

  it('warns, not refuses, for a version newer than every known one, quoting the data date', () => {
    const [problem] = check(engineVersionRule, withVersion('16.99'));
    expect(problem!.severity).toBe('warning');
    expect(problem!.message).toContain(`newer than drplane's data (${DATA})`);
    expect(problem!.message).toContain('check that AWS offers it for global databases');
    expect(check(engineVersionRule, withVersion('99.1'))[0]!.severity).toBe('warning');
    expect(check(engineVersionRule, withVersion('8.0.mysql_aurora.3.99.0', 'aurora-mysql'))[0]!.severity).toBe('warning');
  });

  it('refuses a version newer than the data within a major AWS has closed (deprecated, or past standard support)', () => {
    for (const [version, engine] of [
      ['12.99', 'aurora-postgresql'],
      ['11.22', 'aurora-postgresql'],
      ['5.7.mysql_aurora.2.99.0', 'aurora-mysql'],
    ] as const) {
      const [problem] = check(engineVersionRule, withVersion(version, engine));
      expect(problem!.severity, version).toBe('error');
      expect(problem!.message, version).toMatch(
        /is deprecated|standard support for its major version ended on \d{4}-\d{2}-\d{2}/,
      );
      expect(problem!.message, version).not.toContain('newer than');
    }
  });

  it('refuses a version between known ones that the data does not list (withdrawn or never released)', () => {
    const [problem] = check(engineVersionRule, withVersion('16.5'));
    expect(problem!.severity).toBe('error');
    expect(problem!.message).toContain(`is not a version AWS offers according to drplane's data (${DATA})`);
    expect(check(engineVersionRule, withVersion('8.0.mysql_aurora.3.10', 'aurora-mysql'))[0]!.severity).toBe('error');
    expect(check(engineVersionRule, withVersion('16.6', 'aurora-mysql'))[0]!.message).toContain('8.0.mysql_aurora.3.13.0');
  });

  it('warns that global-database support is unconfirmed for an offered version the overlay does not list', () => {
    expect(findVersion('aurora-postgresql', '18.3')).toMatchObject({ deprecated: false, globalDatabase: false });
    const [problem] = check(engineVersionRule, withVersion('18.3'));
    expect(problem!.severity).toBe('warning');
    expect(problem!.message).toContain('has not confirmed that it supports Aurora global databases');
  });

  it('refuses a version out of standard support, with the date it ended', () => {
    const [problem] = check(engineVersionRule, withVersion('13.23'));
    expect(problem!.severity).toBe('error');
    expect(problem!.message).toContain('left Aurora standard support on 2026-02-28');
    expect(check(engineVersionRule, withVersion('5.7.mysql_aurora.2.12.4', 'aurora-mysql'))[0]!.message).toContain('2024-10-31');
  });

  it(`warns within ${SUPPORT_WARNING_DAYS} days of the end of support, not before`, () => {
    const [warning] = check(engineVersionRule, withVersion('14.22'));
    expect(warning!.severity).toBe('warning');
    expect(warning!.message).toContain(`ends on 2027-02-28 (in ${daysUntil('2027-02-28', TODAY)} days)`);
    // The whole major ends: the advice is a later major, never another 14.x (or the claim's own version).
    const proposed = /write engineVersion: (.*)\)$/.exec(warning!.message)?.[1] ?? '';
    expect(proposed).toMatch(/"1[5-9]\.\d+"/);
    expect(proposed).not.toMatch(/"14\./);
    expect(warning!.fix).toEqual({ path: 'spec.database.engineVersion', value: /"([^"]+)"/.exec(proposed)![1] });
    const earlier = new Date('2026-08-01T00:00:00Z');
    expect(daysUntil('2027-02-28', earlier)).toBeGreaterThan(SUPPORT_WARNING_DAYS);
    expect(check(engineVersionRule, withVersion('14.22'), { today: earlier })).toEqual([]);
  });

  it('counts the last day of support as supported and the next day as not', () => {
    expect(check(engineVersionRule, withVersion('13.23'), { today: new Date('2026-02-28T23:59:00Z') })[0]!.severity).toBe(
      'warning',
    );
    expect(check(engineVersionRule, withVersion('13.23'), { today: new Date('2026-03-01T00:00:00Z') })[0]!.severity).toBe(
      'error',
    );
  });
});

describe('lookups', () => {
  it('finds versions exactly as a claim writes them', () => {
    expect(findVersion('aurora-mysql', '8.0.mysql_aurora.3.12.0')?.major).toBe('3');
    expect(findVersion('aurora-mysql', '8.0.mysql_aurora.3.99.0')).toBeUndefined();
    expect(findVersion('aurora-postgresql', '16.13')?.endOfStandardSupport).toBe('2029-02-28');
  });

  it('tells a version newer than the data from one inside its range', () => {
    expect(newerThanKnown('aurora-postgresql', '16.16')?.version).toBe('16.15');
    expect(newerThanKnown('aurora-postgresql', '16.12')).toBeUndefined();
    expect(newerThanKnown('aurora-postgresql', '9.9')).toBeUndefined();
    expect(newerThanKnown('aurora-postgresql', 'x')).toBeUndefined();
  });

  it('suggests the newest of the two newest majors for an unknown major', () => {
    const newest = (major: string) => acceptedVersions('aurora-postgresql', TODAY).find((r) => r.major === major)!.version;
    expect(suggestVersions('aurora-postgresql', '9.6.1', TODAY)).toEqual([newest('17'), newest('16')]);
  });
});
