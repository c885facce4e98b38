/**
 * Sign-in through an authenticating proxy's headers, teams kept to their namespaces, and the audit log: a member's
 * claim is committed with them as author, another team's namespace is a 403 that is logged, the automation token
 * still writes, and every attempt leaves one audit line (who, what, when, from where, outcome).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import type { AuditEntry } from '../../src/portal/audit.js';
import { parseTeams } from '../../src/portal/identity.js';
import { parseTrustedProxies } from '../../src/portal/peer.js';
import { claimYaml, git, tempRepo } from './helpers.js';
import { parse, stringify } from 'yaml';
import { catalogLocation, estateEntity } from '../../src/backstage/catalog.js';

function portal() {
  const repository = tempRepo();
  const lines: AuditEntry[] = [];
  const app = createApp({
    repository,
    teams: {
      signIn: 'proxy',
      groups: parseTeams('shop-devs=team-shop; sandbox=team-sandbox; platform=*'),
      automationToken: 'automation-secret',
      // The oauth2-proxy sidecar (loopback) and the ingress controllers' pod network in front of it.
      trustedProxies: parseTrustedProxies('127.0.0.1/32, ::1/128, 10.0.0.0/8'),
    },
    audit: (line) => lines.push(JSON.parse(line) as AuditEntry),
  });
  return { app, repository, lines };
}

const as = (user: string, groups: string, extra: Record<string, string> = {}) => ({
  'x-forwarded-user': user,
  'x-forwarded-email': `${user}@example.org`,
  'x-forwarded-groups': groups,
  'x-forwarded-for': '203.0.113.7, 10.0.0.1',
  ...extra,
});

/** The request's socket as @hono/node-server hands it over: from `address` (default the sidecar proxy on loopback). */
const peer = (address = '127.0.0.1') => ({ incoming: { socket: { remoteAddress: address } } });

const postClaim = (app: ReturnType<typeof portal>['app'], headers: Record<string, string>, yaml: string, from: object = peer()) =>
  app.request('/api/claims', { method: 'POST', headers: { 'content-type': 'application/yaml', ...headers }, body: yaml }, from);

it("commits a team member's claim with the member as author, and audits it", async () => {
  const { app, repository, lines } = portal();
  const res = await postClaim(app, as('alice', 'shop-devs'), claimYaml('shop', 'team-shop'));
  expect(res.status).toBe(201);
  const { branch, commit } = (await res.json()) as { branch: string; commit: string };
  expect(git(repository, 'log', '-1', '--format=%an <%ae>', branch)).toBe('alice <alice@example.org>');
  // The committer is the portal (audit 18 L3): its commits are recognisable whoever authored them.
  expect(git(repository, 'log', '-1', '--format=%cn <%ce>', branch)).toBe('drplane portal <portal@drplane.invalid>');
  const line = {
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    who: 'alice',
    groups: ['shop-devs'],
    action: 'claim.propose',
    target: 'team-shop/shop',
    from: '203.0.113.7',
    peer: '127.0.0.1',
  };
  // An `attempted` line before git is touched, then the outcome with the status answered.
  expect(lines).toEqual([
    { ...line, outcome: 'attempted', status: 0 },
    { ...line, outcome: 'ok', status: 201, detail: `${branch} ${commit}` },
  ]);
});

it("refuses another team's namespace with 403, commits nothing, and logs the refusal", async () => {
  const { app, repository, lines } = portal();
  const branches = git(repository, 'branch', '--list');
  const res = await postClaim(app, as('bob', 'sandbox'), claimYaml('shop', 'team-shop'));
  expect(res.status).toBe(403);
  const body = (await res.json()) as { error: string; field: string };
  expect(body.error).toContain('bob may not act on namespace team-shop');
  expect(body.field).toBe('metadata.namespace');
  expect(git(repository, 'branch', '--list')).toBe(branches);
  expect(lines).toMatchObject([
    { who: 'bob', action: 'claim.propose', target: 'team-shop/shop', outcome: 'refused', status: 403 },
  ]);

  const failover = await app.request(
    '/api/claims/team-shop/shop/failover',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as('bob', 'sandbox') },
      body: JSON.stringify({ to: 'us-west-2', reason: 'drill' }),
    },
    peer(),
  );
  expect(failover.status).toBe(403);
  expect(lines[1]).toMatchObject({ who: 'bob', action: 'claim.failover', target: 'team-shop/shop', outcome: 'refused' });
});

