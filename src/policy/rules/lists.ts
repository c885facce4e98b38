/**
 * Lists the XRD declares as sets or maps keyed by name (x-kubernetes-list-type): the API server
 * refuses duplicates, which zod does not check, so validation does.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { type PolicyRule, problem } from '../types.js';

/** A rule that reports every repeated key of one list of the spec. */
function uniqueItems(
  id: string,
  listPath: string,
  what: string,
  keys: (spec: DisasterRecoverySpec) => readonly string[],
  itemPath: (index: number) => string,
): PolicyRule {
  const rule: PolicyRule = {
    id,
    severity: 'error',
    summary: `${what} must be unique in ${listPath}.`,
    check: (spec) => {
      const list = keys(spec);
      return list.flatMap((key, index) =>
        list.indexOf(key) === index
          ? []
          : [
              problem(
                rule,
                itemPath(index),
                `${what} "${key}" appears more than once in ${listPath}; keep one entry per ${what}`,
              ),
            ],
      );
    },
  };
  return rule;
}

/** Table names are unique (they key the DynamoDB tables). */
export const uniqueTablesRule = uniqueItems(
  'tables.duplicate-name',
  'spec.tables',
  'table name',
  (s) => (s.tables ?? []).map((t) => t.name),
  (i) => `spec.tables[${i}].name`,
);

/** Bucket names are unique (they key the S3 buckets). */
export const uniqueBucketsRule = uniqueItems(
  'buckets.duplicate-name',
  'spec.buckets',
  'bucket name',
  (s) => (s.buckets ?? []).map((b) => b.name),
  (i) => `spec.buckets[${i}].name`,
);

/** Endpoint services are listed once. */
export const uniqueEndpointsRule = uniqueItems(
  'network.duplicate-endpoint',
  'spec.network.endpoints',
  'endpoint service',
  (s) => s.network?.endpoints ?? [],
  (i) => `spec.network.endpoints[${i}]`,
);

/** Alert addresses are listed once. */
export const uniqueEmailsRule = uniqueItems(
  'monitoring.duplicate-email',
  'spec.monitoring.alertEmails',
  'alert address',
  (s) => s.monitoring?.alertEmails ?? [],
  (i) => `spec.monitoring.alertEmails[${i}]`,
);

/** Each failure type the objectives apply to is listed once. */
export const uniqueFailuresRule = uniqueItems(
  'objectives.duplicate-failure',
  'spec.objectives.failures',
  'failure type',
  (s) => s.objectives?.failures ?? [],
  (i) => `spec.objectives.failures[${i}]`,
);

/** Rules for lists that must not repeat. */
export const LIST_RULES: readonly PolicyRule[] = [
  uniqueTablesRule,
  uniqueBucketsRule,
  uniqueEndpointsRule,
  uniqueEmailsRule,
  uniqueFailuresRule,
];
