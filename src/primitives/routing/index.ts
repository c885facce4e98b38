/** XFailoverRouting: Route 53 health checks and records that follow the database writer (else activeRegion). */
import { arcReadiness, serviceHttpApi } from '../../api/sections.js';
import type { Primitive } from '../types.js';
import { composeRouting } from './compose.js';
import { routingLines } from './cost.js';
import { ROUTING_RULES } from './rules.js';

/** The routing primitive. */
export const routing: Primitive<'XFailoverRouting'> = {
  key: 'routing',
  holdsData: false,
  compose: (ctx, s, o, options) => composeRouting(ctx, s, o, options.today),
  nested: (claim, x) =>
    claim.routing
      ? [
          {
            section: 'spec.routing',
            spec: {
              routing: claim.routing,
              database: claim.database !== undefined,
              service: claim.service !== undefined,
              customDomain: claim.service !== undefined && serviceHttpApi(claim.service, claim.routing),
              // The lag monitor writes the reports (monitoring's arcReadiness): without monitoring nothing would.
              readinessReports: claim.monitoring !== undefined && claim.service !== undefined && arcReadiness(claim.routing),
              tables: (claim.tables ?? []).map((t) => t.name),
              serviceEndpoints: x.hosts,
              databaseWriterEndpoints: x.writers,
              databaseReaderEndpoints: x.readers,
              ...(claim.database && x.writerRegion !== undefined ? { databaseWriterRegion: x.writerRegion } : {}),
            },
          },
        ]
      : [],
  cost: routingLines,
  rules: ROUTING_RULES,
  // The claim's status.regions.<region>: the health check, the ARC readiness cell and its last readiness report.
  status: {
    claimRegion: (composite, region) => {
      const healthCheckId = composite.output(region, 'healthCheckId');
      const readinessCell = composite.output(region, 'readinessCell');
      const readiness = composite.group(region, 'readiness');
      return {
        ...(healthCheckId ? { healthCheckId } : {}),
        ...(readinessCell ? { readinessCell } : {}),
        ...(readiness ? { readiness } : {}),
      };
    },
  },
};
