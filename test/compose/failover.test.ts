import { describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACTS } from '../../lambda/artifacts.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { EXTERNAL_ID_KEY, connectionSecretOf, externalIdOf, externalIdParameter } from '../../src/compose/failover.js';
import { compositeAlarmName } from '../../src/compose/monitoring.js';
import { ComposeContext } from '../../src/compose/context.js';
import type { Manifest } from '../../src/compose/types.js';
import {
  ACCOUNT,
  ID,
  FULL_SPEC,
  TWO_REGION_SPEC,
  byKey,
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

const UID = '6f1c1d0e-4a53-4c0e-9a57-0d7c3b5e2a10';
const roleArn = (r: string) => `arn:aws:iam::${ACCOUNT}:role/payments-failover-prod-${r}`;
const opsArn = `arn:aws:iam::${ACCOUNT}:role/payments-dr-operations-prod`;
const clusterArn = (r: string) => `arn:aws:rds:${r}:${ACCOUNT}:cluster:payments-aurora-prod-${r}`;
const topicArn = (r: string) => `arn:aws:sns:${r}:${ACCOUNT}:payments-alerts-prod-${r}`;

/** The controller of an estate, with the values the estate passes once the other primitives report them. */
function controller(
  estate: { regions: { primary: string; secondaries: readonly string[] }; activeRegion?: string; failover?: object },
  uid: string | null = UID,
): Manifest {
  const xr = nestedOf(estate, 'XFailoverController');
  const regions = [estate.regions.primary, ...estate.regions.secondaries];
  const map = (f: (r: string) => string) => Object.fromEntries(regions.map((r) => [r, f(r)]));
  const known = {
    ...spec(xr),
    healthUrls: map((r) => `https://api-${r}.execute-api.${r}.amazonaws.com/health`),
    healthCheckIds: map((r) => `hc-${r}`),
    clusterArns: map(clusterArn),
    topicArns: map(topicArn),
  };
  const composite = { ...xr, spec: known };
  return uid === null ? composite : withUid(composite, uid);
}
/** Orchestrator roles (and optionally the operations role) observed, code objects and functions Ready. */
function running(regions: readonly string[], extra: Record<string, Observed> = {}): Record<string, Observed> {
  return {
    ...Object.fromEntries(
      regions.flatMap((r) => [
        [`failover-role-${r}`, { ready: true, arn: roleArn(r) }],
        [`failover-function-${r}`, { ready: true, arn: `arn:aws:lambda:${r}:${ACCOUNT}:function:payments-failover-prod` }],
        [`kms-failover-${r}`, { ready: true, arn: `arn:aws:kms:${r}:${ACCOUNT}:key/0000` }],
      ]),
    ),
    'failover-operations-role': { ready: true, arn: opsArn },
    ...extra,
  };
}
const TWO = ['us-east-1', 'us-west-2'];

describe('XFailoverController', () => {
  it('runs the orchestrator in every region, without reserved concurrency, with the FAILOVER_ENV contract', () => {
    const fns = managed(plan(FULL_SPEC)).filter(
      (m) => m.kind === 'Function' && fp(m).environment.variables[FAILOVER_ENV.regions],
    );
    expect(fns.map((f) => fp(f).region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    for (const f of fns) {
      // Accounts with a low concurrency quota refuse any reservation; overlapping runs follow each other (lambda/failover).
      expect(fp(f)).not.toHaveProperty('reservedConcurrentExecutions');
      expect(fp(f)).toMatchObject({
        timeout: 900,
        handler: 'index.handler',
        architectures: ['arm64'],
      });
      const env = fp(f).environment.variables;
      expect(Object.keys(env).sort()).toEqual(
        Object.values(FAILOVER_ENV)
          .filter((v) => v !== FAILOVER_ENV.deadlineSeconds && v !== FAILOVER_ENV.pollSeconds)
          .sort(),
      );
      expect(JSON.parse(env[FAILOVER_ENV.regions])).toEqual({ primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] });
      expect(env[FAILOVER_ENV.hostedZoneId]).toBe('Z0123456789ABCDEFGHIJ');
      expect(env[FAILOVER_ENV.externalIdParameter]).toBe(
        `/aws/reference/secretsmanager/payments-failover-external-id-prod-${ID}`,
      );
    }
  });

  it('waits for the values it needs from the other primitives before creating the orchestrator', () => {
    const planned = spec(nestedOf(TWO_REGION_SPEC, 'XFailoverController'));
    const bare = withUid({
      ...nestedOf(TWO_REGION_SPEC, 'XFailoverController'),
      spec: { ...planned, healthUrls: {}, clusterArns: {}, healthCheckIds: {}, topicArns: {} },
    });
    const observed = running(TWO, {
      [`failover-code-us-east-1-${LAMBDA_ARTIFACTS.failover.sha256.slice(0, 12)}`]: { ready: true },
    });
    delete observed['failover-function-us-east-1'];
    expect(keysOf(composeLive(bare, observedView(observed)))).not.toContain('failover-function-us-east-1');
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(observed));
    const env = fp(byKey(out, 'failover-function-us-east-1')).environment.variables;
    expect(JSON.parse(env[FAILOVER_ENV.clusterArns])).toEqual({
      'us-east-1': clusterArn('us-east-1'),
      'us-west-2': clusterArn('us-west-2'),
    });
    expect(env[FAILOVER_ENV.operationsRoleArn]).toBe(opsArn);
    // Each region's orchestrator notifies its own region's topic: a failover away from a dead region is still heard.
    expect(env[FAILOVER_ENV.topicArn]).toBe(topicArn('us-east-1'));
    const standby = fp(byKey(out, 'failover-function-us-west-2')).environment.variables;
    expect(standby[FAILOVER_ENV.topicArn]).toBe(topicArn('us-west-2'));
  });

  it('lets only the orchestrator roles assume the operations role, by their observed ARNs, and only with the external ID (seed 004)', () => {
    const observed = running(TWO);
    delete observed['failover-operations-role'];
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(observed));
    const trust = policyOf(byKey(out, 'failover-operations-role'), 'assumeRolePolicy');
    expect(trust.Statement).toEqual([
      {
        Sid: 'OrchestratorsWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: [roleArn('us-east-1'), roleArn('us-west-2')] },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'sts:ExternalId': externalIdOf(UID) } },
      },
    ]);
    expect(externalIdOf(UID)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates no operations role before every orchestrator role ARN is observed, nor without the composite uid', () => {
    const oneRole = { 'failover-role-us-east-1': { ready: true, arn: roleArn('us-east-1') } };
    expect(keysOf(composeLive(controller(TWO_REGION_SPEC), observedView(oneRole)))).not.toContain('failover-operations-role');
    const roles = running(TWO);
    delete roles['failover-operations-role'];
    expect(keysOf(composeLive(controller(TWO_REGION_SPEC, null), observedView(roles)))).not.toContain('failover-operations-role');
    expect(keysOf(composeLive(controller(TWO_REGION_SPEC), observedView(roles)))).toContain('failover-operations-role');
  });

  it('writes the external ID only into the trust policy and the connection secret; Secrets Manager takes it from there', () => {
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    const id = externalIdOf(UID);
    expect(out.connectionDetails).toEqual({ [EXTERNAL_ID_KEY]: id });
    const holding = out.resources.filter((r) => JSON.stringify(r.manifest).includes(id)).map((r) => r.key);
    expect(holding).toEqual(['failover-operations-role']);
    const ctx = new ComposeContext(spec(controller(TWO_REGION_SPEC)) as never);
    expect(fp(byKey(out, 'failover-external-id-version')).secretStringSecretRef).toEqual({
      ...connectionSecretOf(ctx),
      key: EXTERNAL_ID_KEY,
    });
    expect(spec(nestedOf(TWO_REGION_SPEC, 'XFailoverController')).writeConnectionSecretToRef).toEqual(connectionSecretOf(ctx));
    const secret = fp(byKey(out, 'failover-external-id'));
    expect(secret.replica).toEqual([{ region: 'us-west-2', kmsKeyId: `alias/payments-failover-prod-usw2-${ID}` }]);
    expect(externalIdParameter(ctx)).toBe(`/aws/reference/secretsmanager/${secret.name}`);
  });

  it('shows the external ID as a placeholder in a plan, never a value', () => {
    const planned = managed(plan(TWO_REGION_SPEC));
    const trust = JSON.parse(
      fp(planned.find((m) => m.kind === 'Role' && fp(m).assumeRolePolicy.includes('sts:ExternalId'))!).assumeRolePolicy,
    );
    expect(trust.Statement[0].Condition.StringEquals['sts:ExternalId']).toMatch(/^<.*known after creation>$/);
  });

  it('lets the operations role switch this global database and move only the failover record in the claimed zone', () => {
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    const bySid = Object.fromEntries(policyOf(byKey(out, 'failover-operations-policy')).Statement.map((s) => [s.Sid, s]));
    expect(bySid.SwitchGlobalDatabase.Resource).toEqual([
      `arn:aws:rds::${ACCOUNT}:global-cluster:payments-global-prod-${ID}`,
      clusterArn('us-east-1'),
      clusterArn('us-west-2'),
    ]);
    expect(bySid.MoveFailoverRecords).toMatchObject({
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: ['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ'],
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.example.com'],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
        },
      },
    });
    const orchestrator = Object.fromEntries(policyOf(byKey(out, 'failover-policy-us-west-2')).Statement.map((s) => [s.Sid, s]));
    expect(orchestrator.AssumeOperationsRole.Resource).toEqual([opsArn]);
    expect(orchestrator.Notify.Resource).toEqual([topicArn('us-west-2')]);
    expect(orchestrator.NotifyTopicKey.Condition.StringEquals['kms:ViaService']).toBe('sns.us-west-2.amazonaws.com');
  });

  it('does not invoke the orchestrator at creation while the primary is active', () => {
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    expect(keysOf(out).filter((k) => k.startsWith('failover-invocation'))).toEqual([]);
  });

  it('invokes the orchestrator once in the new active region when activeRegion changes in git, and never on removal', () => {
    const moved = composeLive(controller({ ...TWO_REGION_SPEC, activeRegion: 'us-west-2' }), observedView(running(TWO)));
    const inv = byKey(moved, 'failover-invocation-us-west-2');
    expect(fp(inv)).toMatchObject({ region: 'us-west-2', lifecycleScope: 'CRUD' });
    expect(JSON.parse(fp(inv).input)).toEqual({
      targetRegion: 'us-west-2',
      mode: 'planned',
      reason: 'activeRegion changed in git',
    });
    expect(fp(inv).functionNameSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
    expect(spec(inv).managementPolicies).toEqual(['Observe', 'Create', 'Update', 'LateInitialize']);
    // Failing back: the primary's Invocation appears, the secondary's is no longer composed.
    const back = composeLive(
      controller(TWO_REGION_SPEC),
      observedView(running(TWO, { 'failover-invocation-us-west-2': { ready: true } })),
    );
    expect(keysOf(back).filter((k) => k.startsWith('failover-invocation'))).toEqual(['failover-invocation-us-east-1']);
    expect(JSON.parse(fp(byKey(back, 'failover-invocation-us-east-1')).input).targetRegion).toBe('us-east-1');
  });

  it('with failover.allowDataLoss, asks for an unplanned failover (the old region may be down), in git and in automatic mode', () => {
    const lossy = { ...TWO_REGION_SPEC, activeRegion: 'us-west-2', failover: { mode: 'manual', allowDataLoss: true } };
    const moved = composeLive(controller(lossy), observedView(running(TWO)));
    expect(JSON.parse(fp(byKey(moved, 'failover-invocation-us-west-2')).input)).toEqual({
      targetRegion: 'us-west-2',
      mode: 'unplanned',
      reason: 'activeRegion changed in git; failover.allowDataLoss is true',
    });
    const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/payments-failover-trigger-prod-use1-${ID}`;
    const automatic = composeLive(
      controller({ ...FULL_SPEC, failover: { mode: 'automatic', allowDataLoss: true } }),
      observedView(running(['us-east-1', 'us-west-2', 'eu-west-1'], { 'failover-trigger': { ready: true, arn: ruleArn } })),
    );
    expect(JSON.parse(fp(byKey(automatic, 'failover-trigger-target')).input)).toMatchObject({ mode: 'unplanned' });
  });

  it('in automatic mode, starts a planned switchover to the standby when the estate-at-risk alarm fires', () => {
    const xr = controller(FULL_SPEC);
    const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/payments-failover-trigger-prod-use1-${ID}`;
    const out = composeLive(
      xr,
      observedView(running(['us-east-1', 'us-west-2', 'eu-west-1'], { 'failover-trigger': { ready: true, arn: ruleArn } })),
    );
    const ctx = new ComposeContext(spec(xr) as never);
    expect(JSON.parse(fp(byKey(out, 'failover-trigger')).eventPattern)).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [compositeAlarmName(ctx)], state: { value: ['ALARM'] } },
    });
    const target = fp(byKey(out, 'failover-trigger-target'));
    expect(JSON.parse(target.input)).toMatchObject({ targetRegion: 'us-west-2', mode: 'planned' });
    expect(target.arn).toMatch(/^arn:aws:lambda:us-east-1:/);
    expect(fp(byKey(out, 'failover-trigger-permission'))).toMatchObject({
      principal: 'events.amazonaws.com',
      sourceArn: ruleArn,
    });
    const manual = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    expect(keysOf(manual)).not.toContain('failover-trigger');
    const away = composeLive(
      controller({ ...FULL_SPEC, activeRegion: 'us-west-2' }),
      observedView(running(['us-east-1', 'us-west-2', 'eu-west-1'])),
    );
    expect(keysOf(away)).not.toContain('failover-trigger');
  });
});
