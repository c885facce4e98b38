/**
 * What keeps GitOps from destroying an estate or leaking between tenants: the AppProjects (what each Application may
 * apply, where, and its own destination), pruning and cascading deletion switched off for what holds state, the
 * root leaving a child's sync policy to people during an incident, and SkipDryRunOnMissingResource wherever a kind's
 * CRD is installed by an earlier step. The project checks follow Argo CD v3.5.1's own (pkg/apis/application/v1alpha1
 * app_project_types.go: isDestinationMatched, IsGroupKindNamePermitted; controller/appcontroller.go shouldBeDeleted).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT_IGNORES } from '../../charts/bootstrap/apps.js';
import {
  CREATE_NAMESPACE,
  NO_DELETE,
  NO_PRUNE,
  parseSyncOptions,
  RESPECT_IGNORE_DIFFERENCES,
  SKIP_DRY_RUN,
  SYNC_OPTIONS,
} from '../../charts/bootstrap/argo.js';
import { DEFAULT_SETTINGS } from '../../charts/bootstrap/settings.js';
import { globMatches } from '../../charts/bootstrap/teams.js';
import { COMPOSITE_KINDS } from '../../src/api/index.js';
import { ARGOCD_VERSION } from '../e2e/support/tools.js';
import { readYamlDocuments, yamlFilesIn } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { groupOf, renderBootstrap, syncedApps, type Manifest, type SyncedApp } from './render.js';

type ResourceEntry = { group: string; kind: string; name?: string };

function projects(): Map<string, Manifest> {
  const objects = renderBootstrap().files.get('argocd/projects.yaml')!;
  return new Map(objects.map((p) => [p.metadata.name, p]));
}

/** Argo CD's isDestinationMatched for the in-cluster server: the namespace may be '' (no namespace set). */
function destinationAllowed(project: Manifest, namespace: string): boolean {
  const destinations = (project.spec.destinations ?? []) as { server: string; namespace: string }[];
  return destinations.some((d) => globMatches(d.server, DEFAULT_SETTINGS_SERVER) && globMatches(d.namespace, namespace));
}
const DEFAULT_SETTINGS_SERVER = 'https://kubernetes.default.svc';

/** Why `project` refuses `object`, or undefined when it permits it (namespaced = has a namespace). */
function refusal(project: Manifest, object: Manifest): string | undefined {
  const group = groupOf(object);
  const kind = object.kind;
  const listed = (list: ResourceEntry[] | undefined, name?: string) =>
    (list ?? []).some(
      (e) =>
        globMatches(e.group, group) && globMatches(e.kind, kind) && (name === undefined || !e.name || globMatches(e.name, name)),
    );
  if (object.metadata.namespace === undefined) {
    return listed(project.spec.clusterResourceWhitelist, object.metadata.name)
      ? undefined
      : `cluster-scoped ${group}/${kind} ${object.metadata.name} is not whitelisted`;
  }
  if (project.spec.namespaceResourceWhitelist && !listed(project.spec.namespaceResourceWhitelist))
    return `${group}/${kind} is not whitelisted`;
  if (listed(project.spec.namespaceResourceBlacklist)) return `${group}/${kind} is blacklisted`;
  return destinationAllowed(project, object.metadata.namespace)
    ? undefined
    : `namespace ${object.metadata.namespace} is not a destination`;
}

const apps = (): SyncedApp[] => syncedApps(renderBootstrap());
const appNamed = (name: string) => apps().find((a) => a.app.metadata.name === name)!;
const root = (): Manifest => renderBootstrap().files.get('root.yaml')![0]!;
const options = (o: Manifest) => parseSyncOptions(o.metadata.annotations?.[SYNC_OPTIONS]);
const appOptions = (app: Manifest) => (app.spec.syncPolicy.syncOptions ?? []) as string[];
const claimsApps = () => apps().filter((a) => a.app.metadata.name.startsWith('drplane-claims-'));
const claim = (name: string, namespace: string): Manifest => ({
  apiVersion: 'drplane.io/v1alpha1',
  kind: 'DisasterRecovery',
  metadata: { name, namespace },
});

