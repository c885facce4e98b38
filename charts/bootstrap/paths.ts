/** Where the bootstrap charts find the repository they describe (claims/, src/compose, their Lua files). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of the repository root, or of a path inside it. */
export function repoPath(...segments: string[]): string {
  return join(resolve(here, '..', '..'), ...segments);
}

/** Absolute path of a file beside the bootstrap charts (the Lua health checks). */
export function bootstrapFile(name: string): string {
  return join(here, name);
}
