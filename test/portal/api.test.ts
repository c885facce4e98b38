import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import { withDeletionGuard } from '../../src/gitops/argocd.js';
import { claimYaml, git, tempRepo } from './helpers.js';
import { parse } from 'yaml';

/** The example claim as JSON text. */
const claimJson = (): string => JSON.stringify(parse(claimYaml()));

let repo: string;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const yaml = { 'content-type': 'application/yaml' };
/** A portal that takes writes without a token (the operator opted in), for the tests of what writes do. */
const open = () => createApp({ repository: repo, allowUnauthenticatedWrites: true });
/** A JSON answer, loosely typed for assertions. */
const json = (res: Response): Promise<any> => res.json();
const post = (app: ReturnType<typeof createApp>, path: string, body: string, headers: Record<string, string> = yaml) =>
  app.request(path, { method: 'POST', body, headers });

describe('POST /api/validate', () => {
  it('accepts a valid claim as YAML and as JSON', async () => {
    const app = createApp({ repository: repo });
    const res = await post(app, '/api/validate', claimYaml());
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ valid: true, problems: [] });
    const asJson = JSON.stringify({
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'a' },
      spec: { environment: 'dev', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] } },
    });
    const res2 = await post(app, '/api/validate', asJson, { 'content-type': 'application/json' });
    expect((await json(res2)).valid).toBe(true);
  });

  it('warns about a claim that protects nothing (regions only): valid, but not an estate', async () => {
    const regionsOnly = claimYaml().split('  objectives:')[0]!;
    const body = await json(await post(createApp({ repository: repo }), '/api/validate', regionsOnly));
    expect(body.valid).toBe(true);
    expect(body.problems).toEqual([
      expect.objectContaining({ path: 'spec', ruleId: 'estate.protects-nothing', severity: 'warning' }),
    ]);
  });

  it('reports the policy problem at the field (overlapping CIDRs)', async () => {
    const res = await post(
      createApp({ repository: repo }),
      '/api/validate',
      claimYaml('shop', 'team-shop', ['10.0.0.0/16', '10.0.0.0/16']),
    );
    const body = await json(res);
    expect(body.valid).toBe(false);
    expect(body.problems).toContainEqual(
      expect.objectContaining({ path: 'spec.network.cidrs.us-west-2', ruleId: 'network.cidr-overlap', severity: 'error' }),
    );
  });

  it('answers invalid YAML with a syntax problem, not an error', async () => {
    const res = await post(createApp({ repository: repo }), '/api/validate', 'spec: [unclosed');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.valid).toBe(false);
    expect(body.problems[0].ruleId).toBe('yaml.syntax');
  });

  it('answers a JSON body that is not JSON with a JSON syntax problem, not a YAML one', async () => {
    const app = createApp({ repository: repo });
    const broken = '{"apiVersion": "drplane.io/v1alpha1", "kind": "DisasterRecovery",}';
    const res = await post(app, '/api/validate', broken, { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.valid).toBe(false);
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0]).toMatchObject({ ruleId: 'json.syntax', severity: 'error' });
    expect(body.problems[0].message).toMatch(/not valid JSON .*application\/yaml/);
    // The same text as YAML is still read by the YAML parser.
    const asYaml = await json(await post(app, '/api/validate', broken));
    expect(asYaml.problems.map((p: { ruleId: string }) => p.ruleId)).not.toContain('json.syntax');
    // Valid JSON is validated like YAML.
    const good = await json(await post(app, '/api/validate', claimJson(), { 'content-type': 'application/json' }));
    expect(good.valid).toBe(true);
  });

  it('refuses other content types with 415 and bodies over the limit with 413', async () => {
    const app = createApp({ repository: repo, maxBodyBytes: 1024 });
    const res = await post(app, '/api/validate', claimYaml(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(await json(res)).toMatchObject({ field: 'content-type' });
    const big = await post(app, '/api/validate', `${claimYaml()}\n# ${'x'.repeat(2000)}\n`);
    expect(big.status).toBe(413);
    expect((await json(big)).error).toMatch(/larger than/);
  });

  it('has a 256 KiB default limit', async () => {
    const res = await post(createApp({ repository: repo }), '/api/validate', `# ${'x'.repeat(300 * 1024)}\n`);
    expect(res.status).toBe(413);
  });
});

