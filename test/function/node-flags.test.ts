/**
 * The function's Node flags (FUNCTION_NODE_FLAGS): the image starts the bundle with them, Node accepts them, and they
 * bound the young generation as their comment says. (Their effect on the function's peak RSS is measured by
 * `npm run bench`, not asserted here: it depends on the machine's load.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTION_NODE_FLAGS } from '../../src/function/flags.js';
import { repoPath } from '../support/paths.js';

/** The ENTRYPOINT of the Dockerfile's last stage (the function image). */
function functionEntrypoint(): string[] {
  const lines = readFileSync(repoPath('Dockerfile'), 'utf8').split('\n');
  const last = lines.filter((l) => l.startsWith('ENTRYPOINT ')).at(-1)!;
  return JSON.parse(last.slice('ENTRYPOINT '.length)) as string[];
}

/** The young generation's capacity (MB) after allocating 64 MB of short-lived objects under `flags`. */
function youngGenerationMb(flags: readonly string[]): number {
  const script = `
    const v8 = require('node:v8');
    let keep;
    for (let i = 0; i < 1e6; i++) keep = { i, s: 'x'.repeat(40) + i };
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size / 1048576));`;
  const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout);
}

describe("the function's Node flags", () => {
  it('are what the image starts the bundle with', () => {
    expect(functionEntrypoint()).toEqual(['/nodejs/bin/node', ...FUNCTION_NODE_FLAGS, 'function.mjs']);
  });

  it('keep the young generation small where V8 would grow it', () => {
    const bounded = youngGenerationMb(FUNCTION_NODE_FLAGS);
    const unbounded = youngGenerationMb([]);
    expect(bounded).toBeLessThanOrEqual(3);
    expect(unbounded).toBeGreaterThan(bounded * 2);
  });
});
