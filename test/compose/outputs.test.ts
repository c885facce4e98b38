/**
 * The typed contract between primitives (src/compose/outputs.ts): the estate reads a nested composite's outputs by
 * the fields its api declares, under the key the registry gives it; a field a kind does not publish is a compile error.
 */
import { describe, expect, it } from 'vitest';
import { observedComposite, readyIn } from '../../src/compose/outputs.js';
import { liveView } from '../../src/compose/observed.js';
import { PRIMITIVE_APIS, type PrimitiveKind } from '../../src/primitives/kinds.js';
import { PRIMITIVES } from '../../src/primitives/registry.js';

const observed = liveView({
  database: {
    apiVersion: 'drplane.io/v1alpha1',
    kind: 'XGlobalDatabase',
    spec: {},
    status: {
      writerRegion: 'us-west-2',
      clustersPaused: true,
      regions: { 'us-east-1': { endpoint: 'w.example', readerEndpoint: 'r.example', ready: true } },
    },
  },
  routing: {
    apiVersion: 'drplane.io/v1alpha1',
    kind: 'XFailoverRouting',
    spec: { serviceEndpoints: { 'us-west-2': 'svc.example' }, databaseWriterRegion: 'us-east-1' },
  },
});

describe('observedComposite', () => {
  it('reads the outputs a kind declares under its registry key', () => {
    const database = observedComposite(observed, 'XGlobalDatabase');
    expect(database.output('us-east-1', 'endpoint')).toBe('w.example');
    expect(database.output('us-east-1', 'readerEndpoint')).toBe('r.example');
    expect(database.output('us-west-2', 'endpoint')).toBeUndefined();
    expect(database.composite('writerRegion')).toBe('us-west-2');
    expect(database.flag('clustersPaused')).toBe(true);
    expect(database.published).toBe(true);
    expect(readyIn(observed, 'database', 'us-east-1')).toBe(true);
    expect(readyIn(observed, 'database', 'us-west-2')).toBe(false);
    // @ts-expect-error XGlobalDatabase publishes no health check id
    expect(database.output('us-east-1', 'healthCheckId')).toBeUndefined();
  });

  it('reads the values the estate passed a composite before, by spec field', () => {
    const routing = observedComposite(observed, 'XFailoverRouting');
    expect(routing.published).toBe(false);
    expect(routing.passed('serviceEndpoints', 'us-west-2')).toBe('svc.example');
    expect(routing.passedText('databaseWriterRegion')).toBe('us-east-1');
    // @ts-expect-error the routing spec has no clusterArns
    expect(routing.passed('clusterArns', 'us-west-2')).toBeUndefined();
  });

  it('finds every declared output in the status schema every primitive shares', () => {
    for (const kind of Object.keys(PRIMITIVE_APIS) as PrimitiveKind[]) {
      const api = PRIMITIVE_APIS[kind];
      const regionShape = api.status.shape.regions.unwrap().valueType.shape;
      for (const field of api.outputs.regions) expect(Object.keys(regionShape), `${kind} ${field}`).toContain(field);
      for (const field of api.outputs.composite) expect(Object.keys(api.status.shape), `${kind} ${field}`).toContain(field);
      expect(PRIMITIVES[kind].key, kind).toMatch(/^[a-z]+$/);
    }
  });
});
