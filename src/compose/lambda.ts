/**
 * drplane's Lambda functions (the regional service, the lag monitor, the failover orchestrator),
 * built the same way wherever they run:
 *
 * - code: a per-region artifacts bucket of the primitive (versioned, SSE-KMS with the primitive's
 *   key, public access blocked, owner enforced, noncurrent versions expiring) holding the zip at
 *   `lambda/<name>/<sha256>.zip`, shipped by an s3 Object with `contentBase64`. The zip bytes come
 *   from the caller (the function adapter loads dist/lambda at startup; compose does no I/O). A new
 *   zip is a new key and a new Object resource (S3 object keys cannot change in place), so a code
 *   change rolls out by the Function's s3Key changing;
 * - an execution role per function and region with an inline policy of exactly what the handler
 *   calls (written once the account id is observed), plus AWSLambdaVPCAccessExecutionRole when the
 *   function is in a VPC (the ENI actions it grants only exist with Resource "*");
 * - a log group `/aws/lambda/<function>` with the claim's retention (the execution role has no
 *   logs:CreateLogGroup, so Lambda cannot create it first with infinite retention);
 * - the function (arm64, index.handler), created once its code object exists.
 */
import { DEFAULT_LAMBDA_RUNTIME } from '../api/sections.js';
import { hardenedBucketParts } from './s3.js';
import { Group } from '../../imports/cloudwatchlogs.aws.upbound.io.js';
import { Role, RolePolicy, RolePolicyAttachment } from '../../imports/iam.aws.upbound.io.js';
import { Function as LambdaFunction, Permission } from '../../imports/lambda.aws.upbound.io.js';
import { Bucket, BucketLifecycleConfiguration, Object as S3Object } from '../../imports/s3.aws.upbound.io.js';
import { LAMBDA_ARTIFACTS, type LambdaName } from '../../lambda/artifacts.js';
import { arn, managedPolicy, observedAccount } from './arn.js';
import { lastForProvider } from './observed.js';
import type { ComposeContext } from './context.js';
import { ofEstate, own } from './selector.js';
import { policyDocument, serviceTrust, type Statement } from './iam.js';
import { accountAdministersKey, keyKey, keySelector, kmsKey, logsUseKey } from './kms.js';
import { NETWORK } from '../primitives/network/compose.js';
import type { ComposeEvent, DesiredResource, LambdaArtifacts, Manifest, ObservedView } from './types.js';

export type { LambdaArtifacts } from './types.js';

/**
 * Runtime of drplane's own functions (lag monitor, orchestrator): the newest the claim API offers, so they are
 * never the first to hit a Lambda deprecation. The bundles target Node 20 syntax and run on 22 and 24.
 */
export const INTERNAL_RUNTIME = DEFAULT_LAMBDA_RUNTIME;

/** Tag that keeps a resource out of the estate's AWS Backup selection (the artifacts buckets hold only build output). */
export const BACKUP_SKIP_TAG = { 'drplane:backup': 'skip' } as const;

/** The code of one handler: its SHA-256 and, when loaded, its bytes. */
export interface Code {
  readonly name: LambdaName;
  readonly sha256: string;
  readonly base64?: string;
}

/** The code of a handler: the loaded zip when there is one, else the SHA-256 recorded in lambda/artifacts.json. */
export function codeOf(name: LambdaName, artifacts: LambdaArtifacts | undefined): Code {
  const loaded = artifacts?.[name];
  return loaded ? { name, sha256: loaded.sha256, base64: loaded.base64 } : { name, sha256: LAMBDA_ARTIFACTS[name].sha256 };
}

/** S3 key of a handler's zip: `lambda/<name>/<sha256>.zip` (the contract of lambda/artifacts.ts). */
export const codeS3Key = (code: Code): string => `lambda/${code.name}/${code.sha256}.zip`;

/** Composition keys of a Lambda's parts. */
export const lambdaKeys = (purpose: string, region: string) => ({
  bucket: `${purpose}-code-${region}`,
  role: `${purpose}-role-${region}`,
  policy: `${purpose}-policy-${region}`,
  logs: `${purpose}-logs-${region}`,
  function: `${purpose}-function-${region}`,
  object: (code: Code) => `${purpose}-code-${region}-${code.sha256.slice(0, 12)}`,
});

/** Component labels of a Lambda's parts (selectors match on them). */
export const lambdaComponents = (purpose: string) => ({
  bucket: `${purpose}-code`,
  role: `${purpose}-role`,
  function: `${purpose}-function`,
});

/** The AWS name of a drplane function. */
export const functionName = (ctx: ComposeContext, purpose: string, region: string): string =>
  ctx.namer.name('lambdaFunction', purpose, region);

