/** The portal against a remote repository (DRPLANE_GIT_URL): clone, readiness, refresh, and pushes of what it commits. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import { GitRemote } from '../../src/portal/remote.js';
import { claimYaml, git, tempRepo } from './helpers.js';

/** A bare "remote" holding tempRepo()'s main, and a working copy to change it as a person would. */
function remoteRepo(): { bare: string; seed: string } {
  const seed = tempRepo();
  const bare = mkdtempSync(join(tmpdir(), 'drplane-remote-'));
  git(bare, 'init', '--quiet', '--bare', '-b', 'main');
  git(seed, 'push', '--quiet', bare, 'main:main');
  git(seed, 'remote', 'add', 'origin', bare);
  return { bare, seed };
}

it('answers not ready until cloned, then lists the remote branch and pushes a proposed claim to it', async () => {
  const { bare, seed } = remoteRepo();
  const dir = join(mkdtempSync(join(tmpdir(), 'drplane-clone-')), 'repo');
  const remote = new GitRemote({ url: bare, branch: 'main', dir, refreshMs: 0 });
  const app = createApp({ repository: dir, token: 't', remote });
  expect((await app.request('/api/ready')).status).toBe(503);
  await remote.prepare();
  expect((await app.request('/api/ready')).status).toBe(200);
  const before = (await (await app.request('/api/claims')).json()) as { claims: { name: string }[] };
  expect(before.claims.map((c) => c.name)).toEqual(['minimal']);

  // A commit that reaches the remote after the clone is listed at the next read.
  writeFileSync(join(seed, 'claims', 'later.yaml'), claimYaml('later', 'team-later'));
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'later');
  git(seed, 'push', '--quiet', 'origin', 'main');
  const after = (await (await app.request('/api/claims')).json()) as { claims: { name: string }[] };
  expect(after.claims.map((c) => c.name).sort()).toEqual(['later', 'minimal']);

  const res = await app.request('/api/claims', {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/yaml' },
    body: claimYaml('shop', 'team-shop'),
  });
  expect(res.status).toBe(201);
  const { branch, commit } = (await res.json()) as { branch: string; commit: string };
  expect(git(bare, 'rev-parse', `refs/heads/${branch}`)).toBe(commit);
  expect(git(bare, 'show', `${branch}:claims/team-shop/shop.yaml`)).toContain('name: shop');
});

it('keeps the token out of the clone: no credential in its configuration or its remote URL', async () => {
  const { bare } = remoteRepo();
  const dir = join(mkdtempSync(join(tmpdir(), 'drplane-clone-')), 'repo');
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'drplane-token-')), 'token');
  writeFileSync(tokenFile, 'sekret\n');
  const remote = new GitRemote({ url: bare, branch: 'main', dir, tokenFile });
  await remote.prepare();
  // The clone's configuration keeps no credential: the header lived only in git's environment for that call.
  expect(git(dir, 'config', '--list')).not.toContain('sekret');
  expect(git(dir, 'remote', 'get-url', 'origin')).toBe(bare);
});

