/** Generated single files (claim reference, Function package metadata) match a fresh generation. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../support/files.js';
import { repoPath, repoRoot } from '../support/paths.js';
import { runOk } from '../support/process.js';

const tsx = repoPath('node_modules', '.bin', 'tsx');

describe('generated files are up to date', () => {
  it('docs/claim-reference.md matches `npm run docs`', async () => {
    await withTempDir('docs', async (dir) => {
      await runOk(tsx, ['scripts/claim-reference.ts', join(dir, 'ref.md')], { cwd: repoRoot });
      expect(readFileSync(join(dir, 'ref.md'), 'utf8'), 'run `npm run docs` and commit docs/claim-reference.md').toBe(
        readFileSync(repoPath('docs', 'claim-reference.md'), 'utf8'),
      );
    });
  }, 60_000);

  it('package/crossplane.yaml matches `npm run synth`', async () => {
    await withTempDir('pkg', async (dir) => {
      await runOk(tsx, ['charts/main.ts', join(dir, 'compositions')], { cwd: repoRoot, timeoutMs: 90_000 });
      expect(readFileSync(join(dir, 'package', 'crossplane.yaml'), 'utf8'), 'run `npm run synth` and commit package/').toBe(
        readFileSync(repoPath('package', 'crossplane.yaml'), 'utf8'),
      );
    });
  }, 90_000);

  it('every claim field in the reference has a description', () => {
    const rows = readFileSync(repoPath('docs', 'claim-reference.md'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('| `spec'));
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) expect(row.split('|')[5]!.trim(), row).not.toBe('');
  });

  it('states bounds and requiredness as they are: retention days listed, zoneId required with routing', () => {
    const row = (field: string) =>
      readFileSync(repoPath('docs', 'claim-reference.md'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`| \`${field}\` `))!
        .split('|')
        .map((c) => c.trim());
    const retention = row('spec.service.logRetentionDays');
    expect(retention[4]).not.toMatch(/region/);
    expect(retention[4]).toContain('`7`, `14`, `30`');
    expect(row('spec.routing.zoneId')[3]).toBe('**required**');
    expect(row('spec.regions.primary')[4]).toMatch(/one of \d+ AWS regions/);
  });
});
