/**
 * XDRBackup: AWS Backup for the estate. A KMS-encrypted vault in every region (stateful: kept in
 * production), one plan in the active region whose rule runs on the claim's schedule, keeps each
 * recovery point `retentionDays` and, with copyToSecondary, copies it to the vault of every other region
 * (destination ARNs from the observed vaults), and one selection: every resource of the active region
 * tagged with the estate id (ESTATE_TAG, on everything drplane creates) except the Lambda artifacts
 * buckets (tagged drplane:backup=skip). The plan follows activeRegion, so a failover away from a region
 * that is down keeps backups running where the estate now serves; the vaults and their recovery points
 * stay where they are. The primary's plan keeps the keys it always had. AWS Backup assumes a service role with the AWS managed
 * backup and restore policies (and the S3 ones when the estate has buckets).
 *
 * Region settings: a tag-based selection covers only the resource types opted in for its region, and
 * DynamoDB recovery points can be copied to another region only with AWS Backup's advanced DynamoDB
 * features (full management) on. So every region of the estate, where backups run after any failover
 * and where copies land, gets a RegionSettings (see regionSettings for how estates share it).
 */
import { Plan, RegionSettings, Selection, Vault } from '../../../imports/backup.aws.upbound.io.js';
import { Role, RolePolicyAttachment } from '../../../imports/iam.aws.upbound.io.js';
import type { DRBackupSpec } from './schema.js';
import { arn, managedPolicy, observedAccount, observedArn } from '../../compose/arn.js';
import { lastForProvider } from '../../compose/observed.js';
import { ESTATE_TAG, type ComposeContext } from '../../compose/context.js';
import { serviceTrust } from '../../compose/iam.js';
import { keySelector, kmsKey } from '../../compose/kms.js';
import { BACKUP_SKIP_TAG } from '../../compose/lambda.js';
import { own } from '../../compose/selector.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';

/** Composition key of the vault of a region. */
export const vaultKey = (region: string): string => `backup-vault-${region}`;

/** AWS managed policies of the AWS Backup service role. */
export const BACKUP_POLICIES = {
  backup: managedPolicy('service-role/AWSBackupServiceRolePolicyForBackup'),
  restores: managedPolicy('service-role/AWSBackupServiceRolePolicyForRestores'),
  s3Backup: managedPolicy('AWSBackupServiceRolePolicyForS3Backup'),
  s3Restore: managedPolicy('AWSBackupServiceRolePolicyForS3Restore'),
} as const;

const vaultName = (ctx: ComposeContext, region: string) => ctx.namer.name('backupVault', 'vault', region);

function vault(ctx: ComposeContext, region: string): DesiredResource {
  const name = vaultName(ctx, region);
  return {
    key: vaultKey(region),
    region,
    manifest: ctx.stateful(
      Vault.manifest({
        metadata: ctx.metadata('backup-vault', region, name),
        spec: {
          forProvider: {
            region,
            kmsKeyArnSelector: keySelector(ctx, 'backup', region),
            forceDestroy: !ctx.production,
            tags: ctx.tags({ Name: name }),
          },
        },
      }),
    ),
  };
}

/**
 * AWS Backup's opt-in per resource type, as every RegionSettings drplane composes sends it. The provider
 * requires every type it names to be given (config/cluster/backup/config.go: "All parameters are required
 * to be given"; a partial map never converges). All true: drplane needs Aurora, DynamoDB and S3, and opting
 * the others in never stops another workload's backups in a shared account (opting out would).
 */
export const BACKUP_OPT_IN: Readonly<Record<string, boolean>> = {
  Aurora: true,
  DynamoDB: true,
  EBS: true,
  EC2: true,
  EFS: true,
  FSx: true,
  RDS: true,
  S3: true,
  'Storage Gateway': true,
  VirtualMachine: true,
};

/**
 * AWS Backup's full management per resource type (every type the provider requires). DynamoDB on: its
 * advanced features are what lets a DynamoDB recovery point be copied to another region; EFS is always
 * fully managed by AWS Backup.
 */
export const BACKUP_MANAGEMENT: Readonly<Record<string, boolean>> = { DynamoDB: true, EFS: true };

/**
 * The Backup region settings of one region. AWS keeps one per account and region (the provider's id is
 * the region: IdentifierFromProvider, so no external name), so estates in one account share it: each
 * composes its own RegionSettings with the same constant content (nothing in it depends on the claim),
 * so they never disagree, and every profile orphans it, so deleting one estate never takes the opt-ins
 * away from another. The maps go in initProvider: they are sent when the settings are created and then
 * ignored, because AWS answers with every type it has (more than the provider's ten: DocumentDB, Neptune,
 * Redshift, …), so a map in forProvider would differ on every poll and be sent again each time.
 */
function regionSettings(ctx: ComposeContext, region: string): DesiredResource {
  const manifest = RegionSettings.manifest({
    metadata: ctx.metadata('backup-region-settings', region),
    spec: {
      forProvider: { region },
      initProvider: {
        resourceTypeOptInPreference: { ...BACKUP_OPT_IN },
        resourceTypeManagementPreference: { ...BACKUP_MANAGEMENT },
      },
    },
  });
  return {
    key: `backup-region-settings-${region}`,
    region,
    manifest: { ...manifest, spec: { ...(manifest.spec as Record<string, unknown>), deletionPolicy: 'Orphan' } },
  };
}

