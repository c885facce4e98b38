/**
 * The contents of argocd-cm, parsed: the validator checks the ConfigMap's shape, not what its string values mean.
 */
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  APPLICATION_HEALTH_LUA,
  COMPOSITE_HEALTH_LUA,
  HEALTH_KEY_PREFIX,
  PACKAGE_HEALTH_LUA,
  PROVIDER_CONFIG_USAGE_EXCLUSION,
  drplaneKinds,
} from '../../charts/bootstrap/argocd.js';
import { UPSTREAM_RESOURCE_EXCLUSIONS } from '../../charts/bootstrap/argocd-defaults.js';
import { COMPOSITE_KINDS } from '../../src/api/index.js';
import { renderBootstrap, type Manifest } from './render.js';

function argocdCm(): Manifest {
  const [cm] = renderBootstrap().files.get('argocd/argocd-cm.yaml')!;
  expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' } });
  return cm!;
}

it('tracks resources by annotation', () => {
  expect(argocdCm().data!['application.resourceTrackingMethod']).toBe('annotation');
});

it('excludes ProviderConfigUsages on top of every Argo CD default exclusion', () => {
  const exclusions = parse(argocdCm().data!['resource.exclusions']!) as unknown[];
  expect(exclusions).toEqual([...UPSTREAM_RESOURCE_EXCLUSIONS, PROVIDER_CONFIG_USAGE_EXCLUSION]);
  // The defaults Argo CD v3.5.1 ships: replaced, not merged, when resource.exclusions is set.
  const kinds = exclusions.flatMap((e: any) => e.kinds as string[]);
  for (const kind of [
    'Endpoints',
    'EndpointSlice',
    'Lease',
    'TokenReview',
    'SubjectAccessReview',
    'CertificateSigningRequest',
    'CertificateRequest',
    'CiliumIdentity',
    'PolicyReport',
    'UpdateRequest',
    'ProviderConfigUsage',
  ]) {
    expect(kinds, kind).toContain(kind);
  }
  expect(PROVIDER_CONFIG_USAGE_EXCLUSION).toEqual({ apiGroups: ['*'], kinds: ['ProviderConfigUsage'], clusters: ['*'] });
});

it('keeps the default ignoreResourceUpdates settings of the Argo CD install', () => {
  const data = argocdCm().data!;
  expect(parse(data['resource.customizations.ignoreResourceUpdates.all']!)).toEqual({ jsonPointers: ['/status'] });
  expect(parse(data['resource.customizations.ignoreResourceUpdates.argoproj.io_Application']!).jqPathExpressions).toContain(
    '.operation',
  );
});

it('has one health check per drplane.io kind, the claim and every composite, all the same Lua', () => {
  const data = argocdCm().data!;
  const keys = Object.keys(data).filter((k) => k.startsWith(`${HEALTH_KEY_PREFIX}drplane.io_`));
  const expected = ['DisasterRecovery', ...COMPOSITE_KINDS.map((d) => d.kind)];
  expect(keys.map((k) => k.slice(`${HEALTH_KEY_PREFIX}drplane.io_`.length)).sort()).toEqual([...expected].sort());
  expect(drplaneKinds().sort()).toEqual([...expected].sort());
  for (const key of keys) expect(data[key], key).toBe(COMPOSITE_HEALTH_LUA);
});

it('restores health for Applications, replaces the package checks, and adds none for *.upbound.io or other *.crossplane.io', () => {
  const data = argocdCm().data!;
  expect(data[`${HEALTH_KEY_PREFIX}argoproj.io_Application`]).toBe(APPLICATION_HEALTH_LUA);
  const health = Object.keys(data).filter((k) => k.startsWith(HEALTH_KEY_PREFIX));
  // Built into Argo CD since 3.1 (resource_customizations/_.upbound.io and _.crossplane.io): not duplicated, except
  // the packages, whose built-in checks fail on a paused or half-reported package (package-health.lua).
  expect(health.filter((k) => /upbound\.io/.test(k))).toEqual([]);
  expect(health.filter((k) => /crossplane\.io/.test(k)).sort()).toEqual([
    `${HEALTH_KEY_PREFIX}pkg.crossplane.io_Function`,
    `${HEALTH_KEY_PREFIX}pkg.crossplane.io_Provider`,
  ]);
  for (const kind of ['Function', 'Provider'])
    expect(data[`${HEALTH_KEY_PREFIX}pkg.crossplane.io_${kind}`]).toBe(PACKAGE_HEALTH_LUA);
  expect(health).toHaveLength(drplaneKinds().length + 3);
});

it('every key is a valid ConfigMap key and every value a string', () => {
  for (const [key, value] of Object.entries(argocdCm().data!)) {
    expect(key).toMatch(/^[-._a-zA-Z0-9]+$/);
    expect(typeof value).toBe('string');
  }
});
