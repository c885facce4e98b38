/** `drctl validate FILE…`: YAML, schema and policy problems of claim files. */
import type { Command } from 'commander';
import { hasErrors } from '../../policy/validate.js';
import type { Problem } from '../../policy/types.js';
import { claimFiles, validateFile } from '../claims.js';
import { EXIT } from '../errors.js';
import { colors, formatProblem, outputFormat, printData } from '../output.js';

/** The verdict on one file, as `--output json` prints it. */
export interface FileVerdict {
  readonly file: string;
  readonly valid: boolean;
  readonly problems: Problem[];
}

/** Registers the validate command. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check claim files: YAML syntax, the schema and every policy rule')
    .argument('<files...>', 'claim files or directories of them (YAML, one or more claims each; - reads standard input)')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl validate claims/payments.yaml
  $ drctl validate claims/                      every .yaml file of a directory
  $ drctl validate claims/*.yaml --output json  {"files":[{"file","valid","problems":[…]}]}
  $ cat claim.yaml | drctl validate -

Each problem prints as  file:line:col: spec.path: message (rule-id), warnings marked "warning:".
Exits 1 when any claim has an error (warnings do not fail), 2 when a file cannot be read.`,
    )
    .action((paths: string[], opts: { output: string }) => {
      const format = outputFormat(opts.output, ['text', 'json']);
      const verdicts = claimFiles(paths).map((file): FileVerdict => {
        const { problems } = validateFile(file);
        return { file, valid: !hasErrors(problems), problems };
      });
      if (format === 'json') printData('json', { files: verdicts });
      else process.stdout.write(textReport(verdicts));
      process.exitCode = verdicts.every((v) => v.valid) ? EXIT.ok : EXIT.invalid;
    });
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Problems of every file, then one verdict line per file. */
export function textReport(verdicts: readonly FileVerdict[]): string {
  const c = colors();
  const lines: string[] = [];
  for (const v of verdicts) {
    lines.push(...v.problems.map((p) => formatProblem(v.file, p)));
    const warnings = v.problems.filter((p) => p.severity === 'warning').length;
    const counts = `(${plural(v.problems.length - warnings, 'error')}, ${plural(warnings, 'warning')})`;
    lines.push(`${v.file}: ${v.valid ? c.green('valid') : c.red('invalid')} ${counts}`);
  }
  return `${lines.join('\n')}\n`;
}
