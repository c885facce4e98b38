/**
 * Where the tests find the repository and the pinned upstream CRDs.
 * The CRD folders follow scripts/import-crds.ts: `$DRPLANE_CRDS_DIR` names the provider-upjet-aws CRDs
 * (default ../shared/crds/provider-upjet-aws beside the checkout), `$DRPLANE_CROSSPLANE_CRDS_DIR` the
 * Crossplane core CRDs (default: the sibling `crossplane/` folder).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of a file or folder inside the repository. */
export function repoPath(...segments: string[]): string {
  return join(repoRoot, ...segments);
}

/** Returns `dir` when it exists, else throws an error that says which variable moves it. */
function existingDir(dir: string, variable: string): string {
  if (!existsSync(dir)) {
    throw new Error(`CRD directory ${dir} does not exist: put ../shared beside the checkout or set ${variable}`);
  }
  return dir;
}

/** Folder of the pinned provider-upjet-aws v2.6.0 CRDs. */
export function providerCrdsDir(): string {
  return existingDir(
    resolve(process.env.DRPLANE_CRDS_DIR ?? join(repoRoot, '..', 'shared', 'crds', 'provider-upjet-aws')),
    'DRPLANE_CRDS_DIR',
  );
}

/** Folder of the pinned Crossplane core v2.3.4 CRDs (XRD, Composition, packages, ...). */
export function crossplaneCrdsDir(): string {
  const fallback = join(
    resolve(process.env.DRPLANE_CRDS_DIR ?? join(repoRoot, '..', 'shared', 'crds', 'provider-upjet-aws')),
    '..',
    'crossplane',
  );
  return existingDir(resolve(process.env.DRPLANE_CROSSPLANE_CRDS_DIR ?? fallback), 'DRPLANE_CROSSPLANE_CRDS_DIR');
}
