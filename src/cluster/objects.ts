/** Reading Crossplane objects and following their references, shared by the status tree and the database reader. */
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';

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
