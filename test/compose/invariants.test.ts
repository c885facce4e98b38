import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { NAME_RULES } from '../../src/compose/naming.js';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { FULL_SPEC, TWO_REGION_SPEC, externalName, fp, labels, managed, plan, spec } from './helpers.js';

const all = plan(FULL_SPEC);
const mrs = managed(all);
/** Kinds that are global in AWS (IAM, Route 53) or Crossplane objects: no region field. */
const GLOBAL_KINDS = new Set(['Role', 'RolePolicy', 'RolePolicyAttachment', 'ClusterUsage', 'HealthCheck', 'Record']);
/** Kinds whose CRD has no tags field, and Object (S3 allows 10 tags per object, fewer than a claim may carry). */
const UNTAGGED = new Set([
  'Alias',
  // lambda FunctionEventInvokeConfig has no tags argument.
  'FunctionEventInvokeConfig',
  'RouteTableAssociation',
  'Route',
  'RolePolicy',
  'RolePolicyAttachment',
  'ClusterUsage',
  'RegionSettings',
  'BucketVersioning',
  'BucketServerSideEncryptionConfiguration',
  'BucketPublicAccessBlock',
  'BucketOwnershipControls',
  'BucketPolicy',
  'BucketLifecycleConfiguration',
  'BucketReplicationConfiguration',
  'VPCEndpointRouteTableAssociation',
  'VPCEndpointSubnetAssociation',
  'VPCEndpointSecurityGroupAssociation',
  'VPCPeeringConnectionOptions',
  'CertificateValidation',
  'APIMapping',
  'Permission',
  'FunctionURL',
  'Integration',
  'Record',
  'TopicSubscription',
  'Target',
  'Invocation',
  'Dashboard',
  'Selection',
  'SecretVersion',
  'Object',
]);

/** The manifests that set disableSessionTags anywhere in their spec (Pod Identity associations, add-ons' associations). */
function sessionTagsDisabled(manifests: readonly Manifest[]): string[] {
  const sets = (value: unknown): boolean =>
    Array.isArray(value)
      ? value.some(sets)
      : typeof value === 'object' && value !== null
        ? Object.entries(value).some(([k, v]) => (k === 'disableSessionTags' && v !== false) || sets(v))
        : false;
  return manifests.filter((m) => sets(m.spec)).map((m) => `${m.kind} ${JSON.stringify(labels(m))}`);
}

/** Every claim in claims/, and the test estates, as plans. */
const claimsDir = join(import.meta.dirname, '..', '..', 'examples');
const PLANS: ReadonlyArray<readonly [string, PlannedResource[]]> = [
  ...readdirSync(claimsDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, planClaim(DisasterRecoveryClaimSchema.parse(parse(readFileSync(join(claimsDir, f), 'utf8'))))] as const),
  ['FULL_SPEC', all],
  ['TWO_REGION_SPEC', plan(TWO_REGION_SPEC)],
];

