/**
 * The claim environments Argo CD syncs, read from the claims/ folder: each sub-folder (claims/<env>/) is an
 * environment with its own Application; YAML files directly in claims/ form one more, unnamed, environment.
 * Adding a folder and running `npm run synth` adds its Application.
 */
import { readdirSync } from 'node:fs';
import { repoPath } from './paths.js';

/** One folder of claims and how its Application treats it. */
export interface ClaimEnvironment {
  /** Environment name (the folder), or undefined for the files directly in claims/. */
  readonly name?: string;
  /** Folder relative to the repository root. */
  readonly path: string;
  /** Whether the Application reads sub-folders too. */
  readonly recurse: boolean;
  /** Production: a claim removed from git is not pruned. */
  readonly production: boolean;
}

/** A Kubernetes name segment (RFC 1123 label), as environment names end up in Application names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The environments in the claims folder, sorted by name, the unnamed root environment first. `prunable` lists the
 * environment names that are not production; `claimsDir` is the folder on disk and `claimsRoot` its path in git.
 */
export function claimEnvironments(
  prunable: readonly string[],
  claimsDir = repoPath('claims'),
  claimsRoot = 'claims',
): ClaimEnvironment[] {
  const entries = readdirSync(claimsDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const bad = folders.find((name) => !DNS_LABEL.test(name) || name.length > 40);
  if (bad !== undefined) {
    throw new Error(
      `${claimsRoot}/${bad}: an environment folder name must be a lower-case DNS label of at most 40 characters (it names an Application)`,
    );
  }
  const environments: ClaimEnvironment[] = folders.map((name) => ({
    name,
    path: `${claimsRoot}/${name}`,
    recurse: true,
    production: !prunable.includes(name),
  }));
  const hasRootFiles = entries.some((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name));
  if (hasRootFiles || environments.length === 0) {
    environments.unshift({ path: claimsRoot, recurse: false, production: true });
  }
  return environments;
}
