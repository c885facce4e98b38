/**
 * AWS commercial regions drplane accepts, with the short code used in AWS resource names.
 * Source: AWS General Reference, "Regions and Zones" (checked 2026-11-01).
 */
export const AWS_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

/** One of the AWS regions drplane accepts. */
export type AwsRegion = (typeof AWS_REGIONS)[number];

const DIRECTION: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** Short code of a region for names: us-east-1 → use1, ap-southeast-2 → apse2. */
export function regionCode(region: string): string {
  const [area = '', direction = '', index = ''] = region.split('-');
  return `${area}${DIRECTION[direction] ?? direction.slice(0, 2)}${index}`;
}

/** True when `value` names an AWS region drplane knows. */
export function isAwsRegion(value: string): value is AwsRegion {
  return (AWS_REGIONS as readonly string[]).includes(value);
}
