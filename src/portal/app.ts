/**
 * The portal's HTTP API (Hono): a thin adapter over src/policy, src/compose, src/estimate and
 * src/gitops, the same functions drctl calls. Errors are JSON `{error, field?}`; never a stack trace.
 */
import { type Context, Hono } from 'hono';
import { parseDocument } from 'yaml';
import { bodyLimit } from 'hono/body-limit';
import { AWS_REGIONS } from '../api/regions.js';
import { claimSchema } from '../policy/schema-tree.js';
import { costAnswer, objectivesAnswer, planAnswer } from './analysis.js';
import { InvalidClaim, claimText, readClaim, validClaim } from './body.js';
import { HttpError, checkName } from './errors.js';
import { failover } from './failover.js';
import { type WriteAccess, requireContentType, requireSameOrigin, requireWriter, writeMode } from './guard.js';
import { openApiDocument } from './openapi.js';
import { NOT_BUILT, staticFile } from './static.js';
import { securityHeaders } from './headers.js';
import { audit, type AuditSink } from './audit.js';
import { clientAddress, peerAddress } from './peer.js';
import { withRepositoryLock } from './lock.js';
import { type Actor, type TeamAccess, actorOf, namespacesOf, requireNamespace, trustedProxiesOf } from './identity.js';
import type { OidcSignIn } from './oidc.js';
import type { GitRemote } from './remote.js';
import { commitClaim, listClaims } from './store.js';
import { git } from '../gitops/git.js';

/** How a portal is set up. */
export interface PortalOptions {
  /** Top folder of the git repository that stores claims. */
  readonly repository: string;
  /** Bearer token required by writing endpoints; without one the portal takes no writes (see allowUnauthenticatedWrites). */
  readonly token?: string;
  /** Take writes without a token (DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1); ignored when a token is set. */
  readonly allowUnauthenticatedWrites?: boolean;
  /** Origins besides the portal's own whose pages may send requests (DRPLANE_PORTAL_ORIGINS). */
  readonly origins?: readonly string[];
  /** Largest request body in bytes (default 256 KiB). */
  readonly maxBodyBytes?: number;
  /** Folder of the built page (dist/portal); the API works without it. */
  readonly staticDir?: string;
  /** Kubeconfig file: when set, GET /api/claims reports each claim's status from the cluster. */
  readonly kubeconfig?: string;
  /** In-cluster kube credentials (the pod's ServiceAccount) for the claims' status, when no kubeconfig is given. */
  readonly inCluster?: boolean;
  /** The remote the repository is a clone of (on the cluster): refreshed before reads, pushed after each commit. */
  readonly remote?: GitRemote;
  /**
   * Writes per team: who signs in and which namespaces each group may act on (DRPLANE_PORTAL_SIGN_IN,
   * DRPLANE_PORTAL_TEAMS). When set, every write is checked against the actor's namespaces and audited.
   */
  readonly teams?: TeamAccess;
  /** Where audit lines go (default stdout); only with `teams`. */
  readonly audit?: AuditSink;
  /** The OpenID Connect sign-in (needed when `teams.signIn` is `oidc`): serves /auth/login, /auth/callback, /auth/logout. */
  readonly oidc?: OidcSignIn;
  /**
   * Where a failover commit goes (DRPLANE_PORTAL_FAILOVER_MODE): `push` (default) commits on the branch the portal
   * works on and pushes it; `pull-request` commits it on a new branch `drplane/failover/<namespace>-<name>-<commit>`
   * and pushes only that, so the git token never needs to push the protected branch (audit 18 M4).
   */
  readonly failoverMode?: FailoverMode;
}

/** Where a failover commit goes: the working branch itself, or a branch of its own for a pull request. */
export type FailoverMode = 'push' | 'pull-request';

/** The branch a failover commit is pushed to in `pull-request` mode. */
export const failoverBranch = (namespace: string, name: string, commit: string): string =>
  `drplane/failover/${namespace}-${name}-${commit.slice(0, 8)}`;

/** Methods that read only; every other one passes the same-origin check. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The API's paths and the methods each answers; another method is a 405 naming them. */
const ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/api/health': ['GET'],
  '/api/ready': ['GET'],
  '/api/openapi.json': ['GET'],
  '/api/schema': ['GET'],
  '/api/session': ['GET'],
  '/api/validate': ['POST'],
  '/api/plan': ['POST'],
  '/api/cost': ['POST'],
  '/api/objectives': ['POST'],
  '/api/claims': ['GET', 'POST'],
  '/api/claims/:namespace/:name/failover': ['POST'],
};