function serviceRole(ctx: ComposeContext, spec: DRBackupSpec): DesiredResource[] {
  const policies = Object.entries(BACKUP_POLICIES).filter(([k]) => spec.buckets || !k.startsWith('s3'));
  return [
    {
      key: 'backup-role',
      manifest: Role.manifest({
        metadata: ctx.metadata('backup-role', undefined, ctx.namer.name('iamRole', 'backup')),
        spec: {
          forProvider: {
            assumeRolePolicy: serviceTrust('backup.amazonaws.com'),
            description: 'AWS Backup service role of the drplane estate',
            tags: ctx.tags(),
          },
        },
      }),
    },
    ...policies.map(([k, policyArn]) => ({
      key: `backup-role-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      manifest: RolePolicyAttachment.manifest({
        metadata: ctx.metadata('backup-role-policy', undefined),
        spec: { forProvider: { policyArn, roleSelector: own(ctx, 'backup-role') } },
      }),
    })),
  ];
}

/**
 * The ARN of a secondary vault: observed; else, once the plan exists, the one it was last composed with (a lost status
 * never takes the plan out of the desired state) or one built from the account and the vault's name.
 */
function vaultArn(ctx: ComposeContext, region: string, observed: ObservedView, planKey: string): string | undefined {
  const seen = observedArn(observed, vaultKey(region));
  if (seen !== undefined || !observed.exists(planKey)) return seen;
  const rules = lastForProvider(observed, planKey)?.rule;
  const copied = (Array.isArray(rules) ? rules : [])
    .flatMap((r) => (Array.isArray(r?.copyAction) ? (r.copyAction as unknown[]) : []))
    .map((c) => (c as { destinationVaultArn?: unknown } | null)?.destinationVaultArn)
    .find((a): a is string => typeof a === 'string' && a.split(':')[3] === region);
  if (copied !== undefined) return copied;
  const account = observedAccount(observed, [planKey, 'backup-role']);
  return account === undefined ? undefined : arn('backup', region, account, `backup-vault:${vaultName(ctx, region)}`);
}

/** Every resource of an XDRBackup, and its events and status. */
export function composeBackup(ctx: ComposeContext, spec: DRBackupSpec, observed: ObservedView) {
  const resources: DesiredResource[] = [
    ...ctx.regions.flatMap((r) => [...kmsKey(ctx, 'backup', r), vault(ctx, r), regionSettings(ctx, r)]),
    ...serviceRole(ctx, spec),
  ];
  const events: ComposeEvent[] = [];
  const b = spec.backup;
  const region = ctx.active;
  const others = ctx.regions.filter((r) => r !== region);
  const planKey = region === ctx.primary ? 'backup-plan' : `backup-plan-${region}`;
  const copies = b.copyToSecondary ? others.map((s) => ({ region: s, arn: vaultArn(ctx, s, observed, planKey) })) : [];
  const selectionKey = region === ctx.primary ? 'backup-selection' : `backup-selection-${region}`;
  const missing = copies.filter((c) => c.arn === undefined).map((c) => c.region);
  if (missing.length > 0) {
    events.push({
      severity: 'Normal',
      message: `the backup plan waits for the vault ARNs in ${missing.join(', ')} (its copy destinations)`,
    });
  } else {
    resources.push(
      {
        key: planKey,
        region,
        manifest: Plan.manifest({
          metadata: ctx.metadata('backup-plan', region),
          spec: {
            forProvider: {
              region,
              name: ctx.namer.name('backupPlan', 'plan'),
              rule: [
                {
                  ruleName: 'estate',
                  targetVaultNameSelector: own(ctx, 'backup-vault', region),
                  schedule: b.schedule,
                  lifecycle: { deleteAfter: b.retentionDays },
                  recoveryPointTags: ctx.tags(),
                  ...(copies.length > 0
                    ? {
                        copyAction: copies.map((c) => ({
                          destinationVaultArn: c.arn!,
                          lifecycle: { deleteAfter: b.retentionDays },
                        })),
                      }
                    : {}),
                },
              ],
              tags: ctx.tags(),
            },
          },
        }),
      },
      {
        key: selectionKey,
        region,
        manifest: Selection.manifest({
          metadata: ctx.metadata('backup-selection', region),
          spec: {
            forProvider: {
              region,
              name: ctx.namer.name('backupPlan', 'estate'),
              planIdSelector: own(ctx, 'backup-plan', region),
              iamRoleArnSelector: own(ctx, 'backup-role'),
              resources: ['*'],
              condition: [
                {
                  stringEquals: [{ key: `aws:ResourceTag/${ESTATE_TAG}`, value: ctx.namer.estateId }],
                  stringNotEquals: Object.entries(BACKUP_SKIP_TAG).map(([k, value]) => ({ key: `aws:ResourceTag/${k}`, value })),
                },
              ],
            },
          },
        }),
      },
    );
  }
  const status = Object.fromEntries(
    ctx.regions.map((r) => {
      const seen = observed.planning ? undefined : observedArn(observed, vaultKey(r));
      return [r, { identifier: vaultName(ctx, r), ...(seen ? { arn: seen } : {}) }];
    }),
  );
  return { resources, events, status: { regions: status } };
}
