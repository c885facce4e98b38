/** `drctl objectives FILE`: the RPO and RTO the estate can deliver, with the reasoning, against spec.objectives. */
import type { Command } from 'commander';
import type { ObjectivesEstimate } from '../../estimate/index.js';
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
  $ drctl objectives examples/payments.yaml --output json | jq '{rpoSeconds, rtoMinutes, met}'

Figures are worst case (typical in brackets). Exits 1 when an objective is not met, with what to change.`,
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

function render(file: string, e: ObjectivesEstimate): string {
  const c = colors();
  const stores = table(
    ['STORE', 'RPO TYPICAL', 'RPO WORST', 'PROMOTION (WORST)'],
    e.stores.map((s) => [
      s.store,
      seconds(s.rpo.typicalSeconds),
      `${seconds(s.rpo.worstSeconds)}${s.rpo.bounded ? '' : ' (no AWS bound)'}`,
      seconds(s.promotion.worstSeconds),
    ]),
  );
  const steps = table(
    ['RTO STEP', 'TYPICAL', 'WORST'],
    e.steps
      .filter((s) => s.objective === 'rto' && s.counted)
      .map((s) => [s.label, seconds(s.typicalSeconds), seconds(s.worstSeconds)]),
  );
  const rpoGoal = e.rpo.objectiveSeconds !== undefined ? ` vs ${e.rpo.objectiveSeconds} s asked` : '';
  const rtoGoal = e.rto.objectiveMinutes !== undefined ? ` vs ${e.rto.objectiveMinutes} min asked` : '';
  return [
    stores,
    '',
    steps,
    '',
    `${c.bold('RPO')} ${e.rpoSeconds} s worst (${e.typical.rpoSeconds} s typical)${rpoGoal}: ${verdict(e.rpo.met)}${e.rpo.limitedBy ? `, limited by ${e.rpo.limitedBy}` : ''}`,
    `${c.bold('RTO')} ${e.rtoMinutes} min worst (${e.typical.rtoMinutes} min typical)${rtoGoal}: ${verdict(e.rto.met)}`,
    ...(e.advice.length ? ['', c.bold('To meet the objectives:'), ...e.advice.map((a) => `  - ${a.field}: ${a.change}`)] : []),
    `${file}: ${verdict(e.met)} (replication technology, promotion and the source of every figure: --output json)`,
    '',
  ].join('\n');
}
