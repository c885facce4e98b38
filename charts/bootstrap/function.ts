/** The drplane composition function, installed as a Crossplane Function package under the name the Compositions call. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Function as CrossplaneFunction } from '../../imports/pkg.crossplane.io.js';
import { FUNCTION_NAME } from '../compositions.js';
import { DRPLANE_REGISTRY, DRPLANE_VERSION } from '../packages.js';
import { syncOptionsAnnotation } from './argo.js';
import { FUNCTION_RUNTIME_CONFIG } from './runtime.js';
import { REVISION_ACTIVATION_POLICIES, type BootstrapSettings, type RevisionActivationPolicy } from './settings.js';

/** The function package reference, e.g. xpkg.crossplane.io/drplane/function-drplane:v0.1.0. */
export const FUNCTION_PACKAGE = `${DRPLANE_REGISTRY}/${FUNCTION_NAME}:${DRPLANE_VERSION}`;

/** The Function object; its name is FUNCTION_NAME because every Composition's pipeline step references that name. */
export class FunctionChart extends Chart {
  constructor(scope: Construct, id: string, settings: Pick<BootstrapSettings, 'packagePullSecrets' | 'revisionActivation'>) {
    super(scope, id, { disableResourceNameHashes: true });
    new CrossplaneFunction(this, 'function', {
      metadata: { name: FUNCTION_NAME, annotations: syncOptionsAnnotation({ crdFromEarlierStep: true }) },
      spec: {
        package: FUNCTION_PACKAGE,
        packagePullPolicy: 'IfNotPresent',
        ...pullSecrets(settings),
        revisionActivationPolicy: revisionActivationPolicy(settings, 'function'),
        revisionHistoryLimit: 1,
        runtimeConfigRef: {
          apiVersion: 'pkg.crossplane.io/v1beta1',
          kind: 'DeploymentRuntimeConfig',
          name: FUNCTION_RUNTIME_CONFIG,
        },
      },
    });
  }
}

/** spec.packagePullSecrets for the settings' pull secrets, or nothing when there are none. */
export function pullSecrets(settings: Pick<BootstrapSettings, 'packagePullSecrets'>): {
  packagePullSecrets?: { name: string }[];
} {
  return settings.packagePullSecrets.length === 0
    ? {}
    : { packagePullSecrets: settings.packagePullSecrets.map((name) => ({ name })) };
}

/** The settings' revisionActivationPolicy of the Function or the Providers; throws, naming the setting, on any other value. */
export function revisionActivationPolicy(
  settings: Pick<BootstrapSettings, 'revisionActivation'>,
  which: 'function' | 'providers',
): RevisionActivationPolicy {
  const value: unknown = settings.revisionActivation?.[which];
  if (!REVISION_ACTIVATION_POLICIES.includes(value as RevisionActivationPolicy))
    throw new Error(
      `settings.revisionActivation.${which}: ${JSON.stringify(value)} is not a revisionActivationPolicy; write ${REVISION_ACTIVATION_POLICIES.map((p) => `'${p}'`).join(' or ')} (docs/gitops.md, Day 2)`,
    );
  return value as RevisionActivationPolicy;
}
