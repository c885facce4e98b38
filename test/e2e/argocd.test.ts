/**
 * End-to-end tier, Argo CD half: a real Argo CD (application controller and repo server, built from the pinned
 * github.com/argoproj/argo-cd/v3 module) brings the bootstrap of a fork — rendered by charts/bootstrap, served by a
 * git daemon on loopback — to Synced/Healthy on the tier's control plane (support/control-plane.ts), then carries a
 * claim, a failover and a deletion through git commits. At every step the test reads Argo CD's own view (sync and
 * health of every Application, and of their resources as our Lua health checks compute them under the real
 * controller) and what reached the API server.
 *
 * What the tier changes in the fork, and why, is in support/gitops-repo.ts and test/e2e/README.md ("Argo CD").
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lambdaDir } from '../../src/function/artifacts.js';
import { drctlIn } from '../support/gitops.js';
import { repoPath } from '../support/paths.js';
import {
  ARGOCD_NAMESPACE,
  RECONCILIATION_SECONDS,
  installArgoCd,
  startArgoCd,
  startGitDaemon,
  startRedis,
} from './support/argocd.js';
import { startControlPlane, type ControlPlane } from './support/control-plane.js';
import {
  deploymentRolledOutStatus,
  disruptionBudgetStatus,
  GitopsRepo,
  packageInstalledStatus,
  SECOND_ACCOUNT,
  SECOND_ACCOUNT_TEAM,
} from './support/gitops-repo.js';
import { ACCOUNT_GUARD } from '../../charts/bootstrap/account-guard.js';
import type { KubeObject } from './support/kubectl.js';
import type { ManagedProcess } from './support/processes.js';
import { argocdBinary } from './support/tools.js';
import { eventually } from './support/wait.js';

/** A prunable team (`*-dev`: removing a claim from git deletes it) and a production one (it does not). */
const DEV = 'team-sandbox-dev';
const PROD = SECOND_ACCOUNT_TEAM;
const ROOT = 'drplane';
const CLAIM = 'disasterrecoveries.drplane.io';
const COMPOSITE = 'xdisasterrecoveries.drplane.io';
/** Kinds whose objects hold an estate's data: a production estate orphans them (docs/gitops.md, Uninstall). */
const DATA_KINDS = new Set(['Table', 'TableReplica', 'GlobalCluster', 'Cluster', 'ClusterInstance', 'Vault']);
/** How long Argo CD may take to reach a state after a commit (it polls every 5 s here). */
const STEP_MS = 180_000;

/** Argo CD's view of one Application. */
interface AppView {
  readonly name: string;
  readonly sync?: string;
  readonly revision?: string;
  readonly health?: string;
  readonly phase?: string;
  readonly message?: string;
  readonly resources: readonly {
    kind: string;
    name: string;
    namespace?: string;
    status?: string;
    requiresPruning?: boolean;
    health?: { status?: string; message?: string };
  }[];
  readonly conditions: readonly { type: string; message: string }[];
}

const view = (app: KubeObject): AppView => ({
  name: app.metadata.name,
  sync: app.status?.sync?.status,
  revision: app.status?.sync?.revision,
  health: app.status?.health?.status,
  phase: app.status?.operationState?.phase,
  message: app.status?.operationState?.message,
  resources: app.status?.resources ?? [],
  conditions: app.status?.conditions ?? [],
});

const describeApp = (a: AppView) =>
  `${a.name}: sync ${a.sync ?? '-'}, health ${a.health ?? '-'}, operation ${a.phase ?? '-'}${a.message ? ` (${a.message})` : ''}` +
  (a.conditions.length ? `; ${a.conditions.map((c) => `${c.type}: ${c.message}`).join('; ')}` : '') +
  unhealthyResources(a);

/** The resources that keep an Application from Healthy, so a timeout names them. */
const unhealthyResources = (a: AppView) => {
  const held = a.resources.filter((r) => r.health && r.health.status !== 'Healthy');
  return held.length
    ? `; not healthy: ${held.map((r) => `${r.kind}/${r.name} ${r.health!.status}${r.health!.message ? ` (${r.health!.message})` : ''}`).join(', ')}`
    : '';
};

let cp: ControlPlane;
let repo: GitopsRepo;
let workDir: string;
/** Whether the bootstrap test got every Application Synced and Healthy; the later steps need it. */
let bootstrapped = false;
const extra: ManagedProcess[] = [];
const timings: Record<string, number> = {};

async function apps(): Promise<Map<string, AppView>> {
  const list = await cp.kubectl.list('applications.argoproj.io', { namespace: ARGOCD_NAMESPACE });
  return new Map(list.map((a) => [a.metadata.name, view(a)]));
}

