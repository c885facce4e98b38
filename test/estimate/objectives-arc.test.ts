/**
 * routing.control arc in the objectives: once armed, the routing-control flip as a labelled assumption, and, since
 * drplane does not flip the controls yet, people deciding to flip them after the automatic path too; unarmed, the
 * records keep the endpoint checks and neither step is there.
 */
import { describe, expect, it } from 'vitest';
import { rtoSteps } from '../../src/estimate/objectives/rto.js';
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

  it('automatic mode: people still decide to flip (the orchestrator does not), so the worst case grows by their time', () => {
    expect(ids(arc, 'region-loss')).toContain('arc-human');
    expect(ids(arc, 'planned-switchover')).not.toContain('arc-human');
    const manual = { ...arc, failover: { ...arc.failover!, mode: 'manual' as const } };
    expect(ids(manual, 'region-loss')).not.toContain('arc-human');
    expect(ids(manual, 'region-loss')).toContain('arc-flip');
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
