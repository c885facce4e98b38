/**
 * OpenID Connect sign-in of the portal itself (DRPLANE_PORTAL_SIGN_IN=oidc), with openid-client: the authorization
 * code flow with PKCE (S256), state and nonce. GET /auth/login sends the browser to the identity provider,
 * GET /auth/callback checks its answer and opens a session (a sealed cookie, src/portal/session.ts) holding the
 * user's name, email and groups; POST /auth/logout ends it, and the provider's session too when the provider has an
 * end_session_endpoint. The group → namespaces table (DRPLANE_PORTAL_TEAMS) is applied on each write, not stored.
 *
 * Sessions are re-checked with the provider (audit 18 M2), as oauth2-proxy's cookie_refresh does, so that no shared
 * store is needed between replicas: the cookie also seals the provider's refresh token and when the user was last
 * checked; a session older than the refresh interval (DRPLANE_PORTAL_SESSION_REFRESH_SECONDS, default 5 minutes) is
 * refreshed at the token endpoint before the request is served, which re-reads the user's groups and fails once the
 * provider has revoked the grant (sign-out here revokes the refresh token; the provider revokes it when the user is
 * disabled or signs out there). Without a refresh token, a session ends when its ID token does.
 */
import type { Context } from 'hono';
import * as client from 'openid-client';
import type { SessionState, SessionUser } from './identity.js';
import { CookieJar } from './session.js';

/** OpenID Connect settings of the portal. */
export interface OidcSettings {
  /** The identity provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  readonly issuer: string;
  /** The portal's client ID at the provider. */
  readonly clientId: string;
  /** The client secret (a confidential client); without one the portal is a public client and relies on PKCE. */
  readonly clientSecret?: string;
  /** The portal's public URL (`https://portal.example.org`); the redirect URI is `<portalUrl>/auth/callback`. */
  readonly portalUrl: string;
  /** Scopes asked for (default `openid profile email`); add the one that releases groups if the provider needs it. */
  readonly scopes?: string;
  /** The ID token (or userinfo) claim holding the user's groups (default `groups`). */
  readonly groupsClaim?: string;
  /** How long a session lasts at most, in seconds (default 8 hours). */
  readonly sessionSeconds?: number;
  /** How often a session is re-checked with the provider (refresh token grant), in seconds (default 300). */
  readonly refreshSeconds?: number;
  /** Secret the session cookies are sealed with (at least 32 characters; the same on every replica). */
  readonly sessionSecret: string;
  /** Clock in milliseconds, for sessions (tests move it to expire one). */
  readonly now?: () => number;
}

/** Default session length: a working day. */
export const DEFAULT_SESSION_SECONDS = 8 * 3600;
/** Default re-check interval: a user taken out of a group, or signed out elsewhere, loses access within 5 minutes. */
export const DEFAULT_REFRESH_SECONDS = 300;
/** How long a refresh's result is kept for requests that still carry the cookie it replaced (parallel requests). */
const REFRESHED_KEPT_MS = 60_000;
/** How long a sign-in may take at the provider before its state is forgotten. */
const SIGN_IN_SECONDS = 600;
const SESSION = 'drplane_session';
const SIGN_IN = 'drplane_signin';

/** What the sign-in cookie holds between /auth/login and /auth/callback. */
interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** Path of the portal to return to. */
  readonly back: string;
}

/** What the session cookie seals. */
interface SealedSession {
  readonly user: SessionUser;
  /** The provider's refresh token: the session is re-checked with it. */
  readonly refreshToken?: string;
  /** When the user and groups were last read from the provider (ms since epoch). */
  readonly checkedAt: number;
}

/** Whether a cookie's value has the shape of a session (a cookie of an older portal release does not). */
function isSealedSession(value: unknown): value is SealedSession {
  const v = value as Partial<SealedSession> | null;
  return typeof v === 'object' && v !== null && typeof v.checkedAt === 'number' && typeof v.user?.user === 'string';
}

/** Whether `url` is a loopback http URL (a provider run on this machine, as in the tests). */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * A path of the portal to go back to after sign-in, else '/'. Only a value that starts with a single '/', holds no
 * control character or backslash (browsers drop tab/CR/LF and read '\\' as '/', so `/\t/evil` becomes `//evil`), and
 * still has the portal's origin once parsed against it; the result is rebuilt from the parsed URL.
 */
