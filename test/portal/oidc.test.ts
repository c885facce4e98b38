/**
 * OpenID Connect sign-in, below the browser (test/portal/oidc-browser.test.ts runs the whole flow in Chromium): the
 * sealed session cookie, the user an ID token names, the settings read from the environment, and the portal's
 * /auth routes against a real provider (oidc-provider) — PKCE, state and nonce sent, cookie attributes, refusals.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import type { AuditEntry } from '../../src/portal/audit.js';
import { type SessionUser, parseTeams } from '../../src/portal/identity.js';
import { OidcSignIn, oidcSettingsFromEnv, userOf } from '../../src/portal/oidc.js';
import { CookieJar } from '../../src/portal/session.js';
import { type TestIdp, startIdp } from '../support/idp.js';
import { claimYaml, tempRepo } from './helpers.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';

/** A Hono app that sets cookie `name` to `value` for `seconds` through `jar`, and reads it back. */
function jarApp(jar: CookieJar) {
  const app = new Hono();
  app.get('/set', (c) => {
    jar.set(c, c.req.query('name')!, { user: 'alice' }, Number(c.req.query('seconds')));
    return c.text('ok');
  });
  app.get('/get', (c) => c.json(jar.get(c, c.req.query('name')!)));
  return app;
}

/** The name=value part of a Set-Cookie header. */
const pair = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

describe('the sealed session cookie', () => {
  it('opens what it sealed, with its expiry, and is HttpOnly, SameSite=Lax, Max-Age the session length', async () => {
    let now = 1_000_000;
    const app = jarApp(new CookieJar(SECRET, false, () => now));
    const set = await app.request('/set?name=drplane_session&seconds=3600');
    const header = set.headers.get('set-cookie')!;
    expect(header).toMatch(/^drplane_session=[\w-]+; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(header).not.toContain('alice'); // sealed, not readable
    const get = (name = 'drplane_session', cookie = pair(set)) =>
      Promise.resolve(app.request(`/get?name=${name}`, { headers: { cookie } })).then((r) => r.json());
    expect(await get()).toEqual({ value: { user: 'alice' }, expires: 1_000_000 + 3_600_000 });
    now += 3_600_000;
    expect(await get()).toEqual({ expired: 1_000_000 + 3_600_000 });
  });

  it('refuses a forged or altered cookie, one sealed with another secret, and one sealed under another name', async () => {
    const jar = new CookieJar(SECRET, false);
    const app = jarApp(jar);
    const value = pair(await app.request('/set?name=drplane_signin&seconds=600')).split('=')[1]!;
    const get = (cookie: string, name = 'drplane_session') =>
      Promise.resolve(app.request(`/get?name=${name}`, { headers: { cookie } })).then((r) => r.json());
    expect(await get(`drplane_signin=${value}`, 'drplane_signin')).toMatchObject({ value: { user: 'alice' } });
    // The sign-in cookie's value cannot pass for a session: the cookie's name is sealed in.
    expect(await get(`drplane_session=${value}`)).toEqual({ missing: true });
    const flipped = Buffer.from(value, 'base64url');
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 1) ^ 1, flipped.length - 1);
    expect(await get(`drplane_signin=${flipped.toString('base64url')}`, 'drplane_signin')).toEqual({ missing: true });
    const other = jarApp(new CookieJar('another-secret-of-at-least-32-characters!', false));
    expect(
      await (await other.request('/get?name=drplane_signin', { headers: { cookie: `drplane_signin=${value}` } })).json(),
    ).toEqual({ missing: true });
    expect(await get('drplane_session=not-base64-at-all!')).toEqual({ missing: true });
  });

  it('uses the __Host- prefix and Secure on https, and refuses a short secret', async () => {
    const set = await jarApp(new CookieJar(SECRET, true)).request('/set?name=drplane_session&seconds=60');
    expect(set.headers.get('set-cookie')).toMatch(
      /^__Host-drplane_session=[\w-]+; Max-Age=60; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(() => new CookieJar('short', false)).toThrow(/5 characters; it needs at least 32/);
    // A cookie browsers would drop (many groups) is refused when it is written, not lost silently.
    const big = new Hono().get('/', (c) => {
      new CookieJar(SECRET, false).set(c, 'drplane_session', { groups: Array.from({ length: 300 }, (_, i) => `group-${i}`) }, 60);
      return c.text('ok');
    });
    const answer = await big.request('/');
    expect(answer.status).toBe(500);
    expect(answer.headers.get('set-cookie')).toBeNull();
  });
});

