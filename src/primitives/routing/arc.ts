/**
 * routing.control: arc — Route 53 Application Recovery Controller (ARC) routing controls gate the service records, so
 * failover is a flip of on/off switches whose data plane runs in five regions (the cluster's endpoints), not a change
 * made by something in the region that may be the one lost.
 *
 * For the estate: one ARC cluster, one control panel on it, one routing control per region, one gate control, and two
 * safety rules on the panel:
 * - an assertion rule (ATLEAST 1 of the region controls): no change may leave every region off;
 * - a gating rule: the region controls change only while the gate control is on. The gate is the switch an operator
 *   turns off to freeze routing by hand (automation and people alike are refused while it is off).
 * Each rule is named and keyed after a hash of its control set: ARC cannot change a rule's controls in place, so other
 * regions make new rules and the old ones are deleted (safetyRules).
 *
 * Per region: a RECOVERY_CONTROL health check of its routing control, and a CALCULATED health check that is healthy
 * only when both it and the region's endpoint health check are (child threshold 2). Once armed, the service records
 * use the calculated check instead of the endpoint check, so a region serves only while it is healthy and switched on.
 *
 * Arming. ARC creates routing controls Off, so every calculated check starts unhealthy, and Route 53 serves every
 * record of a group whose checks are all unhealthy (the endpoint checks would stop mattering). So the records keep the
 * endpoint checks until the claim says routing.arc.armed: true, after the operator has turned the gate On and then:
 * - latency records: every region's control On. ARC takes a region out by turning its control Off; the endpoint check
 *   still takes out a region that fails. Only one region On would send every client there, and when it fails every
 *   check is unhealthy and Route 53 serves all regions again, the failed one included.
 * - failover records: both the PRIMARY and the SECONDARY region's controls On. ARC moves traffic by turning PRIMARY's
 *   Off. Only PRIMARY's On would make SECONDARY unhealthy, and Route 53 then answers with PRIMARY whatever its health.
 *
 * A shared cluster (routing.arc.clusterArn): AWS allows 2 clusters per account (ARC Developer Guide, routing control
 * quotas; 50 control panels per cluster), so estates may put their control panel on an existing cluster; the estate
 * then only observes the Cluster (for its endpoints) and names the ARN on its panel and controls.
 * A Route 53 health check has no reference to a routing control, so the RECOVERY_CONTROL check waits for its control's
 * ARN. The calculated check could select its children (childHealthchecksSelector), but a selector resolves once, when
 * the check is created, and one label selector matching the two children could then take only the one that exists:
 * it names both ids, once both are observed, instead.
 *
 * Where the API lives: the ARC kinds have no region field (CRDs at v2.6.0); the control-configuration API has one
 * endpoint, us-west-2 (botocore endpoints.json, route53-recovery-control-config: aws-global, credential scope
 * us-west-2), which the provider calls. Routing control states are read and changed only through the cluster's five
 * regional endpoints (route53-recovery-cluster), which the cluster reports in status.atProvider.clusterEndpoints.
 */
import { HealthCheck, RecordSpecForProviderHealthCheckIdSelectorPolicyResolve } from '../../../imports/route53.aws.upbound.io.js';
import {
  Cluster as ArcCluster,
  ClusterSpecManagementPolicies,
  ControlPanel,
  RoutingControl,
  SafetyRule,
} from '../../../imports/route53recoverycontrolconfig.aws.upbound.io.js';
import { AWS_REGIONS } from '../../api/regions.js';
import type { ComposeContext } from '../../compose/context.js';
import { shortHash } from '../../compose/naming.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';

/** Composition keys (and component labels) of the ARC resources. */
export const ARC = {
  cluster: 'arc-cluster',
  controlPanel: 'arc-control-panel',
  /** Component of the region controls; a region's key is routingControlKey(region). */
  routingControl: 'arc-routing-control',
  gate: 'arc-gate-control',
  /** Component of the assertion rule; its key adds the hash of its control set (arcRules). */
  assertionRule: 'arc-safety-rule-at-least-one',
  /** Component of the gating rule; its key adds the hash of its control set (arcRules). */
  gatingRule: 'arc-safety-rule-gate',
  /** Component of the RECOVERY_CONTROL health checks. */
  controlCheck: 'routing-control-check',
  /** Component of the calculated health checks the records use. */
  gatedCheck: 'gated-health-check',
} as const;

/** Composition key of a region's routing control. */
export const routingControlKey = (region: string): string => `${ARC.routingControl}-${region}`;
/** Composition key of a region's RECOVERY_CONTROL health check. */
export const controlCheckKey = (region: string): string => `${ARC.controlCheck}-${region}`;
/** Composition key of a region's calculated (endpoint and routing control) health check. */
export const gatedCheckKey = (region: string): string => `${ARC.gatedCheck}-${region}`;

