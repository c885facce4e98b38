/**
 * `drctl validate --account-guard <file>`: the check the control plane's ValidatingAdmissionPolicy makes, offline,
 * from the same rendered file, with the message the API server returns (test/e2e/argocd.test.ts sees that message
 * from a real kube-apiserver).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { expect, it } from 'vitest';
import { AccountGuardChart } from '../../charts/bootstrap/account-guard.js';
import { DEFAULT_SETTINGS, type BootstrapSettings } from '../../charts/bootstrap/settings.js';
import { toYaml } from '../../charts/write.js';
import { accessMessage, accessProblem, allowedProviderConfigs, parseAccess } from '../../src/policy/account-access.js';
import { suiteTempDir } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';
import { readFileSync } from 'node:fs';

const drctl = (args: string[]) =>
  run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], { cwd: repoPath(), env: { NO_COLOR: '1' } });

const SECOND = 'aws-444455556666';
const SETTINGS: BootstrapSettings = {
  ...DEFAULT_SETTINGS,
  accounts: { [SECOND]: { roleArn: 'arn:aws:iam::444455556666:role/drplane-provider-aws' } },
  providerConfigAccess: { 'team-payments': ['default', SECOND], 'team-frozen': [] },
};

/** The account guard file `npm run synth` would write with `settings`. */
function guardFile(settings: BootstrapSettings): string {
  const file = join(suiteTempDir('guard-'), 'account-guard.yaml');
  writeFileSync(file, toYaml(new AccountGuardChart(new App(), 'guard', settings).toJson()));
  return file;
}

/** A claim file from examples/minimal.yaml in `namespace`, naming `providerConfig` when given. */
function claimFile(namespace: string, providerConfig?: string): string {
  const file = join(suiteTempDir('claim-'), `${namespace}.yaml`);
  const text = readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8')
    .replace(/^ {2}namespace: .*$/m, `  namespace: ${namespace}`)
    .replace(/^spec:\n/m, providerConfig ? `spec:\n  providerConfigRef:\n    name: ${providerConfig}\n` : 'spec:\n');
  writeFileSync(file, text);
  return file;
}

it("the refusal is word for word the API server's (as the e2e tier received it from kube-apiserver)", () => {
  expect(accessMessage('team-sandbox-dev', SECOND, ['default'])).toBe(
    'spec.providerConfigRef.name: namespace team-sandbox-dev may not use ProviderConfig aws-444455556666; it may use default ' +
      '(settings.providerConfigAccess in charts/bootstrap/settings.ts, docs/gitops.md: Several accounts and clusters)',
  );
  expect(accessMessage('team-frozen', 'default', [])).toMatch(/may not use ProviderConfig default; it may use none \(/);
});

it("a namespace not listed may use only 'default'; a listed one exactly its list; no providerConfigRef is 'default'", () => {
  const access = SETTINGS.providerConfigAccess;
  expect(allowedProviderConfigs(access, 'team-other')).toEqual(['default']);
  expect(allowedProviderConfigs(access, 'team-payments')).toEqual(['default', SECOND]);
  expect(allowedProviderConfigs(access, 'constructor')).toEqual(['default']);
  const claim = (namespace: string, name?: string) => ({
    metadata: { name: 'x', namespace },
    spec: (name ? { providerConfigRef: { name } } : {}) as never,
  });
  expect(accessProblem(claim('team-other'), access)).toBeUndefined();
  expect(accessProblem(claim('team-payments', SECOND), access)).toBeUndefined();
  expect(accessProblem(claim('team-other', SECOND), access)).toMatchObject({
    path: 'spec.providerConfigRef.name',
    ruleId: 'provider-config.access',
    severity: 'error',
  });
  expect(accessProblem(claim('team-frozen'), access)?.message).toMatch(/it may use none/);
  expect(() => parseAccess('{"team-a": "default"}')).toThrow(/must map namespaces to lists of names/);
  expect(() => parseAccess('nope')).toThrow(/is not JSON/);
});

it('drctl validate --account-guard admits and refuses as the guard does, and says nothing without the flag', async () => {
  const guard = guardFile(SETTINGS);
  const allowed = await drctl(['validate', claimFile('team-payments', SECOND), '--account-guard', guard]);
  expect(allowed.stdout, allowed.stderr).toMatch(/: valid \(0 errors/);
  expect(allowed.code).toBe(0);

  const refusedFile = claimFile('team-sandbox', SECOND);
  const refused = await drctl(['validate', refusedFile, '--account-guard', guard]);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain(
    `${refusedFile}: spec.providerConfigRef.name: namespace team-sandbox may not use ProviderConfig ${SECOND}; it may use default (`,
  );
  expect(refused.stdout).toContain('(provider-config.access)');

  const without = await drctl(['validate', refusedFile]);
  expect(without.code).toBe(0);

  // The committed guard (default settings): every example claim names no account, so all are admitted.
  const committed = await drctl([
    'validate',
    'examples/',
    '--account-guard',
    'compositions/bootstrap/provider-config/account-guard.yaml',
  ]);
  expect(committed.code, committed.stdout).toBe(0);
});

it('drctl validate --account-guard with a file that is not the guard: exit 2, one line naming the file', async () => {
  const r = await drctl(['validate', 'examples/minimal.yaml', '--account-guard', 'compositions/bootstrap/root.yaml']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'drctl: --account-guard compositions/bootstrap/root.yaml: no ValidatingAdmissionPolicy drplane-provider-config-access with annotation drplane.io/provider-config-access; give compositions/bootstrap/provider-config/account-guard.yaml (npm run synth writes it)\n',
  );
  const missing = await drctl(['validate', 'examples/minimal.yaml', '--account-guard', 'nope.yaml']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^drctl: --account-guard nope\.yaml: cannot read it: /);
  expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
});

it('the rendered guard carries the same map for drctl as in its CEL', () => {
  const text = readFileSync(guardFile(SETTINGS), 'utf8');
  expect(text).toContain(`drplane.io/provider-config-access: '{"team-frozen":[],"team-payments":["default","${SECOND}"]}'`);
});
