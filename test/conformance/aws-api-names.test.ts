/**
 * AWS API constraints, from botocore's service models (test/support/botocore.ts): every name drplane
 * chooses for an AWS resource (an external-name annotation or a name field in forProvider) is checked
 * against the API parameter it becomes, with that parameter's pattern, min and max length and enum as
 * the model gives them; rules that AWS documents only in prose (RDS identifiers, S3 buckets, ...) are
 * added where the model has none, each citing its documentation. Every resource's tags are checked
 * against the Resource Groups Tagging API's TagMap (at most 50, key 1-128, value 0-256 characters).
 * Runs over every example claim and 200 generated claims; a kind with a chosen name that the table
 * below does not map fails the test, so a new kind cannot slip through.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';
import { validClaims } from '../support/claim-arbitrary.js';
import { botocoreDataDir, parameter, shape, violations, type ShapeConstraints } from '../support/botocore.js';
import { repoPath } from '../support/paths.js';
import { exampleVariants, threeRegionArc } from '../support/variants.js';

const EXTERNAL_NAME = 'crossplane.io/external-name';

/** forProvider fields that carry a name drplane chooses (besides the external-name annotation). */
const NAME_FIELDS = [
  'name',
  'statementId',
  'targetId',
  'setIdentifier',
  'rule[].ruleName',
  'resourceSetName',
  'domainName',
] as const;

/** A rule AWS documents in prose only: a test and what it says. */
interface DocumentedRule {
  readonly test: (name: string) => boolean;
  readonly says: string;
}

// RDS DB cluster and DB instance identifiers: "1 to 63 letters, numbers, or hyphens; first character must
// be a letter; can't end with a hyphen or contain two consecutive hyphens" (RDS API Reference,
// CreateDBCluster / CreateDBInstance; the model's shape is a bare String).
const rdsIdentifier: DocumentedRule = {
  test: (n) => /^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(n) && !n.endsWith('-') && !n.includes('--'),
  says: 'RDS identifier: 1-63 letters, digits, hyphens, starting with a letter, no "--", no trailing "-"',
};
// S3 general purpose bucket naming rules (Amazon S3 User Guide, "Bucket naming rules"): 3-63 characters,
// lowercase letters, digits, hyphens and dots, beginning and ending with a letter or digit, no "..",
// not an IP address, no "xn--" prefix nor "-s3alias"/"--ol-s3" suffix.
const s3Bucket: DocumentedRule = {
  test: (n) =>
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(n) &&
    !n.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(n) &&
    !n.startsWith('xn--') &&
    !/(-s3alias|--ol-s3)$/.test(n),
  says: 'S3 bucket naming rules: 3-63 lowercase letters, digits, "." and "-", alphanumeric at both ends',
};

// EKS managed node group names: "can contain only alphanumeric characters (case-sensitive), hyphens, and underscores,
// must start with an alphanumeric character and can't be longer than 63 characters" (Amazon EKS User Guide, "Create a
// managed node group"; the model's shape is a bare String).
const eksNodegroup: DocumentedRule = {
  test: (n) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(n),
  says: 'EKS node group: 1-63 letters, digits, - and _, starting with a letter or digit',
};

/** Where one chosen name goes in the AWS API. */
interface NameUse {
  /** `external-name` or the forProvider field (`rule[].ruleName` for each rule's). */
  readonly field: string;
  /** botocore's service folder. */
  readonly service: string;
  /** `Operation.Member…` (see `parameter`), or a `shape:` name where the parameter's shape is wider than the name. */
  readonly parameter: string;
  /** What the provider puts before the name it sends (KMS `alias/`). */
  readonly prefix?: string;
  /** A rule AWS documents in prose, where the model has none (or less). */
  readonly documented?: DocumentedRule;
}

