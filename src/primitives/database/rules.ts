/** Rules for the Aurora global database: engine version, instance class and regions. */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { AURORA_FACTS, instanceClassTable } from '../../facts/aurora.js';
import { nearest, offeredEverywhere, regionsLacking } from '../../facts/regional.js';
import { describeSource } from '../../facts/source.js';
import {
  GLOBAL_DATABASE_FAMILIES,
  GLOBAL_DATABASE_UNAVAILABLE_REGIONS,
  SUGGESTED_INSTANCE_CLASS,
  globalDatabaseClass,
} from '../../facts/aurora-global.js';
import type { AuroraVersion } from '../../facts/aurora-versions.js';
import { daysUntil, findVersion, laterMajorVersions, newerThanKnown, suggestVersions } from '../../policy/engine-versions.js';
import { capitalize } from '../../policy/text.js';
import { type Fix, type PolicyRule, type Problem, problem, withFix } from '../../policy/types.js';
import reservedMasterUsernames from '../../facts/generated/rds-master-usernames.json' with { type: 'json' };

/** Days before the end of standard support from which a version draws a warning. */
export const SUPPORT_WARNING_DAYS = 180;

const AWS_GLOBAL_ERROR = '"The requested engine version was not found or does not support global functionality"';

/** "drplane's data (cfn-lint 1.58.0 data of 2026-10-20)". */
const DATA = `drplane's data (${describeSource(AURORA_FACTS.source)})`;

const PATH = 'spec.database.engineVersion';

type Database = NonNullable<DisasterRecoverySpec['database']>;

const quoteList = (versions: string[]): string => versions.map((v) => `"${v}"`).join(' or ');

/**
 * The engine version is offered (not deprecated), supports global databases and is inside Aurora standard support.
 * A version newer than every one the data knows, or one whose global-database support the overlay does not confirm,
 * draws a warning instead: AWS may well offer it, drplane cannot say.
 */
export const engineVersionRule: PolicyRule = {
  id: 'database.engine-version',
  dated: true,
  severity: 'error',
  summary:
    "Aurora engine version must be one AWS offers (not deprecated), support global databases and be inside standard support (warning within 180 days of its end, and for versions newer than drplane's data).",
  check: (spec, ctx) => {
    const db = spec.database;
    if (!db) return [];
    const row = findVersion(db.engine, db.engineVersion);
    const instead = suggestVersions(db.engine, db.engineVersion, ctx.today);
    const fix =
      instead.length > 0
        ? `write engineVersion: ${quoteList(instead)}`
        : 'choose a version from `drctl explain spec.database.engineVersion`';
    const versionFix: Fix | undefined = instead[0] ? { path: PATH, value: instead[0] } : undefined;
    const fixed = (problems: Problem[]) => problems.map((p) => withFix(p, versionFix));
    if (!row) return fixed([unknownVersion(db, fix, ctx.today)]);
    if (row.deprecated) return fixed([deprecatedVersion(db, row, ctx.today, fix)]);
    const window = supportWindow(db, row, ctx.today, fix).map((p) => (p.fix ? p : withFix(p, versionFix)));
    if (window.some((p) => p.severity === 'error')) return window;
    return row.globalDatabase ? window : [...fixed([unconfirmedGlobal(db, fix)]), ...window];
  },
};

/** Why AWS no longer creates clusters of a version's major, judged by its newest known version; undefined if it does. */
function closedMajor(newest: AuroraVersion, today: Date): string | undefined {
  if (newest.deprecated) return `the newest version of its major the data knows, ${newest.version}, is deprecated`;
  const end = newest.endOfStandardSupport;
  if (end !== undefined && daysUntil(end, today) < 0) return `standard support for its major version ended on ${end}`;
  return undefined;
}

function unknownVersion(db: Database, fix: string, today: Date): Problem {
  const newest = newerThanKnown(db.engine, db.engineVersion);
  const closed = newest && closedMajor(newest, today);
  if (newest && closed) {
    // Newer than the data only within a major AWS has closed: not a plausible new release.
    return problem(
      engineVersionRule,
      PATH,
      `${db.engine} ${db.engineVersion} is not a version AWS offers according to ${DATA}, and ${closed}; ` +
        `AWS refuses it with ${AWS_GLOBAL_ERROR}. ${capitalize(fix)}`,
    );
  }
  if (newest) {
    return problem(
      engineVersionRule,
      PATH,
      `${db.engine} ${db.engineVersion} is newer than ${DATA}, whose newest is ${newest.version}: check that AWS offers it for global databases ` +
        `(CreateGlobalCluster fails with ${AWS_GLOBAL_ERROR} otherwise), or ${fix}`,
      'warning',
    );
  }
  return problem(
    engineVersionRule,
    PATH,
    `${db.engine} ${db.engineVersion} is not a version AWS offers according to ${DATA}; ` +
      `AWS refuses unknown and withdrawn versions with ${AWS_GLOBAL_ERROR}. ${capitalize(fix)}`,
  );
}

