/**
 * The git repository the e2e tier's Argo CD syncs: a fork of drplane as docs/gitops.md sets one up. The bootstrap is
 * rendered by charts/bootstrap (what `npm run synth` writes) with the fork's settings — `repoURL` pointing at the
 * loopback git daemon — and the team folders of its claims/; compositions/apis is this checkout's. Then the tier's
 * own changes, each forced by running without a registry or a cluster network (test/e2e/README.md, "Argo CD"):
 *
 * - `apps/drplane-crossplane.yaml` is left out: Crossplane core is the tier's own process (control-plane.ts), not the
 *   Helm chart, which cannot be fetched here.
 * - The Function and every Provider carry `crossplane.io/paused: "true"`: their packages cannot be pulled, so
 *   Crossplane's package manager must leave them alone. The test reports their installation itself
 *   (see {@link packageInstalledStatus}), as the tier already registers the function's revision by hand.
 *
 * Every change to git afterwards is a commit in this repository, as a person (or drctl) makes it.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'cdk8s';
import { bootstrapCharts } from '../../../charts/bootstrap/index.js';
import { PROVIDER_CONFIG } from '../../../charts/bootstrap/providers.js';
import { BOOTSTRAP_PATH, DEFAULT_SETTINGS, type BootstrapSettings } from '../../../charts/bootstrap/settings.js';
import { toYaml } from '../../../charts/write.js';
import { gitIn } from '../../support/gitops.js';
import { repoPath } from '../../support/paths.js';

/** The ProviderConfig of the fork's second AWS account (settings `accounts`), named after the account. */
export const SECOND_ACCOUNT = 'aws-444455556666';
/** The one team namespace whose claims may use SECOND_ACCOUNT (settings `providerConfigAccess`). */
export const SECOND_ACCOUNT_TEAM = 'team-payments';
/** The file the tier leaves out of the rendered bootstrap (the Crossplane Helm Application). */
export const LEFT_OUT = ['apps/drplane-crossplane.yaml'];
/** Kinds of pkg.crossplane.io the tier pauses in git. */
const PAUSED_KINDS = new Set(['Provider', 'Function']);
const HEADER =
  "# drplane e2e tier: rendered by charts/bootstrap for this repository, with the tier's changes (test/e2e/README.md)\n";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> } };

/** A fork's working repository, served by the git daemon. */
export class GitopsRepo {
  readonly settings: BootstrapSettings;

  /** `dir` is the working tree (created); `url` is how Argo CD reaches it. */
  constructor(
    readonly dir: string,
    readonly url: string,
  ) {
    this.settings = {
      ...DEFAULT_SETTINGS,
      repoURL: url,
      targetRevision: 'main',
      // A second AWS account (docs/gitops.md, "Several accounts and clusters"): one more ProviderConfig.
      accounts: { [SECOND_ACCOUNT]: { roleArn: `arn:aws:iam::${SECOND_ACCOUNT.slice(4)}:role/drplane-provider-aws` } },
      // Only the production team may use it (the account guard); every other team only `default`.
      providerConfigAccess: { [SECOND_ACCOUNT_TEAM]: [PROVIDER_CONFIG, SECOND_ACCOUNT] },
    };
  }

  /** Path of a file in the working tree. */
  path(...segments: string[]): string {
    return join(this.dir, ...segments);
  }

  /** Creates the repository: compositions/apis, the team folders (`teams`, each with a .gitkeep), the bootstrap. */
  async init(teams: readonly string[]): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    await gitIn(this.dir, 'init', '--quiet', '--initial-branch=main');
    cpSync(repoPath('compositions', 'apis'), this.path('compositions', 'apis'), { recursive: true });
    for (const team of teams) {
      mkdirSync(this.path('claims', team), { recursive: true });
      writeFileSync(this.path('claims', team, '.gitkeep'), '');
    }
    this.renderBootstrap();
    return this.commit('bootstrap: point Argo CD at this fork; onboard ' + teams.join(', '));
  }

  /** Writes compositions/bootstrap as `npm run synth` would for this fork, with the tier's changes. */
  renderBootstrap(): void {
    const out = this.path(BOOTSTRAP_PATH);
    rmSync(out, { recursive: true, force: true });
    for (const [file, chart] of bootstrapCharts(new App(), this.settings, this.path('claims'))) {
      if (LEFT_OUT.includes(file)) continue;
      const objects = (chart.toJson() as Manifest[]).map((o) =>
        o.apiVersion.startsWith('pkg.crossplane.io/') && PAUSED_KINDS.has(o.kind)
          ? { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'crossplane.io/paused': 'true' } } }
          : o,
      );
      mkdirSync(dirname(join(out, file)), { recursive: true });
      writeFileSync(join(out, file), HEADER + toYaml(objects));
    }
  }

  /** `git add -A && git commit -m message`; resolves with the new commit's SHA. */
  async commit(message: string): Promise<string> {
    await gitIn(this.dir, 'add', '-A');
    await gitIn(this.dir, 'commit', '--quiet', '-m', message);
    return this.head();
  }

  /** SHA of HEAD. */
  async head(): Promise<string> {
    return (await gitIn(this.dir, 'rev-parse', 'HEAD')).stdout.trim();
  }
}

/**
 * The status Crossplane's package manager writes on a Provider or Function it has installed and found healthy
 * (conditions `Installed` and `Healthy`, reasons `ActivePackageRevision` and `HealthyPackageRevision`). The tier
 * writes it on the paused packages in place of the package manager, which cannot pull them here.
 */
export function packageInstalledStatus(now = new Date()): object {
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    conditions: [
      { type: 'Installed', status: 'True', reason: 'ActivePackageRevision', lastTransitionTime: at },
      { type: 'Healthy', status: 'True', reason: 'HealthyPackageRevision', lastTransitionTime: at },
    ],
  };
}

/**
 * The status Kubernetes' deployment controller writes once a Deployment's rollout is complete: every replica
 * updated and available, at the observed generation, Available and Progressing (NewReplicaSetAvailable). The tier
 * runs no kubelet nor deployment controller, so it writes this in their place, as it does for the packages.
 */
export function deploymentRolledOutStatus(generation: number, replicas: number, now = new Date()): object {
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    observedGeneration: generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: at, lastTransitionTime: at },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: at, lastTransitionTime: at },
    ],
  };
}

/**
 * The status Kubernetes' disruption controller writes on a PodDisruptionBudget whose `expected` pods are all healthy
 * (the pods the tier's stand-in rollout reports ready), for an integer `minAvailable`.
 */
export function disruptionBudgetStatus(generation: number, expected: number, minAvailable: number, now = new Date()): object {
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const allowed = Math.max(0, expected - minAvailable);
  return {
    observedGeneration: generation,
    expectedPods: expected,
    currentHealthy: expected,
    desiredHealthy: minAvailable,
    disruptionsAllowed: allowed,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status: allowed > 0 ? 'True' : 'False',
        reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
        observedGeneration: generation,
        lastTransitionTime: at,
      },
    ],
  };
}
