/**
 * The portal's manifests (charts/bootstrap/portal.ts, cdk8s-plus-28) as Argo CD applies them: a pod that runs
 * non-root on a read-only root filesystem with requests, limits and probes the portal answers; RBAC that only reads;
 * traffic kept to the ingress namespaces, DNS and https; git credentials from a Secret the chart never creates; the
 * Application syncing after the XRDs and Compositions.
 */
import { expect, it } from 'vitest';
import { WAVES } from '../../charts/bootstrap/apps.js';
import { App } from 'cdk8s';
import { DEFAULT_PORTAL, PORTAL_NAME, PortalChart, READ_VERBS } from '../../charts/bootstrap/portal.js';
import { parseTeams } from '../../src/portal/identity.js';
import { GROUP } from '../../src/api/index.js';
import { createApp } from '../../src/portal/app.js';
import { oidcSettingsFromEnv } from '../../src/portal/oidc.js';
import { renderBootstrap, syncedApps, type Manifest } from './render.js';

const rendered = renderBootstrap();
const objects = rendered.files.get('portal/portal.yaml') as readonly Manifest[];
const one = (kind: string): any => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};
const deployment = one('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];

it('runs the portal as a non-root user on a read-only root filesystem, with no privilege to gain', () => {
  expect(pod.containers).toHaveLength(1);
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
  expect(container.securityContext).toMatchObject({
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
  });
  expect(container.securityContext.runAsUser).toBeGreaterThan(0);
  expect(pod.hostNetwork ?? false).toBe(false);
  // What it writes goes to size-limited emptyDirs (the clone and /tmp), never to the image.
  const writable = (container.volumeMounts as { name: string; readOnly?: boolean }[]).filter((m) => !m.readOnly);
  for (const mount of writable) {
    const volume = (pod.volumes as { name: string; emptyDir?: { sizeLimit?: string } }[]).find((v) => v.name === mount.name);
    expect(volume?.emptyDir?.sizeLimit, mount.name).toBeDefined();
  }
  const ns = one('Namespace');
  expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
});

it('sets CPU and memory requests and limits', () => {
  for (const kind of ['requests', 'limits']) {
    expect(container.resources[kind].cpu, kind).toMatch(/^\d+m$/);
    expect(container.resources[kind].memory, kind).toMatch(/^\d+Mi$/);
  }
});

it('probes liveness and readiness on routes the portal answers with 200', async () => {
  const app = createApp({ repository: '/nonexistent' });
  for (const probe of [container.livenessProbe, container.readinessProbe]) {
    expect(probe.httpGet.port).toBe(container.ports[0].containerPort);
    const res = await app.request(probe.httpGet.path);
    expect(res.status, probe.httpGet.path).toBe(200);
  }
  expect(container.readinessProbe.httpGet.path).not.toBe(container.livenessProbe.httpGet.path);
});

it('binds a ClusterRole that only reads claims, composites, managed resources and events', () => {
  const role = one('ClusterRole');
  const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
  const verbs = new Set(rules.flatMap((r) => r.verbs));
  expect([...verbs].sort()).toEqual([...READ_VERBS].sort());
  const allowed = rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
  for (const entry of allowed) expect(entry, 'no wildcard').not.toMatch(/\*/);
  expect(allowed).not.toContain('/secrets');
  expect(allowed).toEqual(expect.arrayContaining([`${GROUP}/disasterrecoveries`, `${GROUP}/xdisasterrecoveries`, '/events']));
  expect(allowed.some((e) => e.startsWith('rds.aws.upbound.io/'))).toBe(true);
  // Every estate's tree holds the ClusterUsages src/compose/usage.ts composes (the e2e tier found them missing).
  expect(allowed).toContain('protection.crossplane.io/clusterusages');
  const binding = one('ClusterRoleBinding');
  expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: role.metadata.name });
  const sa = one('ServiceAccount');
  expect(binding.subjects).toEqual([
    expect.objectContaining({ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }),
  ]);
  expect(pod.serviceAccountName).toBe(sa.metadata.name);
  expect(objects.some((o) => ['Role', 'RoleBinding'].includes(o.kind))).toBe(false);
});

it('takes git credentials from a Secret it does not create, and configuration from its ConfigMap', () => {
  expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  const secretVolume = pod.volumes.find((v: any) => v.secret);
  expect(secretVolume.secret.secretName).toBe(DEFAULT_PORTAL.gitSecret);
  expect(container.volumeMounts.find((m: any) => m.name === secretVolume.name).readOnly).toBe(true);
  const config = one('ConfigMap');
  expect(container.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);
  expect(
    config.data.DRPLANE_GIT_TOKEN_FILE.startsWith(
      container.volumeMounts.find((m: any) => m.name === secretVolume.name).mountPath,
    ),
  ).toBe(true);
  expect(Object.values(config.data).join('\n')).not.toMatch(/token\s*[:=]|ghp_|password/i);
});

