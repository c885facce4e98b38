/**
 * Rules about operating the estate: alarms that notify someone, automatic failover that has an
 * alarm to start it, backups kept long enough in production, a test estate not posing as prod, and
 * tags drplane owns.
 */
import { type PolicyRule, problem, withFix } from '../types.js';

/** Monitoring without alert addresses: the alarms notify nobody (seed 003: alarms without actions). */
export const alarmRecipientsRule: PolicyRule = {
  id: 'monitoring.no-recipients',
  severity: 'warning',
  summary: 'monitoring without alertEmails creates alarms that notify nobody.',
  check: (spec) =>
    spec.monitoring && spec.monitoring.alertEmails.length === 0
      ? [
          problem(
            alarmRecipientsRule,
            'spec.monitoring.alertEmails',
            'monitoring has no alertEmails, so the alarms fire into an SNS topic nobody reads; add the on-call address, e.g. alertEmails: [oncall@example.com]',
          ),
        ]
      : [],
};

const listed = (items: readonly string[]): string =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');

/** The sections that hold something to protect: data stores and the service. */
export const PROTECTED_SECTIONS = ['database', 'tables', 'buckets', 'service'] as const;

/**
 * A claim with no data store and no service protects nothing: it plans no resource worth a failover (at most
 * VPCs), costs about nothing and would look like a working DR estate in the portal and in git.
 */
export const protectsNothingRule: PolicyRule = {
  id: 'estate.protects-nothing',
  severity: 'warning',
  summary:
    'A claim without a database, tables, buckets or a service protects nothing: there is nothing to replicate or fail over.',
  check: (spec) => {
    const empty = PROTECTED_SECTIONS.every((section) => {
      const value = spec[section];
      return value === undefined || (Array.isArray(value) && value.length === 0);
    });
    return empty
      ? [
          problem(
            protectsNothingRule,
            'spec',
            `this claim protects nothing: it has no ${PROTECTED_SECTIONS.slice(0, -1).join(', ')} or ${PROTECTED_SECTIONS.at(-1)}, so there is no data to replicate and no service to fail over ` +
              `between ${listed([spec.regions.primary, ...spec.regions.secondaries])}. Add what the estate must keep (for example tables: [{name: items, hashKey: {name: id}}]); ` +
              '`drctl explain spec` lists the sections',
          ),
        ]
      : [];
  },
};

/** A production estate that replicates data without monitoring: nobody learns of lag or failure. */
export const monitoringMissingRule: PolicyRule = {
  id: 'monitoring.missing',
  severity: 'warning',
  summary:
    'A production estate with replicated data should have monitoring: without it replication lag and failures raise no alarm.',
  check: (spec) => {
    const replicated = spec.database !== undefined || (spec.tables ?? []).length > 0 || (spec.buckets ?? []).length > 0;
    return spec.profile === 'production' && replicated && !spec.monitoring
      ? [
          withFix(
            problem(
              monitoringMissingRule,
              'spec.monitoring',
              'this production estate replicates data but has no monitoring, so replication lag and failures raise no alarm; add monitoring: {alertEmails: [oncall@example.com]}',
            ),
            { path: 'spec.monitoring', value: { alertEmails: ['oncall@example.com'] } },
          ),
        ]
      : [];
  },
};

/** Automatic failover's trigger alarms notify monitoring's alert topic: without monitoring no trigger is composed. */
export const automaticNeedsMonitoringRule: PolicyRule = {
  id: 'failover.automatic-needs-monitoring',
  severity: 'error',
  summary:
    "failover.mode automatic needs monitoring: the standby region's trigger alarms report to its alert topic, and no trigger is composed without it.",
  check: (spec) =>
    spec.failover?.mode === 'automatic' && !spec.monitoring
      ? [
          withFix(
            problem(
              automaticNeedsMonitoringRule,
              'spec.failover.mode',
              "automatic failover's trigger (the standby region's probe and trigger alarms) reports to the alert topic that only spec.monitoring creates, so no trigger would be composed and nothing would fail over; add a monitoring section or write mode: manual",
            ),
            { path: 'spec.failover.mode', value: 'manual' },
          ),
        ]
      : [],
};

/** Days of backups a production estate should keep at least. */
export const PRODUCTION_MIN_RETENTION_DAYS = 7;