describe('every managed resource', () => {
  it('names its region, except global kinds', () => {
    for (const m of mrs) {
      if (GLOBAL_KINDS.has(m.kind)) expect(m.spec && (m.spec as any).forProvider?.region).toBeUndefined();
      else expect(fp(m).region, `${m.kind} ${JSON.stringify(labels(m))}`).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
  });

  it('carries Environment, ManagedBy, the claim and the claim tags where the kind takes tags', () => {
    // An Observe-only resource (the global cluster's views from the secondaries) writes nothing to AWS, tags included.
    const observeOnly = (x: Manifest) =>
      JSON.stringify((x.spec as { managementPolicies?: unknown }).managementPolicies) === '["Observe"]';
    for (const m of mrs.filter(observeOnly)) expect(Object.keys(fp(m)), m.kind).toEqual(['region']);
    for (const m of mrs.filter((x) => !UNTAGGED.has(x.kind) && !observeOnly(x))) {
      expect(fp(m).tags, m.kind).toMatchObject({
        Environment: 'prod',
        ManagedBy: 'drplane',
        'drplane:claim': 'payments',
        'drplane:namespace': 'team-payments',
        CostCenter: 'Operations',
      });
    }
  });

  it('is labelled with the estate, its component and its region, so selectors find it', () => {
    for (const m of mrs) {
      expect(labels(m)['drplane.io/estate']).toMatch(/^e[0-9a-f]{7}$/);
      expect(labels(m)['drplane.io/component']).toBeTruthy();
      if (!GLOBAL_KINDS.has(m.kind)) expect(labels(m)['drplane.io/region']).toBe(fp(m).region);
    }
  });

  it('references other resources by selector, never by an ARN or id copied in (a KMS alias names a key by its deterministic name)', () => {
    // FunctionEventInvokeConfig has no function selector in the provider: it names the function by its chosen name.
    const invokeConfigs = mrs.filter((m) => m.kind === 'FunctionEventInvokeConfig');
    const functionNames = new Set(mrs.filter((m) => m.kind === 'Function').map((m) => externalName(m)));
    for (const m of invokeConfigs) expect(functionNames.has(fp(m).functionName), fp(m).functionName).toBe(true);
    const text = JSON.stringify(mrs.filter((m) => m.kind !== 'FunctionEventInvokeConfig'));
    expect(text).not.toMatch(
      /"(vpcId|subnetId|routeTableId|securityGroupId|kmsKeyArn|vpcEndpointId|vpcPeeringConnectionId|clusterIdentifier|healthCheckId|functionName|role|bucket)"\s*:/,
    );
    expect(text).not.toMatch(/"kmsKeyId"\s*:\s*"(?!alias\/)/);
  });

  it('has deterministic external names that fit their service rules, with the environment suffix', () => {
    const rules: Record<string, (typeof NAME_RULES)[keyof typeof NAME_RULES]> = {
      Bucket: NAME_RULES.s3Bucket,
      Cluster: NAME_RULES.rdsIdentifier,
      ClusterInstance: NAME_RULES.rdsIdentifier,
      GlobalCluster: NAME_RULES.rdsIdentifier,
      Table: NAME_RULES.dynamodbTable,
      Role: NAME_RULES.iamRole,
      SubnetGroup: NAME_RULES.subnetGroup,
      Function: NAME_RULES.lambdaFunction,
      MetricAlarm: NAME_RULES.alarm,
      CompositeAlarm: NAME_RULES.alarm,
      Dashboard: NAME_RULES.dashboard,
      Topic: NAME_RULES.snsTopic,
      Vault: NAME_RULES.backupVault,
      Rule: NAME_RULES.schedule,
    };
    for (const m of mrs) {
      const rule = rules[m.kind];
      if (!rule) continue;
      const name = externalName(m);
      expect(name, m.kind).toBeDefined();
      expect(name!.length).toBeLessThanOrEqual(rule.max);
      expect(name).toMatch(rule.pattern);
      expect(name).toContain('-prod');
    }
  });

  it('names an inline policy by its bare name: the provider makes the id <role>:<name>, and IAM refuses a colon in a PolicyName', () => {
    for (const [claimName, planned] of PLANS) {
      const policies = managed(planned, 'RolePolicy');
      const roles = new Set(managed(planned, 'Role').map((r) => externalName(r)));
      for (const p of policies) {
        const name = externalName(p);
        expect(name, `${claimName} RolePolicy ${JSON.stringify(labels(p))}`).toMatch(NAME_RULES.iamPolicy.pattern);
        expect(name!.length).toBeLessThanOrEqual(NAME_RULES.iamPolicy.max);
        expect(
          [...roles].some((role) => name!.includes(role!)),
          `${claimName}: ${name} repeats its role's name`,
        ).toBe(false);
      }
    }
  });

  it('names a KMS alias without alias/ (the provider strips it on observe), and the names other resources use exist', () => {
    for (const [claimName, planned] of PLANS) {
      const aliases = managed(planned, 'Alias').map((a) => externalName(a)!);
      for (const name of aliases) expect(name, `${claimName} Alias`).toMatch(/^(?!alias\/)[a-zA-Z0-9/_-]+$/);
      const named = JSON.stringify(managed(planned)).match(/alias\/[a-zA-Z0-9/_-]+/g) ?? [];
      for (const n of named) expect(aliases, `${claimName}: ${n} names no alias of the plan`).toContain(n.slice('alias/'.length));
    }
  });

  it('encrypts every data store with a customer-managed, rotated key', () => {
    for (const k of mrs.filter((m) => m.kind === 'Key')) expect(fp(k).enableKeyRotation).toBe(true);
    const encrypted = (m: Manifest) =>
      JSON.stringify(fp(m)).match(/"(kmsKeyIdSelector|kmsKeyArnSelector|kmsMasterKeyIdSelector)"|"kmsMasterKeyId":"alias\//) !==
      null;
    for (const kind of ['Cluster', 'Vault', 'Topic', 'BucketServerSideEncryptionConfiguration']) {
      const found = mrs.filter((m) => m.kind === kind);
      expect(found.length, kind).toBeGreaterThan(0);
      for (const m of found) expect(encrypted(m), `${kind} ${externalName(m) ?? ''}`).toBe(true);
    }
    for (const t of mrs.filter((m) => m.kind === 'Table')) expect(fp(t).serverSideEncryption.kmsKeyArnSelector).toBeDefined();
    // SSM takes a key id, no selector: every parameter is a SecureString with the key the plan names (an ARN once observed)
    const parameters = mrs.filter((m) => m.kind === 'Parameter');
    expect(parameters.length).toBeGreaterThan(0);
    for (const p of parameters) expect([fp(p).type, typeof fp(p).keyId], externalName(p)).toEqual(['SecureString', 'string']);
  });
});

/**
 * Actions that AWS authorizes only on Resource "*", and why. Anything else with "*" fails.
 * Source: Service Authorization Reference (CloudWatch: GetMetricData, ListMetrics and PutMetricData have no resource
 * types).
 */
const STAR_ACTIONS: Record<string, string> = {
  'cloudwatch:GetMetricData': 'no resource-level permissions',
  // The lag monitor lists the dimension sets Aurora publishes its lag with (lambda/lag-monitor/read.ts).
  'cloudwatch:ListMetrics': 'no resource-level permissions',
  'cloudwatch:PutMetricData': 'no resource-level permissions; narrowed by the cloudwatch:namespace condition',
  // Step Functions logging to CloudWatch Logs: the log-delivery actions have no resource types (the Step Functions
  // guide's logging policy grants them on "*"); only the failover workflow's role has them.
  'logs:CreateLogDelivery': 'no resource-level permissions (Step Functions logging)',
  'logs:GetLogDelivery': 'no resource-level permissions (Step Functions logging)',
  'logs:UpdateLogDelivery': 'no resource-level permissions (Step Functions logging)',
  'logs:DeleteLogDelivery': 'no resource-level permissions (Step Functions logging)',
  'logs:ListLogDeliveries': 'no resource-level permissions (Step Functions logging)',
  'logs:PutResourcePolicy': 'no resource-level permissions (Step Functions logging)',
  'logs:DescribeResourcePolicies': 'no resource-level permissions (Step Functions logging)',
  'logs:DescribeLogGroups': 'lists log groups: no narrower resource (Step Functions logging)',
  // The lag monitor counts a node group's in-service instances (lambda/lag-monitor/nodes.ts); cfn-lint's IAM data
  // (AdditionalSpecs/Policies.json, autoscaling) lists no resource type for it.
  'autoscaling:DescribeAutoScalingGroups': 'no resource-level permissions',
};

/** Resources with a wildcard that the name (or a condition) still pins to one thing, and why. */
const PINNED_WILDCARDS: ReadonlyArray<readonly [RegExp, string, (s: Record<string, any>) => boolean]> = [
  [
    /^arn:aws:kms:[a-z0-9-]+:[^:]+:key\/\*$/,
    'key ids are generated: the alias and the calling service pin the key',
    (s) =>
      s.Condition?.StringEquals?.['kms:ViaService'] !== undefined &&
      s.Condition?.['ForAnyValue:StringEquals']?.['kms:ResourceAliases']?.length > 0,
  ],
  [
    /^arn:aws:route53:::change\/\*$/,
    'change ids are generated per change batch',
    (s) => s.Action.every((a: string) => a === 'route53:GetChange'),
  ],
  [/^arn:aws:logs:[a-z0-9-]+:[^:]+:log-group:\/aws\/lambda\/[\w-]+:\*$/, 'the log streams of one log group', () => true],
  [
    /^arn:aws:rds:[a-z0-9-]+:[^:]+:db:\*$/,
    "the DB instances of one probed region: DescribeDBInstances filtered on db-cluster-id names no instance (the probe's maintenance hold)",
    (s) => s.Action.every((a: string) => a === 'rds:DescribeDBInstances'),
  ],
  [
    /^arn:aws:ssm:[a-z0-9-]+:[^:]+:parameter\/drplane\/e[0-9a-f]{7}\/lag-state\/\*$/,
    "the lag monitor's own state parameters",
    () => true,
  ],
  [/^arn:aws:s3:::[a-z0-9.-]+\/\*$/, 'the objects of one bucket', () => true],
  [
    /^arn:aws:eks:[a-z0-9-]+:[^:]+:nodegroup\/[\w-]+\/[\w-]+\/\*$/,
    "a node group's ARN ends in an id EKS generates: the cluster and node group names pin it",
    (s) => s.Action.every((a: string) => a === 'eks:DescribeNodegroup'),
  ],
  [
    /^arn:aws:states:[a-z0-9-]+:[^:]+:execution:[\w-]+:\*$/,
    'the executions of one state machine (their names are per request)',
    (s) => s.Action.every((a: string) => a === 'states:DescribeExecution'),
  ],
];

/** Every IAM policy document of a plan: role policies, trust policies and key policies. */
function policyDocuments(
  resources: readonly Manifest[],
): Array<{ where: string; keyPolicy: boolean; doc: { Statement: Array<Record<string, any>> } }> {
  const out: Array<{ where: string; keyPolicy: boolean; doc: { Statement: Array<Record<string, any>> } }> = [];
  for (const m of resources) {
    const p = (m.spec as { forProvider?: Record<string, unknown> }).forProvider ?? {};
    for (const field of ['policy', 'assumeRolePolicy']) {
      if (typeof p[field] === 'string')
        out.push({
          where: `${m.kind} ${externalName(m) ?? JSON.stringify(labels(m))} ${field}`,
          keyPolicy: m.kind === 'Key',
          doc: JSON.parse(p[field] as string),
        });
    }
  }
  return out;
}

/** Every way the policy documents of `resources` break least privilege, as messages. */
function iamProblems(resources: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  for (const { where, keyPolicy, doc } of policyDocuments(resources)) {
    for (const s of doc.Statement) {
      // A Deny only narrows what others grant (the TLS-only bucket policy denies s3:* to everyone without TLS):
      // least privilege is about what is allowed, so a Deny must only be conditioned, not narrow.
      if (s.Effect === 'Deny') {
        check(s.Condition !== undefined, `${where}: unconditional Deny ${s.Sid}`);
        continue;
      }
      const actions: string[] = s.Action;
      const resourcesOf: string[] = s.Resource ?? [];
      check(!actions.includes('*'), `${where}: Action "*"`);
      for (const a of actions) {
        check(/^[a-z0-9-]+:[A-Za-z*]+$/.test(a), `${where}: malformed action ${a}`);
        // Service-wide or prefix wildcards only in key policies (the root statement and CloudWatch's documented grant).
        check(!a.includes('*') || keyPolicy, `${where}: wildcard action ${a}`);
      }
      for (const r of resourcesOf) {
        check(!/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:\*:/.test(r), `${where}: wildcard account in ${r}`);
        if (r === '*') {
          // In a key policy "*" means the key itself.
          if (keyPolicy) continue;
          for (const a of actions) check(a in STAR_ACTIONS, `${where}: ${a} on Resource "*"`);
          if (actions.includes('cloudwatch:PutMetricData'))
            check(
              s.Condition?.StringEquals?.['cloudwatch:namespace'] === 'drplane',
              `${where}: PutMetricData without the namespace condition`,
            );
        } else if (/[*?]/.test(r)) {
          const pinned = PINNED_WILDCARDS.find(([re]) => re.test(r));
          check(pinned !== undefined, `${where}: ${r} is a wildcard resource nothing pins`);
          if (pinned) check(pinned[2](s), `${where}: ${r} lacks the condition that pins it (${pinned[1]})`);
        }
      }
      for (const principal of [s.Principal?.AWS ?? []].flat()) {
        check(
          /^(arn:aws:iam::[^:]+:(role\/[\w+=,.@-]+|root)|<.*known after creation>)$/.test(principal),
          `${where}: principal ${principal}`,
        );
      }
    }
  }
  return problems;
}

describe('IAM in the plan of every claim', () => {
  it.each(PLANS.map(([name, p]) => [name, p] as const))(
    '%s: no "*" action, "*" resource only where the API allows nothing narrower, no wildcard account',
    (_name, planned) => {
      const resources = managed(planned);
      expect(iamProblems(resources)).toEqual([]);
      if (resources.some((m) => m.kind === 'Role')) expect(policyDocuments(resources).length).toBeGreaterThan(2);
    },
  );

  it.each(PLANS.map(([name, p]) => [name, p] as const))(
    '%s: a role trusted by an AWS service carries the confused-deputy conditions where the service documents them',
    (_name, planned) => {
      // Where AWS documents aws:SourceAccount / aws:SourceArn in a role's trust policy, the role has both; where it
      // documents none (the service would not send them, and a condition it does not send locks the role out), the
      // role is listed here with the reason.
      const WITHOUT: Record<string, string> = {
        'lambda.amazonaws.com': "the Lambda guide's execution-role trust policy has no source condition",
        's3.amazonaws.com': "the S3 guide's replication-role trust policy has no source condition",
        'backup.amazonaws.com': "the AWS Backup guide's service-role trust policy has no source condition",
        'eks.amazonaws.com': "the EKS guide's cluster-role trust policy has no source condition",
        'ec2.amazonaws.com': "the EKS guide's node-role trust policy has no source condition",
      };
      const roles = managed(planned).filter((m) => m.kind === 'Role');
      let conditioned = 0;
      for (const role of roles) {
        const trust = JSON.parse(fp(role).assumeRolePolicy) as { Statement: Array<Record<string, any>> };
        for (const st of trust.Statement) {
          const service = st.Principal?.Service as string | undefined;
          if (service === undefined) continue;
          if (service in WITHOUT) {
            expect(st.Condition, `${externalName(role)}: ${service}`).toBeUndefined();
            continue;
          }
          if (service === 'pods.eks.amazonaws.com') {
            // Pod Identity (audit 16 L6): the EKS guide restricts the role with the session tags Pod Identity adds
            // (aws:RequestTag), and documents no aws:Source* key for this service: one it does not send locks the
            // role out. Only the region's own cluster, namespace and service account.
            expect(Object.keys(st.Condition ?? {}), externalName(role)).toEqual(['StringEquals']);
            expect(Object.keys(st.Condition.StringEquals).sort(), externalName(role)).toEqual([
              'aws:RequestTag/eks-cluster-arn',
              'aws:RequestTag/kubernetes-namespace',
              'aws:RequestTag/kubernetes-service-account',
            ]);
            expect(st.Condition.StringEquals['aws:RequestTag/eks-cluster-arn'], externalName(role)).toMatch(
              /^arn:aws:eks:[a-z0-9-]+:.+:cluster\/[\w-]+$/,
            );
            continue;
          }
          expect(service, externalName(role)).toBe('states.amazonaws.com');
          expect(st.Condition?.StringEquals?.['aws:SourceAccount'], externalName(role)).toBeDefined();
          expect(st.Condition?.ArnLike?.['aws:SourceArn'], externalName(role)).toMatch(
            /^arn:aws:states:[a-z0-9-]+:.+:stateMachine:[\w-]+$/,
          );
          conditioned++;
        }
      }
      if (managed(planned).some((m) => m.kind === 'StateMachine')) expect(conditioned).toBeGreaterThan(0);
    },
  );

  it.each(PLANS.map(([name, p]) => [name, p] as const))(
    '%s: no EKS Pod Identity association disables its session tags (audit arc-rpo L5)',
    (_name, planned) => {
      // The CNI role's trust admits Pod Identity only with the session tags it adds (aws:RequestTag/eks-cluster-arn,
      // kubernetes-namespace, kubernetes-service-account): an association with disableSessionTags would lock aws-node
      // out, and the nodes would stay NotReady. So no manifest sets it, on an association or an add-on's.
      const manifests = planned.map((p) => p.manifest);
      expect(sessionTagsDisabled(manifests)).toEqual([]);
      if (manifests.some((m) => m.kind === 'PodIdentityAssociation')) {
        // The check finds the field wherever it is set (it cannot pass by looking in the wrong place).
        const association = manifests.find((m) => m.kind === 'PodIdentityAssociation')!;
        const disabled = {
          ...association,
          spec: { ...(association.spec as object), initProvider: { disableSessionTags: true } },
        };
        const onAddon = { kind: 'Addon', spec: { forProvider: { podIdentityAssociation: [{ disableSessionTags: true }] } } };
        expect(sessionTagsDisabled([disabled, onAddon as unknown as Manifest])).toHaveLength(2);
      }
    },
  );

  it.each(PLANS.map(([name, p]) => [name, p] as const))('%s: every bucket refuses requests without TLS', (_name, planned) => {
    const resources = managed(planned);
    const buckets = resources.filter((m) => m.kind === 'Bucket');
    const policies = resources.filter((m) => m.kind === 'BucketPolicy');
    for (const b of buckets) {
      const name = (b.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name'];
      const policy = policies.find(
        (p) =>
          fp(p).region === fp(b).region &&
          fp(p).bucketSelector.matchLabels['drplane.io/component'] === labels(b)['drplane.io/component'],
      );
      expect(policy, name).toBeDefined();
      expect(JSON.parse(fp(policy!).policy).Statement).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:*'],
          Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    }
  });

  it('the scan catches what it forbids', () => {
    const role = (statement: Record<string, unknown>): Manifest => ({
      apiVersion: 'iam.aws.upbound.io/v1beta1',
      kind: 'RolePolicy',
      metadata: {},
      spec: {
        forProvider: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }) },
      },
    });
    expect(iamProblems([role({ Action: ['*'], Resource: ['arn:aws:s3:::b'] })])).not.toEqual([]);
    expect(iamProblems([role({ Action: ['s3:GetObject'], Resource: ['*'] })])).not.toEqual([]);
    expect(iamProblems([role({ Action: ['dynamodb:GetItem'], Resource: ['arn:aws:dynamodb:us-east-1:*:table/t'] })])).not.toEqual(
      [],
    );
    expect(iamProblems([role({ Action: ['kms:Decrypt'], Resource: ['arn:aws:kms:us-east-1:111122223333:key/*'] })])).not.toEqual(
      [],
    );
    expect(iamProblems([role({ Action: ['cloudwatch:PutMetricData'], Resource: ['*'] })])).not.toEqual([]);
    expect(iamProblems([role({ Action: ['s3:*'], Resource: ['arn:aws:s3:::b'] })])).not.toEqual([]);
  });
});

describe('the estate composite', () => {
  it('creates one nested primitive per section, table and bucket, passing the estate context', () => {
    const nested = all.filter((r) => r.manifest.apiVersion === 'drplane.io/v1alpha1');
    expect(nested.map((n) => `${n.key}:${n.manifest.kind}`)).toEqual([
      'network:XDRNetwork',
      'database:XGlobalDatabase',
      'table-transactions:XGlobalTable',
      'bucket-documents:XReplicatedBucket',
      'service:XRegionalService',
      'routing:XFailoverRouting',
      'monitoring:XDRMonitoring',
      'backup:XDRBackup',
      'failover:XFailoverController',
    ]);
    for (const n of nested) {
      expect(spec(n.manifest)).toMatchObject({
        owner: { name: 'payments', namespace: 'team-payments' },
        environment: 'prod',
        profile: 'production',
        regions: FULL_SPEC.regions,
        tags: FULL_SPEC.tags,
        objectives: FULL_SPEC.objectives,
      });
    }
  });

  it('renders byte-identical output 100 times', () => {
    const first = JSON.stringify(plan(FULL_SPEC));
    for (let i = 0; i < 100; i++) expect(JSON.stringify(plan(FULL_SPEC))).toBe(first);
  });

  it('omits sections that are not in the claim', () => {
    const minimal = plan({
      environment: 'dev',
      profile: 'test',
      regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
      tables: [{ name: 'items', hashKey: { name: 'id' } }],
    });
    expect(new Set(minimal.map((r) => r.manifest.kind))).toEqual(new Set(['XGlobalTable', 'Key', 'Alias', 'Table']));
  });
});

describe('encryption and service principals', () => {
  type PolicyStatement = {
    Sid: string;
    Principal?: { AWS?: string; Service?: string };
    Condition?: Record<string, Record<string, string>>;
  };
  const statementsOf = (m: Manifest): PolicyStatement[] => JSON.parse(fp(m).policy).Statement;
  const selects = (selector: { matchLabels: Record<string, string> }, m: Manifest) =>
    Object.entries(selector.matchLabels).every(([k, v]) => labels(m)[k] === v);

  it.each(PLANS)(
    '%s: every log group is encrypted with a key of its region whose policy admits CloudWatch Logs for that group only',
    (_, p) => {
      const resources = managed(p);
      const groups = resources.filter((m) => m.kind === 'Group');
      // Claims without Lambda functions have no log group; FULL_SPEC has 12 (service, lag monitor, failover and the
      // failover workflow in 3 regions).
      if (p === all) expect(groups).toHaveLength(12);
      for (const group of groups) {
        const selector = fp(group).kmsKeyIdSelector;
        expect(selector, `${externalName(group)} has no key`).toBeDefined();
        const keys = resources.filter((m) => m.kind === 'Key' && selects(selector, m));
        expect(keys.map((k) => fp(k).region)).toEqual([fp(group).region]);
        const logs = statementsOf(keys[0]!).filter((s) => s.Principal?.Service === `logs.${fp(group).region}.amazonaws.com`);
        expect(logs).toHaveLength(1);
        // One group, or the groups of one primitive (the failover key: the orchestrator's and its workflow's): each
        // listed group is one that this key encrypts.
        const condition = logs[0]!.Condition?.ArnEquals?.['kms:EncryptionContext:aws:logs:arn'] as string | string[];
        const listed = typeof condition === 'string' ? [condition] : condition;
        expect(listed).toContainEqual(
          expect.stringMatching(
            new RegExp(`^arn:aws:logs:${fp(group).region}:.+:log-group:${externalName(group)!.replace(/[/.]/g, '\\$&')}$`),
          ),
        );
        const sameKey = groups.filter((g) => selects(fp(g).kmsKeyIdSelector, keys[0]!)).map((g) => externalName(g));
        for (const arn of listed) expect(sameKey).toContain(/:log-group:(.+)$/.exec(arn)?.[1]);
      }
    },
  );

  it.each(PLANS)("%s: every service principal in a key policy is bound to the estate's account by a condition", (_, p) => {
    const keys = managed(p).filter((m) => m.kind === 'Key' && fp(m).policy !== undefined);
    let services = 0;
    for (const key of keys) {
      const statements = statementsOf(key);
      const account = /^arn:aws:iam::(.+):root$/.exec(statements.find((s) => s.Principal?.AWS)!.Principal!.AWS!)![1]!;
      for (const s of statements.filter((x) => x.Principal?.Service)) {
        services++;
        const values = Object.entries(s.Condition ?? {}).flatMap(([, byKey]) =>
          Object.entries(byKey)
            .filter(([k]) => ['aws:SourceAccount', 'aws:SourceArn', 'kms:EncryptionContext:aws:logs:arn'].includes(k))
            .map(([, v]) => v),
        );
        // A list (several log groups of one key) must name the account in every entry.
        const bound = (v: string | string[]): boolean =>
          Array.isArray(v) ? v.length > 0 && v.every((x) => bound(x)) : v === account || v.includes(`:${account}:`);
        expect(
          values.some((v) => bound(v as string | string[])),
          `${s.Sid} of ${labels(key)['drplane.io/component']}`,
        ).toBe(true);
      }
    }
    if (p === all) expect(services).toBe(12); // 9 log-group keys + 3 alert-topic keys
  });
});
