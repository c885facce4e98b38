/** Lookups over the Aurora versions (src/facts + overlay): find a version, list what is accepted, suggest replacements. */
import { AURORA_VERSIONS, type AuroraEngine, type AuroraVersion, compareKeys, versionKey } from '../facts/aurora-versions.js';
import { daysUntil } from '../facts/days.js';

export { daysUntil, versionKey };

/** The row of an engineVersion, if the data lists it. */
export function findVersion(
  engine: AuroraEngine,
  engineVersion: string,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): AuroraVersion | undefined {
  return table.find((row) => row.engine === engine && row.version === engineVersion);
}

const keyOf = (row: AuroraVersion): number[] => versionKey(row.engine, row.version)!;

/** True when the row can start a new global database on `today`: offered, global support confirmed, in standard support. */
export function isAccepted(row: AuroraVersion, today: Date): boolean {
  return (
    !row.deprecated &&
    row.globalDatabase &&
    row.endOfStandardSupport !== undefined &&
    daysUntil(row.endOfStandardSupport, today) >= 0
  );
}

/** Versions of an engine that can start a new global database on `today`, newest first. */
export function acceptedVersions(
  engine: AuroraEngine,
  today: Date,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): AuroraVersion[] {
  return table.filter((row) => row.engine === engine && isAccepted(row, today)).sort((a, b) => compareKeys(keyOf(b), keyOf(a)));
}

/**
 * The newest version the data lists that `engineVersion` is newer than, when it is newer than every listed version of
 * its major version (or its major is newer than every listed major): a release after the data was taken, not a
 * withdrawn one. Undefined otherwise, and for a version not in the engine's form.
 */
export function newerThanKnown(
  engine: AuroraEngine,
  engineVersion: string,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): AuroraVersion | undefined {
  const key = versionKey(engine, engineVersion);
  const rows = table.filter((row) => row.engine === engine).sort((a, b) => compareKeys(keyOf(b), keyOf(a)));
  if (key === undefined || rows.length === 0) return undefined;
  const sameMajor = rows.filter((row) => keyOf(row)[0] === key[0]);
  const newest = sameMajor[0] ?? rows[0]!;
  if (sameMajor.length === 0 && key[0]! < keyOf(newest)[0]!) return undefined;
  return compareKeys(key, keyOf(newest)) > 0 ? newest : undefined;
}

/**
 * Up to two accepted versions to write instead of `engineVersion`: within the same major, the nearest and the newest;
 * for another or unknown major, the newest of each of the two newest majors. Empty when the engine has none.
 */
export function suggestVersions(
  engine: AuroraEngine,
  engineVersion: string,
  today: Date,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): string[] {
  const accepted = acceptedVersions(engine, today, table);
  const key = versionKey(engine, engineVersion) ?? [Number.parseInt(engineVersion, 10)];
  const sameMajor = accepted.filter((row) => keyOf(row)[0] === key[0]);
  if (sameMajor.length > 0) {
    const distance = (row: AuroraVersion) => keyOf(row).map((part, i) => Math.abs(part - (key[i] ?? 0)));
    const nearest = [...sameMajor].sort((a, b) => compareKeys(distance(a).slice(1), distance(b).slice(1)))[0]!;
    return [...new Set([nearest.version, sameMajor[0]!.version])];
  }
  return newestOfTwoMajors(accepted);
}

/** The newest version of each of the two newest majors among `rows` (sorted newest first), newest first. */
function newestOfTwoMajors(rows: readonly AuroraVersion[]): string[] {
  const newestPerMajor = new Map<number, AuroraVersion>();
  for (const row of rows) if (!newestPerMajor.has(keyOf(row)[0]!)) newestPerMajor.set(keyOf(row)[0]!, row);
  return [...newestPerMajor.values()].slice(0, 2).map((row) => row.version);
}

/** The newest accepted version of each of the (up to two) newest majors after `engineVersion`'s own, newest first. */
export function laterMajorVersions(
  engine: AuroraEngine,
  engineVersion: string,
  today: Date,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): string[] {
  const major = (versionKey(engine, engineVersion) ?? [Number.parseInt(engineVersion, 10)])[0]!;
  return newestOfTwoMajors(acceptedVersions(engine, today, table).filter((row) => keyOf(row)[0]! > major));
}
