/**
 * AWS Backup: the recovery points in the active region's vault and in every other vault that receives
 * copies, and the inter-region transfer of those copies (per pair, transfer.ts).
 *
 * Who bills what (AWS Backup Developer Guide, "Metering, costs, and billing"): a resource type with full AWS Backup
 * management (DynamoDB with advanced features, S3) is billed in the Backup section, its copies' transfer as AWS Backup
 * cross-Region data transfer (price row backupCopyTransferBackup); Aurora is not, so RDS bills its snapshots as
 * backup storage (backupAuroraWarm, the Aurora backup storage rate, in every vault's region) and their copies as
 * snapshot copy data transfer (backupCopyTransferRds). Both transfers are priced at the source region's inter-region
 * rate for the pair.
 *
 * Source: spec.backup. The schedule, retention and copy targets are spec values that compose copies
 * verbatim into the backup plan, so the spec is exact for them whether or not the plan holds XDRBackup's
 * resources yet. The plan selects by the estate tag, which every data store carries, so every store is
 * priced; backups are taken in the active region (the plan follows it).
 *
 * Size model, stated in every line's item so the output shows what it rests on:
 * - Aurora (Aurora User Guide, "Understanding Amazon Aurora backup storage usage"): a snapshot costs
 *   nothing while its creation time is inside the cluster's own backup retention window
 *   (database.backupRetentionDays, read from the plan's Cluster); once outside it, it is billed at the
 *   full cluster volume size. So the source vault bills schedule × (retentionDays − window) full volumes.
 *   A cross-region copy of an Aurora snapshot is a full copy (Aurora User Guide, "Copying a DB cluster
 *   snapshot": no incremental copies for Aurora), and no cluster's window covers it: every copy kept is a
 *   full volume, and every copy moves the full volume.
 * - DynamoDB backups are full copies (AWS Backup, "Feature availability by resource": no incremental
 *   backups for DynamoDB): every retained recovery point stores, and every copy moves, the whole table.
 *   A DynamoDB recovery point can be copied to another region only with AWS Backup's advanced DynamoDB
 *   features on in the source region (AWS Backup Developer Guide, "Advanced DynamoDB backup"): compose
 *   turns them on with a RegionSettings per region; where the plan has backups but no such settings in the
 *   source region, the copies cannot happen, so they are not priced and the estimate says so.
 * - S3 backups are incremental: one full copy plus the daily change over the retention period. An object under
 *   128 KB is billed as a 128-KB backup (AWS Backup pricing, backup storage footnote), so the stored GB are scaled by
 *   128 KB over the bucket's average object (the assumed new GB a month over its PUTs a month); the copies move the
 *   real bytes.
 */
import { daysPerMonth, loadOf } from '../../estimate/assumptions.js';
import { forProvider, GROUPS } from '../../estimate/inventory.js';
import { line, type PlacedLine, transferLine } from '../../estimate/lines.js';
import type { PriceId } from '../../estimate/prices.js';
import { backupsPerDay } from '../../estimate/schedule.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'AWS Backup';

/** How a store's recovery points are sized. */
type Kind = 'aurora' | 'full' | 'incremental';

/** One backed-up store. */
interface Protected {
  readonly label: string;
  readonly dataGb: number;
  readonly kind: Kind;
  readonly priceId: PriceId;
  /** S3: the average object in KB (new GB a month over PUTs a month), for the 128-KB billing minimum. */
  readonly objectKb?: number;
}

/** AWS Backup bills an S3 object under this size as this size (AWS Backup pricing, backup storage). */
export const S3_BACKUP_MIN_OBJECT_KB = 128;
const KB_PER_GB = 1024 * 1024;

function protectedStores(ctx: CostContext): Protected[] {
  const { spec, assumptions } = ctx;
  return [
    ...(spec.database
      ? [{ label: 'Aurora', dataGb: assumptions.database.dataGb, kind: 'aurora' as const, priceId: 'backupAuroraWarm' as const }]
      : []),
    ...(spec.tables ?? []).map((t) => ({
      label: `table ${t.name}`,
      dataGb: loadOf(assumptions.tables, t.name).dataGb,
      kind: 'full' as const,
      priceId: 'backupDynamodbWarm' as const,
    })),
    ...(spec.buckets ?? []).map((b) => {
      const load = loadOf(assumptions.buckets, b.name);
      return {
        label: `bucket ${b.name}`,
        dataGb: load.dataGb,
        kind: 'incremental' as const,
        priceId: 'backupS3Warm' as const,
        ...(load.putsPerMonth > 0 ? { objectKb: (load.newGbPerMonth * KB_PER_GB) / load.putsPerMonth } : {}),
      };
    }),
  ];
}

