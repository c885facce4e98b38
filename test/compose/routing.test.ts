import { describe, expect, it } from 'vitest';
import { liveView } from '../../src/compose/observed.js';
import type { Manifest } from '../../src/compose/types.js';
import { FULL_SPEC, TWO_REGION_SPEC, byKey, composeLive, fp, keysOf, labels, managed, nestedOf, plan, spec } from './helpers.js';

const hosts = {
  'us-east-1': 'a1.execute-api.us-east-1.amazonaws.com',
  'us-west-2': 'b2.execute-api.us-west-2.amazonaws.com',
  'eu-west-1': 'c3.execute-api.eu-west-1.amazonaws.com',
};
const writers = {
  'us-east-1': 'w1.cluster-x.us-east-1.rds.amazonaws.com',
  'us-west-2': 'w2.cluster-x.us-west-2.rds.amazonaws.com',
};
const readers = {
  'us-east-1': 'r1.cluster-ro-x.us-east-1.rds.amazonaws.com',
  'us-west-2': 'r2.cluster-ro-x.us-west-2.rds.amazonaws.com',
};

/** The routing composite of an estate, with the values the estate passes once other primitives report them. */
function routing(estate: object, known = true): Manifest {
  const xr = nestedOf(estate, 'XFailoverRouting');
  if (!known)
    return { ...xr, spec: { ...spec(xr), serviceEndpoints: {}, databaseWriterEndpoints: {}, databaseReaderEndpoints: {} } };
  return {
    ...xr,
    spec: { ...spec(xr), serviceEndpoints: hosts, databaseWriterEndpoints: writers, databaseReaderEndpoints: readers },
  };
}
const records = (out: { resources: { manifest: Manifest }[] }) =>
  out.resources.map((r) => r.manifest).filter((m) => m.kind === 'Record');

