/**
 * Argo CD on the e2e control plane, as its install manifests set it up but out of cluster: the `argocd` command built
 * by scripts/e2e-tools.sh runs as `argocd-repo-server` and `argocd-application-controller` (ARGOCD_BINARY_NAME picks
 * the component, as the image's symlinks do), with Debian's `redis-server` as their cache, and a `git daemon` on
 * loopback serves the repository they sync. Every process is a real program, logged and stopped by PID like the rest
 * of the tier (processes.ts).
 *
 * What differs from the in-cluster install, and why:
 * - The controller reaches the "in-cluster" destination (https://kubernetes.default.svc) through the tier's admin
 *   kubeconfig: ARGOCD_FAKE_IN_CLUSTER=true makes Argo CD read $KUBECONFIG for that destination (what Argo CD's own
 *   local development setup does); there is no service-account token out of cluster.
 * - The repo server listens in plain gRPC on 127.0.0.1 (`--disable-tls`, `--repo-server-plaintext`); the install
 *   uses a self-signed certificate on the pod network.
 * - `timeout.reconciliation` is short (ARGOCD_RECONCILIATION_TIMEOUT, which the install's Deployments read from
 *   argocd-cm), with no jitter: the tier polls git every few seconds where an installation uses a webhook.
 * - Resource health is kept in the Application's status (`--persist-resource-health`, the install's
 *   `controller.resource.health.persist`), so the tests read what the health checks computed.
 * - No argocd-server, Dex, ApplicationSet or notifications controller: nothing the bootstrap needs.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { providerCrdsDir } from '../../support/paths.js';
import { assertRunning } from './kube.js';
import type { Kubectl } from './kubectl.js';
import { freePorts } from './ports.js';
import { startProcess, untilReady, type ManagedProcess } from './processes.js';
import { eventually } from './wait.js';

/** Namespace Argo CD runs in (the bootstrap's `argocdNamespace`). */
export const ARGOCD_NAMESPACE = 'argocd';
/** Seconds between two reconciliations of an Application (`timeout.reconciliation`; 120 s in a default install). */
export const RECONCILIATION_SECONDS = 5;

/** Folder of the pinned Argo CD CRDs: `$DRPLANE_ARGOCD_CRDS_DIR`, else ../shared/crds/argo-cd. */
export function argoCdCrdsDir(): string {
  const dir = resolve(process.env.DRPLANE_ARGOCD_CRDS_DIR ?? join(providerCrdsDir(), '..', 'argo-cd'));
  if (!existsSync(dir))
    throw new Error(
      `Argo CD CRD directory ${dir} does not exist: put ../shared beside the checkout or set DRPLANE_ARGOCD_CRDS_DIR`,
    );
  return dir;
}

/** `redis-server` from PATH (Debian's redis-server package), or an error that says how to install it. */
export function redisBinary(): string {
  const found = (process.env.PATH ?? '')
    .split(':')
    .map((dir) => join(dir, 'redis-server'))
    .find((file) => existsSync(file));
  if (!found)
    throw new Error('redis-server is not on PATH: install it (`apt-get install -y redis-server`); Argo CD caches in Redis');
  return found;
}

/** True once something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Resolves with the HTTP status of GET `url`, or 0 when nothing answers. */
function httpStatus(url: string): Promise<number> {
  return new Promise((done) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
    req.end();
  });
}

