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
 * Source: the plan. Each planned AWS Backup Plan (XDRBackup's, in the active region) gives the region backups are taken
 * in (its forProvider.region), and each of its rules the schedule, the days a recovery point is kept
 * (lifecycle.deleteAfter) and where it is copied: each copyAction's destination vault (its ARN's region, or the planned
 * Vault whose ARN placeholder it names) and the days the copy is kept there. Its selection picks by the estate tag,
 * which every data store carries, so every store the plan composes (its XGlobalDatabase, XGlobalTables and
 * XReplicatedBuckets) is priced. No planned Plan: no backup line.
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
import { placeholder } from '../../compose/placeholder.js';
import { forProvider, GROUPS, listField } from '../../estimate/inventory.js';
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

/** The name a data store's nested composite gives it (spec.table.name, spec.bucket.name), in plan order. */
const storeNames = (ctx: CostContext, kind: string, section: 'table' | 'bucket'): string[] =>
  ctx.inventory.nested(kind).flatMap((c) => {
    const name = ((c.spec ?? {}) as Record<string, { name?: unknown } | undefined>)[section]?.name;
    return typeof name === 'string' ? [name] : [];
  });

/**
 * The stores the backup plan protects: the plan's data composites (its selection picks by the estate tag, which every
 * store carries): the global database, then each global table and each replicated bucket, in the estate's order.
 */
