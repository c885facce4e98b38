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
import { compositeOf } from '../../src/compose/plan.js';
import { FULL_SPEC, claim, nestedOf } from '../compose/helpers.js';

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

describe('the function refuses to drop a data store the claim did not remove', () => {
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

  // Found by the fault tier's "faulty build shipped with a spec change": the guard compared generations only, so a
  // faulty build deployed together with any change of the spec (a failover) deleted the table.
  it('the same drop with a changed spec that still declares the table (a faulty build shipped with a spec change): refused', () => {
    const observed = observedAfter(table('production', 7));
    const changed = table('production', 8);
    (changed.spec as any).activeRegion = 'us-west-2';
    const rsp = runFunction(request(changed, observed), {}, dropping('Table'));
    const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal.map((r) => r.message)).toEqual([
      expect.stringMatching(/although the spec \(generation 8\) still declares them: Table \S+ \(table-transactions\)\./),
    ]);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('a region removed from the spec: its data stores go, the others are kept (the claim removed them)', () => {
    const observed = observedAfter(table('production', 7));
    const fewer = table('production', 8);
    (fewer.spec as any).regions = { primary: 'us-east-1', secondaries: ['us-west-2'] };
    const rsp = runFunction(request(fewer, observed));
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    const keys = Object.keys(rsp.desired!.resources);
    expect(keys).not.toContain('kms-table-transactions-eu-west-1');
    expect(keys).toContain('kms-table-transactions-us-west-2');
    // A faulty build that also drops a region the spec keeps is still refused, naming only that one.
    const faulty: Composer = (...args) => {
      const result = composeComposite(...args);
      return { ...result, resources: result.resources.filter((d) => d.key !== 'kms-table-transactions-us-west-2') };
    };
    const refused = runFunction(request(fewer, observed), {}, faulty);
    const fatal = refused.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toContain('(kms-table-transactions-us-west-2)');
    expect(fatal[0]).not.toContain('eu-west-1');
  });

  // Found by the fault tier: the test profile was not guarded, so a faulty build deleted a test estate's table (and
  // its data) although the claim still had it.
  it('guards the test profile as well: its data stores are deleted with the claim, not by a faulty build', () => {
    const observed = observedAfter(table('test', 7));
    expect(
      Object.values(observed)
        .filter((o: any) => o.metadata?.annotations?.[COMPOSED_AT_GENERATION] === '7')
        .map((o: any) => o.kind)
        .sort(),
    ).toEqual(['Key', 'Key', 'Key', 'Table']);
    const rsp = runFunction(request(table('test', 7), observed), {}, dropping('Table'));
    const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal.map((r) => r.message)).toEqual([
      expect.stringMatching(/drops 1 test data store .*: Table \S+ \(table-transactions\)\./),
    ]);
  });

  it('the estate: a nested data composite the spec still lists is kept; one the claim removed goes', () => {
    const estate = (generation: number, spec: object) =>
      ({ ...compositeOf(claim(spec)), metadata: { name: 'payments-x', generation } }) as Manifest;
    const observed = observedAfter(estate(3, FULL_SPEC));
    const keys = Object.keys(observed);
    expect(keys).toEqual(expect.arrayContaining(['database', 'backup', 'table-transactions', 'bucket-documents']));
    // A faulty build that drops the XGlobalTable with a failover in the same change: refused.
    const moved = estate(4, { ...FULL_SPEC, activeRegion: 'us-west-2' });
    const refused = runFunction(request(moved, observed), {}, dropping('XGlobalTable'));
    expect(refused.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message)).toEqual([
      expect.stringMatching(/still declares them: XGlobalTable \S+ \(table-transactions\)\./),
    ]);
    // The claim removes the table, the bucket, the database and the backup: all four go.
    const { database: _d, tables: _t, buckets: _b, backup: _k, ...rest } = FULL_SPEC;
    const removed = runFunction(request(estate(5, { ...rest, service: { ...FULL_SPEC.service } }), observed));
    expect(removed.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    for (const k of ['database', 'backup', 'table-transactions', 'bucket-documents'])
      expect(Object.keys(removed.desired!.resources)).not.toContain(k);
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
    const xr = compositeOf(claim({ ...FULL_SPEC, activeRegion: 'eu-central-1' }));
    const rsp = runFunction(request(xr));
    const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal.map((r) => r.message)).toEqual([
      expect.stringMatching(/^invalid XDisasterRecovery: spec\.activeRegion: .* \(regions\.active-is-configured\)$/),
    ]);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });
});
