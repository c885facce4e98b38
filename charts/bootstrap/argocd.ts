/**
 * Argo CD's own configuration for drplane: the argocd-cm ConfigMap (annotation tracking, resource exclusions, Lua
 * health checks) and the AppProjects: `drplane-argocd` for Argo CD's own namespace (the Applications, argocd-cm, the
 * projects), `drplane` for the platform in the Crossplane namespace, one `drplane-claims-<namespace>` per team folder,
 * and `default` locked down.
 */
import { readFileSync } from 'node:fs';
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { AppProject } from '../../imports/argoproj.io.js';
import { ACCOUNT_GUARD } from './account-guard.js';
import { COMPOSITE_KINDS, GROUP } from '../../src/api/index.js';
import { syncOptionsAnnotation } from './argo.js';
import { UPSTREAM_IGNORE_RESOURCE_UPDATES, UPSTREAM_RESOURCE_EXCLUSIONS, type ResourceFilter } from './argocd-defaults.js';
import { POD_MONITOR, POD_MONITOR_GROUP } from './function-metrics.js';
import { bootstrapFile } from './paths.js';
import { DEFAULT_PORTAL, PORTAL_NAME } from './portal.js';
import { IN_CLUSTER, type BootstrapSettings } from './settings.js';
import { CLAIMS_PREFIX, type ClaimTeam } from './teams.js';

/** The platform project: Crossplane, providers, function, XRDs and Compositions, in the Crossplane namespace only. */
export const PLATFORM_PROJECT = 'drplane';
/** The Argo CD project: the root and child Applications, argocd-cm and the AppProjects, in Argo CD's namespace only. */
export const ARGOCD_PROJECT = 'drplane-argocd';

/** AppProject of the portal: its namespace, its read-only ClusterRole and binding, nothing else cluster-wide. */
export const PORTAL_PROJECT = 'drplane-portal';
/** Argo CD's catch-all project, which the bootstrap locks down: every Application names a project of its own. */
export const DEFAULT_PROJECT = 'default';

/** The Lua health check of drplane.io claims and composites (charts/bootstrap/composite-health.lua). */
export const COMPOSITE_HEALTH_LUA = readFileSync(bootstrapFile('composite-health.lua'), 'utf8');
/** The Lua health check of Argo CD Applications, for the app of apps (charts/bootstrap/application-health.lua). */
export const APPLICATION_HEALTH_LUA = readFileSync(bootstrapFile('application-health.lua'), 'utf8');
/** The Lua health check of the Crossplane packages drplane installs (charts/bootstrap/package-health.lua). */
export const PACKAGE_HEALTH_LUA = readFileSync(bootstrapFile('package-health.lua'), 'utf8');

/**
 * The pkg.crossplane.io kinds drplane installs that report Installed/Healthy and get PACKAGE_HEALTH_LUA in place of
 * Argo CD's own checks (a key for the exact group and kind wins over Argo CD's built-in scripts and wildcards). Not
 * Configuration (drplane installs none) nor DeploymentRuntimeConfig (it has no status; Argo CD's built-in
 * *.crossplane.io check reports it Healthy).
 */
export const PACKAGE_KINDS = ['Provider', 'Function'] as const;

/** Prefix of the argocd-cm keys that hold a health check for one group and kind. */
export const HEALTH_KEY_PREFIX = 'resource.customizations.health.';

/**
 * Crossplane's ProviderConfigUsage objects: one per managed resource, written by the providers, never in git. Every
 * provider's group has them (aws.upbound.io, aws.m.upbound.io, ...), hence any group.
 */
export const PROVIDER_CONFIG_USAGE_EXCLUSION: ResourceFilter = {
  apiGroups: ['*'],
  kinds: ['ProviderConfigUsage'],
  clusters: ['*'],
};

