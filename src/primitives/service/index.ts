/** XRegionalService: the regional Lambda service in every region. */
import type { Primitive } from '../types.js';
import { composeService } from './compose.js';
import { serviceLines } from './cost.js';
import { SERVICE_RULES } from './rules.js';

/** The service primitive. */
export const service: Primitive<'XRegionalService'> = {
  key: 'service',
  holdsData: false,
  compose: (ctx, s, o, opts) => composeService(ctx, s, o, opts.artifacts),
  nested: (claim, x) =>
    claim.service
      ? [
          {
            section: 'spec.service',
            spec: {
              service: claim.service,
              tables: (claim.tables ?? []).map((t) => t.name),
              ...(claim.tables?.[0] === undefined
                ? {}
                : {
                    tableKey: {
                      hash: claim.tables[0].hashKey,
                      ...(claim.tables[0].rangeKey === undefined ? {} : { range: claim.tables[0].rangeKey }),
                    },
                  }),
              database: claim.database !== undefined,
              ...(claim.database ? { databaseEngine: claim.database.engine, databaseReaderEndpoints: x.readers } : {}),
              network: claim.network !== undefined,
              routing: claim.routing !== undefined,
            },
          },
        ]
      : [],
  cost: serviceLines,
  rules: SERVICE_RULES,
  // The claim's status.regions.<region>.serviceUrl.
  status: {
    claimRegion: (composite, region) => {
      const url = composite.output(region, 'url');
      return url ? { serviceUrl: url } : {};
    },
  },
};
