/**
 * Writes backstage/: the Backstage software template generated from the claim schema, its claim and estate files,
 * and the catalog's Location (src/backstage), with the repository, onboarded namespaces and team table of the
 * bootstrap settings. Usage: npm run backstage
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKSTAGE_DIR, backstageFiles } from '../src/backstage/files.js';
import { templateSettingsOf } from '../charts/bootstrap/backstage.js';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(root, BACKSTAGE_DIR, 'estates'), { recursive: true });
for (const [name, text] of Object.entries(backstageFiles(templateSettingsOf()))) {
  writeFileSync(join(root, BACKSTAGE_DIR, name), text);
  console.log(`wrote ${BACKSTAGE_DIR}/${name}`);
}
