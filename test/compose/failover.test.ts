import { describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACTS } from '../../lambda/artifacts.js';
import { loadFailoverConfig } from '../../lambda/failover/config.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { probeDimensions, probeErrorsDimensions } from '../../lambda/shared/metrics-contract.js';
import { EXTERNAL_ID_KEY, connectionSecretOf, externalIdOf, externalIdParameter } from '../../src/primitives/failover/compose.js';
import { compositeAlarmName } from '../../src/primitives/monitoring/compose.js';
import { rpoGuardSeconds, triggerKeys } from '../../src/compose/failover-trigger.js';
import { evaluateRule, type AlarmState } from '../drill/trigger.js';
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
    databaseWriterEndpoints: map((r) => `payments.cluster-abc.${r}.rds.amazonaws.com`),
    databaseReaderEndpoints: map((r) => `payments.cluster-ro-abc.${r}.rds.amazonaws.com`),
    topicArns: map(topicArn),
  };
  const composite = { ...xr, spec: known };
  return uid === null ? composite : withUid(composite, uid);
}
/** The controller with the Aurora writer the estate observed (XFailoverController.databaseWriterRegion). */
const writer = (xr: Manifest, region: string): Manifest => ({
  ...xr,
  spec: { ...(xr.spec as object), databaseWriterRegion: region },
});
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
      // One workflow step or one start per invocation: the waits are the workflow's (was 900 s for a whole run).
      expect(fp(f)).toMatchObject({
        timeout: 60,
        handler: 'index.handler',
        architectures: ['arm64'],
      });
      const env = fp(f).environment.variables;
      expect(Object.keys(env).sort()).toEqual(
        Object.values(FAILOVER_ENV)
          // Optional: the run's budget, and routing.control arc's (test/compose/failover-arc.test.ts).
          .filter(
            (v) =>
              !(
                [
                  FAILOVER_ENV.deadlineSeconds,
                  FAILOVER_ENV.pollSeconds,
                  FAILOVER_ENV.routingControl,
                  FAILOVER_ENV.arcEndpoints,
                  FAILOVER_ENV.arcControls,
                  FAILOVER_ENV.arcWaitMs,
                  // Only with spec.kubernetes (below).
                  FAILOVER_ENV.nodeGroups,
                ] as string[]
              ).includes(v),
          )
          .sort(),
      );
      expect(JSON.parse(env[FAILOVER_ENV.regions])).toEqual({ primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] });
      expect(env[FAILOVER_ENV.hostedZoneId]).toBe('Z0123456789ABCDEFGHIJ');
      // Three regions route by latency by default: switch-dns needs it when Route 53's API is lost (audit N1).
      expect(env[FAILOVER_ENV.routingPolicy]).toBe('latency');
      // A plan shows the account as a placeholder; the state machine's name is chosen, so the ARN is known before it exists.
      expect(env[FAILOVER_ENV.stateMachineArn]).toMatch(
        new RegExp(`^arn:aws:states:${fp(f).region}:.+:stateMachine:payments-failover-prod-[a-z0-9]+-${ID}$`),
      );
      expect(env[FAILOVER_ENV.externalIdParameter]).toBe(`/drplane/${ID}/failover/external-id`);
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
    expect(env[FAILOVER_ENV.routingPolicy]).toBe('failover');
    // writer./reader. move with the run (audit H1): every region's Aurora endpoints.
    expect(JSON.parse(env[FAILOVER_ENV.databaseEndpoints])).toEqual({
      'us-east-1': {
        writer: 'payments.cluster-abc.us-east-1.rds.amazonaws.com',
        reader: 'payments.cluster-ro-abc.us-east-1.rds.amazonaws.com',
      },
      'us-west-2': {
        writer: 'payments.cluster-abc.us-west-2.rds.amazonaws.com',
        reader: 'payments.cluster-ro-abc.us-west-2.rds.amazonaws.com',
      },
    });
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

  it("writes the external ID only into the trust policy and the connection secret; each region's SecureString takes it from there", () => {
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    const id = externalIdOf(UID);
    expect(out.connectionDetails).toEqual({ [EXTERNAL_ID_KEY]: id });
    const holding = out.resources.filter((r) => JSON.stringify(r.manifest).includes(id)).map((r) => r.key);
    expect(holding).toEqual(['failover-operations-role']);
    const ctx = new ComposeContext(spec(controller(TWO_REGION_SPEC)) as never);
    expect(spec(nestedOf(TWO_REGION_SPEC, 'XFailoverController')).writeConnectionSecretToRef).toEqual(connectionSecretOf(ctx));
    for (const region of TWO) {
      const parameter = byKey(out, `failover-external-id-${region}`);
      expect((parameter.metadata?.annotations as Record<string, string>)['crossplane.io/external-name']).toBe(
        externalIdParameter(ctx),
      );
      // the region's own failover key, by ARN (SSM takes no reference), standard tier, value only by reference
      expect(fp(parameter)).toMatchObject({
        region,
        type: 'SecureString',
        tier: 'Standard',
        keyId: `arn:aws:kms:${region}:${ACCOUNT}:key/0000`,
        valueSecretRef: { ...connectionSecretOf(ctx), key: EXTERNAL_ID_KEY },
      });
      expect(fp(parameter).insecureValue).toBeUndefined();
    }
    expect(externalIdParameter(ctx)).toBe(`/drplane/${ID}/failover/external-id`);
  });

  it("waits for a region's failover key before its parameter (SSM takes the key's ARN, not a reference)", () => {
    const observed = running(TWO);
    delete observed['kms-failover-us-west-2'];
    const keys = keysOf(composeLive(controller(TWO_REGION_SPEC), observedView(observed)));
    expect(keys).toContain('failover-external-id-us-east-1');
    expect(keys).not.toContain('failover-external-id-us-west-2');
  });

  it("keeps an existing parameter on its own observed key when the key's status is lost (a control-plane restore)", () => {
    const observed = running(TWO, {
      'failover-external-id-us-west-2': { ready: true, atProvider: { keyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/0000` } },
    });
    delete observed['kms-failover-us-west-2'];
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(observed));
    expect(fp(byKey(out, 'failover-external-id-us-west-2')).keyId).toBe(`arn:aws:kms:us-west-2:${ACCOUNT}:key/0000`);
  });

  it('keeps the key ARN it composed, not the key id or alias the provider reports back (DescribeParameters KeyId), when the key is lost', () => {
    const keyArn = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    for (const reported of ['1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/payments-failover']) {
      const observed = running(TWO, {
        'failover-external-id-us-west-2': {
          ready: true,
          spec: { forProvider: { keyId: keyArn } },
          atProvider: { keyId: reported },
        },
      });
      delete observed['kms-failover-us-west-2'];
      const out = composeLive(controller(TWO_REGION_SPEC), observedView(observed));
      expect(fp(byKey(out, 'failover-external-id-us-west-2')).keyId, reported).toBe(keyArn);
    }
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
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
            'api.example.com',
            'writer.api.example.com',
            'reader.api.example.com',
          ],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
        },
      },
    });
    const orchestrator = Object.fromEntries(policyOf(byKey(out, 'failover-policy-us-west-2')).Statement.map((s) => [s.Sid, s]));
    expect(orchestrator.AssumeOperationsRole.Resource).toEqual([opsArn]);
    expect(orchestrator.Notify.Resource).toEqual([topicArn('us-west-2')]);
    expect(orchestrator.NotifyTopicKey.Condition.StringEquals['kms:ViaService']).toBe('sns.us-west-2.amazonaws.com');
  });

  it("with spec.kubernetes, scales the target's node group: the names XRegionalCluster composes, the ops role on those only", () => {
    const k = { platformRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform`, nodeGroup: { minSize: 4, maxSize: 8 } };
    const estate = { ...TWO_REGION_SPEC, kubernetes: k };
    // The node groups and clusters a plan of the same estate names (their AWS names, from the external-name annotation).
    const planned = plan(estate);
    const nameOf = (kind: string, r: string) =>
      (managed(planned, kind).find((m) => m.apiVersion.startsWith('eks.') && fp(m).region === r)!.metadata as any).annotations[
        'crossplane.io/external-name'
      ] as string;
    const xr = controller(estate);
    expect(spec(xr).nodeGroupSize).toBe(4);
    const out = composeLive(xr, observedView(running(TWO)));
    const env = fp(byKey(out, 'failover-function-us-west-2')).environment.variables;
    const groups = JSON.parse(env[FAILOVER_ENV.nodeGroups]);
    expect(Object.keys(groups)).toEqual(TWO);
    for (const r of TWO) {
      expect(groups[r]).toEqual({ cluster: nameOf('Cluster', r), nodegroup: nameOf('NodeGroup', r), size: 4 });
    }
    const bySid = Object.fromEntries(policyOf(byKey(out, 'failover-operations-policy')).Statement.map((s) => [s.Sid, s]));
    expect(bySid.ScaleNodeGroups).toEqual({
      Sid: 'ScaleNodeGroups',
      Effect: 'Allow',
      Action: ['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig'],
      Resource: TWO.map((r) => `arn:aws:eks:${r}:${ACCOUNT}:nodegroup/${groups[r].cluster}/${groups[r].nodegroup}/*`),
    });
    // No cluster: neither the variable nor the grant.
    const bare = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    expect(fp(byKey(bare, 'failover-function-us-west-2')).environment.variables).not.toHaveProperty(FAILOVER_ENV.nodeGroups);
    const sids = policyOf(byKey(bare, 'failover-operations-policy')).Statement.map((s) => s.Sid);
    expect(sids).not.toContain('ScaleNodeGroups');
    expect(JSON.stringify(policyOf(byKey(bare, 'failover-operations-policy')))).not.toContain('eks:');
  });

  it("a plan names each region's own topic key in that region's orchestrator policy (the topic's region, not the primary)", () => {
    const planned = plan(TWO_REGION_SPEC);
    const policy = planned.find((r) => r.key === 'failover-policy-us-west-2')!.manifest;
    const bySid = Object.fromEntries(policyOf(policy).Statement.map((s) => [s.Sid, s]));
    expect(bySid.NotifyTopicKey.Condition.StringEquals['kms:ViaService']).toBe('sns.us-west-2.amazonaws.com');
    expect(bySid.NotifyTopicKey.Resource[0]).toMatch(/^arn:aws:kms:us-west-2:/);
  });

  it('a plan of an estate whose primary is active shows no Invocation, as the estate never has one then', () => {
    const keys = plan(TWO_REGION_SPEC).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('failover-invocation'))).toEqual([]);
    const moved = plan({ ...TWO_REGION_SPEC, activeRegion: 'us-west-2' }).map((r) => r.key);
    expect(moved.filter((k) => k.startsWith('failover-invocation'))).toEqual(['failover-invocation-us-west-2']);
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

  it('with failover.allowDataLoss, asks for an unplanned failover (the old region may be down) in git', () => {
    const lossy = { ...TWO_REGION_SPEC, activeRegion: 'us-west-2', failover: { mode: 'manual', allowDataLoss: true } };
    const moved = composeLive(controller(lossy), observedView(running(TWO)));
    expect(JSON.parse(fp(byKey(moved, 'failover-invocation-us-west-2')).input)).toEqual({
      targetRegion: 'us-west-2',
      mode: 'unplanned',
      reason: 'activeRegion changed in git; failover.allowDataLoss is true',
    });
  });

  it("runs each region's failover as a Step Functions workflow that invokes only that region's orchestrator", () => {
    const observed = running(TWO, {
      'failover-workflow-logs-us-west-2': {
        ready: true,
        arn: `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/vendedlogs/states/payments-failover-prod-usw2-${ID}`,
      },
    });
    const out = composeLive(controller(TWO_REGION_SPEC), observedView(observed));
    const fnArn = `arn:aws:lambda:us-west-2:${ACCOUNT}:function:payments-failover-prod`;
    const machine = fp(byKey(out, 'failover-workflow-us-west-2'));
    expect(machine).toMatchObject({
      region: 'us-west-2',
      type: 'STANDARD',
      loggingConfiguration: {
        level: 'ERROR',
        includeExecutionData: true,
        logDestination: `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/vendedlogs/states/payments-failover-prod-usw2-${ID}:*`,
      },
    });
    const definition = JSON.parse(machine.definition) as {
      StartAt: string;
      States: Record<string, { Type: string; Resource?: string }>;
    };
    const resources = new Set(Object.values(definition.States).flatMap((st) => (st.Resource === undefined ? [] : [st.Resource])));
    expect([...resources]).toEqual([fnArn]);
    // Without its log group's ARN the machine is composed without logging; once observed, with it.
    expect(
      fp(byKey(composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO))), 'failover-workflow-us-west-2')),
    ).not.toHaveProperty('loggingConfiguration');
    // Role: trusted by Step Functions for this account's state machine only (confused-deputy conditions); may invoke
    // only its region's orchestrator.
    const role = fp(byKey(out, 'failover-workflow-role-us-west-2'));
    expect(JSON.parse(role.assumeRolePolicy).Statement).toEqual([
      {
        Sid: 'StepFunctions',
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: { 'aws:SourceArn': `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:payments-failover-prod-usw2-${ID}` },
        },
      },
    ]);
    // Before the account is known there is no role (a trust policy without it would change after creation).
    const early = composeLive(controller(TWO_REGION_SPEC), observedView({}));
    expect(keysOf(early)).not.toContain('failover-workflow-role-us-west-2');
    expect(keysOf(early)).toContain('failover-workflow-logs-us-west-2');
    const policy = policyOf(byKey(out, 'failover-workflow-policy-us-west-2'));
    expect(policy.Statement.find((st) => st.Sid === 'InvokeOrchestrator')).toEqual({
      Sid: 'InvokeOrchestrator',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: [fnArn],
    });
    // The log group is encrypted with the region's failover key, whose policy admits it.
    expect(fp(byKey(out, 'failover-workflow-logs-us-west-2'))).toMatchObject({
      retentionInDays: 30,
      kmsKeyIdSelector: expect.anything(),
    });
    const keyPolicy = JSON.parse(fp(byKey(out, 'kms-failover-us-west-2')).policy ?? '{}') as {
      Statement: { Condition?: { ArnEquals?: Record<string, unknown> } }[];
    };
    expect(JSON.stringify(keyPolicy)).toContain(`log-group:/aws/vendedlogs/states/payments-failover-prod-usw2-${ID}`);
    // Stale asynchronous events: at most 300 s old, never retried.
    expect(fp(byKey(out, 'failover-invoke-config-us-west-2'))).toEqual({
      region: 'us-west-2',
      functionName: (byKey(out, 'failover-function-us-west-2').metadata as { annotations: Record<string, string> }).annotations[
        'crossplane.io/external-name'
      ],
      maximumEventAgeInSeconds: 300,
      maximumRetryAttempts: 0,
      // A dropped or failed asynchronous event (the automatic trigger's) is reported to the region's alert topic.
      destinationConfig: { onFailure: { destination: topicArn('us-west-2') } },
    });
    // The orchestrator's own role may start only this workflow and re-check only this region's trigger alarm.
    const own = policyOf(byKey(out, 'failover-policy-us-west-2')).Statement as { Sid: string; Resource: string[] }[];
    expect(own.find((st) => st.Sid === 'StartWorkflow')?.Resource).toEqual([
      `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:payments-failover-prod-usw2-${ID}`,
    ]);
    expect(own.find((st) => st.Sid === 'RecheckTriggerAlarm')?.Resource).toEqual([
      `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:payments-failover-trigger-prod-usw2-${ID}`,
    ]);
  });

  it('in automatic mode, detection and trigger live in the standby region: sustained probe failures, never past the RPO, unplanned', () => {
    const xr = controller({ ...FULL_SPEC, failover: { mode: 'automatic', allowDataLoss: false } });
    const ctx = new ComposeContext(spec(xr) as never);
    const ruleArn = `arn:aws:events:us-west-2:${ACCOUNT}:rule/payments-failover-trigger-prod-usw2-${ID}`;
    const probeArn = `arn:aws:events:us-west-2:${ACCOUNT}:rule/payments-failover-probe-prod-usw2-${ID}`;
    const K = triggerKeys('us-west-2');
    const observed = running(['us-east-1', 'us-west-2', 'eu-west-1'], {
      [K.rule]: { ready: true, arn: ruleArn },
      [K.probeRule]: { ready: true, arn: probeArn },
    });
    const first = composeLive(xr, observedView(observed));
    // The composite names its member alarms: not before they exist.
    expect(keysOf(first)).not.toContain(K.alarm);
    const members = [K.signal, K.armed, K.checkers, K.maintenance, K.maintenanceStuck, K.guard];
    const out = composeLive(xr, observedView({ ...observed, ...Object.fromEntries(members.map((k) => [k, { ready: true }])) }));
    for (const key of Object.values(K)) expect(fp(byKey(out, key)).region).toBe('us-west-2');
    // Probe: every minute, the serving region's /health from the standby.
    expect(fp(byKey(out, K.probeRule))).toMatchObject({ scheduleExpression: 'rate(1 minute)' });
    expect(JSON.parse(fp(byKey(out, K.probeTarget)).input)).toEqual({ probe: { region: 'us-east-1' } });
    expect(fp(byKey(out, K.probeTarget)).arn).toMatch(/^arn:aws:lambda:us-west-2:/);
    // Signal: three failed probes in a row; no data (the probe not running) never triggers.
    const probed = (metricName: string) => ({
      namespace: 'drplane',
      metricName,
      // The estate's own series: another estate probing the same regions in this account writes other series.
      dimensions: { Estate: ID, Region: 'us-east-1', ProbedFrom: 'us-west-2' },
    });
    expect(fp(byKey(out, K.signal))).toMatchObject({
      ...probed('RegionHealthy'),
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'notBreaching',
    });
    // Armed: one healthy probe in the last 24 hours (hourly maxima, 1 of 24; no data at all is not armed).
    expect(fp(byKey(out, K.armed))).toMatchObject({
      ...probed('RegionHealthy'),
      statistic: 'Maximum',
      period: 3600,
      evaluationPeriods: 24,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'missing',
    });
    // Second vantage: Route 53's checkers at or below its own 18 %, three minutes in a row; no data breaches (audit 21
    // N3: with 'missing' CloudWatch keeps the last state, OK, a veto, for minutes after Route 53's API is lost).
    expect(fp(byKey(out, K.checkers))).toMatchObject({
      ...probed('CheckersHealthyPercent'),
      statistic: 'Maximum',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 18,
      comparisonOperator: 'LessThanOrEqualToThreshold',
      treatMissingData: 'breaching',
    });
    // Maintenance of the serving region's cluster in the last 5 minutes holds the trigger.
    expect(fp(byKey(out, K.maintenance))).toMatchObject({
      ...probed('RegionInMaintenance'),
      statistic: 'Maximum',
      evaluationPeriods: 5,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
    // Guard: the standby's recovery point lags more than the RPO (FULL_SPEC: its objectives).
    const rpo = rpoGuardSeconds((spec(xr) as { objectives?: { rpoSeconds: number } }).objectives);
    // A Metrics Insights query over every dimension set that names the cluster (Aurora's set is not pinned).
    const guard = fp(byKey(out, K.guard));
    expect(guard).toMatchObject({ threshold: rpo * 1000, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1 });
    expect(guard.metricQuery).toEqual([
      {
        id: 'lag',
        expression: `SELECT MAX(AuroraGlobalDBRPOLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = 'payments-aurora-prod-usw2-${ID}'`,
        period: 60,
        returnData: true,
      },
    ]);
    for (const field of ['namespace', 'metricName', 'dimensions', 'statistic', 'period']) expect(guard).not.toHaveProperty(field);
    const alarm = (logical: string) => `payments-${logical}-prod-usw2-${ID}`;
    expect(fp(byKey(out, K.alarm)).alarmRule).toBe(
      [
        `ALARM("${alarm('failover-signal')}")`,
        `ALARM("${alarm('failover-armed')}")`,
        `NOT OK("${alarm('failover-checkers')}")`,
        `(NOT ALARM("${alarm('failover-maintenance')}") OR ALARM("${alarm('failover-maintenance-stuck')}"))`,
      ].join(' AND '),
    );
    // Maintenance in each of the last 60 minutes is stuck (audit 21 N4): it notifies and ends the hold.
    expect(fp(byKey(out, K.maintenanceStuck))).toMatchObject({
      ...probed('RegionInMaintenance'),
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 60,
      datapointsToAlarm: 60,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
    // The trigger: on that alarm only (not the estate-at-risk alarm), an unplanned failover to the standby with the event time.
    expect(JSON.parse(fp(byKey(out, K.rule)).eventPattern)).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [`payments-failover-trigger-prod-usw2-${ID}`], state: { value: ['ALARM'] } },
    });
    expect(JSON.stringify(out)).not.toContain(compositeAlarmName(ctx));
    const target = fp(byKey(out, K.target));
    // The alarm's transition time (as DescribeAlarms gives it to the probe's re-driver), not the event's delivery time.
    expect(target.inputTransformer).toEqual({
      inputPaths: { time: '$.detail.state.timestamp' },
      inputTemplate: JSON.stringify({
        targetRegion: 'us-west-2',
        mode: 'unplanned',
        reason: `automatic: payments-failover-trigger-prod-usw2-${ID} is in ALARM (us-east-1 lost)`,
        trigger: { alarmName: `payments-failover-trigger-prod-usw2-${ID}`, time: '<time>', region: 'us-east-1' },
      }),
    });
    // Delivery: a refused invoke is retried for at most 300 s, 3 times; an undelivered event raises an alarm.
    expect(target.retryPolicy).toEqual({ maximumEventAgeInSeconds: 300, maximumRetryAttempts: 3 });
    expect(fp(byKey(out, K.undelivered))).toMatchObject({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensions: { RuleName: `payments-failover-trigger-prod-usw2-${ID}` },
      statistic: 'Sum',
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      alarmActions: [expect.stringMatching(/^arn:aws:sns:us-west-2:/)],
    });
    // The probe never throws (audit 21 N7): ProbeErrors failing or silent for 5 minutes notifies, once per transition.
    expect(fp(byKey(out, K.probeErrors))).toMatchObject({
      namespace: 'drplane',
      metricName: 'ProbeErrors',
      dimensions: { Estate: ID, ProbedFrom: 'us-west-2' },
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'breaching',
      alarmActions: [expect.stringMatching(/^arn:aws:sns:us-west-2:/)],
    });
    expect(fp(byKey(out, K.alarm)).alarmRule).not.toContain('probe-errors');
    // The orchestrator's failed or dropped asynchronous events go to the region's (KMS-encrypted) alert topic.
    expect(fp(byKey(out, 'failover-invoke-config-us-west-2')).destinationConfig).toEqual({
      onFailure: { destination: expect.stringMatching(/^arn:aws:sns:us-west-2:/) },
    });
    expect(fp(byKey(out, K.permission))).toMatchObject({
      principal: 'events.amazonaws.com',
      sourceArn: ruleArn,
    });
    expect(fp(byKey(out, K.probePermission))).toMatchObject({ principal: 'events.amazonaws.com', sourceArn: probeArn });
    // The probe may read Route 53's checkers of the other regions' health checks and their clusters' status, nothing else.
    const own = policyOf(byKey(out, 'failover-policy-us-west-2')).Statement as {
      Sid: string;
      Action: string[];
      Resource: string[];
    }[];
    expect(own.find((st) => st.Sid === 'ProbeMaintenance')).toMatchObject({ Action: ['rds:DescribeDBClusters'] });
    expect(own.find((st) => st.Sid === 'ProbeMaintenance')!.Resource).not.toContain(expect.stringMatching(/:rds:us-west-2:/));
    // wait-turn lists every region's RUNNING runs (one run acts per estate), the re-driver its own region's (audit
    // arc-rpo L4): ListExecutions on the estate's state machines, nothing else.
    const machines = [
      `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:payments-failover-prod-use1-${ID}`,
      `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:payments-failover-prod-usw2-${ID}`,
      `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:payments-failover-prod-euw1-${ID}`,
    ];
    expect(own.find((st) => st.Sid === 'ListWorkflowRuns')).toEqual({
      Sid: 'ListWorkflowRuns',
      Effect: 'Allow',
      Action: ['states:ListExecutions'],
      Resource: machines,
    });
    expect(
      JSON.parse(fp(byKey(out, 'failover-function-us-west-2')).environment.variables[FAILOVER_ENV.stateMachineArns]),
    ).toEqual({
      'us-east-1': machines[0],
      'us-west-2': machines[1],
      'eu-west-1': machines[2],
    });
    // The clusters' instances (audit 21 N4): DescribeDBInstances on the probed regions' DB instances only.
    expect(own.find((st) => st.Sid === 'ProbeInstanceMaintenance')).toEqual({
      Sid: 'ProbeInstanceMaintenance',
      Effect: 'Allow',
      Action: ['rds:DescribeDBInstances'],
      Resource: [`arn:aws:rds:us-east-1:${ACCOUNT}:db:*`, `arn:aws:rds:eu-west-1:${ACCOUNT}:db:*`],
    });
    expect(own.find((st) => st.Sid === 'ProbeCheckers')).toMatchObject({ Action: ['route53:GetHealthCheckStatus'] });
    // check-rpo reads the standby's lag metric against the guard (ms), with GetMetricData and ListMetrics (no
    // resource-level permissions: *).
    const standbyEnv = fp(byKey(out, 'failover-function-us-west-2')).environment.variables;
    expect([standbyEnv[FAILOVER_ENV.lagMetric], standbyEnv[FAILOVER_ENV.rpoGuardMs]]).toEqual([
      'AuroraGlobalDBRPOLag',
      String(rpo * 1000),
    ]);
    expect(own.find((st) => st.Sid === 'ReadLagBeforeLoss')).toEqual({
      Sid: 'ReadLagBeforeLoss',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
      Resource: ['*'],
    });
    // The probe re-drives the failover of the standby's trigger alarm (automatic mode only).
    expect(fp(byKey(out, 'failover-function-us-west-2')).environment.variables[FAILOVER_ENV.triggerAlarm]).toBe(
      `payments-failover-trigger-prod-usw2-${ID}`,
    );
    // Manual mode has none of it; after a move in git the trigger moves to the new standby and watches the new serving region.
    const manualOut = composeLive(controller(TWO_REGION_SPEC), observedView(running(TWO)));
    const manual = keysOf(manualOut);
    // wait-turn runs in every mode: a manual estate's orchestrators list both regions' workflows too.
    const manualOwn = policyOf(byKey(manualOut, 'failover-policy-us-east-1')).Statement as { Sid: string; Resource: string[] }[];
    expect(manualOwn.find((st) => st.Sid === 'ListWorkflowRuns')?.Resource).toEqual([
      expect.stringMatching(/^arn:aws:states:us-east-1:\d{12}:stateMachine:payments-failover-prod-use1-/),
      expect.stringMatching(/^arn:aws:states:us-west-2:\d{12}:stateMachine:payments-failover-prod-usw2-/),
    ]);
    expect(manual.filter((k) => k.startsWith('failover-trigger') || k.startsWith('failover-probe'))).toEqual([]);
    const away = composeLive(
      controller({ ...FULL_SPEC, activeRegion: 'us-west-2', failover: { mode: 'automatic', allowDataLoss: false } }),
      observedView(running(['us-east-1', 'us-west-2', 'eu-west-1'])),
    );
    expect(fp(byKey(away, triggerKeys('us-east-1').probeRule)).region).toBe('us-east-1');
    expect(JSON.parse(fp(byKey(away, triggerKeys('us-east-1').probeTarget)).input)).toEqual({ probe: { region: 'us-west-2' } });
  });

  it("names the estate in the trigger's alarms exactly as its probe publishes, and two estates in one account never share a series", () => {
    const automatic = { ...TWO_REGION_SPEC, failover: { mode: 'automatic', allowDataLoss: false } };
    const K = triggerKeys('us-west-2');
    /** The standby's alarms, and the dimensions its probe publishes: the rendered Function's environment as the Lambda reads it. */
    const estateOf = (xr: Manifest) => {
      const out = composeLive(xr, observedView(running(TWO)));
      const vars = fp(byKey(out, 'failover-function-us-west-2')).environment.variables as Record<string, string>;
      const cfg = loadFailoverConfig({ ...vars, AWS_REGION: 'us-west-2' });
      return {
        id: new ComposeContext(spec(xr) as never).namer.estateId,
        cfg,
        signal: fp(byKey(out, K.signal)).dimensions,
        armed: fp(byKey(out, K.armed)).dimensions,
        checkers: fp(byKey(out, K.checkers)).dimensions,
        maintenance: fp(byKey(out, K.maintenance)).dimensions,
        maintenanceStuck: fp(byKey(out, K.maintenanceStuck)).dimensions,
        probeErrors: fp(byKey(out, K.probeErrors)).dimensions,
      };
    };
    const a = estateOf(controller(automatic));
    const xr = controller(automatic);
    // Another claim (another name) in the same account, over the same region pair.
    const b = estateOf({ ...xr, spec: { ...spec(xr), owner: { ...spec(xr).owner, name: 'billing' } } });
    for (const e of [a, b]) {
      // The variable compose sets is the estate id, and the probe's series (metrics-contract.ts, what probe.ts
      // publishes with the Lambda's config) is the one every trigger alarm reads.
      expect(e.cfg.estate).toBe(e.id);
      const published = probeDimensions(e.cfg.estate, 'us-east-1', e.cfg.region);
      for (const d of [e.signal, e.armed, e.checkers, e.maintenance, e.maintenanceStuck]) expect(d).toEqual(published);
      expect(e.probeErrors).toEqual(probeErrorsDimensions(e.cfg.estate, e.cfg.region));
    }
    expect(a.id).toBe(ID);
    expect(b.id).not.toBe(a.id);
    expect(b.signal).not.toEqual(a.signal);
    expect(b.probeErrors).not.toEqual(a.probeErrors);
  });

  it('the trigger fires only when armed, both vantages agree (or Route 53 cannot say), no maintenance and within the RPO', () => {
    const xr = controller({ ...FULL_SPEC, failover: { mode: 'automatic', allowDataLoss: false } });
    const K = triggerKeys('us-west-2');
    const members = [K.signal, K.armed, K.checkers, K.maintenance, K.maintenanceStuck, K.guard];
    const out = composeLive(
      xr,
      observedView(
        running(['us-east-1', 'us-west-2', 'eu-west-1'], Object.fromEntries(members.map((k) => [k, { ready: true }]))),
      ),
    );
    const rule = String(fp(byKey(out, K.alarm)).alarmRule);
    const nameOf = (key: string) =>
      (byKey(out, key).metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name']!;
    const lost: Record<string, AlarmState> = {
      [nameOf(K.signal)]: 'ALARM',
      [nameOf(K.armed)]: 'ALARM',
      [nameOf(K.checkers)]: 'ALARM',
      [nameOf(K.maintenance)]: 'OK',
      [nameOf(K.maintenanceStuck)]: 'OK',
      [nameOf(K.guard)]: 'OK',
    };
    const fires = (change: Record<string, AlarmState>) => evaluateRule(rule, { ...lost, ...change });
    expect(fires({})).toBe(true);
    // Route 53's API does not answer (no checkers data): the standby's probe decides alone.
    expect(fires({ [nameOf(K.checkers)]: 'INSUFFICIENT_DATA' })).toBe(true);
    // Route 53's checkers still see the region healthy: a problem between the two regions, no failover.
    expect(fires({ [nameOf(K.checkers)]: 'OK' })).toBe(false);
    // Never healthy from the standby (no data at all, or only failures): not armed.
    expect(fires({ [nameOf(K.armed)]: 'INSUFFICIENT_DATA' })).toBe(false);
    expect(fires({ [nameOf(K.armed)]: 'OK' })).toBe(false);
    // Aurora maintenance of the serving region holds it.
    expect(fires({ [nameOf(K.maintenance)]: 'ALARM' })).toBe(false);
    // ... until it has lasted an hour (stuck, audit 21 N4): the hold ends. Stuck alone (no maintenance now) holds nothing.
    expect(fires({ [nameOf(K.maintenance)]: 'ALARM', [nameOf(K.maintenanceStuck)]: 'ALARM' })).toBe(true);
    expect(fires({ [nameOf(K.maintenance)]: 'ALARM', [nameOf(K.maintenanceStuck)]: 'INSUFFICIENT_DATA' })).toBe(false);
    // The RPO guard is no member (audit 21 M1): a lag growing after the loss would veto every real failover; the
    // run's check-rpo step decides on the lag before the loss.
    expect(rule).not.toContain(nameOf(K.guard));
    expect(fires({ [nameOf(K.guard)]: 'ALARM' })).toBe(true);
    // Probes not failing: nothing.
    expect(fires({ [nameOf(K.signal)]: 'OK' })).toBe(false);
  });

  it('after an automatic failover the trigger watches the region the writer moved to, from the new standby', () => {
    // git still says us-east-1; the writer AWS reports is us-west-2 (the automatic run moved it).
    const moved = writer(controller({ ...TWO_REGION_SPEC, failover: { mode: 'automatic', allowDataLoss: false } }), 'us-west-2');
    const out = composeLive(moved, observedView(running(TWO)));
    const keys = keysOf(out);
    // Nothing is left watching the lost region from the region that now serves.
    expect(
      keys.filter((k) => k.endsWith('-us-west-2') && (k.startsWith('failover-probe') || k.startsWith('failover-signal'))),
    ).toEqual([]);
    const K = triggerKeys('us-east-1');
    expect(fp(byKey(out, K.probeRule)).region).toBe('us-east-1');
    expect(JSON.parse(fp(byKey(out, K.probeTarget)).input)).toEqual({ probe: { region: 'us-west-2' } });
    expect(fp(byKey(out, K.signal)).dimensions).toEqual({ Estate: ID, Region: 'us-west-2', ProbedFrom: 'us-east-1' });
    expect(JSON.parse(fp(byKey(out, K.target)).inputTransformer.inputTemplate)).toMatchObject({ targetRegion: 'us-east-1' });
    // A writer outside the estate's regions is not followed.
    const foreign = composeLive(
      writer(controller({ ...TWO_REGION_SPEC, failover: { mode: 'automatic', allowDataLoss: false } }), 'ap-south-1'),
      observedView(running(TWO)),
    );
    expect(JSON.parse(fp(byKey(foreign, triggerKeys('us-west-2').probeTarget)).input)).toEqual({
      probe: { region: 'us-east-1' },
    });
  });

  it('three regions: after an automatic failover the next trigger sits in the healthy third region, not in the lost one', () => {
    const THREE = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const automatic = { ...FULL_SPEC, failover: { mode: 'automatic', allowDataLoss: false } };
    // git still says us-east-1, and AWS reports the writer in us-west-2: us-east-1 was lost (an unrecorded failover).
    const out = composeLive(writer(controller(automatic), 'us-west-2'), observedView(running(THREE)));
    const triggerRegions = [
      ...new Set(
        keysOf(out)
          .filter((k) => k.startsWith('failover-probe-'))
          .map((k) => k.slice(-9)),
      ),
    ];
    expect(triggerRegions).toEqual(['eu-west-1']);
    const K = triggerKeys('eu-west-1');
    expect(JSON.parse(fp(byKey(out, K.probeTarget)).input)).toEqual({ probe: { region: 'us-west-2' } });
    expect(JSON.parse(fp(byKey(out, K.target)).inputTransformer.inputTemplate)).toMatchObject({ targetRegion: 'eu-west-1' });
    // A move recorded in git (a planned failover): the primary is not presumed lost and stands by first.
    const planned = composeLive(
      writer(controller({ ...automatic, activeRegion: 'us-west-2' }), 'us-west-2'),
      observedView(running(THREE)),
    );
    expect(fp(byKey(planned, triggerKeys('us-east-1').probeRule)).region).toBe('us-east-1');
  });

  it('after an automatic failover nothing starts a run back: git did not move, so no Invocation is composed or changed', () => {
    // The automatic run changed the writer and the records; the controller's inputs (the claim) are what they were.
    const xr = controller({ ...TWO_REGION_SPEC, failover: { mode: 'automatic', allowDataLoss: false } });
    const observed = running(TWO, {
      'failover-signal-us-west-2': { ready: true },
      'failover-rpo-guard-us-west-2': { ready: true },
    });
    const before = composeLive(xr, observedView(observed));
    // After the run AWS reports the writer in us-west-2 (audit-21-close L5: this compared two renders of the same
    // inputs, equal by construction; now the second sees what the automatic run changed).
    const after = composeLive(writer(xr, 'us-west-2'), observedView(observed));
    const invocations = (out: typeof before) => keysOf(out).filter((k) => k.startsWith('failover-invocation-'));
    expect(invocations(before)).toEqual([]);
    expect(invocations(after)).toEqual([]);
    // The writer change was seen (the trigger moved to watch us-west-2 from us-east-1), and nothing else was added.
    expect(fp(byKey(after, triggerKeys('us-east-1').probeRule)).region).toBe('us-east-1');
    expect(keysOf(after)).not.toEqual(keysOf(before));
    expect(keysOf(after).filter((k) => !k.startsWith('failover-'))).toEqual(
      keysOf(before).filter((k) => !k.startsWith('failover-')),
    );
    // An estate that had been moved in git before keeps its Invocation with the same input: the provider does not
    // invoke again (lifecycleScope CRUD invokes on create and on a change of input).
    const moved = controller({
      ...TWO_REGION_SPEC,
      activeRegion: 'us-west-2',
      failover: { mode: 'automatic', allowDataLoss: false },
    });
    const invoked = running(TWO, { 'failover-invocation-us-west-2': { ready: true } });
    const first = fp(byKey(composeLive(moved, observedView(invoked)), 'failover-invocation-us-west-2')).input;
    const again = fp(byKey(composeLive(moved, observedView(invoked)), 'failover-invocation-us-west-2')).input;
    expect(again).toBe(first);
  });

  it('an RPO above 60 s leaves the lag metric its one-minute period: the guard alarm and check-rpo use rpoSeconds − 60 s (audit 21 M4)', () => {
    const composed = (rpoSeconds: number) => {
      const xr = controller({
        ...FULL_SPEC,
        objectives: { rpoSeconds, rtoMinutes: 30 },
        failover: { mode: 'automatic', allowDataLoss: false },
      } as never);
      const observed = { ...running(['us-east-1', 'us-west-2', 'eu-west-1']), 'failover-signal-us-west-2': { ready: true } };
      const out = composeLive(xr, observedView(observed));
      return {
        threshold: fp(byKey(out, 'failover-rpo-guard-us-west-2')).threshold,
        env: fp(byKey(out, 'failover-function-us-west-2')).environment.variables[FAILOVER_ENV.rpoGuardMs],
      };
    };
    expect(composed(900)).toEqual({ threshold: 840_000, env: '840000' });
    expect(composed(30)).toEqual({ threshold: 30_000, env: '30000' });
  });

  it("the RPO guard watches the lag metric the standby's engine version publishes (Aurora MySQL below 3.04.0: ReplicationLag)", () => {
    const guardOf = (database: object) => {
      const xr = controller({ ...FULL_SPEC, database, failover: { mode: 'automatic', allowDataLoss: false } } as never);
      const observed = { ...running(['us-east-1', 'us-west-2', 'eu-west-1']), 'failover-signal-us-west-2': { ready: true } };
      return fp(byKey(composeLive(xr, observedView(observed)), 'failover-rpo-guard-us-west-2'));
    };
    const mysql = { engine: 'aurora-mysql', databaseName: 'transactions' };
    const metricOf = (g: Record<string, any>) => /^SELECT MAX\((\w+)\) FROM "AWS\/RDS" /.exec(g.metricQuery[0].expression)?.[1];
    expect(metricOf(guardOf({ ...mysql, engineVersion: '8.0.mysql_aurora.3.03.1' }))).toBe('AuroraGlobalDBReplicationLag');
    expect(metricOf(guardOf({ ...mysql, engineVersion: '8.0.mysql_aurora.3.04.0' }))).toBe('AuroraGlobalDBRPOLag');
    expect(metricOf(guardOf(FULL_SPEC.database))).toBe('AuroraGlobalDBRPOLag');
  });
});
