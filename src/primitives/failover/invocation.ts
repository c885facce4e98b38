/**
 * The GitOps trigger: one Lambda Invocation of the orchestrator in the active region (compose.ts's module comment says
 * when), input `{targetRegion, mode, reason}`, lifecycleScope CRUD, removed without a call.
 */
import { Invocation, InvocationSpecManagementPolicies } from '../../../imports/lambda.aws.upbound.io.js';
import type { FailoverEvent } from '../../../lambda/shared/env-contract.js';
import type { ComposeContext } from '../../compose/context.js';
import { lambdaComponents, lambdaKeys } from '../../compose/lambda.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import type { FailoverControllerSpec } from './schema.js';
import { FAILOVER, invocationKey } from './names.js';

/** The active region's Invocation, when one is wanted and its function is Ready (or it exists already). */
export function gitopsInvocation(
  ctx: ComposeContext,
  spec: FailoverControllerSpec,
  observed: ObservedView,
): DesiredResource | undefined {
  const primary = ctx.primary;
  const active = ctx.active;
  const otherInvoked = ctx.regions.some((r) => r !== active && observed.exists(invocationKey(r)));
  // A plan shows the steady state of a fresh estate: an Invocation only where activeRegion has left the primary.
  const wanted = observed.planning
    ? active !== primary
    : active !== primary || observed.exists(invocationKey(active)) || otherInvoked;
  if (!wanted || !(observed.ready(lambdaKeys(FAILOVER, active).function) || observed.exists(invocationKey(active))))
    return undefined;
  const input: FailoverEvent = spec.failover.allowDataLoss
    ? { targetRegion: active, mode: 'unplanned', reason: 'activeRegion changed in git; failover.allowDataLoss is true' }
    : { targetRegion: active, mode: 'planned', reason: 'activeRegion changed in git' };
  return {
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
  };
}
