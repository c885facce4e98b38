/**
 * Schema errors do not hide policy problems: validate reports the policy problems of the parts of a claim that
 * parse in the same run, and none that the broken part could have caused.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateClaim, validateText } from '../../src/policy/validate.js';
import { repoPath } from '../support/paths.js';
import { TODAY } from './specs.js';

describe('one validate run shows schema and policy problems together', () => {
  it('reports the overlapping CIDRs and the burstable class next to a version YAML read as a number', () => {
    const text = `apiVersion: drplane.io/v1alpha1
kind: DisasterRecovery
metadata: { name: seedy, namespace: team }
spec:
  environment: prod
  regions: { primary: us-east-1, secondaries: [us-west-2] }
  objectives: { rpoSeconds: 900, rtoMinutes: 60 }
  network:
    cidrs: { us-east-1: 10.0.0.0/16, us-west-2: 10.0.0.0/16 }
  database: { engine: aurora-postgresql, engineVersion: 15, instanceClass: db.t3.medium }
  tables: [{ name: items, hashKey: { name: id, type: X } }]
  monitoring: { alertEmails: [oncall@example.com] }
`;
    const result = validateText(text, 'seedy.yaml', { today: TODAY });
    expect(result.claim).toBeUndefined();
    expect(result.problems.filter((p) => p.severity === 'error').map((p) => [p.path, p.ruleId])).toEqual([
      ['spec.database.engineVersion', 'schema.type'],
      ['spec.database.instanceClass', 'database.instance-class'],
      ['spec.network.cidrs.us-west-2', 'network.cidr-overlap'],
      ['spec.tables[0].hashKey.type', 'schema.enum'],
    ]);
    // Policy problems point at their lines like any other.
    expect(result.problems.find((p) => p.ruleId === 'network.cidr-overlap')!.line).toBe(9);
  });

  it.each([
    ['a bucket name', { buckets: [{ name: 'Bad_Name' }] }],
    ['a version YAML reads as a number', { database: { engineVersion: 15 } }],
    ['a memory size over the bound', { service: { memoryMb: 99999 } }],
  ])('reports a region without a CIDR next to a schema error in %s', (_what, broken) => {
    const doc = {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'app', namespace: 'team' },
      spec: {
        environment: 'dev',
        profile: 'test',
        regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] },
        network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
        ...broken,
      },
    };
    const rules = validateClaim(doc, { today: TODAY }).problems.map((p) => p.ruleId);
    expect(rules).toContain('network.cidr-per-region');
    expect(rules.some((r) => r.startsWith('schema.'))).toBe(true);
  });

  it('reports the rest when one list element has two schema errors (both take out the same list)', () => {
    const doc = {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'app', namespace: 'team' },
      spec: {
        environment: 'dev',
        regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
        tables: [{ hashKey: { type: 'S' } }],
        service: { reservedConcurrency: 5 },
      },
    };
    const problems = validateClaim(doc, { today: TODAY }).problems.map((p) => `${p.severity} ${p.path} ${p.ruleId}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'error spec.tables[0].name schema.required',
        'error spec.tables[0].hashKey.name schema.required',
        'warning spec.service.reservedConcurrency service.reserved-concurrency-quota',
      ]),
    );
  });

  it('says nothing a broken section could have caused: a bad network draws no "needs a network" error', () => {
    const doc = {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'app', namespace: 'team' },
      spec: {
        environment: 'dev',
        profile: 'test',
        regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
        network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': 'ten' }, endpoints: ['s3', 'nope'] },
        database: { engineVersion: '16.8' },
        tables: [{ name: 'items', hashKey: { name: 'id', type: 'S' } }],
        service: { vpc: true },
      },
    };
    const result = validateClaim(doc, { today: TODAY });
    expect(result.problems.map((p) => p.path)).toEqual(['spec.network.cidrs.us-west-2', 'spec.network.endpoints[1]']);
    // Without the network section at all, the same claim is refused by policy: the broken one was not mistaken for it.
    const { network: _network, ...withoutNetwork } = doc.spec;
    const refused = validateClaim({ ...doc, spec: withoutNetwork }, { today: TODAY });
    expect(refused.problems.map((p) => p.ruleId)).toContain('service.vpc-needs-network');
  });

  it('keeps rules that need no name when metadata.name is broken, and drops those that build AWS names from it', () => {
    const text = `apiVersion: drplane.io/v1alpha1
kind: DisasterRecovery
metadata: { name: Payments_2 }
spec:
  environment: prod
  regions: { primary: us-east-1, secondaries: [us-west-2] }
  network: { cidrs: { us-east-1: 10.0.0.0/16, us-west-2: 10.0.0.0/16 } }
  buckets: [{ name: docs }]
  monitoring: { alertEmails: [oncall@example.com] }
`;
    const problems = validateText(text, 'x.yaml', { today: TODAY }).problems;
    expect(problems.map((p) => [p.path, p.ruleId])).toEqual([
      ['metadata.name', expect.any(String)],
      ['spec.network.cidrs.us-west-2', 'network.cidr-overlap'],
    ]);
  });

  it('reports nothing for a claim whose environment or regions fail: every rule reads them', () => {
    const text = `apiVersion: drplane.io/v1alpha1
kind: DisasterRecovery
metadata: { name: app }
spec:
  environment: PROD
  regions: { primary: us-east-1, secondaries: [us-west-2] }
  objectives: { rpoSeconds: 0, rtoMinutes: 60 }
  tables: [{ name: items, hashKey: { name: id } }]
`;
    expect(validateText(text, 'x.yaml', { today: TODAY }).problems.map((p) => p.path)).toEqual(['spec.environment']);
  });

  // Break one field of every shipped example: the policy problems reported then are exactly the intact claim's
  // problems that do not depend on that field (never one more), and the schema names the broken field.
  const claims = readdirSync(repoPath('examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const breakages: Record<string, [string, (spec: Record<string, any>) => boolean]> = {
    'engineVersion as a number': ['spec.database.engineVersion', (s) => !!s.database && !!(s.database.engineVersion = 15)],
    'an unknown attribute type': ['spec.tables[0].hashKey.type', (s) => !!s.tables && !!(s.tables[0].hashKey.type = 'X')],
    'a CIDR that is no CIDR': ['spec.network.cidrs', (s) => !!s.network && !!(s.network.cidrs[s.regions.secondaries[0]] = 'ten')],
    'a negative retention': ['spec.backup.retentionDays', (s) => !!s.backup && !!(s.backup.retentionDays = -1)],
  };
  const cases = claims.flatMap((file) => Object.keys(breakages).map((how) => [file, how] as const));
  it('has the shipped examples to break', () => expect(claims.length).toBeGreaterThanOrEqual(8));
  it.each(cases)('%s with %s: the schema problem plus only problems of the intact claim', (file, how) => {
    const intact = parse(readFileSync(repoPath('examples', file), 'utf8'), { version: '1.1' }) as Record<string, any>;
    const broken = structuredClone(intact);
    const [field, breakIt] = breakages[how]!;
    if (!breakIt(broken.spec)) return; // the claim has no such section
    const key = (p: { ruleId: string; path: string; message: string }) => `${p.ruleId} ${p.path} ${p.message}`;
    const before = validateClaim(intact, { today: TODAY }).problems;
    const after = validateClaim(broken, { today: TODAY }).problems;
    const added = after.filter((p) => !before.map(key).includes(key(p)));
    expect(added.length, 'the broken field is reported').toBeGreaterThan(0);
    expect(
      added.filter((p) => !p.path.startsWith(field)),
      'no problem elsewhere that the intact claim does not have',
    ).toEqual([]);
    // Rules about untouched parts still speak: the service's concurrency warning does not read the broken field.
    const untouched = before.filter((p) => p.ruleId === 'service.reserved-concurrency-quota').map(key);
    expect(after.map(key)).toEqual(expect.arrayContaining(untouched));
  });
});
