/** drctl and git as a GitOps test runs them: one on-call identity, so commits and their messages are predictable. */
import { repoPath } from './paths.js';
import { run, runOk } from './process.js';

/** The identity every test commit is made with (author and committer). */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Dana Oncall',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Oncall',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
} as const;

/** Runs the built drctl in `cwd` with that identity, no colour, and `env` on top. */
export const drctlIn = (cwd: string, args: readonly string[], env: Record<string, string> = {}) =>
  run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], { cwd, env: { NO_COLOR: '1', ...GIT_ENV, ...env } });

/** Runs git in `cwd` with that identity; fails the test when git fails. */
export const gitIn = (cwd: string, ...args: string[]) => runOk('git', args, { cwd, env: GIT_ENV });
