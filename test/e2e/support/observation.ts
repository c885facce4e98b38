/**
 * One look at a claim's estate in the cluster, set against src/compose in the two ways of compare.ts:
 *
 * - delivery: every composite holds exactly what the function composes from the cluster's state (no desired
 *   resource missing, none left over, each equal to its desired manifest after CRD defaults);
 * - plan: every composed object is in `planClaim()` and equals it but for values known only after creation. The
 *   planned resources that are not in the cluster are the ones that wait for observed state no provider reports here
 *   (key ARNs, endpoints, Ready conditions): by the delivery check, the function does not compose them yet.
 *
 * A composite that plans a kind the API server does not serve is "blocked": Crossplane core v2.3.4 records its
 * resource references, applies its resources in map order until the first unknown kind, and from then on fails every
 * reconcile at "cannot get composed resource: no matches for kind" before it calls the function. So which of its other
 * resources exist is chance: for it, the cluster must hold a subset of the function's output, each object equal to
 * it, and its Synced condition must name the missing kind.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DisasterRecoveryClaim } from '../../../src/api/claim.js';
import type { ComposeOptions } from '../../../src/compose/index.js';
import { planClaim, type PlannedResource } from '../../../src/compose/plan.js';
import { actualView, composeFromCluster, expectedView, planDifferences } from './compare.js';
import { composedTree, idOf, keyOf, parentOf, pathOf, plannedById, ROOT_PATH, servedResources } from './estate.js';
import type { KubeObject, Kubectl } from './kubectl.js';
import { typeKey, type CrdIndex } from './schema.js';

/** What to observe and how to read it. */
export interface ObserveTarget {
  readonly kubectl: Kubectl;
  readonly crds: CrdIndex;
  /** API group of the composites (drplane.io). */
  readonly group: string;
  /** `<plural>.<group>` of the claim and of its composite. */
  readonly claimResource: string;
  readonly compositeResource: string;
  /** What the function is given besides the request (the Lambda zips), so the test composes alike. */
  readonly composeOptions: ComposeOptions;
  /**
   * List only the objects Crossplane labels with the claim's namespace (`crossplane.io/claim-namespace`), instead of
   * every object of the estate's kinds: for a cluster holding many estates, each claim in a namespace of its own.
   */
  readonly byClaimNamespace?: boolean;
}

/** A composite that plans kinds the API server does not serve. */
export interface Blocked {
  readonly unservedKinds: readonly string[];
  /** Resources the function composes directly under it, and how many of them exist. */
  readonly desired: number;
  readonly present: number;
}

/** A composed object that differs from what it should be. */
export interface Mismatch {
  readonly expected: unknown;
  readonly actual: unknown;
}

/** One look at an estate. */
export interface Observation {
  readonly claim: KubeObject;
  readonly composite: KubeObject;
  /** Composed objects by `<parent path>:<key>`. */
  readonly composed: ReadonlyMap<string, KubeObject>;
  /** The steady-state plan by id. */
  readonly planned: ReadonlyMap<string, PlannedResource>;
  /** Blocked composites by path. */
  readonly blocked: ReadonlyMap<string, Blocked>;
  /** Delivery: desired by the function but not in the cluster (outside blocked composites). */
  readonly undelivered: readonly string[];
  /** Delivery: in the cluster but not desired by the function. */
  readonly leftOver: readonly string[];
  /** Delivery: objects that differ from the function's desired manifest. */
  readonly undeliveredChanges: ReadonlyMap<string, Mismatch>;
  /** Plan: composed objects that are not in the plan. */
  readonly unplanned: readonly string[];
  /** Plan: composed objects that differ from the plan beyond its placeholders, with the differing paths. */
  readonly planMismatches: ReadonlyMap<string, Mismatch & { readonly paths: readonly string[] }>;
  /** Plan: planned resources not in the cluster (outside blocked composites): they wait for observed state. */
  readonly waiting: readonly string[];
  /** Composites (by path; the claim as `claim`) that have not reconciled their current spec as they should. */
  readonly syncProblems: Readonly<Record<string, string>>;
}

/** True once Crossplane has delivered everything the function composes and every composite has reconciled. */
export function settled(o: Observation): boolean {
  return (
    o.undelivered.length === 0 &&
    o.leftOver.length === 0 &&
    o.undeliveredChanges.size === 0 &&
    Object.keys(o.syncProblems).length === 0
  );
}

type Condition = { type: string; status: string; message?: string; observedGeneration?: number };
/** A condition of an object's status. */
export const condition = (o: KubeObject, type: string): Condition | undefined =>
  (o.status?.conditions as Condition[] | undefined)?.find((c) => c.type === type);

/** The composites of an observation by path (the claim as `claim`). */
export function composites(o: Pick<Observation, 'claim' | 'composite' | 'composed'>, group: string): [string, KubeObject][] {
  return [
    ['claim', o.claim],
    [ROOT_PATH, o.composite],
    ...[...o.composed]
      .filter(([, x]) => x.apiVersion.startsWith(`${group}/`))
      .map(([id, x]): [string, KubeObject] => [pathOf(id), x]),
  ];
}

