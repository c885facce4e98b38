/**
 * The real Crossplane binaries for the test suite: where they are, and typed wrappers around
 * `crossplane resource validate` and `crossplane xrd convert` that work offline.
 *
 * The binaries are built by `bash scripts/tools.sh` into a cache outside the repository. On CI a missing
 * binary fails the tests that need it; only on a developer machine (no `CI` variable) do those suites skip,
 * with the reason in their title.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { z } from 'zod';
import { joinYaml, parseYamlDocuments, withTempDir, yamlFilesIn } from './files.js';
import { crossplaneCrdsDir } from './paths.js';
import { CROSSPLANE_IMAGE, crossplaneCli, isCI, missingTools } from './tools.js';
import { run, runOk } from './process.js';

export {
  CROSSPLANE_CLI_VERSION,
  CROSSPLANE_CORE_VERSION,
  CROSSPLANE_IMAGE,
  MissingToolError,
  crossplaneCli,
  crossplaneCore,
  isCI,
  missingTools,
  toolsDir,
} from './tools.js';

/**
 * `describe` for suites that run the Crossplane binaries. When a binary is missing: on CI the suite runs
 * anyway, so every test fails with the message of {@link crossplaneCli}; on a developer machine the suite
 * is skipped and its title says why and what to run.
 */
export function describeWithCrossplane(name: string, fn: () => void): void {
  const missing = isCI() ? undefined : missingTools();
  if (missing === undefined) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED (not on CI) "${name}": ${missing}`);
    describe.skip(`${name} [SKIPPED: ${missing}]`, fn);
  }
}

/**
 * Fills `cacheDir` so that `crossplane resource validate --crossplane-image=CROSSPLANE_IMAGE` finds the
 * Crossplane image's built-in schemas there instead of downloading the image: the package.yaml of that
 * image is every CRD of `crdsDir` (default ../shared/crds/crossplane) in one stream. Returns the flags
 * that make validate use it.
 */
export function writeOfflineValidationCache(cacheDir: string, crdsDir = crossplaneCrdsDir()): string[] {
  const [repository, tag] = CROSSPLANE_IMAGE.split(':') as [string, string];
  const packageDir = join(cacheDir, `${repository}@${tag}`);
  const crds = yamlFilesIn(crdsDir);
  if (crds.length === 0) throw new Error(`no CRD files in ${crdsDir}`);
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'package.yaml'), joinYaml(crds));
  return ['--cache-dir', cacheDir, `--crossplane-image=${CROSSPLANE_IMAGE}`, '--error-on-missing-schemas'];
}

const ValidationErrorSchema = z.object({
  type: z.string(),
  field: z.string().optional(),
  message: z.string(),
  value: z.unknown().optional(),
});

const ResourceResultSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  /** `valid`, `invalid` or `missingSchema`. */
  status: z.string(),
  errors: z.array(ValidationErrorSchema).default([]),
});

const ValidateOutputSchema = z.object({
  summary: z.object({ total: z.number(), valid: z.number(), invalid: z.number(), missingSchemas: z.number() }),
  resources: z.array(ResourceResultSchema).default([]),
});

/** One field-level finding of `crossplane resource validate` (type: `schema`, `unknownField`, `cel`, ...). */
export type ValidationError = z.infer<typeof ValidationErrorSchema>;
/** The verdict on one resource. */
export type ResourceResult = z.infer<typeof ResourceResultSchema>;

/** Parsed `crossplane resource validate -o json` output. */
export interface ValidationReport {
  readonly summary: z.infer<typeof ValidateOutputSchema>['summary'];
  /** Every resource validated, in input order. */
  readonly resources: readonly ResourceResult[];
  /** Resources that are invalid or have no schema. */
  readonly failures: readonly ResourceResult[];
  /** True when every resource is valid and had a schema. */
  readonly ok: boolean;
  /** What validate printed on stderr (warnings, the final error line). */
  readonly stderr: string;
}

/** Where resource validate reads resources from: files/folders, or YAML text. */
export type ResourceSource = readonly string[] | { readonly yaml: string };

function commaList(paths: readonly string[], what: string): string {
  if (paths.length === 0) throw new Error(`validateResources needs at least one ${what} path`);
  const bad = paths.find((p) => p.includes(','));
  if (bad) throw new Error(`crossplane resource validate takes comma-separated lists; the path ${bad} contains a comma`);
  return paths.join(',');
}

/**
 * Runs the real `crossplane resource validate` offline: `extensions` (CRDs, XRDs or folders of them) are
 * the schemas, `resources` the objects to check, as paths or as YAML text. Built-in Crossplane schemas come
 * from an offline cache of ../shared/crds/crossplane; a resource without a schema counts as a failure.
 * Resolves with the parsed per-resource verdicts whatever they are; rejects only when validate itself
 * breaks (no JSON on stdout, e.g. when it tried to download something).
 */
export async function validateResources(extensions: readonly string[], resources: ResourceSource): Promise<ValidationReport> {
  const cli = crossplaneCli();
  return withTempDir('validate', async (dir) => {
    const flags = writeOfflineValidationCache(join(dir, 'cache'));
    let resourceArg: string;
    if ('yaml' in resources) {
      resourceArg = join(dir, 'resources.yaml');
      writeFileSync(resourceArg, resources.yaml);
    } else {
      resourceArg = commaList(resources as readonly string[], 'resource');
    }
    const args = ['resource', 'validate', commaList(extensions, 'extension'), resourceArg, ...flags, '--output', 'json'];
    const result = await run(cli, args);
    let output: z.infer<typeof ValidateOutputSchema>;
    try {
      output = ValidateOutputSchema.parse(JSON.parse(result.stdout));
    } catch {
      throw new Error(
        `crossplane resource validate gave no JSON report (exit ${result.code ?? result.signal}):\n${result.stderr.trim()}\n${result.stdout.slice(0, 2_000)}`,
      );
    }
    const failures = output.resources.filter((r) => r.status !== 'valid');
    const ok = failures.length === 0 && output.summary.invalid === 0 && output.summary.missingSchemas === 0;
    if (ok !== (result.code === 0)) {
      throw new Error(
        `crossplane resource validate exited ${result.code} but reported ${JSON.stringify(output.summary)}:\n${result.stderr}`,
      );
    }
    return { summary: output.summary, resources: output.resources, failures, ok, stderr: result.stderr };
  });
}

/** One line per failing resource and finding, for assertion messages. */
export function formatFailures(report: ValidationReport): string {
  return report.failures
    .flatMap((r) => {
      const id = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '?'}: ${r.status}`;
      return r.errors.length === 0 ? [id] : r.errors.map((e) => `${id}: [${e.type}] ${e.message}`);
    })
    .join('\n');
}

