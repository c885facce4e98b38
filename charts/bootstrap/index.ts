/**
 * Synthesizes the Argo CD bootstrap into compositions/bootstrap/ (called by charts/main.ts):
 *
 *   root.yaml                          the root Application (kubectl apply once)
 *   apps/<application>.yaml            one child Application per step, ordered by sync waves (see apps.ts)
 *   argocd/argocd-cm.yaml              Argo CD settings: tracking, exclusions, Lua health checks
 *   argocd/projects.yaml               AppProjects default (locked), drplane-argocd, drplane, drplane-claims-<ns>
 *   runtime/*.yaml                     DeploymentRuntimeConfigs, ManagedResourceActivationPolicy
 *   providers/providers.yaml           provider-upjet-aws Providers
 *   provider-config/provider-config.yaml  AWS ProviderConfig
 *   provider-config/account-guard.yaml    ValidatingAdmissionPolicy: which namespace may use which ProviderConfig
 *   function/function.yaml             the composition function
 *   portal/portal.yaml                 the portal (cdk8s-plus-28; see portal.ts)
 *   monitoring/function-podmonitor.yaml  the function's PodMonitor (synced only with settings.functionMetrics.podMonitor)
 *   iam/*.json                         the providers' IAM policy and trust policies (applied with the aws CLI, not
 *                                      by Argo CD; see iam/policy.ts)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, Chart } from 'cdk8s';
import { writeChart } from '../write.js';
import { composedManagedKinds } from './activations.js';
import { appPlans, ChildAppChart, FOLDERS, RootAppChart } from './apps.js';
import { AccountGuardChart } from './account-guard.js';
import { ArgoConfigChart, ProjectsChart } from './argocd.js';
import { FunctionChart } from './function.js';
import { FunctionMetricsChart } from './function-metrics.js';
import { PortalChart } from './portal.js';
import { iamFiles } from './iam/policy.js';
import { ProviderConfigChart, ProvidersChart } from './providers.js';
import { repoPath } from './paths.js';
import { ActivationPolicyChart, RuntimeConfigsChart } from './runtime.js';
import { DEFAULT_SETTINGS, type BootstrapSettings } from './settings.js';
import { claimTeams } from './teams.js';

/**
 * What `crossplane xpkg build --package-root=compositions` must leave out: the bootstrap lives beside the XRDs and
 * Compositions but is not part of the Configuration package (`--ignore` takes file globs, not folders).
 */
export const CONFIGURATION_BUILD_IGNORE = 'bootstrap/*,bootstrap/*/*';

/** Folder of the IAM documents inside the bootstrap folder; no Application syncs it. */
export const IAM_FOLDER = 'iam';

/**
 * Every bootstrap file, by path relative to the bootstrap folder, with the chart that renders it. `claimsDir` is the
 * claims folder on disk whose team folders become claims Applications (the repository's claims/ unless a test says).
 */
export function bootstrapCharts(
  app: App,
  settings: BootstrapSettings = DEFAULT_SETTINGS,
  claimsDir = repoPath('claims'),
): Map<string, Chart> {
  const id = (name: string) => `bootstrap-${name}`;
  const teams = claimTeams(settings, claimsDir);
  const files = new Map<string, Chart>([
    ['root.yaml', new RootAppChart(app, id('root'), settings)],
    [`${FOLDERS.argocd}/argocd-cm.yaml`, new ArgoConfigChart(app, id('argocd-cm'), settings)],
    [`${FOLDERS.argocd}/projects.yaml`, new ProjectsChart(app, id('projects'), settings, teams)],
    [`${FOLDERS.runtime}/deployment-runtime-configs.yaml`, new RuntimeConfigsChart(app, id('runtime-configs'), settings)],
    [
      `${FOLDERS.runtime}/activation-policy.yaml`,
      new ActivationPolicyChart(app, id('activation-policy'), composedManagedKinds()),
    ],
    [`${FOLDERS.providers}/providers.yaml`, new ProvidersChart(app, id('providers'), settings)],
    [`${FOLDERS.providerConfig}/provider-config.yaml`, new ProviderConfigChart(app, id('provider-config'), settings)],
    [`${FOLDERS.providerConfig}/account-guard.yaml`, new AccountGuardChart(app, id('account-guard'), settings)],
    [`${FOLDERS.function}/function.yaml`, new FunctionChart(app, id('function'), settings)],
    [`${FOLDERS.portal}/portal.yaml`, new PortalChart(app, id('portal'), settings)],
    [`${FOLDERS.monitoring}/function-podmonitor.yaml`, new FunctionMetricsChart(app, id('function-metrics'), settings)],
  ]);
  for (const plan of appPlans(settings, teams)) {
    files.set(`${FOLDERS.apps}/${plan.name}.yaml`, new ChildAppChart(app, id(`app-${plan.name}`), settings, plan));
  }
  return files;
}

/** Writes the bootstrap into `outdir` (compositions/bootstrap), replacing what was there, IAM documents included. */
export function synthBootstrap(app: App, outdir: string, settings: BootstrapSettings = DEFAULT_SETTINGS): void {
  rmSync(outdir, { recursive: true, force: true });
  for (const [file, chart] of bootstrapCharts(app, settings)) writeChart(join(outdir, file), chart);
  mkdirSync(join(outdir, IAM_FOLDER), { recursive: true });
  for (const [file, text] of iamFiles(settings)) writeFileSync(join(outdir, IAM_FOLDER, file), text);
}
