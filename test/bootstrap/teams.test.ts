/** The claims Applications: one per team folder claims/<namespace>/, read from the folder, and which Applications the settings produce. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appPlans } from '../../charts/bootstrap/apps.js';
import { CREATE_NAMESPACE, NO_PRUNE } from '../../charts/bootstrap/argo.js';
import { DEFAULT_SETTINGS } from '../../charts/bootstrap/settings.js';
import { claimTeams } from '../../charts/bootstrap/teams.js';
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

it('each team folder is a namespace with its own Application; only prunable namespaces may prune', () => {
  const teams = withClaims(
    ['team-payments/payments.yaml', 'team-orders-dev/orders.yaml', 'team-ledger/.gitkeep', '.github/x.yaml', 'README.md'],
    (dir) => claimTeams(DEFAULT_SETTINGS, dir),
  );
  expect(teams).toEqual([
    { namespace: 'team-ledger', path: 'claims/team-ledger', production: true },
    { namespace: 'team-orders-dev', path: 'claims/team-orders-dev', production: false },
    { namespace: 'team-payments', path: 'claims/team-payments', production: true },
  ]);
  const plans = appPlans(DEFAULT_SETTINGS, teams).filter((p) => p.wave === 0);
  expect(plans.map((p) => [p.name, p.project, p.namespace, p.source.path, p.syncOptions.includes(NO_PRUNE)])).toEqual([
    ['drplane-claims-team-ledger', 'drplane-claims-team-ledger', 'team-ledger', 'claims/team-ledger', true],
    ['drplane-claims-team-orders-dev', 'drplane-claims-team-orders-dev', 'team-orders-dev', 'claims/team-orders-dev', false],
    ['drplane-claims-team-payments', 'drplane-claims-team-payments', 'team-payments', 'claims/team-payments', true],
  ]);
  for (const plan of plans) {
    expect(plan.syncOptions).toContain(CREATE_NAMESPACE);
    // Not recursive, by default: an explicit `directory: {recurse: false}` would be stripped by Argo CD (guards.test.ts).
    expect(plan.source.directory).toBeUndefined();
  }
});

it('an empty claims folder gives no claims Application', () => {
  expect(withClaims(['README.md'], (dir) => claimTeams(DEFAULT_SETTINGS, dir))).toEqual([]);
});

it('refuses a claim file outside a team folder, naming it and where it goes', () => {
  expect(() => withClaims(['payments.yaml'], (dir) => claimTeams(DEFAULT_SETTINGS, dir))).toThrow(
    /claims\/payments\.yaml: a claim lives in claims\/<namespace>\/<name>\.yaml/,
  );
});

it('refuses a folder that is not a namespace the settings allow, or a nested folder', () => {
  expect(() => withClaims(['Prod_EU/payments.yaml'], (dir) => claimTeams(DEFAULT_SETTINGS, dir))).toThrow(
    /claims\/Prod_EU: .*lower-case DNS label/,
  );
  expect(() => withClaims(['kube-system/payments.yaml'], (dir) => claimTeams(DEFAULT_SETTINGS, dir))).toThrow(
    /claims\/kube-system: claims may only live in namespaces matching 'team-\*'/,
  );
  expect(() => withClaims(['team-a/prod/payments.yaml'], (dir) => claimTeams(DEFAULT_SETTINGS, dir))).toThrow(
    /claims\/team-a\/prod: team folders are not recursive/,
  );
});

it('leaves argocd-cm and the projects alone when Argo CD settings are managed elsewhere', () => {
  const names = (manageArgoCdSettings: boolean) => appPlans({ ...DEFAULT_SETTINGS, manageArgoCdSettings }, []).map((p) => p.name);
  expect(names(true)).toContain('drplane-argocd');
  expect(names(false)).not.toContain('drplane-argocd');
  expect(names(false)).toHaveLength(names(true).length - 1);
});
