/**
 * Who is writing, and on which team namespaces: the signed-in user from an authenticating proxy's trusted headers
 * (oauth2-proxy's X-Forwarded-User, -Email, -Groups) or from the portal's own OpenID Connect session, mapped through
 * the group → namespaces table, or the automation token, which may act on every namespace. A write to a namespace
 * outside the user's is a 403 naming the namespace.
 */
import type { Context } from 'hono';
import { requireToken } from './auth.js';
import { HttpError } from './errors.js';
import { type TrustedProxies, parseTrustedProxies, peerAddress } from './peer.js';

/**
 * How users sign in: `proxy` trusts an authenticating proxy's headers; `oidc` is the portal's own OpenID Connect
 * sign-in (src/portal/oidc.ts); `token` is the shared bearer token only.
 */
export type SignIn = 'token' | 'proxy' | 'oidc';

/** A signed-in user as a session holds them. */
export interface SessionUser {
  /** User name (the ID token's preferred_username, else email, else sub). */
  readonly user: string;
  readonly email?: string;
  /** The identity provider's groups of the user. */
  readonly groups: readonly string[];
  /** The ID token's subject: with `iss`, the user's stable, unique identity (the name may change or repeat). */
  readonly sub?: string;
  /** The ID token's issuer. */
  readonly iss?: string;
}

/**
 * The session of a request: the user (until `expires`), nobody signed in, a session that expired at `expired` (ms since
 * epoch), or one that `ended` before that: the identity provider refused to refresh it (401: revoked, signed out, the
 * user disabled) or could not be asked (503), with the reason.
 */
export type SessionState =
  | { readonly value: SessionUser; readonly expires?: number }
  | { readonly missing: true }
  | { readonly expired: number }
  | { readonly ended: string; readonly status: 401 | 503 };

/** Sign-in settings of a portal whose writes belong to teams. */
export interface TeamAccess {
  /** How users sign in. */
  readonly signIn: SignIn;
  /** Namespaces each identity-provider group may act on; a `*` namespace is every one. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The automation token (optional): a request with it acts as `automation` on every namespace. */
  readonly automationToken?: string;
  /** The session of a request (with `oidc`). */
  readonly session?: (c: Context) => SessionState;
  /**
   * The proxies whose identity and X-Forwarded-For headers count (DRPLANE_PORTAL_TRUSTED_PROXIES; default loopback
   * only): with `proxy`, a request from any other peer is a 401 whatever headers it carries.
   */
  readonly trustedProxies?: TrustedProxies;
  /**
   * Hops whose X-Forwarded-For entries count for the audit's client address only (DRPLANE_PORTAL_FORWARDED_BY, e.g.
   * the ingress controllers' pod network): never for identity headers, which only trustedProxies may set.
   */
  readonly forwardedBy?: TrustedProxies;
}

/** The trusted proxies of `access` (default loopback only). */
export function trustedProxiesOf(access: TeamAccess | undefined): TrustedProxies {
  return access?.trustedProxies ?? LOOPBACK;
}
const LOOPBACK = parseTrustedProxies();

/** Whoever makes a write. */
export interface Actor {
  /** User name (the proxy's X-Forwarded-User), or `automation`. */
  readonly user: string;
  readonly email?: string;
  readonly groups: readonly string[];
  /** The namespaces the actor may act on; `*` is every one. */
  readonly namespaces: readonly string[];
  /** `Name <email>` for the git author. */
  readonly gitAuthor: string;
  /** The ID token's subject and issuer (OpenID Connect sign-in), for the audit log. */
  readonly sub?: string;
  readonly iss?: string;
}

/** The automation identity (the shared token). */
const AUTOMATION: Actor = {
  user: 'automation',
  groups: [],
  namespaces: ['*'],
  gitAuthor: 'drplane automation <automation@drplane.invalid>',
};

