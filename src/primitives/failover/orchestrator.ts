/**
 * The failover orchestrator (lambda/failover) in one region: its artifacts bucket, code, execution role and policy,
 * log group, function and the region's failover workflow; and what it needs from the other primitives.
 */
import { FAILOVER_ENV } from '../../../lambda/shared/env-contract.js';
import { observedArn, roleArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { triggerAlarmName } from '../../compose/failover-trigger.js';
import { failoverWorkflow, stateMachineArn, workflowLogGroupName } from '../../compose/failover-workflow.js';
import { INTERNAL_RUNTIME, drplaneLambda, functionArn, lambdaKeys, type Code } from '../../compose/lambda.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';
import { STEP_FUNCTION_TIMEOUT_SECONDS } from '../../compose/workflow.js';
import { globalClusterId } from '../database/compose.js';
import { clusterName, nodeGroupName } from '../kubernetes/compose.js';
import { SAFETY_RULE_WAIT_MS } from '../routing/arc.js';
import { orchestratorStatements } from './iam.js';
import { FAILOVER, OPERATIONS_ROLE, externalIdParameter, orchestratorRoleName } from './names.js';
import type { FailoverControllerSpec } from './schema.js';

/** Values the orchestrator needs from other primitives, every region's in the estate's order. */
export interface OrchestratorInputs {
  readonly zoneId: string;
  readonly recordName: string;
  readonly topicArns: Record<string, string>;
  readonly clusterArns: Record<string, string>;
  readonly healthUrls: Record<string, string>;
  readonly healthCheckIds: Record<string, string> | undefined;
  /** Each region's Aurora writer and reader endpoints, when every region's are known. */
  readonly databaseEndpoints: Record<string, { writer: string; reader: string }> | undefined;
  /** The service records' routing policy (undefined in a composite written before it was passed). */
  readonly routingPolicy: 'failover' | 'latency' | undefined;
  /** routing.control arc: the cluster's endpoints (JSON [{endpoint, region}]) and each region's routing control ARN. */
  readonly arc: { readonly endpoints: string; readonly controls: Record<string, string> } | undefined;
  /** Each region's EKS node group and the serving size (the estate has spec.kubernetes), else undefined. */
  readonly nodeGroups: Record<string, { cluster: string; nodegroup: string; size: number }> | undefined;
}

/** Every region's node group (names as XRegionalCluster composes them) at the serving size, or undefined. */
export function nodeGroupsOf(
  ctx: ComposeContext,
  size: number | undefined,
): Record<string, { cluster: string; nodegroup: string; size: number }> | undefined {
  if (size === undefined) return undefined;
  return Object.fromEntries(
    ctx.regions.map((r) => [r, { cluster: clusterName(ctx, r), nodegroup: nodeGroupName(ctx, r), size }]),
  );
}

/** Values the orchestrator needs from other primitives, all known, or undefined. */
export function orchestratorInputs(ctx: ComposeContext, spec: FailoverControllerSpec): OrchestratorInputs | undefined {
  const complete = (m: Record<string, string>) => ctx.regions.every((r) => m[r] !== undefined);
  if (spec.zoneId === undefined || spec.recordName === undefined) return undefined;
  if (!complete(spec.clusterArns) || !complete(spec.healthUrls) || !complete(spec.topicArns)) return undefined;
  // With arc the orchestrator must flip the controls, never move the gated records: it waits for both.
  const arc = spec.routingControl === 'arc';
  if (arc && (spec.arcEndpoints === undefined || !complete(spec.arcControlArns))) return undefined;
  const inOrder = (m: Record<string, string>) => Object.fromEntries(ctx.regions.map((r) => [r, m[r]!]));
  return {
    zoneId: spec.zoneId,
    recordName: spec.recordName,
    topicArns: inOrder(spec.topicArns),
    clusterArns: inOrder(spec.clusterArns),
    healthUrls: inOrder(spec.healthUrls),
    healthCheckIds: complete(spec.healthCheckIds) ? inOrder(spec.healthCheckIds) : undefined,
    databaseEndpoints:
      complete(spec.databaseWriterEndpoints) && complete(spec.databaseReaderEndpoints)
        ? Object.fromEntries(
            ctx.regions.map((r) => [r, { writer: spec.databaseWriterEndpoints[r]!, reader: spec.databaseReaderEndpoints[r]! }]),
          )
        : undefined,
    routingPolicy: spec.routingPolicy,
    arc: arc ? { endpoints: spec.arcEndpoints!, controls: inOrder(spec.arcControlArns) } : undefined,
    nodeGroups: nodeGroupsOf(ctx, spec.nodeGroupSize),
  };
}

/** The orchestrator of one region. */
export interface RegionalOrchestrator {
  readonly resources: DesiredResource[];
  readonly events: ComposeEvent[];
  /** The ARN of its execution role: observed, or built once the operations role's account is known; else undefined. */
  readonly roleArn: string | undefined;
}

/** The orchestrator's resources in one region; its policy and function wait for the operations role and the inputs. */
export function regionalOrchestrator(
  ctx: ComposeContext,
  region: string,
  code: Code,
  observed: ObservedView,
  needs: OrchestratorInputs | undefined,
  opsRoleArn: string | undefined,
  opsAccount: string | undefined,
  /** The region's alert topic, when known: the on-failure destination of the orchestrator's asynchronous events. */
  alertTopicArn: string | undefined,
  /**
   * Automatic mode: the probe may read the other regions' Route 53 checkers and cluster status, and check-rpo reads
   * this region's Aurora lag metric against the guard (with a database).
   */
  automatic: { readonly rpoGuard: { readonly metric: string; readonly maxLagMs: number } | undefined } | undefined,
): RegionalOrchestrator {
  const k = lambdaKeys(FAILOVER, region);
  const lambda = drplaneLambda(
    ctx,
    {
      purpose: FAILOVER,
      region,
      code,
      vpc: false,
      logRetentionDays: 30,
      moreLogGroups: [workflowLogGroupName(ctx, region)],
      statements: (account) =>
        opsRoleArn !== undefined && needs !== undefined
          ? orchestratorStatements(
              ctx,
              region,
              account,
              opsRoleArn,
              needs.topicArns[region]!,
              automatic
                ? {
                    regions: ctx.regions.filter((r) => r !== region),
                    clusterArns: ctx.regions.filter((r) => r !== region).map((r) => needs.clusterArns[r]!),
                    healthCheckIds: ctx.regions
                      .filter((r) => r !== region)
                      .flatMap((r) => (needs.healthCheckIds?.[r] === undefined ? [] : [needs.healthCheckIds[r]])),
                  }
                : undefined,
            )
          : undefined,
      function: (account) =>
        needs === undefined || opsRoleArn === undefined
          ? undefined
          : {
              description: `drplane failover orchestrator of ${ctx.estate.owner.name}-${ctx.estate.environment}`,
              runtime: INTERNAL_RUNTIME,
              memoryMb: 256,
              // One workflow step or one start: a few AWS calls of at most 20 s each (the waits are the workflow's).
              timeoutSeconds: STEP_FUNCTION_TIMEOUT_SECONDS,
              // No reserved concurrency (accounts with a low quota refuse it): overlapping runs are safe because RDS runs
              // one switchover/failover per global cluster at a time and a refused run follows the one under way.
              environment: {
                [FAILOVER_ENV.regions]: JSON.stringify({ primary: ctx.primary, secondaries: ctx.secondaries }),
                // The Estate dimension of its metrics, the one the trigger's alarms read (failover-trigger.ts).
                [FAILOVER_ENV.estate]: ctx.namer.estateId,
                [FAILOVER_ENV.globalClusterId]: globalClusterId(ctx),
                [FAILOVER_ENV.clusterArns]: JSON.stringify(needs.clusterArns),
                [FAILOVER_ENV.hostedZoneId]: needs.zoneId,
                [FAILOVER_ENV.recordName]: needs.recordName,
                [FAILOVER_ENV.healthUrls]: JSON.stringify(needs.healthUrls),
                ...(needs.healthCheckIds ? { [FAILOVER_ENV.healthCheckIds]: JSON.stringify(needs.healthCheckIds) } : {}),
                ...(needs.routingPolicy ? { [FAILOVER_ENV.routingPolicy]: needs.routingPolicy } : {}),
                // routing.control arc: switch-dns flips the routing controls through the cluster's endpoints.
                ...(needs.arc
                  ? {
                      [FAILOVER_ENV.routingControl]: 'arc',
                      [FAILOVER_ENV.arcEndpoints]: needs.arc.endpoints,
                      [FAILOVER_ENV.arcControls]: JSON.stringify(needs.arc.controls),
                      [FAILOVER_ENV.arcWaitMs]: String(SAFETY_RULE_WAIT_MS),
                    }
                  : {}),
                ...(needs.databaseEndpoints ? { [FAILOVER_ENV.databaseEndpoints]: JSON.stringify(needs.databaseEndpoints) } : {}),
                // spec.kubernetes: scale-nodes raises the target region's node group first.
                ...(needs.nodeGroups ? { [FAILOVER_ENV.nodeGroups]: JSON.stringify(needs.nodeGroups) } : {}),
                // Its own region's topic: notifying the primary's would fail exactly when the primary is down.
                [FAILOVER_ENV.topicArn]: needs.topicArns[region]!,
                [FAILOVER_ENV.operationsRoleArn]: opsRoleArn,
                [FAILOVER_ENV.externalIdParameter]: externalIdParameter(ctx),
                ...((account ?? opsAccount) === undefined
                  ? {}
                  : {
                      [FAILOVER_ENV.stateMachineArn]: stateMachineArn(ctx, region, (account ?? opsAccount)!),
                      // wait-turn: every region's workflow, so that one run acts per estate at a time.
                      [FAILOVER_ENV.stateMachineArns]: JSON.stringify(
                        Object.fromEntries(ctx.regions.map((r) => [r, stateMachineArn(ctx, r, (account ?? opsAccount)!)])),
                      ),
                    }),
                // Automatic mode: the probe re-drives the failover while this region's trigger alarm is in ALARM.
                ...(automatic ? { [FAILOVER_ENV.triggerAlarm]: triggerAlarmName(ctx, region) } : {}),
                ...(automatic?.rpoGuard
                  ? {
                      [FAILOVER_ENV.lagMetric]: automatic.rpoGuard.metric,
                      [FAILOVER_ENV.rpoGuardMs]: String(automatic.rpoGuard.maxLagMs),
                    }
                  : {}),
              },
            },
    },
    observed,
  );
  const account = lambda.account;
  const resources = [...lambda.resources];
  resources.push(
    ...failoverWorkflow(ctx, region, FAILOVER, observed, account, functionArn(observed, FAILOVER, region), alertTopicArn),
  );
  const seen = observedArn(observed, k.role);
  const arn =
    seen ?? (observed.exists(OPERATIONS_ROLE) && opsAccount ? roleArn(opsAccount, orchestratorRoleName(ctx, region)) : undefined);
  return { resources, events: lambda.events, roleArn: arn };
}
