/**
 * The team folders Argo CD syncs, read from the claims/ folder: one folder per team namespace, one file per claim
 * (claims/<namespace>/<name>.yaml, the layout the portal commits). Each folder gets its own Application and its own
 * AppProject whose only destination is that namespace, so a file in one team's folder cannot write to another's.
 * Adding a folder and running `npm run synth` onboards the team.
 */
import { readdirSync } from 'node:fs';
import { CLAIMS_PREFIX } from '../../src/gitops/argocd.js';
import { repoPath } from './paths.js';

/** One team folder of claims and how its Application treats it. */
export interface ClaimTeam {
  /** The team's namespace: the folder name, the Application's destination, its project's only destination. */
  readonly namespace: string;
  /** Folder relative to the repository root. */
  readonly path: string;
  /** Production: a claim removed from git is not pruned (someone deletes the estate on purpose). */
  readonly production: boolean;
}

/** What the claims folder may hold, from the settings. */
export interface ClaimFolderRules {
  /** Glob every folder name must match (the namespaces claims may live in). */
  readonly claimNamespaces: string;
  /** Globs of the namespaces whose Application may prune (not production). */
  readonly prunableNamespaces: readonly string[];
}

/** Prefix of every claims Application and AppProject name. */
export { CLAIMS_PREFIX };

/** A Kubernetes namespace name (RFC 1123 label) short enough to name an Application with CLAIMS_PREFIX. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAMESPACE = 63 - CLAIMS_PREFIX.length;

/** Argo CD's glob for project destinations (`*` matches any run of characters, including none). */
export function globMatches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
}

/**
 * The team folders in the claims folder, sorted by namespace. `claimsDir` is the folder on disk and `claimsRoot` its
 * path in git. Throws, naming the file or folder, on anything Argo CD would not sync the way the layout promises: a
 * claim file outside a team folder, a nested folder, or a folder that is not a namespace the settings allow.
 */
export function claimTeams(rules: ClaimFolderRules, claimsDir = repoPath('claims'), claimsRoot = 'claims'): ClaimTeam[] {
  const entries = readdirSync(claimsDir, { withFileTypes: true });
  const stray = entries.find((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name));
  if (stray !== undefined) {
    throw new Error(
      `${claimsRoot}/${stray.name}: a claim lives in ${claimsRoot}/<namespace>/<name>.yaml; move it into the folder of its metadata.namespace`,
    );
  }
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  for (const name of folders) {
    if (!NAMESPACE.test(name) || name.length > MAX_NAMESPACE) {
      throw new Error(
        `${claimsRoot}/${name}: a team folder is named after its namespace, a lower-case DNS label of at most ${MAX_NAMESPACE} characters`,
      );
    }
    if (!globMatches(rules.claimNamespaces, name)) {
      throw new Error(
        `${claimsRoot}/${name}: claims may only live in namespaces matching '${rules.claimNamespaces}' (claimNamespaces in charts/bootstrap/settings.ts); rename the folder`,
      );
    }
    const nested = readdirSync(`${claimsDir}/${name}`, { withFileTypes: true }).find(
      (entry) => entry.isDirectory() && !entry.name.startsWith('.'),
    );
    if (nested !== undefined) {
      throw new Error(
        `${claimsRoot}/${name}/${nested.name}: team folders are not recursive; put the claim directly in ${claimsRoot}/${name}/`,
      );
    }
  }
  return folders.map((namespace) => ({
    namespace,
    path: `${claimsRoot}/${namespace}`,
    production: !rules.prunableNamespaces.some((pattern) => globMatches(pattern, namespace)),
  }));
}