it('fails over several teams at the same moment: every request succeeds and each commit lands once (audit 18 H2)', async () => {
  const { bare, seed } = remoteRepo();
  const teams = ['team-a', 'team-b', 'team-c', 'team-d', 'team-e'];
  for (const [i, ns] of teams.entries()) {
    mkdirSync(join(seed, 'claims', ns));
    writeFileSync(join(seed, 'claims', ns, 'app.yaml'), claimYaml('app', ns, [`10.${20 + i}.0.0/16`, `10.${40 + i}.0.0/16`]));
  }
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'five teams');
  git(seed, 'push', '--quiet', 'origin', 'main');
  const dir = join(mkdtempSync(join(tmpdir(), 'drplane-clone-')), 'repo');
  const remote = new GitRemote({ url: bare, branch: 'main', dir, refreshMs: 0 });
  await remote.prepare();
  const app = createApp({ repository: dir, token: 't', remote });
  const answers = await Promise.all(
    teams.map((ns) =>
      app.request(`/api/claims/${ns}/app/failover`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'us-west-2', reason: `drill ${ns}` }),
      }),
    ),
  );
  const bodies = await Promise.all(answers.map((r) => r.text()));
  expect(
    answers.map((r) => r.status),
    bodies.join('\n'),
  ).toEqual(teams.map(() => 200));
  // Five failover commits on the remote's main, one per team, each changing only its own claim.
  const log = git(bare, 'log', '--format=%H', 'main', '-5').split('\n');
  const touched = log.map((c) => git(bare, 'show', '--name-only', '--format=', c).trim()).sort();
  expect(touched).toEqual(teams.map((ns) => `claims/${ns}/app.yaml`));
  for (const ns of teams)
    expect(git(bare, 'show', `main:claims/${ns}/app.yaml`)).toMatch(/primary: us-west-2|activeRegion: us-west-2/);
});

it('in pull-request mode pushes a failover to a branch of its own and leaves main alone (audit 18 M4)', async () => {
  const { bare, seed } = remoteRepo();
  mkdirSync(join(seed, 'claims', 'team-a'));
  writeFileSync(join(seed, 'claims', 'team-a', 'app.yaml'), claimYaml('app', 'team-a'));
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'team-a');
  git(seed, 'push', '--quiet', 'origin', 'main');
  const main = git(bare, 'rev-parse', 'main');
  // The remote refuses every push to main, as a protected branch does for a token without that right.
  writeFileSync(
    join(bare, 'hooks', 'pre-receive'),
    '#!/bin/sh\nwhile read old new ref; do [ "$ref" = refs/heads/main ] && { echo "main is protected" >&2; exit 1; }; done\nexit 0\n',
    { mode: 0o755 },
  );
  const dir = join(mkdtempSync(join(tmpdir(), 'drplane-clone-')), 'repo');
  const remote = new GitRemote({ url: bare, branch: 'main', dir, refreshMs: 0 });
  await remote.prepare();
  const app = createApp({ repository: dir, token: 't', remote, failoverMode: 'pull-request' });
  const fail = () =>
    app.request('/api/claims/team-a/app/failover', {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'us-west-2', reason: 'drill' }),
    });
  const res = await fail();
  const body = (await res.json()) as { branch: string; commit: string; from: string; to: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.branch).toBe(`drplane/failover/team-a-app-${body.commit.slice(0, 8)}`);
  expect(git(bare, 'rev-parse', 'main')).toBe(main);
  expect(git(bare, 'rev-parse', `refs/heads/${body.branch}`)).toBe(body.commit);
  expect(git(bare, 'rev-parse', `${body.commit}~1`)).toBe(main);
  expect(git(bare, 'show', '--name-only', '--format=', body.commit).trim()).toBe('claims/team-a/app.yaml');
  expect(git(bare, 'show', `${body.branch}:claims/team-a/app.yaml`)).toMatch(/activeRegion: us-west-2/);
  // The clone's main is back at the remote's, clean: the next failover starts from main again.
  expect(git(dir, 'rev-parse', 'HEAD')).toBe(main);
  expect(git(dir, 'status', '--porcelain')).toBe('');
  // Asked again before the first is merged: another (or, within the same second, the same) branch; main untouched.
  const again = await fail();
  expect(again.status).toBe(200);
  expect(((await again.json()) as { branch: string }).branch).toMatch(/^drplane\/failover\/team-a-app-/);
  expect(git(bare, 'rev-parse', 'main')).toBe(main);
  // The same failover in push mode is refused by the protected main: that mode needs a token that may push main.
  const pushing = createApp({ repository: dir, token: 't', remote });
  const refused = await pushing.request('/api/claims/team-a/app/failover', {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({ to: 'us-west-2', reason: 'drill' }),
  });
  expect(refused.status).toBe(500);
  expect(git(bare, 'rev-parse', 'main')).toBe(main);
});
