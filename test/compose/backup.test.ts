import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planClaim } from '../../src/compose/plan.js';
import { repoRoot } from '../support/paths.js';
import { BACKUP_POLICIES } from '../../src/primitives/backup/compose.js';
import { ESTATE_TAG } from '../../src/compose/context.js';
import { liveView } from '../../src/compose/observed.js';
import {
  ACCOUNT,
  FULL_SPEC,
  byKey,
  claim,
  composeLive,
  externalName,
  fp,
  keysOf,
  managed,
  nestedOf,
  observedView,
  plan,
  spec,
} from './helpers.js';

const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
const backupXr = nestedOf(FULL_SPEC, 'XDRBackup');
const vaultArn = (r: string) => `arn:aws:backup:${r}:${ACCOUNT}:backup-vault:payments-vault-prod-${r}`;
const vaultsKnown = Object.fromEntries(regions.map((r) => [`backup-vault-${r}`, { ready: true, arn: vaultArn(r) }]));

describe('XDRBackup', () => {
  it('keeps a vault per region, encrypted with its own region key and kept in production', () => {
    const vaults = managed(plan(FULL_SPEC)).filter((m) => m.kind === 'Vault');
    expect(vaults.map((v) => fp(v).region)).toEqual(regions);
    for (const v of vaults) {
      expect(fp(v).kmsKeyArnSelector.matchLabels).toMatchObject({
        'drplane.io/component': 'kms-backup',
        'drplane.io/region': fp(v).region,
      });
      expect(spec(v).deletionPolicy).toBe('Orphan');
      expect(fp(v).forceDestroy).toBe(false);
      expect(externalName(v)!.length).toBeLessThanOrEqual(50);
    }
  });

  it('follows activeRegion: after a failover the plan backs up the new active region and copies to every other vault', () => {
    const moved = composeLive(nestedOf({ ...FULL_SPEC, activeRegion: 'us-west-2' }, 'XDRBackup'), observedView(vaultsKnown));
    expect(keysOf(moved).filter((k) => /^backup-(plan|selection)/.test(k))).toEqual([
      'backup-plan-us-west-2',
      'backup-selection-us-west-2',
    ]);
    const plan = fp(byKey(moved, 'backup-plan-us-west-2'));
    expect(plan.region).toBe('us-west-2');
    expect(plan.rule[0].targetVaultNameSelector.matchLabels['drplane.io/region']).toBe('us-west-2');
    expect(plan.rule[0].copyAction.map((c: { destinationVaultArn: string }) => c.destinationVaultArn)).toEqual([
      vaultArn('us-east-1'),
      vaultArn('eu-west-1'),
    ]);
    expect(fp(byKey(moved, 'backup-selection-us-west-2')).region).toBe('us-west-2');
    // The vaults (and their recovery points) are the same objects whichever region is active.
    expect(keysOf(moved).filter((k) => k.startsWith('backup-vault-'))).toEqual(regions.map((r) => `backup-vault-${r}`));
  });

  it('backs up on the claimed schedule, keeps retentionDays, and copies to every secondary vault by its observed ARN', () => {
    const out = composeLive(backupXr, observedView(vaultsKnown));
    const rule = fp(byKey(out, 'backup-plan')).rule[0];
    expect(fp(byKey(out, 'backup-plan')).region).toBe('us-east-1');
    expect(rule).toMatchObject({ schedule: 'cron(0 * * * ? *)', lifecycle: { deleteAfter: 35 } });
    expect(rule.targetVaultNameSelector.matchLabels['drplane.io/region']).toBe('us-east-1');
    expect(rule.copyAction).toEqual([
      { destinationVaultArn: vaultArn('us-west-2'), lifecycle: { deleteAfter: 35 } },
      { destinationVaultArn: vaultArn('eu-west-1'), lifecycle: { deleteAfter: 35 } },
    ]);
  });

  it('waits for the destination vault ARNs before creating the plan, and copies nothing when copyToSecondary is false', () => {
    expect(keysOf(composeLive(backupXr, liveView({})))).not.toContain('backup-plan');
    const noCopy = nestedOf({ ...FULL_SPEC, backup: { ...FULL_SPEC.backup, copyToSecondary: false } }, 'XDRBackup');
    const out = composeLive(noCopy, liveView({}));
    expect(fp(byKey(out, 'backup-plan')).rule[0].copyAction).toBeUndefined();
  });

  it('selects every resource tagged with the estate id, except the Lambda artifacts buckets', () => {
    const out = composeLive(backupXr, observedView(vaultsKnown));
    const selection = fp(byKey(out, 'backup-selection'));
    expect(selection.resources).toEqual(['*']);
    expect(selection.condition).toEqual([
      {
        stringEquals: [{ key: `aws:ResourceTag/${ESTATE_TAG}`, value: expect.stringMatching(/^e[0-9a-f]{7}$/) }],
        stringNotEquals: [{ key: 'aws:ResourceTag/drplane:backup', value: 'skip' }],
      },
    ]);
    expect(selection.iamRoleArnSelector.matchLabels['drplane.io/component']).toBe('backup-role');
    // Every resource drplane tags carries the same estate id.
    const tagged = managed(plan(FULL_SPEC)).filter((m) => fp(m)?.tags !== undefined);
    expect(new Set(tagged.map((m) => fp(m).tags[ESTATE_TAG]))).toEqual(new Set([selection.condition[0].stringEquals[0].value]));
  });

  it('runs as a role only AWS Backup can assume, with the AWS managed backup and restore policies (and S3 ones for buckets)', () => {
    const out = composeLive(backupXr, liveView({}));
    expect(JSON.parse(fp(byKey(out, 'backup-role')).assumeRolePolicy).Statement).toEqual([
      { Sid: 'AssumeByService', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: ['sts:AssumeRole'] },
    ]);
    const attached = out.resources.filter((r) => r.manifest.kind === 'RolePolicyAttachment').map((r) => fp(r.manifest).policyArn);
    expect(attached).toEqual(Object.values(BACKUP_POLICIES));
    const { buckets: _b, ...noBuckets } = FULL_SPEC;
    const plain = composeLive(nestedOf(noBuckets, 'XDRBackup'), liveView({}));
    expect(
      plain.resources.filter((r) => r.manifest.kind === 'RolePolicyAttachment').map((r) => fp(r.manifest).policyArn),
    ).toEqual([BACKUP_POLICIES.backup, BACKUP_POLICIES.restores]);
  });

  describe('region settings (AWS Backup opt-ins, one per account and region)', () => {
    const settings = (spec: object) => managed(plan(spec), 'RegionSettings');
    /** The resource types the provider says must all be given, from its own source (config/cluster/backup/config.go). */
    const required = (() => {
      const dir = resolve(process.env.DRPLANE_PROVIDER_SOURCE_DIR ?? join(repoRoot, '..', 'shared', 'provider-upjet-aws-source'));
      const text = readFileSync(join(dir, 'config', 'cluster', 'backup', 'config.go'), 'utf8');
      const list = (field: string) => {
        const at = text.indexOf(`Schema["${field}"]`);
        const warning = /All parameters are required to be given: "?(?:\s*\+\s*")?([^"]+)"/.exec(text.slice(at))!;
        return warning[1]!
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
          .sort();
      };
      return { optIn: list('resource_type_opt_in_preference'), management: list('resource_type_management_preference') };
    })();

    it('opts in every region of the estate (where backups run and where copies land), Aurora, DynamoDB and S3 included', () => {
      const all = settings(FULL_SPEC);
      expect(all.map((m) => fp(m).region)).toEqual(regions);
      for (const m of all) {
        expect(spec(m).initProvider.resourceTypeOptInPreference).toMatchObject({ Aurora: true, DynamoDB: true, S3: true });
        // Cross-region copies of DynamoDB recovery points need AWS Backup's advanced DynamoDB features.
        expect(spec(m).initProvider.resourceTypeManagementPreference.DynamoDB).toBe(true);
      }
      // The copy rules name only regions that have settings.
      const out = composeLive(backupXr, observedView(vaultsKnown));
      const copied = fp(byKey(out, 'backup-plan')).rule[0].copyAction.map(
        (c: { destinationVaultArn: string }) => c.destinationVaultArn.split(':')[3],
      );
      expect(new Set([fp(byKey(out, 'backup-plan')).region, ...copied])).toEqual(new Set(all.map((m) => fp(m).region)));
    });

    it('gives every resource type the provider requires (a partial map is a permanent diff), and opts none out', () => {
      expect(required.optIn).toEqual(expect.arrayContaining(['Aurora', 'DynamoDB', 'EBS', 'RDS', 'S3', 'Storage Gateway']));
      expect(required.management).toEqual(['DynamoDB', 'EFS']);
      expect(settings(FULL_SPEC)).toHaveLength(3);
      for (const m of settings(FULL_SPEC)) {
        const init = spec(m).initProvider;
        expect(Object.keys(init.resourceTypeOptInPreference).sort()).toEqual(required.optIn);
        expect(Object.keys(init.resourceTypeManagementPreference).sort()).toEqual(required.management);
        expect(new Set(Object.values(init.resourceTypeOptInPreference))).toEqual(new Set([true]));
        expect(new Set(Object.values(init.resourceTypeManagementPreference))).toEqual(new Set([true]));
      }
    });

    it('sends the maps once, at creation (initProvider): AWS reads back every type it has, more than the ten given, so a map in forProvider would be sent again on every poll', () => {
      for (const m of settings(FULL_SPEC)) {
        expect(Object.keys(fp(m)).sort()).toEqual(['region']);
        expect(Object.keys(spec(m).initProvider).sort()).toEqual([
          'resourceTypeManagementPreference',
          'resourceTypeOptInPreference',
        ]);
      }
    });

    it('is shared: AWS names it by region alone, every estate in an account asks for the same, and deleting an estate keeps it', () => {
      for (const profile of ['production', 'test']) {
        for (const m of settings({ ...FULL_SPEC, profile })) {
          expect(externalName(m)).toBeUndefined(); // IdentifierFromProvider: the provider sets the region
          expect(spec(m).deletionPolicy).toBe('Orphan');
        }
      }
      const other = planClaim(
        claim(
          {
            ...FULL_SPEC,
            profile: 'test',
            environment: 'dev',
            backup: { schedule: 'cron(0 5 * * ? *)', retentionDays: 7, copyToSecondary: false },
          },
          'orders',
          'team-orders',
        ),
      );
      const mine = settings(FULL_SPEC).map((m) => fp(m));
      expect(mine).toHaveLength(3);
      const theirs = managed(other, 'RegionSettings').map((m) => fp(m));
      for (const region of regions) {
        expect(theirs.find((f) => f.region === region)).toEqual(mine.find((f) => f.region === region));
      }
    });

    it('keeps the same settings through a failover and before the vault ARNs are known', () => {
      const keys = (view: ReturnType<typeof liveView>, spec: object) =>
        keysOf(composeLive(nestedOf(spec, 'XDRBackup'), view)).filter((k) => k.startsWith('backup-region-settings'));
      const expected = regions.map((r) => `backup-region-settings-${r}`);
      expect(keys(liveView({}), FULL_SPEC)).toEqual(expected);
      expect(keys(observedView(vaultsKnown), { ...FULL_SPEC, activeRegion: 'eu-west-1' })).toEqual(expected);
    });
  });
});
