/**
 * The function's Prometheus metrics (src/function/metrics.ts) and the response TTL (src/function/handler.ts): what a
 * scrape of /metrics shows after calls that compose, refuse a spec and refuse a dropped data store, and the TTL each
 * response carries.
 */
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { composeComposite } from '../../src/compose/index.js';
import { compositeOf } from '../../src/compose/plan.js';
import { createHandler, responseTtl, runFunction, ttlSecondsFor, type Composer } from '../../src/function/handler.js';
import { createMetrics, parseMetricsAddress, serveMetrics } from '../../src/function/metrics.js';
import { parseOwnFlags } from '../../src/function/flags.js';
import { FULL_SPEC, claim, nestedOf } from '../compose/helpers.js';

const request = (composite: unknown, observed: Record<string, unknown> = {}) =>
  RunFunctionRequest.fromJSON({
    observed: {
      composite: { resource: composite },
      resources: Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, { resource: v }])),
    },
  });

/** A faulty build that forgets every Table. */
const dropsTables: Composer = (...args) => {
  const result = composeComposite(...args);
  return { ...result, resources: result.resources.filter((d) => d.manifest.kind !== 'Table') };
};

const table = { ...nestedOf(FULL_SPEC, 'XGlobalTable'), metadata: { name: 'orders', generation: 2 } };

