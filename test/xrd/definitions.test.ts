/**
 * The generated XRDs and Compositions in compositions/: valid against the pinned Crossplane CRDs (checked by
 * the real `crossplane resource validate`), and shaped the way the design needs them.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { describeWithCrossplane, formatFailures, validateResources } from '../support/crossplane.js';
import { readYamlDocuments, withTempDir } from '../support/files.js';
import { apiFiles, type Composition, readSingleDocument, type Xrd } from '../support/generated.js';
import { crossplaneCrdsDir, repoRoot } from '../support/paths.js';

const xrdFiles = apiFiles('definition.yaml');
const compositionFiles = apiFiles('composition.yaml');
const xrds = xrdFiles.map((file) => readSingleDocument<Xrd>(file));
const compositions = compositionFiles.map((file) => readSingleDocument<Composition>(file));

const ESTATE_KIND = 'XDisasterRecovery';
const CLAIM_KIND = 'DisasterRecovery';

/** A JSON schema node as far as the walk below needs it. */
interface SchemaNode {
  readonly description?: unknown;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
}

/** Paths of every property under `node` whose description is missing or blank. */
function undocumentedProperties(node: SchemaNode, path: string): string[] {
  const found: string[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const childPath = path === '' ? name : `${path}.${name}`;
    if (typeof child.description !== 'string' || child.description.trim() === '') found.push(childPath);
    found.push(...undocumentedProperties(child, childPath));
  }
  if (node.items) found.push(...undocumentedProperties(node.items, `${path}[]`));
  if (typeof node.additionalProperties === 'object')
    found.push(...undocumentedProperties(node.additionalProperties, `${path}.*`));
  for (const sub of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
    found.push(...undocumentedProperties(sub, path));
  return found;
}

describe('generated XRDs and Compositions', () => {
  it('compositions/apis has one XRD and one Composition per composite kind', () => {
    expect(xrdFiles.length).toBeGreaterThan(0);
    expect(compositionFiles.map((f) => relative(repoRoot, join(f, '..')))).toEqual(
      xrdFiles.map((f) => relative(repoRoot, join(f, '..'))),
    );
  });

  it('the pinned XRD CRD defaults the scope of apiextensions.crossplane.io/v1 to LegacyCluster', () => {
    const [crd] = readYamlDocuments(
      join(crossplaneCrdsDir(), 'apiextensions.crossplane.io_compositeresourcedefinitions.yaml'),
    ) as {
      spec: {
        versions: {
          name: string;
          schema: { openAPIV3Schema: { properties: { spec: { properties: { scope: { default?: string } } } } } };
        }[];
      };
    }[];
    const v1 = crd!.spec.versions.find((v) => v.name === 'v1');
    expect(v1, 'the XRD CRD serves v1').toBeDefined();
    expect(v1!.schema.openAPIV3Schema.properties.spec.properties.scope.default).toBe('LegacyCluster');
  });

  it.each(xrds.map((x) => [x.metadata.name, x] as const))(
    '%s is apiextensions.crossplane.io/v1 without a scope (so LegacyCluster)',
    (_name, xrd) => {
      expect(xrd.apiVersion).toBe('apiextensions.crossplane.io/v1');
      expect(xrd.kind).toBe('CompositeResourceDefinition');
      expect(xrd.spec).not.toHaveProperty('scope');
    },
  );

  it(`only ${ESTATE_KIND} offers a claim, named ${CLAIM_KIND}`, () => {
    const claimed = xrds.filter((x) => x.spec.claimNames !== undefined).map((x) => [x.spec.names.kind, x.spec.claimNames!.kind]);
    expect(claimed).toEqual([[ESTATE_KIND, CLAIM_KIND]]);
  });

  it(`${ESTATE_KIND} shows PRIMARY, ACTIVE, RPO and RTO columns`, () => {
    const estate = xrds.find((x) => x.spec.names.kind === ESTATE_KIND);
    expect(estate).toBeDefined();
    for (const version of estate!.spec.versions) {
      const columns = (version.additionalPrinterColumns ?? []).map((c) => c.name);
      expect(columns, `version ${version.name}`).toEqual(expect.arrayContaining(['PRIMARY', 'ACTIVE', 'RPO', 'RTO']));
    }
  });

  it('the description walk finds undocumented properties at any depth', () => {
    const schema: SchemaNode = {
      properties: {
        spec: {
          description: 'spec',
          properties: {
            a: { description: ' ' },
            list: { description: 'list', items: { properties: { b: {} } } },
            map: { description: 'map', additionalProperties: { properties: { c: { description: 'c' }, d: {} } } },
          },
        },
      },
    };
    expect(undocumentedProperties(schema, '')).toEqual(['spec.a', 'spec.list[].b', 'spec.map.*.d']);
  });

  it.each(xrds.map((x) => [x.metadata.name, x] as const))('every property of %s has a description', (_name, xrd) => {
    for (const version of xrd.spec.versions) {
      const undocumented = undocumentedProperties(version.schema.openAPIV3Schema as SchemaNode, '');
      expect(undocumented, `${xrd.metadata.name} ${version.name}: properties without a description`).toEqual([]);
    }
  });

  it('each XRD has a Pipeline Composition for its referenceable version, and its default composition exists', () => {
    const byName = new Map(compositions.map((c) => [c.metadata.name, c]));
    for (const xrd of xrds) {
      const version = xrd.spec.versions.find((v) => v.referenceable);
      expect(version, `${xrd.metadata.name} has a referenceable version`).toBeDefined();
      const typeRef = { apiVersion: `${xrd.spec.group}/${version!.name}`, kind: xrd.spec.names.kind };
      const matching = compositions.filter(
        (c) => c.spec.compositeTypeRef.apiVersion === typeRef.apiVersion && c.spec.compositeTypeRef.kind === typeRef.kind,
      );
      expect(
        matching.map((c) => c.spec.mode),
        `Compositions for ${typeRef.kind}`,
      ).toEqual(['Pipeline']);
      const defaultName = xrd.spec.defaultCompositionRef?.name;
      if (defaultName !== undefined) expect(byName.get(defaultName), `defaultCompositionRef ${defaultName}`).toBe(matching[0]);
    }
  });
});

describeWithCrossplane('generated XRDs and Compositions against the pinned Crossplane CRDs', () => {
  it('crossplane resource validate accepts every XRD and Composition', async () => {
    const files = [...xrdFiles, ...compositionFiles];
    const report = await validateResources([crossplaneCrdsDir()], files);
    expect(report.failures, formatFailures(report)).toEqual([]);
    expect(report.summary.valid).toBe(files.length);
  }, 60_000);

  it('and rejects a broken XRD (the check can fail)', async () => {
    const broken = structuredClone(xrds[0]!) as unknown as { spec: Record<string, unknown> };
    broken.spec.notAField = true;
    broken.spec.group = 42;
    const report = await withTempDir('broken-xrd', (dir) => {
      const file = join(dir, 'definition.yaml');
      writeFileSync(file, stringify(broken));
      return validateResources([crossplaneCrdsDir()], [file]);
    });
    expect(report.ok).toBe(false);
    const fields = report.failures.flatMap((r) => r.errors.map((e) => e.field));
    expect(fields).toEqual(expect.arrayContaining(['spec.notAField', 'spec.group']));
  }, 60_000);
});