/** Every drplane.io kind that gets the composite health check: the claim and each composite. */
export function drplaneKinds(): string[] {
  return [...COMPOSITE_KINDS.flatMap((def) => (def.claimKind ? [def.claimKind, def.kind] : [def.kind]))];
}

/** YAML text for a ConfigMap value, with a comment line saying where it comes from. */
function yamlValue(comment: string, value: unknown): string {
  return `# ${comment}\n${stringify(value, { lineWidth: 0 })}`;
}

/** The data of argocd-cm. */
export function argocdConfigData(): Record<string, string> {
  const data: Record<string, string> = {
    // The tracking id names group, kind, namespace and name: a copy of it on another object (Crossplane copies claim
    // annotations to the composite) does not make that object part of the Application, so it is never pruned.
    'application.resourceTrackingMethod': 'annotation',
    'resource.exclusions': yamlValue('Argo CD v3.5.1 defaults, then drplane: Crossplane ProviderConfigUsages', [
      ...UPSTREAM_RESOURCE_EXCLUSIONS,
      PROVIDER_CONFIG_USAGE_EXCLUSION,
    ]),
    [`${HEALTH_KEY_PREFIX}argoproj.io_Application`]: APPLICATION_HEALTH_LUA,
  };
  for (const [key, value] of Object.entries(UPSTREAM_IGNORE_RESOURCE_UPDATES)) {
    data[`resource.customizations.ignoreResourceUpdates.${key}`] = yamlValue('Argo CD v3.5.1 default', value);
  }
  // Provider managed resources (*.upbound.io) and Crossplane's own kinds (*.crossplane.io) have built-in health checks
  // since Argo CD 3.1; drplane's own group has none, and the built-in ones of the packages fail (package-health.lua).
  for (const kind of drplaneKinds()) data[`${HEALTH_KEY_PREFIX}${GROUP}_${kind}`] = COMPOSITE_HEALTH_LUA;
  for (const kind of PACKAGE_KINDS) data[`${HEALTH_KEY_PREFIX}pkg.crossplane.io_${kind}`] = PACKAGE_HEALTH_LUA;
  return data;
}

/** Never pruned: Argo CD's own configuration. */
const keep = syncOptionsAnnotation({ stateful: true });

/** argocd-cm, synced by the drplane-argocd Application after the first manual apply. */
export class ArgoConfigChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings) {
    super(scope, id, { disableResourceNameHashes: true });
    new ApiObject(this, 'argocd-cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'argocd-cm',
        namespace: settings.argocdNamespace,
        labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
        annotations: keep,
      },
      data: argocdConfigData(),
    });
  }
}

/** The AppProject (and Application) name of a team's claims. */
export function claimsProjectName(team: Pick<ClaimTeam, 'namespace'>): string {
  return `${CLAIMS_PREFIX}${team.namespace}`;
}

