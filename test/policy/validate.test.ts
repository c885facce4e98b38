/** validateText and validateClaim: YAML, documents, schema messages, positions, order; never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Problem, sortProblems, validateClaim, validateText } from '../../src/policy/validate.js';
import { TODAY } from './specs.js';

const HEAD = 'apiVersion: drplane.io/v1alpha1\nkind: DisasterRecovery\nmetadata: {name: app, namespace: team}\n';
/** A claim with one store (a claim of regions only protects nothing and draws a warning). */
const MINIMAL = `${HEAD}spec:\n  environment: dev\n  profile: test\n  regions:\n    primary: us-east-1\n    secondaries: [us-west-2]\n  buckets: [{name: docs}]\n`;
const claim = (spec: Record<string, unknown>) => ({
  apiVersion: 'drplane.io/v1alpha1',
  kind: 'DisasterRecovery',
  metadata: { name: 'app', namespace: 'team' },
  spec: {
    environment: 'dev',
    profile: 'test',
    regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
    buckets: [{ name: 'docs' }],
    ...spec,
  },
});
/** A table for claims with a service (a service without one draws service.no-table). */
const TABLES = [{ name: 'items', hashKey: { name: 'id', type: 'S' } }];
const problemsOf = (spec: Record<string, unknown>): Problem[] => validateClaim(claim(spec), { today: TODAY }).problems;
const only = (spec: Record<string, unknown>): Problem => {
  const problems = problemsOf(spec);
  expect(problems).toHaveLength(1);
  return problems[0]!;
};

describe('validateText', () => {
  it('returns the claim with defaults and no problem for a valid file', () => {
    const result = validateText(MINIMAL, 'minimal.yaml', { today: TODAY });
    expect(result.problems).toEqual([]);
    expect(result.file).toBe('minimal.yaml');
    expect(result.claim?.spec.regions.secondaries).toEqual(['us-west-2']);
    expect(result.claim?.metadata.namespace).toBe('team');
  });

  it('reports YAML syntax errors at line:column and returns no claim', () => {
    const result = validateText(`${HEAD}spec:\n  environment: [dev\n`, 'broken.yaml');
    expect(result.claim).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ ruleId: 'yaml.syntax', severity: 'error', path: '', line: 6, column: 1 }),
    ]);
    expect(result.problems[0]!.message).toMatch(/^YAML syntax: .*\]/);
  });

  it('reports a duplicate key as a syntax error on its line', () => {
    const result = validateText(`${HEAD}spec:\n  environment: dev\n  environment: qa\n`, 'dup.yaml');
    expect(result.problems[0]).toMatchObject({ ruleId: 'yaml.syntax', line: 6 });
    expect(result.problems[0]!.message).toContain('unique');
  });

  it('validates every document of a file, numbers them and refuses non-claims by kind', () => {
    const text = `${MINIMAL}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${MINIMAL.replace('environment: dev', 'environment: BAD')}`;
    const result = validateText(text, 'multi.yaml', { today: TODAY });
    expect(result.claims).toHaveLength(1);
    expect(result.problems.map((p) => [p.document, p.ruleId, p.line])).toEqual([
      [2, 'document.kind', 13],
      [3, 'environment.format', 20],
    ]);
    expect(result.problems[0]!.message).toContain('this is a ConfigMap, not a DisasterRecovery claim');
  });

  it.each([
    ['APIService', 'an APIService'],
    ['Application', 'an Application'],
    ['UnknownKind', 'an UnknownKind'],
    ['User', 'a User'],
    ['Deployment', 'a Deployment'],
  ])('names a document of kind %s with the right article', (kind, words) => {
    const result = validateText(`apiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\n`, 'k.yaml', { today: TODAY });
    expect(result.problems[0]!.message).toContain(`this is ${words}, not a DisasterRecovery claim`);
  });

  it('skips empty documents and reports a file without any', () => {
    expect(validateText(`---\n${MINIMAL}---\n`, 'x.yaml', { today: TODAY }).problems).toEqual([]);
    expect(validateText('', 'empty.yaml').problems).toEqual([expect.objectContaining({ ruleId: 'document.empty' })]);
    expect(validateText('# only a comment\n', 'c.yaml').problems[0]!.ruleId).toBe('document.empty');
  });

  it('points policy problems at the line of their field', () => {
    const text = `${MINIMAL}  objectives: {rpoSeconds: 0, rtoMinutes: 60}\n  tables:\n    - {name: items, hashKey: {name: id}}\n`;
    const [problem] = validateText(text, 'rpo.yaml', { today: TODAY }).problems;
    expect(problem).toMatchObject({ ruleId: 'objectives.rpo-zero', line: 11, column: 28 });
  });

  it('tells to quote a version YAML read as a number', () => {
    const text = `${MINIMAL}  network: {cidrs: {us-east-1: 10.0.0.0/16, us-west-2: 10.1.0.0/16}}\n  database: {engineVersion: 15.10}\n`;
    const problem = validateText(text, 'v.yaml').problems.find((p) => p.path === 'spec.database.engineVersion')!;
    expect(problem.ruleId).toBe('schema.type');
    expect(problem.message).toContain('quote it to keep it as written: "15.10"');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = validateText(text, 'fuzz.yaml');
        return Array.isArray(result.problems) && result.problems.every((p) => typeof p.message === 'string');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), (spec) => Array.isArray(validateClaim({ ...claim({}), spec }).problems)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), fc.nat(), (spec, cut) => {
        const text = stringify({ ...claim({}), spec });
        return Array.isArray(validateText(text.slice(0, cut % (text.length + 1)), 'cut.yaml').problems);
      }),
      { numRuns: 300 },
    );
  });
});

