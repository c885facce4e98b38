/**
 * `drctl drill --apply` on a real temporary git repository, watching a fake Kubernetes API whose estate the test moves
 * on step by step: the fail-back is committed only once the switchover has finished, a wait that runs past --timeout
 * stops with the next command, and nothing is committed when the cluster cannot be watched.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SERVICE_ACCOUNT_TOKEN } from '../../src/cluster/kubeconfig-sources.js';
import { suiteTempDir } from '../support/files.js';
import { drctlIn, gitIn } from '../support/gitops.js';
import { repoPath } from '../support/paths.js';
import { withRecordedApi, type Obj } from '../support/recorded-api.js';

const FILE = 'claims/payments.yaml';
let repo: string;

const drctl = (env: Record<string, string>, ...args: string[]) => drctlIn(repo, args, env);
const git = (...args: string[]) => gitIn(repo, ...args);
const subjects = async () => (await git('log', '--format=%s')).stdout.trim().split('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The fake estate's pace: one step every PACE_MS. Each measured step must be at least MIN_STEP_S, which leaves 1 s
 * for a reading that a loaded machine delays (drctl stamps a step when its reading returns, not when the GET ran; at
 * load 20 on two cores a 300 ms margin was not enough). */
const PACE_MS = 2_000;
const MIN_STEP_S = 1.0;

beforeEach(async () => {
  repo = join(suiteTempDir('drctl-drill-'), 'estates');
  mkdirSync(join(repo, 'claims'), { recursive: true });
  copyFileSync(repoPath('examples', 'payments.yaml'), join(repo, FILE));
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '.');
  await git('commit', '--quiet', '-m', 'add payments estate');
});

/** Where the fake estate stands. */
interface State {
  active: string;
  writer: string;
  ready: boolean;
  paused: boolean;
}

/** Serves the recorded estate as team-payments/payments (examples/payments.yaml), in `state`. */
function asPayments(objects: Obj[], state: State): void {
  const claim = objects.find((o) => o.kind === 'DisasterRecovery')!;
  claim.metadata.name = 'payments';
  claim.metadata.namespace = 'team-payments';
  setState(objects, state);
}

function setState(objects: Obj[], s: State): void {
  type WithStatus = Obj & {
    status: { conditions: { type: string; status: string; message?: string }[] } & Record<string, unknown>;
  };
  const claim = objects.find((o) => o.kind === 'DisasterRecovery') as WithStatus;
  claim.status.activeRegion = s.active;
  claim.status.databaseWriterRegion = s.writer;
  for (const o of objects.filter((x) => x.kind === 'DisasterRecovery' || x.kind === 'XDisasterRecovery') as WithStatus[])
    o.status.conditions = [
      { type: 'Synced', status: 'True' },
      s.ready
        ? { type: 'Ready', status: 'True' }
        : { type: 'Ready', status: 'False', message: 'Unready resources: cluster-us-west-2' },
    ];
  const key = objects.find((o) => o.kind === 'Key' && o.metadata.name === 'minimal-7x2kq-key-w2')!;
  key.metadata.annotations = s.paused ? { 'crossplane.io/paused': 'true' } : {};
}

const HOME_STATE: State = { active: 'us-east-1', writer: 'us-east-1', ready: true, paused: false };

