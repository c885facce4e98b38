/** Reading and validating claim files for commands: clear errors, never a stack trace. */
import { readFileSync } from 'node:fs';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { hasErrors, validateText, type ClaimValidation } from '../policy/validate.js';
import { CliError, EXIT } from './errors.js';
import { formatProblem } from './output.js';

/** Reads a file as text, or fails with a usage error naming it. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new CliError(`cannot read ${file}: ${why}`);
  }
}

/** Validates every document of a claim file. */
export function validateFile(file: string): ClaimValidation[] {
  return validateText(readText(file));
}

/**
 * The single valid claim of a file, for commands that need one (plan, cost, …). Invalid claims
 * print their problems and fail with exit code 1; warnings are printed and do not fail.
 */
export function loadClaim(file: string): DisasterRecoveryClaim {
  const results = validateFile(file);
  const problems = results.flatMap((r) => r.problems);
  for (const p of problems) process.stderr.write(`${formatProblem(file, p)}\n`);
  if (hasErrors(problems)) throw new CliError(`${file} is not a valid claim; fix the errors above (drctl validate ${file})`, EXIT.invalid);
  if (results.length !== 1) throw new CliError(`${file} holds ${results.length} documents; this command takes a file with one claim`);
  return results[0]!.claim!;
}