/**
 * The artifacts bucket of a primitive in one region, with its KMS key. The key also encrypts the function's log
 * group: once the account is observed (from the key's or the role's ARN) its policy lets CloudWatch Logs use it
 * for that one group (until then the log group's creation is refused and retried).
 */
function artifactsBucket(
  ctx: ComposeContext,
  purpose: string,
  region: string,
  observed: ObservedView,
  /** Further log groups of the primitive the key encrypts (e.g. a state machine's). */
  moreLogGroups: readonly string[] = [],
): DesiredResource[] {
  const k = lambdaKeys(purpose, region);
  const c = lambdaComponents(purpose);
  const name = ctx.namer.lambdaBucket(purpose, region).value;
  const bucketRef = own(ctx, c.bucket, region);
  const part = (suffix: string, manifest: Manifest): DesiredResource => ({ key: `${k.bucket}-${suffix}`, manifest, region });
  const meta = (suffix: string) => ctx.metadata(`${c.bucket}-${suffix}`, region);
  const account = observedAccount(observed, [keyKey(purpose, region), k.role]);
  const policy =
    account === undefined
      ? undefined
      : policyDocument([
          accountAdministersKey(account),
          logsUseKey(region, account, [logGroupName(ctx, purpose, region), ...moreLogGroups]),
        ]);
  return [
    ...kmsKey(ctx, purpose, region, { stateful: false, observed, ...(policy === undefined ? {} : { policy }) }),
    {
      key: k.bucket,
      region,
      manifest: Bucket.manifest({
        metadata: ctx.metadata(c.bucket, region, name),
        // Build output only: always destroyable, whatever the profile.
        spec: { forProvider: { region, forceDestroy: true, tags: ctx.tags({ Name: name, ...BACKUP_SKIP_TAG }) } },
      }),
    },
    ...hardenedBucketParts(ctx, {
      region,
      key: k.bucket,
      component: c.bucket,
      bucketRef,
      keyPurpose: purpose,
      bucketName: name,
    }),
    part(
      'lifecycle',
      BucketLifecycleConfiguration.manifest({
        metadata: meta('lifecycle'),
        spec: {
          forProvider: {
            region,
            bucketSelector: bucketRef,
            rule: [
              {
                id: 'expire-replaced-code',
                status: 'Enabled',
                filter: [{ prefix: '' }],
                noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
                abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
              },
            ],
          },
        },
      }),
    ),
  ];
}

/**
 * The s3 Object that ships a zip into the artifacts bucket. Without the zip's bytes: in a plan, a
 * visible placeholder naming the file; in a cluster, nothing (uploading a placeholder would make
 * Lambda reject the code) and a Warning event.
 */
function codeObject(
  ctx: ComposeContext,
  purpose: string,
  region: string,
  code: Code,
  observed: ObservedView,
): { resources: DesiredResource[]; events: ComposeEvent[] } {
  const k = lambdaKeys(purpose, region);
  if (code.base64 === undefined && !observed.planning) {
    const message = `${purpose} in ${region}: dist/lambda/${code.name}.zip (sha256 ${code.sha256}) is not loaded (DRPLANE_LAMBDA_DIR); its code object and function wait for it`;
    return { resources: [], events: [{ severity: 'Warning', message }] };
  }
  const contentBase64 =
    code.base64 ?? `<base64 of dist/lambda/${code.name}.zip (sha256 ${code.sha256}), built by npm run build:lambda>`;
  const manifest = S3Object.manifest({
    metadata: ctx.metadata(`${lambdaComponents(purpose).bucket}-object`, region),
    spec: {
      forProvider: {
        region,
        bucketSelector: own(ctx, lambdaComponents(purpose).bucket, region),
        key: codeS3Key(code),
        contentBase64,
        contentType: 'application/zip',
        // No tags: S3 allows at most 10 per object, fewer than a claim may carry; the key names the content.
      },
    },
  });
  return { resources: [{ key: k.object(code), manifest, region }], events: [] };
}

/** What a function needs. */
export interface FunctionSpec {
  readonly purpose: string;
  readonly region: string;
  readonly code: Code;
  readonly description: string;
  readonly runtime: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly environment: Record<string, string>;
  /** Attach to the network's private subnets and the service security group. */
  readonly vpc: boolean;
  readonly logRetentionDays: number;
}

