/**
 * The app of apps: a root Application that syncs compositions/bootstrap/apps, where one Application per step brings
 * an empty cluster to a reconciling estate. Steps are ordered by sync waves on the child Applications; the root waits
 * for every Application of a wave to be Synced and Healthy (application-health.lua) before it starts the next one.
 *
 *   wave -20  drplane-argocd           argocd-cm and the AppProjects (applied by hand once, then kept from git)
 *   wave -10  drplane-crossplane       Crossplane core from its Helm chart; installs the pkg/apiextensions CRDs
 *   wave  -9  drplane-runtime          DeploymentRuntimeConfigs and the ManagedResourceActivationPolicy
 *   wave  -8  drplane-providers        provider-family-aws and one Provider per family; install aws.upbound.io
 *   wave  -7  drplane-provider-config  the AWS ProviderConfig (IRSA or Pod Identity)
 *   wave  -6  drplane-function         the composition function the Compositions call
 *   wave  -5  drplane-xrds             compositions/apis/*\/definition.yaml; installs the drplane.io CRDs
 *   wave  -4  drplane-compositions     compositions/apis/*\/composition.yaml
 *   wave  -3  drplane-portal           the self-service portal (charts/bootstrap/portal.ts); reads the drplane.io kinds
 *   wave  -2  drplane-monitoring       the function's PodMonitor (only with settings.functionMetrics.podMonitor)
 *   wave   0  drplane-claims-<ns>      the teams' claims, one Application per claims/<namespace>/ folder
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Application, type ApplicationSpecIgnoreDifferences, type ApplicationSpecSource } from '../../imports/argoproj.io.js';
import { COMPOSITE_KINDS, GROUP } from '../../src/api/index.js';
import {
  CREATE_NAMESPACE,
  NO_DELETE,
  NO_PRUNE,
  RESPECT_IGNORE_DIFFERENCES,
  RETRY,
  SKIP_DRY_RUN,
  SYNC_OPTIONS,
  SYNC_WAVE,
} from './argo.js';
import { ARGOCD_PROJECT, PLATFORM_PROJECT, PORTAL_PROJECT, claimKind, claimsProjectName } from './argocd.js';
import { crossplaneValues } from './crossplane.js';
import { DEFAULT_PORTAL } from './portal.js';
import { BOOTSTRAP_PATH, IN_CLUSTER, type BootstrapSettings } from './settings.js';
import type { ClaimTeam } from './teams.js';

/** Sub-folders of compositions/bootstrap, one per Application that syncs generated manifests. */
export const FOLDERS = {
  apps: 'apps',
  argocd: 'argocd',
  runtime: 'runtime',
  providers: 'providers',
  providerConfig: 'provider-config',
  function: 'function',
  portal: 'portal',
  monitoring: 'monitoring',
} as const;

/** Where the XRDs and Compositions are (written by charts/main.ts). */
export const APIS_PATH = 'compositions/apis';

/** Sync wave of each step; a step only uses what earlier waves installed. */
export const WAVES = {
  argocd: -20,
  crossplane: -10,
  runtime: -9,
  providers: -8,
  providerConfig: -7,
  function: -6,
  definitions: -5,
  compositions: -4,
  portal: -3,
  monitoring: -2,
  claims: 0,
} as const;

/**
 * Annotation on a child Application read by application-health.lua: `sync` makes the root wait only until the
 * child's sync succeeded, not until everything it deployed is Healthy (used for the claims).
 */
export const HEALTH_GATE = 'drplane.io/health-gate';

/** Name of the root Application. */
export const ROOT_APP = 'drplane';

/** Claim spec fields Crossplane writes (legacy claims): never in git, never a diff. */
const CLAIM_FIELDS_CROSSPLANE_WRITES = [
  '/spec/resourceRef',
  '/spec/compositionRef',
  '/spec/compositionRevisionRef',
  '/spec/compositionUpdatePolicy',
];

