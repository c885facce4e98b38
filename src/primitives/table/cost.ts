/**
 * DynamoDB global tables. Source: the plan's Table resources (one per global table, in the
 * primary, with a `replica` block per secondary); a table the plan does not hold is not billed. Traffic: assumptions.tables (default, or byName).
 *
 * Billing model (DynamoDB Developer Guide, "Understanding billing for global tables"): every write
 * to a global table costs one rWRU per KB in every replica region, the origin included; reads cost
 * RRUs where they are served; each replica stores (and, with PITR, backs up) the whole table; the
 * replication traffic leaves the origin region as inter-region data transfer (per pair, transfer.ts).
 * TTL deletes are free where TTL deletes the item, but each one replicates to every other replica as a
 * replicated write (DynamoDB Developer Guide, global tables and Time to Live): priced as rWRUs in every
 * replica but the active region, which is assumed to run the deletes.
 */
import { loadOf, secondsPerMonth, type TableLoad } from '../../estimate/assumptions.js';
import { forProvider, GROUPS, listField } from '../../estimate/inventory.js';
import { type Basis, line, type PlacedLine, transferLine } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'DynamoDB';
const MILLION = 1_000_000;
const KB_PER_GB = 1024 * 1024;

/** One global table as the estimate sees it. */
interface GlobalTable {
  readonly name: string;
  /** Replica regions, origin first. */
  readonly regions: readonly string[];
  /** Regions whose replica has point-in-time recovery on. */
  readonly pitr: ReadonlySet<string>;
  /** Whether the table expires items with TTL. */
  readonly ttl: boolean;
  /** Multi-Region strong consistency (MRSC): every replica's consistencyMode is STRONG. */
  readonly strong: boolean;
  /** MRSC witness region, if the table has one. */
  readonly witness?: string;
  readonly basis: Basis;
}

function fromPlan(ctx: CostContext): GlobalTable[] {
  return ctx.inventory.find({ group: GROUPS.dynamodb, kind: 'Table', parentKind: 'XGlobalTable' }).map((r) => {
    const fp = forProvider(r);
    const origin = String(fp.region ?? r.region);
    const replicas = listField(fp.replica);
    const pitrOn = (listField(fp.pointInTimeRecovery)[0]?.enabled ?? false) === true;
    const pitr = new Set([
      ...(pitrOn ? [origin] : []),
      ...replicas.filter((x) => x.pointInTimeRecovery === true).map((x) => String(x.regionName)),
    ]);
    const spec = ctx.inventory.parent(r)?.spec as { table?: { name?: string } } | undefined;
    return {
      name: spec?.table?.name ?? r.key,
      regions: [origin, ...replicas.map((x) => String(x.regionName))],
      pitr,
      ttl: listField(fp.ttl).some((t) => t.enabled === true),
      strong: replicas.length > 0 && replicas.every((x) => x.consistencyMode === 'STRONG'),
      ...witnessOf(listField(fp.globalTableWitness)[0]?.regionName),
      basis: 'plan',
    };
  });
}

const witnessOf = (region: unknown): { witness?: string } => (typeof region === 'string' ? { witness: region } : {});

/** Writes and reads of one table per month, in request units. */
function units(load: TableLoad, seconds: number) {
  return {
    writeUnits: load.writesPerSecond * seconds * Math.ceil(load.avgItemKb),
    readUnits: load.readsPerSecond * seconds * 0.5 * Math.ceil(load.avgItemKb / 4),
    writtenGb: (load.writesPerSecond * seconds * load.avgItemKb) / KB_PER_GB,
  };
}

function replicaLines(ctx: CostContext, table: GlobalTable, region: string): PlacedLine[] {
  const load = loadOf(ctx.assumptions.tables, table.name);
  const u = units(load, secondsPerMonth(ctx.assumptions));
  const share = ctx.shares[region] ?? 0;
  const base = { component: COMPONENT, region, basis: table.basis };
  const others = table.regions.filter((r) => r !== region);
  const ttlDeletes = table.ttl ? (load.ttlDeletesPerSecond < 0 ? load.writesPerSecond : load.ttlDeletesPerSecond) : 0;
  const ttlUnits = ttlDeletes * secondsPerMonth(ctx.assumptions) * Math.ceil(load.avgItemKb);
  return [
    line({
      ...base,
      item: `replicated writes, rWRU (table ${table.name})`,
      quantity: u.writeUnits / MILLION,
      priceId: 'dynamodbReplicatedWrite',
    }),
    ...(share > 0
      ? [
          line({
            ...base,
            item: `reads, RRU (table ${table.name})`,
            quantity: (u.readUnits * share) / MILLION,
            priceId: 'dynamodbRead',
          }),
        ]
      : []),
    line({ ...base, item: `storage (table ${table.name})`, quantity: load.dataGb, priceId: 'dynamodbStorage' }),
    ...(table.pitr.has(region)
      ? [line({ ...base, item: `point-in-time recovery (table ${table.name})`, quantity: load.dataGb, priceId: 'dynamodbPitr' })]
      : []),
    ...(ttlUnits > 0 && region !== ctx.active
      ? [
          line({
            ...base,
            item: `TTL deletes replicated from ${ctx.active}, rWRU (table ${table.name}, ${ttlDeletes} a second)`,
            quantity: ttlUnits / MILLION,
            priceId: 'dynamodbReplicatedWrite',
          }),
        ]
      : []),
    ...(share > 0
      ? others.map((to) =>
          transferLine({
            ...base,
            to,
            item: `replication transfer to ${to} (table ${table.name})`,
            quantity: u.writtenGb * share,
          }),
        )
      : []),
  ];
}

/**
 * Multi-Region strong consistency (MRSC), its own lines: the strongly consistent reads it exists for cost a whole
 * RRU per 4 KB where an eventually consistent read costs half (DynamoDB pricing, on-demand: read request units), so
 * the extra half is a line of its own; and a witness region receives the replicated change data of every write
 * (priced as inter-region transfer from the region that writes; no separate witness price was found).
 */
function strongLines(ctx: CostContext, table: GlobalTable, region: string, notes: string[]): PlacedLine[] {
  if (!table.strong) return [];
  const load = loadOf(ctx.assumptions.tables, table.name);
  const u = units(load, secondsPerMonth(ctx.assumptions));
  const share = ctx.shares[region] ?? 0;
  if (share <= 0) return [];
  const base = { component: COMPONENT, region, basis: table.basis };
  notes.push(
    `table ${table.name} (consistency: strong, MRSC): assumption: every read is strongly consistent (a whole RRU per 4 KB, twice an eventually consistent read)` +
      (table.witness
        ? `; the witness ${table.witness} is priced as inter-region transfer of every write from the active region (no published witness price found)`
        : ''),
  );
  return [
    line({
      ...base,
      item: `strongly consistent reads (MRSC), extra RRU over eventually consistent (table ${table.name})`,
      quantity: (u.readUnits * share) / MILLION,
      priceId: 'dynamodbRead',
    }),
    ...(table.witness
      ? [
          transferLine({
            ...base,
            to: table.witness,
            item: `replication transfer to the MRSC witness ${table.witness} (table ${table.name})`,
            quantity: u.writtenGb * share,
          }),
        ]
      : []),
  ];
}

/** Every DynamoDB line: per Table of the plan. */
export function tableLines(ctx: CostContext, notes: string[] = []): PlacedLine[] {
  return fromPlan(ctx).flatMap((t) =>
    t.regions.flatMap((region) => [...replicaLines(ctx, t, region), ...strongLines(ctx, t, region, notes)]),
  );
}
