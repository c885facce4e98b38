/**
 * Sync order: nothing is applied before what it needs exists. Needs are read from the objects (their kind's CRD,
 * runtimeConfigRef, functionRef, compositeTypeRef, the AppProject), not listed by hand; see order.ts.
 */
import { expect, it } from 'vitest';
import { WAVES } from '../../charts/bootstrap/apps.js';
import { orderViolations, placeObjects } from './order.js';
import { renderBootstrap, syncedApps, type RenderedBootstrap } from './render.js';

/** A copy of the rendered bootstrap with one child Application moved to another wave. */
function withWave(rendered: RenderedBootstrap, app: string, wave: number): RenderedBootstrap {
  const files = new Map(rendered.files);
  const file = `apps/${app}.yaml`;
  const [object] = files.get(file)!;
  const annotations = { ...object!.metadata.annotations, 'argocd.argoproj.io/sync-wave': String(wave) };
  files.set(file, [{ ...object!, metadata: { ...object!.metadata, annotations } }]);
  return { ...rendered, files };
}

it('every object is applied after everything it needs (CRDs, runtime configs, functions, XRDs, projects)', () => {
  const placed = placeObjects(renderBootstrap());
  expect(orderViolations(placed)).toEqual([]);
  // The check covered the whole estate path: claims, Compositions, XRDs, Providers, the ProviderConfig.
  const kinds = new Set(placed.map((p) => p.object.kind));
  for (const kind of [
    'DisasterRecovery',
    'Composition',
    'CompositeResourceDefinition',
    'Provider',
    'ProviderConfig',
    'Function',
    'DeploymentRuntimeConfig',
  ]) {
    expect(kinds, kind).toContain(kind);
  }
});

it('the check fails when a step moves before what it needs', () => {
  const rendered = renderBootstrap();
  expect(orderViolations(placeObjects(withWave(rendered, 'drplane-provider-config', WAVES.providers))).join('\n')).toMatch(
    /ProviderConfig default .* needs the aws\.upbound\.io CRDs \(provider-family-aws\), provided only at wave -8\/0/,
  );
  expect(orderViolations(placeObjects(withWave(rendered, 'drplane-compositions', WAVES.function))).join('\n')).toMatch(
    /Composition .* needs Function function-drplane/,
  );
  expect(orderViolations(placeObjects(withWave(rendered, 'drplane-claims-team-payments', WAVES.definitions))).join('\n')).toMatch(
    /DisasterRecovery .* needs the XRD serving DisasterRecovery/,
  );
  expect(orderViolations(placeObjects(withWave(rendered, 'drplane-runtime', WAVES.crossplane))).join('\n')).toMatch(
    /DeploymentRuntimeConfig .* needs the pkg\.crossplane\.io CRDs/,
  );
});

it('the steps run in the documented order, each in a wave of its own', () => {
  const apps = syncedApps(renderBootstrap());
  const platform = apps.filter((a) => ['drplane', 'drplane-argocd'].includes(a.app.spec.project)).sort((a, b) => a.wave - b.wave);
  expect(platform.map((a) => a.app.metadata.name)).toEqual([
    'drplane-argocd',
    'drplane-crossplane',
    'drplane-runtime',
    'drplane-providers',
    'drplane-provider-config',
    'drplane-function',
    'drplane-xrds',
    'drplane-compositions',
  ]);
  expect(new Set(platform.map((a) => a.wave)).size).toBe(platform.length);
  const claims = apps.filter((a) => a.app.spec.project.startsWith('drplane-claims-'));
  expect(claims.map((c) => c.app.metadata.name)).toEqual([
    'drplane-claims-team-ledger',
    'drplane-claims-team-orders-dev',
    'drplane-claims-team-payments',
    'drplane-claims-team-sandbox',
  ]);
  for (const c of claims) expect(c.wave).toBeGreaterThan(Math.max(...platform.map((a) => a.wave)));
});

it('the root syncs exactly the child Applications in apps/', () => {
  const rendered = renderBootstrap();
  const [root] = rendered.files.get('root.yaml')!;
  expect(root!.spec.source.path).toBe('compositions/bootstrap/apps');
  const children = [...rendered.files.keys()].filter((f) => f.startsWith('apps/'));
  expect(children.length).toBe(syncedApps(rendered).length);
  for (const file of children) expect(rendered.files.get(file)!.map((o) => o.kind)).toEqual(['Application']);
});
