/**
 * Defaults form a working estate: every combination of sections, each written with only its required fields (the
 * rest left to defaults), validates without an error. Sections that need another (a database needs a network) get it.
 */
import { describe, expect, it } from 'vitest';
import { validateClaim } from '../../src/policy/validate.js';
import { TODAY } from './specs.js';

/** Each optional section with only what the schema requires of it. */
const MINIMAL_SECTIONS: Record<string, unknown> = {
  network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
  database: { engineVersion: '16.13' },
  tables: [{ name: 'items', hashKey: { name: 'id' } }],
  buckets: [{ name: 'docs' }],
  service: {},
  routing: { zoneName: 'example.com', zoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com' },
  monitoring: { alertEmails: ['oncall@example.com'] },
  backup: {},
  failover: {},
};
const NEEDS: Record<string, string[]> = { database: ['network'] };

const names = Object.keys(MINIMAL_SECTIONS);
const combinations = Array.from({ length: 2 ** names.length }, (_, mask) => names.filter((_, i) => mask & (1 << i)));

describe('defaults', () => {
  it(`of every combination of the ${names.length} sections (${combinations.length}) validate without an error`, () => {
    const failures = combinations.flatMap((chosen) => {
      const sections = [...new Set([...chosen, ...chosen.flatMap((s) => NEEDS[s] ?? [])])];
      const spec = {
        environment: 'dev',
        regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
        ...Object.fromEntries(sections.map((s) => [s, MINIMAL_SECTIONS[s]])),
      };
      const claim = {
        apiVersion: 'drplane.io/v1alpha1',
        kind: 'DisasterRecovery',
        metadata: { name: 'app', namespace: 'team' },
        spec,
      };
      const errors = validateClaim(claim, { today: TODAY }).problems.filter((p) => p.severity === 'error');
      return errors.length === 0 ? [] : [{ sections: sections.join('+'), errors: errors.map((p) => `${p.ruleId} ${p.path}`) }];
    });
    expect(failures).toEqual([]);
  });
});
