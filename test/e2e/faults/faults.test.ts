/**
 * Fault tier (`npm run test:faults`): with estates composing and composed on the e2e control plane (etcd,
 * kube-apiserver, the garbage collector, Crossplane core v2.3.4, the function over mTLS, and the provider
 * status-writer stand-in), each fault is injected, the control plane is brought back, and the tier measures how long
 * the fault took to show (time to detect), how long until every estate is back at its plan and Ready (time to
 * converge), how many composed resources it checked and how many it lost (deleted, or replaced: a new uid). Lost
 * must be 0. The figures go to `$E2E_ARTIFACTS/faults/faults.json` and test/e2e/README.md's table.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../../src/api/claim.js';
import { COMPOSED_AT_GENERATION } from '../../../src/compose/drop-guard.js';
import { RESOURCE_NAME } from '../../../src/compose/plan.js';
import { lambdaDir, loadLambdaArtifacts } from '../../../src/function/artifacts.js';
import { SYNC_OPTIONS, withDeletionGuard } from '../../../src/gitops/argocd.js';
import { gitIn } from '../../support/gitops.js';
import { repoPath } from '../../support/paths.js';
import { ARGOCD_NAMESPACE, installArgoCd, startArgoCd, startGitDaemon, startRedis } from '../support/argocd.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import type { ManagedProcess } from '../support/processes.js';
import { argocdBinary } from '../support/tools.js';
import { startControlPlane, type ControlPlane } from '../support/control-plane.js';
import { servedResources } from '../support/estate.js';
import type { KubeObject } from '../support/kubectl.js';
import { condition, observe, settled, type Observation, type ObserveTarget } from '../support/observation.js';
import { startProviderStatusStandIn, type ProviderStatusStandIn } from '../support/provider-status-stand-in.js';
import { loadCrdIndex } from '../support/schema.js';
import { eventually, sleep, StopWaiting } from '../support/wait.js';
import { plannedKinds } from '../support/watched-kinds.js';

const GROUP = 'drplane.io';
const CLAIM_RESOURCE = `disasterrecoveries.${GROUP}`;
const COMPOSITE_RESOURCE = `xdisasterrecoveries.${GROUP}`;
const LAMBDA_DIR = lambdaDir();
const lambdas = loadLambdaArtifacts(LAMBDA_DIR);
/** Crossplane core v2.3.4 gives each composite reconcile 2 minutes (internal/controller/.../reconciler.go `timeout`). */
const CROSSPLANE_RECONCILE_TIMEOUT_MS = 120_000;
const CONVERGE_MS = 300_000;
/** How long Argo CD may take to act on a commit (it polls git every 5 s here). */
const STEP_MS = 180_000;
/** The faulty build the tier deploys (test/e2e/faults/faulty-function.ts), never the production entry point. */
const FAULTY_FUNCTION = repoPath('test', 'e2e', 'faults', 'faulty-function.ts');

/** An estate of the tier: a claim's YAML text (edited as in git) and the claim src/api reads from it. */
interface Estate {
  readonly name: string;
  readonly namespace: string;
  text: string;
  claim: DisasterRecoveryClaim;
}

function estateFrom(file: string, rename?: string): Estate {
  const doc = parseDocument(readFileSync(repoPath('examples', file), 'utf8'));
  if (rename) doc.setIn(['metadata', 'name'], rename);
  const claim = DisasterRecoveryClaimSchema.parse(doc.toJS());
  return { name: claim.metadata.name, namespace: claim.metadata.namespace, text: doc.toString(), claim };
}

function edit(e: Estate, path: readonly string[], value: unknown): void {
  const doc = parseDocument(e.text);
  doc.setIn(path, value);
  e.text = doc.toString();
  e.claim = DisasterRecoveryClaimSchema.parse(doc.toJS());
}

/** One fault's figures. */
interface FaultFigures {
  fault: string;
  detectSeconds?: number;
  detectedAs?: string;
  convergeSeconds?: number;
  checked: number;
  lost: string[];
  duplicates: string[];
  notes: string[];
}

let cp: ControlPlane;
let target: ObserveTarget;
let standIn: ProviderStatusStandIn | undefined;
/** Argo CD's processes (redis, git daemon, repo server, application controller), started by the prune fault. */
const argo: ManagedProcess[] = [];
let argoWorkDir: string | undefined;
const live = new Map<string, Estate>();
const figures: FaultFigures[] = [];
const startedAt = new Date();
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
/** The commit the run tests, and whether tracked files differed from it, read when the run starts. */
const source = (() => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoPath(), encoding: 'utf8' }).trim();
  return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
})();

