/** The schema of XDRNetwork: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, flag, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';
import { MAX_API_ACCESS_CIDRS } from '../kubernetes/section.js';

/** Spec of XDRNetwork. */
export const DRNetworkSpecSchema = z
  .object({
    ...estate,
    network: section.network(),
    databaseEngine: z
      .enum(section.DATABASE_ENGINES)
      .optional()
      .describe('Engine of the estate database, if any; only its port is opened, and only from the estate VPCs.'),
    kubernetes: flag(
      'EKS clusters (XRegionalCluster), whose nodes reach ECR, EC2, STS, logs and EKS Auth through interface endpoints',
    ),
    clusterApiCidrs: z
      .array(z.string().max(18))
      .max(MAX_API_ACCESS_CIDRS)
      .default([])
      .meta({ 'x-kubernetes-list-type': 'set' })
      .describe(
        "Networks besides the estate's VPCs admitted on HTTPS to the EKS clusters' private API (the claim's kubernetes.apiAccessCidrs); only with kubernetes.",
      ),
  })
  .describe('A VPC per region with private subnets, endpoints and peering.');

/** Spec of XDRNetwork, after defaults. */
export type DRNetworkSpec = z.output<typeof DRNetworkSpecSchema>;

/** XDRNetwork as the XRD generator and the function see it. */
export const api = {
  kind: 'XDRNetwork',
  plural: 'xdrnetworks',
  shortNames: ['xdrnet'],
  spec: DRNetworkSpecSchema,
  status: PrimitiveStatusSchema,
  /** Publishes nothing other primitives read. */
  outputs: { regions: [], composite: [] },
  /** Its claim section: spec.network. */
  claim: { field: 'network', schema: section.network, page: 'Network and compute' },
} as const satisfies PrimitiveApi;
