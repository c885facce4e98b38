/**
 * The Backstage software template and catalog entries (src/backstage → backstage/): committed as generated, valid
 * against Backstage's own published schemas and validators (@backstage/plugin-scaffolder-common's Template v1beta3,
 * @backstage/catalog-model's entity envelope and Resource kind), every claim field in the form, and the claim file the
 * template writes, rendered with nunjucks as Backstage renders it, is each example claim again.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Entity,
  FieldFormatEntityPolicy,
  SchemaValidEntityPolicy,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import nunjucks from 'nunjucks';
import { parse, parseAllDocuments, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLAIM_ANNOTATION, catalogEntities, estateEntity } from '../../src/backstage/catalog.js';
import { BACKSTAGE_DIR, backstageFiles } from '../../src/backstage/files.js';
import { CLAIM_FILE, PAGES, template, templateParameters, toggle } from '../../src/backstage/template.js';
import { SYNC_OPTIONS, withDeletionGuard } from '../../src/gitops/argocd.js';
import { claimSchema } from '../../src/policy/schema-tree.js';
import { hasErrors, validateText } from '../../src/policy/validate.js';
import { repoPath } from '../support/paths.js';

const root = repoPath('.');
const examples = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const exampleText = (file: string) => readFileSync(repoPath('examples', file), 'utf8');
/** The catalog's checks of any entity: its envelope and metadata schema, then the format of names, labels and tags. */
const validateEntity = async (entity: unknown): Promise<unknown> =>
  new FieldFormatEntityPolicy().enforce(await new SchemaValidEntityPolicy().enforce(entity as Entity));

describe('backstage/ is generated', () => {
  it('is exactly what npm run backstage writes (template, claim file, catalog of claims/)', () => {
    const files = backstageFiles(root);
    expect(Object.keys(files).sort()).toEqual(['catalog-info.yaml', CLAIM_FILE, 'template.yaml'].sort());
    expect(readdirSync(repoPath(BACKSTAGE_DIR)).sort()).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files))
      expect(readFileSync(repoPath(BACKSTAGE_DIR, name), 'utf8'), `${BACKSTAGE_DIR}/${name}: run npm run backstage`).toBe(text);
  });
});

describe("the template against Backstage's published schema", () => {
  it('is a valid Template entity (scaffolder.backstage.io/v1beta3) and a valid catalog entity', async () => {
    const entity = parse(readFileSync(repoPath(BACKSTAGE_DIR, 'template.yaml'), 'utf8'));
    expect(entity).toEqual(template());
    await expect(validateEntity(entity)).resolves.toBeDefined();
    // The kind validator answers false for another kind and throws on an invalid Template.
    await expect(templateEntityV1beta3Validator.check(entity)).resolves.toBe(true);
  });

  it('would be refused by that schema with a step without its action, or parameters that are not objects', async () => {
    const broken = structuredClone(template()) as { spec: { steps: Record<string, unknown>[]; parameters: unknown } };
    delete broken.spec.steps[0]!.action;
    await expect(templateEntityV1beta3Validator.check(broken as unknown as Entity)).rejects.toThrow(/action/);
    const strings = structuredClone(template()) as { spec: { parameters: unknown } };
    strings.spec.parameters = ['name'];
    await expect(templateEntityV1beta3Validator.check(strings as unknown as Entity)).rejects.toThrow();
  });

  it('writes claims/<namespace>/<name>.yaml and opens a pull request authored by the signed-in user', () => {
    const steps = (template().spec as { steps: { action: string; input: Record<string, unknown> }[] }).steps;
    expect(steps.map((s) => s.action)).toEqual(['fetch:template:file', 'publish:github:pull-request']);
    expect(steps[0]!.input).toMatchObject({
      url: `./${CLAIM_FILE}`,
      targetPath: 'claims/${{ parameters.namespace }}/${{ parameters.name }}.yaml',
    });
    expect(steps[1]!.input).toMatchObject({
      repoUrl: '${{ parameters.repoUrl }}',
      gitAuthorName: '${{ user.entity.metadata.name }}',
      gitAuthorEmail: '${{ user.entity.spec.profile.email }}',
    });
  });
});

describe('the form is the claim schema', () => {
  it('holds every spec field once, with its schema description, and the required ones as required', () => {
    const spec = claimSchema().properties!.spec!;
    const pages = templateParameters() as {
      properties: Record<string, { description?: string }>;
      required?: string[];
      dependencies?: Record<string, { oneOf: { properties: Record<string, { description?: string }> }[] }>;
    }[];
    const seen: string[] = [];
    for (const page of pages) {
      for (const [key, node] of Object.entries(page.properties))
        if (key in spec.properties!) {
          seen.push(key);
          expect(node.description).toBe(spec.properties![key]!.description);
        }
      for (const dependency of Object.values(page.dependencies ?? {}))
        for (const [key, node] of Object.entries(dependency.oneOf[1]!.properties))
          if (key in spec.properties!) {
            seen.push(key);
            expect(node.description).toBe(spec.properties![key]!.description);
          }
    }
    expect(seen.sort()).toEqual(Object.keys(spec.properties!).sort());
    expect(pages.flatMap((p) => p.required ?? []).filter((f) => f in spec.properties!)).toEqual(spec.required);
    expect(PAGES.flatMap((p) => p.fields).sort()).toEqual(Object.keys(spec.properties!).sort());
  });
});