export function localPath(value: string | undefined, portal: URL): string {
  if (!value || !/^\/(?![/\\])/.test(value) || [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\x7f' || ch === '\\'))
    return '/';
  let url: URL;
  try {
    url = new URL(value, portal);
  } catch {
    return '/';
  }
  if (url.origin !== portal.origin || !/^\/(?![/\\])/.test(url.pathname)) return '/';
  return url.pathname + url.search + url.hash;
}

/** A small page for a sign-in that failed: what happened and a link to try again. */
function failure(c: Context, status: 400 | 401 | 502, message: string): Response {
  const text = message.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return c.html(
    `<!doctype html><meta charset="utf-8"><title>Sign-in failed</title><h1>Sign-in failed</h1><p role="alert">${text}</p><p><a href="/auth/login">Sign in again</a></p>`,
    status,
  );
}

/** The portal's OpenID Connect relying party. */
export class OidcSignIn {
  /** The session cookies. */
  readonly jar: CookieJar;
  /** Session length in seconds. */
  readonly sessionSeconds: number;
  /** Re-check interval in seconds. */
  readonly refreshSeconds: number;
  private readonly issuer: URL;
  private readonly now: () => number;
  /** Each request's session once re-checked (the middleware `revalidate` fills it). */
  private readonly checked = new WeakMap<Request, SessionState>();
  /** Refreshes in flight or just done, by the refresh token they used: parallel requests share one. */
  private readonly refreshes = new Map<string, { at: number; result: Promise<SealedSession | SessionState> }>();
  private readonly portalUrl: URL;
  private discovered: Promise<client.Configuration> | undefined;

  /** Checks the settings (throws naming the one that is wrong); the provider is asked at the first sign-in. */
  constructor(private readonly settings: OidcSettings) {
    const url = (value: string, name: string): URL => {
      try {
        const parsed = new URL(value);
        if (parsed.protocol !== 'https:' && !isLoopback(parsed)) throw new Error('not https');
        return parsed;
      } catch {
        throw new Error(`${name} must be an https URL (http only on 127.0.0.1 or localhost), got ${JSON.stringify(value)}`);
      }
    };
    this.issuer = url(settings.issuer, 'DRPLANE_OIDC_ISSUER');
    this.portalUrl = url(settings.portalUrl, 'DRPLANE_PORTAL_URL');
    if (!settings.clientId) throw new Error('DRPLANE_OIDC_CLIENT_ID is empty: set the client ID the provider gave the portal');
    this.sessionSeconds = settings.sessionSeconds ?? DEFAULT_SESSION_SECONDS;
    if (!Number.isInteger(this.sessionSeconds) || this.sessionSeconds < 60)
      throw new Error(
        `DRPLANE_PORTAL_SESSION_SECONDS must be a whole number of seconds, 60 or more (got ${this.sessionSeconds})`,
      );
    this.refreshSeconds = settings.refreshSeconds ?? DEFAULT_REFRESH_SECONDS;
    if (!Number.isInteger(this.refreshSeconds) || this.refreshSeconds < 10 || this.refreshSeconds > this.sessionSeconds)
      throw new Error(
        `DRPLANE_PORTAL_SESSION_REFRESH_SECONDS must be a whole number of seconds from 10 to the session length ${this.sessionSeconds} (got ${this.refreshSeconds})`,
      );
    this.now = settings.now ?? Date.now;
    this.jar = new CookieJar(settings.sessionSecret, this.portalUrl.protocol === 'https:', this.now);
  }

  /** The redirect URI registered at the provider. */
  get redirectUri(): string {
    return new URL('/auth/callback', this.portalUrl).href;
  }

  /** The provider's configuration, discovered once (asked again after a failure). */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(
        this.issuer,
        this.settings.clientId,
        this.settings.clientSecret,
        this.settings.clientSecret ? client.ClientSecretBasic(this.settings.clientSecret) : client.None(),
        isLoopback(this.issuer) ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((err: Error) => {
        this.discovered = undefined;
        throw new Error(`the identity provider ${this.issuer.href} did not answer its discovery request: ${err.message}`);
      });
    return this.discovered;
  }

  /**
   * The session of a request, as `revalidate` left it; a request it did not see gets the cookie's session only while
   * it needs no re-check.
   */
  session(c: Context): SessionState {
    const seen = this.checked.get(c.req.raw);
    if (seen) return seen;
    const state = this.sealed(c);
    if (!('value' in state)) return state;
    if (state.value.refreshToken && this.isStale(state.value))
      return { ended: 'your session must be re-checked with the identity provider: sign in again (/auth/login)', status: 401 };
    return { value: state.value.user, expires: state.expires };
  }

  /** The cookie's sealed session. */
  private sealed(c: Context): { value: SealedSession; expires: number } | { missing: true } | { expired: number } {
    const state = this.jar.get<unknown>(c, SESSION);
    if (!('value' in state)) return state;
    return isSealedSession(state.value) ? { value: state.value, expires: state.expires } : { missing: true };
  }

  private isStale(session: SealedSession): boolean {
    return this.now() - session.checkedAt >= this.refreshSeconds * 1000;
  }

  /**
   * Middleware step: re-checks a session last checked more than `refreshSeconds` ago with the provider (refresh token
   * grant: a new ID token, or userinfo, gives the current groups) and reseals it on the response, keeping its end. A
   * refusal by the provider ends the session (401, cookie cleared); a provider that cannot be reached is a 503 (the
   * cookie kept, to retry). `session(c)` then answers what was decided.
   */
  async revalidate(c: Context): Promise<void> {
    const state = this.sealed(c);
    // A session without a refresh token cannot be re-checked: it ends with its ID token (sealed at the callback).
    if (!('value' in state) || !state.value.refreshToken || !this.isStale(state.value)) {
      this.checked.set(c.req.raw, 'value' in state ? { value: state.value.user, expires: state.expires } : state);
      return;
    }
    const refreshToken = state.value.refreshToken;
    const now = this.now();
    for (const [token, entry] of this.refreshes) if (now - entry.at > REFRESHED_KEPT_MS) this.refreshes.delete(token);
    let entry = this.refreshes.get(refreshToken);
    if (!entry) {
      entry = { at: now, result: this.refresh(state.value) };
      this.refreshes.set(refreshToken, entry);
    }
    const result = await entry.result;
    if (!isSealedSession(result)) {
      if ('ended' in result && result.status === 401) this.jar.clear(c, SESSION);
      if ('ended' in result && result.status === 503) this.refreshes.delete(refreshToken);
      this.checked.set(c.req.raw, result);
      return;
    }
    try {
      this.jar.set(c, SESSION, result, 0, state.expires);
    } catch (err) {
      this.jar.clear(c, SESSION);
      this.checked.set(c.req.raw, { ended: `${(err as Error).message}: sign in again (/auth/login)`, status: 401 });
      return;
    }
    this.checked.set(c.req.raw, { value: result.user, expires: state.expires });
  }

  /** The session refreshed at the provider's token endpoint, or why it ended. */
  private async refresh(session: SealedSession): Promise<SealedSession | SessionState> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch (err) {
      return { ended: `${(err as Error).message}; your session could not be re-checked, try again shortly`, status: 503 };
    }
    const groupsClaim = this.settings.groupsClaim ?? 'groups';
    try {
      const tokens = await client.refreshTokenGrant(config, session.refreshToken!);
      const claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
      const sub = session.user.sub;
      if (claims.sub !== undefined && sub !== undefined && claims.sub !== sub)
        return { ended: 'the identity provider answered for another user: sign in again (/auth/login)', status: 401 };
      if (claims[groupsClaim] === undefined && config.serverMetadata().userinfo_endpoint)
        Object.assign(claims, await client.fetchUserInfo(config, tokens.access_token, sub ?? client.skipSubjectCheck), claims);
      // A provider that returns neither an ID token nor userinfo keeps the groups it gave at sign-in.
      const user =
        claims[groupsClaim] === undefined
          ? session.user
          : userOf(
              { sub, iss: session.user.iss, preferred_username: session.user.user, email: session.user.email, ...claims },
              groupsClaim,
            );
      return { user, refreshToken: tokens.refresh_token ?? session.refreshToken, checkedAt: this.now() };
    } catch (err) {
      if (err instanceof client.ResponseBodyError)
        return {
          ended: `the identity provider ended your session (${err.error}${err.error_description ? `: ${err.error_description}` : ''}): sign in again (/auth/login)`,
          status: 401,
        };
      return {
        ended: `the identity provider could not re-check your session (${(err as Error).message}): try again shortly`,
        status: 503,
      };
    }
  }

  /** GET /auth/login[?back=/path]: to the provider's authorization endpoint, with PKCE, state and nonce. */
  async login(c: Context): Promise<Response> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch (err) {
      return failure(c, 502, (err as Error).message);
    }
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      back: localPath(c.req.query('back'), this.portalUrl),
    };
    this.jar.set(c, SIGN_IN, pending, SIGN_IN_SECONDS);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes ?? 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return c.redirect(url.href, 302);
  }

  /** GET /auth/callback: checks the provider's answer (state, PKCE, ID token and nonce) and opens the session. */
  async callback(c: Context): Promise<Response> {
    const pending = this.jar.get<PendingSignIn>(c, SIGN_IN);
    if (!('value' in pending)) {
      this.jar.clear(c, SIGN_IN);
      return failure(c, 400, 'this sign-in is unknown or took longer than 10 minutes: start it again');
    }
    // The state first, even for a refusal (audit 18 L2): an answer that is not this sign-in's leaves it going on.
    if (c.req.query('state') !== pending.value.state)
      return failure(c, 400, 'this answer does not belong to your sign-in (its state differs): finish the sign-in you started');
    this.jar.clear(c, SIGN_IN);
    const denied = c.req.query('error');
    if (denied)
      return failure(
        c,
        401,
        `the identity provider refused the sign-in: ${denied} ${c.req.query('error_description') ?? ''}`.trim(),
      );
    let user: SessionUser;
    let refreshToken: string | undefined;
    let idTokenEnd: number | undefined;
    try {
      const config = await this.configuration();
      // The URL the provider redirected to, as the provider saw it (behind a proxy the request's own URL differs).
      const current = new URL(this.redirectUri);
      current.search = new URL(c.req.url).search;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.value.verifier,
        expectedState: pending.value.state,
        expectedNonce: pending.value.nonce,
        idTokenExpected: true,
      });
      const claims: Record<string, unknown> = { ...tokens.claims() };
      const groupsClaim = this.settings.groupsClaim ?? 'groups';
      if (claims[groupsClaim] === undefined && config.serverMetadata().userinfo_endpoint)
        Object.assign(claims, await client.fetchUserInfo(config, tokens.access_token, String(claims.sub)), claims);
      user = userOf(claims, groupsClaim);
      refreshToken = tokens.refresh_token;
      idTokenEnd = typeof tokens.claims()?.exp === 'number' ? tokens.claims()!.exp * 1000 : undefined;
    } catch (err) {
      return failure(c, 401, `the identity provider's answer was not accepted: ${(err as Error).message}`);
    }
    const session: SealedSession = { user, ...(refreshToken ? { refreshToken } : {}), checkedAt: this.now() };
    // Without a refresh token the session cannot be re-checked: it lasts as long as the ID token, at most.
    const end = this.now() + this.sessionSeconds * 1000;
    try {
      this.jar.set(c, SESSION, session, 0, refreshToken || idTokenEnd === undefined ? end : Math.min(end, idTokenEnd));
    } catch (err) {
      return failure(c, 400, (err as Error).message);
    }
    return c.redirect(pending.value.back, 302);
  }

  /** POST /auth/logout: ends the session, then the provider's (RP-initiated logout) when it offers one. */
  async logout(c: Context): Promise<Response> {
    const state = this.sealed(c);
    this.jar.clear(c, SESSION);
    const home = new URL('/', this.portalUrl).href;
    const config = await this.configuration().catch(() => undefined);
    // Revoke the refresh token (RFC 7009), so a copy of the cookie dies at its next re-check.
    const refreshToken = 'value' in state ? state.value.refreshToken : undefined;
    if (refreshToken) {
      this.refreshes.delete(refreshToken);
      if (config?.serverMetadata().revocation_endpoint)
        await client
          .tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' })
          .catch((err: Error) => console.error(`portal: revoking a refresh token at sign-out failed: ${err.message}`));
    }
    if (!config?.serverMetadata().end_session_endpoint) return c.redirect(home, 303);
    const url = client.buildEndSessionUrl(config, { client_id: this.settings.clientId, post_logout_redirect_uri: home });
    return c.redirect(url.href, 303);
  }
}

