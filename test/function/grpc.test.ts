import { RunFunctionRequest, Severity, Ready } from '@crossplane-org/function-sdk-typescript';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { externalIdOf } from '../../src/primitives/failover/compose.js';
import { compositeOf } from '../../src/compose/plan.js';
import { lambdaDir, loadLambdaArtifacts } from '../../src/function/artifacts.js';
import { runFunction } from '../../src/function/handler.js';
import { FULL_SPEC, claim, nestedOf } from '../compose/helpers.js';
import { startInProcessFunction, type InProcessFunction } from '../support/function-server.js';

let fn: InProcessFunction;
beforeAll(async () => {
  fn = await startInProcessFunction();
});
afterAll(async () => fn.close());

const request = (composite: unknown, observed: Record<string, unknown> = {}) =>
  RunFunctionRequest.fromJSON({
    observed: {
      composite: { resource: composite },
      resources: Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, { resource: v }])),
    },
  });

describe('RunFunction over gRPC', () => {
  it('composes the nested primitives of an estate and reports status', async () => {
    const rsp = await fn.run(request(compositeOf(claim(FULL_SPEC))));
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    expect(Object.keys(rsp.desired!.resources).sort()).toEqual([
      'backup',
      'bucket-documents',
      'database',
      'failover',
      'monitoring',
      'network',
      'routing',
      'service',
      'table-transactions',
    ]);
    expect(rsp.desired!.resources.network!.resource).toMatchObject({ kind: 'XDRNetwork', spec: { environment: 'prod' } });
    expect(rsp.desired!.composite!.resource).toMatchObject({
      status: { primaryRegion: 'us-east-1', activeRegion: 'us-east-1', resources: 9 },
    });
  });

  it('marks a composed resource Ready only when its observed Ready condition is True', async () => {
    const xr = {
      apiVersion: 'drplane.io/v1alpha1',
      kind: 'XGlobalTable',
      metadata: { name: 't' },
      spec: {
        owner: { name: 'p', namespace: 'n' },
        environment: 'dev',
        regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
        table: { name: 'items', hashKey: { name: 'id' } },
      },
    };
    const rsp = await fn.run(
      request(xr, {
        'table-items': {
          apiVersion: 'dynamodb.aws.upbound.io/v1beta2',
          kind: 'Table',
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
        'kms-table-items-us-east-1': {
          apiVersion: 'kms.aws.upbound.io/v1beta1',
          kind: 'Key',
          status: { conditions: [{ type: 'Ready', status: 'False' }] },
        },
      }),
    );
    expect(rsp.desired!.resources['table-items']!.ready).toBe(Ready.READY_TRUE);
    expect(rsp.desired!.resources['kms-table-items-us-east-1']!.ready).toBe(Ready.READY_FALSE);
    expect(rsp.desired!.resources['kms-table-items-us-west-2']!.ready).toBe(Ready.READY_FALSE);
  });

  it('counts an informational resource (an observed ARC readiness report) as Ready, and publishes the report from its Description with the time it turns stale', async () => {
    const arc = {
      ...FULL_SPEC,
      service: { ...FULL_SPEC.service, authType: 'NONE', httpApi: false },
      routing: { ...FULL_SPEC.routing, control: 'arc', arc: { readiness: true } },
    };
    const xr = nestedOf(arc, 'XFailoverRouting');
    const first = await fn.run(request(xr));
    // Not observed at all: the report gates nothing; a cell (not informational) does.
    expect(first.desired!.resources['readiness-report-us-east-1']!.ready).toBe(Ready.READY_TRUE);
    expect(first.desired!.resources['readiness-cell-us-east-1']!.ready).toBe(Ready.READY_FALSE);
    const cell = (first.desired!.resources['readiness-cell-us-east-1']!.resource as any).metadata.annotations[
      'crossplane.io/external-name'
    ];
    const checkedAt = new Date(Date.now() - 60_000).toISOString();
    const rsp = await fn.run(
      request(xr, {
        'readiness-report-us-east-1': {
          apiVersion: 'ssm.aws.upbound.io/v1beta1',
          kind: 'Parameter',
          // As the provider shows an Observe-only String parameter: the report in its Description, no value.
          status: { atProvider: { description: JSON.stringify({ cell, readiness: 'READY', checkedAt }), type: 'String' } },
        },
      }),
    );
    expect((rsp.desired!.composite!.resource as any).status.regions['us-east-1'].readiness).toEqual({
      state: 'READY',
      checkedAt,
      staleAfter: new Date(Date.parse(checkedAt) + 30 * 60_000).toISOString(),
    });
  });

  it('records the last failover when activeRegion changes', async () => {
    const xr = { ...compositeOf(claim({ ...FULL_SPEC, activeRegion: 'us-west-2' })), status: { activeRegion: 'us-east-1' } };
    const rsp = await fn.run(request(xr));
    expect((rsp.desired!.composite!.resource as any).status.lastFailover).toMatchObject({ from: 'us-east-1', to: 'us-west-2' });
  });

  it('keeps composing an estate on a retired Lambda runtime and warns with the dates (the function passes its clock)', async () => {
    const retiredSpec = { ...FULL_SPEC, service: { ...FULL_SPEC.service, runtime: 'nodejs20.x' } };
    const service = await fn.run(request(nestedOf(retiredSpec, 'XRegionalService')));
    expect(service.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    expect(Object.keys(service.desired!.resources).length).toBeGreaterThan(0);
    // The estate reports the claim's policy problems (service.runtime-support) with their rule ids.
    const rsp = await fn.run(request(compositeOf(claim(retiredSpec))));
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    const warning = rsp.results.find((r) => r.severity === Severity.SEVERITY_WARNING && r.message.includes('nodejs20.x'));
    // The function judges by today's date, which is after the 2026-04-30 deprecation.
    expect(warning?.message).toContain('was deprecated by AWS Lambda on 2026-04-30');
    expect(warning?.message).toContain('(service.runtime-support, an error: drctl validate refuses this claim)');
  });

  it('answers an invalid composite with a Fatal result naming the field', async () => {
    const rsp = await fn.run(
      request({
        apiVersion: 'drplane.io/v1alpha1',
        kind: 'XDisasterRecovery',
        metadata: { name: 'x' },
        spec: { environment: 'Prod!', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] } },
      }),
    );
    const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal?.message).toMatch(/spec\.environment: lowercase letters/);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('never crashes on random or malformed composites: each gets a result, invalid ones a Fatal with a message', async () => {
    const kinds = fc.constantFrom(
      'XDisasterRecovery',
      'XDRNetwork',
      'XGlobalDatabase',
      'XGlobalTable',
      'XReplicatedBucket',
      'XRegionalService',
      'XFailoverRouting',
      'XDRMonitoring',
      'XDRBackup',
      'XFailoverController',
      'XUnknown',
      '',
    );
    await fc.assert(
      fc.asyncProperty(kinds, fc.anything(), async (kind, spec) => {
        const rsp = await fn.run(request({ apiVersion: 'drplane.io/v1alpha1', kind, metadata: { name: 'r' }, spec }));
        const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
        const composed = Object.keys(rsp.desired?.resources ?? {}).length;
        expect(fatal !== undefined || composed > 0).toBe(true);
        if (fatal) expect(fatal.message.length).toBeGreaterThan(10);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('composes valid-looking estates with random regions and sections without a crash', async () => {
    const region = fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2', 'eu-central-1');
    await fc.assert(
      fc.asyncProperty(
        region,
        fc.uniqueArray(region, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.subarray(['service', 'routing', 'monitoring', 'backup', 'failover'] as const),
        async (primary, secondaries, withTable, withBucket, tier) => {
          const sections = {
            service: { functionUrl: true },
            routing: { zoneName: 'example.com', zoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com' },
            monitoring: { alertEmails: ['oncall@example.com'] },
            backup: {},
            failover: { mode: 'automatic' },
          };
          const spec = {
            environment: 'dev',
            regions: { primary, secondaries },
            ...(withTable ? { tables: [{ name: 'items', hashKey: { name: 'id' } }] } : {}),
            ...(withBucket ? { buckets: [{ name: 'docs' }] } : {}),
            ...Object.fromEntries(tier.map((t) => [t, sections[t]])),
          };
          const rsp = await fn.run(
            request({ apiVersion: 'drplane.io/v1alpha1', kind: 'XDisasterRecovery', metadata: { name: 'r' }, spec }),
          );
          expect(rsp.results.length).toBeGreaterThan(0);
          // Every nested composite it asks for composes too, with a first-reconcile (empty) observed state.
          for (const nested of Object.values(rsp.desired?.resources ?? {})) {
            const child = await fn.run(
              request({
                ...(nested.resource as object),
                metadata: { name: 'child', uid: '0b7e1f7a-2c1d-4e55-9a3a-5d2f4f1a9c01' },
              }),
            );
            expect(child.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
          }
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe('the function adapter', () => {
  it('ships the Lambda zips it is given into the code objects', () => {
    const xr = { ...nestedOf(FULL_SPEC, 'XRegionalService'), metadata: { name: 's' } };
    const base64 = Buffer.from('zip').toString('base64');
    const rsp = runFunction(request(xr), { artifacts: { service: { sha256: 'b'.repeat(64), base64 } } });
    const object = rsp.desired!.resources[`service-code-us-east-1-${'b'.repeat(12)}`]!.resource as any;
    expect(object.spec.forProvider).toMatchObject({ contentBase64: base64, key: `lambda/service/${'b'.repeat(64)}.zip` });
  });

  it("writes the orchestrator's external ID as the composite's connection details, derived from its uid", () => {
    const xr = {
      ...nestedOf(FULL_SPEC, 'XFailoverController'),
      metadata: { name: 'f', uid: 'a3c1e0b4-5d7f-4c2b-9e1a-0f6d8b2c4e71' },
    };
    const rsp = runFunction(request(xr));
    const details = rsp.desired!.composite!.connectionDetails;
    expect(Buffer.from(details.externalId!).toString('utf8')).toBe(externalIdOf('a3c1e0b4-5d7f-4c2b-9e1a-0f6d8b2c4e71'));
    const noUid = runFunction(request({ ...xr, metadata: { name: 'f' } }));
    expect(noUid.desired!.composite!.connectionDetails ?? {}).toEqual({});
  });

  it('loads dist/lambda zips with their SHA-256, and notes the missing and the stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drplane-zips-'));
    try {
      writeFileSync(join(dir, 'service.zip'), 'bytes');
      const { artifacts, notes } = loadLambdaArtifacts(dir);
      expect(artifacts.service).toEqual({
        sha256: createHash('sha256').update('bytes').digest('hex'),
        base64: Buffer.from('bytes').toString('base64'),
      });
      expect(artifacts.failover).toBeUndefined();
      expect(notes.some((n) => n.includes('failover.zip is missing'))).toBe(true);
      expect(notes.some((n) => n.includes('service.zip has sha256'))).toBe(true);
      expect(lambdaDir({ DRPLANE_LAMBDA_DIR: dir })).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
