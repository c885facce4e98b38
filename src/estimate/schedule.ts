/**
 * How many recovery points an AWS Backup cron schedule makes per day, on average:
 * `cron(minutes hours day-of-month month day-of-week year)`. Minutes and hours multiply; a
 * day-of-week or day-of-month restriction scales the daily count down (months are ignored).
 */

const DAYS_OF_WEEK = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Number of values a cron field selects within [min, max]; undefined when it cannot be read. */
export function fieldCount(field: string, min: number, max: number, names: readonly string[] = []): number | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const bounds = rangeOf(range, min, max, names, stepText !== undefined);
    if (!bounds || !Number.isInteger(step) || step < 1) return undefined;
    for (let v = bounds[0]; v <= bounds[1]; v += step) values.add(v);
  }
  return values.size;
}

function rangeOf(
  range: string,
  min: number,
  max: number,
  names: readonly string[],
  stepped: boolean,
): [number, number] | undefined {
  if (range === '*' || range === '?') return [min, max];
  const value = (s: string) =>
    names.includes(s.toUpperCase()) ? names.indexOf(s.toUpperCase()) + min : /^\d+$/.test(s) ? Number(s) : NaN;
  const [from = '', to] = range.split('-');
  const a = value(from);
  const b = to === undefined ? (stepped ? max : a) : value(to);
  return Number.isFinite(a) && Number.isFinite(b) && a >= min && b <= max && a <= b ? [a, b] : undefined;
}

/** Average recovery points per day of a schedule; undefined when the expression cannot be read. */
export function backupsPerDay(schedule: string): number | undefined {
  const fields = /^cron\((.*)\)$/.exec(schedule.trim())?.[1]?.trim().split(/\s+/);
  if (!fields || fields.length !== 6) return undefined;
  const [minutes = '', hours = '', dayOfMonth = '', , dayOfWeek = ''] = fields;
  const perDay = mul(fieldCount(minutes, 0, 59), fieldCount(hours, 0, 23));
  const weekly = dayOfWeek === '?' || dayOfWeek === '*' ? 7 : fieldCount(dayOfWeek, 1, 7, DAYS_OF_WEEK);
  const monthly = dayOfMonth === '?' || dayOfMonth === '*' ? 31 : fieldCount(dayOfMonth, 1, 31);
  if (perDay === undefined || weekly === undefined || monthly === undefined) return undefined;
  return perDay * (weekly / 7) * (monthly / 31);
}

const mul = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a * b;
