/**
 * `npm run bench:scale`: how many estates one control plane carries, measured on the e2e tier's control plane (real
 * etcd, kube-apiserver, garbage collector, Crossplane core v2.3.4 and the function's bundle over mutual TLS, see
 * test/e2e/support/control-plane.ts) with the provider status stand-in writing what AWS would assign
 * (test/e2e/support/provider-status-stand-in.ts). For each N (a fresh control plane each):
 *
 *  1. applies N estates at once: the example claims in turn, each in a generated namespace `scale-<i>`;
 *  2. times until every estate holds every resource of its plan (composites and managed resources, counted by the
 *     claim-namespace label) and until every claim is Ready;
 *  3. reads RunFunction calls, latency p50/p99 and errors from the function's own /metrics and from Crossplane core's
 *     (`function_run_function_*`, which sees timeouts the function never does), CPU seconds and peak RSS of every
 *     process from /proc, etcd's database file, objects per estate;
 *  4. at rest: reconciles per second and RunFunction calls per second over a steady minute, the work queue depth, and
 *     every change to a composed object, composite or claim in that minute by its writer (bench/scale/writes.ts);
 *  5. one activeRegion change: the time until every managed resource of one estate follows it, while N sit idle.
 *
 * Prints a table, writes bench/scale-results.json with the machine (cores, load averages before and after each N).
 *
 * Options (flag or environment): --n 10,50,200 (DRPLANE_SCALE_N), --timeout 3600 seconds per N to compose
 * (DRPLANE_SCALE_TIMEOUT_S), --steady 60 seconds (DRPLANE_SCALE_STEADY_S), --failover-timeout 600 seconds for the activeRegion
 * change (DRPLANE_SCALE_FAILOVER_TIMEOUT_S), --out FILE (DRPLANE_SCALE_OUT).
 * Needs the e2e tier's binaries: `bash scripts/tools.sh && bash scripts/e2e-tools.sh`, and `npm run build` (the
 * function's bundle) and `npm run build:lambda`. Not part of `npm test`.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { crossplaneArgs } from '../charts/bootstrap/crossplane.js';
import { FUNCTION_ARGS } from '../charts/bootstrap/runtime.js';
import { API_VERSION, DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../src/api/claim.js';
import type { ComposeOptions } from '../src/compose/index.js';
import { planClaim } from '../src/compose/plan.js';
import { lambdaDir, loadLambdaArtifacts } from '../src/function/artifacts.js';
import { startControlPlane, type ControlPlane } from '../test/e2e/support/control-plane.js';
import { condition, observe, settled, type ObserveTarget } from '../test/e2e/support/observation.js';
import { connectionOf, startProviderStatusStandIn, type Connection } from '../test/e2e/support/provider-status-stand-in.js';
import { loadCrdIndex, typeKey, type CrdIndex } from '../test/e2e/support/schema.js';
import { plannedKinds } from '../test/e2e/support/watched-kinds.js';
import { repoPath } from '../test/support/paths.js';
import { apiserverBetween, scrapeApiserver } from './scale/apiserver.js';
import { Census, type CountedKind } from './scale/census.js';
import { commandLineFlag, machineFacts, readProc, type ProcReading } from './scale/procs.js';
import { histogram, quantile, scrape, since, total, type Sample } from './scale/prometheus.js';
import { watchWrites } from './scale/writes.js';

const GROUP = 'drplane.io';

/** A flag's value (`--name value` or `--name=value`), else the environment variable, else the default. */
function option(name: string, variable: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i >= 0) return args[i]!.includes('=') ? args[i]!.slice(name.length + 3) : (args[i + 1] ?? '');
  return process.env[variable] || fallback;
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} ${JSON.stringify(text)} is not a whole number above 0`);
  return n;
}

class UsageError extends Error {}

/** Estates per kubectl apply while applying them all. */
const APPLY_BATCH = 25;

const CONFIG = (() => {
  try {
    return config();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`bench:scale: ${err.message}`);
    process.exit(2);
  }
})();

function config() {
  const ns = option('n', 'DRPLANE_SCALE_N', '10,50,200')
    .split(',')
    .map((s) => positive('n', s.trim()));
  return {
    ns,
    timeoutS: positive('timeout', option('timeout', 'DRPLANE_SCALE_TIMEOUT_S', '3600')),
    steadyS: positive('steady', option('steady', 'DRPLANE_SCALE_STEADY_S', '60')),
    failoverTimeoutS: positive('failover-timeout', option('failover-timeout', 'DRPLANE_SCALE_FAILOVER_TIMEOUT_S', '600')),
    out: option('out', 'DRPLANE_SCALE_OUT', repoPath('bench', 'scale-results.json')),
  };
}

const log = (message: string) => process.stderr.write(`bench:scale ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const round = (n: number | undefined, digits = 2) =>
  n === undefined || !Number.isFinite(n) ? undefined : Number(n.toFixed(digits));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One example claim of the mix. */
