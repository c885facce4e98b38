/**
 * Where the pinned Crossplane binaries are (scripts/tools.sh builds them into a cache outside the repository) and
 * whether the run is on CI. No vitest import: the global setup reads it too.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './paths.js';

/** Reads a pinned version from scripts/tools.sh, so the version is written in one place only. */
function pinnedVersion(variable: string): string {
  const match = new RegExp(`^${variable}=(v\\d+\\.\\d+\\.\\d+)$`, 'm').exec(
    readFileSync(repoPath('scripts', 'tools.sh'), 'utf8'),
  );
  if (!match) throw new Error(`scripts/tools.sh has no ${variable}=vX.Y.Z line`);
  return match[1]!;
}

/** Pinned version of the crossplane CLI (github.com/crossplane/cli/v2). */
export const CROSSPLANE_CLI_VERSION = pinnedVersion('CLI_VERSION');
/** Pinned version of Crossplane core, which is also the version of ../shared/crds/crossplane. */
export const CROSSPLANE_CORE_VERSION = pinnedVersion('CORE_VERSION');
/** The Crossplane image `resource validate` takes its built-in schemas from; served from the offline cache. */
export const CROSSPLANE_IMAGE = `xpkg.crossplane.io/crossplane/crossplane:${CROSSPLANE_CORE_VERSION}`;

/** True when running on CI (`CI` set to anything but empty, `0` or `false`). */
export function isCI(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Cache folder of scripts/tools.sh: `$DRPLANE_TOOLS_DIR`, else `${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools`. */
export function toolsDir(): string {
  if (process.env.DRPLANE_TOOLS_DIR) return process.env.DRPLANE_TOOLS_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'drplane-tools');
}

/** A pinned binary is not where the suite looks for it. */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function resolveTool(variable: string, fileName: string, what: string): string {
  const override = process.env[variable];
  const path = override || join(toolsDir(), fileName);
  if (!isExecutable(path)) {
    const source = override ? ` (from ${variable})` : '';
    throw new MissingToolError(
      `${what} is missing: no executable at ${path}${source}. Run \`bash scripts/tools.sh\` (it builds the pinned binaries into ${toolsDir()}), or set ${variable} to a binary.`,
    );
  }
  return path;
}

/** Path of the pinned crossplane CLI: `$CROSSPLANE_CLI`, else the tools cache. Throws {@link MissingToolError} when absent. */
export function crossplaneCli(): string {
  return resolveTool('CROSSPLANE_CLI', `crossplane-cli-${CROSSPLANE_CLI_VERSION}`, `crossplane CLI ${CROSSPLANE_CLI_VERSION}`);
}

/** Path of the pinned Crossplane core binary: `$CROSSPLANE_CORE`, else the tools cache. Throws {@link MissingToolError} when absent. */
export function crossplaneCore(): string {
  return resolveTool(
    'CROSSPLANE_CORE',
    `crossplane-core-${CROSSPLANE_CORE_VERSION}`,
    `Crossplane core ${CROSSPLANE_CORE_VERSION}`,
  );
}

/** The reason the binaries cannot be used, or undefined when both resolve. */
export function missingTools(): string | undefined {
  try {
    crossplaneCli();
    crossplaneCore();
    return undefined;
  } catch (err) {
    if (err instanceof MissingToolError) return err.message;
    throw err;
  }
}

/**
 * Path of the gopher-lua health runner (test/bootstrap/gopher-lua): `$GOPHER_LUA`, else the tools cache under the
 * name scripts/tools.sh gives it (a hash of main.go, go.mod and go.sum). Throws {@link MissingToolError} when absent.
 */
export function gopherLua(): string {
  const dir = repoPath('test', 'bootstrap', 'gopher-lua');
  const sources = ['main.go', 'go.mod', 'go.sum'].map((f) => readFileSync(join(dir, f)));
  const name = `gopher-lua-health-${createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 12)}`;
  return resolveTool('GOPHER_LUA', name, 'the gopher-lua health runner (test/bootstrap/gopher-lua)');
}
