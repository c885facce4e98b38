/**
 * XFailoverController's IAM: what the orchestrator's execution role may do, and the DR-operations role it assumes
 * (trusted only by the orchestrator roles, only with the external ID) with its policy. Least privilege as compose.ts's
 * module comment says.
 */
import { Role, RolePolicy } from '../../../imports/iam.aws.upbound.io.js';
import { DRPLANE_METRICS } from '../../../lambda/shared/metrics-contract.js';
import { arn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { stateMachineArn } from '../../compose/failover-workflow.js';
import { triggerAlarmName } from '../../compose/failover-trigger.js';
import { policyDocument, type Statement } from '../../compose/iam.js';
import { aliasName } from '../../compose/kms.js';
import { logsStatement } from '../../compose/lambda.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource } from '../../compose/types.js';
import { globalClusterId } from '../database/compose.js';
import { MONITORING } from '../monitoring/compose.js';
import { FAILOVER, OPERATIONS_ROLE, externalIdParameter, operationsRoleName } from './names.js';

/**
 * `rds:DescribeDBInstances` on `arn:aws:rds:<region>:<account>:db:*` of each probed region: built from the regions and
 * the account (as every other statement), not parsed out of the cluster ARNs, which a plan shows as placeholders.
 */
function instanceScopes(regions: readonly string[], account: string): Statement[] {
  return regions.length === 0
    ? []
    : [
        {
          Sid: 'ProbeInstanceMaintenance',
          Effect: 'Allow',
          Action: ['rds:DescribeDBInstances'],
          Resource: regions.map((r) => arn('rds', r, account, 'db:*')),
        },
      ];
}

/** The orchestrator's execution-role statements in one region. */
export function orchestratorStatements(
  ctx: ComposeContext,
  region: string,
  account: string,
  operationsRole: string,
  topicArn: string,
  probe?: {
    readonly regions: readonly string[];
    readonly clusterArns: readonly string[];
    readonly healthCheckIds: readonly string[];
  },
): Statement[] {
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
    // wait-turn (lambda/failover/turn.ts): the RUNNING executions of every region's workflow, so that one run acts per
    // estate at a time; the re-driver (automatic mode) uses the same listing of its own region.
    {
      Sid: 'ListWorkflowRuns',
      Effect: 'Allow',
      Action: ['states:ListExecutions'],
      Resource: ctx.regions.map((r) => stateMachineArn(ctx, r, account)),
    },
    // check-trigger: the trigger alarm of this region is still in ALARM.
    {
      Sid: 'RecheckTriggerAlarm',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms'],
      Resource: [arn('cloudwatch', region, account, `alarm:${triggerAlarmName(ctx, region)}`)],
    },
    {
      Sid: 'ReadExternalId',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: [arn('ssm', region, account, `parameter${externalIdParameter(ctx)}`)],
    },
    // GetParameter WithDecryption of a standard SecureString: Parameter Store calls kms:Decrypt as the caller.
    {
      Sid: 'ExternalIdKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [arn('kms', region, account, 'key/*')],
      Condition: {
        StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` },
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
    // Automatic mode's probe: what Route 53's checkers see of the other regions, and whether their cluster is in maintenance.
    ...(probe === undefined
      ? []
      : [
          ...(probe.healthCheckIds.length === 0
            ? []
            : [
                {
                  Sid: 'ProbeCheckers',
                  Effect: 'Allow' as const,
                  Action: ['route53:GetHealthCheckStatus'],
                  Resource: probe.healthCheckIds.map((id) => `arn:aws:route53:::healthcheck/${id}`),
                },
              ]),
          {
            Sid: 'ProbeMaintenance',
            Effect: 'Allow' as const,
            Action: ['rds:DescribeDBClusters'],
            Resource: [...probe.clusterArns],
          },
          // The clusters' DB instances (DescribeDBInstances filtered on db-cluster-id): its resource type is the DB
          // instance (db); a filtered call names none, so every instance of the probed regions' account.
          ...instanceScopes(probe.regions, account),
          // check-rpo: when the probes began to fail and this region's lag before it. Neither action has
          // resource-level permissions.
          {
            Sid: 'ReadLagBeforeLoss',
            Effect: 'Allow' as const,
            Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
            Resource: ['*'],
          },
        ]),
    logsStatement(ctx, FAILOVER, region, account),
  ];
}

/** The DR-operations role's statements. */
export function operationsStatements(
  ctx: ComposeContext,
  account: string,
  zoneId: string,
  recordName: string,
  clusterArns: Record<string, string>,
  /** routing.control arc: the region routing controls the orchestrator flips (never the gate control). */
  routingControlArns: readonly string[] = [],
  /** spec.kubernetes: every region's node group, which scale-nodes reads and raises. */
  nodeGroups?: Record<string, { cluster: string; nodegroup: string }>,
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
          // The service records, and writer./reader. (the Aurora endpoints' CNAMEs the run moves with them).
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['', 'writer.', 'reader.'].map((p) =>
            `${p}${recordName}`.toLowerCase().replace(/\.$/, ''),
          ),
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
        },
      },
    },
    // Change ids are generated per change batch: change/* is the narrowest resource GetChange accepts.
    { Sid: 'WaitForRecordChange', Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
    // routing.control arc: the ARC data plane (Service Authorization Reference, route53-recovery-cluster: both actions
    // take the routingcontrol resource type, required; a batch needs every control in it). The orchestrator reads
    // states and sets them in one batch (lambda/failover/arc.ts), never one by one. Only the region controls: the gate
    // stays a person's.
    // scale-nodes: one node group per region. cfn-lint's IAM data (Policies.json, eks): both actions take the nodegroup
    // resource type, ARN arn:${Partition}:eks:${Region}:${Account}:nodegroup/.* ; EKS ends a node group's ARN with
    // <cluster>/<node group>/<uuid> (the uuid is EKS's, unknown before creation), hence the final /*.
    ...(nodeGroups === undefined
      ? []
      : [
          {
            Sid: 'ScaleNodeGroups',
            Effect: 'Allow' as const,
            Action: ['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig'],
            Resource: ctx.regions.map((r) =>
              arn('eks', r, account, `nodegroup/${nodeGroups[r]!.cluster}/${nodeGroups[r]!.nodegroup}/*`),
            ),
          },
        ]),
    ...(routingControlArns.length === 0
      ? []
      : [
          {
            Sid: 'FlipRoutingControls',
            Effect: 'Allow' as const,
            Action: ['route53-recovery-cluster:GetRoutingControlState', 'route53-recovery-cluster:UpdateRoutingControlStates'],
            Resource: [...routingControlArns],
          },
          // Never override a safety rule (UpdateRoutingControlStates' SafetyRulesToOverride, a break-glass a person
          // decides on): the Service Authorization Reference gives UpdateRoutingControlState(s) the Bool condition key
          // route53-recovery-cluster:AllowSafetyRulesOverrides. A Deny on true holds whether or not AWS sets the key on
          // a request without overrides (an Allow on false would refuse every flip if it did not).
          {
            Sid: 'NeverOverrideSafetyRules',
            Effect: 'Deny' as const,
            Action: ['route53-recovery-cluster:UpdateRoutingControlState', 'route53-recovery-cluster:UpdateRoutingControlStates'],
            Resource: [...routingControlArns],
            Condition: { Bool: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'true' } },
          },
        ]),
  ];
}