/** Composite spec fields Crossplane writes (legacy XRs at the top of spec, v2 XRs under spec.crossplane). */
const COMPOSITE_FIELDS_CROSSPLANE_WRITES = [
  '/spec/resourceRefs',
  '/spec/claimRef',
  '/spec/compositionRef',
  '/spec/compositionRevisionRef',
  '/spec/compositionUpdatePolicy',
  '/spec/crossplane',
];

/** The Secrets the Crossplane chart creates empty and Crossplane's init container fills. */
const CROSSPLANE_FILLED_SECRETS = ['crossplane-root-ca', 'crossplane-tls-server', 'crossplane-tls-client'];

/** One child Application of the root. */
export interface AppPlan {
  readonly name: string;
  readonly wave: number;
  readonly project: string;
  /** One line for the Argo CD UI (spec.info). */
  readonly purpose: string;
  readonly namespace: string | undefined;
  readonly source: ApplicationSpecSource;
  readonly syncOptions: readonly string[];
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
  /** The root waits for this child's sync only, not its health (see HEALTH_GATE). */
  readonly gateOnSync?: boolean;
  /**
   * Whether an automated sync may leave the Application with no resource. Argo CD refuses by default ("auto-sync will
   * wipe out all resources"), which would keep the last claim removed from a prunable team folder for good.
   */
  readonly allowEmpty?: boolean;
}

/** A folder of this repository as an Application source. */
function gitSource(
  settings: BootstrapSettings,
  path: string,
  directory?: ApplicationSpecSource['directory'],
): ApplicationSpecSource {
  return { repoUrl: settings.repoURL, targetRevision: settings.targetRevision, path, ...(directory ? { directory } : {}) };
}

/** The Application of one team folder: its namespace is the destination and its project's only one. */
function claimsApp(settings: BootstrapSettings, team: ClaimTeam): AppPlan {
  return {
    name: claimsProjectName(team),
    wave: WAVES.claims,
    project: claimsProjectName(team),
    purpose: `DisasterRecovery claims of ${team.namespace} in ${team.path}/${team.production ? ' (production: removed claims are not pruned)' : ''}`,
    namespace: team.namespace,
    // No `directory` block: `recurse: false` is the default, and Argo CD's controller strips a block that holds only
    // defaults from the live Application (NormalizeApplicationSpec), which the root would then see as a diff to heal,
    // over and over.
    source: gitSource(settings, team.path),
    // The claim kind is served only once the XRDs are established, which the previous waves guarantee. The sync
    // creates the team's namespace; deleting the Application (even with cascade) never deletes an estate.
    syncOptions: [SKIP_DRY_RUN, CREATE_NAMESPACE, NO_DELETE, ...(team.production ? [NO_PRUNE] : [])],
    gateOnSync: true,
    // A team folder whose last claim is removed is a folder with nothing to apply: prune that claim (or, in
    // production, show it OutOfSync) like any other.
    allowEmpty: true,
    ignoreDifferences: [
      { group: GROUP, kind: claimKind(), jsonPointers: CLAIM_FIELDS_CROSSPLANE_WRITES },
      ...COMPOSITE_KINDS.map((def) => ({ group: GROUP, kind: def.kind, jsonPointers: COMPOSITE_FIELDS_CROSSPLANE_WRITES })),
    ],
  };
}

