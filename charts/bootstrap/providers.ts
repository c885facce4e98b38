/**
 * The provider-upjet-aws packages drplane composes with (one Provider per family in PROVIDER_FAMILIES, plus the
 * family provider that owns the ProviderConfig kind), and the AWS ProviderConfig every managed resource uses.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Provider } from '../../imports/pkg.crossplane.io.js';
import { DNS1123_SUBDOMAIN } from '../../src/api/fields.js';
import { PROVIDER_FAMILIES, PROVIDER_REGISTRY, PROVIDER_VERSION, providerPackage } from '../../src/api/providers.js';
import { syncOptionsAnnotation } from './argo.js';
import { pullSecrets, revisionActivationPolicy } from './function.js';
import { PROVIDER_RUNTIME_CONFIG } from './runtime.js';
import type { AwsAccount, BootstrapSettings } from './settings.js';

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
  constructor(scope: Construct, id: string, settings: Pick<BootstrapSettings, 'packagePullSecrets' | 'revisionActivation'>) {
    super(scope, id, { disableResourceNameHashes: true });
    const activation = revisionActivationPolicy(settings, 'providers');
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
          revisionActivationPolicy: activation,
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

/** An IAM role ARN in the commercial partition. */
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Throws, naming the setting, when an account entry cannot become a ProviderConfig. */
export function checkAccount(name: string, account: AwsAccount): void {
  const where = `settings.accounts['${name}']`;
  if (name === PROVIDER_CONFIG || !DNS1123_SUBDOMAIN.test(name) || name.length > 253)
    throw new Error(
      `${where}: the name must be a DNS-1123 subdomain other than '${PROVIDER_CONFIG}' (the control plane's own account), for example aws-444455556666`,
    );
  if (!ROLE_ARN.test(account.roleArn))
    throw new Error(
      `${where}.roleArn: ${JSON.stringify(account.roleArn)} is not an IAM role ARN; write arn:aws:iam::<12-digit account>:role/drplane-provider-aws`,
    );
}

/**
 * The AWS ProviderConfigs (aws.upbound.io/v1beta1): `default` with the providers' own identity (IRSA or EKS Pod
 * Identity, never a Secret with static keys), and one per further account in `settings.accounts`, which assumes that
 * account's role with the same identity. aws.upbound.io is not among the imported groups, so these are plain
 * ApiObjects checked against the pinned CRD by test/bootstrap.
 */
export class ProviderConfigChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings) {
    super(scope, id, { disableResourceNameHashes: true });
    // Every managed resource authenticates through one; Crossplane also blocks its deletion while in use.
    const annotations = syncOptionsAnnotation({ crdFromEarlierStep: true, stateful: true });
    const credentials = { source: settings.aws.source };
    new ApiObject(this, 'provider-config', {
      apiVersion: 'aws.upbound.io/v1beta1',
      kind: 'ProviderConfig',
      metadata: { name: PROVIDER_CONFIG, annotations },
      spec: { credentials },
    });
    for (const name of Object.keys(settings.accounts).sort()) {
      const account = settings.accounts[name]!;
      checkAccount(name, account);
      new ApiObject(this, `provider-config-${name}`, {
        apiVersion: 'aws.upbound.io/v1beta1',
        kind: 'ProviderConfig',
        metadata: { name, annotations },
        spec: {
          credentials,
          assumeRoleChain: [{ roleARN: account.roleArn, ...(account.externalId ? { externalID: account.externalId } : {}) }],
        },
      });
    }
  }
}
