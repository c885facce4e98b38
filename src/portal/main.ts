/**
 * `npm run portal`: serves the portal API and page. PORT (default 8080), HOST (default 127.0.0.1),
 * DRPLANE_GIT_REPO (default: the git repository of the current folder; with DRPLANE_GIT_URL the folder the portal
 * clones DRPLANE_GIT_BRANCH (default main) of that URL into, pushing what it commits back with the token in
 * DRPLANE_GIT_TOKEN_FILE), DRPLANE_PORTAL_IN_CLUSTER=1 (claims' status with the pod's ServiceAccount), DRPLANE_PORTAL_TOKEN
 * (bearer token for writes; without it the portal takes no writes unless
 * DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1), DRPLANE_PORTAL_ORIGINS (comma-separated origins of a proxy).
 * DRPLANE_PORTAL_SIGN_IN=proxy: users sign in at an authenticating proxy (oauth2-proxy) whose X-Forwarded-User,
 * -Email and -Groups headers the portal trusts only from DRPLANE_PORTAL_TRUSTED_PROXIES (CIDRs, default loopback); DRPLANE_PORTAL_TEAMS (`group=ns1,ns2;other=ns3`) says which
 * namespaces each group may act on; the token then serves automation only; every write is audited to
 * DRPLANE_PORTAL_AUDIT_FILE (default stdout). DRPLANE_PORTAL_SIGN_IN=oidc: users sign in to the portal itself with
 * OpenID Connect (DRPLANE_OIDC_ISSUER, DRPLANE_OIDC_CLIENT_ID, DRPLANE_PORTAL_URL, DRPLANE_PORTAL_SESSION_SECRET_FILE;
 * see oidcSettingsFromEnv in oidc.ts), with the same team table and audit log. DRPLANE_PORTAL_FAILOVER_MODE=pull-request
 * pushes each failover commit to a branch of its own instead of the working branch (default push).
 */