function deprecatedVersion(db: Database, row: AuroraVersion, today: Date, fix: string): Problem {
  const end = row.endOfStandardSupport;
  const major =
    end === undefined ? '' : `; standard support for its major version ${daysUntil(end, today) < 0 ? 'ended' : 'ends'} on ${end}`;
  return problem(
    engineVersionRule,
    PATH,
    `${db.engine} ${db.engineVersion} is deprecated: AWS no longer creates clusters with it (${describeSource(AURORA_FACTS.source)} lists it as deprecated, without a date${major}), ` +
      `so CreateGlobalCluster fails with ${AWS_GLOBAL_ERROR}. ${capitalize(fix)}`,
  );
}

function unconfirmedGlobal(db: Database, fix: string): Problem {
  return problem(
    engineVersionRule,
    PATH,
    `AWS offers ${db.engine} ${db.engineVersion} (${DATA}), but drplane has not confirmed that it supports Aurora global databases ` +
      `(src/facts/aurora-global.ts): check that AWS offers it for global databases before applying, or ${fix}`,
    'warning',
  );
}

function supportWindow(db: Database, row: AuroraVersion, today: Date, fix: string): Problem[] {
  if (row.endOfStandardSupport === undefined) return [];
  const days = daysUntil(row.endOfStandardSupport, today);
  if (days < 0) {
    return [
      problem(
        engineVersionRule,
        PATH,
        `${db.engine} ${db.engineVersion} left Aurora standard support on ${row.endOfStandardSupport}; a new estate must start in standard support ` +
          `(after that date AWS bills RDS Extended Support and upgrades stop being optional). ${capitalize(fix)}`,
      ),
    ];
  }
  if (days > SUPPORT_WARNING_DAYS) return [];
  // The whole major ends: another version of it is no way out, so propose later majors.
  const later = laterMajorVersions(db.engine, db.engineVersion, today);
  const upgrade = later.length > 0 ? `upgrade to a later major version (write engineVersion: ${quoteList(later)})` : fix;
  return [
    withFix(
      problem(
        engineVersionRule,
        PATH,
        `Aurora standard support for ${db.engine} ${db.engineVersion} ends on ${row.endOfStandardSupport} (in ${days} days); ` +
          `after that AWS enrolls the clusters in paid RDS Extended Support. Plan the upgrade now: ${upgrade}`,
        'warning',
      ),
      later[0] ? { path: PATH, value: later[0] } : undefined,
    ),
  ];
}

/** SUGGESTED_INSTANCE_CLASS, or when a region of the claim lacks it the nearest global-database class all of them offer. */
function suggestedClass(engine: Database['engine'], regions: readonly string[]): string {
  const table = instanceClassTable(engine);
  if (regionsLacking(table, SUGGESTED_INSTANCE_CLASS, regions).length === 0) return SUGGESTED_INSTANCE_CLASS;
  return (
    nearest(SUGGESTED_INSTANCE_CLASS, offeredEverywhere(table, regions).filter(globalDatabaseClass)) ?? SUGGESTED_INSTANCE_CLASS
  );
}

/** The instance class is one Aurora global databases accept (memory-optimized, large or bigger). */
export const instanceClassRule: PolicyRule = {
  id: 'database.instance-class',
  severity: 'error',
  summary:
    'Aurora global databases need db.r5/r6g/r6i/r7g/r7i/r8g or db.x2g instances, size large or bigger; burstable db.t* classes are refused.',
  check: (spec) => {
    const db = spec.database;
    const instanceClass = db?.instanceClass;
    if (db === undefined || instanceClass === undefined) return [];
    if (globalDatabaseClass(instanceClass)) return [];
    const suggested = suggestedClass(db.engine, [spec.regions.primary, ...spec.regions.secondaries]);
    const [, family = ''] = instanceClass.split('.');
    const why = family.startsWith('t')
      ? `${instanceClass} is a burstable class, which Aurora global databases do not support`
      : GLOBAL_DATABASE_FAMILIES.includes(family)
        ? `${instanceClass} is smaller than Aurora global databases support (large is the smallest size)`
        : `${instanceClass} is not a class Aurora global databases support (families: ${GLOBAL_DATABASE_FAMILIES.map((f) => `db.${f}`).join(', ')})`;
    return [
      withFix(
        problem(
          instanceClassRule,
          'spec.database.instanceClass',
          `${why}; write instanceClass: ${suggested} (${suggested === SUGGESTED_INSTANCE_CLASS ? 'the smallest Graviton class that does' : 'the nearest to it that every region of the claim offers'}) or a larger memory-optimized class`,
        ),
        { path: 'spec.database.instanceClass', value: suggested },
      ),
    ];
  },
};

