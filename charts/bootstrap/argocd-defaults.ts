/**
 * The defaults that Argo CD's own install manifest puts in argocd-cm (argo-cd v3.5.1,
 * manifests/base/config/argocd-cm.yaml, Apache-2.0). drplane's argocd-cm replaces that ConfigMap's data, and
 * `resource.exclusions` in particular replaces the default exclusion list rather than adding to it, so the
 * defaults are carried here and the drplane entries are added to them.
 */

/** One entry of `resource.exclusions` (or `resource.inclusions`). */
export interface ResourceFilter {
  readonly apiGroups: readonly string[];
  readonly kinds: readonly string[];
  readonly clusters?: readonly string[];
}

/** Argo CD v3.5.1 default `resource.exclusions`: high-churn objects nobody declares in git. */
export const UPSTREAM_RESOURCE_EXCLUSIONS: readonly ResourceFilter[] = [
  // Network resources created by the Kubernetes control plane.
  { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
  // Internal Kubernetes resources.
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
  // Internal Kubernetes authn/authz resources.
  {
    apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'],
    kinds: [
      'SelfSubjectReview',
      'TokenReview',
      'LocalSubjectAccessReview',
      'SelfSubjectAccessReview',
      'SelfSubjectRulesReview',
      'SubjectAccessReview',
    ],
  },
  // Intermediate certificate requests.
  { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  // Cilium internal resources.
  { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  // Kyverno intermediate and reporting resources.
  {
    apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    kinds: [
      'PolicyReport',
      'ClusterPolicyReport',
      'EphemeralReport',
      'ClusterEphemeralReport',
      'AdmissionReport',
      'ClusterAdmissionReport',
      'BackgroundScanReport',
      'ClusterBackgroundScanReport',
      'UpdateRequest',
    ],
  },
];

/** Argo CD v3.5.1 default `resource.customizations.ignoreResourceUpdates.*` keys and their values. */
export const UPSTREAM_IGNORE_RESOURCE_UPDATES: Readonly<Record<string, Record<string, readonly string[]>>> = {
  // Status changes alone do not trigger a reconciliation (unless health changes).
  all: { jsonPointers: ['/status'] },
  'argoproj.io_Application': {
    jqPathExpressions: [
      '.metadata.annotations."notified.notifications.argoproj.io"',
      '.metadata.annotations."argocd.argoproj.io/refresh"',
      '.metadata.annotations."argocd.argoproj.io/hydrate"',
      '.operation',
    ],
  },
  'argoproj.io_Rollout': { jqPathExpressions: ['.metadata.annotations."notified.notifications.argoproj.io"'] },
  autoscaling_HorizontalPodAutoscaler: {
    jqPathExpressions: [
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/behavior"',
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/conditions"',
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/metrics"',
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/current-metrics"',
    ],
  },
  ConfigMap: {
    jqPathExpressions: [
      '.metadata.annotations."cluster-autoscaler.kubernetes.io/last-updated"',
      '.metadata.annotations."control-plane.alpha.kubernetes.io/leader"',
    ],
  },
  apps_ReplicaSet: {
    jqPathExpressions: [
      '.metadata.annotations."deployment.kubernetes.io/desired-replicas"',
      '.metadata.annotations."deployment.kubernetes.io/max-replicas"',
      '.metadata.annotations."rollout.argoproj.io/desired-replicas"',
    ],
  },
  'discovery.k8s.io_EndpointSlice': { jsonPointers: ['/metadata', '/endpoints', '/ports'] },
  Endpoints: { jsonPointers: ['/metadata', '/subsets'] },
};
