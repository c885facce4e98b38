/**
 * Where DynamoDB offers multi-Region strong consistency (MRSC): a global table's three regions (replicas, or two
 * replicas and a witness) must all be in one of these Region sets.
 *
 * Source: botocore's DynamoDB service model (the pinned .venv, service-2.json, shape
 * CreateGlobalTableWitnessGroupMemberAction.RegionName), the same text as the DynamoDB API Reference and the
 * CloudFormation reference (AWS::DynamoDB::GlobalTable GlobalTableWitness): "US Region set: US East (N. Virginia),
 * US East (Ohio), US West (Oregon); EU Region set: Europe (Ireland), Europe (London), Europe (Paris), Europe
 * (Frankfurt); AP Region set: Asia Pacific (Tokyo), Asia Pacific (Seoul), Asia Pacific (Osaka)". Checked 2026-12-05;
 * test/policy/dynamodb-mrsc.test.ts compares this table with the botocore text, so an update of botocore that
 * changes the sets fails it.
 */

/** MRSC Region sets by name. */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

/** Date the sets were checked against their source. */
export const MRSC_CHECKED = '2026-12-05';

/** The name of the Region set that holds every region given, if one does. */
export function mrscSetOf(regions: readonly string[]): string | undefined {
  return Object.keys(MRSC_REGION_SETS).find((name) => regions.every((r) => MRSC_REGION_SETS[name]!.includes(r)));
}
