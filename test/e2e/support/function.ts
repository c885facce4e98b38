/**
 * Our composition function as Crossplane runs it, minus the package manager: the function is the same entry point
 * the package image runs (src/function/main.ts), serving gRPC over mutual TLS on loopback, and it is registered the
 * way the package manager would leave it — a `Function` and an active `FunctionRevision` labelled with the package
 * name, whose status carries the endpoint and the `composition` capability. Both are paused, so the package manager
 * (running with the External runtime) never tries to pull an image for them.
 *
 * Crossplane core v2.3.4 finds a function's endpoint by listing FunctionRevisions labelled
 * `pkg.crossplane.io/package=<function name>` with `spec.desiredState: Active` and dialing `status.endpoint`
 * (internal/xfn/function_runner.go); a Composition's revision is accepted once every function it names has an active
 * revision whose `status.capabilities` include `composition` (internal/xfn/capabilities.go).
 */
import { connect } from 'node:net';
import { stringify } from 'yaml';
import { freePorts } from './ports.js';
import { repoPath } from '../../support/paths.js';
import { FUNCTION_NODE_FLAGS } from '../../../src/function/flags.js';
import type { Kubectl } from './kubectl.js';
import { assertRunning } from './kube.js';
import type { Pki } from './pki.js';
import { startProcess, untilReady, type ManagedProcess } from './processes.js';
import { eventually } from './wait.js';

/** Name of the function package, as the Compositions' `functionRef.name` says it. */
export const FUNCTION_NAME = 'function-drplane';
/** Label that ties a FunctionRevision to its Function (pkgv1.LabelParentPackage). */
const PARENT_PACKAGE_LABEL = 'pkg.crossplane.io/package';
const PAUSED = { 'crossplane.io/paused': 'true' };
/** An image reference for the required spec fields; never pulled (the objects are paused). */
const IMAGE = 'xpkg.crossplane.io/drplane/function-drplane:v0.1.0';
const REVISION = `${FUNCTION_NAME}-e2e`;

/** True once something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until the function process `proc` listens on its port again. */
export type FunctionReady = (proc: ManagedProcess) => Promise<unknown>;

/** The entry point the package image runs. */
export const FUNCTION_ENTRY = repoPath('src', 'function', 'main.ts');

/**
 * Starts the function with `--tls-server-certs-dir` on a free loopback port and waits until it listens. `lambdaDir`
 * holds the Lambda zips it serves to compose (the image's DRPLANE_LAMBDA_DIR). Its arguments are
 * `--import tsx <entry> ...` (only `<bundle> ...` for the bundle), so a restart can run another build's entry.
 */
export async function startFunction(
  pki: Pki,
  logDir: string,
  lambdaDir: string,
  /** A bundled entry (dist/function.mjs) to run with plain node, as the package image does, instead of tsx. */
  bundle?: string,
  /** Further arguments (e.g. the bootstrap's --response-ttl). */
  extraArgs: readonly string[] = [],
): Promise<{
  proc: ManagedProcess;
  endpoint: string;
  /** `http://127.0.0.1:<port>/metrics`: the function's Prometheus metrics. */
  metricsUrl: string;
  ready: FunctionReady;
  args: (entry: string) => string[];
}> {
  const certsDir = await pki.issueDir('function-server', {
    commonName: FUNCTION_NAME,
    ips: ['127.0.0.1'],
    dnsNames: ['localhost'],
    usage: 'server',
  });
  const [port, metricsPort] = (await freePorts(2)) as [number, number];
  const args = (entry: string) => [
    // Node's flags as the image's ENTRYPOINT gives them.
    ...FUNCTION_NODE_FLAGS,
    ...(bundle !== undefined && entry === bundle ? [] : ['--import', 'tsx']),
    entry,
    '--address',
    `127.0.0.1:${port}`,
    '--tls-server-certs-dir',
    certsDir,
    // The function's Prometheus metrics (src/function/metrics.ts) on their own loopback port.
    `--metrics-address=127.0.0.1:${metricsPort}`,
    ...extraArgs,
  ];
  const proc = startProcess('function', process.execPath, args(bundle ?? FUNCTION_ENTRY), {
    logDir,
    cwd: repoPath(),
    env: { DRPLANE_LAMBDA_DIR: lambdaDir },
  });
  const ready: FunctionReady = (p) =>
    untilReady(p, () =>
      eventually(
        `the function to listen on 127.0.0.1:${port}`,
        async () => {
          assertRunning(p);
          return (await listening(port)) ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      ),
    );
  await ready(proc);
  return { proc, endpoint: `127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, ready, args };
}

/** Creates the paused Function and its active FunctionRevision, and writes the revision's status. */
export async function registerFunction(kubectl: Kubectl, endpoint: string): Promise<void> {
  const fn = {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: { name: FUNCTION_NAME, annotations: PAUSED },
    spec: { package: IMAGE },
  };
  const revision = {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'FunctionRevision',
    metadata: { name: REVISION, annotations: PAUSED, labels: { [PARENT_PACKAGE_LABEL]: FUNCTION_NAME } },
    spec: { desiredState: 'Active', image: IMAGE, revision: 1 },
  };
  await kubectl.applyYaml([fn, revision].map((o) => stringify(o)).join('---\n'));
  await kubectl.patchStatus('functionrevisions.pkg.crossplane.io', REVISION, { endpoint, capabilities: ['composition'] });
  await kubectl.patchStatus('functions.pkg.crossplane.io', FUNCTION_NAME, { currentRevision: REVISION });
}
