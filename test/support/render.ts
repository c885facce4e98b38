/**
 * Real `crossplane composition render` against our function: the function runs as its own process
 * (src/function/main.ts, the same entry point the package image runs), on a free loopback port,
 * and render reaches it through the Development runtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './net.js';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { crossplaneCli, crossplaneCore } from './crossplane.js';
import { parseYamlDocuments } from './files.js';
import { repoPath } from './paths.js';
import { runOk } from './process.js';

export { freePort } from './net.js';

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`function exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`function did not listen on ${port} within ${timeoutMs} ms`);
}

/** The function running as a process, and the Function manifest that points render at it. */
export interface FunctionProcess {
  readonly port: number;
  readonly functionsFile: string;
  readonly logs: () => string;
  stop(): Promise<void>;
}

/** Starts src/function/main.ts with --insecure on a free port; writes functions.yaml into `dir`. */
export async function startFunctionProcess(dir: string): Promise<FunctionProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      repoPath('src', 'function', 'main.ts'),
      '--insecure',
      '--address',
      `127.0.0.1:${port}`,
      // Metrics on a port of the system's choosing: several render tests run functions at once.
      '--metrics-address=127.0.0.1:0',
    ],
    {
      cwd: repoPath(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForPort(port, child);
  const functionsFile = join(dir, 'functions.yaml');
  writeFileSync(
    functionsFile,
    stringify({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Function',
      metadata: {
        name: 'function-drplane',
        annotations: {
          'render.crossplane.io/runtime': 'Development',
          'render.crossplane.io/runtime-development-target': `127.0.0.1:${port}`,
        },
      },
      spec: { package: 'xpkg.crossplane.io/drplane/function-drplane:v0.1.0' },
    }),
  );
  return {
    port,
    functionsFile,
    logs: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Renders one composite with its composition, given the composed resources `observed` (mocks); returns the output documents (XR first). */
export async function render(
  xr: object,
  compositionFile: string,
  fn: FunctionProcess,
  dir: string,
  name: string,
  observed: readonly object[] = [],
): Promise<Record<string, any>[]> {
  const xrFile = join(dir, `${name}.xr.yaml`);
  writeFileSync(xrFile, stringify(xr, { version: '1.1' }));
  const observedFile = join(dir, `${name}.observed.yaml`);
  if (observed.length > 0) writeFileSync(observedFile, observed.map((o) => stringify(o, { version: '1.1' })).join('---\n'));
  const { stdout } = await runOk(
    crossplaneCli(),
    [
      'composition',
      'render',
      xrFile,
      compositionFile,
      fn.functionsFile,
      '--include-full-xr',
      `--crossplane-binary=${crossplaneCore()}`,
      '--timeout=60s',
      ...(observed.length > 0 ? [`--observed-resources=${observedFile}`] : []),
    ],
    { timeoutMs: 90_000 },
  );
  return parseYamlDocuments(stdout, `render of ${name}`) as Record<string, any>[];
}
