/** The schema of XGlobalTable: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';

/** Spec of XGlobalTable. */
export const GlobalTableSpecSchema = z
  .object({ ...estate, table: section.table() })
  .describe('A DynamoDB global table with a replica in every secondary region.');

/** Spec of XGlobalTable, after defaults. */
export type GlobalTableSpec = z.output<typeof GlobalTableSpecSchema>;

/** XGlobalTable as the XRD generator and the function see it. */
export const api = {
  kind: 'XGlobalTable',
  plural: 'xglobaltables',
  shortNames: ['xgt'],
  spec: GlobalTableSpecSchema,
  status: PrimitiveStatusSchema,
  /** Publishes nothing other primitives read. */
  outputs: { regions: [], composite: [] },
  /** Its claim section: spec.tables. */
  claim: { field: 'tables', schema: section.tables, page: 'Data' },
} as const satisfies PrimitiveApi;
