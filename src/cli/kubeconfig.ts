/** The kubeconfig of a command that reads the cluster, or a clear error (exit 3) naming why it cannot be loaded. */
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError, EXIT } from './errors.js';

/** Loads `file`, or the kubeconfig kubectl would use; the cluster client is imported only by commands that need it. */
export async function kubeConfigOf(file: string | undefined): Promise<KubeConfig> {
  const { loadKubeConfig } = await import('../cluster/claims.js');
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig(file);
  } catch (err) {
    if (err instanceof Error && err.name === 'NoKubeConfig') throw new CliError(err.message, EXIT.external);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES')
      throw new CliError(
        `cannot load the kubeconfig ${e.path ?? file ?? process.env.KUBECONFIG}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a folder' : 'permission denied'}; ` +
          `${file ? 'pass --kubeconfig a kubeconfig file' : 'set KUBECONFIG to a kubeconfig file, or pass --kubeconfig FILE'}`,
        EXIT.external,
      );
    throw new CliError(`cannot load the kubeconfig: ${(err as Error).message}`, EXIT.external);
  }
  return withCurrentCluster(kc, file ?? process.env.KUBECONFIG ?? 'the default kubeconfig');
}

/** The kubeconfig when its current context names a cluster; otherwise an error that lists the contexts to choose from. */
function withCurrentCluster(kc: KubeConfig, where: string): KubeConfig {
  if (kc.getCurrentCluster()) return kc;
  const contexts = kc.getContexts().map((c) => c.name);
  const current = kc.getCurrentContext();
  const why = current ? `its current context "${current}" names no cluster it defines` : 'it has no current context';
  const fix =
    contexts.length > 0
      ? `choose one with kubectl config use-context ${contexts[0]}${contexts.length > 1 ? ` (contexts: ${contexts.join(', ')})` : ''}`
      : 'it defines no context: add one with kubectl config set-context';
  throw new CliError(`the kubeconfig ${where} does not say which cluster to use: ${why}; ${fix}`, EXIT.external);
}
