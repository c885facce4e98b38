/**
 * The Aurora part of an estate in a cluster: its XGlobalDatabase composite and the composed GlobalCluster and member
 * Clusters (keyed by composition-resource name, as the function sees them), and the one write drctl makes to them:
 * removing a stale spec.forProvider.replicationSourceIdentifier after a switchover.
 */
import { CustomObjectsApi, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { Manifest, StaleSource } from '../compose/index.js';
import { ClusterError } from './claims.js';
import { readClaim, readObject, refsOf } from './objects.js';

/** The annotation Crossplane sets on every composed resource: its key in the composition. */
const RESOURCE_NAME = 'crossplane.io/composition-resource-name';
const RDS_GROUP = 'rds.aws.upbound.io';

/** The database composite and its observed Aurora resources by composition-resource name. */
export interface DatabaseState {
  readonly composite: Manifest;
  readonly observed: Readonly<Record<string, Manifest>>;
}

/** Reads the estate's XGlobalDatabase and its Aurora resources; undefined when the estate has no database. */
export async function readDatabase(kc: KubeConfig, namespace: string, name: string): Promise<DatabaseState | undefined> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const claim = await readClaim(api, namespace, name);
  const xrRef = claim.spec?.resourceRef;
  if (!xrRef) throw new ClusterError(`DisasterRecovery ${namespace}/${name} has no composite yet; wait for Crossplane`);
  const xr = await readOrFail(api, xrRef);
  const dbRef = refsOf(xr).find((r) => r.kind === 'XGlobalDatabase');
  if (!dbRef) return undefined;
  const composite = await readOrFail(api, dbRef);
  const observed: Record<string, Manifest> = {};
  for (const ref of refsOf(composite).filter((r) => r.apiVersion.startsWith(`${RDS_GROUP}/`))) {
    const o = await readOrFail(api, ref);
    const key = o.metadata?.annotations?.[RESOURCE_NAME];
    if (key) observed[key] = o as Manifest;
  }
  return { composite: composite as Manifest, observed };
}

async function readOrFail(api: KubernetesObjectApi, ref: { apiVersion: string; kind: string; name: string }) {
  try {
    return await readObject(api, ref);
  } catch (err) {
    throw new ClusterError(`cannot read ${ref.kind} ${ref.name}: ${(err as Error).message}`);
  }
}

/**
 * Removes a stale replicationSourceIdentifier from one member Cluster with a JSON patch that first tests the value,
 * so a field the provider has meanwhile re-initialized to the right value is left alone (the patch then fails).
 */
export async function clearReplicationSource(kc: KubeConfig, cluster: Manifest, stale: StaleSource): Promise<void> {
  const [group, version] = cluster.apiVersion.split('/') as [string, string];
  const path = '/spec/forProvider/replicationSourceIdentifier';
  const api = kc.makeApiClient(CustomObjectsApi);
  try {
    await api.patchClusterCustomObject(
      {
        group,
        version,
        plural: 'clusters',
        name: stale.name,
        body: [
          { op: 'test', path, value: stale.value },
          { op: 'remove', path },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
  } catch (err) {
    throw new ClusterError(`cannot clear replicationSourceIdentifier on Cluster ${stale.name}: ${(err as Error).message}`);
  }
}
