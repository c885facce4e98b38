/**
 * Runs an Argo CD health script under a real Lua 5.1 interpreter (Debian's `lua5.1`, PUC-Rio Lua 5.1.5: the language
 * level of gopher-lua, which Argo CD embeds), the way Argo CD does: the script is one chunk, the object is the global
 * `obj` (JSON objects and arrays as tables, arrays from index 1), and the result is the table the chunk returns.
 * The chunk sees only the safe base functions and the string, table and math libraries, as in Argo CD's sandbox, so a
 * script that reaches for `os` or `io` fails here too.
 *
 * `$LUA` names another interpreter. Missing interpreter: on CI the suite fails, on a developer machine it is skipped
 * with the reason (install it with `apt-get install lua5.1`).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { isCI } from '../support/crossplane.js';
import { luaBinary, missingLua } from '../support/prerequisites.js';
import { withTempDir } from '../support/files.js';

/** `describe` for suites that need Lua: fails on CI when it is missing, skips with the reason elsewhere. */
export function describeWithLua(name: string, fn: () => void): void {
  const missing = isCI() ? undefined : missingLua();
  if (missing === undefined) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED (not on CI) "${name}": ${missing}`);
    describe.skip(`${name} [SKIPPED: ${missing}]`, fn);
  }
}

/** A Lua string literal with every byte that is not printable ASCII written as a decimal escape. */
function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte >= 0x20 && byte < 0x7f && char !== '"' && char !== '\\' ? char : `\\${byte}`;
  }
  return `${out}"`;
}

/** A JSON value as a Lua expression (null becomes nil, which is how Argo CD's conversion drops it). */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot pass ${value} to Lua`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`);
    return `{${fields.join(', ')}}`;
  }
  throw new Error(`cannot pass a ${typeof value} to Lua`);
}

/** What a health script returned. */
export interface Health {
  readonly status: string;
  readonly message: string;
}

/** The driver: sandboxes the chunk, gives it `obj`, prints status and message on two lines. */
function driver(object: unknown): string {
  return [
    `local env = { obj = ${toLua(object)}, ipairs = ipairs, pairs = pairs, next = next, type = type,`,
    '  tostring = tostring, tonumber = tonumber, select = select, error = error, pcall = pcall,',
    '  string = string, table = table, math = math }',
    'local chunk = assert(loadfile(arg[1]))',
    'setfenv(chunk, env)',
    'local hs = chunk()',
    'assert(type(hs) == "table", "the health script returned " .. type(hs))',
    'io.write(tostring(hs.status), "\\n", tostring(hs.message))',
  ].join('\n');
}

/**
 * Runs the interpreter with no stdin (it reads none; support/process.ts's `run` writes to stdin and can hit EPIPE
 * when a program exits that fast) and resolves with stdout, or rejects with stderr.
 */
function runLua(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(luaBinary(), args, { timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${luaBinary()} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.destroy();
  });
}

/** Runs `script` (Lua source) against `object` and returns the health it reports. */
export async function runHealth(script: string, object: unknown): Promise<Health> {
  return withTempDir('lua', async (dir) => {
    writeFileSync(join(dir, 'health.lua'), script);
    writeFileSync(join(dir, 'driver.lua'), driver(object));
    const stdout = await runLua([join(dir, 'driver.lua'), join(dir, 'health.lua')]);
    const newline = stdout.indexOf('\n');
    return { status: stdout.slice(0, newline), message: stdout.slice(newline + 1) };
  });
}
