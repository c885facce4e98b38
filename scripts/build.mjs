#!/usr/bin/env node
// Bundles drplane's Node entry points with esbuild (run by `npm run build` and by npm's `prepare`
// on `npm ci`), so `npx drctl` starts fast and the function image carries one file.
//   dist/cli/main.js     drctl (code-split: heavy modules such as compose load only when needed)
//   dist/function.mjs    the composition function server
//   dist/portal-server.mjs  the portal server (the Dockerfile's portal image runs it)
// Add an entry point to ENTRIES to bundle another program. Every dependency is bundled; list a heavy
// optional one in that entry's `external` to load it from node_modules at run time instead.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const esbuild = await import('esbuild').catch(() => undefined);
if (!esbuild) {
  // `npm ci --omit=dev` runs prepare without devDependencies: nothing to build with, and nothing to fail.
  const during = process.env.npm_lifecycle_event === 'prepare';
  console.error(`build: esbuild is not installed (a production install?); ${during ? 'skipping the build' : 'run npm ci first'}`);
  process.exit(during ? 0 : 1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Some dependencies are CommonJS and call require(): give the ESM bundles a require.
const banner = {
  js: "import { createRequire as __drplaneRequire } from 'node:module'; const require = __drplaneRequire(import.meta.url);",
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  banner,
  absWorkingDir: root,
};

/** The programs this package ships. */
const ENTRIES = [
  { entryPoints: { main: 'src/cli/main.ts' }, outdir: 'dist/cli', splitting: true, chunkNames: 'chunks/[name]-[hash]' },
  { entryPoints: ['src/function/main.ts'], outfile: 'dist/function.mjs' },
  { entryPoints: ['src/portal/main.ts'], outfile: 'dist/portal-server.mjs' },
];

rmSync(join(root, 'dist', 'cli'), { recursive: true, force: true });
for (const entry of ENTRIES) await esbuild.build({ ...common, ...entry });
console.log(`built ${ENTRIES.length} entry points into dist/`);

// The portal page (Lit + Vite) into dist/portal; the portal server (npm run portal) serves it.
const vite = await import('vite').catch(() => undefined);
if (vite) {
  await vite.build({ configFile: join(root, 'portal', 'vite.config.ts') });
  console.log('built the portal page into dist/portal/');
} else console.error('build: vite is not installed; skipping the portal page');
