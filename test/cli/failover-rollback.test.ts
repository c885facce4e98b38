/** `drctl failover` leaves nothing half-done when git refuses the commit: the claim file and the index are as before. */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeEach, expect, it } from 'vitest';
import { suiteTempDir } from '../support/files.js';
import { drctlIn, gitIn } from '../support/gitops.js';
import { repoPath } from '../support/paths.js';

const drctl = (cwd: string, ...args: string[]) => drctlIn(cwd, args);
const git = gitIn;
let repo: string;
const claimFile = () => join(repo, 'claims', 'orders.yaml');
const hook = () => join(repo, '.git', 'hooks', 'pre-commit');

beforeEach(async () => {
  repo = join(suiteTempDir('drctl-rollback-'), 'estates');
  mkdirSync(join(repo, 'claims'), { recursive: true });
  copyFileSync(repoPath('examples', 'three-region.yaml'), claimFile());
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '--quiet', '-m', 'add orders estate');
  // A repository whose commit fails the way a machine without a git identity or with a refusing hook does.
  mkdirSync(join(repo, '.git', 'hooks'), { recursive: true });
  writeFileSync(
    hook(),
    '#!/bin/sh\necho "commits are refused here: line one" >&2\necho "and the hint on line two" >&2\nexit 1\n',
  );
  chmodSync(hook(), 0o755);
});

it('restores the claim and the index when the commit fails, shows all of git’s message, and a retry then commits', async () => {
  const before = readFileSync(claimFile(), 'utf8');
  const failed = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-west-2', '--reason', 'drill');
  expect(failed.code).toBe(3);
  expect(failed.stderr).toContain('commits are refused here: line one');
  expect(failed.stderr).toContain('and the hint on line two');
  expect(readFileSync(claimFile(), 'utf8')).toBe(before);
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
  expect((await git(repo, 'rev-list', '--count', 'HEAD')).stdout.trim()).toBe('1');

  // The retry is not told "already the active region": nothing was committed, and it commits now.
  rmSync(hook());
  const retry = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-west-2', '--reason', 'drill');
  expect(retry.code, retry.stderr).toBe(0);
  expect(parse(readFileSync(claimFile(), 'utf8')).spec.activeRegion).toBe('us-west-2');
  expect((await git(repo, 'rev-list', '--count', 'HEAD')).stdout.trim()).toBe('2');
});
