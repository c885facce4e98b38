// OpenID Connect sign-in in a real browser (Debian's Chromium driven by playwright-core) against a real provider run
// in the test (oidc-provider): a team member signs in at the provider, commits a claim of their team (the commit's
// author is them), is refused another team's namespace (403, in the audit log), signs out (at the provider too), and
// meets an expired session. Locally the test skips when /usr/bin/chromium is missing; on CI (env CI) it fails instead.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import type { AuditEntry } from '../../src/portal/audit.js';
import { parseTeams } from '../../src/portal/identity.js';
import { OidcSignIn } from '../../src/portal/oidc.js';
import { CHROMIUM, missingChromium } from '../support/prerequisites.js';
import { type TestIdp, startIdp } from '../support/idp.js';
import { git, tempRepo } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(root, 'test-artifacts', 'portal-oidc');
const available = missingChromium() === undefined;
const run = available || process.env.CI ? describe : describe.skip;
const title = available
  ? 'portal sign-in with OpenID Connect in Chromium'
  : `portal sign-in with OpenID Connect in Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)`;
/** Session length of the portal under test. */
const SESSION_SECONDS = 3600;

run(title, () => {
  let repo: string;
  let out: string;
  let idp: TestIdp;
  let server: ServerType;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  /** How far the portal's clock is ahead of the real one (ms): moved to expire the session. */
  let clockAhead = 0;
  const audit: AuditEntry[] = [];
  /** What Chromium refused on the portal's pages under its Content-Security-Policy (none expected). */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium)`);
    out = mkdtempSync(join(tmpdir(), 'drplane-portal-page-'));
    const vite = await import('vite');
    await vite.build({
      configFile: join(root, 'portal', 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: out, emptyOutDir: true },
    });
    repo = tempRepo();
    // The portal listens first (the provider registers its redirect URI), then gets its app.
    const portal: { app?: Hono } = {};
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req, env) => portal.app!.fetch(req, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    idp = await startIdp(base, { alice: ['shop-devs'], bob: ['payments-devs'] });
    portal.app = createApp({
      repository: repo,
      staticDir: out,
      teams: { signIn: 'oidc', groups: parseTeams('shop-devs=team-shop;payments-devs=team-payments') },
      oidc: new OidcSignIn({
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        portalUrl: base,
        scopes: 'openid profile email groups',
        sessionSeconds: SESSION_SECONDS,
        sessionSecret: 'browser-test-session-secret-0123456789abcdef',
        now: () => Date.now() + clockAhead,
      }),
      audit: (line) => audit.push(JSON.parse(line) as AuditEntry),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    // Only the portal's pages count: the provider's pages are not under test.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text()) && page.url().startsWith(base)) cspViolations.push(m.text());
    });
    mkdirSync(shots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await idp?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });
  const input = (name: string) => page.locator(`[name="${name}"]`);
  const session = () => context.cookies(base).then((all) => all.find((c) => c.name === 'drplane_session'));

  /** Signs in at the provider's own pages as `user` (any password), consenting when asked. */
  async function signIn(user: string): Promise<void> {
    await page.getByTestId('sign-in').click();
    await page.waitForURL(`${idp.issuer}/**`);
    await page.locator('input[name="login"]').fill(user);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    // First sign-in of this user: the provider asks to authorize the portal.
    await page.waitForURL((url) => url.href.startsWith(base) || url.pathname.startsWith('/interaction/'));
    if (!page.url().startsWith(base)) await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.getByTestId('user').textContent(), { timeout: 10_000 }).toBe(user);
  }

  /** Fills a valid claim of `namespace` into the form. */
  async function fillClaim(name: string, namespace: string): Promise<void> {
    await expect.poll(() => input('metadata.name').count()).toBe(1);
    await input('metadata.name').fill(name);
    await input('metadata.namespace').fill(namespace);
    await input('spec.environment').fill('dev');
    await input('spec.profile').selectOption('test');
    await input('spec.regions.primary').selectOption('eu-west-1');
    await page.locator('label.chip', { hasText: /^eu-central-1$/ }).click();
    await input('enable-tables').check();
    await input('spec.tables[0].name').fill('orders');
    await input('spec.tables[0].hashKey.name').fill('orderId');
    await expect.poll(() => page.locator('#commit').isDisabled(), { timeout: 10_000 }).toBe(false);
  }

  it("signs a team member in at the provider, commits their team's claim with them as author", async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const answer = await page.goto(base);
    // Referrer-Policy same-origin (not no-referrer): the page's own POSTs carry its Origin, not `null` (audit 18 M3).
    expect(answer?.headers()['referrer-policy']).toBe('same-origin');
    expect(answer?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect.poll(() => page.getByTestId('sign-in').count(), { timeout: 10_000 }).toBe(1);
    expect(await session()).toBeUndefined();
    // Signed out, the page offers sign-in only: every read but the session question is a 401 (audit 18 M1).
    expect(await page.getByTestId('sign-in-needed').count()).toBe(1);
    expect(await input('metadata.name').count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/api/claims')).status)).toBe(401);
    await signIn('alice');
    expect(await page.getByTestId('namespaces').textContent()).toBe('team-shop');
    // Alice sees the claims of team-shop only: the repository's team-sandbox/minimal is not listed.
    await expect.poll(() => page.locator('#claims').textContent(), { timeout: 10_000 }).toContain('No claims in HEAD yet');
    expect(await page.locator('tr[data-claim]').count()).toBe(0);
    expect(await page.getByTestId('sign-in-needed').count()).toBe(0);
    const cookie = (await session())!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000 + SESSION_SECONDS - 60);
    expect(cookie.expires).toBeLessThan(Date.now() / 1000 + SESSION_SECONDS + 60);
    expect(await page.evaluate<string>('document.cookie')).not.toContain('drplane_session'); // HttpOnly: no script reads it
    await shot('01-signed-in');

    await fillClaim('shop', 'team-shop');
    await page.locator('#commit').click();
    const result = page.getByTestId('commit-result');
    await expect.poll(() => result.count(), { timeout: 10_000 }).toBe(1);
    const branch = /drplane\/claims\/team-shop-shop-[0-9a-f]{8}/.exec((await result.textContent()) ?? '')?.[0];
    expect(branch).toBeDefined();
    expect(git(repo, 'log', '-1', '--format=%an <%ae>', branch!)).toBe('alice <alice@example.org>');
    expect(git(repo, 'show', `${branch}:claims/team-shop/shop.yaml`)).toContain('name: shop');
    expect(audit.at(-1)).toMatchObject({
      who: 'alice',
      groups: ['shop-devs'],
      // The ID token's subject and issuer: the unique identity beside the name (audit 18 H3).
      sub: 'alice',
      iss: idp.issuer,
      action: 'claim.propose',
      target: 'team-shop/shop',
      from: '127.0.0.1',
      outcome: 'ok',
      status: 201, // the status answered (a new proposal branch), not a fixed 200
    });
    expect(audit.at(-2)).toMatchObject({ who: 'alice', action: 'claim.propose', outcome: 'attempted', status: 0 });
    await shot('02-committed');
    expect(errors).toEqual([]);
  }, 90_000);

  it("refuses another team's namespace (403), commits nothing and logs the refusal", async () => {
    const branches = git(repo, 'branch', '--list');
    await input('metadata.namespace').fill('team-payments');
    await expect.poll(() => page.locator('#commit').isDisabled(), { timeout: 10_000 }).toBe(false);
    await page.locator('#commit').click();
    await expect
      .poll(() => page.locator('.commit-error').textContent(), { timeout: 10_000 })
      .toContain('alice may not act on namespace team-payments');
    expect(git(repo, 'branch', '--list')).toBe(branches);
    expect(audit.at(-1)).toMatchObject({
      who: 'alice',
      action: 'claim.propose',
      target: 'team-payments/shop',
      outcome: 'refused',
      status: 403,
    });
    await shot('03-refused');
  }, 60_000);

  it('signs out of the portal and of the provider: writes are refused and the next sign-in asks again', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${idp.issuer}/**`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.getByTestId('sign-in').count(), { timeout: 10_000 }).toBe(1);
    expect(await session()).toBeUndefined();
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/claims', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: 'x: 1' });
      return res.status;
    });
    expect(status).toBe(401);
    expect(audit.at(-1)).toMatchObject({ who: 'anonymous', outcome: 'refused', status: 401 });
    // The provider's session ended too: signing in shows its sign-in form again.
    await page.getByTestId('sign-in').click();
    await page.waitForURL(`${idp.issuer}/**`);
    await expect.poll(() => page.locator('input[name="login"]').count(), { timeout: 10_000 }).toBe(1);
    await shot('04-signed-out');
    await page.goto(base);
  }, 60_000);

  it('refuses a write once the session has expired, and offers to sign in again', async () => {
    await expect.poll(() => page.getByTestId('sign-in').count(), { timeout: 10_000 }).toBe(1);
    await signIn('alice');
    await fillClaim('late', 'team-shop');
    const branches = git(repo, 'branch', '--list');
    clockAhead = (SESSION_SECONDS + 1) * 1000; // the session's end passes; the browser still sends the cookie
    await page.locator('#commit').click();
    await expect
      .poll(() => page.locator('.commit-error').textContent(), { timeout: 10_000 })
      .toMatch(/your session expired at \d{4}-/);
    await expect.poll(() => page.getByTestId('sign-in').count(), { timeout: 10_000 }).toBe(1);
    expect(git(repo, 'branch', '--list')).toBe(branches);
    expect(audit.at(-1)).toMatchObject({ who: 'anonymous', action: 'claim.propose', outcome: 'refused', status: 401 });
    await shot('05-expired');
  }, 90_000);

  it("ran sign-in, writes and sign-out under the portal's Content-Security-Policy without a violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
