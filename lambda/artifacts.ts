/**
 * The built Lambda zips (from lambda/artifacts.json, written by `npm run build:lambda`), typed
 * for composition code: the SHA-256 names each zip's S3 key, so a code change is a new key.
 * Pure; imports only the JSON.
 */
import artifacts from './artifacts.json' with { type: 'json' };

/** The Lambda handlers drplane ships. */
export type LambdaName = 'failover' | 'lag-monitor' | 'service';

/** One zip: hex SHA-256 of its bytes, and its size. */
export interface LambdaArtifact {
  readonly sha256: string;
  readonly bytes: number;
}

/** Every handler's zip. */
export const LAMBDA_ARTIFACTS: Readonly<Record<LambdaName, LambdaArtifact>> = artifacts;

/** The S3 key of a handler's zip: `lambda/<name>/<sha256>.zip`. */
export function lambdaArtifactKey(name: LambdaName): string {
  return `lambda/${name}/${LAMBDA_ARTIFACTS[name].sha256}.zip`;
}