/** The execution role (trusted by Lambda only) and, when in a VPC, the managed VPC-access policy. */
function executionRole(ctx: ComposeContext, purpose: string, region: string, vpc: boolean): DesiredResource[] {
  const k = lambdaKeys(purpose, region);
  const c = lambdaComponents(purpose);
  const name = ctx.namer.name('iamRole', purpose, region);
  const role: DesiredResource = {
    key: k.role,
    manifest: Role.manifest({
      metadata: ctx.metadata(c.role, region, name),
      spec: {
        forProvider: {
          assumeRolePolicy: serviceTrust('lambda.amazonaws.com'),
          description: `drplane ${purpose} function in ${region}`,
          tags: ctx.tags(),
        },
      },
    }),
  };
  if (!vpc) return [role];
  const attachment: DesiredResource = {
    key: `${purpose}-vpc-access-${region}`,
    manifest: RolePolicyAttachment.manifest({
      metadata: ctx.metadata(`${purpose}-vpc-access`, region),
      spec: {
        forProvider: {
          // ec2:CreateNetworkInterface and friends accept no narrower resource than "*": the AWS managed policy is the documented way.
          policyArn: managedPolicy('service-role/AWSLambdaVPCAccessExecutionRole'),
          roleSelector: own(ctx, c.role, region),
        },
      },
    }),
  };
  return [role, attachment];
}

/** The inline policy of an execution role. */
function rolePolicy(ctx: ComposeContext, purpose: string, region: string, statements: readonly Statement[]): DesiredResource {
  const k = lambdaKeys(purpose, region);
  return {
    key: k.policy,
    manifest: RolePolicy.manifest({
      // The bare policy name: the provider builds the id `<role>:<name>` itself (aws_iam_role_policy's external-name template).
      metadata: ctx.metadata(`${purpose}-policy`, region, purpose),
      spec: {
        forProvider: { policy: policyDocument(statements), roleSelector: own(ctx, lambdaComponents(purpose).role, region) },
      },
    }),
  };
}

/** Writing the function's own log stream, nothing else in CloudWatch Logs. */
export function logsStatement(ctx: ComposeContext, purpose: string, region: string, account: string): Statement {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [arn('logs', region, account, `log-group:${logGroupName(ctx, purpose, region)}:*`)],
  };
}

/** Name of the log group Lambda writes a function's logs to. */
export const logGroupName = (ctx: ComposeContext, purpose: string, region: string): string =>
  `/aws/lambda/${functionName(ctx, purpose, region)}`;

/**
 * The log group Lambda writes to, with the retention asked for, encrypted with the primitive's key of the
 * region (the artifacts key, whose policy admits CloudWatch Logs for this group; the selector resolves to the
 * key's ARN, which the field asks for).
 */
function logGroup(ctx: ComposeContext, purpose: string, region: string, retentionDays: number): DesiredResource {
  const name = logGroupName(ctx, purpose, region);
  return {
    key: lambdaKeys(purpose, region).logs,
    region,
    manifest: Group.manifest({
      metadata: ctx.metadata(`${purpose}-logs`, region, name),
      spec: {
        forProvider: {
          region,
          retentionInDays: retentionDays,
          kmsKeyIdSelector: keySelector(ctx, purpose, region),
          tags: ctx.tags(),
        },
      },
    }),
  };
}

/**
 * The function. It is created once its code object is Ready (CreateFunction fails on a missing S3
 * key); once it exists it is always emitted. While a new zip's object is not Ready yet, the function
 * keeps the key it already runs.
 */
function lambdaFunction(ctx: ComposeContext, spec: FunctionSpec, observed: ObservedView): DesiredResource | undefined {
  const { purpose, region, code } = spec;
  const k = lambdaKeys(purpose, region);
  const c = lambdaComponents(purpose);
  const objectReady = observed.ready(k.object(code));
  if (!objectReady && !observed.exists(k.function)) return undefined;
  const s3Key = objectReady ? codeS3Key(code) : (observed.field(k.function, 'spec.forProvider.s3Key') ?? codeS3Key(code));
  const name = functionName(ctx, purpose, region);
  const manifest = LambdaFunction.manifest({
    metadata: ctx.metadata(c.function, region, name),
    spec: {
      forProvider: {
        region,
        description: spec.description,
        architectures: ['arm64'],
        handler: 'index.handler',
        runtime: spec.runtime,
        memorySize: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        ...(spec.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: spec.reservedConcurrency }),
        packageType: 'Zip',
        s3BucketSelector: own(ctx, c.bucket, region),
        s3Key,
        roleSelector: own(ctx, c.role, region),
        environment: { variables: spec.environment },
        ...(spec.vpc
          ? {
              vpcConfig: {
                subnetIdSelector: ofEstate(ctx, NETWORK.subnet, region),
                securityGroupIdSelector: ofEstate(ctx, NETWORK.serviceSg, region),
              },
            }
          : {}),
        tags: ctx.tags({ Name: name }),
      },
    },
  });
  return { key: k.function, manifest, region };
}

