/** Reading and validating claim files for commands: clear errors, never a stack trace. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { hasErrors, type TextValidation, validateText } from '../policy/validate.js';
import { CliError, EXIT } from './errors.js';
import { formatProblem } from './output.js';

/** The name standard input goes by on the command line and in output. */
export const STDIN = '-';

/** A file that cannot be read: a usage error naming it, with the reason in words (`why`). */
export class UnreadableFile extends CliError {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`cannot read ${path}: ${why}`);
  }
}

/** Why a file cannot be read, in words. */
function readError(file: string, err: unknown): UnreadableFile {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ELOOP'
            ? 'too many levels of symbolic links'
            : String(code ?? err);
  return new UnreadableFile(file, why);
}

/** Reads a file (or standard input for "-") as text, or fails with a usage error naming it. */
export function readText(file: string): string {
  try {
    return readFileSync(file === STDIN ? 0 : file, 'utf8');
  } catch (err) {
    throw readError(file, err);
  }
}

/** The claim files of a command line, and the paths that cannot be read with why. */
export interface ClaimFiles {
  readonly files: string[];
  readonly unreadable: { readonly path: string; readonly why: string }[];
}

/**
 * The claim files named on a command line: files as given, directories replaced by their *.yaml and
 * *.yml files (sorted), "-" for standard input; paths that cannot be read are listed with the reason.
 */
export function collectClaimFiles(paths: readonly string[]): ClaimFiles {
  const files: string[] = [];
  const unreadable: { path: string; why: string }[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      files.push(path);
      continue;
    }
    try {
      if (statSync(path).isDirectory()) {
        const yaml = readdirSync(path)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort();
        if (yaml.length === 0) unreadable.push({ path, why: 'no .yaml files in this directory' });
        files.push(...yaml.map((f) => join(path, f)));
      } else {
        files.push(path);
      }
    } catch (err) {
      unreadable.push({ path, why: readError(path, err).why });
    }
  }
  return { files, unreadable };
}

/** Like collectClaimFiles, but fails with a usage error naming every path that cannot be read. */
export function claimFiles(paths: readonly string[]): string[] {
  const { files, unreadable } = collectClaimFiles(paths);
  if (unreadable.length > 0) throw new CliError(`cannot read ${unreadable.map((u) => `${u.path}: ${u.why}`).join('; ')}`);
  return files;
}

/** Validates one claim file (YAML, schema, policy). Fails with a usage error if it cannot be read. */
export function validateFile(file: string, today?: Date): TextValidation {
  return validateText(readText(file), file, { today });
}

/**
 * The single valid claim of a file, for commands that need one (plan, cost, …). Invalid claims
 * print their problems and fail with exit code 1; warnings are summed up in one line and do not fail.
 */
export function loadClaim(file: string): DisasterRecoveryClaim {
  const result = validateFile(file);
  if (hasErrors(result.problems)) for (const p of result.problems) process.stderr.write(`${formatProblem(file, p)}\n`);
  else if (result.problems.length > 0) {
    // Warnings do not stop the command; one line says they exist, `drctl validate` prints them in full.
    const ids = [...new Set(result.problems.map((p) => p.ruleId))].join(', ');
    const n = result.problems.length;
    process.stderr.write(`${file}: ${n} warning${n === 1 ? '' : 's'} (${ids}); drctl validate ${file} shows them\n`);
  }
  if (hasErrors(result.problems))
    throw new CliError(`${file} is not a valid claim; fix the errors above (drctl validate ${file})`, EXIT.invalid);
  if (result.claims.length !== 1)
    throw new CliError(`${file} holds ${result.claims.length} claims; this command takes a file with one claim`);
  return result.claims[0]!;
}
