/** `drctl status` against an HTTP server that serves recorded Kubernetes API responses (discovery and objects). */
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../src/cli/commands/status.js';
import { SERVICE_ACCOUNT_TOKEN, requireDefaultKubeConfig } from '../../src/cluster/kubeconfig-sources.js';
import { suiteTempDir } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';
import { startFakeReadinessApi } from '../support/readiness-api-fake.js';
import { startRecordedApi, withRecordedApi, type RecordedApi } from '../support/recorded-api.js';

const drctl = (...args: string[]) =>
  run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], { cwd: repoPath(), env: { NO_COLOR: '1' } });

let api: RecordedApi;
let kubeconfig: string;

beforeAll(async () => {
  api = await startRecordedApi('minimal-estate', suiteTempDir('status-'));
  kubeconfig = api.kubeconfig;
});
afterAll(() => api?.close());

describe('drctl status', () => {
  it('prints the tree claim → composite → primitive → managed resources with conditions and messages, exit 1 when not ready', async () => {
    const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', kubeconfig);
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
    const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', kubeconfig, '--output', 'json');
    const tree = JSON.parse(r.stdout);
    expect(tree.children[0].children[0]).toMatchObject({ kind: 'XGlobalTable', ready: 'False' });
    expect(tree.children[0].children[0].children.map((c: { kind: string; region: string }) => `${c.kind}:${c.region}`)).toEqual([
      'Key:us-east-1',
      'Table:us-east-1',
      'Key:us-west-2',
    ]);
  });

  it('marks an object the cluster reports paused', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('status-paused-'),
      (objects) => {
        const key = objects.find((o) => o.kind === 'Key' && o.metadata.name === 'minimal-7x2kq-key-w2')!;
        key.metadata.annotations = { 'crossplane.io/paused': 'true' };
      },
      async (paused) => {
        const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', paused.kubeconfig);
        expect(r.stdout).toMatch(/Key\/minimal-7x2kq-key-w2 \[us-west-2\] {2}READY=False SYNCED=False PAUSED\n/);
        expect(r.stdout).toMatch(/Table\/minimal-7x2kq-tbl \[us-east-1\] {2}READY=True SYNCED=True\n/);
        const json = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', paused.kubeconfig, '--output', 'json');
        const keys = JSON.parse(json.stdout).children[0].children[0].children as { name: string; paused?: boolean }[];
        expect(keys.filter((k) => k.paused).map((k) => k.name)).toEqual(['minimal-7x2kq-key-w2']);
      },
    );
  });

  it('heads the tree with where the estate serves and writes, and says when they differ', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('status-moving-'),
      (objects) => {
        const claim = objects.find((o) => o.kind === 'DisasterRecovery') as { status?: Record<string, unknown> };
        claim.status = {
          ...claim.status,
          activeRegion: 'us-west-2',
          databaseWriterRegion: 'us-east-1',
          lastFailover: { from: 'us-east-1', to: 'us-west-2', at: '2026-11-23T10:00:00Z' },
        };
      },
      async (moving) => {
        const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', moving.kubeconfig);
        expect(r.stdout.split('\n').slice(0, 4)).toEqual([
          'DisasterRecovery/minimal  READY=False SYNCED=True',
          '   active region us-west-2, database writer us-east-1 (switchover under way, or a failover outside git)',
          '   last failover us-east-1 -> us-west-2 at 2026-11-23T10:00:00Z',
          '   Unready resources: table-items',
        ]);
        const json = JSON.parse(
          (await drctl('status', 'examples/minimal.yaml', '--kubeconfig', moving.kubeconfig, '-o', 'json')).stdout,
        );
        expect(json.estate).toEqual({
          activeRegion: 'us-west-2',
          databaseWriterRegion: 'us-east-1',
          lastFailover: { from: 'us-east-1', to: 'us-west-2', at: '2026-11-23T10:00:00Z' },
        });
      },
    );
  });

  it("[fake ARC readiness API] heads the tree with each region's ARC readiness, read for the cells the claim's status names", async () => {
    const fake = await startFakeReadinessApi({
      minimal_cell_prod_use1_e1: {
        readiness: 'READY',
        checks: { minimal_check_functions: 'READY', minimal_check_aurora: 'READY' },
      },
      minimal_cell_prod_usw2_e1: {
        readiness: 'NOT_READY',
        checks: { minimal_check_functions: 'READY', minimal_check_aurora: 'NOT_READY', minimal_check_tables: 'UNKNOWN' },
      },
    });
    const aws = {
      AWS_ENDPOINT_URL_ROUTE53_RECOVERY_READINESS: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_REGION: 'eu-west-1',
    };
    const status = (...args: string[]) =>
      run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'status', 'examples/minimal.yaml', ...args], {
        cwd: repoPath(),
        env: { NO_COLOR: '1', ...aws },
      });
    try {
      await withRecordedApi(
        'minimal-estate',
        suiteTempDir('status-readiness-'),
        (objects) => {
          const claim = objects.find((o) => o.kind === 'DisasterRecovery') as { status?: Record<string, unknown> };
          claim.status = {
            ...claim.status,
            regions: {
              'us-east-1': { readinessCell: 'minimal_cell_prod_use1_e1' },
              'us-west-2': { readinessCell: 'minimal_cell_prod_usw2_e1' },
            },
          };
        },
        async (api) => {
          const r = await status('--kubeconfig', api.kubeconfig);
          // No error and no stack trace (under Node 20 the AWS SDK warns that it will need Node 22: not drctl's).
          expect(r.stderr).not.toMatch(/error|\n\s+at /i);
          expect(r.code).toBe(1);
          expect(r.stdout.split('\n').slice(1, 3)).toEqual([
            '   ARC readiness [us-east-1] READY (cell minimal_cell_prod_use1_e1, 2 checks)',
            '   ARC readiness [us-west-2] NOT_READY (cell minimal_cell_prod_usw2_e1, 3 checks; not ready: minimal_check_aurora NOT_READY, minimal_check_tables UNKNOWN)',
          ]);
          // Every page of a cell's checks was read (the fake answers one check a page).
          expect(fake.requests.filter((q) => q.includes('minimal_cell_prod_usw2_e1'))).toHaveLength(3);
          const json = JSON.parse((await status('--kubeconfig', api.kubeconfig, '-o', 'json')).stdout);
          expect(json.readiness).toEqual([
            {
              region: 'us-east-1',
              cell: 'minimal_cell_prod_use1_e1',
              readiness: 'READY',
              checks: [
                { name: 'minimal_check_aurora', readiness: 'READY' },
                { name: 'minimal_check_functions', readiness: 'READY' },
              ],
            },
            expect.objectContaining({ region: 'us-west-2', readiness: 'NOT_READY' }),
          ]);
          fake.deny(true);
          const denied = await status('--kubeconfig', api.kubeconfig);
          expect(denied.stdout).toContain(
            '   ARC readiness [us-east-1] not read (cell minimal_cell_prod_use1_e1): AccessDeniedException: User is not authorized to perform GetCellReadinessSummary',
          );
          const before = fake.requests.length;
          const skipped = await status('--kubeconfig', api.kubeconfig, '--no-readiness');
          expect(skipped.stdout).not.toContain('ARC readiness');
          expect(fake.requests.length).toBe(before);
        },
      );
    } finally {
      await fake.close();
    }
  });

  it("heads the tree with each region's EKS node group from the claim's status, flagging one that is not ready", async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('status-nodes-'),
      (objects) => {
        const claim = objects.find((o) => o.kind === 'DisasterRecovery') as { status?: Record<string, unknown> };
        claim.status = {
          ...claim.status,
          regions: {
            'us-east-1': {
              clusterNodes: {
                ready: true,
                desiredSize: 3,
                minSize: 3,
                maxSize: 6,
                status: 'ACTIVE',
                capacitySince: '2026-12-07T03:00:00.000Z',
              },
            },
            'us-west-2': { clusterNodes: { ready: false, desiredSize: 0, minSize: 0, maxSize: 6, status: 'UPDATING' } },
          },
        };
      },
      async (withNodes) => {
        const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', withNodes.kubeconfig);
        expect(r.stdout).toContain(
          '\n   EKS nodes [us-east-1] desired 3 (min 3, max 6), ACTIVE, serving capacity since 2026-12-07T03:00:00.000Z\n',
        );
        expect(r.stdout).toContain('\n   EKS nodes [us-west-2] desired 0 (min 0, max 6), UPDATING, not ready\n');
        const json = JSON.parse(
          (await drctl('status', 'examples/minimal.yaml', '--kubeconfig', withNodes.kubeconfig, '-o', 'json')).stdout,
        );
        expect(json.estate.regions['us-west-2'].clusterNodes).toEqual({
          ready: false,
          desiredSize: 0,
          minSize: 0,
          maxSize: 6,
          status: 'UPDATING',
        });
        expect(json.estate.regions['us-east-1'].clusterNodes.capacitySince).toBe('2026-12-07T03:00:00.000Z');
      },
    );
  });

  it("shows the line a managed resource's primitive gives it (an EKS NodeGroup's counts) under it in the tree", () => {
    const leaf = (kind: string, more: object = {}) => ({
      apiVersion: 'eks.aws.upbound.io/v1beta2',
      kind,
      name: `x-${kind.toLowerCase()}`,
      region: 'us-east-1',
      ready: 'True',
      synced: 'True',
      children: [],
      ...more,
    });
    const tree = {
      ...leaf('XRegionalCluster'),
      children: [leaf('NodeGroup', { detail: 'nodes desired 2 (min 1, max 4), ACTIVE' }), leaf('Cluster')],
    };
    const out = render(tree);
    expect(out).toMatch(
      /NodeGroup\/x-nodegroup \[us-east-1\] {2}READY=True SYNCED=True\n.*nodes desired 2 \(min 1, max 4\), ACTIVE\n/,
    );
    expect(out.match(/nodes /g)).toHaveLength(1);
  });

  it('says when git disagrees with the estate (an automatic failover moved the writer) and gives the command that records it', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('status-drift-'),
      (objects) => {
        const claim = objects.find((o) => o.kind === 'DisasterRecovery') as { status?: Record<string, unknown> };
        // Git (examples/minimal.yaml) leaves activeRegion at the primary us-east-1; the writer moved to us-west-2.
        claim.status = { ...claim.status, activeRegion: 'us-east-1', databaseWriterRegion: 'us-west-2' };
      },
      async (drifted) => {
        const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', drifted.kubeconfig);
        const command = 'drctl failover examples/minimal.yaml --to us-west-2 --reason "record the failover to us-west-2 in git"';
        expect(r.stdout.split('\n').slice(1, 4)).toEqual([
          '   active region us-east-1, database writer us-west-2 (switchover under way, or a failover outside git)',
          '   git disagrees with the estate: us-east-1 is activeRegion in git, but the database writes in us-west-2; ' +
            'unless a switchover to us-east-1 is under way, the estate failed over outside git (automatic failover, or by hand)',
          `   record us-west-2 in git: ${command}`,
        ]);
        const json = JSON.parse(
          (await drctl('status', 'examples/minimal.yaml', '--kubeconfig', drifted.kubeconfig, '-o', 'json')).stdout,
        );
        expect(json.gitDrift).toEqual({ activeRegionInGit: 'us-east-1', databaseWriterRegion: 'us-west-2', command });
      },
    );
    // Where git and the writer agree, nothing is said.
    const agree = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', kubeconfig);
    expect(agree.stdout).not.toContain('git disagrees');
    expect(
      JSON.parse((await drctl('status', 'examples/minimal.yaml', '--kubeconfig', kubeconfig, '-o', 'json')).stdout),
    ).not.toHaveProperty('gitDrift');
  });

  it('says when the claim is not in the cluster, exit 3', async () => {
    const r = await drctl('status', 'examples/payments.yaml', '--kubeconfig', kubeconfig);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('DisasterRecovery team-payments/payments (disasterrecoveries) is not in the cluster');
  });
});

