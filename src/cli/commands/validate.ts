/** `drctl validate FILE…`: YAML, schema and policy problems of claim files. */
import type { Command } from 'commander';
import { hasErrors } from '../../policy/validate.js';
import { validateFile } from '../claims.js';
import { EXIT } from '../errors.js';
import { colors, formatProblem, outputFormat, printData } from '../output.js';

/** Registers the validate command. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check claim files: YAML syntax, the schema and every policy rule')
    .argument('<files...>', 'claim files (YAML, one or more documents each)')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl validate claims/payments.yaml
  $ drctl validate claims/*.yaml --output json

Each problem prints as  file:line:col: spec.path: message (rule-id).
Exits 1 when any claim has an error; warnings do not fail.`,
    )
    .action((files: string[], opts: { output: string }) => {
      const format = outputFormat(opts.output, ['text', 'json']);
      const results = files.map((file) => {
        const problems = validateFile(file).flatMap((r) => r.problems);
        return { file, valid: !hasErrors(problems), problems };
      });
      if (format === 'json') printData('json', { files: results });
      else printText(results);
      process.exitCode = results.every((r) => r.valid) ? EXIT.ok : EXIT.invalid;
    });
}

function printText(results: { file: string; valid: boolean; problems: import('../../policy/types.js').Problem[] }[]): void {
  const c = colors();
  for (const r of results) {
    for (const p of r.problems) process.stdout.write(`${formatProblem(r.file, p)}\n`);
    const warnings = r.problems.filter((p) => p.severity === 'warning').length;
    const errors = r.problems.length - warnings;
    const verdict = r.valid ? c.green('valid') : c.red('invalid');
    process.stdout.write(`${r.file}: ${verdict} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})\n`);
  }
}
