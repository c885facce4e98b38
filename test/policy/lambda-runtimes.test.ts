/** The Lambda runtime dates (cfn-lint's lifecycle data), the service.runtime-support rule and the message for a deprecated runtime. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES } from '../../src/api/sections.js';
import { INTERNAL_RUNTIME } from '../../src/compose/lambda.js';
import runtimeFacts from '../../src/facts/generated/lambda-runtimes.json' with { type: 'json' };
import { LAMBDA_NODEJS_RUNTIMES, findRuntime } from '../../src/facts/lambda-runtimes.js';
import { daysUntil } from '../../src/policy/engine-versions.js';
import { RUNTIME_WARNING_DAYS, runtimeSupportRule } from '../../src/primitives/service/rules.js';
import { validateClaim } from '../../src/policy/validate.js';
import { FULL, TODAY, check, spec } from './specs.js';

const withRuntime = (runtime: string) => spec({ service: { ...FULL.service, runtime } });

/** The day of the data the dates come from. */
const DATA_DAY = new Date(`${runtimeFacts.source.date}T00:00:00Z`);

describe('the runtime dates', () => {
  it('come from the generated cfn-lint data: one row per Node.js runtime, ordered dates for the runtimes the API accepts', () => {
    const names = LAMBDA_NODEJS_RUNTIMES.map((r) => r.runtime);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(runtimeFacts.runtimes).sort());
    for (const row of LAMBDA_NODEJS_RUNTIMES) {
      for (const day of [row.deprecation, row.blockCreate, row.blockUpdate]) {
        expect(day, row.runtime).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isNaN(Date.parse(day)), `${row.runtime} ${day}`).toBe(false);
      }
      expect(row.source).toBe(`cfn-lint ${runtimeFacts.source.version} data of ${runtimeFacts.source.date}`);
    }
    for (const runtime of LAMBDA_RUNTIMES) {
      const row = findRuntime(runtime)!;
      expect(row.deprecation <= row.blockCreate && row.blockCreate <= row.blockUpdate, runtime).toBe(true);
    }
  });

  it('knows the dates of every runtime the API accepts; only nodejs20.x is kept past its deprecation (existing estates)', () => {
    const deprecatedWhenTaken = LAMBDA_RUNTIMES.filter((runtime) => {
      const row = findRuntime(runtime);
      expect(row, runtime).toBeDefined();
      return daysUntil(row!.deprecation, DATA_DAY) <= 0;
    });
    expect(deprecatedWhenTaken).toEqual(['nodejs20.x']);
  });

  it("runs drplane's own functions and a claim's default on a runtime with more than the warning window left", () => {
    expect(INTERNAL_RUNTIME).toBe(DEFAULT_LAMBDA_RUNTIME);
    const row = findRuntime(DEFAULT_LAMBDA_RUNTIME)!;
    expect(daysUntil(row.deprecation, DATA_DAY)).toBeGreaterThan(RUNTIME_WARNING_DAYS);
    expect(spec({ service: { functionUrl: true } }).service!.runtime).toBe('nodejs24.x');
  });
});

describe('service.runtime-support', () => {
  it('accepts nodejs24.x with no problem', () => {
    expect(check(runtimeSupportRule, withRuntime('nodejs24.x'))).toEqual([]);
  });

  it(`warns within ${RUNTIME_WARNING_DAYS} days of a deprecation, with the dates, and not before`, () => {
    const [warning] = check(runtimeSupportRule, withRuntime('nodejs22.x'));
    expect(warning).toMatchObject({ severity: 'warning', path: 'spec.service.runtime', ruleId: 'service.runtime-support' });
    expect(warning!.message).toContain(`deprecates nodejs22.x on 2027-04-30 (in ${daysUntil('2027-04-30', TODAY)} days)`);
    expect(warning!.message).toContain('from 2027-06-01');
    expect(warning!.message).toContain('nodejs24.x');
    expect(check(runtimeSupportRule, withRuntime('nodejs22.x'), { today: new Date('2026-10-01T00:00:00Z') })).toEqual([]);
  });

  it('refuses a runtime from its deprecation day on', () => {
    const onTheDay = check(runtimeSupportRule, withRuntime('nodejs22.x'), { today: new Date('2027-04-30T00:00:00Z') });
    expect(onTheDay[0]!.severity).toBe('error');
    expect(onTheDay[0]!.message).toContain('was deprecated by AWS Lambda on 2027-04-30');
    const dayBefore = check(runtimeSupportRule, withRuntime('nodejs22.x'), { today: new Date('2027-04-29T23:59:00Z') });
    expect(dayBefore[0]!.severity).toBe('warning');
  });

  it('suggests the offered runtime that lasts longest, and an upgrade of drplane when none outlasts this one', () => {
    expect(check(runtimeSupportRule, withRuntime('nodejs22.x'))[0]!.message).toContain(
      'write runtime: nodejs24.x (supported until 2028-04-30)',
    );
    const [late] = check(runtimeSupportRule, withRuntime('nodejs24.x'), { today: new Date('2028-02-01T00:00:00Z') });
    expect(late!.severity).toBe('warning');
    expect(late!.message).toContain('no runtime drplane offers lasts longer: upgrade drplane');
    expect(late!.message).not.toContain('write runtime: nodejs24.x');
  });

  it('is silent without a service', () => {
    expect(check(runtimeSupportRule, spec({ service: undefined }))).toEqual([]);
  });
});

describe('a claim that still names a retired runtime', () => {
  const claimWith = (runtime: string) => ({
    apiVersion: 'drplane.io/v1alpha1',
    kind: 'DisasterRecovery',
    metadata: { name: 'app', namespace: 'team' },
    spec: { ...FULL, service: { ...FULL.service, runtime } },
  });
  const runtimeProblems = (runtime: string, today: Date) =>
    validateClaim(claimWith(runtime), { today }).problems.filter((p) => p.path === 'spec.service.runtime');

  it('passes the schema (estates created with it keep reconciling) but is refused by policy, with its dates and the fix', () => {
    const problems = runtimeProblems('nodejs20.x', TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', ruleId: 'service.runtime-support' });
    // The dates cfn-lint's lifecycle data gives (issue 23: not the 2026-08-31 a hand-kept table had).
    const { deprecation, blockCreate, blockUpdate } = runtimeFacts.runtimes['nodejs20.x'];
    expect([deprecation, blockCreate, blockUpdate]).toEqual(['2026-04-30', '2027-02-01', '2027-03-03']);
    expect(problems[0]!.message).toBe(
      'nodejs20.x was deprecated by AWS Lambda on 2026-04-30 (no more security patches); AWS refuses to create functions on it from 2027-02-01 ' +
        'and to update them from 2027-03-03, so a failover that needs a new or changed function fails. Write runtime: nodejs24.x (supported until 2028-04-30)',
    );
  });

  it('words the blocks still ahead with "from" and the past ones with "since"', () => {
    const [between] = runtimeProblems('nodejs20.x', new Date('2027-02-15T00:00:00Z'));
    expect(between!.message).toContain('refuses to create functions on it since 2027-02-01 and to update them from 2027-03-03');
  });

  it('names the allowed runtimes for a runtime it has never heard of', () => {
    const [problem] = runtimeProblems('python3.13', TODAY);
    expect(problem).toMatchObject({ ruleId: 'schema.enum' });
    expect(problem!.message).toContain('"python3.13" is not allowed; write one of nodejs20.x, nodejs22.x, nodejs24.x');
  });
});
