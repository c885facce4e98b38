/**
 * XFailoverController: the failover orchestrator (lambda/failover) in every region, the
 * DR-operations role it assumes, and what starts it.
 *
 * External ID (seed 004: a literal `sts:ExternalId` in code, and principals built from unresolved
 * values). The external ID is the SHA-256 of this composite's UID, which the API server assigns at
 * creation: it is in no claim, composition, git commit, function environment or plan (a plan shows
 * a placeholder), and it changes when the estate is recreated. The function writes it in two places
 * only: the operations role's trust policy (IAM needs the value there) and this composite's
 * connection secret (a Kubernetes Secret the estate names). A Secrets Manager secret (primary region,
 * replicated to every secondary, KMS-encrypted) takes its value from that Kubernetes Secret through a
 * SecretVersion, and the orchestrator reads it as the SSM parameter
 * `/aws/reference/secretsmanager/<secret>` (Parameter Store's reference to Secrets Manager), so the
 * handler's SSM SecureString lookup works unchanged although no SSM CRD is in the pinned set. Like
 * every external ID it is not a secret from readers of the role's trust policy; it keeps any other
 * principal, and any other estate's orchestrator, from assuming the role.
 *
 * Least privilege: the operations role may switch over or fail over only this global cluster and its
 * member clusters, and change only the failover record name (UPSERT) in the claim's hosted zone; the
 * orchestrator's own role may only assume it, read the external ID, publish to the alert topic,
 * write drplane metrics and its logs. Principals are role ARNs observed after creation.
 *
 * Triggers (both call the orchestrator's starter, which only starts the region's failover workflow, a Step Functions
 * state machine: failover-workflow.ts, workflow.ts; the starter returns within seconds):
 * - GitOps: a Lambda Invocation of the orchestrator in the active region, input
 *   `{targetRegion: <activeRegion>, mode, reason}`, lifecycleScope CRUD; mode is `planned` (switchover, needs the old
 *   region) unless `failover.allowDataLoss` says `unplanned` (FailoverGlobalCluster, for a region that is down). The
 *   region of a managed resource cannot change (upjet refuses replacement), so the key names the region: moving
 *   activeRegion in git creates the Invocation of the new region (one invocation), and the old one is removed
 *   without a call (managementPolicies without Delete). At creation with activeRegion = the primary nothing is invoked
 *   (there is nothing to fail over, and the run would race the estate's own creation); once another region has been
 *   active, returning to the primary invokes it there.
 * - automatic mode: in the standby region, a probe of the serving region's /health and an alarm on sustained failure
 *   guarded by the standby's replication lag start an unplanned failover there (failover-trigger.ts).
 */
