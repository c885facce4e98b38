/**
 * The drplane portal on the control-plane cluster, written with cdk8s-plus-28: its own namespace (Pod Security
 * `restricted`), a ServiceAccount whose ClusterRole only reads (claims, composites, the managed resources drplane
 * composes, events), a Deployment that runs non-root on a read-only root filesystem with requests, limits and probes
 * on /api/health, a Service, a NetworkPolicy, a PodDisruptionBudget and a ConfigMap. The git credentials come from a
 * Secret the chart does not create (docs/gitops.md, The portal): changes go through git, never to the cluster.
 */
import { ApiObject, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { COMPOSITE_KINDS, GROUP } from '../../src/api/index.js';
import { CLAIM_PLURAL } from '../../src/cluster/claims.js';
import { DRPLANE_REGISTRY, DRPLANE_VERSION } from '../packages.js';
import { composedManagedKinds, pluralOf } from './activations.js';
import { parseTrustedProxies } from '../../src/portal/peer.js';
import { syncOptionsAnnotation } from './argo.js';
import type { BootstrapSettings } from './settings.js';

/** Where and how the portal runs. */
export interface PortalSettings {
  /** Namespace of the portal (created by the chart, labelled for Pod Security `restricted`). */
  readonly namespace: string;
  /** Container image (the `portal` stage of the Dockerfile). */
  readonly image: string;
  /** Replicas; the PodDisruptionBudget keeps one of them through a node drain. */
  readonly replicas: number;
  /** Git repository (https) the portal clones and pushes proposal branches to. */
  readonly gitUrl: string;
  /** Branch whose claims the portal lists. */
  readonly gitBranch: string;
  /**
   * Secret in the portal namespace, created by the platform team, never by the chart: key `token` (a git token that
   * may push branches to the repository; see failoverMode) and optional key `portal-token` (the bearer token for automation). Without it the
   * portal clones a public repository and takes no writes.
   */
  readonly gitSecret: string;
  /**
   * Where failover commits go (DRPLANE_PORTAL_FAILOVER_MODE): `pull-request` (the default here) pushes each to a
   * branch of its own, so the token in `gitSecret` needs no right to push `gitBranch` (protect it); `push` commits on
   * `gitBranch` directly (faster, but the token can then push anything there). docs/gitops.md, The git token.
   */
  readonly failoverMode: 'push' | 'pull-request';
  /** Namespaces whose pods may reach the portal (the ingress controller or authenticating proxy). */
  readonly ingressNamespaces: readonly string[];
  /**
   * CIDRs of the hops in front of the portal (the ingress controllers' pods) whose X-Forwarded-For entries the audit
   * log's `from` may skip to reach the user's address (DRPLANE_PORTAL_FORWARDED_BY). Without them `from` is the
   * ingress controller. They never make identity headers count. Empty by default: the cluster's pod network is yours.
   */
  readonly forwardedBy?: readonly string[];
  /** How users sign in: at an authenticating proxy (the default; best the oauth2-proxy sidecar), or with OpenID Connect. */
  readonly signIn?: PortalOidc | PortalProxy;
}

/** Sign-in at an authenticating proxy whose X-Forwarded-User, -Email and -Groups headers the portal trusts. */
export interface PortalProxy {
  readonly mode: 'proxy';
  /**
   * oauth2-proxy as a sidecar in the portal's pod: the Service reaches the proxy only, the portal listens on loopback
   * and trusts identity headers from loopback only, so no other hop can set them. Without it, put a proxy in front
   * yourself (docs/gitops.md); as generated every write is refused until one is there.
   */
  readonly sidecar?: PortalOAuth2Proxy;
}

/**
 * The oauth2-proxy sidecar (OpenID Connect provider). Its settings go to a ConfigMap; the client secret and cookie
 * secret come from the Secret `secret` (keys `client-secret`, `cookie-secret`), which the chart never creates.
 */
export interface PortalOAuth2Proxy {
  /** The provider's issuer URL (https). */
  readonly issuer: string;
  /** The proxy's client ID at the provider. */
  readonly clientId: string;
  /** The portal's public https URL; register `<url>/oauth2/callback` as the client's redirect URI. */
  readonly url: string;
  /**
   * Secret in the portal namespace: `client-secret`, and `cookie-secret` (exactly 16, 24 or 32 bytes, e.g.
   * `openssl rand -hex 16`; oauth2-proxy reads the file as it is).
   */
  readonly secret: string;
  /** The claim holding the user's groups (default `groups`). */
  readonly groupsClaim?: string;
  /** Scopes asked for (default `openid email profile`; add the one that releases groups if the provider needs it). */
  readonly scopes?: string;
  /** Email domains allowed to sign in (default every one: the group → namespace table decides what a user may do). */
  readonly emailDomains?: readonly string[];
  /** The image (default OAUTH2_PROXY_IMAGE). */
  readonly image?: string;
}

/**
 * oauth2-proxy's image: release v7.15.3 (June 2026, the newest at the time), whose default image is built on
 * gcr.io/distroless/static:nonroot (UID 65532, no shell). Pin a digest here once your registry mirror has one.
 */
export const OAUTH2_PROXY_IMAGE = 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.3';

/** The port oauth2-proxy listens on in the pod (the Service's target when the sidecar is on). */
export const OAUTH2_PROXY_PORT = 4180;

/** UID and GID oauth2-proxy's distroless image runs as. */
export const OAUTH2_PROXY_UID = 65532;

/** Loopback only: the sidecar is the one proxy whose identity headers count. */
export const LOOPBACK_PROXIES = '127.0.0.0/8,::1/128';

/**
 * OpenID Connect sign-in of the portal itself (src/portal/oidc.ts): the provider and the portal's client there. The
 * client secret and the session secret come from the Secret `secret` (keys `client-secret`, `session-secret`), which
 * the chart never creates.
 */
export interface PortalOidc {
  readonly mode: 'oidc';
  /** The provider's issuer URL (https). */
  readonly issuer: string;
  /** The portal's client ID at the provider. */
  readonly clientId: string;
  /** The portal's public https URL; register `<url>/auth/callback` as its redirect URI. */
  readonly url: string;
  /** Secret in the portal namespace with keys `session-secret` and (unless `publicClient`) `client-secret`. */
  readonly secret: string;
  /** A public client (PKCE only): no `client-secret` key is read. */
  readonly publicClient?: boolean;
  /** The claim holding the user's groups (default `groups`). */
  readonly groupsClaim?: string;
  /** Scopes asked for (default `openid profile email`). */
  readonly scopes?: string;
  /** Session length in seconds (default 8 hours). */
  readonly sessionSeconds?: number;
  /** How often a session is re-checked with the provider, in seconds (default 300; src/portal/oidc.ts). */
  readonly sessionRefreshSeconds?: number;
}

/** The portal settings `npm run synth` uses. */
export const DEFAULT_PORTAL: PortalSettings = {
  namespace: 'drplane-portal',
  image: `${DRPLANE_REGISTRY}/drplane-portal:${DRPLANE_VERSION}`,
  replicas: 2,
  gitUrl: 'https://github.com/drplane/drplane.git',
  gitBranch: 'main',
  gitSecret: 'drplane-portal-git',
  failoverMode: 'pull-request',
  ingressNamespaces: ['ingress-nginx'],
};

/** Name of the portal's Deployment, Service, ServiceAccount, ConfigMap, ClusterRole and its binding. */
export const PORTAL_NAME = 'drplane-portal';

/** The port the portal listens on inside the pod. */
export const PORTAL_PORT = 8080;

/** UID and GID the image runs as (distroless `nonroot`). */
export const PORTAL_UID = 65532;

/** Where the writable volumes are mounted: the clone of the git repository and the temporary directory. */
export const PORTAL_PATHS = {
  repo: '/var/lib/drplane/repo',
  tmp: '/tmp',
  gitSecret: '/var/run/secrets/drplane/git',
  oidcSecret: '/var/run/secrets/drplane/oidc',
  proxyConfig: '/etc/oauth2-proxy',
  proxySecret: '/var/run/secrets/oauth2-proxy',
};

/** The name of oauth2-proxy's config file in its ConfigMap (TOML, read with --config). */
export const OAUTH2_PROXY_CONFIG_FILE = 'oauth2-proxy.cfg';

/**
 * oauth2-proxy's settings (its legacy TOML config; keys as in v7.15.3's pkg/apis/options): OpenID Connect with PKCE,
 * the portal on loopback as the only upstream, the user's name, email and groups passed as X-Forwarded-* headers (the
 * proxy replaces any a client sent), a Secure `SameSite=Lax` cookie, and the probes' two routes let through
 * unauthenticated (with any identity header stripped).
 */
export function oauth2ProxyConfig(proxy: PortalOAuth2Proxy): Record<string, string | boolean | readonly string[]> {
  return {
    provider: 'oidc',
    oidc_issuer_url: proxy.issuer,
    client_id: proxy.clientId,
    client_secret_file: `${PORTAL_PATHS.proxySecret}/client-secret`,
    code_challenge_method: 'S256',
    scope: proxy.scopes ?? 'openid email profile',
    oidc_groups_claim: proxy.groupsClaim ?? 'groups',
    email_domains: proxy.emailDomains ?? ['*'],
    redirect_url: `${proxy.url.replace(/\/+$/, '')}/oauth2/callback`,
    skip_provider_button: true,
    http_address: `0.0.0.0:${OAUTH2_PROXY_PORT}`,
    reverse_proxy: true,
    upstreams: [`http://127.0.0.1:${PORTAL_PORT}/`],
    pass_host_header: true,
    pass_user_headers: true,
    skip_auth_routes: ['GET=^/api/health$', 'GET=^/api/ready$'],
    skip_auth_strip_headers: true,
    cookie_secret_file: `${PORTAL_PATHS.proxySecret}/cookie-secret`,
    cookie_secure: true,
    cookie_samesite: 'lax',
    silence_ping_logging: true,
  };
}

/** A flat TOML document of `config`, keys sorted (deterministic). */
export function toToml(config: Record<string, string | boolean | readonly string[]>): string {
  const value = (v: string | boolean | readonly string[]): string =>
    typeof v === 'boolean'
      ? String(v)
      : typeof v === 'string'
        ? JSON.stringify(v)
        : `[${v.map((e) => JSON.stringify(e)).join(', ')}]`;
  return (
    Object.keys(config)
      .sort()
      .map((key) => `${key} = ${value(config[key]!)}`)
      .join('\n') + '\n'
  );
}

/** DRPLANE_PORTAL_FORWARDED_BY from the settings' CIDRs, checked as the portal checks them (a bad CIDR fails synth). */
export function forwardedByConfig(cidrs: readonly string[] | undefined): Record<string, string> {
  if (!cidrs || cidrs.length === 0) return {};
  const text = cidrs.join(',');
  parseTrustedProxies(text, 'portal.forwardedBy');
  return { DRPLANE_PORTAL_FORWARDED_BY: text };
}

/** The sign-in part of the portal's ConfigMap: the proxy's headers, or OpenID Connect and where its secrets are. */
export function signInConfig(signIn: PortalSettings['signIn']): Record<string, string> {
  // With the sidecar, the portal listens on loopback, where only the sidecar (and the probes through it) reach it.
  if (signIn?.mode === 'proxy' && signIn.sidecar)
    return { HOST: '127.0.0.1', DRPLANE_PORTAL_SIGN_IN: 'proxy', DRPLANE_PORTAL_TRUSTED_PROXIES: LOOPBACK_PROXIES };
  if (signIn?.mode !== 'oidc') return { DRPLANE_PORTAL_SIGN_IN: 'proxy' };
  return {
    DRPLANE_PORTAL_SIGN_IN: 'oidc',
    DRPLANE_OIDC_ISSUER: signIn.issuer,
    DRPLANE_OIDC_CLIENT_ID: signIn.clientId,
    DRPLANE_PORTAL_URL: signIn.url,
    ...(signIn.publicClient ? {} : { DRPLANE_OIDC_CLIENT_SECRET_FILE: `${PORTAL_PATHS.oidcSecret}/client-secret` }),
    DRPLANE_PORTAL_SESSION_SECRET_FILE: `${PORTAL_PATHS.oidcSecret}/session-secret`,
    ...(signIn.groupsClaim ? { DRPLANE_OIDC_GROUPS_CLAIM: signIn.groupsClaim } : {}),
    ...(signIn.scopes ? { DRPLANE_OIDC_SCOPES: signIn.scopes } : {}),
    ...(signIn.sessionSeconds !== undefined ? { DRPLANE_PORTAL_SESSION_SECONDS: String(signIn.sessionSeconds) } : {}),
    ...(signIn.sessionRefreshSeconds !== undefined
      ? { DRPLANE_PORTAL_SESSION_REFRESH_SECONDS: String(signIn.sessionRefreshSeconds) }
      : {}),
  };
}

/** The read-only rules of the portal's ClusterRole: claims and composites, managed resources, events. */
export function portalReadRules(): { apiGroup: string; resources: string[] }[] {
  const byGroup = new Map<string, Set<string>>();
  const add = (group: string, resource: string) => byGroup.set(group, (byGroup.get(group) ?? new Set()).add(resource));
  add(GROUP, CLAIM_PLURAL);
  for (const def of COMPOSITE_KINDS) add(GROUP, def.plural);
  for (const kind of composedManagedKinds()) add(kind.group, pluralOf(kind));
  // The ClusterUsages src/compose/usage.ts composes (deletion order) are in every estate's tree too.
  add('protection.crossplane.io', 'clusterusages');
  add('', 'events');
  add('events.k8s.io', 'events');
  return [...byGroup.keys()].sort().map((apiGroup) => ({ apiGroup, resources: [...byGroup.get(apiGroup)!].sort() }));
}

/** DRPLANE_PORTAL_TEAMS from the bootstrap's namespace → SSO groups table: `group=ns1,ns2;…`, sorted. */
export function portalTeams(teamGroups: Readonly<Record<string, readonly string[]>>): string {
  const byGroup = new Map<string, string[]>();
  for (const [namespace, groups] of Object.entries(teamGroups))
    for (const group of groups) byGroup.set(group, [...(byGroup.get(group) ?? []), namespace]);
  return [...byGroup.keys()]
    .sort()
    .map((group) => `${group}=${byGroup.get(group)!.sort().join(',')}`)
    .join(';');
}

/** What a container of the portal's pod runs as, may use, and is probed on. */
export interface RestrictedContainer {
  /** UID and GID (non-root). */
  readonly uid: number;
  /** CPU request and limit, in millicores. */
  readonly cpuMillis: readonly [number, number];
  /** Memory request and limit, in MiB. */
  readonly memoryMiB: readonly [number, number];
  /** The port both probes reach. */
  readonly port: number;
  /** Liveness and readiness paths (HTTP GET). */
  readonly liveness: string;
  readonly readiness: string;
  /** Seconds before the first liveness probe. */
  readonly livenessDelaySeconds: number;
}

/**
 * The container settings Pod Security `restricted` and the chart ask of every container of the portal's pod: non-root
 * as `uid`, a read-only root filesystem, no privilege escalation (the capabilities are dropped by a patch on the
 * Deployment), requests and limits, a liveness probe every 20 s and a readiness probe every 10 s, 3 failures each.
 */
export function restrictedContainer(
  c: RestrictedContainer,
): Pick<kplus.ContainerProps, 'securityContext' | 'resources' | 'liveness' | 'readiness'> {
  return {
    securityContext: {
      ensureNonRoot: true,
      user: c.uid,
      group: c.uid,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
    },
    resources: {
      cpu: { request: kplus.Cpu.millis(c.cpuMillis[0]), limit: kplus.Cpu.millis(c.cpuMillis[1]) },
      memory: { request: Size.mebibytes(c.memoryMiB[0]), limit: Size.mebibytes(c.memoryMiB[1]) },
    },
    liveness: kplus.Probe.fromHttpGet(c.liveness, {
      port: c.port,
      initialDelaySeconds: Duration.seconds(c.livenessDelaySeconds),
      periodSeconds: Duration.seconds(20),
      failureThreshold: 3,
    }),
    readiness: kplus.Probe.fromHttpGet(c.readiness, {
      port: c.port,
      periodSeconds: Duration.seconds(10),
      failureThreshold: 3,
    }),
  };
}

/** The verbs of every rule: reading only, and only what the portal calls (no watch: audit 18 L7). */
export const READ_VERBS = ['get', 'list'];

/** Every object of the portal, in one chart (compositions/bootstrap/portal/portal.yaml). */
export class PortalChart extends Chart {
  constructor(
    scope: Construct,
    id: string,
    settings: Pick<BootstrapSettings, 'teamGroups'>,
    portal: PortalSettings = DEFAULT_PORTAL,
  ) {
    super(scope, id, { disableResourceNameHashes: true });
    const labels = { 'app.kubernetes.io/name': PORTAL_NAME, 'app.kubernetes.io/part-of': 'drplane' };
    const metadata = { name: PORTAL_NAME, namespace: portal.namespace, labels };

    new kplus.Namespace(this, 'namespace', {
      metadata: {
        name: portal.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata, automountToken: true });
    const role = new kplus.ClusterRole(this, 'cluster-role', { metadata: { name: PORTAL_NAME, labels } });
    for (const rule of portalReadRules()) {
      role.allow(
        READ_VERBS,
        ...rule.resources.map((resourceType) => kplus.ApiResource.custom({ apiGroup: rule.apiGroup, resourceType })),
      );
    }
    new kplus.ClusterRoleBinding(this, 'cluster-role-binding', { metadata: { name: PORTAL_NAME, labels }, role }).addSubjects(
      serviceAccount,
    );

    // Kept when its Application is pruned or deleted, like every ConfigMap of the bootstrap (test/bootstrap/guards).
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { ...metadata, annotations: syncOptionsAnnotation({ stateful: true }) },
      data: {
        HOST: '0.0.0.0',
        PORT: String(PORTAL_PORT),
        DRPLANE_GIT_REPO: PORTAL_PATHS.repo,
        DRPLANE_GIT_URL: portal.gitUrl,
        DRPLANE_GIT_BRANCH: portal.gitBranch,
        DRPLANE_GIT_TOKEN_FILE: `${PORTAL_PATHS.gitSecret}/token`,
        DRPLANE_PORTAL_IN_CLUSTER: '1',
        DRPLANE_PORTAL_FAILOVER_MODE: portal.failoverMode,
        // Users sign in at the authenticating proxy (or with OpenID Connect); each acts on the namespaces its SSO
        // groups are mapped to, the same mapping Argo CD's team roles use (settings.teamGroups).
        ...signInConfig(portal.signIn),
        ...forwardedByConfig(portal.forwardedBy),
        DRPLANE_PORTAL_TEAMS: portalTeams(settings.teamGroups),
      },
    });
    const gitSecret = kplus.Secret.fromSecretName(this, 'git-secret', portal.gitSecret);
    const sidecar = portal.signIn?.mode === 'proxy' ? portal.signIn.sidecar : undefined;
    // The port the Service, the NetworkPolicy and the probes reach: the sidecar's when it is on (the portal is then
    // on loopback; the proxy lets the probes' two routes through).
    const servedPort = sidecar ? OAUTH2_PROXY_PORT : PORTAL_PORT;

    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata,
      replicas: portal.replicas,
      serviceAccount,
      automountServiceAccountToken: true,
      podMetadata: { labels },
      select: false,
      securityContext: {
        ensureNonRoot: true,
        user: PORTAL_UID,
        group: PORTAL_UID,
        fsGroup: PORTAL_UID,
      },
      containers: [
        {
          name: 'portal',
          image: portal.image,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports: sidecar ? [] : [{ number: PORTAL_PORT, name: 'http' }],
          envFrom: [kplus.Env.fromConfigMap(config)],
          envVariables: {
            DRPLANE_PORTAL_TOKEN: kplus.EnvValue.fromSecretValue({ secret: gitSecret, key: 'portal-token' }, { optional: true }),
          },
          ...restrictedContainer({
            uid: PORTAL_UID,
            cpuMillis: [100, 500],
            memoryMiB: [192, 512],
            port: servedPort,
            liveness: '/api/health',
            readiness: '/api/ready',
            livenessDelaySeconds: 10,
          }),
          volumeMounts: [
            {
              path: PORTAL_PATHS.repo,
              volume: kplus.Volume.fromEmptyDir(this, 'repo', 'repo', { sizeLimit: Size.gibibytes(1) }),
            },
            { path: PORTAL_PATHS.tmp, volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(256) }) },
            {
              path: PORTAL_PATHS.gitSecret,
              readOnly: true,
              volume: kplus.Volume.fromSecret(this, 'git', gitSecret, {
                name: 'git-credentials',
                defaultMode: 0o440,
                optional: true,
              }),
            },
            // The OpenID Connect secrets, from a Secret the chart does not create; the pod waits for it.
            ...(portal.signIn?.mode === 'oidc'
              ? [
                  {
                    path: PORTAL_PATHS.oidcSecret,
                    readOnly: true,
                    volume: kplus.Volume.fromSecret(
                      this,
                      'oidc',
                      kplus.Secret.fromSecretName(this, 'oidc-secret', portal.signIn.secret),
                      { name: 'oidc-secrets', defaultMode: 0o440 },
                    ),
                  },
                ]
              : []),
          ],
        },
      ],
    });
    if (sidecar) this.addOAuth2Proxy(deployment, sidecar, metadata);
    deployment.select(kplus.LabelSelector.of({ labels }));
    // Drop every capability and use the runtime's seccomp profile (Pod Security `restricted` requires both).
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      ...deployment.containers.map((_, i) =>
        JsonPatch.add(`/spec/template/spec/containers/${i}/securityContext/capabilities`, { drop: ['ALL'] }),
      ),
    );

    new kplus.Service(this, 'service', {
      metadata,
      selector: deployment,
      ports: [{ name: 'http', port: 80, targetPort: servedPort }],
    });

    new kplus.k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata,
      spec: { minAvailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
    });

    new kplus.k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: portal.ingressNamespaces.map((name) => ({
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
            })),
            ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(servedPort) }],
          },
        ],
        egress: [
          // DNS, from the cluster's resolver only.
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
            ports: ['UDP', 'TCP'].map((protocol) => ({ protocol, port: kplus.k8s.IntOrString.fromNumber(53) })),
          },
          // The API server (443 or 6443) and the git host over https; nothing else.
          { ports: [443, 6443].map((port) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) })) },
        ],
      },
    });
  }

  /**
   * The oauth2-proxy sidecar: non-root on a read-only root filesystem, requests and limits, liveness on /ping and
   * readiness on /ready, its config from a ConfigMap and its secrets from a Secret the chart does not create (the pod
   * waits for it).
   */
  private addOAuth2Proxy(
    deployment: kplus.Deployment,
    proxy: PortalOAuth2Proxy,
    metadata: { name: string; namespace: string; labels: Record<string, string> },
  ): void {
    const config = new kplus.ConfigMap(this, 'oauth2-proxy-config', {
      metadata: {
        ...metadata,
        name: `${PORTAL_NAME}-oauth2-proxy`,
        annotations: syncOptionsAnnotation({ stateful: true }),
      },
      data: { [OAUTH2_PROXY_CONFIG_FILE]: toToml(oauth2ProxyConfig(proxy)) },
    });
    deployment.addContainer({
      name: 'oauth2-proxy',
      image: proxy.image ?? OAUTH2_PROXY_IMAGE,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: [`--config=${PORTAL_PATHS.proxyConfig}/${OAUTH2_PROXY_CONFIG_FILE}`],
      ports: [{ number: OAUTH2_PROXY_PORT, name: 'http' }],
      ...restrictedContainer({
        uid: OAUTH2_PROXY_UID,
        cpuMillis: [10, 200],
        memoryMiB: [32, 128],
        port: OAUTH2_PROXY_PORT,
        liveness: '/ping',
        readiness: '/ready',
        livenessDelaySeconds: 5,
      }),
      volumeMounts: [
        {
          path: PORTAL_PATHS.proxyConfig,
          readOnly: true,
          volume: kplus.Volume.fromConfigMap(this, 'oauth2-proxy-config-volume', config, { name: 'oauth2-proxy-config' }),
        },
        {
          path: PORTAL_PATHS.proxySecret,
          readOnly: true,
          volume: kplus.Volume.fromSecret(
            this,
            'oauth2-proxy-secret-volume',
            kplus.Secret.fromSecretName(this, 'oauth2-proxy-secret', proxy.secret),
            { name: 'oauth2-proxy-secrets', defaultMode: 0o440 },
          ),
        },
      ],
    });
  }
}