describe('the user an ID token names', () => {
  it('takes preferred_username, else email, else sub; groups from the configured claim, sorted and unique; sub and iss kept', () => {
    const iss = 'https://id.example.org';
    expect(userOf({ iss, sub: 's1', preferred_username: 'alice', email: 'a@x.org', groups: ['b', 'a', 'b'] }, 'groups')).toEqual({
      user: 'alice',
      email: 'a@x.org',
      groups: ['a', 'b'],
      sub: 's1',
      iss,
    });
    expect(userOf({ sub: 's1', email: 'a@x.org', roles: 'ops, dev' }, 'roles')).toEqual({
      user: 'a@x.org',
      email: 'a@x.org',
      groups: ['dev', 'ops'],
      sub: 's1',
    });
    expect(userOf({ sub: 's1' }, 'groups')).toEqual({ user: 's1', groups: [], sub: 's1' });
    // An email the provider has not verified is dropped (audit 18 L3); the name falls back past it.
    expect(userOf({ sub: 's1', email: 'ceo@corp.example', email_verified: false }, 'groups')).toEqual({
      user: 's1',
      groups: [],
      sub: 's1',
    });
    expect(() => userOf({ preferred_username: ' ' }, 'groups')).toThrow(/names no user/);
  });
});

describe('settings from the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drplane-oidc-env-'));
  const secretFile = join(dir, 'session');
  writeFileSync(secretFile, `${SECRET}\n`);
  const base = {
    DRPLANE_OIDC_ISSUER: 'https://id.example.org',
    DRPLANE_OIDC_CLIENT_ID: 'drplane-portal',
    DRPLANE_PORTAL_URL: 'https://portal.example.org',
    DRPLANE_PORTAL_SESSION_SECRET_FILE: secretFile,
  };
  const read = (file: string) => (file === secretFile ? `${SECRET}\n` : (undefined as never as string));

  it('reads them, the secrets from files', () => {
    const client = join(dir, 'client');
    writeFileSync(client, 'client-secret\n');
    const settings = oidcSettingsFromEnv(
      {
        ...base,
        DRPLANE_OIDC_CLIENT_SECRET_FILE: client,
        DRPLANE_PORTAL_SESSION_SECONDS: '900',
        DRPLANE_OIDC_GROUPS_CLAIM: 'roles',
      },
      (f) => (f === client ? 'client-secret\n' : read(f)),
    );
    expect(settings).toEqual({
      issuer: 'https://id.example.org',
      clientId: 'drplane-portal',
      clientSecret: 'client-secret',
      portalUrl: 'https://portal.example.org',
      groupsClaim: 'roles',
      sessionSeconds: 900,
      sessionSecret: SECRET,
    });
    expect(new OidcSignIn(settings).redirectUri).toBe('https://portal.example.org/auth/callback');
  });

  it.each([
    ['DRPLANE_OIDC_ISSUER', { DRPLANE_OIDC_ISSUER: '' }, /needs DRPLANE_OIDC_ISSUER/],
    ['DRPLANE_OIDC_CLIENT_ID', { DRPLANE_OIDC_CLIENT_ID: undefined }, /needs DRPLANE_OIDC_CLIENT_ID/],
    ['DRPLANE_PORTAL_URL', { DRPLANE_PORTAL_URL: undefined }, /needs DRPLANE_PORTAL_URL/],
    [
      'DRPLANE_PORTAL_SESSION_SECRET_FILE',
      { DRPLANE_PORTAL_SESSION_SECRET_FILE: undefined },
      /needs DRPLANE_PORTAL_SESSION_SECRET_FILE/,
    ],
    [
      'an unreadable secret file',
      { DRPLANE_PORTAL_SESSION_SECRET_FILE: join(dir, 'nope') },
      /SESSION_SECRET_FILE: cannot read .*nope/,
    ],
    ['DRPLANE_PORTAL_SESSION_SECONDS', { DRPLANE_PORTAL_SESSION_SECONDS: '8h' }, /whole number of seconds \(got "8h"\)/],
  ])('names %s when it is missing or wrong', (_what, change, message) => {
    const env = { ...base, ...change } as NodeJS.ProcessEnv;
    expect(() =>
      oidcSettingsFromEnv(env, (f) => {
        if (f !== secretFile) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
        return SECRET;
      }),
    ).toThrow(message);
  });

  it('refuses an http issuer or portal URL other than loopback, and a session shorter than a minute', () => {
    const settings = {
      issuer: 'https://id.example.org',
      clientId: 'c',
      portalUrl: 'https://p.example.org',
      sessionSecret: SECRET,
    };
    expect(() => new OidcSignIn({ ...settings, issuer: 'http://id.example.org' })).toThrow(
      /DRPLANE_OIDC_ISSUER must be an https URL/,
    );
    expect(() => new OidcSignIn({ ...settings, portalUrl: 'portal' })).toThrow(/DRPLANE_PORTAL_URL must be an https URL/);
    expect(() => new OidcSignIn({ ...settings, sessionSeconds: 5 })).toThrow(/60 or more \(got 5\)/);
    expect(new OidcSignIn({ ...settings, issuer: 'http://127.0.0.1:9' })).toBeInstanceOf(OidcSignIn);
  });
});

