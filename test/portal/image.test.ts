/**
 * The portal image (the Dockerfile's `portal` stage) without a container runtime (audit 18 M7): its base images are
 * exact releases, npm and corepack are removed from it, and the file layout its COPY lines make from the build (the
 * test run's own `npm run build`, test/global-setup.ts) starts under node exactly as its ENTRYPOINT, with its ENV,
 * the chart's ConfigMap and HOME=/nonexistent (the image's user has no home), on a read-only copy of the layout: it
 * clones a remote repository into the chart's emptyDir and answers /api/ready and the claims list.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL, PORTAL_UID } from '../../charts/bootstrap/portal.js';
import { renderPortal } from '../bootstrap/render.js';
import { repoPath } from '../support/paths.js';
import { git, tempRepo } from './helpers.js';

/** One stage of the Dockerfile: its FROM line and instructions (continuation lines joined). */
interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly lines: readonly { readonly op: string; readonly args: string }[];
}

/** The Dockerfile's stages. */
function stages(text: string): Stage[] {
  const out: { from: string; name?: string; lines: { op: string; args: string }[] }[] = [];
  const joined = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of joined) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line)!;
    if (op === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args!)!;
      out.push({ from: image!, ...(name ? { name } : {}), lines: [] });
    } else out.at(-1)!.lines.push({ op: op!, args: args! });
  }
  return out;
}

const dockerfile = stages(readFileSync(repoPath('Dockerfile'), 'utf8'));
const portal = dockerfile.find((s) => s.name === 'portal')!;
const build = dockerfile.find((s) => s.name === 'build')!;
const args = (op: string, stage: Stage = portal) => stage.lines.filter((l) => l.op === op).map((l) => l.args);

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Makes everything under `dir` read-only (the image's root filesystem is mounted read-only). */
function readOnly(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    chmodSync(path, statSync(path).isDirectory() ? 0o555 : 0o444);
  }
  chmodSync(dir, 0o555);
}

