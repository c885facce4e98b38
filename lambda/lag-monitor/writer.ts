/**
 * Which Aurora cluster writes now, asked of RDS at run time (DescribeGlobalClusters in the monitor's own region), so
 * that after a failover the new writer is reported as the writer (it has no replication lag to read) and the old
 * primary, now a secondary, is read like any other replica: nothing in the monitor's configuration names the writer.
 */
import { DescribeGlobalClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { parseArn } from '../shared/arn.js';

/** The writer of the global cluster as `<region>/<cluster identifier>`, or the reason it is not known. */
export type WriterLookup =
  { readonly kind: 'known'; readonly writer: string | undefined } | { readonly kind: 'failed'; readonly reason: string };

/** `<region>/<identifier>` of a cluster ARN (`arn:aws:rds:<region>:<account>:cluster:<identifier>`). */
export function clusterKey(clusterArn: string): string | undefined {
  const arn = parseArn(clusterArn);
  if (arn?.service !== 'rds' || !arn.resource.startsWith('cluster:')) return undefined;
  return `${arn.region}/${arn.resource.slice('cluster:'.length)}`;
}

/** Looks up the writer member of `globalClusterId`; a failed or bounded-out call is reported, never thrown. */
export async function findWriter(
  rds: RDSClient,
  globalClusterId: string,
  call: () => { abortSignal: AbortSignal },
): Promise<WriterLookup> {
  try {
    const out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalClusterId }), call());
    const members = out.GlobalClusters?.[0]?.GlobalClusterMembers ?? [];
    const writer = members.find((m) => m.IsWriter === true)?.DBClusterArn;
    return { kind: 'known', writer: writer === undefined ? undefined : clusterKey(writer) };
  } catch (err) {
    return { kind: 'failed', reason: `DescribeGlobalClusters failed: ${err instanceof Error ? err.name : 'UnknownError'}` };
  }
}