it('fails over a claim of your own namespace with you as the commit author', async () => {
  const { app, repository, lines } = portal();
  const res = await app.request(
    '/api/claims/team-sandbox/minimal/failover',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as('carol', 'sandbox') },
      body: JSON.stringify({ to: 'us-west-2', reason: 'drill' }),
    },
    peer(),
  );
  expect(res.status).toBe(200);
  expect(git(repository, 'log', '-1', '--format=%an <%ae>')).toBe('carol <carol@example.org>');
  expect(lines).toMatchObject([
    { who: 'carol', action: 'claim.failover', target: 'team-sandbox/minimal', outcome: 'attempted' },
    { who: 'carol', action: 'claim.failover', target: 'team-sandbox/minimal', outcome: 'ok', status: 200 },
  ]);
});

it('needs a signed-in user (401, audited as anonymous); the automation token acts on any namespace', async () => {
  const { app, lines } = portal();
  expect((await postClaim(app, {}, claimYaml('shop', 'team-shop'))).status).toBe(401);
  expect(lines[0]).toMatchObject({ who: 'anonymous', outcome: 'refused', status: 401 });
  expect((await postClaim(app, { authorization: 'Bearer wrong' }, claimYaml('shop', 'team-shop'))).status).toBe(401);
  const res = await postClaim(app, { authorization: 'Bearer automation-secret' }, claimYaml('shop', 'team-shop'));
  expect(res.status).toBe(201);
  expect(lines.slice(2)).toMatchObject([
    { who: 'automation', outcome: 'attempted' },
    { who: 'automation', outcome: 'ok', status: 201 },
  ]);
  // A user in a group mapped to `*` acts on every namespace.
  expect((await postClaim(app, as('dana', 'platform'), claimYaml('other', 'team-other'))).status).toBe(201);
});

it('names the bad entry of DRPLANE_PORTAL_TEAMS', () => {
  expect(parseTeams('a=team-a,team-b;b=*')).toEqual({ a: ['team-a', 'team-b'], b: ['*'] });
  expect(() => parseTeams('a=team-a;oops')).toThrow(/"oops" is not group=namespace/);
});

it('takes identity headers only from a trusted proxy: a client reaching the portal directly is a 401 (audit 18 C1)', async () => {
  const { app, repository, lines } = portal();
  const branches = git(repository, 'branch', '--list');
  const head = git(repository, 'rev-parse', 'HEAD');
  const spoof = as('ceo', 'platform', { 'x-forwarded-for': '10.99.99.99' });
  // From a pod address outside the trusted list, and from an IPv4 address on an IPv6 socket.
  for (const address of ['192.168.7.9', '::ffff:192.168.7.9']) {
    const res = await postClaim(app, spoof, claimYaml('prod', 'team-payments'), peer(address));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toContain('192.168.7.9 is not one');
    const failover = await app.request(
      '/api/claims/team-sandbox/minimal/failover',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spoof },
        body: JSON.stringify({ to: 'us-west-2', reason: 'x', unplanned: true }),
      },
      peer(address),
    );
    expect(failover.status).toBe(401);
  }
  // Without a socket peer at all (nothing to trust), the same.
  expect((await postClaim(app, spoof, claimYaml('prod', 'team-payments'), {})).status).toBe(401);
  expect(git(repository, 'branch', '--list')).toBe(branches);
  expect(git(repository, 'rev-parse', 'HEAD')).toBe(head);
  // Audited as anonymous, from the socket's peer: the client's own X-Forwarded-For is ignored.
  expect(lines).toHaveLength(5);
  expect(lines.slice(0, 4)).toMatchObject([
    { who: 'anonymous', from: '192.168.7.9', peer: '192.168.7.9', outcome: 'refused', status: 401 },
    { who: 'anonymous', from: '192.168.7.9', action: 'claim.failover', outcome: 'refused', status: 401 },
    { who: 'anonymous', from: '192.168.7.9', outcome: 'refused', status: 401 },
    { who: 'anonymous', from: '192.168.7.9', outcome: 'refused', status: 401 },
  ]);
  expect(lines[4]).toMatchObject({ who: 'anonymous', from: 'unknown', status: 401 });
  // The default trusts loopback only.
  const loopback = parseTrustedProxies();
  expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map((a) => loopback.has(a))).toEqual([true, true, true]);
  expect(['10.0.0.1', '192.168.1.1', 'fe80::1', '', 'nonsense'].some((a) => loopback.has(a))).toBe(false);
  expect(() => parseTrustedProxies('10.0.0.0/8, 10.0.0/33')).toThrow(/"10.0.0\/33" is not an address or CIDR/);
});