/** Names of the Applications the fork's apps/ folder holds (what the root creates). */
function childNames(): string[] {
  return readdirSync(repo.path('compositions', 'bootstrap', 'apps'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Waits until every Application of `names` satisfies `ok`, naming those that do not on timeout. */
async function untilApps(
  what: string,
  names: readonly string[],
  ok: (a: AppView) => boolean,
  eachPoll: () => Promise<void> = async () => {},
): Promise<Map<string, AppView>> {
  return eventually(
    what,
    async (state) => {
      await eachPoll();
      const all = await apps();
      const pending = names
        .map((n) => all.get(n) ?? ({ name: n, resources: [], conditions: [] } as AppView))
        .filter((a) => !ok(a));
      state.last = pending.map(describeApp).join(' | ');
      return pending.length === 0 ? all : undefined;
    },
    { timeoutMs: STEP_MS, intervalMs: 1_000 },
  );
}

const syncedHealthy = (a: AppView) => a.sync === 'Synced' && a.health === 'Healthy' && a.phase !== 'Running';
const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round(performance.now() - start) / 1000;
  }
};

/**
 * The root once Synced and Healthy, checked to stay so over three reconciliation periods: a child Application that
 * Argo CD rewrites after each sync (a spec it normalizes) keeps the root flapping OutOfSync and healing it.
 */
async function stableRoot(): Promise<AppView> {
  await untilApps('the root to be Synced and Healthy', [ROOT], syncedHealthy);
  for (let i = 0; i < 6; i++) {
    await new Promise((done) => setTimeout(done, (RECONCILIATION_SECONDS * 1000) / 2));
    const root = (await apps()).get(ROOT)!;
    expect(describeApp(root)).toMatch(/sync Synced, health Healthy/);
  }
  return (await apps()).get(ROOT)!;
}

/** Writes a claims file from an example, moved to the team's namespace (as a team commits it). */
function writeClaim(team: string, example: string, name: string): string {
  const text = readFileSync(repoPath('examples', example), 'utf8').replace(/^ {2}namespace: .*$/m, `  namespace: ${team}`);
  const file = repo.path('claims', team, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('e2e: Argo CD syncs the bootstrap and claims from git', () => {
  beforeAll(async () => {
    const start = performance.now();
    cp = await startControlPlane({ lambdaDir: lambdaDir(), artifactsSubdir: 'argocd' });
    try {
      workDir = mkdtempSync(join(tmpdir(), 'drplane-e2e-argocd-'));
      const logDir = join(cp.artifactsDir, 'logs');
      const redis = await startRedis(logDir, workDir);
      extra.push(redis.proc);
      const git = await startGitDaemon(join(workDir, 'git'), logDir);
      extra.push(git.proc);
      repo = new GitopsRepo(join(workDir, 'git', 'drplane'), git.url('drplane'));
      await repo.init([DEV, PROD]);
      await installArgoCd(cp.kubectl);
      extra.push(
        ...(await startArgoCd({ binary: argocdBinary(), kubeconfig: cp.kubeconfig, redis: redis.address, workDir, logDir })),
      );
    } catch (err) {
      for (const p of extra.reverse()) await p.stop();
      await cp.stop();
      throw err;
    }
    timings.start = Math.round(performance.now() - start) / 1000;
  }, 300_000);

  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && cp) {
      const tails = extra.map((p) => `──── ${p.name} (pid ${p.pid}) ${p.logFile}\n${p.tail(15)}`).join('\n');
      console.error(`last lines of the logs (all of them: ${cp.artifactsDir}/logs):\n${cp.logTails(8)}\n${tails}`);
    }
  });

  afterAll(async () => {
    if (!cp) return;
    try {
      const state = await cp.kubectl.run([
        'get',
        'applications.argoproj.io,appprojects.argoproj.io',
        '-n',
        ARGOCD_NAMESPACE,
        '-o',
        'yaml',
      ]);
      writeFileSync(join(cp.artifactsDir, 'argocd-state.yaml'), state.stdout + state.stderr);
      writeFileSync(join(cp.artifactsDir, 'argocd-timings.json'), JSON.stringify(timings, null, 2) + '\n');
    } finally {
      for (const p of [...extra].reverse()) await p.stop();
      await cp.stop();
      if (process.env.DRPLANE_KEEP_TMP !== '1' && workDir) rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('bootstraps: the root waits at the Providers until they are healthy, then every Application is Synced and Healthy', async () => {
    const bootstrap = repo.path('compositions', 'bootstrap');
    // docs/gitops.md step 4, as written there.
    await cp.kubectl.ok(['apply', '-f', join(bootstrap, 'argocd')]);
    await cp.kubectl.ok(['apply', '-f', join(bootstrap, 'root.yaml')]);

    // The Providers are paused (their packages cannot be pulled here), so nothing reports them installed: the root
    // must stop at wave -8 and not create the later steps.
    const waiting = await timed('until-waiting-at-providers', () =>
      eventually(
        'the root to wait for drplane-providers',
        async (state) => {
          const all = await apps();
          const root = all.get(ROOT);
          state.last = [...all.values()].map(describeApp).join(' | ');
          // Once the Providers are applied (the step's own sync is done), the root still waits for their health.
          return root?.phase === 'Running' &&
            /waiting for healthy state of argoproj.io\/Application\/drplane-providers/.test(root.message ?? '') &&
            all.get('drplane-providers')?.sync === 'Synced' &&
            all.get('drplane-providers')?.phase === 'Succeeded'
            ? all
            : undefined;
        },
        { timeoutMs: STEP_MS, intervalMs: 1_000 },
      ),
    );
    for (const earlier of ['drplane-argocd', 'drplane-runtime'])
      expect(describeApp(waiting.get(earlier)!)).toMatch(/sync Synced, health Healthy/);
    for (const later of [
      'drplane-provider-config',
      'drplane-function',
      'drplane-xrds',
      'drplane-compositions',
      `drplane-claims-${DEV}`,
    ]) {
      expect(waiting.has(later), `${later} is created before the Providers are healthy`).toBe(false);
    }
    // Our Application health check, as the root sees the step it waits for: not Healthy, so the waves stop there.
    const gate = waiting.get(ROOT)!.resources.find((r) => r.kind === 'Application' && r.name === 'drplane-providers');
    expect(gate?.health?.status).toBe('Progressing');
    const providersApp = waiting.get('drplane-providers')!;
    expect(providersApp.sync).toBe('Synced');
    expect(providersApp.health).toBe('Progressing');
    const providers = providersApp.resources.filter((r) => r.kind === 'Provider');
    expect(providers.length).toBeGreaterThan(0);
    // drplane's package health check (argocd-cm) under the real controller: a paused Provider that the package
    // manager never installed is Progressing, whether Crossplane core has marked it paused (Synced: ReconcilePaused
    // only, on which Argo CD 3.2's built-in Provider check fails and reports Unknown) or not reconciled it yet.
    const pausedProviders = await eventually(
      'every Provider to be marked paused by Crossplane core and seen so by Argo CD',
      async (state) => {
        const listed = (await apps()).get('drplane-providers')!.resources.filter((r) => r.kind === 'Provider');
        state.last = listed.map((r) => `${r.name}: ${r.health?.status} (${r.health?.message})`).join(' | ');
        return listed.length === providers.length && listed.every((r) => r.health?.message?.startsWith('Paused'))
          ? listed
          : undefined;
      },
      { timeoutMs: STEP_MS, intervalMs: 1_000 },
    );
    for (const p of pausedProviders)
      expect(p.health, p.name).toEqual({
        status: 'Progressing',
        message: 'Paused (crossplane.io/paused) before the package manager reported it installed and healthy',
      });

    // The test stands in for the package manager: the packages are installed and healthy. Like the package manager it
    // keeps doing so while it waits: every Provider in the cluster (not only those Argo CD listed at this moment) that
    // lacks Installed or Healthy gets both, so a Provider applied or listed late does not stay Progressing.
    for (const p of providers) await cp.kubectl.patchStatus('providers.pkg.crossplane.io', p.name, packageInstalledStatus());
    await cp.kubectl.patchStatus('functions.pkg.crossplane.io', 'function-drplane', packageInstalledStatus());
    // It stands in for the deployment and disruption controllers and the kubelets too (the portal's Deployment and
    // PodDisruptionBudget): a Deployment whose observed generation lags gets a completed rollout, and a budget the
    // status its controller would write for the pods of its namespace's Deployments, all of them ready.
    const rolloutController = async () => {
      const deployments = await cp.kubectl.list('deployments.apps', { allNamespaces: true });
      for (const d of deployments) {
        const generation = d.metadata.generation ?? 1;
        if ((d.status?.observedGeneration ?? 0) >= generation) continue;
        const replicas = (d.spec?.replicas as number | undefined) ?? 1;
        await cp.kubectl.patchStatus('deployments.apps', d.metadata.name, deploymentRolledOutStatus(generation, replicas), {
          namespace: d.metadata.namespace,
        });
      }
      for (const b of await cp.kubectl.list('poddisruptionbudgets.policy', { allNamespaces: true })) {
        const generation = b.metadata.generation ?? 1;
        if ((b.status?.observedGeneration ?? 0) >= generation) continue;
        const expected = deployments
          .filter((d) => d.metadata.namespace === b.metadata.namespace)
          .reduce((sum, d) => sum + ((d.spec?.replicas as number | undefined) ?? 1), 0);
        // No Deployment yet, no pods: its controller would write currentHealthy 0 (Degraded); wait for the Deployment.
        if (expected === 0) continue;
        const minAvailable = b.spec?.minAvailable as number | undefined;
        expect(typeof minAvailable, `PodDisruptionBudget ${b.metadata.name}: the stand-in reads an integer minAvailable`).toBe(
          'number',
        );
        await cp.kubectl.patchStatus(
          'poddisruptionbudgets.policy',
          b.metadata.name,
          disruptionBudgetStatus(generation, expected, minAvailable!),
          { namespace: b.metadata.namespace },
        );
      }
    };
    const packageManager = async () => {
      for (const p of await cp.kubectl.list('providers.pkg.crossplane.io')) {
        const types = ((p.status?.conditions ?? []) as { type: string }[]).map((c) => c.type);
        if (!types.includes('Installed') || !types.includes('Healthy'))
          await cp.kubectl.patchStatus('providers.pkg.crossplane.io', p.metadata.name, packageInstalledStatus());
      }
      await rolloutController();
    };

    const names = [ROOT, ...childNames()];
    expect(names).toContain(`drplane-claims-${DEV}`);
    expect(names).toContain(`drplane-claims-${PROD}`);
    const all = await timed('until-bootstrapped', () =>
      untilApps('every Application to be Synced and Healthy', names, syncedHealthy, packageManager),
    );
    expect([...all.keys()].sort()).toEqual([...names].sort());
    expect(all.get(ROOT)!.phase).toBe('Succeeded');
    // Both ProviderConfigs (the control plane's account and the second one) are applied and Healthy.
    const configs = all.get('drplane-provider-config')!.resources.filter((r) => r.kind === 'ProviderConfig');
    expect(configs.map((r) => `${r.name}:${r.health?.status}`).sort()).toEqual([`${SECOND_ACCOUNT}:Healthy`, 'default:Healthy']);
    // drplane's package check now finds every Provider and the Function installed and healthy.
    for (const p of all.get('drplane-providers')!.resources)
      expect(p.health, p.name).toEqual({ status: 'Healthy', message: 'Installed and healthy' });
    const fn = all.get('drplane-function')!.resources.find((r) => r.kind === 'Function');
    expect(fn?.health).toEqual({ status: 'Healthy', message: 'Installed and healthy' });
    bootstrapped = true;

    // Argo CD applied the XRDs and the Compositions; Crossplane established and offered them.
    const xrds = await cp.kubectl.list('compositeresourcedefinitions.apiextensions.crossplane.io');
    const folders = readdirSync(repoPath('compositions', 'apis'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(xrds.length).toBe(folders.length);
    for (const x of xrds)
      expect(x.status?.conditions?.find((c: any) => c.type === 'Established')?.status, x.metadata.name).toBe('True');
    expect((await cp.kubectl.list('compositions.apiextensions.crossplane.io')).length).toBe(folders.length);

    // Our Application health check, under the real controller: a team folder with nothing to apply counts as done.
    const root = all.get(ROOT)!;
    for (const team of [DEV, PROD]) {
      const child = root.resources.find((r) => r.kind === 'Application' && r.name === `drplane-claims-${team}`);
      expect(child?.health?.status).toBe('Healthy');
      expect(child?.health?.message).toMatch(/^Nothing to apply, in sync with git/);
      expect(all.get(`drplane-claims-${team}`)!.resources).toEqual([]);
    }
  });

  it('a claim added by a commit reaches the API server; its Application is Synced, the claim Progressing (no provider)', async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    writeClaim(DEV, 'minimal.yaml', 'minimal');
    // The production estate lives in the fork's second account: its claim names that ProviderConfig.
    const paymentsFile = writeClaim(PROD, 'payments.yaml', 'payments');
    writeFileSync(
      paymentsFile,
      readFileSync(paymentsFile, 'utf8').replace(/^spec:\n/m, `spec:\n  providerConfigRef:\n    name: ${SECOND_ACCOUNT}\n`),
    );
    const sha = await repo.commit('team-sandbox-dev, team-payments: add estates');
    const teams = [`drplane-claims-${DEV}`, `drplane-claims-${PROD}`];
    const all = await timed('until-claims-applied', () =>
      untilApps(
        'the claims Applications to sync the commit',
        teams,
        (a) => a.sync === 'Synced' && a.revision === sha && a.phase === 'Succeeded',
      ),
    );
    for (const [team, name] of [
      [DEV, 'minimal'],
      [PROD, 'payments'],
    ] as const) {
      const claim = await cp.kubectl.get(CLAIM, name, { namespace: team });
      expect(claim, `${team}/${name} in the API server`).toBeDefined();
      // The claim is the Application's only resource: the composite carries the copied tracking annotation but is
      // not counted (annotation tracking), so it can be neither OutOfSync nor pruned.
      const app = all.get(`drplane-claims-${team}`)!;
      expect(app.resources.map((r) => `${r.kind}/${r.namespace}/${r.name}`)).toEqual([`DisasterRecovery/${team}/${name}`]);
      const composite = await eventually(`the composite of ${team}/${name}`, async () => {
        const ref = (await cp.kubectl.get(CLAIM, name, { namespace: team }))?.spec?.resourceRef?.name;
        return ref ? cp.kubectl.get(COMPOSITE, ref) : undefined;
      });
      expect(composite!.spec.claimRef).toMatchObject({ name, namespace: team });
    }
    // Our DisasterRecovery health check under the real controller: no provider runs, so the estates never become
    // Ready; the claims stay Progressing with Crossplane's reason, and the root still counts the folders as applied.
    const settled = await untilApps('the claims to report Crossplane health', teams, (a) => {
      const h = a.resources[0]?.health;
      return h?.status === 'Progressing' && h.message !== 'Waiting for Crossplane to report the status';
    });
    for (const team of teams) {
      expect(settled.get(team)!.health).toBe('Progressing');
      expect(settled.get(team)!.resources[0]!.health!.message).toMatch(/waiting|creating|unready/i);
    }
    const root = await stableRoot();
    for (const team of teams) {
      const child = root.resources.find((r) => r.name === team);
      expect(child?.health?.status, team).toBe('Healthy');
      expect(child?.health?.message, team).toMatch(/^Applied; health of the estates: Progressing/);
    }
  });

  it("the account guard on the control plane's API server: a claim may name only the ProviderConfigs its namespace may use", async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    // Argo CD applied the ValidatingAdmissionPolicy and its binding with the ProviderConfigs (drplane-provider-config).
    const step = (await apps()).get('drplane-provider-config')!;
    for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'])
      expect(step.resources.find((r) => r.kind === kind)).toMatchObject({ name: ACCOUNT_GUARD, status: 'Synced' });
    const policy = (await cp.kubectl.get('validatingadmissionpolicies.admissionregistration.k8s.io', ACCOUNT_GUARD))!;
    // The API server type-checked the CEL against the claim's schema and found nothing to warn about.
    expect(policy.status?.typeChecking ?? {}, JSON.stringify(policy.status)).not.toHaveProperty('expressionWarnings');

    // Server-side dry runs: the API server's whole admission chain, nothing stored. The fork's settings let
    // team-payments use its second account; team-sandbox-dev has no entry, so only 'default'.
    const create = (namespace: string, providerConfig?: string) => {
      const text = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8')
        .replace(/^ {2}name: .*$/m, '  name: guard-probe')
        .replace(/^ {2}namespace: .*$/m, `  namespace: ${namespace}`)
        .replace(/^spec:\n/m, providerConfig ? `spec:\n  providerConfigRef:\n    name: ${providerConfig}\n` : 'spec:\n');
      return cp.kubectl.run(['create', '--dry-run=server', '-o', 'name', '-f', '-'], { input: text });
    };
    const denied = (namespace: string, name: string, allowed: string) =>
      `ValidatingAdmissionPolicy '${ACCOUNT_GUARD}' with binding '${ACCOUNT_GUARD}' denied request: ` +
      `spec.providerConfigRef.name: namespace ${namespace} may not use ProviderConfig ${name}; it may use ${allowed} ` +
      '(settings.providerConfigAccess in charts/bootstrap/settings.ts, docs/gitops.md: Several accounts and clusters)';
    for (const [namespace, ref] of [
      [DEV, undefined],
      [DEV, 'default'],
      [PROD, undefined],
      [PROD, SECOND_ACCOUNT],
    ] as const) {
      const r = await create(namespace, ref);
      expect(r.code, `${namespace} with ${ref ?? 'no providerConfigRef'}: ${r.stderr}`).toBe(0);
      expect(r.stdout.trim()).toBe('disasterrecovery.drplane.io/guard-probe');
    }
    for (const [namespace, ref, allowed] of [
      [DEV, SECOND_ACCOUNT, 'default'],
      [PROD, 'aws-000000000000', `default, ${SECOND_ACCOUNT}`],
    ] as const) {
      const r = await create(namespace, ref);
      expect(r.code, `${namespace} with ${ref}`).not.toBe(0);
      expect(r.stderr).toContain(denied(namespace, ref, allowed));
    }
    expect(await cp.kubectl.get(CLAIM, 'guard-probe', { namespace: DEV })).toBeUndefined();
  });

  it('a failover committed by drctl reaches the claim and its composite', async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    const before = await repo.head();
    const r = await drctlIn(repo.dir, [
      'failover',
      `claims/${DEV}/minimal.yaml`,
      '--to',
      'us-west-2',
      '--reason',
      'e2e: fail over through git',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const sha = await repo.head();
    expect(sha).not.toBe(before);
    await timed('until-failover-synced', () =>
      untilApps(
        'the team Application to sync the failover',
        [`drplane-claims-${DEV}`],
        (a) => a.sync === 'Synced' && a.revision === sha && a.phase === 'Succeeded',
      ),
    );
    const claim = (await cp.kubectl.get(CLAIM, 'minimal', { namespace: DEV }))!;
    expect(claim.spec.activeRegion).toBe('us-west-2');
    await eventually(
      'the composite to report the new active region',
      async (state) => {
        const composite = await cp.kubectl.get(COMPOSITE, claim.spec.resourceRef.name);
        state.last = `spec ${composite?.spec?.activeRegion}, status ${composite?.status?.activeRegion}`;
        return composite?.spec?.activeRegion === 'us-west-2' && composite?.status?.activeRegion === 'us-west-2'
          ? true
          : undefined;
      },
      { timeoutMs: STEP_MS },
    );

    // Argo CD's health of the claim after the commit, as our Lua computes it under the real controller: Progressing,
    // first (if a refresh falls in between) 'Waiting for Crossplane to observe generation <the new one>', then, once
    // Crossplane has observed it, Crossplane's Ready reason again (no provider here, so never Healthy). The root stays
    // Synced and Healthy throughout.
    const generation = claim.metadata.generation as number;
    const messages = new Set<string>();
    const after = await eventually(
      "Argo CD's health of the failed-over claim to follow Crossplane",
      async (state) => {
        const app = (await apps()).get(`drplane-claims-${DEV}`)!;
        const health = app.resources.find((r) => r.kind === 'DisasterRecovery' && r.name === 'minimal')?.health;
        const live = (await cp.kubectl.get(CLAIM, 'minimal', { namespace: DEV }))!;
        const observed = (live.status?.conditions ?? []).every(
          (c: { observedGeneration?: number }) => c.observedGeneration === undefined || c.observedGeneration >= generation,
        );
        if (health?.message) messages.add(`${health.status}: ${health.message}`);
        state.last = `${health?.status}: ${health?.message} (Crossplane observed generation ${generation}: ${observed})`;
        return observed && health?.message && !health.message.startsWith('Waiting for Crossplane to observe')
          ? health
          : undefined;
      },
      { timeoutMs: STEP_MS },
    );
    expect(after.status).toBe('Progressing');
    expect(after.message).toMatch(/waiting|creating|unready/i);
    for (const m of messages) {
      expect(m).toMatch(
        new RegExp(
          `^Progressing: (Waiting for Crossplane to observe generation ${generation}( \\(last error: .*\\))?$|(?!Waiting for Crossplane to observe).*(waiting|creating|unready))`,
          'i',
        ),
      );
    }
    const root = await stableRoot();
    const child = root.resources.find((r) => r.name === `drplane-claims-${DEV}`);
    expect(child?.health?.status).toBe('Healthy');
  });

  it('incident runbook: a team Application switched to manual stays manual, and a live edit of its claim stays', async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    // docs/gitops.md, failover without git: `argocd app set <app> --sync-policy none` removes spec.syncPolicy.automated.
    const team = `drplane-claims-${PROD}`;
    const automated = (await cp.kubectl.get('applications.argoproj.io', team, { namespace: ARGOCD_NAMESPACE }))!.spec.syncPolicy
      .automated as Record<string, unknown>;
    expect(automated).toMatchObject({ selfHeal: true });
    const patchApp = (ops: unknown) =>
      cp.kubectl.ok([
        'patch',
        'applications.argoproj.io',
        team,
        '-n',
        ARGOCD_NAMESPACE,
        '--type=json',
        '-p',
        JSON.stringify(ops),
      ]);
    await patchApp([{ op: 'remove', path: '/spec/syncPolicy/automated' }]);
    // Runbook: a sync already running (or retrying) when automation is removed still finishes and applies git's value;
    // wait until none runs before the live edit (docs/gitops.md: `argocd app wait --operation`, or terminate-op).
    await eventually(
      'no sync operation running on the team Application',
      async (state) => {
        const phase = (await cp.kubectl.get('applications.argoproj.io', team, { namespace: ARGOCD_NAMESPACE }))?.status
          ?.operationState?.phase as string | undefined;
        state.last = `operation phase ${phase ?? 'none'}`;
        return phase === 'Running' || phase === 'Terminating' ? undefined : true;
      },
      { timeoutMs: STEP_MS },
    );
    // The live edit `drctl failover --apply` makes: the claim's activeRegion, which git says is us-east-1.
    await cp.kubectl.ok([
      'patch',
      CLAIM,
      'payments',
      '-n',
      PROD,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { activeRegion: 'us-west-2' } }),
    ]);

    // Three reconciliations of the root (its status.reconciledAt moves on three times), then the child is still manual,
    // Argo CD sees the claim differ from git (OutOfSync) and nothing has put git's value back.
    const reconciledAt = async () =>
      (await cp.kubectl.get('applications.argoproj.io', ROOT, { namespace: ARGOCD_NAMESPACE }))?.status?.reconciledAt as string;
    const seen = new Set([await reconciledAt()]);
    await timed('incident-three-root-reconciliations', () =>
      eventually(
        'three reconciliations of the root',
        async (state) => {
          seen.add(await reconciledAt());
          state.last = `${seen.size - 1} reconciliations seen`;
          return seen.size > 3 ? true : undefined;
        },
        { timeoutMs: STEP_MS },
      ),
    );
    const child = (await cp.kubectl.get('applications.argoproj.io', team, { namespace: ARGOCD_NAMESPACE }))!;
    expect(child.spec.syncPolicy.automated, 'the root put the automated policy back').toBeUndefined();
    expect((await cp.kubectl.get(CLAIM, 'payments', { namespace: PROD }))!.spec.activeRegion).toBe('us-west-2');
    expect(child.status.sync.status).toBe('OutOfSync');
    const root = (await apps()).get(ROOT)!;
    expect(root.sync, describeApp(root)).toBe('Synced');

    // Runbook, last step: automated again; self-heal brings the claim back to git's value.
    await patchApp([{ op: 'add', path: '/spec/syncPolicy/automated', value: automated }]);
    await eventually(
      "self-heal to put git's activeRegion back",
      async (state) => {
        const region = (await cp.kubectl.get(CLAIM, 'payments', { namespace: PROD }))?.spec?.activeRegion;
        state.last = `activeRegion ${region}`;
        return region === 'us-east-1' ? true : undefined;
      },
      { timeoutMs: STEP_MS },
    );
    await untilApps('the production team to be in sync again', [team], (a) => a.sync === 'Synced');
  });

  it("a team's claims file naming another team's namespace is refused by Argo CD (its AppProject's destinations)", async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    // The prunable team commits, in its own folder, a claim whose metadata.namespace is the production team's.
    const intruder = writeClaim(DEV, 'minimal.yaml', 'intruder');
    writeFileSync(
      intruder,
      readFileSync(intruder, 'utf8')
        .replace(/^ {2}name: .*$/m, '  name: intruder')
        .replace(/^ {2}namespace: .*$/m, `  namespace: ${PROD}`),
    );
    expect(readFileSync(intruder, 'utf8')).toMatch(new RegExp(`^  name: intruder\n  namespace: ${PROD}$`, 'm'));
    const sha = await repo.commit(`${DEV}: a claim into ${PROD}'s namespace`);
    const app = `drplane-claims-${DEV}`;
    const project = `drplane-claims-${DEV}`;
    // Argo CD's own verdict: the sync of that revision refuses the claim before applying anything (gitops-engine's
    // permission check, controller/sync.go: "namespace <ns> is not permitted in project '<project>'").
    const refused = await timed('until-intruder-refused', () =>
      eventually(
        `Argo CD to refuse ${PROD}/intruder from ${DEV}'s folder`,
        async (state) => {
          const live = (await cp.kubectl.get('applications.argoproj.io', app, { namespace: ARGOCD_NAMESPACE }))!;
          const op = live.status?.operationState;
          const result = (op?.syncResult?.resources ?? []).find(
            (r: { kind: string; name: string }) => r.kind === 'DisasterRecovery' && r.name === 'intruder',
          );
          state.last = `${op?.syncResult?.revision}: ${op?.phase} ${op?.message}; ${JSON.stringify(result)}`;
          return op?.syncResult?.revision === sha && result?.status === 'SyncFailed' ? { op, result } : undefined;
        },
        { timeoutMs: STEP_MS, intervalMs: 1_000 },
      ),
    );
    expect(refused.result).toMatchObject({
      namespace: PROD,
      message: `namespace ${PROD} is not permitted in project '${project}'`,
    });
    expect(refused.op.message).toMatch(/one or more synchronization tasks are not valid/);
    // Nothing reached the API server, in either namespace, and the production team's Application does not list it.
    expect(await cp.kubectl.get(CLAIM, 'intruder', { namespace: PROD })).toBeUndefined();
    expect(await cp.kubectl.get(CLAIM, 'intruder', { namespace: DEV })).toBeUndefined();
    expect((await apps()).get(`drplane-claims-${PROD}`)!.resources.map((r) => r.name)).not.toContain('intruder');
    // Argo CD retries the sync (spec.syncPolicy.retry): meanwhile the operation stays Running, "… are not valid.
    // Retrying attempt #N", which our Application check shows the root as Progressing.
    const retrying = await untilApps('the root to see the folder retrying', [ROOT], (a) =>
      a.resources.some((r) => r.name === app && /^Sync Running: .*not valid/.test(r.health?.message ?? '')),
    );
    expect(retrying.get(ROOT)!.resources.find((r) => r.name === app)!.health).toMatchObject({
      status: 'Progressing',
      message: expect.stringMatching(/Retrying attempt #\d+/),
    });

    // Removing the file by a commit brings the folder back at the next retry (retry.refresh: the latest revision,
    // not the refused one): synced at that commit, the root Synced and Healthy again.
    unlinkSync(intruder);
    const fixed = await repo.commit(`${DEV}: remove the claim into ${PROD}'s namespace`);
    await timed('until-intruder-fix-synced', () =>
      untilApps(
        'the team Application to sync the fix',
        [app],
        (a) => a.sync === 'Synced' && a.revision === fixed && a.phase === 'Succeeded',
      ),
    );
    expect(await cp.kubectl.get(CLAIM, 'intruder', { namespace: PROD })).toBeUndefined();
    await stableRoot();
  });

  it('deleting claims by a commit: the prunable team loses its estate, the production one keeps it until deleted on purpose', async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    const devComposite = (await cp.kubectl.get(CLAIM, 'minimal', { namespace: DEV }))!.spec.resourceRef.name as string;
    const payments = (await cp.kubectl.get(CLAIM, 'payments', { namespace: PROD }))!;
    unlinkSync(repo.path('claims', DEV, 'minimal.yaml'));
    unlinkSync(repo.path('claims', PROD, 'payments.yaml'));
    const sha = await repo.commit('remove the estates of team-sandbox-dev and team-payments');

    // Prunable: Argo CD deletes the claim; Crossplane deletes the composite and, through the garbage collector,
    // every managed resource.
    await timed('until-dev-pruned', () =>
      untilApps(
        'the prunable team to prune its claim',
        [`drplane-claims-${DEV}`],
        (a) => a.sync === 'Synced' && a.revision === sha && a.resources.length === 0,
      ),
    );
    await eventually(
      'the dev estate to be gone',
      async (state) => {
        const claim = await cp.kubectl.get(CLAIM, 'minimal', { namespace: DEV });
        const composite = await cp.kubectl.get(COMPOSITE, devComposite);
        const managed = await cp.kubectl.list('managed', {
          selector: `crossplane.io/claim-name=minimal,crossplane.io/claim-namespace=${DEV}`,
        });
        state.last = `claim ${claim ? 'present' : 'gone'}, composite ${composite ? 'present' : 'gone'}, ${managed.length} managed`;
        return !claim && !composite && managed.length === 0 ? true : undefined;
      },
      { timeoutMs: STEP_MS },
    );

    // Production: the claim stays, OutOfSync and marked for pruning that never comes; its data stores are orphaned
    // on deletion.
    const prod = await untilApps(
      'the production team to see the removal',
      [`drplane-claims-${PROD}`],
      (a) => a.revision === sha && a.sync === 'OutOfSync',
    );
    const resource = prod.get(`drplane-claims-${PROD}`)!.resources;
    expect(resource).toMatchObject([{ kind: 'DisasterRecovery', name: 'payments', requiresPruning: true }]);
    const still = (await cp.kubectl.get(CLAIM, 'payments', { namespace: PROD }))!;
    expect(still.metadata.uid).toBe(payments.metadata.uid);
    expect(still.metadata.deletionTimestamp).toBeUndefined();
    const managed = await cp.kubectl.list('managed', {
      selector: `crossplane.io/claim-name=payments,crossplane.io/claim-namespace=${PROD}`,
    });
    const data = managed.filter((m) => DATA_KINDS.has(m.kind));
    expect(data.length).toBeGreaterThan(0);
    for (const m of data) expect(m.spec.deletionPolicy, `${m.kind}/${m.metadata.name}`).toBe('Orphan');
    // Every managed resource of the estate goes to the account its claim names.
    for (const m of managed) expect(m.spec.providerConfigRef?.name, `${m.kind}/${m.metadata.name}`).toBe(SECOND_ACCOUNT);
    // The root is not held up: the folder's last sync succeeded.
    await stableRoot();

    // Deleting it on purpose (docs/gitops.md): the claim goes, and the Application is in sync with git again.
    await cp.kubectl.delete(CLAIM, 'payments', { namespace: PROD });
    await eventually(
      'the production claim to be deleted',
      async () => ((await cp.kubectl.get(CLAIM, 'payments', { namespace: PROD })) ? undefined : true),
      {
        timeoutMs: STEP_MS,
      },
    );
    await untilApps(
      'the production team to be in sync with git again',
      [`drplane-claims-${PROD}`],
      (a) => a.sync === 'Synced' && a.resources.length === 0,
    );
    const final = await untilApps('every Application to be Synced and Healthy again', [ROOT, ...childNames()], syncedHealthy);
    expect(final.size).toBe(childNames().length + 1);
  });

  it('uninstall: deleting the root keeps its children; a cascading delete keeps every Delete=false resource', async () => {
    expect(bootstrapped, 'the bootstrap did not finish (see the first test)').toBe(true);
    // docs/gitops.md, Uninstall step 2. The root has no resources finalizer: deleting it deletes nothing else.
    await cp.kubectl.delete('applications.argoproj.io', ROOT, { namespace: ARGOCD_NAMESPACE });
    await eventually('the root Application to be gone', async () => ((await apps()).has(ROOT) ? undefined : true));
    const children = await apps();
    expect([...children.keys()].sort()).toEqual(childNames());

    // A cascading delete (what `argocd app delete` does by default: it adds the resources finalizer) of the
    // Applications whose objects carry Delete=false themselves: Argo CD deletes the Applications and keeps those.
    // drplane-xrds included: this 3.2 ignores the Application's own Delete=false (read from 3.4 on), so only the
    // annotation on each XRD keeps them, and with them every composite and managed resource.
    const before = {
      providers: (await cp.kubectl.list('providers.pkg.crossplane.io')).map((o) => o.metadata.uid).sort(),
      providerConfigs: (await cp.kubectl.list('providerconfigs.aws.upbound.io')).map((o) => o.metadata.uid).sort(),
      xrds: (await cp.kubectl.list('compositeresourcedefinitions.apiextensions.crossplane.io')).map((o) => o.metadata.uid).sort(),
    };
    expect(before.providers.length * before.providerConfigs.length * before.xrds.length).toBeGreaterThan(0);
    const cascaded = ['drplane-providers', 'drplane-provider-config', 'drplane-xrds'];
    for (const name of cascaded) {
      await cp.kubectl.ok([
        'patch',
        'applications.argoproj.io',
        name,
        '-n',
        ARGOCD_NAMESPACE,
        '--type=merge',
        '-p',
        JSON.stringify({ metadata: { finalizers: ['resources-finalizer.argocd.argoproj.io'] } }),
      ]);
      await cp.kubectl.delete('applications.argoproj.io', name, { namespace: ARGOCD_NAMESPACE });
    }
    await timed('until-cascade-done', () =>
      eventually(
        'the cascading deletes to finish',
        async (state) => {
          const left = [...(await apps()).keys()].filter((n) => cascaded.includes(n));
          state.last = `still there: ${left.join(', ')}`;
          return left.length === 0 ? true : undefined;
        },
        { timeoutMs: STEP_MS },
      ),
    );
    expect((await cp.kubectl.list('providers.pkg.crossplane.io')).map((o) => o.metadata.uid).sort()).toEqual(before.providers);
    expect(
      (await cp.kubectl.list('compositeresourcedefinitions.apiextensions.crossplane.io')).map((o) => o.metadata.uid).sort(),
    ).toEqual(before.xrds);
    expect((await cp.kubectl.list('providerconfigs.aws.upbound.io')).map((o) => o.metadata.uid).sort()).toEqual(
      before.providerConfigs,
    );
  });
});
