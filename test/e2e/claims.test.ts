/**
 * End-to-end tier: every claim in claims/ through a real control plane — etcd, kube-apiserver, the garbage
 * collector, Crossplane core v2.3.4 and our composition function over mutual TLS, all on loopback (see
 * support/control-plane.ts). No provider runs: a stand-in for the provider's status writer
 * (support/provider-status-stand-in.ts) writes the ARNs, ids and endpoints AWS would assign, and Ready, on every managed
 * resource, so every stage of every plan is composed; nothing reaches AWS.
 *
 * For each claim: `kubectl apply -f` reaches the composite, the nested primitive composites and every managed
 * resource of the plan; the cluster holds exactly what the function composes, every object is in `planClaim()` and
 * equals it (after the CRDs' defaults, but for values known only after creation), every composite reconciles, and
 * the claim becomes Ready with its endpoints in status; a change of
 * activeRegion reaches the composite's status, follows into whatever depends on it, and replaces nothing; production
 * keeps stateful resources with `deletionPolicy: Orphan`; deleting a test-profile claim removes the whole estate.
 * What may be missing from the cluster, and why, is explained in support/observation.ts.
 *
 * Run: `bash scripts/tools.sh && bash scripts/e2e-tools.sh && npm run test:e2e`. Process logs, the cluster's state,
 * timings and a report go to `$E2E_ARTIFACTS` (default test-artifacts/e2e). The claims are examples/ and then
 * test/e2e/claims/ (settings no example shows, such as routing.control arc with readiness); `E2E_CLAIMS_DIR` points it
 * at other claims instead.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { clearCommand } from '../../src/primitives/database/switchover.js';
import { lambdaDir, loadLambdaArtifacts } from '../../src/function/artifacts.js';
import { yamlFilesIn } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';
import { startControlPlane, type ControlPlane } from './support/control-plane.js';
import { idOfPath, keyOf, parentOf, ROOT_PATH, servedResources } from './support/estate.js';
import type { KubeObject, Kubectl } from './support/kubectl.js';
import {
  condition,
  lastWarning,
  warningsAbout,
  observe,
  settled,
  type Mismatch,
  type Observation,
  type ObserveTarget,
} from './support/observation.js';
import { startProviderStatusStandIn, type ProviderStatusStandIn } from './support/provider-status-stand-in.js';
import { loadCrdIndex, typeKey } from './support/schema.js';
import { plannedKinds } from './support/watched-kinds.js';
import { eventually } from './support/wait.js';

const GROUP = 'drplane.io';
const CLAIM_RESOURCE = `disasterrecoveries.${GROUP}`;
const COMPOSITE_RESOURCE = `xdisasterrecoveries.${GROUP}`;
/**
 * The folders whose claims are applied: examples/, then test/e2e/claims/ (e2e-only claims: settings no example shows,
 * which would change an example's golden and hand-computed cost); or only E2E_CLAIMS_DIR when it is set.
 */
const CLAIMS_DIRS = process.env.E2E_CLAIMS_DIR
  ? [resolve(process.env.E2E_CLAIMS_DIR)]
  : [repoPath('examples'), repoPath('test', 'e2e', 'claims')];
/**
 * Kinds that hold the estate's data, and the keys that encrypt it: stateful, so a production estate must outlive its
 * deletion. Written here, not taken from src/compose, so that the test checks the promise rather than repeating the
 * implementation. A KMS key is stateful where it sits beside a data store (the table's, the bucket's, the database's
 * key); the keys of code buckets, logs and topics are not.
 */
const DATA_KINDS = new Set([
  'rds.aws.upbound.io/GlobalCluster',
  'rds.aws.upbound.io/Cluster',
  'rds.aws.upbound.io/ClusterInstance',
  'dynamodb.aws.upbound.io/Table',
  'dynamodb.aws.upbound.io/TableReplica',
  'backup.aws.upbound.io/Vault',
]);
const KEY_KINDS = new Set(['kms.aws.upbound.io/Key', 'kms.aws.upbound.io/ReplicaKey']);
/** Primitive composites whose buckets hold data (not code): the replicated buckets of the claim. */
const DATA_BUCKET_COMPOSITES = new Set(['XReplicatedBucket']);
/**
 * How long a claim may take to settle, every stage composed and the claim Ready: 20–60 s for the examples on 2 busy
 * cores, about 140-260 s for three-region (539 resources, readiness climbing through the nested composites), 37 s for
 * test/e2e/claims/arc-readiness.yaml (159).
 */
