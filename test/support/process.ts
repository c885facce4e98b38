/** Runs external programs from tests and reports what they said, without a shell. */
import { spawn } from 'node:child_process';

/** Outcome of a finished program. */
export interface RunResult {
  /** Exit code; `null` when a signal ended the program. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly cwd?: string;
  /** Extra environment variables on top of the test process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Text written to the program's stdin (stdin is closed either way, so nothing waits for a terminal). */
  readonly input?: string;
  /** Killed with SIGKILL after this long; default 120 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs `command` with `args` and resolves with its exit code and output, whatever the exit code.
 * Rejects only when the program cannot start or runs past the timeout.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (timedOut) {
        reject(new Error(`${command} ${args.join(' ')} ran longer than ${timeoutMs} ms and was killed\n${result.stderr}`));
      } else {
        resolve(result);
      }
    });
    // A program may exit before reading its stdin; the resulting EPIPE is not an error of the run.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Like {@link run}, but rejects with the command line and its stderr unless the exit code is 0. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.code ?? result.signal})\n${result.stderr.trim()}\n${result.stdout.trim()}`.trim(),
    );
  }
  return result;
}
