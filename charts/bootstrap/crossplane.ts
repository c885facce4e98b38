/**
 * Production values for the Crossplane Helm chart (crossplane/crossplane, cluster/charts/crossplane/values.yaml at
 * v2.3.4; every key below exists there). The chart has no PodDisruptionBudget of its own, so the budgets are added
 * through its `extraObjects`.
 */

/** Pod label the chart puts on the Crossplane pods. */
const CROSSPLANE_APP = 'crossplane';
/** Pod label the chart puts on the RBAC manager pods. */
const RBAC_MANAGER_APP = 'crossplane-rbac-manager';

/** Spread two replicas over zones when the cluster has them, without refusing to schedule when it has not. */
function spread(app: string) {
  return [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app } },
    },
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app } },
    },
  ];
}

/** Keeps one replica running through node drains. */
function disruptionBudget(app: string) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app },
    spec: { minAvailable: 1, selector: { matchLabels: { app } } },
  };
}

/** The hardening both pods get on top of the chart's non-root defaults. */
const POD_SECURITY = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const CONTAINER_SECURITY = { capabilities: { drop: ['ALL'] } };

/**
 * The chart values: two leader-elected replicas of Crossplane and of the RBAC manager with budgets and zone spread,
 * metrics on, requests and limits sized for ~10 composite kinds and a few hundred managed resources, and no default
 * ManagedResourceActivationPolicy (drplane's own policy activates exactly what it composes).
 */
export function crossplaneValues(): Record<string, unknown> {
  return {
    replicas: 2,
    leaderElection: true,
    topologySpreadConstraints: spread(CROSSPLANE_APP),
    resourcesCrossplane: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
    podSecurityContextCrossplane: POD_SECURITY,
    securityContextCrossplane: CONTAINER_SECURITY,
    rbacManager: {
      replicas: 2,
      leaderElection: true,
      topologySpreadConstraints: spread(RBAC_MANAGER_APP),
    },
    resourcesRBACManager: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '512Mi' } },
    podSecurityContextRBACManager: POD_SECURITY,
    securityContextRBACManager: CONTAINER_SECURITY,
    metrics: { enabled: true },
    provider: { defaultActivations: [] },
    extraObjects: [disruptionBudget(CROSSPLANE_APP), disruptionBudget(RBAC_MANAGER_APP)],
  };
}