interface Example {
  readonly file: string;
  readonly text: string;
  readonly claim: DisasterRecoveryClaim;
}

/** One estate of a run. */
interface Estate {
  readonly example: Example;
  readonly namespace: string;
  readonly text: string;
  readonly claim: DisasterRecoveryClaim;
  /** Objects its plan composes, nested composites included (kinds the API server serves). */
  readonly planned: number;
}

/** The example claims, in file order: the mix the estates cycle through. */
function loadExamples(): Example[] {
  const dir = repoPath('examples');
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  return files.map((path) => {
    const text = readFileSync(path, 'utf8');
    const claim = DisasterRecoveryClaimSchema.parse(parseDocument(text).toJS());
    return { file: path.slice(path.lastIndexOf('/') + 1), text, claim };
  });
}

/** The claim's YAML in another namespace. */
function inNamespace(text: string, namespace: string): string {
  const doc = parseDocument(text);
  doc.setIn(['metadata', 'namespace'], namespace);
  return doc.toString();
}

/** Objects of a claim's plan whose kinds the API server serves. */
function plannedCount(claim: DisasterRecoveryClaim, crds: CrdIndex, options: ComposeOptions): number {
  return planClaim(claim, undefined, options).filter((p) => crds.has(typeKey(p.manifest.apiVersion, p.manifest.kind))).length;
}

/** The kinds to count: every served kind of the mix's plans (composites and managed resources). */
function countedKinds(claims: readonly DisasterRecoveryClaim[], crds: CrdIndex, options: ComposeOptions): CountedKind[] {
  const kinds = new Map<string, CountedKind>();
  for (const claim of claims) {
    for (const { manifest } of planClaim(claim, undefined, options)) {
      const served = crds.get(typeKey(manifest.apiVersion, manifest.kind));
      if (served)
        kinds.set(typeKey(manifest.apiVersion, manifest.kind), {
          apiVersion: manifest.apiVersion,
          plural: served.resource.slice(0, served.resource.indexOf('.')),
        });
    }
  }
  return [...kinds.values()];
}

/** Everything read at one moment: the processes, the function's and Crossplane core's metrics. */
interface Snapshot {
  readonly at: number;
  readonly procs: Readonly<Record<string, ProcReading>>;
  readonly fn: readonly Sample[];
  readonly core: readonly Sample[];
  /** kube-apiserver's own metrics (empty when it did not answer). */
  readonly api: readonly Sample[];
}

async function snapshot(cp: ControlPlane, api: Connection): Promise<Snapshot> {
  const procs: Record<string, ProcReading> = {};
  for (const p of cp.processes) {
    const r = readProc(p.pid);
    if (r) procs[p.name] = r;
  }
  const self = readProc(process.pid);
  if (self) procs['bench (stand-in, observer)'] = self;
  const [fn, core, apiSamples] = await Promise.all([
    scrape(cp.functionMetricsUrl),
    scrape(cp.crossplaneMetricsUrl),
    scrapeApiserver(api),
  ]);
  return { at: performance.now(), procs, fn, core, api: apiSamples };
}

const FN_DURATION = 'drplane_function_run_duration_seconds';
const FN_ERRORS = 'drplane_function_run_errors_total';
const CORE_DURATION = 'function_run_function_seconds';
const CORE_RESPONSES = 'function_run_function_response_total';
const RECONCILES = 'controller_runtime_reconcile_total';