const SETTLE_MS = 300_000;

const isReady = (o: KubeObject) => condition(o, 'Ready')?.status === 'True';

const groupKind = (o: KubeObject) => `${o.apiVersion.split('/')[0]}/${o.kind}`;

/** With a service, routing.control arc and routing.arc.readiness: ARC readiness checks, a cell per region. */
const checksReadiness = (claim: DisasterRecoveryClaim): boolean =>
  claim.spec.service !== undefined && claim.spec.routing?.control === 'arc' && claim.spec.routing.arc?.readiness === true;
/** With readiness checks and monitoring: each region's lag monitor reports its cell's readiness for the claim's status. */
const reportsReadiness = (claim: DisasterRecoveryClaim): boolean => checksReadiness(claim) && claim.spec.monitoring !== undefined;

/** The name of the ARC readiness Cell composed for `region` (its external name), as the cluster holds it. */
function cellIn(o: Observation, region: string): string | undefined {
  const cell = [...o.composed].find(
    ([id, x]) => groupKind(x) === 'route53recoveryreadiness.aws.upbound.io/Cell' && keyOf(id).endsWith(`-${region}`),
  )?.[1];
  return cell?.metadata.annotations?.['crossplane.io/external-name'];
}

/**
 * The endpoints a Ready claim's status shows per region, in the formats AWS uses (the stand-in's values): the
 * service's URL, the Aurora writer and reader, the Route 53 health check's id, with routing.control arc and
 * routing.arc.readiness the region's readiness cell (the Cell in the cluster) and, with monitoring, the region's
 * readiness as its lag monitor reported it (`report`; by default none yet: the stand-in writes no Description on the
 * observed report parameter, as AWS has none before the monitor's first run), and `ready`.
 */
function expectedEndpoints(
  claim: DisasterRecoveryClaim,
  o: Observation,
  report: (region: string) => unknown = () => ({
    state: 'UNKNOWN',
    reason: expect.stringContaining('has no report (its lag monitor has not written one yet)'),
  }),
): Record<string, unknown> {
  const regions = [claim.spec.regions.primary, ...claim.spec.regions.secondaries];
  const readiness = checksReadiness(claim);
  return Object.fromEntries(
    regions.map((r) => [
      r,
      {
        ...(claim.spec.service
          ? {
              serviceUrl: expect.stringMatching(
                new RegExp(`^https://[a-z0-9]+\\.(execute-api\\.${r}\\.amazonaws\\.com|lambda-url\\.${r}\\.on\\.aws)/$`),
              ),
            }
          : {}),
        ...(claim.spec.database
          ? {
              databaseWriter: expect.stringMatching(new RegExp(`\\.cluster-[a-z0-9]{12}\\.${r}\\.rds\\.amazonaws\\.com$`)),
              databaseReader: expect.stringMatching(new RegExp(`\\.cluster-ro-[a-z0-9]{12}\\.${r}\\.rds\\.amazonaws\\.com$`)),
            }
          : {}),
        ...(claim.spec.routing && claim.spec.service
          ? { healthCheckId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/) }
          : {}),
        ...(readiness ? { readinessCell: cellIn(o, r) ?? `<no Cell composed for ${r}>` } : {}),
        ...(reportsReadiness(claim) ? { readiness: report(r) } : {}),
        // The node group's readiness, its status and its Auto Scaling group, as the stand-in writes them (the counts come
        // from fields it does not write).
        ...(claim.spec.kubernetes
          ? {
              clusterNodes: {
                ready: true,
                status: 'ACTIVE',
                autoScalingGroup: expect.stringMatching(
                  /^eks-[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
                ),
              },
            }
          : {}),
        ready: true,
      },
    ]),
  );
}

/** The stateful objects of an observation by id (see DATA_KINDS). */
function statefulOf(o: Observation): Map<string, KubeObject> {
  const parentKind = (id: string) => (parentOf(id) === ROOT_PATH ? undefined : o.composed.get(idOfPath(parentOf(id)))?.kind);
  const isData = (id: string, x: KubeObject) =>
    DATA_KINDS.has(groupKind(x)) ||
    (groupKind(x) === 's3.aws.upbound.io/Bucket' && DATA_BUCKET_COMPOSITES.has(parentKind(id) ?? ''));
  const dataParents = new Set([...o.composed].filter(([id, x]) => isData(id, x)).map(([id]) => parentOf(id)));
  return new Map(
    [...o.composed].filter(([id, x]) => isData(id, x) || (KEY_KINDS.has(groupKind(x)) && dataParents.has(parentOf(id)))),
  );
}

