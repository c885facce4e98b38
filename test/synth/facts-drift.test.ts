/**
 * src/facts/generated is extracted from the pinned cfn-lint's data (`npm run facts`) and committed; CI fails when a
 * fresh extraction differs byte for byte, and when cfn-lint is missing or not the pinned version (never a silent pass).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffDirs, withTempDir } from '../support/files.js';
import { repoPath, repoRoot } from '../support/paths.js';
import { run } from '../support/process.js';

const tsx = repoPath('node_modules', '.bin', 'tsx');
const committed = repoPath('src', 'facts', 'generated');

/** Runs `npm run facts` into `dir` with the environment's Python unless `python` is given. */
const facts = (dir: string, python?: string) =>
  run(tsx, ['scripts/facts.ts', '--output', dir], {
    cwd: repoRoot,
    timeoutMs: 60_000,
    env: python === undefined ? {} : { DRPLANE_PYTHON: python },
  });

describe('the AWS facts extracted from cfn-lint', () => {
  it('a fresh extraction from the pinned cfn-lint is byte-identical to src/facts/generated', async () => {
    await withTempDir('facts', async (dir) => {
      const result = await facts(dir);
      expect(result.code, `npm run facts failed; fix what it says:\n${result.stderr}`).toBe(0);
      // eni-addresses.json comes from the VPC CNI's table, not cfn-lint: test/synth/vpc-cni-facts.test.ts.
      const all = diffDirs(committed, dir);
      const drift = { ...all, missing: all.missing.filter((f) => f !== 'eni-addresses.json') };
      const first = drift.changed.map((file) => {
        const a = readFileSync(join(committed, file), 'utf8').split('\n');
        const b = readFileSync(join(dir, file), 'utf8').split('\n');
        const n = a.findIndex((line, i) => line !== b[i]);
        return `${file} line ${n + 1}: committed ${a[n]} / generated ${b[n]}`;
      });
      expect(
        drift,
        `src/facts/generated differs from cfn-lint's data (${first.join('; ')}): run \`npm run facts\` and commit src/facts/generated`,
      ).toEqual({ missing: [], extra: [], changed: [] });
      expect(readdirSync(dir).sort()).toEqual([
        'aurora.json',
        'ec2-instance-types.json',
        'lambda-runtimes.json',
        'rds-master-usernames.json',
      ]);
    });
  }, 90_000);

  it('refuses to run, naming the fix, when cfn-lint is not installed for the Python it uses', async () => {
    await withTempDir('facts-nocfn', async (dir) => {
      // Python without site-packages: the standard library only, so no cfn-lint.
      const bare = join(dir, 'python');
      writeFileSync(bare, '#!/bin/sh\nexec python3 -S "$@"\n', { mode: 0o755 });
      const result = await facts(join(dir, 'out'), bare);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cfn-lint is not installed');
      expect(result.stderr).toContain('bash scripts/test-setup.sh');
      expect(() => readdirSync(join(dir, 'out'))).toThrow();
    });
  }, 60_000);

  it('refuses a cfn-lint other than the pinned one, and a missing Python, with the fix', async () => {
    await withTempDir('facts-other', async (dir) => {
      const pin = /^cfn-lint==(\S+)$/m.exec(readFileSync(repoPath('test', 'requirements.txt'), 'utf8'))![1]!;
      const other = join(dir, 'python');
      // A Python whose cfn-lint reports another version: importlib.metadata answers from a fake dist-info.
      const site = join(dir, 'site');
      writeFileSync(other, `#!/bin/sh\nPYTHONPATH=${site} exec python3 -S "$@"\n`, { mode: 0o755 });
      mkdirSync(join(site, 'cfn_lint-0.0.1.dist-info'), { recursive: true });
      mkdirSync(join(site, 'cfnlint'));
      writeFileSync(join(site, 'cfnlint', '__init__.py'), '');
      writeFileSync(
        join(site, 'cfn_lint-0.0.1.dist-info', 'METADATA'),
        'Metadata-Version: 2.1\nName: cfn-lint\nVersion: 0.0.1\n',
      );
      const mismatch = await facts(join(dir, 'out'), other);
      expect(mismatch.code).toBe(1);
      expect(mismatch.stderr).toContain(`has cfn-lint 0.0.1, test/requirements.txt pins ${pin}`);
      expect(mismatch.stderr).toContain('bash scripts/test-setup.sh');

      const missing = await facts(join(dir, 'out'), join(dir, 'no-such-python'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no Python at');
    });
  }, 60_000);
});
