/**
 * ARNs and the AWS account id. The account is never guessed: it is read from the ARN of a resource
 * this composite already created (observed state). A plan shows a visible placeholder instead.
 */
import type { ObservedView } from './types.js';

/** Partition of every region drplane accepts (commercial AWS). */
export const PARTITION = 'aws';

/** The 12-digit account id inside an ARN, if `arn` is one. */
export function accountOf(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : /^arn:aws[\w-]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * The account id, from the first of `keys` whose observed `status.atProvider.arn` is known. In a
 * plan: a placeholder naming where the value will come from.
 */
export function observedAccount(observed: ObservedView, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return undefined;
  if (observed.planning) return observed.field(keys[0]!, 'account id in status.atProvider.arn');
  for (const key of keys) {
    const account = accountOf(observed.field(key, 'status.atProvider.arn'));
    if (account) return account;
  }
  return undefined;
}

/** The observed `status.atProvider.arn` of a composed resource. */
export const observedArn = (observed: ObservedView, key: string): string | undefined =>
  observed.field(key, 'status.atProvider.arn');

/** `arn:aws:<service>:<region>:<account>:<resource>`. */
export const arn = (service: string, region: string, account: string, resource: string): string =>
  `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;

/** ARN of an IAM role (global: no region). */
export const roleArn = (account: string, name: string): string => arn('iam', '', account, `role/${name}`);

/** ARN of an AWS managed IAM policy. */
export const managedPolicy = (path: string): string => `arn:${PARTITION}:iam::aws:policy/${path}`;

/** The host of an https URL (`https://abc.lambda-url.us-east-1.on.aws/` → `abc.lambda-url.us-east-1.on.aws`). */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const match = /^[a-z]+:\/\/([^/:]+)/i.exec(url);
  return match ? match[1] : undefined;
}