/**
 * One claim file: its YAML text as written (what kubectl applies; edited as a person edits it in git, so quoting
 * such as `type: "N"` survives for kubectl's YAML 1.1 reader) and the claim as src/api reads it (what the plan uses).
 */
interface ClaimCase {
  /** The file's name, which names the case (unique across CLAIMS_DIRS). */
  readonly file: string;
  /** The file's path. */
  readonly path: string;
  readonly name: string;
  readonly namespace: string;
  text: string;
  claim: DisasterRecoveryClaim;
}

function loadCase(path: string): ClaimCase {
  const text = readFileSync(path, 'utf8');
  const claim = DisasterRecoveryClaimSchema.parse(parseDocument(text).toJS());
  return { file: basename(path), path, name: claim.metadata.name, namespace: claim.metadata.namespace, text, claim };
}

/** The claim's YAML with one field set, everything else (comments, quoting) as written. */
function withField(text: string, path: readonly string[], value: unknown): string {
  const doc = parseDocument(text);
  doc.setIn(path, value);
  return doc.toString();
}

const cases = CLAIMS_DIRS.flatMap((dir) => yamlFilesIn(dir)).map(loadCase);
/** The Lambda zips: the function process and the test's own compose read the same folder. */
const LAMBDA_DIR = lambdaDir();
const lambdas = loadLambdaArtifacts(LAMBDA_DIR);
const caseOf = (file: string) => cases.find((c) => c.file === file)!;

let cp: ControlPlane;
let target: ObserveTarget;
let standIn: ProviderStatusStandIn | undefined;
/** The latest settled observation of each claim, by file. */
const estates = new Map<string, Observation>();
const report: Record<string, any> = { claims: {} };

/**
 * Observes until `done` holds or SETTLE_MS pass, and returns the last observation either way: the assertions that
 * follow say exactly what is off.
 */
async function settle(c: ClaimCase, claim: DisasterRecoveryClaim, done: (o: Observation) => boolean): Promise<Observation> {
  let last: Observation | undefined;
  let waitingFor = '';
  const start = performance.now();
  try {
    await eventually(
      `the estate of ${c.file} to settle`,
      async (state) => {
        last = await observe(target, c.name, c.namespace, claim);
        if (done(last)) return last;
        waitingFor = JSON.stringify({
          undelivered: last.undelivered,
          leftOver: last.leftOver,
          changed: [...last.undeliveredChanges.keys()],
          syncProblems: last.syncProblems,
          activeRegion: { composite: last.composite.status?.activeRegion, claim: last.claim.status?.activeRegion },
        });
        state.last = waitingFor;
        return undefined;
      },
      { timeoutMs: SETTLE_MS, intervalMs: 1_000 },
    );
  } catch (err) {
    if (!last) throw err;
  }
  const seconds = Math.round(performance.now() - start) / 1000;
  // What a slow settle waited for, so that a slow reconcile shows in report.json.
  (report.claims[c.file] ??= {}).settles = [
    ...(report.claims[c.file].settles ?? []),
    { seconds, ...(seconds > 10 ? { waitingFor } : {}) },
  ];
  return last!;
}

const byId = (m: ReadonlyMap<string, Mismatch>, side: 'expected' | 'actual') =>
  Object.fromEntries([...m].map(([id, x]) => [id, x[side]]));

/** Asserts an observation: delivery, the plan, the whole plan composed, and that every composite reconciled. */
async function expectAsPlanned(o: Observation, kubectl: Kubectl): Promise<void> {
  expect(o.unplanned, 'composed resources that are not in the plan').toEqual([]);
  expect(o.undelivered, 'resources the function desires that are not in the cluster').toEqual([]);
  expect(o.leftOver, 'composed resources the function no longer desires').toEqual([]);
  expect(byId(o.undeliveredChanges, 'actual'), 'composed objects that differ from what the function desires').toEqual(
    byId(o.undeliveredChanges, 'expected'),
  );
  expect(
    Object.fromEntries([...o.planMismatches].map(([id, m]) => [id, m.paths])),
    'composed objects that differ from the plan (beyond values known after creation), by path',
  ).toEqual({});
  expect(o.waiting, 'planned resources not in the cluster (the stand-in reports every observed value)').toEqual([]);
  expect(o.composed.size, 'composed resources: 100% of the plan').toBe(o.planned.size);
  const problems: Record<string, string> = {};
  for (const [path, problem] of Object.entries(o.syncProblems)) {
    const object = path === 'claim' ? o.claim : path === ROOT_PATH ? o.composite : o.composed.get(idOfPath(path));
    const warning = object ? await lastWarning(kubectl, object) : undefined;
    problems[path] = warning ? `${problem} (last warning: ${warning})` : problem;
  }
  expect(problems, 'composites that did not reconcile their current spec').toEqual({});
}

