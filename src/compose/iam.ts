/** IAM policy documents as data, serialized with a stable key order. */

/** One statement of an IAM policy. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource?: readonly string[];
  readonly Principal?: Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document as the JSON string the provider takes. */
export function policyDocument(statements: readonly Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A trust policy letting an AWS service assume the role. */
export function serviceTrust(service: string): string {
  return policyDocument([
    { Sid: 'AssumeByService', Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole'] },
  ]);
}
