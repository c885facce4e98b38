/**
 * Writes backstage/: the Backstage software template generated from the claim schema, its claim file, and the
 * catalog entries of the claims under claims/ (src/backstage). Usage: npm run backstage
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKSTAGE_DIR, backstageFiles } from '../src/backstage/files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(root, BACKSTAGE_DIR), { recursive: true });
for (const [name, text] of Object.entries(backstageFiles(root))) {
  writeFileSync(join(root, BACKSTAGE_DIR, name), text);
  console.log(`wrote ${BACKSTAGE_DIR}/${name}`);
}
