/**
 * The whole e2e control plane in one call: etcd + kube-apiserver + garbage collector (kube.ts), the Crossplane and
 * provider CRDs, our function over mutual TLS (function.ts), and Crossplane core (crossplane-core.ts) — every piece
 * a real binary on loopback, every process logged to `$E2E_ARTIFACTS` (default test-artifacts/e2e) and stopped by
 * PID in {@link ControlPlane.stop}, or by the exit handlers of processes.ts if the test process dies first.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crossplaneCrdsDir, providerCrdsDir, repoPath } from '../../support/paths.js';
import { startCrossplane } from './crossplane-core.js';
import { FUNCTION_ENTRY, registerFunction, startFunction } from './function.js';
import { startKube } from './kube.js';
import type { Kubectl } from './kubectl.js';
import { Pki } from './pki.js';
import { reapLedger, tailFile, useLedger, type ManagedProcess } from './processes.js';
import { controlPlaneTools } from './tools.js';

/** A running control plane. */
export interface ControlPlane {
  readonly kubectl: Kubectl;
  readonly kubeconfig: string;
  /** Directory of the process logs and timings. */
  readonly artifactsDir: string;
  /** The running processes (a restart replaces its entry). */
  readonly processes: readonly ManagedProcess[];
  /** The function's endpoint (`127.0.0.1:<port>`), the same after a restart. */
  readonly functionEndpoint: string;
  /** The function's Prometheus metrics (`http://127.0.0.1:<port>/metrics`), the same after a restart. */
  readonly functionMetricsUrl: string;
  /** Crossplane core's Prometheus metrics, the same after a restart. */
  readonly crossplaneMetricsUrl: string;
  /**
   * Ends one process with `signal` (default SIGTERM; SIGKILL is a crash), leaves it down `downMs`, starts it again
   * with the same command line — the function with `entry` instead of src/function/main.ts when given (another
   * build) and `env` on top — and resolves once it serves again. etcd keeps its data directory.
   */
  restart(name: RestartableProcess, options?: RestartOptions): Promise<void>;
  /** Sends SIGSTOP (`frozen: true`) or SIGCONT to the function: it keeps its port but answers nothing. */
  freezeFunction(frozen: boolean): Promise<void>;
  /** Seconds each start-up step took. */
  readonly timings: Readonly<Record<string, number>>;
  /** The last `lines` lines of every process's log, with a header per process. */
  logTails(lines?: number): string;
  /** Stops every process (last started first) and removes the scratch directory. */
  stop(): Promise<void>;
}

/** `$E2E_ARTIFACTS`, else test-artifacts/e2e in the repository. */
export function artifactsDir(): string {
  return resolve(process.env.E2E_ARTIFACTS || repoPath('test-artifacts', 'e2e'));
}

/**
 * The provider CRDs the compositions use: every cluster-scoped `*.aws.upbound.io` file of the pinned set (and the
 * cluster-scoped ProviderConfig kinds of `aws.upbound.io`), none of the namespaced `*.aws.m.upbound.io` variants.
 */