/** A `cookie` header with a session of `user` sealed as the portal seals it (http: the name has no __Host- prefix). */
async function sessionCookie(user: SessionUser): Promise<string> {
  const jar = new CookieJar(SECRET, false);
  const app = new Hono();
  app.get('/', (c) => {
    jar.set(c, 'drplane_session', { user, checkedAt: Date.now() }, 600);
    return c.text('ok');
  });
  return pair(await app.request('/'));
}

describe('the /auth routes against a real provider', () => {
  const PORTAL = 'http://127.0.0.1:9'; // never reached: the app is called in-process
  let idp: TestIdp;
  let app: Hono;
  const lines: AuditEntry[] = [];

  beforeAll(async () => {
    idp = await startIdp(PORTAL, { alice: ['shop-devs'] });
    app = createApp({
      repository: tempRepo(),
      teams: { signIn: 'oidc', groups: parseTeams('shop-devs=team-shop;sandbox-devs=team-sandbox') },
      oidc: new OidcSignIn({
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        portalUrl: PORTAL,
        sessionSecret: SECRET,
      }),
      audit: (line) => lines.push(JSON.parse(line) as AuditEntry),
    });
  });
  afterAll(() => idp?.close());

  it('sends the browser to the provider with PKCE (S256), state and nonce, remembered in a sealed 10-minute cookie', async () => {
    const res = await app.request('/auth/login?back=/%23claims');
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/auth`);
    const q = Object.fromEntries(to.searchParams);
    expect(q).toMatchObject({
      client_id: 'drplane-portal',
      response_type: 'code',
      redirect_uri: `${PORTAL}/auth/callback`,
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(q.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(q.state).toMatch(/^[\w-]{43}$/);
    expect(q.nonce).toMatch(/^[\w-]{43}$/);
    expect(res.headers.get('set-cookie')).toMatch(/^drplane_signin=[\w-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/);
    // A second sign-in gets fresh values.
    const again = new URL((await app.request('/auth/login')).headers.get('location')!);
    expect(again.searchParams.get('state')).not.toBe(q.state);
    expect(again.searchParams.get('code_challenge')).not.toBe(q.code_challenge);
  });

  it('keeps only a same-origin path to return to after sign-in (audit 18 H1: tab, newline, backslash, //, schemes)', async () => {
    const reader = jarApp(new CookieJar(SECRET, false));
    /** The `back` the sealed sign-in cookie remembers for /auth/login?back=<raw> (raw is put in the URL as is). */
    const back = async (raw: string) => {
      const login = await app.request(`/auth/login?back=${raw}`);
      const opened = (await (await reader.request('/get?name=drplane_signin', { headers: { cookie: pair(login) } })).json()) as {
        value: { back: string };
      };
      return opened.value.back;
    };
    const hostile = [
      '%2F%09%2Fevil.example', // /<tab>/evil.example: browsers drop the tab and go to //evil.example
      '/%09/evil.example',
      '/%0a/evil.example',
      '/%0d%0a/evil.example',
      '/%5Cevil.example', // /\evil.example
      '%5C%5Cevil.example',
      '/%5C/evil.example',
      '//evil.example',
      '%2F%2Fevil.example',
      '///evil.example',
      'https://evil.example/',
      'https:%2F%2Fevil.example',
      'javascript:alert(1)',
      'evil.example',
      '/%00/evil.example',
    ];
    for (const raw of hostile) {
      const kept = await back(raw);
      expect(kept, raw).toBe('/');
    }
    // Same-origin paths survive, with their query and fragment; every kept value stays on the portal's origin.
    expect(await back('/%23claims')).toBe('/#claims');
    expect(await back('/claims%3Fns%3Dteam-shop')).toBe('/claims?ns=team-shop');
    for (const raw of [...hostile, '/%23claims']) expect(new URL(await back(raw), PORTAL).origin).toBe(PORTAL);
  });

  it('refuses a callback without its sign-in cookie (400) and a refusal of the provider (401)', async () => {
    const unknown = await app.request('/auth/callback?code=x&state=y');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('this sign-in is unknown');
    const login = await app.request('/auth/login');
    const cookie = pair(login);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const denied = await app.request(`/auth/callback?error=access_denied&state=${state}`, { headers: { cookie } });
    expect(denied.status).toBe(401);
    expect(await denied.text()).toContain('the identity provider refused the sign-in: access_denied');
    // A refusal with another state (anyone can send one) is not this sign-in's: it goes on (audit 18 L2).
    const pending = await app.request('/auth/login');
    const aborted = await app.request('/auth/callback?error=access_denied&state=not-yours', {
      headers: { cookie: pair(pending) },
    });
    expect(aborted.status).toBe(400);
    expect(await aborted.text()).toContain('does not belong to your sign-in');
    expect(aborted.headers.get('set-cookie')).toBeNull();
    // A made-up code with the right state: the provider refuses it, and no session is opened.
    const forged = await app.request(`/auth/callback?code=made-up&state=${state}&iss=${encodeURIComponent(idp.issuer)}`, {
      headers: { cookie },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).not.toMatch(/drplane_session=[\w-]/);
  });

  it('answers who is signed in (nobody) and refuses a write without a session, audited as anonymous', async () => {
    expect(await (await app.request('/api/session')).json()).toEqual({
      signIn: 'oidc',
      signedIn: false,
      reason: 'sign in first (/auth/login)',
    });
    // Reads need a session too (audit 18 M1); the page learns how to sign in from /api/session.
    const schema = await app.request('/api/schema');
    expect(schema.status).toBe(401);
    expect(await schema.json()).toMatchObject({ error: 'sign in first (/auth/login)', field: 'session' });
    const res = await app.request('/api/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: claimYaml('shop', 'team-shop'),
    });
    expect(res.status).toBe(401);
    expect(lines.at(-1)).toMatchObject({ who: 'anonymous', action: 'claim.propose', outcome: 'refused', status: 401 });
  });

  it("reads with a session: the schema, and only the claims of the user's namespaces (audit 18 M1)", async () => {
    const signedIn = { cookie: await sessionCookie({ user: 'alice', email: 'alice@example.org', groups: ['shop-devs'] }) };
    const schema = await app.request('/api/schema', { headers: signedIn });
    expect(await schema.json()).toMatchObject({ tokenRequired: false, signIn: 'oidc', writes: 'open' });
    // The repository holds team-sandbox/minimal only: not alice's.
    expect((await (await app.request('/api/claims')).json()) as object).toMatchObject({ field: 'session' });
    expect(await (await app.request('/api/claims', { headers: signedIn })).json()).toEqual({ claims: [], source: 'git HEAD' });
    const sandbox = { cookie: await sessionCookie({ user: 'sam', groups: ['sandbox-devs'] }) };
    const listed = (await (await app.request('/api/claims', { headers: sandbox })).json()) as { claims: { name: string }[] };
    expect(listed.claims.map((c) => c.name)).toEqual(['minimal']);
    const forged = { cookie: signedIn.cookie.replace(/=(.)/, (_, ch: string) => `=${ch === 'A' ? 'B' : 'A'}`) };
    expect((await app.request('/api/claims', { headers: forged })).status).toBe(401);
  });

  it("audits the ID token's sub and iss beside the name (audit 18 H3: the name is not unique)", async () => {
    const cookie = await sessionCookie({
      user: 'alice',
      email: 'alice@example.org',
      groups: ['shop-devs'],
      sub: 'a1b2c3',
      iss: 'https://id.example.org',
    });
    const res = await app.request('/api/claims', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/yaml' },
      body: claimYaml('audited', 'team-shop'),
    });
    expect(res.status).toBe(201);
    const mine = lines.filter((l) => l.target === 'team-shop/audited');
    expect(mine.map((l) => [l.outcome, l.who, l.sub, l.iss])).toEqual([
      ['attempted', 'alice', 'a1b2c3', 'https://id.example.org'],
      ['ok', 'alice', 'a1b2c3', 'https://id.example.org'],
    ]);
  });

  it("signs out: clears the session and goes to the provider's end-session endpoint; a cross-site sign-out is refused", async () => {
    const res = await app.request('/auth/logout', { method: 'POST' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(Object.fromEntries(to.searchParams)).toEqual({ client_id: 'drplane-portal', post_logout_redirect_uri: `${PORTAL}/` });
    expect(res.headers.get('set-cookie')).toMatch(/^drplane_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/);
    const cross = await app.request('/auth/logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example', host: '127.0.0.1:9' },
    });
    expect(cross.status).toBe(403);
    expect((await app.request('/auth/logout')).status).toBe(405);
  });
});

/** The cookies a response sets, as `name=value` (a cleared one as `name=`). */
const setCookies = (res: Response): string[] => res.headers.getSetCookie().map((h) => h.split(';')[0]!);

/**
 * Signs `login` in to `app` through the provider's own pages, over HTTP as a browser would (login form, then consent);
 * the session cookie the callback sets.
 */
async function signInOverHttp(app: Hono, login: string): Promise<string> {
  const start = await app.request('/auth/login');
  const signInCookie = pair(start);
  const jar = new Map<string, string>();
  const visit = async (url: string, form?: Record<string, string>): Promise<Response> => {
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of setCookies(res)) jar.set(c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1));
    return res;
  };
  let url = start.headers.get('location')!;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith('http://127.0.0.1:9/')) {
      const callback = new URL(url);
      const res = await app.request(callback.pathname + callback.search, { headers: { cookie: signInCookie } });
      const session = setCookies(res).find((c) => c.startsWith('drplane_session=') && c !== 'drplane_session=');
      if (!session) throw new Error(`no session after the callback: ${res.status} ${await res.text()}`);
      return session;
    }
    let res = await visit(url);
    const page = url.match(/\/interaction\/([\w-]+)$/);
    if (page) {
      const prompt = (await res.text()).includes('name="login"') ? 'login' : 'consent';
      res = await visit(`${new URL(url).origin}/interaction/${page[1]}`, {
        prompt,
        ...(prompt === 'login' ? { login, password: 'any' } : {}),
      });
    }
    url = new URL(res.headers.get('location')!, url).href;
  }
  throw new Error('the sign-in did not come back to the portal');
}

describe('sessions re-checked with the provider (audit 18 M2: revocation, groups not frozen for 8 h)', () => {
  const PORTAL = 'http://127.0.0.1:9';
  const groups: Record<string, string[]> = { alice: ['shop-devs'], bob: ['shop-devs'] };
  let idp: TestIdp;
  let app: Hono;
  let now = Date.now();
  const lines: AuditEntry[] = [];

  beforeAll(async () => {
    idp = await startIdp(PORTAL, groups);
    app = createApp({
      repository: tempRepo(),
      teams: { signIn: 'oidc', groups: parseTeams('shop-devs=team-shop') },
      oidc: new OidcSignIn({
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        portalUrl: PORTAL,
        sessionSecret: SECRET,
        scopes: 'openid profile email groups',
        refreshSeconds: 300,
        now: () => now,
      }),
      audit: (line) => lines.push(JSON.parse(line) as AuditEntry),
    });
  });
  afterAll(() => idp?.close());

  const session = async (cookie: string) =>
    (await (await app.request('/api/session', { headers: { cookie } })).json()) as {
      signedIn: boolean;
      groups?: string[];
      reason?: string;
    };

  it('re-reads the groups after the refresh interval: a user taken out of a group loses its namespace', async () => {
    const cookie = await signInOverHttp(app, 'alice');
    expect(await session(cookie)).toMatchObject({ signedIn: true, groups: ['shop-devs'], namespaces: ['team-shop'] });
    groups.alice = [];
    // Within the interval the session is not asked about (the documented window).
    now += 299_000;
    expect(await session(cookie)).toMatchObject({ groups: ['shop-devs'] });
    now += 2_000;
    const refreshed = await app.request('/api/session', { headers: { cookie } });
    expect(await refreshed.json()).toMatchObject({ signedIn: true, groups: [], namespaces: [] });
    const resealed = setCookies(refreshed).find((c) => c.startsWith('drplane_session='))!;
    expect(resealed).toMatch(/^drplane_session=[\w-]+$/);
    const write = await app.request('/api/claims', {
      method: 'POST',
      headers: { cookie: resealed, 'content-type': 'application/yaml' },
      body: claimYaml('shop', 'team-shop'),
    });
    expect(write.status).toBe(403);
    expect(lines.at(-1)).toMatchObject({ who: 'alice', outcome: 'refused', status: 403 });
  });

  it('ends a copied cookie after sign-out: the refresh token is revoked, the copy fails at its next re-check', async () => {
    groups.bob = ['shop-devs'];
    const cookie = await signInOverHttp(app, 'bob');
    const copy = cookie;
    const out = await app.request('/auth/logout', { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(303);
    now += 301_000;
    const answer = await session(copy);
    expect(answer.signedIn).toBe(false);
    expect(answer.reason).toMatch(/^the identity provider ended your session \(invalid_grant/);
    const res = await app.request('/api/schema', { headers: { cookie: copy } });
    expect(res.status).toBe(401);
    expect(setCookies(res)).toContain('drplane_session=');
  });

  it('lets parallel requests with the same due cookie share one refresh (the provider rotates refresh tokens)', async () => {
    groups.bob = ['shop-devs'];
    const cookie = await signInOverHttp(app, 'bob');
    now += 301_000;
    const answers = await Promise.all([1, 2, 3].map(() => app.request('/api/schema', { headers: { cookie } })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('ends a session without a refresh token with its ID token (10 minutes here), not after the 8-hour session', async () => {
    const other = await startIdp(PORTAL, groups, { refreshTokens: false });
    try {
      // The ID token's exp is on the provider's (real) clock: start the portal's clock from it.
      now = Date.now();
      const start = now;
      const noRefresh = createApp({
        repository: tempRepo(),
        teams: { signIn: 'oidc', groups: parseTeams('shop-devs=team-shop') },
        oidc: new OidcSignIn({
          issuer: other.issuer,
          clientId: other.clientId,
          clientSecret: other.clientSecret,
          portalUrl: PORTAL,
          sessionSecret: SECRET,
          scopes: 'openid profile email groups',
          now: () => now,
        }),
      });
      groups.carol = ['shop-devs'];
      const cookie = await signInOverHttp(noRefresh, 'carol');
      const ask = async () =>
        (await (await noRefresh.request('/api/session', { headers: { cookie } })).json()) as {
          signedIn: boolean;
          expires?: string;
        };
      const answer = await ask();
      expect(answer.signedIn).toBe(true);
      // Within the ID token's 600 s, far below 8 h.
      expect(Date.parse(answer.expires!) - start).toBeLessThanOrEqual(600_000 + 5_000);
      now += 301_000; // no re-check is possible, the session goes on until the ID token ends
      expect((await ask()).signedIn).toBe(true);
      now += 600_000;
      expect((await ask()).signedIn).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('refuses a refresh interval below 10 s or above the session length', () => {
    const settings = { issuer: PORTAL, clientId: 'x', portalUrl: PORTAL, sessionSecret: SECRET };
    expect(() => new OidcSignIn({ ...settings, refreshSeconds: 5 })).toThrow(/DRPLANE_PORTAL_SESSION_REFRESH_SECONDS .* from 10/);
    expect(() => new OidcSignIn({ ...settings, sessionSeconds: 600, refreshSeconds: 900 })).toThrow(/session length 600/);
  });
});
