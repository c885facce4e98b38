/** `drctl failover --to REGION FILE`: the GitOps way (commit activeRegion) or, with --apply, a patch of the claim in the cluster. */
import { kubeConfigOf } from '../kubeconfig.js';
import type { Command } from 'commander';
import type { DisasterRecoveryClaim } from '../../api/claim.js';
import { arcArmed } from '../../api/sections.js';
import { loadClaim } from '../claims.js';
import { CliError, EXIT } from '../errors.js';
import { colors, outputFormat, outputOption, printData } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['text', 'json'] as const;

interface Options {
  to: string;
  reason?: string;
  unplanned?: boolean;
  yes?: boolean;
  apply?: boolean;
  kubeconfig?: string;
  output: string;
}

/** Registers the failover command. */
export function register(program: Command): void {
  program
    .command('failover')
    .description('move the estate to another region: commit spec.activeRegion in git (default) or patch the claim in the cluster')
    .argument('<file>', 'claim file inside a git repository')
    .requiredOption('--to <region>', 'region to make active (one of the claim regions)')
    .option('--reason <text>', 'why; recorded in the commit for the audit trail')
    .option('--unplanned', 'the active region is down: failover may lose the replication lag (needs --yes)')
    .option('-y, --yes', 'confirm an unplanned failover')
    .option('--apply', 'patch the claim in the cluster instead of committing to git')
    .option('--kubeconfig <file>', 'kubeconfig for --apply (default: as kubectl finds it)')
    .addOption(outputOption(FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl failover examples/payments.yaml --to us-west-2 --reason "DR drill 2026-Q4"
  $ drctl failover examples/payments.yaml --to us-west-2 --unplanned --yes --reason "us-east-1 outage"
  $ drctl failover examples/payments.yaml --to us-east-1 --apply --reason "fail back"

The GitOps way commits only the claim file, refuses a dirty work tree, and says who, from where,
to where and why in the commit message; Argo CD syncs it. Exit 2 when refused, 3 when git or the cluster fails.`,
    )
    .action(async (file: string, opts: Options) => {
      const format = outputFormat(opts.output, FORMATS);
      const claim = loadClaim(file);
      const { checkTarget, commitFailover, failoverTargets, FailoverRefused } = await import('../../gitops/failover.js');
      // Failing over to where the estate already runs changes nothing: say so, commit nothing, exit 0.
      if (failoverTargets(claim).active === opts.to) return reportNoChange(format, claim, opts.to);
      if (opts.unplanned && !opts.yes)
        throw new CliError('an unplanned failover can lose the data not yet replicated; repeat with --yes to confirm');
      if (!opts.reason) throw new CliError('say why with --reason "…"; it is recorded for the audit trail');
      try {
        if (opts.apply) {
          const { from } = checkTarget(claim, opts.to);
          const { patchActiveRegion, trackingApplication } = await import('../../cluster/claims.js');
          // Unplanned: allow data loss; planned: only say so when the claim had allowed it before.
          const allowDataLoss = opts.unplanned ? true : claim.spec.failover?.allowDataLoss ? false : undefined;
          const patched = await patchActiveRegion(
            await kubeConfigOf(opts.kubeconfig),
            claim.metadata.namespace,
            claim.metadata.name,
            opts.to,
            allowDataLoss,
          );
          const app = trackingApplication(patched);
          if (app) process.stderr.write(`${colors().yellow('warning')}: ${argoWarning(app)}\n`);
          return report(format, {
            from,
            to: opts.to,
            applied: `${claim.metadata.namespace}/${claim.metadata.name}`,
            ...routingControlsOf(claim),
          });
        }
        const result = await commitFailover(claim, { file, to: opts.to, reason: opts.reason, unplanned: opts.unplanned });
        report(format, {
          from: result.from,
          to: result.to,
          commit: result.commit,
          repository: result.repository,
          ...routingControlsOf(claim),
        });
      } catch (err) {
        if (err instanceof FailoverRefused) throw new CliError(err.message, EXIT.usage);
        if (err instanceof Error && (err.name === 'GitError' || err.name === 'ClusterError'))
          throw new CliError(err.message, EXIT.external);
        throw err;
      }
    });
}

/**
 * Armed routing controls are never flipped here: the orchestrator's run, which the new activeRegion starts, flips them
 * after the database has moved (switch-dns), so traffic never reaches a region that cannot take writes yet, and a run
 * that holds or fails leaves them where they were.
 */
const ROUTING_CONTROLS_BY_ORCHESTRATOR =
  'the failover orchestrator flips them once the database has moved (switch-dns); drctl never does, so traffic never reaches a region before it can take writes';

/** The routing-controls line of an armed estate's report. */
const routingControlsOf = (claim: DisasterRecoveryClaim): { routingControls?: string } =>
  arcArmed(claim.spec.routing ?? {}) ? { routingControls: ROUTING_CONTROLS_BY_ORCHESTRATOR } : {};

/** A failover to the active region: nothing to commit or patch. */
function reportNoChange(format: string, claim: DisasterRecoveryClaim, region: string): void {
  const name = `${claim.metadata.namespace}/${claim.metadata.name}`;
  if (format === 'json') return printData('json', { from: region, to: region, changed: false, claim: name });
  process.stdout.write(`${region} is already the active region of ${name}: nothing to change, nothing committed\n`);
}

function report(
  format: 'text' | 'json' | string,
  r: {
    from: string;
    to: string;
    commit?: string;
    repository?: string;
    applied?: string;
    routingControls?: string;
  },
): void {
  if (format === 'json') return printData('json', r);
  const c = colors();
  const where = r.commit
    ? `committed ${r.commit.slice(0, 12)} in ${r.repository}; Argo CD applies it on its next sync`
    : `patched ${r.applied} in the cluster`;
  process.stdout.write(`${c.bold(`failover ${r.from} -> ${r.to}`)}: ${where}\n`);
  if (r.routingControls) process.stdout.write(`routing controls: ${r.routingControls}\n`);
}

/** What an operator must know after patching a claim that Argo CD syncs: self-heal reverts it unless sync is manual. */
export function argoWarning(app: string): string {
  return (
    `Argo CD Application ${app} syncs this claim: unless its automated sync is off ` +
    `(argocd app set ${app} --sync-policy none), self-heal puts git's activeRegion back; ` +
    'commit the same change (drctl failover without --apply) before turning automated sync on again'
  );
}
