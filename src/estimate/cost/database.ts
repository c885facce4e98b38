/**
 * Aurora global database. Source: the plan (the database primitive is composed): ClusterInstances
 * per region and class, member Clusters per region. Traffic: assumptions.database.
 */
import { secondsPerMonth } from '../assumptions.js';
import { forProvider, GROUPS } from '../inventory.js';
import { line, type PlacedLine, priced } from '../lines.js';
import { auroraInstanceHourly, AURORA_FALLBACK_FAMILY } from '../prices.js';
import type { CostContext } from './context.js';

const COMPONENT = 'Aurora';
const MILLION = 1_000_000;

/** Instance-hours per class in a region, from the plan's ClusterInstances. */
function instanceLines(ctx: CostContext, region: string, notes: string[]): PlacedLine[] {
  const byClass = new Map<string, number>();
  for (const r of ctx.inventory.find({ group: GROUPS.rds, kind: 'ClusterInstance', region })) {
    const cls = String(forProvider(r).instanceClass ?? ctx.spec.database!.instanceClass);
    byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
  }
  return [...byClass.entries()].map(([cls, count]) => {
    const price = auroraInstanceHourly(cls, region);
    if (!price.known)
      notes.push(
        `Aurora ${cls} is not in the price table; priced as the ${AURORA_FALLBACK_FAMILY} family of that size (errs high).`,
      );
    return priced({
      component: COMPONENT,
      item: `${cls} instance-hours (${count} instance${count === 1 ? '' : 's'})`,
      quantity: count * ctx.assumptions.hoursPerMonth,
      unit: 'instance-hour',
      unitUsd: price.usd,
      priceId: 'auroraInstance',
      region,
      basis: 'plan',
    });
  });
}

/** Storage of every member cluster in a region (each region keeps a full copy of the volume). */
function storageLines(ctx: CostContext, region: string): PlacedLine[] {
  const clusters = ctx.inventory.count({ group: GROUPS.rds, kind: 'Cluster', region });
  if (clusters === 0) return [];
  const quantity = clusters * ctx.assumptions.database.dataGb;
  return [
    line({ component: COMPONENT, item: 'storage (cluster volume)', quantity, priceId: 'auroraStorage', region, basis: 'plan' }),
  ];
}

/** I/O on the writer (active region) and replicated write I/O into every other member region. */
function ioLines(ctx: CostContext, region: string): PlacedLine[] {
  if (ctx.inventory.count({ group: GROUPS.rds, kind: 'Cluster', region }) === 0) return [];
  const { writeIosPerSecond, readIosPerSecond } = ctx.assumptions.database;
  const seconds = secondsPerMonth(ctx.assumptions);
  if (region === ctx.active) {
    const quantity = ((writeIosPerSecond + readIosPerSecond) * seconds) / MILLION;
    return [line({ component: COMPONENT, item: 'I/O requests (writer)', quantity, priceId: 'auroraIo', region, basis: 'plan' })];
  }
  const quantity = (writeIosPerSecond * seconds) / MILLION;
  return [
    line({
      component: COMPONENT,
      item: 'global database replicated write I/Os',
      quantity,
      priceId: 'auroraReplicatedWriteIo',
      region,
      basis: 'plan',
    }),
  ];
}

/** Every Aurora line; `notes` collects classes priced by fallback. */
export function databaseLines(ctx: CostContext, notes: string[]): PlacedLine[] {
  if (!ctx.spec.database) return [];
  return ctx.regions.flatMap((region) => [
    ...instanceLines(ctx, region, notes),
    ...storageLines(ctx, region),
    ...ioLines(ctx, region),
  ]);
}
