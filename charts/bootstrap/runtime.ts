/**
 * How Crossplane runs drplane's packages: the DeploymentRuntimeConfigs of the AWS providers and of the composition
 * function (identity, non-root security context, resources), and the ManagedResourceActivationPolicy that activates
 * only the managed-resource kinds drplane composes.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ManagedResourceActivationPolicy } from '../../imports/apiextensions.crossplane.io.js';
import {
  DeploymentRuntimeConfig,
  DeploymentRuntimeConfigSpecDeploymentTemplateSpecTemplateSpecContainersResourcesLimits as Limit,
  DeploymentRuntimeConfigSpecDeploymentTemplateSpecTemplateSpecContainersResourcesRequests as Request,
  DeploymentRuntimeConfigSpecDeploymentTemplateSpecTemplateSpecVolumesEmptyDirSizeLimit as SizeLimit,
  type DeploymentRuntimeConfigSpecDeploymentTemplateSpecTemplateSpec as PodSpec,
} from '../../imports/pkg.crossplane.io.js';
import { mrdName, type ManagedKind } from './activations.js';
import { syncOptionsAnnotation } from './argo.js';
import { FUNCTION_METRICS_PORT } from './function-metrics.js';
import type { BootstrapSettings } from './settings.js';

/** Name of the runtime config every AWS provider references. */
export const PROVIDER_RUNTIME_CONFIG = 'provider-aws';
/** Name of the runtime config of the drplane composition function. */
export const FUNCTION_RUNTIME_CONFIG = 'function-drplane';
/** Name of drplane's activation policy. */
export const ACTIVATION_POLICY = 'drplane';
/** The container Crossplane runs a package in; a runtime config overrides it by this name. */
export const RUNTIME_CONTAINER = 'package-runtime';

/**
 * The TTL of the function's responses while a composite settles (its `--response-ttl`; its own default is 60 s): some
 * composed resource is not yet observed Ready, or a timer is pending. With realtime compositions a composite is
 * composed again when the TTL runs out, and each such reconcile applies every resource it composes. While estates are
 * created this is what makes up for watch events a composite's circuit breaker dropped (README, Scale: at N=3 a
 * network's last resources waited for it). Measured at 10 idle estates (bench/scale.ts, README "Scale"): 1.27
 * reconciles/s at 60 s, 1.01/s at 300 s on 2026-12-05. The TTL never passes the end of the UTC day.
 */
export const FUNCTION_RESPONSE_TTL_SECONDS = 300;

/**
 * The TTL of the function's responses for a composite at rest (its `--response-ttl-at-rest`): every resource it
 * composes is observed Ready and no timer is pending, so only a change Crossplane watches (the claim, a composed
 * resource's status) can change its answer, and that reconciles at once. Composing it again on a timer only re-applies
 * every resource: ~400 composites at N=50 requeued every 300 s are 1.3 reconciles/s (arithmetic; measured at rest:
 * 0.02/s at N=3, 0.05/s at N=10, README Scale), ~5/s at N=200, each applying every resource it composes. An hour cuts
 * that twelvefold. What waits longer at rest: a new function build's output, and a change that reaches no watched object
 * (an AWS change the provider has not polled yet reaches it through the managed resource's status, which is watched).
 */
export const FUNCTION_RESPONSE_TTL_AT_REST_SECONDS = 3600;

/** The function's arguments in its runtime config (the SDK's own `--tls-server-certs-dir` default is Crossplane's mount). */
export const FUNCTION_ARGS: readonly string[] = [
  `--response-ttl=${FUNCTION_RESPONSE_TTL_SECONDS}`,
  `--response-ttl-at-rest=${FUNCTION_RESPONSE_TTL_AT_REST_SECONDS}`,
];

/** The user and group package runtimes run as (Crossplane's own default). */
const RUNTIME_UID = 2000;

