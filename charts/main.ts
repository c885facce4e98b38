/**
 * The cdk8s app: synthesizes every generated manifest into compositions/ (`npm run synth`).
 * Layout (one folder per composite kind, as mature Crossplane configurations use):
 *   compositions/crossplane.yaml                         Configuration package metadata
 *   compositions/apis/<plural>/definition.yaml           XRD
 *   compositions/apis/<plural>/composition.yaml          Composition
 *   package/crossplane.yaml                              Function package metadata (with the Dockerfile)
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Chart } from 'cdk8s';
import { COMPOSITE_KINDS } from '../src/api/index.js';
import { synthBootstrap } from './bootstrap/index.js';
import { CompositionsChart } from './compositions.js';
import { DefinitionsChart } from './definitions.js';
import { ConfigurationPackageChart, FunctionPackageChart } from './packages.js';
import { writeChart } from './write.js';

const outdir = resolve(process.argv[2] ?? 'compositions');

/** A chart holding one object of another chart, so each object gets a file of its own. */
function single(app: App, source: Chart, index: number): Chart {
  const chart = new Chart(app, `${source.node.id}-${index}`);
  const object = source.toJson()[index];
  chart.toJson = () => [object];
  return chart;
}

function main(): void {
  const app = new App({ outdir });
  const definitions = new DefinitionsChart(app, 'definitions', COMPOSITE_KINDS);
  const compositions = new CompositionsChart(app, 'compositions', COMPOSITE_KINDS);
  rmSync(join(outdir, 'apis'), { recursive: true, force: true });
  COMPOSITE_KINDS.forEach((def, i) => {
    writeChart(join(outdir, 'apis', def.plural, 'definition.yaml'), single(app, definitions, i));
    writeChart(join(outdir, 'apis', def.plural, 'composition.yaml'), single(app, compositions, i));
  });
  writeChart(join(outdir, 'crossplane.yaml'), new ConfigurationPackageChart(app, 'configuration'));
  writeChart(join(outdir, '..', 'package', 'crossplane.yaml'), new FunctionPackageChart(app, 'function'));
  synthBootstrap(app, join(outdir, 'bootstrap'));
  process.stdout.write(`synthesized ${COMPOSITE_KINDS.length} XRDs and Compositions into ${outdir}\n`);
}

main();
