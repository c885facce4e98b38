/**
 * XFailoverController: the failover orchestrator (lambda/failover) in every region, the
 * DR-operations role it assumes, and what starts it.
 *
 * External ID (seed 004: a literal `sts:ExternalId` in code, and principals built from unresolved
 * values). The external ID is the SHA-256 of this composite's UID, which the API server assigns at
 * creation: it is in no claim, composition, git commit, function environment or plan (a plan shows
 * a placeholder), and it changes when the estate is recreated. The function writes it in two places
 * only: the operations role's trust policy (IAM needs the value there) and this composite's
 * connection secret (a Kubernetes Secret the estate names). In every region an SSM SecureString parameter,
 * encrypted with that region's failover key, takes its value from that Kubernetes Secret, and the region's
 * orchestrator reads it there (external-id.ts): no region depends on another to assume the role. Like
 * every external ID it is not a secret from readers of the role's trust policy; it keeps any other
 * principal, and any other estate's orchestrator, from assuming the role.
 *
 * Least privilege: the operations role may switch over or fail over only this global cluster and its
 * member clusters, change only the failover record name (UPSERT) in the claim's hosted zone, and (routing.control arc)
 * read and set only the estate's region routing controls (never the gate) through the ARC cluster's endpoints, and
 * (spec.kubernetes) read and scale only the estate's EKS node groups; the
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
 *
 * This module assembles the parts: names.ts (names and keys), orchestrator.ts (the function of a region), iam.ts (its
 * statements and the DR-operations role), external-id.ts (the secret), invocation.ts (the GitOps trigger).
 */
import { accountOf, observedAccount, observedArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { automaticTrigger, rpoGuardSeconds } from '../../compose/failover-trigger.js';
import { auroraLag } from '../../compose/replicated-stores.js';
import { codeOf, type LambdaArtifacts } from '../../compose/lambda.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';
import { externalIdParameters } from './external-id.js';
import { operationsPolicy, operationsRole } from './iam.js';
import { gitopsInvocation } from './invocation.js';
import { EXTERNAL_ID_KEY, FAILOVER, OPERATIONS_ROLE, externalIdOf } from './names.js';
import { orchestratorInputs, regionalOrchestrator } from './orchestrator.js';
import type { FailoverControllerSpec } from './schema.js';

export {
  EXTERNAL_ID_KEY,
  FAILOVER,
  OPERATIONS_ROLE,
  connectionSecretOf,
  externalIdOf,
  externalIdParameter,
  invocationKey,
} from './names.js';

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
  const needs = orchestratorInputs(ctx, spec);
  if (needs === undefined)
    events.push({
      severity: 'Normal',
      message:
        spec.routingControl === 'arc'
          ? "the orchestrator waits for cluster ARNs, health URLs and the alert topic ARN of every region, and for the ARC cluster's endpoints and every region's routing control ARN"
          : 'the orchestrator waits for cluster ARNs, health URLs and the alert topic ARN of every region',
    });
  const externalId = observed.planning
    ? '<external ID: SHA-256 of this composite uid, known after creation>'
    : uid === undefined
      ? undefined
      : externalIdOf(uid);
  const opsRoleArn = observedArn(observed, OPERATIONS_ROLE);

  // The orchestrator in every region (orchestrator.ts).
  const orchestratorArns: Record<string, string | undefined> = {};
  const opsAccount = accountOf(opsRoleArn);
  for (const region of ctx.regions) {
    const orchestrator = regionalOrchestrator(
      ctx,
      region,
      code,
      observed,
      needs,
      opsRoleArn,
      opsAccount,
      spec.topicArns[region],
      spec.failover.mode === 'automatic'
        ? {
            rpoGuard: spec.database
              ? { metric: auroraLag(ctx, spec, region).metricName, maxLagMs: rpoGuardSeconds(spec.objectives) * 1000 }
              : undefined,
          }
        : undefined,
    );
    events.push(...orchestrator.events);
    resources.push(...orchestrator.resources);
    orchestratorArns[region] = orchestrator.roleArn;
  }

  // The DR-operations role and its policy (iam.ts).
  const principals = ctx.regions.map((r) => orchestratorArns[r]);
  if (externalId !== undefined && principals.every((p) => p !== undefined)) {
    resources.push(operationsRole(ctx, principals as string[], externalId));
  }
  const account = observed.planning
    ? observedAccount(observed, [OPERATIONS_ROLE])
    : (opsAccount ?? accountOf(Object.values(spec.clusterArns)[0]));
  if (account !== undefined && needs !== undefined) {
    resources.push(
      operationsPolicy(
        ctx,
        account,
        needs.zoneId,
        needs.recordName,
        needs.clusterArns,
        Object.values(needs.arc?.controls ?? {}),
        needs.nodeGroups,
      ),
    );
  }

  // The external ID in each region's Parameter Store, from the composite's connection secret (external-id.ts).
  resources.push(...externalIdParameters(ctx, observed));

  // GitOps trigger: one Invocation in the active region (see the module comment for when; invocation.ts).
  const invocation = gitopsInvocation(ctx, spec, observed);
  if (invocation) resources.push(invocation);

  // Automatic mode: detection and trigger in the standby region (failover-trigger.ts).
  if (spec.failover.mode === 'automatic') {
    const auto = automaticTrigger(ctx, spec, observed, FAILOVER);
    resources.push(...auto.resources);
    events.push(...auto.events);
  }
  const connectionDetails = !observed.planning && externalId !== undefined ? { [EXTERNAL_ID_KEY]: externalId } : undefined;
  return { resources, events, connectionDetails };
}
