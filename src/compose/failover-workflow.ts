/**
 * The failover workflow of one region (see workflow.ts for its definition and why Step Functions): the state machine,
 * its role, its log group, and what keeps stale asynchronous events out of the orchestrator.
 *
 * - State machine (Standard): definition from failoverDefinition with the orchestrator of the same region; logging
 *   (level ERROR, with execution data) to its own log group, encrypted with the failover key of the region.
 * - Role: trusted by states.amazonaws.com only for this account's state machine of this region (aws:SourceAccount and
 *   aws:SourceArn, the Step Functions guide's cross-service confused-deputy protection: no other account's or
 *   machine's execution can make Step Functions assume it). So it waits for the account (observed from the
 *   orchestrator's role), like the policy and the state machine do, and its trust never changes after creation. It
 *   may invoke the orchestrator of its region (the unqualified function, which the definition names) and manage its log delivery. The CloudWatch Logs delivery actions
 *   accept no resource narrower than "*" (the Step Functions guide's logging policy says so).
 * - FunctionEventInvokeConfig of the orchestrator: asynchronous invocations (the automatic trigger's EventBridge
 *   target, the probe's schedule) older than 300 s are dropped and none is retried, so an event throttled for hours
 *   cannot start a failover long after the alarm; the run's check-trigger step also re-checks the alarm. A dropped or
 *   failed asynchronous invocation goes to the region's alert topic (on-failure destination; SNS, encrypted with the
 *   monitoring key, which the orchestrator's role may use): the dead letter of the trigger, since EventBridge's own
 *   dead-letter queue must be SQS, which the pinned provider CRDs do not include.
 */
import { Group } from '../../imports/cloudwatchlogs.aws.upbound.io.js';
import { Role, RolePolicy } from '../../imports/iam.aws.upbound.io.js';
import { FunctionEventInvokeConfig } from '../../imports/lambda.aws.upbound.io.js';
import { StateMachine } from '../../imports/sfn.aws.upbound.io.js';
import { FAILOVER_DEFAULTS } from '../../lambda/shared/env-contract.js';
import { arn, observedArn } from './arn.js';
import type { ComposeContext } from './context.js';
import { policyDocument } from './iam.js';
import { keySelector } from './kms.js';
import { lastForProvider } from './observed.js';
import { functionName } from './lambda.js';
import { own } from './selector.js';
import type { DesiredResource, ObservedView } from './types.js';
import { failoverDefinition } from './workflow.js';

/** Composition keys of the workflow's resources in a region. */
export const workflowKeys = (region: string) => ({
  stateMachine: `failover-workflow-${region}`,
  role: `failover-workflow-role-${region}`,
  policy: `failover-workflow-policy-${region}`,
  logs: `failover-workflow-logs-${region}`,
  invokeConfig: `failover-invoke-config-${region}`,
});

/** Maximum age of an asynchronous event for the orchestrator, in seconds (EventBridge retries for up to a day). */
export const MAX_EVENT_AGE_SECONDS = 300;

/** Name of the region's state machine. */
export const stateMachineName = (ctx: ComposeContext, region: string): string =>
  ctx.namer.name('stateMachine', 'failover', region);

/** ARN of the region's state machine (its name is chosen, so it is known before it exists). */
export const stateMachineArn = (ctx: ComposeContext, region: string, account: string): string =>
  arn('states', region, account, `stateMachine:${stateMachineName(ctx, region)}`);

/** Log group of the state machine (the /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small). */
export const workflowLogGroupName = (ctx: ComposeContext, region: string): string =>
  `/aws/vendedlogs/states/${stateMachineName(ctx, region)}`;

/**
 * The workflow resources of a region. The log group and the invoke config come first; the role needs the account,
 * the policy and the state machine the orchestrator's ARN (observed) too.
 */
