/**
 * An EventBridge trigger of a drplane function: a Rule on the account's default bus (a schedule or an event pattern),
 * a Target that invokes the function (once its ARN is observed), and a Permission that lets EventBridge invoke it only
 * from that rule (once the rule's ARN is observed); once composed, both keep the ARN they were composed with. The one construct every drplane rule is made with.
 */
import { Rule, Target } from '../../imports/cloudwatchevents.aws.upbound.io.js';
import { observedArn } from './arn.js';
import type { ComposeContext } from './context.js';
import { functionArn, permission } from './lambda.js';
import { own } from './selector.js';
import type { DesiredResource, ObservedView } from './types.js';

/**
 * The account's default EventBridge bus, named on every Rule and Target: the provider builds their ids from
 * event_bus_name and fails with "event_bus_name cannot be empty" without it.
 */
export const DEFAULT_EVENT_BUS = 'default';

/** What an event trigger needs. */
export interface EventTriggerSpec {
  /** Purpose of the function it invokes (src/compose/lambda.ts). */
  readonly purpose: string;
  readonly region: string;
  readonly rule: {
    readonly key: string;
    /** Component label of the rule (the target selects the rule by it). */
    readonly component: string;
    /** AWS name of the rule. */
    readonly name: string;
    readonly description: string;
    /** What fires it: `scheduleExpression` or `eventPattern`. */
    readonly when: { readonly scheduleExpression: string } | { readonly eventPattern: string };
  };
  readonly target: {
    readonly key: string;
    readonly component: string;
    /** What the function receives: `input` or `inputTransformer`; EventBridge's own event when absent. */
    readonly input?: Record<string, unknown>;
  };
  readonly permission: { readonly key: string; readonly statementId: string };
}

/** The trigger's rule, and its target and permission once the ARNs they name are observed. */
export function eventTrigger(ctx: ComposeContext, spec: EventTriggerSpec, observed: ObservedView): DesiredResource[] {
  const { purpose, region, rule, target } = spec;
  const resources: DesiredResource[] = [
    {
      key: rule.key,
      region,
      manifest: Rule.manifest({
        metadata: ctx.metadata(rule.component, region, rule.name),
        spec: {
          forProvider: {
            region,
            description: rule.description,
            eventBusName: DEFAULT_EVENT_BUS,
            ...rule.when,
            tags: ctx.tags(),
          },
        },
      }),
    },
  ];
  // Once composed, the target and the permission keep the ARN they were composed with while the function's or the
  // rule's status is lost (a control-plane restore): dropped, Crossplane would delete them and the schedule stop.
  const fnArn = functionArn(observed, purpose, region) ?? observed.field(target.key, 'spec.forProvider.arn');
  if (fnArn !== undefined) {
    resources.push({
      key: target.key,
      region,
      manifest: Target.manifest({
        metadata: ctx.metadata(target.component, region),
        spec: {
          forProvider: {
            region,
            eventBusName: DEFAULT_EVENT_BUS,
            ruleSelector: own(ctx, rule.component, region),
            arn: fnArn,
            targetId: purpose,
            ...target.input,
          },
        },
      }),
    });
  }
  const ruleArn = observedArn(observed, rule.key) ?? observed.field(spec.permission.key, 'spec.forProvider.sourceArn');
  if (ruleArn !== undefined) {
    resources.push(
      permission(ctx, spec.permission.key, purpose, region, {
        statementId: spec.permission.statementId,
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn: ruleArn,
      }),
    );
  }
  return resources;
}