/** Waits until a freshly started process listens on `port` (stops it and rethrows if it does not). */
async function untilListening(proc: ManagedProcess, port: number, timeoutMs = 60_000): Promise<void> {
  await untilReady(proc, () =>
    eventually(
      `${proc.name} to listen on 127.0.0.1:${port}`,
      async () => {
        assertRunning(proc);
        return (await listening(port)) ? true : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    ),
  );
}

/** Starts redis-server on a free loopback port, without persistence. */
export async function startRedis(logDir: string, workDir: string): Promise<{ proc: ManagedProcess; address: string }> {
  const [port] = await freePorts(1);
  const dir = join(workDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const proc = startProcess(
    'redis',
    redisBinary(),
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
    { logDir },
  );
  await untilListening(proc, port!);
  return { proc, address: `127.0.0.1:${port}` };
}

/**
 * Serves every repository under `baseDir` read-only over git:// on a free loopback port (`git daemon --export-all`);
 * a working repository at `<baseDir>/<name>` is `git://127.0.0.1:<port>/<name>`.
 */
export async function startGitDaemon(
  baseDir: string,
  logDir: string,
): Promise<{ proc: ManagedProcess; url: (name: string) => string }> {
  const [port] = await freePorts(1);
  mkdirSync(baseDir, { recursive: true });
  const proc = startProcess(
    'git-daemon',
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${baseDir}`,
      '--export-all',
      '--informative-errors',
      '--verbose',
      baseDir,
    ],
    { logDir },
  );
  await untilListening(proc, port!);
  return { proc, url: (name) => `git://127.0.0.1:${port}/${name}` };
}

/**
 * What Argo CD's install manifests create before any Application exists: the namespace, the CRDs (the pinned set),
 * and the empty `argocd-cm`, `argocd-rbac-cm` and `argocd-secret` with the labels Argo CD looks them up by. Written
 * here, not taken from the install manifests (which also hold Deployments and RBAC the tier does not use).
 */
export async function installArgoCd(kubectl: Kubectl): Promise<void> {
  if (!(await kubectl.get('namespace', ARGOCD_NAMESPACE))) await kubectl.ok(['create', 'namespace', ARGOCD_NAMESPACE]);
  await kubectl.applyServerSide([argoCdCrdsDir()]);
  // `kubectl wait` fails outright while a new CRD has no conditions yet: retried.
  await eventually('the Argo CD CRDs to be Established', () =>
    kubectl.ok(
      ['wait', '--for=condition=Established', 'crd', 'applications.argoproj.io', 'appprojects.argoproj.io', '--timeout=30s'],
      {
        timeoutMs: 40_000,
      },
    ),
  );
  const labels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'argocd' });
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: ARGOCD_NAMESPACE, labels: labels('argocd-cm') },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-rbac-cm', namespace: ARGOCD_NAMESPACE, labels: labels('argocd-rbac-cm') },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'argocd-secret', namespace: ARGOCD_NAMESPACE, labels: labels('argocd-secret') },
    },
  ];
  await kubectl.ok(['create', '-f', '-'], { input: objects.map((o) => stringify(o)).join('---\n') });
}

/** Where {@link startArgoCd} finds what it needs. */
export interface ArgoCdOptions {
  readonly binary: string;
  readonly kubeconfig: string;
  /** host:port of Redis. */
  readonly redis: string;
  readonly workDir: string;
  readonly logDir: string;
}

/** Starts the repo server, then the application controller, and waits until both serve. */
export async function startArgoCd(options: ArgoCdOptions): Promise<ManagedProcess[]> {
  const started: ManagedProcess[] = [];
  const common = {
    ARGOCD_RECONCILIATION_TIMEOUT: `${RECONCILIATION_SECONDS}s`,
    ARGOCD_RECONCILIATION_JITTER: '0s',
  };
  try {
    const [repoPort, repoMetrics, controllerMetrics] = await freePorts(3);
    const tmp = join(options.workDir, 'repo-server-tmp');
    mkdirSync(tmp, { recursive: true });
    const repoServer = startProcess(
      'argocd-repo-server',
      options.binary,
      [
        '--address=127.0.0.1',
        `--port=${repoPort}`,
        '--metrics-address=127.0.0.1',
        `--metrics-port=${repoMetrics}`,
        '--disable-tls',
        `--redis=${options.redis}`,
        '--logformat=text',
      ],
      {
        logDir: options.logDir,
        // No GPG (the install mounts a keyring; the bootstrap verifies no signatures); clones go to the scratch dir.
        env: { ...common, ARGOCD_BINARY_NAME: 'argocd-repo-server', ARGOCD_GPG_ENABLED: 'false', TMPDIR: tmp, HOME: tmp },
      },
    );
    started.push(repoServer);
    await untilListening(repoServer, repoPort!);
    const controller = startProcess(
      'argocd-application-controller',
      options.binary,
      [
        `--kubeconfig=${options.kubeconfig}`,
        `--namespace=${ARGOCD_NAMESPACE}`,
        `--repo-server=127.0.0.1:${repoPort}`,
        '--repo-server-plaintext',
        `--redis=${options.redis}`,
        `--metrics-port=${controllerMetrics}`,
        // Keep each resource's health in the Application's status (controller.resource.health.persist), so the
        // test reads what the health checks computed; Argo CD 3 keeps it only in Redis by default.
        '--persist-resource-health=true',
        '--status-processors=4',
        '--operation-processors=4',
        '--logformat=text',
      ],
      {
        logDir: options.logDir,
        env: {
          ...common,
          ARGOCD_BINARY_NAME: 'argocd-application-controller',
          ARGOCD_FAKE_IN_CLUSTER: 'true',
          KUBECONFIG: options.kubeconfig,
        },
      },
    );
    started.push(controller);
    await untilReady(controller, () =>
      eventually(
        'the application controller to answer /healthz',
        async () => {
          assertRunning(controller);
          return (await httpStatus(`http://127.0.0.1:${controllerMetrics}/healthz`)) === 200 ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      ),
    );
    return started;
  } catch (err) {
    for (const p of started.reverse()) await p.stop();
    throw err;
  }
}
