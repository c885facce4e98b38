#!/usr/bin/env node
// Bundles each Lambda handler in lambda/<name>/index.ts into dist/lambda/<name>.zip holding
// exactly one file, index.mjs (Lambda handler setting: index.handler), and records each zip's
// SHA-256 and size in lambda/artifacts.json (committed; compositions use the hash in S3 keys).
//
// The AWS SDK v3 stays external: the Lambda Node.js runtimes provide it, and the zips stay a few KB
// so compositions can ship them inline. Reproducible byte for byte: esbuild (pinned), no source
// maps or paths; yazl writes the zip with a fixed DOS timestamp (1980-01-01 00:00, no extended
// timestamp field), fixed mode 0644 and deflate level 9. The deflate output comes from Node's
// zlib, so the same Node release line is assumed (the project pins Node 20).
//
// Usage: node scripts/build-lambda.mjs [--out-dir DIR] [--check] [--measure]
//   --out-dir DIR  write the zips to DIR instead of dist/lambda
//   --check        do not write lambda/artifacts.json; exit 1 if it differs from this build
//   --measure      also print each zip's size and the median cold import time of index.mjs
import { build } from 'esbuild';
import yazl from 'yazl';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

import { inflateRawSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The handlers, in the order they appear in artifacts.json. */
export const HANDLERS = ['failover', 'lag-monitor', 'service'];

/** Path of the committed manifest. */
export const MANIFEST = join(root, 'lambda', 'artifacts.json');

/** Bundles one handler to ESM source text (a Buffer). */
export async function bundle(name) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'lambda', name, 'index.ts')],
    outfile: 'index.mjs',
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Prefer the packages' ES module builds: they tree-shake far better than CommonJS.
    mainFields: ['module', 'main'],
    // The Lambda Node.js runtimes ship the AWS SDK v3; keeping it out makes each zip a few KB,
    // small enough for the composition to ship it inline (an s3 Object with contentBase64).
    external: ['@aws-sdk/*'],
    minify: true,
    treeShaking: true,
    sourcemap: false,
    legalComments: 'eof',
    charset: 'utf8',
    tsconfig: join(root, 'lambda', 'tsconfig.json'),
    logLevel: 'warning',
  });
  const [file] = result.outputFiles;
  if (file === undefined || result.outputFiles.length !== 1) throw new Error(`${name}: expected one output file`);
  const code = Buffer.from(file.contents);
  if (code.includes(root)) throw new Error(`${name}: the bundle contains the absolute path ${root}`);
  return code;
}

/** The zip of one index.mjs, with fixed metadata. */
export function zip(code) {
  return new Promise((resolvePromise, reject) => {
    const zipfile = new yazl.ZipFile();
    zipfile.addBuffer(code, 'index.mjs', {
      mtime: new Date(1980, 0, 1, 0, 0, 0),
      forceDosTimestamp: true,
      mode: 0o100644,
      compressionLevel: 9,
    });
    zipfile.end();
    const chunks = [];
    zipfile.outputStream.on('data', (c) => chunks.push(c));
    zipfile.outputStream.on('error', reject);
    zipfile.outputStream.on('end', () => resolvePromise(Buffer.concat(chunks)));
  });
}

/** Builds every handler into `outDir`; returns the manifest object (sorted keys). */
export async function buildAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  const manifest = {};
  for (const name of HANDLERS) {
    const archive = await zip(await bundle(name));
    writeFileSync(join(outDir, `${name}.zip`), archive);
    manifest[name] = { sha256: createHash('sha256').update(archive).digest('hex'), bytes: archive.length };
  }
  return manifest;
}

/** The manifest file's text: two-space JSON, keys in HANDLERS order, trailing newline. */
export function manifestText(manifest) {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** index.mjs out of one of our zips (a single deflated entry; sizes are in its local header). */
function unzipIndex(archive) {
  if (archive.readUInt32LE(0) !== 0x04034b50) throw new Error('not a zip');
  const compressed = archive.readUInt32LE(18);
  const start = 30 + archive.readUInt16LE(26) + archive.readUInt16LE(28);
  return inflateRawSync(archive.subarray(start, start + compressed));
}

/** Median of several cold `import()`s of a zip's index.mjs, each in a fresh Node process. */
function measureColdImport(zipPath, runs = 7) {
  // Under the repository, so the SDK resolves from node_modules as it does from the runtime's own.
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'drplane-cold-'));
  try {
    const file = join(dir, 'index.mjs');
    writeFileSync(file, unzipIndex(readFileSync(zipPath)));
    const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`;
    const times = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
      times.push(Number(out.trim()));
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv) {
  const outIdx = argv.indexOf('--out-dir');
  const outDir = resolve(outIdx >= 0 && argv[outIdx + 1] ? argv[outIdx + 1] : join(root, 'dist', 'lambda'));
  const check = argv.includes('--check');
  const manifest = await buildAll(outDir);
  const text = manifestText(manifest);
  for (const [name, { sha256, bytes }] of Object.entries(manifest)) {
    console.log(`${name}.zip  ${bytes} bytes  sha256 ${sha256}`);
  }
  if (argv.includes('--measure')) {
    for (const name of HANDLERS) {
      const ms = measureColdImport(join(outDir, `${name}.zip`));
      console.log(`${name}: median cold import ${ms.toFixed(1)} ms (7 runs, node ${process.version})`);
    }
  }
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(MANIFEST, 'utf8');
    } catch {
      // missing counts as different
    }
    if (committed !== text) {
      console.error('lambda/artifacts.json is stale: run `npm run build:lambda` and commit it');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(MANIFEST, text);
    console.log(`wrote ${MANIFEST}`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
