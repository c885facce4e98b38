/** Chart of the CompositeResourceDefinitions, one per composite kind, generated from the zod schemas. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { CompositeResourceDefinition } from '../imports/apiextensions.crossplane.io.js';
import { syncOptionsAnnotation } from './bootstrap/argo.js';
import { GROUP, SPEC_VALIDATIONS, VERSION, openApiSchema, type CompositeKind } from '../src/api/index.js';

/** Printer columns of the estate (Crossplane itself adds SYNCED, READY and AGE). */
const ESTATE_COLUMNS = [
  { name: 'PRIMARY', type: 'string', jsonPath: '.spec.regions.primary' },
  { name: 'ACTIVE', type: 'string', jsonPath: '.status.activeRegion' },
  { name: 'RPO', type: 'integer', jsonPath: '.spec.objectives.rpoSeconds', description: 'Requested RPO in seconds.' },
  { name: 'RTO', type: 'integer', jsonPath: '.spec.objectives.rtoMinutes', description: 'Requested RTO in minutes.' },
];

/** Printer columns of a primitive. */
const PRIMITIVE_COLUMNS = [
  { name: 'PRIMARY', type: 'string', jsonPath: '.spec.regions.primary' },
  { name: 'ENV', type: 'string', jsonPath: '.spec.environment' },
  { name: 'RESOURCES', type: 'integer', jsonPath: '.status.resources' },
];

/** The structural schema of a composite: spec and status from zod, cross-field CEL rules on the estate. */
function versionSchema(def: CompositeKind): Record<string, unknown> {
  const spec = openApiSchema(def.spec);
  if (def.claimKind) spec['x-kubernetes-validations'] = SPEC_VALIDATIONS;
  return {
    openApiv3Schema: {
      type: 'object',
      description: def.spec.description,
      required: ['spec'],
      properties: { spec, status: openApiSchema(def.status) },
    },
  };
}

/**
 * Emits the XRD of every composite kind, annotated `Prune=false,Delete=false` for Argo CD. The XRDs use apiextensions.crossplane.io/v1 and leave
 * `scope` to its v1 default, LegacyCluster, so the same file applies on Crossplane 1.x (which has no
 * scope field) and 2.x, and the namespaced DisasterRecovery claim works on both.
 */
export class DefinitionsChart extends Chart {
  constructor(scope: Construct, id: string, kinds: readonly CompositeKind[]) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const def of kinds) {
      new CompositeResourceDefinition(this, def.kind, {
        // Argo CD neither prunes an XRD nor deletes it with its Application: deleting one deletes every composite of
        // its kind and, through them, every managed resource whose deletion policy is Delete. Per object, because
        // Argo CD before 3.4 ignores the Application's own Prune=false/Delete=false.
        metadata: { name: `${def.plural}.${GROUP}`, annotations: syncOptionsAnnotation({ stateful: true }) },
        spec: {
          group: GROUP,
          names: { kind: def.kind, plural: def.plural, shortNames: [...def.shortNames], categories: ['drplane', 'crossplane'] },
          ...(def.claimKind
            ? {
                claimNames: {
                  kind: def.claimKind,
                  plural: def.claimKind.toLowerCase().replace(/y$/, 'ies'),
                  shortNames: ['dr'],
                  categories: ['drplane'],
                },
              }
            : {}),
          defaultCompositionRef: { name: def.plural },
          versions: [
            {
              name: VERSION,
              served: true,
              referenceable: true,
              schema: versionSchema(def),
              additionalPrinterColumns: def.claimKind ? ESTATE_COLUMNS : PRIMITIVE_COLUMNS,
            },
          ],
        },
      });
    }
  }
}
