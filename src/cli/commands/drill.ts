/** `drctl drill FILE`: a DR drill plan (steps, expected RTO/RPO, what to watch, fail-back) and, with --apply, the switchover and back. */
import type { Command } from 'commander';
import { failoverBlocker } from '../../primitives/failover/rules.js';
import type { DisasterRecoveryClaim } from '../../api/claim.js';
import type { estimateSwitchover } from '../../estimate/index.js';

type SwitchoverEstimate = ReturnType<typeof estimateSwitchover>;
import { loadClaim } from '../claims.js';
import { kubeConfigOf } from '../kubeconfig.js';
import { parseDuration, type MeasuredStep } from '../drill-watch.js';
import { CliError, EXIT } from '../errors.js';
import { colors, outputFormat, outputOption, printData } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['text', 'json'] as const;

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

/** Options of the drill command. */
interface Options {
  to?: string;
  apply?: boolean;
  failback: boolean;
  kubeconfig?: string;
  timeout: string;
  interval: string;
  output: string;
}

/** Registers the drill command. */
export function register(program: Command): void {
  program
    .command('drill')
    .description('print a DR drill plan; with --apply, switch over to a standby region and back through git, timing each step')
    .argument('<file>', 'claim file')
    .option('--to <region>', 'standby region to drill (default: the first region that is not active)')
    .option('--apply', 'run the drill: commit the switchover, wait until it has finished, then commit and wait for the fail-back')
    .option('--no-failback', 'with --apply: stop once the switchover has finished and print the fail-back command')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster that runs the estate (default: as kubectl finds it)')
    .option('--timeout <duration>', 'longest wait for each of the switchover and the fail-back (e.g. 30m, 90s)', '30m')
    .option('--interval <duration>', 'how often to read the cluster while waiting', '10s')
    .addOption(outputOption(FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl drill examples/payments.yaml
  $ drctl drill examples/payments.yaml --to us-west-2 --apply
  $ drctl drill examples/payments.yaml --apply --no-failback --timeout 45m

With --apply the switchover is committed (as drctl failover does), then the cluster is read every --interval until the
claim reports the new activeRegion, the Aurora writer is there (estates with a database), the claim and its composite
are Ready and nothing is paused; each step is timed. Only then is the fail-back committed and waited for the same way.
Exit 0 when the drill finished, 1 when a wait ran past --timeout (the next command is printed), 3 when the cluster
cannot be read before the first commit (nothing is committed) or git fails.`,
    )
    .action(async (file: string, opts: Options) => {
      const format = outputFormat(opts.output, FORMATS);
      const claim = loadClaim(file);
      const [{ estimateSwitchover }, { failoverTargets }] = await Promise.all([
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
      const planData = {
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
      };
      if (format === 'text') printPlan(plan, active, target);
      if (!opts.apply) {
        if (format === 'json') printData('json', planData);
        return;
      }
      const measured = await runDrill(claim, file, active, target, opts, format);
      if (format === 'json') printData('json', { ...planData, measured });
      else process.stdout.write(renderMeasured(measured));
      if (!measured.completed) {
        process.stderr.write(`${colors().red('drill stopped')}: ${measured.stopped}\nnext: ${measured.next}\n`);
        process.exitCode = EXIT.invalid;
      } else if (measured.next) process.stderr.write(`fail back when ready: ${measured.next}\n`);
    });
}

/** One committed switchover and what was measured while waiting for it. */
interface MeasuredPhase {
  readonly phase: 'switchover' | 'failback';
  readonly from: string;
  readonly to: string;
  readonly commit: string;
  readonly committedAt: string;
  readonly completed: boolean;
  /** Seconds from the commit until every step was done (or until the wait gave up). */
  readonly totalSeconds: number;
  readonly steps: readonly MeasuredStep[];
  readonly pending: readonly string[];
}

/** The report of an applied drill. */
interface DrillReport {
  readonly completed: boolean;
  readonly rtoMinutes?: number;
  /** Every finished phase took at most rtoMinutes (absent without objectives). */
  readonly withinRto?: boolean;
  readonly pollIntervalSeconds: number;
  readonly phases: readonly MeasuredPhase[];
  /** Why the drill stopped early. */
  readonly stopped?: string;
  /** The command to run next (after a timeout, or the fail-back with --no-failback). */
  readonly next?: string;
}

async function runDrill(
  claim: DisasterRecoveryClaim,
  file: string,
  active: string,
  target: string,
  opts: Options,
  format: string,
): Promise<DrillReport> {
  const timeoutMs = duration('--timeout', opts.timeout);
  const intervalMs = duration('--interval', opts.interval);
  const { namespace, name } = claim.metadata;
  // Never commit a switchover that cannot be watched: the kubeconfig and the claim in the cluster come first.
  const [kc, { observeSwitchover }, { waitForSwitchover }, { commitFailover, FailoverRefused }] = await Promise.all([
    kubeConfigOf(opts.kubeconfig),
    import('../../cluster/switchover.js'),
    import('../drill-watch.js'),
    import('../../gitops/failover.js'),
  ]);
  const observe = () => observeSwitchover(kc, namespace, name);
  try {
    await observe();
  } catch (err) {
    throw new CliError(`${(err as Error).message}; nothing committed (the drill only commits what it can watch)`, EXIT.external);
  }
  const rtoMinutes = claim.spec.objectives?.rtoMinutes;
  const say = (text: string) => {
    if (format === 'text') process.stderr.write(`${text}\n`);
  };
  const phases: MeasuredPhase[] = [];
  const failback = `drctl failover ${file} --to ${active} --reason "DR drill: fail back"`;
  const base = { rtoMinutes, pollIntervalSeconds: intervalMs / 1000 };
  const withinRto = () =>
    rtoMinutes === undefined ? {} : { withinRto: phases.every((p) => p.completed && p.totalSeconds <= rtoMinutes * 60) };
  for (const [phase, from, to, reason] of [
    ['switchover', active, target, 'DR drill: planned switchover'],
    ['failback', target, active, 'DR drill: fail back'],
  ] as const) {
    let committed;
    try {
      committed = await commitFailover(loadClaim(file), { file, to, reason });
    } catch (err) {
      if (err instanceof FailoverRefused) throw new CliError(err.message, EXIT.usage);
      if (err instanceof Error && err.name === 'GitError') throw new CliError(err.message, EXIT.external);
      throw err;
    }
    const since = Date.now();
    say(
      `${phase}: committed ${committed.commit.slice(0, 12)} (${from} -> ${to}); waiting for it to finish (timeout ${opts.timeout})`,
    );
    const result = await waitForSwitchover({
      target: to,
      spec: claim.spec,
      observe,
      since,
      timeoutMs,
      intervalMs,
      onStep: (s) => say(`  ${s.label}: +${s.atSeconds}s`),
    });
    phases.push({
      phase,
      from,
      to,
      commit: committed.commit,
      committedAt: new Date(since).toISOString(),
      completed: result.completed,
      totalSeconds: result.elapsedSeconds,
      steps: result.steps,
      pending: result.pending,
    });
    if (!result.completed) {
      const paused = result.pending.some((p) => p.startsWith('still paused'));
      const watch = paused ? `drctl unpause ${file}` : `drctl status ${file} --watch`;
      return {
        completed: false,
        ...base,
        ...withinRto(),
        phases,
        stopped: `the ${phase === 'switchover' ? 'switchover' : 'fail-back'} to ${to} did not finish within ${opts.timeout}: ${result.pending.join('; ')}`,
        next: phase === 'switchover' ? `${watch}, then fail back: ${failback}` : watch,
      };
    }
    if (phase === 'switchover' && !opts.failback) return { completed: true, ...base, ...withinRto(), phases, next: failback };
  }
  return { completed: true, ...base, ...withinRto(), phases };
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new CliError(`${flag} ${text}: give a duration such as 30m, 90s, 1h or 500ms`);
  return ms;
}

/** The measured drill as text: per phase, each step's time from the commit and from the step before, and the total. */
export function renderMeasured(r: DrillReport): string {
  const c = colors();
  const lines = ['', c.bold('Measured')];
  for (const p of r.phases) {
    lines.push(
      `${p.phase === 'switchover' ? 'switchover' : 'fail back'} ${p.from} -> ${p.to} (commit ${p.commit.slice(0, 12)}):`,
    );
    for (const s of p.steps)
      lines.push(
        s.atSeconds === undefined
          ? `  ${s.label}: ${c.yellow('not observed')}`
          : `  ${s.label}: +${s.seconds}s (at ${s.atSeconds}s)`,
      );
    const against =
      r.rtoMinutes === undefined
        ? ''
        : p.totalSeconds <= r.rtoMinutes * 60 && p.completed
          ? ` (within rtoMinutes ${r.rtoMinutes})`
          : ` (${c.red(`not within rtoMinutes ${r.rtoMinutes}`)})`;
    lines.push(`  ${p.completed ? 'total' : 'gave up after'}: ${p.totalSeconds}s${against}`);
  }
  lines.push(`times are to the nearest reading of the cluster (every ${r.pollIntervalSeconds}s)`);
  return `${lines.join('\n')}\n`;
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
