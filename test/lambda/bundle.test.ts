/** The Lambda zips are reproducible byte for byte, and lambda/artifacts.json matches a fresh build. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { buildAll, HANDLERS, manifestText, MANIFEST } from '../../scripts/build-lambda.mjs';
import { withTempDir } from '../support/files.js';

describe('Lambda bundles', () => {
  it('two builds are byte-identical, hold one index.mjs each, and match lambda/artifacts.json', async () => {
    await withTempDir('lambda-a', async (a) =>
      withTempDir('lambda-b', async (b) => {
        const [first, second] = await Promise.all([buildAll(a), buildAll(b)]);
        for (const name of HANDLERS as string[]) {
          const zipA = readFileSync(join(a, `${name}.zip`));
          expect(zipA.equals(readFileSync(join(b, `${name}.zip`))), `${name}.zip differs between builds`).toBe(true);
          // A zip with a single entry: local header signature, then the file name index.mjs.
          expect(zipA.subarray(0, 4).toString('hex')).toBe('504b0304');
          expect(zipA.subarray(30, 39).toString()).toBe('index.mjs');
        }
        expect(first).toEqual(second);
        expect(manifestText(first), 'run `npm run build:lambda` and commit lambda/artifacts.json').toBe(
          readFileSync(MANIFEST, 'utf8'),
        );
      }),
    );
  }, 120_000);
});
