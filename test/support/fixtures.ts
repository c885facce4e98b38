/** Reads the expectations that invalid fixtures declare in `# expect: <rule id>[, <rule id>...]` comment lines. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** An invalid claim fixture and the rule ids it says it violates. */
export interface InvalidFixture {
  readonly file: string;
  readonly name: string;
  /** Rule ids from every `# expect:` line, in order; empty when the fixture declares none. */
  readonly expects: readonly string[];
}

/** Rule ids from the `# expect:` comment lines of a YAML text (ids separated by commas or spaces). */
export function expectedRuleIds(text: string): string[] {
  return [...text.matchAll(/^\s*#\s*expect:\s*(.*)$/gm)].flatMap((m) => m[1]!.split(/[\s,]+/).filter((id) => id !== ''));
}

/** Reads an invalid fixture file and its expectations. */
export function readInvalidFixture(file: string): InvalidFixture {
  return { file, name: basename(file), expects: expectedRuleIds(readFileSync(file, 'utf8')) };
}