import { createHash } from 'node:crypto';
import { Role, RolePolicy } from '../../../imports/iam.aws.upbound.io.js';
import { Invocation, InvocationSpecManagementPolicies } from '../../../imports/lambda.aws.upbound.io.js';
import { Secret, SecretVersion } from '../../../imports/secretsmanager.aws.upbound.io.js';
import { FAILOVER_ENV, type FailoverEvent } from '../../../lambda/shared/env-contract.js';
import { DRPLANE_METRICS } from '../../../lambda/shared/metrics-contract.js';
import type { FailoverControllerSpec } from './schema.js';
import { accountOf, arn, observedAccount, observedArn, roleArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { globalClusterId, secretNamespace } from '../database/compose.js';
import { policyDocument, type Statement } from '../../compose/iam.js';
import { aliasName, keyKey, keySelector } from '../../compose/kms.js';
import {
  INTERNAL_RUNTIME,
  artifactsBucket,
  codeObject,
  codeOf,
  executionRole,
  functionArn,
  lambdaComponents,
  lambdaFunction,
  lambdaKeys,
  logGroup,
  logsStatement,
  own,
  rolePolicy,
  type LambdaArtifacts,
} from '../../compose/lambda.js';
import { automaticTrigger, triggerAlarmName } from '../../compose/failover-trigger.js';
import { failoverWorkflow, stateMachineArn, workflowLogGroupName } from '../../compose/failover-workflow.js';
import { MONITORING } from '../monitoring/compose.js';
import { STEP_FUNCTION_TIMEOUT_SECONDS } from '../../compose/workflow.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';

/** Purpose of the orchestrator's resources. */
export const FAILOVER = 'failover';
/** Key of the external ID in the composite's connection secret. */
export const EXTERNAL_ID_KEY = 'externalId';
/** Composition key of the DR-operations role. */
export const OPERATIONS_ROLE = 'failover-operations-role';

/** The Kubernetes Secret that receives this composite's connection details (the estate sets it as writeConnectionSecretToRef). */
export const connectionSecretOf = (ctx: ComposeContext) => ({
  name: ctx.namer.name('generic', 'failover-external-id'),
  namespace: secretNamespace(ctx),
});

/** Name of the Secrets Manager secret holding the external ID (the same in every region: replicas keep the name). */
export const externalIdSecretName = (ctx: ComposeContext): string => ctx.namer.name('secret', 'failover-external-id');

/** The SSM parameter name the orchestrator reads: Parameter Store's reference to the Secrets Manager secret. */
export const externalIdParameter = (ctx: ComposeContext): string => `/aws/reference/secretsmanager/${externalIdSecretName(ctx)}`;

/** The external ID of a composite with this UID. */
export const externalIdOf = (uid: string): string =>
  createHash('sha256').update(`drplane/failover/external-id/${uid}`).digest('hex');

/** The Invocation key of a region. */
export const invocationKey = (region: string): string => `failover-invocation-${region}`;

const operationsRoleName = (ctx: ComposeContext) => ctx.namer.name('iamRole', 'dr-operations');
const orchestratorRoleName = (ctx: ComposeContext, region: string) => ctx.namer.name('iamRole', FAILOVER, region);

/** Values the orchestrator needs from other primitives, all known, or undefined. */
function inputs(ctx: ComposeContext, spec: FailoverControllerSpec) {
  const complete = (m: Record<string, string>) => ctx.regions.every((r) => m[r] !== undefined);
  if (spec.zoneId === undefined || spec.recordName === undefined) return undefined;
  if (!complete(spec.clusterArns) || !complete(spec.healthUrls) || !complete(spec.topicArns)) return undefined;
  const inOrder = (m: Record<string, string>) => Object.fromEntries(ctx.regions.map((r) => [r, m[r]!]));
  return {
    zoneId: spec.zoneId,
    recordName: spec.recordName,
    topicArns: inOrder(spec.topicArns),
    clusterArns: inOrder(spec.clusterArns),
    healthUrls: inOrder(spec.healthUrls),
    healthCheckIds: complete(spec.healthCheckIds) ? inOrder(spec.healthCheckIds) : undefined,
  };
}

function orchestratorStatements(
  ctx: ComposeContext,
  region: string,
  account: string,
  operationsRole: string,
  topicArn: string,
): Statement[] {
  const secret = externalIdSecretName(ctx);
  // The topic's own region, from its ARN; a plan's placeholder has none, and each region's topic lives in that region.
  const topicRegion = topicArn.startsWith('arn:') ? topicArn.split(':')[3]! : region;
  return [
    { Sid: 'AssumeOperationsRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [operationsRole] },
    // The starter: start the region's workflow; describe an execution of the same name (a repeated request).
    {
      Sid: 'StartWorkflow',
      Effect: 'Allow',
      Action: ['states:StartExecution'],
      Resource: [stateMachineArn(ctx, region, account)],
    },
    {
      Sid: 'ReadWorkflowExecutions',
      Effect: 'Allow',
      Action: ['states:DescribeExecution'],
      Resource: [`${stateMachineArn(ctx, region, account).replace(':stateMachine:', ':execution:')}:*`],
    },
    // check-trigger: the trigger alarm of this region is still in ALARM.
    {
      Sid: 'RecheckTriggerAlarm',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms'],
      Resource: [arn('cloudwatch', region, account, `alarm:${triggerAlarmName(ctx, region)}`)],
    },
    {
      Sid: 'ReadExternalIdReference',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: [arn('ssm', region, account, `parameter${externalIdParameter(ctx)}`)],
    },
    // Secrets Manager appends 6 random characters to a secret's ARN; the name pins the secret.
    {
      Sid: 'ReadExternalId',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [arn('secretsmanager', region, account, `secret:${secret}-??????`)],
    },
    {
      Sid: 'ExternalIdKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [arn('kms', region, account, 'key/*')],
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [aliasName(ctx, FAILOVER, region)] },
      },
    },
    { Sid: 'Notify', Effect: 'Allow', Action: ['sns:Publish'], Resource: [topicArn] },
    {
      Sid: 'NotifyTopicKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [arn('kms', topicRegion, account, 'key/*')],
      Condition: {
        StringEquals: { 'kms:ViaService': `sns.${topicRegion}.amazonaws.com` },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [aliasName(ctx, MONITORING, topicRegion)] },
      },
    },
    // PutMetricData has no resource-level permissions; the namespace condition narrows it to drplane's metrics.
    {
      Sid: 'RecordRto',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: ['*'],
      Condition: { StringEquals: { 'cloudwatch:namespace': DRPLANE_METRICS.namespace } },
    },
    logsStatement(ctx, FAILOVER, region, account),
  ];
}

function operationsStatements(
  ctx: ComposeContext,
  account: string,
  zoneId: string,
  recordName: string,
  clusterArns: Record<string, string>,
): Statement[] {
  const zone = `arn:aws:route53:::hostedzone/${zoneId}`;
  return [
    {
      Sid: 'SwitchGlobalDatabase',
      Effect: 'Allow',
      Action: ['rds:DescribeGlobalClusters', 'rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
      Resource: [arn('rds', '', account, `global-cluster:${globalClusterId(ctx)}`), ...ctx.regions.map((r) => clusterArns[r]!)],
    },
    { Sid: 'ReadFailoverRecords', Effect: 'Allow', Action: ['route53:ListResourceRecordSets'], Resource: [zone] },
    {
      Sid: 'MoveFailoverRecords',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: [zone],
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [recordName.toLowerCase().replace(/\.$/, '')],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
        },
      },
    },
    // Change ids are generated per change batch: change/* is the narrowest resource GetChange accepts.
    { Sid: 'WaitForRecordChange', Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
  ];
}

/** Every resource of an XFailoverController, its events, status and connection details. */
export function composeFailover(
  ctx: ComposeContext,
  spec: FailoverControllerSpec,
  observed: ObservedView,
  uid: string | undefined,
  artifacts?: LambdaArtifacts,
) {
  const resources: DesiredResource[] = [];
  const events: ComposeEvent[] = [];
  const code = codeOf('failover', artifacts);
  const needs = inputs(ctx, spec);
  if (needs === undefined)
    events.push({
      severity: 'Normal',
      message: 'the orchestrator waits for cluster ARNs, health URLs and the alert topic ARN of every region',
    });
  const externalId = observed.planning
    ? '<external ID: SHA-256 of this composite uid, known after creation>'
    : uid === undefined
      ? undefined
      : externalIdOf(uid);
  const opsRoleArn = observedArn(observed, OPERATIONS_ROLE);

  // The orchestrator in every region.
  const orchestratorArns: Record<string, string | undefined> = {};
  const opsAccount = accountOf(opsRoleArn);
  for (const region of ctx.regions) {
    const k = lambdaKeys(FAILOVER, region);
    const object = codeObject(ctx, FAILOVER, region, code, observed);
    events.push(...object.events);
    resources.push(
      ...artifactsBucket(ctx, FAILOVER, region, observed, [workflowLogGroupName(ctx, region)]),
      ...object.resources,
      ...executionRole(ctx, FAILOVER, region, false),
      logGroup(ctx, FAILOVER, region, 30),
    );
    const account = observedAccount(observed, [k.role]);
    if (account !== undefined && opsRoleArn !== undefined && needs !== undefined) {
      resources.push(
        rolePolicy(ctx, FAILOVER, region, orchestratorStatements(ctx, region, account, opsRoleArn, needs.topicArns[region]!)),
      );
    }
    if (needs !== undefined && opsRoleArn !== undefined) {
      const fn = lambdaFunction(
        ctx,
        {
          purpose: FAILOVER,
          region,
          code,
          description: `drplane failover orchestrator of ${ctx.estate.owner.name}-${ctx.estate.environment}`,
          runtime: INTERNAL_RUNTIME,
          memoryMb: 256,
          // One workflow step or one start: a few AWS calls of at most 20 s each (the waits are the workflow's).
          timeoutSeconds: STEP_FUNCTION_TIMEOUT_SECONDS,
          // No reserved concurrency (accounts with a low quota refuse it): overlapping runs are safe because RDS runs
          // one switchover/failover per global cluster at a time and a refused run follows the one under way.
          environment: {
            [FAILOVER_ENV.regions]: JSON.stringify({ primary: ctx.primary, secondaries: ctx.secondaries }),
            [FAILOVER_ENV.globalClusterId]: globalClusterId(ctx),
            [FAILOVER_ENV.clusterArns]: JSON.stringify(needs.clusterArns),
            [FAILOVER_ENV.hostedZoneId]: needs.zoneId,
            [FAILOVER_ENV.recordName]: needs.recordName,
            [FAILOVER_ENV.healthUrls]: JSON.stringify(needs.healthUrls),
            ...(needs.healthCheckIds ? { [FAILOVER_ENV.healthCheckIds]: JSON.stringify(needs.healthCheckIds) } : {}),
            // Its own region's topic: notifying the primary's would fail exactly when the primary is down.
            [FAILOVER_ENV.topicArn]: needs.topicArns[region]!,
            [FAILOVER_ENV.operationsRoleArn]: opsRoleArn,
            [FAILOVER_ENV.externalIdParameter]: externalIdParameter(ctx),
            ...((account ?? opsAccount) === undefined
              ? {}
              : { [FAILOVER_ENV.stateMachineArn]: stateMachineArn(ctx, region, (account ?? opsAccount)!) }),
          },
          vpc: false,
          logRetentionDays: 30,
        },
        observed,
      );
      if (fn) resources.push(fn);
    }
    resources.push(...failoverWorkflow(ctx, region, FAILOVER, observed, account, functionArn(observed, FAILOVER, region)));
    const seen = observedArn(observed, k.role);
    orchestratorArns[region] =
      seen ??
      (observed.exists(OPERATIONS_ROLE) && opsAccount ? roleArn(opsAccount, orchestratorRoleName(ctx, region)) : undefined);
  }

  // The DR-operations role: trusted only by the orchestrator roles (observed ARNs), only with the external ID.
  const principals = ctx.regions.map((r) => orchestratorArns[r]);
  if (externalId !== undefined && principals.every((p) => p !== undefined)) {
    const trust = policyDocument([
      {
        Sid: 'OrchestratorsWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: principals as string[] },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ]);
    resources.push({
      key: OPERATIONS_ROLE,
      manifest: Role.manifest({
        metadata: ctx.metadata(OPERATIONS_ROLE, undefined, operationsRoleName(ctx)),
        spec: {
          forProvider: {
            assumeRolePolicy: trust,
            description: 'drplane DR operations: switch the global database over and move the failover records',
            maxSessionDuration: 3600,
            tags: ctx.tags(),
          },
        },
      }),
    });
  }
  const account = observed.planning
    ? observedAccount(observed, [OPERATIONS_ROLE])
    : (opsAccount ?? accountOf(Object.values(spec.clusterArns)[0]));
  if (account !== undefined && needs !== undefined) {
    resources.push({
      key: 'failover-operations-policy',
      manifest: RolePolicy.manifest({
        // The bare policy name: the provider builds the id `<role>:<name>` itself.
        metadata: ctx.metadata('failover-operations-policy', undefined, 'dr-operations'),
        spec: {
          forProvider: {
            policy: policyDocument(operationsStatements(ctx, account, needs.zoneId, needs.recordName, needs.clusterArns)),
            roleSelector: own(ctx, OPERATIONS_ROLE),
          },
        },
      }),
    });
  }

  // The external ID in Secrets Manager (primary, replicated), from the composite's connection secret.
  const primary = ctx.primary;
  const keysReady = ctx.regions.every((r) => observed.ready(keyKey(FAILOVER, r)));
  if (keysReady || observed.exists('failover-external-id')) {
    resources.push(
      {
        key: 'failover-external-id',
        region: primary,
        manifest: Secret.manifest({
          metadata: ctx.metadata('failover-external-id', primary),
          spec: {
            forProvider: {
              region: primary,
              name: externalIdSecretName(ctx),
              description: 'External ID with which the drplane failover orchestrator assumes the DR-operations role',
              kmsKeyIdSelector: keySelector(ctx, FAILOVER, primary),
              recoveryWindowInDays: ctx.production ? 7 : 0,
              replica: ctx.secondaries.map((region) => ({ region, kmsKeyId: aliasName(ctx, FAILOVER, region) })),
              tags: ctx.tags(),
            },
          },
        }),
      },
      {
        key: 'failover-external-id-version',
        region: primary,
        manifest: SecretVersion.manifest({
          metadata: ctx.metadata('failover-external-id-version', primary),
          spec: {
            forProvider: {
              region: primary,
              secretIdSelector: own(ctx, 'failover-external-id', primary),
              secretStringSecretRef: { ...connectionSecretOf(ctx), key: EXTERNAL_ID_KEY },
            },
          },
        }),
      },
    );
  }

  // GitOps trigger: one Invocation in the active region (see the module comment for when).
  const active = ctx.active;
  const otherInvoked = ctx.regions.some((r) => r !== active && observed.exists(invocationKey(r)));
  // A plan shows the steady state of a fresh estate: an Invocation only where activeRegion has left the primary.
  const wanted = observed.planning
    ? active !== primary
    : active !== primary || observed.exists(invocationKey(active)) || otherInvoked;
  if (wanted && (observed.ready(lambdaKeys(FAILOVER, active).function) || observed.exists(invocationKey(active)))) {
    const input: FailoverEvent = spec.failover.allowDataLoss
      ? { targetRegion: active, mode: 'unplanned', reason: 'activeRegion changed in git; failover.allowDataLoss is true' }
      : { targetRegion: active, mode: 'planned', reason: 'activeRegion changed in git' };
    resources.push({
      key: invocationKey(active),
      region: active,
      manifest: Invocation.manifest({
        metadata: ctx.metadata('failover-invocation', active),
        spec: {
          // Removing the Invocation (activeRegion moved on) must not invoke the orchestrator again.
          managementPolicies: [
            InvocationSpecManagementPolicies.OBSERVE,
            InvocationSpecManagementPolicies.CREATE,
            InvocationSpecManagementPolicies.UPDATE,
            InvocationSpecManagementPolicies.LATE_INITIALIZE,
          ],
          forProvider: {
            region: active,
            functionNameSelector: own(ctx, lambdaComponents(FAILOVER).function, active),
            input: JSON.stringify(input),
            lifecycleScope: 'CRUD',
          },
        },
      }),
    });
  }

  // Automatic mode: detection and trigger in the standby region (failover-trigger.ts).
  if (spec.failover.mode === 'automatic') {
    const auto = automaticTrigger(ctx, spec, observed, FAILOVER);
    resources.push(...auto.resources);
    events.push(...auto.events);
  }
  const connectionDetails = !observed.planning && externalId !== undefined ? { [EXTERNAL_ID_KEY]: externalId } : undefined;
  return { resources, events, connectionDetails };
}