/** RunFunction between two snapshots, as the function and as Crossplane core saw it. */
function runFunctionBetween(a: Snapshot, b: Snapshot) {
  const fn = since(histogram(b.fn, FN_DURATION), histogram(a.fn, FN_DURATION));
  const core = since(histogram(b.core, CORE_DURATION), histogram(a.core, CORE_DURATION));
  const errorsByReason: Record<string, number> = {};
  for (const s of b.fn.filter((x) => x.name === FN_ERRORS)) {
    const before = total(a.fn, FN_ERRORS, (l) => l.reason === s.labels.reason && l.composite_kind === s.labels.composite_kind);
    const key = `${s.labels.composite_kind}/${s.labels.reason}`;
    if (s.value - before > 0) errorsByReason[key] = (errorsByReason[key] ?? 0) + s.value - before;
  }
  const byCode = (snap: Snapshot) => {
    const out: Record<string, number> = {};
    for (const s of snap.core.filter((x) => x.name === CORE_RESPONSES)) {
      const key = `${s.labels.grpc_code}/${s.labels.result_severity}`;
      out[key] = (out[key] ?? 0) + s.value;
    }
    return out;
  };
  const codesBefore = byCode(a);
  const responses = Object.fromEntries(
    Object.entries(byCode(b))
      .map(([k, v]) => [k, v - (codesBefore[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
  const ms = (s: number | undefined) => round(s === undefined ? undefined : s * 1000);
  return {
    calls: fn.count,
    p50Ms: ms(quantile(fn, 0.5)),
    p99Ms: ms(quantile(fn, 0.99)),
    meanMs: ms(fn.count > 0 ? fn.sum / fn.count : undefined),
    errors: Object.values(errorsByReason).reduce((x, y) => x + y, 0),
    errorsByReason,
    crossplaneSide: {
      calls: core.count,
      p50Ms: ms(quantile(core, 0.5)),
      p99Ms: ms(quantile(core, 0.99)),
      responsesByCodeAndSeverity: responses,
      notOk: Object.entries(responses)
        .filter(([k]) => !k.startsWith('OK/'))
        .reduce((x, [, v]) => x + v, 0),
    },
  };
}

/** CPU seconds each process used between two snapshots. */
function cpuBetween(a: Snapshot, b: Snapshot): Record<string, number> {
  return Object.fromEntries(
    Object.entries(b.procs).map(([name, r]) => [name, round(r.cpuSeconds - (a.procs[name]?.cpuSeconds ?? 0))!]),
  );
}

/** Reconciles by controller between two snapshots of Crossplane core. */
function reconcilesBetween(a: Snapshot, b: Snapshot): { total: number; byController: Record<string, number> } {
  const byController: Record<string, number> = {};
  for (const s of b.core.filter((x) => x.name === RECONCILES)) {
    const before = total(a.core, RECONCILES, (l) => l.controller === s.labels.controller && l.result === s.labels.result);
    const d = s.value - before;
    if (d > 0) byController[s.labels.controller ?? '?'] = (byController[s.labels.controller ?? '?'] ?? 0) + d;
  }
  return { total: Object.values(byController).reduce((x, y) => x + y, 0), byController };
}

/** Items waiting in Crossplane core's work queues. */
const queueDepth = (s: Snapshot) => total(s.core, 'workqueue_depth');

/** Size of etcd's database file (bbolt), read from the data directory on its command line. */
function etcdDbBytes(cp: ControlPlane): number | undefined {
  const etcd = cp.processes.find((p) => p.name === 'etcd');
  const dir = etcd ? commandLineFlag(etcd.pid, 'data-dir') : undefined;
  try {
    return dir ? statSync(join(dir, 'member', 'snap', 'db')).size : undefined;
  } catch {
    return undefined;
  }
}

/** Installs the XRDs and Compositions and waits until every XRD is Established (and Offered where it has a claim). */
async function installApis(cp: ControlPlane): Promise<void> {
  const apis = repoPath('compositions', 'apis');
  const folders = readdirSync(apis, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(apis, d.name, 'definition.yaml')))
    .map((d) => join(apis, d.name));
  await cp.kubectl.applyServerSide(folders.map((d) => join(d, 'definition.yaml')));
  await cp.kubectl.applyServerSide(folders.map((d) => join(d, 'composition.yaml')));
  const deadline = performance.now() + 300_000;
  for (;;) {
    const list = await cp.kubectl.list('compositeresourcedefinitions.apiextensions.crossplane.io');
    const pending = list.filter(
      (x) => condition(x, 'Established')?.status !== 'True' || (x.spec.claimNames && condition(x, 'Offered')?.status !== 'True'),
    );
    if (list.length === folders.length && pending.length === 0) return;
    if (performance.now() > deadline) throw new Error(`XRDs not established: ${pending.map((x) => x.metadata.name).join(', ')}`);
    await sleep(2_000);
  }
}

/** Claims that are Ready, of every namespace. */
async function readyClaims(cp: ControlPlane): Promise<number> {
  const claims = await cp.kubectl.list(`disasterrecoveries.${GROUP}`, { allNamespaces: true });
  return claims.filter((c) => condition(c, 'Ready')?.status === 'True').length;
}

/** One N: a fresh control plane, N estates, every measurement; the control plane is stopped afterwards. */
async function runOnce(n: number, mix: readonly Example[], coreArgs: readonly string[], fnArgs: readonly string[]) {
  const machineBefore = machineFacts();
  log(`N=${n}: starting the control plane (load ${machineBefore.loadavg.join(' ')})`);
  const lambdas = loadLambdaArtifacts(lambdaDir());
  if (lambdas.notes.length > 0) throw new Error(`Lambda zips missing (npm run build:lambda): ${lambdas.notes.join('; ')}`);
  const options: ComposeOptions = { artifacts: lambdas.artifacts };
  const cp = await startControlPlane({
    lambdaDir: lambdaDir(),
    artifactsSubdir: `scale-${n}`,
    functionBundle: repoPath('dist', 'function.mjs'),
    crossplaneArgs: coreArgs,
    functionArgs: fnArgs,
    // Debug logging would bill Crossplane core for writing its log.
    crossplaneDebug: false,
  });
  const api = connectionOf(cp.kubeconfig);
  let standIn: ReturnType<typeof startProviderStatusStandIn> | undefined;
  let census: Census | undefined;
  try {
    await installApis(cp);
    const crds = await loadCrdIndex(cp.kubectl);
    const estates: Estate[] = Array.from({ length: n }, (_, i) => {
      const example = mix[i % mix.length]!;
      const namespace = `scale-${String(i).padStart(3, '0')}`;
      const text = inNamespace(example.text, namespace);
      const claim = DisasterRecoveryClaimSchema.parse(parseDocument(text).toJS());
      return { example, namespace, text, claim, planned: plannedCount(claim, crds, options) };
    });
    const used = [...new Set(estates.map((e) => e.example))];
    const counted = countedKinds(
      used.map((e) => e.claim),
      crds,
      options,
    );
    census = new Census(cp.kubeconfig, counted);
    standIn = startProviderStatusStandIn(
      cp.kubeconfig,
      plannedKinds(
        used.map((e) => e.claim),
        crds,
        options,
      ),
    );
    const start = await snapshot(cp, api);

    // 1. Apply every estate at once: one kubectl apply per APPLY_BATCH estates, one after the other (at N=200 on a
    // loaded machine a single apply of every claim ran past its 15 minutes while Crossplane composed the first ones).
    log(`N=${n}: applying ${n} estates (${estates.reduce((s, e) => s + e.planned, 0)} planned objects)`);
    const t0 = performance.now();
    for (let i = 0; i < estates.length; i += APPLY_BATCH) {
      const stream = estates
        .slice(i, i + APPLY_BATCH)
        .flatMap((e) => [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${e.namespace}\n`, e.text])
        .join('\n---\n');
      await cp.kubectl.ok(['apply', '-f', '-'], { input: stream, timeoutMs: 900_000 });
      if (estates.length > APPLY_BATCH)
        log(`N=${n}: applied ${Math.min(i + APPLY_BATCH, n)} estates after ${round((performance.now() - t0) / 1000, 1)} s`);
    }
    const appliedSeconds = (performance.now() - t0) / 1000;

    // 2. Until every estate holds its whole plan, then until every claim is Ready.
    const composedAt = new Map<string, number>();
    const timeline: { seconds: number; composedObjects: number; estatesComplete: number; readyClaims?: number }[] = [];
    let composedSeconds: number | undefined;
    let readySeconds: number | undefined;
    let lastCounts = new Map<string, number>();
    const deadline = t0 + CONFIG.timeoutS * 1000;
    while (performance.now() < deadline) {
      // An overloaded API server may not answer a list in time: a missed sample, not the end of the run.
      const counted = await census.count().catch((err: unknown) => {
        log(`N=${n}: census missed a sample: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
      if (!counted) {
        await sleep(5_000);
        continue;
      }
      const { byNamespace } = counted;
      lastCounts = byNamespace;
      const seconds = (performance.now() - t0) / 1000;
      for (const e of estates) {
        if (!composedAt.has(e.namespace) && (byNamespace.get(e.namespace) ?? 0) >= e.planned)
          composedAt.set(e.namespace, seconds);
      }
      const entry = {
        seconds: round(seconds, 1)!,
        composedObjects: [...byNamespace.values()].reduce((x, y) => x + y, 0),
        estatesComplete: composedAt.size,
      } as (typeof timeline)[number];
      if (composedAt.size === n && composedSeconds === undefined) composedSeconds = seconds;
      if (composedSeconds !== undefined) {
        entry.readyClaims = await readyClaims(cp).catch(() => undefined);
        if (entry.readyClaims === n) readySeconds = (performance.now() - t0) / 1000;
      }
      timeline.push(entry);
      log(
        `N=${n}: ${entry.seconds}s composed ${entry.composedObjects} objects, ${entry.estatesComplete}/${n} estates complete${entry.readyClaims !== undefined ? `, ${entry.readyClaims} claims Ready` : ''}`,
      );
      if (readySeconds !== undefined) break;
      await sleep(n >= 100 ? 10_000 : 5_000);
    }
    const composed = await snapshot(cp, api);
    const completions = [...composedAt.values()].sort((a, b) => a - b);

    // 3. At rest: let the queues drain for half a minute, then a steady interval.
    log(`N=${n}: composed in ${round(composedSeconds, 1)} s, Ready in ${round(readySeconds, 1)} s; resting`);
    await sleep(30_000);
    // Who changes what while nothing should change: the composites, the claims and every counted kind.
    const writes = await watchWrites(cp.kubeconfig, [
      ...counted,
      { apiVersion: API_VERSION, plural: 'xdisasterrecoveries' },
      { apiVersion: API_VERSION, plural: 'disasterrecoveries' },
    ]);
    const restStart = await snapshot(cp, api);
    let maxDepth = queueDepth(restStart);
    const restEnd = await (async () => {
      const until = performance.now() + CONFIG.steadyS * 1000;
      let last = restStart;
      while (performance.now() < until) {
        await sleep(Math.min(5_000, Math.max(0, until - performance.now())));
        last = await snapshot(cp, api);
        maxDepth = Math.max(maxDepth, queueDepth(last));
      }
      return last;
    })();
    const restSeconds = (restEnd.at - restStart.at) / 1000;
    const restWrites = writes.stop();
    const restReconciles = reconcilesBetween(restStart, restEnd);
    const restRun = runFunctionBetween(restStart, restEnd);
    const restCpu = cpuBetween(restStart, restEnd);

    // 4. One activeRegion change while the other estates sit idle (not when they never finished composing).
    const failover =
      readySeconds === undefined
        ? { skipped: 'the estates did not finish composing' }
        : await activeRegionChange(cp, crds, options, estates);
    const end = await snapshot(cp, api);

    const byExample: Record<string, { estates: number; plannedObjects: number }> = {};
    for (const e of estates)
      byExample[e.example.file] = { estates: (byExample[e.example.file]?.estates ?? 0) + 1, plannedObjects: e.planned };
    const totalComposed = [...lastCounts.values()].reduce((x, y) => x + y, 0);
    const result = {
      n,
      machine: { before: machineBefore, after: machineFacts() },
      crossplaneArgs: coreArgs,
      functionArgs: fnArgs,
      applySeconds: round(appliedSeconds, 1),
      composedSeconds: round(composedSeconds, 1),
      readySeconds: round(readySeconds, 1),
      timedOut: readySeconds === undefined,
      estatesComposed: composedAt.size,
      estateComposedSeconds: {
        first: round(completions[0], 1),
        p50: round(completions[Math.floor(completions.length / 2)], 1),
        last: round(completions.at(-1), 1),
      },
      objects: {
        composedTotal: totalComposed,
        perEstateMean: round(totalComposed / n, 1),
        plannedPerExample: byExample,
        etcdDbMb: round((etcdDbBytes(cp) ?? NaN) / 1024 / 1024, 1),
      },
      runFunctionCompose: runFunctionBetween(start, composed),
      apiserverCompose: apiserverBetween(start.api, composed.api),
      cpuSecondsCompose: cpuBetween(start, composed),
      cpuSecondsTotal: Object.fromEntries(Object.entries(end.procs).map(([k, r]) => [k, round(r.cpuSeconds)])),
      peakRssMb: Object.fromEntries(Object.entries(end.procs).map(([k, r]) => [k, round(r.peakRssMb, 1)])),
      rest: {
        seconds: round(restSeconds, 1),
        reconcilesPerSecond: round(restReconciles.total / restSeconds),
        reconcilesByController: restReconciles.byController,
        runFunctionPerSecond: round(restRun.calls / restSeconds),
        runFunction: restRun,
        cpuCoresUsed: Object.fromEntries(Object.entries(restCpu).map(([k, v]) => [k, round(v / restSeconds, 3)])),
        maxWorkQueueDepth: maxDepth,
        writes: restWrites,
        apiserver: apiserverBetween(restStart.api, restEnd.api, 8),
      },
      activeRegionChange: failover,
      standInErrors: standIn.errors.slice(-5),
      timeline,
    };
    return result;
  } finally {
    standIn?.stop();
    census?.close();
    api.agent.destroy();
    api.watchAgent.destroy();
    await cp.stop();
  }
}

/**
 * Changes activeRegion of one estate (a payments estate when the mix has one) and times until every resource of it
 * follows: the composite's and the claim's status show the new region, and every composed object equals what the
 * function composes and what the plan says (test/e2e/support/observation.ts, listing only that estate's objects).
 */
async function activeRegionChange(cp: ControlPlane, crds: CrdIndex, options: ComposeOptions, estates: readonly Estate[]) {
  const estate =
    estates.find((e) => e.example.file === 'payments.yaml') ?? estates.find((e) => e.claim.spec.regions.secondaries.length > 0);
  if (!estate) return { skipped: 'no estate with two regions' };
  const from = estate.claim.spec.activeRegion ?? estate.claim.spec.regions.primary;
  const to = [estate.claim.spec.regions.primary, ...estate.claim.spec.regions.secondaries].find((r) => r !== from)!;
  const doc = parseDocument(estate.text);
  doc.setIn(['spec', 'activeRegion'], to);
  const claim = DisasterRecoveryClaimSchema.parse(doc.toJS());
  const target: ObserveTarget = {
    kubectl: cp.kubectl,
    crds,
    group: GROUP,
    claimResource: `disasterrecoveries.${GROUP}`,
    compositeResource: `xdisasterrecoveries.${GROUP}`,
    composeOptions: options,
    byClaimNamespace: true,
  };
  const before = planClaim(estate.claim, undefined, options);
  const after = planClaim(claim, undefined, options);
  const old = new Map(before.map((p) => [`${p.parent}:${p.key}`, JSON.stringify(p.manifest.spec)]));
  const following = after.filter(
    (p) => old.has(`${p.parent}:${p.key}`) && old.get(`${p.parent}:${p.key}`) !== JSON.stringify(p.manifest.spec),
  );
  log(`activeRegion ${from} → ${to} on ${estate.namespace}/${claim.metadata.name} (${following.length} resources follow it)`);
  const t0 = performance.now();
  await cp.kubectl.applyYaml(doc.toString());
  const deadline = t0 + CONFIG.failoverTimeoutS * 1000;
  let waitingFor = '';
  while (performance.now() < deadline) {
    try {
      const o = await observe(target, claim.metadata.name, estate.namespace, claim);
      const done =
        o.composite.status?.activeRegion === to &&
        o.claim.status?.activeRegion === to &&
        settled(o) &&
        o.waiting.length === 0 &&
        condition(o.claim, 'Ready')?.status === 'True';
      if (done) {
        return {
          estate: `${estate.namespace}/${claim.metadata.name}`,
          from,
          to,
          resourcesFollowing: following.length,
          seconds: round((performance.now() - t0) / 1000, 1),
        };
      }
      waitingFor = JSON.stringify({
        changed: [...o.undeliveredChanges.keys()].slice(0, 5),
        undelivered: o.undelivered.slice(0, 5),
        statusRegion: o.composite.status?.activeRegion,
      });
    } catch (err) {
      waitingFor = err instanceof Error ? err.message : String(err);
    }
    await sleep(1_000);
  }
  return { estate: `${estate.namespace}/${claim.metadata.name}`, from, to, timedOut: true, waitingFor };
}

type RunResult = Awaited<ReturnType<typeof runOnce>>;

/**
 * Where it bends: the first N whose seconds per estate (composed) exceed 1.5 times the smallest N's, and the component
 * that used the most CPU while that N composed, with its share of the machine's cores.
 */
function knee(runs: readonly RunResult[]) {
  const perEstate = runs.map((r) => ({
    n: r.n,
    secondsPerEstate: r.composedSeconds === undefined ? Infinity : r.composedSeconds / r.n,
  }));
  const base = perEstate[0]?.secondsPerEstate ?? Infinity;
  const bend = perEstate.slice(1).find((p) => p.secondsPerEstate > 1.5 * base);
  const at = runs.find((r) => r.n === (bend?.n ?? runs.at(-1)?.n));
  const busiest = at
    ? Object.entries(at.cpuSecondsCompose)
        .sort((a, b) => b[1] - a[1])
        .map(([name, cpu]) => ({
          name,
          cpuSeconds: cpu,
          coresUsed: round(cpu / (at.composedSeconds ?? at.readySeconds ?? CONFIG.timeoutS), 2),
        }))
    : [];
  return {
    secondsPerEstate: perEstate.map((p) => ({ n: p.n, seconds: round(p.secondsPerEstate, 2) })),
    kneeAtN: bend?.n,
    busiestComponentAtN: at?.n,
    busiest: busiest.slice(0, 3),
  };
}

const fmt = (v: unknown) => (v === undefined || v === null ? '–' : String(v));

function printTable(runs: readonly RunResult[]): void {
  const names = ['etcd', 'kube-apiserver', 'crossplane', 'function', 'kube-controller-manager', 'bench (stand-in, observer)'];
  const rows: [string, (r: RunResult) => unknown][] = [
    ['estates', (r) => r.n],
    ['composed objects', (r) => r.objects.composedTotal],
    ['objects per estate (mean)', (r) => r.objects.perEstateMean],
    ['all composed (s)', (r) => r.composedSeconds],
    ['all claims Ready (s)', (r) => r.readySeconds],
    ['RunFunction calls (compose)', (r) => r.runFunctionCompose.calls],
    ['RunFunction p50 / p99 ms (function)', (r) => `${fmt(r.runFunctionCompose.p50Ms)} / ${fmt(r.runFunctionCompose.p99Ms)}`],
    [
      'RunFunction p50 / p99 ms (Crossplane)',
      (r) => `${fmt(r.runFunctionCompose.crossplaneSide.p50Ms)} / ${fmt(r.runFunctionCompose.crossplaneSide.p99Ms)}`,
    ],
    [
      'function errors / not-OK calls',
      (r) =>
        `${r.runFunctionCompose.errors + r.rest.runFunction.errors} / ${r.runFunctionCompose.crossplaneSide.notOk + r.rest.runFunction.crossplaneSide.notOk}`,
    ],
    ...names.map((p) => [`CPU s compose: ${p}`, (r: RunResult) => r.cpuSecondsCompose[p]] as [string, (r: RunResult) => unknown]),
    ...names.map((p) => [`peak RSS MB: ${p}`, (r: RunResult) => r.peakRssMb[p]] as [string, (r: RunResult) => unknown]),
    ['etcd DB MB', (r) => r.objects.etcdDbMb],
    ['at rest: reconciles/s', (r) => r.rest.reconcilesPerSecond],
    ['at rest: RunFunction/s', (r) => r.rest.runFunctionPerSecond],
    ['at rest: max work queue depth', (r) => r.rest.maxWorkQueueDepth],
    [
      'activeRegion → every MR (s)',
      (r) => ('seconds' in r.activeRegionChange ? r.activeRegionChange.seconds : 'timed out/skipped'),
    ],
    ['load avg before → after (1 min)', (r) => `${r.machine.before.loadavg[0]} → ${r.machine.after.loadavg[0]}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, get] of rows) console.log(`${label.padEnd(width)}  ${runs.map((r) => fmt(get(r)).padStart(14)).join('')}`);
}

async function main(): Promise<void> {
  const mix = loadExamples();
  const coreArgs = option('crossplane-args', 'DRPLANE_SCALE_CROSSPLANE_ARGS', crossplaneArgs().join(' '))
    .split(' ')
    .filter((a) => a !== '');
  const fnArgs = option('function-args', 'DRPLANE_SCALE_FUNCTION_ARGS', FUNCTION_ARGS.join(' '))
    .split(' ')
    .filter((a) => a !== '');
  const runs: RunResult[] = [];
  const machine = machineFacts();
  const write = () =>
    writeFileSync(
      CONFIG.out,
      `${JSON.stringify({ machine: { ...machine, node: process.version }, config: { ...CONFIG, crossplaneArgs: coreArgs, functionArgs: fnArgs, mix: mix.map((e) => e.file) }, runs, knee: knee(runs) }, null, 2)}\n`,
    );
  for (const n of CONFIG.ns) {
    runs.push(await runOnce(n, mix, coreArgs, fnArgs));
    write();
  }
  console.log(
    `machine: ${machine.nproc} cores (${machine.cpuModel}), ${machine.memTotalMb} MB; Crossplane core ${coreArgs.join(' ')}; function ${fnArgs.join(' ')}`,
  );
  printTable(runs);
  for (const r of runs)
    console.log(
      `N=${r.n} at rest, changes in ${r.rest.writes.seconds} s by kind <- writer: ${JSON.stringify(Object.fromEntries(Object.entries(r.rest.writes.modified).slice(0, 10)))}`,
    );
  for (const r of runs) {
    const a = r.apiserverCompose;
    if ('unavailable' in a) continue;
    console.log(
      `N=${r.n} kube-apiserver while composing: ${a.requests} requests, ${a.handlerSeconds} handler s; top: ${a.top
        .slice(0, 8)
        .map((t) => `${t.verb} ${t.resource} ${t.requests}× ${t.seconds} s`)
        .join('; ')}`,
    );
  }
  const k = knee(runs);
  const busiest = `busiest at N=${k.busiestComponentAtN}: ${k.busiest.map((b) => `${b.name} ${b.coresUsed} cores`).join(', ')}`;
  const timedOut = runs.filter((r) => r.composedSeconds === undefined).map((r) => r.n);
  console.log(
    runs.length < 2
      ? `one N only: no knee to compare against${timedOut.length > 0 ? ` (N=${timedOut.join(', ')} did not compose within the timeout)` : ''}; ${busiest}`
      : k.kneeAtN
        ? `knee: seconds per estate at N=${k.kneeAtN} exceed 1.5× those at N=${runs[0]!.n}; busiest there: ${k.busiest.map((b) => `${b.name} ${b.coresUsed} cores`).join(', ')}`
        : `no knee up to N=${runs.at(-1)?.n} (seconds per estate within 1.5× of N=${runs[0]?.n}); ${busiest}`,
  );
  console.log(`written to ${CONFIG.out}`);
}

main().catch((err) => {
  console.error(
    err instanceof UsageError
      ? `bench:scale: ${err.message}`
      : `bench:scale failed: ${err instanceof Error ? err.stack : String(err)}`,
  );
  process.exit(err instanceof UsageError ? 2 : 1);
});
