// Extracts the AWS facts drplane needs from the data files of the pinned cfn-lint (test/requirements.txt) into
// src/facts/generated/ (committed; test/synth/facts-drift.test.ts regenerates and compares byte for byte):
//   aurora.json              Aurora engine versions and deprecated ones (aws_rds_dbcluster), and the DB instance
//                            classes each region offers per Aurora engine (aws_rds_dbinstance)
//   lambda-runtimes.json     Node.js runtimes' deprecation, create-block and update-block dates (LmbdRuntimeLifecycle)
//   ec2-instance-types.json  EC2 instance types each region offers (aws_ec2_instance), for node groups
//   rds-master-usernames.json  Master user names each Aurora engine reserves (AWS::RDS::DBCluster schema's
//                            MasterUsername `not enum` rules: rdsadmin for every engine, admin for PostgreSQL)
// Only drplane's engines (DATABASE_ENGINES), regions (AWS_REGIONS) and Node.js runtimes are kept; output is sorted.
//
// Usage: tsx scripts/facts.ts [--output DIR]   (npm run facts)
//        tsx scripts/facts.ts --update         (npm run facts -- --update: pin the newest cfn-lint on PyPI, install
//                                               it into .venv, regenerate; then commit test/requirements.txt and
//                                               src/facts/generated together)
// Python: $DRPLANE_PYTHON, else the repository's .venv (scripts/test-setup.sh), else python3.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { AWS_REGIONS } from '../src/api/regions.js';
import { DATABASE_ENGINES } from '../src/api/sections.js';
import { OFFERED, NOT_OFFERED } from '../src/facts/source.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requirementsFile = join(root, 'test', 'requirements.txt');
const venvPython = join(root, '.venv', 'bin', 'python');
const python = process.env.DRPLANE_PYTHON ?? (existsSync(venvPython) ? venvPython : 'python3');
const SETUP = 'run `bash scripts/test-setup.sh` (it installs test/requirements.txt into .venv)';

/** The data files read, relative to the cfnlint package. */
const FILES = {
  versions: 'data/schemas/extensions/aws_rds_dbcluster/engine_version.json',
  deprecated: 'data/schemas/extensions/aws_rds_dbcluster/engine_version_deprecated.json',
  classes: 'data/schemas/extensions/aws_rds_dbinstance/dbinstanceclass_enum.json',
  instanceTypes: 'data/schemas/extensions/aws_ec2_instance/instancetype_enum.json',
  runtimes: 'data/AdditionalSpecs/LmbdRuntimeLifecycle.json',
  /** Resource type → schema file (a hash) under data/schemas/resources. */
  providers: 'data/schemas/providers/us-east-1.json',
} as const;

/** engineVersion forms a claim can name: PostgreSQL major.minor, MySQL <community>.mysql_aurora.<major.minor.patch[.n]>. */
const VERSION_FORMS: Record<string, RegExp> = {
  'aurora-postgresql': /^\d+\.\d+$/,
  'aurora-mysql': /^\d+\.\d+\.mysql_aurora\.\d+\.\d+\.\d+(\.\d+)?$/,
};

function fail(message: string): never {
  process.stderr.write(`facts: ${message}\n`);
  process.exit(1);
}

function py(args: string[]): string {
  try {
    return execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const err = error as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') fail(`no Python at ${python}: ${SETUP}, or set DRPLANE_PYTHON`);
    throw new Error(`${python} ${args.join(' ')} failed: ${String(err.stderr ?? error).trim()}`);
  }
}

