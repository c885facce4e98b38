/**
 * routing.control arc reaches the failover orchestrator (audit arc-rpo H3): XFailoverRouting publishes each region's
 * routing control ARN and the ARC cluster's endpoints, the estate passes them to XFailoverController, whose
 * orchestrator gets DRPLANE_ROUTING_CONTROL=arc with the endpoints and controls (and waits without them: an
 * orchestrator that cannot flip the controls would move the gated records), and whose DR-operations role may read and
 * set those routing controls only.
 */
import { describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACTS } from '../../lambda/artifacts.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { SAFETY_RULE_WAIT_MS } from '../../src/primitives/routing/arc.js';
import type { Manifest } from '../../src/compose/types.js';
import { validateClaim } from '../../src/policy/validate.js';
import { SHARED_ARC_CLUSTER } from '../support/variants.js';
import {
  ACCOUNT,
  FULL_SPEC,
  TWO_REGION_SPEC,
  byKey,
  claim,
  composeLive,
  fp,
  keysOf,
  managed,
  nestedOf,
  observedView,
  plan,
  policyOf,
  spec,
  withUid,
  type Observed,
} from './helpers.js';

const TWO = ['us-east-1', 'us-west-2'];
const controlArn = (r: string) => `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/p1/routingcontrol/${r}`;
const GATE = controlArn('gate');
const ENDPOINTS = [
  { endpoint: 'https://host-aaa.us-east-1.example.com/v1', region: 'us-east-1' },
  { endpoint: 'https://host-bbb.us-west-2.example.com/v1', region: 'us-west-2' },
  { endpoint: 'https://host-ccc.eu-west-1.example.com/v1', region: 'eu-west-1' },
  { endpoint: 'https://host-ddd.ap-northeast-1.example.com/v1', region: 'ap-northeast-1' },
  { endpoint: 'https://host-eee.ap-southeast-2.example.com/v1', region: 'ap-southeast-2' },
];
const arc = <T extends { routing: object }>(base: T, armed = true) => ({
  ...base,
  routing: { ...base.routing, control: 'arc', arc: { armed } },
});

/** The controller with every value the estate passes, and the ARC ones as given. */
function controller(arcValues: { arcControlArns?: Record<string, string>; arcEndpoints?: string }): Manifest {
  const xr = nestedOf(arc(TWO_REGION_SPEC), 'XFailoverController');
  const map = (f: (r: string) => string) => Object.fromEntries(TWO.map((r) => [r, f(r)]));
  // The plan's placeholders dropped: only the ARC values given are known.
  const { arcEndpoints: _placeholder, ...planned } = spec(xr);
  return withUid({
    ...xr,
    spec: {
      ...planned,
      healthUrls: map((r) => `https://api-${r}.execute-api.${r}.amazonaws.com/health`),
      healthCheckIds: map((r) => `hc-${r}`),
      clusterArns: map((r) => `arn:aws:rds:${r}:${ACCOUNT}:cluster:payments-aurora-prod-${r}`),
      topicArns: map((r) => `arn:aws:sns:${r}:${ACCOUNT}:payments-alerts-prod-${r}`),
      arcControlArns: {},
      ...arcValues,
    },
  });
}

