/** XDRNetwork: a VPC per region with private subnets, endpoints and peering. */
import type { Primitive } from '../types.js';
import { composeNetwork } from './compose.js';
import { endpointLines } from './cost.js';
import { NETWORK_RULES } from './rules.js';

/** The network primitive. */
export const network: Primitive<'XDRNetwork'> = {
  key: 'network',
  holdsData: false,
  compose: (ctx, s, o) => ({
    resources: composeNetwork(ctx, s.network, o, s.databaseEngine, s.kubernetes ? { apiCidrs: s.clusterApiCidrs } : undefined),
  }),
  nested: (claim) =>
    claim.network
      ? [
          {
            section: 'spec.network',
            spec: {
              network: claim.network,
              ...(claim.database ? { databaseEngine: claim.database.engine } : {}),
              ...(claim.kubernetes ? { kubernetes: true } : {}),
              ...(claim.kubernetes?.apiAccessCidrs.length ? { clusterApiCidrs: claim.kubernetes.apiAccessCidrs } : {}),
            },
          },
        ]
      : [],
  cost: endpointLines,
  rules: NETWORK_RULES,
};
