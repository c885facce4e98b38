/** Building steps and converting seconds to minutes. */
import type { TimingBasis, Timing } from '../../facts/timings.js';
import type { Step } from './types.js';

/** Seconds to minutes with one decimal. */
export const minutes = (seconds: number): number => Math.round(seconds / 6) / 10;

/** A duration as the advice writes it: seconds below a minute, else ~minutes with one decimal. */
export const approx = (seconds: number): string => (seconds >= 60 ? `~${minutes(seconds)} min` : `${seconds} s`);

/** Where a step's typical and worst-case figures come from. */
export interface StepBasis {
  readonly typical: TimingBasis;
  readonly worst: TimingBasis;
}

/** Figures the claim sets (a TTL, a health-check interval) on a documented mechanism. */
export const CONFIGURED: StepBasis = { typical: 'configured', worst: 'configured' };

/** A step from explicit seconds. */
export function step(
  objective: Step['objective'],
  id: string,
  label: string,
  typicalSeconds: number,
  worstSeconds: number,
  source: string,
  counted = true,
  basis: StepBasis = CONFIGURED,
): Step {
  return {
    objective,
    id,
    label,
    typicalSeconds,
    worstSeconds,
    typicalMinutes: minutes(typicalSeconds),
    worstMinutes: minutes(worstSeconds),
    counted,
    typicalBasis: basis.typical,
    worstBasis: basis.worst,
    source,
  };
}

/** The basis of a timing constant. */
export const basisOf = (t: Timing): StepBasis => ({ typical: t.typicalBasis, worst: t.worstBasis });

/** An RTO step from a timing constant. */
export const timed = (id: string, label: string, t: Timing, counted = true): Step =>
  step('rto', id, label, t.typicalSeconds, t.worstSeconds, t.source, counted, basisOf(t));

/** Sum of the counted steps. */
export function total(steps: readonly Step[]): { typicalSeconds: number; worstSeconds: number } {
  const counted = steps.filter((s) => s.counted);
  return {
    typicalSeconds: counted.reduce((n, s) => n + s.typicalSeconds, 0),
    worstSeconds: counted.reduce((n, s) => n + s.worstSeconds, 0),
  };
}
