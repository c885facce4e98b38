/**
 * Crossplane core running out of cluster against the e2e API server: `crossplane core start` with the admin
 * kubeconfig, webhooks off (nothing could call back into this process from a Service), the External package runtime
 * (nothing deploys function or provider pods), and a client certificate from the shared CA for calling functions.
 *
 * `core start` binds its metrics and health-probe servers to every interface on the given ports (":<port>"); free
 * ports are chosen so parallel runs do not collide. The CRDs it needs are installed beforehand (that is what
 * `crossplane core init` would do in a cluster), and the `crossplane-system` namespace exists for the package manager.
 */
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePorts } from './ports.js';
import { assertRunning } from './kube.js';
import type { Kubectl } from './kubectl.js';
import type { Pki } from './pki.js';
import { startProcess, untilReady, type ManagedProcess } from './processes.js';
import { eventually } from './wait.js';

/** Namespace Crossplane uses for package work; created so the package manager finds it. */
export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** Where crossplane-core.ts finds what it needs. */
export interface CoreOptions {
  readonly binary: string;
  readonly kubeconfig: string;
  readonly kubectl: Kubectl;
  readonly pki: Pki;
  readonly workDir: string;
  readonly logDir: string;
  /**
   * Further `core start` flags (`--name=value`, e.g. the bootstrap's reconcile settings); one the tier sets itself
   * replaces the tier's value.
   */
  readonly extraArgs?: readonly string[];
  /** Debug logging (default on: the tier's logs are how a failure is read; a benchmark turns it off). */
  readonly debug?: boolean;
}

/** Resolves with the HTTP status of GET `url`, or 0 when nothing answers. */
function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Waits until the Crossplane core process `proc` answers 200 on its readiness probe. */
export type CoreReady = (proc: ManagedProcess) => Promise<unknown>;

/** Starts Crossplane core and waits until its readiness probe answers 200. */
export async function startCrossplane(
  options: CoreOptions,
): Promise<{ proc: ManagedProcess; ready: CoreReady; /** Its Prometheus metrics (controller-runtime's). */ metricsUrl: string }> {
  const clientCerts = await options.pki.issueDir('crossplane-client', { commonName: 'crossplane', usage: 'client' });
  const cacheDir = join(options.workDir, 'crossplane-cache');
  mkdirSync(join(cacheDir, 'xpkg'), { recursive: true });
  mkdirSync(join(cacheDir, 'xfn'), { recursive: true });
  const exists = await options.kubectl.get('namespace', CROSSPLANE_NAMESPACE);
  if (!exists) await options.kubectl.ok(['create', 'namespace', CROSSPLANE_NAMESPACE]);
  const [metricsPort, healthPort] = await freePorts(2);
  const flagName = (arg: string) => arg.split('=')[0]!;
  const extra = options.extraArgs ?? [];
  const replaced = new Set(extra.map(flagName));
  const proc = startProcess(
    'crossplane',
    options.binary,
    [
      'core',
      'start',
      ...(options.debug === false ? [] : ['--debug']),
      ...[
        `--namespace=${CROSSPLANE_NAMESPACE}`,
        '--enable-webhooks=false',
        '--package-runtime=External',
        `--tls-client-certs-dir=${clientCerts}`,
        `--xpkg-cache-dir=${join(cacheDir, 'xpkg')}`,
        `--xfn-cache-dir=${join(cacheDir, 'xfn')}`,
        `--metrics-port=${metricsPort}`,
        `--health-probe-port=${healthPort}`,
        // The XR circuit breaker (default: 100 events, refilled at 1/s, then closed for 5 min) trips while a large
        // estate's nested composites appear all at once; a change made right after then waits for the 1-minute poll.
        // The tests apply and change estates back to back, so they give it more room.
        '--circuit-breaker-burst=1000',
        '--circuit-breaker-refill-rate=20',
      ].filter((arg) => !replaced.has(flagName(arg))),
      ...extra,
    ],
    // KUBECONFIG is how controller-runtime's GetConfig finds the cluster out of cluster.
    { logDir: options.logDir, env: { KUBECONFIG: options.kubeconfig, POD_NAMESPACE: CROSSPLANE_NAMESPACE } },
  );
  const ready: CoreReady = (p) =>
    untilReady(p, () =>
      eventually(
        'Crossplane core to report ready',
        async () => {
          assertRunning(p);
          return (await httpStatus(`http://127.0.0.1:${healthPort}/readyz`)) === 200 ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      ),
    );
  await ready(proc);
  return { proc, ready, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}
