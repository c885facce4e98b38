/** Claims in a cluster, through the Kubernetes API (@kubernetes/client-node, kubeconfig as kubectl finds it). */
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { GROUP, VERSION } from '../api/claim.js';
import { requireCurrentCluster, requireDefaultKubeConfig } from './kubeconfig-sources.js';

/** Plural of the DisasterRecovery claim kind. */
export const CLAIM_PLURAL = 'disasterrecoveries';

/**
 * A kubeconfig loaded as kubectl does ($KUBECONFIG, else ~/.kube/config, else in-cluster), or from a file; throws
 * {@link NoKubeConfig} naming the places looked at when there is none, or when it names no current cluster (the client would otherwise fall back to
 * http://localhost:8080 and fail with a message about TLS). `inCluster` (and no file): the pod's ServiceAccount.
 */
export function loadKubeConfig(file?: string, inCluster = false): KubeConfig {
  const kc = new KubeConfig();
  if (inCluster && !file) {
    kc.loadFromCluster();
  } else if (file) {
    kc.loadFromFile(file);
  } else {
    if (process.platform !== 'win32') requireDefaultKubeConfig(process.env, existsSync);
    kc.loadFromDefault();
  }
  requireCurrentCluster(kc, file ?? process.env.KUBECONFIG ?? 'the default kubeconfig');
  return kc;
}

/** A cluster failure, with what the API server said. */
export class ClusterError extends Error {
  override name = 'ClusterError';
}

function describe(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
  const message = /"message":"([^"]+)"/.exec(body)?.[1];
  return e.code ? `HTTP ${e.code}${message ? `: ${message}` : ''}` : (e.message ?? String(err));
}

/**
 * Sets spec.activeRegion of a claim in the cluster with a merge patch, and spec.failover.allowDataLoss when given (true
 * for an unplanned failover); returns the patched claim.
 */
export async function patchActiveRegion(
  kc: KubeConfig,
  namespace: string,
  name: string,
  region: string,
  allowDataLoss?: boolean,
): Promise<Record<string, unknown>> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const spec = { activeRegion: region, ...(allowDataLoss === undefined ? {} : { failover: { allowDataLoss } }) };
  try {
    return (await api.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace, plural: CLAIM_PLURAL, name, body: { spec } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Record<string, unknown>;
  } catch (err) {
    throw new ClusterError(`cannot patch DisasterRecovery ${namespace}/${name}: ${describe(err)}`);
  }
}

/** Annotation Argo CD writes on what it syncs (annotation tracking): `<application>:<group>/<kind>:<namespace>/<name>`. */
export const ARGOCD_TRACKING_ID = 'argocd.argoproj.io/tracking-id';

/** The Argo CD Application that syncs an object, from its tracking annotation, or undefined when none does. */
export function trackingApplication(object: Record<string, unknown>): string | undefined {
  const annotations = (object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  const id = annotations?.[ARGOCD_TRACKING_ID];
  const app = id?.split(':')[0];
  return app ? app : undefined;
}
