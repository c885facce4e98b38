/** The schema of XRegionalCluster: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import { kubernetes, nodeGroupStatus } from './section.js';

/** Spec of XRegionalCluster. */
export const RegionalClusterSpecSchema = z
  .object({
    ...estate,
    kubernetes: kubernetes(),
    databaseWriterRegion: z
      .string()
      .max(32)
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (observed, with a database): its node group is sized as the active region's, so the failover orchestrator's scale-up there is followed before git records the move.",
      ),
  })
  .describe('An EKS cluster per region in the estate network, with a managed node group sized by standby mode.');

/** Spec of XRegionalCluster, after defaults. */
export type RegionalClusterSpec = z.output<typeof RegionalClusterSpecSchema>;

/** XRegionalCluster as the XRD generator and the function see it. */
export const api = {
  kind: 'XRegionalCluster',
  plural: 'xregionalclusters',
  shortNames: ['xeks'],
  spec: RegionalClusterSpecSchema,
  status: PrimitiveStatusSchema,
  /** Each region's cluster name, API endpoint and ARN, and its node group's counts and readiness. */
  outputs: { regions: ['identifier', 'endpoint', 'arn', 'nodes'], composite: [] },
  /** Its claim section, spec.kubernetes, and each region's node group in the claim's status (status.ts fills it). */
  claim: {
    field: 'kubernetes',
    schema: kubernetes,
    page: 'Network and compute',
    regionStatus: { clusterNodes: nodeGroupStatus() },
  },
} as const satisfies PrimitiveApi;