/** The DR-operations role: trusted only by the orchestrator roles (observed ARNs), only with the external ID. */
export function operationsRole(ctx: ComposeContext, principals: readonly string[], externalId: string): DesiredResource {
  const trust = policyDocument([
    {
      Sid: 'OrchestratorsWithExternalId',
      Effect: 'Allow',
      Principal: { AWS: [...principals] },
      Action: ['sts:AssumeRole'],
      Condition: { StringEquals: { 'sts:ExternalId': externalId } },
    },
  ]);
  return {
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
  };
}

/** The DR-operations role's inline policy. */
export function operationsPolicy(
  ctx: ComposeContext,
  account: string,
  zoneId: string,
  recordName: string,
  clusterArns: Record<string, string>,
  routingControlArns: readonly string[] = [],
  nodeGroups?: Record<string, { cluster: string; nodegroup: string }>,
): DesiredResource {
  return {
    key: 'failover-operations-policy',
    manifest: RolePolicy.manifest({
      // The bare policy name: the provider builds the id `<role>:<name>` itself.
      metadata: ctx.metadata('failover-operations-policy', undefined, 'dr-operations'),
      spec: {
        forProvider: {
          policy: policyDocument(
            operationsStatements(ctx, account, zoneId, recordName, clusterArns, routingControlArns, nodeGroups),
          ),
          roleSelector: own(ctx, OPERATIONS_ROLE),
        },
      },
    }),
  };
}
