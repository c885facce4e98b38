/**
 * Loads the built Lambda zips (dist/lambda/<name>.zip, which `npm run build:lambda` writes and the
 * function image carries) for compose, which does no I/O itself. The SHA-256 is computed from the
 * bytes, so the S3 key always names the content it holds; a zip that differs from
 * lambda/artifacts.json is reported (a stale build), not hidden.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LAMBDA_ARTIFACTS, type LambdaName } from '../../lambda/artifacts.js';
import type { LambdaArtifacts } from '../compose/types.js';

/** Environment variable naming the folder of the zips (the image sets /function/lambda). */
export const LAMBDA_DIR_ENV = 'DRPLANE_LAMBDA_DIR';

/** The folder of the zips: $DRPLANE_LAMBDA_DIR, else dist/lambda under the working directory. */
export function lambdaDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env[LAMBDA_DIR_ENV] || join(process.cwd(), 'dist', 'lambda'));
}

/** What was loaded from a folder, and what was not. */
export interface LoadedArtifacts {
  readonly artifacts: LambdaArtifacts;
  /** One line per zip that is missing or differs from lambda/artifacts.json. */
  readonly notes: string[];
}

/** Reads every handler's zip from `dir`. Missing files are noted, not fatal: compose waits for them. */
export function loadLambdaArtifacts(dir: string = lambdaDir()): LoadedArtifacts {
  const artifacts: LambdaArtifacts = {};
  const notes: string[] = [];
  for (const name of Object.keys(LAMBDA_ARTIFACTS).sort() as LambdaName[]) {
    const file = join(dir, `${name}.zip`);
    if (!existsSync(file)) {
      notes.push(`${file} is missing: ${name} functions wait for it`);
      continue;
    }
    const bytes = readFileSync(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== LAMBDA_ARTIFACTS[name].sha256)
      notes.push(`${file} has sha256 ${sha256}, lambda/artifacts.json says ${LAMBDA_ARTIFACTS[name].sha256} (stale build?)`);
    artifacts[name] = { sha256, base64: bytes.toString('base64') };
  }
  return { artifacts, notes };
}
