import { describe, expect, it } from 'vitest';
import { BACKUP_POLICIES } from '../../src/compose/backup.js';
import { ESTATE_TAG } from '../../src/compose/context.js';
import { liveView } from '../../src/compose/observed.js';
import {
  ACCOUNT,
  FULL_SPEC,
  byKey,
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
});