/** The API paths anyone may call when users sign in: probes, and the page's question whether someone is signed in. */
const OPEN_PATHS = new Set(['/api/health', '/api/ready', '/api/session']);

/** The group → namespaces table turned around: each namespace's groups (the owner of its Backstage entities). */
function namespaceGroups(groups: TeamAccess['groups'] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [group, namespaces] of Object.entries(groups ?? {}))
    for (const ns of namespaces) if (ns !== '*') (out[ns] ??= []).push(group);
  return out;
}

/** The writes, which identify (401) and audit their actor themselves, refusals included. */
function isAuditedWrite(method: string, path: string): boolean {
  return method === 'POST' && (path === '/api/claims' || /^\/api\/claims\/[^/]+\/[^/]+\/failover$/.test(path));
}

/** The sign-in paths (with OpenID Connect) and the methods each answers. */
const AUTH_ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/auth/login': ['GET'],
  '/auth/callback': ['GET'],
  '/auth/logout': ['POST'],
};

/** Default body limit: claims are a few KiB; 256 KiB leaves room and stops abuse. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The portal application; serve it with @hono/node-server or call `app.request()` in tests. */
export function createApp(options: PortalOptions): Hono {
  const { repository: root, token, oidc } = options;
  if (options.teams?.signIn === 'oidc' && !oidc) throw new Error('sign-in oidc needs the OpenID Connect settings (options.oidc)');
  const teams: TeamAccess | undefined =
    options.teams && oidc ? { ...options.teams, session: (c) => oidc.session(c) } : options.teams;
  /** Users sign in (proxy or OpenID Connect): the page sends no token, the sign-in says who writes. */
  const usersSignIn = teams?.signIn === 'proxy' || teams?.signIn === 'oidc';
  const access: WriteAccess = { token, allowUnauthenticated: options.allowUnauthenticatedWrites, origins: options.origins };
  const maxSize = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json(err.body(), err.status);
    if (err instanceof InvalidClaim) return c.json({ error: err.message, problems: err.problems }, 422);
    if (err.name === 'GitError') return c.json({ error: `git: ${err.message}` }, 500);
    console.error(`portal: ${err.stack ?? err.message}`);
    return c.json({ error: 'internal error; the server log has the details' }, 500);
  });
  app.use('*', securityHeaders());
  // A session due for its re-check is refreshed with the identity provider before anything reads it (audit 18 M2).
  if (oidc)
    app.use('/api/*', async (c, next) => {
      await oidc.revalidate(c);
      await next();
    });
  app.use(
    '/api/*',
    bodyLimit({ maxSize, onError: (c) => c.json({ error: `the body is larger than ${Math.round(maxSize / 1024)} KiB` }, 413) }),
  );
  // Every request that is not a read comes from the portal's own pages or from a client that is not a browser.
  for (const path of ['/api/*', '/auth/*'])
    app.use(path, async (c, next) => {
      if (!SAFE_METHODS.has(c.req.method)) requireSameOrigin(c, options.origins);
      await next();
    });
  // When users sign in, every read needs a signed-in user too (audit 18 M1): the claims list is every team's inventory.
  const reader = (c: Context): Actor | undefined => (usersSignIn ? actorOf(c, teams!) : undefined);
  app.use('/api/*', async (c, next) => {
    if (usersSignIn && !OPEN_PATHS.has(c.req.path) && !isAuditedWrite(c.req.method, c.req.path)) reader(c);
    await next();
  });
  if (oidc) {
    app.get('/auth/login', (c) => oidc.login(c));
    app.get('/auth/callback', (c) => oidc.callback(c));
    app.post('/auth/logout', (c) => oidc.logout(c));
  }

  app.get('/api/health', (c) => c.json({ ok: true }));
  // Ready once the claims repository is there (on the cluster: cloned from the remote).
  app.get('/api/ready', (c) =>
    !options.remote || options.remote.isReady
      ? c.json({ ready: true })
      : c.json({ ready: false, error: 'cloning the claims repository' }, 503),
  );
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/api/schema', (c) =>
    c.json({
      schema: claimSchema(),
      regions: AWS_REGIONS,
      // Users who sign in send no token: the proxy's headers or the session say who writes.
      tokenRequired: usersSignIn ? false : Boolean(token),
      writes: usersSignIn ? 'open' : writeMode(access),
      ...(teams ? { signIn: teams.signIn } : {}),
    }),
  );
  // Who the page's user is: signed in (name, groups, the namespaces they may act on, when the session ends) or not.
  app.get('/api/session', (c) => {
    if (!teams || teams.signIn === 'token') return c.json({ signIn: teams?.signIn ?? 'token', signedIn: false });
    try {
      const actor = actorOf(c, teams);
      const state = teams.signIn === 'oidc' ? oidc!.session(c) : undefined;
      return c.json({
        signIn: teams.signIn,
        signedIn: true,
        user: actor.user,
        ...(actor.email ? { email: actor.email } : {}),
        groups: actor.groups,
        namespaces: namespacesOf(actor.groups, teams.groups),
        ...(state && 'value' in state && state.expires !== undefined ? { expires: new Date(state.expires).toISOString() } : {}),
      });
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 401) throw err;
      return c.json({ signIn: teams.signIn, signedIn: false, reason: err.message });
    }
  });

  app.post('/api/validate', async (c) => {
    const { valid, problems } = readClaim(await claimText(c));
    return c.json({ valid, problems });
  });
  app.post('/api/plan', async (c) => c.json(planAnswer((await validClaim(c)).claim)));
  app.post('/api/cost', async (c) => c.json(costAnswer((await validClaim(c)).claim)));
  app.post('/api/objectives', async (c) => c.json(objectivesAnswer((await validClaim(c)).claim)));

  app.get('/api/claims', async (c) => {
    // A signed-in user sees the claims of their namespaces only.
    const actor = reader(c);
    const visible = (namespace: string) => !actor || actor.namespaces.includes('*') || actor.namespaces.includes(namespace);
    const claims = (
      await withRepositoryLock(root, async () => {
        await options.remote?.refresh();
        return listClaims(root);
      })
    ).filter((claim) => visible(claim.namespace));
    if (!options.kubeconfig && !options.inCluster)
      return c.json({ claims: claims.map(({ claim: _claim, ...rest }) => rest), source: 'git HEAD' });
    const [{ loadKubeConfig }, { clusterStatus }] = await Promise.all([
      import('../cluster/claims.js'),
      import('./cluster-status.js'),
    ]);
    const kc = loadKubeConfig(options.kubeconfig, options.inCluster);
    const withStatus = await Promise.all(
      claims.map(async ({ claim: _claim, ...rest }) => ({ ...rest, status: await clusterStatus(kc, rest.namespace, rest.name) })),
    );
    return c.json({ claims: withStatus, source: 'git HEAD, status from the cluster' });
  });
  /**
   * Runs a write as its actor: with `teams`, identifies the actor (401), checks the namespace (403) and audits the
   * attempt whatever its outcome; without, the token check of before.
   */
  const write = async <T>(
    c: Context,
    action: string,
    run: (actor: Actor | undefined, target: (namespace: string, name: string) => void) => Promise<T>,
    okStatus: (result: T) => number = () => 200,
  ): Promise<T> => {
    if (!teams) {
      requireWriter(c, access);
      return run(undefined, () => undefined);
    }
    let actor: Actor | undefined;
    let target: string | undefined;
    const record = (status: number, detail?: string) =>
      audit(options.audit ?? ((line) => process.stdout.write(line + '\n')), {
        who: actor?.user ?? 'anonymous',
        ...(actor && actor.groups.length > 0 ? { groups: actor.groups } : {}),
        ...(actor?.sub ? { sub: actor.sub } : {}),
        ...(actor?.iss ? { iss: actor.iss } : {}),
        action,
        ...(target ? { target } : {}),
        from: clientAddress(c, trustedProxiesOf(teams), teams.forwardedBy),
        ...(peerAddress(c) ? { peer: peerAddress(c) } : {}),
        outcome: status === 0 ? 'attempted' : status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed',
        status,
        ...(detail ? { detail } : {}),
      });
    let result: T;
    try {
      actor = actorOf(c, teams);
      const signedIn = actor;
      result = await run(signedIn, (namespace, name) => {
        target = `${namespace}/${name}`;
        requireNamespace(signedIn, namespace);
        // Before anything reaches git: a write that cannot be audited does not happen.
        try {
          record(0);
        } catch (err) {
          throw new HttpError(503, `the audit log cannot be written (${(err as Error).message}); nothing was changed`);
        }
      });
    } catch (err) {
      const status = err instanceof HttpError ? err.status : err instanceof InvalidClaim ? 422 : 500;
      try {
        record(status, (err as Error).message.split('\n')[0]);
      } catch {
        console.error(`portal: audit line lost: ${action} ${target ?? ''} ${status}`);
      }
      throw err;
    }
    // The change is made (committed, and pushed where there is a remote): a lost outcome line must not turn it into
    // a 500 the client would retry. The "attempted" line is in the log; the outcome goes to stderr instead.
    const r = result as { branch?: string; commit?: string };
    const status = okStatus(result);
    try {
      record(status, [r.branch, r.commit].filter(Boolean).join(' ') || undefined);
    } catch (err) {
      console.error(`portal: audit line lost: ${action} ${target ?? ''} ${status} (${(err as Error).message})`);
    }
    return result;
  };

  app.post('/api/claims', async (c) => {
    const proposal = await write(
      c,
      'claim.propose',
      async (actor, target) => {
        const body = await claimText(c);
        checkIdentity(body.text);
        const read = readClaim(body);
        if (!read.valid || !read.claim) throw new InvalidClaim(read.problems);
        target(read.claim.metadata.namespace, read.claim.metadata.name);
        return withRepositoryLock(root, async () => {
          await options.remote?.refresh(true);
          const made = await commitClaim(root, read.claim!, body.text, actor?.gitAuthor, namespaceGroups(teams?.groups));
          if (options.remote && !made.existing) await options.remote.push(made.branch);
          return made;
        });
      },
      (made) => (made.existing ? 200 : 201),
    );
    return c.json(proposal, proposal.existing ? 200 : 201);
  });
  app.post('/api/claims/:namespace/:name/failover', async (c) => {
    const answer = await write(c, 'claim.failover', async (actor, target) => {
      const namespace = checkName(c.req.param('namespace'), 'namespace');
      const name = checkName(c.req.param('name'), 'name');
      target(namespace, name);
      requireContentType(c, ['application/json'], 'the failover request');
      const body = await c.req.json<unknown>().catch(() => {
        throw new HttpError(400, 'send a JSON body: {"to": "<region>", "reason": "…", "unplanned": false}');
      });
      // Serialized with every other git operation on the clone (audit 18 H2).
      return withRepositoryLock(root, async () => {
        await options.remote?.refresh(true);
        const made = await failover(root, namespace, name, body, actor?.gitAuthor);
        if (options.failoverMode === 'pull-request') {
          // The commit gets a branch of its own; the working branch goes back to where it was.
          const branch = failoverBranch(namespace, name, made.commit);
          // update-ref, not `branch`: the same failover asked twice in one second is the same commit and branch.
          await git(root, ['update-ref', `refs/heads/${branch}`, made.commit]);
          await git(root, ['reset', '--quiet', '--hard', `${made.commit}~1`]);
          if (options.remote) await options.remote.push(branch);
          return { ...made, branch };
        }
        if (options.remote) await options.remote.push(options.remote.branch);
        return made;
      });
    });
    return c.json(answer);
  });
  const routes = oidc ? { ...ROUTES, ...AUTH_ROUTES } : ROUTES;
  for (const [path, methods] of Object.entries(routes)) {
    app.all(path, (c) =>
      c.json({ error: `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(' or ')}` }, 405, {
        allow: methods.join(', '),
      }),
    );
  }
  app.all('/api/*', (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}; see /api/openapi.json` }, 404));

  app.get('*', (c) => {
    const file = options.staticDir ? staticFile(options.staticDir, c.req.path) : undefined;
    if (!file) return c.html(NOT_BUILT);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': file.type });
  });
  return app;
}

/**
 * Checks metadata.name and metadata.namespace before anything else, so a name such as `../x`
 * is a 400 naming the field and can never reach a path (the YAML is read leniently here; the
 * full validation follows).
 */
function checkIdentity(text: string): void {
  let data: unknown;
  try {
    data = parseDocument(text).toJS();
  } catch {
    return; // not YAML, or several documents: validation reports it
  }
  const metadata = (data as { metadata?: unknown } | null)?.metadata;
  if (typeof metadata !== 'object' || metadata === null) return;
  const m = metadata as { name?: unknown; namespace?: unknown };
  if (m.name !== undefined) checkName(m.name, 'metadata.name');
  if (m.namespace !== undefined) checkName(m.namespace, 'metadata.namespace');
}
