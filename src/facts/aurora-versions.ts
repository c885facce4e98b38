/**
 * Aurora engine versions as drplane judges them: the versions and deprecations of the facts extracted from cfn-lint
 * (src/facts/generated/aurora.json, `npm run facts`) joined with the overlay of what no maintained source has
 * (./aurora-global.ts: global-database support and end of standard support per major version).
 */
import { AURORA_FACTS, type AuroraEngine } from './aurora.js';
import { END_OF_STANDARD_SUPPORT, GLOBAL_DATABASE_SUPPORT } from './aurora-global.js';

export type { AuroraEngine };

/** One engine version and what the data and the overlay say about it. */
export interface AuroraVersion {
  /** Engine the version belongs to. */
  readonly engine: AuroraEngine;
  /** engineVersion as a claim writes it (16.15, 8.0.mysql_aurora.3.10.3). */
  readonly version: string;
  /** Aurora major version: PostgreSQL's major, Aurora MySQL's own (3 for 8.0.mysql_aurora.3.10.3). */
  readonly major: string;
  /** The data marks it deprecated: AWS no longer creates clusters with it. */
  readonly deprecated: boolean;
  /** The overlay confirms Aurora global databases support it. */
  readonly globalDatabase: boolean;
  /** Last day of Aurora standard support of its major version (YYYY-MM-DD), when the overlay knows it. */
  readonly endOfStandardSupport?: string;
}

/** An Aurora MySQL engineVersion: community version, then Aurora major.minor.patch[.n]. */
const MYSQL_VERSION = /^\d+\.\d+\.mysql_aurora\.(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?$/;
const PG_VERSION = /^(\d+)\.(\d+)$/;

/**
 * Numbers that order versions of an engine (16.15 → [16, 15]; 8.0.mysql_aurora.3.10.3 → [3, 10, 3]); undefined when
 * `version` is not in the form AWS names the engine's versions.
 */
export function versionKey(engine: AuroraEngine, version: string): number[] | undefined {
  const match = (engine === 'aurora-mysql' ? MYSQL_VERSION : PG_VERSION).exec(version);
  return match
    ? match
        .slice(1)
        .filter((part) => part !== undefined)
        .map(Number)
    : undefined;
}

/** Orders two version keys (negative when `a` is older). */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function row(engine: AuroraEngine, version: string, deprecated: ReadonlySet<string>): AuroraVersion {
  const key = versionKey(engine, version)!;
  const major = String(key[0]);
  const support = GLOBAL_DATABASE_SUPPORT[engine][major];
  const end = END_OF_STANDARD_SUPPORT[engine][major];
  return {
    engine,
    version,
    major,
    deprecated: deprecated.has(version),
    globalDatabase: support !== undefined && compareKeys(key, versionKey(engine, support.from)!) >= 0,
    ...(end === undefined ? {} : { endOfStandardSupport: end }),
  };
}

/** Every version the data lists for drplane's engines, oldest first per engine. */
export const AURORA_VERSIONS: readonly AuroraVersion[] = (Object.keys(AURORA_FACTS.engines) as AuroraEngine[]).flatMap(
  (engine) => {
    const facts = AURORA_FACTS.engines[engine];
    const deprecated = new Set(facts.deprecated);
    return facts.versions.filter((v) => versionKey(engine, v) !== undefined).map((v) => row(engine, v, deprecated));
  },
);
