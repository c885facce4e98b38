/**
 * AWS names are unique per estate: two claims with the same name and environment in two namespaces
 * (two estates in one account) never share an AWS name, so neither can adopt or overwrite the
 * other's resources. Over every example claim in examples/.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ESTATE_ID_PATTERN } from '../../lambda/shared/env-contract.js';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { EXTERNAL_NAME } from '../../src/compose/context.js';
import { NAME_RULES, Namer, fitName } from '../../src/compose/naming.js';
import { planClaim } from '../../src/compose/plan.js';
import { repoPath } from '../support/paths.js';

const claimFiles = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/**
 * Names that live inside a parent whose own name or id differs per estate, or that the claim itself
 * chooses: `$default` is the HTTP API's stage (the API id is AWS-assigned); Route 53 record names are
 * `spec.routing.recordName` in the claim's own zone, and so are the API Gateway custom domain names (recordName and
 * `<region>.<recordName>`), which only the zone's owner can certify.
 */
const SCOPED = new Set(['Stage', 'Record', 'DomainName']);

/** The AWS identity of a name: an inline policy's name is only unique within its role, so it counts as `role:name`. */
const identity = (kind: string, name: string, fp: Record<string, any>): string =>
  kind === 'RolePolicy' ? `${fp.role ?? JSON.stringify(fp.roleSelector?.matchLabels)}:${name}` : name;

/**
 * Every name a plan chooses for something in AWS (or for a Kubernetes Secret shared by the
 * provider): external-name annotations, `forProvider.name`, final snapshot ids and Secret refs.
 */
function chosenNames(raw: Record<string, any>, namespace: string): string[] {
  const claim = DisasterRecoveryClaimSchema.parse({ ...raw, metadata: { ...raw.metadata, namespace } });
  return planClaim(claim).flatMap(({ manifest }) => {
    if (SCOPED.has(manifest.kind)) return [];
    const m = manifest as { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, any> };
    const fp = m.spec?.forProvider ?? {};
    return [
      m.metadata?.annotations?.[EXTERNAL_NAME],
      typeof fp.name === 'string' ? fp.name : undefined,
      fp.finalSnapshotIdentifier,
      fp.masterPasswordSecretRef?.name,
      m.spec?.writeConnectionSecretToRef?.name,
    ]
      .filter((n): n is string => typeof n === 'string' && n !== '')
      .map((n) => `${manifest.kind} ${identity(manifest.kind, n, fp)}`);
  });
}

describe('AWS names per estate', () => {
  it.each(claimFiles)('%s in two namespaces: no AWS name in common', (file) => {
    const raw = parse(readFileSync(repoPath('examples', file), 'utf8')) as Record<string, any>;
    const a = chosenNames(raw, 'team-a');
    const b = new Set(chosenNames(raw, 'team-b'));
    expect(a.length).toBeGreaterThan(0);
    expect(a.filter((n) => b.has(n))).toEqual([]);
  });

  it('makes estate ids the Lambdas accept as DRPLANE_ESTATE (the Estate dimension of drplane metrics)', () => {
    const ids = ['team-a', 'team-b', ''].flatMap((namespace) =>
      ['prod', 'staging'].map((environment) => new Namer({ name: 'payments', namespace, environment }).estateId),
    );
    for (const id of ids) expect(id).toMatch(ESTATE_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the estate id when a name is shortened, so shortened names stay per estate', () => {
    const long = 'a-very-long-claim-name-for-payments-abcd';
    const one = new Namer({ name: long, namespace: 'team-a', environment: 'staging-eu-1' });
    const two = new Namer({ name: long, namespace: 'team-b', environment: 'staging-eu-1' });
    const [x, y] = [one, two].map((n) => n.fitted('backupVault', 'vault', 'us-east-1'));
    expect(x!.shortened).toBe(true);
    expect(x!.value.length).toBeLessThanOrEqual(NAME_RULES.backupVault.max);
    expect(x!.value.endsWith(`-${one.estateId}`)).toBe(true);
    expect(y!.value.endsWith(`-${two.estateId}`)).toBe(true);
    expect(x!.value).not.toBe(y!.value);
  });

  it('fits a name with its suffix to the limit and never ends the cut part in a separator', () => {
    // Every cut position, including those that land just after a hyphen.
    for (let len = 41; len <= 71; len += 1) {
      const fitted = fitName('rdsIdentifier', 'ab-'.repeat(len).slice(0, len).replace(/-$/, ''), 'e1234567');
      expect(fitted.value.length).toBeLessThanOrEqual(NAME_RULES.rdsIdentifier.max);
      expect(fitted.value).toMatch(NAME_RULES.rdsIdentifier.pattern);
      expect(fitted.value.endsWith('-e1234567')).toBe(true);
    }
  });
});
