/**
 * routing.control arc: one ARC cluster and control panel, a routing control per region and a gate control, an
 * assertion rule (ATLEAST 1) and a gating rule, and per region a RECOVERY_CONTROL health check combined with the
 * endpoint check in a CALCULATED check that the service records use. health-check (unset) composes none of it.
 */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planClaim } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { validateClaim } from '../../src/policy/validate.js';
import { describeWithCrossplane, formatFailures, validateResources } from '../support/crossplane.js';
import { providerCrdsDir } from '../support/paths.js';
import { SHARED_ARC_CLUSTER, threeRegionArc } from '../support/variants.js';
import {
  FULL_SPEC,
  TWO_REGION_SPEC,
  byKey,
  claim,
  composeLive,
  fp,
  keysOf,
  labels,
  managed,
  nestedOf,
  observedView,
  plan,
  spec,
} from './helpers.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
const hosts = Object.fromEntries(REGIONS.map((r) => [r, `fn-${r}.lambda-url.${r}.on.aws`]));
const ARC_GROUP = 'route53recoverycontrolconfig.aws.upbound.io';

/** An estate whose service records are CNAMEs to the Function URLs (health checks need no custom domain first). */
const cnames = (
  base: typeof FULL_SPEC | typeof TWO_REGION_SPEC,
  control?: 'arc' | 'health-check',
  arc?: { armed?: boolean; clusterArn?: string },
) => ({
  ...base,
  service: { ...base.service, authType: 'NONE', httpApi: false },
  routing: { ...base.routing, ...(control ? { control } : {}), ...(arc ? { arc } : {}) },
});

/** The routing composite with the service hosts known. */
function routing(estate: object): Manifest {
  const xr = nestedOf(estate, 'XFailoverRouting');
  return { ...xr, spec: { ...spec(xr), serviceEndpoints: hosts } };
}

const controlArn = (region: string) =>
  `arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/${region.replaceAll('-', '')}`;

/** Observed: every routing control and the gate with its ARN, and (optionally) every health check with an id. */
function observed(withIds: boolean) {
  return observedView(
    Object.fromEntries(
      REGIONS.flatMap((r) => [
        ['arc-gate-control', { ready: true, arn: controlArn('gate') }],
        [`arc-routing-control-${r}`, { ready: true, arn: controlArn(r) }],
        ...(withIds
          ? [
              [`health-check-${r}`, { ready: true, atProvider: { id: `hc-endpoint-${r}` } }],
              [`routing-control-check-${r}`, { ready: true, atProvider: { id: `hc-control-${r}` } }],
            ]
          : []),
      ]),
    ),
  );
}

/** The one safety rule of a component in a result (its key carries the hash of its control set). */
function ruleOf(out: ReturnType<typeof composeLive>, component: string): Manifest {
  const found = out.resources.filter(
    (r) => r.manifest.kind === 'SafetyRule' && labels(r.manifest)['drplane.io/component'] === component,
  );
  expect(found, component).toHaveLength(1);
  return found[0]!.manifest;
}

/** FULL_SPEC's estate with other secondaries (the primary stays), without a network. */
const withSecondaries = (secondaries: readonly string[]) => {
  const { network: _network, ...estate } = cnames(FULL_SPEC, 'arc');
  return { ...estate, regions: { ...FULL_SPEC.regions, secondaries } };
};

/** Observed: the routing control of each region and the gate, with their ARNs. */
const controlsOf = (regions: readonly string[]) =>
  observedView(
    Object.fromEntries(
      [...regions.map((r) => `arc-routing-control-${r}`), 'arc-gate-control'].map((k) => [
        k,
        { ready: true, arn: controlArn(k) },
      ]),
    ),
  );

