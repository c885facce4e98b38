/**
 * Aurora global database. Source: the plan (the database primitive is composed): ClusterInstances
 * per region and class, member Clusters per region with their storage type and backup retention.
 * Traffic: assumptions.database.
 *
 * Billing (Amazon Aurora pricing; Aurora User Guide): instance-hours and storage in every region;
 * I/O on the writer (Aurora Standard only); the writer's write I/Os replicated to each secondary are
 * billed to the primary (writer) region, once per secondary (Aurora User Guide, "Amazon CloudWatch metrics for
 * Amazon Aurora": AuroraGlobalDBReplicatedWriteIO, reported in each secondary Region, is what the primary Region's
 * billing uses for cross-Region replication), and the replication stream
 * leaves the writer's region as inter-region transfer; continuous backup beyond the free allowance
 * (100% of the volume) on the writer's cluster.
 */
import { secondsPerMonth } from '../../estimate/assumptions.js';
import { forProvider, GROUPS } from '../../estimate/inventory.js';
import { cents, line, type PlacedLine, priced, transferLine } from '../../estimate/lines.js';
import {
  auroraInstanceHourly,
  AURORA_FALLBACK_FAMILY,
  AURORA_IO_OPTIMIZED_INSTANCE_FACTOR,
  unitPrice,
} from '../../estimate/prices.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'Aurora';
const MILLION = 1_000_000;
const KB_PER_GB = 1024 * 1024;

/** Aurora's two storage configurations, as the estimate names them. */
export type AuroraStorage = 'standard' | 'io-optimized';

/** The storage configuration of the estate: the plan's Cluster storageType (aurora-iopt1 is I/O-Optimized). */
export function auroraStorage(ctx: CostContext): AuroraStorage {
  const clusters = ctx.inventory.find({ group: GROUPS.rds, kind: 'Cluster' });
  return clusters.some((c) => forProvider(c).storageType === 'aurora-iopt1') ? 'io-optimized' : 'standard';
}

const LABEL: Record<AuroraStorage, string> = { standard: 'Aurora Standard', 'io-optimized': 'Aurora I/O-Optimized' };

/** Instance-hours per class in a region, from the plan's ClusterInstances. */
function instanceLines(ctx: CostContext, region: string, storage: AuroraStorage, notes: string[]): PlacedLine[] {
  const byClass = new Map<string, number>();
  for (const r of ctx.inventory.find({ group: GROUPS.rds, kind: 'ClusterInstance', region })) {
    const cls = String(forProvider(r).instanceClass);
    byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
  }
  return [...byClass.entries()].map(([cls, count]) => {
    const price = auroraInstanceHourly(cls, region);
    if (!price.known)
      notes.push(
        `Aurora ${cls} is not in the price table; priced as the ${AURORA_FALLBACK_FAMILY} family of that size (errs high).`,
      );
    const factor = storage === 'io-optimized' ? AURORA_IO_OPTIMIZED_INSTANCE_FACTOR : 1;
    return priced({
      component: COMPONENT,
      item: `${cls} instance-hours (${count} instance${count === 1 ? '' : 's'}, ${LABEL[storage]})`,
      quantity: count * ctx.assumptions.hoursPerMonth,
      unit: 'instance-hour',
      unitUsd: Number((price.usd * factor).toPrecision(10)),
      priceId: 'auroraInstance',
      origin: price.origin,
      region,
      basis: 'plan',
    });
  });
}

/** Storage of every member cluster in a region (each region keeps a full copy of the volume). */
function storageLines(ctx: CostContext, region: string, storage: AuroraStorage): PlacedLine[] {
  const clusters = ctx.inventory.count({ group: GROUPS.rds, kind: 'Cluster', region });
  if (clusters === 0) return [];
  const quantity = clusters * ctx.assumptions.database.dataGb;
  return [
    line({
      component: COMPONENT,
      item: `storage (cluster volume, ${LABEL[storage]})`,
      quantity,
      priceId: storage === 'io-optimized' ? 'auroraIoOptimizedStorage' : 'auroraStorage',
      region,
      basis: 'plan',
    }),
  ];
}

