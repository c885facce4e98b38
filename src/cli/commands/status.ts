/** `drctl status FILE`: the live tree claim → composite → primitives → managed resources, with Ready/Synced. */
import type { Command } from 'commander';
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { CellReadiness } from '../../cluster/readiness.js';
import type { EstateSummary, TreeNode } from '../../cluster/tree.js';
import { regionStatusLines } from '../../primitives/registry.js';
import { loadClaim } from '../claims.js';
import { kubeConfigOf } from '../kubeconfig.js';
import { CliError, EXIT } from '../errors.js';
import { colors, interactive, outputFormat, outputOption, printData } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['text', 'json', 'yaml'] as const;

/** Registers the status command. */
export function register(program: Command): void {
  program
    .command('status')
    .description('show the live estate of a claim: claim, composite, primitives and managed resources with Ready/Synced')
    .argument('<file>', 'claim file (its name and namespace are looked up in the cluster)')
    .option('--kubeconfig <file>', 'kubeconfig (default: as kubectl finds it)')
    .option('-w, --watch', 'refresh until interrupted')
    .option('--interval <seconds>', 'refresh interval with --watch', '5')
    .option(
      '--no-readiness',
      "do not ask AWS for each region's ARC readiness (routing.control arc; read with the default AWS credentials)",
    )
    .addOption(outputOption(FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl status examples/payments.yaml
  $ drctl status examples/payments.yaml --watch
  $ drctl status examples/payments.yaml --output json | jq '.children[0].ready'

With routing.control arc, each region's ARC readiness (READY, NOT_READY, UNKNOWN, NOT_AUTHORIZED) is read from
the Recovery Readiness API for the cells the claim's status names, with the default AWS credentials (needs
route53-recovery-readiness:GetCellReadinessSummary); readiness is shown, it does not change the exit code.

Exits 0 when everything is Ready (informational objects, such as a region's readiness report not written yet, do not
count), 1 when something is not, 3 when the cluster cannot be reached.`,
    )
    .action(
      async (
        file: string,
        opts: { kubeconfig?: string; watch?: boolean; interval: string; output: string; readiness: boolean },
      ) => {
        const format = outputFormat(opts.output, FORMATS);
        const claim = loadClaim(file);
        const [kc, { estateTree, flatten }] = await Promise.all([kubeConfigOf(opts.kubeconfig), import('../../cluster/tree.js')]);
        const fetch = async () => {
          try {
            return await estateTree(kc, claim.metadata.namespace, claim.metadata.name);
          } catch (err) {
            throw new CliError((err as Error).message, EXIT.external);
          }
        };
        const readinessOf = async (tree: TreeNode): Promise<CellReadiness[] | undefined> => {
          const cells = tree.estate?.readinessCells;
          if (!opts.readiness || !cells) return undefined;
          const { readCellReadiness } = await import('../../cluster/readiness.js');
          return readCellReadiness(cells);
        };
        const show = (tree: TreeNode, readiness: CellReadiness[] | undefined) => {
          const drift = gitDrift(file, claim.spec, tree.estate);
          if (format === 'text') process.stdout.write(render(tree, drift, readiness));
          else
            printData(format as 'json' | 'yaml', {
              ...tree,
              ...(drift ? { gitDrift: drift } : {}),
              ...(readiness ? { readiness } : {}),
            });
        };
        if (!opts.watch) {
          const tree = await withSpinner('reading the estate from the cluster', fetch);
          show(tree, await withSpinner("reading each region's ARC readiness", () => readinessOf(tree)));
          process.exitCode = flatten(tree).every((n) => n.ready === 'True' || n.informational) ? EXIT.ok : EXIT.invalid;
          return;
        }
        const seconds = Math.max(1, Number(opts.interval) || 5);
        for (;;) {
          const tree = await fetch();
          const readiness = await readinessOf(tree);
          if (interactive()) process.stdout.write('\x1b[2J\x1b[H');
          show(tree, readiness);
          await new Promise((r) => setTimeout(r, seconds * 1000));
        }
      },
    );
}

async function withSpinner<T>(text: string, fn: () => Promise<T>): Promise<T> {
  if (!interactive()) return fn();
  const { default: ora } = await import('ora');
  const spinner = ora(text).start();
  try {
    return await fn();
  } finally {
    spinner.stop();
  }
}

function mark(status: string): string {
  const c = colors();
  return status === 'True' ? c.green('True') : status === 'False' ? c.red('False') : c.yellow(status);
}

/** Where the estate serves and writes, its last failover and public URL; says so when the writer is not where traffic is. */
function summaryLines(e: EstateSummary): string[] {
  const c = colors();
  const lines: string[] = [];
  if (e.activeRegion) {
    const writer = e.databaseWriterRegion;
    const apart = writer !== undefined && writer !== e.activeRegion;
    const db = writer ? `, database writer ${apart ? c.yellow(writer) : writer}` : '';
    lines.push(
      `active region ${e.activeRegion}${db}${apart ? c.yellow(' (switchover under way, or a failover outside git)') : ''}`,
    );
  }
  const f = e.lastFailover;
  if (f?.from && f.to) lines.push(`last failover ${f.from} -> ${f.to}${f.at ? ` at ${f.at}` : ''}`);
  if (e.publicUrl) lines.push(`public URL ${e.publicUrl}`);
  // What each primitive reports per region (its status hook: an EKS node group's counts, …).
  for (const [region, fields] of Object.entries(e.regions ?? {}))
    for (const l of regionStatusLines(region, fields)) lines.push(l.warn ? c.yellow(l.text) : l.text);
  return lines;
}

/** Git (the claim file) and the estate disagree on where the estate writes: what to run to record it in git. */
export interface GitDrift {
  /** spec.activeRegion in the claim file (the primary when unset). */
  readonly activeRegionInGit: string;
  /** Where the Aurora writer is, as the cluster observes it. */
  readonly databaseWriterRegion: string;
  /** The drctl command that records the writer's region in git. */
  readonly command: string;
}

/**
 * Compares the claim file's activeRegion with the writer the cluster observes. They differ after a failover outside git
 * (automatic mode, or by hand), which leaves activeRegion in git behind (and the Aurora clusters paused until git
 * agrees), and briefly while a switchover that git asked for is under way.
 */
export function gitDrift(file: string, spec: DisasterRecoverySpec, estate: EstateSummary | undefined): GitDrift | undefined {
  const inGit = spec.activeRegion ?? spec.regions.primary;
  const writer = estate?.databaseWriterRegion;
  if (writer === undefined || writer === inGit) return undefined;
  return {
    activeRegionInGit: inGit,
    databaseWriterRegion: writer,
    command: `drctl failover ${file} --to ${writer} --reason "record the failover to ${writer} in git"`,
  };
}

function driftLines(d: GitDrift): string[] {
  const c = colors();
  return [
    c.yellow(
      `git disagrees with the estate: ${d.activeRegionInGit} is activeRegion in git, but the database writes in ${d.databaseWriterRegion}; ` +
        `unless a switchover to ${d.activeRegionInGit} is under way, the estate failed over outside git (automatic failover, or by hand)`,
    ),
    `record ${d.databaseWriterRegion} in git: ${d.command}`,
  ];
}

/**
 * `ARC readiness [us-east-1] READY (cell <name>, 5 checks)`, and for a region not READY the checks that are not; a
 * cell that could not be read says why.
 */
export function readinessLines(cells: readonly CellReadiness[]): string[] {
  const c = colors();
  return cells.map((r) => {
    const head = `ARC readiness [${r.region}]`;
    if (r.readiness === undefined) return c.yellow(`${head} not read (cell ${r.cell}): ${r.error ?? 'no answer'}`);
    const state = r.readiness === 'READY' ? c.green(r.readiness) : c.yellow(r.readiness);
    const notReady = r.checks.filter((k) => k.readiness !== 'READY').map((k) => `${k.name} ${k.readiness}`);
    const checks = `${r.checks.length} check${r.checks.length === 1 ? '' : 's'}`;
    return `${head} ${state} (cell ${r.cell}, ${checks}${notReady.length > 0 ? `; not ready: ${notReady.join(', ')}` : ''})`;
  });
}

/** The tree as indented lines: kind/name [region] READY SYNCED, and the message of anything not ready. */
export function render(tree: TreeNode, drift?: GitDrift, readiness?: readonly CellReadiness[]): string {
  const c = colors();
  const lines: string[] = [];
  const walk = (n: TreeNode, prefix: string, last: boolean, root: boolean) => {
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    const region = n.region ? ` [${n.region}]` : '';
    const paused = n.paused ? ` ${c.yellow('PAUSED')}` : '';
    lines.push(
      `${prefix}${branch}${c.bold(`${n.kind}/${n.name}`)}${region}  READY=${mark(n.ready)} SYNCED=${mark(n.synced)}${paused}`,
    );
    const childPrefix = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
    if (root && n.estate) lines.push(...summaryLines(n.estate).map((l) => `   ${l}`));
    if (root && readiness) lines.push(...readinessLines(readiness).map((l) => `   ${l}`));
    if (root && drift) lines.push(...driftLines(drift).map((l) => `   ${l}`));
    if (n.detail) lines.push(`${childPrefix}   ${n.detail}`);
    if (n.error) lines.push(`${childPrefix}   ${c.red(n.error)}`);
    if (n.message) lines.push(`${childPrefix}   ${c.dim(n.message)}`);
    n.children.forEach((child, i) => walk(child, childPrefix, i === n.children.length - 1, false));
  };
  walk(tree, '', true, true);
  return `${lines.join('\n')}\n`;
}