/** CPU and memory of one package runtime; memory is limited, CPU is not (throttling slows reconciles, it saves nothing). */
interface Resources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/**
 * A hardened pod: non-root, no privilege escalation, no capabilities, read-only root with a small writable /tmp;
 * `ports` are the runtime container's named ports.
 */
function hardenedPod(resources: Resources, ports?: PodSpec['containers'][number]['ports'], args?: readonly string[]): PodSpec {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUNTIME_UID,
      runAsGroup: RUNTIME_UID,
      // Makes the projected IRSA / Pod Identity token readable by the non-root user.
      fsGroup: RUNTIME_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: RUNTIME_CONTAINER,
        ...(args ? { args: [...args] } : {}),
        ...(ports ? { ports } : {}),
        resources: {
          requests: { cpu: Request.fromString(resources.cpuRequest), memory: Request.fromString(resources.memoryRequest) },
          limits: { memory: Limit.fromString(resources.memoryLimit) },
        },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: RUNTIME_UID,
          runAsGroup: RUNTIME_UID,
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: SizeLimit.fromString('64Mi') } }],
  };
}

/** Annotations of the provider service account: the role to assume with IRSA, none with Pod Identity. */
function identityAnnotations(settings: BootstrapSettings): Record<string, string> | undefined {
  return settings.aws.source === 'IRSA' ? { 'eks.amazonaws.com/role-arn': settings.aws.roleArn } : undefined;
}

/**
 * The two DeploymentRuntimeConfigs. Every AWS provider runs as one service account with a fixed name (Crossplane
 * keeps a named service account shared between package revisions), so one Pod Identity association or one IRSA
 * trust subject covers all of them, across upgrades.
 */
export class RuntimeConfigsChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings) {
    super(scope, id, { disableResourceNameHashes: true });
    const annotations = syncOptionsAnnotation({ crdFromEarlierStep: true });
    // No args: the providers observe each resource at their default --poll (10m), the interval the objectives model
    // counts where a change made outside Crossplane must be observed (src/facts/timings.ts PROVIDER_POLL; passing
    // --poll here means changing PROVIDER_POLL too: test/bootstrap/reconcile-settings.test.ts).
    new DeploymentRuntimeConfig(this, 'provider', {
      metadata: { name: PROVIDER_RUNTIME_CONFIG, annotations },
      spec: {
        serviceAccountTemplate: {
          metadata: { name: settings.providerServiceAccount, annotations: identityAnnotations(settings) },
        },
        deploymentTemplate: {
          spec: {
            selector: {},
            template: { spec: hardenedPod({ cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' }) },
          },
        },
      },
    });
    new DeploymentRuntimeConfig(this, 'function', {
      metadata: { name: FUNCTION_RUNTIME_CONFIG, annotations },
      spec: {
        deploymentTemplate: {
          spec: {
            selector: {},
            // The metrics port by name, as the PodMonitor scrapes it: Crossplane core adds the same port only when the
            // container has no port named `metrics`, so declaring it keeps the contract in git.
            template: {
              spec: hardenedPod(
                { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
                [{ ...FUNCTION_METRICS_PORT }],
                FUNCTION_ARGS,
              ),
            },
          },
        },
      },
    });
  }
}

/**
 * The ManagedResourceActivationPolicy: exactly the kinds drplane composes (see activations.ts). The Crossplane chart
 * is installed with no default policy, so no other provider CRD is ever served; the API server and Argo CD watch
 * ~60 kinds instead of every kind of the 16 provider families installed.
 */
export class ActivationPolicyChart extends Chart {
  constructor(scope: Construct, id: string, kinds: readonly ManagedKind[]) {
    super(scope, id, { disableResourceNameHashes: true });
    if (kinds.length === 0) throw new Error('no managed-resource kinds to activate: is src/compose empty?');
    new ManagedResourceActivationPolicy(this, 'policy', {
      metadata: { name: ACTIVATION_POLICY, annotations: syncOptionsAnnotation({ crdFromEarlierStep: true }) },
      spec: { activate: kinds.map(mrdName) },
    });
  }
}
