/**
 * What each bootstrap object needs to exist before it is applied, read from the objects themselves (their kind's CRD,
 * the names they reference), and where in the sync order each need is met. The order of an object is the sync wave of
 * the child Application that applies it, then its own sync wave inside that Application; the argocd/ folder and the
 * root Application are applied by hand before anything else.
 */
import { FAMILY_PACKAGE } from '../../charts/bootstrap/providers.js';
import { groupOf, syncedApps, type Manifest, type RenderedBootstrap } from './render.js';

/** Crossplane core API groups, whose CRDs Crossplane's init container installs from the Helm chart's image. */
const CORE_GROUPS = new Set([
  'pkg.crossplane.io',
  'apiextensions.crossplane.io',
  'protection.crossplane.io',
  'ops.crossplane.io',
]);

/**
 * Groups whose kinds exist before the bootstrap: Kubernetes' own, Argo CD's, and the Prometheus Operator's (a
 * precondition of settings.functionMetrics.podMonitor, the only setting that syncs one of its kinds).
 */
const PREINSTALLED = (group: string) =>
  !group.includes('.') || group.endsWith('.k8s.io') || group === 'argoproj.io' || group === 'monitoring.coreos.com';

/** A position in the sync: [wave of the Application, wave of the object in it]. */
export type Order = readonly [number, number];

/** An object at its position, with the Application that applies it. */
export interface Placed {
  readonly object: Manifest;
  readonly app: string;
  readonly order: Order;
}

/** The two hand-applied steps of docs/gitops.md: first the argocd/ folder, then root.yaml. */
const MANUAL_ARGOCD: Order = [-Infinity, 0];
const MANUAL_ROOT: Order = [-Infinity, 1];
const before = (a: Order, b: Order) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const show = (o: Order) => (o[0] === -Infinity ? `kubectl apply step ${o[1] + 1}` : `wave ${o[0]}/${o[1]}`);
const id = (o: Manifest) => `${o.kind} ${o.metadata.name}`;

/** Every object at its position: the hand-applied files, the child Applications, and what each of them syncs. */
export function placeObjects(rendered: RenderedBootstrap): Placed[] {
  const manual = [...rendered.files.entries()]
    .filter(([file]) => file === 'root.yaml' || file.startsWith('argocd/'))
    .flatMap(([file, objects]) =>
      objects.map((object) => ({ object, app: 'kubectl', order: file === 'root.yaml' ? MANUAL_ROOT : MANUAL_ARGOCD })),
    );
  const synced = syncedApps(rendered).flatMap(({ app, wave, objects }) => [
    { object: app, app: 'drplane', order: [wave, 0] as Order },
    ...objects.map((object) => ({
      object,
      app: app.metadata.name,
      order: [wave, Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0')] as Order,
    })),
  ]);
  return [...manual, ...synced];
}

/** One thing an object needs, and how to recognise what provides it. */
interface Need {
  readonly what: string;
  readonly provides: (p: Placed) => boolean;
}

/** The CRD of the object's own kind, unless Kubernetes or Argo CD serve it already. */
function crdNeed(object: Manifest): Need | undefined {
  const group = groupOf(object);
  if (PREINSTALLED(group)) return undefined;
  if (CORE_GROUPS.has(group))
    return {
      what: `the ${group} CRDs (Crossplane core)`,
      provides: (p) => p.object.kind === 'Application' && p.object.spec.source?.chart === 'crossplane',
    };
  if (group === 'aws.upbound.io')
    return {
      what: `the ${group} CRDs (provider-family-aws)`,
      provides: (p) => p.object.kind === 'Provider' && String(p.object.spec.package).startsWith(`${FAMILY_PACKAGE}:`),
    };
  if (group === 'drplane.io') {
    return {
      what: `the XRD serving ${object.kind}`,
      provides: (p) =>
        p.object.kind === 'CompositeResourceDefinition' &&
        (p.object.spec.names.kind === object.kind || p.object.spec.claimNames?.kind === object.kind),
    };
  }
  return { what: `a CRD for ${group}`, provides: () => false };
}

const named = (kind: string, name: string): Need => ({
  what: `${kind} ${name}`,
  provides: (p) => p.object.kind === kind && p.object.metadata.name === name,
});
const everyOf = (kind: string, placed: readonly Placed[]): Need[] =>
  placed.filter((p) => p.object.kind === kind && p.app !== 'kubectl').map((p) => named(kind, p.object.metadata.name));

/** What `object` needs, from its kind and its references. */
function needsOf(object: Manifest, placed: readonly Placed[]): Need[] {
  const needs: Need[] = [];
  const crd = crdNeed(object);
  if (crd) needs.push(crd);
  const runtime = object.spec?.runtimeConfigRef?.name;
  if (runtime) needs.push(named('DeploymentRuntimeConfig', runtime));
  if (object.kind === 'Application') needs.push(named('AppProject', object.spec.project));
  if (object.kind === 'Composition') {
    for (const step of object.spec.pipeline ?? []) needs.push(named('Function', step.functionRef.name));
    const xr = object.spec.compositeTypeRef.kind;
    needs.push({
      what: `the XRD of ${xr}`,
      provides: (p) => p.object.kind === 'CompositeResourceDefinition' && p.object.spec.names.kind === xr,
    });
  }
  if (groupOf(object) === 'drplane.io') {
    // A claim's composite and its nested composites are composed by the function into managed resources that use
    // the default ProviderConfig, the provider CRDs and the activation policy.
    needs.push(
      ...everyOf('Composition', placed),
      ...everyOf('Provider', placed),
      ...everyOf('ManagedResourceActivationPolicy', placed),
    );
    needs.push(...everyOf('ProviderConfig', placed), ...everyOf('Function', placed));
  }
  return needs;
}

/** Every need met too late (or never), as readable lines; empty when the order is right. */
export function orderViolations(placed: readonly Placed[]): string[] {
  const problems: string[] = [];
  for (const p of placed) {
    for (const need of needsOf(p.object, placed)) {
      const providers = placed.filter(need.provides).map((x) => x.order);
      if (providers.length === 0) {
        problems.push(`${id(p.object)} (${p.app}, ${show(p.order)}) needs ${need.what}, which nothing provides`);
        continue;
      }
      const earliest = providers.reduce((a, b) => (before(b, a) ? b : a));
      if (!before(earliest, p.order)) {
        problems.push(`${id(p.object)} (${p.app}, ${show(p.order)}) needs ${need.what}, provided only at ${show(earliest)}`);
      }
    }
  }
  return problems;
}
