/** Status of stored claims from the cluster, when the portal has a kubeconfig: the same tree `drctl status` reads. */
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../cluster/claims.js';
import { estateTree, flatten } from '../cluster/tree.js';

/** A claim's status as the cluster reports it. */
export type ClusterStatus = 'Ready' | 'Not ready' | 'not in cluster' | 'cluster unreachable';

/** Ready when every object of the estate is Ready; "not in cluster" when the claim was never applied. */
export async function clusterStatus(kc: KubeConfig, namespace: string, name: string): Promise<ClusterStatus> {
  try {
    const tree = await estateTree(kc, namespace, name);
    return flatten(tree).every((n) => n.ready === 'True') ? 'Ready' : 'Not ready';
  } catch (err) {
    if (err instanceof ClusterError && err.message.includes('is not in the cluster')) return 'not in cluster';
    return 'cluster unreachable';
  }
}