/** Production keeps at least a week of backups. */
export const productionRetentionRule: PolicyRule = {
  id: 'backup.production-retention',
  severity: 'warning',
  summary: `A production estate should keep backups for at least ${PRODUCTION_MIN_RETENTION_DAYS} days.`,
  check: (spec) => {
    if (spec.profile !== 'production') return [];
    const retained: Array<[string, number | undefined, string]> = [
      ['spec.backup.retentionDays', spec.backup?.retentionDays, 'AWS Backup recovery points'],
      ['spec.database.backupRetentionDays', spec.database?.backupRetentionDays, 'Aurora automated backups'],
    ];
    return retained
      .filter(([, days]) => days !== undefined && days < PRODUCTION_MIN_RETENTION_DAYS)
      .map(([path, days, what]) =>
        problem(
          productionRetentionRule,
          path,
          `${what} are kept ${days} day(s) in a production estate, so corruption noticed after that cannot be undone; keep at least ${PRODUCTION_MIN_RETENTION_DAYS} (35 is common)`,
        ),
      );
  },
};

const PROD_LIKE = /^(prod|prd|production|live)(-|$)/;

/** A test profile with a production-sounding environment: destroyable resources that look like prod. */
export const testNamedProdRule: PolicyRule = {
  id: 'profile.test-named-prod',
  severity: 'warning',
  summary: 'profile test with a prod-like environment (prod, prd, live) makes a fully destroyable estate named like production.',
  check: (spec) =>
    spec.profile === 'test' && PROD_LIKE.test(spec.environment)
      ? [
          problem(
            testNamedProdRule,
            'spec.profile',
            `profile is test (no deletion protection, everything deletes with the claim) but environment is "${spec.environment}"; write profile: production, or an environment such as dev or qa`,
          ),
        ]
      : [],
};

/** Tag keys drplane sets on every resource; a claim's value for them is overwritten. */
export const RESERVED_TAG_KEYS: readonly string[] = ['Environment', 'ManagedBy'];

/** The claim does not try to set tags drplane owns (seed 004: Environment hard-coded to production). */
export const reservedTagsRule: PolicyRule = {
  id: 'tags.reserved',
  severity: 'warning',
  summary: 'Environment, ManagedBy and drplane:* tags are set by drplane; a claim value for them is ignored.',
  check: (spec) =>
    Object.keys(spec.tags ?? {})
      .filter((key) => RESERVED_TAG_KEYS.includes(key) || key.startsWith('drplane:'))
      .sort()
      .map((key) =>
        problem(
          reservedTagsRule,
          `spec.tags.${key}`,
          `drplane sets the ${key} tag itself (Environment is always spec.environment, "${spec.environment}"), so this value is ignored; remove it or use another key such as Stage`,
        ),
      ),
};

/**
 * What automatic failover does (src/compose/failover-trigger.ts): the standby region probes the serving region's
 * /health every minute and, after 3 failed probes in a row, fails over unplanned (FailoverGlobalCluster with
 * AllowDataLoss), for the loss of the serving region and for a fault that fails /health alike, unless the standby's
 * Aurora lags more than the RPO. Nothing moves it back, and git keeps the old activeRegion until someone records it.
 */
export const automaticScopeRule: PolicyRule = {
  id: 'failover.automatic-scope',
  severity: 'warning',
  summary:
    "failover.mode automatic fails over unplanned from the standby region when the serving region's /health fails 3 minutes in a row; nothing reverts it.",
  check: (spec) => {
    if (spec.failover?.mode !== 'automatic' || !spec.monitoring) return [];
    const active = spec.activeRegion ?? spec.regions.primary;
    const standby = active === spec.regions.primary ? spec.regions.secondaries[0] : spec.regions.primary;
    return [
      problem(
        automaticScopeRule,
        'spec.failover.mode',
        `automatic failover runs in the standby region ${standby}: when ${active}'s /health fails 3 one-minute probes in a row it fails over unplanned ` +
          `(FailoverGlobalCluster with AllowDataLoss, whatever failover.allowDataLoss says), for the loss of ${active} and for a service fault alike, ` +
          `so the database loses up to its replication lag even while ${active} is up; it holds while ${standby}'s Aurora lags more than the RPO, then people decide. ` +
          `Nothing moves it back: record the new region with drctl failover <claim> --to ${standby} (the Cluster resources stay paused until then). ` +
          `A fault /health does not show still needs drctl failover`,
      ),
    ];
  },
};

/** Rules about operating the estate. */
export const OPERATION_RULES: readonly PolicyRule[] = [
  protectsNothingRule,
  alarmRecipientsRule,
  monitoringMissingRule,
  automaticNeedsMonitoringRule,
  automaticScopeRule,
  productionRetentionRule,
  testNamedProdRule,
  reservedTagsRule,
];
