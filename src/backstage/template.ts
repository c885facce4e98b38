/**
 * The Backstage software template (scaffolder.backstage.io/v1beta3) for a DisasterRecovery claim, generated from the
 * claim schema (src/api → src/policy/schema-tree), like the portal's form, so the two cannot drift: its parameters are
 * the schema's fields with their descriptions, bounds, enums and defaults; its steps write
 * `claims/<namespace>/<name>.yaml` (the file `claim.yaml.njk` beside it, generated here too) and open a pull request.
 * `npm run backstage` writes backstage/; test/backstage checks it is current and valid against Backstage's schema.
 */
import { stringify } from 'yaml';
import { NO_DELETE, NO_PRUNE, SYNC_OPTIONS } from '../gitops/argocd.js';
import { type SchemaNode, claimSchema } from '../policy/schema-tree.js';
import { estateEntity, estateFile, estateOwners } from './catalog.js';
import { FORM_PAGES } from '../api/estate.js';
import { PRIMITIVE_APIS } from '../primitives/kinds.js';

/** The template's name in the catalog. */
export const TEMPLATE_NAME = 'drplane-disaster-recovery';
/** The templated claim file, beside the template. */
export const CLAIM_FILE = 'claim.yaml.njk';

/** The estate's catalog file, beside the template. */
export const ESTATE_FILE = 'estate.yaml.njk';

/** Settings of the generated template. */
export interface TemplateSettings {
  /** Catalog owner of the template (an entity reference). */
  readonly owner: string;
  /**
   * The claims repository as the GitHub actions take it (`github.com?owner=<org>&repo=<repo>`): fixed, so a pull
   * request cannot go to any other repository (audit 18 M5).
   */
  readonly repoUrl: string;
  /** The onboarded team namespaces (claims/ folders): the only ones the form offers; none: any valid name. */
  readonly namespaces: readonly string[];
  /** SSO groups per team namespace (the bootstrap's teamGroups): the pull request's team reviewers and the owner. */
  readonly teamGroups: Readonly<Record<string, readonly string[]>>;
}

/** Default settings: owned by the platform team, the drplane repository, no team onboarded. */
export const DEFAULT_TEMPLATE_SETTINGS: TemplateSettings = {
  owner: 'group:default/platform-team',
  repoUrl: 'github.com?owner=drplane&repo=drplane',
  namespaces: [],
  teamGroups: {},
};

/** The GitHub actions' `repoUrl` of a repository URL (`https://github.com/<org>/<repo>.git`); throws on another. */
export function githubRepoUrl(url: string): string {
  const match = /^https:\/\/(github\.com)\/([\w.-]+)\/([\w.-]+?)(\.git)?\/?$/.exec(url);
  if (!match) throw new Error(`the Backstage template opens pull requests on GitHub; ${url} is not https://github.com/<org>/<repo>`);
  return `${match[1]}?owner=${match[2]}&repo=${match[3]}`;
}

/** The estate's own fields, on the form's first page. */
const ESTATE_FIELDS = ['environment', 'profile', 'regions', 'activeRegion', 'objectives', 'tags', 'providerConfigRef'];

/**
 * The form's pages and the spec fields each holds, in order: the estate's fields, then each page of FORM_PAGES with the
 * claim sections the primitives place on it (their API's `claim.page`), in the estate's order. Every spec field is on
 * exactly one page.
 */
export const PAGES: readonly { readonly title: string; readonly fields: readonly string[] }[] = [
  { title: 'Estate', fields: ESTATE_FIELDS },
  ...FORM_PAGES.map((title) => ({
    title,
    fields: Object.values(PRIMITIVE_APIS)
      .filter((api) => api.claim.page === title)
      .map((api) => api.claim.field),
  })),
];

/** Keys of the OpenAPI schema Backstage's form (react-jsonschema-form) has no use for. */
const DROPPED = /^x-kubernetes-/;

/** `spec.tables` → `Tables`, `activeRegion` → `Active region`. */
function title(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The parameter toggling an optional section on: `withNetwork`. */
export function toggle(field: string): string {
  return `with${field.charAt(0).toUpperCase()}${field.slice(1)}`;
}

/** A schema node as a form field: Kubernetes extensions dropped, a title on every property, recursively. */
function formField(node: SchemaNode, name?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (name !== undefined) out.title = title(name);
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.test(key)) continue;
    if (key === 'properties')
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([k, v]) => [k, formField(v, k)]),
      );
    else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object' && value !== null))
      out[key] = formField(value as SchemaNode);
    else out[key] = value;
  }
  return out;
}

