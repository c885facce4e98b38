/**
 * Issue 14 item 12: what AWS refuses is refused by `drctl validate` first: engine-reserved master user
 * names (from the pinned cfn-lint's DBCluster schema), more than 40 claim tags (the XRD's maxProperties),
 * and tag keys AWS reserves (aws:).
 */
import { describe, expect, it } from 'vitest';
import reserved from '../../src/facts/generated/rds-master-usernames.json' with { type: 'json' };
import { masterUsernameRule } from '../../src/primitives/database/rules.js';
import { type Problem, validateClaim } from '../../src/policy/validate.js';
import { FULL, TODAY, check, spec } from './specs.js';

const claim = (s: Record<string, unknown>) => ({
  apiVersion: 'drplane.io/v1alpha1',
  kind: 'DisasterRecovery',
  metadata: { name: 'app', namespace: 'team' },
  spec: { ...FULL, ...s },
});
const errors = (s: Record<string, unknown>): Problem[] =>
  validateClaim(claim(s), { today: TODAY }).problems.filter((p) => p.severity === 'error');
const tagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`Key${i}`, `value-${i}`]));

describe('database.master-username-reserved', () => {
  it('takes its names from cfn-lint: rdsadmin for both engines, admin for aurora-postgresql only', () => {
    expect(reserved.reserved['aurora-postgresql']).toEqual(expect.arrayContaining(['admin', 'rdsadmin']));
    expect(reserved.reserved['aurora-mysql']).toContain('rdsadmin');
    expect(reserved.reserved['aurora-mysql']).not.toContain('admin');
  });

  it.each([
    ['aurora-postgresql', 'admin'],
    ['aurora-postgresql', 'Admin'],
    ['aurora-postgresql', 'rdsadmin'],
    ['aurora-mysql', 'rdsadmin'],
    ['aurora-postgresql', 'pg_owner'],
    ['aurora-postgresql', 'PG_app'],
  ])('refuses %s with masterUsername %s, naming the field and a fix', (engine, name) => {
    const version = engine === 'aurora-mysql' ? '8.0.mysql_aurora.3.10.0' : '16.13';
    const problems = errors({ database: { ...FULL.database, engine, engineVersion: version, masterUsername: name } });
    const found = problems.filter((p) => p.ruleId === masterUsernameRule.id);
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe('spec.database.masterUsername');
    expect(found[0]!.message).toContain(`"${name}"`);
    expect(found[0]!.message).toContain('masterUsername: drplane_admin');
    expect(found[0]!.fix).toEqual({ path: 'spec.database.masterUsername', value: 'drplane_admin' });
  });

  it('accepts admin for aurora-mysql and the default name for both', () => {
    const mysql = { ...FULL.database, engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.10.0' };
    expect(check(masterUsernameRule, spec({ database: { ...mysql, masterUsername: 'admin' } }))).toEqual([]);
    expect(check(masterUsernameRule, spec({ database: mysql }))).toEqual([]);
    expect(check(masterUsernameRule, spec())).toEqual([]);
    // pg_ is PostgreSQL's prefix only; a name that merely contains it is fine.
    expect(check(masterUsernameRule, spec({ database: { ...mysql, masterUsername: 'pg_app' } }))).toEqual([]);
    expect(check(masterUsernameRule, spec({ database: { ...FULL.database, masterUsername: 'app_pg_user' } }))).toEqual([]);
  });
});

describe('spec.tags', () => {
  it('accepts 40 tags and refuses 41 with the limit, naming spec.tags', () => {
    expect(errors({ tags: tagsOf(40) })).toEqual([]);
    const problems = errors({ tags: tagsOf(41) });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('spec.tags');
    expect(problems[0]!.message).toContain('at most 40');
  });

  it.each(['aws:cost', 'AWS:team', 'Aws:x'])('refuses the AWS-reserved tag key %s', (key) => {
    const problems = errors({ tags: { [key]: 'x' } });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toContain('spec.tags');
    expect(problems[0]!.message).toContain('aws:');
  });

  it('accepts a key that only contains aws: later, and refuses keys over 128 and values over 256 characters', () => {
    expect(errors({ tags: { 'team:aws:x': 'y' } })).toEqual([]);
    expect(errors({ tags: { ['k'.repeat(128)]: 'v'.repeat(256) } })).toEqual([]);
    expect(errors({ tags: { ['k'.repeat(129)]: 'v' } })).toHaveLength(1);
    expect(errors({ tags: { k: 'v'.repeat(257) } })).toHaveLength(1);
  });
});
