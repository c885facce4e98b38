/** `drctl objectives FILE`: the RPO and RTO the estate can deliver, with the reasoning, against spec.objectives. */
import type { Command } from 'commander';
import type { FailureEstimate, ObjectivesEstimate, Step } from '../../estimate/index.js';
import { loadClaim } from '../claims.js';
import { EXIT } from '../errors.js';
import { colors, outputFormat, outputOption, printData, table } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['text', 'json', 'yaml'] as const;

const seconds = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s} s`);

/** Registers the objectives command. */
export function register(program: Command): void {
  program
    .command('objectives')
    .description('estimate the RPO and RTO the estate can deliver and compare them with spec.objectives')
    .argument('<file>', 'claim file')
    .addOption(outputOption(FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl objectives examples/payments.yaml
  $ drctl objectives examples/payments.yaml --output json | jq '.failures[] | {failure, rpo, rto, verdict}'

One table per failure type (loss of the primary region, application fault, planned switchover), each through the
path that runs for it, every figure with its basis and source. spec.objectives applies to spec.objectives.failures
(default: region-loss). Exits 1 when an objective is not met for a failure it applies to, with what to change.`,
    )
    .action(async (file: string, opts: { output: string }) => {
      const format = outputFormat(opts.output, FORMATS);
      const claim = loadClaim(file);
      const { estimateObjectives } = await import('../../estimate/index.js');
      const estimate = estimateObjectives(claim.spec);
      if (format === 'text') process.stdout.write(render(file, estimate));
      else printData(format as 'json' | 'yaml', estimate);
      if (estimate.met === false) process.exitCode = EXIT.invalid;
    });
}

function verdict(met: boolean | null): string {
  const c = colors();
  return met === null ? c.dim('no objective') : met ? c.green('met') : c.red('NOT met');
}

const BASIS = { documented: 'doc', configured: 'config', assumption: 'ASSUMED' } as const;

/** "doc", or "doc/ASSUMED" when typical and worst rest on different grounds. */
const basis = (s: Step): string =>
  s.typicalBasis === s.worstBasis ? BASIS[s.typicalBasis] : `${BASIS[s.typicalBasis]}/${BASIS[s.worstBasis]}`;

/** Numbers each distinct source once, in order of first use. */
class Sources {
  private readonly list: string[] = [];
  ref(source: string): string {
    const i = this.list.indexOf(source);
    return `[${(i < 0 ? this.list.push(source) : i + 1).toString()}]`;
  }
  render(): string[] {
    return this.list.map((s, i) => `  [${i + 1}] ${s}`);
  }
}

function failureBlock(f: FailureEstimate, e: ObjectivesEstimate, sources: Sources): string {
  const c = colors();
  const steps = table(
    ['STEP', 'TYPICAL', 'WORST', 'BASIS', 'SOURCE'],
    shown(f).map((s) => [
      `${s.objective.toUpperCase()} ${s.label}`,
      seconds(s.typicalSeconds),
      seconds(s.worstSeconds),
      basis(s),
      sources.ref(s.source),
    ]),
  );
  // A met RPO that rests on a lag AWS does not bound says so: the verdict holds for the planned worst case only.
  const unbounded =
    f.verdict?.rpoMet && f.rpo.unbounded.length
      ? ` (not guaranteed: AWS sets no hard bound on the lag of ${f.rpo.unbounded.join(', ')})`
      : '';
  const rpoGoal = f.verdict ? ` vs ${e.rpo.objectiveSeconds} s asked: ${verdict(f.verdict.rpoMet)}${unbounded}` : '';
  const rtoGoal = f.verdict ? ` vs ${e.rto.objectiveMinutes} min asked: ${verdict(f.verdict.rtoMet)}` : '';
  return [
    `${c.bold(f.title.toUpperCase())}${f.objective ? '' : c.dim(' (spec.objectives does not apply to it)')}`,
    `path: ${f.path}`,
    steps,
    `${c.bold('RPO')} ${f.rpo.worstSeconds} s worst (${f.rpo.typicalSeconds} s typical)${rpoGoal}${f.rpo.limitedBy ? `, limited by ${f.rpo.limitedBy}` : ''}`,
    `${c.bold('RTO')} ${f.rto.worstMinutes} min worst (${f.rto.typicalMinutes} min typical)${rtoGoal}`,
    '',
  ].join('\n');
}

/** The steps a failure's table shows. */
const shown = (f: FailureEstimate): Step[] => f.steps.filter((s) => s.counted || s.objective === 'rpo');

/** How many figures of the tables (typical and worst of every row) are documented, configured or assumptions. */
export function timingStatus(e: ObjectivesEstimate): string {
  const figures = e.failures.flatMap((f) => shown(f).flatMap((s) => [s.typicalBasis, s.worstBasis]));
  const n = (b: string) => figures.filter((x) => x === b).length;
  return `timings: ${figures.length} figures in the tables: ${n('documented')} documented, ${n('configured')} set by the claim or drplane, ${n('assumption')} assumptions (each row names its source above)`;
}

function render(file: string, e: ObjectivesEstimate): string {
  const c = colors();
  const sources = new Sources();
  const applies = e.failures.filter((f) => f.objective).map((f) => f.failure);
  const scope =
    e.rpo.objectiveSeconds === undefined
      ? 'no spec.objectives: figures only'
      : `spec.objectives (${e.rpo.objectiveSeconds} s, ${e.rto.objectiveMinutes} min) apply to: ${applies.join(', ')}`;
  const advice = e.advice.map((a) => `  - ${a.failure}: ${a.field}: ${a.change}`);
  return [
    `${file}: ${scope}`,
    '',
    ...e.failures.map((f) => failureBlock(f, e, sources)),
    ...(advice.length ? [c.bold('To meet the objectives:'), ...advice, ''] : []),
    c.bold('Sources (BASIS: doc = documented, config = set by the claim or drplane, ASSUMED = drplane planning value):'),
    ...sources.render(),
    timingStatus(e),
    '',
    `${file}: ${verdict(e.met)}`,
    '',
  ].join('\n');
}