/**
 * Milliseconds during which a safety rule refuses further changes after one (RuleConfig WaitPeriodMs: "5000 ms by
 * default", route53-recovery-control-config model, NewAssertionRule): against flapping.
 */
export const SAFETY_RULE_WAIT_MS = 5000;

/** Healthy children a region's calculated check needs: its endpoint check and its routing control check, both. */
const GATED_CHILDREN = 2;

/** The AWS names of the ARC resources (botocore: 1-64 non-blank characters each). */
export const arcNames = (ctx: ComposeContext) => ({
  cluster: ctx.namer.name('arc', 'arc'),
  controlPanel: ctx.namer.name('arc', 'panel'),
  routingControl: (region: string) => ctx.namer.name('arc', 'control', region),
  gate: ctx.namer.name('arc', 'gate'),
});

const ownCluster = (ctx: ComposeContext) => own(ctx, ARC.cluster);
const ownPanel = (ctx: ComposeContext) => own(ctx, ARC.controlPanel);

/**
 * The health check a service record of a region uses with ARC: the region's calculated check, re-resolved on every
 * reconcile (the failover records' selectors name another region when the serving region moves).
 */
export const gatedCheckOf = (ctx: ComposeContext, region: string) => ({
  ...own(ctx, ARC.gatedCheck, region),
  policy: { resolve: RecordSpecForProviderHealthCheckIdSelectorPolicyResolve.ALWAYS },
});

/**
 * A shared cluster, observed only (managementPolicies Observe: never created, changed or deleted; the provider imports
 * it by its ARN, the kind's external name), under the key of an own cluster: its status reports the cluster's
 * endpoints (status.atProvider.clusterEndpoints), where routing control states are read and set. Nothing selects it:
 * the panel and controls name the ARN, so they do not wait for the observation.
 */
function sharedClusterView(ctx: ComposeContext, arn: string): DesiredResource {
  return {
    key: ARC.cluster,
    manifest: ArcCluster.manifest({
      metadata: ctx.metadata(ARC.cluster, undefined, arn),
      spec: { managementPolicies: [ClusterSpecManagementPolicies.OBSERVE], forProvider: {} },
    }),
  };
}

/**
 * The estate's cluster (or a view of the one it shares: `sharedClusterArn`), control panel and routing controls.
 * On a shared cluster the panel and controls name its ARN; on the estate's own they select its Cluster.
 */
function controlResources(ctx: ComposeContext, sharedClusterArn: string | undefined): DesiredResource[] {
  const names = arcNames(ctx);
  const cluster = sharedClusterArn === undefined ? { clusterArnSelector: ownCluster(ctx) } : { clusterArn: sharedClusterArn };
  const resources: DesiredResource[] = [
    sharedClusterArn === undefined
      ? {
          key: ARC.cluster,
          manifest: ArcCluster.manifest({
            metadata: ctx.metadata(ARC.cluster, undefined),
            spec: { forProvider: { name: names.cluster, tags: ctx.tags({ Name: names.cluster }) } },
          }),
        }
      : sharedClusterView(ctx, sharedClusterArn),
    {
      key: ARC.controlPanel,
      manifest: ControlPanel.manifest({
        metadata: ctx.metadata(ARC.controlPanel, undefined),
        spec: { forProvider: { name: names.controlPanel, ...cluster, tags: ctx.tags({ Name: names.controlPanel }) } },
      }),
    },
  ];
  const control = (key: string, component: string, region: string | undefined, name: string): DesiredResource => ({
    key,
    manifest: RoutingControl.manifest({
      metadata: ctx.metadata(component, region),
      spec: { forProvider: { name, ...cluster, controlPanelArnSelector: ownPanel(ctx) } },
    }),
  });
  for (const region of ctx.regions) {
    resources.push(control(routingControlKey(region), ARC.routingControl, region, names.routingControl(region)));
  }
  resources.push(control(ARC.gate, ARC.gate, undefined, names.gate));
  return resources;
}

/**
 * The two safety rules over the current region controls, each named and keyed after a short hash of its control set
 * (arcRules). ARC cannot change a rule's controls in place (botocore UpdateSafetyRule: "You can only update the name
 * and the waiting period"), and a selector resolves once (policy IfNotPresent): so a change of the estate's regions
 * makes new rules (new keys), and Crossplane deletes the old ones, which stop being composed.
 *
 * A rule selects the region controls by label when it is created, so it waits until the set is settled: every current
 * control (and the gate) has its ARN, and no control of a region the claim dropped is still there to be matched while
 * it is deleted. Once composed (observed), a rule stays.
 */
