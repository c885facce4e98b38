/**
 * The portal's store: claims in a git repository. Reads list the HEAD tree; a new claim is committed
 * on a new branch with git plumbing (a temporary index), so the checked-out branch, the index and
 * the work tree of the user stay exactly as they were.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { GitError, git, gitUser } from '../gitops/git.js';
import { BOOTSTRAP_PATH, teamApplicationPath, withDeletionGuard } from '../gitops/argocd.js';
import { validateText } from '../policy/validate.js';
import { HttpError } from './errors.js';
import { stringify } from 'yaml';
import { estateEntity, estateFile, estateOwner } from '../backstage/catalog.js';

/** The Backstage catalog's Location; a repository that has it gets an estate file with each claim (audit 18 M6). */
const CATALOG_INFO = 'backstage/catalog-info.yaml';

/** Folder of the repository that holds claims. */
export const CLAIMS_DIR = 'claims';

/** A claim found in the repository. */
export interface StoredClaim {
  readonly path: string;
  readonly namespace: string;
  readonly name: string;
  readonly primary: string;
  readonly secondaries: readonly string[];
  readonly activeRegion: string;
  readonly environment: string;
  /** "in git" (from the HEAD commit), or the cluster's view when the portal has a kubeconfig. */
  readonly status: string;
  readonly claim: DisasterRecoveryClaim;
}

/** What a new-claim commit created. */
export interface ClaimCommit {
  readonly branch: string;
  readonly commit: string;
  readonly path: string;
  /** True when the same claim text was proposed before: its branch is answered, nothing new is committed. */
  readonly existing?: boolean;
}

/** The commit a branch points at, or undefined when there is no such branch. */
async function branchCommit(root: string, branch: string): Promise<string | undefined> {
  try {
    return await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  } catch {
    return undefined;
  }
}

/** Runs git with extra environment and optional stdin (the plumbing the shared helper has no need for). */
function gitEnv(cwd: string, args: readonly string[], env: Record<string, string>, input?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      'git',
      [...args],
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new GitError((stderr || err.message).trim().split('\n')[0] ?? 'git failed'));
        else resolvePromise(stdout.trim());
      },
    );
    // git may exit before reading stdin (commands that take none): a closed pipe is not an error.
    child.stdin?.on('error', () => undefined);
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
  });
}

/** The HEAD commit, or undefined in a repository without commits. */
async function headCommit(root: string): Promise<string | undefined> {
  return git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => undefined);
}