describe('the function metrics', () => {
  const metrics = createMetrics({ processMetrics: true });
  const servers: { close(): void }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('count calls, durations, desired resources and errors by kind and reason, served at GET /metrics', async () => {
    const good = createHandler({}, composeComposite, metrics);
    const faulty = createHandler({}, dropsTables, metrics);
    const composed = await good.RunFunction(request(table));
    const observed = Object.fromEntries(Object.entries(composed.desired!.resources).map(([k, r]) => [k, r.resource]));
    const desired = Object.keys(composed.desired!.resources).length;
    await good.RunFunction(request(table, observed));
    await faulty.RunFunction(request(table, observed));
    const invalid = compositeOf(claim({ ...FULL_SPEC, activeRegion: 'eu-central-1' }));
    await good.RunFunction(request(invalid));
    await good.RunFunction(request({}));

    const server = await serveMetrics(metrics, '127.0.0.1:0');
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('drplane_function_run_duration_seconds_count{composite_kind="XGlobalTable"} 3');
    expect(text).toContain('drplane_function_run_duration_seconds_count{composite_kind="XDisasterRecovery"} 1');
    expect(text).toContain('drplane_function_run_errors_total{composite_kind="XGlobalTable",reason="dropped-data-store"} 1');
    expect(text).toContain('drplane_function_run_errors_total{composite_kind="XDisasterRecovery",reason="invalid-spec"} 1');
    expect(text).toContain('drplane_function_run_errors_total{composite_kind="unknown",reason="no-composite"} 1');
    // Two good calls with `desired` resources each, one refused with none.
    expect(text).toContain(`drplane_function_desired_resources_sum{composite_kind="XGlobalTable"} ${2 * desired}`);
    expect(text).toMatch(/^drplane_function_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^drplane_function_process_cpu_seconds_total \d/m);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });

  it('parses the metrics address, and names the flag when it is not host:port', () => {
    expect(parseMetricsAddress(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseMetricsAddress('127.0.0.1:9102')).toEqual({ host: '127.0.0.1', port: 9102 });
    expect(parseMetricsAddress('[::1]:9102')).toEqual({ host: '::1', port: 9102 });
    expect(() => parseMetricsAddress('8080')).toThrow(/--metrics-address "8080" is not host:port/);
  });

  it("splits the function's own flags off the SDK's, with clear errors", () => {
    expect(parseOwnFlags(['--insecure', '--metrics-address=:9000', '--response-ttl', '300', '--debug'])).toEqual({
      metricsAddress: ':9000',
      responseTtlSeconds: 300,
      responseTtlAtRestSeconds: 300,
      rest: ['--insecure', '--debug'],
    });
    expect(parseOwnFlags([])).toEqual({
      metricsAddress: '0.0.0.0:8080',
      responseTtlSeconds: 60,
      responseTtlAtRestSeconds: 60,
      rest: [],
    });
    expect(parseOwnFlags(['--response-ttl=300', '--response-ttl-at-rest', '3600'])).toMatchObject({
      responseTtlSeconds: 300,
      responseTtlAtRestSeconds: 3600,
    });
    expect(() => parseOwnFlags(['--response-ttl-at-rest=1h'])).toThrow(
      /--response-ttl-at-rest "1h" is not a whole number of seconds from 1 to 86400; write e.g. --response-ttl-at-rest=3600/,
    );
    expect(() => parseOwnFlags(['--response-ttl=300', '--response-ttl-at-rest=60'])).toThrow(
      /--response-ttl-at-rest 60 is shorter than --response-ttl 300/,
    );
    expect(parseOwnFlags(['--metrics-address='])).toMatchObject({ metricsAddress: '' });
    expect(() => parseOwnFlags(['--response-ttl=0'])).toThrow(
      /--response-ttl "0" is not a whole number of seconds from 1 to 86400/,
    );
    expect(() => parseOwnFlags(['--metrics-address'])).toThrow(/--metrics-address needs a value/);
  });
});

describe('the response TTL', () => {
  it('is the configured ceiling (default 60 s, Crossplane core poll interval) on every response, refusals included', () => {
    const ok = runFunction(request(table), { today: new Date('2026-12-06T10:00:00Z') });
    expect(ok.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
    const longer = runFunction(request(table), { today: new Date('2026-12-06T10:00:00Z'), responseTtlSeconds: 900 });
    expect(longer.meta?.ttl).toEqual({ seconds: 900, nanos: 0 });
    const refused = runFunction(request({}), { today: new Date('2026-12-06T10:00:00Z') });
    expect(refused.results[0]?.severity).toBe(Severity.SEVERITY_FATAL);
    expect(refused.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
  });

  it('is the at-rest TTL once every composed resource is observed Ready, the settling one before', () => {
    const today = new Date('2026-12-06T10:00:00Z');
    const options = { today, responseTtlSeconds: 300, responseTtlAtRestSeconds: 3600 };
    const first = runFunction(request(table), options);
    expect(first.meta?.ttl, 'nothing observed yet').toEqual({ seconds: 300, nanos: 0 });
    const desired = Object.entries(first.desired!.resources);
    expect(desired.length).toBeGreaterThan(1);
    const readyObject = (r: unknown) => ({
      ...(r as object),
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Synced', status: 'True' },
        ],
      },
    });
    const allReady = Object.fromEntries(desired.map(([k, r]) => [k, readyObject(r.resource)]));
    const atRest = runFunction(request(table, allReady), options);
    expect(Object.values(atRest.desired!.resources).every((r) => r.ready === 1)).toBe(true);
    expect(atRest.meta?.ttl).toEqual({ seconds: 3600, nanos: 0 });
    // One resource not Ready yet: still settling.
    const [firstKey] = desired[0]!;
    const oneUnready = { ...allReady, [firstKey]: desired[0]![1].resource };
    expect(runFunction(request(table, oneUnready), options).meta?.ttl).toEqual({ seconds: 300, nanos: 0 });
    // One missing: still settling.
    const { [firstKey]: _missing, ...oneMissing } = allReady;
    expect(runFunction(request(table, oneMissing), options).meta?.ttl).toEqual({ seconds: 300, nanos: 0 });
    // A timer compose reports bounds the TTL even at rest (the composer is src/compose's, with a timer added).
    const withTimer: Composer = (...args) => ({ ...composeComposite(...args), recheckAfterSeconds: 42.2 });
    expect(runFunction(request(table, allReady), options, withTimer).meta?.ttl).toEqual({ seconds: 43, nanos: 0 });
    // Without an at-rest TTL configured, at rest is the settling TTL.
    expect(runFunction(request(table, allReady), { today, responseTtlSeconds: 300 }).meta?.ttl).toEqual({
      seconds: 300,
      nanos: 0,
    });
  });

  it('chooses the ceiling from readiness and timers', () => {
    expect(ttlSecondsFor(true, undefined, 300, 3600)).toBe(3600);
    expect(ttlSecondsFor(false, undefined, 300, 3600)).toBe(300);
    expect(ttlSecondsFor(true, 600, 300, 3600)).toBe(300);
    expect(ttlSecondsFor(false, 120, 300, 3600)).toBe(120);
    expect(ttlSecondsFor(true, 0.2, 300, 3600)).toBe(1);
  });

  it('never outlives the UTC day, jitter included (the dated policy rules compare whole UTC days), and is at least a second', () => {
    // 30 s to midnight: 27 s, so that Crossplane's +10 % jitter (29.7 s) still requeues before it.
    expect(responseTtl(new Date('2026-12-06T23:59:30Z'), 900)).toEqual({ seconds: 27, nanos: 0 });
    expect(responseTtl(new Date('2026-12-06T23:00:00Z'), 3600)).toEqual({ seconds: 3272, nanos: 0 });
    expect(responseTtl(new Date('2026-12-06T23:59:59.900Z'), 900)).toEqual({ seconds: 1, nanos: 0 });
    expect(responseTtl(new Date('2026-12-06T00:00:00Z'), 86_400)).toEqual({ seconds: 78_545, nanos: 0 });
  });
});