/** The spec fields of the claim schema, in schema order, and the ones it requires. */
function specSchema(): { fields: Record<string, SchemaNode>; required: readonly string[] } {
  const spec = claimSchema().properties!.spec!;
  return { fields: spec.properties!, required: spec.required ?? [] };
}

/** True when a field is a section the form adds on request (an optional object or list). */
function isSection(node: SchemaNode, required: readonly string[], field: string): boolean {
  return !required.includes(field) && (node.type === 'object' || node.type === 'array');
}

/** The template's parameter pages (react-jsonschema-form schemas), generated from the claim schema. */
export function templateParameters(settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS): Record<string, unknown>[] {
  const { fields, required } = specSchema();
  const placed = PAGES.flatMap((p) => p.fields);
  const missing = Object.keys(fields).filter((f) => !placed.includes(f));
  const unknown = placed.filter((f) => !(f in fields));
  if (missing.length > 0 || unknown.length > 0)
    throw new Error(
      `src/backstage/template.ts PAGES is out of date with the claim schema: ${[
        ...missing.map((f) => `spec.${f} is on no page`),
        ...unknown.map((f) => `spec.${f} is not in the schema`),
      ].join('; ')}`,
    );
  const metadata = claimSchema().properties!.metadata!.properties!;
  const { default: _namespaceDefault, ...namespace } = formField(metadata.namespace!, 'namespace');
  // Only onboarded namespaces (audit 18 M5): a claim elsewhere would not sync, and each team's pull request is
  // routed to its reviewers.
  const onboarded = [...settings.namespaces].sort();
  const identity = {
    title: 'Name and team',
    required: ['name', 'namespace'],
    properties: {
      name: formField(metadata.name!, 'name'),
      namespace: {
        ...namespace,
        ...(onboarded.length > 0 ? { enum: onboarded } : {}),
        description:
          "Your team's namespace: the claim is written to claims/<namespace>/<name>.yaml, which the namespace's Argo CD Application syncs (the platform team onboards a namespace once). The pull request asks the team's reviewers.",
      },
    },
  };
  const pages = PAGES.map((page) => {
    const properties: Record<string, unknown> = {};
    const dependencies: Record<string, unknown> = {};
    for (const field of page.fields) {
      const node = fields[field]!;
      if (!isSection(node, required, field)) {
        properties[field] = formField(node, field);
        continue;
      }
      const on = toggle(field);
      properties[on] = {
        title: `Add ${title(field).toLowerCase()}`,
        description: node.description,
        type: 'boolean',
        default: false,
      };
      dependencies[on] = {
        oneOf: [
          { properties: { [on]: { enum: [false] } } },
          { properties: { [on]: { enum: [true] }, [field]: formField(node, field) }, required: [field] },
        ],
      };
    }
    const pageRequired = page.fields.filter((f) => required.includes(f));
    return {
      title: page.title,
      ...(pageRequired.length > 0 ? { required: pageRequired } : {}),
      properties,
      ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}),
    };
  });
  return [identity, ...pages];
}

/**
 * The templated claim file (`fetch:template:file` renders it with `values.form`, the form's answers): every spec field
 * the form may hold, written when answered (a section only when its toggle is on), each value as JSON (which is
 * YAML), and the sync options the portal also writes (src/gitops/argocd.ts): Delete=false, plus Prune=false unless the
 * profile is test.
 */
export function claimFileTemplate(): string {
  const { fields, required } = specSchema();
  const lines = [
    '# Written by the drplane Backstage template (backstage/template.yaml).',
    'apiVersion: drplane.io/v1alpha1',
    'kind: DisasterRecovery',
    'metadata:',
    '  name: ${{ values.form.name | dump }}',
    '  namespace: ${{ values.form.namespace | dump }}',
    '  annotations:',
    `    ${SYNC_OPTIONS}: \${{ "${NO_DELETE}" if values.form.profile == "test" else "${NO_DELETE},${NO_PRUNE}" }}`,
    'spec:',
  ];
  for (const [field, node] of Object.entries(fields)) {
    const value = `  ${field}: \${{ values.form.${field} | dump }}`;
    if (required.includes(field)) lines.push(value);
    else {
      const when = isSection(node, required, field)
        ? `values.form.${toggle(field)}`
        : `values.form.${field} is defined and values.form.${field} !== ""`;
      lines.push(`{%- if ${when} %}`, value, '{%- endif %}');
    }
  }
  return lines.join('\n') + '\n';
}

