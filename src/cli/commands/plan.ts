/** `drctl plan FILE`: every resource a claim becomes, computed offline by the same compose code the function runs. */
import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { loadClaim } from '../claims.js';
import { colors, outputFormat, printData, table } from '../output.js';

/** Folder of the Lambda zips: $DRPLANE_LAMBDA_DIR, else dist/lambda of this package (beside bin/). */
export function lambdaZips(): string {
  return process.env.DRPLANE_LAMBDA_DIR || join(dirname(process.argv[1] ?? '.'), '..', 'dist', 'lambda');
}

/** Registers the plan command. */
export function register(program: Command): void {
  program
    .command('plan')
    .description('show every resource a claim becomes, per region, nested composites expanded')
    .argument('<file>', 'claim file')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl plan claims/payments.yaml
  $ drctl plan claims/payments.yaml --output json | jq length
  $ drctl plan claims/payments.yaml --output yaml > estate.yaml

The plan is the steady state: every resource as it will be once its dependencies exist.
Values AWS assigns at creation (ARNs, endpoints) show as <… known after creation>.`,
    )
    .action(async (file: string, opts: { output: string }) => {
      const format = outputFormat(opts.output, ['table', 'json', 'yaml']);
      const claim = loadClaim(file);
      const [{ planClaim }, { loadLambdaArtifacts }] = await Promise.all([
        import('../../compose/plan.js'),
        import('../../function/artifacts.js'),
      ]);
      const { artifacts, notes } = loadLambdaArtifacts(lambdaZips());
      if (Object.keys(artifacts).length === 0)
        process.stderr.write(
          `drctl: the Lambda zips are not built (npm run build:lambda); their code objects show a placeholder\n`,
        );
      else for (const note of notes) process.stderr.write(`drctl: ${note}\n`);
      const planned = planClaim(claim, undefined, { artifacts });
      if (format === 'json')
        printData(
          'json',
          planned.map((p) => p.manifest),
        );
      else if (format === 'yaml')
        process.stdout.write(planned.map((p) => stringify(p.manifest, { lineWidth: 0, version: '1.1' })).join('---\n'));
      else process.stdout.write(summary(file, planned));
    });
}

/** Counts per region and kind, with the composites the resources come from. */
function summary(file: string, planned: import('../../compose/plan.js').PlannedResource[]): string {
  const c = colors();
  const counts = new Map<string, number>();
  for (const p of planned) {
    const key = `${p.region ?? 'global'}\u0000${p.manifest.kind}\u0000${p.parent.split('/').at(-1)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts.entries()]
    .map(([k, n]) => [...k.split('\u0000'), n] as [string, string, string, number])
    .sort(
      (a, b) =>
        (a[0] === 'global' ? 1 : 0) - (b[0] === 'global' ? 1 : 0) ||
        a[0].localeCompare(b[0]) ||
        a[2].localeCompare(b[2]) ||
        a[1].localeCompare(b[1]),
    );
  const regions = new Set(planned.map((p) => p.region).filter(Boolean));
  return `${table(['REGION', 'KIND', 'FROM', 'COUNT'], rows)}\n${c.bold(`${file}: ${planned.length} resources`)} in ${regions.size} regions (nested composites included)\n`;
}
