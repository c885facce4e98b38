/** `drctl drill FILE`: a DR drill plan (steps, expected RTO/RPO, what to watch, fail-back) and, with --apply, the switchover and back. */
import type { Command } from 'commander';
import { failoverBlocker } from '../../compose/estate.js';
import type { DisasterRecoveryClaim } from '../../api/claim.js';
import type { estimateSwitchover } from '../../estimate/index.js';

type SwitchoverEstimate = ReturnType<typeof estimateSwitchover>;
import { loadClaim } from '../claims.js';
import { CliError, EXIT } from '../errors.js';
import { colors, outputFormat, printData } from '../output.js';

/** One step of a drill. */
interface DrillStep {
  readonly title: string;
  readonly do: string;
  readonly watch?: string;
}

function steps(claim: DisasterRecoveryClaim, target: string, active: string, e: SwitchoverEstimate, file: string): DrillStep[] {
  const name = `${claim.metadata.namespace}/${claim.metadata.name}`;
  const spec = claim.spec;
  // The orchestrator exists only when the failover section can be composed (src/compose/estate.ts).
  const orchestrated = spec.failover !== undefined && failoverBlocker(spec) === undefined;
  return [
    {
      title: 'Announce',
      do:
        `tell the on-call and the owners of ${name}: planned switchover ${active} -> ${target}, expected to take ${e.typicalMinutes} min ` +
        `(worst ${e.worstMinutes} min: ${e.steps
          .filter((s) => s.counted)
          .map((s) => s.id)
          .join(' + ')}; \`drctl objectives\` times an unplanned failover), no data loss (planned switchover)`,
    },
    {
      title: 'Check the estate is healthy',
      do: `drctl status ${file} — every region Ready${spec.monitoring ? '; replication lag below the alarm threshold' : ''}`,
      ...(spec.monitoring
        ? { watch: 'the drplane/ReplicationLagSeconds metric and the estate-at-risk alarm are OK' }
        : { watch: 'no monitoring section: watch the replication metrics of each store in CloudWatch yourself' }),
    },
    {
      title: 'Switch over',
      do: `drctl failover ${file} --to ${target} --reason "DR drill"`,
      watch: [
        'Argo CD syncs the commit',
        orchestrated
          ? `the orchestrator runs SwitchoverGlobalCluster${spec.routing ? ' and moves the records' : ''}; its timeline arrives on the alert topic`
          : spec.routing
            ? 'the Route 53 records follow activeRegion'
            : 'activeRegion changes in the claim status (no database to switch over, no records to move)',
      ].join('; '),
    },
    {
      title: 'Verify',
      do: [
        spec.service
          ? `the service in ${target} answers /health with role primary; writes succeed`
          : `writes to the ${target} replicas succeed`,
        `the claim status shows activeRegion ${target}`,
      ].join('; '),
      watch:
        [
          spec.routing ? 'Route 53 health checks' : '',
          spec.service ? 'Lambda errors and throttles in the new region' : '',
          orchestrated ? 'the FailoverRtoSeconds metric' : '',
        ]
          .filter(Boolean)
          .join(', ') || 'the application that uses the estate, pointed at the new region',
    },
    ...(claim.spec.database
      ? [
          {
            title: 'Unpause the database',
            do:
              `the claim status shows databaseWriterRegion ${target}; drctl status ${file} shows no Aurora Cluster PAUSED. ` +
              `If some stay paused: drctl unpause ${file} (the XGlobalDatabase events name each stale replicationSourceIdentifier; docs/gitops.md)`,
            watch: 'kubectl get xglobaldatabases -o yaml: status.writerRegion and status.clustersPaused',
          },
        ]
      : []),
    {
      title: 'Fail back',
      do: `drctl failover ${file} --to ${active} --reason "DR drill: fail back"`,
      watch: 'the same signals, back in the original region',
    },
    {
      title: 'Record',
      do: `note the measured switchover time${orchestrated ? ' (FailoverRtoSeconds)' : ''} against the estimate; file follow-ups for every step that took longer than planned`,
    },
  ];
}

/** Registers the drill command. */
export function register(program: Command): void {
  program
    .command('drill')
    .description('print a DR drill plan; with --apply, switch over to a standby region and back through git')
    .argument('<file>', 'claim file')
    .option('--to <region>', 'standby region to drill (default: the first region that is not active)')
    .option('--apply', 'run the drill: commit the switchover, then the fail-back')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl drill examples/payments.yaml
  $ drctl drill examples/payments.yaml --to us-west-2 --apply`,
    )
    .action(async (file: string, opts: { to?: string; apply?: boolean; output: string }) => {
      const format = outputFormat(opts.output, ['text', 'json']);
      const claim = loadClaim(file);
      const [{ estimateSwitchover }, { failoverTargets, commitFailover, FailoverRefused }] = await Promise.all([
        import('../../estimate/index.js'),
        import('../../gitops/failover.js'),
      ]);
      const { active, regions } = failoverTargets(claim);
      const target = opts.to ?? regions.find((r) => r !== active)!;
      if (!regions.includes(target) || target === active)
        throw new CliError(
          `--to ${target}: drill a standby region of the claim (${regions.filter((r) => r !== active).join(', ')})`,
        );
      const estimate = estimateSwitchover(claim.spec);
      const plan = steps(claim, target, active, estimate, file);
      if (format === 'json')
        printData('json', {
          claim: `${claim.metadata.namespace}/${claim.metadata.name}`,
          from: active,
          to: target,
          expected: {
            switchoverMinutes: estimate.worstMinutes,
            typicalSwitchoverMinutes: estimate.typicalMinutes,
            rpoSeconds: 0,
            steps: estimate.steps.map((s) => ({
              id: s.id,
              label: s.label,
              typicalSeconds: s.typicalSeconds,
              worstSeconds: s.worstSeconds,
            })),
          },
          steps: plan,
        });
      else printPlan(plan, active, target);
      if (!opts.apply) return;
      try {
        const there = await commitFailover(claim, { file, to: target, reason: 'DR drill: planned switchover' });
        const back = await commitFailover(loadClaim(file), { file, to: active, reason: 'DR drill: fail back' });
        process.stderr.write(
          `drill committed ${there.commit.slice(0, 12)} (${active} -> ${target}) and ${back.commit.slice(0, 12)} (fail back); Argo CD applies them in order\n`,
        );
      } catch (err) {
        if (err instanceof FailoverRefused) throw new CliError(err.message, EXIT.usage);
        if (err instanceof Error && err.name === 'GitError') throw new CliError(err.message, EXIT.external);
        throw err;
      }
    });
}

function printPlan(plan: DrillStep[], from: string, to: string): void {
  const c = colors();
  const lines = [c.bold(`DR drill: ${from} -> ${to} and back`), ''];
  plan.forEach((s, i) => {
    lines.push(`${i + 1}. ${c.bold(s.title)}: ${s.do}`);
    if (s.watch) lines.push(`   watch: ${s.watch}`);
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}
