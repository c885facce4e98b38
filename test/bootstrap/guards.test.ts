/**
 * What keeps GitOps from destroying an estate: the AppProjects (what each Application may apply), pruning switched
 * off for stateful kinds, no cascading deletes of Applications, and SkipDryRunOnMissingResource wherever a kind's
 * CRD is installed by an earlier step.
 */
import { expect, it } from 'vitest';
import { NO_PRUNE, parseSyncOptions, SKIP_DRY_RUN, SYNC_OPTIONS } from '../../charts/bootstrap/argo.js';
import { DEFAULT_SETTINGS } from '../../charts/bootstrap/settings.js';
import { COMPOSITE_KINDS } from '../../src/api/index.js';
import { groupOf, renderBootstrap, syncedApps, type Manifest, type SyncedApp } from './render.js';

/** Argo CD's glob for project destinations and whitelists (`*` matches anything). */
const glob = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);

function projects(): Map<string, Manifest> {
  const objects = renderBootstrap().files.get('argocd/projects.yaml')!;
  return new Map(objects.map((p) => [p.metadata.name, p]));
}

/** Why `project` refuses `object`, or undefined when it permits it (namespaced = has a namespace). */
function refusal(project: Manifest, object: Manifest): string | undefined {
  const group = groupOf(object);
  const kind = object.kind;
  const listed = (list: { group: string; kind: string }[] | undefined) =>
    (list ?? []).some((e) => glob(e.group, group) && glob(e.kind, kind));
  if (object.metadata.namespace === undefined) {
    return listed(project.spec.clusterResourceWhitelist) ? undefined : `cluster-scoped ${group}/${kind} is not whitelisted`;
  }
  if (project.spec.namespaceResourceWhitelist && !listed(project.spec.namespaceResourceWhitelist))
    return `${group}/${kind} is not whitelisted`;
  const destinations = project.spec.destinations as { namespace: string }[];
  return destinations.some((d) => glob(d.namespace, object.metadata.namespace!))
    ? undefined
    : `namespace ${object.metadata.namespace} is not a destination`;
}

const apps = (): SyncedApp[] => syncedApps(renderBootstrap());
const appNamed = (name: string) => apps().find((a) => a.app.metadata.name === name)!;
const options = (o: Manifest) => parseSyncOptions(o.metadata.annotations?.[SYNC_OPTIONS]);

it('every object each Application applies is permitted by its project, from a permitted repository', () => {
  const all = projects();
  for (const { app, objects } of apps()) {
    const project = all.get(app.spec.project);
    expect(project, app.metadata.name).toBeDefined();
    expect(project!.spec.sourceRepos, app.metadata.name).toContain(app.spec.source.repoURL);
    if (app.spec.destination.namespace)
      expect(
        refusal(project!, { ...app, metadata: { ...app.metadata, namespace: app.spec.destination.namespace } }),
        app.metadata.name,
      ).toBeUndefined();
    for (const object of objects)
      expect(refusal(project!, object), `${app.metadata.name}: ${object.kind} ${object.metadata.name}`).toBeUndefined();
  }
});

it('the platform project permits what the Crossplane Helm chart (v2.3.4 templates, plus the budgets) renders', () => {
  const platform = projects().get('drplane')!;
  const chart = [
    ['', 'Namespace'], // CreateNamespace=true
    ['rbac.authorization.k8s.io', 'ClusterRole'],
    ['rbac.authorization.k8s.io', 'ClusterRoleBinding'],
  ].map(([group, kind]) => ({ apiVersion: group ? `${group}/v1` : 'v1', kind: kind!, metadata: { name: 'x' } }));
  const namespaced = [
    ['apps', 'Deployment'],
    ['', 'ServiceAccount'],
    ['', 'Secret'],
    ['', 'Service'],
    ['policy', 'PodDisruptionBudget'],
  ].map(([group, kind]) => ({
    apiVersion: group ? `${group}/v1` : 'v1',
    kind: kind!,
    metadata: { name: 'x', namespace: DEFAULT_SETTINGS.crossplaneNamespace },
  }));
  for (const object of [...chart, ...namespaced]) expect(refusal(platform, object), object.kind).toBeUndefined();
});

