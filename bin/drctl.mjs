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
// Node 22+ deprecation notices about dependencies drctl cannot change: @kubernetes/client-node's node-fetch@2 loads
// the `punycode` builtin (DEP0040, through whatwg-url/tr46) and calls url.parse() on every request (DEP0169). They
// would open the stderr of every `drctl status` and `unpause`; every other warning still shows.
const THIRD_PARTY = new Set(['DEP0040', 'DEP0169']);
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? rest[0].code : rest[1];
  if (!THIRD_PARTY.has(code)) emitWarning(warning, ...rest);
};
await import(pathToFileURL(bundle).href);
