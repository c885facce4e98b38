/**
 * Every manifest of the bootstrap validates against the pinned upstream CRDs with the real `crossplane resource
 * validate`: Argo CD Applications and AppProjects against ../shared/crds/argo-cd, Crossplane packages, runtime
 * configs and the activation policy against the Crossplane v2.3.4 CRDs, the AWS ProviderConfig against the
 * provider's CRD, the function's PodMonitor against the Prometheus Operator's. The argocd-cm ConfigMap is a core object: validate decodes it strictly into the Kubernetes Go type
 * (string values, no unknown fields); its contents are checked by argocd-cm.test.ts and lua.test.ts.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FUNCTION_NAME } from '../../charts/compositions.js';
import { FUNCTION_PACKAGE } from '../../charts/bootstrap/function.js';
import { CONFIGURATION_BUILD_IGNORE } from '../../charts/bootstrap/index.js';
import { FAMILY_PACKAGE, providerPackages } from '../../charts/bootstrap/providers.js';
import { DEFAULT_SETTINGS, type BootstrapSettings } from '../../charts/bootstrap/settings.js';
import { compatibleRange, DRPLANE_REGISTRY, DRPLANE_VERSION } from '../../charts/packages.js';
import { PROVIDER_FAMILIES, PROVIDER_VERSION, providerPackage } from '../../src/api/providers.js';
import {
  CROSSPLANE_CORE_VERSION,
  crossplaneCli,
  describeWithCrossplane,
  formatFailures,
  validateResources,
} from '../support/crossplane.js';
import { readYamlDocuments, withTempDir } from '../support/files.js';
import { run } from '../support/process.js';
import { providerCrdsDir, repoPath } from '../support/paths.js';
import { podMonitorCrd } from '../support/prometheus-operator.js';
import { SIDECAR_PORTAL, renderBootstrap, renderPortal, type Manifest } from './render.js';

/** The pinned Argo CD CRDs: `$DRPLANE_ARGOCD_CRDS_DIR`, else beside the provider CRDs (as scripts/import-crds.ts). */
const argoCrds = () => process.env.DRPLANE_ARGOCD_CRDS_DIR ?? join(providerCrdsDir(), '..', 'argo-cd');
const providerConfigCrd = () => join(providerCrdsDir(), 'aws.upbound.io_providerconfigs.yaml');

