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
   * Secret in the portal namespace, created by the platform team, never by the chart: key `token` (a git token with
   * push access to the repository) and optional key `portal-token` (the bearer token for automation). Without it the
   * portal clones a public repository and takes no writes.
   */
  readonly gitSecret: string;
  /** Namespaces whose pods may reach the portal (the ingress controller or authenticating proxy). */
  readonly ingressNamespaces: readonly string[];
  /** How users sign in: at an authenticating proxy in front (the default), or to the portal itself with OpenID Connect. */
  readonly signIn?: PortalOidc | { readonly mode: 'proxy' };
}

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
}

/** The portal settings `npm run synth` uses. */
export const DEFAULT_PORTAL: PortalSettings = {
  namespace: 'drplane-portal',
  image: `${DRPLANE_REGISTRY}/drplane-portal:${DRPLANE_VERSION}`,
  replicas: 2,
  gitUrl: 'https://github.com/drplane/drplane.git',
  gitBranch: 'main',
  gitSecret: 'drplane-portal-git',
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
};

/** The sign-in part of the portal's ConfigMap: the proxy's headers, or OpenID Connect and where its secrets are. */
export function signInConfig(signIn: PortalSettings['signIn']): Record<string, string> {
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

/** The verbs of every rule: reading only. */
export const READ_VERBS = ['get', 'list', 'watch'];

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
        // Users sign in at the authenticating proxy (or with OpenID Connect); each acts on the namespaces its SSO
        // groups are mapped to, the same mapping Argo CD's team roles use (settings.teamGroups).
        ...signInConfig(portal.signIn),
        DRPLANE_PORTAL_TEAMS: portalTeams(settings.teamGroups),
      },
    });
    const gitSecret = kplus.Secret.fromSecretName(this, 'git-secret', portal.gitSecret);

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
          ports: [{ number: PORTAL_PORT, name: 'http' }],
          envFrom: [kplus.Env.fromConfigMap(config)],
          envVariables: {
            DRPLANE_PORTAL_TOKEN: kplus.EnvValue.fromSecretValue({ secret: gitSecret, key: 'portal-token' }, { optional: true }),
          },
          securityContext: {
            ensureNonRoot: true,
            user: PORTAL_UID,
            group: PORTAL_UID,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
          },
          resources: {
            cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
            memory: { request: Size.mebibytes(192), limit: Size.mebibytes(512) },
          },
          liveness: kplus.Probe.fromHttpGet('/api/health', {
            port: PORTAL_PORT,
            initialDelaySeconds: Duration.seconds(10),
            periodSeconds: Duration.seconds(20),
            failureThreshold: 3,
          }),
          readiness: kplus.Probe.fromHttpGet('/api/ready', {
            port: PORTAL_PORT,
            periodSeconds: Duration.seconds(10),
            failureThreshold: 3,
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
    deployment.select(kplus.LabelSelector.of({ labels }));
    // Drop every capability and use the runtime's seccomp profile (Pod Security `restricted` requires both).
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    );

    new kplus.Service(this, 'service', {
      metadata,
      selector: deployment,
      ports: [{ name: 'http', port: 80, targetPort: PORTAL_PORT }],
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
            ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(PORTAL_PORT) }],
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
}
