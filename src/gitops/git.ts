/** The few git operations GitOps flows need, through the git command line (no shell). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A git failure, with git's own message. */
export class GitError extends Error {
  override name = 'GitError';
}

/** Runs git in `cwd` and returns its trimmed stdout; throws GitError with git's stderr. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await exec('git', [...args], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    if (e.code === 'ENOENT') throw new GitError('git is not installed');
    // git's whole message: its hints (e.g. how to set user.email after "Author identity unknown") are the fix.
    const lines = (e.stderr ?? e.message)
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '');
    throw new GitError(lines.slice(0, 12).join('\n') || 'git failed');
  }
}

/** Top folder of the git work tree that holds `dir`. */
export async function repositoryRoot(dir: string): Promise<string> {
  try {
    return await git(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new GitError(`${dir} is not inside a git repository`);
  }
}

/** Uncommitted changes of a work tree (`git status --porcelain`), one line each. */
export async function uncommittedChanges(root: string): Promise<string[]> {
  const out = await git(root, ['status', '--porcelain']);
  return out === '' ? [] : out.split('\n');
}

/** `Name <email>` of the configured git user, or undefined. */
export async function gitUser(root: string): Promise<string | undefined> {
  const [name, email] = await Promise.all([
    git(root, ['config', 'user.name']).catch(() => ''),
    git(root, ['config', 'user.email']).catch(() => ''),
  ]);
  return name ? `${name}${email ? ` <${email}>` : ''}` : undefined;
}