it("every Application's own destination, namespace included, is one its project allows (else InvalidSpecError)", () => {
  const all = projects();
  for (const app of [root(), ...apps().map((a) => a.app)]) {
    const project = all.get(app.spec.project);
    expect(project, app.metadata.name).toBeDefined();
    // Argo CD checks the Application's destination against the project before anything is synced; a missing
    // namespace is the empty string, which no `team-*` glob matches (argo-cd#11510).
    expect(destinationAllowed(project!, app.spec.destination.namespace ?? ''), app.metadata.name).toBe(true);
  }
});

it('every object each Application applies is permitted by its project, from a permitted repository', () => {
  const all = projects();
  for (const { app, objects } of apps()) {
    const project = all.get(app.spec.project)!;
    expect(project.spec.sourceRepos, app.metadata.name).toContain(app.spec.source.repoURL);
    // CreateNamespace=true makes the sync apply the destination Namespace, which goes through the same check.
    const created: Manifest[] = appOptions(app).includes(CREATE_NAMESPACE)
      ? [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: app.spec.destination.namespace } }]
      : [];
    for (const object of [...created, ...objects])
      expect(refusal(project, object), `${app.metadata.name}: ${object.kind} ${object.metadata.name}`).toBeUndefined();
  }
  const rootProject = all.get(root().spec.project)!;
  for (const { app } of apps()) expect(refusal(rootProject, app), app.metadata.name).toBeUndefined();
});

it('the platform project permits what the Crossplane Helm chart (v2.3.4 templates, plus the budgets) renders', () => {
  const platform = projects().get('drplane')!;
  const chart = [
    ['', 'Namespace', DEFAULT_SETTINGS.crossplaneNamespace], // CreateNamespace=true
    ['rbac.authorization.k8s.io', 'ClusterRole', 'crossplane'],
    ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'crossplane'],
  ].map(([group, kind, name]) => ({ apiVersion: group ? `${group}/v1` : 'v1', kind: kind!, metadata: { name: name! } }));
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

it("keeps Argo CD's namespace to its own project: no other may write Secrets or ConfigMaps there, it writes no Secret", () => {
  const all = projects();
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: 'argocd' } };
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: 'argocd' } };
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' } };
  for (const [name, project] of all) {
    expect(refusal(project, secret), name).toBeDefined();
    if (name !== 'drplane-argocd') {
      expect(refusal(project, config), name).toBeDefined();
      expect(refusal(project, app), name).toBeDefined();
    }
  }
  // The platform may create its own namespace only.
  const namespace = (n: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  expect(refusal(all.get('drplane')!, namespace('kube-system'))).toBeDefined();
});

it('locks the default project down: it permits no source, no destination and no kind', () => {
  const fallback = projects().get('default')!;
  expect(fallback.spec.sourceRepos).toEqual([]);
  expect(fallback.spec.destinations).toEqual([]);
  expect(fallback.spec.clusterResourceWhitelist).toBeUndefined();
  expect(refusal(fallback, claim('p', 'team-payments'))).toBeDefined();
  for (const app of [root(), ...apps().map((a) => a.app)]) expect(app.spec.project, app.metadata.name).not.toBe('default');
});

it("one team's folder cannot write to another team's namespace, and each team role may only get and sync its own", () => {
  const all = projects();
  const teams = claimsApps().map((a) => a.app.spec.destination.namespace as string);
  expect(teams.length).toBeGreaterThan(1);
  for (const { app } of claimsApps()) {
    const project = all.get(app.spec.project)!;
    expect(app.spec.project).toBe(app.metadata.name);
    for (const other of teams) {
      const verdict = refusal(project, claim('p', other));
      if (other === app.spec.destination.namespace) expect(verdict, other).toBeUndefined();
      else expect(verdict, `${app.metadata.name} → ${other}`).toBeDefined();
    }
    const roles = project.spec.roles as { name: string; policies: string[] }[];
    expect(roles.map((r) => r.name)).toEqual(['team']);
    for (const policy of roles[0]!.policies)
      expect(policy).toMatch(
        new RegExp(`^p, proj:${app.spec.project}:team, applications, (get|sync), ${app.spec.project}/\\*, allow$`),
      );
  }
});