/**
 * The session user of ID token (and userinfo) claims: a name, the email, the groups claim's strings, and the token's
 * `sub` and `iss` (the identity the audit log records beside the name).
 */
export function userOf(claims: Record<string, unknown>, groupsClaim: string): SessionUser {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  // An email the provider says it has not verified is not used (audit 18 L3): it would author commits.
  const email = claims.email_verified === false ? undefined : text(claims.email);
  const user = text(claims.preferred_username) ?? email ?? text(claims.sub);
  if (!user) throw new Error('the ID token names no user (no preferred_username, email or sub)');
  const raw = claims[groupsClaim];
  const groups = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [])
    .filter((g): g is string => typeof g === 'string')
    .map((g) => g.trim())
    .filter(Boolean);
  const sub = text(claims.sub);
  const iss = text(claims.iss);
  return {
    user,
    ...(email ? { email } : {}),
    groups: [...new Set(groups)].sort(),
    ...(sub ? { sub } : {}),
    ...(iss ? { iss } : {}),
  };
}

/**
 * OpenID Connect settings from the environment: DRPLANE_OIDC_ISSUER, DRPLANE_OIDC_CLIENT_ID,
 * DRPLANE_OIDC_CLIENT_SECRET_FILE (optional), DRPLANE_PORTAL_URL, DRPLANE_PORTAL_SESSION_SECRET_FILE,
 * DRPLANE_OIDC_SCOPES, DRPLANE_OIDC_GROUPS_CLAIM, DRPLANE_PORTAL_SESSION_SECONDS and
 * DRPLANE_PORTAL_SESSION_REFRESH_SECONDS (optional). Secrets are read from
 * files (a mounted Secret), never from the environment. Throws naming the variable that is missing or wrong.
 */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv, read: (file: string) => string): OidcSettings {
  const need = (name: string, what: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`DRPLANE_PORTAL_SIGN_IN=oidc needs ${name}: ${what}`);
    return value;
  };
  const secretFile = (name: string): string => {
    const file = env[name]!.trim();
    let text: string;
    try {
      text = read(file);
    } catch (err) {
      throw new Error(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return text.trim();
  };
  const seconds = env.DRPLANE_PORTAL_SESSION_SECONDS?.trim();
  if (seconds && !/^\d+$/.test(seconds))
    throw new Error(`DRPLANE_PORTAL_SESSION_SECONDS must be a whole number of seconds (got ${JSON.stringify(seconds)})`);
  const refresh = env.DRPLANE_PORTAL_SESSION_REFRESH_SECONDS?.trim();
  if (refresh && !/^\d+$/.test(refresh))
    throw new Error(`DRPLANE_PORTAL_SESSION_REFRESH_SECONDS must be a whole number of seconds (got ${JSON.stringify(refresh)})`);
  need('DRPLANE_PORTAL_SESSION_SECRET_FILE', 'a file holding at least 32 random characters (openssl rand -base64 48)');
  return {
    issuer: need('DRPLANE_OIDC_ISSUER', "the identity provider's issuer URL"),
    clientId: need('DRPLANE_OIDC_CLIENT_ID', 'the client ID the provider gave the portal'),
    ...(env.DRPLANE_OIDC_CLIENT_SECRET_FILE?.trim() ? { clientSecret: secretFile('DRPLANE_OIDC_CLIENT_SECRET_FILE') } : {}),
    portalUrl: need('DRPLANE_PORTAL_URL', "the portal's public URL (the redirect URI is <url>/auth/callback)"),
    ...(env.DRPLANE_OIDC_SCOPES?.trim() ? { scopes: env.DRPLANE_OIDC_SCOPES.trim() } : {}),
    ...(env.DRPLANE_OIDC_GROUPS_CLAIM?.trim() ? { groupsClaim: env.DRPLANE_OIDC_GROUPS_CLAIM.trim() } : {}),
    ...(seconds ? { sessionSeconds: Number(seconds) } : {}),
    ...(refresh ? { refreshSeconds: Number(refresh) } : {}),
    sessionSecret: secretFile('DRPLANE_PORTAL_SESSION_SECRET_FILE'),
  };
}
