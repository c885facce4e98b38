/** The claims Applications (one per environment folder under claims/, read from the folder) and which Applications the settings produce. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appPlans, claimsAppName } from '../../charts/bootstrap/apps.js';
import { NO_PRUNE } from '../../charts/bootstrap/argo.js';
import { claimEnvironments } from '../../charts/bootstrap/environments.js';
import { DEFAULT_SETTINGS } from '../../charts/bootstrap/settings.js';
import { createTempDir, removeTempDir } from '../support/files.js';

/** A claims folder with these files (paths relative to it), for the duration of `fn`. */
function withClaims<T>(files: string[], fn: (dir: string) => T): T {
  const dir = createTempDir('claims');
  try {
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), 'kind: DisasterRecovery\n');
    }
    return fn(dir);
  } finally {
    removeTempDir(dir);
  }
}

const prunable = DEFAULT_SETTINGS.prunableEnvironments;

it('a flat claims/ folder is one production environment, synced without recursion', () => {
  const environments = withClaims(['payments.yaml', 'orders.yml'], (dir) => claimEnvironments(prunable, dir));
  expect(environments).toEqual([{ path: 'claims', recurse: false, production: true }]);
  expect(claimsAppName(environments[0]!)).toBe('drplane-claims');
});

it('each folder is an environment; only the prunable ones may prune', () => {
  const environments = withClaims(
    ['prod/payments.yaml', 'dev/payments.yaml', 'test/teams/orders.yaml', '.git-keep/x.yaml'],
    (dir) => claimEnvironments(prunable, dir),
  );
  expect(environments).toEqual([
    { name: 'dev', path: 'claims/dev', recurse: true, production: false },
    { name: 'prod', path: 'claims/prod', recurse: true, production: true },
    { name: 'test', path: 'claims/test', recurse: true, production: false },
  ]);
  const plans = appPlans(DEFAULT_SETTINGS, environments).filter((p) => p.project === 'drplane-claims');
  expect(plans.map((p) => [p.name, p.source.path, p.syncOptions.includes(NO_PRUNE)])).toEqual([
    ['drplane-claims-dev', 'claims/dev', false],
    ['drplane-claims-prod', 'claims/prod', true],
    ['drplane-claims-test', 'claims/test', false],
  ]);
});

it('files left directly in claims/ next to environment folders keep their own Application', () => {
  const environments = withClaims(['legacy.yaml', 'prod/payments.yaml'], (dir) => claimEnvironments(prunable, dir));
  expect(environments.map(claimsAppName)).toEqual(['drplane-claims', 'drplane-claims-prod']);
});

it('refuses a folder name that cannot name an Application', () => {
  expect(() => withClaims(['Prod_EU/payments.yaml'], (dir) => claimEnvironments(prunable, dir))).toThrow(
    /claims\/Prod_EU: .*DNS label/,
  );
});

it('leaves argocd-cm and the projects alone when Argo CD settings are managed elsewhere', () => {
  const names = (manageArgoCdSettings: boolean) => appPlans({ ...DEFAULT_SETTINGS, manageArgoCdSettings }, []).map((p) => p.name);
  expect(names(true)).toContain('drplane-argocd');
  expect(names(false)).not.toContain('drplane-argocd');
  expect(names(false)).toHaveLength(names(true).length - 1);
});
