/**
 * The ManagedResourceActivationPolicy activates what drplane composes: every kind src/compose imports, under the
 * MRD name the provider really uses, and every kind a plan of the committed claims contains.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { composedManagedKinds, mrdName, pluralOf } from '../../charts/bootstrap/activations.js';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { PROVIDER_FAMILIES, providerGroup } from '../../src/api/providers.js';
import { planClaim } from '../../src/compose/plan.js';
import { readYamlDocuments, suiteTempDir, yamlFilesIn } from '../support/files.js';
import { providerCrdsDir, repoPath } from '../support/paths.js';
import { renderBootstrap } from './render.js';

/** The activate list of the rendered policy. */
function activated(): string[] {
  const [policy] = renderBootstrap().files.get('runtime/activation-policy.yaml')!;
  return policy!.spec.activate as string[];
}

let crds: { file: string; group: string; kind: string; plural: string }[] | undefined;

/**
 * spec.group and spec.names of every pinned provider CRD. Only the head of each file (up to `versions:`, before the
 * large schemas) is parsed: it is a complete YAML document on its own.
 */
function pinnedCrds(): { file: string; group: string; kind: string; plural: string }[] {
  crds ??= readdirSync(providerCrdsDir())
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(providerCrdsDir(), file), 'utf8');
      const end = text.indexOf('\n  versions:');
      const crd = parse(end > 0 ? text.slice(0, end) : text) as any;
      return { file, group: crd.spec.group, kind: crd.spec.names.kind, plural: crd.spec.names.plural };
    });
  return crds;
}

it('pluralOf gives the plural of every kind in the pinned provider CRDs', () => {
  const crds = pinnedCrds();
  expect(crds.length).toBeGreaterThan(100);
  for (const crd of crds) expect(pluralOf(crd), crd.file).toBe(crd.plural);
});

it('every activated kind names a real provider CRD, the endpoint associations among them', () => {
  const names = new Set(pinnedCrds().map((c) => `${c.plural}.${c.group}`));
  const list = activated();
  expect(list.length).toBeGreaterThan(20);
  expect(new Set(list).size).toBe(list.length);
  for (const name of list) expect(names.has(name), name).toBe(true);
  for (const name of [
    'vpcendpointroutetableassociations.ec2.aws.upbound.io',
    'vpcendpointsecuritygroupassociations.ec2.aws.upbound.io',
    'vpcendpointsubnetassociations.ec2.aws.upbound.io',
  ])
    expect(list).toContain(name);
});

it('activates only kinds of the installed provider families, and nothing namespaced', () => {
  const groups = new Set(PROVIDER_FAMILIES.map(providerGroup));
  for (const name of activated()) {
    const group = name.slice(name.indexOf('.') + 1);
    expect(groups.has(group), name).toBe(true);
    expect(name).not.toMatch(/\*|\.m\.upbound\.io$/);
  }
});

it('installs no provider family without an activated kind (a provider nobody composes with is only attack surface)', () => {
  const used = new Set(activated().map((name) => name.slice(name.indexOf('.') + 1)));
  expect(PROVIDER_FAMILIES.filter((family) => !used.has(providerGroup(family)))).toEqual([]);
});

it('every managed resource a plan of every committed claim contains is activated', () => {
  const list = new Set(activated());
  const files = yamlFilesIn(repoPath('examples'));
  expect(files.length).toBeGreaterThan(0);
  const planned = new Set<string>();
  for (const file of files) {
    const claim = DisasterRecoveryClaimSchema.parse(readYamlDocuments(file)[0]);
    for (const { manifest } of planClaim(claim)) {
      const [group] = String(manifest.apiVersion).split('/');
      if (group!.endsWith('.aws.upbound.io')) planned.add(mrdName({ group: group!, kind: String(manifest.kind) }));
    }
  }
  expect(planned.size).toBeGreaterThan(10);
  expect([...planned].filter((name) => !list.has(name))).toEqual([]);
});

const dir = suiteTempDir('compose');

it('reads value imports only: type imports, enums and prop types are not kinds', () => {
  const imports = (group: string) => `../../imports/${group}.js`;
  writeFileSync(
    join(dir, 'a.ts'),
    [
      `import { Bucket, type BucketProps } from '${imports('s3.aws.upbound.io')}';`,
      `import type { Key } from '${imports('kms.aws.upbound.io')}';`,
      `import {\n  HealthCheck as Check,\n  RecordSpecForProviderHealthCheckIdSelectorPolicyResolve,\n} from '${imports('route53.aws.upbound.io')}';`,
      `import { Usage } from '${imports('protection.crossplane.io')}';`,
      'export const x = [Bucket, Check, RecordSpecForProviderHealthCheckIdSelectorPolicyResolve, Usage];',
    ].join('\n'),
  );
  const kinds = composedManagedKinds(dir).map((k) => `${k.group}/${k.kind}`);
  expect(kinds).toEqual(['route53.aws.upbound.io/HealthCheck', 's3.aws.upbound.io/Bucket']);
  expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toContain('type BucketProps');
});
