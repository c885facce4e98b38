/** `drctl plan` as a user runs it: the built bundle on every claim. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { planClaim } from '../../src/compose/plan.js';
import { loadLambdaArtifacts } from '../../src/function/artifacts.js';
import { suiteTempDir } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';

const claims = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const drctl = (...args: string[]) =>
  run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], { cwd: repoPath(), env: { NO_COLOR: '1' } });

beforeAll(async () => {}, 120_000);

it('ships the built Lambda zips inline: every code object carries the zip content, no placeholder', async () => {
  const manifests = JSON.parse((await drctl('plan', 'examples/payments.yaml', '--output', 'json')).stdout) as {
    kind: string;
    spec: { forProvider: { contentBase64?: string } };
  }[];
  const objects = manifests.filter((m) => m.kind === 'Object');
  expect(objects.length).toBeGreaterThan(0);
  for (const o of objects) expect(o.spec.forProvider.contentBase64).toMatch(/^UEsDB/);
});

it('says the Lambda zips are not built only for a claim that has Lambda functions', async () => {
  const env = { NO_COLOR: '1', DRPLANE_LAMBDA_DIR: repoPath('test', 'no-such-lambda-dir') };
  const plan = (file: string) =>
    run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'plan', file, '--output', 'json'], { cwd: repoPath(), env });
  const withLambda = await plan('examples/payments.yaml');
  expect(withLambda.code).toBe(0);
  expect(withLambda.stderr).toContain('the Lambda zips are not built');
  const without = await plan('examples/minimal.yaml');
  expect(without.code).toBe(0);
  expect((JSON.parse(without.stdout) as { kind: string }[]).some((m) => m.kind === 'Function')).toBe(false);
  expect(without.stderr).not.toContain('Lambda');
});

describe('drctl plan', () => {
  it.each(claims)('%s: --output json is exactly the plan compose makes', async (file) => {
    const r = await drctl('plan', `examples/${file}`, '--output', 'json');
    expect(r.code, r.stderr).toBe(0);
    const claim = DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', file), 'utf8'), { version: '1.1' }));
    const { artifacts } = loadLambdaArtifacts(repoPath('dist', 'lambda'));
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(JSON.stringify(planClaim(claim, undefined, { artifacts }).map((p) => p.manifest))),
    );
  });

  it('groups resources by region and kind in a table', async () => {
    const r = await drctl('plan', 'examples/minimal.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^us-west-2\s+Key\s+table-items\s+1$/m);
    expect(r.stdout).toMatch(/examples\/minimal\.yaml: \d+ resources in 2 regions/);
  });

  it("names the ProviderConfig the estate uses: default, or the claim's spec.providerConfigRef", async () => {
    expect((await drctl('plan', 'examples/minimal.yaml')).stdout).toMatch(/^AWS ProviderConfig: default \(/m);
    const file = join(suiteTempDir('plan-provider-config'), 'claim.yaml');
    writeFileSync(
      file,
      readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8').replace(
        /^spec:\n/m,
        'spec:\n  providerConfigRef:\n    name: aws-222233334444\n',
      ),
    );
    const r = await drctl('plan', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^AWS ProviderConfig: aws-222233334444 \(/m);
    const yaml = (await drctl('plan', file, '--output', 'yaml')).stdout;
    expect(yaml).toContain('providerConfigRef:\n    name: aws-222233334444');
  });

  it('prints one YAML document per resource with --output yaml, N quoted for kubectl', async () => {
    const r = await drctl('plan', 'examples/three-region.yaml', '--output', 'yaml');
    const json = JSON.parse((await drctl('plan', 'examples/three-region.yaml', '--output', 'json')).stdout);
    expect(r.stdout.split(/^---$/m)).toHaveLength(json.length);
    expect(r.stdout).toContain('type: "N"');
  });

  it('refuses an invalid claim with its problems and exit 1, printing no plan', async () => {
    const r = await drctl('plan', 'test/fixtures/invalid/cidrs-overlap.yaml', '--output', 'json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('(network.cidr-overlap)');
  });

  it('survives a closed pipe', async () => {
    const r = await run(
      'bash',
      ['-c', `node ${repoPath('bin', 'drctl.mjs')} plan examples/three-region.yaml -o yaml | head -1`],
      {
        cwd: repoPath(),
      },
    );
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stdout).toBe('apiVersion: drplane.io/v1alpha1\n');
  });
});

describe('drctl plan --diff', () => {
  it('shows what a claim change adds, changes and removes, and warns about stateful replacements', async () => {
    const dir = (await import('../support/files.js')).suiteTempDir('plan-diff-');
    const { writeFileSync } = await import('node:fs');
    const renamed = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8').replace('name: items', 'name: things');
    writeFileSync(`${dir}/new.yaml`, renamed);
    const r = await drctl('plan', `${dir}/new.yaml`, '--diff', 'examples/minimal.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\+ add\s+us-east-1\s+Table/);
    expect(r.stdout).toMatch(/- remove\s+us-east-1\s+Table/);
    expect(r.stdout).toContain('WARNING: ');
    const json = JSON.parse((await drctl('plan', `${dir}/new.yaml`, '--diff', 'examples/minimal.yaml', '-o', 'json')).stdout);
    expect(json.some((c: { change: string; replacesStateful?: boolean }) => c.change === 'remove' && c.replacesStateful)).toBe(
      true,
    );
  });

  it('diffs against a plan saved with -o yaml: nothing for the same claim, every renamed stateful resource otherwise', async () => {
    const dir = (await import('../support/files.js')).suiteTempDir('plan-saved-');
    const { writeFileSync } = await import('node:fs');
    const saved = (await drctl('plan', 'examples/minimal.yaml', '-o', 'yaml')).stdout;
    writeFileSync(`${dir}/before.yaml`, saved);
    const same = await drctl('plan', 'examples/minimal.yaml', '--diff', `${dir}/before.yaml`);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no change to the estate');
    // A plan with other names, as an older drplane would have saved it.
    writeFileSync(`${dir}/older.yaml`, saved.replace(/(external-name: minimal-items-dev)-e[0-9a-f]{7}/, '$1'));
    const r = await drctl('plan', 'examples/minimal.yaml', '--diff', `${dir}/older.yaml`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/~ change\s+us-east-1\s+Table\s+\S+\s+REPLACES STATEFUL RESOURCE/);
    expect(r.stdout).toContain('WARNING: 1 stateful resource(s)');
  });
});
