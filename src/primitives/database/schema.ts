/** The schema of XGlobalDatabase: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';

/** Spec of XGlobalDatabase. */
export const GlobalDatabaseSpecSchema = z
  .object({ ...estate, database: section.database() })
  .describe('An Aurora global database over all regions of the estate.');

/** Spec of XGlobalDatabase, after defaults. */
export type GlobalDatabaseSpec = z.output<typeof GlobalDatabaseSpecSchema>;

/** XGlobalDatabase as the XRD generator and the function see it. */
export const api = {
  kind: 'XGlobalDatabase',
  plural: 'xglobaldatabases',
  shortNames: ['xgdb'],
  spec: GlobalDatabaseSpecSchema,
  status: PrimitiveStatusSchema,
  /** Each region's cluster endpoints, ARN and identifier; where the writer is and whether the clusters are paused. */
  outputs: {
    regions: ['endpoint', 'readerEndpoint', 'arn', 'identifier'],
    composite: ['writerRegion', 'adoptedWriterRegion', 'clustersPaused'],
  },
  /** Its claim section: spec.database. */
  claim: {
    field: 'database',
    schema: section.database,
    page: 'Data',
    regionStatus: {
      databaseWriter: z.string().optional().describe('Writer endpoint of the Aurora cluster in this region.'),
      databaseReader: z.string().optional().describe('Reader endpoint of the Aurora cluster in this region.'),
    },
  },
} as const satisfies PrimitiveApi;