it("audits the user's address behind the sidecar and the ingress controller, given the controllers' network (audit-18-close M-A)", async () => {
  // The deployed chain: user → ingress controller (10.x pod) → oauth2-proxy sidecar (loopback) → portal. oauth2-proxy
  // appends its peer, the controller, to X-Forwarded-For; identity headers are trusted from loopback only (C1).
  const audited = async (forwardedBy: string | undefined) => {
    const lines: AuditEntry[] = [];
    const app = createApp({
      repository: tempRepo(),
      teams: {
        signIn: 'proxy',
        groups: parseTeams('shop-devs=team-shop'),
        ...(forwardedBy ? { forwardedBy: parseTrustedProxies(forwardedBy, 'DRPLANE_PORTAL_FORWARDED_BY') } : {}),
      },
      audit: (line) => lines.push(JSON.parse(line) as AuditEntry),
    });
    const headers = as('alice', 'shop-devs', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.42.0.17' });
    expect((await postClaim(app, headers, claimYaml('shop', 'team-shop'))).status).toBe(201);
    // A forwarder is no identity proxy: the same headers straight from a controller pod are refused.
    expect((await postClaim(app, headers, claimYaml('shop2', 'team-shop'), peer('10.42.0.17'))).status).toBe(401);
    return lines.filter((l) => l.outcome === 'ok').map((l) => l.from);
  };
  expect(await audited(undefined)).toEqual(['10.42.0.17']);
  expect(await audited('10.42.0.0/16')).toEqual(['198.51.100.4']);
  expect(() => parseTrustedProxies('10.42.0.0/99', 'DRPLANE_PORTAL_FORWARDED_BY')).toThrow(
    /^DRPLANE_PORTAL_FORWARDED_BY: "10.42.0.0\/99" is not an address or CIDR/,
  );
});

it('audits from the right-most untrusted X-Forwarded-For hop behind a trusted proxy', async () => {
  const { app, lines } = portal();
  await postClaim(
    app,
    as('alice', 'shop-devs', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.1.2.3' }),
    claimYaml('shop', 'team-shop'),
  );
  expect(lines).toMatchObject([
    { who: 'alice', from: '198.51.100.4', peer: '127.0.0.1', outcome: 'attempted' },
    { who: 'alice', from: '198.51.100.4', peer: '127.0.0.1', outcome: 'ok' },
  ]);
});

it('refuses a write whose audit line cannot be written (503), before git is touched (audit 18 H3)', async () => {
  const repository = tempRepo();
  const app = createApp({
    repository,
    teams: { signIn: 'proxy', groups: parseTeams('shop-devs=team-shop') },
    audit: () => {
      throw new Error('ENOSPC: no space left on device');
    },
  });
  const branches = git(repository, 'branch', '--list');
  const res = await postClaim(app, as('alice', 'shop-devs'), claimYaml('shop', 'team-shop'));
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: string }).error).toContain('the audit log cannot be written (ENOSPC');
  expect(git(repository, 'branch', '--list')).toBe(branches);
});

it('answers a committed write with its real status when only the outcome line is lost (audit 18 close, finding 2)', async () => {
  const repository = tempRepo();
  let calls = 0;
  const app = createApp({
    repository,
    teams: { signIn: 'proxy', groups: parseTeams('shop-devs=team-shop') },
    audit: () => {
      calls += 1;
      if (calls > 1) throw new Error('ENOSPC: no space left on device');
    },
  });
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(' '));
  try {
    const res = await postClaim(app, as('alice', 'shop-devs'), claimYaml('shop', 'team-shop'));
    expect(res.status).toBe(201);
    const { branch } = (await res.json()) as { branch: string };
    expect(git(repository, 'log', '-1', '--format=%an', branch)).toBe('alice');
  } finally {
    console.error = original;
  }
  expect(errors).toEqual([expect.stringMatching(/^portal: audit line lost: claim\.propose team-shop\/shop 201 \(ENOSPC/)]);
});