it('selects the portal pods with its Service, NetworkPolicy and PodDisruptionBudget', () => {
  const labels = deployment.spec.template.metadata.labels as Record<string, string>;
  const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
  expect(selects(one('Service').spec.selector)).toBe(true);
  const policy = one('NetworkPolicy');
  expect(selects(policy.spec.podSelector.matchLabels)).toBe(true);
  expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  expect(policy.spec.ingress).toHaveLength(1);
  expect(policy.spec.ingress[0].from.length).toBeGreaterThan(0);
  const egressPorts = policy.spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port)).sort();
  expect(egressPorts).toEqual([443, 53, 53, 6443].sort());
  const pdb = one('PodDisruptionBudget');
  expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
  expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
  for (const o of objects.filter((o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)))
    expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe(DEFAULT_PORTAL.namespace);
});

it('is synced by its own Application after the XRDs and Compositions, within its own project', () => {
  const app = syncedApps(rendered).find((a) => a.app.metadata.name === PORTAL_NAME)!;
  expect(app.wave).toBeGreaterThan(WAVES.definitions);
  expect(app.wave).toBeGreaterThan(WAVES.compositions);
  expect(app.wave).toBeLessThan(WAVES.claims);
  expect(app.objects.map((o) => o.kind).sort()).toEqual(objects.map((o) => o.kind).sort());
  // Health gated like the platform steps (no sync-only gate): the root waits until the Deployment is Healthy.
  expect(app.app.metadata.annotations?.['drplane.io/health-gate']).toBeUndefined();
  const project = rendered.files.get('argocd/projects.yaml')!.find((p) => p.metadata.name === app.app.spec.project)!;
  expect(project.spec.destinations).toEqual([expect.objectContaining({ namespace: DEFAULT_PORTAL.namespace })]);
  for (const entry of project.spec.clusterResourceWhitelist) expect(entry.name, entry.kind).toBeDefined();
});

it("maps SSO groups to namespaces from the bootstrap's teamGroups (the table Argo CD's team roles use)", () => {
  const config = one('ConfigMap');
  expect(config.data.DRPLANE_PORTAL_SIGN_IN).toBe('proxy');
  const chart = new PortalChart(new App(), 'teams', { teamGroups: { 'team-a': ['g1', 'g2'], 'team-b': ['g1'] } });
  const data = (chart.toJson().find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> }).data;
  expect(parseTeams(data.DRPLANE_PORTAL_TEAMS!)).toEqual({ g1: ['team-a', 'team-b'], g2: ['team-a'] });
});

it('turns on OpenID Connect sign-in: the settings the portal reads, its secrets from a Secret the chart does not create', () => {
  const oidc = {
    mode: 'oidc',
    issuer: 'https://id.example.org/realms/acme',
    clientId: 'drplane-portal',
    url: 'https://portal.example.org',
    secret: 'drplane-portal-oidc',
    sessionSeconds: 3600,
  } as const;
  const chart = new PortalChart(
    new App(),
    'portal-oidc',
    { teamGroups: { 'team-shop': ['shop-devs'] } },
    { ...DEFAULT_PORTAL, signIn: oidc },
  );
  const manifests = chart.toJson() as any[];
  expect(manifests.some((o) => o.kind === 'Secret')).toBe(false);
  const config = manifests.find((o) => o.kind === 'ConfigMap').data;
  const spec = manifests.find((o) => o.kind === 'Deployment').spec.template.spec;
  const mount = spec.containers[0].volumeMounts.find((m: any) => m.mountPath === '/var/run/secrets/drplane/oidc');
  expect(mount.readOnly).toBe(true);
  const volume = spec.volumes.find((v: any) => v.name === mount.name);
  expect(volume.secret).toMatchObject({ secretName: 'drplane-portal-oidc' });
  expect(volume.secret.optional ?? false).toBe(false);
  // The ConfigMap is exactly what the portal's settings parser accepts, reading the secrets from that mount.
  const files: Record<string, string> = {
    [`${mount.mountPath}/client-secret`]: 'client-secret-value',
    [`${mount.mountPath}/session-secret`]: 'a-session-secret-of-at-least-32-characters',
  };
  const read = (file: string) => {
    if (!(file in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return files[file]!;
  };
  expect(config.DRPLANE_PORTAL_SIGN_IN).toBe('oidc');
  expect(config.DRPLANE_PORTAL_TEAMS).toBe('shop-devs=team-shop');
  expect(oidcSettingsFromEnv(config, read)).toEqual({
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: 'client-secret-value',
    portalUrl: oidc.url,
    sessionSeconds: 3600,
    sessionSecret: 'a-session-secret-of-at-least-32-characters',
  });
  // A public client reads no client secret.
  const publicClient = new PortalChart(
    new App(),
    'portal-public',
    { teamGroups: {} },
    {
      ...DEFAULT_PORTAL,
      signIn: { ...oidc, publicClient: true },
    },
  );
  const publicConfig = (publicClient.toJson() as any[]).find((o) => o.kind === 'ConfigMap').data;
  expect(publicConfig.DRPLANE_OIDC_CLIENT_SECRET_FILE).toBeUndefined();
  expect(oidcSettingsFromEnv(publicConfig, read).clientSecret).toBeUndefined();
  // The default stays the authenticating proxy, with no OpenID Connect secret mounted.
  expect(one('ConfigMap').data.DRPLANE_PORTAL_SIGN_IN).toBe('proxy');
  expect(pod.volumes.some((v: any) => v.secret?.secretName === 'drplane-portal-oidc')).toBe(false);
});
