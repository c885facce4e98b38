/** Chart of the Crossplane package metadata: the drplane Configuration and Function. */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { PROVIDER_FAMILIES, PROVIDER_VERSION, providerPackage } from '../src/api/index.js';
import { FUNCTION_NAME } from './compositions.js';

/** Version of drplane's own packages. */
export const DRPLANE_VERSION = 'v0.1.0';
/** Registry path of drplane's own packages. */
export const DRPLANE_REGISTRY = 'xpkg.crossplane.io/drplane';

/**
 * Crossplane versions the packages need: the function composes protection.crossplane.io ClusterUsages, which exist
 * from Crossplane v2.0 on (1.x had Usage in apiextensions.crossplane.io).
 */
export const CROSSPLANE_CONSTRAINT = '>=v2.0.0';

/**
 * The semver range of releases compatible with `version`: same major (same minor while the major is 0, where a
 * minor release may break), at least `version`. E.g. v2.6.0 → ">=v2.6.0, <v3.0.0"; v0.1.0 → ">=v0.1.0, <v0.2.0".
 */
export function compatibleRange(version: string): string {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`${version} is not a vMAJOR.MINOR.PATCH version`);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const next = major === 0 ? `v0.${minor + 1}.0` : `v${major + 1}.0.0`;
  return `>=${version}, <${next}`;
}

const annotations = (description: string) => ({
  'meta.crossplane.io/maintainer': 'drplane <platform@drplane.io>',
  'meta.crossplane.io/source': 'github.com/drplane/drplane',
  'meta.crossplane.io/license': 'Apache-2.0',
  'meta.crossplane.io/description': description,
});

/** The Configuration package (XRDs + Compositions) with its dependencies on providers and our function. */
export class ConfigurationPackageChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    new ApiObject(this, 'configuration', {
      apiVersion: 'meta.pkg.crossplane.io/v1',
      kind: 'Configuration',
      metadata: {
        name: 'configuration-drplane',
        annotations: annotations('Multi-region AWS disaster recovery from one DisasterRecovery claim.'),
      },
      spec: {
        crossplane: { version: CROSSPLANE_CONSTRAINT },
        dependsOn: [
          ...PROVIDER_FAMILIES.map((family) => ({
            provider: providerPackage(family),
            version: compatibleRange(PROVIDER_VERSION),
          })),
          { function: `${DRPLANE_REGISTRY}/${FUNCTION_NAME}`, version: compatibleRange(DRPLANE_VERSION) },
        ],
      },
    });
  }
}

/** The Function package metadata of the drplane composition function. */
export class FunctionPackageChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    new ApiObject(this, 'function', {
      apiVersion: 'meta.pkg.crossplane.io/v1beta1',
      kind: 'Function',
      metadata: {
        name: FUNCTION_NAME,
        annotations: annotations('Composition function that fans a DisasterRecovery estate out into per-region AWS resources.'),
      },
      spec: { crossplane: { version: CROSSPLANE_CONSTRAINT } },
    });
  }
}