it('guards composites: no project lets Argo CD apply or prune an XR or a managed resource', () => {
  const objects: Manifest[] = [
    ...COMPOSITE_KINDS.flatMap((def) => [
      { apiVersion: 'drplane.io/v1alpha1', kind: def.kind, metadata: { name: 'payments-x7k2p' } },
      { apiVersion: 'drplane.io/v1alpha1', kind: def.kind, metadata: { name: 'payments-x7k2p', namespace: 'team-payments' } },
    ]),
    { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'b' } },
    { apiVersion: 's3.aws.m.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'b', namespace: 'team-payments' } },
  ];
  for (const project of projects().values())
    for (const object of objects) expect(refusal(project, object), `${project.metadata.name} ${object.kind}`).toBeDefined();
  const payments = projects().get('drplane-claims-team-payments')!;
  expect(refusal(payments, claim('p', 'team-payments'))).toBeUndefined();
  expect(refusal(payments, claim('p', 'crossplane-system'))).toBeDefined();
  expect(payments.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'team-payments' }]);
});

it('never prunes what holds state: Providers, the ProviderConfig, Argo CD settings, XRDs, production claims', () => {
  const objects = renderBootstrap().objects;
  for (const object of objects.filter((o) => ['Provider', 'ProviderConfig', 'ConfigMap', 'AppProject'].includes(o.kind))) {
    expect(options(object), `${object.kind} ${object.metadata.name}`).toContain(NO_PRUNE);
  }
  expect(appOptions(appNamed('drplane-xrds').app)).toContain(NO_PRUNE);
  // Argo CD before 3.4 ignores an Application-level Prune=false: the automated policy itself must not prune there.
  for (const name of ['drplane-xrds', 'drplane-claims-team-payments', 'drplane-claims-team-ledger']) {
    expect(appNamed(name).app.spec.syncPolicy.automated.prune, name).toBe(false);
  }
  expect(appNamed('drplane-claims-team-orders-dev').app.spec.syncPolicy.automated.prune).toBe(true);
  expect(appNamed('drplane-xrds').objects.map((o) => o.kind)).toEqual(COMPOSITE_KINDS.map(() => 'CompositeResourceDefinition'));
  expect(appOptions(appNamed('drplane-claims-team-payments').app)).toContain(NO_PRUNE);
  // What does not hold state, and the claims of a prunable (-dev) namespace, are pruned when they leave git.
  expect(appOptions(appNamed('drplane-claims-team-orders-dev').app)).not.toContain(NO_PRUNE);
  expect(appOptions(appNamed('drplane-compositions').app)).not.toContain(NO_PRUNE);
  for (const object of objects.filter((o) =>
    ['Function', 'DeploymentRuntimeConfig', 'ManagedResourceActivationPolicy'].includes(o.kind),
  )) {
    expect(options(object), object.kind).not.toContain(NO_PRUNE);
  }
});

/** The Argo CD release the e2e tier runs (scripts/e2e-tools.sh), and the first one that reads Application-level options. */
const TIER_ARGOCD = ARGOCD_VERSION;
const APP_LEVEL_DELETE_FROM = 'v3.4.0';

