/**
 * The portal's RBAC against a real API server: the ServiceAccount, ClusterRole and binding of
 * compositions/bootstrap/portal/portal.yaml are applied, a token of that ServiceAccount is requested (TokenRequest, as
 * the kubelet does for the pod), and the portal runs with a kubeconfig holding only that token. Every example claim is
 * applied and composed; the portal reports the status of each, reading the same tree an administrator reads, and every
 * write the token attempts (claims, composites, managed resources, events, Secrets, its own RBAC) is refused by the
 * API server with 403.
 */
import { mkdirSync, readdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL, PORTAL_NAME } from '../../charts/bootstrap/portal.js';
import { lambdaDir } from '../../src/function/artifacts.js';
import { loadKubeConfig } from '../../src/cluster/claims.js';
import { estateTree, flatten, type TreeNode } from '../../src/cluster/tree.js';
import { createApp } from '../../src/portal/app.js';
import { yamlFilesIn } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { git } from '../portal/helpers.js';
import { startControlPlane, type ControlPlane } from './support/control-plane.js';
import { Kubectl } from './support/kubectl.js';
import { eventually } from './support/wait.js';

const EXAMPLES = yamlFilesIn(repoPath('examples'));
const RBAC_KINDS = new Set(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);

interface Claim {
  readonly namespace: string;
  readonly name: string;
}

let cp: ControlPlane;
let portalKubeconfig: string;
let portal: Kubectl;
let claims: Claim[] = [];
let repo: string;

/** A kubeconfig with the API server of `admin` and nothing but a bearer token as credentials. */
function tokenKubeconfig(admin: string, token: string): string {
  const kc = loadKubeConfig(admin);
  const cluster = kc.getCurrentCluster()!;
  const ca = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : undefined);
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server: cluster.server, 'certificate-authority-data': ca } }],
    users: [{ name: PORTAL_NAME, user: { token } }],
    contexts: [{ name: PORTAL_NAME, context: { cluster: 'e2e', user: PORTAL_NAME } }],
    'current-context': PORTAL_NAME,
  });
}

/** The tree without what depends on who reads it (nothing should). */
const shape = (tree: TreeNode) => flatten(tree).map((n) => ({ kind: n.kind, name: n.name, error: n.error, ready: n.ready }));

beforeAll(async () => {
  cp = await startControlPlane({ lambdaDir: lambdaDir(), artifactsSubdir: 'portal' });
  const apis = repoPath('compositions', 'apis');
  const kinds = readdirSync(apis).sort();
  await cp.kubectl.applyServerSide(kinds.map((k) => join(apis, k, 'definition.yaml')));
  await cp.kubectl.applyServerSide(kinds.map((k) => join(apis, k, 'composition.yaml')));
  await cp.kubectl.ok(['wait', '--for=condition=Established', 'xrd', '--all', '--timeout=180s'], { timeoutMs: 200_000 });

  // The portal's identity and RBAC, as Argo CD applies them from the generated file.
  const docs = parseAllDocuments(readFileSync(repoPath('compositions', 'bootstrap', 'portal', 'portal.yaml'), 'utf8'))
    .map((d) => d.toJS() as { kind: string })
    .filter((o) => RBAC_KINDS.has(o.kind));
  expect(docs.map((o) => o.kind).sort()).toEqual([...RBAC_KINDS].sort());
  await cp.kubectl.applyYaml(docs.map((o) => JSON.stringify(o)).join('\n---\n'));
  const token = (
    await cp.kubectl.ok(['create', 'token', PORTAL_NAME, '-n', DEFAULT_PORTAL.namespace, '--duration=3600s'])
  ).trim();
  const dir = join(cp.artifactsDir, 'portal');
  mkdirSync(dir, { recursive: true });
  portalKubeconfig = join(dir, 'kubeconfig');
  writeFileSync(portalKubeconfig, tokenKubeconfig(cp.kubeconfig, token), { mode: 0o600 });
  portal = new Kubectl(cp.kubectl.binary, portalKubeconfig);

  // Every example claim, in its namespace, and a git repository holding the same files (what the portal lists).
  repo = join(dir, 'repo');
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(join(repo, 'claims'), { recursive: true });
  git(repo, 'init', '--quiet', '-b', 'main');
  for (const file of EXAMPLES) {
    const claim = parseAllDocuments(readFileSync(file, 'utf8'))[0]!.toJS() as { metadata: Claim };
    claims.push({ namespace: claim.metadata.namespace, name: claim.metadata.name });
    await cp.kubectl.run(['create', 'namespace', claim.metadata.namespace]);
    await cp.kubectl.applyFile(file);
    writeFileSync(join(repo, 'claims', `${claim.metadata.namespace}-${claim.metadata.name}.yaml`), readFileSync(file));
  }
  git(repo, 'add', '.');
  git(repo, '-c', 'user.name=e2e', '-c', 'user.email=e2e@example.org', 'commit', '--quiet', '-m', 'claims');
  claims = claims.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  // Composed: each claim's composite holds the nested composites the function returned.
  const admin = loadKubeConfig(cp.kubeconfig);
  for (const c of claims) {
    await eventually(
      `${c.namespace}/${c.name} to be composed`,
      async () => (flatten(await estateTree(admin, c.namespace, c.name)).length > 2 ? true : undefined),
      { timeoutMs: 240_000, intervalMs: 2_000 },
    );
  }
}, 900_000);

afterAll(async () => {
  await cp?.stop();
});