/**
 * Days the Aurora cluster keeps its own automated backups: the planned Cluster's backupRetentionPeriod in the active
 * region, else in the first region that plans one (every region's Cluster carries the same window); 0 without one.
 */
export function auroraWindowDays(ctx: CostContext): number {
  const clusters = [ctx.active, ...ctx.regions].flatMap((region) =>
    ctx.inventory.find({ group: GROUPS.rds, kind: 'Cluster', region }),
  );
  const planned = clusters.length > 0 ? Number(forProvider(clusters[0]!).backupRetentionPeriod) : NaN;
  return Number.isFinite(planned) ? planned : 0;
}

/** What one store's backups hold and move: GB kept in the source vault, in each copy vault, and GB a copy moves per month. */
interface Sizes {
  readonly sourceGb: number;
  readonly sourceItem: string;
  readonly copyGb: number;
  readonly copyItem: string;
  readonly movedGb: number;
}

function sizes(ctx: CostContext, store: Protected, perDay: number): Sizes {
  const retention = ctx.spec.backup!.retentionDays;
  const month = daysPerMonth(ctx.assumptions);
  const points = perDay * retention;
  const count = (n: number) => Number(n.toFixed(2)).toString();
  if (store.kind === 'aurora') {
    const window = auroraWindowDays(ctx);
    const outside = perDay * Math.max(retention - window, 0);
    return {
      sourceGb: outside * store.dataGb,
      sourceItem: `snapshots, Aurora: ${count(outside)} outside the cluster's ${window}-day window at full volume size (${store.dataGb} GB each)`,
      copyGb: points * store.dataGb,
      copyItem: `snapshot copies, Aurora: ${count(points)} full copies (${store.dataGb} GB each)`,
      movedGb: perDay * month * store.dataGb,
    };
  }
  if (store.kind === 'full')
    return {
      sourceGb: points * store.dataGb,
      sourceItem: `warm storage, ${store.label}: ${count(points)} full copies`,
      copyGb: points * store.dataGb,
      copyItem: `warm storage of copies, ${store.label}: ${count(points)} full copies`,
      movedGb: perDay * month * store.dataGb,
    };
  const change = ctx.assumptions.backup.dailyChangeRate;
  const small = store.objectKb !== undefined && store.objectKb < S3_BACKUP_MIN_OBJECT_KB;
  // billed GB: the stored GB, each object counted at no less than 128 KB
  const scale = small ? S3_BACKUP_MIN_OBJECT_KB / store.objectKb! : 1;
  const stored = store.dataGb * (1 + change * retention) * scale;
  const how = small
    ? `incremental; objects under ${S3_BACKUP_MIN_OBJECT_KB} KB billed as ${S3_BACKUP_MIN_OBJECT_KB} KB: ${store.objectKb!.toFixed(1)} KB average assumed`
    : 'incremental';
  return {
    sourceGb: stored,
    sourceItem: `warm storage, ${store.label} (${how})`,
    copyGb: stored,
    copyItem: `warm storage of copies, ${store.label} (${how})`,
    movedGb: store.dataGb * change * month,
  };
}

function storeLines(ctx: CostContext, store: Protected, perDay: number, copyTo: readonly string[]): PlacedLine[] {
  const s = sizes(ctx, store, perDay);
  const source = ctx.active;
  return [
    ...(s.sourceGb > 0
      ? [
          line({
            component: COMPONENT,
            region: source,
            basis: 'spec',
            item: s.sourceItem,
            quantity: s.sourceGb,
            priceId: store.priceId,
          }),
        ]
      : []),
    ...copyTo.flatMap((region) => [
      line({ component: COMPONENT, region, basis: 'spec', item: s.copyItem, quantity: s.copyGb, priceId: store.priceId }),
      transferLine({
        component: COMPONENT,
        region: source,
        to: region,
        basis: 'spec',
        item: `copy transfer to ${region}, ${store.label} (${store.kind === 'aurora' ? 'RDS snapshot copy data transfer' : 'AWS Backup cross-Region data transfer'}, ${source} → ${region} rate)`,
        quantity: s.movedGb,
        priceId: store.kind === 'aurora' ? 'backupCopyTransferRds' : 'backupCopyTransferBackup',
      }),
    ]),
  ];
}