/** Parses DRPLANE_PORTAL_TEAMS: `group=ns1,ns2;other=ns3` (namespaces may be `*`); throws naming the bad entry. */
export function parseTeams(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of text
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*([a-z0-9*][a-z0-9,*\s-]*)$/.exec(entry);
    if (!match)
      throw new Error(
        `DRPLANE_PORTAL_TEAMS: ${JSON.stringify(entry)} is not group=namespace[,namespace…]; write e.g. payments-devs=team-payments;platform=*`,
      );
    out[match[1]!] = match[2]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
  }
  return out;
}

/** The actor of a writing request; throws 401 when nobody is signed in (or the token is wrong). */
export function actorOf(c: Context, access: TeamAccess): Actor {
  const authorization = c.req.header('authorization');
  if (access.automationToken && authorization) {
    requireToken(access.automationToken, authorization);
    return AUTOMATION;
  }
  if (access.signIn === 'token') {
    requireToken(access.automationToken ?? '\0no token', authorization);
    return AUTOMATION;
  }
  const { user, email, groups, sub, iss } = access.signIn === 'oidc' ? sessionUser(c, access) : proxyUser(c, access);
  const namespaces = namespacesOf(groups, access.groups);
  const clean = (s: string) => s.replace(/[<>\n\r]/g, '');
  return {
    user,
    ...(email ? { email } : {}),
    groups,
    namespaces,
    gitAuthor: `${clean(user)} <${clean(email ?? `${user}@users.invalid`)}>`,
    ...(sub ? { sub } : {}),
    ...(iss ? { iss } : {}),
  };
}

/** The namespaces `groups` may act on through the group → namespaces `table`, sorted (`*`: every one). */
export function namespacesOf(groups: readonly string[], table: TeamAccess['groups']): string[] {
  return [...new Set(groups.flatMap((g) => table[g] ?? []))].sort();
}

/**
 * The user an authenticating proxy's headers name (oauth2-proxy's upstream headers with --pass-user-headers); 401
 * when the request's peer is not a trusted proxy (anyone could set the headers) or without X-Forwarded-User.
 */
function proxyUser(c: Context, access: TeamAccess): SessionUser {
  const peer = peerAddress(c);
  if (!trustedProxiesOf(access).has(peer))
    throw new HttpError(
      401,
      `sign in first: identity headers are accepted only from the authenticating proxy, and ${peer ?? 'this client'} is not one (DRPLANE_PORTAL_TRUSTED_PROXIES)`,
      'x-forwarded-user',
    );
  const user = c.req.header('x-forwarded-user')?.trim();
  if (!user) throw new HttpError(401, 'sign in first: the authenticating proxy sent no X-Forwarded-User', 'x-forwarded-user');
  const email = c.req.header('x-forwarded-email')?.trim() || undefined;
  const groups = (c.req.header('x-forwarded-groups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  return { user, ...(email ? { email } : {}), groups };
}

/** The user of the request's OpenID Connect session; 401 when nobody signed in or the session expired. */
function sessionUser(c: Context, access: TeamAccess): SessionUser {
  const state = access.session?.(c) ?? { missing: true };
  if ('value' in state) return state.value;
  if ('ended' in state) throw new HttpError(state.status, state.ended, 'session');
  if ('expired' in state)
    throw new HttpError(
      401,
      `your session expired at ${new Date(state.expired).toISOString()}: sign in again (/auth/login)`,
      'session',
    );
  throw new HttpError(401, 'sign in first (/auth/login)', 'session');
}

/** Throws 403 unless the actor may act on `namespace`. */
export function requireNamespace(actor: Actor, namespace: string): void {
  if (actor.namespaces.includes('*') || actor.namespaces.includes(namespace)) return;
  throw new HttpError(
    403,
    `${actor.user} may not act on namespace ${namespace}: your groups (${actor.groups.join(', ') || 'none'}) grant ${
      actor.namespaces.join(', ') || 'no namespace'
    }; ask the platform team to map a group of yours to ${namespace} (DRPLANE_PORTAL_TEAMS)`,
    'metadata.namespace',
  );
}
