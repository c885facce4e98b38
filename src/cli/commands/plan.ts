/** `drctl plan FILE`: every resource a claim becomes, computed offline by the same compose code the function runs. */
import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { DEFAULT_PROVIDER_CONFIG } from '../../api/fields.js';
import { loadClaim, readText } from '../claims.js';
import { colors, outputFormat, outputOption, printData, table } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['table', 'json', 'yaml'] as const;

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
    .addOption(outputOption(FORMATS))
    .option(
      '--diff <old>',
      'show what changes from <old> (a claim, or a plan saved with -o yaml) to <file>: added, changed, removed, per region',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ drctl plan examples/payments.yaml
  $ drctl plan examples/payments.yaml --output json | jq length
  $ drctl plan examples/payments.yaml --output yaml > estate.yaml
  $ git show HEAD:examples/payments.yaml > /tmp/old.yaml && drctl plan examples/payments.yaml --diff /tmp/old.yaml
  $ drctl plan examples/payments.yaml -o yaml > before.yaml   # then upgrade drplane:
  $ drctl plan examples/payments.yaml --diff before.yaml      # what the new version renames or replaces

The plan is the steady state: every resource as it will be once its dependencies exist.
Values AWS assigns at creation (ARNs, endpoints) show as <… known after creation>.`,
    )
    .action(async (file: string, opts: { output: string; diff?: string }) => {
      const format = outputFormat(opts.output, FORMATS);
      const claim = loadClaim(file);
      const [{ planClaim }, { loadLambdaArtifacts }] = await Promise.all([
        import('../../compose/plan.js'),
        import('../../function/artifacts.js'),
      ]);
      const { artifacts, notes } = loadLambdaArtifacts(lambdaZips());
      const planned = planClaim(claim, undefined, { artifacts });
      // Only a claim with Lambda functions has code objects: the notices concern no other.
      if (planned.some((p) => p.manifest.kind === 'Function' && p.manifest.apiVersion.startsWith('lambda.'))) {
        if (Object.keys(artifacts).length === 0)
          process.stderr.write(
            `drctl: the Lambda zips are not built (npm run build:lambda); their code objects show a placeholder\n`,
          );
        else for (const note of notes) process.stderr.write(`drctl: ${note}\n`);
      }
      if (opts.diff) {
        const [{ diffPlans }, { savedPlan }] = await Promise.all([
          import('../../compose/diff.js'),
          import('../../compose/plan.js'),
        ]);
        // <old> is a claim, or a plan saved with `drctl plan -o yaml|json` (e.g. by an older drplane): then both
        // sides are read the same way, from the saved manifests.
        const saved = savedPlan(readDocuments(opts.diff));
        const changes = saved
          ? diffPlans(saved, savedPlan(planned.map((p) => p.manifest))!)
          : diffPlans(planClaim(loadClaim(opts.diff), undefined, { artifacts }), planned);
        if (format === 'table') process.stdout.write(renderDiff(opts.diff, file, changes));
        else printData(format as 'json' | 'yaml', changes);
        return;
      }
      if (format === 'json')
        printData(
          'json',
          planned.map((p) => p.manifest),
        );
      else if (format === 'yaml')
        process.stdout.write(planned.map((p) => stringify(p.manifest, { lineWidth: 0, version: '1.1' })).join('---\n'));
      else process.stdout.write(summary(file, planned, claim.spec.providerConfigRef?.name ?? DEFAULT_PROVIDER_CONFIG));
    });
}

/** The YAML (or JSON) documents of a file as plain values; an unparsable document reads as null. */
function readDocuments(file: string): unknown[] {
  return parseAllDocuments(readText(file)).map((d) => (d.errors.length > 0 ? null : (d.toJS() as unknown)));
}

/** Counts per region and kind, with the composites the resources come from, and the ProviderConfig (account) they use. */
function summary(file: string, planned: import('../../compose/plan.js').PlannedResource[], providerConfig: string): string {
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
  return (
    `${table(['REGION', 'KIND', 'FROM', 'COUNT'], rows)}\n${c.bold(`${file}: ${planned.length} resources`)} in ${regions.size} regions (nested composites included)\n` +
    `AWS ProviderConfig: ${c.bold(providerConfig)} (its identity decides the account; spec.providerConfigRef)\n`
  );
}

/** The changes between two plans, per region, with stateful replacements called out. */
function renderDiff(before: string, after: string, changes: import('../../compose/diff.js').PlanChange[]): string {
  const c = colors();
  if (changes.length === 0) return `${before} -> ${after}: no change to the estate\n`;
  const mark = { add: c.green('+ add'), change: c.yellow('~ change'), remove: c.red('- remove') };
  const rows = changes.map((ch) => [
    mark[ch.change],
    ch.region ?? 'global',
    ch.kind,
    ch.id.replace(/^XDisasterRecovery\//, ''),
    `${ch.replacesStateful ? c.red(c.bold('REPLACES STATEFUL RESOURCE ')) : ''}${(ch.fields ?? []).slice(0, 4).join(', ')}${(ch.fields?.length ?? 0) > 4 ? ', …' : ''}`,
  ]);
  const count = (k: string) => changes.filter((ch) => ch.change === k).length;
  const stateful = changes.filter((ch) => ch.replacesStateful);
  const lines = [
    table(['CHANGE', 'REGION', 'KIND', 'RESOURCE', 'DETAIL'], rows),
    '',
    `${before} -> ${after}: ${count('add')} to add, ${count('change')} to change, ${count('remove')} to remove`,
  ];
  if (stateful.length > 0) {
    lines.push(
      c.red(
        c.bold(
          `WARNING: ${stateful.length} stateful resource(s) would be deleted or replaced (data loss unless the profile is production, which orphans them): ${stateful.map((s) => s.id.split('/').at(-1)).join(', ')}`,
        ),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
