/**
 * src/facts/generated/eni-addresses.json is extracted from the VPC CNI's limits table at the commit and hash pinned in
 * src/facts/source.ts (`npm run facts:vpc-cni -- --source FILE`). The project reads no network: with the pinned file
 * named by $DRPLANE_VPC_CNI_SOURCE a fresh extraction must be byte-identical; without it that case is skipped (and
 * says so), while the committed file is still checked against the pin and for its shape.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENI_FACTS } from '../../src/facts/eni.js';
import { VPC_CNI_SOURCE } from '../../src/facts/source.js';
import { withTempDir } from '../support/files.js';
import { repoPath, repoRoot } from '../support/paths.js';
import { run } from '../support/process.js';

const tsx = repoPath('node_modules', '.bin', 'tsx');
const committed = repoPath('src', 'facts', 'generated', 'eni-addresses.json');
const pinnedSource = process.env.DRPLANE_VPC_CNI_SOURCE;
const extract = (source: string, output: string) =>
  run(tsx, ['scripts/vpc-cni-facts.ts', '--source', source, '--output', output], { cwd: repoRoot, timeoutMs: 60_000 });

describe('the VPC CNI facts (addresses per instance type)', () => {
  it('records the pinned source and holds every type of its table with a positive count', () => {
    const { generatedBy, ...source } = ENI_FACTS.source;
    expect(source).toEqual(VPC_CNI_SOURCE);
    expect(generatedBy).toMatch(/npm run facts:vpc-cni/);
    const counts = Object.values(ENI_FACTS.addresses);
    expect(counts.length).toBe(1391);
    expect(counts.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
  });

  it.skipIf(!pinnedSource)(
    'a fresh extraction from the pinned source is byte-identical (needs $DRPLANE_VPC_CNI_SOURCE)',
    async () => {
      await withTempDir('vpc-cni', async (dir) => {
        const result = await extract(pinnedSource!, dir);
        expect(result.code, result.stderr).toBe(0);
        expect(readFileSync(join(dir, 'eni-addresses.json'), 'utf8')).toBe(readFileSync(committed, 'utf8'));
      });
    },
    90_000,
  );

  it('refuses a source whose content is not the pinned one, naming the hash and where to download it', async () => {
    await withTempDir('vpc-cni-bad', async (dir) => {
      const fake = join(dir, 'vpc_ip_resource_limit.go');
      writeFileSync(fake, 'package vpc\n');
      const result = await extract(fake, join(dir, 'out'));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(VPC_CNI_SOURCE.sha256);
      expect(result.stderr).toContain(`raw.githubusercontent.com/${VPC_CNI_SOURCE.repository}/${VPC_CNI_SOURCE.commit}`);
    });
  }, 60_000);
});