describe('schema messages', () => {
  it('suggests the region meant', () => {
    const problem = only({ regions: { primary: 'us-east-1', secondaries: ['us-wets-2'] } });
    expect(problem).toMatchObject({ ruleId: 'regions.unknown', path: 'spec.regions.secondaries[0]' });
    expect(problem.message).toBe('"us-wets-2" is not an AWS region drplane knows; did you mean us-west-2?');
    expect(only({ activeRegion: 'mars-1' }).message).toContain('write a region name such as us-east-1');
  });

  it('explains the environment suffix and proposes a fixed one', () => {
    const problem = only({ environment: 'Prod_Env' });
    expect(problem.ruleId).toBe('environment.format');
    expect(problem.message).toContain('1-12 lowercase letters, digits and inner hyphens; write prod-env');
    expect(only({ environment: 'a-very-long-environment' }).ruleId).toBe('environment.format');
  });

  it('explains bounds with the allowed range', () => {
    const problem = only({ service: { reservedConcurrency: 5000 }, tables: TABLES });
    expect(problem).toMatchObject({ ruleId: 'schema.bounds', path: 'spec.service.reservedConcurrency' });
    expect(problem.message).toContain('5000 is above the maximum 1000');
    expect(problem.message).toContain('write a number from 1 to 1000');
  });

  it('lists allowed values for enums, unions of literals and refinements', () => {
    const interval = only({
      routing: {
        zoneName: 'example.com',
        zoneId: 'Z0123456789ABCDEFGHIJ',
        recordName: 'api.example.com',
        healthCheck: { intervalSeconds: 20 },
      },
    });
    expect(interval.message).toContain('write one of 10, 30');
    const retention = only({ service: { logRetentionDays: 8 }, tables: TABLES });
    expect(retention.ruleId).toBe('schema.enum');
    expect(retention.message).toContain('write one of 1, 3, 5, 7, 14, 30');
    expect(only({ profile: 'staging' }).message).toContain('write one of production, test');
  });

  it('names alert addresses and CIDRs that are malformed', () => {
    expect(only({ monitoring: { alertEmails: ['oncall'] } })).toMatchObject({
      ruleId: 'monitoring.email-format',
      path: 'spec.monitoring.alertEmails[0]',
    });
    const cidr = problemsOf({ network: { cidrs: { 'us-east-1': '10.0.0/16', 'us-west-2': '10.1.0.0/16' } } });
    expect(cidr.map((p) => p.ruleId)).toEqual(['network.cidr-invalid']);
  });

  it('names a missing required field with what it is for', () => {
    const problem = only({ tables: [{ name: 'items' }] });
    expect(problem).toMatchObject({ ruleId: 'schema.required', path: 'spec.tables[0].hashKey' });
    expect(problem.message).toBe('required field is missing (Partition key); add hashKey');
  });

  it('refuses unknown fields with a suggestion, and secrets with their own rule', () => {
    const typo = problemsOf({ databse: {} });
    expect(typo).toEqual([expect.objectContaining({ ruleId: 'schema.unknown-field', path: 'spec.databse' })]);
    expect(typo[0]!.message).toContain('did you mean database?');
    const secret = problemsOf({
      network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
      database: { engineVersion: '16.13', masterPassword: 'x' },
    });
    expect(secret.map((p) => p.ruleId)).toEqual(['secrets.plaintext']);
  });

  it('keeps metadata open for labels and annotations', () => {
    expect(validateClaim({ ...claim({}), metadata: { name: 'app', labels: { a: 'b' }, uid: 'x' } }).problems).toEqual([]);
  });
});

