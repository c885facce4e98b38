// The portal's write protection: requests from other sites, content types the API does not document, writes
// without credentials, and methods a path does not answer. Every refused write must leave git untouched.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import { claimYaml, git, tempRepo } from './helpers.js';

let repo: string;
let head: string;
beforeEach(() => {
  repo = tempRepo();
  head = git(repo, 'rev-parse', 'HEAD');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const json = (res: Response): Promise<any> => res.json();
const TOKEN = 's3cret';
const auth = { authorization: `Bearer ${TOKEN}` };
const FAILOVER = '/api/claims/team-sandbox/minimal/failover';
const failoverBody = JSON.stringify({ to: 'us-west-2', reason: 'drill' });

/** Nothing was committed: HEAD unchanged and no portal branch. */
function expectNoWrite(): void {
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'branch', '--list', 'drplane/*')).toBe('');
}

/** The two writes, with the headers given (the body's content type included). */
const writes = (headers: Record<string, string>) => [
  { path: '/api/claims', body: claimYaml(), headers: { 'content-type': 'application/yaml', ...headers } },
  { path: FAILOVER, body: failoverBody, headers: { 'content-type': 'application/json', ...headers } },
];

describe('requests from another site', () => {
  it.each([
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['an Origin on another port of the same host', { origin: 'http://localhost:3000' }],
    ['the opaque Origin null (sandboxed frame, file:)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: cross-site with a same-host Origin', { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' }],
  ])('refuses writes with %s (403), even with the token', async (_what, headers) => {
    const app = createApp({ repository: repo, token: TOKEN });
    for (const w of writes({ ...auth, ...headers })) {
      const res = await app.request(w.path, { method: 'POST', body: w.body, headers: w.headers });
      expect(res.status, w.path).toBe(403);
      expect(await json(res)).toMatchObject({ field: 'origin', error: expect.stringMatching(/cross-site/) });
    }
    expectNoWrite();
  });

  it('refuses the attack of the issue: a text/plain failover from another origin on a portal without a token', async () => {
    const app = createApp({ repository: repo });
    const res = await app.request(FAILOVER, {
      method: 'POST',
      body: failoverBody,
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expectNoWrite();
  });

  it('refuses cross-site posts to the analysis endpoints too', async () => {
    const app = createApp({ repository: repo });
    const res = await app.request('/api/validate', {
      method: 'POST',
      body: claimYaml(),
      headers: { 'content-type': 'application/yaml', origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('takes writes from its own pages, from clients that are no browser, and from configured origins', async () => {
    const app = createApp({ repository: repo, token: TOKEN, origins: ['https://portal.example.org'] });
    const own = { ...auth, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };
    expect(
      (await app.request('/api/claims', { method: 'POST', body: claimYaml('a'), headers: writes(own)[0]!.headers })).status,
    ).toBe(201);
    expect(
      (await app.request('/api/claims', { method: 'POST', body: claimYaml('b'), headers: writes(auth)[0]!.headers })).status,
    ).toBe(201);
    const proxied = { ...auth, origin: 'https://portal.example.org', 'sec-fetch-site': 'cross-site' };
    const res = await app.request(FAILOVER, { method: 'POST', body: failoverBody, headers: writes(proxied)[1]!.headers });
    expect(res.status).toBe(200);
  });

  it('lets reads from anywhere through (GET has no effect)', async () => {
    const app = createApp({ repository: repo });
    const res = await app.request('/api/claims', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(200);
  });
});

describe('content types the API does not document', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])(
    'refuses a claim sent as %j with 415 on every claim endpoint',
    async (type) => {
      const app = createApp({ repository: repo, token: TOKEN });
      for (const path of ['/api/validate', '/api/plan', '/api/cost', '/api/objectives', '/api/claims']) {
        const headers: Record<string, string> = { ...auth, ...(type ? { 'content-type': type } : {}) };
        const res = await app.request(path, { method: 'POST', body: claimYaml(), headers });
        expect(res.status, path).toBe(415);
        expect(await json(res), path).toMatchObject({ field: 'content-type' });
      }
      expectNoWrite();
    },
  );

  it.each(['text/plain', 'application/yaml', 'application/x-www-form-urlencoded'])(
    'refuses a failover sent as %s with 415',
    async (type) => {
      const app = createApp({ repository: repo, token: TOKEN });
      const res = await app.request(FAILOVER, { method: 'POST', body: failoverBody, headers: { ...auth, 'content-type': type } });
      expect(res.status).toBe(415);
      expect(await json(res)).toMatchObject({ field: 'content-type', error: expect.stringContaining('application/json') });
      expectNoWrite();
    },
  );

  it('documents exactly the content types it accepts', async () => {
    const doc = await json(await createApp({ repository: repo }).request('/api/openapi.json'));
    expect(Object.keys(doc.paths['/api/claims'].post.requestBody.content).sort()).toEqual(
      ['application/json', 'application/x-yaml', 'application/yaml', 'text/yaml'].sort(),
    );
    expect(Object.keys(doc.paths['/api/claims/{namespace}/{name}/failover'].post.requestBody.content)).toEqual([
      'application/json',
    ]);
  });
});

describe('writes without credentials', () => {
  it('refuses every write when the portal has no token and no opt-in (403, read-only), and says how to enable writes', async () => {
    const app = createApp({ repository: repo });
    for (const w of writes({})) {
      const res = await app.request(w.path, { method: 'POST', body: w.body, headers: w.headers });
      expect(res.status, w.path).toBe(403);
      const body = await json(res);
      expect(body.field).toBe('authorization');
      expect(body.error).toContain('DRPLANE_PORTAL_TOKEN');
      expect(body.error).toContain('DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1');
    }
    expectNoWrite();
    expect((await json(await app.request('/api/schema'))).writes).toBe('off');
    // Reads and analysis still work.
    const valid = await app.request('/api/validate', {
      method: 'POST',
      body: claimYaml(),
      headers: { 'content-type': 'application/yaml' },
    });
    expect(valid.status).toBe(200);
  });

  it('refuses every write without the token, or with a wrong one, when the portal has one (401)', async () => {
    const app = createApp({ repository: repo, token: TOKEN, allowUnauthenticatedWrites: true });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }] as Record<string, string>[]) {
      for (const w of writes(headers)) {
        const res = await app.request(w.path, { method: 'POST', body: w.body, headers: w.headers });
        expect(res.status, `${w.path} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
    expectNoWrite();
    expect((await json(await app.request('/api/schema'))).writes).toBe('token');
  });

  it('takes writes without a token only when the operator opted in', async () => {
    const app = createApp({ repository: repo, allowUnauthenticatedWrites: true });
    expect((await json(await app.request('/api/schema'))).writes).toBe('open');
    const [claim, fail] = writes({});
    expect((await app.request(claim!.path, { method: 'POST', body: claim!.body, headers: claim!.headers })).status).toBe(201);
    expect((await app.request(fail!.path, { method: 'POST', body: fail!.body, headers: fail!.headers })).status).toBe(200);
  });
});

describe('methods a path does not answer', () => {
  it.each([
    ['GET', '/api/validate', 'POST'],
    ['GET', '/api/plan', 'POST'],
    ['GET', FAILOVER, 'POST'],
    ['PUT', '/api/claims', 'GET, POST'],
    ['DELETE', '/api/claims', 'GET, POST'],
    ['POST', '/api/schema', 'GET'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await createApp({ repository: repo }).request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect((await json(res)).error).toMatch(/not allowed/);
  });

  it('still answers an unknown path with 404', async () => {
    expect((await createApp({ repository: repo }).request('/api/nope', { method: 'POST' })).status).toBe(404);
  });
});