/** Each managed kind (`group/Kind`) with a chosen name → the API parameters its names become. */
const NAME_TABLE: Record<string, readonly NameUse[]> = {
  'iam.aws.upbound.io/Role': [{ field: 'external-name', service: 'iam', parameter: 'CreateRole.RoleName' }],
  'iam.aws.upbound.io/RolePolicy': [{ field: 'external-name', service: 'iam', parameter: 'PutRolePolicy.PolicyName' }],
  'lambda.aws.upbound.io/Function': [{ field: 'external-name', service: 'lambda', parameter: 'CreateFunction.FunctionName' }],
  'lambda.aws.upbound.io/Permission': [{ field: 'statementId', service: 'lambda', parameter: 'AddPermission.StatementId' }],
  // CreateTable.TableName's shape is TableArn (a name or an ARN): the name itself has the TableName shape.
  'dynamodb.aws.upbound.io/Table': [{ field: 'external-name', service: 'dynamodb', parameter: 'shape:TableName' }],
  'rds.aws.upbound.io/Cluster': [
    {
      field: 'external-name',
      service: 'rds',
      parameter: 'CreateDBCluster.DBClusterIdentifier',
      documented: rdsIdentifier,
    },
  ],
  'rds.aws.upbound.io/GlobalCluster': [
    { field: 'external-name', service: 'rds', parameter: 'CreateGlobalCluster.GlobalClusterIdentifier' },
  ],
  'rds.aws.upbound.io/ClusterInstance': [
    {
      field: 'external-name',
      service: 'rds',
      parameter: 'CreateDBInstance.DBInstanceIdentifier',
      documented: rdsIdentifier,
    },
  ],
  'rds.aws.upbound.io/SubnetGroup': [
    {
      field: 'external-name',
      service: 'rds',
      parameter: 'CreateDBSubnetGroup.DBSubnetGroupName',
      // RDS API Reference, CreateDBSubnetGroup: at most 255 letters, digits, ".", "_", " " or "-", starting
      // with a letter, not "default".
      documented: {
        test: (n) => /^[A-Za-z][A-Za-z0-9._ -]{0,254}$/.test(n) && n.toLowerCase() !== 'default',
        says: 'DB subnet group name: <=255 letters, digits, "._ -", starting with a letter, not "default"',
      },
    },
  ],
  's3.aws.upbound.io/Bucket': [{ field: 'external-name', service: 's3', parameter: 'CreateBucket.Bucket', documented: s3Bucket }],
  'cloudwatch.aws.upbound.io/MetricAlarm': [
    { field: 'external-name', service: 'cloudwatch', parameter: 'PutMetricAlarm.AlarmName' },
  ],
  'cloudwatch.aws.upbound.io/CompositeAlarm': [
    { field: 'external-name', service: 'cloudwatch', parameter: 'PutCompositeAlarm.AlarmName' },
  ],
  'cloudwatch.aws.upbound.io/Dashboard': [
    {
      field: 'external-name',
      service: 'cloudwatch',
      parameter: 'PutDashboard.DashboardName',
      // The model's documentation of DashboardName: "maximum length is 255, valid characters are A-Z, a-z, 0-9, - and _".
      documented: { test: (n) => /^[A-Za-z0-9_-]{1,255}$/.test(n), says: 'dashboard name: 1-255 of A-Za-z0-9-_' },
    },
  ],
  'sns.aws.upbound.io/Topic': [
    {
      field: 'external-name',
      service: 'sns',
      parameter: 'CreateTopic.Name',
      // The model's documentation of CreateTopic.Name: ASCII letters, digits, "_" and "-", 1 to 256 characters.
      documented: { test: (n) => /^[A-Za-z0-9_-]{1,256}$/.test(n), says: 'topic name: 1-256 of A-Za-z0-9-_' },
    },
  ],
  // The provider sends the alias name with the `alias/` it strips from the external name.
  'kms.aws.upbound.io/Alias': [{ field: 'external-name', service: 'kms', parameter: 'CreateAlias.AliasName', prefix: 'alias/' }],
  'backup.aws.upbound.io/Vault': [{ field: 'external-name', service: 'backup', parameter: 'CreateBackupVault.BackupVaultName' }],
  'backup.aws.upbound.io/Plan': [
    {
      field: 'name',
      service: 'backup',
      parameter: 'CreateBackupPlan.BackupPlan.BackupPlanName',
      // The model's documentation of BackupPlanInput.BackupPlanName: 1 to 50 alphanumeric or '-_.' characters.
      documented: { test: (n) => /^[A-Za-z0-9._-]{1,50}$/.test(n), says: 'backup plan name: 1-50 of A-Za-z0-9-_.' },
    },
    { field: 'rule[].ruleName', service: 'backup', parameter: 'CreateBackupPlan.BackupPlan.Rules[].RuleName' },
  ],
  'backup.aws.upbound.io/Selection': [
    { field: 'name', service: 'backup', parameter: 'CreateBackupSelection.BackupSelection.SelectionName' },
  ],
  'eks.aws.upbound.io/Cluster': [{ field: 'external-name', service: 'eks', parameter: 'CreateCluster.name' }],
  'eks.aws.upbound.io/NodeGroup': [
    { field: 'external-name', service: 'eks', parameter: 'CreateNodegroup.nodegroupName', documented: eksNodegroup },
  ],
  'cloudwatchlogs.aws.upbound.io/Group': [{ field: 'external-name', service: 'logs', parameter: 'CreateLogGroup.logGroupName' }],
  'cloudwatchevents.aws.upbound.io/Rule': [{ field: 'external-name', service: 'events', parameter: 'PutRule.Name' }],
  'sfn.aws.upbound.io/StateMachine': [{ field: 'external-name', service: 'stepfunctions', parameter: 'CreateStateMachine.name' }],
  'cloudwatchevents.aws.upbound.io/Target': [{ field: 'targetId', service: 'events', parameter: 'PutTargets.Targets[].Id' }],
  'ssm.aws.upbound.io/Parameter': [
    {
      field: 'external-name',
      service: 'ssm',
      parameter: 'PutParameter.Name',
      // The model's documentation of PutParameterRequest.Name: only a-zA-Z0-9_.- and "/" between levels, a leading "/"
      // for a name in a hierarchy, not prefixed with "aws" or "ssm" (case-insensitive); at most 15 levels
      // (HierarchyLevelLimitExceededException).
      documented: {
        test: (n) => /^(\/[A-Za-z0-9_.-]+)+$/.test(n) && !/^\/?(aws|ssm)/i.test(n) && n.split('/').length - 1 <= 15,
        says: 'parameter name: /level/... of a-zA-Z0-9_.-, at most 15 levels, not starting with aws or ssm',
      },
    },
  ],
  'apigatewayv2.aws.upbound.io/API': [
    {
      field: 'name',
      service: 'apigatewayv2',
      parameter: 'CreateApi.Name',
      // The model names the shape StringWithLengthBetween1And128 without min/max.
      documented: { test: (n) => n.length >= 1 && n.length <= 128, says: 'API name: 1-128 characters' },
    },
  ],
  'apigatewayv2.aws.upbound.io/Stage': [
    {
      field: 'external-name',
      service: 'apigatewayv2',
      parameter: 'CreateStage.StageName',
      documented: { test: (n) => n.length >= 1 && n.length <= 128, says: 'stage name: 1-128 characters' },
    },
  ],
  // The certificate's first name is its Common Name: "In compliance with RFC 5280, the length of the domain name
  // (technically, the Common Name) ... cannot exceed 64 octets (characters), including periods" (botocore acm
  // RequestCertificate.DomainName; policy's routing.record-name-length refuses a longer recordName, audit-17 M1).
  'acm.aws.upbound.io/Certificate': [
    {
      field: 'domainName',
      service: 'acm',
      parameter: 'RequestCertificate.DomainName',
      documented: { test: (n) => n.length <= 64, says: "ACM's Common Name: at most 64 octets, periods included (RFC 5280)" },
    },
  ],
  'apigatewayv2.aws.upbound.io/DomainName': [
    {
      field: 'external-name',
      service: 'apigatewayv2',
      parameter: 'CreateDomainName.DomainName',
      // The model names the shape StringWithLengthBetween1And512 without min/max; the custom domain needs an ACM
      // certificate for the name, and ACM's DomainNameString (acm RequestCertificate.DomainName) is the narrower rule.
      documented: {
        test: (n) =>
          n.length <= 253 && /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/.test(n),
        says: "ACM's DomainNameString: labels of up to 63 letters, digits and inner hyphens, at most 253 characters",
      },
    },
  ],
  'ec2.aws.upbound.io/SecurityGroup': [
    {
      field: 'name',
      service: 'ec2',
      parameter: 'CreateSecurityGroup.GroupName',
      // The model's documentation of GroupName: up to 255 characters of a-zA-Z0-9 and " ._-:/()#,@[]+=&;{}!$*",
      // not starting with sg-.
      documented: {
        test: (n) => /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/.test(n) && !n.startsWith('sg-'),
        says: 'security group name: <=255 allowed characters, not starting with sg-',
      },
    },
  ],
  // Route 53 ARC: names are 1-64 non-blank characters (__stringMin1Max64PatternS); a safety rule's name is its
  // AssertionRule's or GatingRule's Name, the same shape.
  'route53recoverycontrolconfig.aws.upbound.io/Cluster': [
    { field: 'name', service: 'route53-recovery-control-config', parameter: 'CreateCluster.ClusterName' },
  ],
  'route53recoverycontrolconfig.aws.upbound.io/ControlPanel': [
    { field: 'name', service: 'route53-recovery-control-config', parameter: 'CreateControlPanel.ControlPanelName' },
  ],
  'route53recoverycontrolconfig.aws.upbound.io/RoutingControl': [
    { field: 'name', service: 'route53-recovery-control-config', parameter: 'CreateRoutingControl.RoutingControlName' },
  ],
  'route53recoverycontrolconfig.aws.upbound.io/SafetyRule': [
    { field: 'name', service: 'route53-recovery-control-config', parameter: 'CreateSafetyRule.AssertionRule.Name' },
  ],
  // Route 53 ARC readiness: the request shapes are bare strings, the names each kind answers with
  // (CreateCellResponse.CellName, …) are __stringMax64PatternAAZAZ09Z: 1-64 letters, digits and underscores. The
  // external name is the name (ParameterAsIdentifier).
  ...Object.fromEntries(
    ['Cell', 'RecoveryGroup', 'ResourceSet', 'ReadinessCheck'].map((kind) => [
      `route53recoveryreadiness.aws.upbound.io/${kind}`,
      [
        { field: 'external-name', service: 'route53-recovery-readiness', parameter: 'shape:__stringMax64PatternAAZAZ09Z' },
        ...(kind === 'ReadinessCheck'
          ? [{ field: 'resourceSetName', service: 'route53-recovery-readiness', parameter: 'shape:__stringMax64PatternAAZAZ09Z' }]
          : []),
      ],
    ]),
  ),
  'route53.aws.upbound.io/Record': [
    { field: 'name', service: 'route53', parameter: 'ChangeResourceRecordSets.ChangeBatch.Changes[].ResourceRecordSet.Name' },
    {
      field: 'setIdentifier',
      service: 'route53',
      parameter: 'ChangeResourceRecordSets.ChangeBatch.Changes[].ResourceRecordSet.SetIdentifier',
    },
  ],
};

