/**
 * drctl: the drplane command line. A thin adapter over src/ (api, policy, compose, estimate).
 * To add a command: write src/cli/commands/<name>.ts exporting `register(program)` and add it to
 * COMMANDS below.
 */
import { Command, CommanderError } from 'commander';
import { register as explain } from './commands/explain.js';
import { register as plan } from './commands/plan.js';
import { register as validate } from './commands/validate.js';
import { CliError, EXIT } from './errors.js';

/** Every command, in the order `drctl --help` lists them. */
const COMMANDS = [validate, plan, explain];

const EPILOG = `
Exit codes:
  0  success
  1  a claim is invalid, or an objective is not met
  2  usage error (unknown command or flag, unreadable file)
  3  the cluster or git failed

Start with:  drctl validate claims/payments.yaml  then  drctl plan claims/payments.yaml`;

/** The drctl program with every command registered. */
export function program(): Command {
  const cmd = new Command('drctl')
    .description('drplane: multi-region AWS disaster recovery from one DisasterRecovery claim')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .addHelpText('after', EPILOG)
    .exitOverride();
  for (const register of COMMANDS) register(cmd);
  for (const sub of cmd.commands) sub.exitOverride();
  return cmd;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`drctl: ${message}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : EXIT.external;
  }
}

await main(process.argv);
