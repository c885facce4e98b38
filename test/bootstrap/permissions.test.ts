/**
 * compositions/bootstrap/iam/provider-permissions-<n>.json are generated from the table of operations per Terraform
 * resource type (charts/bootstrap/iam/operations.ts). Checked here: the table covers exactly the kinds the
 * compositions can emit (and every kind a plan of an example claim contains), names the Terraform type the provider
 * source gives each kind, every operation exists in botocore's model of its service, every IAM action exists in
 * cfn-lint's IAM data for its prefix, every scoped action accepts the scope's ARNs (and an action AWS authorizes only
 * on `*` is in the `*` statement), every name a plan chooses is inside its scope, the conditions list exactly the
 * services and managed policies the plans use, every action is written out (no wildcard), each managed policy fits
 * IAM's 6,144 characters and the role's inline policy its 10,240, and
 * the committed files are the generated ones.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composedManagedKinds } from '../../charts/bootstrap/activations.js';
import { HTTP_METHOD, IAM_PREFIX, parseOperation, RENAMED } from '../../charts/bootstrap/iam/actions.js';
import { PERMISSIONS, STEPS } from '../../charts/bootstrap/iam/operations.js';
import {
  grants,
  IAM_LIMITS,
  iamFiles,
  policyChars,
  providerPermissions,
  providerPolicies,
  providerPolicyFile,
} from '../../charts/bootstrap/iam/policy.js';
import { ESTATE_TAG as SCOPES_ESTATE_TAG, SCOPES, type Scope, type ScopeName } from '../../charts/bootstrap/iam/scopes.js';
import { DEFAULT_SETTINGS } from '../../charts/bootstrap/settings.js';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { AWS_REGIONS, regionCode } from '../../src/api/regions.js';
import { ESTATE_TAG, EXTERNAL_NAME, isAwsManagedResource } from '../../src/compose/context.js';
import { Namer } from '../../src/compose/naming.js';
import { planClaim } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { botocoreDataDir, serviceModel } from '../support/botocore.js';
import { readYamlDocuments, yamlFilesIn } from '../support/files.js';
import { repoPath } from '../support/paths.js';

/** cfn-lint's IAM data: per prefix, actions (lowercase) with their resource types, and resource types' ARN formats. */
interface IamData {
  [prefix: string]: {
    Actions: Record<string, { Resources?: string[] }>;
    Resources: Record<string, { ARNFormats?: string[]; ConditionKeys?: string[] }>;
  };
}
const iamData = (): IamData =>
  JSON.parse(
    readFileSync(join(botocoreDataDir(), '..', '..', 'cfnlint', 'data', 'AdditionalSpecs', 'Policies.json'), 'utf8'),
  ) as IamData;

/** The source of the provider, where each kind's Terraform type is written. */
const providerSource = () => process.env.DRPLANE_PROVIDER_SOURCE_DIR ?? repoPath('..', 'shared', 'provider-upjet-aws-source');

/** `GetTerraformResourceType()` of a kind, read from apis/cluster/<family>/<version>/zz_*_terraformed.go. */
function terraformTypeOf(group: string, kind: string): string | undefined {
  const family = join(providerSource(), 'apis', 'cluster', group.split('.')[0]!);
  for (const version of readdirSync(family)) {
    for (const file of readdirSync(join(family, version)).filter((f) => f.endsWith('_terraformed.go'))) {
      const text = readFileSync(join(family, version, file), 'utf8');
      const match = new RegExp(
        `func \\(mg \\*${kind}\\) GetTerraformResourceType\\(\\) string \\{\\s*return "([a-z0-9_]+)"`,
      ).exec(text);
      if (match) return match[1];
    }
  }
  return undefined;
}

/** Every manifest the plans of the example claims contain. */
const planned: Manifest[] = yamlFilesIn(repoPath('examples')).flatMap((file) =>
  planClaim(DisasterRecoveryClaimSchema.parse(readYamlDocuments(file)[0])).map((p) => p.manifest),
);
const kindOf = (m: Manifest) => `${m.apiVersion.split('/')[0]}/${m.kind}`;