/** The Resource Groups Tagging API's TagMap: the limits AWS puts on every resource's tags. */
const TAGS = shape('resourcegroupstaggingapi', 'TagMap');
const TAG_KEY = shape('resourcegroupstaggingapi', 'TagKey');
const TAG_VALUE = shape('resourcegroupstaggingapi', 'TagValue');
/** A tag value of Route 53 ARC's cluster, control panel and safety rule. */
const ARC_TAG_VALUE = shape('route53-recovery-control-config', '__stringMin0Max256PatternS');

const constraintsCache = new Map<string, ShapeConstraints>();
const constraintsOf = (use: NameUse): ShapeConstraints => {
  const key = `${use.service}:${use.parameter}`;
  let c = constraintsCache.get(key);
  if (!c) {
    c = use.parameter.startsWith('shape:')
      ? shape(use.service, use.parameter.slice('shape:'.length))
      : parameter(use.service, use.parameter);
    constraintsCache.set(key, c);
  }
  return c;
};

const summary = { claims: 0, resources: 0, names: 0, tagged: 0, tags: 0, parameters: new Set<string>() };

const groupKind = (m: { apiVersion: string; kind: string }) => `${m.apiVersion.split('/')[0]}/${m.kind}`;

/** The values of a forProvider field (`rule[].ruleName` gives each rule's). */
function fieldValues(fp: Record<string, unknown>, field: string): unknown[] {
  const [head, rest] = field.split('[].') as [string, string | undefined];
  const v = fp[head];
  if (v === undefined) return [];
  if (rest === undefined) return [v];
  return (Array.isArray(v) ? v : []).map((item) => (item as Record<string, unknown>)[rest]).filter((x) => x !== undefined);
}

