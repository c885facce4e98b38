/**
 * The account guard as rendered: which claims the ValidatingAdmissionPolicy matches, the namespace → ProviderConfig
 * map it carries (from settings.providerConfigAccess), and the settings it refuses. The CEL itself runs on a real
 * kube-apiserver in the e2e tier (test/e2e/argocd.test.ts), which admits and refuses claims with it.
 */
import { expect, it } from 'vitest';
import { ACCOUNT_GUARD, accessMapCel } from '../../charts/bootstrap/account-guard.js';
import { DEFAULT_SETTINGS, type BootstrapSettings } from '../../charts/bootstrap/settings.js';
import { renderBootstrap, type Manifest } from './render.js';

const ROLE = (account: string) => ({ roleArn: `arn:aws:iam::${account}:role/drplane-provider-aws` });
const TWO_ACCOUNTS: BootstrapSettings = {
  ...DEFAULT_SETTINGS,
  accounts: { 'aws-444455556666': ROLE('444455556666'), 'aws-777788889999': ROLE('777788889999') },
  providerConfigAccess: {
    'team-payments': ['default', 'aws-444455556666'],
    'team-orders': ['aws-777788889999'],
    'team-frozen': [],
  },
};

function guard(settings: BootstrapSettings = DEFAULT_SETTINGS): { policy: Manifest; binding: Manifest } {
  const objects = renderBootstrap(settings).files.get('provider-config/account-guard.yaml')!;
  const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy')!;
  const binding = objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding')!;
  return { policy, binding };
}

const variable = (policy: Manifest, name: string): string =>
  (policy.spec.variables as { name: string; expression: string }[]).find((v) => v.name === name)!.expression;

it('guards every create and update of a DisasterRecovery claim, failing closed, with a Deny binding', () => {
  const { policy, binding } = guard();
  expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
  expect(policy.metadata.name).toBe(ACCOUNT_GUARD);
  expect(policy.spec.failurePolicy).toBe('Fail');
  expect(policy.spec.matchConstraints).toEqual({
    resourceRules: [
      { apiGroups: ['drplane.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['disasterrecoveries'] },
    ],
  });
  expect(binding).toMatchObject({
    apiVersion: 'admissionregistration.k8s.io/v1',
    metadata: { name: ACCOUNT_GUARD },
    spec: { policyName: ACCOUNT_GUARD, validationActions: ['Deny'] },
  });
  // Kept when its Application is deleted, never pruned: a cascading delete must not leave the accounts unguarded.
  for (const o of [policy, binding])
    expect(o.metadata.annotations?.['argocd.argoproj.io/sync-options'], o.kind).toMatch(/Delete=false/);
});

it("by default every namespace may use only 'default'; an unset providerConfigRef counts as 'default'", () => {
  const { policy } = guard();
  expect(variable(policy, 'access')).toBe('{}');
  expect(variable(policy, 'allowed')).toBe(
    "request.namespace in variables.access ? variables.access[request.namespace] : ['default']",
  );
  expect(variable(policy, 'requested')).toBe(
    "has(object.spec.providerConfigRef) && has(object.spec.providerConfigRef.name) ? object.spec.providerConfigRef.name : 'default'",
  );
  expect(policy.spec.validations).toHaveLength(1);
  expect(policy.spec.validations[0]).toMatchObject({
    expression: 'variables.requested in variables.allowed',
    reason: 'Forbidden',
  });
  expect(policy.spec.validations[0].messageExpression).toMatch(/settings\.providerConfigAccess/);
});

it('carries settings.providerConfigAccess as a CEL map, namespaces sorted, lists as written (an empty one allows nothing)', () => {
  expect(variable(guard(TWO_ACCOUNTS).policy, 'access')).toBe(
    "{'team-frozen': [], 'team-orders': ['aws-777788889999'], 'team-payments': ['default', 'aws-444455556666']}",
  );
  expect(accessMapCel({ "team-a'": ['x\\y'] })).toBe("{'team-a\\'': ['x\\\\y']}");
});

it('refuses settings the guard cannot enforce, naming the entry and what to write', () => {
  const render = (providerConfigAccess: Record<string, unknown>) => () =>
    renderBootstrap({ ...TWO_ACCOUNTS, providerConfigAccess } as BootstrapSettings);
  expect(render({ 'team-payments': ['aws-111122223333'] })).toThrow(
    /settings\.providerConfigAccess\['team-payments'\]: "aws-111122223333" is no ProviderConfig of this control plane; write one of 'default', 'aws-444455556666', 'aws-777788889999'/,
  );
  expect(render({ payments: ['default'] })).toThrow(
    /settings\.providerConfigAccess\['payments'\]: the key is a team namespace, a DNS label matching claimNamespaces 'team-\*'/,
  );
  expect(render({ Team_A: ['default'] })).toThrow(/settings\.providerConfigAccess\['Team_A'\]: the key is a team namespace/);
  expect(render({ 'team-a': 'default' })).toThrow(/settings\.providerConfigAccess\['team-a'\]: write the list/);
});

it('the platform project may apply exactly this policy and binding (by name), through drplane-provider-config', () => {
  const projects = renderBootstrap().files.get('argocd/projects.yaml')!;
  const platform = projects.find((p) => p.metadata.name === 'drplane')!;
  const admission = (platform.spec.clusterResourceWhitelist as { group: string; kind: string; name?: string }[]).filter(
    (r) => r.group === 'admissionregistration.k8s.io',
  );
  expect(admission).toEqual([
    { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy', name: ACCOUNT_GUARD },
    { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding', name: ACCOUNT_GUARD },
  ]);
  const app = renderBootstrap().files.get('apps/drplane-provider-config.yaml')![0]!;
  expect(app.spec.project).toBe('drplane');
  expect(app.spec.source.path).toBe('compositions/bootstrap/provider-config');
});
