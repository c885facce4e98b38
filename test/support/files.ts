/** File helpers for tests: YAML streams, temporary directories that clean up, directory comparison. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { parseAllDocuments } from 'yaml';

/**
 * Joins YAML files into one multi-document stream, each file's documents separated from the next by a
 * `---` line (a file may start with a comment or with its own `---`; empty documents are harmless).
 */
export function joinYaml(files: readonly string[]): string {
  return files
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      return text.endsWith('\n') ? text : `${text}\n`;
    })
    .join('---\n');
}

/** Parses a YAML stream into its non-empty documents as plain objects; throws on the first syntax error. */
export function parseYamlDocuments(text: string, source = 'YAML'): unknown[] {
  return parseAllDocuments(text)
    .map((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`${source}, document ${i + 1}: ${doc.errors[0]!.message}`);
      return doc.toJS() as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

/** Reads and parses a YAML file (see {@link parseYamlDocuments}). */
export function readYamlDocuments(file: string): unknown[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), file);
}

/** Absolute paths of the `*.yaml`/`*.yml` files directly in `dir`, sorted; an empty list when `dir` does not exist. */
export function yamlFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Paths of all files under `dir`, relative to it, with `/` separators, sorted. */
export function listFilesRecursive(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** How two directory trees differ; all lists empty means byte-identical. */
export interface DirDiff {
  /** Files only in the expected tree. */
  readonly missing: string[];
  /** Files only in the actual tree. */
  readonly extra: string[];
  /** Files in both whose bytes differ. */
  readonly changed: string[];
}

/** Compares two directory trees file by file, byte for byte. */
export function diffDirs(expectedDir: string, actualDir: string): DirDiff {
  const expected = listFilesRecursive(expectedDir);
  const actual = listFilesRecursive(actualDir);
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  return {
    missing: expected.filter((f) => !actualSet.has(f)),
    extra: actual.filter((f) => !expectedSet.has(f)),
    changed: expected
      .filter((f) => actualSet.has(f))
      .filter((f) => !readFileSync(join(expectedDir, f)).equals(readFileSync(join(actualDir, f)))),
  };
}

/** Set DRPLANE_KEEP_TMP=1 to keep temporary directories for a look after the run. */
const keepTemp = (): boolean => process.env.DRPLANE_KEEP_TMP === '1';

/** Removes a temporary directory (unless DRPLANE_KEEP_TMP=1). */
export function removeTempDir(dir: string): void {
  if (!keepTemp()) rmSync(dir, { recursive: true, force: true });
}

/** Creates a fresh directory under the OS temp dir; the caller removes it with {@link removeTempDir}. */
export function createTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `drplane-${prefix}-`));
}

/** Runs `fn` with a fresh temporary directory and removes the directory afterwards, also when `fn` throws. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = createTempDir(prefix);
  try {
    return await fn(dir);
  } finally {
    removeTempDir(dir);
  }
}

/**
 * A temporary directory for the current test file or `describe` block: created now, removed by an
 * `afterAll` hook. Call it at collection time (top level or inside `describe`).
 */
export function suiteTempDir(prefix: string): string {
  const dir = createTempDir(prefix);
  afterAll(() => removeTempDir(dir));
  return dir;
}