/** How the names and tags of a plan break the AWS API; [] when they conform. Counted into the summary unless `count` is false. */
function apiProblems(plan: readonly PlannedResource[], count = true): string[] {
  const tally = count ? summary : { ...summary, parameters: new Set<string>() };
  tally.claims++;
  const problems: string[] = [];
  for (const { manifest: m } of plan) {
    if (!m.apiVersion.includes('.aws.upbound.io/')) continue;
    tally.resources++;
    const meta = m.metadata as { annotations?: Record<string, string> };
    const fp = ((m.spec as { forProvider?: Record<string, unknown> }).forProvider ?? {}) as Record<string, unknown>;
    const kind = groupKind(m);
    const chosen = new Map<string, unknown[]>();
    const external = meta.annotations?.[EXTERNAL_NAME];
    // An Observe-only resource names an existing one (a shared ARC cluster by its ARN, a global cluster's view by the
    // name its managed resource chose): it chooses no name of its own.
    const observeOnly = JSON.stringify((m.spec as { managementPolicies?: unknown }).managementPolicies) === '["Observe"]';
    if (external !== undefined && !observeOnly) chosen.set('external-name', [external]);
    for (const f of NAME_FIELDS) {
      const values = fieldValues(fp, f);
      if (values.length) chosen.set(f, values);
    }
    const uses = NAME_TABLE[kind];
    if (chosen.size && !uses) {
      problems.push(`${kind}: chooses ${[...chosen.keys()].join(', ')} but the name table does not map it to an API parameter`);
    }
    for (const [field, values] of chosen) {
      const use = uses?.find((u) => u.field === field);
      if (uses && !use) {
        problems.push(`${kind}: chooses ${field} but the name table does not map it to an API parameter`);
        continue;
      }
      if (!use) continue;
      const c = constraintsOf(use);
      tally.parameters.add(`${use.service} ${use.parameter}`);
      for (const value of values) {
        tally.names++;
        const sent = `${use.prefix ?? ''}${String(value)}`;
        const broken = [...violations(sent, c)];
        if (use.documented && !use.documented.test(sent)) broken.push(`breaks ${use.documented.says}`);
        if (broken.length)
          problems.push(`${kind} ${field} "${sent}" as ${use.service} ${use.parameter} (${c.shape}): ${broken.join('; ')}`);
      }
    }
    const tags = fp.tags as Record<string, string> | undefined;
    if (tags) {
      tally.tagged++;
      const entries = Object.entries(tags);
      tally.tags += entries.length;
      if (TAGS.max !== undefined && entries.length > TAGS.max)
        problems.push(`${kind} ${external ?? ''}: ${entries.length} tags, AWS takes at most ${TAGS.max}`);
      for (const [k, v] of entries) {
        for (const why of violations(k, TAG_KEY)) problems.push(`${kind} ${external ?? ''}: tag key "${k}" ${why}`);
        for (const why of violations(String(v), TAG_VALUE)) problems.push(`${kind} ${external ?? ''}: tag "${k}" value ${why}`);
        // ARC's own tag maps are narrower: values match ^\S+$ (route53-recovery-control-config
        // __mapOf__stringMin0Max256PatternS), which policy's routing.arc-tags asks of the claim's tags.
        if (kind.startsWith('route53recoverycontrolconfig.'))
          for (const why of violations(String(v), ARC_TAG_VALUE)) problems.push(`${kind}: ARC tag "${k}" value ${why}`);
        // "aws:" is reserved for AWS's own tags (AWS General Reference, "Tagging best practices").
        if (k.toLowerCase().startsWith('aws:'))
          problems.push(`${kind} ${external ?? ''}: tag key "${k}" uses the reserved aws: prefix`);
      }
    }
  }
  return problems;
}