/** Every child Application, in wave order. */
export function appPlans(settings: BootstrapSettings, teams: readonly ClaimTeam[]): AppPlan[] {
  const folder = (name: string) => `${BOOTSTRAP_PATH}/${name}`;
  const { crossplaneChart: chart } = settings;
  const plans: AppPlan[] = [
    {
      name: 'drplane-argocd',
      wave: WAVES.argocd,
      project: ARGOCD_PROJECT,
      purpose: 'Argo CD settings for drplane: argocd-cm (tracking, exclusions, health checks) and the AppProjects',
      namespace: settings.argocdNamespace,
      source: gitSource(settings, folder(FOLDERS.argocd)),
      syncOptions: [NO_DELETE],
    },
    {
      name: 'drplane-crossplane',
      wave: WAVES.crossplane,
      project: PLATFORM_PROJECT,
      purpose: `Crossplane core ${chart.version} from its Helm chart`,
      namespace: settings.crossplaneNamespace,
      source: {
        repoUrl: chart.repoURL,
        chart: chart.chart,
        targetRevision: chart.version,
        helm: { releaseName: 'crossplane', valuesObject: crossplaneValues() },
      },
      syncOptions: [CREATE_NAMESPACE, NO_DELETE],
      ignoreDifferences: CROSSPLANE_FILLED_SECRETS.map((name) => ({
        kind: 'Secret',
        name,
        namespace: settings.crossplaneNamespace,
        jsonPointers: ['/data'],
      })),
    },
    {
      name: 'drplane-runtime',
      wave: WAVES.runtime,
      project: PLATFORM_PROJECT,
      purpose: 'DeploymentRuntimeConfigs (identity, security, resources) and the ManagedResourceActivationPolicy',
      namespace: settings.crossplaneNamespace,
      source: gitSource(settings, folder(FOLDERS.runtime)),
      syncOptions: [],
    },
    {
      name: 'drplane-providers',
      wave: WAVES.providers,
      project: PLATFORM_PROJECT,
      purpose: 'provider-upjet-aws family providers',
      namespace: settings.crossplaneNamespace,
      source: gitSource(settings, folder(FOLDERS.providers)),
      syncOptions: [NO_DELETE],
    },
    {
      name: 'drplane-provider-config',
      wave: WAVES.providerConfig,
      project: PLATFORM_PROJECT,
      purpose: `AWS ProviderConfig (credentials: ${settings.aws.source})`,
      namespace: settings.crossplaneNamespace,
      source: gitSource(settings, folder(FOLDERS.providerConfig)),
      syncOptions: [NO_DELETE],
    },
    {
      name: 'drplane-function',
      wave: WAVES.function,
      project: PLATFORM_PROJECT,
      purpose: 'The drplane composition function',
      namespace: settings.crossplaneNamespace,
      source: gitSource(settings, folder(FOLDERS.function)),
      syncOptions: [],
    },
    {
      name: 'drplane-xrds',
      wave: WAVES.definitions,
      project: PLATFORM_PROJECT,
      purpose: 'CompositeResourceDefinitions (deleting one deletes every composite of its kind: never pruned)',
      namespace: settings.crossplaneNamespace,
      source: gitSource(settings, APIS_PATH, { recurse: true, include: '*/definition.yaml' }),
      syncOptions: [SKIP_DRY_RUN, NO_PRUNE, NO_DELETE],
    },
    {
      name: 'drplane-compositions',
      wave: WAVES.compositions,
      project: PLATFORM_PROJECT,
      purpose: 'Compositions (one pipeline step: the drplane function)',
      namespace: settings.crossplaneNamespace,
      source: gitSource(settings, APIS_PATH, { recurse: true, include: '*/composition.yaml' }),
      syncOptions: [SKIP_DRY_RUN],
    },
    {
      name: 'drplane-portal',
      wave: WAVES.portal,
      project: PORTAL_PROJECT,
      purpose: 'The drplane portal: reads claims and their estates, proposes changes through git',
      namespace: DEFAULT_PORTAL.namespace,
      source: gitSource(settings, folder(FOLDERS.portal)),
      syncOptions: [],
    },
    ...(settings.functionMetrics.podMonitor
      ? [
          {
            name: 'drplane-monitoring',
            wave: WAVES.monitoring,
            project: PLATFORM_PROJECT,
            purpose: "The composition function's PodMonitor (needs the Prometheus Operator's CRDs)",
            namespace: settings.crossplaneNamespace,
            source: gitSource(settings, folder(FOLDERS.monitoring)),
            syncOptions: [],
          },
        ]
      : []),
    ...teams.map((team) => claimsApp(settings, team)),
  ];
  return settings.manageArgoCdSettings ? plans : plans.filter((plan) => plan.wave !== WAVES.argocd);
}

