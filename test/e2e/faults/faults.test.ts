/**
 * Fault tier (`npm run test:faults`): with estates composing and composed on the e2e control plane (etcd,
 * kube-apiserver, the garbage collector, Crossplane core v2.3.4, the function over mTLS, and the provider
 * status-writer stand-in), each fault is injected, the control plane is brought back, and the tier measures how long
 * the fault took to show (time to detect), how long until every estate is back at its plan and Ready (time to
 * converge), how many composed resources it checked and how many it lost (deleted, or replaced: a new uid). Lost
 * must be 0. The figures go to `$E2E_ARTIFACTS/faults/faults.json` and test/e2e/README.md's table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../../src/api/claim.js';
import { compositeOf, RESOURCE_NAME } from '../../../src/compose/plan.js';
import { lambdaDir, loadLambdaArtifacts } from '../../../src/function/artifacts.js';
import { repoPath } from '../../support/paths.js';
import { startControlPlane, type ControlPlane } from '../support/control-plane.js';
import { servedResources } from '../support/estate.js';
import type { KubeObject } from '../support/kubectl.js';
import { condition, observe, settled, type Observation, type ObserveTarget } from '../support/observation.js';
import { startProviderStatusStandIn, type ProviderStatusStandIn } from '../support/provider-status-stand-in.js';
import { loadCrdIndex } from '../support/schema.js';
import { eventually, sleep } from '../support/wait.js';
import { plannedKinds } from '../support/watched-kinds.js';

const GROUP = 'drplane.io';
const CLAIM_RESOURCE = `disasterrecoveries.${GROUP}`;
const COMPOSITE_RESOURCE = `xdisasterrecoveries.${GROUP}`;
const LAMBDA_DIR = lambdaDir();
const lambdas = loadLambdaArtifacts(LAMBDA_DIR);
/** Crossplane core v2.3.4 gives each composite reconcile 2 minutes (internal/controller/.../reconciler.go `timeout`). */
const CROSSPLANE_RECONCILE_TIMEOUT_MS = 120_000;
const CONVERGE_MS = 300_000;
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
const live = new Map<string, Estate>();
const figures: FaultFigures[] = [];

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

