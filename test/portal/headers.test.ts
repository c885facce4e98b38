// The portal's security headers (audit 18 M3) on pages, API answers and errors alike.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import { tempRepo } from './helpers.js';

let repo: string;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** The policy the built page runs under (test/portal/browser.test.ts runs it in Chromium). */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

it('forbids framing and sniffing, and keeps the Origin of same-origin POSTs, on every answer', async () => {
  const app = createApp({ repository: repo });
  const answers = [
    await app.request('/'),
    await app.request('/api/health'),
    await app.request('/api/nothing'), // 404
    await app.request('/api/health', { method: 'DELETE' }), // 405
    await app.request('/api/validate', { method: 'POST', headers: { origin: 'https://evil.example' }, body: 'x' }), // 403
  ];
  expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 405, 403]);
  for (const res of answers) {
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // Not no-referrer: under it Chromium sends `Origin: null` on the page's own POSTs, which the origin check refuses.
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  }
});

it('serves the not-built page without inline style, so the policy does not block it', async () => {
  const res = await createApp({ repository: repo }).request('/');
  const html = await res.text();
  expect(html).toContain('npm run build');
  expect(html).not.toMatch(/\sstyle=|<style|<script/);
});
