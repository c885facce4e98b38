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

/** One flag of Crossplane core (`crossplane core start`), with why it has this value. */
export interface CoreFlag {
  readonly flag: string;
  readonly value: string;
  /** Why this value: what it costs and what measured it (bench/scale.ts, README "Scale"). */
  readonly why: string;
}

/**
 * The reconcile settings of Crossplane core the chart passes as `args`, each with its reason (figures: README, Scale;
 * bench/scale.ts measures with exactly these flags). Not set, and why:
 * - `--poll-interval` (1m): composites are not polled; realtime compositions (on by default in 2.3) watch composed
 *   resources and switch composite polling off. A composite is composed again when the function's response TTL runs
 *   out (FUNCTION_RESPONSE_TTL_SECONDS while it settles, FUNCTION_RESPONSE_TTL_AT_REST_SECONDS at rest, runtime.ts).
 * - `--circuit-breaker-refill-rate` (1/s): a composite that keeps receiving events after its burst is spent (two
 *   controllers fighting over a resource) should still be throttled; 1 event/s is Crossplane's own choice.
 */
export const CORE_FLAGS: readonly CoreFlag[] = [
  {
    flag: 'max-reconcile-rate',
    value: '10',
    why:
      'Workers per controller (one controller per composite kind; in Crossplane 2.3.4 an alias of ' +
      '--max-concurrent-reconciles, default 100). Crossplane applies every desired resource of a composite on every ' +
      'reconcile, and each server-side apply costs the API server about 6.5 ms of CPU whether or not anything changed; ' +
      'while many estates compose at once (a restore, a GitOps sync) 100 workers per kind reconcile every composite ' +
      'at the same time and keep re-applying them. With 10, the composites waiting in the queue gather their events ' +
      'into one reconcile: bench:scale at N=50 on 2 busy cores (2026-12-06), RunFunction calls per composed object ' +
      'fell from 0.45 to 0.31 and desired resources returned (applies) per composed object from 9.3 to 6.0, with ' +
      'more objects composed at every point in time (README, Scale). At rest the TTL sets the pace, not the ' +
      'workers: 50 estates are about 400 composites of about 35 resources, one reconcile each per response TTL ' +
      '(3600 s at rest, runtime.ts), about 0.11 reconciles/s over all kinds (1.3/s with a 300 s TTL; both by arithmetic).',
  },
  {
    flag: 'circuit-breaker-burst',
    value: '1000',
    why:
      'Events a composite may receive at once before its circuit breaker opens (default 100, then 1/s; open 5 min, ' +
      'letting one event through every 30 s). A composite receives several events per composed resource while it is ' +
      "created (created, the provider's status, Ready, its own status). 500 was too few: in bench:scale at N=3 " +
      "(2026-12-06) payments' network (two VPCs, peering, endpoints) tripped it ('Too many watch events from " +
      "VPCEndpoint'), its last resources waited for the function's 300 s TTL, and the claim was Ready after 399 s " +
      'though every object existed after 110 s. 1000 covers creation (the e2e tier runs with it) and, with the ' +
      'refill kept at 1/s, still throttles an endless loop.',
  },
];

/** CORE_FLAGS as command-line arguments. */
export function crossplaneArgs(): string[] {
  return CORE_FLAGS.map((f) => `--${f.flag}=${f.value}`);
}

/**
 * Crossplane core's memory limit. bench:scale measured its peak RSS at 414-443 MB for N=10, 935-1,008 MB for N=50 and
 * 1,706 MB for N=200 when 73 % of its objects were composed (README, Scale): about 2.3 GB for all of N=200 by
 * extrapolation, over the 2 GiB this limit was, so the pod would have been OOM-killed while a large restore composed.
 * 4 GiB leaves room for that and for the relist after a restart.
 */
const CROSSPLANE_MEMORY_LIMIT = '4Gi';

/**
 * The chart values: two leader-elected replicas of Crossplane and of the RBAC manager with budgets and zone spread,
 * metrics on, requests and limits sized from bench:scale (up to ~200 estates), and no default
 * ManagedResourceActivationPolicy (drplane's own policy activates exactly what it composes).
 */
export function crossplaneValues(): Record<string, unknown> {
  return {
    replicas: 2,
    leaderElection: true,
    args: crossplaneArgs(),
    topologySpreadConstraints: spread(CROSSPLANE_APP),
    resourcesCrossplane: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: CROSSPLANE_MEMORY_LIMIT } },
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