/** Whether Argo CD `version` (vX.Y.Z) is at least `min`. */
function atLeast(version: string, min: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/**
 * Argo CD's shouldBeDeleted: whether deleting `app` with cascade (the CLI default) deletes `object` too. The object's
 * own sync-options annotation counts on every 3.x; the Application's own Delete=false only from 3.4 (argo-cd#23370).
 */
function deletedWithApp(app: Manifest, object: Manifest, version: string): boolean {
  const own = parseSyncOptions(object.metadata.annotations?.[SYNC_OPTIONS]).find((o) => o.startsWith('Delete='));
  const fromApp = atLeast(version, APP_LEVEL_DELETE_FROM) ? appOptions(app).find((o) => o.startsWith('Delete=')) : undefined;
  return object.kind !== 'CustomResourceDefinition' && (own ?? fromApp) !== NO_DELETE;
}

it.each([TIER_ARGOCD, APP_LEVEL_DELETE_FROM])(
  'deleting an Application with cascade on Argo CD %s deletes nothing that holds state (Delete=false)',
  (version) => {
    const stateful = ['Provider', 'ProviderConfig', 'CompositeResourceDefinition', 'DisasterRecovery', 'AppProject', 'ConfigMap'];
    let checked = 0;
    for (const { app, objects } of apps()) {
      for (const object of objects.filter((o) => stateful.includes(o.kind))) {
        expect(deletedWithApp(app, object, version), `${app.metadata.name}: ${object.kind} ${object.metadata.name}`).toBe(false);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // Crossplane itself (a Helm release, not rendered here, its objects carry no annotation of ours): kept only at the
    // Application level, so from 3.4 on; before, a cascading delete removes Crossplane's workloads (no state: CRDs,
    // packages and managed resources stay; docs/gitops.md, Uninstall). The root's children carry Delete=false themselves.
    const crossplane = appNamed('drplane-crossplane').app;
    expect(
      deletedWithApp(crossplane, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'crossplane' } }, version),
    ).toBe(!atLeast(version, APP_LEVEL_DELETE_FROM));
    for (const { app } of apps()) expect(deletedWithApp(root(), app, version), app.metadata.name).toBe(false);
    // What holds no state still goes with its Application.
    const fn = appNamed('drplane-function');
    expect(deletedWithApp(fn.app, fn.objects[0]!, version)).toBe(true);
  },
);

it('no Application source holds a directory block of defaults only, which Argo CD strips from the live object', () => {
  // argo-cd util/argo NormalizeApplicationSpec (3.2 to 3.5): a directory with recurse false and no jsonnet keeps only
  // include/exclude, else becomes nil, and the controller persists that; the root would then heal the diff forever.
  for (const app of [...apps().map((a) => a.app), root()]) {
    const directory = app.spec.source.directory;
    if (directory === undefined) continue;
    const defaultsOnly = directory.recurse !== true && directory.jsonnet === undefined;
    const normalized = defaultsOnly
      ? directory.include || directory.exclude
        ? {
            ...(directory.exclude ? { exclude: directory.exclude } : {}),
            ...(directory.include ? { include: directory.include } : {}),
          }
        : undefined
      : directory;
    expect(normalized, app.metadata.name).toEqual(directory);
  }
  expect(appNamed('drplane-claims-team-payments').app.spec.source.directory).toBeUndefined();
});

it('every Application syncs automatically with self-heal and retries, and none has a resources finalizer', () => {
  for (const app of [...apps().map((a) => a.app), root()]) {
    const prune = !appOptions(app).includes(NO_PRUNE);
    // Only a claims Application may sync down to nothing: its folder's last claim removed (else Argo CD skips the
    // sync, "auto-sync will wipe out all resources", and the claim stays); a platform folder never empties.
    const allowEmpty = app.metadata.annotations?.['drplane.io/health-gate'] === 'sync';
    expect(app.spec.syncPolicy.automated, app.metadata.name).toEqual({ prune, selfHeal: true, allowEmpty });
    expect(app.spec.syncPolicy.retry, app.metadata.name).toEqual({
      limit: 10,
      backoff: { duration: '15s', factor: 2, maxDuration: '5m' },
      // Each retry takes the latest revision: a commit that fixes a failed sync is not held back by the retries.
      refresh: true,
    });
    expect(app.metadata.finalizers, app.metadata.name).toBeUndefined();
  }
});

/** A copy of `object` without the JSON pointers its Application ignores for its group and kind. */
function normalized(object: Manifest, ignores: readonly { group?: string; kind: string; jsonPointers?: string[] }[]): unknown {
  const copy = structuredClone(object) as Record<string, any>;
  for (const ignore of ignores) {
    if ((ignore.group ?? '') !== groupOf(object) || ignore.kind !== object.kind) continue;
    for (const pointer of ignore.jsonPointers ?? []) {
      const path = pointer.split('/').slice(1);
      const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], copy);
      if (parent) delete parent[path.at(-1)!];
    }
  }
  return copy;
}