it('needs a signed-in user for every read but the probes and the session question (audit 18 M1)', async () => {
  const { app } = portal();
  const reads: [string, string][] = [
    ['GET', '/api/claims'],
    ['GET', '/api/schema'],
    ['GET', '/api/openapi.json'],
    ['POST', '/api/validate'],
    ['POST', '/api/plan'],
    ['POST', '/api/cost'],
    ['POST', '/api/objectives'],
    ['GET', '/api/nothing'],
  ];
  const read = (method: string, path: string, headers: Record<string, string>, from = peer()) =>
    app.request(
      path,
      {
        method,
        headers: { 'content-type': 'application/yaml', ...headers },
        ...(method === 'POST' ? { body: claimYaml() } : {}),
      },
      from,
    );
  for (const [method, path] of reads) {
    const anonymous = await read(method, path, {});
    expect(anonymous.status, `${method} ${path}`).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toContain('sign in first');
    // Identity headers from a client that is not the proxy do not count.
    expect((await read(method, path, as('alice', 'shop-devs'), peer('192.0.2.10'))).status, path).toBe(401);
    expect((await read(method, path, as('alice', 'shop-devs'))).status, path).toBe(path === '/api/nothing' ? 404 : 200);
    expect((await read(method, path, { authorization: 'Bearer automation-secret' })).status, path).not.toBe(401);
  }
  for (const path of ['/api/health', '/api/ready', '/api/session'])
    expect((await app.request(path, {}, peer('192.0.2.10'))).status, path).toBe(200);
});

it("lists only the claims of the user's namespaces (audit 18 M1)", async () => {
  const { app, repository } = portal();
  for (const [namespace, name] of [
    ['team-shop', 'shop'],
    ['team-payments', 'pay'],
  ]) {
    mkdirSync(join(repository, 'claims', namespace!), { recursive: true });
    writeFileSync(join(repository, 'claims', namespace!, `${name}.yaml`), claimYaml(name, namespace));
  }
  git(repository, 'add', '.');
  git(repository, 'commit', '--quiet', '-m', 'two teams');
  const listed = async (headers: Record<string, string>) =>
    (
      (await (await app.request('/api/claims', { headers }, peer())).json()) as { claims: { namespace: string; name: string }[] }
    ).claims
      .map((c) => `${c.namespace}/${c.name}`)
      .sort();
  const every = ['team-payments/pay', 'team-sandbox/minimal', 'team-shop/shop'];
  expect(await listed(as('alice', 'shop-devs'))).toEqual(['team-shop/shop']);
  expect(await listed(as('erin', 'shop-devs,sandbox'))).toEqual(['team-sandbox/minimal', 'team-shop/shop']);
  expect(await listed(as('frank', 'no-such-group'))).toEqual([]);
  expect(await listed(as('dana', 'platform'))).toEqual(every);
  expect(await listed({ authorization: 'Bearer automation-secret' })).toEqual(every);
});

it("writes the estate's Backstage entity with the claim when the repository has the catalog (audit 18 M6)", async () => {
  const { app, repository } = portal();
  mkdirSync(join(repository, 'backstage'));
  writeFileSync(join(repository, 'backstage', 'catalog-info.yaml'), stringify(catalogLocation()));
  git(repository, 'add', '.');
  git(repository, 'commit', '--quiet', '-m', 'backstage catalog');
  const res = await postClaim(app, as('alice', 'shop-devs'), claimYaml('shop', 'team-shop'));
  expect(res.status).toBe(201);
  const { commit } = (await res.json()) as { commit: string };
  expect(git(repository, 'show', '--name-only', '--format=', commit).split('\n').sort()).toEqual([
    'backstage/estates/team-shop.shop.yaml',
    'claims/team-shop/shop.yaml',
  ]);
  // The entity the Backstage template writes for the same claim: owner from the team table (shop-devs → team-shop).
  expect(parse(git(repository, 'show', `${commit}:backstage/estates/team-shop.shop.yaml`))).toEqual(
    estateEntity('team-shop', 'shop', 'group:default/shop-devs'),
  );
});

it('keeps a failover reason to one line of the commit message (audit 18 L11: no forged Who:/From: lines)', async () => {
  const { app, repository } = portal();
  const res = await app.request(
    '/api/claims/team-sandbox/minimal/failover',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as('carol', 'sandbox') },
      body: JSON.stringify({ to: 'us-west-2', reason: 'drill\nWho: ceo <ceo@corp.example>\r\nFrom: the board' }),
    },
    peer(),
  );
  expect(res.status).toBe(200);
  const message = git(repository, 'log', '-1', '--format=%B').split('\n');
  expect(message.filter((l) => l.startsWith('Who:'))).toEqual(['Who: carol <carol@example.org>']);
  expect(message.filter((l) => l.startsWith('From:'))).toEqual(['From: drplane portal']);
  expect(message).toContain('Why: drill Who: ceo <ceo@corp.example> From: the board');
});