/** The writer's I/O (Standard only), its replicated write I/Os and replication traffic to each secondary, and its backup beyond the free allowance. */
function writerLines(ctx: CostContext, storage: AuroraStorage): PlacedLine[] {
  const region = ctx.active;
  if (ctx.inventory.count({ group: GROUPS.rds, kind: 'Cluster', region }) === 0) return [];
  const { writeIosPerSecond, readIosPerSecond, replicatedKbPerWriteIo, dataGb } = ctx.assumptions.database;
  const seconds = secondsPerMonth(ctx.assumptions);
  const base = { component: COMPONENT, region, basis: 'plan' as const };
  const secondaries = ctx.regions.filter(
    (r) => r !== region && ctx.inventory.count({ group: GROUPS.rds, kind: 'Cluster', region: r }) > 0,
  );
  const window = Number(
    forProvider(ctx.inventory.find({ group: GROUPS.rds, kind: 'Cluster', region })[0]!).backupRetentionPeriod,
  );
  const change = ctx.assumptions.backup.dailyChangeRate;
  // Billed continuous backup: the changes kept over the window, capped by the volume each day of it, less the free volume; none for one day.
  const backupGb = window > 1 ? Math.max(Math.min(dataGb * window, dataGb * (1 + change * window)) - dataGb, 0) : 0;
  return [
    ...(storage === 'standard'
      ? [
          line({
            ...base,
            item: 'I/O requests (writer)',
            quantity: ((writeIosPerSecond + readIosPerSecond) * seconds) / MILLION,
            priceId: 'auroraIo',
          }),
        ]
      : []),
    ...secondaries.flatMap((to) => [
      line({
        ...base,
        item: `global database replicated write I/Os to ${to}`,
        quantity: (writeIosPerSecond * seconds) / MILLION,
        priceId: 'auroraReplicatedWriteIo',
      }),
      transferLine({
        ...base,
        to,
        item: `global database replication transfer to ${to} (${replicatedKbPerWriteIo} KB per write I/O)`,
        quantity: (writeIosPerSecond * seconds * replicatedKbPerWriteIo) / KB_PER_GB,
      }),
    ]),
    ...(backupGb > 0
      ? [
          line({
            ...base,
            item: `continuous backup beyond the free allowance (${window}-day window)`,
            quantity: backupGb,
            priceId: 'auroraBackupStorage',
          }),
        ]
      : []),
  ];
}

/** Sum in USD of the lines a storage configuration gives. */
function total(lines: readonly PlacedLine[]): number {
  return lines.reduce((c, l) => c + cents(l.monthlyUsd), 0) / 100;
}

function linesFor(ctx: CostContext, storage: AuroraStorage, notes: string[]): PlacedLine[] {
  return ctx.regions.flatMap((region) => [
    ...instanceLines(ctx, region, storage, notes),
    ...storageLines(ctx, region, storage),
    ...(region === ctx.active ? writerLines(ctx, storage) : []),
  ]);
}

/** Every Aurora line; `notes` collects classes priced by fallback and which storage configuration is cheaper. */
export function databaseLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  if (!ctx.spec.database) return [];
  const storage = auroraStorage(ctx);
  const chosen = linesFor(ctx, storage, notes);
  if (chosen.length === 0) return chosen;
  const other: AuroraStorage = storage === 'standard' ? 'io-optimized' : 'standard';
  const [a, b] = [total(chosen), total(linesFor(ctx, other, []))];
  const io = ctx.assumptions.database;
  const cheaper = a <= b ? storage : other;
  notes.push(
    `Aurora storage: ${LABEL[storage]} (database.storageType) costs $${a.toFixed(2)} a month, ${LABEL[other]} would cost $${b.toFixed(2)} ` +
      `for the assumed ${io.writeIosPerSecond} write + ${io.readIosPerSecond} read I/Os per second and ${io.dataGb} GB: ${LABEL[cheaper]} is cheaper` +
      `${cheaper === storage ? '' : ` by $${(a - b).toFixed(2)}`}. I/O-Optimized instance (×${AURORA_IO_OPTIMIZED_INSTANCE_FACTOR}) and storage ($${unitPrice('auroraIoOptimizedStorage', 'us-east-1')}/GB-month) prices are assumptions (see prices.ts); replicated write I/Os are priced under both.`,
  );
  return chosen;
}
