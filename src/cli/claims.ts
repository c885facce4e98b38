/** Reading and validating claim files for commands: clear errors, never a stack trace. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { hasErrors, type TextValidation, validateText } from '../policy/validate.js';
import { CliError, EXIT } from './errors.js';
import { formatProblem } from './output.js';

/** The name standard input goes by on the command line and in output. */
export const STDIN = '-';

/** Why a file cannot be read, in words. */
function readError(file: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : String(code ?? err);
  return new CliError(`cannot read ${file}: ${why}`);
}

/** Reads a file (or standard input for "-") as text, or fails with a usage error naming it. */
export function readText(file: string): string {
  try {
    return readFileSync(file === STDIN ? 0 : file, 'utf8');
  } catch (err) {
    throw readError(file, err);
  }
}

/**
 * The claim files named on a command line: files as given, directories replaced by their *.yaml and
 * *.yml files (sorted), "-" for standard input. Fails with a usage error naming every path that
 * cannot be read, before anything is validated.
 */
export function claimFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const missing: string[] = [];
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
        if (yaml.length === 0) missing.push(`${path}: no .yaml files in this directory`);
        files.push(...yaml.map((f) => join(path, f)));
      } else {
        files.push(path);
      }
    } catch (err) {
      missing.push(readError(path, err).message.replace(/^cannot read /, ''));
    }
  }
  if (missing.length > 0) throw new CliError(`cannot read ${missing.join('; ')}`);
  return files;
}

/** Validates every document of a claim file. */
export function validateFile(file: string, today?: Date): TextValidation {
  return validateText(readText(file), file, { today });
}

/**
 * The single valid claim of a file, for commands that need one (plan, cost, …). Invalid claims
 * print their problems and fail with exit code 1; warnings are printed and do not fail.
 */
export function loadClaim(file: string): DisasterRecoveryClaim {
  const result = validateFile(file);
  for (const p of result.problems) process.stderr.write(`${formatProblem(file, p)}\n`);
  if (hasErrors(result.problems))
    throw new CliError(`${file} is not a valid claim; fix the errors above (drctl validate ${file})`, EXIT.invalid);
  if (result.claims.length !== 1)
    throw new CliError(`${file} holds ${result.claims.length} claims; this command takes a file with one claim`);
  return result.claims[0]!;
}
