/**
 * The Backstage software template and catalog entries (src/backstage → backstage/): committed as generated, valid
 * against Backstage's own published schemas and validators (@backstage/plugin-scaffolder-common's Template v1beta3,
 * @backstage/catalog-model's entity envelope and Resource kind), every claim field in the form, and the claim file the
 * template writes, rendered with nunjucks as Backstage renders it, is each example claim again.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import {
  CLAIM_ANNOTATION,
  ESTATES_DIR,
  ESTATES_TARGET,
  estateEntity,
  estateFile,
  estateOwner,
} from '../../src/backstage/catalog.js';
import { BACKSTAGE_DIR, backstageFiles } from '../../src/backstage/files.js';
import {
  CLAIM_FILE,
  DEFAULT_TEMPLATE_SETTINGS,
  ESTATE_FILE,
  PAGES,
  type TemplateSettings,
  estateFileTemplate,
  githubRepoUrl,
  template,
  templateParameters,
  toggle,
} from '../../src/backstage/template.js';
import { templateSettingsOf } from '../../charts/bootstrap/backstage.js';
import { DEFAULT_SETTINGS } from '../../charts/bootstrap/settings.js';
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
  it('is exactly what npm run backstage writes (template, claim and estate files, the Location), plus estates/', () => {
    const files = backstageFiles(templateSettingsOf());
    expect(Object.keys(files).sort()).toEqual(['catalog-info.yaml', CLAIM_FILE, ESTATE_FILE, 'template.yaml'].sort());
    expect(readdirSync(repoPath(BACKSTAGE_DIR)).sort()).toEqual([...Object.keys(files), ESTATES_DIR].sort());
    for (const [name, text] of Object.entries(files))
      expect(readFileSync(repoPath(BACKSTAGE_DIR, name), 'utf8'), `${BACKSTAGE_DIR}/${name}: run npm run backstage`).toBe(text);
  });

  it('does not change when a claim is added to an onboarded team (audit 18 M6: claim PRs never fail this test)', () => {
    const claimsDir = join(mkdtempSync(join(tmpdir(), 'drplane-claims-')), 'claims');
    cpSync(repoPath('claims'), claimsDir, { recursive: true });
    mkdirSync(join(claimsDir, 'team-shop'), { recursive: true });
    writeFileSync(join(claimsDir, 'team-shop', 'first.yaml'), exampleText('minimal.yaml'));
    const before = backstageFiles(templateSettingsOf(DEFAULT_SETTINGS, claimsDir));
    writeFileSync(join(claimsDir, 'team-shop', 'second.yaml'), exampleText('payments.yaml'));
    expect(backstageFiles(templateSettingsOf(DEFAULT_SETTINGS, claimsDir))).toEqual(before);
  });

  it('every committed estate file is a valid Resource of the claim its file name names', async () => {
    for (const file of readdirSync(repoPath(BACKSTAGE_DIR, ESTATES_DIR)).filter((f) => f.endsWith('.yaml'))) {
      const entity = parse(readFileSync(repoPath(BACKSTAGE_DIR, ESTATES_DIR, file), 'utf8')) as Entity;
      await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(true);
      expect(`${ESTATES_DIR}/${file}`).toBe(estateFile(entity.metadata.namespace!, entity.metadata.name));
    }
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

  it('writes the claim and its estate file, and opens a pull request on the one claims repository, authored by the user', () => {
    const steps = (template().spec as { steps: { action: string; input: Record<string, unknown> }[] }).steps;
    expect(steps.map((s) => s.action)).toEqual(['fetch:template:file', 'fetch:template:file', 'publish:github:pull-request']);
    expect(steps[0]!.input).toMatchObject({
      url: `./${CLAIM_FILE}`,
      targetPath: 'claims/${{ parameters.namespace }}/${{ parameters.name }}.yaml',
    });
    expect(steps[1]!.input).toMatchObject({
      url: `./${ESTATE_FILE}`,
      targetPath: 'backstage/estates/${{ parameters.namespace }}.${{ parameters.name }}.yaml',
    });
    expect(steps[2]!.input).toMatchObject({
      repoUrl: DEFAULT_TEMPLATE_SETTINGS.repoUrl,
      gitAuthorName: '${{ user.entity.metadata.name }}',
      gitAuthorEmail: '${{ user.entity.spec.profile.email }}',
    });
  });
});

describe('teams in the template (audit 18 M5)', () => {
  const settings: TemplateSettings = {
    ...DEFAULT_TEMPLATE_SETTINGS,
    namespaces: ['team-shop', 'team-pay'],
    teamGroups: { 'team-shop': ['shop-devs', 'shop-leads'], 'team-pay': ['pay-devs'] },
  };

  it('offers only the onboarded namespaces, and no repository field: the pull request goes to the bootstrap repository', () => {
    const identity = templateParameters(settings)[0] as { properties: Record<string, { enum?: string[] }> };
    expect(identity.properties.namespace!.enum).toEqual(['team-pay', 'team-shop']);
    expect(JSON.stringify(templateParameters(settings))).not.toContain('RepoUrlPicker');
    expect(templateSettingsOf().repoUrl).toBe('github.com?owner=drplane&repo=drplane');
    expect(githubRepoUrl('https://github.com/acme/platform-claims')).toBe('github.com?owner=acme&repo=platform-claims');
    expect(() => githubRepoUrl('https://gitlab.com/acme/claims.git')).toThrow(/not https:\/\/github.com/);
  });

  it("asks the namespace's teams to review, as Backstage evaluates a whole-string expression", () => {
    const pr = (template(settings).spec as { steps: { input: Record<string, string> }[] }).steps[2]!.input;
    // Backstage renders a value that is one ${{ }} expression through `| dump` and parses it back (its type kept).
    const evaluate = (expression: string, namespace: string) =>
      JSON.parse(
        backstageNunjucks.renderString(expression.replace(/^\$\{\{(.*)\}\}$/s, '$${{ ($1) | dump }}'), {
          parameters: { namespace },
        }),
      ) as unknown;
    expect(evaluate(pr.teamReviewers!, 'team-shop')).toEqual(['shop-devs', 'shop-leads']);
    expect(evaluate(pr.teamReviewers!, 'team-pay')).toEqual(['pay-devs']);
    expect(evaluate(pr.teamReviewers!, 'team-other')).toEqual([]);
    expect((template().spec as { steps: { input: Record<string, string> }[] }).steps[2]!.input.teamReviewers).toBeUndefined();
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

describe('catalog entries of the estates (audit 18 M6)', () => {
  const teamGroups = { 'team-shop': ['shop-devs'], 'team-pay': ['Payments Team', 'pay-devs'] };
  const settings: TemplateSettings = { ...DEFAULT_TEMPLATE_SETTINGS, teamGroups };
  const estateTemplate = estateFileTemplate(settings);

  it.each(examples)(
    'the estate file the template writes for %s is the entity the portal writes, valid for Backstage',
    async (example) => {
      const { name, namespace } = (parse(exampleText(example)) as { metadata: { name: string; namespace: string } }).metadata;
      for (const ns of [namespace, 'team-shop', 'team-pay']) {
        const rendered = parse(backstageNunjucks.renderString(estateTemplate, { values: { form: { name, namespace: ns } } }));
        const entity = estateEntity(ns, name, estateOwner(ns, teamGroups));
        expect(rendered).toEqual(entity);
        await expect(validateEntity(entity)).resolves.toBeDefined();
        await expect(resourceEntityV1alpha1Validator.check(entity as unknown as Entity)).resolves.toBe(true);
      }
    },
  );

  it("is in the team's Backstage namespace under the claim's name, owned by its team group, with the Kubernetes annotations", () => {
    expect(estateOwner('team-shop', teamGroups)).toBe('group:default/shop-devs');
    // A group name Backstage cannot take is skipped; a namespace without a group owns its estates under its own name.
    expect(estateOwner('team-pay', teamGroups)).toBe('group:default/pay-devs');
    expect(estateOwner('team-none', teamGroups)).toBe('group:default/team-none');
    expect(estateEntity('team-shop', 'orders', 'group:default/shop-devs')).toMatchObject({
      metadata: {
        name: 'orders',
        namespace: 'team-shop',
        annotations: {
          [CLAIM_ANNOTATION]: 'team-shop/orders',
          'backstage.io/kubernetes-namespace': 'team-shop',
          'backstage.io/kubernetes-label-selector': 'crossplane.io/claim-namespace=team-shop,crossplane.io/claim-name=orders',
        },
      },
      spec: { owner: 'group:default/shop-devs' },
    });
  });

  it('takes the longest names a claim may have (a 63-character namespace, a 40-character name)', async () => {
    const entity = estateEntity(`t${'e'.repeat(61)}a`, `n${'a'.repeat(38)}e`, 'group:default/x');
    await expect(validateEntity(entity)).resolves.toBeDefined();
  });

  it('would be refused without an owner, or with a name Backstage does not accept', async () => {
    const entity = estateEntity('team-shop', 'orders', 'group:default/shop-devs') as {
      spec: Record<string, unknown>;
      metadata: Record<string, unknown>;
    };
    const { owner: _owner, ...ownerless } = entity.spec;
    await expect(resourceEntityV1alpha1Validator.check({ ...entity, spec: ownerless } as unknown as Entity)).rejects.toThrow(
      /owner/,
    );
    await expect(validateEntity({ ...entity, metadata: { ...entity.metadata, name: 'not a name!' } })).rejects.toThrow(/name/);
  });

  it('are found through the Location of catalog-info.yaml, which lists no claim', async () => {
    const docs = parseAllDocuments(readFileSync(join(root, BACKSTAGE_DIR, 'catalog-info.yaml'), 'utf8')).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'Location', spec: { targets: ['./template.yaml', ESTATES_TARGET] } });
    await expect(validateEntity(docs[0])).resolves.toBeDefined();
  });
});