describe('routing.control arc', () => {
  it('composes one cluster, one control panel on it, a routing control per region and a gate control, with no region field', () => {
    const out = composeLive(routing(cnames(FULL_SPEC, 'arc')), observed(false));
    const arc = out.resources.map((r) => r.manifest).filter((m) => m.apiVersion.startsWith(ARC_GROUP));
    expect(arc.map((m) => m.kind).sort()).toEqual([
      'Cluster',
      'ControlPanel',
      'RoutingControl',
      'RoutingControl',
      'RoutingControl',
      'RoutingControl',
      'SafetyRule',
      'SafetyRule',
    ]);
    for (const m of arc) expect(fp(m).region).toBeUndefined();
    expect(fp(byKey(out, 'arc-cluster')).name).toMatch(/^payments-arc-prod-e[0-9a-f]{7}$/);
    expect(fp(byKey(out, 'arc-control-panel')).clusterArnSelector).toEqual({
      matchControllerRef: true,
      matchLabels: { 'drplane.io/component': 'arc-cluster', 'drplane.io/estate': expect.any(String) },
    });
    for (const r of REGIONS) {
      const control = byKey(out, `arc-routing-control-${r}`);
      expect(labels(control)['drplane.io/region']).toBe(r);
      expect(fp(control).controlPanelArnSelector.matchLabels['drplane.io/component']).toBe('arc-control-panel');
    }
    expect(labels(byKey(out, 'arc-gate-control'))['drplane.io/component']).toBe('arc-gate-control');
  });

  it('on a shared cluster (routing.arc.clusterArn): the Cluster only observed, by its ARN; the panel and every control name the ARN, the controls select the panel', () => {
    const out = composeLive(routing(cnames(FULL_SPEC, 'arc', { clusterArn: SHARED_ARC_CLUSTER })), observed(false));
    const arc = out.resources.map((r) => r.manifest).filter((m) => m.apiVersion.startsWith(ARC_GROUP));
    // Observed for its endpoints (status.atProvider.clusterEndpoints): never created, changed or deleted by this estate.
    const view = byKey(out, 'arc-cluster');
    expect(arc.filter((m) => m.kind === 'Cluster')).toEqual([view]);
    expect((view.spec as { managementPolicies: string[] }).managementPolicies).toEqual(['Observe']);
    expect(fp(view)).toEqual({});
    expect((view.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name']).toBe(
      SHARED_ARC_CLUSTER,
    );
    const onCluster = arc.filter((m) => m.kind === 'ControlPanel' || m.kind === 'RoutingControl');
    expect(onCluster).toHaveLength(5);
    for (const m of onCluster) {
      expect(fp(m).clusterArn, m.kind).toBe(SHARED_ARC_CLUSTER);
      expect(fp(m).clusterArnSelector, m.kind).toBeUndefined();
    }
    for (const m of arc.filter((x) => x.kind === 'RoutingControl'))
      expect(fp(m).controlPanelArnSelector.matchLabels['drplane.io/component']).toBe('arc-control-panel');
    expect(arc.filter((m) => m.kind === 'SafetyRule')).toHaveLength(2);
  });

  it('keeps at least one region on (assertion ATLEAST 1 over the region controls) and gates their changes on the gate control', () => {
    const out = composeLive(routing(cnames(FULL_SPEC, 'arc')), observed(false));
    const assertion = fp(ruleOf(out, 'arc-safety-rule-at-least-one'));
    expect(assertion.ruleConfig).toEqual({ type: 'ATLEAST', threshold: 1, inverted: false });
    expect(assertion.assertedControlsSelector.matchLabels['drplane.io/component']).toBe('arc-routing-control');
    expect(assertion.waitPeriodMs).toBe(5000);
    expect(assertion.gatingControlsSelector).toBeUndefined();
    const gate = fp(ruleOf(out, 'arc-safety-rule-gate'));
    expect(gate.gatingControlsSelector.matchLabels['drplane.io/component']).toBe('arc-gate-control');
    expect(gate.targetControlsSelector.matchLabels['drplane.io/component']).toBe('arc-routing-control');
    expect(gate.ruleConfig).toEqual({ type: 'ATLEAST', threshold: 1, inverted: false });
    expect(gate.assertedControlsSelector).toBeUndefined();
  });

  it('names and keys each safety rule after a hash of its control set: the same regions give the same rules, other regions new ones (M2)', () => {
    const rules = (estate: ReturnType<typeof withSecondaries>) => {
      const out = composeLive(routing(estate), controlsOf([estate.regions.primary, ...estate.regions.secondaries]));
      return ['arc-safety-rule-at-least-one', 'arc-safety-rule-gate'].map((c) => {
        const key = out.resources.find((r) => r.manifest === ruleOf(out, c))!.key;
        return { key, name: fp(ruleOf(out, c)).name as string };
      });
    };
    const three = rules(withSecondaries(['us-west-2', 'eu-west-1']));
    expect(rules(withSecondaries(['us-west-2', 'eu-west-1']))).toEqual(three);
    expect(three[0]).toEqual({
      key: expect.stringMatching(/^arc-safety-rule-at-least-one-[0-9a-f]{6}$/),
      name: expect.stringMatching(/^payments-at-least-one-[0-9a-f]{6}-prod-e[0-9a-f]{7}$/),
    });
    expect(three[1]!.key).toMatch(/^arc-safety-rule-gate-[0-9a-f]{6}$/);
    for (const r of three) expect(r.name.length).toBeLessThanOrEqual(64);
    // The order secondaries are written in is not a different set.
    expect(rules(withSecondaries(['eu-west-1', 'us-west-2']))).toEqual(three);
    // Dropping (or adding) a region: both rules get new keys and names, so Crossplane creates them and deletes the old.
    const two = rules(withSecondaries(['us-west-2']));
    for (const i of [0, 1]) {
      expect(two[i]!.key).not.toBe(three[i]!.key);
      expect(two[i]!.name).not.toBe(three[i]!.name);
    }
    expect(rules(withSecondaries(['us-west-2']))).toEqual(two);
  });

  it('creates safety rules only once every control has its ARN and no dropped control is left to be matched; a composed rule stays', () => {
    const composite = routing(cnames(FULL_SPEC, 'arc'));
    const ruleKeys = (o: ReturnType<typeof observedView>) =>
      keysOf(composeLive(composite, o)).filter((k) => k.startsWith('arc-safety-rule-'));
    expect(ruleKeys(observedView({}))).toEqual([]);
    const [assertionKey, gateKey] = ruleKeys(observed(false));
    expect([assertionKey, gateKey]).toEqual([expect.stringMatching(/at-least-one/), expect.stringMatching(/gate/)]);
    // A control of a region the claim dropped still exists (being deleted): a new rule's selector would match it.
    expect(ruleKeys(controlsOf([...REGIONS, 'ap-south-1']))).toEqual([]);
    const dropped = { 'arc-routing-control-ap-south-1': { ready: true, arn: controlArn('ap-south-1') } };
    // Rules already composed are kept whatever else is observed.
    const composed = { [assertionKey!]: { ready: true }, [gateKey!]: { ready: true } };
    expect(ruleKeys(observedView({ ...dropped, ...composed }))).toEqual([assertionKey, gateKey]);
  });

  it('waits for each routing control ARN, then for both child ids, before the RECOVERY_CONTROL and CALCULATED checks', () => {
    const none = composeLive(routing(cnames(FULL_SPEC, 'arc')), observedView({}));
    expect(keysOf(none).filter((k) => /^(routing-control-check|gated-health-check)-/.test(k))).toEqual([]);
    const arns = composeLive(routing(cnames(FULL_SPEC, 'arc')), observed(false));
    expect(keysOf(arns).filter((k) => k.startsWith('gated-health-check-'))).toEqual([]);
    for (const r of REGIONS) {
      expect(fp(byKey(arns, `routing-control-check-${r}`))).toMatchObject({
        type: 'RECOVERY_CONTROL',
        routingControlArn: controlArn(r),
      });
    }
    const ids = composeLive(routing(cnames(FULL_SPEC, 'arc')), observed(true));
    for (const r of REGIONS) {
      expect(fp(byKey(ids, `gated-health-check-${r}`))).toMatchObject({
        type: 'CALCULATED',
        childHealthchecks: [`hc-endpoint-${r}`, `hc-control-${r}`],
        childHealthThreshold: 2,
      });
    }
  });

  it('armed: gates every service record on its region calculated check (latency for three regions, failover for two)', () => {
    const three = composeLive(routing(cnames(FULL_SPEC, 'arc', { armed: true })), observed(true));
    for (const r of REGIONS) {
      expect(fp(byKey(three, `record-${r}`)).healthCheckIdSelector).toMatchObject({
        matchControllerRef: true,
        matchLabels: { 'drplane.io/component': 'gated-health-check', 'drplane.io/region': r },
        policy: { resolve: 'Always' },
      });
    }
    const two = composeLive(routing(cnames(TWO_REGION_SPEC, 'arc', { armed: true })), observed(true));
    expect(fp(byKey(two, 'record-primary')).healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-east-1');
    expect(fp(byKey(two, 'record-secondary')).healthCheckIdSelector.matchLabels['drplane.io/component']).toBe(
      'gated-health-check',
    );
  });

  it('not armed (unset or false): the records keep the endpoint checks, while the controls and gated checks are composed to arm', () => {
    for (const arc of [undefined, { armed: false }]) {
      const three = composeLive(routing(cnames(FULL_SPEC, 'arc', arc)), observed(true));
      for (const r of REGIONS) {
        expect(fp(byKey(three, `record-${r}`)).healthCheckIdSelector).toMatchObject({
          matchLabels: { 'drplane.io/component': 'health-check', 'drplane.io/region': r },
          policy: { resolve: 'Always' },
        });
        expect(fp(byKey(three, `gated-health-check-${r}`)).type).toBe('CALCULATED');
        expect(fp(byKey(three, `arc-routing-control-${r}`)).name).toBeDefined();
      }
      const two = composeLive(routing(cnames(TWO_REGION_SPEC, 'arc', arc)), observed(true));
      for (const key of ['record-primary', 'record-secondary'])
        expect(fp(byKey(two, key)).healthCheckIdSelector.matchLabels['drplane.io/component']).toBe('health-check');
    }
  });

  it('health-check, written or unset, composes no ARC resource and no combined check; the records use the endpoint checks', () => {
    for (const control of [undefined, 'health-check'] as const) {
      const out = composeLive(routing(cnames(FULL_SPEC, control)), observed(true));
      expect(out.resources.filter((r) => r.manifest.apiVersion.startsWith(ARC_GROUP))).toEqual([]);
      expect(keysOf(out).filter((k) => /^(routing-control-check|gated-health-check)-/.test(k))).toEqual([]);
      expect(fp(byKey(out, 'record-us-east-1')).healthCheckIdSelector.matchLabels['drplane.io/component']).toBe('health-check');
    }
  });

  it('plans the whole of it behind the default public name (custom domains): 8 ARC resources, 3 + 3 extra health checks', () => {
    const resources = plan({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } });
    expect(managed(resources).filter((m) => m.apiVersion.startsWith(ARC_GROUP))).toHaveLength(8);
    const checks = managed(resources, 'HealthCheck').map((m) => fp(m).type);
    expect(checks.filter((t) => t === 'RECOVERY_CONTROL')).toHaveLength(3);
    expect(checks.filter((t) => t === 'CALCULATED')).toHaveLength(3);
    expect(checks.filter((t) => t === 'HTTPS')).toHaveLength(3);
  });
});

describe('policy of routing.control arc', () => {
  const ids = (spec: object) => validateClaim(claim(spec)).problems.map((p) => p.ruleId);

  it('refuses arc without a service: nothing to gate (routing.arc-needs-service)', () => {
    const { service: _service, ...noService } = FULL_SPEC;
    expect(ids({ ...noService, routing: { ...FULL_SPEC.routing, control: 'arc' } })).toContain('routing.arc-needs-service');
    expect(ids({ ...noService })).not.toContain('routing.arc-needs-service');
  });

  it('warns that routing control states are set by hand until the orchestrator flips them (routing.arc-states-by-hand)', () => {
    expect(ids({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } })).toContain('routing.arc-states-by-hand');
    expect(ids(FULL_SPEC)).not.toContain('routing.arc-states-by-hand');
  });

  it('arming advice per records: every region On for latency, PRIMARY and SECONDARY both On for failover; the fix arms', () => {
    const warning = (spec: object) => validateClaim(claim(spec)).problems.find((p) => p.ruleId === 'routing.arc-states-by-hand')!;
    const latency = warning({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } });
    expect(latency.message).toMatch(/every region's control On/);
    expect(latency.message).toMatch(/records keep the endpoint health checks/);
    expect(latency.message).not.toMatch(/serving region's control/);
    expect(latency.fix).toEqual({ path: 'spec.routing.arc.armed', value: true });
    const failover = warning({ ...TWO_REGION_SPEC, routing: { ...TWO_REGION_SPEC.routing, control: 'arc' } });
    expect(failover.message).toMatch(/both the PRIMARY and the SECONDARY region's controls On/);
    const armed = warning({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { armed: true } } });
    expect(armed).toMatchObject({ path: 'spec.routing.arc.armed', severity: 'warning' });
    expect(armed.message).toMatch(/records use the gated checks/);
    expect(armed.fix).toBeUndefined();
  });

  it('names the 2-clusters-per-account quota and how to share a cluster, unless the estate shares one (routing.arc-cluster-quota)', () => {
    const own = validateClaim(claim({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } })).problems.find(
      (p) => p.ruleId === 'routing.arc-cluster-quota',
    );
    expect(own?.message).toMatch(/2 clusters per account/);
    expect(own?.message).toMatch(/routing\.arc\.clusterArn/);
    const shared = { ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { clusterArn: SHARED_ARC_CLUSTER } } };
    expect(ids(shared)).not.toContain('routing.arc-cluster-quota');
    expect(ids(FULL_SPEC)).not.toContain('routing.arc-cluster-quota');
  });

  it('warns that routing.arc does nothing without routing.control arc (routing.arc-unused)', () => {
    expect(ids({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, arc: { armed: true } } })).toContain('routing.arc-unused');
    expect(ids({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { armed: true } } })).not.toContain(
      'routing.arc-unused',
    );
  });

  it('warns that readiness checks are closed to new AWS customers when routing.arc.readiness is set (routing.arc-readiness-availability)', () => {
    const withReadiness = { ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { readiness: true } } };
    const warning = validateClaim(claim(withReadiness)).problems.find((p) => p.ruleId === 'routing.arc-readiness-availability');
    expect(warning).toMatchObject({ severity: 'warning', path: 'spec.routing.arc.readiness' });
    expect(warning?.message).toMatch(/no longer open to new customers/);
    expect(ids({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } })).not.toContain(
      'routing.arc-readiness-availability',
    );
  });

  it('warns that the claim gets no per-region readiness without monitoring, whose lag monitor reports it (routing.arc-readiness-status)', () => {
    const { monitoring: _m, ...unmonitored } = FULL_SPEC;
    const withReadiness = (base: object) => ({
      ...base,
      routing: { ...FULL_SPEC.routing, control: 'arc', arc: { readiness: true } },
    });
    const warning = validateClaim(claim(withReadiness(unmonitored))).problems.find(
      (p) => p.ruleId === 'routing.arc-readiness-status',
    );
    expect(warning).toMatchObject({ severity: 'warning', path: 'spec.routing.arc.readiness' });
    expect(warning?.message).toMatch(/Add spec\.monitoring/);
    expect(ids(withReadiness(FULL_SPEC))).not.toContain('routing.arc-readiness-status');
  });

  it('refuses a clusterArn that is not an ARC cluster ARN, naming the field', () => {
    const doc = (clusterArn: string) => ({
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'DisasterRecovery',
      metadata: { name: 'payments', namespace: 'team-payments' },
      spec: { ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc', arc: { clusterArn } } },
    });
    for (const bad of [
      'arn:aws:route53-recovery-control::111122223333:controlpanel/abc',
      'cluster/abc',
      'arn:aws:route53-recovery-control::12:cluster/a',
    ]) {
      const errors = validateClaim(doc(bad)).problems.filter((p) => p.severity === 'error' && p.path.startsWith('spec.routing'));
      expect(errors.map((p) => p.path)).toEqual(['spec.routing.arc.clusterArn']);
      expect(errors[0]!.message).toMatch(/ARC cluster ARN such as arn:aws:route53-recovery-control::111122223333:cluster\//);
    }
    expect(validateClaim(doc(SHARED_ARC_CLUSTER)).problems.filter((p) => p.path.startsWith('spec.routing.arc'))).toEqual([]);
  });

  it('refuses tag values ARC does not take (white space, empty) with arc only (routing.arc-tags)', () => {
    const tags = { CostCenter: 'Shared Services', Team: 'payments' };
    expect(ids({ ...FULL_SPEC, tags, routing: { ...FULL_SPEC.routing, control: 'arc' } })).toContain('routing.arc-tags');
    expect(ids({ ...FULL_SPEC, tags })).not.toContain('routing.arc-tags');
    expect(ids({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, control: 'arc' } })).not.toContain('routing.arc-tags');
  });
});

describeWithCrossplane('routing.control arc against the provider CRDs', () => {
  it('every ARC resource and health check of the three-region variants (own cluster; shared, observed) passes crossplane resource validate', async () => {
    const arc = [threeRegionArc(), threeRegionArc({ armed: true, clusterArn: SHARED_ARC_CLUSTER })].flatMap((c) =>
      planClaim(c)
        .map((r) => r.manifest)
        .filter((m) => m.apiVersion.startsWith(ARC_GROUP) || m.kind === 'HealthCheck' || m.kind === 'Record'),
    );
    expect(arc.filter((m) => m.apiVersion.startsWith(ARC_GROUP))).toHaveLength(16);
    const report = await validateResources([providerCrdsDir()], {
      yaml: arc.map((m) => stringify(m, { version: '1.1' })).join('---\n'),
    });
    expect(report.failures, formatFailures(report)).toEqual([]);
    expect(report.summary.valid).toBe(arc.length);
  }, 120_000);
});
