/**
 * Runs an Argo CD health script the way Argo CD does, under two interpreters:
 *   - gopher-lua, the interpreter Argo CD embeds, through test/bootstrap/gopher-lua (built by scripts/tools.sh): only
 *     the package, base and table libraries and an os table with time, as Argo CD opens them for health scripts;
 *   - PUC-Rio Lua 5.1 (Debian's `lua5.1`, or `$LUA`), the language level of gopher-lua, with the chunk sandboxed to
 *     the same names (safe base functions, table, os.time: no string, math, io or debug).
 * The script is one chunk, the object is the global `obj` (JSON objects and arrays as tables, arrays from index 1),
 * and the result is the table the chunk returns. A missing interpreter: on CI the suite fails, on a developer
 * machine it is skipped with the reason, and `npm test` names it at its start and end.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { isCI } from '../support/crossplane.js';
import { luaBinary, missingGopherLua, missingLua } from '../support/prerequisites.js';
import { gopherLua } from '../support/tools.js';
import { withTempDir } from '../support/files.js';

/** An interpreter of health scripts. */
export interface LuaEngine {
  /** Its name in test titles. */
  readonly name: string;
  /** Why it cannot run here, or undefined. */
  readonly missing: () => string | undefined;
  /** Runs `script` (Lua source) against `object` and returns the health it reports. */
  readonly run: (script: string, object: unknown) => Promise<Health>;
}

/** `describe` for suites that need `engine`: fails on CI when it is missing, skips with the reason elsewhere. */
export function describeWithLua(engine: LuaEngine, name: string, fn: () => void): void {
  const missing = isCI() ? undefined : engine.missing();
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
    '  table = table, os = { time = os.time } }',
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
function runProgram(program: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, { timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.destroy();
  });
}

/** The two lines both interpreters print (status, then message) as a Health. */
function health(stdout: string): Health {
  const newline = stdout.indexOf('\n');
  return { status: stdout.slice(0, newline), message: stdout.slice(newline + 1) };
}

/** PUC-Rio Lua 5.1 with the chunk sandboxed to Argo CD's names. */
export const LUA_51: LuaEngine = {
  name: 'Lua 5.1',
  missing: missingLua,
  run: (script, object) =>
    withTempDir('lua', async (dir) => {
      writeFileSync(join(dir, 'health.lua'), script);
      writeFileSync(join(dir, 'driver.lua'), driver(object));
      return health(await runProgram(luaBinary(), [join(dir, 'driver.lua'), join(dir, 'health.lua')]));
    }),
};

/** gopher-lua with Argo CD's library set (test/bootstrap/gopher-lua). */
export const GOPHER_LUA: LuaEngine = {
  name: 'gopher-lua',
  missing: missingGopherLua,
  run: (script, object) =>
    withTempDir('gopher-lua', async (dir) => {
      writeFileSync(join(dir, 'health.lua'), script);
      writeFileSync(join(dir, 'object.json'), JSON.stringify(object));
      return health(await runProgram(gopherLua(), [join(dir, 'health.lua'), join(dir, 'object.json')]));
    }),
};

/** Both interpreters: every health case runs under each. */
export const LUA_ENGINES: readonly LuaEngine[] = [GOPHER_LUA, LUA_51];