/** Every region of a database estate offers Aurora global databases. */
export const databaseRegionsRule: PolicyRule = {
  id: 'database.region-unsupported',
  severity: 'error',
  summary: 'Aurora global databases are not available in every region (e.g. ap-east-2, ap-southeast-7).',
  check: (spec) => {
    if (!spec.database) return [];
    const where: Array<[string, string]> = [
      ['spec.regions.primary', spec.regions.primary],
      ...spec.regions.secondaries.map((r, i): [string, string] => [`spec.regions.secondaries[${i}]`, r]),
    ];
    return where
      .filter(([, region]) => GLOBAL_DATABASE_UNAVAILABLE_REGIONS.includes(region))
      .map(([path, region]) =>
        problem(
          databaseRegionsRule,
          path,
          `Aurora global databases are not available in ${region}; choose another region for the estate, or remove spec.database`,
        ),
      );
  },
};

/** `a, b and c`. */
const andList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * Every region of the claim offers the instance class for the engine (cfn-lint's per-region DB instance classes): a
 * cluster in a region that lacks it cannot be created, so that region has no database to fail over to.
 */
export const instanceClassRegionsRule: PolicyRule = {
  id: 'database.instance-class-region',
  severity: 'error',
  summary: "The database's instance class must be offered for its engine in every region of the claim.",
  check: (spec) => {
    const db = spec.database;
    // A class global databases refuse is database.instance-class's to report.
    if (!db || !globalDatabaseClass(db.instanceClass)) return [];
    const regions = [spec.regions.primary, ...spec.regions.secondaries];
    const table = instanceClassTable(db.engine);
    const lacking = regionsLacking(table, db.instanceClass, regions);
    if (lacking.length === 0) return [];
    const instead = nearest(db.instanceClass, offeredEverywhere(table, regions).filter(globalDatabaseClass));
    const fix = instead
      ? `write instanceClass: ${instead} (the nearest class that every region of the claim offers and global databases accept)`
      : `no class that Aurora global databases accept is offered in all of ${andList(regions)}: choose other regions`;
    return [
      withFix(
        problem(
          instanceClassRegionsRule,
          'spec.database.instanceClass',
          `${db.instanceClass} is not offered for ${db.engine} in ${andList(lacking)} (${describeSource(AURORA_FACTS.source)}), ` +
            `so the cluster there cannot be created; ${fix}`,
        ),
        instead ? { path: 'spec.database.instanceClass', value: instead } : undefined,
      ),
    ];
  },
};

/**
 * Master user names each engine reserves, from the pinned cfn-lint's AWS::RDS::DBCluster schema
 * (src/facts/generated/rds-master-usernames.json, `npm run facts`): rdsadmin for every engine, admin for
 * PostgreSQL. RDS also refuses the engine's SQL reserved words; no maintained offline source lists them,
 * so only these are checked. Compared without case: PostgreSQL folds unquoted names to lower case.
 */
const RESERVED_MASTER_USERNAMES: Readonly<Record<string, readonly string[]>> = reservedMasterUsernames.reserved;

/**
 * Name prefixes an engine reserves for its own roles: PostgreSQL refuses to create a role whose name begins with
 * `pg_` ("The pg_ prefix is reserved for system roles", PostgreSQL docs, CREATE ROLE / predefined roles).
 */
const RESERVED_MASTER_PREFIXES: Readonly<Record<string, readonly string[]>> = { 'aurora-postgresql': ['pg_'] };

/** Why an engine refuses a master user name, or undefined when it takes it. */
function masterUsernameRefusal(engine: string, username: string): string | undefined {
  const name = username.toLowerCase();
  const reserved = RESERVED_MASTER_USERNAMES[engine] ?? [];
  if (reserved.includes(name)) return `reserves the master user name "${username}" (reserved: ${reserved.join(', ')})`;
  const prefix = (RESERVED_MASTER_PREFIXES[engine] ?? []).find((p) => name.startsWith(p));
  return prefix ? `reserves role names that begin with "${prefix}" for its system roles ("${username}")` : undefined;
}

/** The master user name is not one the engine reserves (AWS refuses it when the cluster is created). */
export const masterUsernameRule: PolicyRule = {
  id: 'database.master-username-reserved',
  severity: 'error',
  summary:
    'Aurora refuses reserved master user names: rdsadmin for every engine; admin and names beginning with pg_ for aurora-postgresql.',
  check: (spec) => {
    const db = spec.database;
    if (!db) return [];
    const refusal = masterUsernameRefusal(db.engine, db.masterUsername);
    if (!refusal) return [];
    return [
      withFix(
        problem(
          masterUsernameRule,
          'spec.database.masterUsername',
          `${db.engine} ${refusal}, and AWS refuses to create the cluster; ` +
            'write masterUsername: drplane_admin (the default) or another name',
        ),
        { path: 'spec.database.masterUsername', value: 'drplane_admin' },
      ),
    ];
  },
};

/** Rules of the database section. */
export const DATABASE_RULES: readonly PolicyRule[] = [
  engineVersionRule,
  instanceClassRule,
  instanceClassRegionsRule,
  databaseRegionsRule,
  masterUsernameRule,
];
