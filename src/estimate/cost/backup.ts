/**
 * AWS Backup: warm storage of the recovery points in the active region's vault and in every other
 * vault that receives copies, and the inter-region transfer of those copies.
 *
 * Source: spec.backup. The schedule, retention and copy targets are spec values that compose
 * copies verbatim into the backup plan, so the spec is exact for them whether or not the plan
 * holds XDRBackup's resources yet. The plan selects by the estate tag, which every data store
 * carries, so every store is priced; backups are taken in the active region (the plan follows it).
 *
 * Size model (assumptions.backup.dailyChangeRate, backup size = data size):
 * - Aurora snapshots and S3 backups are incremental: one full copy plus the daily change over
 *   the retention period. (Cross-region Aurora snapshot copies may be full copies; if so, the
 *   copy lines here are a lower bound.)
 * - DynamoDB backups are full copies (AWS Backup, "Feature availability by resource": no
 *   incremental backups for DynamoDB), so every retained recovery point stores the whole table.
 *
 * The region settings compose adds (opt-ins, advanced DynamoDB backup) cost nothing themselves; they
 * are what makes the DynamoDB copies priced here possible. Incremental DynamoDB backups are a separate
 * opt-in the provider's RegionSettings does not have, so full copies stay the model.
 */
import { daysPerMonth, loadOf } from '../assumptions.js';
import { line, type PlacedLine } from '../lines.js';
import type { PriceId } from '../prices.js';
import { backupsPerDay } from '../schedule.js';
import type { CostContext } from './context.js';

const COMPONENT = 'AWS Backup';

/** One backed-up store. */
interface Protected {
  readonly label: string;
  readonly dataGb: number;
  readonly incremental: boolean;
  readonly priceId: PriceId;
}

function protectedStores(ctx: CostContext): Protected[] {
  const { spec, assumptions } = ctx;
  return [
    ...(spec.database
      ? [{ label: 'Aurora', dataGb: assumptions.database.dataGb, incremental: true, priceId: 'backupAuroraWarm' as const }]
      : []),
    ...(spec.tables ?? []).map((t) => ({
      label: `table ${t.name}`,
      dataGb: loadOf(assumptions.tables, t.name).dataGb,
      incremental: false,
      priceId: 'backupDynamodbWarm' as const,
    })),
    ...(spec.buckets ?? []).map((b) => ({
      label: `bucket ${b.name}`,
      dataGb: loadOf(assumptions.buckets, b.name).dataGb,
      incremental: true,
      priceId: 'backupS3Warm' as const,
    })),
  ];
}

/** Sizes of one store's backups: GB kept in a vault, and GB a copy moves per month. */
function sizes(ctx: CostContext, store: Protected, perDay: number) {
  const retention = ctx.spec.backup!.retentionDays;
  const change = ctx.assumptions.backup.dailyChangeRate;
  const month = daysPerMonth(ctx.assumptions);
  if (store.incremental) return { storedGb: store.dataGb * (1 + change * retention), copiedGb: store.dataGb * change * month };
  return { storedGb: store.dataGb * perDay * retention, copiedGb: store.dataGb * perDay * month };
}

function storeLines(ctx: CostContext, store: Protected, perDay: number, copyTo: readonly string[]): PlacedLine[] {
  const { storedGb, copiedGb } = sizes(ctx, store, perDay);
  const kind = store.incremental ? 'incremental' : 'full copies';
  const source = ctx.spec.activeRegion ?? ctx.spec.regions.primary;
  return [
    line({
      component: COMPONENT,
      region: source,
      basis: 'spec',
      item: `warm storage, ${store.label} (${kind})`,
      quantity: storedGb,
      priceId: store.priceId,
    }),
    ...copyTo.flatMap((region) => [
      line({
        component: COMPONENT,
        region,
        basis: 'spec',
        item: `warm storage of copies, ${store.label} (${kind})`,
        quantity: storedGb,
        priceId: store.priceId,
      }),
      line({
        component: COMPONENT,
        region: source,
        basis: 'spec',
        item: `copy transfer to ${region}, ${store.label}`,
        quantity: copiedGb,
        priceId: 'interRegionTransfer',
      }),
    ]),
  ];
}

/** Every backup line; `notes` says how the schedule was read. */
export function backupLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  const backup = ctx.spec.backup;
  if (!backup) return [];
  const parsed = backupsPerDay(backup.schedule);
  if (parsed === undefined)
    notes.push(`backup.schedule ${backup.schedule} could not be read; priced as one recovery point per day.`);
  const perDay = parsed ?? 1;
  const active = ctx.spec.activeRegion ?? ctx.spec.regions.primary;
  const copyTo = backup.copyToSecondary ? ctx.regions.filter((r) => r !== active) : [];
  const stores = protectedStores(ctx);
  if (stores.some((s) => !s.incremental) && perDay * backup.retentionDays > backup.retentionDays) {
    const points = Math.round(perDay * backup.retentionDays);
    notes.push(
      `DynamoDB backups are full copies: ${points} recovery points (${backup.schedule}, ${backup.retentionDays} days) each store the whole table in every vault. ` +
        'Point-in-time recovery already covers the last 35 days, so a daily backup schedule may be enough for tables.',
    );
  }
  return stores.flatMap((store) => storeLines(ctx, store, perDay, copyTo));
}