describe('order', () => {
  it('sorts by document, path, rule id and message, whatever the input order', () => {
    const p = (document: number, path: string, ruleId: string): Problem => ({
      document,
      path,
      ruleId,
      message: 'm',
      severity: 'error',
    });
    const sorted = [p(1, 'spec.a', 'x'), p(1, 'spec.b', 'a'), p(1, 'spec.b', 'b'), p(2, 'spec.a', 'a')];
    fc.assert(
      fc.property(fc.shuffledSubarray(sorted, { minLength: 4 }), (shuffled) => {
        expect(sortProblems(shuffled)).toEqual(sorted);
      }),
    );
  });

  it('gives the same problems in the same order on every run', () => {
    const spec = {
      objectives: { rpoSeconds: 0, rtoMinutes: 1 },
      tables: [{ name: 'items', hashKey: { name: 'id' } }],
      monitoring: {},
    };
    expect(problemsOf(spec)).toEqual(problemsOf(spec));
    expect(problemsOf(spec).map((p) => p.path)).toEqual([...problemsOf(spec).map((p) => p.path)].sort());
  });
});

describe('one clear message per field', () => {
  it('a missing environment is "required", not a format complaint about nothing', () => {
    const { environment: _e, ...rest } = claim({}).spec;
    const problems = validateClaim({ ...claim({}), spec: { ...rest, enviroment: 'dev' } }, { today: TODAY }).problems;
    expect(problems.map((p) => `${p.path} ${p.ruleId}`)).toEqual([
      'spec.enviroment schema.unknown-field',
      'spec.environment schema.required',
    ]);
  });

  it('a string where a list belongs is one type error, not also a length complaint', () => {
    const p = only({ regions: { primary: 'us-east-1', secondaries: 'us-west-2' } });
    expect(p).toMatchObject({ path: 'spec.regions.secondaries', ruleId: 'schema.type' });
    expect(p.message).toContain('expected a list, got a string "us-west-2"');
  });

  it("a huge number is one bound error, with the field's own maximum", () => {
    const p = only({ objectives: { rpoSeconds: 1e20, rtoMinutes: 60 } });
    expect(p.message).toContain('is above the maximum 86400');
  });

  it('cross-field rules name the regions involved', () => {
    expect(only({ activeRegion: 'eu-west-1' }).message).toContain(
      '(eu-west-1 is not one of them; write one of us-east-1, us-west-2)',
    );
    const cidrs = problemsOf({ network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'eu-west-1': '10.2.0.0/16' } } });
    expect(cidrs.find((p) => p.ruleId === 'network.cidr-per-region')!.message).toContain('(missing: us-west-2)');
    expect(cidrs.find((p) => p.ruleId === 'network.cidr-region-unknown')!.message).toContain('(not in spec.regions: eu-west-1)');
  });
});
