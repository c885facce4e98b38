/**
 * drctl: the drplane command line, a thin adapter over src/ (api, policy, compose, …).
 *
 * Adding a command is one line: write src/cli/commands/<name>.ts exporting
 * `register(program: Command): void` (give it --help examples), then add
 *   export { register as <name> } from './<name>.js';
 * to src/cli/commands/index.ts. Nothing here changes.
 *
 * Errors: a command throws CliError(message, exitCode) for anything the user can fix; it prints as
 * one line `drctl: <message>`. Anything else is a bug: one line too, exit 4, and the stack trace
 * only with DRCTL_DEBUG=1. Exit codes are listed in EPILOG (`drctl --help`).
 */
import { Command, CommanderError } from 'commander';
import * as commands from './commands/index.js';
import { CliError, EXIT } from './errors.js';

const EPILOG = `
Exit codes:
  0  success (warnings do not fail)
  1  a claim is invalid, or an objective is not met
  2  usage error: unknown command or flag, missing or unreadable file
  3  the cluster or git failed
  4  internal error in drctl (a bug; DRCTL_DEBUG=1 prints the stack trace)

Examples:
  $ drctl validate examples/payments.yaml
  $ drctl explain spec.database.engineVersion
  $ drctl plan examples/payments.yaml

Colour is used only on a terminal (NO_COLOR=1 turns it off).`;

/** The drctl program with every command registered; errors surface as CommanderError, never exit. */
export function program(): Command {
  const cmd = new Command('drctl')
    .description('drplane: multi-region AWS disaster recovery from one DisasterRecovery claim')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: true })
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'drctl: ')) })
    .addHelpText('after', EPILOG)
    .exitOverride();
  for (const register of Object.values(commands)) register(cmd);
  for (const sub of cmd.commands)
    sub.exitOverride().configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'drctl: ')) });
  return cmd;
}

/** Runs drctl with `argv` (as process.argv) and returns the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await program().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof CliError) {
      process.stderr.write(`drctl: ${err.message}\n`);
      return err.exitCode;
    }
    const detail =
      process.env.DRCTL_DEBUG && err instanceof Error ? `\n${err.stack}` : ' (set DRCTL_DEBUG=1 for the stack trace)';
    process.stderr.write(`drctl: internal error: ${err instanceof Error ? err.message : String(err)}${detail}\n`);
    return EXIT.internal;
  }
}

// A closed pipe (drctl plan … | head) ends output quietly, as Unix tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv);