describe('the status tree', () => {
  it('marks a paused object (the Aurora clusters around a switchover) and nothing else', async () => {
    const { render } = await import('../../src/cli/commands/status.js');
    const leaf = (name: string, paused?: boolean) => ({
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'Cluster',
      name,
      region: 'us-east-1',
      ready: 'True',
      synced: 'True',
      ...(paused ? { paused } : {}),
      children: [],
    });
    const text = render({ ...leaf('root'), kind: 'XGlobalDatabase', children: [leaf('a', true), leaf('b')] });
    expect(text).toContain('├─ Cluster/a [us-east-1]  READY=True SYNCED=True PAUSED\n');
    expect(text).toContain('└─ Cluster/b [us-east-1]  READY=True SYNCED=True\n');
  });
});

describe('drctl status exit code and informational objects', () => {
  type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; status?: Record<string, unknown> };
  const condition = (type: string, status: string, message?: string) => ({ type, status, ...(message ? { message } : {}) });
  /** Every object Ready and Synced except the us-west-2 key, which is as an Observe-only resource whose object is absent. */
  const allReadyButKey = (informational: boolean) => (objects: Obj[]) => {
    for (const o of objects) o.status = { ...o.status, conditions: [condition('Ready', 'True'), condition('Synced', 'True')] };
    const key = objects.find((o) => o.kind === 'Key' && o.metadata.name === 'minimal-7x2kq-key-w2')!;
    key.status = {
      conditions: [condition('Synced', 'False', 'cannot observe external resource: external resource does not exist')],
    };
    if (informational) key.metadata.annotations = { 'drplane.io/informational': 'true' };
  };

  it('does not count an informational object without a Ready condition (a readiness report not written yet): exit 0', async () => {
    await withRecordedApi('minimal-estate', suiteTempDir('status-info-'), allReadyButKey(true), async (a) => {
      const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', a.kubeconfig);
      expect(r.stdout).toMatch(/Key\/minimal-7x2kq-key-w2 \[us-west-2\] {2}READY=Unknown SYNCED=False/);
      expect(r.code).toBe(0);
    });
  });

  it('counts the same object when it is not informational: exit 1', async () => {
    await withRecordedApi('minimal-estate', suiteTempDir('status-noinfo-'), allReadyButKey(false), async (a) => {
      const r = await drctl('status', 'examples/minimal.yaml', '--kubeconfig', a.kubeconfig);
      expect(r.code).toBe(1);
    });
  });
});