const isReady = (o: KubeObject) => condition(o, 'Ready')?.status === 'True';
const converged = (o: Observation) => settled(o) && o.waiting.length === 0 && isReady(o.claim);
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** Observes every live estate until each is at its plan and Ready; returns the last observations. */
async function convergeAll(timeoutMs = CONVERGE_MS): Promise<Map<string, Observation>> {
  const last = new Map<string, Observation>();
  await eventually(
    `every estate (${[...live.keys()].join(', ')}) to converge to its plan and be Ready`,
    async (state) => {
      const pending: string[] = [];
      for (const [name, e] of live) {
        const o = await observe(target, e.name, e.namespace, e.claim);
        last.set(name, o);
        if (!converged(o)) {
          pending.push(
            `${name}: ${JSON.stringify({ undelivered: o.undelivered.length, leftOver: o.leftOver, changed: [...o.undeliveredChanges.keys()], waiting: o.waiting.length, sync: o.syncProblems, ready: isReady(o.claim) })}`,
          );
        }
      }
      state.last = pending.join('; ');
      return pending.length === 0 ? last : undefined;
    },
    { timeoutMs, intervalMs: 1_000 },
  );
  for (const [name, o] of last) {
    expect(o.unplanned, `${name}: composed resources not in the plan`).toEqual([]);
    expect(o.planMismatches.size, `${name}: composed resources that differ from the plan`).toBe(0);
    expect(o.composed.size, `${name}: 100% of the plan composed`).toBe(o.planned.size);
  }
  return last;
}

/** One estate's claim, composite and composed objects, by `<estate>/<id>`, with their uids (observe errors throw). */
async function identitiesOf(e: Estate): Promise<Map<string, { uid: string; planned: boolean }>> {
  const out = new Map<string, { uid: string; planned: boolean }>();
  const o = await observe(target, e.name, e.namespace, e.claim);
  out.set(`${e.name}/claim`, { uid: o.claim.metadata.uid, planned: true });
  out.set(`${e.name}/XDisasterRecovery`, { uid: o.composite.metadata.uid, planned: true });
  for (const [id, x] of o.composed) out.set(`${e.name}/${id}`, { uid: x.metadata.uid, planned: o.planned.has(id) });
  return out;
}

/** Every composite and composed object of the live estates, by `<estate>/<id>`, with its uid. */
async function identities(): Promise<Map<string, { uid: string; planned: boolean }>> {
  const out = new Map<string, { uid: string; planned: boolean }>();
  for (const e of live.values()) for (const [k, v] of await identitiesOf(e)) out.set(k, v);
  return out;
}

/** What `before` had that `after` lost: gone, or present with another uid (replaced); the new plan's removals aside. */
function lostBetween(
  before: ReadonlyMap<string, { uid: string }>,
  after: ReadonlyMap<string, { uid: string; planned: boolean }>,
  plannedNow: (key: string) => boolean,
): string[] {
  return [...before]
    .filter(([key, b]) => plannedNow(key) && after.get(key)?.uid !== b.uid)
    .map(([key, b]) => `${key} (${after.has(key) ? `uid ${b.uid} -> ${after.get(key)!.uid}` : 'deleted'})`);
}