describe('plan, cost and objectives', () => {
  it('plans a claim with counts of kinds per region', async () => {
    const res = await post(createApp({ repository: repo }), '/api/plan', claimYaml());
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.resources.length).toBe(body.summary.total);
    expect(Object.keys(body.summary.byRegion)).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2']));
    expect(body.summary.byRegion['us-east-1'].VPC).toBe(1);
  });

  it('estimates cost and objectives', async () => {
    const app = createApp({ repository: repo });
    const cost = await await json(await post(app, '/api/cost', claimYaml()));
    expect(cost.totalMonthlyUsd).toBeGreaterThan(0);
    expect(Object.keys(cost.regions)).toEqual(['us-east-1', 'us-west-2']);
    const objectives = await await json(await post(app, '/api/objectives', claimYaml()));
    expect(objectives.rpo.objectiveSeconds).toBe(60);
    expect(typeof objectives.rtoMinutes).toBe('number');
  });

  it('answers an invalid claim with 422 and the problems', async () => {
    for (const path of ['/api/plan', '/api/cost', '/api/objectives']) {
      const res = await post(
        createApp({ repository: repo }),
        path,
        claimYaml('shop', 'team-shop', ['10.0.0.0/16', '10.0.0.0/16']),
      );
      expect(res.status).toBe(422);
      const body = await json(res);
      expect(body.problems[0].ruleId).toBe('network.cidr-overlap');
    }
    const broken = await post(createApp({ repository: repo }), '/api/plan', 'a: [');
    expect(broken.status).toBe(422);
  });
});

