/**
 * Aurora engine versions drplane accepts for a global database, with their end of standard support.
 *
 * How to read a row:
 * - `version` is the exact `engineVersion` for aurora-postgresql (16.13) and the minor-version prefix
 *   for aurora-mysql (8.0.mysql_aurora.3.10 matches 8.0.mysql_aurora.3.10.x).
 * - `globalDatabase` is true only when AWS documents global-database support for the version AND the
 *   version is offered today; false when AWS rejects it for CreateGlobalCluster or support is not
 *   confirmed (`note` says which).
 * - `endOfStandardSupport` is the "Aurora end of standard support date" of the version's MAJOR
 *   version from the AWS release calendars. AWS withdraws minor versions earlier (usually about a year
 *   after release, three years for LTS minors); the table lists only minor versions the release
 *   calendar still listed when checked, so a withdrawn minor is either absent (unknown to drplane) or
 *   a row with globalDatabase: false.
 * - `source` names where the row comes from and `checked` when it was last compared with it.
 *
 * Updating: compare with the two calendars and the global-database support page below, add or
 * remove rows, and set `checked` to the day you did it. `drctl explain spec.database.engineVersion`
 * prints the versions accepted today.
 */
import type { DATABASE_ENGINES } from '../../api/sections.js';

/** An Aurora engine drplane supports. */
export type AuroraEngine = (typeof DATABASE_ENGINES)[number];

/** One engine version and what AWS says about it. */
export interface AuroraVersion {
  /** Engine the version belongs to. */
  readonly engine: AuroraEngine;
  /** engineVersion (aurora-postgresql) or minor-version prefix (aurora-mysql). */
  readonly version: string;
  /** AWS offers the version for a new Aurora global database (CreateGlobalCluster accepts it). */
  readonly globalDatabase: boolean;
  /** Last day of Aurora standard support (YYYY-MM-DD) of the version's major version. */
  readonly endOfStandardSupport: string;
  /** AWS document (name and URL) or incident the row comes from. */
  readonly source: string;
  /** Day (YYYY-MM-DD) the row was last compared with its source. */
  readonly checked: string;
  /** Why the row is what it is, when it is not obvious. */
  readonly note?: string;
}

const CHECKED = '2026-11-23';

const PG_CALENDAR =
  'AWS "Aurora PostgreSQL release calendars" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html), ' +
  'minor versions as listed on 2026-08-18 (mirror: github.com/endoflife-date/release-data, releases/amazon-aurora-postgresql.json); ' +
  'global support: AWS "Supported Regions and DB engines for Aurora global databases" ' +
  '(https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html)';

const MYSQL_CALENDAR =
  'AWS "Aurora MySQL release calendars" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html), ' +
  'minor versions as listed in late August 2026 (mirror: github.com/endoflife-date/release-data, releases/amazon-aurora-mysql.json); ' +
  'global support: AWS "Supported Regions and DB engines for Aurora global databases" (version 3.01.0 and higher, 2.07.0 and higher)';

const SEED_004 =
  'post-mortem seed 004: CreateGlobalCluster with aurora-postgresql 15.4 failed with "InvalidParameterValue: The requested engine version was not found or does not support global functionality"';

/** Aurora end of standard support per major version, from the release calendars for major versions. */
const MAJOR_END_OF_SUPPORT: Readonly<Record<string, string>> = {
  'aurora-postgresql 11': '2024-02-29',
  'aurora-postgresql 12': '2025-02-28',
  'aurora-postgresql 13': '2026-02-28',
  'aurora-postgresql 14': '2027-02-28',
  'aurora-postgresql 15': '2028-02-29',
  'aurora-postgresql 16': '2029-02-28',
  'aurora-postgresql 17': '2030-02-28',
  'aurora-postgresql 18': '2031-02-28',
  'aurora-mysql 2': '2024-10-31',
  'aurora-mysql 3': '2028-04-30',
};

const pg = (version: string, overrides: Partial<AuroraVersion> = {}): AuroraVersion => ({
  engine: 'aurora-postgresql',
  version,
  globalDatabase: true,
  endOfStandardSupport: MAJOR_END_OF_SUPPORT[`aurora-postgresql ${version.split('.')[0]}`]!,
  source: PG_CALENDAR,
  checked: CHECKED,
  ...overrides,
});

const mysql = (community: string, aurora: string): AuroraVersion => ({
  engine: 'aurora-mysql',
  version: `${community}.mysql_aurora.${aurora}`,
  globalDatabase: true,
  endOfStandardSupport: MAJOR_END_OF_SUPPORT[`aurora-mysql ${aurora.split('.')[0]}`]!,
  source: MYSQL_CALENDAR,
  checked: CHECKED,
});

/** Every engine version drplane knows, oldest first per engine. */
export const AURORA_VERSIONS: readonly AuroraVersion[] = [
  ...['11.9', '11.21', '12.9', '12.22', '13.9', '13.23'].map((v) => pg(v)),
  ...['14.6', '14.17', '14.18', '14.19', '14.20', '14.22'].map((v) => pg(v)),
  pg('15.4', {
    globalDatabase: false,
    source: `${SEED_004}; absent from the Aurora PostgreSQL release calendar since at least 2026-01-10`,
    note: 'withdrawn minor version: AWS no longer offers it, so a global cluster cannot be created with it',
  }),
  ...['15.10', '15.12', '15.13', '15.14', '15.15', '15.17'].map((v) => pg(v)),
  ...['16.8', '16.9', '16.10', '16.11', '16.13'].map((v) => pg(v)),
  ...['17.4', '17.5', '17.6', '17.7', '17.9'].map((v) => pg(v)),
  pg('18.3', {
    globalDatabase: false,
    note: 'listed in the release calendar (2026-06-11) but global-database support for PostgreSQL 18 was not confirmed when checked; verify and set globalDatabase: true',
  }),
  mysql('5.7', '2.11'),
  mysql('5.7', '2.12'),
  ...['3.08', '3.09', '3.10', '3.11', '3.12', '3.13'].map((v) => mysql('8.0', v)),
];
