/**
 * A FAULTY BUILD of the drplane function, for the fault tier only (never shipped, never reachable from the
 * production entry point src/function/main.ts): the same handler and gRPC server, composing with src/compose and then
 * forgetting every resource whose kind is listed in DRPLANE_FAULT_DROP_KINDS (comma-separated kinds, e.g.
 * `Table,XGlobalTable`) — a build with a bug that stops composing a kind. What the production function does about
 * such a build (src/compose/drop-guard.ts) is what the tier checks.
 */
import { serve } from '@crossplane-org/function-sdk-typescript';
import { composeComposite } from '../../../src/compose/index.js';
import { loadLambdaArtifacts } from '../../../src/function/artifacts.js';
import { parseOwnFlags } from '../../../src/function/flags.js';
import { createHandler, type Composer } from '../../../src/function/handler.js';

const dropKinds = new Set(
  (process.env.DRPLANE_FAULT_DROP_KINDS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean),
);

const faulty: Composer = (...args) => {
  const result = composeComposite(...args);
  return { ...result, resources: result.resources.filter((d) => !dropKinds.has(d.manifest.kind)) };
};

process.stderr.write(`function-drplane (faulty build): drops every ${[...dropKinds].join(', ') || '(nothing)'}\n`);
// The production entry point's command line (the tier restarts with the same arguments); this build serves no metrics.
const { responseTtlSeconds, responseTtlAtRestSeconds, rest } = parseOwnFlags(process.argv.slice(2));
serve(createHandler({ artifacts: loadLambdaArtifacts().artifacts, responseTtlSeconds, responseTtlAtRestSeconds }, faulty), {
  name: 'function-drplane',
  argv: rest,
});