/** The AppProjects: what each kind of Application may deploy, from where, to where. */
export class ProjectsChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings, teams: readonly ClaimTeam[]) {
    super(scope, id, { disableResourceNameHashes: true });
    const metadata = (name: string) => ({ name, namespace: settings.argocdNamespace, annotations: keep });
    // Locked down as Argo CD's documentation describes: an Application that names no project is refused.
    new AppProject(this, 'default', {
      metadata: metadata(DEFAULT_PROJECT),
      spec: {
        description: 'Locked down by drplane: every Application names a project of its own.',
        sourceRepos: [],
        sourceNamespaces: [],
        destinations: [],
        namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      },
    });
    new AppProject(this, 'argocd', {
      metadata: metadata(ARGOCD_PROJECT),
      spec: {
        description: 'drplane in the Argo CD namespace: the root and child Applications, argocd-cm and the AppProjects.',
        sourceRepos: [settings.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: settings.argocdNamespace }],
        namespaceResourceWhitelist: [
          { group: '', kind: 'ConfigMap' },
          { group: 'argoproj.io', kind: 'Application' },
          { group: 'argoproj.io', kind: 'AppProject' },
        ],
      },
    });
    new AppProject(this, 'platform', {
      metadata: metadata(PLATFORM_PROJECT),
      spec: {
        description: 'drplane platform: Crossplane, AWS providers, the composition function, XRDs and Compositions.',
        sourceRepos: [settings.repoURL, settings.crossplaneChart.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: settings.crossplaneNamespace }],
        clusterResourceWhitelist: [
          { group: '', kind: 'Namespace', name: settings.crossplaneNamespace },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
          { group: 'pkg.crossplane.io', kind: 'Provider' },
          { group: 'pkg.crossplane.io', kind: 'Function' },
          { group: 'pkg.crossplane.io', kind: 'DeploymentRuntimeConfig' },
          { group: 'apiextensions.crossplane.io', kind: 'CompositeResourceDefinition' },
          { group: 'apiextensions.crossplane.io', kind: 'Composition' },
          { group: 'apiextensions.crossplane.io', kind: 'ManagedResourceActivationPolicy' },
          { group: 'aws.upbound.io', kind: 'ProviderConfig' },
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy', name: ACCOUNT_GUARD },
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding', name: ACCOUNT_GUARD },
        ],
        namespaceResourceWhitelist: [
          { group: '', kind: 'ConfigMap' },
          { group: '', kind: 'Secret' },
          { group: '', kind: 'Service' },
          { group: '', kind: 'ServiceAccount' },
          { group: 'apps', kind: 'Deployment' },
          { group: 'policy', kind: 'PodDisruptionBudget' },
          ...(settings.functionMetrics.podMonitor ? [{ group: POD_MONITOR_GROUP, kind: POD_MONITOR.kind }] : []),
        ],
      },
    });
    new AppProject(this, 'portal', {
      metadata: metadata(PORTAL_PROJECT),
      spec: {
        description: 'The drplane portal: its namespace, Deployment, Service, NetworkPolicy and read-only RBAC.',
        sourceRepos: [settings.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: DEFAULT_PORTAL.namespace }],
        clusterResourceWhitelist: [
          { group: '', kind: 'Namespace', name: DEFAULT_PORTAL.namespace },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PORTAL_NAME },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: PORTAL_NAME },
        ],
        namespaceResourceWhitelist: [
          { group: '', kind: 'ConfigMap' },
          { group: '', kind: 'Service' },
          { group: '', kind: 'ServiceAccount' },
          { group: 'apps', kind: 'Deployment' },
          { group: 'policy', kind: 'PodDisruptionBudget' },
          { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
        ],
      },
    });
    for (const team of teams) {
      const name = claimsProjectName(team);
      new AppProject(this, `claims-${team.namespace}`, {
        metadata: metadata(name),
        spec: {
          description: `DisasterRecovery claims of ${team.namespace} (${team.path}/). Only the claim kind, only in this namespace: composites (X*) and managed resources are never applied, nor pruned, by Argo CD.`,
          sourceRepos: [settings.repoURL],
          destinations: [{ server: IN_CLUSTER, namespace: team.namespace }],
          // CreateNamespace=true: the sync creates the team's namespace, and no other.
          clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: team.namespace }],
          namespaceResourceWhitelist: [{ group: GROUP, kind: claimKind() }],
          roles: [
            {
              name: 'team',
              description: `The ${team.namespace} team: view and sync its own claims Application.`,
              policies: ['get', 'sync'].map((action) => `p, proj:${name}:team, applications, ${action}, ${name}/*, allow`),
              groups: [...(settings.teamGroups[team.namespace] ?? [])],
            },
          ],
        },
      });
    }
  }
}

/** The claim kind (DisasterRecovery). */
export function claimKind(): string {
  const kind = COMPOSITE_KINDS.find((def) => def.claimKind)?.claimKind;
  if (!kind) throw new Error('COMPOSITE_KINDS has no claim kind');
  return kind;
}
