/** Output helpers: colour only on a terminal, tables, problems, and the --output formats. */
import { Option } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { stringify } from 'yaml';
import type { Problem } from '../policy/types.js';
import { CliError } from './errors.js';

/** Output formats commands accept. */
export type OutputFormat = 'text' | 'table' | 'json' | 'yaml';

/** True when stdout is a terminal and colour is not disabled (NO_COLOR, FORCE_COLOR=0). */
export const interactive = (): boolean =>
  Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0';

/** Colour functions: real on a terminal, identity otherwise. */
export const colors = () => pc.createColors(interactive());

/**
 * The -o/--output option of a command that prints `formats` (the first is the default). The formats are the option's
 * choices, so help and shell completion list them; outputFormat checks the value with drctl's own message.
 */
export function outputOption(formats: readonly OutputFormat[]): Option {
  const option = new Option('-o, --output <format>', 'output format').default(formats[0]);
  option.argChoices = [...formats];
  return option;
}

/** Parses an --output value against the formats a command supports. */
export function outputFormat(value: string, allowed: readonly OutputFormat[]): OutputFormat {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliError(`--output ${value} is not supported here; use one of ${allowed.join(', ')}`);
  }
  return value as OutputFormat;
}

/** A problem as `file:line:col: spec.path: message (rule-id)`, warnings marked. */
export function formatProblem(file: string, p: Problem): string {
  const c = colors();
  const where = [file, p.line, p.column].filter((x) => x !== undefined).join(':');
  const doc = p.document !== undefined ? ` [document ${p.document}]` : '';
  const severity = p.severity === 'warning' ? c.yellow('warning: ') : '';
  const path = p.path ? `${c.bold(p.path)}: ` : '';
  return `${where}${doc}: ${severity}${path}${p.message} ${c.dim(`(${p.ruleId})`)}`;
}

/** A table: box-drawn on a terminal, tab-free aligned plain text otherwise. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  if (interactive()) {
    const t = new Table({ head: [...head], style: { head: ['cyan'] } });
    t.push(...rows.map((r) => r.map(String)));
    return t.toString();
  }
  const all = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** Writes data as JSON or YAML to stdout. */
export function printData(format: 'json' | 'yaml', data: unknown): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 }));
}
