/**
 * A claim's estate as the API server holds it, laid out like src/compose/plan.ts lays out the plan: every composed
 * object under the path of the composite that controls it (`XDisasterRecovery`, `XDisasterRecovery/<nested key>`,
 * ...) and its key (the `crossplane.io/composition-resource-name` annotation Crossplane sets). Parentage comes from
 * the controller owner reference, exactly what Crossplane and the garbage collector use.
 */
import type { PlannedResource } from '../../../src/compose/plan.js';
import { RESOURCE_NAME } from '../../../src/compose/plan.js';
import type { KubeObject, Kubectl } from './kubectl.js';
import { typeKey, type CrdIndex } from './schema.js';

/** Path of the top composite, as in the plan's `parent` fields. */
export const ROOT_PATH = 'XDisasterRecovery';

/** `<parent path>:<key>`, the identity of a composed resource within its estate. */
export const idOf = (parent: string, key: string): string => `${parent}:${key}`;
/** The path of the composite that composes the resource `id`. */
export const parentOf = (id: string): string => id.slice(0, id.indexOf(':'));
/** The key of the resource `id` within its composite. */
export const keyOf = (id: string): string => id.slice(id.indexOf(':') + 1);
/** The path of the resource `id` when it is itself a composite (`<parent path>/<key>`). */
export const pathOf = (id: string): string => `${parentOf(id)}/${keyOf(id)}`;
/** The id of the nested composite at `path` (the inverse of {@link pathOf}; not for the root). */
export const idOfPath = (path: string): string =>
  idOf(path.slice(0, path.lastIndexOf('/')), path.slice(path.lastIndexOf('/') + 1));

/** The planned resources by {@link idOf}. */
export function plannedById(plan: readonly PlannedResource[]): Map<string, PlannedResource> {
  return new Map(plan.map((p) => [idOf(p.parent, p.key), p]));
}

const controllerUid = (o: KubeObject): string | undefined => o.metadata.ownerReferences?.find((r) => r.controller)?.uid;

/**
 * Lists every object of the kinds in `resources` (`<plural>.<group>` names) and walks the controller references
 * down from `composite`. A composed object that is itself a composite (its kind's group is `compositeGroup`) is
 * descended into with its key appended to the path.
 */
export async function composedTree(
  kubectl: Kubectl,
  composite: KubeObject,
  resources: readonly string[],
  compositeGroup: string,
  /** Lists only objects matching this label selector (default: every object of the kinds). */
  selector?: string,
): Promise<Map<string, KubeObject>> {
  const objects =
    resources.length === 0 ? [] : await kubectl.list([...new Set(resources)].sort().join(','), selector ? { selector } : {});
  const children = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const uid = controllerUid(o);
    if (uid) children.set(uid, [...(children.get(uid) ?? []), o]);
  }
  const out = new Map<string, KubeObject>();
  const walk = (parent: KubeObject, path: string) => {
    for (const child of children.get(parent.metadata.uid) ?? []) {
      const key = child.metadata.annotations?.[RESOURCE_NAME] ?? `<no ${RESOURCE_NAME}: ${child.kind}/${child.metadata.name}>`;
      out.set(idOf(path, key), child);
      if (child.apiVersion.startsWith(`${compositeGroup}/`)) walk(child, `${path}/${key}`);
    }
  };
  walk(composite, ROOT_PATH);
  return out;
}

/** The `<plural>.<group>` names of the planned kinds the API server serves, and the planned kinds it does not. */
export function servedResources(plan: readonly PlannedResource[], crds: CrdIndex): { served: string[]; unserved: Set<string> } {
  const served = new Set<string>();
  const unserved = new Set<string>();
  for (const p of plan) {
    const kind = crds.get(typeKey(p.manifest.apiVersion, p.manifest.kind));
    if (kind) served.add(kind.resource);
    else unserved.add(typeKey(p.manifest.apiVersion, p.manifest.kind));
  }
  return { served: [...served].sort(), unserved };
}
