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

/** Estates whose service has no HTTP API (httpApi false, a public Function URL): the service records are CNAMEs. */
const CNAME_TWO = { ...TWO_REGION_SPEC, service: { ...TWO_REGION_SPEC.service, authType: 'NONE', httpApi: false } } as const;
const CNAME_FULL = { ...FULL_SPEC, service: { ...FULL_SPEC.service, authType: 'NONE', httpApi: false } } as const;

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

describe('XFailoverRouting without an HTTP API: CNAMEs to the Function URL hosts', () => {
  it('health-checks the service host of every region: HTTPS 443 with SNI, the claimed path, interval and threshold, no region field', () => {
    const out = composeLive(routing(CNAME_TWO), liveView({}));
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
    const out = composeLive(routing(CNAME_TWO, false), liveView({}));
    expect(out.resources).toEqual([]);
  });

  it('routes failover by default for two regions: PRIMARY to the active region, SECONDARY to the standby, each with its health check', () => {
    const out = composeLive(routing(CNAME_TWO), liveView({}));
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
    const before = composeLive(routing(CNAME_TWO), liveView({}));
    const after = composeLive(routing({ ...CNAME_TWO, activeRegion: 'us-west-2' }), liveView({}));
    expect(keysOf(after)).toEqual(keysOf(before));
    expect(fp(byKey(after, 'record-primary'))).toMatchObject({ setIdentifier: 'primary', records: [hosts['us-west-2']] });
    expect(fp(byKey(after, 'record-primary')).healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
    expect(fp(byKey(after, 'record-secondary'))).toMatchObject({ setIdentifier: 'secondary', records: [hosts['us-east-1']] });
    // The database names follow the active region too.
    expect(fp(byKey(after, 'record-db-writer')).records).toEqual([writers['us-west-2']]);
  });

  it('routes by latency by default for three regions, one health-checked record per region', () => {
    const out = composeLive(routing(CNAME_FULL), liveView({}));
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
    const failover = composeLive(
      routing({ ...CNAME_FULL, routing: { ...CNAME_FULL.routing, policy: 'failover' } }),
      liveView({}),
    );
    expect(records(failover).filter((r) => fp(r).failoverRoutingPolicy)).toHaveLength(2);
  });

  it('points writer.<record> and reader.<record> at the active region Aurora endpoints', () => {
    const out = composeLive(routing(CNAME_TWO), liveView({}));
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
    const xr = routing(CNAME_TWO);
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
    const xr = routing({ ...CNAME_TWO, activeRegion: 'us-west-2' });
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
      routing({ ...CNAME_TWO, routing: { ...CNAME_TWO.routing, recordName: 'example.com' } }),
      liveView({}),
    );
    expect(records(apex).filter((r) => fp(r).setIdentifier)).toEqual([]);
    expect(records(apex).filter((r) => fp(r).name === 'example.com')).toEqual([]);
  });

  it('reports the observed health check ids', () => {
    const out = composeLive(
      routing(CNAME_TWO),
      liveView({ 'health-check-us-west-2': { apiVersion: 'x', kind: 'HealthCheck', status: { atProvider: { id: 'hc-2' } } } }),
    );
    expect((out.status.regions as any)['us-west-2']).toEqual({ ready: false, healthCheckId: 'hc-2' });
    expect(labels(byKey(out, 'health-check-us-west-2'))['drplane.io/region']).toBe('us-west-2');
  });
});

/** What AWS reports for the public-name resources of each region, as far as `stage` goes. */
function observedPublicName(
  regions: readonly string[],
  record: string,
  stage: 'requested' | 'issued' | 'domains' | 'records',
  ready: readonly string[] = [],
): Record<string, Manifest> {
  const objects: Record<string, Manifest> = {};
  const obj = (atProvider: object, isReady = false): Manifest => ({
    apiVersion: 'x/v1',
    kind: 'X',
    status: { atProvider, conditions: isReady ? [{ type: 'Ready', status: 'True' }] : [] },
  });
  for (const r of regions) {
    const option = (domain: string, id: string) => ({
      domainName: domain,
      resourceRecordName: `_${id}.${domain}.`,
      resourceRecordType: 'CNAME',
      resourceRecordValue: `_${id}v.acm-validations.aws.`,
    });
    objects[`certificate-${r}`] = obj({
      arn: `arn:aws:acm:${r}:111122223333:certificate/${r}`,
      domainValidationOptions: [option(`${r}.${record}`, `r${r.length}`), option(record, 'shared')],
    });
    if (stage === 'requested') continue;
    objects[`certificate-validation-${r}`] = obj({}, true);
    if (stage === 'issued') continue;
    const target = (suffix: string) => ({
      domainNameConfiguration: {
        targetDomainName: `d-${suffix}.execute-api.${r}.amazonaws.com`,
        hostedZoneId: `Z${r.length}${suffix}`,
      },
    });
    objects[`domain-name-${r}`] = obj(target('main'));
    objects[`domain-name-${r}-regional`] = obj(target('regional'));
    if (stage === 'domains') continue;
    objects[`record-${r}-regional-a`] = obj({}, true);
  }
  for (const key of ready) objects[key] = obj({}, true);
  return objects;
}