import { homedir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { repositoryRoot } from '../gitops/git.js';
import { createApp } from './app.js';
import { writeMode } from './guard.js';
import { auditSink } from './audit.js';
import { parseTeams, type TeamAccess } from './identity.js';
import { GitRemote } from './remote.js';
import { OidcSignIn, oidcSettingsFromEnv } from './oidc.js';
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from './peer.js';

/** The package folder (where dist/portal is built), found upwards from this module. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const gitUrl = process.env.DRPLANE_GIT_URL || undefined;
if (gitUrl && !process.env.DRPLANE_GIT_REPO) {
  console.error('portal: DRPLANE_GIT_URL needs DRPLANE_GIT_REPO, the folder to clone it into');
  process.exit(2);
}
const remote = gitUrl
  ? new GitRemote({
      url: gitUrl,
      branch: process.env.DRPLANE_GIT_BRANCH || 'main',
      dir: resolve(process.env.DRPLANE_GIT_REPO!),
      ...(process.env.DRPLANE_GIT_TOKEN_FILE ? { tokenFile: process.env.DRPLANE_GIT_TOKEN_FILE } : {}),
    })
  : undefined;
const repository = remote
  ? resolve(process.env.DRPLANE_GIT_REPO!)
  : await repositoryRoot(resolve(process.env.DRPLANE_GIT_REPO ?? process.cwd())).catch((err: Error) => {
      console.error(`portal: ${err.message}; set DRPLANE_GIT_REPO to a git repository`);
      process.exit(2);
    });
const inClusterFlag = process.env.DRPLANE_PORTAL_IN_CLUSTER ?? '';
if (!['', '0', '1'].includes(inClusterFlag)) {
  console.error(`portal: DRPLANE_PORTAL_IN_CLUSTER must be 1 or 0 (got ${JSON.stringify(inClusterFlag)})`);
  process.exit(2);
}
const staticDir = join(packageRoot(), 'dist', 'portal');
const token = process.env.DRPLANE_PORTAL_TOKEN || undefined;
const openFlag = process.env.DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES ?? '';
if (!['', '0', '1'].includes(openFlag)) {
  console.error(`portal: DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES must be 1 or 0 (got ${JSON.stringify(openFlag)})`);
  process.exit(2);
}
const allowUnauthenticatedWrites = openFlag === '1';
const origins = (process.env.DRPLANE_PORTAL_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
// A kubeconfig (DRPLANE_KUBECONFIG, else KUBECONFIG, else ~/.kube/config) makes the claims list ask the cluster.
const kubeconfigFile = [
  process.env.DRPLANE_KUBECONFIG,
  process.env.KUBECONFIG?.split(':')[0],
  join(homedir(), '.kube', 'config'),
].find((f): f is string => Boolean(f) && existsSync(f!));
const signIn = process.env.DRPLANE_PORTAL_SIGN_IN ?? '';
if (!['', 'token', 'proxy', 'oidc'].includes(signIn)) {
  console.error(`portal: DRPLANE_PORTAL_SIGN_IN must be oidc, proxy or token (got ${JSON.stringify(signIn)})`);
  process.exit(2);
}
const failoverMode = process.env.DRPLANE_PORTAL_FAILOVER_MODE || 'push';
if (failoverMode !== 'push' && failoverMode !== 'pull-request') {
  console.error(`portal: DRPLANE_PORTAL_FAILOVER_MODE must be push or pull-request (got ${JSON.stringify(failoverMode)})`);
  process.exit(2);
}
let teams: TeamAccess | undefined;
let oidc: OidcSignIn | undefined;
if (signIn !== '') {
  try {
    if (signIn === 'oidc') oidc = new OidcSignIn(oidcSettingsFromEnv(process.env, (f) => readFileSync(f, 'utf8')));
    teams = {
      signIn: signIn as TeamAccess['signIn'],
      groups: parseTeams(process.env.DRPLANE_PORTAL_TEAMS ?? ''),
      ...(token ? { automationToken: token } : {}),
      trustedProxies: parseTrustedProxies(process.env.DRPLANE_PORTAL_TRUSTED_PROXIES || DEFAULT_TRUSTED_PROXIES),
      ...(process.env.DRPLANE_PORTAL_FORWARDED_BY
        ? { forwardedBy: parseTrustedProxies(process.env.DRPLANE_PORTAL_FORWARDED_BY, 'DRPLANE_PORTAL_FORWARDED_BY') }
        : {}),
    };
  } catch (err) {
    console.error(`portal: ${(err as Error).message}`);
    process.exit(2);
  }
}
const app = createApp({
  ...(teams ? { teams, audit: auditSink(process.env.DRPLANE_PORTAL_AUDIT_FILE || undefined) } : {}),
  ...(oidc ? { oidc } : {}),
  repository,
  token,
  allowUnauthenticatedWrites,
  origins,
  staticDir,
  ...(kubeconfigFile ? { kubeconfig: kubeconfigFile } : {}),
  inCluster: inClusterFlag === '1',
  ...(remote ? { remote } : {}),
  failoverMode,
});
const mode = writeMode({ token, allowUnauthenticated: allowUnauthenticatedWrites });
/** What the start line says about writes, per mode. */
const WRITES = {
  token: 'writes need the bearer token',
  open: 'writes WITHOUT authentication',
  off: 'read-only: set DRPLANE_PORTAL_TOKEN to commit and fail over from the portal',
} as const;
/** What the start line says about sign-in, per mode. */
const SIGN_IN = {
  token: 'token',
  proxy: 'authenticating proxy headers',
  oidc: `OpenID Connect (redirect URI ${oidc?.redirectUri ?? ''})`,
} as const;
const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  const writes = teams
    ? `sign-in: ${SIGN_IN[teams.signIn]}, writes per team (${Object.keys(teams.groups).length} groups), audited`
    : WRITES[mode];
  console.log(`drplane portal on http://${host}:${info.port}/ (claims from ${repository}; ${writes})`);
  if (!existsSync(join(staticDir, 'index.html'))) console.log('the page is not built: run npm run build');
  if (mode === 'open' && !teams) {
    const bar = '!'.repeat(100);
    console.warn(
      `${bar}\nWARNING: DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1 and no DRPLANE_PORTAL_TOKEN: anyone who can reach\n` +
        `http://${host}:${info.port}/ can commit claims and fail estates over. Set DRPLANE_PORTAL_TOKEN instead.\n${bar}`,
    );
  }
});
// On the cluster the clone is made after the server listens: the readiness probe (/api/ready) waits for it.
if (remote) {
  const clone = async (attempt: number): Promise<void> =>
    remote.prepare().catch(async (err: Error) => {
      console.error(`portal: cloning ${gitUrl} failed (attempt ${attempt}): ${err.message}`);
      await new Promise((r) => setTimeout(r, Math.min(60_000, 2_000 * 2 ** attempt)));
      return clone(attempt + 1);
    });
  void clone(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
