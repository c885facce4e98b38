/** The kubeconfig of a command that reads the cluster, or a clear error (exit 3) naming why it cannot be loaded. */
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError, EXIT } from './errors.js';

/** Loads `file`, or the kubeconfig kubectl would use; the cluster client is imported only by commands that need it. */
export async function kubeConfigOf(file: string | undefined): Promise<KubeConfig> {
  const { loadKubeConfig } = await import('../cluster/claims.js');
  try {
    return loadKubeConfig(file);
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
}
