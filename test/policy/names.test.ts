/** The estate's AWS names: the same as compose emits, shortened with a warning, refused when malformed. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { NAME_RULES } from '../../src/compose/naming.js';
import { planClaim } from '../../src/compose/plan.js';
import { estateNames } from '../../src/policy/estate-names.js';
import { invalidNamesRule, shortenedNamesRule } from '../../src/policy/rules/names.js';
import { repoPath } from '../support/paths.js';
import { FULL, check, spec } from './specs.js';

/** Sections whose every AWS name this list covers (for the others, metric alarms and log groups are left out). */
const COMPLETE = /^spec\.(database|tables|buckets)/;

/** The names compose gives AWS resources of a claim: external names and forProvider.name, by section. */
function emittedNames(file: string) {
  const claim = DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', file), 'utf8')));
  const emitted = planClaim(claim).flatMap((p) => {
    const metadata = p.manifest.metadata as { annotations?: Record<string, string> } | undefined;
    const forProvider = (p.manifest.spec as { forProvider?: { name?: unknown } } | undefined)?.forProvider;
    const names = [
      metadata?.annotations?.['crossplane.io/external-name'],
      typeof forProvider?.name === 'string' ? forProvider.name : undefined,
    ];
    return (
      names
        .filter((n): n is string => n !== undefined)
        // A KMS Alias is annotated without `alias/` (the provider adds it): its AWS name has the prefix.
        .map((name) => (p.manifest.kind === 'Alias' ? `alias/${name}` : name))
        .map((name) => ({ name, parent: p.parent.split('/').at(-1)!, kind: p.manifest.kind }))
    );
  });
  const ours = estateNames(claim.spec, { name: claim.metadata.name, namespace: claim.metadata.namespace }).map((n) => ({
    ...n,
    aws: n.kind === 'kmsAlias' ? `alias/${n.name.value}` : n.name.value,
  }));
  return { emitted, ours };
}

describe('estate names', () => {
  const files = ['payments.yaml', 'three-region.yaml', 'seed-004-financial-transactions.yaml', 'minimal.yaml'];

  it.each(files)('%s: every name the policy checks is one compose emits', (file) => {
    const { emitted, ours } = emittedNames(file);
    const all = new Set(emitted.map((e) => e.name));
    expect(ours.filter((n) => !all.has(n.aws)).map((n) => `${n.path} ${n.what}: ${n.aws}`)).toEqual([]);
  });

  it.each(files)('%s: every name compose emits for the database, tables and buckets is checked', (file) => {
    const { emitted, ours } = emittedNames(file);
    const checked = new Set(ours.filter((n) => COMPLETE.test(n.path)).map((n) => n.aws));
    const composed = emitted
      // An inline policy's name is a constant of its role (`replication`), checked in test/compose/invariants.test.ts.
      .filter((e) => /^(database|table-|bucket-)/.test(e.parent) && e.kind !== 'RolePolicy')
      .map((e) => e.name);
    expect(composed.filter((name) => !checked.has(name))).toEqual([]);
    expect(composed.length).toBeGreaterThan(0);
  });

  it('covers every region for regional resources and names each once', () => {
    const names = estateNames(
      spec({
        regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] },
        network: undefined,
        database: undefined,
      }),
      { name: 'app', namespace: 'team' },
    );
    const vaults = names.filter((n) => n.kind === 'backupVault').map((n) => n.region);
    expect(vaults).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    const values = names.map((n) => `${n.kind}/${n.name.value}`);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('names.shortened', () => {
  it('is silent when every name fits', () => {
    expect(check(shortenedNamesRule, spec())).toEqual([]);
  });

  it('warns once per resource with the full name, the shortened one and the limit', () => {
    const name = 'a-very-long-claim-name-for-payments-abcd';
    const problems = check(shortenedNamesRule, spec({ environment: 'staging-eu-1' }), { name });
    const vault = problems.find((p) => p.message.includes('AWS Backup vault'))!;
    expect(vault.severity).toBe('warning');
    expect(vault.message).toMatch(
      new RegExp(`"${name}-vault-staging-eu-1-use1-(e[0-9a-f]{7})" becomes "${name.slice(0, 20)}[a-z0-9-]*-[0-9a-f]{6}-\\1"`),
    );
    expect(vault.message).toContain(`longer than ${NAME_RULES.backupVault.max} characters`);
    expect(vault.message).toContain('in us-east-1, us-west-2');
    expect(problems.filter((p) => p.message.includes('AWS Backup vault'))).toHaveLength(1);
  });

  it('names each region once when a region has several such names (two Aurora instances in the primary)', () => {
    const name = 'a-very-long-claim-name-for-payments-abcd';
    const problems = check(shortenedNamesRule, spec({ environment: 'staging-eu-1' }), { name });
    const instance = problems.find((p) => p.message.includes('Aurora instance'));
    expect(instance, problems.map((p) => p.message).join('\n')).toBeDefined();
    expect(instance!.message).toContain('in us-east-1, us-west-2 is longer');
    for (const p of problems) expect(p.message).not.toMatch(/\b([a-z]{2}-[a-z]+-\d), \1\b/);
  });
});

describe('names.invalid', () => {
  it('refuses Aurora identifiers that start with a digit or hold a double hyphen', () => {
    const digit = check(invalidNamesRule, spec(), { name: '1payments' });
    expect(digit.map((p) => p.message.match(/^the (.+?) name/)![1])).toEqual([
      'Aurora global cluster',
      'Aurora cluster',
      'Aurora instance',
    ]);
    expect(new Set(digit.map((p) => p.path))).toEqual(new Set(['spec.database']));
    expect(digit[0]!.message).toContain('starts with a letter');
    expect(check(invalidNamesRule, spec(), { name: 'pay--ments' })[0]!.message).toMatch(/"pay--ments-global-prod-e[0-9a-f]{7}"/);
  });

  it('accepts the same names without a database', () => {
    expect(check(invalidNamesRule, spec({ database: undefined, network: FULL.network }), { name: '1payments' })).toEqual([]);
  });
});
