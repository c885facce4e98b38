/**
 * The portal's git remote when it runs on the cluster (DRPLANE_GIT_URL): a clone in a writable volume, refreshed from
 * the remote branch before reads, and every branch the portal commits pushed back. The token is read from a file (a
 * mounted Secret) at each call and handed to git through GIT_CONFIG_* variables, never on a command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { GitError } from '../gitops/git.js';

/** Where the portal's clone comes from. */
export interface RemoteOptions {
  /** Repository URL (https, or a path/file URL in tests). */
  readonly url: string;
  /** Branch whose claims the portal lists and commits on. */
  readonly branch: string;
  /** Folder of the clone (an emptyDir on the cluster). */
  readonly dir: string;
  /** File holding a git token with push access; absent or empty: anonymous (reads only). */
  readonly tokenFile?: string;
  /** Least time between two fetches (default 30 s). */
  readonly refreshMs?: number;
}

/** The clone of a remote repository the portal works in. */
export class GitRemote {
  private lastFetch = 0;
  private ready = false;

  constructor(private readonly options: RemoteOptions) {}

  /** Whether the clone exists (the readiness probe). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Clones the branch into `dir` (or fetches it when a clone is already there). */
  async prepare(): Promise<void> {
    const { url, branch, dir } = this.options;
    if (existsSync(join(dir, '.git'))) await this.refresh(true);
    else {
      await this.run(undefined, ['clone', '--quiet', '--single-branch', '--branch', branch, url, dir]);
      // The identity of commits made without a signed-in user (failovers by the automation token).
      await this.run(dir, ['config', 'user.name', 'drplane portal']);
      await this.run(dir, ['config', 'user.email', 'portal@drplane.invalid']);
    }
    this.lastFetch = Date.now();
    this.ready = true;
  }

  /** Brings the clone's branch to the remote's (at most every refreshMs unless forced). */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.lastFetch < (this.options.refreshMs ?? 30_000)) return;
    const { branch, dir } = this.options;
    await this.run(dir, ['fetch', '--quiet', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    await this.run(dir, ['reset', '--quiet', '--hard', `refs/remotes/origin/${branch}`]);
    this.lastFetch = Date.now();
  }

  /** Pushes a local branch to the remote under the same name. */
  async push(branch: string): Promise<void> {
    await this.run(this.options.dir, ['push', '--quiet', 'origin', `refs/heads/${branch}:refs/heads/${branch}`]);
  }

  /** The branch the portal works on. */
  get branch(): string {
    return this.options.branch;
  }

  private run(cwd: string | undefined, args: readonly string[]): Promise<string> {
    const token = this.token();
    const auth: Record<string, string> = token
      ? {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'http.extraHeader',
          GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
        }
      : {};
    return new Promise((resolvePromise, reject) => {
      execFile(
        'git',
        [...args],
        { ...(cwd ? { cwd } : {}), env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...auth } },
        (err, stdout, stderr) => {
          if (!err) return resolvePromise(stdout.trim());
          // git may echo the URL; the token is never in it (it travels in a header).
          reject(new GitError(`git ${args[0]}: ${(stderr || err.message).trim().split('\n')[0] ?? 'failed'}`));
        },
      );
    });
  }

  private token(): string | undefined {
    const file = this.options.tokenFile;
    if (!file || !existsSync(file)) return undefined;
    return readFileSync(file, 'utf8').trim() || undefined;
  }
}
