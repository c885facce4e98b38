/**
 * From an API operation (botocore's names) to the IAM action that authorizes it. Most actions are
 * `<IAM prefix>:<Operation>`; the exceptions are data here, each checked by test/bootstrap/permissions.test.ts
 * against botocore (the operation exists, and for API Gateway its HTTP method) and cfn-lint's IAM data (the action
 * exists).
 */

/** IAM service prefix of a botocore service name, where they differ. */
export const IAM_PREFIX: Readonly<Record<string, string>> = {
  apigatewayv2: 'apigateway',
  stepfunctions: 'states',
};

/** Operations whose IAM action has another name, by `<botocore service>:<Operation>`. */
export const RENAMED: Readonly<Record<string, string>> = {
  // S3 authorizes several bucket sub-resources under older names, and a delete as the matching put.
  's3:HeadBucket': 'ListBucket',
  's3:HeadObject': 'GetObject',
  's3:GetBucketCors': 'GetBucketCORS',
  's3:GetBucketAccelerateConfiguration': 'GetAccelerateConfiguration',
  's3:GetBucketLifecycleConfiguration': 'GetLifecycleConfiguration',
  's3:PutBucketLifecycleConfiguration': 'PutLifecycleConfiguration',
  's3:DeleteBucketLifecycle': 'PutLifecycleConfiguration',
  's3:GetBucketReplication': 'GetReplicationConfiguration',
  's3:PutBucketReplication': 'PutReplicationConfiguration',
  's3:DeleteBucketReplication': 'PutReplicationConfiguration',
  's3:GetBucketEncryption': 'GetEncryptionConfiguration',
  's3:PutBucketEncryption': 'PutEncryptionConfiguration',
  's3:DeleteBucketEncryption': 'PutEncryptionConfiguration',
  's3:GetObjectLockConfiguration': 'GetBucketObjectLockConfiguration',
  's3:GetPublicAccessBlock': 'GetBucketPublicAccessBlock',
  's3:PutPublicAccessBlock': 'PutBucketPublicAccessBlock',
  's3:DeletePublicAccessBlock': 'PutBucketPublicAccessBlock',
  's3:DeleteBucketOwnershipControls': 'PutBucketOwnershipControls',
  's3:ListObjectVersions': 'ListBucketVersions',
  's3:DeleteBucketTagging': 'PutBucketTagging',
  'lambda:Invoke': 'InvokeFunction',
};

/**
 * API Gateway authorizes the HTTP verb of each call on the resource path (`apigateway:POST` on `/apis`), so the action
 * of an apigatewayv2 operation is its HTTP method, as botocore's model states it.
 */
export const HTTP_METHOD: Readonly<Record<string, string>> = {
  CreateApi: 'POST',
  GetApi: 'GET',
  UpdateApi: 'PATCH',
  DeleteApi: 'DELETE',
  DeleteCorsConfiguration: 'DELETE',
  CreateIntegration: 'POST',
  GetIntegration: 'GET',
  UpdateIntegration: 'PATCH',
  DeleteIntegration: 'DELETE',
  CreateRoute: 'POST',
  GetRoute: 'GET',
  UpdateRoute: 'PATCH',
  DeleteRoute: 'DELETE',
  CreateStage: 'POST',
  GetStage: 'GET',
  UpdateStage: 'PATCH',
  DeleteStage: 'DELETE',
  CreateDomainName: 'POST',
  GetDomainName: 'GET',
  UpdateDomainName: 'PATCH',
  DeleteDomainName: 'DELETE',
  CreateApiMapping: 'POST',
  GetApiMapping: 'GET',
  UpdateApiMapping: 'PATCH',
  DeleteApiMapping: 'DELETE',
  TagResource: 'POST',
  UntagResource: 'DELETE',
};

/** `<botocore service>` and `<Operation>` of an operation string (`s3:CreateBucket@scope` → s3, CreateBucket). */
export function parseOperation(op: string): { service: string; operation: string; scope?: string } {
  const match = /^([a-z0-9-]+):([A-Za-z0-9]+)(?:@([A-Za-z0-9]+))?$/.exec(op);
  if (!match) throw new Error(`not an operation: ${op} (write <botocore service>:<Operation>[@scope])`);
  return { service: match[1]!, operation: match[2]!, ...(match[3] ? { scope: match[3] } : {}) };
}

/** The IAM action that authorizes an operation. */
export function actionOf(service: string, operation: string): string {
  const prefix = IAM_PREFIX[service] ?? service;
  if (service === 'apigatewayv2') {
    const method = HTTP_METHOD[operation];
    if (!method) throw new Error(`no HTTP method recorded for apigatewayv2:${operation} (charts/bootstrap/iam/actions.ts)`);
    return `${prefix}:${method}`;
  }
  return `${prefix}:${RENAMED[`${service}:${operation}`] ?? operation}`;
}
