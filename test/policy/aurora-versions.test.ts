/** The Aurora version table and the database.engine-version rule that reads it. */
import { describe, expect, it } from 'vitest';
import { AURORA_VERSIONS } from '../../src/policy/data/aurora-versions.js';
import { acceptedVersions, daysUntil, findVersion, suggestVersions } from '../../src/policy/engine-versions.js';
import { SUPPORT_WARNING_DAYS, engineVersionRule } from '../../src/policy/rules/database.js';
import { FULL, TODAY, check, spec } from './specs.js';

const withVersion = (engineVersion: string, engine: 'aurora-postgresql' | 'aurora-mysql' = 'aurora-postgresql') =>
  spec({ database: { ...FULL.database, engine, engineVersion } });

describe('the table', () => {
  it('has one row per engine and version, each with a valid date, a source and the day it was checked', () => {
    const keys = AURORA_VERSIONS.map((r) => `${r.engine} ${r.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of AURORA_VERSIONS) {
      expect(row.endOfStandardSupport, row.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(row.endOfStandardSupport)), row.version).toBe(false);
      expect(row.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.source, row.version).toMatch(/https:\/\/docs\.aws\.amazon\.com\/|seed 004/);
      if (!row.globalDatabase) expect(row.note, `${row.version} says why it has no global support`).toBeTruthy();
    }
  });

  it('has versions for both engines that can start a global database today', () => {
    expect(acceptedVersions('aurora-postgresql', TODAY).length).toBeGreaterThan(3);
    expect(acceptedVersions('aurora-mysql', TODAY).length).toBeGreaterThan(3);
  });
});

describe('database.engine-version', () => {
  it('refuses 15.4 with the error AWS gave in seed 004 and suggests the nearest and newest 15.x', () => {
    const [problem] = check(engineVersionRule, withVersion('15.4'));
    expect(problem).toMatchObject({ severity: 'error', ruleId: 'database.engine-version', path: 'spec.database.engineVersion' });
    expect(problem!.message).toContain('The requested engine version was not found or does not support global functionality');
    expect(problem!.message).toContain('"15.10" or "15.17"');
  });

  it('accepts a current version with no problem', () => {
    expect(check(engineVersionRule, withVersion('17.9'))).toEqual([]);
    expect(check(engineVersionRule, withVersion('8.0.mysql_aurora.3.10.3', 'aurora-mysql'))).toEqual([]);
  });

  it('refuses a version out of standard support, with the date it ended', () => {
    const [problem] = check(engineVersionRule, withVersion('13.23'));
    expect(problem!.severity).toBe('error');
    expect(problem!.message).toContain('left Aurora standard support on 2026-02-28');
    expect(problem!.message).toMatch(/"17\.9" or "16\.13"/);
    expect(check(engineVersionRule, withVersion('5.7.mysql_aurora.2.12.4', 'aurora-mysql'))[0]!.message).toContain('2024-10-31');
  });

  it(`warns within ${SUPPORT_WARNING_DAYS} days of the end of support, not before`, () => {
    const [warning] = check(engineVersionRule, withVersion('14.22'));
    expect(warning!.severity).toBe('warning');
    expect(warning!.message).toContain(`ends on 2027-02-28 (in ${daysUntil('2027-02-28', TODAY)} days)`);
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

  it('refuses versions the table does not know, including a MySQL version without its patch', () => {
    expect(check(engineVersionRule, withVersion('15.3'))[0]!.message).toMatch(
      /not a version drplane knows.*"15\.10" or "15\.17"/,
    );
    expect(check(engineVersionRule, withVersion('8.0.mysql_aurora.3.10', 'aurora-mysql'))).toHaveLength(1);
    expect(check(engineVersionRule, withVersion('16.6', 'aurora-mysql'))[0]!.message).toContain('8.0.mysql_aurora.3.13.x');
  });

  it('refuses a version the table marks without global support (18.3 is unconfirmed)', () => {
    expect(check(engineVersionRule, withVersion('18.3'))[0]!.message).toContain('not confirmed');
  });
});

describe('lookups', () => {
  it('finds Aurora MySQL versions by their minor version', () => {
    expect(findVersion('aurora-mysql', '8.0.mysql_aurora.3.12.0')?.version).toBe('8.0.mysql_aurora.3.12');
    expect(findVersion('aurora-mysql', '8.0.mysql_aurora.3.99.0')).toBeUndefined();
    expect(findVersion('aurora-postgresql', '16.13')?.endOfStandardSupport).toBe('2029-02-28');
  });

  it('suggests the newest of the two newest majors for an unknown major', () => {
    expect(suggestVersions('aurora-postgresql', '9.6.1', TODAY)).toEqual(['17.9', '16.13']);
  });
});