function protectedStores(ctx: CostContext): Protected[] {
  const { assumptions } = ctx;
  return [
    ...(ctx.inventory.nested('XGlobalDatabase').length > 0
      ? [{ label: 'Aurora', dataGb: assumptions.database.dataGb, kind: 'aurora' as const, priceId: 'backupAuroraWarm' as const }]
      : []),
    ...storeNames(ctx, 'XGlobalTable', 'table').map((name) => ({
      label: `table ${name}`,
      dataGb: loadOf(assumptions.tables, name).dataGb,
      kind: 'full' as const,
      priceId: 'backupDynamodbWarm' as const,
    })),
    ...storeNames(ctx, 'XReplicatedBucket', 'bucket').map((name) => {
      const load = loadOf(assumptions.buckets, name);
      return {
        label: `bucket ${name}`,
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

/** One planned backup rule: where it runs, how often, how long its recovery points and their copies are kept. */
export interface PlannedRule {
  /** Region of the Plan: where recovery points are taken and first kept. */
  readonly source: string;
  /** The rule's schedule expression (cron or rate). */
  readonly schedule: string;
  /** Days a recovery point is kept in the source vault (lifecycle.deleteAfter). */
  readonly retentionDays: number;
  /** Each copy destination: its region and the days the copy is kept there. */
  readonly copies: readonly { readonly region: string; readonly retentionDays: number }[];
}

const days = (lifecycle: unknown): number | undefined => {
  const first = Array.isArray(lifecycle) ? lifecycle[0] : lifecycle;
  const n = Number((first as { deleteAfter?: unknown } | undefined)?.deleteAfter);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/**
 * The region of a copy destination in the plan: a vault ARN's region, or that of the planned Vault whose ARN placeholder
 * (src/compose/plan.ts) the field holds; undefined when neither.
 */
function destinationRegion(ctx: CostContext, arnOrPlaceholder: unknown): string | undefined {
  if (typeof arnOrPlaceholder !== 'string') return undefined;
  const fromArn = /^arn:aws[\w-]*:backup:([a-z0-9-]+):\d{12}:backup-vault:/.exec(arnOrPlaceholder)?.[1];
  if (fromArn !== undefined) return fromArn;
  const vault = ctx.regions
    .flatMap((region) => ctx.inventory.find({ group: GROUPS.backup, kind: 'Vault', region }))
    .find((v) => placeholder(v.key, 'status.atProvider.arn') === arnOrPlaceholder);
  return vault?.region;
}

/** Every rule of every planned Backup Plan; `notes` names a rule or copy the model cannot price. */
export function plannedRules(ctx: CostContext, notes: string[]): PlannedRule[] {
  return ctx.regions.flatMap((region) =>
    ctx.inventory.find({ group: GROUPS.backup, kind: 'Plan', region }).flatMap((plan) =>
      listField(forProvider(plan).rule).flatMap((rule): PlannedRule[] => {
        const retentionDays = days(rule.lifecycle);
        const schedule = typeof rule.schedule === 'string' ? rule.schedule : undefined;
        if (retentionDays === undefined || schedule === undefined) {
          notes.push(
            `the backup plan in ${region} has a rule without a schedule or lifecycle.deleteAfter; its recovery points are not priced.`,
          );
          return [];
        }
        const copies = listField(rule.copyAction).flatMap((copy) => {
          const to = destinationRegion(ctx, copy.destinationVaultArn);
          const kept = days(copy.lifecycle);
          if (to === undefined || kept === undefined) {
            notes.push(
              `a copy of the backup plan in ${region} goes to a vault the plan does not place, or is kept without lifecycle.deleteAfter; it is not priced.`,
            );
            return [];
          }
          return [{ region: to, retentionDays: kept }];
        });
        return [{ source: plan.region ?? region, schedule, retentionDays, copies }];
      }),
    ),
  );
}

function sizes(ctx: CostContext, store: Protected, perDay: number, retention: number): Sizes {
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

function storeLines(
  ctx: CostContext,
  store: Protected,
  perDay: number,
  rule: PlannedRule,
  copyTo: PlannedRule['copies'],
): PlacedLine[] {
  const s = sizes(ctx, store, perDay, rule.retentionDays);
  const source = rule.source;
  return [
    ...(s.sourceGb > 0
      ? [
          line({
            component: COMPONENT,
            region: source,
            basis: 'plan',
            item: s.sourceItem,
            quantity: s.sourceGb,
            priceId: store.priceId,
          }),
        ]
      : []),
    ...copyTo.flatMap(({ region, retentionDays }) => {
      const c = retentionDays === rule.retentionDays ? s : sizes(ctx, store, perDay, retentionDays);
      return [
        line({ component: COMPONENT, region, basis: 'plan', item: c.copyItem, quantity: c.copyGb, priceId: store.priceId }),
        transferLine({
          component: COMPONENT,
          region: source,
          to: region,
          basis: 'plan',
          item: `copy transfer to ${region}, ${store.label} (${store.kind === 'aurora' ? 'RDS snapshot copy data transfer' : 'AWS Backup cross-Region data transfer'}, ${source} → ${region} rate)`,
          quantity: s.movedGb,
          priceId: store.kind === 'aurora' ? 'backupCopyTransferRds' : 'backupCopyTransferBackup',
        }),
      ];
    }),
  ];
}

/**
 * Whether DynamoDB recovery points can be copied out of the active region: the plan's RegionSettings there turns
 * advanced DynamoDB backup on. True when the plan does not compose XDRBackup's resources (the API promises them).
 */
export function dynamodbCopiesPossible(ctx: CostContext, source: string = ctx.active): boolean {
  if (!ctx.inventory.has(GROUPS.backup, 'Plan') && !ctx.inventory.has(GROUPS.backup, 'Vault')) return true;
  return ctx.inventory.find({ group: GROUPS.backup, kind: 'RegionSettings', region: source }).some((r) => {
    const spec = (r.manifest.spec ?? {}) as Record<string, { resourceTypeManagementPreference?: Record<string, boolean> }>;
    const pref = {
      ...spec.initProvider?.resourceTypeManagementPreference,
      ...spec.forProvider?.resourceTypeManagementPreference,
    };
    return pref.DynamoDB === true;
  });
}

/** Every backup line, from the plan's backup rules; `notes` says how each schedule was read and what the model assumes. */
export function backupLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  return plannedRules(ctx, notes).flatMap((rule) => ruleLines(ctx, rule, notes));
}

function ruleLines(ctx: CostContext, rule: PlannedRule, notes: string[]): PlacedLine[] {
  const parsed = backupsPerDay(rule.schedule);
  if (parsed === undefined)
    notes.push(`backup.schedule ${rule.schedule} could not be read; priced as one recovery point per day.`);
  const perDay = parsed ?? 1;
  const copyTo = rule.copies;
  const targets = copyTo.map((c) => c.region);
  const stores = protectedStores(ctx);
  const points = Number((perDay * rule.retentionDays).toFixed(2));
  const aurora = stores.some((s) => s.kind === 'aurora');
  if (aurora) {
    const window = auroraWindowDays(ctx);
    notes.push(
      `Aurora snapshots in AWS Backup: free while inside the cluster's ${window}-day backup retention window, then billed at the full volume size ` +
        `(Aurora User Guide, "Understanding Amazon Aurora backup storage usage")` +
        (copyTo.length > 0
          ? '; each cross-region copy is a full snapshot, kept and moved at the full volume size (Aurora User Guide, "Copying a DB cluster snapshot").'
          : '.'),
    );
  }
  if (aurora && copyTo.length > 0 && perDay > 1) {
    const gb = Number((perDay * ctx.assumptions.database.dataGb).toFixed(2));
    notes.push(
      `Aurora snapshot copies are full copies: ${Number(perDay.toFixed(2))} a day send ${gb} GB a day to each of ${targets.join(', ')} and each is kept whole for ${rule.retentionDays} days; ` +
        `the global database already keeps a live copy in every region, so a daily schedule would cut the Aurora copy lines ${Number(perDay.toFixed(2))}-fold.`,
    );
  }
  const tables = stores.filter((s) => s.kind === 'full');
  if (tables.length > 0 && perDay > 1) {
    notes.push(
      `DynamoDB backups are full copies: ${points} recovery points (${rule.schedule}, ${rule.retentionDays} days) each store the whole table in every vault. ` +
        'Point-in-time recovery already covers the last 35 days, so a daily backup schedule may be enough for tables.',
    );
  }
  const tableCopies = dynamodbCopiesPossible(ctx, rule.source);
  if (tables.length > 0 && copyTo.length > 0 && !tableCopies)
    notes.push(
      `DynamoDB recovery points cannot be copied from ${rule.source} to ${targets.join(', ')}: the plan does not turn on AWS Backup's advanced DynamoDB features ` +
        `in ${rule.source} (RegionSettings resourceTypeManagementPreference DynamoDB), so no table copy is priced.`,
    );
  return stores.flatMap((store) => storeLines(ctx, store, perDay, rule, store.kind === 'full' && !tableCopies ? [] : copyTo));
}
