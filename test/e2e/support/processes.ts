/**
 * Long-running processes of the e2e control plane (etcd, kube-apiserver, the function, Crossplane): each writes
 * stdout and stderr to its own log file, is tracked by PID, and is ended by that PID — by `stop()` in the suite's
 * teardown, and, should the test process die first, by exit and signal handlers installed on first use. A test
 * process killed outright (SIGKILL) runs no handler: for that, every PID is also written with its command line to a
 * ledger file, and the next run ends those that still run the same command line ({@link reapLedger}). Nothing is
 * ever killed by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
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
  /** Sends `sig` now (SIGKILL: a crash; SIGSTOP/SIGCONT: a freeze) and resolves once it has exited, unless it is a freeze. */
  signal(sig: NodeJS.Signals): Promise<void>;
  /**
   * Starts the same command line (or `args`) again, same name and log file (appended), with `env` on top of the first
   * start's environment; the old process must have exited.
   */
  respawn(overrides?: { readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string>> }): ManagedProcess;
}

/** Every process started here that has not exited yet, by PID. */
const live = new Map<number, ChildProcess>();
let handlersInstalled = false;

/** Where started processes are recorded (see {@link useLedger}), and what is in it. */
let ledgerFile: string | undefined;
const ledger = new Map<number, readonly string[]>();

function writeLedger(): void {
  if (ledgerFile) writeFileSync(ledgerFile, JSON.stringify(Object.fromEntries(ledger), null, 2) + '\n');
}

/** The command line of a running PID (from /proc), or undefined when it is gone. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}

/**
 * Ends (SIGKILL) the processes a previous run recorded in `file` that are still alive with the very same command
 * line — what a test process killed outright left behind — and returns their descriptions. A PID reused by another
 * program is left alone.
 */
export function reapLedger(file: string): string[] {
  if (!existsSync(file)) return [];
  let recorded: Record<string, string[]>;
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const [pid, argv] of Object.entries(recorded)) {
    const now = commandLine(Number(pid));
    if (now && now.length === argv.length && now.every((a, i) => a === argv[i])) {
      signal(Number(pid), 'SIGKILL');
      reaped.push(`${pid} ${argv[0]}`);
    }
  }
  writeFileSync(file, '{}\n');
  return reaped;
}

/** Records every process started from now on in `file` (created or replaced). */
export function useLedger(file: string): void {
  ledgerFile = file;
  ledger.clear();
  writeLedger();
}

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
  /** Append to the log file instead of truncating it (a restart). */
  readonly append?: boolean;
}

/** Starts `command` in the background with its output going to `<logDir>/<name>.log` (truncated first). */
export function startProcess(name: string, command: string, args: readonly string[], options: StartOptions): ManagedProcess {
  installHandlers();
  const logFile = join(options.logDir, `${name}.log`);
  const fd = openSync(logFile, options.append ? 'a' : 'w');
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
  ledger.set(pid, [command, ...args]);
  writeLedger();
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    const gone = (why: string) => {
      status = why;
      live.delete(pid);
      if (ledger.delete(pid)) writeLedger();
      resolve();
    };
    child.once('exit', (code, sig) => gone(sig ?? String(code)));
    child.once('error', (err) => gone(`error: ${err.message}`));
  });
  return {
    name,
    pid,
    logFile,
    exitStatus: () => status,
    tail: (lines = 40) => tailFile(logFile, lines),
    async stop(graceMs = 10_000) {
      if (status !== undefined) return;
      signal(pid, 'SIGCONT');
      signal(pid, 'SIGTERM');
      const timer = setTimeout(() => signal(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async signal(sig) {
      if (status !== undefined) return;
      signal(pid, sig);
      if (sig !== 'SIGSTOP' && sig !== 'SIGCONT' && sig !== 'SIGTSTP') await exited;
    },
    respawn(overrides = {}) {
      if (status === undefined) throw new Error(`${name} (pid ${pid}) is still running; stop it before respawning`);
      return startProcess(name, command, overrides.args ?? args, {
        ...options,
        env: { ...options.env, ...overrides.env },
        append: true,
      });
    },
  };
}

/** Runs `ready` (a wait for a freshly started process); if it fails, stops the process before rethrowing. */
export async function untilReady<T>(proc: ManagedProcess, ready: () => Promise<T>): Promise<T> {
  try {
    return await ready();
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
