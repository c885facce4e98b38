/**
 * The cross-field rules of the API (src/api/rules.ts), which the XRD also enforces as CEL, run as
 * policy rules so `drctl validate` reports them with the same ids before the API server does.
 */
import { CROSS_FIELD_RULES, type CrossFieldRule } from '../../api/rules.js';
import { type PolicyRule, problem } from '../types.js';

/** A policy rule that reports a cross-field rule's message on its path when the rule does not hold. */
export function fromCrossFieldRule(rule: CrossFieldRule): PolicyRule {
  const policy: PolicyRule = {
    id: rule.id,
    severity: 'error',
    summary: rule.message,
    check: (spec) =>
      rule.holds(spec) ? [] : [problem(policy, rule.path, rule.detail ? `${rule.message} (${rule.detail(spec)})` : rule.message)],
  };
  return policy;
}

/** Every cross-field rule of the API as a policy rule, in the API's order. */
export const CROSS_FIELD_POLICY_RULES: readonly PolicyRule[] = CROSS_FIELD_RULES.map(fromCrossFieldRule);