/** An IAM glob (`*`, `?`) as a RegExp over the whole string. */
const globRe = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** A cfn-lint ARN format (`arn:${Partition}:s3:::.*`) as a RegExp; placeholders match any text without a colon. */
const formatRe = (format: string) =>
  new RegExp(`^${format.replace(/\$\{Partition\}/g, 'aws').replace(/\$\{[A-Za-z]+\}/g, '[^:]*')}$`, 'i');

/** An ARN that a glob matches, with its wildcards filled in with plain text. */
const sampleOf = (glob: string) => glob.replace(/\*/g, 'abc').replace(/\?/g, 'a');

describe('provider-permissions.json', () => {
  it('has an entry for every kind the compositions can emit and for no other kind', () => {
    const composed = composedManagedKinds().map((k) => `${k.group}/${k.kind}`);
    const tabled = Object.values(PERMISSIONS).flatMap((e) => e.kinds);
    expect(composed.length).toBeGreaterThan(50);
    expect(new Set(tabled).size).toBe(tabled.length);
    expect([...tabled].sort()).toEqual([...composed].sort());
  });

  it('has an entry for every managed resource a plan of an example claim contains', () => {
    const tabled = new Set(Object.values(PERMISSIONS).flatMap((e) => e.kinds));
    const kinds = new Set(planned.filter(isAwsManagedResource).map(kindOf));
    expect(kinds.size).toBeGreaterThan(40);
    expect([...kinds].filter((k) => !tabled.has(k))).toEqual([]);
  });

  it('keys every entry by the Terraform type the provider source gives its kinds', () => {
    for (const [terraform, entry] of Object.entries(PERMISSIONS)) {
      for (const k of entry.kinds) {
        const [group, kind] = k.split('/') as [string, string];
        expect(terraformTypeOf(group, kind), k).toBe(terraform);
      }
    }
  });

  it('names only operations botocore knows, and every kind can be created, read and deleted or is said not to be', () => {
    const unknown: string[] = [];
    for (const [terraform, entry] of Object.entries(PERMISSIONS)) {
      for (const step of STEPS) {
        for (const op of entry[step]) {
          const { service, operation } = parseOperation(op);
          if (!serviceModel(service).operations[operation]) unknown.push(`${terraform}.${step}: ${service}:${operation}`);
        }
      }
      expect(entry.create.length, `${terraform} creates`).toBeGreaterThan(0);
    }
    expect(unknown).toEqual([]);
  });

  it('records the HTTP method botocore gives every API Gateway operation, and renames only real operations', () => {
    const model = serviceModel('apigatewayv2') as unknown as { operations: Record<string, { http: { method: string } }> };
    for (const [operation, method] of Object.entries(HTTP_METHOD))
      expect(model.operations[operation]?.http.method, operation).toBe(method);
    for (const key of Object.keys(RENAMED)) {
      const { service, operation } = parseOperation(key);
      expect(serviceModel(service).operations[operation], key).toBeDefined();
    }
    expect(IAM_PREFIX).toEqual({ apigatewayv2: 'apigateway', stepfunctions: 'states' });
    for (const service of Object.keys(IAM_PREFIX)) expect(serviceModel(service).operations, service).toBeDefined();
  });

  it('names only IAM actions that exist, and lists a permission-only action only when it is no operation', () => {
    const data = iamData();
    const missing = grants()
      .map((g) => g.action)
      .filter((action) => {
        const [prefix, name] = action.split(':') as [string, string];
        return !data[prefix]?.Actions[name.toLowerCase()];
      });
    expect([...new Set(missing)]).toEqual([]);
    // An action that is an operation of a service the entry itself calls belongs in its steps; `also` is for
    // permissions that are no operation (iam:PassRole) or that another service checks (KMS, S3 for Lambda code).
    const misplaced: string[] = [];
    for (const [terraform, entry] of Object.entries(PERMISSIONS)) {
      const own = new Set(STEPS.flatMap((step) => entry[step].map((op) => parseOperation(op).service)));
      for (const also of entry.also ?? []) {
        const [prefix, name] = also.action.split(':') as [string, string];
        const service = Object.entries(IAM_PREFIX).find(([, p]) => p === prefix)?.[0] ?? prefix;
        if (own.has(service) && serviceModel(service).operations[name]) misplaced.push(`${terraform}: ${also.action}`);
        expect(also.why.length, also.action).toBeGreaterThan(10);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('puts every scoped action where AWS authorizes it: on a resource type whose ARN format the scope matches', () => {
    const data = iamData();
    const problems: string[] = [];
    for (const g of grants()) {
      const [prefix, name] = g.action.split(':') as [string, string];
      const types = (data[prefix]?.Actions[name.toLowerCase()]?.Resources ?? []).map((t) => t.toLowerCase());
      const scope: Scope = SCOPES[g.scope];
      if (scope.resources.includes('*')) continue;
      if (types.length === 0) {
        problems.push(`${g.action} (${g.terraform}) is authorized only on *: put it in scope any`);
        continue;
      }
      const formats = types.flatMap((t) => data[prefix]!.Resources[t]?.ARNFormats ?? []);
      // At least one of the scope's ARNs must be a resource the action is authorized on.
      const accepted = scope.resources.filter((arn) => formats.some((f) => formatRe(f).test(sampleOf(arn))));
      if (accepted.length === 0) problems.push(`${g.action} (${g.terraform}): no ARN of scope ${g.scope} is one of ${types}`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it("grants each EKS kind's own-scope actions only where IAM authorizes them on that kind's resource type", () => {
    // An entry's scope (eksTagged) spans every EKS resource type, so the scope check above cannot tell whether an action
    // is authorized on the kind it is granted for: cfn-lint's data lists, per action, the resource types it takes.
    const data = iamData();
    const typeOf: Record<string, string> = {
      aws_eks_cluster: 'cluster',
      aws_eks_node_group: 'nodegroup',
      aws_eks_addon: 'addon',
      aws_eks_pod_identity_association: 'podidentityassociation',
      aws_eks_access_entry: 'access-entry',
    };
    const problems: string[] = [];
    let checked = 0;
    for (const g of grants()) {
      const type = typeOf[g.terraform];
      if (type === undefined || g.scope !== PERMISSIONS[g.terraform]!.scope || !g.action.startsWith('eks:')) continue;
      const types = data.eks!.Actions[g.action.split(':')[1]!.toLowerCase()]?.Resources ?? [];
      checked += 1;
      if (!types.includes(type)) problems.push(`${g.terraform}: ${g.action} is authorized on ${types.join(', ')}, not ${type}`);
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('every AWS name a plan chooses for a scoped kind lies inside its scope', () => {
    let checked = 0;
    for (const [name, scope] of Object.entries(SCOPES) as [ScopeName, Scope][]) {
      if (!scope.covers) continue;
      const names = planned
        .filter((m) => scope.covers!.kinds.includes(kindOf(m)))
        .map(
          (m) =>
            (m.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[EXTERNAL_NAME] ??
            (m.spec as { forProvider?: { name?: string } }).forProvider?.name,
        );
      expect(names.length, name).toBeGreaterThan(0);
      for (const n of names) {
        expect(n, `${name}: a planned ${scope.covers.kinds.join('/')} has no name`).toBeDefined();
        const arn = scope.covers.arn(n!);
        expect(
          scope.resources.some((glob) => globRe(glob).test(arn)),
          `${arn} is outside scope ${name}`,
        ).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('lets roles be passed only to the services the estate roles trust, and only the managed policies compose attaches', () => {
    const roles = planned.filter((m) => kindOf(m) === 'iam.aws.upbound.io/Role');
    const services = new Set(
      roles.flatMap((r) =>
        (JSON.parse((r.spec as any).forProvider.assumeRolePolicy).Statement as { Principal: { Service?: string } }[])
          .map((s) => s.Principal.Service)
          .filter((s): s is string => typeof s === 'string'),
      ),
    );
    expect(SCOPES.passRole.condition.StringEquals['iam:PassedToService']).toEqual([...services].sort());
    const attached = new Set(
      planned
        .filter((m) => kindOf(m) === 'iam.aws.upbound.io/RolePolicyAttachment')
        .map((m) => (m.spec as any).forProvider.policyArn as string),
    );
    expect(SCOPES.attachManagedPolicies.condition.ArnEquals['iam:PolicyARN']).toEqual([...attached].sort());
  });

  it('scopes iam:PassRole and the role-changing IAM actions to estate roles, never to *', () => {
    const policy = providerPermissions();
    const iamAnywhere = policy.Statement.filter((s) => s.Resource.includes('*')).flatMap((s) =>
      s.Action.filter((a) => a.startsWith('iam:')),
    );
    expect(iamAnywhere).toEqual([]);
    const pass = policy.Statement.find((s) => s.Action.includes('iam:PassRole'))!;
    expect(pass.Resource).toEqual(['arn:aws:iam::*:role/*-e???????']);
    expect(pass.Condition).toBeDefined();
  });

  it('writes every action out: no wildcard in any action of the providers (eks:*, ec2:Describe*, lambda:Get* were)', () => {
    const wildcards = providerPolicies().flatMap((doc) => doc.Statement.flatMap((s) => s.Action.filter((a) => /[*?]/.test(a))));
    expect(wildcards).toEqual([]);
    const eks = providerPermissions().Statement.find((s) => s.Resource.some((r) => r.startsWith('arn:aws:eks:')))!;
    expect(eks.Action).toContain('eks:CreateNodegroup');
    expect(eks.Action).not.toContain('eks:AssociateIdentityProviderConfig');
  });

  it('splits the permissions into managed policies of at most 6,144 characters each, losing and adding nothing', () => {
    const docs = providerPolicies();
    for (const doc of docs) expect(policyChars(doc)).toBeLessThanOrEqual(IAM_LIMITS.managedPolicyChars);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.length).toBeLessThanOrEqual(IAM_LIMITS.managedPoliciesPerRole);
    // Every (action, resources, condition) of the logical document is granted by exactly one of the managed policies.
    const pairs = (statements: { Action: string[]; Resource: string[]; Condition?: unknown }[]) =>
      statements.flatMap((st) => st.Action.map((a) => `${a} ${JSON.stringify(st.Resource)} ${JSON.stringify(st.Condition)}`));
    const split = pairs(docs.flatMap((d) => d.Statement));
    expect(split.sort()).toEqual(pairs(providerPermissions().Statement).sort());
    expect(new Set(split).size).toBe(split.length);
  });

  it('cuts a statement too large for one managed policy by its actions, keeping its resources and condition', () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:GetObject${i}`);
    const big = { Effect: 'Allow' as const, Action: actions, Resource: ['arn:aws:s3:::*-e???????'] };
    expect(policyChars({ Version: '2012-10-17', Statement: [big] })).toBeGreaterThan(IAM_LIMITS.managedPolicyChars);
    const only = { create: actions, read: [], update: [], tag: [], delete: [], also: [] };
    const one = providerPolicies({ aws_s3_bucket: { ...PERMISSIONS.aws_s3_bucket!, ...only } });
    for (const st of one.flatMap((d) => d.Statement))
      expect(st.Resource).toEqual(SCOPES[PERMISSIONS.aws_s3_bucket!.scope].resources);
    expect(one.length).toBeGreaterThan(1);
    for (const doc of one) expect(policyChars(doc)).toBeLessThanOrEqual(IAM_LIMITS.managedPolicyChars);
    expect(one.flatMap((d) => d.Statement.flatMap((st) => st.Action)).sort()).toEqual([...actions].sort());
  });

  it('leaves the role one inline policy, assume-account-roles.json, within 10,240 characters even with 50 further accounts', () => {
    const accounts = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => {
        const id = String(100000000000 + i * 7919);
        return [`aws-${id}`, { roleArn: `arn:aws:iam::${id}:role/drplane-provider-aws` }];
      }),
    );
    const files = iamFiles({ ...DEFAULT_SETTINGS, accounts });
    // What the docs put inline on the role: only the assume-role document (the permissions are managed policies).
    const inline = ['assume-account-roles.json'].map((f) => policyChars(JSON.parse(files.get(f)!)));
    expect(inline.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(IAM_LIMITS.inlineCharsPerRole);
    expect([...files.keys()].filter((f) => f.startsWith('provider-permissions'))).toEqual(
      providerPolicies().map((_, n) => providerPolicyFile(n)),
    );
  });

  it('is committed as generated (npm run synth), with the trust policies beside it', () => {
    const generated = iamFiles(DEFAULT_SETTINGS);
    const dir = repoPath('compositions', 'bootstrap', 'iam');
    expect(readdirSync(dir).sort()).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(text);
    const irsa = JSON.parse(generated.get('trust-irsa.json')!);
    expect(irsa.Statement[0].Condition.StringEquals['${OIDC_PROVIDER}:sub']).toBe(
      'system:serviceaccount:crossplane-system:provider-aws',
    );
  });
});

/** A planned Table's forProvider, for the global-table checks. */
const tables = planned
  .filter((m) => kindOf(m) === 'dynamodb.aws.upbound.io/Table')
  .map((m) => (m.spec as { forProvider: Record<string, unknown> }).forProvider);
const actionsOn = (scope: ScopeName) =>
  providerPermissions().Statement.find(
    (s) => JSON.stringify(s.Resource) === JSON.stringify(SCOPES[scope].resources) && !s.Condition,
  )?.Action ?? [];

describe('provider-permissions.json: what AWS checks besides the operations themselves', () => {
  it('grants on the tables every action DynamoDB checks in a region where UpdateTable adds a replica (2019.11.21)', () => {
    expect(tables.some((t) => Array.isArray(t.replica) && t.replica.length > 0)).toBe(true);
    // Developer Guide, "Using IAM with global tables" (V2gt_IAM): the permissions needed in the destination regions.
    for (const action of [
      'dynamodb:CreateTable',
      'dynamodb:CreateTableReplica',
      'dynamodb:Scan',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteTable',
      'dynamodb:DeleteTableReplica',
    ])
      expect(actionsOn('dynamodbTables'), action).toContain(action);
  });

  it('lets the providers create the service-linked roles the services create on first use, ARC readiness and API Gateway included, and no other', () => {
    const slr = providerPermissions().Statement.filter((s) => s.Action.includes('iam:CreateServiceLinkedRole'));
    expect(slr).toHaveLength(1);
    expect(slr[0]!.Action).toEqual(['iam:CreateServiceLinkedRole']);
    expect(slr[0]!.Resource).toEqual(['arn:aws:iam::*:role/aws-service-role/*']);
    // ARC Developer Guide, "Using service-linked role for readiness check": the first readiness check creates
    // AWSServiceRoleForRoute53RecoveryReadiness (route53-recovery-readiness.amazonaws.com); API Gateway Developer Guide,
    // "Using service-linked roles for API Gateway": creating an API or a custom domain name creates
    // AWSServiceRoleForAPIGateway (ops.apigateway.amazonaws.com).
    expect(slr[0]!.Condition).toEqual({
      StringEquals: {
        'iam:AWSServiceName': [
          'eks-nodegroup.amazonaws.com',
          'eks.amazonaws.com',
          'ops.apigateway.amazonaws.com',
          'rds.amazonaws.com',
          'replication.dynamodb.amazonaws.com',
          'route53-recovery-readiness.amazonaws.com',
        ],
      },
    });
    for (const entry of ['aws_route53recoveryreadiness_readiness_check', 'aws_apigatewayv2_api', 'aws_apigatewayv2_domain_name'])
      expect(
        PERMISSIONS[entry]!.also?.filter((a) => a.action === 'iam:CreateServiceLinkedRole').map((a) => a.scope),
        entry,
      ).toEqual(['serviceLinkedRoles']);
  });

  it('grants the witness actions on the tables whenever an example plans a table with a witness (MRSC)', () => {
    const witnesses = tables.filter((t) => t.globalTableWitness !== undefined);
    expect(witnesses.length).toBeGreaterThan(0);
    for (const action of ['dynamodb:CreateGlobalTableWitness', 'dynamodb:DeleteGlobalTableWitness'])
      expect(actionsOn('dynamodbTables'), action).toContain(action);
  });

  it('grants the tag action on `*` where the create call of an id AWS assigns tags the new resource (KMS CreateKey)', () => {
    // KMS Developer Guide, "Controlling access to tags": to add tags while creating a KMS key the principal needs
    // kms:TagResource in an IAM policy that is not restricted to particular KMS keys.
    const anywhere = providerPermissions().Statement.find((s) => s.Resource.includes('*'))!;
    expect(anywhere.Action).toContain('kms:CreateKey');
    expect(anywhere.Action).toContain('kms:TagResource');
    // The rule in general: a create call authorized on `*` (the id is AWS's) whose input carries tags (botocore's
    // model) while the entry's other actions are scoped needs its tag-adding action granted on `*` too.
    const missing: string[] = [];
    let checked = 0;
    for (const [terraform, entry] of Object.entries(PERMISSIONS)) {
      if (entry.scope === 'any') continue;
      const taggingCreates = entry.create.map(parseOperation).filter(({ service, operation, scope }) => {
        if (scope !== 'any') return false;
        const model = serviceModel(service) as unknown as {
          operations: Record<string, { input?: { shape: string } }>;
          shapes: Record<string, { members?: Record<string, unknown> }>;
        };
        const input = model.operations[operation]?.input?.shape;
        return Object.keys((input && model.shapes[input]?.members) ?? {}).some((m) => /^(tags|tagspecifications)$/i.test(m));
      });
      if (taggingCreates.length === 0) continue;
      checked += 1;
      const adds = grants({ [terraform]: entry }).filter((g) =>
        /:(TagResource|AddTags\w*|CreateTags|Tag[A-Z]\w*)$/.test(g.action),
      );
      if (!adds.some((g) => g.scope === 'any')) missing.push(terraform);
    }
    expect(checked).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});

describe('the further accounts: trust-account-role and assume-account-roles', () => {
  const PROVIDER_ARN = 'arn:aws:iam::${CONTROL_PLANE_ACCOUNT_ID}:role/drplane-provider-aws';
  const parse = (files: Map<string, string>, name: string) => {
    expect([...files.keys()]).toContain(name);
    return JSON.parse(files.get(name)!) as { Statement: Record<string, any>[] };
  };
  const allowed = (doc: { Statement: Record<string, any>[] }) =>
    doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);

  it('lets the role be assumed with session tags (EKS Pod Identity tags are transitive), on both sides of the chain', () => {
    const files = iamFiles(DEFAULT_SETTINGS);
    const trust = parse(files, 'trust-account-role.json');
    expect(allowed(trust)).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession']));
    for (const s of trust.Statement) expect(s.Principal).toEqual({ AWS: PROVIDER_ARN });
    expect(allowed(parse(files, 'assume-account-roles.json'))).toEqual(['sts:AssumeRole', 'sts:TagSession']);
  });

  it('without accounts, assume-account-roles.json names a placeholder account, not every account', () => {
    const doc = parse(iamFiles(DEFAULT_SETTINGS), 'assume-account-roles.json');
    expect(doc.Statement.flatMap((s) => s.Resource)).toEqual(['arn:aws:iam::${FURTHER_ACCOUNT_ID}:role/drplane-provider-aws']);
  });

  it('with accounts, names exactly their roles, and each account gets a trust that requires its external id', () => {
    const files = iamFiles({
      ...DEFAULT_SETTINGS,
      accounts: {
        'aws-777788889999': { roleArn: 'arn:aws:iam::777788889999:role/drplane-provider-aws', externalId: 'drplane-7777' },
        'aws-444455556666': { roleArn: 'arn:aws:iam::444455556666:role/drplane-provider-aws' },
      },
    });
    const assume = parse(files, 'assume-account-roles.json');
    expect(assume.Statement.flatMap((s) => s.Resource)).toEqual([
      'arn:aws:iam::444455556666:role/drplane-provider-aws',
      'arn:aws:iam::777788889999:role/drplane-provider-aws',
    ]);
    expect(files.has('trust-account-role.json')).toBe(false);
    const plain = parse(files, 'trust-account-role-aws-444455556666.json');
    expect(plain.Statement.every((s) => s.Condition === undefined)).toBe(true);
    const withId = parse(files, 'trust-account-role-aws-777788889999.json');
    const assumeStatement = withId.Statement.find((s) => allowed({ Statement: [s] }).includes('sts:AssumeRole'))!;
    expect(assumeStatement.Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'drplane-7777' } });
    expect(allowed(withId)).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession']));
  });

  it('refuses an account whose role ARN is not one, naming the setting', () => {
    expect(() => iamFiles({ ...DEFAULT_SETTINGS, accounts: { 'aws-1': { roleArn: 'drplane-provider-aws' } } })).toThrow(
      /settings\.accounts\['aws-1'\]\.roleArn/,
    );
  });
});

describe('provider-permissions.json: EKS (audit 16 M3)', () => {
  const eksPlanned = planned.filter((m) => m.apiVersion.startsWith('eks.aws.upbound.io/'));
  const statementsWith = (action: string) => providerPermissions().Statement.filter((s) => s.Action.includes(action));

  it('grants eks:TagResource only on the estate clusters and what lives in them, never on *', () => {
    const tag = statementsWith('eks:TagResource');
    expect(tag.length).toBeGreaterThan(0);
    for (const s of tag) expect(s.Resource).not.toContain('*');
    expect(tag.flatMap((s) => s.Resource)).toEqual(SCOPES.eksClusters.resources);
  });

  it('names the estate tag compose sets', () => expect(SCOPES_ESTATE_TAG).toBe(ESTATE_TAG));

  it('creates a cluster only with the ManagedBy and estate tags every planned cluster carries', () => {
    const [create] = statementsWith('eks:CreateCluster');
    expect(statementsWith('eks:CreateCluster')).toHaveLength(1);
    expect(create!.Resource).toEqual(['*']);
    expect(create!.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/ManagedBy': 'drplane' },
      StringLike: { 'aws:RequestTag/drplane:estate': 'e???????' },
    });
    const clusters = eksPlanned.filter((m) => m.kind === 'Cluster');
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) {
      const tags = (c.spec as any).forProvider.tags as Record<string, string>;
      expect(tags.ManagedBy).toBe('drplane');
      expect(globRe('e???????').test(tags[ESTATE_TAG]!)).toBe(true);
    }
  });

  it('reads, changes and deletes EKS resources only when they carry the estate tag, which every planned one does', () => {
    const creates = new Set([
      'eks:CreateNodegroup',
      'eks:CreateAddon',
      'eks:CreateAccessEntry',
      'eks:CreatePodIdentityAssociation',
      'eks:TagResource',
    ]);
    const eksActions = [
      ...new Set(
        grants()
          .filter((g) => g.action.startsWith('eks:'))
          .map((g) => g.action),
      ),
    ];
    expect(eksActions.length).toBeGreaterThan(25);
    for (const action of eksActions) {
      if (creates.has(action) || action === 'eks:CreateCluster') continue;
      for (const s of statementsWith(action))
        expect((s.Condition as any)?.StringLike?.['aws:ResourceTag/drplane:estate'], action).toBe('e???????');
    }
    // Every EKS resource AWS tags (all but the access policy association, which has no tags) carries it.
    const tagged = eksPlanned.filter((m) => m.kind !== 'AccessPolicyAssociation');
    expect(new Set(tagged.map((m) => m.kind))).toEqual(
      new Set(['Cluster', 'NodeGroup', 'Addon', 'AccessEntry', 'PodIdentityAssociation']),
    );
    for (const m of tagged) expect((m.spec as any).forProvider.tags?.[ESTATE_TAG], m.kind).toMatch(/^e[0-9a-f]{7}$/);
  });

  it('puts the tag condition only on actions whose resource types accept aws:ResourceTag (cfn-lint IAM data)', () => {
    const data = iamData();
    for (const s of providerPermissions().Statement) {
      const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
      if (!keys.some((k) => k.startsWith('aws:ResourceTag/'))) continue;
      for (const action of s.Action) {
        const [prefix, name] = action.split(':') as [string, string];
        const types = data[prefix]!.Actions[name.toLowerCase()]?.Resources ?? [];
        const accepting = types.filter((t) =>
          (data[prefix]!.Resources[t.toLowerCase()]?.ConditionKeys ?? []).includes('aws:ResourceTag/${TagKey}'),
        );
        expect(accepting.length, action).toBeGreaterThan(0);
      }
    }
  });

  it('creates KMS grants only through an integrated AWS service (kms:GrantIsForAWSResource, audit-16 M4)', () => {
    const [grant, ...more] = statementsWith('kms:CreateGrant');
    expect(more).toEqual([]);
    expect(grant!.Action).toEqual(['kms:CreateGrant']);
    expect(grant!.Resource).toEqual(['arn:aws:kms:*:*:key/*']);
    expect(grant!.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    // The calls that need it: each is a service creating the grant on the estate key during the provider's call.
    const needing = Object.values(PERMISSIONS)
      .filter((p) => (p.also ?? []).some((a) => a.action === 'kms:CreateGrant'))
      .flatMap((p) => p.kinds.map((k) => k.split('/')[0]!.split('.')[0]));
    expect([...new Set(needing)].sort()).toEqual(['backup', 'dynamodb', 'eks', 'rds']);
  });

  it('associates only the access policies the plans give (eks:policyArn)', () => {
    const [assoc] = statementsWith('eks:AssociateAccessPolicy');
    expect(statementsWith('eks:DisassociateAccessPolicy')).toEqual([assoc]);
    const planned = new Set(
      eksPlanned.filter((m) => m.kind === 'AccessPolicyAssociation').map((m) => (m.spec as any).forProvider.policyArn),
    );
    expect(planned.size).toBeGreaterThan(0);
    expect((assoc!.Condition as any).ArnEquals['eks:policyArn']).toEqual([...planned].sort());
  });

  it("matches the estate's cluster names, not foreign names that merely end in -e and 7 characters", () => {
    const cluster = (n: string) => `arn:aws:eks:eu-west-1:111122223333:cluster/${n}`;
    const [clusters] = SCOPES.eksClusters.resources;
    for (const foreign of ['team-engineer', 'payments-eu-west1', 'billing-prod-euw1-e1234567'])
      expect(globRe(clusters!).test(cluster(foreign)), foreign).toBe(false);
    expect(globRe(clusters!).test(cluster('payments-eks-prod-euw1-e31ac6c8'))).toBe(true);
    const nodegroups = SCOPES.eksClusters.resources.find((r) => r.includes(':nodegroup/'))!;
    expect(
      globRe(nodegroups).test(
        'arn:aws:eks:eu-west-1:1:nodegroup/payments-eks-prod-euw1-e31ac6c8/payments-nodes-prod-euw1-e31ac6c8/0a1b',
      ),
    ).toBe(true);
    expect(globRe(nodegroups).test('arn:aws:eks:eu-west-1:1:nodegroup/other/payments-eks-prod-euw1-e31ac6c8/0a1b')).toBe(false);
  });

  it('never shortens a cluster name (so the -eks- in the glob stays): longest claim name, environment and region code', () => {
    const longestRegion = [...AWS_REGIONS].sort((a, b) => regionCode(b).length - regionCode(a).length)[0]!;
    const namer = new Namer({ name: 'a'.repeat(40), namespace: 'n', environment: 'e'.repeat(12) });
    const fitted = namer.fitted('eksCluster', 'eks', longestRegion);
    expect(fitted.shortened).toBe(false);
    expect(globRe(SCOPES.eksClusters.resources[0]!).test(`arn:aws:eks:r:1:cluster/${fitted.value}`)).toBe(true);
  });
});
