import { RunFunctionRequest, Severity, Ready } from '@crossplane-org/function-sdk-typescript';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compositeOf } from '../../src/compose/plan.js';
import { FULL_SPEC, claim } from '../compose/helpers.js';
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
    expect(Object.keys(rsp.desired!.resources).sort()).toEqual(['bucket-documents', 'database', 'network', 'table-transactions']);
    expect(rsp.desired!.resources.network!.resource).toMatchObject({ kind: 'XDRNetwork', spec: { environment: 'prod' } });
    expect(rsp.desired!.composite!.resource).toMatchObject({ status: { primaryRegion: 'us-east-1', activeRegion: 'us-east-1', resources: 4 } });
  });

  it('marks a composed resource Ready only when its observed Ready condition is True', async () => {
    const xr = { apiVersion: 'drplane.io/v1alpha1', kind: 'XGlobalTable', metadata: { name: 't' }, spec: { owner: { name: 'p', namespace: 'n' }, environment: 'dev', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] }, table: { name: 'items', hashKey: { name: 'id' } } } };
    const rsp = await fn.run(request(xr, { 'table-items': { apiVersion: 'dynamodb.aws.upbound.io/v1beta2', kind: 'Table', status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'kms-table-items-us-east-1': { apiVersion: 'kms.aws.upbound.io/v1beta1', kind: 'Key', status: { conditions: [{ type: 'Ready', status: 'False' }] } } }));
    expect(rsp.desired!.resources['table-items']!.ready).toBe(Ready.READY_TRUE);
    expect(rsp.desired!.resources['kms-table-items-us-east-1']!.ready).toBe(Ready.READY_FALSE);
    expect(rsp.desired!.resources['kms-table-items-us-west-2']!.ready).toBe(Ready.READY_FALSE);
  });

  it('records the last failover when activeRegion changes', async () => {
    const xr = { ...compositeOf(claim({ ...FULL_SPEC, activeRegion: 'us-west-2' })), status: { activeRegion: 'us-east-1' } };
    const rsp = await fn.run(request(xr));
    expect((rsp.desired!.composite!.resource as any).status.lastFailover).toMatchObject({ from: 'us-east-1', to: 'us-west-2' });
  });

  it('answers an invalid composite with a Fatal result naming the field', async () => {
    const rsp = await fn.run(request({ apiVersion: 'drplane.io/v1alpha1', kind: 'XDisasterRecovery', metadata: { name: 'x' }, spec: { environment: 'Prod!', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] } } }));
    const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal?.message).toMatch(/spec\.environment: lowercase letters/);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('never crashes on random or malformed composites: each gets a result, invalid ones a Fatal with a message', async () => {
    const kinds = fc.constantFrom('XDisasterRecovery', 'XDRNetwork', 'XGlobalDatabase', 'XGlobalTable', 'XReplicatedBucket', 'XUnknown', '');
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
      fc.asyncProperty(region, fc.uniqueArray(region, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), async (primary, secondaries, withTable, withBucket) => {
        const spec = { environment: 'dev', regions: { primary, secondaries }, ...(withTable ? { tables: [{ name: 'items', hashKey: { name: 'id' } }] } : {}), ...(withBucket ? { buckets: [{ name: 'docs' }] } : {}) };
        const rsp = await fn.run(request({ apiVersion: 'drplane.io/v1alpha1', kind: 'XDisasterRecovery', metadata: { name: 'r' }, spec }));
        expect(rsp.results.length).toBeGreaterThan(0);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