/** Placeholders `estateFileTemplate` puts in `estateEntity` and replaces with template expressions. */
const SLOT = { namespace: 'x0namespace0x', name: 'x0name0x', owner: 'x0owner0x' } as const;

/**
 * The templated estate file (`backstage/estates/<namespace>.<name>.yaml`): `estateEntity` with the form's namespace and
 * name, and the owner looked up in a table generated from teamGroups (else `group:default/<namespace>`), so the
 * template and the portal write the same entity.
 */
export function estateFileTemplate(settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS): string {
  const text = stringify(estateEntity(SLOT.namespace, SLOT.name, SLOT.owner), { lineWidth: 0 });
  if (/["']/.test(text)) throw new Error('estateEntity wrote a quoted string: the template slots would be quoted');
  return [
    '{#- Generated by `npm run backstage` (src/backstage/template.ts) from estateEntity and teamGroups: do not edit. #}',
    `{%- set owners = ${JSON.stringify(estateOwners(settings.teamGroups))} %}`,
    text
      .replaceAll(SLOT.namespace, '${{ values.form.namespace }}')
      .replaceAll(SLOT.name, '${{ values.form.name }}')
      .replaceAll(SLOT.owner, '${{ owners[values.form.namespace] or ("group:default/" + values.form.namespace) }}'),
  ].join('\n');
}

/** The Template entity. */
export function template(settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS): Record<string, unknown> {
  const target = 'claims/${{ parameters.namespace }}/${{ parameters.name }}.yaml';
  const reviewers = Object.fromEntries(
    Object.keys(settings.teamGroups)
      .sort()
      .map((ns) => [ns, [...settings.teamGroups[ns]!].sort()]),
  );
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: TEMPLATE_NAME,
      title: 'Disaster-recovery estate (drplane)',
      description:
        'A DisasterRecovery claim: a multi-region AWS estate that Crossplane builds and Argo CD syncs. The form is generated from the claim schema; the claim is proposed as a pull request to the claims repository.',
      tags: ['drplane', 'disaster-recovery', 'aws', 'crossplane'],
    },
    spec: {
      owner: settings.owner,
      type: 'disaster-recovery-estate',
      parameters: templateParameters(settings),
      steps: [
        {
          id: 'claim',
          name: 'Write the claim',
          action: 'fetch:template:file',
          input: {
            url: `./${CLAIM_FILE}`,
            targetPath: target,
            values: { form: '${{ parameters }}' },
          },
        },
        {
          id: 'catalog',
          name: 'Write the catalog entry of the estate',
          action: 'fetch:template:file',
          input: {
            url: `./${ESTATE_FILE}`,
            targetPath: `backstage/${estateFile('${{ parameters.namespace }}', '${{ parameters.name }}')}`,
            values: { form: '${{ parameters }}' },
          },
        },
        {
          id: 'pull-request',
          name: 'Open a pull request',
          action: 'publish:github:pull-request',
          input: {
            repoUrl: settings.repoUrl,
            branchName: 'drplane/claims/${{ parameters.namespace }}-${{ parameters.name }}',
            title: 'claim(${{ parameters.namespace }}/${{ parameters.name }}): add ' + target,
            description:
              'A DisasterRecovery claim proposed from Backstage by ${{ user.entity.metadata.name }}. Check it with `npx drctl validate ' +
              target +
              '` and `npx drctl plan`; once merged, Argo CD syncs it.',
            commitMessage: 'claim(${{ parameters.namespace }}/${{ parameters.name }}): add ' + target,
            gitAuthorName: '${{ user.entity.metadata.name }}',
            gitAuthorEmail: '${{ user.entity.spec.profile.email }}',
            // The team's SSO groups as GitHub team slugs (GitHub team sync keeps them equal): the owners review.
            ...(Object.keys(reviewers).length > 0
              ? { teamReviewers: `\${{ (${JSON.stringify(reviewers)})[parameters.namespace] or [] }}` }
              : {}),
          },
        },
      ],
      output: {
        links: [{ title: 'Pull request', url: "${{ steps['pull-request'].output.remoteUrl }}" }],
      },
    },
  };
}
