/**
 * The portal's manifests (charts/bootstrap/portal.ts, cdk8s-plus-28) as Argo CD applies them: a pod that runs
 * non-root on a read-only root filesystem with requests, limits and probes the portal answers; RBAC that only reads;
 * traffic kept to the ingress namespaces, DNS and https; git credentials from a Secret the chart never creates; the
 * Application syncing after the XRDs and Compositions.
 */
import { describe, expect, it } from 'vitest';
import { WAVES } from '../../charts/bootstrap/apps.js';
import { App } from 'cdk8s';
import {
  DEFAULT_PORTAL,
  OAUTH2_PROXY_CONFIG_FILE,
  PORTAL_NAME,
  PORTAL_PATHS,
  PortalChart,
  READ_VERBS,
} from '../../charts/bootstrap/portal.js';
import { parseTrustedProxies } from '../../src/portal/peer.js';
import { parseTeams } from '../../src/portal/identity.js';
import { GROUP } from '../../src/api/index.js';
import { createApp } from '../../src/portal/app.js';
import { oidcSettingsFromEnv } from '../../src/portal/oidc.js';
import { SIDECAR_PORTAL, renderBootstrap, renderPortal, syncedApps, type Manifest } from './render.js';

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
  // What the portal calls, no more (audit 18 L7: it never watches).
  expect(READ_VERBS).toEqual(['get', 'list']);
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

it("passes the ingress controllers' network for the audit's client address, and refuses a bad CIDR at synth (audit-18-close M-A)", () => {
  expect(one('ConfigMap').data.DRPLANE_PORTAL_FORWARDED_BY).toBeUndefined();
  const config = (forwardedBy: string[]) =>
    (renderPortal({ ...DEFAULT_PORTAL, forwardedBy }, {}) as any[]).find((o) => o.kind === 'ConfigMap').data;
  expect(config(['10.42.0.0/16', 'fd00::/8']).DRPLANE_PORTAL_FORWARDED_BY).toBe('10.42.0.0/16,fd00::/8');
  expect(() => config(['ingress-nginx'])).toThrow(/^portal.forwardedBy: "ingress-nginx" is not an address or CIDR/);
});