describe('claims in git', () => {
  it('lists the claims of HEAD with status "in git"', async () => {
    const res = await createApp({ repository: repo }).request('/api/claims');
    const body = await json(res);
    expect(body.claims).toEqual([
      expect.objectContaining({
        name: 'minimal',
        namespace: 'team-sandbox',
        path: 'claims/minimal.yaml',
        activeRegion: 'us-east-1',
        status: 'in git',
      }),
    ]);
  });

  it('commits a new claim on a new branch without touching the checked-out branch or the work tree', async () => {
    writeFileSync(join(repo, 'README.md'), '# estates\nlocal edit, not committed\n');
    writeFileSync(join(repo, 'scratch.txt'), 'untracked\n');
    const before = {
      head: git(repo, 'rev-parse', 'HEAD'),
      branch: git(repo, 'branch', '--show-current'),
      status: git(repo, 'status', '--porcelain'),
      index: git(repo, 'ls-files', '--stage'),
    };

    const res = await post(open(), '/api/claims', claimYaml());
    expect(res.status).toBe(201);
    const { branch, commit, path } = await json(res);
    expect(path).toBe('claims/team-shop/shop.yaml');
    expect(branch).toMatch(/^drplane\/claims\/team-shop-shop-[0-9a-f]{8}$/);
    expect(git(repo, 'rev-parse', `refs/heads/${branch}`)).toBe(commit);
    expect(git(repo, 'rev-parse', `${commit}^`)).toBe(before.head);
    // The claim as posted, plus its own Delete=false: a cascading delete of its Argo CD Application keeps it on 3.x.
    const committed = git(repo, 'show', `${commit}:${path}`);
    expect(committed).toBe(withDeletionGuard(claimYaml()).trim());
    expect(committed).toContain('  annotations:\n    argocd.argoproj.io/sync-options: Delete=false\n');
    expect(git(repo, 'diff-tree', '--no-commit-id', '--name-only', '-r', commit)).toBe(path);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>', commit)).toBe('Portal Test <portal@example.org>');

    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before.head);
    expect(git(repo, 'branch', '--show-current')).toBe(before.branch);
    expect(git(repo, 'status', '--porcelain')).toBe(before.status);
    expect(git(repo, 'ls-files', '--stage')).toBe(before.index);
    expect(existsSync(join(repo, path))).toBe(false);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toContain('local edit');
  });

  it('answers the same proposal twice with its one branch (200), and refuses a claim identical to HEAD with 409', async () => {
    const app = open();
    const first = await post(app, '/api/claims', claimYaml());
    expect(first.status).toBe(201);
    const again = await post(app, '/api/claims', claimYaml());
    expect(again.status).toBe(200);
    const [a, b] = [await json(first), await json(again)];
    expect(b).toEqual({ ...a, existing: true });
    expect(git(repo, 'branch', '--list', 'drplane/*').split('\n')).toHaveLength(1);

    // The claim as HEAD already has it (as the portal commits it, with Delete=false): no branch, no empty commit.
    mkdirSync(join(repo, 'claims', 'team-shop'), { recursive: true });
    writeFileSync(join(repo, 'claims', 'team-shop', 'shop.yaml'), withDeletionGuard(claimYaml()));
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'shop is in main');
    const same = await post(app, '/api/claims', claimYaml());
    expect(same.status).toBe(409);
    expect((await json(same)).error).toMatch(/already exactly this claim/);
    expect(git(repo, 'branch', '--list', 'drplane/*').split('\n')).toHaveLength(1);
  });

  it('in a repository with the generated bootstrap, refuses a claim for a team Argo CD does not sync (422), takes an onboarded one', async () => {
    // The bootstrap as `npm run synth` writes it: one Application per onboarded team folder (here only team-shop).
    mkdirSync(join(repo, 'compositions', 'bootstrap', 'apps'), { recursive: true });
    writeFileSync(join(repo, 'compositions', 'bootstrap', 'apps', 'drplane-claims-team-shop.yaml'), 'kind: Application\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'bootstrap with team-shop onboarded');

    const refused = await post(open(), '/api/claims', claimYaml('web', 'team-zz'));
    expect(refused.status).toBe(422);
    const body = await json(refused);
    expect(body.field).toBe('metadata.namespace');
    expect(body.error).toContain('team team-zz is not onboarded');
    expect(body.error).toContain('compositions/bootstrap/apps/drplane-claims-team-zz.yaml');
    expect(body.error).toContain('npm run synth');
    expect(git(repo, 'branch', '--list', 'drplane/*')).toBe('');

    const taken = await post(open(), '/api/claims', claimYaml('web', 'team-shop'));
    expect(taken.status).toBe(201);
    expect((await json(taken)).path).toBe('claims/team-shop/web.yaml');
  });

  it('refuses an invalid claim with 422 and commits nothing', async () => {
    const res = await post(open(), '/api/claims', claimYaml('shop', 'team-shop', ['10.0.0.0/16', '10.0.0.0/16']));
    expect(res.status).toBe(422);
    expect(git(repo, 'branch', '--list', 'drplane/*')).toBe('');
  });

  it.each([
    ['../../etc', 'metadata.name'],
    ['a/b', 'metadata.name'],
    ['..', 'metadata.name'],
  ])('refuses the name %j with 400 naming %s', async (name, field) => {
    const text = claimYaml('x').replace('name: x', `name: ${JSON.stringify(name)}`);
    const res = await post(open(), '/api/claims', text);
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ field });
    expect(git(repo, 'branch', '--list', 'drplane/*')).toBe('');
  });

  it('refuses a namespace with a path in it', async () => {
    const res = await post(open(), '/api/claims', claimYaml('shop', '"../../outside"'));
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ field: 'metadata.namespace' });
  });

  it('requires the bearer token for writes when one is set, not for reads', async () => {
    const app = createApp({ repository: repo, token: 's3cret' });
    const none = await post(app, '/api/claims', claimYaml());
    expect(none.status).toBe(401);
    expect(await json(none)).toMatchObject({ field: 'authorization' });
    expect((await post(app, '/api/claims', claimYaml(), { ...yaml, authorization: 'Bearer wrong' })).status).toBe(401);
    const failover = await app.request('/api/claims/team-sandbox/minimal/failover', {
      method: 'POST',
      body: JSON.stringify({ to: 'us-west-2', reason: 'drill' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(failover.status).toBe(401);
    expect((await post(app, '/api/validate', claimYaml())).status).toBe(200);
    expect((await post(app, '/api/claims', claimYaml(), { ...yaml, authorization: 'Bearer s3cret' })).status).toBe(201);
  });
});

describe('POST /api/claims/{namespace}/{name}/failover', () => {
  const failover = (app: ReturnType<typeof createApp>, body: unknown, ns = 'team-sandbox', name = 'minimal') =>
    app.request(`/api/claims/${ns}/${name}/failover`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('commits activeRegion through the GitOps path of drctl failover', async () => {
    const head = git(repo, 'rev-parse', 'HEAD');
    const res = await failover(open(), { to: 'us-west-2', reason: 'quarterly drill' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ from: 'us-east-1', to: 'us-west-2', path: 'claims/minimal.yaml' });
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(body.commit);
    expect(git(repo, 'rev-parse', 'HEAD^')).toBe(head);
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message).toContain('failover(team-sandbox/minimal): us-east-1 -> us-west-2 (planned)');
    expect(message).toContain('From: drplane portal');
    expect(message).toContain('Why: quarterly drill');
    expect(readFileSync(join(repo, 'claims/minimal.yaml'), 'utf8')).toMatch(/activeRegion: us-west-2/);
  });

  it('checks the request: region, reason, confirmation, names, existence', async () => {
    const app = open();
    expect(await await json(await failover(app, { to: 'mars-1', reason: 'x' }))).toMatchObject({ field: 'to' });
    expect(await await json(await failover(app, { to: 'us-west-2' }))).toMatchObject({ field: 'reason' });
    expect(await await json(await failover(app, { to: 'us-west-2', reason: 'down', unplanned: true }))).toMatchObject({
      field: 'yes',
    });
    const same = await failover(app, { to: 'us-east-1', reason: 'x' });
    expect(same.status).toBe(409);
    expect((await json(same)).error).toMatch(/already the active region/);
    expect((await failover(app, { to: 'us-west-2', reason: 'x' }, 'team-sandbox', 'nope')).status).toBe(404);
    const tricky = await failover(app, { to: 'us-west-2', reason: 'x' }, 'team-sandbox', '..%2F..%2Fetc');
    expect(tricky.status).toBe(400);
    expect(await json(tricky)).toMatchObject({ field: 'name' });
    const notJson = await app.request('/api/claims/team-sandbox/minimal/failover', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });

  it('refuses a dirty work tree with 409', async () => {
    writeFileSync(join(repo, 'README.md'), 'dirty\n');
    const res = await failover(open(), { to: 'us-west-2', reason: 'drill' });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toMatch(/uncommitted changes/);
  });
});

describe('documents and errors', () => {
  it('serves an OpenAPI 3 document naming every endpoint', async () => {
    const doc = await await json(await createApp({ repository: repo }).request('/api/openapi.json'));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/validate',
        '/api/plan',
        '/api/cost',
        '/api/objectives',
        '/api/claims',
        '/api/claims/{namespace}/{name}/failover',
      ]),
    );
    expect(doc.components.schemas.Claim.properties.spec).toBeDefined();
  });

  it('answers unknown endpoints with a JSON 404, and the schema for the form', async () => {
    const app = createApp({ repository: repo });
    const res = await app.request('/api/nope');
    expect(res.status).toBe(404);
    expect((await json(res)).error).toMatch(/no such endpoint/);
    const schema = await await json(await app.request('/api/schema'));
    expect(schema.regions).toContain('eu-west-1');
    expect(schema.tokenRequired).toBe(false);
  });

  it('serves a hint page when the front end is not built, never files outside its folder', async () => {
    const app = createApp({ repository: repo, staticDir: join(repo, 'claims') });
    const res = await app.request('/..%2F..%2FREADME.md');
    expect(await res.text()).not.toContain('# estates');
  });
});
