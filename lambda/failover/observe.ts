/**
 * Reads of the AWS state a run is derived from: the global cluster and the failover records.
 */
import { DescribeGlobalClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import {
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { route53Call } from './clients.js';
import { normalizeDnsName } from './config.js';
import type { ObservedCluster } from './plan.js';
import { PlanError } from './records.js';

/** The global cluster `id`, described through a client of the target region. */
export async function describeGlobalCluster(rds: RDSClient, id: string): Promise<ObservedCluster> {
  const out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }));
  // Identifiers are case-insensitive; pick ours even if the service returns more.
  const cluster = (out.GlobalClusters ?? []).find((c) => c.GlobalClusterIdentifier?.toLowerCase() === id.toLowerCase());
  if (cluster === undefined) throw new PlanError(`global cluster ${id} was not found`);
  const fs = cluster.FailoverState;
  const hasState = fs !== undefined && (fs.Status !== undefined || fs.ToDbClusterArn !== undefined);
  return {
    status: cluster.Status,
    members: (cluster.GlobalClusterMembers ?? []).flatMap((m) =>
      m.DBClusterArn === undefined ? [] : [{ arn: m.DBClusterArn, isWriter: m.IsWriter === true }],
    ),
    failoverState: hasState
      ? { status: fs.Status, fromArn: fs.FromDbClusterArn, toArn: fs.ToDbClusterArn, dataLossAllowed: fs.IsDataLossAllowed }
      : undefined,
  };
}

/** True for `name` itself and the names under it (`writer.<name>`, `reader.<name>`). */
const atOrUnder = (candidate: string, name: string): boolean => candidate === name || candidate.endsWith(`.${name}`);

/**
 * The record sets named `name` or a name under it (any type) in the zone; each call bounded (route53Call), `signal`
 * aborts the listing. Route 53 lists by name with the labels reversed (com.example.api, com.example.api.reader, …), so
 * `name` and the names under it come in one run from `name` on; the listing stops at the first name outside it.
 */
export async function listRecords(
  route53: Route53Client,
  hostedZoneId: string,
  name: string,
  signal?: AbortSignal,
): Promise<ResourceRecordSet[]> {
  const records: ResourceRecordSet[] = [];
  let start: { name: string; type?: ResourceRecordSet['Type']; identifier?: string } | undefined = { name };
  while (start !== undefined) {
    const out: ListResourceRecordSetsCommandOutput = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        StartRecordName: start.name,
        StartRecordType: start.type,
        StartRecordIdentifier: start.identifier,
      }),
      route53Call(signal),
    );
    const page = out.ResourceRecordSets ?? [];
    const ours = (r: ResourceRecordSet) => r.Name !== undefined && atOrUnder(normalizeDnsName(r.Name), name);
    records.push(...page.filter(ours));
    // Listing is sorted by reversed name; stop once past ours.
    const passed = page.some((r) => !ours(r));
    start =
      out.IsTruncated === true && !passed && out.NextRecordName !== undefined
        ? { name: out.NextRecordName, type: out.NextRecordType, identifier: out.NextRecordIdentifier }
        : undefined;
  }
  return records;
}
