/** Status of stored claims from the cluster, when the portal has a kubeconfig: the same tree `drctl status` reads. */
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../cluster/claims.js';
import { estateTree, flatten } from '../cluster/tree.js';

/** A claim's status as the cluster reports it. */
export type ClusterStatus = 'Ready' | 'Not ready' | 'Paused' | 'not in cluster' | 'cluster unreachable';

/**
 * Paused when Crossplane is told not to reconcile part of the estate (drplane pauses the Aurora clusters around a
 * switchover; `drctl status` shows which), else Ready when every object is Ready; "not in cluster" when the claim was
 * never applied.
 */
export async function clusterStatus(kc: KubeConfig, namespace: string, name: string): Promise<ClusterStatus> {
  try {
    const tree = await estateTree(kc, namespace, name);
    const nodes = flatten(tree);
    if (nodes.some((n) => n.paused)) return 'Paused';
    return nodes.every((n) => n.ready === 'True') ? 'Ready' : 'Not ready';
  } catch (err) {
    if (err instanceof ClusterError && err.message.includes('is not in the cluster')) return 'not in cluster';
    return 'cluster unreachable';
  }
}
