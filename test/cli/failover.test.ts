/** `drctl failover` on a real temporary git repository, and --apply against an HTTP server speaking the Kubernetes API. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { suiteTempDir } from '../support/files.js';
import { startArcClusterFake, type FakeArcCluster } from '../lambda/support/arc-cluster-fake.js';
import { drctlIn, gitIn } from '../support/gitops.js';
import { repoPath } from '../support/paths.js';

const drctl = (cwd: string, ...args: string[]) => drctlIn(cwd, args);
const git = gitIn;
let repo: string;

beforeAll(async () => {}, 120_000);

beforeEach(async () => {
  repo = join(suiteTempDir('drctl-gitops-'), 'estates');
  mkdirSync(join(repo, 'claims'), { recursive: true });
  copyFileSync(repoPath('examples', 'three-region.yaml'), join(repo, 'claims', 'orders.yaml'));
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await git(repo, 'config', 'user.name', 'Dana Oncall');
  await git(repo, 'config', 'user.email', 'dana@example.com');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '--quiet', '-m', 'add orders estate');
});

const log = async () => (await git(repo, 'log', '--format=%H%n%B%n--end--')).stdout;
const active = () => parse(readFileSync(join(repo, 'claims', 'orders.yaml'), 'utf8')).spec.activeRegion;

describe('drctl failover (GitOps)', () => {
  it('sets activeRegion, keeps the comments, and commits who, from where, to where and why', async () => {
    const r = await drctl(
      repo,
      'failover',
      'claims/orders.yaml',
      '--to',
      'us-west-2',
      '--reason',
      'quarterly drill',
      '--output',
      'json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ from: 'us-east-1', to: 'us-west-2' });
    expect(active()).toBe('us-west-2');
    expect(readFileSync(join(repo, 'claims', 'orders.yaml'), 'utf8')).toContain('# A three-region estate');
    const message = await log();
    expect(message).toContain('failover(team-orders/orders): us-east-1 -> us-west-2 (planned)');
    expect(message).toContain('Who: Dana Oncall <dana@example.com>');
    expect(message).toMatch(/From: drctl on /);
    expect(message).toContain('Why: quarterly drill');
    expect((await git(repo, 'rev-parse', 'HEAD')).stdout.trim()).toBe(out.commit);
    expect((await git(repo, 'show', '--name-only', '--format=', 'HEAD')).stdout.trim()).toBe('claims/orders.yaml');
    expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
  });

  it('refuses a region that is not in the claim, and changes nothing', async () => {
    const r = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'ap-south-1', '--reason', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ap-south-1 is not a region of orders');
    expect(active()).toBeUndefined();
    expect((await git(repo, 'rev-list', '--count', 'HEAD')).stdout.trim()).toBe('1');
  });

  it('refuses an unplanned failover without --yes, and accepts it with --yes', async () => {
    const no = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'eu-west-1', '--unplanned', '--reason', 'outage');
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('--yes');
    const yes = await drctl(
      repo,
      'failover',
      'claims/orders.yaml',
      '--to',
      'eu-west-1',
      '--unplanned',
      '--yes',
      '--reason',
      'us-east-1 outage',
    );
    expect(yes.code, yes.stderr).toBe(0);
    expect(await log()).toContain('(unplanned)');
    // The claim itself says how the database moves: the orchestrator fails over without the old region.
    const claim = parse(readFileSync(join(repo, 'claims', 'orders.yaml'), 'utf8'));
    expect(claim.spec.failover).toMatchObject({ mode: 'automatic', allowDataLoss: true });
    // Only activeRegion and allowDataLoss change; flow collections keep their layout.
    const diff = (await git(repo, 'diff', 'HEAD~1', '--unified=0')).stdout;
    const changed = diff.split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(changed).toEqual([
      '-  failover: { mode: automatic }',
      '+  failover: { mode: automatic, allowDataLoss: true }',
      '+  activeRegion: eu-west-1',
    ]);
    // A planned failover afterwards sets it back: the next failover is lossless again.
    const back = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-east-1', '--reason', 'fail back');
    expect(back.code, back.stderr).toBe(0);
    expect(parse(readFileSync(join(repo, 'claims', 'orders.yaml'), 'utf8')).spec.failover.allowDataLoss).toBe(false);
  });

  it('refuses a dirty work tree', async () => {
    writeFileSync(join(repo, 'notes.txt'), 'wip');
    const r = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-west-2', '--reason', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('uncommitted changes');
    expect(active()).toBeUndefined();
  });

  it('takes a failover to the region already active as a no-op: exit 0, a message, no commit (no reason needed)', async () => {
    const head = (await git(repo, 'rev-parse', 'HEAD')).stdout;
    const same = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-east-1', '--reason', 'x');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(
      'us-east-1 is already the active region of team-orders/orders: nothing to change, nothing committed\n',
    );
    const json = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-east-1', '--output', 'json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ from: 'us-east-1', to: 'us-east-1', changed: false, claim: 'team-orders/orders' });
    expect((await git(repo, 'rev-parse', 'HEAD')).stdout).toBe(head);
  });

  it('refuses a failover without a reason', async () => {
    const r = await drctl(repo, 'failover', 'claims/orders.yaml', '--to', 'us-west-2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reason');
  });
});

describe('drctl failover --apply (Kubernetes API)', () => {
  let server: Server;
  let requests: { method: string; url: string; type: string; body: string }[] = [];
  let kubeconfig: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, type: String(req.headers['content-type']), body });
        const base = '/apis/drplane.io/v1alpha1/namespaces/team-orders/disasterrecoveries/';
        const found = req.url === `${base}orders` || req.url === `${base}tracked`;
        // `tracked` is synced by Argo CD: the claim carries its tracking annotation.
        const annotations =
          req.url === `${base}tracked`
            ? { 'argocd.argoproj.io/tracking-id': 'drplane-claims-team-orders:drplane.io/DisasterRecovery:team-orders/tracked' }
            : undefined;
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            found
              ? {
                  apiVersion: 'drplane.io/v1alpha1',
                  kind: 'DisasterRecovery',
                  metadata: { name: 'orders', ...(annotations ? { annotations } : {}) },
                  spec: JSON.parse(body).spec,
                }
              : { kind: 'Status', message: 'disasterrecoveries.drplane.io "x" not found', code: 404 },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    kubeconfig = join(suiteTempDir('kubeconfig-'), 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: t, context: {cluster: t, user: u}}]\ncurrent-context: t\n`,
    );
  });
  afterAll(() => server?.close());

  it('patches spec.activeRegion of the claim with a merge patch and commits nothing', async () => {
    requests = [];
    const r = await drctl(
      repo,
      'failover',
      'claims/orders.yaml',
      '--to',
      'us-west-2',
      '--apply',
      '--kubeconfig',
      kubeconfig,
      '--reason',
      'api',
      '-o',
      'json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(requests).toEqual([
      {
        method: 'PATCH',
        url: '/apis/drplane.io/v1alpha1/namespaces/team-orders/disasterrecoveries/orders',
        type: 'application/merge-patch+json',
        body: '{"spec":{"activeRegion":"us-west-2"}}',
      },
    ]);
    expect((await git(repo, 'rev-list', '--count', 'HEAD')).stdout.trim()).toBe('1');
  });

  it('patches failover.allowDataLoss with activeRegion for an unplanned failover', async () => {
    requests = [];
    const r = await drctl(
      repo,
      'failover',
      'claims/orders.yaml',
      '--to',
      'eu-west-1',
      '--unplanned',
      '--yes',
      '--apply',
      '--kubeconfig',
      kubeconfig,
      '--reason',
      'us-east-1 outage',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(requests.map((q) => q.body)).toEqual(['{"spec":{"activeRegion":"eu-west-1","failover":{"allowDataLoss":true}}}']);
  });

  it('says when Argo CD syncs the patched claim: self-heal reverts it unless the Application is manual', async () => {
    const text = readFileSync(join(repo, 'claims', 'orders.yaml'), 'utf8').replace('name: orders', 'name: tracked');
    writeFileSync(join(repo, 'claims', 'tracked.yaml'), text);
    const args = ['--to', 'us-west-2', '--apply', '--kubeconfig', kubeconfig, '--reason', 'git down'];
    const tracked = await drctl(repo, 'failover', 'claims/tracked.yaml', ...args);
    expect(tracked.code, tracked.stderr).toBe(0);
    expect(tracked.stderr).toContain(
      'Argo CD Application drplane-claims-team-orders syncs this claim: unless its automated sync is off ' +
        '(argocd app set drplane-claims-team-orders --sync-policy none)',
    );
    const untracked = await drctl(repo, 'failover', 'claims/orders.yaml', ...args);
    expect(untracked.code, untracked.stderr).toBe(0);
    expect(untracked.stderr).not.toContain('Argo CD');
  });

  it('reports an API error with exit 3', async () => {
    const text = readFileSync(join(repo, 'claims', 'orders.yaml'), 'utf8').replace('name: orders', 'name: missing');
    writeFileSync(join(repo, 'claims', 'missing.yaml'), text);
    const r = await drctl(
      repo,
      'failover',
      'claims/missing.yaml',
      '--to',
      'us-west-2',
      '--apply',
      '--kubeconfig',
      kubeconfig,
      '--reason',
      'api',
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot patch DisasterRecovery team-orders/missing: HTTP 404');
  });
});

describe('drctl failover --apply with armed routing controls (routing.control arc) [FAKE ARC cluster]', () => {
  const controlArn = (r: string) => `arn:aws:route53-recovery-control::111122223333:controlpanel/p1/routingcontrol/${r}`;
  const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
  let server: Server;
  let arc: FakeArcCluster;
  let kubeconfig: string;

  beforeAll(async () => {
    arc = await startArcClusterFake([...REGIONS.map(controlArn), controlArn('gate')], {
      assertion: { asserted: REGIONS.map(controlArn), atLeast: 1 },
      gating: { gates: [controlArn('gate')], targets: REGIONS.map(controlArn) },
    });
    const objects: Record<string, object> = {
      '/apis/drplane.io/v1alpha1/namespaces/team-orders/disasterrecoveries/orders': {
        apiVersion: 'drplane.io/v1alpha1',
        kind: 'DisasterRecovery',
        metadata: { name: 'orders' },
        spec: { resourceRef: { apiVersion: 'drplane.io/v1alpha1', kind: 'XDisasterRecovery', name: 'orders-x1' } },
      },
      '/apis/drplane.io/v1alpha1/xdisasterrecoveries/orders-x1': {
        spec: {
          crossplane: {
            resourceRefs: [{ apiVersion: 'drplane.io/v1alpha1', kind: 'XFailoverRouting', name: 'orders-x1-routing' }],
          },
        },
      },
      '/apis/drplane.io/v1alpha1/xfailoverroutings/orders-x1-routing': {
        status: {
          regions: Object.fromEntries(REGIONS.map((r) => [r, { healthCheckId: `hc-${r}`, routingControlArn: controlArn(r) }])),
          arcEndpoints: JSON.stringify(arc.endpoints),
        },
      },
    };
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const found = objects[req.url!];
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(found ?? { kind: 'Status', code: 404, message: 'not found' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    kubeconfig = join(suiteTempDir('kubeconfig-'), 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: t, context: {cluster: t, user: u}}]\ncurrent-context: t\n`,
    );
  });
  afterAll(async () => {
    server?.close();
    await arc?.close();
  });

  it('patches the claim and leaves armed routing controls to the orchestrator, which flips them after the database moved', async () => {
    const file = join(repo, 'claims', 'orders.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.setIn(['spec', 'routing', 'control'], 'arc');
    doc.setIn(['spec', 'routing', 'arc'], doc.createNode({ armed: true }));
    writeFileSync(file, String(doc));
    arc.states.set(controlArn('gate'), 'On');
    for (const r of REGIONS) arc.states.set(controlArn(r), 'On');
    const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' };
    const args = [
      'failover',
      'claims/orders.yaml',
      '--to',
      'eu-west-1',
      '--apply',
      '--kubeconfig',
      kubeconfig,
      '--reason',
      'drill',
    ];
    const r = await drctlIn(repo, args, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('routing controls: the failover orchestrator flips them once the database has moved (switch-dns)');
    // drctl itself sends nothing to ARC: flipping before Aurora moved would send traffic to a region that cannot write yet.
    expect(arc.calls).toEqual([]);
    for (const region of REGIONS) expect(arc.states.get(controlArn(region))).toBe('On');
  }, 60_000);
});