/**
 * Automated sync with self-heal and retries, and the sync options of the plan. It prunes unless the plan says
 * Prune=false: Argo CD reads an Application-level Prune=false only from 3.4 on (argo-cd#23370), while
 * `automated.prune: false` keeps an automated sync from pruning in every version (the e2e tier runs 3.2).
 */
function syncPolicy(syncOptions: readonly string[], allowEmpty = false) {
  return {
    automated: { prune: !syncOptions.includes(NO_PRUNE), selfHeal: true, allowEmpty },
    ...(syncOptions.length > 0 ? { syncOptions: [...syncOptions] } : {}),
    retry: { limit: RETRY.limit, backoff: { ...RETRY.backoff }, refresh: RETRY.refresh },
  };
}

/**
 * One child Application. It has no resources finalizer, so the root pruning it (a team folder removed) leaves what it
 * deployed in place. `argocd app delete` cascades by default (it adds the finalizer itself); each child carries
 * Delete=false itself, and the objects that hold state carry it too, which keeps them even then (see docs/gitops.md, Uninstall).
 */
export class ChildAppChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings, plan: AppPlan) {
    super(scope, id, { disableResourceNameHashes: true });
    new Application(this, 'app', {
      metadata: {
        name: plan.name,
        namespace: settings.argocdNamespace,
        // Delete=false on the object itself: a cascading delete of the root keeps its children on every Argo CD 3.x
        // (the root's own Delete=false is read from 3.4 on only).
        annotations: {
          [SYNC_WAVE]: String(plan.wave),
          [SYNC_OPTIONS]: NO_DELETE,
          ...(plan.gateOnSync ? { [HEALTH_GATE]: 'sync' } : {}),
        },
      },
      spec: {
        project: plan.project,
        info: [{ name: 'Purpose', value: plan.purpose }],
        source: plan.source,
        destination: { server: IN_CLUSTER, ...(plan.namespace ? { namespace: plan.namespace } : {}) },
        syncPolicy: syncPolicy(plan.syncOptions, plan.allowEmpty === true),
        ...(plan.ignoreDifferences ? { ignoreDifferences: [...plan.ignoreDifferences] } : {}),
      },
    });
  }
}

/**
 * What the root leaves to people on its children: the automated sync policy. Switching a claims Application to manual
 * during an incident (`argocd app set … --sync-policy none`) removes spec.syncPolicy.automated; the root neither shows
 * that as a diff (so self-heal does not put it back) nor overwrites it on its next sync (RespectIgnoreDifferences).
 */
export const ROOT_IGNORES: readonly ApplicationSpecIgnoreDifferences[] = [
  { group: 'argoproj.io', kind: 'Application', jsonPointers: ['/spec/syncPolicy/automated'] },
];

/** The root Application, applied once by hand (`kubectl apply -f compositions/bootstrap/root.yaml`). */
export class RootAppChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings) {
    super(scope, id, { disableResourceNameHashes: true });
    new Application(this, 'root', {
      metadata: { name: ROOT_APP, namespace: settings.argocdNamespace },
      spec: {
        project: ARGOCD_PROJECT,
        info: [{ name: 'Purpose', value: 'App of apps: every step from an empty cluster to reconciling DR estates' }],
        source: gitSource(settings, `${BOOTSTRAP_PATH}/${FOLDERS.apps}`),
        destination: { server: IN_CLUSTER, namespace: settings.argocdNamespace },
        syncPolicy: syncPolicy([RESPECT_IGNORE_DIFFERENCES, NO_DELETE]),
        ignoreDifferences: [...ROOT_IGNORES],
      },
    });
  }
}
