/**
 * Where a kubeconfig is looked for when none is named, in the order @kubernetes/client-node's loadFromDefault (and
 * kubectl) uses: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account. Pure, so the message for
 * "none found" can be tested without touching the machine's files.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';

/** The service account token a pod has; its presence is how the client detects running in a cluster. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Why no kubeconfig could be found: every place looked at and what was there. */
export class NoKubeConfig extends Error {
  override name = 'NoKubeConfig';
}

/**
 * Throws {@link NoKubeConfig} naming each place looked at when none of them holds a kubeconfig; returns otherwise.
 * `env` is the process environment, `exists` tells whether a file exists.
 */
export function requireDefaultKubeConfig(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): void {
  if (env.KUBECONFIG) return;
  const home = env.HOME;
  const file = home ? join(home, '.kube', 'config') : undefined;
  if (file !== undefined && exists(file)) return;
  if (exists(SERVICE_ACCOUNT_TOKEN)) return;
  throw new NoKubeConfig(
    [
      'no kubeconfig found; looked at:',
      '  - $KUBECONFIG: not set',
      `  - ${file ?? '~/.kube/config'}: ${file ? 'does not exist' : 'HOME is not set'}`,
      `  - in-cluster service account (${SERVICE_ACCOUNT_TOKEN}): not running in a pod`,
      'pass --kubeconfig FILE or set KUBECONFIG to the cluster where the claim runs',
    ].join('\n'),
  );
}

/**
 * Throws {@link NoKubeConfig} when a loaded kubeconfig does not say which cluster to use (no current context, or one
 * that names no cluster it defines), listing the contexts to choose from; the client would otherwise fail with
 * "No active cluster!".
 */
export function requireCurrentCluster(kc: KubeConfig, where: string): void {
  if (kc.getCurrentCluster()) return;
  const contexts = kc.getContexts().map((c) => c.name);
  const current = kc.getCurrentContext();
  const why = current ? `its current context "${current}" names no cluster it defines` : 'it has no current context';
  const fix =
    contexts.length > 0
      ? `choose one with kubectl config use-context ${contexts[0]}${contexts.length > 1 ? ` (contexts: ${contexts.join(', ')})` : ''}`
      : 'it defines no context: add one with kubectl config set-context';
  throw new NoKubeConfig(`the kubeconfig ${where} does not say which cluster to use: ${why}; ${fix}`);
}
