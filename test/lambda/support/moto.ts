/**
 * Starts moto's real server (from PyPI, pinned in test/requirements.txt) on a free loopback
 * port for one test file, and stops it again by PID, also when the tests fail or the worker
 * exits. Missing Python or moto is an error, never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const VENV_PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

/** A running moto server. */
export interface MotoServer {
  /** e.g. `http://127.0.0.1:51234` */
  readonly endpoint: string;
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL); safe to call twice. */
  stop(): Promise<void>;
}

/** The interpreter with moto: $DRPLANE_PYTHON, else the repository's .venv (scripts/test-setup.sh), else python3. */
/** moto's server with DynamoDB's conditional writes made atomic, as DynamoDB's are (see the script). */
const MOTO_SERVER = fileURLToPath(new URL('./moto_server.py', import.meta.url));
const PYTHON = process.env.DRPLANE_PYTHON ?? (existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3');
const START_TIMEOUT_MS = 30_000;

/** Asks the kernel for a free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a probe socket'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function startOnce(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(PYTHON, [MOTO_SERVER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  // Keep a short tail of stderr for error messages; draining it also stops the pipe from filling.
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4_000);
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const onExit = (): void => kill(child);
  process.once('exit', onExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => kill(child), 3_000);
    await exited;
    clearTimeout(timer);
  };

  const started = Date.now();
  while (Date.now() - started < START_TIMEOUT_MS) {
    if (spawnError !== undefined || child.exitCode !== null) {
      await stop();
      const why = spawnError?.message ?? `exit code ${String(child.exitCode)}`;
      throw new Error(
        `moto server did not start (${why}). Install it with ` +
          `'${PYTHON} -m pip install -r test/requirements.txt'.\n${stderrTail}`,
      );
    }
    if (await answers(endpoint)) {
      if (child.pid === undefined) throw new Error('moto server has no PID');
      return { endpoint, pid: child.pid, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`moto server did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms\n${stderrTail}`);
}

/**
 * Starts a moto server. Retries twice on a new port, since the probed free port can be taken
 * between probing and binding.
 */
export async function startMoto(): Promise<MotoServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      lastError = err;
      if (err instanceof Error && /Install it with/.test(err.message) && /No module named/.test(err.message)) break;
    }
  }
  throw lastError;
}
