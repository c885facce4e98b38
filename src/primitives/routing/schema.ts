/** The schema of XFailoverRouting: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, flag, observedPerRegion, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';
import { readinessStatus } from '../../api/status.js';

/** Spec of XFailoverRouting. */
export const FailoverRoutingSpecSchema = z
  .object({
    ...estate,
    routing: section.routing(),
    database: flag('an Aurora global database that gets writer/reader CNAMEs'),
    service: flag('a regional service whose /health is checked'),
    customDomain: flag(
      'a service with an HTTP API in every region, which recordName fronts through API Gateway custom domains (ACM certificate, DomainName, APIMapping, alias records)',
    ),
    readinessReports: flag(
      "each region's lag monitor reports its ARC readiness cell (routing.arc.readiness with the claim's monitoring section): the routing composite then observes each region's report",
    ),
    tables: z
      .array(z.string().max(255))
      .max(64)
      .default([])
      .describe(
        "Logical names of the estate's DynamoDB global tables: with routing.control arc, each table's replicas are one ARC readiness resource set.",
      ),
    serviceEndpoints: observedPerRegion('Host name of the service (Function URL or HTTP API host)'),
    databaseWriterEndpoints: observedPerRegion('Writer (cluster) endpoint of the Aurora cluster'),
    databaseReaderEndpoints: observedPerRegion('Reader endpoint of the Aurora cluster'),
    databaseWriterRegion: z
      .string()
      .max(32)
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (observed); the records follow it, so they stay on the writer after a failover outside git.",
      ),
  })
  .describe('Route 53 health checks and records that follow the database writer (else activeRegion).');

/** Spec of XFailoverRouting, after defaults. */
export type FailoverRoutingSpec = z.output<typeof FailoverRoutingSpecSchema>;

/** XFailoverRouting as the XRD generator and the function see it. */
export const api = {
  kind: 'XFailoverRouting',
  plural: 'xfailoverroutings',
  shortNames: ['xroute'],
  spec: FailoverRoutingSpecSchema,
  status: PrimitiveStatusSchema,
  /**
   * Each region's Route 53 health check id, (arc) routing control ARN and readiness cell; the public URL once a service
   * record is Ready; (arc) the ARC cluster's endpoints.
   */
  outputs: {
    regions: ['healthCheckId', 'routingControlArn', 'readinessCell', 'readiness'],
    composite: ['publicUrl', 'arcEndpoints'],
  },
  /** Its claim section: spec.routing. */
  claim: {
    field: 'routing',
    schema: section.routing,
    page: 'Operations',
    regionStatus: {
      healthCheckId: z.string().optional().describe('Id of the Route 53 health check that probes the service in this region.'),
      readinessCell: z
        .string()
        .optional()
        .describe(
          "Name of this region's Route 53 ARC readiness cell (routing.arc.readiness), once Ready. drctl status reads each cell's readiness from the ARC readiness API itself; readiness below is what the region's lag monitor last reported.",
        ),
      readiness: readinessStatus(),
    },
  },
} as const satisfies PrimitiveApi;