describe('drctl unpause (reads through the recorded API; the clearing itself runs in the e2e tier)', () => {
  it('says an estate without a database has nothing paused, exit 0', async () => {
    const r = await drctl('unpause', 'examples/minimal.yaml', '--kubeconfig', kubeconfig);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('team-sandbox/minimal has no database: nothing is ever paused\n');
    const json = await drctl('unpause', 'examples/minimal.yaml', '--kubeconfig', kubeconfig, '--output', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ state: 'no-database' });
  });

  it('says when the claim is not in the cluster, exit 3, and when the kubeconfig cannot be read', async () => {
    const r = await drctl('unpause', 'examples/payments.yaml', '--kubeconfig', kubeconfig);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('DisasterRecovery team-payments/payments (disasterrecoveries) is not in the cluster');
    const bad = await drctl('unpause', 'examples/payments.yaml', '--kubeconfig', '/nonexistent/kubeconfig');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('cannot load the kubeconfig /nonexistent/kubeconfig: no such file; pass --kubeconfig');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which file $KUBECONFIG names when it is missing, and which context to choose when none is current', async () => {
    const dir = suiteTempDir('kubeconfig-edges-');
    const env = (KUBECONFIG: string) => ({ cwd: repoPath(), env: { NO_COLOR: '1', KUBECONFIG } });
    const missing = await run(
      process.execPath,
      [repoPath('bin', 'drctl.mjs'), 'status', 'examples/minimal.yaml'],
      env(`${dir}/gone`),
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`cannot load the kubeconfig ${dir}/gone: no such file; set KUBECONFIG`);
    expect(missing.stderr).not.toMatch(/ENOENT|\n\s+at /);

    const noContext = `${dir}/no-context`;
    writeFileSync(
      noContext,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: prod, cluster: { server: "https://127.0.0.1:1" } }]',
        'users: [{ name: me, user: { token: x } }]',
        'contexts: [{ name: prod-admin, context: { cluster: prod, user: me } }, { name: dev, context: { cluster: prod, user: me } }]',
        '',
      ].join('\n'),
    );
    const none = await run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'status', 'examples/minimal.yaml'], env(noContext));
    expect(none.code).toBe(3);
    expect(none.stderr).toContain(
      `the kubeconfig ${noContext} does not say which cluster to use: it has no current context; choose one with kubectl config use-context prod-admin (contexts: prod-admin, dev)`,
    );
    expect(none.stderr).not.toContain('No active cluster');
  });
});

