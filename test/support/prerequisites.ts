/**
 * What the test tiers need besides npm packages, checked in one place: the suites that need a program skip (off CI)
 * or fail (on CI) through these checks, and the global setup prints every skipped tier at the start and the end of
 * the run, so a missing program is never a silent skip. `bash scripts/test-setup.sh` installs them.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { MissingToolError, gopherLua } from './tools.js';

/** Debian's Chromium, which playwright-core drives in test/portal/browser.test.ts. */
export const CHROMIUM = '/usr/bin/chromium';

/** The Lua 5.1 interpreter: `$LUA`, else `lua5.1` on PATH. */
export function luaBinary(): string {
  return process.env.LUA || 'lua5.1';
}

/** Why the Lua interpreter cannot run, or undefined when it runs and is Lua 5.1. */
export function missingLua(): string | undefined {
  const result = spawnSync(luaBinary(), ['-v'], { encoding: 'utf8' });
  if (result.error) return `${luaBinary()} is not installed (apt-get install lua5.1, or set LUA)`;
  const version = `${result.stdout}${result.stderr}`;
  if (!version.includes('Lua 5.1')) return `${luaBinary()} is not Lua 5.1 (${version.trim()}); Argo CD's gopher-lua is 5.1`;
  return undefined;
}

/** Why the gopher-lua health runner cannot run, or undefined. */
export function missingGopherLua(): string | undefined {
  try {
    gopherLua();
    return undefined;
  } catch (err) {
    if (err instanceof MissingToolError) return err.message;
    throw err;
  }
}

/** Why Chromium cannot run the browser tests, or undefined. */
export function missingChromium(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`;
}

/** A tier that needs a program, and why it cannot run now (undefined when it can). */
export interface Tier {
  readonly name: string;
  readonly missing: string | undefined;
}

/** Prints a banner naming every tier that cannot run; nothing when all can. */
export function reportSkippedTiers(tiers: readonly Tier[], when: string): void {
  const skipped = tiers.filter((t) => t.missing !== undefined);
  if (skipped.length === 0) return;
  const bar = '='.repeat(100);
  const lines = skipped.map((t) => `  - ${t.name}: ${t.missing}`);
  console.warn(
    [
      bar,
      `TESTS SKIPPED ${when}: ${skipped.length} tier(s) cannot run on this machine${process.env.CI ? ' (on CI they fail instead)' : ''}:`,
      ...lines,
      'Install what they need with: bash scripts/test-setup.sh',
      bar,
    ].join('\n'),
  );
}
