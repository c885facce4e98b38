/** Calendar arithmetic for the dated support tables (AWS dates are whole UTC days). */

const DAY_MS = 86_400_000;

/** Whole days from `today` to a day given as YYYY-MM-DD (0 on that day, negative once it has passed). */
export function daysUntil(date: string, today: Date): number {
  const end = Date.parse(`${date}T00:00:00Z`);
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((end - start) / DAY_MS);
}