function safetyRules(ctx: ComposeContext, observed: ObservedView): DesiredResource[] {
  const rules = arcRules(ctx);
  const settled =
    [...ctx.regions.map(routingControlKey), ARC.gate].every((k) => observed.field(k, 'status.atProvider.arn') !== undefined) &&
    droppedControls(ctx, observed).length === 0;
  // Every region control (by component, across regions): the rule sets the assertion and gating targets.
  const regionControls = own(ctx, ARC.routingControl);
  const rule = (key: string, component: string, name: string, controls: object): DesiredResource => ({
    key,
    manifest: SafetyRule.manifest({
      metadata: ctx.metadata(component, undefined),
      spec: {
        forProvider: {
          name,
          controlPanelArnSelector: ownPanel(ctx),
          ...controls,
          ruleConfig: { type: 'ATLEAST', threshold: 1, inverted: false },
          waitPeriodMs: SAFETY_RULE_WAIT_MS,
          tags: ctx.tags({ Name: name }),
        },
      },
    }),
  });
  return [
    rule(rules.assertion.key, ARC.assertionRule, rules.assertion.name, { assertedControlsSelector: regionControls }),
    rule(rules.gating.key, ARC.gatingRule, rules.gating.name, {
      gatingControlsSelector: own(ctx, ARC.gate),
      targetControlsSelector: regionControls,
    }),
  ].filter((r) => settled || observed.exists(r.key));
}

/** Regions the claim no longer names whose routing control the composite still has (being deleted). */
const droppedControls = (ctx: ComposeContext, observed: ObservedView): string[] =>
  observed.planning ? [] : AWS_REGIONS.filter((r) => !ctx.regions.includes(r) && observed.exists(routingControlKey(r)));

/**
 * Key and AWS name of each safety rule: its logical name and a 6-hex hash of its control set (the controls' AWS names,
 * sorted, and for the gating rule which control gates), so the same regions always give the same names, and other
 * regions other names.
 */
export function arcRules(ctx: ComposeContext) {
  const names = arcNames(ctx);
  const controls = [...ctx.regions].map(names.routingControl).sort();
  const named = (base: string, logical: string, set: object) => {
    const hash = shortHash(JSON.stringify(set));
    return { key: `${base}-${hash}`, name: ctx.namer.name('arc', `${logical}-${hash}`) };
  };
  return {
    assertion: named(ARC.assertionRule, 'at-least-one', { asserted: controls }),
    gating: named(ARC.gatingRule, 'gate-rule', { gating: [names.gate], targets: controls }),
  };
}

/**
 * Per region, the RECOVERY_CONTROL check of its routing control (once the control's ARN is observed) and the
 * calculated check of it and the endpoint check `endpointCheckKey(region)` (once both ids are observed).
 */
function regionChecks(ctx: ComposeContext, observed: ObservedView, region: string, endpointCheckKey: string): DesiredResource[] {
  const resources: DesiredResource[] = [];
  // Once composed, each check keeps what it was composed with while a status it reads is lost (never dropped).
  const arn =
    observed.field(routingControlKey(region), 'status.atProvider.arn') ??
    observed.field(controlCheckKey(region), 'spec.forProvider.routingControlArn');
  if (arn === undefined) return resources;
  resources.push({
    key: controlCheckKey(region),
    manifest: HealthCheck.manifest({
      metadata: ctx.metadata(ARC.controlCheck, region),
      spec: {
        forProvider: {
          type: 'RECOVERY_CONTROL',
          routingControlArn: arn,
          tags: ctx.tags({ Name: ctx.namer.name('generic', 'control', region) }),
        },
      },
    }),
  });
  const observedChildren = [
    observed.field(endpointCheckKey, 'status.atProvider.id'),
    observed.field(controlCheckKey(region), 'status.atProvider.id'),
  ];
  const composedChildren = observed.read(gatedCheckKey(region), 'spec.forProvider.childHealthchecks');
  const children = observedChildren.every((id) => id !== undefined)
    ? observedChildren
    : Array.isArray(composedChildren) && composedChildren.length === GATED_CHILDREN
      ? composedChildren
      : undefined;
  if (children === undefined) return resources;
  resources.push({
    key: gatedCheckKey(region),
    manifest: HealthCheck.manifest({
      metadata: ctx.metadata(ARC.gatedCheck, region),
      spec: {
        forProvider: {
          type: 'CALCULATED',
          childHealthchecks: children as string[],
          childHealthThreshold: GATED_CHILDREN,
          tags: ctx.tags({ Name: ctx.namer.name('generic', 'gated', region) }),
        },
      },
    }),
  });
  return resources;
}

/**
 * Every ARC resource of the estate: the control resources (on the shared cluster `sharedClusterArn`, when given) and
 * each region's two health checks.
 */
export function arcResources(
  ctx: ComposeContext,
  observed: ObservedView,
  endpointCheckKey: (region: string) => string,
  sharedClusterArn?: string,
): DesiredResource[] {
  return [
    ...controlResources(ctx, sharedClusterArn),
    ...safetyRules(ctx, observed),
    ...ctx.regions.flatMap((r) => regionChecks(ctx, observed, r, endpointCheckKey(r))),
  ];
}
