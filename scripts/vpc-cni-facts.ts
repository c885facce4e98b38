// Extracts, per EC2 instance type, the IPv4 addresses a node may take from its subnet through the VPC CNI (its ENI
// limit × IPv4 addresses per ENI) from the VPC CNI's generated limits table, pinned in src/facts/source.ts
// (VPC_CNI_SOURCE: repository, commit, path and sha256), into src/facts/generated/eni-addresses.json (committed;
// test/synth/vpc-cni-facts.test.ts regenerates it when the source is at hand and compares byte for byte).
//
// Usage: tsx scripts/vpc-cni-facts.ts --source FILE [--output DIR]   (npm run facts:vpc-cni -- --source FILE)
//   FILE: pkg/vpc/vpc_ip_resource_limit.go of the pinned commit, e.g.
//   curl -fsSLo vpc_ip_resource_limit.go https://raw.githubusercontent.com/aws/amazon-vpc-cni-k8s/<commit>/<path>
//   The source may also be named by $DRPLANE_VPC_CNI_SOURCE.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { VPC_CNI_SOURCE } from '../src/facts/source.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const url = `https://raw.githubusercontent.com/${VPC_CNI_SOURCE.repository}/${VPC_CNI_SOURCE.commit}/${VPC_CNI_SOURCE.path}`;

function fail(message: string): never {
  process.stderr.write(`facts:vpc-cni: ${message}\n`);
  process.exit(1);
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** Instance type → ENILimit × IPv4Limit, from the Go map literal `"<type>": { ENILimit: n, IPv4Limit: m, … }`. */
function addressesByType(go: string): Record<string, number> {
  const out: Record<string, number> = {};
  const entry = /^\t"([a-z0-9][a-z0-9.-]*)": \{\n\t\tENILimit:\s+(\d+),\n\t\tIPv4Limit:\s+(\d+),/gm;
  for (const m of go.matchAll(entry)) out[m[1]!] = Number(m[2]) * Number(m[3]);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const source = arg('--source') ?? process.env.DRPLANE_VPC_CNI_SOURCE;
if (!source) fail(`name the pinned source with --source FILE (download it from ${url})`);
let text: string;
try {
  text = readFileSync(source, 'utf8');
} catch (error) {
  fail(`cannot read ${source}: ${(error as Error).message} (download it from ${url})`);
}
const sha256 = createHash('sha256').update(text).digest('hex');
if (sha256 !== VPC_CNI_SOURCE.sha256) {
  fail(
    `${source} has sha256 ${sha256}, not the pinned ${VPC_CNI_SOURCE.sha256} (${VPC_CNI_SOURCE.repository} ${VPC_CNI_SOURCE.commit}); ` +
      `download ${url}, or pin a new commit and hash in src/facts/source.ts`,
  );
}
const addresses = addressesByType(text);
const declared = text.match(/^\t"[a-z0-9][a-z0-9.-]*": \{$/gm)?.length ?? 0;
if (declared === 0 || Object.keys(addresses).length !== declared) {
  fail(
    `parsed ${Object.keys(addresses).length} of ${declared} instance types: the file's shape changed; adapt scripts/vpc-cni-facts.ts`,
  );
}
const output = resolve(arg('--output') ?? join(root, 'src', 'facts', 'generated'));
mkdirSync(output, { recursive: true });
const file = join(output, 'eni-addresses.json');
const doc = { source: { ...VPC_CNI_SOURCE, generatedBy: 'npm run facts:vpc-cni (scripts/vpc-cni-facts.ts)' }, addresses };
const options = { ...(await resolveConfig(file)), filepath: file };
writeFileSync(file, await format(JSON.stringify(doc), options));
process.stdout.write(`wrote ${file}: ${Object.keys(addresses).length} instance types\n`);
