/** XReplicatedBucket: an S3 bucket per region, each replicating to every other. */
import type { Primitive } from '../types.js';
import { composeBucket } from './compose.js';
import { bucketLines } from './cost.js';

/** The bucket primitive: one composite per bucket of the claim. */
export const bucket: Primitive<'XReplicatedBucket'> = {
  key: 'bucket',
  holdsData: true,
  compose: (ctx, s, o) => composeBucket(ctx, s.bucket, o),
  nested: (claim) => (claim.buckets ?? []).map((b, i) => ({ section: `spec.buckets[${i}]`, name: b.name, spec: { bucket: b } })),
  cost: bucketLines,
  // Bucket names and the uniqueness of bucket entries are checked with the estate's names and lists.
  rules: [],
};