/** A CustomResourceDefinition as far as the tests look at it. */
export interface Crd {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly scope: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly {
      readonly name: string;
      readonly additionalPrinterColumns?: readonly { readonly name: string; readonly jsonPath: string }[];
      readonly schema?: { readonly openAPIV3Schema?: unknown };
    }[];
  };
}

/**
 * Runs `crossplane xrd convert` on an XRD file: the CRDs Crossplane derives from it (the XR's, plus the
 * claim's for a LegacyCluster XRD with claimNames), as YAML text and parsed.
 */
export async function xrdToCrds(xrdPath: string): Promise<{ yaml: string; crds: Crd[] }> {
  const { stdout } = await runOk(crossplaneCli(), ['xrd', 'convert', xrdPath]);
  const crds = parseYamlDocuments(stdout, `xrd convert ${xrdPath}`) as Crd[];
  const notCrd = crds.find((c) => c.kind !== 'CustomResourceDefinition');
  if (crds.length === 0 || notCrd)
    throw new Error(`crossplane xrd convert ${xrdPath} did not print CRDs:\n${stdout.slice(0, 1_000)}`);
  return { yaml: stdout, crds };
}

/** Converts every XRD in `xrdPaths` with {@link xrdToCrds} and writes all CRDs into `outFile`; resolves with them. */
export async function writeXrdCrds(xrdPaths: readonly string[], outFile: string): Promise<Crd[]> {
  const converted = await Promise.all(xrdPaths.map((p) => xrdToCrds(p)));
  writeFileSync(outFile, converted.map((c) => c.yaml).join('---\n'));
  return converted.flatMap((c) => c.crds);
}
