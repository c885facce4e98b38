/** The schema of XRegionalService: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, flag, names, observedPerRegion, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';

/** Spec of XRegionalService. */
export const RegionalServiceSpecSchema = z
  .object({
    ...estate,
    service: section.service(),
    tables: names('DynamoDB tables the service reads and writes'),
    tableKey: z
      .object({
        hash: section.attribute().describe('Partition key of the first table.'),
        range: section.attribute().optional().describe('Sort key of the first table, if any.'),
      })
      .optional()
      .describe(
        "Key schema of the first table, where the service keeps its transactions and /health's sentinel item (keyed as the table is).",
      ),
    database: flag('an Aurora global database whose regional endpoint /health probes'),
    databaseEngine: z
      .enum(section.DATABASE_ENGINES)
      .optional()
      .describe('Engine of the Aurora global database: the protocol and port /health probes.'),
    databaseReaderEndpoints: observedPerRegion('Reader endpoint of the Aurora cluster, which /health probes'),
    network: flag('a network the service attaches to'),
    routing: flag(
      'Route 53 health checks, which cannot sign requests: an AWS_IAM service then gets an HTTP API with a public /health route',
    ),
  })
  .describe('The regional Lambda service in every region.');

/** Spec of XRegionalService, after defaults. */
export type RegionalServiceSpec = z.output<typeof RegionalServiceSpecSchema>;

/** XRegionalService as the XRD generator and the function see it. */
export const api = {
  kind: 'XRegionalService',
  plural: 'xregionalservices',
  shortNames: ['xsvc'],
  spec: RegionalServiceSpecSchema,
  status: PrimitiveStatusSchema,
  /** Each region's function name, host and URL. */
  outputs: { regions: ['identifier', 'endpoint', 'url'], composite: [] },
  /** Its claim section: spec.service. */
  claim: {
    field: 'service',
    schema: section.service,
    page: 'Network and compute',
    regionStatus: {
      serviceUrl: z.string().optional().describe('Function URL or HTTP API endpoint of the service in this region.'),
    },
  },
} as const satisfies PrimitiveApi;
