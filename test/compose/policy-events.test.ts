/**
 * Rules live in policy only: the estate's composer runs them on the claim and reports each problem as an event with
 * its rule id, and the primitives no longer emit what the claim alone decides. Each rule below was once written only
 * in compose (so drctl validate never reported it) or in both places.
 */
import { describe, expect, it } from 'vitest';
import { compositeOf } from '../../src/compose/plan.js';
import { liveView } from '../../src/compose/observed.js';
import { validateClaim } from '../../src/policy/validate.js';
import { TWO_REGION_SPEC, claim, composeLive, nestedOf } from './helpers.js';

const TODAY = new Date('2026-11-23T00:00:00Z');

/** The claim's spec with some sections changed. */
const changed = (patch: Record<string, unknown>) => ({ ...TWO_REGION_SPEC, ...patch });

/** Rule ids drctl validate reports for a spec. */
const validated = (spec: object) => validateClaim(claim(spec), { today: TODAY }).problems.map((p) => `${p.ruleId} ${p.path}`);

/**
 * A live estate: every resource it composes exists. (A new estate whose claim breaks a rule of severity error is
 * refused instead: test/function/policy-refusal.test.ts.)
 */
const LIVE = { ...liveView({}), exists: () => true };

/** Events of the estate composite of a spec on a live estate, composed as the function does (with today). */
const estateEvents = (spec: object) =>
  composeLive(compositeOf(claim(spec)), LIVE, { today: TODAY }).events.map((e) => `${e.severity} ${e.message}`);

/** Messages of every nested primitive's events in a spec. */
const primitiveEvents = (spec: object, kinds: readonly string[]) =>
  kinds.flatMap((kind) => composeLive(nestedOf(spec, kind), liveView({}), { today: TODAY }).events.map((e) => e.message));

const CASES: ReadonlyArray<{ rule: string; path: string; spec: object; text: RegExp; kinds: readonly string[] }> = [
  {
    rule: 'routing.health-path',
    path: 'spec.routing.healthCheck.path',
    spec: changed({ routing: { ...TWO_REGION_SPEC.routing, healthCheck: { path: '/status' } } }),
    text: /answers health checks on \/health/,
    kinds: ['XFailoverRouting'],
  },
  {
    rule: 'failover.orchestrator-needs',
    path: 'spec.failover',
    spec: changed({ monitoring: undefined }),
    text: /the orchestrator needs monitoring/,
    kinds: ['XFailoverRouting', 'XRegionalService'],
  },
  {
    rule: 'service.no-table',
    path: 'spec.tables',
    spec: changed({ tables: undefined }),
    text: /stores transactions in a DynamoDB table/,
    kinds: ['XRegionalService'],
  },
  {
    rule: 'service.database-unreachable',
    path: 'spec.service',
    spec: changed({ network: undefined }),
    text: /\/health cannot reach the Aurora database/,
    kinds: ['XRegionalService'],
  },
  {
    rule: 'routing.zone-apex',
    path: 'spec.routing.recordName',
    // Without an HTTP API the service record is a CNAME, which DNS forbids at the apex (an alias is allowed there).
    spec: changed({
      routing: { ...TWO_REGION_SPEC.routing, recordName: 'example.com' },
      service: { ...TWO_REGION_SPEC.service, authType: 'NONE', httpApi: false },
    }),
    text: /is the zone apex/,
    kinds: ['XFailoverRouting'],
  },
];

describe('rules in one home', () => {
  for (const c of CASES) {
    it(`${c.rule}: drctl validate reports it, the estate's events carry it with its rule id, no primitive repeats it`, () => {
      expect(validated(c.spec)).toContain(`${c.rule} ${c.path}`);
      expect(validated(TWO_REGION_SPEC)).not.toContain(`${c.rule} ${c.path}`);
      const events = estateEvents(c.spec);
      expect(
        events.filter((e) => e.includes(`(${c.rule}`) && e.startsWith(`Warning ${c.path}: `) && c.text.test(e)),
      ).toHaveLength(1);
      expect(primitiveEvents(c.spec, c.kinds).filter((m) => c.text.test(m))).toEqual([]);
    });
  }

  it('the custom-domain gap (httpApi false) is said once, by policy, not on every reconcile of XFailoverRouting; with the default HTTP API there is none', () => {
    const cnamed = changed({ service: { ...TWO_REGION_SPEC.service, authType: 'NONE', httpApi: false } });
    expect(estateEvents(cnamed).filter((e) => e.includes('(routing.custom-domain)'))).toHaveLength(1);
    expect(primitiveEvents(cnamed, ['XFailoverRouting'])).toEqual([]);
    expect(estateEvents(TWO_REGION_SPEC).filter((e) => e.includes('(routing.custom-domain)'))).toEqual([]);
  });

  it('a deprecated runtime: policy reports it as an error, the event says drctl validate refuses the claim, the service says nothing', () => {
    const old = changed({ service: { ...TWO_REGION_SPEC.service, runtime: 'nodejs20.x' } });
    expect(validated(old)).toContain('service.runtime-support spec.service.runtime');
    expect(
      estateEvents(old).filter((e) => e.includes('(service.runtime-support, an error: drctl validate refuses this claim)')),
    ).toHaveLength(1);
    expect(primitiveEvents(old, ['XRegionalService']).filter((m) => m.includes('deprecated'))).toEqual([]);
  });

  it('a plan (no today) carries no policy events: its output does not depend on the day', () => {
    const spec = changed({ tables: undefined });
    expect(composeLive(compositeOf(claim(spec)), liveView({})).events).toEqual([]);
  });
});