describe('XFailoverRouting', () => {
  it('health-checks the service host of every region: HTTPS 443 with SNI, the claimed path, interval and threshold, no region field', () => {
    const out = composeLive(routing(TWO_REGION_SPEC), liveView({}));
    for (const region of ['us-east-1', 'us-west-2'] as const) {
      const hc = byKey(out, `health-check-${region}`);
      expect(fp(hc)).toMatchObject({
        type: 'HTTPS',
        port: 443,
        enableSni: true,
        fqdn: hosts[region],
        resourcePath: '/health',
        requestInterval: 30,
        failureThreshold: 3,
      });
      expect(fp(hc).region).toBeUndefined();
    }
  });

  it('waits for the service hosts: no health check or record before they are known', () => {
    const out = composeLive(routing(TWO_REGION_SPEC, false), liveView({}));
    expect(out.resources).toEqual([]);
  });

  it('routes failover by default for two regions: PRIMARY to the active region, SECONDARY to the standby, each with its health check', () => {
    const out = composeLive(routing(TWO_REGION_SPEC), liveView({}));
    const primary = fp(byKey(out, 'record-primary'));
    const secondary = fp(byKey(out, 'record-secondary'));
    expect(primary).toMatchObject({
      zoneId: 'Z0123456789ABCDEFGHIJ',
      name: 'api.example.com',
      type: 'CNAME',
      ttl: 30,
      setIdentifier: 'primary',
      failoverRoutingPolicy: { type: 'PRIMARY' },
      records: [hosts['us-east-1']],
    });
    expect(secondary).toMatchObject({
      setIdentifier: 'secondary',
      failoverRoutingPolicy: { type: 'SECONDARY' },
      records: [hosts['us-west-2']],
    });
    expect(primary.healthCheckIdSelector).toMatchObject({
      matchControllerRef: true,
      matchLabels: { 'drplane.io/component': 'health-check', 'drplane.io/region': 'us-east-1' },
      policy: { resolve: 'Always' },
    });
    expect(secondary.healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
  });

  it('moves traffic in place when activeRegion changes in git: same keys and set identifiers, new values', () => {
    const before = composeLive(routing(TWO_REGION_SPEC), liveView({}));
    const after = composeLive(routing({ ...TWO_REGION_SPEC, activeRegion: 'us-west-2' }), liveView({}));
    expect(keysOf(after)).toEqual(keysOf(before));
    expect(fp(byKey(after, 'record-primary'))).toMatchObject({ setIdentifier: 'primary', records: [hosts['us-west-2']] });
    expect(fp(byKey(after, 'record-primary')).healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
    expect(fp(byKey(after, 'record-secondary'))).toMatchObject({ setIdentifier: 'secondary', records: [hosts['us-east-1']] });
    // The database names follow the active region too.
    expect(fp(byKey(after, 'record-db-writer')).records).toEqual([writers['us-west-2']]);
  });

  it('routes by latency by default for three regions, one health-checked record per region', () => {
    const out = composeLive(routing(FULL_SPEC), liveView({}));
    const service = records(out).filter((r) => fp(r).latencyRoutingPolicy);
    expect(
      service.map((r) => [
        fp(r).setIdentifier,
        fp(r).latencyRoutingPolicy.region,
        fp(r).records[0],
        fp(r).healthCheckIdSelector.matchLabels['drplane.io/region'],
      ]),
    ).toEqual(Object.entries(hosts).map(([region, host]) => [region, region, host, region]));
    expect(records(out).some((r) => fp(r).failoverRoutingPolicy)).toBe(false);
    const failover = composeLive(routing({ ...FULL_SPEC, routing: { ...FULL_SPEC.routing, policy: 'failover' } }), liveView({}));
    expect(records(failover).filter((r) => fp(r).failoverRoutingPolicy)).toHaveLength(2);
  });

  it('points writer.<record> and reader.<record> at the active region Aurora endpoints', () => {
    const out = composeLive(routing(TWO_REGION_SPEC), liveView({}));
    expect(fp(byKey(out, 'record-db-writer'))).toMatchObject({
      name: 'writer.api.example.com',
      type: 'CNAME',
      records: [writers['us-east-1']],
    });
    expect(fp(byKey(out, 'record-db-reader'))).toMatchObject({
      name: 'reader.api.example.com',
      type: 'CNAME',
      records: [readers['us-east-1']],
    });
  });

  it('after an automatic failover (writer observed in us-west-2, activeRegion still us-east-1) every name resolves to the new writer and stays there', () => {
    const xr = routing(TWO_REGION_SPEC);
    const failedOver = { ...xr, spec: { ...spec(xr), databaseWriterRegion: 'us-west-2' } };
    const out = composeLive(failedOver, liveView({}));
    expect(spec(failedOver).activeRegion ?? 'us-east-1').toBe('us-east-1');
    // What the orchestrator swapped is what Crossplane keeps: PRIMARY on the writer, SECONDARY on the old primary.
    expect(fp(byKey(out, 'record-primary'))).toMatchObject({ setIdentifier: 'primary', records: [hosts['us-west-2']] });
    expect(fp(byKey(out, 'record-primary')).healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
    expect(fp(byKey(out, 'record-secondary'))).toMatchObject({ setIdentifier: 'secondary', records: [hosts['us-east-1']] });
    expect(fp(byKey(out, 'record-db-writer')).records).toEqual([writers['us-west-2']]);
    expect(fp(byKey(out, 'record-db-reader')).records).toEqual([readers['us-west-2']]);
    // The next reconcile composes the same: the names stay on the writer.
    expect(composeLive(failedOver, liveView({})).resources).toEqual(out.resources);
    // A writer region outside the estate is not followed.
    const foreign = composeLive({ ...xr, spec: { ...spec(xr), databaseWriterRegion: 'ap-south-1' } }, liveView({}));
    expect(fp(byKey(foreign, 'record-db-writer')).records).toEqual([writers['us-east-1']]);
  });

  it('during a GitOps switchover (activeRegion us-west-2, writer still us-east-1) the names wait for the writer to move', () => {
    const xr = routing({ ...TWO_REGION_SPEC, activeRegion: 'us-west-2' });
    const out = composeLive({ ...xr, spec: { ...spec(xr), databaseWriterRegion: 'us-east-1' } }, liveView({}));
    expect(fp(byKey(out, 'record-db-writer')).records).toEqual([writers['us-east-1']]);
    expect(fp(byKey(out, 'record-primary')).records).toEqual([hosts['us-east-1']]);
  });

  it('never creates a hosted zone, and writes records only into the claimed zone (seed 002)', () => {
    const resources = managed(plan(FULL_SPEC));
    expect(resources.filter((m) => m.kind === 'Zone')).toEqual([]);
    for (const r of resources.filter((m) => m.kind === 'Record')) expect(fp(r).zoneId).toBe('Z0123456789ABCDEFGHIJ');
  });

  it('composes no CNAME at the zone apex (policy rule routing.zone-apex says why: test/compose/policy-events.test.ts)', () => {
    const apex = composeLive(
      routing({ ...TWO_REGION_SPEC, routing: { ...TWO_REGION_SPEC.routing, recordName: 'example.com' } }),
      liveView({}),
    );
    expect(records(apex).filter((r) => fp(r).setIdentifier)).toEqual([]);
    expect(records(apex).filter((r) => fp(r).name === 'example.com')).toEqual([]);
  });

  it('reports the observed health check ids', () => {
    const out = composeLive(
      routing(TWO_REGION_SPEC),
      liveView({ 'health-check-us-west-2': { apiVersion: 'x', kind: 'HealthCheck', status: { atProvider: { id: 'hc-2' } } } }),
    );
    expect((out.status.regions as any)['us-west-2']).toEqual({ ready: false, healthCheckId: 'hc-2' });
    expect(labels(byKey(out, 'health-check-us-west-2'))['drplane.io/region']).toBe('us-west-2');
  });
});