/** Composed objects of the live estates that share a composite and a composition-resource name (a duplicate). */
async function duplicates(): Promise<string[]> {
  const kinds = new Set<string>();
  for (const e of live.values()) {
    for (const k of servedResources([...(await observe(target, e.name, e.namespace, e.claim)).planned.values()], target.crds)
      .served)
      kinds.add(k);
  }
  const objects = await cp.kubectl.list([...kinds].sort().join(','));
  const seen = new Map<string, number>();
  for (const o of objects) {
    const owner = o.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    const key = o.metadata.annotations?.[RESOURCE_NAME];
    if (!owner || !key) continue;
    seen.set(`${owner}/${key}`, (seen.get(`${owner}/${key}`) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
}

/** Seconds until `symptom` returns a description (polled every 500 ms), or undefined after `timeoutMs`. */
async function detect(since: number, symptom: () => Promise<string | undefined>, timeoutMs: number) {
  try {
    const what = await eventually('the fault to show', symptom, { timeoutMs, intervalMs: 500 });
    return { seconds: seconds(since), what };
  } catch {
    return undefined;
  }
}

/**
 * Faults with no symptom in the cluster to time, and why: their row records this instead of a time to detect.
 */
const DETECT_NONE = {
  functionKilled:
    'none observable: the function is back after 5 s, and Crossplane keeps dialing a dead function until its 2-minute reconcile deadline (the unreachable row), so no composite reports it first',
  coreKilled:
    'none observable: a stopped controller writes nothing to the cluster (no kubelet or liveness probe here); recovery is timed by converge',
} as const;

/**
 * Times an outage of the API server or etcd while `restart` runs: until `kubectl get --raw /readyz` fails (the
 * apiserver refuses connections, or its etcd check fails). Undefined when no request saw it within `restart`.
 */
async function apiOutage(since: number, restart: () => Promise<void>) {
  let done = false;
  const seen = detect(
    since,
    async () => {
      if (done) throw new StopWaiting('restarted before any request failed');
      const r = await cp.kubectl.run(['get', '--raw', '/readyz'], { timeoutMs: 5_000 });
      return r.code === 0 ? undefined : `/readyz failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`;
    },
    60_000,
  );
  await restart();
  done = true;
  return seen;
}

/** The first composite or claim of the live estates whose Synced condition is False, with its message. */
async function firstUnsynced(match: RegExp, except = ''): Promise<string | undefined> {
  const xrs = await cp.kubectl.list(
    'xdisasterrecoveries.drplane.io,xglobaldatabases.drplane.io,xglobaltables.drplane.io,xregionalservices.drplane.io',
  );
  for (const x of xrs) {
    const synced = condition(x, 'Synced');
    if (x.metadata.name === except) continue;
    if (synced?.status === 'False' && match.test(synced.message ?? '')) return `${x.kind} ${x.metadata.name}: ${synced.message}`;
  }
  return undefined;
}

/** A protected object of an estate: planned with a `deletionPolicy`, and the composed object when there is one. */
interface Protected {
  readonly id: string;
  readonly kind: string;
  readonly plannedPolicy: string;
  readonly live: KubeObject | undefined;
}

/**
 * The estate's protected objects, taken from its plan: every planned object whose manifest states a
 * `deletionPolicy`, the drop guard's own definition of a stateful resource (data stores and the KMS keys that
 * encrypt them), with what the cluster holds for each.
 */
async function protectedObjects(e: Estate): Promise<Protected[]> {
  const o = await observe(target, e.name, e.namespace, e.claim);
  return [...o.planned]
    .map(([id, p]) => ({
      id,
      kind: p.manifest.kind,
      policy: (p.manifest.spec as { deletionPolicy?: string } | undefined)?.deletionPolicy,
    }))
    .filter((p): p is { id: string; kind: string; policy: string } => p.policy !== undefined)
    .map((p) => ({ id: p.id, kind: p.kind, plannedPolicy: p.policy, live: o.composed.get(p.id) }));
}

/**
 * What is wrong with the protected objects in AWS terms: missing from the cluster, a `deletionPolicy` other than
 * `expected` (or the plan's), no drop-guard stamp, or `managementPolicies` that are neither absent nor `["*"]` (the
 * provider's default, which leaves deletionPolicy in charge of what a delete does in AWS).
 */
function protectionProblems(objects: readonly Protected[], expected: string): string[] {
  const out: string[] = [];
  for (const p of objects) {
    if (!p.live) {
      out.push(`${p.id}: not in the cluster`);
      continue;
    }
    if (p.plannedPolicy !== expected) out.push(`${p.id}: planned deletionPolicy ${p.plannedPolicy}, expected ${expected}`);
    if (p.live.spec?.deletionPolicy !== expected) out.push(`${p.id}: deletionPolicy ${p.live.spec?.deletionPolicy}`);
    if (p.live.metadata.annotations?.[COMPOSED_AT_GENERATION] === undefined) out.push(`${p.id}: no ${COMPOSED_AT_GENERATION}`);
    const mp = p.live.spec?.managementPolicies as string[] | undefined;
    if (mp !== undefined && !(mp.length === 1 && mp[0] === '*')) out.push(`${p.id}: managementPolicies ${JSON.stringify(mp)}`);
  }
  return out;
}

/** The messages of the Warning events on the object called `name` that match `match`, polled until one does. */
async function warningsNaming(name: string, match: RegExp, timeoutMs = 30_000): Promise<string[]> {
  return eventually(
    `a Warning event on ${name} matching ${match}`,
    async () => {
      const events = await cp.kubectl.ok([
        'get',
        'events',
        '-A',
        '--field-selector',
        `involvedObject.name=${name},type=Warning`,
        '-o',
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      ]);
      const named = events.split('\n').filter((m) => match.test(m));
      return named.length > 0 ? named : undefined;
    },
    { timeoutMs },
  );
}

async function apply(e: Estate): Promise<void> {
  if (!(await cp.kubectl.get('namespace', e.namespace))) await cp.kubectl.ok(['create', 'namespace', e.namespace]);
  await cp.kubectl.applyYaml(e.text);
  live.set(e.name, e);
}

/** Runs one fault: before, inject (returns what to wait for), after: converge, compare, record. */
async function fault(
  name: string,
  inject: (before: Map<string, { uid: string; planned: boolean }>, record: FaultFigures) => Promise<number>,
): Promise<FaultFigures> {
  const before = await identities();
  const record: FaultFigures = { fault: name, checked: 0, lost: [], duplicates: [], notes: [] };
  // `inject` may add to `before` what it composed itself (the estate it kills the function under).
  const since = await inject(before, record);
  const after = await convergeAll();
  record.convergeSeconds = seconds(since);
  const now = await identities();
  const plannedNow = (key: string) => {
    const estate = key.slice(0, key.indexOf('/'));
    const id = key.slice(key.indexOf('/') + 1);
    const o = after.get(estate);
    return id === 'claim' || id === 'XDisasterRecovery' || (o?.planned.has(id) ?? false);
  };
  record.checked = [...before.keys()].filter(plannedNow).length;
  record.lost = lostBetween(before, now, plannedNow);
  record.duplicates = await duplicates();
  figures.push(record);
  expect(record.checked, `${name}: resources checked`).toBeGreaterThan(0);
  // At least each live estate's claim and composite, and what each composed.
  expect(record.checked, `${name}: resources checked`).toBeGreaterThan(2 * live.size);
  expect(record.lost, `${name}: resources lost (deleted or replaced)`).toEqual([]);
  expect(record.duplicates, `${name}: duplicate composed resources`).toEqual([]);
  return record;
}

describe('faults on the real control plane', () => {
  beforeAll(async () => {
    expect(lambdas.notes, `Lambda zips in ${LAMBDA_DIR} (npm run build:lambda)`).toEqual([]);
    cp = await startControlPlane({ lambdaDir: LAMBDA_DIR, artifactsSubdir: 'faults' });
    const apis = repoPath('compositions', 'apis');
    const folders = (await import('node:fs'))
      .readdirSync(apis, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    await cp.kubectl.applyServerSide(folders.map((d) => join(apis, d, 'definition.yaml')));
    await cp.kubectl.applyServerSide(folders.map((d) => join(apis, d, 'composition.yaml')));
    await eventually(
      'every XRD to be Established',
      async () => {
        const list = await cp.kubectl.list('compositeresourcedefinitions.apiextensions.crossplane.io');
        return list.length === folders.length && list.every((x) => condition(x, 'Established')?.status === 'True')
          ? true
          : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const crds = await loadCrdIndex(cp.kubectl);
    target = {
      kubectl: cp.kubectl,
      crds,
      group: GROUP,
      claimResource: CLAIM_RESOURCE,
      compositeResource: COMPOSITE_RESOURCE,
      composeOptions: { artifacts: lambdas.artifacts },
    };
    const claims = ['payments.yaml', 'minimal.yaml', 'seed-002-lambda-dr.yaml'].map((f) => estateFrom(f).claim);
    standIn = startProviderStatusStandIn(cp.kubeconfig, plannedKinds(claims, crds, target.composeOptions));
    await apply(estateFrom('payments.yaml'));
    await apply(estateFrom('minimal.yaml'));
    await convergeAll();
  }, 600_000);

  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && cp) console.error(`logs (${cp.artifactsDir}/logs):\n${cp.logTails(12)}`);
  });

  afterAll(async () => {
    if (cp) {
      // The run's figures and where they come from; `npm run faults:table` renders test/e2e/README.md's table from them.
      const run = {
        ...source,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        nproc: availableParallelism(),
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
        faults: figures,
      };
      writeFileSync(join(cp.artifactsDir, 'faults.json'), JSON.stringify(run, null, 2) + '\n');
    }
    console.log(JSON.stringify(figures, null, 2));
    standIn?.stop();
    for (const p of [...argo].reverse()) await p.stop();
    await cp?.stop();
    if (argoWorkDir && process.env.DRPLANE_KEEP_TMP !== '1') rmSync(argoWorkDir, { recursive: true, force: true });
  }, 120_000);

  it('function killed (SIGKILL) while an estate composes, restarted: every estate converges, no uid changes', async () => {
    await fault('function SIGKILL mid-reconcile, restarted', async (before, record) => {
      const e = estateFrom('seed-002-lambda-dr.yaml');
      await apply(e);
      // Mid-reconcile: the new estate is part-way composed.
      await eventually(
        'the new estate to be part-way composed',
        async () => ((await observe(target, e.name, e.namespace, e.claim)).composed.size >= 20 ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      // The estate being reconciled at the kill: what it has composed so far must keep its uids too.
      const composing = await identitiesOf(e);
      for (const [k, v] of composing) before.set(k, v);
      const since = performance.now();
      await cp.restart('function', { signal: 'SIGKILL', downMs: 5_000 });
      record.detectedAs = DETECT_NONE.functionKilled;
      record.notes.push(
        `down 5 s while seed-002 composed (${composing.size - 2} of its objects existed at the kill, uids checked after); payments and minimal composed`,
      );
      expect(composing.size - 2, 'seed-002 objects snapshotted at the kill').toBeGreaterThanOrEqual(20);
      return since;
    });
  }, 900_000);

  it('Crossplane core killed (SIGKILL) mid-reconcile, restarted: no duplicates, no deletions, convergence', async () => {
    await fault('Crossplane core SIGKILL mid-reconcile, restarted', async (_before, record) => {
      const e = live.get('payments')!;
      edit(e, ['spec', 'activeRegion'], e.claim.spec.regions.secondaries[0]);
      await cp.kubectl.applyYaml(e.text);
      await sleep(1_500);
      const since = performance.now();
      await cp.restart('crossplane', { signal: 'SIGKILL', downMs: 3_000 });
      record.detectedAs = DETECT_NONE.coreKilled;
      record.notes.push('killed 1.5 s after payments activeRegion moved; down 3 s');
      return since;
    });
  }, 900_000);

  it('kube-apiserver restarted: convergence, nothing lost', async () => {
    await fault('kube-apiserver restarted', async (_before, record) => {
      const e = live.get('minimal')!;
      edit(e, ['spec', 'activeRegion'], e.claim.spec.regions.secondaries[0]);
      await cp.kubectl.applyYaml(e.text);
      const since = performance.now();
      const seen = await apiOutage(since, () => cp.restart('kube-apiserver', { signal: 'SIGTERM', downMs: 3_000 }));
      record.detectSeconds = seen?.seconds;
      record.detectedAs = seen?.what ?? 'no request failed while it restarted';
      record.notes.push('SIGTERM right after minimal activeRegion moved; down 3 s');
      return since;
    });
  }, 900_000);

  it('etcd restarted with its data kept: convergence, nothing lost', async () => {
    await fault('etcd restarted (data dir kept)', async (_before, record) => {
      const since = performance.now();
      const seen = await apiOutage(since, () => cp.restart('etcd', { signal: 'SIGKILL', downMs: 3_000 }));
      record.detectSeconds = seen?.seconds;
      record.detectedAs = seen?.what ?? 'no request failed while it restarted';
      record.notes.push('SIGKILL, down 3 s, same data directory');
      return since;
    });
  }, 900_000);

  it('function returns fewer resources (a faulty build drops Aurora Clusters): refused, nothing deleted, the event says what', async () => {
    const record = await fault('function drops a kind (faulty build: no rds Cluster)', async (_before, r) => {
      const since = performance.now();
      await cp.restart('function', { entry: FAULTY_FUNCTION, env: { DRPLANE_FAULT_DROP_KINDS: 'Cluster' } });
      // Every reconcile of payments' XGlobalDatabase now gets a desired state without its Aurora clusters.
      const database = (await observe(target, 'payments', live.get('payments')!.namespace, live.get('payments')!.claim)).composed;
      const db = [...database.values()].find((x) => x.kind === 'XGlobalDatabase')!;
      await cp.kubectl.ok(['annotate', 'xglobaldatabases.drplane.io', db.metadata.name, `drplane.io/fault-poke=${Date.now()}`]);
      const seen = await detect(
        since,
        async () => {
          const x = await cp.kubectl.get('xglobaldatabases.drplane.io', db.metadata.name);
          const synced = x && condition(x, 'Synced');
          return synced?.status === 'False' && /refusing to compose XGlobalDatabase/.test(synced.message ?? '')
            ? synced.message
            : undefined;
        },
        CROSSPLANE_RECONCILE_TIMEOUT_MS,
      );
      expect(seen, 'the XGlobalDatabase reports the refused desired state').toBeDefined();
      r.detectSeconds = seen!.seconds;
      r.detectedAs = seen!.what;
      expect(seen!.what).toMatch(/Cluster \S+ \(aurora-cluster-/);
      const events = await warningsNaming(db.metadata.name, /refusing to compose XGlobalDatabase.*Cluster \S+ \(aurora-cluster-/);
      // Every protected object of payments (from its plan) still there while the faulty build runs, Orphan.
      const held = await protectedObjects(live.get('payments')!);
      expect(held.filter((p) => p.kind === 'Cluster').length, 'planned Aurora Clusters').toBeGreaterThan(0);
      expect(protectionProblems(held, 'Orphan'), 'payments protected objects while the faulty build ran').toEqual([]);
      r.notes.push(
        `${held.length} protected objects of payments (planned with a deletionPolicy: ${held.filter((p) => p.kind === 'Cluster').length} Aurora Clusters, ${held.filter((p) => p.kind === 'Key').length} KMS keys, ...) kept while the faulty build ran: deletionPolicy Orphan, managementPolicies unset; ${events.length} Warning events on the XGlobalDatabase name the dropped Clusters`,
      );
      await sleep(10_000);
      await cp.restart('function');
      return since;
    });
    expect(record.detectedAs).toContain('production data store');
  }, 900_000);

  it('function unreachable longer than Crossplane reconcile timeout: a condition names the function, nothing deleted, converges on return', async () => {
    await fault('function unreachable > 2 min', async (before, record) => {
      const since = performance.now();
      const fn = cp.processes.find((p) => p.name === 'function')!;
      await fn.signal('SIGKILL');
      try {
        const e = live.get('minimal')!;
        edit(e, ['spec', 'activeRegion'], e.claim.spec.regions.primary);
        await cp.kubectl.applyYaml(e.text);
        // gRPC keeps dialing a refused address until the call's deadline: Crossplane's 2-minute reconcile timeout.
        const seen = await detect(since, () => firstUnsynced(/function-drplane/), CROSSPLANE_RECONCILE_TIMEOUT_MS + 60_000);
        expect(seen, 'a composite reports that it cannot run function-drplane').toBeDefined();
        record.detectSeconds = seen!.seconds;
        record.detectedAs = seen!.what;
        await sleep(Math.max(0, CROSSPLANE_RECONCILE_TIMEOUT_MS + 5_000 - (performance.now() - since)));
        const during = await identities();
        const gone = [...before.keys()].filter((k) => !during.has(k));
        record.notes.push(`down ${seconds(since)} s; deleted while down: ${gone.length}`);
        expect(gone, 'deleted while the function was down').toEqual([]);
      } finally {
        await cp.restart('function', { signal: 'SIGKILL' });
      }
      return since;
    });
  }, 900_000);

  it('function answers slowly (frozen past the reconcile deadline): nothing deleted, no duplicates after it recovers', async () => {
    await fault('function frozen (SIGSTOP) > 2 min, then resumed', async (before, record) => {
      const since = performance.now();
      await cp.freezeFunction(true);
      try {
        const e = live.get('minimal')!;
        edit(e, ['spec', 'activeRegion'], e.claim.spec.regions.secondaries[0]);
        await cp.kubectl.applyYaml(e.text);
        const seen = await detect(
          since,
          () => firstUnsynced(/function-drplane|deadline/),
          CROSSPLANE_RECONCILE_TIMEOUT_MS + 60_000,
        );
        expect(seen, 'a composite reports the timed-out function call').toBeDefined();
        record.detectSeconds = seen!.seconds;
        record.detectedAs = seen!.what;
        const during = await identities();
        expect(
          [...before.keys()].filter((k) => !during.has(k)),
          'deleted while the function hung',
        ).toEqual([]);
      } finally {
        await cp.freezeFunction(false);
      }
      record.notes.push(`frozen ${seconds(since)} s`);
      return since;
    });
  }, 900_000);

  // A claim the API server accepts (its schema and CEL hold) but the function's policy refuses: payments moved to
  // us-east-1 and il-central-1 with db.r6g.large, which il-central-1 does not offer for aurora-postgresql
  // (database.instance-class-region, a rule the XRD cannot express). Applied with kubectl, as git would.
  it('a claim past validation that the function refuses: only that estate reports the rule; the others reconcile', async () => {
    await fault('a claim the function refuses (policy error past the API server)', async (_before, record) => {
      const bad = estateFrom('payments.yaml', 'refused');
      edit(bad, ['spec', 'regions'], { primary: 'us-east-1', secondaries: ['il-central-1'] });
      edit(bad, ['spec', 'activeRegion'], 'us-east-1');
      edit(bad, ['spec', 'network', 'cidrs'], { 'us-east-1': '10.0.0.0/16', 'il-central-1': '10.1.0.0/16' });
      edit(bad, ['spec', 'database', 'instanceClass'], 'db.r6g.large');
      const since = performance.now();
      await cp.kubectl.applyYaml(bad.text);
      // Meanwhile another estate changes, and must still converge.
      const e = live.get('minimal')!;
      edit(e, ['spec', 'activeRegion'], e.claim.spec.regions.primary);
      await cp.kubectl.applyYaml(e.text);
      const seen = await detect(
        since,
        async () => {
          const xr = (await cp.kubectl.list(COMPOSITE_RESOURCE)).find(
            (x) => x.metadata.labels?.['crossplane.io/claim-name'] === 'refused',
          );
          const synced = xr && condition(xr, 'Synced');
          return synced?.status === 'False' && /\(database\.instance-class-region\)/.test(synced.message ?? '')
            ? `${xr!.metadata.name}: ${synced.message}`
            : undefined;
        },
        120_000,
      );
      expect(seen, 'the refused composite names the broken rule').toBeDefined();
      record.detectSeconds = seen!.seconds;
      record.detectedAs = seen!.what;
      expect(seen!.what).toMatch(/il-central-1/);
      const name = seen!.what.slice(0, seen!.what.indexOf(':'));
      const events = await cp.kubectl.ok([
        'get',
        'events',
        '-A',
        '--field-selector',
        `involvedObject.name=${name},type=Warning`,
        '-o',
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      ]);
      const named = events.split('\n').filter((m) => m.includes('(database.instance-class-region)'));
      expect(named.length, `a Warning event on ${name} names the rule`).toBeGreaterThan(0);
      const composite = (await cp.kubectl.get(COMPOSITE_RESOURCE, name))!;
      expect(composite.spec.resourceRefs ?? [], 'nothing composed for the refused claim').toEqual([]);
      const unsynced = await firstUnsynced(/./, name);
      record.notes.push(
        `${named.length} Warning events name the rule; nothing composed for it; other composites Synced=False meanwhile: ${unsynced ?? 'none'}`,
      );
      expect(unsynced, 'another composite reports an error').toBeUndefined();
      await cp.kubectl.delete(CLAIM_RESOURCE, bad.name, { namespace: bad.namespace });
      return since;
    });
  }, 900_000);

  // Two gaps of the first drop guard at once: a test estate (minimal), and a faulty build deployed together with a
  // change of the spec (a tag added, which changes the XGlobalTable's spec and generation).
  it('a faulty build shipped with a spec change, on a test estate: the table the spec still declares is kept', async () => {
    const record = await fault('faulty build (no DynamoDB Table) shipped with a spec change, test estate', async (_b, r) => {
      const e = live.get('minimal')!;
      const tableBefore = [...(await observe(target, e.name, e.namespace, e.claim)).composed.values()].find(
        (x) => x.kind === 'Table',
      )!;
      const since = performance.now();
      await cp.restart('function', { entry: FAULTY_FUNCTION, env: { DRPLANE_FAULT_DROP_KINDS: 'Table' } });
      edit(e, ['spec', 'tags'], { CostCenter: 'fault-tier' });
      await cp.kubectl.applyYaml(e.text);
      const seen = await detect(
        since,
        async () => {
          const xr = (await cp.kubectl.list('xglobaltables.drplane.io')).find(
            (x) => x.metadata.labels?.['crossplane.io/claim-name'] === 'minimal',
          );
          const synced = xr && condition(xr, 'Synced');
          return synced?.status === 'False' && /refusing to compose XGlobalTable/.test(synced.message ?? '')
            ? synced.message
            : undefined;
        },
        CROSSPLANE_RECONCILE_TIMEOUT_MS,
      );
      expect(seen, "minimal's XGlobalTable reports the refused desired state").toBeDefined();
      r.detectSeconds = seen!.seconds;
      r.detectedAs = seen!.what;
      const table = await cp.kubectl.get('tables.dynamodb.aws.upbound.io', tableBefore.metadata.name);
      expect(table?.metadata.uid, 'the Table is still there, same uid, while the faulty build runs').toBe(
        tableBefore.metadata.uid,
      );
      const xrName = (await cp.kubectl.list('xglobaltables.drplane.io')).find(
        (x) => x.metadata.labels?.['crossplane.io/claim-name'] === 'minimal',
      )!.metadata.name;
      const events = await warningsNaming(xrName, /refusing to compose XGlobalTable.*Table \S+ \(table-items\)/);
      // A test estate's stores are deletionPolicy Delete by design (the plan's); the guard, not the policy, keeps them.
      const plannedTables = (await protectedObjects(e)).filter((p) => p.kind === 'Table');
      expect(plannedTables.length, 'planned Tables of minimal').toBeGreaterThan(0);
      expect(protectionProblems(plannedTables, 'Delete'), 'minimal Table while the faulty build ran').toEqual([]);
      r.notes.push(
        `Table ${tableBefore.metadata.name} kept (deletionPolicy ${table?.spec.deletionPolicy} as planned for a test estate, managementPolicies unset) while the faulty build ran; ${events.length} Warning events on the XGlobalTable name it`,
      );
      await sleep(10_000);
      await cp.restart('function');
      return since;
    });
    expect(record.detectedAs).toMatch(/drops 1 test data store .* still declares them: Table \S+ \(table-items\)/);
  }, 900_000);

  // docs/gitops.md: a production team's Application never prunes (automated.prune: false), and every production claim
  // carries Prune=false and Delete=false itself. Here pruning is turned on for that Application (what `argocd app set
  // --auto-prune` does) and the claim is removed from git: a real Argo CD (support/argocd.ts) must skip the prune.
  // Then the claim's own Prune=false is taken away and Argo CD really prunes it: the estate goes, and every data
  // store is deletionPolicy Orphan when it goes (orphaned in AWS, never deleted).
  it('claim deleted from git with Argo CD pruning on: the prune guard holds; a real prune orphans the data stores', async () => {
    const e = live.get('payments')!;
    const team = e.namespace;
    const app = `drplane-claims-${team}`;
    const workDir = mkdtempSync(join(tmpdir(), 'drplane-faults-argocd-'));
    argoWorkDir = workDir;
    const logDir = join(cp.artifactsDir, 'logs');
    const appView = async () => (await cp.kubectl.get('applications.argoproj.io', app, { namespace: ARGOCD_NAMESPACE }))!;
    try {
      const redis = await startRedis(logDir, workDir);
      argo.push(redis.proc);
      const git = await startGitDaemon(join(workDir, 'git'), logDir);
      argo.push(git.proc);
      const repo = new GitopsRepo(join(workDir, 'git', 'drplane'), git.url('drplane'));
      await repo.init([team]);
      // The claim as the portal commits it (src/gitops/argocd.ts): Delete=false, and Prune=false for production.
      const committed = withDeletionGuard(e.text);
      expect(parseDocument(committed).getIn(['metadata', 'annotations', SYNC_OPTIONS])).toBe('Delete=false,Prune=false');
      writeFileSync(repo.path('claims', team, `${e.name}.yaml`), committed);
      const added = await repo.commit(`${team}: ${e.name}`);
      await installArgoCd(cp.kubectl);
      argo.push(
        ...(await startArgoCd({ binary: argocdBinary(), kubeconfig: cp.kubeconfig, redis: redis.address, workDir, logDir })),
      );
      const bootstrap = repo.path('compositions', 'bootstrap');
      await cp.kubectl.ok(['apply', '-f', join(bootstrap, 'argocd')]);
      await cp.kubectl.ok(['apply', '-f', join(bootstrap, 'apps', `${app}.yaml`)]);
      // Argo CD adopts the live claim (same name and namespace) and reports it Synced and Healthy (Ready).
      await eventually(
        `${app} to be Synced at ${added.slice(0, 7)} and Healthy`,
        async (state) => {
          const a = await appView();
          state.last = JSON.stringify({ sync: a?.status?.sync, health: a?.status?.health, op: a?.status?.operationState?.phase });
          return a?.status?.sync?.status === 'Synced' && a.status.sync.revision === added && a.status.health?.status === 'Healthy'
            ? true
            : undefined;
        },
        { timeoutMs: CONVERGE_MS },
      );
      await convergeAll();
    } catch (err) {
      throw new Error(`Argo CD did not take over the production claim: ${err instanceof Error ? err.message : String(err)}`);
    }

    // The fault: pruning on for the production team, and the claim removed from git.
    const record = await fault('claim removed from git, Argo CD pruning on (production team)', async (_before, r) => {
      const policy = (await appView()).spec.syncPolicy.automated as Record<string, unknown>;
      // prune: false is the API's zero value, so the stored Application may omit it.
      expect(policy.prune ?? false, 'the generated production Application does not prune').toBe(false);
      await cp.kubectl.ok([
        'patch',
        'applications.argoproj.io',
        app,
        '-n',
        ARGOCD_NAMESPACE,
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { syncPolicy: { automated: { ...policy, prune: true } } } }),
      ]);
      const repoDir = join(workDir, 'git', 'drplane');
      unlinkSync(join(repoDir, 'claims', team, `${e.name}.yaml`));
      await gitIn(repoDir, 'add', '-A');
      await gitIn(repoDir, 'commit', '--quiet', '-m', `${team}: remove ${e.name}`);
      const removed = (await gitIn(repoDir, 'rev-parse', 'HEAD')).stdout.trim();
      const since = performance.now();
      const seen = await detect(
        since,
        async () => {
          const status = (await appView()).status;
          const op = status?.operationState;
          const skipped = (op?.syncResult?.resources ?? []).find(
            (x: { kind: string; name: string }) => x.kind === 'DisasterRecovery' && x.name === e.name,
          );
          return op?.phase === 'Succeeded' && op.syncResult?.revision === removed && skipped
            ? `${app}: sync ${status.sync.status}, ${skipped.kind} ${skipped.name} ${skipped.status} (${skipped.message})`
            : undefined;
        },
        STEP_MS,
      );
      expect(seen, 'Argo CD ran an automated sync with pruning at the removal').toBeDefined();
      r.detectSeconds = seen!.seconds;
      r.detectedAs = seen!.what;
      expect(seen!.what).toMatch(/PruneSkipped \(ignored \(no prune\)\)/);
      // Three more reconciliations of the Application: still OutOfSync, the claim still there, nothing pruned.
      const reconciled = new Set<string>();
      await eventually(
        'three reconciliations of the team Application',
        async () => {
          reconciled.add((await appView()).status?.reconciledAt);
          return reconciled.size > 3 ? true : undefined;
        },
        { timeoutMs: STEP_MS },
      );
      const a = await appView();
      expect(a.status.sync.status).toBe('OutOfSync');
      expect(a.status.resources).toMatchObject([{ kind: 'DisasterRecovery', name: e.name, requiresPruning: true }]);
      r.notes.push(
        `pruning on (automated.prune: true); the claim's own Prune=false kept it over ${reconciled.size - 1} reconciliations`,
      );
      return since;
    });
    expect(record.lost).toEqual([]);

    // Now the claim's own guard is taken off (a claim written by hand without it): self-heal syncs again and prunes.
    const o = await observe(target, e.name, e.namespace, e.claim);
    // What must survive, from the plan: every object planned with a deletionPolicy (the drop guard's stamp): the data
    // stores (Aurora, DynamoDB, vaults, the claim's replicated buckets) and the KMS keys that encrypt them.
    const held = await protectedObjects(e);
    const keys = held.filter((p) => p.kind === 'Key').length;
    expect(held.length, 'payments plans protected objects').toBeGreaterThan(0);
    expect(keys, 'the protected set includes the KMS keys').toBeGreaterThan(0);
    expect(
      held.filter((p) => p.live).length,
      `every one of the ${held.length} protected objects the plan has is in the cluster`,
    ).toBe(held.length);
    const stamped = [...o.composed].filter(
      ([, x]) => x.apiVersion.includes('.aws.upbound.io/') && x.metadata.annotations?.[COMPOSED_AT_GENERATION] !== undefined,
    );
    expect(stamped.map(([id]) => id).sort(), "the guard's stamped objects are the plan's protected set").toEqual(
      held.map((p) => p.id).sort(),
    );
    const deleting = protectionProblems(held, 'Orphan');
    const since = performance.now();
    await cp.kubectl.ok(['annotate', '--overwrite', CLAIM_RESOURCE, e.name, '-n', team, `${SYNC_OPTIONS}=Delete=false`]);
    await cp.kubectl.ok(['annotate', 'applications.argoproj.io', app, '-n', ARGOCD_NAMESPACE, 'argocd.argoproj.io/refresh=hard']);
    live.delete(e.name);
    const pruned = await detect(
      since,
      async () => ((await cp.kubectl.get(CLAIM_RESOURCE, e.name, { namespace: team })) ? undefined : 'claim pruned by Argo CD'),
      STEP_MS,
    );
    expect(pruned, 'Argo CD prunes the claim once it lacks Prune=false').toBeDefined();
    await eventually(
      'the production estate to leave the cluster',
      async () => ((await cp.kubectl.get(COMPOSITE_RESOURCE, o.composite.metadata.name)) ? undefined : true),
      { timeoutMs: CONVERGE_MS },
    );
    figures.push({
      fault: 'claim pruned by Argo CD (its Prune=false taken off) of a production estate',
      detectSeconds: pruned!.seconds,
      detectedAs: pruned!.what,
      convergeSeconds: seconds(since),
      checked: held.length,
      lost: deleting,
      duplicates: [],
      notes: [
        `${held.length} protected objects (the plan's objects with a deletionPolicy: ${held.length - keys} data stores, ${keys} KMS keys), deletionPolicy ${[...new Set(held.map((p) => p.live?.spec?.deletionPolicy))].join(',')} and managementPolicies unset when the estate was deleted (the provider then orphans them in AWS)`,
      ],
    });
    expect(deleting, 'protected objects whose AWS resource a deletion would delete').toEqual([]);
  }, 900_000);
});
