/** Rules of the failover section. */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { arcArmed, arcSharedCluster } from '../../api/sections.js';
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

/**
 * Armed ARC on a shared cluster: the orchestrator flips the routing controls through the cluster's endpoints, which
 * drplane learns only from a Cluster it composes (status.atProvider.clusterEndpoints). With routing.arc.clusterArn no
 * Cluster is composed, so the orchestrator would wait for the endpoints forever and no failover could run.
 */
export const arcSharedClusterFailoverRule: PolicyRule = {
  id: 'failover.arc-shared-cluster',
  severity: 'error',
  summary:
    "With armed routing controls on a shared ARC cluster (routing.arc.clusterArn) the failover orchestrator cannot learn the cluster's endpoints, so it is never created.",
  check: (spec) =>
    spec.failover &&
    failoverBlocker(spec) === undefined &&
    spec.routing &&
    arcArmed(spec.routing) &&
    arcSharedCluster(spec.routing) !== undefined
      ? [
          problem(
            arcSharedClusterFailoverRule,
            'spec.routing.arc.clusterArn',
            "the failover orchestrator flips the routing controls through the ARC cluster's regional endpoints, which drplane reads from a cluster it creates; on a shared cluster it never learns them, so no orchestrator is composed and no failover runs. " +
              'Remove routing.arc.clusterArn (the estate creates its own cluster), or leave routing.arc.armed false (the orchestrator then moves the records on the endpoint checks)',
          ),
        ]
      : [],
};

/** Rules of the failover section. */
export const FAILOVER_RULES: readonly PolicyRule[] = [orchestratorNeedsRule, arcSharedClusterFailoverRule];
