/**
 * A real Kubernetes control plane on loopback, for the e2e tier: etcd, kube-apiserver and the controller manager's
 * garbage collector, each a process started from the pinned binaries, all with certificates from one throwaway CA.
 *
 * No kubelet, scheduler or cloud: nothing here runs pods. The garbage collector is there because Crossplane deletes
 * composed resources through owner references, as in any cluster.
 */
import { request } from 'node:https';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePorts } from './ports.js';
import { Kubectl } from './kubectl.js';
import type { Pki, KeyPair } from './pki.js';
import { startProcess, untilReady, type ManagedProcess } from './processes.js';
import { eventually, StopWaiting } from './wait.js';

/** A running API server with its store, and the admin credentials for it. */
export interface Kube {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** Kubeconfig of a `system:masters` user. */
  readonly kubeconfig: string;
  /** The admin client certificate (also used to probe /readyz). */
  readonly admin: KeyPair;
  readonly kubectl: Kubectl;
  /** The running processes (a restart replaces its entry). */
  readonly processes: readonly ManagedProcess[];
  /**
   * Ends etcd or kube-apiserver with `signal` (SIGTERM: a clean restart; SIGKILL: a crash), waits `downMs`, starts
   * the same command line again — etcd on the same data directory, so everything stored is kept — and resolves once
   * it serves again.
   */
  restart(name: 'etcd' | 'kube-apiserver', options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
}

/** Where kube.ts finds its binaries and puts its files. */
export interface KubeOptions {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubectl: string;
  readonly pki: Pki;
  /** Scratch directory (etcd data, kubeconfig). */
  readonly workDir: string;
  /** Directory for the process logs. */
  readonly logDir: string;
}

/** The first address of the service range is the `kubernetes` Service's; the serving certificate names it too. */
const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/24';
const KUBERNETES_SERVICE_IP = '10.0.0.1';

/** Ends a wait at once, with the log's tail, when a process has already exited. */
export function assertRunning(proc: ManagedProcess): void {
  const status = proc.exitStatus();
  if (status !== undefined) throw new StopWaiting(`${proc.name} exited (${status}):\n${proc.tail(30)}`);
}

/** GET over HTTPS with client certificates; resolves with the status code and body, or rejects on a network error. */
export function httpsGet(
  url: string,
  tls: { ca: string; cert?: string; key?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(tls.ca),
        cert: tls.cert ? readFileSync(tls.cert) : undefined,
        key: tls.key ? readFileSync(tls.key) : undefined,
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** A started process and the wait until it serves (used again after a restart). */
interface Served {
  readonly proc: ManagedProcess;
  readonly ready: (p: ManagedProcess) => Promise<unknown>;
}

async function startEtcd(options: KubeOptions): Promise<Served & { url: string; client: KeyPair }> {
  const { pki } = options;
  const server = await pki.issue('etcd-server', {
    commonName: 'etcd',
    ips: ['127.0.0.1'],
    dnsNames: ['localhost'],
    usage: 'both',
  });
  const client = await pki.issue('apiserver-etcd-client', { commonName: 'kube-apiserver-etcd-client', usage: 'client' });
  const [clientPort, peerPort] = await freePorts(2);
  const url = `https://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const proc = startProcess(
    'etcd',
    options.etcd,
    [
      '--name=e2e',
      `--data-dir=${join(options.workDir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=e2e=${peer}`,
      `--cert-file=${server.cert}`,
      `--key-file=${server.key}`,
      `--trusted-ca-file=${pki.ca.cert}`,
      '--client-cert-auth',
      // A test store: durability across power loss buys nothing here, and fsync dominates write latency.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    { logDir: options.logDir },
  );
  const ready = (p: ManagedProcess) =>
    untilReady(p, () =>
      eventually(
        'etcd to serve /health',
        async () => {
          assertRunning(p);
          const res = await httpsGet(`${url}/health`, { ca: pki.ca.cert, cert: client.cert, key: client.key });
          return res.status === 200 && res.body.includes('"health":"true"') ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      ),
    );
  await ready(proc);
  return { proc, url, client, ready };
}

/** Writes a kubeconfig for `server` that authenticates with a client certificate. */
function writeKubeconfig(file: string, server: string, ca: string, user: KeyPair): void {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority': ca } }],
      users: [{ name: 'user', user: { 'client-certificate': user.cert, 'client-key': user.key } }],
      contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'user' } }],
      'current-context': 'e2e',
    }),
  );
}

async function startApiserver(
  options: KubeOptions,
  etcd: { url: string; client: KeyPair },
): Promise<Served & { server: string; admin: KeyPair; kubeconfig: string }> {
  const { pki, workDir } = options;
  const serving = await pki.issue('apiserver', {
    commonName: 'kube-apiserver',
    ips: ['127.0.0.1', KUBERNETES_SERVICE_IP],
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    usage: 'server',
  });
  const admin = await pki.issue('admin', { commonName: 'drplane-e2e-admin', organizations: ['system:masters'], usage: 'client' });
  const serviceAccounts = await pki.signingKey('service-accounts');
  const port = (await freePorts(1))[0]!;
  const server = `https://127.0.0.1:${port}`;
  const proc = startProcess(
    'kube-apiserver',
    options.kubeApiserver,
    [
      `--etcd-servers=${etcd.url}`,
      `--etcd-cafile=${pki.ca.cert}`,
      `--etcd-certfile=${etcd.client.cert}`,
      `--etcd-keyfile=${etcd.client.key}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${join(workDir, 'apiserver')}`,
      `--tls-cert-file=${serving.cert}`,
      `--tls-private-key-file=${serving.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      `--service-account-key-file=${serviceAccounts.pub}`,
      `--service-account-signing-key-file=${serviceAccounts.key}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
      '--authorization-mode=RBAC',
      // No kubelet registers this host's address as the `kubernetes` Service's endpoint.
      '--endpoint-reconciler-type=none',
      // Nothing here runs pods, so no token controller creates the default ServiceAccounts the plugin waits for.
      '--disable-admission-plugins=ServiceAccount',
      '--profiling=false',
    ],
    { logDir: options.logDir },
  );
  const kubeconfig = join(workDir, 'kubeconfig');
  writeKubeconfig(kubeconfig, server, pki.ca.cert, admin);
  const ready = (p: ManagedProcess) =>
    untilReady(p, () =>
      eventually(
        'kube-apiserver to report /readyz ok',
        async (state) => {
          assertRunning(p);
          const res = await httpsGet(`${server}/readyz`, { ca: pki.ca.cert, cert: admin.cert, key: admin.key });
          state.last = `HTTP ${res.status} ${res.body.slice(0, 300)}`;
          return res.status === 200 ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 250 },
      ),
    );
  await ready(proc);
  return { proc, server, admin, kubeconfig, ready };
}

/**
 * Runs only the controller manager's garbage collector (as a `system:masters` user, so it needs no RBAC bootstrap).
 * Crossplane relies on it: a deleted composite's composed resources go through their owner references.
 */
async function startGarbageCollector(options: KubeOptions, server: string): Promise<ManagedProcess> {
  const user = await options.pki.issue('controller-manager', {
    commonName: 'system:kube-controller-manager',
    organizations: ['system:masters'],
    usage: 'client',
  });
  const kubeconfig = join(options.workDir, 'controller-manager.kubeconfig');
  writeKubeconfig(kubeconfig, server, options.pki.ca.cert, user);
  const proc = startProcess(
    'kube-controller-manager',
    options.kubeControllerManager,
    [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      // Its own serving endpoint needs no front-proxy authentication (the API server has none configured).
      '--authentication-skip-lookup',
      '--controllers=garbagecollector',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${(await freePorts(1))[0]}`,
      `--cert-dir=${join(options.workDir, 'controller-manager')}`,
      '--use-service-account-credentials=false',
    ],
    { logDir: options.logDir },
  );
  return proc;
}

/** Starts etcd, kube-apiserver and the garbage collector, and waits until the API server is ready. */
export async function startKube(options: KubeOptions): Promise<Kube> {
  mkdirSync(options.workDir, { recursive: true });
  mkdirSync(options.logDir, { recursive: true });
  const processes: ManagedProcess[] = [];
  try {
    const etcd = await startEtcd(options);
    processes.push(etcd.proc);
    const api = await startApiserver(options, etcd);
    processes.push(api.proc);
    processes.push(await startGarbageCollector(options, api.server));
    const served: Record<'etcd' | 'kube-apiserver', Served> = { etcd, 'kube-apiserver': api };
    return {
      server: api.server,
      kubeconfig: api.kubeconfig,
      admin: api.admin,
      kubectl: new Kubectl(options.kubectl, api.kubeconfig),
      processes,
      async restart(name, { signal = 'SIGTERM', downMs = 0 } = {}) {
        const old = served[name];
        await old.proc.signal(signal);
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        const proc = old.proc.respawn();
        processes[processes.indexOf(old.proc)] = proc;
        served[name] = { ...old, proc };
        await old.ready(proc);
      },
    };
  } catch (err) {
    for (const p of processes.reverse()) await p.stop();
    throw err;
  }
}