/** Orchestrator roles and the operations role observed, functions Ready. */
const running = (): Record<string, Observed> => ({
  ...Object.fromEntries(
    TWO.flatMap((r) => [
      [`failover-role-${r}`, { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/payments-failover-prod-${r}` }],
      [`kms-failover-${r}`, { ready: true, arn: `arn:aws:kms:${r}:${ACCOUNT}:key/0000` }],
      [`failover-code-${r}-${LAMBDA_ARTIFACTS.failover.sha256.slice(0, 12)}`, { ready: true }],
    ]),
  ),
  'failover-operations-role': { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/payments-dr-operations-prod` },
});

describe('routing.control arc in the failover orchestrator (audit H3)', () => {
  it('the estate passes arc to XFailoverController once armed; unarmed (records on the endpoint checks) and health-check pass nothing new', () => {
    const s = spec(nestedOf(arc(TWO_REGION_SPEC), 'XFailoverController'));
    expect(s.routingControl).toBe('arc');
    expect(spec(nestedOf(arc(TWO_REGION_SPEC, false), 'XFailoverController'))).not.toHaveProperty('routingControl');
    expect(spec(nestedOf(TWO_REGION_SPEC, 'XFailoverController'))).not.toHaveProperty('routingControl');
  });

  it('XFailoverRouting publishes each routing control ARN and the cluster endpoints the cluster reports', () => {
    const estate = { ...arc(TWO_REGION_SPEC), service: { ...TWO_REGION_SPEC.service, httpApi: false } };
    const xr = nestedOf(estate, 'XFailoverRouting');
    const routing = { ...xr, spec: { ...spec(xr), serviceEndpoints: Object.fromEntries(TWO.map((r) => [r, `fn-${r}.on.aws`])) } };
    const observed = observedView({
      ...Object.fromEntries(TWO.map((r) => [`arc-routing-control-${r}`, { ready: true, arn: controlArn(r) }])),
      'arc-cluster': { ready: true, atProvider: { clusterEndpoints: ENDPOINTS as unknown as string } },
    });
    const out = composeLive(routing, observed);
    const status = out.status as { regions: Record<string, { routingControlArn?: string }>; arcEndpoints?: string };
    expect(status.regions['us-west-2']?.routingControlArn).toBe(controlArn('us-west-2'));
    expect(JSON.parse(status.arcEndpoints!)).toEqual(ENDPOINTS);
    // Before the cluster reports endpoints: none published.
    const early = composeLive(
      routing,
      observedView({ 'arc-routing-control-us-east-1': { ready: true, arn: controlArn('us-east-1') } }),
    );
    expect((early.status as { arcEndpoints?: string }).arcEndpoints).toBeUndefined();
  });

  it('the orchestrator gets the endpoints, the controls and the wait period; the operations role may read and set only the region controls', () => {
    const out = composeLive(
      controller({
        arcControlArns: Object.fromEntries(TWO.map((r) => [r, controlArn(r)])),
        arcEndpoints: JSON.stringify(ENDPOINTS),
      }),
      observedView(running()),
    );
    for (const r of TWO) {
      const env = fp(byKey(out, `failover-function-${r}`)).environment.variables;
      expect(env[FAILOVER_ENV.routingControl]).toBe('arc');
      expect(JSON.parse(env[FAILOVER_ENV.arcEndpoints])).toEqual(ENDPOINTS);
      expect(JSON.parse(env[FAILOVER_ENV.arcControls])).toEqual({
        'us-east-1': controlArn('us-east-1'),
        'us-west-2': controlArn('us-west-2'),
      });
      expect(env[FAILOVER_ENV.arcWaitMs]).toBe(String(SAFETY_RULE_WAIT_MS));
    }
    const statements = policyOf(byKey(out, 'failover-operations-policy')).Statement;
    const flip = statements.find((s) => s.Sid === 'FlipRoutingControls');
    expect(flip).toEqual({
      Sid: 'FlipRoutingControls',
      Effect: 'Allow',
      Action: ['route53-recovery-cluster:GetRoutingControlState', 'route53-recovery-cluster:UpdateRoutingControlStates'],
      Resource: [controlArn('us-east-1'), controlArn('us-west-2')],
    });
    // Safety rules are never overridden (SafetyRulesToOverride): denied on the condition key AWS sets for it.
    expect(statements.find((s) => s.Sid === 'NeverOverrideSafetyRules')).toEqual({
      Sid: 'NeverOverrideSafetyRules',
      Effect: 'Deny',
      Action: ['route53-recovery-cluster:UpdateRoutingControlState', 'route53-recovery-cluster:UpdateRoutingControlStates'],
      Resource: [controlArn('us-east-1'), controlArn('us-west-2')],
      Condition: { Bool: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'true' } },
    });
    expect(JSON.stringify(statements)).not.toContain(GATE);
    // No control-plane (route53-recovery-control-config) action.
    expect(JSON.stringify(statements)).not.toContain('route53-recovery-control-config');
  });

  it('waits for the endpoints and every routing control before creating the orchestrator (else it would move the gated records)', () => {
    const noEndpoints = composeLive(
      controller({ arcControlArns: Object.fromEntries(TWO.map((r) => [r, controlArn(r)])) }),
      observedView(running()),
    );
    expect(keysOf(noEndpoints).filter((k) => k.startsWith('failover-function-'))).toEqual([]);
    expect(noEndpoints.events.map((e) => e.message)).toContainEqual(expect.stringContaining("the ARC cluster's endpoints"));
    // The same values with the endpoints: created.
    const complete = composeLive(
      controller({
        arcControlArns: Object.fromEntries(TWO.map((r) => [r, controlArn(r)])),
        arcEndpoints: JSON.stringify(ENDPOINTS),
      }),
      observedView(running()),
    );
    expect(keysOf(complete).filter((k) => k.startsWith('failover-function-'))).toEqual(TWO.map((r) => `failover-function-${r}`));
    const oneControl = composeLive(
      controller({ arcControlArns: { 'us-east-1': controlArn('us-east-1') }, arcEndpoints: JSON.stringify(ENDPOINTS) }),
      observedView(running()),
    );
    expect(keysOf(oneControl).filter((k) => k.startsWith('failover-function-'))).toEqual([]);
  });

  it('a plan of a three-region arc estate shows the orchestrator with arc and the routing controls in its IAM', () => {
    const planned = managed(plan(arc(FULL_SPEC)));
    const fns = planned.filter((m) => m.kind === 'Function' && fp(m).environment.variables[FAILOVER_ENV.regions]);
    expect(fns).toHaveLength(3);
    for (const f of fns) {
      const env = fp(f).environment.variables;
      expect(env[FAILOVER_ENV.routingControl]).toBe('arc');
      expect(env[FAILOVER_ENV.arcEndpoints]).toMatch(/^<.*>$/);
      expect(Object.keys(JSON.parse(env[FAILOVER_ENV.arcControls]))).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    }
    const policy = planned.find((m) => m.kind === 'RolePolicy' && fp(m).policy.includes('FlipRoutingControls'));
    expect(policy).toBeDefined();
  });

  it('policy refuses armed controls on a shared cluster with a failover orchestrator: it could never learn the endpoints', () => {
    const shared = (armed: boolean) => ({
      ...TWO_REGION_SPEC,
      routing: { ...TWO_REGION_SPEC.routing, control: 'arc', arc: { armed, clusterArn: SHARED_ARC_CLUSTER } },
    });
    const problem = validateClaim(claim(shared(true))).problems.find((p) => p.ruleId === 'failover.arc-shared-cluster');
    expect(problem).toMatchObject({ severity: 'error', path: 'spec.routing.arc.clusterArn' });
    expect(problem?.message).toMatch(/Remove routing.arc.clusterArn/);
    const ids = (s: object) => validateClaim(claim(s)).problems.map((p) => p.ruleId);
    expect(ids(shared(false))).not.toContain('failover.arc-shared-cluster');
    expect(ids(arc(TWO_REGION_SPEC))).not.toContain('failover.arc-shared-cluster');
  });
});