describeWithCrossplane('bootstrap manifests validate against the pinned CRDs', () => {
  it('with the default settings (EKS Pod Identity), every object is valid and has a schema', async () => {
    const rendered = renderBootstrap();
    const report = await validateResources([argoCrds(), providerConfigCrd(), podMonitorCrd()], { yaml: rendered.yaml });
    expect(report.ok, formatFailures(report)).toBe(true);
    expect(report.resources).toHaveLength(rendered.objects.length);
    const kinds = new Set(report.resources.map((r) => `${r.apiVersion} ${r.kind}`));
    for (const kind of [
      'argoproj.io/v1alpha1 Application',
      'argoproj.io/v1alpha1 AppProject',
      'v1 ConfigMap',
      'pkg.crossplane.io/v1 Provider',
      'pkg.crossplane.io/v1 Function',
      'pkg.crossplane.io/v1beta1 DeploymentRuntimeConfig',
      'apiextensions.crossplane.io/v1alpha1 ManagedResourceActivationPolicy',
      'aws.upbound.io/v1beta1 ProviderConfig',
      'monitoring.coreos.com/v1 PodMonitor',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  }, 60_000);

  it('with IRSA settings and package pull secrets, every object is valid too', async () => {
    const rendered = renderBootstrap({
      ...DEFAULT_SETTINGS,
      aws: { source: 'IRSA', roleArn: 'arn:aws:iam::111122223333:role/drplane-provider-aws' },
      packagePullSecrets: ['registry-creds'],
    });
    const report = await validateResources([argoCrds(), providerConfigCrd(), podMonitorCrd()], { yaml: rendered.yaml });
    expect(report.ok, formatFailures(report)).toBe(true);
  }, 60_000);

  it('with further accounts, each gets a ProviderConfig that assumes its role, valid against the CRD', async () => {
    const rendered = renderBootstrap({
      ...DEFAULT_SETTINGS,
      accounts: {
        'aws-444455556666': { roleArn: 'arn:aws:iam::444455556666:role/drplane-provider-aws' },
        'aws-777788889999': { roleArn: 'arn:aws:iam::777788889999:role/drplane-provider-aws', externalId: 'drplane' },
      },
    });
    const report = await validateResources([argoCrds(), providerConfigCrd(), podMonitorCrd()], { yaml: rendered.yaml });
    expect(report.ok, formatFailures(report)).toBe(true);
    const configs = rendered.files.get('provider-config/provider-config.yaml')!;
    expect(configs.map((c) => [c.metadata.name, c.spec])).toEqual([
      ['default', { credentials: { source: 'PodIdentity' } }],
      [
        'aws-444455556666',
        {
          credentials: { source: 'PodIdentity' },
          assumeRoleChain: [{ roleARN: 'arn:aws:iam::444455556666:role/drplane-provider-aws' }],
        },
      ],
      [
        'aws-777788889999',
        {
          credentials: { source: 'PodIdentity' },
          assumeRoleChain: [{ roleARN: 'arn:aws:iam::777788889999:role/drplane-provider-aws', externalID: 'drplane' }],
        },
      ],
    ]);
    for (const c of configs) expect(c.metadata.annotations?.['argocd.argoproj.io/sync-options']).toContain('Delete=false');
  }, 60_000);

  it('with the oauth2-proxy sidecar, every portal object is valid, and a misspelt container field is not', async () => {
    const manifests = renderPortal(SIDECAR_PORTAL);
    const report = await validateResources([argoCrds()], { yaml: manifests.map((m) => JSON.stringify(m)).join('\n---\n') });
    expect(report.ok, formatFailures(report)).toBe(true);
    expect(report.resources).toHaveLength(manifests.length);
    // The check can fail: a field of the sidecar container that Kubernetes does not know.
    const broken = JSON.parse(JSON.stringify(manifests.find((m) => m.kind === 'Deployment')));
    broken.spec.template.spec.containers[1].readinesProbe = broken.spec.template.spec.containers[1].readinessProbe;
    const refused = await validateResources([argoCrds()], { yaml: JSON.stringify(broken) });
    expect(refused.ok).toBe(false);
    expect(formatFailures(refused)).toMatch(/readinesProbe/);
  }, 60_000);

  it('the Configuration package still builds from compositions/ once the bootstrap beside it is ignored', async () => {
    await withTempDir('xpkg', async (dir) => {
      const build = (ignore: string[]) =>
        run(crossplaneCli(), [
          'xpkg',
          'build',
          `--package-root=${repoPath('compositions')}`,
          ...ignore,
          '-o',
          join(dir, 'configuration.xpkg'),
        ]);
      const without = await build([]);
      expect(without.code, 'the bootstrap is not package content').not.toBe(0);
      expect(without.stderr).toMatch(/bootstrap/);
      const withIgnore = await build([`--ignore=${CONFIGURATION_BUILD_IGNORE}`]);
      expect(withIgnore.code, withIgnore.stderr).toBe(0);
    });
  }, 60_000);

  it('the validator does reject a broken bootstrap object (the check can fail)', async () => {
    const rendered = renderBootstrap();
    const app = rendered.files.get('root.yaml')![0]!;
    const broken = { ...app, spec: { ...app.spec, syncPolicy: { ...app.spec.syncPolicy, retry: { limit: 'ten' } } } };
    const report = await validateResources([argoCrds(), providerConfigCrd(), podMonitorCrd()], { yaml: JSON.stringify(broken) });
    expect(report.ok).toBe(false);
    expect(formatFailures(report)).toMatch(/spec\.syncPolicy\.retry\.limit/);
  }, 60_000);
});

/** Objects of one kind in the rendered bootstrap. */
function ofKind(objects: readonly Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}

it('installs one Provider per family plus the family provider, all pinned to the imported CRD version', () => {
  const providers = ofKind(renderBootstrap().objects, 'Provider');
  expect(providers.map((p) => p.spec.package).sort()).toEqual(
    [FAMILY_PACKAGE, ...PROVIDER_FAMILIES.map(providerPackage)].map((pkg) => `${pkg}:${PROVIDER_VERSION}`).sort(),
  );
  expect(providerPackages()).toHaveLength(PROVIDER_FAMILIES.length + 1);
});

it('installs the function under the name every Composition calls, at the released version', () => {
  const [fn] = ofKind(renderBootstrap().objects, 'Function');
  expect(fn!.metadata.name).toBe(FUNCTION_NAME);
  expect(fn!.spec.package).toBe(`${DRPLANE_REGISTRY}/${FUNCTION_NAME}:${DRPLANE_VERSION}`);
  expect(FUNCTION_PACKAGE).toBe(fn!.spec.package);
});

it('pins the Crossplane chart to the Crossplane core version the tests run and the CRDs come from', () => {
  const app = renderBootstrap().files.get('apps/drplane-crossplane.yaml')![0]!;
  expect(`v${app.spec.source.targetRevision}`).toBe(CROSSPLANE_CORE_VERSION);
  expect(app.spec.source.helm.valuesObject.provider.defaultActivations).toEqual([]);
});

it('the Configuration package constrains every provider family and the function to a compatible range', () => {
  const [configuration] = readYamlDocuments(repoPath('compositions', 'crossplane.yaml')) as Manifest[];
  const deps = configuration!.spec.dependsOn as { provider?: string; function?: string; version: string }[];
  for (const family of PROVIDER_FAMILIES) {
    expect(deps.find((d) => d.provider === providerPackage(family))?.version, family).toBe(compatibleRange(PROVIDER_VERSION));
  }
  expect(deps.find((d) => d.function === `${DRPLANE_REGISTRY}/${FUNCTION_NAME}`)?.version).toBe(compatibleRange(DRPLANE_VERSION));
  expect(deps.every((d) => /^>=v\d+\.\d+\.\d+, <v\d+\.\d+\.\d+$/.test(d.version))).toBe(true);
  expect(configuration!.spec.crossplane.version).toBe('>=v2.0.0');
});

it('compatibleRange keeps the major (the minor below v1)', () => {
  expect(compatibleRange('v2.6.0')).toBe('>=v2.6.0, <v3.0.0');
  expect(compatibleRange('v0.1.0')).toBe('>=v0.1.0, <v0.2.0');
  expect(() => compatibleRange('2.6')).toThrow(/vMAJOR/);
});

it('pulls the Function and every Provider with the configured pull secrets, and with none by default', () => {
  const packages = (objects: readonly Manifest[]) => objects.filter((o) => ['Function', 'Provider'].includes(o.kind));
  const custom = packages(renderBootstrap({ ...DEFAULT_SETTINGS, packagePullSecrets: ['registry-creds'] }).objects);
  expect(custom.length).toBe(PROVIDER_FAMILIES.length + 2);
  for (const object of custom) expect(object.spec.packagePullSecrets, object.metadata.name).toEqual([{ name: 'registry-creds' }]);
  for (const object of packages(renderBootstrap().objects)) expect(object.spec.packagePullSecrets).toBeUndefined();
});

it('sets revisionActivationPolicy from the settings: Automatic by default, Manual for the Function and the Providers apart', () => {
  const policies = (settings = DEFAULT_SETTINGS) =>
    renderBootstrap(settings)
      .objects.filter((o) => ['Function', 'Provider'].includes(o.kind))
      .map((o) => `${o.kind}:${o.spec.revisionActivationPolicy}`);
  const count = (list: string[], entry: string) => list.filter((e) => e === entry).length;
  const defaults = policies();
  expect(defaults.length).toBe(PROVIDER_FAMILIES.length + 2);
  expect(count(defaults, 'Function:Automatic')).toBe(1);
  expect(count(defaults, 'Provider:Automatic')).toBe(PROVIDER_FAMILIES.length + 1);
  const stagedFunction = policies({ ...DEFAULT_SETTINGS, revisionActivation: { function: 'Manual', providers: 'Automatic' } });
  expect(count(stagedFunction, 'Function:Manual')).toBe(1);
  expect(count(stagedFunction, 'Provider:Automatic')).toBe(PROVIDER_FAMILIES.length + 1);
  const stagedProviders = policies({ ...DEFAULT_SETTINGS, revisionActivation: { function: 'Automatic', providers: 'Manual' } });
  expect(count(stagedProviders, 'Function:Automatic')).toBe(1);
  expect(count(stagedProviders, 'Provider:Manual')).toBe(PROVIDER_FAMILIES.length + 1);
});

it('refuses a revisionActivationPolicy the CRDs do not know (their schema takes any string), naming the setting', () => {
  const render = (revisionActivation: unknown) => () =>
    renderBootstrap({ ...DEFAULT_SETTINGS, revisionActivation } as unknown as BootstrapSettings);
  expect(render({ function: 'manual', providers: 'Automatic' })).toThrow(
    /settings\.revisionActivation\.function: "manual" is not a revisionActivationPolicy; write 'Automatic' or 'Manual'/,
  );
  expect(render({ function: 'Automatic', providers: '' })).toThrow(/settings\.revisionActivation\.providers: "" is not/);
  expect(render({ function: 'Automatic' })).toThrow(/settings\.revisionActivation\.providers: undefined is not/);
  expect(render(undefined)).toThrow(/settings\.revisionActivation\.(function|providers): undefined is not/);
});

it('refuses an account that cannot become a ProviderConfig, naming the setting and what to write', () => {
  const render = (accounts: Record<string, { roleArn: string }>) => () => renderBootstrap({ ...DEFAULT_SETTINGS, accounts });
  const role = 'arn:aws:iam::444455556666:role/drplane-provider-aws';
  expect(render({ default: { roleArn: role } })).toThrow(/settings\.accounts\['default'\]: .*other than 'default'/);
  expect(render({ AWS_B: { roleArn: role } })).toThrow(/settings\.accounts\['AWS_B'\]: .*DNS-1123.*aws-444455556666/);
  expect(render({ 'aws-b': { roleArn: 'arn:aws:iam::4444:role/x' } })).toThrow(
    /settings\.accounts\['aws-b'\]\.roleArn: .*write arn:aws:iam::<12-digit account>:role\/drplane-provider-aws/,
  );
});
