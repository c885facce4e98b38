/**
 * Entry point of the drplane composition function: a gRPC server (flags --address, --insecure,
 * --tls-server-certs-dir, --debug, from the function SDK) serving `runFunction`, and the function's own flags:
 *
 * - `--metrics-address=<host:port>`: where `GET /metrics` serves the Prometheus metrics (default `0.0.0.0:8080`, as
 *   function-sdk-go; `""` serves none);
 * - `--response-ttl=<seconds>`: the TTL of a response while its composite settles, and of a refusal (default 60,
 *   Crossplane core's poll interval);
 * - `--response-ttl-at-rest=<seconds>`: the TTL of a response for a composite at rest (default: `--response-ttl`).
 */
import { serve } from '@crossplane-org/function-sdk-typescript';
import { composeComposite } from '../compose/index.js';
import { parseOwnFlags, type OwnFlags } from './flags.js';
import { createHandler, loadedArtifacts } from './handler.js';
import { createMetrics, serveMetrics } from './metrics.js';

let flags: OwnFlags;
try {
  flags = parseOwnFlags(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`function-drplane: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
const metrics = createMetrics();
if (flags.metricsAddress !== '') {
  try {
    await serveMetrics(metrics, flags.metricsAddress);
  } catch (err) {
    process.stderr.write(
      `function-drplane: cannot serve metrics on ${flags.metricsAddress}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(2);
  }
}
const handler = createHandler(
  {
    artifacts: loadedArtifacts,
    responseTtlSeconds: flags.responseTtlSeconds,
    responseTtlAtRestSeconds: flags.responseTtlAtRestSeconds,
  },
  composeComposite,
  metrics,
);
serve(handler, { name: 'function-drplane', argv: flags.rest });