export function providerCrdFiles(): string[] {
  const dir = providerCrdsDir();
  return readdirSync(dir)
    .filter((f) => /^([a-z0-9]+\.)?aws\.upbound\.io_[a-z0-9]+\.yaml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function formatTails(processes: readonly ManagedProcess[], lines: number): string {
  return processes
    .map(
      (p) =>
        `──── ${p.name} (pid ${p.pid}, ${p.exitStatus() === undefined ? 'running' : `exited ${p.exitStatus()}`}) ${p.logFile}\n${p.tail(lines)}`,
    )
    .join('\n');
}

/** The processes {@link ControlPlane.restart} can restart. */
export type RestartableProcess = 'etcd' | 'kube-apiserver' | 'crossplane' | 'function';

/** How {@link ControlPlane.restart} restarts a process. */
export interface RestartOptions {
  readonly signal?: NodeJS.Signals;
  readonly downMs?: number;
  /** The function only: the entry point to run instead of src/function/main.ts. */
  readonly entry?: string;
  /** The function only: environment on top of its first start's. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** Folder of the Lambda zips the function loads (DRPLANE_LAMBDA_DIR). */
  readonly lambdaDir: string;
  /** Sub-folder of the artifacts folder for this run's logs and timings (each test file its own), default none. */
  readonly artifactsSubdir?: string;
  /** Run this bundle of the function (dist/function.mjs) with plain node, as the package image does, not tsx. */
  readonly functionBundle?: string;
  /** Further arguments of the function (e.g. the bootstrap's --response-ttl). */
  readonly functionArgs?: readonly string[];
  /** Further Crossplane core flags (see crossplane-core.ts). */
  readonly crossplaneArgs?: readonly string[];
  /** Crossplane core's debug logging (default on). */
  readonly crossplaneDebug?: boolean;
}

/** Starts everything; on any failure stops what was started and rethrows with the logs' tails. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const tools = controlPlaneTools();
  const artifacts = options.artifactsSubdir ? join(artifactsDir(), options.artifactsSubdir) : artifactsDir();
  const logDir = join(artifacts, 'logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const ledger = join(artifacts, 'pids.json');
  for (const stale of reapLedger(ledger)) console.warn(`e2e: ended a process a previous run left behind: ${stale}`);
  useLedger(ledger);
  const workDir = mkdtempSync(join(tmpdir(), 'drplane-e2e-'));
  const processes: ManagedProcess[] = [];
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await fn();
    timings[name] = Math.round(performance.now() - start) / 1000;
    return value;
  };
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    // DRPLANE_KEEP_TMP=1 keeps certificates, kubeconfig and etcd data for a look afterwards.
    if (process.env.DRPLANE_KEEP_TMP !== '1') rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const pki = await step('pki', () => Pki.create(join(workDir, 'pki')));
    const kube = await step('kube', () => startKube({ ...tools, pki, workDir, logDir }));
    processes.push(...kube.processes);
    const { kubectl } = kube;
    await step('crds', async () => {
      await kubectl.applyServerSide([crossplaneCrdsDir(), ...providerCrdFiles()]);
      await kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s'], { timeoutMs: 150_000 });
    });
    const fn = await step('function', () =>
      startFunction(pki, logDir, options.lambdaDir, options.functionBundle, options.functionArgs),
    );
    processes.push(fn.proc);
    await step('register-function', () => registerFunction(kubectl, fn.endpoint));
    const core = await step('crossplane', () =>
      startCrossplane({
        binary: tools.crossplane,
        kubeconfig: kube.kubeconfig,
        kubectl,
        pki,
        workDir,
        logDir,
        extraArgs: options.crossplaneArgs,
        debug: options.crossplaneDebug,
      }),
    );
    processes.push(core.proc);
    writeFileSync(join(artifacts, 'startup-timings.json'), JSON.stringify(timings, null, 2) + '\n');
    const own = { function: fn, crossplane: core };
    const sync = () => {
      // The kube processes are replaced in kube.processes by kube.restart; mirror them here.
      for (const p of kube.processes) if (!processes.includes(p)) processes[processes.findIndex((x) => x.name === p.name)] = p;
    };
    return {
      kubectl,
      kubeconfig: kube.kubeconfig,
      artifactsDir: artifacts,
      processes,
      functionEndpoint: fn.endpoint,
      functionMetricsUrl: fn.metricsUrl,
      crossplaneMetricsUrl: core.metricsUrl,
      async restart(name, { signal = 'SIGTERM', downMs = 0, entry, env } = {}) {
        if (name === 'etcd' || name === 'kube-apiserver') {
          await kube.restart(name, { signal, downMs });
          sync();
          return;
        }
        const old = own[name];
        await old.proc.signal('SIGCONT');
        await old.proc.signal(signal);
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        const proc =
          name === 'function'
            ? old.proc.respawn({ args: fn.args(entry ?? options.functionBundle ?? FUNCTION_ENTRY), env })
            : old.proc.respawn();
        processes[processes.indexOf(old.proc)] = proc;
        own[name] = { ...old, proc } as never;
        await old.ready(proc);
      },
      async freezeFunction(frozen) {
        await own.function.proc.signal(frozen ? 'SIGSTOP' : 'SIGCONT');
      },
      timings,
      logTails: (lines = 40) => formatTails(processes, lines),
      stop,
    };
  } catch (err) {
    // Every log, also of a process that a failed step already stopped.
    const tails = readdirSync(logDir)
      .sort()
      .map((f) => `──── ${join(logDir, f)}\n${tailFile(join(logDir, f), 30)}`)
      .join('\n');
    await stop();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`the e2e control plane did not start: ${message}\n${tails}`, { cause: err });
  }
}