describe('the Dockerfile', () => {
  it('builds from exact Node releases, installs with npm ci, and runs the portal as the chart’s UID', () => {
    for (const stage of [build, portal]) expect(stage.from).toMatch(/^node:\d+\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    expect(args('RUN', build).join('\n')).toMatch(/\bnpm ci\b/);
    expect(args('COPY', build)[0]).toBe('package.json package-lock.json ./');
    expect(args('USER')).toEqual([`${PORTAL_UID}:${PORTAL_UID}`]);
    expect(JSON.parse(args('ENTRYPOINT')[0]!)).toEqual(['node', 'dist/portal-server.mjs']);
  });

  it('removes npm and corepack from the portal image (it installs nothing at run time)', () => {
    const run = args('RUN').join('\n');
    for (const path of ['/usr/local/lib/node_modules/npm', '/usr/local/lib/node_modules/corepack', '/usr/local/bin/npx'])
      expect(run).toContain(path);
  });
});

describe('the portal stage started as its ENTRYPOINT', () => {
  const children: ChildProcess[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'drplane-image-'));
  afterAll(async () => {
    for (const child of children) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    execFileSync('chmod', ['-R', 'u+w', scratch]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('clones the remote into the emptyDir with HOME=/nonexistent on a read-only layout, and answers ready', async () => {
    // The layout: WORKDIR, then each COPY --from=build /src/<path> <dest> from this checkout's build.
    const workdir = join(scratch, 'root', args('WORKDIR')[0]!.replace(/^\//, ''));
    mkdirSync(workdir, { recursive: true });
    const copies = args('COPY').map((a) => /^--from=build \/src\/(\S+) (\S+)$/.exec(a));
    expect(copies.every(Boolean), args('COPY').join('\n')).toBe(true);
    for (const [, from, to] of copies as RegExpExecArray[]) {
      const target = join(workdir, to!);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(repoPath(from!), target, { recursive: true });
    }
    readOnly(join(scratch, 'root'));

    // The remote, and the chart's volumes: the clone's emptyDir and /tmp.
    const seed = tempRepo();
    const bare = join(scratch, 'remote.git');
    git(scratch, 'init', '--quiet', '--bare', '-b', 'main', bare);
    git(seed, 'push', '--quiet', bare, 'main:main');
    const volume = join(scratch, 'var-lib-drplane');
    const repo = join(volume, 'repo');
    const tmp = join(scratch, 'tmp');
    mkdirSync(volume);
    mkdirSync(tmp);
    // Run as the image's USER when the test can (as root): the read-only layout then binds, as it does in the pod, and
    // the volumes belong to that user as the chart's fsGroup makes them.
    const [uid, gid] = args('USER')[0]!.split(':').map(Number) as [number, number];
    const asImageUser = process.getuid?.() === 0;
    chmodSync(scratch, 0o755);
    const main = git(bare, 'rev-parse', 'main');
    if (asImageUser)
      for (const path of [volume, tmp, bare, ...readdirSync(bare, { recursive: true }).map((e) => join(bare, String(e)))])
        chownSync(path, uid, gid);
    // The same node binary, where the image's user can run it: the image has node in /usr/local/bin, while the test's
    // may sit under a directory only root may enter (a Node 24 under /root/.cache: spawn EACCES).
    const node = asImageUser ? join(scratch, 'node') : process.execPath;
    if (asImageUser) {
      cpSync(process.execPath, node);
      chmodSync(node, 0o555);
    }

    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const line of args('ENV'))
      for (const pair of line.split(/\s+/)) {
        const [key, ...value] = pair.split('=');
        env[key!] = value.join('=').replace(/^\/portal\//, `${workdir}/`);
      }
    const config = (renderPortal(DEFAULT_PORTAL) as { kind: string; data: Record<string, string> }[]).find(
      (o) => o.kind === 'ConfigMap',
    )!.data;
    const port = await freePort();
    Object.assign(env, config, {
      // Where the pod has its volumes and its Secret (absent here: the chart marks the git Secret optional).
      DRPLANE_GIT_URL: bare,
      DRPLANE_GIT_REPO: repo,
      DRPLANE_GIT_TOKEN_FILE: join(scratch, 'no-secret', 'token'),
      // No API server here: the claims' status from git.
      DRPLANE_PORTAL_IN_CLUSTER: '0',
      HOST: '127.0.0.1',
      PORT: String(port),
      HOME: '/nonexistent',
      TMPDIR: tmp,
    });
    expect(env.DRPLANE_LAMBDA_DIR).toBe(join(workdir, 'dist', 'lambda'));
    const [command, ...rest] = JSON.parse(args('ENTRYPOINT')[0]!) as string[];
    expect(command).toBe('node');
    const child = spawn(node, rest, {
      cwd: workdir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asImageUser ? { uid, gid } : {}),
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    const base = `http://127.0.0.1:${port}`;
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await fetch(`${base}/api/ready`).then(
        (r) => r.status,
        () => 0,
      );
    }
    expect(ready, output).toBe(200);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    // (The test reads the image user's clone: git wants that said.)
    expect(git(repo, '-c', `safe.directory=${repo}`, 'rev-parse', 'HEAD')).toBe(main);
    // The chart's sign-in (the proxy's headers, trusted from loopback): the clone's claims are listed.
    const claims = await fetch(`${base}/api/claims`, { headers: { 'x-forwarded-user': 'ops', 'x-forwarded-groups': 'x' } });
    expect(claims.status, output).toBe(200);
    // The page is served from the image's dist/portal.
    const page = await fetch(`${base}/`);
    expect(await page.text()).toMatch(/<script type="module"/);
    expect(output).not.toMatch(/EACCES|EROFS|Error/);
    // The clone belongs to the image's user (it made it), not to the test.
    if (asImageUser) expect(statSync(join(repo, '.git')).uid).toBe(uid);
  }, 60_000);
});