describe('without any kubeconfig', () => {
  const home = suiteTempDir('no-kube-home-');
  const bare = (...args: string[]) =>
    run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], {
      cwd: repoPath(),
      env: { NO_COLOR: '1', HOME: home, KUBECONFIG: '' },
    });

  it.skipIf(existsSync(SERVICE_ACCOUNT_TOKEN))(
    'status, unpause and failover --apply say no kubeconfig was found and where they looked, exit 3',
    async () => {
      for (const args of [
        ['status', 'examples/minimal.yaml'],
        ['unpause', 'examples/minimal.yaml'],
        ['failover', 'examples/payments.yaml', '--to', 'us-west-2', '--reason', 'drill', '--apply'],
      ]) {
        const r = await bare(...args);
        expect(r.code, args[0]).toBe(3);
        expect(r.stderr, args[0]).toContain('no kubeconfig found');
        expect(r.stderr, args[0]).toContain('$KUBECONFIG: not set');
        expect(r.stderr, args[0]).toContain(`${home}/.kube/config: does not exist`);
        expect(r.stderr, args[0]).toContain(`in-cluster service account (${SERVICE_ACCOUNT_TOKEN}): not running in a pod`);
        expect(r.stderr, args[0]).not.toMatch(/HTTP protocol|skipTLSVerify|\n\s+at /);
      }
    },
  );
});

describe('requireDefaultKubeConfig', () => {
  const none = () => false;
  it('passes when KUBECONFIG is set, ~/.kube/config exists, or the pod has a service account token', () => {
    expect(() => requireDefaultKubeConfig({ KUBECONFIG: '/x' }, none)).not.toThrow();
    expect(() => requireDefaultKubeConfig({ HOME: '/h' }, (p) => p === '/h/.kube/config')).not.toThrow();
    expect(() => requireDefaultKubeConfig({}, (p) => p === SERVICE_ACCOUNT_TOKEN)).not.toThrow();
  });

  it('names every place it looked at when none has a kubeconfig (an empty KUBECONFIG counts as unset)', () => {
    expect(() => requireDefaultKubeConfig({ HOME: '/h', KUBECONFIG: '' }, none)).toThrow(
      /\$KUBECONFIG: not set\n {2}- \/h\/\.kube\/config: does not exist\n {2}- in-cluster/,
    );
    expect(() => requireDefaultKubeConfig({}, none)).toThrow(/~\/\.kube\/config: HOME is not set/);
  });
});