/**
 * Whether DynamoDB recovery points can be copied out of the active region: the plan's RegionSettings there turns
 * advanced DynamoDB backup on. True when the plan does not compose XDRBackup's resources (the API promises them).
 */
export function dynamodbCopiesPossible(ctx: CostContext): boolean {
  if (!ctx.inventory.has(GROUPS.backup, 'Plan') && !ctx.inventory.has(GROUPS.backup, 'Vault')) return true;
  return ctx.inventory.find({ group: GROUPS.backup, kind: 'RegionSettings', region: ctx.active }).some((r) => {
    const spec = (r.manifest.spec ?? {}) as Record<string, { resourceTypeManagementPreference?: Record<string, boolean> }>;
    const pref = {
      ...spec.initProvider?.resourceTypeManagementPreference,
      ...spec.forProvider?.resourceTypeManagementPreference,
    };
    return pref.DynamoDB === true;
  });
}

/** Every backup line; `notes` says how the schedule was read and what the model assumes. */
export function backupLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  const backup = ctx.spec.backup;
  if (!backup) return [];
  const parsed = backupsPerDay(backup.schedule);
  if (parsed === undefined)
    notes.push(`backup.schedule ${backup.schedule} could not be read; priced as one recovery point per day.`);
  const perDay = parsed ?? 1;
  const copyTo = backup.copyToSecondary ? ctx.regions.filter((r) => r !== ctx.active) : [];
  const stores = protectedStores(ctx);
  const points = Number((perDay * backup.retentionDays).toFixed(2));
  if (ctx.spec.database) {
    const window = auroraWindowDays(ctx);
    notes.push(
      `Aurora snapshots in AWS Backup: free while inside the cluster's ${window}-day backup retention window, then billed at the full volume size ` +
        `(Aurora User Guide, "Understanding Amazon Aurora backup storage usage")` +
        (copyTo.length > 0
          ? '; each cross-region copy is a full snapshot, kept and moved at the full volume size (Aurora User Guide, "Copying a DB cluster snapshot").'
          : '.'),
    );
  }
  if (ctx.spec.database && copyTo.length > 0 && perDay > 1) {
    const gb = Number((perDay * ctx.assumptions.database.dataGb).toFixed(2));
    notes.push(
      `Aurora snapshot copies are full copies: ${Number(perDay.toFixed(2))} a day send ${gb} GB a day to each of ${copyTo.join(', ')} and each is kept whole for ${backup.retentionDays} days; ` +
        `the global database already keeps a live copy in every region, so a daily schedule would cut the Aurora copy lines ${Number(perDay.toFixed(2))}-fold.`,
    );
  }
  const tables = stores.filter((s) => s.kind === 'full');
  if (tables.length > 0 && perDay > 1) {
    notes.push(
      `DynamoDB backups are full copies: ${points} recovery points (${backup.schedule}, ${backup.retentionDays} days) each store the whole table in every vault. ` +
        'Point-in-time recovery already covers the last 35 days, so a daily backup schedule may be enough for tables.',
    );
  }
  const tableCopies = dynamodbCopiesPossible(ctx);
  if (tables.length > 0 && copyTo.length > 0 && !tableCopies)
    notes.push(
      `DynamoDB recovery points cannot be copied from ${ctx.active} to ${copyTo.join(', ')}: the plan does not turn on AWS Backup's advanced DynamoDB features ` +
        `in ${ctx.active} (RegionSettings resourceTypeManagementPreference DynamoDB), so no table copy is priced.`,
    );
  return stores.flatMap((store) => storeLines(ctx, store, perDay, store.kind === 'full' && !tableCopies ? [] : copyTo));
}
