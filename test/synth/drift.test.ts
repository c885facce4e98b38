/**
 * compositions/ and imports/ are generated and committed; CI fails when they drift from their sources.
 * Each check regenerates into a temporary directory and compares byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DirDiff, diffDirs, withTempDir } from '../support/files.js';
import { repoPath, repoRoot } from '../support/paths.js';
import { runOk } from '../support/process.js';

const tsx = repoPath('node_modules', '.bin', 'tsx');
const noDiff: DirDiff = { missing: [], extra: [], changed: [] };

/** Runs `npm run synth` (charts/main.ts) into `outdir`. */
async function synth(outdir: string): Promise<void> {
  await runOk(tsx, ['charts/main.ts', outdir], { cwd: repoRoot, timeoutMs: 90_000 });
}

/** `line N: committed … / generated …` for the first line where two text files differ. */
function firstDifference(committedFile: string, generatedFile: string): string {
  const a = readFileSync(committedFile, 'utf8').split('\n');
  const b = readFileSync(generatedFile, 'utf8').split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const n = i === -1 ? a.length : i;
  return `line ${n + 1}:\n      committed: ${a[n] ?? '<end of file>'}\n      generated: ${b[n] ?? '<end of file>'}`;
}

/** A readable assertion message for how a generated tree differs from the committed one. */
function explain(committedDir: string, generatedDir: string, diff: DirDiff, fix: string): string {
  const lines = [
    ...diff.missing.map((f) => `  committed but not generated any more: ${f}`),
    ...diff.extra.map((f) => `  generated but not committed: ${f}`),
    ...diff.changed.map((f) => `  differs: ${f}, ${firstDifference(join(committedDir, f), join(generatedDir, f))}`),
  ];
  return `${lines.join('\n')}\n  fix: ${fix}\n`;
}

describe('generated files are up to date', () => {
  it('a fresh synth is byte-identical to compositions/, and so is a second one', async () => {
    await withTempDir('synth', async (dir) => {
      const first = join(dir, 'first');
      const second = join(dir, 'second');
      await Promise.all([synth(first), synth(second)]);
      const committed = repoPath('compositions');
      const drift = diffDirs(committed, first);
      expect(drift, explain(committed, first, drift, 'run `npm run synth` and commit compositions/')).toEqual(noDiff);
      const unstable = diffDirs(first, second);
      expect(unstable, explain(first, second, unstable, 'two syntheses differ: make the charts deterministic')).toEqual(noDiff);
    });
  }, 120_000);

  // Slow (~20 s): `cdk8s import` of every API group the primitives use.
  it('[slow] a fresh import of the pinned CRDs is byte-identical to imports/', async () => {
    await withTempDir('import', async (dir) => {
      await runOk(tsx, ['scripts/import-crds.ts', '--output', dir], { cwd: repoRoot, timeoutMs: 180_000 });
      const committed = repoPath('imports');
      const drift = diffDirs(committed, dir);
      expect(drift, explain(committed, dir, drift, 'run `npm run import` and commit imports/')).toEqual(noDiff);
    });
  }, 180_000);
});