function syncProblems(
  o: Pick<Observation, 'claim' | 'composite' | 'composed' | 'blocked'>,
  group: string,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [path, xr] of composites(o, group)) {
    const synced = condition(xr, 'Synced');
    const state = `Synced=${synced?.status ?? 'absent'} at generation ${synced?.observedGeneration ?? '?'} of ${xr.metadata.generation}${synced?.message ? `: ${synced.message}` : ''}`;
    const blocked = o.blocked.get(path);
    if (blocked) {
      const missingKind = new RegExp(`no matches for kind "(${blocked.unservedKinds.join('|')})"`);
      if (synced?.status !== 'False' || !missingKind.test(synced.message ?? '')) {
        problems[path] = `blocked by ${blocked.unservedKinds.join(', ')} but ${state}`;
      }
    } else if (synced?.status !== 'True' || synced.observedGeneration !== xr.metadata.generation) {
      problems[path] = state;
    }
  }
  return problems;
}

/** Reads a claim's estate from the cluster and compares it. Throws while the claim or its composite does not exist yet. */
export async function observe(
  t: ObserveTarget,
  name: string,
  namespace: string,
  claim: DisasterRecoveryClaim,
): Promise<Observation> {
  const claimObject = await t.kubectl.get(t.claimResource, name, { namespace });
  if (!claimObject) throw new Error(`claim ${namespace}/${name} does not exist`);
  const xrName = claimObject.spec?.resourceRef?.name as string | undefined;
  if (!xrName) throw new Error(`claim ${namespace}/${name} has no spec.resourceRef yet`);
  const composite = await t.kubectl.get(t.compositeResource, xrName);
  if (!composite) throw new Error(`composite ${xrName} does not exist yet`);

  const plan = planClaim(claim, undefined, t.composeOptions);
  const planned = plannedById(plan);
  const { served } = servedResources(plan, t.crds);
  const selector = t.byClaimNamespace ? `crossplane.io/claim-namespace=${namespace}` : undefined;
  const composed = await composedTree(t.kubectl, composite, served, t.group, selector);

  // Delivery, composite by composite.
  const blocked = new Map<string, Blocked>();
  const undelivered: string[] = [];
  const leftOver: string[] = [];
  const undeliveredChanges = new Map<string, Mismatch>();
  for (const [path, xr] of composites({ claim: claimObject, composite, composed }, t.group).slice(1)) {
    const children = new Map([...composed].filter(([id]) => parentOf(id) === path).map(([id, o]) => [keyOf(id), o]));
    const desired = composeFromCluster(xr, children, t.composeOptions);
    const unservedKinds = [
      ...new Set([...desired.values()].filter((m) => !t.crds.has(typeKey(m.apiVersion, m.kind))).map((m) => m.kind)),
    ].sort();
    if (unservedKinds.length > 0) blocked.set(path, { unservedKinds, desired: desired.size, present: children.size });
    for (const key of desired.keys()) if (!children.has(key) && unservedKinds.length === 0) undelivered.push(idOf(path, key));
    for (const [key, object] of children) {
      const manifest = desired.get(key);
      if (!manifest) {
        leftOver.push(idOf(path, key));
        continue;
      }
      const expected = expectedView(manifest, key, t.crds, t.group);
      const actual = actualView(object, expected, t.group);
      if (!isDeepStrictEqual(actual, expected)) undeliveredChanges.set(idOf(path, key), { expected, actual });
    }
  }

  // Against the plan.
  const underBlocked = (id: string) =>
    [...blocked.keys()].some((path) => parentOf(id) === path || parentOf(id).startsWith(`${path}/`));
  const unplanned = [...composed.keys()].filter((id) => !planned.has(id)).sort();
  const waiting = [...planned.keys()].filter((id) => !composed.has(id) && !underBlocked(id)).sort();
  const planMismatches = new Map<string, Mismatch & { paths: string[] }>();
  for (const [id, object] of composed) {
    const promise = planned.get(id);
    if (!promise) continue;
    const expected = expectedView(promise.manifest, promise.key, t.crds, t.group);
    const actual = actualView(object, expected, t.group);
    const paths = planDifferences(expected, actual);
    if (paths.length > 0) planMismatches.set(id, { expected, actual, paths });
  }

  const partial = { claim: claimObject, composite, composed, blocked };
  return {
    ...partial,
    planned,
    undelivered: undelivered.sort(),
    leftOver: leftOver.sort(),
    undeliveredChanges,
    unplanned,
    planMismatches,
    waiting,
    syncProblems: syncProblems(partial, t.group),
  };
}

/** The messages of every Warning event about an object, oldest first. */
export async function warningsAbout(kubectl: Kubectl, object: KubeObject): Promise<string[]> {
  const events = await kubectl.list('events', {
    namespace: object.metadata.namespace ?? 'default',
    fieldSelector: `involvedObject.uid=${object.metadata.uid},type=Warning`,
  });
  const time = (e: KubeObject) => String(e.lastTimestamp ?? e.eventTime ?? '');
  return events.sort((a, b) => time(a).localeCompare(time(b))).map((e) => String(e.message));
}

/** The message of the newest Warning event about an object, if any (the reason a stale condition does not show). */
export async function lastWarning(kubectl: Kubectl, object: KubeObject): Promise<string | undefined> {
  return (await warningsAbout(kubectl, object)).pop();
}
