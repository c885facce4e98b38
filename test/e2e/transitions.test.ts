/**
 * The claim's transition rules (CEL with `oldSelf`, src/api/claim.ts TRANSITION_RULES) on a real kube-apiserver:
 * `drctl validate` sees one version of a claim and `crossplane resource validate` only creates, so only an API
 * server can show that an update is refused. Only etcd and kube-apiserver run here, with the claim and composite
 * CRDs `crossplane xrd convert` derives from the generated XRD (no Crossplane core: the rule is the API server's).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { xrdToCrds } from '../support/crossplane.js';
import { repoPath } from '../support/paths.js';
import { type Kube, startKube } from './support/kube.js';
import { Pki } from './support/pki.js';
import { controlPlaneTools } from './support/tools.js';

const NAMESPACE = 'team-transitions';
let kube: Kube;
let workDir: string;

/** The minimal example in the test namespace, with `spec.providerConfigRef` set to `name` (or left out). */
function claim(name?: string, activeRegion?: string): string {
  const text = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8')
    .replace(/^(\s*)namespace: .*$/m, `$1namespace: ${NAMESPACE}`)
    .replace(/^spec:\n/m, `spec:\n${name === undefined ? '' : `  providerConfigRef:\n    name: ${name}\n`}`);
  return activeRegion === undefined ? text : text.replace(/^spec:\n/m, `spec:\n  activeRegion: ${activeRegion}\n`);
}

beforeAll(async () => {
  const { crossplane: _core, ...tools } = controlPlaneTools();
  workDir = mkdtempSync(join(tmpdir(), 'drplane-transitions-'));
  const pki = await Pki.create(join(workDir, 'pki'));
  kube = await startKube({ ...tools, pki, workDir, logDir: join(workDir, 'logs') });
  const crds = join(workDir, 'crds.yaml');
  // As Crossplane would install them, less the owner reference to an XRD that is not in this API server.
  const { crds: converted } = await xrdToCrds(repoPath('compositions', 'apis', 'xdisasterrecoveries', 'definition.yaml'));
  const owned = converted.map((c) => ({ ...c, metadata: { ...c.metadata, ownerReferences: undefined } }));
  writeFileSync(crds, owned.map((c) => stringify(JSON.parse(JSON.stringify(c)))).join('---\n'));
  await kube.kubectl.applyServerSide([crds]);
  await kube.kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s'], { timeoutMs: 150_000 });
  await kube.kubectl.ok(['create', 'namespace', NAMESPACE]);
});

afterAll(async () => {
  for (const p of [...(kube?.processes ?? [])].reverse()) await p.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('spec.providerConfigRef cannot change once the claim exists', () => {
  it('refuses a claim that moves to another ProviderConfig, with the rule and what to do', async () => {
    await kube.kubectl.applyYaml(claim());
    const moved = await kube.kubectl.run(['apply', '-f', '-'], { input: claim('aws-444455556666') });
    expect(moved.code).not.toBe(0);
    expect(moved.stderr).toContain('(provider-config.immutable)');
    expect(moved.stderr).toContain('create a new claim for the other account');
  });

  it('accepts naming `default` explicitly (the same account), and any other change', async () => {
    await kube.kubectl.applyYaml(claim('default'));
    await kube.kubectl.applyYaml(claim('default', 'us-west-2'));
    const stored = await kube.kubectl.get('disasterrecovery', 'minimal', { namespace: NAMESPACE });
    expect(stored?.spec.providerConfigRef).toEqual({ name: 'default' });
    expect(stored?.spec.activeRegion).toBe('us-west-2');
  });

  it('refuses leaving a named ProviderConfig for the default one, and keeps a named one on other changes', async () => {
    await kube.kubectl.ok(['delete', 'disasterrecovery', 'minimal', '-n', NAMESPACE]);
    await kube.kubectl.applyYaml(claim('aws-444455556666'));
    const back = await kube.kubectl.run(['apply', '-f', '-'], { input: claim() });
    expect(back.code).not.toBe(0);
    expect(back.stderr).toContain('(provider-config.immutable)');
    await kube.kubectl.applyYaml(claim('aws-444455556666', 'us-west-2'));
  });
});
