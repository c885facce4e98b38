/**
 * Parsing AWS ARNs (`arn:partition:service:region:account:resource`). Pure.
 */

/** The parts of an ARN. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources (IAM, Aurora global clusters). */
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its parts, or undefined when `value` is not an ARN. */
export function parseArn(value: string): Arn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts;
  if (!partition || !service || region === undefined || account === undefined) return undefined;
  const resource = parts.slice(5).join(':');
  if (resource === '') return undefined;
  return { partition, service, region, account, resource };
}
