/**
 * Checks of a plan against what provider-upjet-aws does with it (test/support/provider-source.ts):
 * each external-name annotation against its kind's external-name configuration, and each `*Ref`/
 * `*Selector` against the provider's resolver (the kind it selects, the value it copies) and the
 * CRD description of the field it fills. Each function returns problems as messages; [] is conformant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PlannedResource } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { providerCrdsDir, repoPath } from './paths.js';
import { normalize, type ProviderSource, type ResolverRule } from './provider-source.js';

const EXTERNAL_NAME = 'crossplane.io/external-name';

/** A selector or reference in a manifest's forProvider. */
export interface ReferenceUse {
  /** The field it fills, as written (`serverSideEncryption.kmsKeyArn`). */
  readonly field: string;
  /** The provider's resolver of that field. */
  readonly rule: ResolverRule;
  /** The CRD description of the field. */
  readonly description: string;
  /** The selector, for a `*Selector`. */
  readonly selector?: Selector;
}

/** A Crossplane reference selector. */
export interface Selector {
  readonly matchLabels?: Record<string, string>;
  readonly matchControllerRef?: boolean;
}

/** What the checks looked at, for the summary line. */
export interface Counts {
  resources: number;
  kinds: Set<string>;
  references: number;
  annotations: number;
}

/** An empty tally. */
export const newCounts = (): Counts => ({ resources: 0, kinds: new Set(), references: 0, annotations: 0 });

const isManaged = (m: Manifest): boolean => m.apiVersion.endsWith('.aws.upbound.io/' + m.apiVersion.split('/')[1]);
const annotationsOf = (m: Manifest): Record<string, string> =>
  (m.metadata as { annotations?: Record<string, string> }).annotations ?? {};
const labelsOf = (m: Manifest): Record<string, string> => (m.metadata as { labels?: Record<string, string> }).labels ?? {};
const forProviderOf = (m: Manifest): Record<string, unknown> =>
  (m.spec as { forProvider?: Record<string, unknown> }).forProvider ?? {};
const where = (m: Manifest): string =>
  `${m.kind} ${annotationsOf(m)[EXTERNAL_NAME] ?? JSON.stringify(labelsOf(m)['drplane.io/component'] ?? '')}`;

/** True when `fields` (a forProvider object) sets the Terraform argument `param`, or a reference that fills it. */
function sets(fields: Record<string, unknown>, param: string): boolean {
  const want = normalize(param);
  return Object.keys(fields).some((k) => {
    const n = normalize(k);
    return n === want || n === `${want}ref` || n === `${want}selector` || n === `${want}refs`;
  });
}

