/** Chart of the Compositions: Pipeline mode, one step that calls the drplane function. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Composition, CompositionSpecMode } from '../imports/apiextensions.crossplane.io.js';
import { API_VERSION, type CompositeKind } from '../src/api/index.js';

/** Name of the drplane composition function package. */
export const FUNCTION_NAME = 'function-drplane';

/** Emits one Composition per composite kind, each a single pipeline step calling our function. */
export class CompositionsChart extends Chart {
  constructor(scope: Construct, id: string, kinds: readonly CompositeKind[]) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const def of kinds) {
      new Composition(this, def.kind, {
        metadata: { name: def.plural, labels: { 'drplane.io/kind': def.kind } },
        spec: {
          compositeTypeRef: { apiVersion: API_VERSION, kind: def.kind },
          mode: CompositionSpecMode.PIPELINE,
          pipeline: [{ step: 'compose', functionRef: { name: FUNCTION_NAME } }],
        },
      });
    }
  }
}
