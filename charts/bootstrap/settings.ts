/**
 * What an installation of the bootstrap may change: the git repository Argo CD syncs, namespaces, the Crossplane
 * chart, how the AWS providers get credentials. A fork edits DEFAULT_SETTINGS and runs `npm run synth`; the
 * output in compositions/bootstrap/ is committed like every other generated file.
 */

/** How the provider pods obtain AWS credentials; never static keys. */
export type AwsCredentials =
  /** EKS Pod Identity: an association binds the service account to a role; nothing account-specific in git. */
  | { readonly source: 'PodIdentity' }
  /** IAM Roles for Service Accounts: the role ARN is annotated on the provider service account. */
  | { readonly source: 'IRSA'; readonly roleArn: string };

/** A further AWS account: the role there that the providers' own identity assumes (see docs/gitops.md). */
export interface AwsAccount {
  /** ARN of the role in that account, e.g. arn:aws:iam::444455556666:role/drplane-provider-aws. */
  readonly roleArn: string;
  /** External id the role's trust requires, if it requires one. */
  readonly externalId?: string;
}

/**
 * Crossplane's `revisionActivationPolicy` of a package: `Automatic` makes each new revision active as soon as it is
 * installed; `Manual` leaves it inactive until someone sets its revision's `spec.desiredState` to `Active`.
 */
export type RevisionActivationPolicy = 'Automatic' | 'Manual';

/** The values RevisionActivationPolicy may take (the Function and Provider CRDs' own: Automatic or Manual). */
export const REVISION_ACTIVATION_POLICIES: readonly RevisionActivationPolicy[] = ['Automatic', 'Manual'];

/** Everything the bootstrap charts read besides the repository itself. */
export interface BootstrapSettings {
  /** Git repository Argo CD syncs (this repository). */
  readonly repoURL: string;
  /** Branch, tag or commit Argo CD follows. */
  readonly targetRevision: string;
  /** Namespace Argo CD runs in; Applications and AppProjects live there. */
  readonly argocdNamespace: string;
  /** Namespace of Crossplane, its providers and functions. */
  readonly crossplaneNamespace: string;
  /** The Crossplane Helm chart, pinned. */
  readonly crossplaneChart: { readonly repoURL: string; readonly chart: string; readonly version: string };
  /** Credentials of the AWS providers; the ProviderConfig `default` uses them as they are (the control plane's account). */
  readonly aws: AwsCredentials;
  /**
   * One more ProviderConfig per further AWS account, by its name: what a claim writes in `spec.providerConfigRef.name`
   * (name it after the account, e.g. aws-444455556666). Each uses the same credentials and then assumes the account's
   * role (`assumeRoleChain`).
   */
  readonly accounts: Readonly<Record<string, AwsAccount>>;
  /**
   * Which ProviderConfigs (AWS accounts) the claims of a team namespace may name, by namespace: each name is
   * `default` or a key of `accounts`. A namespace not listed may use only `default`. The control plane's API server
   * enforces it (ValidatingAdmissionPolicy drplane-provider-config-access, charts/bootstrap/account-guard.ts).
   */
  readonly providerConfigAccess: Readonly<Record<string, readonly string[]>>;
  /** Name of the one service account every AWS provider runs as (one Pod Identity association or IRSA trust subject). */
  readonly providerServiceAccount: string;
  /**
   * Glob of the namespaces claims may live in. Each folder claims/<namespace>/ must match it; it gets an Application
   * and an AppProject whose only destination is that namespace.
   */
  readonly claimNamespaces: string;
  /**
   * Globs of the team namespaces whose Application may prune: a claim deleted from git there is deleted from the
   * cluster. Every other team folder is production: removing a claim from git only marks it OutOfSync, and someone
   * deletes it on purpose.
   */
  readonly prunableNamespaces: readonly string[];
  /**
   * SSO groups per team namespace, bound to the `team` role of that namespace's AppProject (view and sync its own
   * Application, nothing else). A namespace without an entry gets the role with no group.
   */
  readonly teamGroups: Readonly<Record<string, readonly string[]>>;
  /**
   * Secrets in the Crossplane namespace that pull the Function and Provider packages from a private registry (or a
   * mirror); none for the public registries. Create them before the bootstrap reaches wave -8.
   */
  readonly packagePullSecrets: readonly string[];
  /**
   * `revisionActivationPolicy` of the drplane Function and of every Provider. `Manual` stages an upgrade: the new
   * revision installs inactive and composes (or reconciles) nothing until activated; Crossplane v2.3.4 deactivates the
   * old revision at the same time, so nothing of that package runs in between (docs/gitops.md, Day 2).
   */
  readonly revisionActivation: {
    readonly function: RevisionActivationPolicy;
    readonly providers: RevisionActivationPolicy;
  };
  /**
   * Whether an Application keeps argocd-cm and the AppProjects in sync with git. Turn it off when Argo CD's own
   * installation (a Helm release) owns argocd-cm; its keys then go into that installation's values.
   */
  readonly manageArgoCdSettings: boolean;
  /**
   * Scraping of the composition function's metrics (charts/bootstrap/function-metrics.ts). `podMonitor`: whether the
   * `drplane-monitoring` Application syncs the function's PodMonitor; set it where the Prometheus Operator runs (its
   * CRDs must exist, or that sync fails). `labels`: labels on the PodMonitor, for a Prometheus whose
   * `podMonitorSelector` picks monitors by label (kube-prometheus-stack: `release: <its release name>`).
   */
  readonly functionMetrics: { readonly podMonitor: boolean; readonly labels: Readonly<Record<string, string>> };
}

/** The settings `npm run synth` uses. */
export const DEFAULT_SETTINGS: BootstrapSettings = {
  repoURL: 'https://github.com/drplane/drplane.git',
  targetRevision: 'main',
  argocdNamespace: 'argocd',
  crossplaneNamespace: 'crossplane-system',
  crossplaneChart: { repoURL: 'https://charts.crossplane.io/stable', chart: 'crossplane', version: '2.3.4' },
  aws: { source: 'PodIdentity' },
  accounts: {},
  providerConfigAccess: {},
  providerServiceAccount: 'provider-aws',
  claimNamespaces: 'team-*',
  prunableNamespaces: ['*-dev', '*-test', '*-sandbox'],
  teamGroups: {},
  packagePullSecrets: [],
  revisionActivation: { function: 'Automatic', providers: 'Automatic' },
  manageArgoCdSettings: true,
  functionMetrics: { podMonitor: false, labels: {} },
};

/** The in-cluster API server, as Argo CD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Folder (relative to the repository root) that the bootstrap is written to and that Argo CD reads. */
export { BOOTSTRAP_PATH } from '../../src/gitops/argocd.js';
