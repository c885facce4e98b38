/**
 * The cross-field rules of the API (src/api/rules.ts), which the XRD also enforces as CEL, run as
 * policy rules so `drctl validate` reports them with the same ids before the API server does; where a
 * concrete value resolves one, the message ends with it and the problem carries it as its fix.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { CROSS_FIELD_RULES, type CrossFieldRule } from '../../api/rules.js';
import { type Fix, type PolicyRule, problem, withFix } from '../types.js';
import { cidrFor } from '../../primitives/network/rules.js';

/** A fix for a cross-field rule and the words that propose it. */
type Proposal = { readonly fix: Fix; readonly say?: string };

const regionsOf = (s: DisasterRecoverySpec): string[] => [s.regions.primary, ...s.regions.secondaries];
const list = (values: readonly string[]): string => `[${values.join(', ')}]`;

/** Proposals per cross-field rule id (rules that need the team's own value, such as a zone id, have none). */
const PROPOSALS: Record<string, (spec: DisasterRecoverySpec) => Proposal | undefined> = {
  'regions.primary-not-secondary': (s) => {
    const standby = [...new Set(s.regions.secondaries.filter((r) => r !== s.regions.primary))];
    return standby.length === 0
      ? undefined
      : { fix: { path: 'spec.regions.secondaries', value: standby }, say: `write secondaries: ${list(standby)}` };
  },
  // The detail already says "write one of <regions>", the primary first.
  'regions.active-is-configured': (s) => ({ fix: { path: 'spec.activeRegion', value: s.regions.primary } }),
  'network.cidr-per-region': (s) => {
    const cidrs: Record<string, string> = { ...(s.network?.cidrs ?? {}) };
    const added: string[] = [];
    for (const region of regionsOf(s).filter((r) => !(r in cidrs))) {
      // Only the regions and the CIDRs go in: copying the whole spec would read every part of it, and validate drops
      // a rule that read a part a schema error took out (src/policy/partial.ts), hiding this error behind any other.
      const free = cidrFor({ regions: s.regions, network: { cidrs } } as DisasterRecoverySpec, region);
      if (!free) return undefined;
      cidrs[region] = free;
      added.push(`${region}: ${free}`);
    }
    return { fix: { path: 'spec.network.cidrs', value: cidrs }, say: `for example ${added.join(', ')}` };
  },
  'network.cidr-region-unknown': (s) => {
    const kept = Object.fromEntries(Object.entries(s.network?.cidrs ?? {}).filter(([r]) => regionsOf(s).includes(r)));
    return { fix: { path: 'spec.network.cidrs', value: kept }, say: `remove them to keep ${Object.keys(kept).join(', ')}` };
  },
};

/** A policy rule that reports a cross-field rule's message on its path when the rule does not hold. */
export function fromCrossFieldRule(rule: CrossFieldRule): PolicyRule {
  const policy: PolicyRule = {
    id: rule.id,
    severity: 'error',
    summary: rule.message,
    check: (spec) => {
      if (rule.holds(spec)) return [];
      const proposal = PROPOSALS[rule.id]?.(spec);
      const detail = rule.detail ? ` (${rule.detail(spec)})` : '';
      const say = proposal?.say ? `; ${proposal.say}` : '';
      return [withFix(problem(policy, rule.path, `${rule.message}${detail}${say}`), proposal?.fix)];
    },
  };
  return policy;
}

/** Every cross-field rule of the API as a policy rule, in the API's order. */
export const CROSS_FIELD_POLICY_RULES: readonly PolicyRule[] = CROSS_FIELD_RULES.map(fromCrossFieldRule);
