#!/usr/bin/env node
// The drctl command: runs the bundle that `npm run build` (and `npm ci`, through prepare) writes.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
if (!existsSync(bundle)) {
  process.stderr.write('drctl: the CLI is not built yet; run `npm run build` (or `npm ci`, which builds it)\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