it('pushes failovers to branches of their own by default, so the git token needs no push to main (audit 18 M4)', () => {
  expect(one('ConfigMap').data.DRPLANE_PORTAL_FAILOVER_MODE).toBe('pull-request');
  const pushing = renderPortal({ ...DEFAULT_PORTAL, failoverMode: 'push' }, {}) as any[];
  expect(pushing.find((o) => o.kind === 'ConfigMap').data.DRPLANE_PORTAL_FAILOVER_MODE).toBe('push');
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
    sessionRefreshSeconds: 120,
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
    refreshSeconds: 120,
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

describe('the oauth2-proxy sidecar', () => {
  const manifests = renderPortal(SIDECAR_PORTAL, { 'team-shop': ['shop-devs'] }) as any[];
  const find = (kind: string, name = PORTAL_NAME) => manifests.find((o) => o.kind === kind && o.metadata.name === name);
  const spec = find('Deployment').spec.template.spec;
  const [portalContainer, proxy] = spec.containers;
  const proxyPort = proxy.ports[0].containerPort;
  const portalConfig = find('ConfigMap').data;
  const proxyConfigMap = find('ConfigMap', `${PORTAL_NAME}-oauth2-proxy`);
  /** The proxy's TOML config as key → value (the flat document toToml writes: strings, booleans, string arrays). */
  const proxyConfig: Record<string, unknown> = Object.fromEntries(
    (proxyConfigMap.data[OAUTH2_PROXY_CONFIG_FILE] as string)
      .trim()
      .split('\n')
      .map((line) => {
        const [, key, value] = /^([a-z_]+) = (.+)$/.exec(line)!;
        return [key, JSON.parse(value!)];
      }),
  );

  it('runs as a second container: non-root, read-only root filesystem, no capabilities, resources, probes', () => {
    expect(proxy.name).toBe('oauth2-proxy');
    // An exact release, never a moving tag.
    expect(proxy.image).toMatch(/^quay\.io\/oauth2-proxy\/oauth2-proxy:v\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/);
    expect(proxy.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(proxy.securityContext.runAsUser).toBeGreaterThan(0);
    for (const kind of ['requests', 'limits']) {
      expect(proxy.resources[kind].cpu, kind).toMatch(/^\d+m$/);
      expect(proxy.resources[kind].memory, kind).toMatch(/^\d+Mi$/);
    }
    expect(proxy.livenessProbe.httpGet).toMatchObject({ path: '/ping', port: proxyPort });
    expect(proxy.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: proxyPort });
    expect(proxyConfig.http_address).toBe(`0.0.0.0:${proxyPort}`);
  });

  it('takes its config from a ConfigMap and its secrets from a Secret the chart does not create', () => {
    expect(manifests.some((o) => o.kind === 'Secret')).toBe(false);
    expect(proxy.args).toEqual([`--config=${PORTAL_PATHS.proxyConfig}/${OAUTH2_PROXY_CONFIG_FILE}`]);
    const volumeOf = (path: string) => {
      const mount = proxy.volumeMounts.find((m: any) => m.mountPath === path);
      expect(mount.readOnly, path).toBe(true);
      return spec.volumes.find((v: any) => v.name === mount.name);
    };
    expect(volumeOf(PORTAL_PATHS.proxyConfig).configMap.name).toBe(proxyConfigMap.metadata.name);
    const secret = volumeOf(PORTAL_PATHS.proxySecret).secret;
    expect(secret).toMatchObject({ secretName: 'drplane-portal-oauth2-proxy', defaultMode: 0o440 });
    expect(secret.optional ?? false).toBe(false); // the pod waits for it
    expect(proxyConfig.client_secret_file).toBe(`${PORTAL_PATHS.proxySecret}/client-secret`);
    expect(proxyConfig.cookie_secret_file).toBe(`${PORTAL_PATHS.proxySecret}/cookie-secret`);
    expect(proxyConfigMap.data[OAUTH2_PROXY_CONFIG_FILE]).not.toMatch(/client_secret =|cookie_secret =/);
    expect(proxyConfig).toMatchObject({
      provider: 'oidc',
      oidc_issuer_url: 'https://id.example.org/realms/acme',
      client_id: 'drplane-portal',
      redirect_url: 'https://portal.example.org/oauth2/callback',
      code_challenge_method: 'S256',
      pass_user_headers: true,
      pass_host_header: true, // the same-origin check compares Origin with Host
      cookie_secure: true,
      cookie_samesite: 'lax',
    });
  });

  it('puts the portal on loopback behind it, trusting identity headers from loopback only', () => {
    expect(portalConfig.HOST).toBe('127.0.0.1');
    expect(portalConfig.DRPLANE_PORTAL_SIGN_IN).toBe('proxy');
    const trusted = parseTrustedProxies(portalConfig.DRPLANE_PORTAL_TRUSTED_PROXIES);
    expect(trusted.has('127.0.0.1')).toBe(true);
    expect(trusted.has('::1')).toBe(true);
    expect(trusted.has('10.0.0.7')).toBe(false);
    expect(proxyConfig.upstreams).toEqual([`http://127.0.0.1:${portalConfig.PORT}/`]);
    expect(portalContainer.ports ?? []).toEqual([]);
    // The Service and the NetworkPolicy reach the proxy only.
    expect(find('Service').spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: proxyPort })]);
    const policy = find('NetworkPolicy');
    expect(policy.spec.ingress.flatMap((i: any) => i.ports.map((p: any) => p.port))).toEqual([proxyPort]);
  });

  it("probes the portal through the proxy, which lets exactly the probes' routes through unauthenticated", async () => {
    const app = createApp({ repository: '/nonexistent' });
    const routes = proxyConfig.skip_auth_routes as string[];
    expect(proxyConfig.skip_auth_strip_headers).toBe(true);
    for (const probe of [portalContainer.livenessProbe, portalContainer.readinessProbe]) {
      expect(probe.httpGet.port).toBe(proxyPort);
      expect(routes.some((r) => r.startsWith('GET=') && new RegExp(r.slice(4)).test(probe.httpGet.path))).toBe(true);
      expect((await app.request(probe.httpGet.path)).status, probe.httpGet.path).toBe(200);
    }
    for (const path of ['/api/claims', '/api/health/x', '/', '/api/session'])
      expect(
        routes.some((r) => new RegExp(r.slice(4)).test(path)),
        path,
      ).toBe(false);
  });

  it('is off by default: one container, the portal itself behind the Service', () => {
    expect(pod.containers).toHaveLength(1);
    expect(one('Service').spec.ports[0].targetPort).toBe(container.ports[0].containerPort);
    expect(objects.some((o) => o.metadata.name === `${PORTAL_NAME}-oauth2-proxy`)).toBe(false);
  });
});