describe('XFailoverRouting with an HTTP API (the default): the public name answers through custom domains', () => {
  const TWO = ['us-east-1', 'us-west-2'] as const;
  const NAME = 'api.example.com';
  const live = (estate: object, stage: Parameters<typeof observedPublicName>[2], ready: string[] = []) =>
    composeLive(routing(estate), liveView(observedPublicName(TWO, NAME, stage, ready)));

  it('requests a DNS-validated certificate per region for recordName and <region>.<recordName>, and waits for ACM', () => {
    const out = composeLive(routing(TWO_REGION_SPEC), liveView({}));
    expect(keysOf(out).filter((k) => !k.startsWith('record-db-'))).toEqual([
      'certificate-us-east-1',
      'certificate-validation-us-east-1',
      'certificate-us-west-2',
      'certificate-validation-us-west-2',
    ]);
    expect(fp(byKey(out, 'certificate-us-west-2'))).toMatchObject({
      region: 'us-west-2',
      domainName: NAME,
      subjectAlternativeNames: [`us-west-2.${NAME}`],
      validationMethod: 'DNS',
    });
    expect(fp(byKey(out, 'certificate-validation-us-west-2'))).toEqual({
      region: 'us-west-2',
      certificateArnSelector: {
        matchControllerRef: true,
        matchLabels: expect.objectContaining({ 'drplane.io/component': 'certificate', 'drplane.io/region': 'us-west-2' }),
      },
    });
  });

  it("writes the validation records ACM reports into the claim's zone, each an UPSERT of the same value (regions may share one)", () => {
    const out = live(TWO_REGION_SPEC, 'requested');
    expect(fp(byKey(out, 'certificate-validation-record-us-east-1-record'))).toEqual({
      zoneId: 'Z0123456789ABCDEFGHIJ',
      name: `_shared.${NAME}.`,
      type: 'CNAME',
      ttl: 300,
      records: ['_sharedv.acm-validations.aws.'],
      allowOverwrite: true,
    });
    expect(fp(byKey(out, 'certificate-validation-record-us-west-2-regional'))).toMatchObject({
      name: `_r9.us-west-2.${NAME}.`,
      records: ['_r9v.acm-validations.aws.'],
    });
    // Nothing that needs an issued certificate yet.
    expect(out.resources.filter((r) => ['DomainName', 'APIMapping', 'HealthCheck'].includes(r.manifest.kind))).toEqual([]);
  });

  it('once the certificate is issued: two regional custom domains (TLS 1.2, dual-stack) per region, each mapped to the HTTP API', () => {
    const out = live(TWO_REGION_SPEC, 'issued');
    const domain = byKey(out, 'domain-name-us-west-2');
    expect((domain.metadata as any).annotations['crossplane.io/external-name']).toBe(NAME);
    expect(fp(domain)).toMatchObject({
      region: 'us-west-2',
      domainNameConfiguration: {
        endpointType: 'REGIONAL',
        securityPolicy: 'TLS_1_2',
        ipAddressType: 'dualstack',
        certificateArnSelector: { matchControllerRef: true, matchLabels: { 'drplane.io/component': 'certificate' } },
      },
    });
    expect((byKey(out, 'domain-name-us-west-2-regional').metadata as any).annotations['crossplane.io/external-name']).toBe(
      `us-west-2.${NAME}`,
    );
    const mapping = fp(byKey(out, 'api-mapping-us-west-2-regional'));
    expect(mapping).toMatchObject({ region: 'us-west-2', stage: '$default' });
    // The API is XRegionalService's: selected by the estate's labels, without this composite's controller reference.
    expect(mapping.apiIdSelector).toEqual({ matchLabels: expect.objectContaining({ 'drplane.io/component': 'service-api' }) });
    expect(mapping.apiIdSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
    expect(mapping.domainNameSelector.matchLabels['drplane.io/component']).toBe('domain-name-regional');
    expect(fp(byKey(out, 'api-mapping-us-west-2')).domainNameSelector.matchLabels['drplane.io/component']).toBe('domain-name');
  });

  it('health-checks each region through its own custom domain <region>.<recordName>, once that name resolves', () => {
    expect(keysOf(live(TWO_REGION_SPEC, 'domains')).filter((k) => k.startsWith('health-check-'))).toEqual([]);
    const out = live(TWO_REGION_SPEC, 'records');
    expect(fp(byKey(out, 'record-us-west-2-regional-aaaa'))).toEqual({
      zoneId: 'Z0123456789ABCDEFGHIJ',
      name: `us-west-2.${NAME}`,
      type: 'AAAA',
      alias: { name: 'd-regional.execute-api.us-west-2.amazonaws.com', zoneId: 'Z9regional', evaluateTargetHealth: false },
    });
    expect(fp(byKey(out, 'health-check-us-west-2'))).toMatchObject({
      type: 'HTTPS',
      fqdn: `us-west-2.${NAME}`,
      port: 443,
      enableSni: true,
      resourcePath: '/health',
    });
  });

  it('failover: alias A and AAAA PRIMARY/SECONDARY records to the regional domains of recordName, moved in place with activeRegion', () => {
    const out = live(TWO_REGION_SPEC, 'records');
    const serviceRecords = records(out).filter((r) => fp(r).setIdentifier);
    expect(serviceRecords.map((r) => [fp(r).type, fp(r).setIdentifier, fp(r).alias.name])).toEqual([
      ['A', 'primary', 'd-main.execute-api.us-east-1.amazonaws.com'],
      ['AAAA', 'primary', 'd-main.execute-api.us-east-1.amazonaws.com'],
      ['A', 'secondary', 'd-main.execute-api.us-west-2.amazonaws.com'],
      ['AAAA', 'secondary', 'd-main.execute-api.us-west-2.amazonaws.com'],
    ]);
    const primary = fp(byKey(out, 'record-primary'));
    expect(primary).toMatchObject({ name: NAME, type: 'A', failoverRoutingPolicy: { type: 'PRIMARY' } });
    expect(primary.ttl).toBeUndefined();
    expect(primary.records).toBeUndefined();
    expect(primary.healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-east-1');
    const moved = live({ ...TWO_REGION_SPEC, activeRegion: 'us-west-2' }, 'records');
    expect(keysOf(moved)).toEqual(keysOf(out));
    expect(fp(byKey(moved, 'record-primary-aaaa'))).toMatchObject({
      setIdentifier: 'primary',
      alias: { name: 'd-main.execute-api.us-west-2.amazonaws.com', zoneId: 'Z9main' },
    });
    expect(fp(byKey(moved, 'record-primary-aaaa')).healthCheckIdSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
  });

  it('latency for three regions: an alias A and AAAA per region with its health check', () => {
    const three = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const out = composeLive(routing(FULL_SPEC), liveView(observedPublicName(three, NAME, 'records')));
    const latency = records(out).filter((r) => fp(r).latencyRoutingPolicy);
    expect(latency.map((r) => `${fp(r).type} ${fp(r).latencyRoutingPolicy.region} ${fp(r).alias.name}`)).toEqual(
      three.flatMap((r) => ['A', 'AAAA'].map((t) => `${t} ${r} d-main.execute-api.${r}.amazonaws.com`)),
    );
    for (const r of latency) expect(fp(r).healthCheckIdSelector.matchLabels['drplane.io/region']).toBe(fp(r).setIdentifier);
  });

  it('serves the zone apex too: alias records may sit there', () => {
    const apex = { ...TWO_REGION_SPEC, routing: { ...TWO_REGION_SPEC.routing, recordName: 'example.com' } };
    const out = composeLive(routing(apex), liveView(observedPublicName(TWO, 'example.com', 'records')));
    expect(records(out).filter((r) => fp(r).name === 'example.com' && fp(r).setIdentifier)).toHaveLength(4);
  });

  it('reports the public URL once a service record is Ready, and not before', () => {
    expect(live(TWO_REGION_SPEC, 'records').status).not.toHaveProperty('publicUrl');
    expect(live(TWO_REGION_SPEC, 'records', ['record-secondary']).status).toMatchObject({ publicUrl: `https://${NAME}/` });
  });
});
