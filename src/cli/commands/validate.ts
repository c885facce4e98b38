/** `drctl validate FILE…`: YAML, schema and policy problems of claim files. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import {
  ACCESS_ANNOTATION,
  ACCOUNT_GUARD,
  accessProblem,
  parseAccess,
  type ProviderConfigAccess,
} from '../../policy/account-access.js';
import { hasErrors } from '../../policy/validate.js';
import type { Problem } from '../../policy/types.js';
import type { DisasterRecoveryClaim } from '../../api/claim.js';
import { UnreadableFile, collectClaimFiles, validateFile } from '../claims.js';
import { CliError, EXIT } from '../errors.js';
import { colors, formatProblem, outputFormat, outputOption, printData } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['text', 'json'] as const;

/** The verdict on one file, as `--output json` prints it. */
export interface FileVerdict {
  readonly file: string;
  readonly valid: boolean;
  readonly problems: Problem[];
  /** The valid claims of the file (for checks across files); not printed. */
  readonly claims?: readonly DisasterRecoveryClaim[];
}

/** Registers the validate command. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check claim files: YAML syntax, the schema and every policy rule')
    .argument('<files...>', 'claim files or directories of them (YAML, one or more claims each; - reads standard input)')
    .addOption(outputOption(FORMATS))
    .option(
      '--account-guard <file>',
      "also check each claim's providerConfigRef against the bootstrap's account guard, as the control plane's API server does (compositions/bootstrap/provider-config/account-guard.yaml)",
    )
    .addHelpText(
      'after',
      `
Examples:
  $ drctl validate examples/payments.yaml
  $ drctl validate claims/                      every .yaml file of a directory
  $ drctl validate examples/*.yaml --output json  {"files":[{"file","valid","problems":[…]}]}
  $ cat claim.yaml | drctl validate -
  $ drctl validate claims/ --account-guard compositions/bootstrap/provider-config/account-guard.yaml

Each problem prints as  file:line:col: spec.path: message (rule-id), warnings marked "warning:".
Exits 1 when any claim has an error (warnings do not fail), 2 when a file cannot be read (the others are
still validated). Two claims with the same namespace and name in one run are an error.`,
    )
    .action((paths: string[], opts: { output: string; accountGuard?: string }) => {
      const format = outputFormat(opts.output, FORMATS);
      const access = opts.accountGuard === undefined ? undefined : readAccountGuard(opts.accountGuard);
      const { files, unreadable } = collectClaimFiles(paths);
      const verdicts = [
        ...files.map((file): FileVerdict => {
          try {
            const { problems, claims } = validateFile(file);
            return { file, valid: !hasErrors(problems), problems, claims };
          } catch (err) {
            if (!(err instanceof UnreadableFile)) throw err;
            return unreadableVerdict(file, err.why);
          }
        }),
        ...unreadable.map((u) => unreadableVerdict(u.path, u.why)),
      ];
      const checked = withAccess(withDuplicateNames(verdicts), access).map(({ claims: _c, ...v }) => v);
      if (format === 'json') printData('json', { files: checked });
      else process.stdout.write(textReport(checked));
      process.exitCode = checked.some((v) => v.problems.some((p) => p.ruleId === UNREADABLE))
        ? EXIT.usage
        : checked.every((v) => v.valid)
          ? EXIT.ok
          : EXIT.invalid;
    });
}

/** Rule id of a file that cannot be read (exit 2); the other files are still validated. */
const UNREADABLE = 'file.unreadable';

function unreadableVerdict(file: string, why: string): FileVerdict {
  return {
    file,
    valid: false,
    problems: [{ path: '', message: `cannot read it: ${why}`, ruleId: UNREADABLE, severity: 'error' }],
  };
}

/**
 * Two claims with the same namespace and name in one run (two documents, or two files) would be one object in the
 * cluster: the later apply silently replaces the earlier. Every claim after the first is an error naming the first.
 */
function withDuplicateNames(verdicts: readonly FileVerdict[]): FileVerdict[] {
  const first = new Map<string, string>();
  return verdicts.map((v) => {
    const extra: Problem[] = [];
    (v.claims ?? []).forEach((claim, index) => {
      const id = `${claim.metadata.namespace}/${claim.metadata.name}`;
      const where = `${v.file}${(v.claims?.length ?? 0) > 1 ? ` [document ${index + 1}]` : ''}`;
      const seen = first.get(id);
      if (seen === undefined) first.set(id, where);
      else
        extra.push({
          path: 'metadata.name',
          message: `${id} is also the claim in ${seen}: the cluster holds one object per namespace and name, so one would silently replace the other; rename one of them`,
          ruleId: 'claims.duplicate-name',
          severity: 'error',
          ...(v.claims!.length > 1 ? { document: index + 1 } : {}),
        });
    });
    return extra.length === 0 ? v : { ...v, valid: false, problems: [...v.problems, ...extra] };
  });
}

/** The access map of the account guard file (the ValidatingAdmissionPolicy the bootstrap renders); exit 2 if unusable. */
export function readAccountGuard(file: string): ProviderConfigAccess {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`--account-guard ${file}: cannot read it: ${(err as Error).message}`, EXIT.usage);
  }
  const policy = parseAllDocuments(text)
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> } } | null)
    .find((o) => o?.kind === 'ValidatingAdmissionPolicy' && o.metadata?.name === ACCOUNT_GUARD);
  const json = policy?.metadata?.annotations?.[ACCESS_ANNOTATION];
  if (json === undefined)
    throw new CliError(
      `--account-guard ${file}: no ValidatingAdmissionPolicy ${ACCOUNT_GUARD} with annotation ${ACCESS_ANNOTATION}; give compositions/bootstrap/provider-config/account-guard.yaml (npm run synth writes it)`,
      EXIT.usage,
    );
  try {
    return parseAccess(json);
  } catch (err) {
    throw new CliError(`--account-guard ${file}: ${(err as Error).message}`, EXIT.usage);
  }
}

/** Every claim whose namespace may not use its ProviderConfig is an error, as the API server would refuse it. */
function withAccess(verdicts: readonly FileVerdict[], access: ProviderConfigAccess | undefined): FileVerdict[] {
  if (access === undefined) return [...verdicts];
  return verdicts.map((v) => {
    const extra = (v.claims ?? []).flatMap((claim, index) => {
      const problem = accessProblem(claim, access);
      return problem ? [{ ...problem, ...(v.claims!.length > 1 ? { document: index + 1 } : {}) }] : [];
    });
    return extra.length === 0 ? v : { ...v, valid: false, problems: [...v.problems, ...extra] };
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
