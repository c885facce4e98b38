/**
 * Long-running processes of the e2e control plane (etcd, kube-apiserver, the function, Crossplane): each writes
 * stdout and stderr to its own log file, is tracked by PID, and is ended by that PID — by `stop()` in the suite's
 * teardown, and, should the test process die first, by exit and signal handlers installed on first use. Nothing is
 * ever killed by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A started process and its log. */
export interface ManagedProcess {
  /** Short name, also the log file's base name. */
  readonly name: string;
  readonly pid: number;
  /** File holding everything the process wrote to stdout and stderr. */
  readonly logFile: string;
  /** Exit code (or signal name) once it has exited, else undefined. */
  exitStatus(): string | undefined;
  /** The last `lines` lines of its log. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Every process started here that has not exited yet, by PID. */
const live = new Map<number, ChildProcess>();
let handlersInstalled = false;

/** Kills every live process with SIGKILL, synchronously (usable from an 'exit' handler). */
export function killAllSync(): void {
  for (const pid of live.keys()) signal(pid, 'SIGKILL');
  live.clear();
}

/**
 * Makes sure nothing outlives the test process: on exit, and on SIGINT/SIGTERM/SIGHUP (after which the signal is
 * raised again so the process still ends the way it was asked to).
 */
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllSync();
      process.kill(process.pid, signal);
    });
  }
}

/** Sends a signal to a PID that may have just exited. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // exited in the meantime
  }
}

/** Last lines of a text file, or a note when it does not exist. */
export function tailFile(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const all = readFileSync(file, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Options of {@link startProcess}. */
export interface StartOptions {
  /** Directory for the log file `<name>.log`. */
  readonly logDir: string;
  readonly cwd?: string;
  /** Extra environment on top of the test process's own. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts `command` in the background with its output going to `<logDir>/<name>.log` (truncated first). */
export function startProcess(name: string, command: string, args: readonly string[], options: StartOptions): ManagedProcess {
  installHandlers();
  const logFile = join(options.logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`cannot start ${name} (${command})`);
  const pid = child.pid;
  live.set(pid, child);
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal ?? String(code);
      live.delete(pid);
      resolve();
    });
    child.once('error', (err) => {
      status = `error: ${err.message}`;
      live.delete(pid);
      resolve();
    });
  });
  return {
    name,
    pid,
    logFile,
    exitStatus: () => status,
    tail: (lines = 40) => tailFile(logFile, lines),
    async stop(graceMs = 10_000) {
      if (status !== undefined) return;
      signal(pid, 'SIGTERM');
      const timer = setTimeout(() => signal(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