describe('drctl drill --apply', () => {
  it('commits the fail-back only after the fake cluster reports the writer moved, Ready and nothing paused; reports each step in JSON', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('drill-api-'),
      (objects) => asPayments(objects, HOME_STATE),
      async (api) => {
        const drill = drctl(
          {},
          'drill',
          FILE,
          '--apply',
          '--kubeconfig',
          api.kubeconfig,
          '--interval',
          '50ms',
          '--timeout',
          '30s',
          '-o',
          'json',
        );
        const commits = async () => (await subjects()).length - 1;
        const until = async (n: number) => {
          while ((await commits()) < n) await sleep(20);
          return Date.now();
        };
        // The fake estate moves on one step at a time; the commit count is read before each step.
        const seen: { step: string; commits: number; at: number }[] = [];
        const step = async (name: string, s: State) => {
          await sleep(PACE_MS);
          seen.push({ step: name, commits: await commits(), at: Date.now() });
          setState(api.objects, s);
        };
        await until(1);
        await step('applied, clusters paused', { active: 'us-west-2', writer: 'us-east-1', ready: false, paused: true });
        await step('writer moved', { active: 'us-west-2', writer: 'us-west-2', ready: false, paused: true });
        await step('ready', { active: 'us-west-2', writer: 'us-west-2', ready: true, paused: true });
        await step('unpaused', { active: 'us-west-2', writer: 'us-west-2', ready: true, paused: false });
        const unpausedAt = seen.at(-1)!.at;
        const failbackSeenAt = await until(2);
        await step('back: applied', { active: 'us-east-1', writer: 'us-west-2', ready: false, paused: true });
        await step('back: done', HOME_STATE);
        const r = await drill;
        expect(r.code, r.stderr).toBe(0);
        // Until the fake reported the switchover finished, only the switchover was committed.
        expect(seen.slice(0, 4).map((s) => s.commits)).toEqual([1, 1, 1, 1]);
        expect(seen.slice(4).map((s) => s.commits)).toEqual([2, 2]);
        expect(failbackSeenAt).toBeGreaterThanOrEqual(unpausedAt);
        expect(await subjects()).toEqual([
          'failover(team-payments/payments): us-west-2 -> us-east-1 (planned)',
          'failover(team-payments/payments): us-east-1 -> us-west-2 (planned)',
          'add payments estate',
        ]);
        const out = JSON.parse(r.stdout);
        expect(out.steps.map((s: { title: string }) => s.title)).toContain('Fail back');
        const m = out.measured;
        expect(m).toMatchObject({ completed: true, rtoMinutes: 60, withinRto: true, pollIntervalSeconds: 0.05 });
        expect(m.phases.map((p: { phase: string; from: string; to: string }) => `${p.phase} ${p.from}->${p.to}`)).toEqual([
          'switchover us-east-1->us-west-2',
          'failback us-west-2->us-east-1',
        ]);
        const [there, back] = m.phases;
        expect(Date.parse(back.committedAt)).toBeGreaterThanOrEqual(unpausedAt);
        expect(there.steps.map((s: { id: string }) => s.id)).toEqual(['applied', 'writer', 'ready', 'unpaused']);
        // Each step of the switchover came PACE_MS after the one before (the fake's pace), measured to the 50 ms reading.
        for (const s of there.steps) {
          expect(s.seconds, s.id).toBeGreaterThanOrEqual(MIN_STEP_S);
          expect(s.seconds, s.id).toBeLessThan(8);
        }
        expect(there.totalSeconds).toBeCloseTo(there.steps.at(-1).atSeconds, 5);
        expect(there.totalSeconds).toBeGreaterThanOrEqual(4 * MIN_STEP_S);
        // The fail-back: applied after PACE_MS, then writer, Ready and unpaused in the same reading PACE_MS later.
        expect(back.steps.map((s: { seconds: number }) => s.seconds >= MIN_STEP_S)).toEqual([true, true, false, false]);
        expect(back.completed).toBe(true);
      },
    );
  }, 60_000);

  it('stops at --timeout with what was not done and the next command; no fail-back is committed', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('drill-timeout-'),
      (objects) => asPayments(objects, HOME_STATE),
      async (api) => {
        const r = await drctl(
          {},
          'drill',
          FILE,
          '--apply',
          '--kubeconfig',
          api.kubeconfig,
          '--interval',
          '50ms',
          '--timeout',
          '1s',
        );
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('drill stopped: the switchover to us-west-2 did not finish within 1s');
        expect(r.stderr).toContain('the claim reports activeRegion us-east-1, not us-west-2');
        expect(r.stderr).toContain(
          'next: drctl status claims/payments.yaml --watch, then fail back: drctl failover claims/payments.yaml --to us-east-1 --reason "DR drill: fail back"',
        );
        expect(r.stdout).toContain('the claim reports activeRegion us-west-2: not observed');
        expect(r.stdout).toContain('not within rtoMinutes 60');
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(await subjects()).toEqual([
          'failover(team-payments/payments): us-east-1 -> us-west-2 (planned)',
          'add payments estate',
        ]);
      },
    );
    // Switched over but still paused: the next command is unpause.
    await git('reset', '--quiet', '--hard', 'HEAD~1');
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('drill-paused-'),
      (objects) => asPayments(objects, { active: 'us-west-2', writer: 'us-west-2', ready: true, paused: true }),
      async (api) => {
        const r = await drctl(
          {},
          'drill',
          FILE,
          '--apply',
          '--kubeconfig',
          api.kubeconfig,
          '--interval',
          '50ms',
          '--timeout',
          '500ms',
          '-o',
          'json',
        );
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('still paused: Key/minimal-7x2kq-key-w2');
        expect(r.stderr).toContain('next: drctl unpause claims/payments.yaml, then fail back:');
        const m = JSON.parse(r.stdout).measured;
        expect(m.completed).toBe(false);
        expect(m.phases[0].steps.map((s: { id: string; atSeconds?: number }) => [s.id, s.atSeconds !== undefined])).toEqual([
          ['applied', true],
          ['writer', true],
          ['ready', true],
          ['unpaused', false],
        ]);
        expect(m.phases[0].pending).toEqual(['still paused: Key/minimal-7x2kq-key-w2']);
        expect((await subjects()).length).toBe(2);
      },
    );
  }, 60_000);

  it('--no-failback stops once the switchover has finished and prints the fail-back command', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('drill-nofb-'),
      (objects) => asPayments(objects, { active: 'us-west-2', writer: 'us-west-2', ready: true, paused: false }),
      async (api) => {
        const r = await drctl(
          {},
          'drill',
          FILE,
          '--apply',
          '--no-failback',
          '--kubeconfig',
          api.kubeconfig,
          '--interval',
          '50ms',
        );
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('switchover us-east-1 -> us-west-2 (commit ');
        expect(r.stdout).toContain('(within rtoMinutes 60)');
        expect(r.stderr).toContain(
          'fail back when ready: drctl failover claims/payments.yaml --to us-east-1 --reason "DR drill: fail back"',
        );
        expect((await subjects()).length).toBe(2);
      },
    );
  }, 60_000);

  it.skipIf(existsSync(SERVICE_ACCOUNT_TOKEN))('commits nothing without a kubeconfig', async () => {
    const home = suiteTempDir('drill-no-kube-');
    const head = (await git('rev-parse', 'HEAD')).stdout;
    const bare = await drctl({ HOME: home, KUBECONFIG: '' }, 'drill', FILE, '--apply');
    expect(bare.code).toBe(3);
    expect(bare.stderr).toContain('no kubeconfig found');
    expect(bare.stderr).not.toMatch(/\n\s+at /);
    expect((await git('rev-parse', 'HEAD')).stdout).toBe(head);
  });

  it('commits nothing when the claim is not in the cluster (exit 3)', async () => {
    const head = (await git('rev-parse', 'HEAD')).stdout;
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('drill-absent-'),
      () => {},
      async (api) => {
        const r = await drctl({}, 'drill', FILE, '--apply', '--kubeconfig', api.kubeconfig);
        expect(r.code).toBe(3);
        expect(r.stderr).toContain('is not in the cluster');
        expect(r.stderr).toContain('nothing committed');
      },
    );
    expect((await git('rev-parse', 'HEAD')).stdout).toBe(head);
  }, 60_000);

  it('refuses a --timeout that is not a duration before committing', async () => {
    const r = await drctl({}, 'drill', FILE, '--apply', '--timeout', 'soon');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout soon: give a duration such as 30m');
    expect(await subjects()).toEqual(['add payments estate']);
  });
});
