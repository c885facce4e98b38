// Generates typed cdk8s classes under imports/ from the pinned upstream CRDs.
//
// For every API group the DR primitives use, the group's CRD files are concatenated into one
// multi-document YAML (a second `cdk8s import` of the same group would overwrite the first) and
// imported once. Only the storage version of each kind is kept, so every class has its bare
// kind name (Cluster, not ClusterV1Beta2) and the generated code stays half the size.
//
// Sources: $DRPLANE_CRDS_DIR (provider-upjet-aws CRDs), default ../shared/crds/provider-upjet-aws;
// Crossplane core CRDs from $DRPLANE_CROSSPLANE_CRDS_DIR, default the sibling `crossplane/`;
// Argo CD CRDs from $DRPLANE_ARGOCD_CRDS_DIR, default the sibling `argo-cd/`.
// Usage: tsx scripts/import-crds.ts [--output DIR]   (npm run import)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { PROVIDER_FAMILIES, providerGroup } from '../src/api/providers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const providerDir = resolve(process.env.DRPLANE_CRDS_DIR ?? join(root, '..', 'shared', 'crds', 'provider-upjet-aws'));
const coreDir = resolve(process.env.DRPLANE_CROSSPLANE_CRDS_DIR ?? join(providerDir, '..', 'crossplane'));
const argoDir = resolve(process.env.DRPLANE_ARGOCD_CRDS_DIR ?? join(providerDir, '..', 'argo-cd'));
const outIdx = process.argv.indexOf('--output');
const output = resolve(outIdx > 0 ? (process.argv[outIdx + 1] ?? 'imports') : join(root, 'imports'));

/** API groups of provider-upjet-aws (cluster-scoped variants) that the primitives compose. */
const PROVIDER_GROUPS = PROVIDER_FAMILIES.map(providerGroup);

/** Crossplane core groups and the kinds of each that the charts emit. */
const CORE_KINDS: Record<string, string[]> = {
  'apiextensions.crossplane.io': ['compositeresourcedefinitions', 'compositions', 'managedresourceactivationpolicies'],
  'pkg.crossplane.io': ['functions', 'providers', 'configurations', 'deploymentruntimeconfigs', 'functionrevisions'],
  'protection.crossplane.io': ['clusterusages'],
};

/** Argo CD groups and the CRD files (upstream names them `<kind>-crd.yaml`) of the kinds the bootstrap charts emit. */
const ARGOCD_FILES: Record<string, string[]> = {
  'argoproj.io': ['application-crd.yaml', 'appproject-crd.yaml'],
};

function fail(message: string): never {
  process.stderr.write(`import-crds: ${message}\n`);
  process.exit(1);
}

/** Reads CRD files and keeps only the storage version of each. */
function storageOnly(files: string[]) {
  return files.map((file) => {
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    const crd = docs.find((d) => d && d.kind === 'CustomResourceDefinition');
    if (!crd) fail(`${file} holds no CustomResourceDefinition`);
    crd.spec.versions = crd.spec.versions.filter((v: { storage?: boolean }) => v.storage);
    return crd;
  });
}

function importGroup(group: string, files: string[], workDir: string): void {
  if (files.length === 0) fail(`no CRD files for group ${group}: is the CRD directory right?`);
  const merged = join(workDir, `${group}.yaml`);
  writeFileSync(
    merged,
    storageOnly(files.sort())
      .map((d) => stringify(d))
      .join('---\n'),
  );
  execFileSync(
    join(root, 'node_modules', '.bin', 'cdk8s'),
    ['import', merged, '--language', 'typescript', '--output', output, '--no-save', '--check-upgrade=false'],
    { cwd: workDir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * Kinds named like globals shadow them inside their generated module: s3's `Object` breaks the
 * generated `Object.entries(...)` calls and route53's `Record` breaks the `Record<string, any>`
 * return types. Point the calls at the global and spell the type out.
 */
function fixGlobalShadowing(): void {
  for (const file of readdirSync(output).filter((f) => f.endsWith('.ts'))) {
    const path = join(output, file);
    let text = readFileSync(path, 'utf8');
    if (/^export class Object\b/m.test(text)) text = text.replaceAll('Object.entries(', 'globalThis.Object.entries(');
    if (/^export class Record\b/m.test(text)) text = text.replaceAll('Record<string, any>', '{ [key: string]: any }');
    writeFileSync(path, text);
  }
}

/**
 * Writes imports/provider-kinds.json: group, kind and plural (spec.names) of every pinned provider CRD, so code that
 * names a CRD (the activation policy's MRD names) reads the plural the CRD states instead of guessing it.
 */
function writeProviderKinds(): void {
  const kinds = readdirSync(providerDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((file) => {
      const text = readFileSync(join(providerDir, file), 'utf8');
      const end = text.indexOf('\n  versions:');
      const crd = parseAllDocuments(end > 0 ? text.slice(0, end) : text)[0]?.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') fail(`${file} holds no CustomResourceDefinition`);
      return { group: String(crd.spec.group), kind: String(crd.spec.names.kind), plural: String(crd.spec.names.plural) };
    })
    .sort((a, b) => (`${a.group}/${a.kind}` < `${b.group}/${b.kind}` ? -1 : 1));
  writeFileSync(join(output, 'provider-kinds.json'), `${JSON.stringify(kinds, null, 2)}\n`);
}

function main() {
  for (const dir of [providerDir, coreDir, argoDir])
    if (!existsSync(dir)) fail(`CRD directory ${dir} does not exist; set DRPLANE_CRDS_DIR or run scripts/fetch-crds`);
  mkdirSync(output, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'drplane-import-'));
  try {
    const providerFiles = readdirSync(providerDir);
    for (const group of PROVIDER_GROUPS) {
      importGroup(
        group,
        providerFiles.filter((f) => f.startsWith(`${group}_`)).map((f) => join(providerDir, f)),
        workDir,
      );
    }
    for (const [group, plurals] of Object.entries(CORE_KINDS)) {
      importGroup(
        group,
        plurals.map((p) => join(coreDir, `${group}_${p}.yaml`)),
        workDir,
      );
    }
    for (const [group, files] of Object.entries(ARGOCD_FILES)) {
      importGroup(
        group,
        files.map((f) => join(argoDir, f)),
        workDir,
      );
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  fixGlobalShadowing();
  writeProviderKinds();
  const groups = PROVIDER_GROUPS.length + Object.keys(CORE_KINDS).length + Object.keys(ARGOCD_FILES).length;
  process.stdout.write(`imported ${groups} API groups into ${output}\n`);
}

main();
