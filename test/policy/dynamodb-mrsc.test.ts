/**
 * DynamoDB multi-Region strong consistency (MRSC): the Region sets drplane validates against are botocore's text,
 * and tables.strong-consistency accepts exactly the three-region shapes AWS offers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MRSC_REGION_SETS } from '../../src/facts/dynamodb-mrsc.js';
import { strongConsistencyRule } from '../../src/primitives/table/rules.js';
import { validateClaim } from '../../src/policy/validate.js';
import { botocoreDataDir, shape, serviceModel } from '../support/botocore.js';
import { FULL, TODAY, check, spec } from './specs.js';

/** Region code by the name botocore's endpoints data gives it ("US East (N. Virginia)"). */
function regionCodes(): Map<string, string> {
  const endpoints = JSON.parse(readFileSync(join(botocoreDataDir(), 'endpoints.json'), 'utf8')) as {
    partitions: { regions: Record<string, { description: string }> }[];
  };
  return new Map(
    endpoints.partitions.flatMap((p) => Object.entries(p.regions).map(([code, r]) => [r.description, code] as const)),
  );
}

describe('MRSC Region sets', () => {
  it("are the sets botocore's DynamoDB model states for a witness", () => {
    expect(shape('dynamodb', 'CreateGlobalTableWitnessGroupMemberAction').type).toBe('structure');
    const doc = (serviceModel('dynamodb').shapes as Record<string, { members?: Record<string, { documentation?: string }> }>)
      .CreateGlobalTableWitnessGroupMemberAction!.members!.RegionName!.documentation!;
    const codes = regionCodes();
    const sets = Object.fromEntries(
      [...doc.matchAll(/(\w+) Region set: ([^<]+)</g)].map(([, name, list]) => [
        name,
        [...list!.matchAll(/[^,()]+\([^)]+\)/g)].map((m) => codes.get(m[0].trim()) ?? `unknown: ${m[0].trim()}`),
      ]),
    );
    expect(sets).toEqual(MRSC_REGION_SETS);
  });
});

const table = (extra: object) => ({ tables: [{ name: 'items', hashKey: { name: 'id' }, ...extra }] });
const three = (secondaries: string[]) => ({ regions: { primary: 'us-east-1', secondaries }, network: undefined });

describe('tables.strong-consistency', () => {
  it('accepts three replicas in one set, and two replicas with a witness of their set', () => {
    expect(
      check(strongConsistencyRule, spec({ ...three(['us-east-2', 'us-west-2']), ...table({ consistency: 'strong' }) })),
    ).toEqual([]);
    expect(check(strongConsistencyRule, spec(table({ consistency: 'strong', witnessRegion: 'us-east-2' })))).toEqual([]);
    expect(check(strongConsistencyRule, spec(table({})))).toEqual([]);
  });

  it('asks two regions for a witness, proposing the third region of their set', () => {
    const [p] = check(strongConsistencyRule, spec(table({ consistency: 'strong' })));
    expect(p).toMatchObject({ severity: 'error', path: 'spec.tables[0].witnessRegion', fix: { value: 'us-east-2' } });
    expect(p!.message).toContain('write witnessRegion: us-east-2');
  });

  it.each([
    [
      'a witness outside the set',
      table({ consistency: 'strong', witnessRegion: 'eu-west-1' }),
      'spec.tables[0].witnessRegion',
      'not',
    ],
    [
      'regions in two sets',
      { ...three(['us-west-2', 'eu-west-1']), ...table({ consistency: 'strong' }) },
      'spec.tables[0].consistency',
      'EU: eu-west-1',
    ],
    [
      'four regions',
      { ...three(['us-east-2', 'us-west-2', 'eu-west-1']), ...table({ consistency: 'strong' }) },
      'spec.tables[0].consistency',
      'exactly three regions',
    ],
    [
      'a witness that is a replica region',
      table({ consistency: 'strong', witnessRegion: 'us-west-2' }),
      'spec.tables[0].witnessRegion',
      'already holds a replica',
    ],
    [
      'three replicas and a witness',
      { ...three(['us-east-2', 'us-west-2']), ...table({ consistency: 'strong', witnessRegion: 'us-east-2' }) },
      'spec.tables[0].witnessRegion',
      'already holds a replica',
    ],
    [
      'a witness on an eventual table',
      table({ witnessRegion: 'us-east-2' }),
      'spec.tables[0].witnessRegion',
      'only for consistency: strong',
    ],
  ])('refuses %s, naming the field', (_, changes, path, text) => {
    const problems = check(strongConsistencyRule, spec(changes));
    expect(problems.map((p) => [p.severity, p.path])).toEqual([['error', path]]);
    expect(problems[0]!.message).toContain(text);
  });

  it('is part of validate', () => {
    const claim = { apiVersion: 'drplane.io/v1alpha1', kind: 'DisasterRecovery', metadata: { name: 'a', namespace: 't' } };
    const r = validateClaim({ ...claim, spec: { ...FULL, ...table({ consistency: 'strong' }) } }, { today: TODAY });
    expect(r.problems.map((p) => p.ruleId)).toContain('tables.strong-consistency');
  });
});
