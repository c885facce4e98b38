/** Building steps and converting seconds to minutes. */
import type { Timing } from '../timings.js';
import type { Step } from './types.js';

/** Seconds to minutes with one decimal. */
export const minutes = (seconds: number): number => Math.round(seconds / 6) / 10;

/** A step from explicit seconds. */
export function step(
  objective: Step['objective'],
  id: string,
  label: string,
  typicalSeconds: number,
  worstSeconds: number,
  source: string,
  counted = true,
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
    source,
  };
}

/** An RTO step from a timing constant. */
export const timed = (id: string, label: string, t: Timing, counted = true): Step =>
  step('rto', id, label, t.typicalSeconds, t.worstSeconds, t.source, counted);

/** Sum of the counted steps. */
export function total(steps: readonly Step[]): { typicalSeconds: number; worstSeconds: number } {
  const counted = steps.filter((s) => s.counted);
  return {
    typicalSeconds: counted.reduce((n, s) => n + s.typicalSeconds, 0),
    worstSeconds: counted.reduce((n, s) => n + s.worstSeconds, 0),
  };
}
