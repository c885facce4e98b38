/** Lookups over the Aurora version table: find a version, list what is accepted, suggest replacements. */
import { AURORA_VERSIONS, type AuroraEngine, type AuroraVersion } from './data/aurora-versions.js';
import { daysUntil } from './days.js';

export { daysUntil };

/** An Aurora MySQL engineVersion as written in a claim: community version, Aurora major.minor.patch. */
const MYSQL_ENGINE_VERSION = /^(\d+\.\d+)\.mysql_aurora\.(\d+)\.(\d+)\.(\d+)$/;
/** Aurora version inside an Aurora MySQL version or table row: major and minor. */
const MYSQL_AURORA_PART = /\.mysql_aurora\.(\d+)\.(\d+)/;

/** The table row an engineVersion falls under, if any (aurora-mysql matches on the minor version). */
export function findVersion(
  engine: AuroraEngine,
  engineVersion: string,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): AuroraVersion | undefined {
  const key = engine === 'aurora-mysql' ? mysqlMinor(engineVersion) : engineVersion;
  return key === undefined ? undefined : table.find((row) => row.engine === engine && row.version === key);
}

/** 8.0.mysql_aurora.3.10.3 → 8.0.mysql_aurora.3.10; undefined when not a full Aurora MySQL version. */
function mysqlMinor(engineVersion: string): string | undefined {
  const match = MYSQL_ENGINE_VERSION.exec(engineVersion);
  return match ? `${match[1]}.mysql_aurora.${match[2]}.${match[3]}` : undefined;
}

/** Numeric [major, minor] that order a version (for Aurora MySQL, of the Aurora version: 3.10). */
export function versionParts(engine: AuroraEngine, version: string): [number, number] {
  const match = engine === 'aurora-mysql' ? MYSQL_AURORA_PART.exec(version) : null;
  const [major, minor] = match ? [match[1], match[2]] : version.split('.');
  const toInt = (part: string | undefined): number => {
    const n = Number.parseInt(part ?? '', 10);
    return Number.isNaN(n) ? -1 : n;
  };
  return [toInt(major), toInt(minor)];
}

/** True when the row can start a new global database on `today`. */
export function isAccepted(row: AuroraVersion, today: Date): boolean {
  return row.globalDatabase && daysUntil(row.endOfStandardSupport, today) >= 0;
}

/** Versions of an engine that can start a new global database on `today`, newest first. */
export function acceptedVersions(
  engine: AuroraEngine,
  today: Date,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): AuroraVersion[] {
  const order = (row: AuroraVersion) => versionParts(engine, row.version);
  return table
    .filter((row) => row.engine === engine && isAccepted(row, today))
    .sort((a, b) => order(b)[0] - order(a)[0] || order(b)[1] - order(a)[1]);
}

/** How to write a row's version in a claim: as is for PostgreSQL, any patch of the minor for MySQL. */
export function writable(row: AuroraVersion): string {
  return row.engine === 'aurora-mysql' ? `${row.version}.x` : row.version;
}

/**
 * Up to two accepted versions to write instead of `engineVersion`: within the same major, the
 * nearest minor and the newest; for another or unknown major, the newest of each of the two newest
 * majors. Empty when the engine has no accepted version.
 */
export function suggestVersions(
  engine: AuroraEngine,
  engineVersion: string,
  today: Date,
  table: readonly AuroraVersion[] = AURORA_VERSIONS,
): string[] {
  const accepted = acceptedVersions(engine, today, table);
  const [major, minor] = versionParts(engine, engineVersion);
  const sameMajor = accepted.filter((row) => versionParts(engine, row.version)[0] === major);
  if (sameMajor.length > 0) {
    const distance = (row: AuroraVersion) => Math.abs(versionParts(engine, row.version)[1] - minor);
    const nearest = [...sameMajor].sort((a, b) => distance(a) - distance(b))[0]!;
    return unique([writable(nearest), writable(sameMajor[0]!)]);
  }
  const newestPerMajor = new Map<number, AuroraVersion>();
  for (const row of accepted) {
    const rowMajor = versionParts(engine, row.version)[0];
    if (!newestPerMajor.has(rowMajor)) newestPerMajor.set(rowMajor, row);
  }
  return [...newestPerMajor.values()].slice(0, 2).map(writable);
}

const unique = (values: string[]): string[] => [...new Set(values)];
