/** `drctl status` against an HTTP server that serves recorded Kubernetes API responses (discovery and objects). */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTempDir } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
const recorded = JSON.parse(readFileSync(repoPath('test', 'fixtures', 'cluster', 'minimal-estate.json'), 'utf8'))
  .objects as Obj[];
const plural = (kind: string) =>
  kind === 'DisasterRecovery'
    ? 'disasterrecoveries'
    : `${kind.toLowerCase()}${kind.endsWith('y') ? '' : 's'}`.replace(/ys$/, 'ies');
let server: Server;
let kubeconfig: string;
const seen: string[] = [];

function respond(url: string): [number, unknown] {
  const groupVersions = [...new Set(recorded.map((o) => o.apiVersion))];
  for (const gv of groupVersions) {
    if (url === `/apis/${gv}`) {
      const kinds = [...new Set(recorded.filter((o) => o.apiVersion === gv).map((o) => o.kind))];
      return [
        200,
        {
          kind: 'APIResourceList',
          groupVersion: gv,
          resources: kinds.map((k) => ({
            name: plural(k),
            kind: k,
            namespaced: k === 'DisasterRecovery',
            verbs: ['get', 'list'],
          })),
        },
      ];
    }
  }
  const hit = recorded.find(
    (o) =>
      url ===
      `/apis/${o.apiVersion}/${o.metadata.namespace ? `namespaces/${o.metadata.namespace}/` : ''}${plural(o.kind)}/${o.metadata.name}`,
  );
  return hit ? [200, hit] : [404, { kind: 'Status', code: 404, message: 'not found' }];
}

const drctl = (...args: string[]) =>
  run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], { cwd: repoPath(), env: { NO_COLOR: '1' } });

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url!);
    const [code, body] = respond(req.url!.split('?')[0]!);
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  kubeconfig = join(suiteTempDir('status-'), 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: t, context: {cluster: t, user: u}}]\ncurrent-context: t\n`,
  );
}, 120_000);
afterAll(() => server?.close());

describe('drctl status', () => {
  it('prints the tree claim → composite → primitive → managed resources with conditions and messages, exit 1 when not ready', async () => {
    const r = await drctl('status', 'claims/minimal.yaml', '--kubeconfig', kubeconfig);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('DisasterRecovery/minimal  READY=False SYNCED=True');
    expect(r.stdout).toContain('└─ XDisasterRecovery/minimal-7x2kq  READY=False SYNCED=True');
    expect(r.stdout).toMatch(/Table\/minimal-7x2kq-tbl \[us-east-1\] {2}READY=True SYNCED=True/);
    expect(r.stdout).toMatch(
      /Key\/minimal-7x2kq-key-w2 \[us-west-2\] {2}READY=False SYNCED=False\n\s+create failed: AccessDeniedException/,
    );
  });

  it('prints the same tree as JSON', async () => {
    const r = await drctl('status', 'claims/minimal.yaml', '--kubeconfig', kubeconfig, '--output', 'json');
    const tree = JSON.parse(r.stdout);
    expect(tree.children[0].children[0]).toMatchObject({ kind: 'XGlobalTable', ready: 'False' });
    expect(tree.children[0].children[0].children.map((c: { kind: string; region: string }) => `${c.kind}:${c.region}`)).toEqual([
      'Key:us-east-1',
      'Table:us-east-1',
      'Key:us-west-2',
    ]);
  });

  it('says when the claim is not in the cluster, exit 3', async () => {
    const r = await drctl('status', 'claims/payments.yaml', '--kubeconfig', kubeconfig);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('DisasterRecovery team-payments/payments (disasterrecoveries) is not in the cluster');
  });
});
