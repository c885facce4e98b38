/** `drctl status FILE`: the live tree claim → composite → primitives → managed resources, with Ready/Synced. */
import type { Command } from 'commander';
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { EstateSummary, NodeGroupSummary, TreeNode } from '../../cluster/tree.js';
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
    .addOption(outputOption(FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl status examples/payments.yaml
  $ drctl status examples/payments.yaml --watch
  $ drctl status examples/payments.yaml --output json | jq '.children[0].ready'

Exits 0 when everything is Ready, 1 when something is not, 3 when the cluster cannot be reached.`,
    )
    .action(async (file: string, opts: { kubeconfig?: string; watch?: boolean; interval: string; output: string }) => {
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
      const show = (tree: TreeNode) => {
        const drift = gitDrift(file, claim.spec, tree.estate);
        if (format === 'text') process.stdout.write(render(tree, drift));
        else printData(format as 'json' | 'yaml', drift ? { ...tree, gitDrift: drift } : tree);
      };
      if (!opts.watch) {
        const tree = await withSpinner('reading the estate from the cluster', fetch);
        show(tree);
        process.exitCode = flatten(tree).every((n) => n.ready === 'True') ? EXIT.ok : EXIT.invalid;
        return;
      }
      const seconds = Math.max(1, Number(opts.interval) || 5);
      for (;;) {
        const tree = await fetch();
        if (interactive()) process.stdout.write('\x1b[2J\x1b[H');
        show(tree);
        await new Promise((r) => setTimeout(r, seconds * 1000));
      }
    });
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
  for (const [region, n] of Object.entries(e.clusterNodes ?? {})) {
    const text = `EKS nodes [${region}] ${nodeCounts(n)}`;
    lines.push(n.ready === false ? c.yellow(`${text}, not ready`) : text);
  }
  return lines;
}

/** `3 (min 2, max 10), ACTIVE`: a node group's desired size, bounds and EKS status, as far as known. */
export function nodeCounts(n: NodeGroupSummary): string {
  const bounds = [n.minSize !== undefined ? `min ${n.minSize}` : '', n.maxSize !== undefined ? `max ${n.maxSize}` : '']
    .filter(Boolean)
    .join(', ');
  return `${n.desiredSize ?? '?'}${bounds ? ` (${bounds})` : ''}${n.status ? `, ${n.status}` : ''}`;
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

/** The tree as indented lines: kind/name [region] READY SYNCED, and the message of anything not ready. */
export function render(tree: TreeNode, drift?: GitDrift): string {
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
    if (root && drift) lines.push(...driftLines(drift).map((l) => `   ${l}`));
    if (n.nodes) lines.push(`${childPrefix}   nodes ${nodeCounts(n.nodes)}`);
    if (n.error) lines.push(`${childPrefix}   ${c.red(n.error)}`);
    if (n.message) lines.push(`${childPrefix}   ${c.dim(n.message)}`);
    n.children.forEach((child, i) => walk(child, childPrefix, i === n.children.length - 1, false));
  };
  walk(tree, '', true, true);
  return `${lines.join('\n')}\n`;
}
