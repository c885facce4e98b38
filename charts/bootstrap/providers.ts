/**
 * The provider-upjet-aws packages drplane composes with (one Provider per family in PROVIDER_FAMILIES, plus the
 * family provider that owns the ProviderConfig kind), and the AWS ProviderConfig every managed resource uses.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Provider } from '../../imports/pkg.crossplane.io.js';
import { PROVIDER_FAMILIES, PROVIDER_REGISTRY, PROVIDER_VERSION, providerPackage } from '../../src/api/providers.js';
import { syncOptionsAnnotation } from './argo.js';
import { pullSecrets } from './function.js';
import { PROVIDER_RUNTIME_CONFIG } from './runtime.js';
import type { BootstrapSettings } from './settings.js';

/** Package of the family provider: installs the aws.upbound.io ProviderConfig kinds the service providers share. */
export const FAMILY_PACKAGE = `${PROVIDER_REGISTRY}/provider-family-aws`;

/** ProviderConfig the composed managed resources use (they name none, so Crossplane uses `default`). */
export const PROVIDER_CONFIG = 'default';

/**
 * The object name Crossplane itself gives a package it installs as a dependency (`<org>-<repository>`), e.g.
 * crossplane-contrib-provider-aws-rds. Using the same names means a dependency resolution finds these Providers
 * instead of creating duplicates.
 */
export function packageObjectName(pkg: string): string {
  return pkg.split('/').slice(1).join('-');
}

/** Every provider package drplane installs, the family provider first. */
export function providerPackages(): string[] {
  return [FAMILY_PACKAGE, ...PROVIDER_FAMILIES.map(providerPackage)];
}

/** One Provider per package, pinned to PROVIDER_VERSION, all on the hardened runtime config. */
export class ProvidersChart extends Chart {
  constructor(scope: Construct, id: string, settings: Pick<BootstrapSettings, 'packagePullSecrets'>) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const pkg of providerPackages()) {
      new Provider(this, packageObjectName(pkg), {
        // A Provider going away takes its CRDs, and so every managed resource of its kinds, with it: never pruned.
        metadata: {
          name: packageObjectName(pkg),
          annotations: syncOptionsAnnotation({ crdFromEarlierStep: true, stateful: true }),
        },
        spec: {
          package: `${pkg}:${PROVIDER_VERSION}`,
          packagePullPolicy: 'IfNotPresent',
          ...pullSecrets(settings),
          revisionActivationPolicy: 'Automatic',
          revisionHistoryLimit: 1,
          runtimeConfigRef: {
            apiVersion: 'pkg.crossplane.io/v1beta1',
            kind: 'DeploymentRuntimeConfig',
            name: PROVIDER_RUNTIME_CONFIG,
          },
        },
      });
    }
  }
}

/**
 * The AWS ProviderConfig (aws.upbound.io/v1beta1): credentials from the pod identity (IRSA or EKS Pod Identity),
 * never a Secret with static keys. aws.upbound.io is not among the imported groups, so this is a plain ApiObject
 * checked against the pinned CRD by test/bootstrap.
 */
export class ProviderConfigChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings) {
    super(scope, id, { disableResourceNameHashes: true });
    new ApiObject(this, 'provider-config', {
      apiVersion: 'aws.upbound.io/v1beta1',
      kind: 'ProviderConfig',
      // Every managed resource authenticates through it; Crossplane also blocks its deletion while in use.
      metadata: { name: PROVIDER_CONFIG, annotations: syncOptionsAnnotation({ crdFromEarlierStep: true, stateful: true }) },
      spec: { credentials: { source: settings.aws.source } },
    });
  }
}
