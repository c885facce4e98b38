/** Rules of the failover section. */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { type PolicyRule, problem } from '../../policy/types.js';

/** What the estate lacks for the failover orchestrator, or undefined when it has all of it (no XFailoverController otherwise). */
export function failoverBlocker(spec: DisasterRecoverySpec): string | undefined {
  const missing = [
    spec.database ? undefined : 'a database to switch over',
    spec.routing?.zoneId ? undefined : 'routing with a zoneId (the records it moves)',
    spec.service ? undefined : 'a service (whose /health it verifies)',
    spec.monitoring ? undefined : 'monitoring (the topic it reports to)',
  ].filter((m): m is string => m !== undefined);
  return missing.length === 0 ? undefined : missing.join(', ');
}

/** A failover section the estate cannot orchestrate: no XFailoverController is composed. */
export const orchestratorNeedsRule: PolicyRule = {
  id: 'failover.orchestrator-needs',
  severity: 'warning',
  summary:
    'The failover orchestrator needs a database, routing with a zoneId, a service and monitoring; without them none is composed.',
  check: (spec) => {
    const blocker = spec.failover ? failoverBlocker(spec) : undefined;
    return blocker === undefined
      ? []
      : [
          problem(
            orchestratorNeedsRule,
            'spec.failover',
            `the orchestrator needs ${blocker}; no XFailoverController is composed. Changing activeRegion still moves the Route 53 records, and Route 53 health checks still fail over DNS`,
          ),
        ];
  },
};

/** Rules of the failover section. */
export const FAILOVER_RULES: readonly PolicyRule[] = [orchestratorNeedsRule];
