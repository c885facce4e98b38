/**
 * Rules for the AWS names the estate will have: every name compose made for the plan (src/policy/estate-names.ts) is
 * checked against its service's length and character rules (NAME_RULES).
 */
import { NAME_RULES, type NameKind } from '../../compose/naming.js';
import { type EstateName, estateNames } from '../estate-names.js';
import { type PolicyRule, type Problem, problem } from '../types.js';

/** The string AWS sees for a name (KMS aliases carry their alias/ prefix). */
const awsForm = (kind: NameKind, value: string): string => (kind === 'kmsAlias' ? `alias/${value}` : value);

/** Names of the same resource in several regions, reported once. */
function groupBy(names: EstateName[]): EstateName[][] {
  const groups = new Map<string, EstateName[]>();
  for (const name of names) {
    groups.set(name.group, [...(groups.get(name.group) ?? []), name]);
  }
  return [...groups.values()];
}

const inRegions = (group: EstateName[]): string => {
  // Several names of a group can live in one region: name each region once.
  const regions = [...new Set(group.map((n) => n.region).filter((r): r is string => r !== undefined))];
  return regions.length > 0 ? ` in ${regions.join(', ')}` : '';
};

/** Names longer than their service allows are shortened deterministically; say so, once per resource. */
export const shortenedNamesRule: PolicyRule = {
  id: 'names.shortened',
  severity: 'warning',
  summary: 'AWS names longer than the service allows are cut and ended with a hash of the full name; the warning shows both.',
  check: (spec, ctx) =>
    groupBy(estateNames(spec, ctx.claim).filter((n) => n.name.shortened)).map((group) => {
      const first = group[0]!;
      const rule = NAME_RULES[first.kind];
      return problem(
        shortenedNamesRule,
        first.path,
        `the ${first.what} name${inRegions(group)} is longer than ${rule.max} characters (${rule.rule}), so drplane shortens it: ` +
          `"${first.name.full}" becomes "${first.name.value}". To keep full, readable names, shorten metadata.name or spec.environment`,
      );
    }),
};

/** Names that break a service's character rules are refused. */
export const invalidNamesRule: PolicyRule = {
  id: 'names.invalid',
  severity: 'error',
  summary:
    "Every AWS name must follow its service's character rules (e.g. Aurora identifiers start with a letter and have no double hyphen).",
  check: (spec, ctx) =>
    groupBy(estateNames(spec, ctx.claim).filter((n) => !NAME_RULES[n.kind].pattern.test(awsForm(n.kind, n.name.value)))).map(
      (group): Problem => {
        const first = group[0]!;
        return problem(
          invalidNamesRule,
          first.path,
          `the ${first.what} name "${awsForm(first.kind, first.name.value)}"${inRegions(group)} breaks the rule "${NAME_RULES[first.kind].rule}"; ` +
            'rename the claim (metadata.name: start with a letter, no "--") or the logical name so that the AWS name follows it',
        );
      },
    ),
};

/** Rules for the estate's AWS names. */
export const NAME_RULES_POLICY: readonly PolicyRule[] = [shortenedNamesRule, invalidNamesRule];
