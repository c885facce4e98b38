/** The schema of XReplicatedBucket: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';

/** Spec of XReplicatedBucket. */
export const ReplicatedBucketSpecSchema = z
  .object({ ...estate, bucket: section.bucket() })
  .describe('An S3 bucket per region with replication from the primary.');

/** Spec of XReplicatedBucket, after defaults. */
export type ReplicatedBucketSpec = z.output<typeof ReplicatedBucketSpecSchema>;

/** XReplicatedBucket as the XRD generator and the function see it. */
export const api = {
  kind: 'XReplicatedBucket',
  plural: 'xreplicatedbuckets',
  shortNames: ['xrb'],
  spec: ReplicatedBucketSpecSchema,
  status: PrimitiveStatusSchema,
  /** Publishes nothing other primitives read. */
  outputs: { regions: [], composite: [] },
  /** Its claim section: spec.buckets. */
  claim: { field: 'buckets', schema: section.buckets, page: 'Data' },
} as const satisfies PrimitiveApi;