const examples = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => [f, DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', f), 'utf8')))] as const)
  .concat(exampleVariants());

afterAll(() => {
  console.log(
    `AWS API constraints: ${summary.claims} claims, ${summary.resources} managed resources, ${summary.names} names checked ` +
      `against ${summary.parameters.size} API parameters, ${summary.tags} tags on ${summary.tagged} resources, from ${botocoreDataDir()}`,
  );
});

describe("botocore's service models, as the checks read them", () => {
  it('finds every parameter of the table, with the model constraints', () => {
    for (const uses of Object.values(NAME_TABLE)) for (const use of uses) expect(constraintsOf(use).type).toBe('string');
    expect(parameter('iam', 'CreateRole.RoleName')).toMatchObject({ min: 1, max: 64, pattern: '[\\w+=,.@-]+' });
    expect(parameter('events', 'PutTargets.Targets[].Id')).toMatchObject({ max: 64 });
    expect(TAGS).toMatchObject({ max: 50 });
    expect(TAG_KEY).toMatchObject({ min: 1, max: 128 });
    expect(TAG_VALUE).toMatchObject({ min: 0, max: 256 });
  });

  it('fails loudly on an unknown service, operation or member', () => {
    expect(() => parameter('nosuchservice', 'X.Y')).toThrow(/nosuchservice/);
    expect(() => parameter('iam', 'CreateRole.NoSuchMember')).toThrow(/NoSuchMember/);
    expect(() => parameter('iam', 'NoSuchOperation.X')).toThrow(/NoSuchOperation/);
  });
});

describe('every AWS name and tag drplane composes', () => {
  it.each(examples)('%s: names and tags within the AWS API constraints', (_file, claim) => {
    expect(apiProblems(planClaim(claim))).toEqual([]);
  });

  it('of 200 generated claims: names and tags within the AWS API constraints', () => {
    const { claims } = validClaims(200, 1414);
    const problems = new Map<string, string>();
    for (const claim of claims) {
      for (const p of apiProblems(planClaim(claim))) problems.set(p.replace(/"[^"]*"/g, '"…"'), `${claim.metadata.name}: ${p}`);
    }
    expect([...problems.values()]).toEqual([]);
    expect(summary.parameters.size).toBeGreaterThanOrEqual(25);
  }, 300_000);
});

describe('the checks catch what they forbid', () => {
  const plan = planClaim(examples.find(([f]) => f === 'payments.yaml')![1]);
  const edit = (kind: string, change: (m: any) => void): PlannedResource[] =>
    plan.map((r) => {
      if (r.manifest.kind !== kind) return r;
      const manifest = structuredClone(r.manifest);
      change(manifest);
      return { ...r, manifest };
    });
  const annotate = (name: string) => (m: any) => (m.metadata.annotations[EXTERNAL_NAME] = name);

  it('a certificate whose Common Name is over 64 characters (audit-17 M1)', () => {
    const long = `${'a'.repeat(53)}.example.com`;
    expect(long).toHaveLength(65);
    const problems = apiProblems(
      edit('Certificate', (m) => (m.spec.forProvider.domainName = long)),
      false,
    );
    expect(problems.some((p) => p.includes('acm.aws.upbound.io/Certificate domainName') && p.includes("ACM's Common Name"))).toBe(
      true,
    );
    expect(apiProblems(plan, false).filter((p) => p.includes('Certificate'))).toEqual([]);
  });

  it('an ARC readiness name with a hyphen (names are \\A[a-zA-Z0-9_]+\\z, Java anchors read as anchors)', () => {
    const arcPlan = planClaim(threeRegionArc({ readiness: true }));
    const hyphen = arcPlan.map((r) =>
      r.manifest.kind === 'Cell'
        ? { ...r, manifest: { ...r.manifest, metadata: { annotations: { [EXTERNAL_NAME]: 'payments-cell' } } } }
        : r,
    );
    expect(apiProblems(arcPlan, false)).toEqual([]);
    expect(apiProblems(hyphen, false)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Cell external-name "payments-cell" .* does not match/)]),
    );
  });

  it('a policy name with a colon, a role name over 64, an RDS identifier with "--", a bucket with capitals', () => {
    expect(apiProblems(edit('RolePolicy', annotate('role:service')), false)).toEqual(
      expect.arrayContaining([expect.stringMatching(/RolePolicy external-name "role:service" .* does not match/)]),
    );
    expect(apiProblems(edit('Role', annotate('r'.repeat(65))), false)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Role external-name .* longer than 64/)]),
    );
    expect(apiProblems(edit('Cluster', annotate('payments--aurora')), false)).toEqual(
      expect.arrayContaining([expect.stringMatching(/RDS identifier/)]),
    );
    expect(apiProblems(edit('Bucket', annotate('Payments-Docs')), false)).toEqual(
      expect.arrayContaining([expect.stringMatching(/S3 bucket naming rules/)]),
    );
  });

  it('an alias over 256 with its alias/, 51 tags, a tag value over 256, a kind the table does not know', () => {
    expect(apiProblems(edit('Alias', annotate('a'.repeat(251))), false)).toEqual(
      expect.arrayContaining([expect.stringMatching(/"alias\/a+" .* longer than 256/)]),
    );
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(
      apiProblems(
        edit('Key', (m) => (m.spec.forProvider.tags = many)),
        false,
      ).join('\n'),
    ).toMatch(/51 tags, AWS takes at most 50/);
    expect(
      apiProblems(
        edit('Key', (m) => (m.spec.forProvider.tags = { k: 'v'.repeat(257) })),
        false,
      ).join('\n'),
    ).toMatch(/value longer than 256/);
    expect(apiProblems(edit('VPC', annotate('my-vpc')), false).join('\n')).toMatch(
      /ec2.aws.upbound.io\/VPC: chooses external-name but the name table does not map it/,
    );
    expect(
      apiProblems(
        edit('Function', (m) => (m.spec.forProvider.name = 'x')),
        false,
      ).join('\n'),
    ).toMatch(/Function: chooses name but the name table does not map it/);
  });
});