/** A resource-based permission on a function of this composite. */
export function permission(
  ctx: ComposeContext,
  key: string,
  purpose: string,
  region: string,
  grant: {
    readonly statementId: string;
    readonly action: string;
    readonly principal: string;
    readonly sourceArn?: string;
    readonly functionUrlAuthType?: string;
    readonly invokedViaFunctionUrl?: boolean;
  },
): DesiredResource {
  const manifest = Permission.manifest({
    metadata: ctx.metadata(`${purpose}-permission`, region),
    spec: {
      forProvider: {
        region,
        functionNameSelector: own(ctx, lambdaComponents(purpose).function, region),
        statementId: grant.statementId,
        action: grant.action,
        principal: grant.principal,
        ...(grant.sourceArn === undefined ? {} : { sourceArn: grant.sourceArn }),
        ...(grant.functionUrlAuthType === undefined ? {} : { functionUrlAuthType: grant.functionUrlAuthType }),
        ...(grant.invokedViaFunctionUrl === undefined ? {} : { invokedViaFunctionUrl: grant.invokedViaFunctionUrl }),
      },
    },
  });
  return { key, manifest, region };
}

/** The observed ARN of a function of this composite. */
export const functionArn = (observed: ObservedView, purpose: string, region: string): string | undefined =>
  observed.field(lambdaKeys(purpose, region).function, 'status.atProvider.arn');

/** The settings of a drplane function that its construct does not derive itself. */
export type FunctionSettings = Omit<FunctionSpec, 'purpose' | 'region' | 'code' | 'vpc' | 'logRetentionDays'>;

/** What a drplane Lambda of one region needs. */
export interface DrplaneLambdaSpec {
  readonly purpose: string;
  readonly region: string;
  readonly code: Code;
  /** Attach to the network's private subnets and the service security group. */
  readonly vpc: boolean;
  readonly logRetentionDays: number;
  /** Further log groups of the primitive the artifacts key encrypts (e.g. a state machine's). */
  readonly moreLogGroups?: readonly string[];
  /** The execution role's statements once the account id is observed; undefined while they wait for other values. */
  readonly statements: (account: string) => readonly Statement[] | undefined;
  /** The function's settings (given the account id when known); undefined while its environment waits for values. */
  readonly function: (account: string | undefined) => FunctionSettings | undefined;
}

/** A drplane Lambda of one region: its resources, its events, and the account id observed from its role. */
export interface DrplaneLambda {
  readonly resources: DesiredResource[];
  readonly events: ComposeEvent[];
  readonly account: string | undefined;
}

/** `resource` with the forProvider it was last composed with (lastForProvider), if it was composed before. */
function kept(observed: ObservedView, resource: DesiredResource): DesiredResource | undefined {
  const last = lastForProvider(observed, resource.key);
  if (last === undefined) return undefined;
  return { ...resource, manifest: { ...resource.manifest, spec: { ...(resource.manifest.spec as object), forProvider: last } } };
}

/** A function's key, kind, labels and name, for emitting one composed before with its last forProvider (kept). */
function functionShell(ctx: ComposeContext, purpose: string, region: string): DesiredResource {
  const name = functionName(ctx, purpose, region);
  const manifest = LambdaFunction.manifest({
    metadata: ctx.metadata(lambdaComponents(purpose).function, region, name),
    spec: { forProvider: { region } },
  });
  return { key: lambdaKeys(purpose, region).function, manifest, region };
}

/**
 * One drplane Lambda in one region, the way the module comment says: the artifacts bucket and key, the code object,
 * the execution role, its log group, its inline policy (once the account is observed) and the function (once its code
 * object is Ready). The one construct every drplane function is made with.
 */
export function drplaneLambda(ctx: ComposeContext, spec: DrplaneLambdaSpec, observed: ObservedView): DrplaneLambda {
  const { purpose, region, code, vpc } = spec;
  const object = codeObject(ctx, purpose, region, code, observed);
  const account = observedAccount(observed, [lambdaKeys(purpose, region).role]);
  const statements = account === undefined ? undefined : spec.statements(account);
  const settings = spec.function(account);
  const fn =
    settings === undefined
      ? undefined
      : lambdaFunction(ctx, { ...settings, purpose, region, code, vpc, logRetentionDays: spec.logRetentionDays }, observed);
  // Once composed, the policy and the function stay while a value they wait for (the account, a key's or topic's ARN)
  // is not observed: with what was composed for them before (lastForProvider), never dropped and so deleted.
  const policy =
    statements === undefined
      ? kept(observed, rolePolicy(ctx, purpose, region, []))
      : rolePolicy(ctx, purpose, region, statements);
  const lastFunction = fn ?? kept(observed, functionShell(ctx, purpose, region));
  return {
    resources: [
      ...artifactsBucket(ctx, purpose, region, observed, spec.moreLogGroups),
      ...object.resources,
      ...executionRole(ctx, purpose, region, vpc),
      logGroup(ctx, purpose, region, spec.logRetentionDays),
      ...(policy === undefined ? [] : [policy]),
      ...(lastFunction === undefined ? [] : [lastFunction]),
    ],
    events: object.events,
    account,
  };
}