/** Backstage's template syntax: `${{ … }}` for values (nunjucks' own blocks otherwise). */
const backstageNunjucks = new nunjucks.Environment(null, {
  autoescape: false,
  tags: { variableStart: '${{', variableEnd: '}}' },
});

/** The answers the form holds for a claim: name, namespace, each spec field, each present section's toggle on. */
function formAnswers(doc: { metadata: { name: string; namespace: string }; spec: Record<string, unknown> }) {
  const spec = claimSchema().properties!.spec!;
  const toggles = Object.keys(doc.spec)
    .filter((f) => !spec.required!.includes(f) && ['object', 'array'].includes(spec.properties![f]!.type ?? ''))
    .map((f) => [toggle(f), true]);
  return { name: doc.metadata.name, namespace: doc.metadata.namespace, ...doc.spec, ...Object.fromEntries(toggles) };
}

describe('the claim file the template writes', () => {
  const file = readFileSync(repoPath(BACKSTAGE_DIR, CLAIM_FILE), 'utf8');

  it.each(examples)('is %s again when the form holds its answers, with the portal’s sync options', (example) => {
    const text = exampleText(example);
    const doc = parse(text) as Parameters<typeof formAnswers>[0] & { apiVersion: string; kind: string };
    const rendered = backstageNunjucks.renderString(file, { values: { form: formAnswers(doc) } });
    const result = validateText(rendered, `claims/${doc.metadata.namespace}/${doc.metadata.name}.yaml`);
    expect(hasErrors(result.problems), JSON.stringify(result.problems)).toBe(false);
    const back = parse(rendered) as typeof doc & { metadata: { annotations: Record<string, string> } };
    expect(back.spec).toEqual(doc.spec);
    expect(back.metadata).toMatchObject(doc.metadata);
    expect(back.metadata.annotations[SYNC_OPTIONS]).toBe(
      parseDocument(withDeletionGuard(text)).getIn(['metadata', 'annotations', SYNC_OPTIONS]),
    );
  });

  it('leaves out a section whose toggle is off, even when the form still holds its answers', () => {
    const doc = parse(exampleText('payments.yaml')) as Parameters<typeof formAnswers>[0];
    const rendered = backstageNunjucks.renderString(file, {
      values: { form: { ...formAnswers(doc), withRouting: false, activeRegion: '' } },
    });
    const spec = (parse(rendered) as { spec: Record<string, unknown> }).spec;
    expect(spec.routing).toBeUndefined();
    expect(spec.activeRegion).toBeUndefined();
    expect(spec.network).toEqual(doc.spec.network);
  });
});

describe('catalog entries of the estates', () => {
  const claims = examples.map((example) => {
    const result = validateText(exampleText(example), example);
    const { name, namespace } = result.claim!.metadata;
    return { path: `claims/${namespace}/${name}.yaml`, claim: result.claim! };
  });

  it("are valid Resource entities naming their claim, owned by the team's group", async () => {
    for (const claim of claims) {
      const entity = estateEntity(claim);
      await expect(validateEntity(entity)).resolves.toBeDefined();
      await expect(resourceEntityV1alpha1Validator.check(entity as unknown as Entity)).resolves.toBe(true);
      const { name, namespace } = claim.claim.metadata;
      expect(entity).toMatchObject({
        metadata: { name: `${namespace}-${name}`, annotations: { [CLAIM_ANNOTATION]: `${namespace}/${name}` } },
        spec: { type: 'disaster-recovery-estate', owner: `group:default/${namespace}` },
      });
    }
  });

  it('would be refused without an owner, or with a name Backstage does not accept', async () => {
    const entity = estateEntity(claims[0]!) as { spec: Record<string, unknown>; metadata: Record<string, unknown> };
    const { owner: _owner, ...ownerless } = entity.spec;
    await expect(resourceEntityV1alpha1Validator.check({ ...entity, spec: ownerless } as unknown as Entity)).rejects.toThrow(
      /owner/,
    );
    await expect(validateEntity({ ...entity, metadata: { ...entity.metadata, name: 'not a name!' } })).rejects.toThrow(/name/);
  });

  it('start with the Location of the template and list each claim once, sorted by path', async () => {
    const entities = catalogEntities([...claims].reverse());
    expect(entities[0]).toMatchObject({ kind: 'Location', spec: { targets: ['./template.yaml'] } });
    const paths = entities.slice(1).map((e) => (e as { metadata: { annotations: Record<string, string> } }).metadata.annotations);
    expect(paths.map((a) => a['drplane.io/claim-path'])).toEqual(claims.map((c) => c.path).sort());
    for (const entity of entities) await expect(validateEntity(entity)).resolves.toBeDefined();
  });

  it('committed: one document per entity of claims/', () => {
    const docs = parseAllDocuments(readFileSync(join(root, BACKSTAGE_DIR, 'catalog-info.yaml'), 'utf8'));
    expect(docs.map((d) => (d.toJS() as { kind: string }).kind)[0]).toBe('Location');
  });
});