it('the root leaves a child switched to manual sync alone: no diff, so no self-heal, and its syncs keep the live policy', () => {
  const rootApp = root();
  const child = appNamed('drplane-claims-team-payments').app;
  // `argocd app set <app> --sync-policy none` sets spec.syncPolicy.automated to nil (argo-cd v3.5.1 cmd/util/app.go).
  const manual = structuredClone(child) as Manifest;
  delete manual.spec.syncPolicy.automated;
  expect(normalized(manual, [])).not.toEqual(normalized(child, []));
  const ignores = rootApp.spec.ignoreDifferences ?? [];
  expect(ignores).toEqual(ROOT_IGNORES);
  expect(normalized(manual, ignores)).toEqual(normalized(child, ignores));
  expect(appOptions(rootApp)).toContain(RESPECT_IGNORE_DIFFERENCES);
});

it('skips the dry run for every object whose CRD an earlier step installs', () => {
  for (const { app, objects } of apps()) {
    for (const object of objects) {
      const group = groupOf(object);
      // Built into the API server: the core group, Kubernetes' own *.k8s.io groups; and Argo CD's, installed with it.
      const preinstalled = !group.includes('.') || group.endsWith('.k8s.io') || group === 'argoproj.io';
      if (!preinstalled)
        expect(
          [...appOptions(app), ...options(object)],
          `${app.metadata.name}: ${object.kind} ${object.metadata.name}`,
        ).toContain(SKIP_DRY_RUN);
    }
  }
});

it('ignores the fields Crossplane writes on claims and composites', () => {
  for (const { app } of claimsApps()) {
    const diffs = app.spec.ignoreDifferences as { group: string; kind: string; jsonPointers: string[] }[];
    expect(diffs.find((d) => d.kind === 'DisasterRecovery')?.jsonPointers).toEqual(
      expect.arrayContaining(['/spec/resourceRef', '/spec/compositionRef', '/spec/compositionRevisionRef']),
    );
    for (const def of COMPOSITE_KINDS) {
      expect(diffs.find((d) => d.kind === def.kind)?.jsonPointers, def.kind).toEqual(
        expect.arrayContaining([
          '/spec/resourceRefs',
          '/spec/compositionRef',
          '/spec/compositionRevisionRef',
          '/spec/crossplane',
        ]),
      );
    }
  }
});

it('syncs no example claim: examples/ is outside every synced folder, and no example sits in claims/', () => {
  const key = (m: Manifest) => `${m.metadata.namespace}/${m.metadata.name}`;
  const examples = new Set(yamlFilesIn(repoPath('examples')).map((file) => key(readYamlDocuments(file)[0] as Manifest)));
  expect(examples.size).toBeGreaterThan(0);
  for (const { app } of apps()) expect(app.spec.source.path ?? '', app.metadata.name).not.toMatch(/^examples(\/|$)/);
  const committed = readdirSync(repoPath('claims'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .flatMap((e) => readYamlDocuments(join(e.parentPath, e.name)) as Manifest[]);
  expect(committed.filter((m) => examples.has(key(m))).map(key)).toEqual([]);
});

it("every claim of a team folder is in that folder's namespace", () => {
  const claims = claimsApps().flatMap(({ app, objects }) => objects.map((object) => ({ app, object })));
  expect(claims.length).toBe(3);
  for (const { app, object } of claims) {
    expect(object.kind).toBe('DisasterRecovery');
    expect(object.metadata.namespace, object.metadata.name).toBe(app.spec.destination.namespace);
    expect(globMatches(DEFAULT_SETTINGS.claimNamespaces, object.metadata.namespace!)).toBe(true);
  }
});