async function ensureNamespace(kubectl: Kubectl, namespace: string): Promise<void> {
  if (!(await kubectl.get('namespace', namespace))) await kubectl.ok(['create', 'namespace', namespace]);
}

/** The folders under compositions/apis that hold a definition.yaml (each also has its composition.yaml), sorted. */
function apiFolders(apis: string): string[] {
  return readdirSync(apis, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(apis, d.name, 'definition.yaml')))
    .map((d) => d.name)
    .sort();
}

describe('e2e: claims on a real control plane', () => {
  beforeAll(async () => {
    const start = performance.now();
    cp = await startControlPlane({ lambdaDir: LAMBDA_DIR });
    report.lambdaZips = { dir: LAMBDA_DIR, loaded: Object.keys(lambdas.artifacts), notes: lambdas.notes };
    for (const note of lambdas.notes) console.warn(`e2e: ${note} (npm run build:lambda builds them)`);
    report.controlPlaneStartSeconds = Math.round(performance.now() - start) / 1000;
    report.controlPlaneSteps = cp.timings;
  }, 240_000);

  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && cp) {
      console.error(`last lines of the e2e control plane's logs (all of them: ${cp.artifactsDir}/logs):\n${cp.logTails(12)}`);
    }
  });

  afterAll(async () => {
    if (!cp) return;
    try {
      const state = await cp.kubectl.run([
        'get',
        'drplane,managed,functionrevisions.pkg.crossplane.io',
        '--all-namespaces',
        '--output',
        'yaml',
      ]);
      writeFileSync(join(cp.artifactsDir, 'cluster-state.yaml'), state.stdout + state.stderr);
      const events = await cp.kubectl.run(['get', 'events', '--all-namespaces', '--sort-by=.lastTimestamp']);
      writeFileSync(join(cp.artifactsDir, 'events.txt'), events.stdout + events.stderr);
      writeFileSync(join(cp.artifactsDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    } finally {
      standIn?.stop();
      await cp.stop();
    }
  }, 120_000);

  it('the Lambda zips are built, so code objects and functions are composed too (npm run build:lambda)', () => {
    expect(lambdas.notes, `Lambda zips in ${LAMBDA_DIR}`).toEqual([]);
  });

  it('claims/ holds at least one claim', () => {
    expect(cases.length, `no *.yaml claim in ${CLAIMS_DIRS.join(', ')}`).toBeGreaterThan(0);
    const files = cases.map((c) => c.file);
    expect(
      files.filter((f, i) => files.indexOf(f) !== i),
      'claim file names seen twice (a case is named by its file)',
    ).toEqual([]);
  });

  it('the XRDs become Established (and Offered, for the claim) and their Compositions are accepted', async () => {
    const apis = repoPath('compositions', 'apis');
    const folders = apiFolders(apis);
    expect(folders.length, `no definition.yaml under ${apis}: run npm run synth`).toBeGreaterThan(0);
    // Server-side apply: the XRDs' schemas are too large for client-side apply's last-applied annotation.
    await cp.kubectl.applyServerSide(folders.map((d) => join(apis, d, 'definition.yaml')));
    await cp.kubectl.applyServerSide(folders.map((d) => join(apis, d, 'composition.yaml')));
    const xrds = await eventually(
      'every XRD to be Established, and Offered where it has claimNames',
      async (state) => {
        const list = await cp.kubectl.list('compositeresourcedefinitions.apiextensions.crossplane.io');
        const pending = list.filter(
          (x) =>
            condition(x, 'Established')?.status !== 'True' || (x.spec.claimNames && condition(x, 'Offered')?.status !== 'True'),
        );
        state.last = `not yet: ${pending.map((x) => x.metadata.name).join(', ')}`;
        return list.length === folders.length && pending.length === 0 ? list : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(xrds.map((x) => x.metadata.name).sort()).toEqual(folders.map((d) => `${d}.${GROUP}`).sort());
    const crds = await loadCrdIndex(cp.kubectl);
    expect(crds.has(typeKey(`${GROUP}/v1alpha1`, 'DisasterRecovery')), 'the claim kind is served').toBe(true);
    target = {
      kubectl: cp.kubectl,
      crds,
      group: GROUP,
      claimResource: CLAIM_RESOURCE,
      compositeResource: COMPOSITE_RESOURCE,
      composeOptions: { artifacts: lambdas.artifacts },
    };
    standIn = startProviderStatusStandIn(
      cp.kubeconfig,
      plannedKinds(
        cases.map((c) => c.claim),
        crds,
        target.composeOptions,
      ),
    );
  }, 180_000);

  describe.each(cases.map((c) => c.file))('%s', (file) => {
    it(
      'kubectl apply reaches the composite, the nested composites and the managed resources of the plan',
      async () => {
        const c = caseOf(file);
        await ensureNamespace(cp.kubectl, c.namespace);
        await cp.kubectl.applyFile(c.path);
        const o = await settle(c, c.claim, (x) => settled(x) && x.waiting.length === 0 && isReady(x.claim));
        estates.set(file, o);
        Object.assign(report.claims[file], {
          planned: o.planned.size,
          composed: o.composed.size,
          waitingForObservedState: o.waiting,
          blockedByUnservedKinds: Object.fromEntries(o.blocked),
        });
        await expectAsPlanned(o, cp.kubectl);
        expect(o.composed.size).toBeGreaterThan(0);
        expect(condition(o.claim, 'Ready'), 'the claim is Ready').toMatchObject({ status: 'True' });
        expect(o.claim.status?.regions, 'the claim shows every endpoint of every region').toEqual(expectedEndpoints(c.claim, o));
        expect(standIn?.errors ?? [], 'errors of the provider status stand-in').toEqual([]);
      },
      SETTLE_MS + 30_000,
    );

    it(
      'a change of activeRegion reaches the composite, follows into the resources, and replaces nothing',
      async () => {
        const c = caseOf(file);
        const before = estates.get(file);
        expect(before, 'the apply test ran first').toBeDefined();
        const regions = [c.claim.spec.regions.primary, ...c.claim.spec.regions.secondaries];
        const from = c.claim.spec.activeRegion ?? c.claim.spec.regions.primary;
        const to = regions.find((r) => r !== from)!;
        const text = withField(c.text, ['spec', 'activeRegion'], to);
        const claim = DisasterRecoveryClaimSchema.parse(parseDocument(text).toJS());
        expect(claim.spec.activeRegion, 'the edited claim').toBe(to);
        await cp.kubectl.applyYaml(text);
        const after = await settle(
          c,
          claim,
          (o) =>
            o.composite.status?.activeRegion === to &&
            o.claim.status?.activeRegion === to &&
            settled(o) &&
            o.waiting.length === 0 &&
            isReady(o.claim),
        );
        c.text = text;
        c.claim = claim;
        estates.set(file, after);

        expect(after.composite.spec.activeRegion).toBe(to);
        expect(after.composite.status?.activeRegion).toBe(to);
        expect(after.claim.status?.activeRegion, 'the claim shows the composite status').toBe(to);
        expect(after.composite.status?.lastFailover).toMatchObject({ from, to });
        // Whatever follows activeRegion (its planned spec changed) now equals the new plan, like everything else.
        report.claims[file].followActiveRegion = [...after.planned.keys()].filter((id) => {
          const old = before!.planned.get(id);
          return old && after.composed.has(id) && !isDeepStrictEqual(old.manifest.spec, after.planned.get(id)!.manifest.spec);
        });
        await expectAsPlanned(after, cp.kubectl);
        // Nothing was replaced: what exists before and after keeps its name and uid; what the change removed is no
        // longer planned; no stateful resource is removed or replaced.
        const identity = (m: ReadonlyMap<string, KubeObject>, ids: Iterable<string>) =>
          Object.fromEntries(
            [...ids].map((id) => [
              id,
              m.has(id) ? `${m.get(id)!.kind}/${m.get(id)!.metadata.name} ${m.get(id)!.metadata.uid}` : 'gone',
            ]),
          );
        const statefulIds = [...statefulOf(before!).keys()];
        expect(identity(after.composed, statefulIds), 'stateful resources keep name and uid').toEqual(
          identity(before!.composed, statefulIds),
        );
        const kept = [...before!.composed.keys()].filter((id) => after.composed.has(id));
        expect(identity(after.composed, kept), 'resources present before and after keep name and uid').toEqual(
          identity(before!.composed, kept),
        );
        const removed = [...before!.composed.keys()].filter((id) => !after.composed.has(id));
        expect(
          removed.filter((id) => after.planned.has(id)),
          'resources removed by the change that the new plan still has',
        ).toEqual([]);
        Object.assign(report.claims[file], {
          removedByActiveRegion: removed,
          addedByActiveRegion: [...after.composed.keys()].filter((id) => !before!.composed.has(id)),
        });
      },
      SETTLE_MS + 30_000,
    );

    it.runIf(reportsReadiness(caseOf(file).claim))(
      "each region's readiness report, written by its lag monitor, reaches the claim's status with the time it turns stale",
      async () => {
        const c = caseOf(file);
        const o = estates.get(file);
        expect(o, 'the activeRegion test ran first').toBeDefined();
        const regions = [c.claim.spec.regions.primary, ...c.claim.spec.regions.secondaries];
        // Playing the lag monitor and the provider: each region's report parameter (the Observe-only ssm Parameter of
        // the region) shows the Description the monitor wrote (lambda/shared/readiness.ts formatReadinessReport).
        const reports = [...o!.composed.values()].filter(
          (x) => groupKind(x) === 'ssm.aws.upbound.io/Parameter' && JSON.stringify(x.spec.managementPolicies) === '["Observe"]',
        );
        expect(reports.map((x) => x.spec.forProvider.region).sort(), 'one observed report parameter per region').toEqual(
          [...regions].sort(),
        );
        const checkedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
        const staleAfter = new Date(Date.parse(checkedAt) + 30 * 60 * 1000).toISOString();
        const stateOf = (region: string) => (region === c.claim.spec.regions.primary ? 'READY' : 'NOT_READY');
        for (const x of reports) {
          const region = x.spec.forProvider.region as string;
          const cell = cellIn(o!, region);
          expect(cell, `the Cell of ${region}`).toBeDefined();
          await cp.kubectl.patchStatus('parameters.ssm.aws.upbound.io', x.metadata.name, {
            atProvider: { description: JSON.stringify({ cell, readiness: stateOf(region), checkedAt }) },
          });
        }
        const want = expectedEndpoints(c.claim, o!, (r) => ({ state: stateOf(r), checkedAt, staleAfter }));
        const regionsNow = async () =>
          (await cp.kubectl.get(CLAIM_RESOURCE, c.name, { namespace: c.namespace }))?.status?.regions as
            Record<string, { readiness?: { state?: string } }> | undefined;
        const shown = await eventually(
          "the claim's status to show each region's reported readiness",
          async (state) => {
            const now = await regionsNow();
            state.last = JSON.stringify(now);
            return regions.every((r) => now?.[r]?.readiness?.state === stateOf(r)) ? now : undefined;
          },
          { timeoutMs: SETTLE_MS, intervalMs: 1_000 },
        ).catch(async () => regionsNow());
        expect(shown, "the claim's status.regions once the reports are observed").toEqual(want);
      },
      SETTLE_MS + 30_000,
    );

    it.runIf(caseOf(file).claim.spec.database !== undefined)(
      'a switchover: the Aurora clusters pause while the writer moves and until stale sources are cleared',
      async () => {
        const c = caseOf(file);
        const o = estates.get(file);
        expect(o, 'the activeRegion test ran first').toBeDefined();
        const withDatabase = cases.filter((x) => x.claim.spec.database !== undefined).map((x) => x.file);
        const viaDrctl = withDatabase.indexOf(file) % 2 === 1;
        const drctl = (args: string[]) =>
          run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args, '--kubeconfig', cp.kubectl.kubeconfig], {
            cwd: repoPath(),
            env: { NO_COLOR: '1' },
          });
        const active = c.claim.spec.activeRegion ?? c.claim.spec.regions.primary;
        const old = [c.claim.spec.regions.primary, ...c.claim.spec.regions.secondaries].find((r) => r !== active)!;
        const rds = (kind: string) =>
          [...o!.composed.values()].filter((x) => x.kind === kind && x.apiVersion.startsWith('rds.aws.upbound.io/'));
        // The managed global cluster (the secondaries' views of it are Observe only).
        const [global] = rds('GlobalCluster').filter((x) => JSON.stringify(x.spec.managementPolicies) !== '["Observe"]');
        const clusters = rds('Cluster');
        const [database] = [...o!.composed.values()].filter((x) => x.kind === 'XGlobalDatabase');
        expect(
          global && database && clusters.length,
          'the estate has its global cluster, members and XGlobalDatabase',
        ).toBeTruthy();
        const regionOf = (x: KubeObject) => x.spec.forProvider.region as string;
        const arnOf = (region: string) => {
          const member = clusters.find((x) => regionOf(x) === region)!;
          return `arn:aws:rds:${region}:111122223333:cluster:${member.metadata.annotations?.['crossplane.io/external-name'] ?? member.metadata.name}`;
        };
        // Playing the provider: the global cluster reports its members and which one writes.
        const writerIs = (writer: string) =>
          cp.kubectl.patchStatus('globalclusters.rds.aws.upbound.io', global!.metadata.name, {
            atProvider: {
              globalClusterMembers: clusters.map((x) => ({ dbClusterArn: arnOf(regionOf(x)), isWriter: regionOf(x) === writer })),
            },
          });
        const pausedNow = async () =>
          Object.fromEntries(
            await Promise.all(
              clusters.map(async (x) => {
                const live = await cp.kubectl.get('clusters.rds.aws.upbound.io', x.metadata.name);
                return [regionOf(x), live?.metadata.annotations?.['crossplane.io/paused'] === 'true'];
              }),
            ),
          );
        const all = (value: boolean) => Object.fromEntries(clusters.map((x) => [regionOf(x), value]));
        const until = (what: string, want: Record<string, boolean>) =>
          eventually(
            what,
            async (state) => {
              const now = await pausedNow();
              state.last = JSON.stringify(now);
              return isDeepStrictEqual(now, want) ? now : undefined;
            },
            { timeoutMs: SETTLE_MS, intervalMs: 1_000 },
          );

        // 1. activeRegion has moved but the writer has not: every member is paused.
        await writerIs(old);
        await until('every Aurora Cluster to be paused while the writer is still in the old region', all(true));
        const moving = await cp.kubectl.get('xglobaldatabases.drplane.io', database!.metadata.name);
        expect(moving?.status).toMatchObject({ writerRegion: old, clustersPaused: true, activeRegion: active });
        const early = await drctl(['unpause', c.path]);
        expect(early.code, `drctl unpause refuses while the writer has not moved: ${early.stdout}${early.stderr}`).toBe(1);
        expect(early.stdout).toContain('nothing to clear yet');

        // 2. The writer moved; the provider had late-initialized replicationSourceIdentifier to the old writer on the
        //    members that were readers: they stay paused, and a Warning names the command that clears the field.
        const stale = clusters.filter((x) => regionOf(x) !== old);
        for (const x of stale) {
          await cp.kubectl.ok([
            'patch',
            'clusters.rds.aws.upbound.io',
            x.metadata.name,
            '--type=merge',
            '--patch',
            JSON.stringify({ spec: { forProvider: { replicationSourceIdentifier: arnOf(old) } } }),
          ]);
        }
        await writerIs(active);
        const warnings = await eventually(
          'a Warning on the XGlobalDatabase for every stale replication source, with the command that clears it',
          async (state) => {
            const messages = await warningsAbout(cp.kubectl, database!);
            const missing = stale.filter((x) => !messages.some((m) => m.includes(clearCommand(x.metadata.name))));
            state.last = `no warning yet for ${missing.map((x) => x.metadata.name).join(', ')}`;
            return missing.length === 0 ? messages : undefined;
          },
          { timeoutMs: SETTLE_MS, intervalMs: 1_000 },
        );
        expect(warnings.some((m) => m.includes('replicationSourceIdentifier'))).toBe(true);
        expect(await pausedNow(), 'still paused while a stale source remains').toEqual(all(true));

        // 3. Clearing the field unpauses every member (the function stops desiring the annotation, and server-side
        //    apply removes it). Half the claims clear it with the kubectl patch the event prints, half with
        //    `drctl unpause` (a dry run first, which changes nothing).
        if (viaDrctl) {
          const dry = await drctl(['unpause', c.path, '--dry-run', '--output', 'json']);
          expect(dry.code, dry.stderr).toBe(0);
          const planned = JSON.parse(dry.stdout) as { state: string; cleared: { cluster: string }[] };
          expect(planned.state).toBe('would-clear');
          expect(planned.cleared.map((x) => x.cluster).sort()).toEqual(stale.map((x) => x.metadata.name).sort());
          expect(await pausedNow(), 'a dry run changes nothing').toEqual(all(true));
          const real = await drctl(['unpause', c.path]);
          expect(real.code, real.stderr).toBe(0);
          expect(real.stdout).toContain('cleared the stale replicationSourceIdentifier on:');
        } else {
          for (const x of stale) {
            await cp.kubectl.ok([
              'patch',
              'clusters.rds.aws.upbound.io',
              x.metadata.name,
              '--type=json',
              '--patch',
              '[{"op":"remove","path":"/spec/forProvider/replicationSourceIdentifier"}]',
            ]);
          }
        }
        await until('every Aurora Cluster to be unpaused once the stale sources are cleared', all(false));
        // Crossplane applies the composed resources before it writes the composite's status: read it until it follows.
        const done = await eventually(
          'the XGlobalDatabase status to show the new writer and no paused clusters',
          async (state) => {
            const xr = await cp.kubectl.get('xglobaldatabases.drplane.io', database!.metadata.name);
            state.last = JSON.stringify({ writerRegion: xr?.status?.writerRegion, clustersPaused: xr?.status?.clustersPaused });
            return xr?.status?.writerRegion === active && xr.status.clustersPaused === undefined ? xr : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 1_000 },
        ).catch(() => undefined);
        const doneStatus = done?.status ?? (await cp.kubectl.get('xglobaldatabases.drplane.io', database!.metadata.name))?.status;
        expect(doneStatus?.writerRegion).toBe(active);
        expect(doneStatus?.clustersPaused).toBeUndefined();
        // The claim's status follows its composite's asynchronously (composite reconcile, then the claim's).
        const shown = await eventually(
          'the claim to show where the database writes',
          async (state) => {
            const claim = await cp.kubectl.get(CLAIM_RESOURCE, c.name, { namespace: c.namespace });
            state.last = String(claim?.status?.databaseWriterRegion);
            return claim?.status?.databaseWriterRegion === active ? active : undefined;
          },
          { timeoutMs: SETTLE_MS, intervalMs: 1_000 },
        ).catch(() => undefined);
        expect(shown, 'the claim shows where the database writes').toBe(active);
        const after = await drctl(['unpause', c.path]);
        expect(after.code).toBe(0);
        expect(after.stdout).toContain(`is paused (writer in ${active})`);
      },
      3 * SETTLE_MS + 30_000,
    );

    it.runIf(caseOf(file).claim.spec.profile === 'production')(
      'production: stateful resources carry deletionPolicy Orphan',
      () => {
        const o = estates.get(file);
        expect(o, 'the apply test ran first').toBeDefined();
        const stateful = [...statefulOf(o!)];
        expect(stateful.length, 'a production estate with no stateful resource').toBeGreaterThan(0);
        expect(Object.fromEntries(stateful.map(([id, x]) => [id, x.spec.deletionPolicy]))).toEqual(
          Object.fromEntries(stateful.map(([id]) => [id, 'Orphan'])),
        );
      },
    );

    it.runIf(caseOf(file).claim.spec.profile === 'test')(
      'test profile: deleting the claim removes its composites and managed resources',
      async () => {
        const c = caseOf(file);
        const o = estates.get(file);
        expect(o, 'the apply test ran first').toBeDefined();
        const resources = servedResources([...o!.planned.values()], target.crds).served;
        const uids = new Set([o!.composite.metadata.uid, ...[...o!.composed.values()].map((x) => x.metadata.uid)]);
        expect(uids.size).toBeGreaterThan(1);
        await cp.kubectl.delete(CLAIM_RESOURCE, c.name, { namespace: c.namespace });
        const start = performance.now();
        await eventually(
          `the estate of ${file} to be deleted`,
          async (state) => {
            const claim = await cp.kubectl.get(CLAIM_RESOURCE, c.name, { namespace: c.namespace });
            const left = (await cp.kubectl.list([COMPOSITE_RESOURCE, ...resources].join(','))).filter((x) =>
              uids.has(x.metadata.uid),
            );
            state.last = `left: ${claim ? 'the claim, ' : ''}${left.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`;
            return !claim && left.length === 0 ? true : undefined;
          },
          { timeoutMs: SETTLE_MS },
        );
        report.claims[file].deleteSeconds = Math.round(performance.now() - start) / 1000;
      },
      SETTLE_MS + 30_000,
    );
  });
});
