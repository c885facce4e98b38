/** Reading Crossplane objects and following their references, shared by the status tree and the database reader. */
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { API_VERSION } from '../api/claim.js';
import { CLAIM_PLURAL, ClusterError } from './claims.js';

/** A reference to a composed resource or composite, as Crossplane records it. */
export type Ref = { apiVersion: string; kind: string; name: string; namespace?: string };

/** The fields of a claim, composite or managed resource drplane reads. */
export type CrossplaneObject = KubernetesObject & {
  spec?: {
    resourceRef?: Ref;
    resourceRefs?: Ref[];
    crossplane?: { resourceRefs?: Ref[] };
    forProvider?: Record<string, unknown> & { region?: string };
  };
  status?: Record<string, unknown> & { conditions?: { type: string; status: string; message?: string; reason?: string }[] };
};

/** References to composed resources, in both layouts (legacy spec.resourceRefs, Crossplane 2 spec.crossplane.resourceRefs). */
export function refsOf(o: CrossplaneObject): Ref[] {
  return o.spec?.resourceRefs ?? o.spec?.crossplane?.resourceRefs ?? [];
}

/** Reads the object a reference names (throws the client's error, with its HTTP code, when it cannot). */
export async function readObject(api: KubernetesObjectApi, ref: Ref): Promise<CrossplaneObject> {
  return (await api.read({
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  })) as CrossplaneObject;
}

/** The reference to a DisasterRecovery claim. */
export const claimRef = (namespace: string, name: string): Ref => ({
  apiVersion: API_VERSION,
  kind: 'DisasterRecovery',
  name,
  namespace,
});

/** Reads a claim; a ClusterError says when it is not in the cluster (apply it first) or cannot be read. */
export async function readClaim(api: KubernetesObjectApi, namespace: string, name: string): Promise<CrossplaneObject> {
  try {
    return await readObject(api, claimRef(namespace, name));
  } catch (err) {
    const code = (err as { code?: number }).code;
    throw new ClusterError(
      code === 404
        ? `DisasterRecovery ${namespace}/${name} (${CLAIM_PLURAL}) is not in the cluster; apply the claim first`
        : `cannot read DisasterRecovery ${namespace}/${name}: ${(err as Error).message}`,
    );
  }
}
