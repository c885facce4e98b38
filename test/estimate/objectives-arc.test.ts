/**
 * routing.control arc in the objectives: once armed, the routing-control flip as a labelled assumption, done by the
 * orchestrator's switch-dns step in every run, or by people where no orchestrator is composed; unarmed, the records keep
 * the endpoint checks and the step is not there.
 */
import { describe, expect, it } from 'vitest';
import { rtoSecondsOf, rtoSteps } from '../../src/estimate/objectives/rto.js';
import { failoverBlocker } from '../../src/primitives/failover/rules.js';
import { ARC_TIMING } from '../../src/facts/timings.js';
import { threeRegionArc } from '../support/variants.js';

describe('objectives of routing.control arc', () => {
  const arc = threeRegionArc({ armed: true }).spec;
  const health = { ...arc, routing: { ...arc.routing!, control: undefined } };
  const ids = (spec: typeof arc, failure: Parameters<typeof rtoSteps>[1]) => rtoSteps(spec, failure).map((s) => s.id);

  it('adds the flip, with ARC timings marked as assumptions, before DNS', () => {
    const flip = rtoSteps(arc, 'region-loss').find((s) => s.id === 'arc-flip')!;
    expect(flip).toMatchObject({ typicalSeconds: ARC_TIMING.flip.typicalSeconds, worstSeconds: ARC_TIMING.flip.worstSeconds });
    expect([flip.typicalBasis, flip.worstBasis]).toEqual(['assumption', 'assumption']);
    const order = ids(arc, 'region-loss');
    expect(order.indexOf('arc-flip')).toBe(order.indexOf('dns') - 1);
  });

  // Before audit-21-close M1 this test asserted that people still decide to flip after the automatic path (an
  // `arc-human` step); the orchestrator's switch-dns step flips the controls in every run, so nobody decides it.
  it("the orchestrator's switch-dns flips the controls: no human step in any mode, and the RTO is the health-check one plus the flip", () => {
    const manual = { ...arc, failover: { ...arc.failover!, mode: 'manual' as const } };
    for (const spec of [arc, manual])
      for (const failure of ['region-loss', 'application-fault', 'planned-switchover'] as const) {
        const steps = rtoSteps(spec, failure);
        expect(steps.filter((s) => s.id.startsWith('arc-')).map((s) => s.id)).toEqual(['arc-flip']);
        expect(steps.find((s) => s.id === 'arc-flip')!.label).toMatch(/by the orchestrator's switch-dns step/);
        // The same steps as with health-check routing, plus the flip before DNS.
        const withChecks = { ...spec, routing: { ...spec.routing!, control: undefined } };
        expect(steps.filter((s) => s.id !== 'arc-flip').map((s) => s.id)).toEqual(ids(withChecks, failure));
      }
    const automatic = rtoSecondsOf(arc, 'region-loss');
    const withChecks = rtoSecondsOf(health, 'region-loss');
    expect(automatic.typicalSeconds - withChecks.typicalSeconds).toBe(ARC_TIMING.flip.typicalSeconds);
    expect(automatic.worstSeconds - withChecks.worstSeconds).toBe(ARC_TIMING.flip.worstSeconds);
  });

  it('without an orchestrator (no monitoring: failoverBlocker) people flip the controls with the ARC CLI', () => {
    const blocked = { ...arc, monitoring: undefined };
    expect(failoverBlocker(blocked)).toMatch(/monitoring/);
    for (const failure of ['region-loss', 'planned-switchover'] as const)
      expect(rtoSteps(blocked, failure).find((s) => s.id === 'arc-flip')!.label).toMatch(
        /by people, with the ARC CLI: no orchestrator is composed \(it needs monitoring/,
      );
  });

  it('health-check (unset) has neither step', () => {
    for (const failure of ['region-loss', 'application-fault', 'planned-switchover'] as const)
      expect(ids(health, failure).filter((id) => id.startsWith('arc-'))).toEqual([]);
  });

  it('arc not armed: the records keep the endpoint checks, so neither step, and the same steps as health-check', () => {
    const unarmed = threeRegionArc().spec;
    for (const failure of ['region-loss', 'application-fault', 'planned-switchover'] as const)
      expect(ids(unarmed, failure)).toEqual(ids(health, failure));
  });
});
