import { describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACTS } from '../../lambda/artifacts.js';
import { SERVICE_ENV } from '../../lambda/shared/env-contract.js';
import { liveView } from '../../src/compose/observed.js';
import { compositeOf } from '../../src/compose/plan.js';
import { validateClaim } from '../../src/policy/validate.js';
import {
  ACCOUNT,
  ID,
  FULL_SPEC,
  TWO_REGION_SPEC,
  byKey,
  claim,
  composeLive,
  externalName,
  fp,
  keysOf,
  labels,
  managed,
  nestedOf,
  observedView,
  plan,
  policyOf,
  spec,
  type Observed,
} from './helpers.js';

const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
const svcXr = nestedOf(FULL_SPEC, 'XRegionalService');
const resources = managed(plan(FULL_SPEC)).filter(
  (m) => (labels(m)['drplane.io/component'] ?? '').startsWith('service') || labels(m)['drplane.io/component'] === 'kms-service',
);
const of = (kind: string, region: string) =>
  resources.filter((m) => m.kind === kind && (fp(m).region === region || labels(m)['drplane.io/region'] === region));
const artifacts = { service: { sha256: 'a'.repeat(64), base64: Buffer.from('zip bytes').toString('base64') } };
/** The service's state once its code, roles and API exist. */
const running = (region: string, extra: Record<string, Observed> = {}): Record<string, Observed> => ({
  [`service-code-${region}-${'a'.repeat(12)}`]: { ready: true },
  [`service-role-${region}`]: { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/payments-service-prod` },
  ...extra,
});

describe('XRegionalService', () => {
  it('runs one arm64 function per region with index.handler, the claimed runtime, memory, timeout and reserved concurrency', () => {
    for (const region of regions) {
      const [fn] = of('Function', region);
      expect(fp(fn!)).toMatchObject({
        architectures: ['arm64'],
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        memorySize: 512,
        timeout: 10,
        reservedConcurrentExecutions: 5,
        packageType: 'Zip',
      });
      expect(externalName(fn!)).toMatch(new RegExp(`^payments-service-prod-[a-z0-9]+-${ID}$`));
    }
  });

  it('loads its code from a per-region artifacts bucket at lambda/service/<sha256>.zip, shipped by an s3 Object', () => {
    const sha = LAMBDA_ARTIFACTS.service.sha256;
    for (const region of regions) {
      const [fn] = of('Function', region);
      expect(fp(fn!).s3Key).toBe(`lambda/service/${sha}.zip`);
      expect(fp(fn!).s3BucketSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'service-code',
        'drplane.io/region': region,
      });
      const [object] = of('Object', region);
      expect(fp(object!)).toMatchObject({ key: `lambda/service/${sha}.zip`, contentType: 'application/zip' });
      // Without the zip loaded, a plan names the file and its hash instead of content.
      expect(fp(object!).contentBase64).toBe(
        `<base64 of dist/lambda/service.zip (sha256 ${sha}), built by npm run build:lambda>`,
      );
    }
  });

  it('ships the zip bytes it is given, under a key named after their hash, so a code change rolls out', () => {
    const out = composeLive(svcXr, observedView({}), { artifacts });
    const object = byKey(out, `service-code-us-east-1-${'a'.repeat(12)}`);
    expect(fp(object).contentBase64).toBe(artifacts.service.base64);
    expect(fp(object).key).toBe(`lambda/service/${'a'.repeat(64)}.zip`);
  });

  it('keeps the artifacts bucket private: versioned, SSE-KMS with its own key, public access blocked, owner enforced', () => {
    for (const region of regions) {
      expect(fp(of('BucketVersioning', region)[0]!).versioningConfiguration).toEqual({ status: 'Enabled' });
      const sse = fp(of('BucketServerSideEncryptionConfiguration', region)[0]!).rule[0];
      expect(sse.applyServerSideEncryptionByDefault.sseAlgorithm).toBe('aws:kms');
      expect(sse.applyServerSideEncryptionByDefault.kmsMasterKeyIdSelector.matchLabels['drplane.io/component']).toBe(
        'kms-service',
      );
      expect(fp(of('BucketPublicAccessBlock', region)[0]!)).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(fp(of('BucketOwnershipControls', region)[0]!).rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
      expect(fp(of('Bucket', region)[0]!).tags['drplane:backup']).toBe('skip');
    }
  });

  it('creates the function only once its code object is Ready, and keeps the running key while a new zip uploads', () => {
    const out = (o: Record<string, Observed>) => keysOf(composeLive(svcXr, observedView(o), { artifacts }));
    expect(out({})).not.toContain('service-function-us-east-1');
    expect(out(running('us-east-1'))).toContain('service-function-us-east-1');
    const oldKey = 'lambda/service/old.zip';
    const updating = composeLive(
      svcXr,
      observedView({ 'service-function-us-east-1': { ready: true, spec: { forProvider: { s3Key: oldKey } } } }),
      { artifacts },
    );
    expect(fp(byKey(updating, 'service-function-us-east-1')).s3Key).toBe(oldKey);
  });

  it('uploads nothing without the zip in a cluster, and says why', () => {
    const out = composeLive(svcXr, liveView({}));
    expect(out.resources.filter((r) => r.manifest.kind === 'Object')).toEqual([]);
    expect(out.events.some((e) => e.severity === 'Warning' && e.message.includes('dist/lambda/service.zip'))).toBe(true);
  });

  it('sets the environment from SERVICE_ENV: primary in the active region, secondary elsewhere, the table and the environment', () => {
    for (const region of regions) {
      expect(fp(of('Function', region)[0]!).environment.variables).toEqual({
        [SERVICE_ENV.environment]: 'prod',
        [SERVICE_ENV.role]: region === 'us-east-1' ? 'primary' : 'secondary',
        [SERVICE_ENV.tableName]: `payments-transactions-prod-${ID}`,
        // The first table's key as the claim declares it: the service keys its items with it.
        [SERVICE_ENV.tableKey]: '{"hash":{"name":"id","type":"S"}}',
        // The plan shows the reader endpoint AWS assigns as a placeholder, like the records that point at it.
        [SERVICE_ENV.dbEndpoint]: `<status.regions.${region}.readerEndpoint of database, known after creation>:5432`,
        [SERVICE_ENV.dbEngine]: 'aurora-postgresql',
      });
    }
    const failedOver = managed(plan({ ...FULL_SPEC, activeRegion: 'us-west-2' })).filter(
      (m) => m.kind === 'Function' && labels(m)['drplane.io/component'] === 'service-function',
    );
    expect(Object.fromEntries(failedOver.map((f) => [fp(f).region, fp(f).environment.variables[SERVICE_ENV.role]]))).toEqual({
      'us-east-1': 'secondary',
      'us-west-2': 'primary',
      'eu-west-1': 'secondary',
    });
  });

  it("gives /health the region's Aurora reader endpoint and engine once observed (in the VPC), and grants no secret", () => {
    const readers = Object.fromEntries(regions.map((r) => [r, `payments-aurora.cluster-ro-abc123.${r}.rds.amazonaws.com`]));
    expect(spec(svcXr)).toMatchObject({ database: true, databaseEngine: 'aurora-postgresql' });
    const xr = { ...svcXr, spec: { ...spec(svcXr), databaseReaderEndpoints: readers } };
    const out = composeLive(xr, observedView(running('us-west-2')), { artifacts });
    const fn = out.resources.find((r) => r.manifest.kind === 'Function' && r.region === 'us-west-2')!.manifest;
    expect(fp(fn).environment.variables).toMatchObject({
      [SERVICE_ENV.dbEndpoint]: 'payments-aurora.cluster-ro-abc123.us-west-2.rds.amazonaws.com:5432',
      [SERVICE_ENV.dbEngine]: 'aurora-postgresql',
    });
    expect(fp(fn).environment.variables).not.toHaveProperty(SERVICE_ENV.dbSecretArn);
    const actions = policyOf(byKey(out, 'service-policy-us-west-2')).Statement.flatMap((st) => st.Action as string[]);
    expect(actions.filter((a: string) => a.startsWith('secretsmanager:'))).toEqual([]);
    // Before the endpoint is observed: no probe (the check reports skipped), nothing invented.
    const unknown = { ...svcXr, spec: { ...spec(svcXr), databaseReaderEndpoints: {} } };
    const early = composeLive(unknown, observedView(running('us-west-2')), { artifacts });
    const earlyFn = early.resources.find((r) => r.manifest.kind === 'Function' && r.region === 'us-west-2')!.manifest;
    expect(fp(earlyFn).environment.variables).not.toHaveProperty(SERVICE_ENV.dbEndpoint);

    // Outside the VPC the database is out of reach: no endpoint (policy's service.database-unreachable says how to fix it).
    const outside = { ...xr, spec: { ...spec(xr), service: { ...spec(xr).service, vpc: false } } };
    const o = composeLive(outside, observedView(running('us-west-2')), { artifacts });
    const oFn = o.resources.find((r) => r.manifest.kind === 'Function' && r.region === 'us-west-2')!.manifest;
    expect(fp(oFn).environment.variables).not.toHaveProperty(SERVICE_ENV.dbEndpoint);
  });

  it('grants the execution role only its tables, their keys through DynamoDB, and its own log stream, once the account is observed', () => {
    expect(keysOf(composeLive(svcXr, observedView({})))).not.toContain('service-policy-us-west-2');
    const out = composeLive(svcXr, observedView(running('us-west-2')), { artifacts });
    const policy = policyOf(byKey(out, 'service-policy-us-west-2'));
    expect(policy.Statement).toEqual([
      {
        Sid: 'ReadWriteTables',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: [`arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/payments-transactions-prod-${ID}`],
      },
      {
        Sid: 'TableKeysThroughDynamoDB',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: [`arn:aws:kms:us-west-2:${ACCOUNT}:key/*`],
        Condition: {
          StringEquals: { 'kms:ViaService': 'dynamodb.us-west-2.amazonaws.com' },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [`alias/payments-table-transactions-prod-usw2-${ID}`] },
        },
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/lambda/payments-service-prod-usw2-${ID}:*`],
      },
    ]);
    const role = byKey(out, 'service-role-us-west-2');
    expect(JSON.parse(fp(role).assumeRolePolicy).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
  });

  it('grants only the first table (the one the service uses: DRPLANE_TABLE_NAME) when the claim has several (audit-21-close L6)', () => {
    const two = { ...svcXr, spec: { ...spec(svcXr), tables: ['transactions', 'ledger'] } };
    const out = composeLive(two, observedView(running('us-west-2')), { artifacts });
    const fn = out.resources.find((r) => r.manifest.kind === 'Function' && r.region === 'us-west-2')!.manifest;
    expect(fp(fn).environment.variables[SERVICE_ENV.tableName]).toBe(`payments-transactions-prod-${ID}`);
    const statements = policyOf(byKey(out, 'service-policy-us-west-2')).Statement;
    expect(statements.find((st) => st.Sid === 'ReadWriteTables')?.Resource).toEqual([
      `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/payments-transactions-prod-${ID}`,
    ]);
    expect(statements.find((st) => st.Sid === 'TableKeysThroughDynamoDB')?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'dynamodb.us-west-2.amazonaws.com' },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [`alias/payments-table-transactions-prod-usw2-${ID}`] },
    });
    expect(JSON.stringify(statements)).not.toContain('ledger');
  });

  it('keeps its logs in /aws/lambda/<function> for the claimed retention', () => {
    for (const region of regions) {
      const [group] = of('Group', region);
      expect(externalName(group!)).toBe(`/aws/lambda/${externalName(of('Function', region)[0]!)}`);
      expect(fp(group!).retentionInDays).toBe(30);
    }
  });

  it('attaches to the private subnets and the service security group with the VPC access policy, and not when vpc is false', () => {
    for (const region of regions) {
      const vpc = fp(of('Function', region)[0]!).vpcConfig;
      expect(vpc.subnetIdSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'private-subnet',
        'drplane.io/region': region,
      });
      expect(vpc.securityGroupIdSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'sg-service',
        'drplane.io/region': region,
      });
      expect(fp(of('RolePolicyAttachment', region)[0]!).policyArn).toBe(
        'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      );
    }
    const outside = managed(plan({ ...FULL_SPEC, service: { ...FULL_SPEC.service, vpc: false } }));
    expect(outside.filter((m) => m.kind === 'Function' && fp(m).vpcConfig !== undefined)).toEqual([]);
    expect(
      outside.filter((m) => m.kind === 'RolePolicyAttachment' && fp(m).policyArn.endsWith('AWSLambdaVPCAccessExecutionRole')),
    ).toEqual([]);
  });

  it('gives every Function URL both permissions with distinct statement ids (seed 002), to the account for AWS_IAM', () => {
    for (const region of regions) {
      expect(fp(of('FunctionURL', region)[0]!).authorizationType).toBe('AWS_IAM');
      const perms = of('Permission', region).filter(
        (p) => fp(p).action !== 'lambda:InvokeFunction' || fp(p).invokedViaFunctionUrl,
      );
      expect(perms.map((p) => fp(p).action).sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
      expect(new Set(perms.map((p) => fp(p).statementId)).size).toBe(2);
      expect(perms.find((p) => fp(p).action === 'lambda:InvokeFunctionUrl')!.spec).toMatchObject({
        forProvider: { functionUrlAuthType: 'AWS_IAM' },
      });
    }
    const out = composeLive(svcXr, observedView(running('eu-west-1')), { artifacts });
    expect(fp(byKey(out, 'service-url-permission-eu-west-1')).principal).toBe(ACCOUNT);
    expect(fp(byKey(out, 'service-url-invoke-permission-eu-west-1'))).toMatchObject({
      principal: ACCOUNT,
      invokedViaFunctionUrl: true,
    });
  });

  it('makes a NONE Function URL public by both permissions at once', () => {
    const xr = nestedOf(
      { ...TWO_REGION_SPEC, routing: undefined, service: { ...TWO_REGION_SPEC.service, authType: 'NONE' } },
      'XRegionalService',
    );
    const out = composeLive(xr, liveView({}));
    expect(fp(byKey(out, 'service-url-permission-us-east-1'))).toMatchObject({
      action: 'lambda:InvokeFunctionUrl',
      principal: '*',
      functionUrlAuthType: 'NONE',
    });
    expect(fp(byKey(out, 'service-url-invoke-permission-us-east-1'))).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: '*',
      invokedViaFunctionUrl: true,
    });
  });

  it('fronts an AWS_IAM service with an HTTP API when routing health-checks it: GET /health public, everything else signed', () => {
    for (const region of regions) {
      expect(fp(of('API', region)[0]!)).toMatchObject({ protocolType: 'HTTP' });
      expect(fp(of('Integration', region)[0]!)).toMatchObject({
        integrationType: 'AWS_PROXY',
        payloadFormatVersion: '2.0',
        integrationMethod: 'POST',
      });
      expect(fp(of('Integration', region)[0]!).integrationUriSelector.matchLabels['drplane.io/component']).toBe(
        'service-function',
      );
      const routes = of('Route', region).map((r) => [fp(r).routeKey, fp(r).authorizationType]);
      expect(routes).toEqual([
        ['GET /health', 'NONE'],
        ['ANY /{proxy+}', 'AWS_IAM'],
      ]);
      const [stage] = of('Stage', region);
      expect(externalName(stage!)).toBe('$default');
      expect(fp(stage!).autoDeploy).toBe(true);
    }
    const noRouting = managed(plan({ ...FULL_SPEC, routing: undefined, failover: undefined }));
    expect(noRouting.filter((m) => m.kind === 'API')).toEqual([]);
    const asked = managed(
      plan({ ...FULL_SPEC, routing: undefined, failover: undefined, service: { ...FULL_SPEC.service, httpApi: true } }),
    );
    expect(asked.filter((m) => m.kind === 'API')).toHaveLength(3);
  });

  it('lets API Gateway invoke the function only from its own API, once the execution ARN is observed', () => {
    const executionArn = `arn:aws:execute-api:us-east-1:${ACCOUNT}:abc123`;
    expect(keysOf(composeLive(svcXr, observedView({}), { artifacts }))).not.toContain('service-api-permission-us-east-1');
    const out = composeLive(svcXr, observedView({ 'service-api-us-east-1': { ready: true, atProvider: { executionArn } } }), {
      artifacts,
    });
    expect(fp(byKey(out, 'service-api-permission-us-east-1'))).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${executionArn}/*/*`,
    });
  });

  it('reports the service host of every region from its HTTP API (or Function URL)', () => {
    const out = composeLive(
      svcXr,
      observedView({
        'service-api-us-east-1': {
          ready: true,
          atProvider: { apiEndpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com' },
        },
      }),
      { artifacts },
    );
    expect((out.status.regions as any)['us-east-1']).toMatchObject({
      endpoint: 'abc123.execute-api.us-east-1.amazonaws.com',
      url: 'https://abc123.execute-api.us-east-1.amazonaws.com/',
    });
    const urlOnly = nestedOf({ ...TWO_REGION_SPEC, routing: undefined, failover: undefined }, 'XRegionalService');
    const viaUrl = composeLive(
      urlOnly,
      observedView({ 'service-url-us-west-2': { atProvider: { functionUrl: 'https://xyz.lambda-url.us-west-2.on.aws/' } } }),
    );
    expect((viaUrl.status.regions as any)['us-west-2'].endpoint).toBe('xyz.lambda-url.us-west-2.on.aws');
    expect(spec(urlOnly).routing).toBe(false);
  });

  it('says nothing of its own when the estate has no table (policy service.no-table does, on the estate)', () => {
    const { tables: _t, ...noTables } = TWO_REGION_SPEC;
    const today = { today: new Date('2026-11-23T00:00:00Z') };
    const own = composeLive(nestedOf(noTables, 'XRegionalService'), liveView({}), today).events;
    expect(own.filter((e) => e.message.includes(SERVICE_ENV.tableName))).toEqual([]);
    const estate = composeLive(compositeOf(claim(noTables)), liveView({}), today);
    expect(estate.events.filter((e) => e.message.includes(SERVICE_ENV.tableName)).map((e) => e.severity)).toEqual(['Warning']);
  });
});

describe('XRegionalService on a runtime AWS has deprecated', () => {
  const retiredSpec = { ...FULL_SPEC, service: { ...FULL_SPEC.service, runtime: 'nodejs20.x' } };
  const retired = nestedOf(retiredSpec, 'XRegionalService');
  const estate = compositeOf(claim(retiredSpec));
  const warnings = (out: ReturnType<typeof composeLive>) => out.events.filter((e) => e.message.includes('spec.service.runtime'));
  const on = (day: string) => ({ today: new Date(`${day}T00:00:00Z`) });

  it('keeps composing (estates created with it keep reconciling); the estate raises the policy error as a Warning with the dates and the fix', () => {
    const out = composeLive(retired, liveView({}), on('2026-11-23'));
    expect(out.resources.length).toBe(composeLive(svcXr, liveView({})).resources.length);
    expect(warnings(out)).toEqual([]);
    const [problem] = validateClaim(claim(retiredSpec), on('2026-11-23')).problems.filter(
      (p) => p.ruleId === 'service.runtime-support',
    );
    expect(problem!.message).toContain('nodejs20.x was deprecated by AWS Lambda on 2026-04-30');
    expect(problem!.message).toContain('AWS refuses to create functions on it from 2027-02-01');
    expect(warnings(composeLive(estate, liveView({}), on('2026-11-23')))).toEqual([
      {
        severity: 'Warning',
        message: `spec.service.runtime: ${problem!.message} (service.runtime-support, an error: drctl validate refuses this claim)`,
      },
    ]);
  });

  it('warns ahead of the deprecation day, says nothing for a current runtime or without a clock (a plan)', () => {
    expect(warnings(composeLive(estate, liveView({}), on('2026-04-29'))).map((e) => e.message)).toEqual([
      expect.stringMatching(/deprecates nodejs20\.x on 2026-04-30 \(in 1 days\).*\(service\.runtime-support\)$/),
    ]);
    const current = { ...FULL_SPEC, service: { ...FULL_SPEC.service, runtime: 'nodejs24.x' } };
    expect(warnings(composeLive(compositeOf(claim(current)), liveView({}), on('2026-11-23')))).toEqual([]);
    expect(warnings(composeLive(estate, liveView({})))).toEqual([]);
  });
});
