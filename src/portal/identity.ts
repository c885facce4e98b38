/**
 * Who is writing, and on which team namespaces: the signed-in user from an authenticating proxy's trusted headers
 * (oauth2-proxy's X-Forwarded-User, -Email, -Groups), mapped through the group → namespaces table, or the automation
 * token, which may act on every namespace. A write to a namespace outside the user's is a 403 naming the namespace.
 */
import type { Context } from 'hono';
import { requireToken } from './auth.js';
import { HttpError } from './errors.js';

/** How users sign in: `proxy` trusts an authenticating proxy's headers; `token` is the shared bearer token only. */
export type SignIn = 'token' | 'proxy';

/** Sign-in settings of a portal whose writes belong to teams. */
export interface TeamAccess {
  /** How users sign in. */
  readonly signIn: SignIn;
  /** Namespaces each identity-provider group may act on; a `*` namespace is every one. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The automation token (optional): a request with it acts as `automation` on every namespace. */
  readonly automationToken?: string;
}

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
  const user = c.req.header('x-forwarded-user')?.trim();
  if (!user) throw new HttpError(401, 'sign in first: the authenticating proxy sent no X-Forwarded-User', 'x-forwarded-user');
  const email = c.req.header('x-forwarded-email')?.trim() || undefined;
  const groups = (c.req.header('x-forwarded-groups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const namespaces = [...new Set(groups.flatMap((g) => access.groups[g] ?? []))].sort();
  const clean = (s: string) => s.replace(/[<>\n\r]/g, '');
  return {
    user,
    ...(email ? { email } : {}),
    groups,
    namespaces,
    gitAuthor: `${clean(user)} <${clean(email ?? `${user}@users.invalid`)}>`,
  };
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
