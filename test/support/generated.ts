/** The files `npm run synth` generates under compositions/, found on disk (never hard-coded). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readYamlDocuments } from './files.js';
import { repoPath } from './paths.js';

/** A generated CompositeResourceDefinition as far as the tests look at it. */
export interface Xrd {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly scope?: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly claimNames?: { readonly kind: string; readonly plural: string };
    readonly defaultCompositionRef?: { readonly name: string };
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly referenceable: boolean;
      readonly additionalPrinterColumns?: readonly { readonly name: string; readonly jsonPath: string; readonly type: string }[];
      readonly schema: { readonly openAPIV3Schema: unknown };
    }[];
  };
}

/** A generated Composition as far as the tests look at it. */
export interface Composition {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: { readonly compositeTypeRef: { readonly apiVersion: string; readonly kind: string }; readonly mode?: string };
}

/** compositions/ in the checkout. */
export const compositionsDir = repoPath('compositions');

/** `compositions/apis/<plural>/<file>` for every folder under compositions/apis that has that file, sorted. */
export function apiFiles(file: 'definition.yaml' | 'composition.yaml', dir = compositionsDir): string[] {
  const apis = join(dir, 'apis');
  if (!existsSync(apis)) return [];
  return readdirSync(apis)
    .sort()
    .map((plural) => join(apis, plural, file))
    .filter((path) => existsSync(path));
}

/** Reads a file that must hold exactly one YAML document. */
export function readSingleDocument<T>(path: string): T {
  const docs = readYamlDocuments(path);
  if (docs.length !== 1) throw new Error(`${path} holds ${docs.length} YAML documents, expected 1`);
  return docs[0] as T;
}