it('guards composites: no project lets Argo CD apply or prune an XR or a managed resource', () => {
  const all = [...projects().values()];
  const objects: Manifest[] = [
    ...COMPOSITE_KINDS.flatMap((def) => [
      { apiVersion: 'drplane.io/v1alpha1', kind: def.kind, metadata: { name: 'payments-x7k2p' } },
      { apiVersion: 'drplane.io/v1alpha1', kind: def.kind, metadata: { name: 'payments-x7k2p', namespace: 'team-payments' } },
    ]),
    { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'b' } },
    { apiVersion: 's3.aws.m.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'b', namespace: 'team-payments' } },
  ];
  for (const project of all)
    for (const object of objects) expect(refusal(project, object), `${project.metadata.name} ${object.kind}`).toBeDefined();
  // The claims project permits the claim, in team namespaces only.
  const claims = projects().get('drplane-claims')!;
  expect(
    refusal(claims, {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'p', namespace: 'team-payments' },
    }),
  ).toBeUndefined();
  expect(
    refusal(claims, {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'p', namespace: 'crossplane-system' },
    }),
  ).toBeDefined();
  expect(claims.spec.clusterResourceWhitelist).toBeUndefined();
});

it('never prunes what holds state: Providers, the ProviderConfig, Argo CD settings, XRDs, production claims', () => {
  const objects = renderBootstrap().objects;
  for (const object of objects.filter((o) => ['Provider', 'ProviderConfig', 'ConfigMap', 'AppProject'].includes(o.kind))) {
    expect(options(object), `${object.kind} ${object.metadata.name}`).toContain(NO_PRUNE);
  }
  expect(appNamed('drplane-xrds').app.spec.syncPolicy.syncOptions).toContain(NO_PRUNE);
  expect(appNamed('drplane-xrds').objects.map((o) => o.kind)).toEqual(COMPOSITE_KINDS.map(() => 'CompositeResourceDefinition'));
  expect(appNamed('drplane-claims').app.spec.syncPolicy.syncOptions).toContain(NO_PRUNE);
  // What does not hold state is pruned when it leaves git.
  expect(appNamed('drplane-compositions').app.spec.syncPolicy.syncOptions ?? []).not.toContain(NO_PRUNE);
  for (const object of objects.filter((o) =>
    ['Function', 'DeploymentRuntimeConfig', 'ManagedResourceActivationPolicy'].includes(o.kind),
  )) {
    expect(options(object), object.kind).not.toContain(NO_PRUNE);
  }
});

it('every Application syncs automatically with prune, self-heal and retries, and none cascades deletion', () => {
  const rendered = renderBootstrap();
  const all = [...apps().map((a) => a.app), rendered.files.get('root.yaml')![0]!];
  for (const app of all) {
    expect(app.spec.syncPolicy.automated, app.metadata.name).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(app.spec.syncPolicy.retry, app.metadata.name).toEqual({
      limit: 10,
      backoff: { duration: '15s', factor: 2, maxDuration: '5m' },
    });
    expect(app.metadata.finalizers, app.metadata.name).toBeUndefined();
  }
});

it('skips the dry run for every object whose CRD an earlier step installs', () => {
  for (const { app, objects } of apps()) {
    const appLevel = (app.spec.syncPolicy.syncOptions ?? []) as string[];
    for (const object of objects) {
      const group = groupOf(object);
      const preinstalled = !group.includes('.') || group === 'argoproj.io';
      if (!preinstalled)
        expect([...appLevel, ...options(object)], `${app.metadata.name}: ${object.kind} ${object.metadata.name}`).toContain(
          SKIP_DRY_RUN,
        );
    }
  }
});

it('ignores the fields Crossplane writes on claims and composites', () => {
  const diffs = appNamed('drplane-claims').app.spec.ignoreDifferences as {
    group: string;
    kind: string;
    jsonPointers: string[];
  }[];
  expect(diffs.find((d) => d.kind === 'DisasterRecovery')?.jsonPointers).toEqual(
    expect.arrayContaining(['/spec/resourceRef', '/spec/compositionRef', '/spec/compositionRevisionRef']),
  );
  for (const def of COMPOSITE_KINDS) {
    expect(diffs.find((d) => d.kind === def.kind)?.jsonPointers, def.kind).toEqual(
      expect.arrayContaining(['/spec/resourceRefs', '/spec/compositionRef', '/spec/compositionRevisionRef', '/spec/crossplane']),
    );
  }
});

it('every committed claim lives in a namespace the claims project serves', () => {
  const { objects } = appNamed('drplane-claims');
  expect(objects.length).toBeGreaterThan(0);
  for (const claim of objects) {
    expect(claim.kind).toBe('DisasterRecovery');
    expect(glob(DEFAULT_SETTINGS.claimNamespaces, claim.metadata.namespace ?? ''), claim.metadata.name).toBe(true);
  }
});