describe('the portal with its ServiceAccount token', () => {
  it('reports the cluster status of every claim', async () => {
    const app = createApp({ repository: repo, kubeconfig: portalKubeconfig });
    const res = await app.request('/api/claims');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { claims: { namespace: string; name: string; status: string }[]; source: string };
    expect(body.source).toContain('cluster');
    expect(body.claims.map((c) => ({ namespace: c.namespace, name: c.name }))).toEqual(claims);
    for (const c of body.claims) expect(['Ready', 'Not ready', 'Paused'], `${c.namespace}/${c.name}`).toContain(c.status);
  });

  it('reads the same estate tree as an administrator: nothing it needs is forbidden', async () => {
    const admin = loadKubeConfig(cp.kubeconfig);
    const sa = loadKubeConfig(portalKubeconfig);
    let nodes = 0;
    for (const c of claims) {
      const [asAdmin, asPortal] = await Promise.all([
        estateTree(admin, c.namespace, c.name),
        estateTree(sa, c.namespace, c.name),
      ]);
      const portalShape = shape(asPortal);
      const forbidden = portalShape.filter(
        (n) => n.error && !shape(asAdmin).some((a) => a.name === n.name && a.error === n.error),
      );
      expect(forbidden, `${c.namespace}/${c.name}: ${JSON.stringify(forbidden)}`).toEqual([]);
      expect(portalShape).toEqual(shape(asAdmin));
      nodes += portalShape.length;
    }
    console.log(`portal e2e: ${claims.length} claims, ${nodes} objects read with the portal's token`);
    expect(nodes).toBeGreaterThan(claims.length * 2);
  });

  it('may read claims, composites, managed resources and events, and nothing else', async () => {
    for (const resource of [
      'disasterrecoveries.drplane.io',
      'xdisasterrecoveries.drplane.io',
      'vpcs.ec2.aws.upbound.io',
      'events',
    ]) {
      expect((await portal.run(['get', resource, '-A', '-o', 'name'])).code, resource).toBe(0);
    }
    for (const resource of ['secrets', 'configmaps', 'pods', 'providerconfigs.aws.upbound.io']) {
      const r = await portal.run(['get', resource, '-A', '-o', 'name']);
      expect(r.code, resource).not.toBe(0);
      expect(r.stderr, resource).toMatch(/Forbidden/);
    }
  });

  it('is forbidden by the API server to write anything: claims, composites, managed resources, events, Secrets, RBAC', async () => {
    const c = claims[0]!;
    const specBefore = JSON.parse(
      await cp.kubectl.ok(['get', 'disasterrecoveries.drplane.io', c.name, '-n', c.namespace, '-o', 'json']),
    ).spec;
    const composite = (
      await cp.kubectl.ok([
        'get',
        'disasterrecoveries.drplane.io',
        c.name,
        '-n',
        c.namespace,
        '-o',
        'jsonpath={.spec.resourceRef.name}',
      ])
    ).trim();
    const vpc = (await cp.kubectl.ok(['get', 'vpcs.ec2.aws.upbound.io', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    expect(composite).not.toBe('');
    expect(vpc).not.toBe('');
    const attempts: [string, string[], string?][] = [
      [
        'patch a claim',
        [
          'patch',
          'disasterrecoveries.drplane.io',
          c.name,
          '-n',
          c.namespace,
          '--type=merge',
          '-p',
          '{"spec":{"activeRegion":"us-west-2"}}',
        ],
      ],
      ['delete a claim', ['delete', 'disasterrecoveries.drplane.io', c.name, '-n', c.namespace, '--wait=false']],
      ['annotate a composite', ['annotate', 'xdisasterrecoveries.drplane.io', composite, 'crossplane.io/paused=true']],
      ['delete a composite', ['delete', 'xdisasterrecoveries.drplane.io', composite, '--wait=false']],
      ['pause a managed resource', ['annotate', 'vpcs.ec2.aws.upbound.io', vpc, 'crossplane.io/paused=true']],
      ['delete a managed resource', ['delete', 'vpcs.ec2.aws.upbound.io', vpc, '--wait=false']],
      [
        'create an event',
        ['create', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'x', namespace: c.namespace },
          involvedObject: { kind: 'Pod', name: 'x', namespace: c.namespace },
          reason: 'x',
          message: 'x',
        }),
      ],
      ['create a Secret', ['create', 'secret', 'generic', 'x', '-n', DEFAULT_PORTAL.namespace, '--from-literal=a=b']],
      [
        'widen its own ClusterRole',
        [
          'patch',
          'clusterrole',
          PORTAL_NAME,
          '--type=json',
          '-p',
          '[{"op":"add","path":"/rules/-","value":{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}}]',
        ],
      ],
      [
        'create a claim',
        ['create', '-f', '-'],
        JSON.stringify({
          apiVersion: 'drplane.io/v1alpha1',
          kind: 'DisasterRecovery',
          metadata: { name: 'written-by-the-portal', namespace: c.namespace },
          spec: specBefore,
        }),
      ],
    ];
    for (const [what, args, input] of attempts) {
      const r = await portal.run(args, input === undefined ? {} : { input });
      expect(r.code, what).not.toBe(0);
      expect(r.stderr, what).toMatch(/Forbidden|forbidden/);
    }
    // Nothing changed: the claim is still there, its spec as it was, the managed resource not paused.
    const claim = JSON.parse(
      await cp.kubectl.ok(['get', 'disasterrecoveries.drplane.io', c.name, '-n', c.namespace, '-o', 'json']),
    );
    expect(claim.metadata.deletionTimestamp).toBeUndefined();
    expect(claim.spec).toEqual(specBefore);
    const mr = JSON.parse(await cp.kubectl.ok(['get', 'vpcs.ec2.aws.upbound.io', vpc, '-o', 'json']));
    expect(mr.metadata.annotations?.['crossplane.io/paused']).toBeUndefined();
    expect(mr.metadata.deletionTimestamp).toBeUndefined();
  });
});