/** The cfn-lint pin and its data date from test/requirements.txt. */
function pinned(): { version: string; date: string } {
  const text = readFileSync(requirementsFile, 'utf8');
  const version = /^cfn-lint==(\S+)\s*$/m.exec(text)?.[1];
  const date = /dated by the entries of its wheel: (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  if (!version || !date) fail(`${requirementsFile} must pin cfn-lint==X.Y.Z and give its wheel's date (see its comment)`);
  return { version, date };
}

/** Version and package directory of the installed cfn-lint, read without importing it. */
function installed(): { version: string; dir: string } {
  let out: string;
  try {
    out = py([
      '-c',
      'import importlib.metadata as m, importlib.util as u; s = u.find_spec("cfnlint"); ' +
        'print(m.version("cfn-lint")); print(list(s.submodule_search_locations)[0])',
    ]);
  } catch (error) {
    fail(`cfn-lint is not installed for ${python} (${String(error).split('\n').at(-1)}): ${SETUP}`);
  }
  const [version = '', dir = ''] = out.trim().split('\n');
  return { version, dir };
}

type Json = unknown;
const readJson = (dir: string, file: string): Json => JSON.parse(readFileSync(join(dir, file), 'utf8'));

/** The `allOf` branches of a cfn-lint extension schema. */
function branches(schema: Json, file: string): Array<{ if: { properties: Record<string, Json> }; then: Json }> {
  const allOf = (schema as { allOf?: unknown }).allOf;
  if (!Array.isArray(allOf)) fail(`${file} has no allOf: cfn-lint changed its shape; adapt scripts/facts.ts`);
  return allOf as Array<{ if: { properties: Record<string, Json> }; then: Json }>;
}

const engineOf = (branch: { if: { properties: Record<string, Json> } }): string | undefined =>
  (branch.if?.properties?.Engine as { const?: string } | undefined)?.const;

/** Numeric parts of a version (16.15 → [16, 15]; 8.0.mysql_aurora.3.10.3 → [8, 0, 3, 10, 3]) for sorting. */
const parts = (version: string): number[] => (version.match(/\d+/g) ?? []).map(Number);

/** Sorts versions oldest first by their numeric parts. */
function sortVersions(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort((a, b) => {
    const [pa, pb] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] ?? -1) - (pb[i] ?? -1);
      if (d !== 0) return d;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** "x" per region of AWS_REGIONS that offers the item, "." per region that does not. */
const row = (offeredIn: (region: string) => boolean): string =>
  AWS_REGIONS.map((region) => (offeredIn(region) ? OFFERED : NOT_OFFERED)).join('');

function auroraFacts(dir: string) {
  const engines: Record<string, { versions: string[]; deprecated: string[] }> = {};
  const versionBranches = branches(readJson(dir, FILES.versions), FILES.versions);
  const deprecatedBranches = branches(readJson(dir, FILES.deprecated), FILES.deprecated);
  for (const engine of DATABASE_ENGINES) {
    const form = VERSION_FORMS[engine]!;
    const listed = versionBranches
      .filter((b) => engineOf(b) === engine)
      .flatMap(
        (b) => (b.then as { properties?: { EngineVersion?: { enum?: string[] } } })?.properties?.EngineVersion?.enum ?? [],
      );
    const deprecated = deprecatedBranches
      .filter((b) => engineOf(b) === engine && b.then === false)
      .flatMap((b) => (b.if.properties.EngineVersion as { enum?: string[] } | undefined)?.enum ?? []);
    const versions = sortVersions(listed.map(String).filter((v) => form.test(v)));
    if (versions.length === 0) fail(`${FILES.versions} lists no ${engine} versions: cfn-lint changed its shape`);
    engines[engine] = { versions, deprecated: sortVersions(deprecated.map(String).filter((v) => form.test(v))) };
  }

  const byRegion = readJson(dir, FILES.classes) as Record<string, Json>;
  const instanceClasses: Record<string, Record<string, string>> = {};
  for (const engine of DATABASE_ENGINES) {
    const offered = new Map<string, Set<string>>();
    for (const region of AWS_REGIONS) {
      if (!byRegion[region]) fail(`${FILES.classes} has no entry for ${region} (a region in src/api/regions.ts)`);
      const classes = branches(byRegion[region], `${FILES.classes} ${region}`)
        .filter((b) => engineOf(b) === engine)
        .flatMap(
          (b) => (b.then as { properties?: { DBInstanceClass?: { enum?: string[] } } })?.properties?.DBInstanceClass?.enum ?? [],
        );
      offered.set(region, new Set(classes.filter((c) => c !== 'db.serverless')));
    }
    const all = [...new Set([...offered.values()].flatMap((s) => [...s]))].sort();
    if (all.length === 0) fail(`${FILES.classes} lists no ${engine} instance classes: cfn-lint changed its shape`);
    instanceClasses[engine] = Object.fromEntries(all.map((c) => [c, row((region) => offered.get(region)!.has(c))]));
  }
  return { regions: AWS_REGIONS, engines, instanceClasses };
}

function ec2Facts(dir: string) {
  const byRegion = readJson(dir, FILES.instanceTypes) as Record<string, { enum?: string[] }>;
  const offered = new Map<string, Set<string>>();
  for (const region of AWS_REGIONS) {
    const types = byRegion[region]?.enum;
    if (!types || types.length === 0) fail(`${FILES.instanceTypes} has no instance types for ${region}`);
    offered.set(region, new Set(types));
  }
  const all = [...new Set([...offered.values()].flatMap((s) => [...s]))].sort();
  return { regions: AWS_REGIONS, instanceTypes: Object.fromEntries(all.map((t) => [t, row((r) => offered.get(r)!.has(t))])) };
}

function runtimeFacts(dir: string) {
  const lifecycle = readJson(dir, FILES.runtimes) as Record<string, Record<string, string | null>>;
  const names = Object.keys(lifecycle)
    .filter((name) => /^nodejs\d+\.x$/.test(name))
    .sort((a, b) => parts(a)[0]! - parts(b)[0]!);
  if (names.length === 0) fail(`${FILES.runtimes} lists no nodejs runtimes: cfn-lint changed its shape`);
  const runtimes = Object.fromEntries(
    names.map((name) => {
      const r = lifecycle[name]!;
      return [
        name,
        {
          deprecation: r.deprecated ?? null,
          blockCreate: r['create-block'] ?? null,
          blockUpdate: r['update-block'] ?? null,
          successor: r.successor ?? null,
        },
      ];
    }),
  );
  return { runtimes };
}

/** The schema file of a CloudFormation resource type, found through the provider index (its name is a hash). */
function resourceSchemaFile(dir: string, type: string): string {
  const hash = (readJson(dir, FILES.providers) as Record<string, string>)[type];
  if (!hash) fail(`${FILES.providers} has no ${type}: cfn-lint changed its shape; adapt scripts/facts.ts`);
  return `data/schemas/resources/${hash}.json`;
}

/** Master user names per engine that the DBCluster schema forbids (`MasterUsername: {not: {enum}}`, engine-gated or not). */
function masterUsernameFacts(dir: string, file: string) {
  const allOf = (readJson(dir, file) as { allOf?: unknown }).allOf;
  if (!Array.isArray(allOf)) fail(`${file} has no allOf: cfn-lint changed its shape; adapt scripts/facts.ts`);
  type Branch = { if?: { properties?: { Engine?: { enum?: string[] } } }; then?: Json; properties?: Json };
  const forbidden = (schema: Json): string[] =>
    (schema as { properties?: { MasterUsername?: { not?: { enum?: string[] } } } } | undefined)?.properties?.MasterUsername?.not
      ?.enum ?? [];
  const reserved = Object.fromEntries(
    DATABASE_ENGINES.map((engine) => {
      const names = (allOf as Branch[]).flatMap((b) =>
        b.if === undefined ? forbidden(b) : (b.if.properties?.Engine?.enum ?? []).includes(engine) ? forbidden(b.then) : [],
      );
      return [engine, [...new Set(names)].sort()];
    }),
  );
  if (Object.values(reserved).every((names) => names.length === 0))
    fail(`${file} forbids no MasterUsername: cfn-lint changed its shape; adapt scripts/facts.ts`);
  return { reserved };
}

async function generate(output: string): Promise<void> {
  const pin = pinned();
  const cfn = installed();
  if (cfn.version !== pin.version) {
    fail(`${python} has cfn-lint ${cfn.version}, test/requirements.txt pins ${pin.version}: ${SETUP}`);
  }
  const source = (files: string[]) => ({
    package: 'cfn-lint',
    version: cfn.version,
    date: pin.date,
    files,
    generatedBy: 'npm run facts (scripts/facts.ts)',
  });
  const outputs: Record<string, object> = {
    'aurora.json': { source: source([FILES.versions, FILES.deprecated, FILES.classes]), ...auroraFacts(cfn.dir) },
    'ec2-instance-types.json': { source: source([FILES.instanceTypes]), ...ec2Facts(cfn.dir) },
    'lambda-runtimes.json': { source: source([FILES.runtimes]), ...runtimeFacts(cfn.dir) },
  };
  const cluster = resourceSchemaFile(cfn.dir, 'AWS::RDS::DBCluster');
  outputs['rds-master-usernames.json'] = {
    source: source([FILES.providers, cluster]),
    ...masterUsernameFacts(cfn.dir, cluster),
  };
  mkdirSync(output, { recursive: true });
  // Formatted as prettier formats the committed file, so `npm run lint` and the drift test agree.
  for (const [file, value] of Object.entries(outputs)) {
    const target = join(root, 'src', 'facts', 'generated', file);
    const options = { ...(await resolveConfig(target)), filepath: target };
    writeFileSync(join(output, file), await format(JSON.stringify(value), options));
  }
  process.stdout.write(`facts: cfn-lint ${cfn.version} (data of ${pin.date}) → ${output}: ${Object.keys(outputs).join(', ')}\n`);
}

/** Pins the newest cfn-lint on PyPI with its wheel's date, installs it into .venv and regenerates. */
async function update(): Promise<void> {
  const index = py(['-m', 'pip', 'index', 'versions', 'cfn-lint', '--disable-pip-version-check']);
  const newest = /^cfn-lint \(([^)]+)\)/m.exec(index)?.[1];
  if (!newest) fail(`could not read the newest cfn-lint from \`pip index versions cfn-lint\`:\n${index}`);
  const work = mkdtempSync(join(tmpdir(), 'drplane-facts-'));
  try {
    py(['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', `cfn-lint==${newest}`, '-d', work]);
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) fail(`pip downloaded no wheel of cfn-lint ${newest}`);
    const date = py([
      '-c',
      'import sys, zipfile; d = max(i.date_time[:3] for i in zipfile.ZipFile(sys.argv[1]).infolist()); print("%04d-%02d-%02d" % d)',
      join(work, wheel),
    ]).trim();
    const text = readFileSync(requirementsFile, 'utf8')
      .replace(/^cfn-lint==\S+$/m, `cfn-lint==${newest}`)
      .replace(/(dated by the entries of its wheel: )\d{4}-\d{2}-\d{2}/, `$1${date}`);
    writeFileSync(requirementsFile, text);
    process.stdout.write(`facts: pinned cfn-lint ${newest} (wheel of ${date}) in test/requirements.txt\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  py(['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirementsFile]);
  await generate(join(root, 'src', 'facts', 'generated'));
}

const outIdx = process.argv.indexOf('--output');
if (process.argv.includes('--update')) await update();
else await generate(resolve(outIdx > 0 ? (process.argv[outIdx + 1] ?? '') : join(root, 'src', 'facts', 'generated')));
