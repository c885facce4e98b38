/**
 * The function refuses a desired state that silently drops a production data store (src/compose/drop-guard.ts): the
 * fault tier's "faulty build that drops a kind" (test/e2e/faults), as a unit test.
 */
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { COMPOSED_AT_GENERATION } from '../../src/compose/drop-guard.js';
import { composeComposite } from '../../src/compose/index.js';
import type { Manifest } from '../../src/compose/types.js';
import { runFunction, type Composer } from '../../src/function/handler.js';
import { FULL_SPEC, nestedOf } from '../compose/helpers.js';

const request = (composite: unknown, observed: Record<string, unknown> = {}) =>
  RunFunctionRequest.fromJSON({
    observed: {
      composite: { resource: composite },
      resources: Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, { resource: v }])),
    },
  });

/** A faulty build: composes as src/compose does, then forgets every resource of `kind`. */
const dropping =
  (kind: string): Composer =>
  (...args) => {
    const result = composeComposite(...args);
    return { ...result, resources: result.resources.filter((d) => d.manifest.kind !== kind) };
  };

const table = (profile: 'production' | 'test', generation: number) => {
  const xr = nestedOf({ ...FULL_SPEC, profile }, 'XGlobalTable');
  return { ...xr, metadata: { name: 'orders', generation }, spec: { ...(xr.spec as object), profile } } as Manifest;
};

/** What the cluster holds after a good build composed `xr`: its desired resources as observed objects. */
function observedAfter(xr: Manifest): Record<string, unknown> {
  const rsp = runFunction(request(xr));
  expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
  return Object.fromEntries(Object.entries(rsp.desired!.resources).map(([k, r]) => [k, r.resource]));
}

describe('the function refuses to drop a production data store the spec still has', () => {
  it('stamps every production data store with the generation it was composed at', () => {
    const observed = observedAfter(table('production', 7));
    const stamped = Object.values(observed).filter((o: any) => o.metadata?.annotations?.[COMPOSED_AT_GENERATION] === '7');
    expect([...new Set(stamped.map((o: any) => o.kind))].sort()).toEqual(['Key', 'Table']);
    expect(stamped.every((o: any) => o.spec.deletionPolicy === 'Orphan')).toBe(true);
  });

  it('a faulty build that drops the table: Fatal, naming the table, nothing desired', () => {
    const xr = table('production', 7);
    const observed = observedAfter(xr);
    const rsp = runFunction(request(xr, observed), {}, dropping('Table'));
    const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.message).toMatch(
      /^refusing to compose XGlobalTable orders: the desired state drops 1 production data store .*\(generation 7\): Table \S+ \(table-\w+\)\./,
    );
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('the same drop with a changed spec (a new generation) goes through: the claim removed it', () => {
    const observed = observedAfter(table('production', 7));
    const rsp = runFunction(request(table('production', 8), observed), {}, dropping('Table'));
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    expect(Object.keys(rsp.desired!.resources)).not.toContain('table-orders');
  });

  it('does not guard the test profile, whose data stores are deleted with the claim anyway', () => {
    const observed = observedAfter(table('test', 7));
    const rsp = runFunction(request(table('test', 7), observed), {}, dropping('Table'));
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
  });

  it('a plan or render (no generation) is composed as it is, unstamped', () => {
    const xr = table('production', 7);
    const { metadata: _m, ...rest } = xr;
    const rsp = runFunction(request({ ...rest, metadata: { name: 'orders' } }));
    const annotated = Object.values(rsp.desired!.resources).filter(
      (r) => (r.resource as any)?.metadata?.annotations?.[COMPOSED_AT_GENERATION] !== undefined,
    );
    expect(annotated).toEqual([]);
  });
});

describe('the function refuses a spec that got past the API server without its cross-field rules', () => {
  it('an activeRegion outside the estate: Fatal naming the rule, nothing composed', async () => {
    const { compositeOf } = await import('../../src/compose/plan.js');
    const { claim } = await import('../compose/helpers.js');
    const xr = compositeOf(claim({ ...FULL_SPEC, activeRegion: 'eu-central-1' }));
    const rsp = runFunction(request(xr));
    const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal.map((r) => r.message)).toEqual([
      expect.stringMatching(/^invalid XDisasterRecovery: spec\.activeRegion: .* \(regions\.active-is-configured\)$/),
    ]);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });
});
