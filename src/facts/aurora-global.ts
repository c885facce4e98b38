/**
 * What drplane knows about Aurora global databases that no maintained data source has: the overlay on the facts
 * extracted from cfn-lint (src/facts). Each entry names its AWS source and the day it was compared with it.
 *
 * Sources: AWS Aurora User Guide, "Using Amazon Aurora global databases" (limitations: memory-optimized classes only,
 * no burstable db.t*), "Supported Regions and DB engines for Aurora global databases"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html)
 * and the Aurora release calendars for major versions. Checked 2026-11-23.
 *
 * Updating: compare with the sources when the facts are updated (README, "AWS facts"), and set CHECKED.
 */
import type { AuroraEngine } from './aurora.js';

/** Day the overlay was last compared with its sources. */
export const CHECKED = '2026-11-23';

const GLOBAL_PAGE =
  'AWS "Supported Regions and DB engines for Aurora global databases" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html)';

/**
 * Where the Aurora PostgreSQL floors come from, said as it is: unlike the two Aurora MySQL floors, which quote the page's
 * own "and higher", these are the oldest minor of each major that drplane confirmed against the page (each is also the
 * oldest that cfn-lint does not mark deprecated). The page's PostgreSQL table, which can differ by region, could not be
 * re-checked offline; an older minor is refused as deprecated by the facts anyway.
 */
const PG_FLOOR = `oldest minor drplane confirmed against ${GLOBAL_PAGE} (not a floor the page states; per-region differences not modelled)`;

/** Instance families a global database accepts (memory-optimized; db.x2g for very large memory). */
export const GLOBAL_DATABASE_FAMILIES: readonly string[] = ['r5', 'r6g', 'r6i', 'r7g', 'r7i', 'r8g', 'x2g'];

/** Sizes of those families that exist: large and every Nxlarge. */
export const GLOBAL_DATABASE_SIZE = /^(large|\d*xlarge)$/;

/** The class suggested instead of one a global database refuses: the smallest Graviton class. */
export const SUGGESTED_INSTANCE_CLASS = 'db.r6g.large';

/** True when a global database accepts the instance class (family and size). */
export function globalDatabaseClass(instanceClass: string): boolean {
  const [, family = '', size = ''] = instanceClass.split('.');
  return GLOBAL_DATABASE_FAMILIES.includes(family) && GLOBAL_DATABASE_SIZE.test(size);
}

/** Regions drplane knows where Aurora global databases are not available (the page lists them as "Not available"). */
export const GLOBAL_DATABASE_UNAVAILABLE_REGIONS: readonly string[] = ['ap-east-2', 'ap-southeast-7'];

/** A major version whose versions from `from` on are confirmed to support Aurora global databases. */
export interface GlobalSupport {
  /** Lowest version of the major confirmed against the source (the page states support per major "and higher"). */
  readonly from: string;
  /** Where that comes from. */
  readonly source: string;
}

/**
 * Aurora major version (PostgreSQL major; Aurora MySQL's own major: 3 for 8.0.mysql_aurora.3.x) → global-database
 * support. A major that is not listed (aurora-postgresql 18, Aurora MySQL 8.4) was not confirmed when checked: its
 * versions validate with a warning to check before applying.
 */
export const GLOBAL_DATABASE_SUPPORT: Readonly<Record<AuroraEngine, Readonly<Record<string, GlobalSupport>>>> = {
  'aurora-postgresql': {
    '11': { from: '11.9', source: PG_FLOOR },
    '12': { from: '12.9', source: PG_FLOOR },
    '13': { from: '13.9', source: PG_FLOOR },
    '14': { from: '14.6', source: PG_FLOOR },
    '15': {
      from: '15.10',
      source: `${PG_FLOOR}; 15.4 was refused for a global database in post-mortem seed 004 (an incident, not an AWS source)`,
    },
    '16': { from: '16.8', source: PG_FLOOR },
    '17': { from: '17.4', source: PG_FLOOR },
  },
  'aurora-mysql': {
    '2': { from: '5.7.mysql_aurora.2.07.0', source: `${GLOBAL_PAGE}: "2.07.0 and higher"` },
    '3': { from: '8.0.mysql_aurora.3.01.0', source: `${GLOBAL_PAGE}: "3.01.0 and higher"` },
  },
};

const PG_MAJORS =
  'AWS "Aurora PostgreSQL release calendars", major versions (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html)';
const MYSQL_MAJORS =
  'AWS "Aurora MySQL release calendars", major versions (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html)';

/** Aurora end of standard support (YYYY-MM-DD, the last supported day) per engine and major version. */
export const END_OF_STANDARD_SUPPORT: Readonly<Record<AuroraEngine, Readonly<Record<string, string>>>> = {
  'aurora-postgresql': {
    '11': '2024-02-29',
    '12': '2025-02-28',
    '13': '2026-02-28',
    '14': '2027-02-28',
    '15': '2028-02-29',
    '16': '2029-02-28',
    '17': '2030-02-28',
    '18': '2031-02-28',
  },
  'aurora-mysql': { '2': '2024-10-31', '3': '2028-04-30' },
};

/** Where END_OF_STANDARD_SUPPORT comes from, per engine. */
export const END_OF_STANDARD_SUPPORT_SOURCE: Readonly<Record<AuroraEngine, string>> = {
  'aurora-postgresql': PG_MAJORS,
  'aurora-mysql': MYSQL_MAJORS,
};

/**
 * Aurora MySQL versions from which a global database publishes AuroraGlobalDBRPOLag, per Aurora major. AWS Aurora
 * User Guide, "Monitoring Aurora global databases": every Aurora PostgreSQL version and Aurora MySQL "3.04.0 and
 * higher or 2.12.0 and higher" publish it; lower minor versions publish AuroraGlobalDBReplicationLag instead.
 * Checked 2026-12-05.
 */
export const RPO_LAG_METRIC_FROM: Readonly<Partial<Record<AuroraEngine, Readonly<Record<string, string>>>>> = {
  'aurora-mysql': { '2': '5.7.mysql_aurora.2.12.0', '3': '8.0.mysql_aurora.3.04.0' },
};