/** How a managed resource's external-name annotation breaks its kind's configuration in the provider. */
export function externalNameProblems(m: Manifest, source: ProviderSource, counts?: Counts): string[] {
  if (!isManaged(m)) return [];
  const rule = source.externalName(m.apiVersion, m.kind);
  const name = annotationsOf(m)[EXTERNAL_NAME];
  const fields = forProviderOf(m);
  const problems: string[] = [];
  const say = (message: string) => problems.push(`${where(m)}: ${message} (${rule.tfType}: ${rule.expression})`);
  if (counts) {
    counts.resources++;
    counts.kinds.add(`${m.apiVersion}/${m.kind}`);
    if (name !== undefined) counts.annotations++;
  }
  if (rule.identifier === 'provider') {
    // An Observe-only resource imports an existing one: its external name is the id, an ARN where the kind's id is one.
    const policies = (m.spec as { managementPolicies?: unknown } | undefined)?.managementPolicies;
    const imported = JSON.stringify(policies) === '["Observe"]';
    if (name !== undefined && !imported) say(`external name "${name}" set, but AWS assigns this id: leave the annotation unset`);
    if (imported && (name === undefined || name === ''))
      say('Observe-only, but no external name: the provider has nothing to import');
    if (imported && name && source.importedAsArn(m.apiVersion, m.kind) && !/^arn:aws[a-z-]*:/.test(name))
      say(`external name "${name}" is not an ARN, which the provider imports this kind by`);
  } else if (name === undefined || name === '') {
    say(`no external name: the provider would name it after the Kubernetes object`);
  } else {
    const param = rule.nameParameter!;
    const own = Object.entries(fields).find(([k]) => normalize(k) === normalize(param))?.[1];
    if (own !== undefined && own !== name) say(`forProvider ${param} "${String(own)}" differs from the external name "${name}"`);
    for (const prefix of rule.strippedPrefixes) {
      if (name.startsWith(prefix))
        say(`external name "${name}" starts with "${prefix}", which the provider strips from the id it observes`);
    }
    for (const sep of rule.splitOn) {
      if (sep !== '' && name.includes(sep))
        say(`external name "${name}" holds "${sep}", where the provider splits the id it observes`);
    }
    if (rule.template !== undefined) {
      const literal = /"((?:[^"\\]|\\.)*\{\{ \.external_name \}\}(?:[^"\\]|\\.)*)"/.exec(rule.template)?.[1] ?? '';
      const [before = '', after = ''] = literal.split('{{ .external_name }}');
      const edge = (s: string, end: boolean) => (end ? s.slice(-1) : s.slice(0, 1)).replace(/[{} ]/g, '');
      for (const c of [edge(before, true), edge(after, false)]) {
        if (c !== '' && name.includes(c))
          say(`external name "${name}" holds "${c}": it is the bare name, the provider builds the id ${rule.template}`);
      }
      if (/ARNTemplate\(/.test(rule.template) && name.startsWith('arn:'))
        say(`external name "${name}" is an ARN: the provider builds it`);
      for (const [, p] of rule.template.matchAll(/\{\{ \.parameters\.(\w+) \}\}/g)) {
        const value = Object.entries(fields).find(([k]) => normalize(k) === normalize(p!))?.[1];
        if (typeof value === 'string' && name.includes(value))
          say(`external name "${name}" repeats ${p} "${value}", which the provider prepends`);
      }
    }
  }
  for (const param of rule.requiredParameters) {
    if (!sets(fields, param)) say(`sets no ${param}: the provider's id function fails with "${param} cannot be empty"`);
  }
  return problems;
}

/** Plural of each provider kind, from imports/provider-kinds.json (written by npm run import). */
let plurals: Map<string, string> | undefined;
const crdCache = new Map<string, Record<string, unknown>>();

/** The openAPI schema of a kind's forProvider in the pinned CRD. */
function forProviderSchema(apiVersion: string, kind: string): Record<string, unknown> {
  const [group, version] = apiVersion.split('/') as [string, string];
  plurals ??= new Map(
    (
      JSON.parse(readFileSync(repoPath('imports', 'provider-kinds.json'), 'utf8')) as {
        group: string;
        kind: string;
        plural: string;
      }[]
    ).map((k) => [`${k.group}/${k.kind}`, k.plural]),
  );
  const plural = plurals.get(`${group}/${kind}`);
  if (!plural) throw new Error(`${group} ${kind}: not in imports/provider-kinds.json`);
  const file = join(providerCrdsDir(), `${group}_${plural}.yaml`);
  let crd = crdCache.get(file);
  if (!crd) crdCache.set(file, (crd = parse(readFileSync(file, 'utf8')) as Record<string, unknown>));
  const versions = (crd.spec as { versions: { name: string; schema: { openAPIV3Schema: any } }[] }).versions;
  const v = versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file}: no version ${version}`);
  return v.schema.openAPIV3Schema.properties.spec.properties.forProvider;
}

/**
 * True when the kind's Terraform id, which the provider makes its external name when AWS assigns the identifier, is
 * its ARN: the CRD describes status.atProvider.id as an ARN (an ACM Certificate: "ARN of the certificate").
 */
export function idIsArn(apiVersion: string, kind: string): boolean {
  return once(`arn-id ${apiVersion} ${kind}`, () => {
    forProviderSchema(apiVersion, kind);
    const [group, version] = apiVersion.split('/') as [string, string];
    const crd = crdCache.get(join(providerCrdsDir(), `${group}_${plurals!.get(`${group}/${kind}`)}.yaml`)) as any;
    const v = crd.spec.versions.find((x: { name: string }) => x.name === version);
    const id = v.schema.openAPIV3Schema.properties.status?.properties?.atProvider?.properties?.id;
    return /^ARN\b/.test(String(id?.description ?? ''));
  });
}

const memo = new Map<string, unknown>();
/** `compute()` once per key. */
function once<T>(key: string, compute: () => T): T {
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

/** The description of a field below forProvider, or throws when the CRD has no such field. */
function fieldDescription(apiVersion: string, kind: string, segments: readonly string[]): string {
  return once(`d ${apiVersion} ${kind} ${segments.join('.')}`, () => describeField(apiVersion, kind, segments));
}

function describeField(apiVersion: string, kind: string, segments: readonly string[]): string {
  let node: any = forProviderSchema(apiVersion, kind);
  for (const s of segments) {
    const props: Record<string, unknown> | undefined = node.properties ?? node.items?.properties;
    node = props?.[s] ?? Object.entries(props ?? {}).find(([k]) => normalize(k) === normalize(s))?.[1];
    if (!node) throw new Error(`${apiVersion} ${kind}: the CRD has no forProvider.${segments.join('.')}`);
  }
  return String(node.description ?? '');
}

/** True when the CRD field at `segments` is a Kubernetes secret key selector (it has a `key`). */
function isSecretRef(m: Manifest, segments: readonly string[]): boolean {
  return once(`s ${m.apiVersion} ${m.kind} ${segments.join('.')}`, () => secretRefField(m, segments));
}

function secretRefField(m: Manifest, segments: readonly string[]): boolean {
  let node: any = forProviderSchema(m.apiVersion, m.kind);
  for (const s of segments) node = (node?.properties ?? node?.items?.properties)?.[s];
  if (!node) throw new Error(`${m.apiVersion} ${m.kind}: the CRD has no forProvider.${segments.join('.')}`);
  return node.properties?.key !== undefined && node.properties?.namespace !== undefined;
}

/** True when a field takes an ARN: its name says so, or its description asks for an ARN and nothing else. */
export function wantsArn(field: string, description: string): boolean {
  if (/arns?$/i.test(field)) return true;
  // The first sentence says what the field is; later ones add alternatives or notes.
  const first = description.replace(/\s+/g, ' ').split(/\.(\s|$)/)[0]!;
  if (!/\bARN\b/.test(first)) return false;
  // "Name or ARN", "ARN or Id", "either an ARN or key_id": either form is accepted.
  return !/\b(id|key_id|identifier|name|alias|either)\b/i.test(first);
}

/** Every selector and reference of a manifest's forProvider, with the provider's resolver of the field. */
export function referenceUses(m: Manifest, source: ProviderSource): ReferenceUse[] {
  const uses: ReferenceUse[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, path));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      const ref = /^(.+?)(Selector|Ref|Refs)$/.exec(k);
      // A Kubernetes secret reference ({name, namespace, key}) is not a reference to a managed resource.
      if (ref && v !== null && typeof v === 'object' && !isSecretRef(m, [...path, k])) {
        const segments = [...path, ref[1]!];
        const rule = source.resolver(m.apiVersion, m.kind, 'forProvider', segments.map(normalize).join('.'));
        uses.push({
          field: segments.join('.'),
          rule,
          description: fieldDescription(m.apiVersion, m.kind, [...path, rule.valuePath.split('.').at(-1)!]),
          ...(ref[2] === 'Selector' ? { selector: v as Selector } : {}),
        });
      } else walk(v, [...path, k]);
    }
  };
  walk(forProviderOf(m), []);
  return uses;
}

/**
 * True when the provider's resolver of a reference copies an ARN: the target's arn, or its Terraform id (copied as such,
 * or as the external name of a kind whose id AWS assigns) where the CRD or the external-name table says it is an ARN.
 */
export function copiesArn(use: ReferenceUse, source: ProviderSource): boolean {
  const [targetApiGroup, targetVersion, targetKind] = use.rule.target.split('/') as [string, string, string];
  const target = `${targetApiGroup}/${targetVersion}`;
  const idCopied =
    use.rule.copies === 'id' ||
    (use.rule.copies === 'external-name' && source.externalName(target, targetKind).identifier === 'provider');
  return use.rule.copies === 'arn' || (idCopied && (idIsArn(target, targetKind) || source.importedAsArn(target, targetKind)));
}

/** How the selectors and references of a plan's managed resources fail to resolve to what their fields want. */
export function referenceProblems(plan: readonly PlannedResource[], source: ProviderSource, counts?: Counts): string[] {
  const problems: string[] = [];
  const byKind = new Map<string, PlannedResource[]>();
  for (const r of plan) {
    const k = `${r.manifest.apiVersion.split('/')[0]}/${r.manifest.kind}`;
    byKind.set(k, [...(byKind.get(k) ?? []), r]);
  }
  for (const r of plan) {
    const m = r.manifest;
    if (!isManaged(m)) continue;
    for (const use of referenceUses(m, source)) {
      if (counts) counts.references++;
      const say = (message: string) => problems.push(`${where(m)}: ${use.field}: ${message}`);
      const [targetGroup, , targetKind] = use.rule.target.split('/') as [string, string, string];
      if (wantsArn(use.field, use.description) && !copiesArn(use, source)) {
        say(
          `the field wants an ARN ("${use.description.split('.')[0]}"), but the provider copies the ${use.rule.copies} of the ${targetKind} (${use.rule.extract})`,
        );
      }
      const selector = use.selector;
      if (!selector) continue;
      const matches = (byKind.get(`${targetGroup}/${targetKind}`) ?? []).filter(
        (o) =>
          Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labelsOf(o.manifest)[k] === v) &&
          (!selector.matchControllerRef || o.parent === r.parent),
      );
      if (matches.length === 0) say(`its selector ${JSON.stringify(selector)} matches no ${targetKind} of the plan`);
      else if (!use.rule.multiple && matches.length > 1)
        say(`its selector matches ${matches.length} ${targetKind}s: the provider takes whichever it lists first`);
    }
  }
  return problems;
}
