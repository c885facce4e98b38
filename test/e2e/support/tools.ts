/**
 * The pinned control-plane binaries of the e2e tier and where they are.
 *
 * etcd, kube-apiserver, kube-controller-manager, kubectl and Argo CD's `argocd` are built by `bash scripts/e2e-tools.sh`,
 * Crossplane core by `bash scripts/tools.sh`, all into the same cache outside the repository. Versions are read from
 * those scripts, so each is written in one place only. An environment variable (ETCD, KUBE_APISERVER,
 * KUBE_CONTROLLER_MANAGER, KUBECTL, ARGOCD, CROSSPLANE_CORE) names
 * a binary to use instead. The e2e tier is run on purpose (`npm run test:e2e`), so a missing binary is an error, never
 * a silent skip.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../support/paths.js';

// No vitest import anywhere under test/e2e/support: the control plane can be started from a plain script too.

/** Reads `NAME=vX.Y.Z` from a script under scripts/. */
function pinnedVersion(script: string, variable: string): string {
  const match = new RegExp(`^${variable}=(v\\d+\\.\\d+\\.\\d+)$`, 'm').exec(readFileSync(repoPath('scripts', script), 'utf8'));
  if (!match) throw new Error(`scripts/${script} has no ${variable}=vX.Y.Z line`);
  return match[1]!;
}

/** Pinned k8s.io/kubernetes release of kube-apiserver, kube-controller-manager and kubectl. */
export const KUBERNETES_VERSION = pinnedVersion('e2e-tools.sh', 'KUBERNETES_VERSION');
/** Pinned etcd release. */
export const ETCD_VERSION = pinnedVersion('e2e-tools.sh', 'ETCD_VERSION');
/** Pinned Argo CD release of the `argocd` command (application controller and repo server). */
export const ARGOCD_VERSION = pinnedVersion('e2e-tools.sh', 'ARGOCD_VERSION');
/** Pinned Crossplane core release (scripts/tools.sh builds it). */
export const CROSSPLANE_CORE_VERSION = pinnedVersion('tools.sh', 'CORE_VERSION');

/** The tools cache of both scripts: `$DRPLANE_TOOLS_DIR`, else `${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools`. */
export function toolsDir(): string {
  return process.env.DRPLANE_TOOLS_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'drplane-tools');
}

/** Absolute paths of the binaries a control plane runs. */
export interface ControlPlaneTools {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubectl: string;
  readonly crossplane: string;
}

function executable(variable: string, fileName: string, script = 'e2e-tools.sh'): string {
  const path = process.env[variable] || join(toolsDir(), fileName);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    const source = process.env[variable] ? ` (from ${variable})` : '';
    throw new Error(
      `${fileName} is missing: no executable at ${path}${source}. Run \`bash scripts/${script}\` (it builds the pinned binaries into ${toolsDir()}), or set ${variable}.`,
    );
  }
  return path;
}

/** The pinned `argocd` command (ARGOCD overrides it); run as one component or another by ARGOCD_BINARY_NAME. */
export function argocdBinary(): string {
  return executable('ARGOCD', `argocd-${ARGOCD_VERSION}`);
}

/** Resolves every binary, or throws an error that says which is missing and what to run. */
export function controlPlaneTools(): ControlPlaneTools {
  return {
    etcd: executable('ETCD', `etcd-${ETCD_VERSION}`),
    kubeApiserver: executable('KUBE_APISERVER', `kube-apiserver-${KUBERNETES_VERSION}`),
    kubeControllerManager: executable('KUBE_CONTROLLER_MANAGER', `kube-controller-manager-${KUBERNETES_VERSION}`),
    kubectl: executable('KUBECTL', `kubectl-${KUBERNETES_VERSION}`),
    crossplane: executable('CROSSPLANE_CORE', `crossplane-core-${CROSSPLANE_CORE_VERSION}`, 'tools.sh'),
  };
}
