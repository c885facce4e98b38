/**
 * The managed-resource kinds drplane composes, derived from src/compose itself, so the
 * ManagedResourceActivationPolicy cannot fall behind the code: a composer that starts building a new kind
 * imports its class from imports/<group>.ts, the next synth activates it, and the drift test fails until the
 * regenerated policy is committed.
 *
 * The source, read from the code and never listed by hand: every value import of a class from
 * imports/<family>.aws.upbound.io.js anywhere under src/compose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoPath } from './paths.js';

/** One managed-resource kind, as a ManagedResourceActivationPolicy names it. */
export interface ManagedKind {
  /** API group, e.g. s3.aws.upbound.io. */
  readonly group: string;
  /** Kind, e.g. BucketVersioning. */
  readonly kind: string;
  /** Where the kind comes from (a src/compose file, for review). */
  readonly source: string;
}

/** A module specifier of a generated provider module, e.g. ../../imports/s3.aws.upbound.io.js. */
const PROVIDER_MODULE = /(?:^|\/)imports\/([a-z0-9]+\.aws\.upbound\.io)\.js$/;

/** TypeScript files under a folder, sorted, paths relative to the repository root. */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(repoPath(), join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** Names a file imports as values (not `import type`) from each generated provider module. */
function providerImports(file: string): { group: string; name: string }[] {
  const source = ts.createSourceFile(file, readFileSync(repoPath(file), 'utf8'), ts.ScriptTarget.ES2022, false);
  const found: { group: string; name: string }[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const group = PROVIDER_MODULE.exec(statement.moduleSpecifier.text)?.[1];
    const clause = statement.importClause;
    if (!group || !clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (!element.isTypeOnly) found.push({ group, name: (element.propertyName ?? element.name).text });
    }
  }
  return found;
}

/**
 * The API object classes a generated module exports, by class name, with the kind each one renders. Read from the
 * text `cdk8s import` writes (`export class X extends ApiObject { ... GVK = { apiVersion: '...', kind: '...' }`), so
 * enums and prop types imported beside a class are told apart from it without loading the module.
 */
function apiObjectClasses(group: string): Map<string, string> {
  const text = readFileSync(repoPath('imports', `${group}.ts`), 'utf8');
  const classes = new Map<string, string>();
  const pattern =
    /^export class (\w+) extends ApiObject \{[\s\S]*?GVK: GroupVersionKind = \{\s*apiVersion: '[^']+',\s*kind: '(\w+)'/gm;
  for (const match of text.matchAll(pattern)) classes.set(match[1]!, match[2]!);
  return classes;
}

/**
 * Every managed-resource kind compose can emit, sorted by group then kind. Reads src/compose/**.ts and
 * src/primitives/**.ts (or the folders given) with the TypeScript parser and the generated modules they import from.
 */
export function composedManagedKinds(...composeDirs: readonly string[]): ManagedKind[] {
  const dirs = composeDirs.length > 0 ? composeDirs : [repoPath('src', 'compose'), repoPath('src', 'primitives')];
  const byKey = new Map<string, ManagedKind>();
  const classes = new Map<string, Map<string, string>>();
  for (const file of dirs.flatMap(typeScriptFiles)) {
    for (const { group, name } of providerImports(file)) {
      if (!classes.has(group)) classes.set(group, apiObjectClasses(group));
      const kind = classes.get(group)!.get(name);
      if (kind && !byKey.has(`${group}/${kind}`)) byKey.set(`${group}/${kind}`, { group, kind, source: file });
    }
  }
  const key = (k: ManagedKind) => `${k.group}/${k.kind}`;
  return [...byKey.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** spec.group and spec.names of one pinned provider CRD. */
interface CrdNames {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
}

/** group/kind → plural, as every pinned provider CRD states it in spec.names (imports/provider-kinds.json). */
const PLURALS: ReadonlyMap<string, string> = new Map(
  (JSON.parse(readFileSync(repoPath('imports', 'provider-kinds.json'), 'utf8')) as CrdNames[]).map((k) => [
    `${k.group}/${k.kind}`,
    k.plural,
  ]),
);

/**
 * The plural resource name of a provider kind, as its CRD states it (`RegionSettings` → `regionsettings`). Throws for a
 * kind no pinned CRD defines: `npm run import` writes the table from ../shared/crds.
 */
export function pluralOf(kind: Pick<ManagedKind, 'group' | 'kind'>): string {
  const plural = PLURALS.get(`${kind.group}/${kind.kind}`);
  if (!plural) throw new Error(`no pinned CRD defines ${kind.kind} in ${kind.group}: run \`npm run import\``);
  return plural;
}

/** The ManagedResourceDefinition (= CRD) name of a kind, e.g. buckets.s3.aws.upbound.io. */
export function mrdName(kind: Pick<ManagedKind, 'group' | 'kind'>): string {
  return `${pluralOf(kind)}.${kind.group}`;
}