/** Every claim file under claims/ in HEAD and the claims it holds (invalid files are left out). */
export async function listClaims(root: string): Promise<StoredClaim[]> {
  if (!(await headCommit(root))) return [];
  const files = (await git(root, ['ls-tree', '-r', '--name-only', 'HEAD', '--', `${CLAIMS_DIR}/`]))
    .split('\n')
    .filter((f) => /\.ya?ml$/.test(f));
  const out: StoredClaim[] = [];
  for (const path of files) {
    const text = await git(root, ['show', `HEAD:${path}`]);
    for (const claim of validateText(text, path).claims) {
      const { regions, activeRegion, environment } = claim.spec;
      out.push({
        path,
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        primary: regions.primary,
        secondaries: regions.secondaries,
        activeRegion: activeRegion ?? regions.primary,
        environment,
        status: 'in git',
        claim,
      });
    }
  }
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** The claim `namespace/name` in HEAD, or undefined. */
export async function findClaim(root: string, namespace: string, name: string): Promise<StoredClaim | undefined> {
  return (await listClaims(root)).find((c) => c.namespace === namespace && c.name === name);
}

/** Path of a claim in the repository: claims/<namespace>/<name>.yaml (both already checked as Kubernetes names). */
export const claimPath = (namespace: string, name: string): string => `${CLAIMS_DIR}/${namespace}/${name}.yaml`;

/** Whether `path` exists in the tree of `commit`. */
async function inTree(root: string, commit: string, path: string): Promise<boolean> {
  return git(root, ['cat-file', '-e', `${commit}:${path}`]).then(
    () => true,
    () => false,
  );
}

/**
 * Refuses a claim for a team namespace Argo CD does not sync yet. In a repository that holds the generated bootstrap,
 * a team is onboarded when `npm run synth` wrote its Application (compositions/bootstrap/apps/drplane-claims-<ns>.yaml);
 * a claim in any other folder would sit in git unsynced, and CI's drift test refuses the branch. A repository without
 * the bootstrap (claims kept apart from the platform) is not checked: nothing in it says which teams exist.
 */
async function checkOnboarded(root: string, parent: string | undefined, namespace: string): Promise<void> {
  if (!parent || !(await inTree(root, parent, BOOTSTRAP_PATH))) return;
  const app = teamApplicationPath(namespace);
  if (await inTree(root, parent, app)) return;
  throw new HttpError(
    422,
    `metadata.namespace: team ${namespace} is not onboarded: ${app} does not exist in HEAD, so Argo CD would never sync ` +
      `claims/${namespace}/. Ask the platform team to onboard it (add claims/${namespace}/ and run npm run synth, see ` +
      `docs/gitops.md), or use a namespace that already has claims.`,
    'metadata.namespace',
  );
}

/**
 * Commits `text` as claims/<namespace>/<name>.yaml on a new branch drplane/claims/<ns>-<name>-<commit>
 * whose parent is HEAD, with the estate's Backstage entity (backstage/estates/<ns>.<name>.yaml, owner from
 * `teamGroups`, namespace → SSO groups) when the repository has the Backstage catalog. Touches no work tree and not
 * the user's index (a temporary GIT_INDEX_FILE).
 */
export async function commitClaim(
  root: string,
  claim: DisasterRecoveryClaim,
  text: string,
  actor?: string,
  teamGroups: Readonly<Record<string, readonly string[]>> = {},
): Promise<ClaimCommit> {
  const { namespace, name } = claim.metadata;
  const path = claimPath(namespace, name);
  const scratch = mkdtempSync(join(tmpdir(), 'drplane-portal-'));
  const index = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    const parent = await headCommit(root);
    await checkOnboarded(root, parent, namespace);
    if (parent) await gitEnv(root, ['read-tree', parent], index);
    // Delete=false on the claim itself (and Prune=false on a production claim): deleting its Argo CD Application with
    // cascade, or pruning it, keeps it on every Argo CD 3.x.
    const blob = await gitEnv(root, ['hash-object', '-w', '--stdin'], {}, withDeletionGuard(text));
    await gitEnv(root, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], index);
    if (parent && (await inTree(root, parent, CATALOG_INFO))) {
      const entity = stringify(estateEntity(namespace, name, estateOwner(namespace, teamGroups)), { lineWidth: 0 });
      const entityBlob = await gitEnv(root, ['hash-object', '-w', '--stdin'], {}, entity);
      const entityPath = `backstage/${estateFile(namespace, name)}`;
      await gitEnv(root, ['update-index', '--add', '--cacheinfo', `100644,${entityBlob},${entityPath}`], index);
    }
    const tree = await gitEnv(root, ['write-tree'], index);
    if (parent && tree === (await git(root, ['rev-parse', `${parent}^{tree}`])))
      throw new HttpError(409, `${path} in HEAD is already exactly this claim: there is nothing to propose`, 'body');
    // One branch per proposed text: proposing the same text again answers its branch instead of a second copy.
    const branch = `drplane/claims/${namespace}-${name}-${blob.slice(0, 8)}`;
    const proposed = await branchCommit(root, branch);
    if (proposed) return { branch, commit: proposed, path, existing: true };
    const who = await identity(root, actor);
    const message = `claim(${namespace}/${name}): ${parent ? 'propose' : 'add'} ${path}\n\nFrom: drplane portal\nWho: ${who.GIT_AUTHOR_NAME} <${who.GIT_AUTHOR_EMAIL}>`;
    const commit = await gitEnv(root, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message], who);
    // The empty old value makes update-ref refuse a branch that already exists (two requests at once).
    await git(root, ['update-ref', `refs/heads/${branch}`, commit, '']);
    return { branch, commit, path };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Author and committer of a portal commit: the author is the actor, else the configured git user, else the portal;
 * with an actor, the committer is the portal itself (audit 18 L3), so portal commits are recognisable in git.
 */
async function identity(root: string, actor?: string): Promise<Record<string, string>> {
  const user = actor ?? (await gitUser(root));
  const match = user ? /^(.*?)\s*<([^>]*)>$/.exec(user) : null;
  const name = match?.[1] || user || 'drplane portal';
  const email = match?.[2] || 'portal@drplane.invalid';
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: actor ? 'drplane portal' : name,
    GIT_COMMITTER_EMAIL: actor ? 'portal@drplane.invalid' : email,
  };
}
