/**
 * `drctl unpause FILE`: after a switchover, clears the stale replicationSourceIdentifier that keeps an estate's Aurora
 * clusters paused (see src/primitives/database/switchover.ts), so the function unpauses them. Reads the same guard the function
 * composes with; writes nothing while the writer is still moving.
 */
import type { Command } from 'commander';
import { loadClaim } from '../claims.js';
import { kubeConfigOf } from '../kubeconfig.js';
import { CliError, EXIT } from '../errors.js';
import { colors, outputFormat, outputOption, printData } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['text', 'json'] as const;

interface Options {
  kubeconfig?: string;
  dryRun?: boolean;
  output: string;
}

/** What the command found and did. */
interface Outcome {
  readonly state: 'no-database' | 'not-paused' | 'waiting' | 'cleared' | 'would-clear' | 'held';
  readonly message: string;
  readonly writerRegion?: string;
  readonly cleared?: readonly { cluster: string; region: string; value: string }[];
}

/** Registers the unpause command. */
export function register(program: Command): void {
  program
    .command('unpause')
    .description('after a switchover: clear the stale replicationSourceIdentifier that keeps the Aurora clusters paused')
    .argument('<file>', 'claim file (its name and namespace are looked up in the cluster)')
    .option('--kubeconfig <file>', 'kubeconfig (default: as kubectl finds it)')
    .option('--dry-run', 'say what would be cleared, change nothing')
    .addOption(outputOption(FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl unpause examples/payments.yaml --dry-run
  $ drctl unpause examples/payments.yaml

While the writer has not reached activeRegion the clusters stay paused on purpose: nothing is changed, exit 1.
Exit 0 when nothing is paused or the stale fields were cleared, 3 when the cluster cannot be reached.`,
    )
    .action(async (file: string, opts: Options) => {
      const format = outputFormat(opts.output, FORMATS);
      const claim = loadClaim(file);
      const outcome = await unpause(claim.metadata.namespace, claim.metadata.name, opts);
      if (format === 'json') printData('json', outcome);
      else
        process.stdout.write(
          `${outcome.state === 'waiting' || outcome.state === 'held' ? colors().yellow(outcome.message) : outcome.message}\n`,
        );
      process.exitCode = outcome.state === 'waiting' || outcome.state === 'held' ? EXIT.invalid : EXIT.ok;
    });
}

async function unpause(namespace: string, name: string, opts: Options): Promise<Outcome> {
  const [kc, { readDatabase, clearReplicationSource }, { databaseSwitchover, liveView }] = await Promise.all([
    kubeConfigOf(opts.kubeconfig),
    import('../../cluster/database.js'),
    import('../../compose/index.js'),
  ]);
  try {
    const db = await readDatabase(kc, namespace, name);
    if (!db) return { state: 'no-database', message: `${namespace}/${name} has no database: nothing is ever paused` };
    const guard = databaseSwitchover(db.composite, liveView(db.observed));
    const where = guard.writerRegion ? ` (writer in ${guard.writerRegion})` : '';
    if (!guard.paused) return { state: 'not-paused', message: `no Aurora cluster of ${namespace}/${name} is paused${where}` };
    if (guard.stale.length === 0) {
      const why = guard.events[0]?.message ?? 'the global cluster does not say where the writer is';
      return {
        state: guard.writerRegion ? 'waiting' : 'held',
        message: `nothing to clear yet: ${why}`,
        writerRegion: guard.writerRegion,
      };
    }
    const cleared = guard.stale.map((s) => ({ cluster: s.name, region: s.region, value: s.value }));
    if (opts.dryRun) {
      const lines = guard.stale.map((s) => `  ${s.name} (${s.region}): replicationSourceIdentifier ${s.value}`);
      return {
        state: 'would-clear',
        message: `would clear, then the function unpauses the clusters:\n${lines.join('\n')}`,
        writerRegion: guard.writerRegion,
        cleared,
      };
    }
    for (const s of guard.stale) await clearReplicationSource(kc, db.observed[s.key]!, s);
    const lines = guard.stale.map((s) => `  ${s.name} (${s.region})`);
    return {
      state: 'cleared',
      message: `cleared the stale replicationSourceIdentifier on:\n${lines.join('\n')}\nthe function unpauses the clusters on its next reconcile; the provider then re-initializes the field`,
      writerRegion: guard.writerRegion,
      cleared,
    };
  } catch (err) {
    if (err instanceof Error && err.name === 'ClusterError') throw new CliError(err.message, EXIT.external);
    throw err;
  }
}
