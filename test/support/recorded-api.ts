/**
 * An HTTP server that answers like a Kubernetes API server from recorded objects (discovery and
 * GET of single objects), and a kubeconfig pointing at it. For tests of readers such as drctl status.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { repoPath } from './paths.js';

/** A recorded Kubernetes object. */
export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
};

/** A running recorded API server. */
export interface RecordedApi {
  readonly kubeconfig: string;
  readonly requests: string[];
  /** The objects served; a test may change them while the server runs (a cluster whose state moves on). */
  readonly objects: Obj[];
  close(): void;
}

const plural = (kind: string) => (kind === 'DisasterRecovery' ? 'disasterrecoveries' : `${kind.toLowerCase()}s`);

function respond(objects: readonly Obj[], url: string): [number, unknown] {
  for (const gv of new Set(objects.map((o) => o.apiVersion))) {
    if (url === `/apis/${gv}`) {
      const kinds = [...new Set(objects.filter((o) => o.apiVersion === gv).map((o) => o.kind))];
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
  const hit = objects.find(
    (o) =>
      url ===
      `/apis/${o.apiVersion}/${o.metadata.namespace ? `namespaces/${o.metadata.namespace}/` : ''}${plural(o.kind)}/${o.metadata.name}`,
  );
  return hit ? [200, hit] : [404, { kind: 'Status', code: 404, message: 'not found' }];
}

/**
 * Serves test/fixtures/cluster/<fixture>.json on a loopback port; writes a kubeconfig into `dir`. `edit` may change
 * the recorded objects first (a variation of a recording, such as an annotation the recording lacks).
 */
export async function startRecordedApi(
  fixture: string,
  dir: string,
  edit: (objects: Obj[]) => void = () => {},
): Promise<RecordedApi> {
  const objects = JSON.parse(readFileSync(repoPath('test', 'fixtures', 'cluster', `${fixture}.json`), 'utf8')).objects as Obj[];
  edit(objects);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url!);
    const [code, body] = respond(objects, req.url!.split('?')[0]!);
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: t, context: {cluster: t, user: u}}]\ncurrent-context: t\n`,
  );
  return { kubeconfig, requests, objects, close: () => server.close() };
}

/** Runs `use` against a variation of a recording (see startRecordedApi's `edit`), and closes the server whatever happens. */
export async function withRecordedApi<T>(
  fixture: string,
  dir: string,
  edit: (objects: Obj[]) => void,
  use: (api: RecordedApi) => Promise<T>,
): Promise<T> {
  const api = await startRecordedApi(fixture, dir, edit);
  try {
    return await use(api);
  } finally {
    api.close();
  }
}