/** Every composite and composed object of the live estates, by `<estate>/<id>`, with its uid. */
async function identities(): Promise<Map<string, { uid: string; planned: boolean }>> {
  const out = new Map<string, { uid: string; planned: boolean }>();
  for (const [name, e] of live) {
    const o = await observe(target, e.name, e.namespace, e.claim).catch(() => undefined);
    if (!o) continue;
    out.set(`${name}/claim`, { uid: o.claim.metadata.uid, planned: true });
    out.set(`${name}/XDisasterRecovery`, { uid: o.composite.metadata.uid, planned: true });
    for (const [id, x] of o.composed) out.set(`${name}/${id}`, { uid: x.metadata.uid, planned: o.planned.has(id) });
  }
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
    if (cp) writeFileSync(join(cp.artifactsDir, 'faults.json'), JSON.stringify(figures, null, 2) + '\n');
    console.log(JSON.stringify(figures, null, 2));
    standIn?.stop();
    await cp?.stop();
  }, 120_000);

  it('function killed (SIGKILL) while an estate composes, restarted: every estate converges, no uid changes', async () => {
    await fault('function SIGKILL mid-reconcile, restarted', async (_before, record) => {
      const e = estateFrom('seed-002-lambda-dr.yaml');
      await apply(e);
      // Mid-reconcile: the new estate is part-way composed.
      await eventually(
        'the new estate to be part-way composed',
        async () => ((await observe(target, e.name, e.namespace, e.claim)).composed.size >= 20 ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      const since = performance.now();
      await cp.restart('function', { signal: 'SIGKILL', downMs: 5_000 });
      record.notes.push('down 5 s while seed-002 (175 resources) composed; payments and minimal composed');
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
      await cp.restart('kube-apiserver', { signal: 'SIGTERM', downMs: 3_000 });
      record.notes.push('SIGTERM right after minimal activeRegion moved; down 3 s');
      return since;
    });
  }, 900_000);

  it('etcd restarted with its data kept: convergence, nothing lost', async () => {
    await fault('etcd restarted (data dir kept)', async (_before, record) => {
      const since = performance.now();
      await cp.restart('etcd', { signal: 'SIGKILL', downMs: 3_000 });
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
      const clusters = (await cp.kubectl.list('clusters.rds.aws.upbound.io')).filter((c) =>
        c.metadata.name.startsWith('payments'),
      );
      r.notes.push(
        `${clusters.length} Aurora Clusters still there while the faulty build ran, deletionPolicy ${[...new Set(clusters.map((c) => c.spec.deletionPolicy))].join(',')}`,
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

  // What stops it on this control plane is the API server: Crossplane's next update of the composite (its composition
  // reference) meets the restored CRD's rule before the function is called. The function's own refusal of such a spec
  // is tested in test/function/drop-guard.test.ts.
  it('a spec past validation (rule broken): only that estate reports the error, naming the rule; the others reconcile', async () => {
    await fault('a spec past validation: only its estate errors', async (_before, record) => {
      // Past validation: Crossplane is stopped, the composite CRD's cross-field rules are taken off (an older XRD, or
      // validation off), and the composite is created directly with an activeRegion outside its regions.
      const bad = estateFrom('minimal.yaml', 'refused');
      const xr = compositeOf({ ...bad.claim, spec: { ...bad.claim.spec, activeRegion: 'eu-central-1' } });
      const core = cp.processes.find((p) => p.name === 'crossplane')!;
      const restarting = cp.restart('crossplane', { signal: 'SIGTERM', downMs: 8_000 });
      await eventually('Crossplane core to stop', () => (core.exitStatus() !== undefined ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      await cp.kubectl.ok([
        'patch',
        'customresourcedefinitions.apiextensions.k8s.io',
        COMPOSITE_RESOURCE,
        '--type=json',
        '--patch',
        JSON.stringify([
          { op: 'remove', path: '/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations' },
        ]),
      ]);
      await cp.kubectl.applyYaml(
        JSON.stringify({ ...xr, metadata: { name: 'refused-x', labels: (xr.metadata as any)?.labels } }),
      );
      await restarting;
      const since = performance.now();
      // Meanwhile another estate changes, and must still converge.
      const e = live.get('minimal')!;
      edit(e, ['spec', 'activeRegion'], e.claim.spec.regions.primary);
      await cp.kubectl.applyYaml(e.text);
      const seen = await detect(
        since,
        async () => {
          const x = await cp.kubectl.get(COMPOSITE_RESOURCE, 'refused-x');
          const synced = x && condition(x, 'Synced');
          return synced?.status === 'False' && /regions\.active-is-configured/.test(synced.message ?? '')
            ? synced.message
            : undefined;
        },
        60_000,
      );
      expect(seen, 'the refused composite names the broken rule').toBeDefined();
      record.detectSeconds = seen!.seconds;
      record.detectedAs = seen!.what;
      const composedForRefused = (await cp.kubectl.list('xglobaltables.drplane.io')).filter((x) =>
        x.metadata.ownerReferences?.some((r) => r.name === 'refused-x'),
      );
      expect(composedForRefused, 'nothing composed for the refused spec').toEqual([]);
      const unsynced = await firstUnsynced(/./, 'refused-x');
      record.notes.push(`other composites Synced=False meanwhile: ${unsynced ?? 'none'}`);
      await cp.kubectl.delete(COMPOSITE_RESOURCE, 'refused-x');
      return since;
    });
  }, 900_000);

  it('claim deleted (as Argo CD prunes it): the production estate data stores are orphaned, never deleted', async () => {
    const e = live.get('payments')!;
    const o = await observe(target, e.name, e.namespace, e.claim);
    const stateful = [...o.composed].filter(([, x]) => typeof x.spec?.deletionPolicy === 'string');
    const orphaned = stateful.filter(([, x]) => x.spec.deletionPolicy === 'Orphan');
    const dataKinds = /^(Cluster|ClusterInstance|GlobalCluster|Table|Vault)$/;
    const dataStores = [...o.composed].filter(([, x]) => x.apiVersion.includes('.aws.upbound.io/') && dataKinds.test(x.kind));
    const deleting = dataStores.filter(([, x]) => x.spec.deletionPolicy !== 'Orphan');
    const since = performance.now();
    await cp.kubectl.delete(CLAIM_RESOURCE, e.name, { namespace: e.namespace });
    live.delete(e.name);
    await eventually(
      'the production estate to leave the cluster',
      async () => ((await cp.kubectl.get(COMPOSITE_RESOURCE, o.composite.metadata.name)) ? undefined : true),
      { timeoutMs: CONVERGE_MS },
    );
    figures.push({
      fault: 'claim deleted (prune) of a production estate',
      convergeSeconds: seconds(since),
      checked: dataStores.length,
      lost: deleting.map(([id, x]) => `${id} ${x.kind} deletionPolicy ${x.spec.deletionPolicy}`),
      duplicates: [],
      notes: [
        `${orphaned.length} resources with deletionPolicy Orphan (data stores and their keys); managementPolicies of the data stores: ${[...new Set(dataStores.map(([, x]) => JSON.stringify(x.spec.managementPolicies)))].join(' ')}`,
      ],
    });
    expect(dataStores.length).toBeGreaterThan(0);
    expect(deleting, 'data stores whose AWS resource a deletion would delete').toEqual([]);
  }, 600_000);
});