export function failoverWorkflow(
  ctx: ComposeContext,
  region: string,
  purpose: string,
  observed: ObservedView,
  account: string | undefined,
  orchestratorArn: string | undefined,
  alertTopicArn?: string,
): DesiredResource[] {
  const k = workflowKeys(region);
  const resources: DesiredResource[] = [];
  const roleMetadata = ctx.metadata('failover-workflow-role', region, ctx.namer.name('iamRole', 'failover-workflow', region));
  // Without the account (a lost status), the role as last composed: it never leaves the desired state for that.
  const lastRole = account === undefined ? lastForProvider(observed, k.role) : undefined;
  if (lastRole !== undefined) {
    resources.push({
      key: k.role,
      manifest: Role.manifest({ metadata: roleMetadata, spec: { forProvider: lastRole as never } }),
    });
  }
  if (account !== undefined) {
    resources.push({
      key: k.role,
      manifest: Role.manifest({
        metadata: roleMetadata,
        spec: {
          forProvider: {
            assumeRolePolicy: policyDocument([
              {
                Sid: 'StepFunctions',
                Effect: 'Allow',
                Principal: { Service: 'states.amazonaws.com' },
                Action: ['sts:AssumeRole'],
                Condition: {
                  StringEquals: { 'aws:SourceAccount': account },
                  ArnLike: { 'aws:SourceArn': stateMachineArn(ctx, region, account) },
                },
              },
            ]),
            description: `drplane failover workflow in ${region}`,
            tags: ctx.tags(),
          },
        },
      }),
    });
  }
  resources.push(
    {
      key: k.logs,
      region,
      manifest: Group.manifest({
        metadata: ctx.metadata('failover-workflow-logs', region, workflowLogGroupName(ctx, region)),
        spec: {
          forProvider: { region, retentionInDays: 30, kmsKeyIdSelector: keySelector(ctx, purpose, region), tags: ctx.tags() },
        },
      }),
    },
    {
      key: k.invokeConfig,
      region,
      manifest: FunctionEventInvokeConfig.manifest({
        metadata: ctx.metadata('failover-invoke-config', region),
        spec: {
          forProvider: {
            region,
            functionName: functionName(ctx, purpose, region),
            maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
            maximumRetryAttempts: 0,
            ...(alertTopicArn === undefined ? {} : { destinationConfig: { onFailure: { destination: alertTopicArn } } }),
          },
        },
      }),
    },
  );
  if (account === undefined || orchestratorArn === undefined) return resources;
  resources.push({
    key: k.policy,
    manifest: RolePolicy.manifest({
      metadata: ctx.metadata('failover-workflow-policy', region, 'failover-workflow'),
      spec: {
        forProvider: {
          policy: policyDocument([
            {
              Sid: 'InvokeOrchestrator',
              Effect: 'Allow',
              Action: ['lambda:InvokeFunction'],
              // The definition invokes the unqualified function: no version or alias.
              Resource: [orchestratorArn],
            },
            {
              Sid: 'DeliverLogs',
              Effect: 'Allow',
              Action: [
                'logs:CreateLogDelivery',
                'logs:GetLogDelivery',
                'logs:UpdateLogDelivery',
                'logs:DeleteLogDelivery',
                'logs:ListLogDeliveries',
                'logs:PutResourcePolicy',
                'logs:DescribeResourcePolicies',
                'logs:DescribeLogGroups',
              ],
              Resource: ['*'],
            },
          ]),
          roleSelector: own(ctx, 'failover-workflow-role', region),
        },
      },
    }),
  });
  const logGroupArn = observedArn(observed, k.logs);
  resources.push({
    key: k.stateMachine,
    region,
    manifest: StateMachine.manifest({
      metadata: ctx.metadata('failover-workflow', region, stateMachineName(ctx, region)),
      spec: {
        forProvider: {
          region,
          type: 'STANDARD',
          definition: JSON.stringify(
            failoverDefinition({
              functionArn: orchestratorArn,
              pollSeconds: FAILOVER_DEFAULTS.pollSeconds,
              waitSeconds: FAILOVER_DEFAULTS.deadlineSeconds,
            }),
          ),
          roleArnSelector: own(ctx, 'failover-workflow-role', region),
          ...(logGroupArn === undefined
            ? {}
            : { loggingConfiguration: { level: 'ERROR', includeExecutionData: true, logDestination: `${logGroupArn}:*` } }),
          tags: ctx.tags(),
        },
      },
    }),
  });
  return resources;
}
