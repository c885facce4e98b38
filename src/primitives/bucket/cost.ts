/**
 * Replicated S3 buckets. Source: the plan only (Bucket per region, a BucketReplicationConfiguration per region with a
 * rule per other region, RTC and metrics per rule); a bucket whose replication configurations the plan lacks is not
 * billed.
 * Traffic: assumptions.buckets (default, or byName).
 *
 * Billing (S3 pricing, Replication): storage in every region; requests where clients send them, the active region;
 * replication runs both ways, but only the active region's rules carry the writes: per such rule the source pays
 * inter-region transfer and the RTC fee, the destination the replica PUTs. Every rule with metrics on, busy or idle,
 * bills its replication metrics as custom metrics.
 */
import { LABEL } from '../../compose/context.js';
import type { PlannedResource } from '../../compose/plan.js';
import { type BucketLoad, loadOf } from '../../estimate/assumptions.js';
import { activeRegionOf, forProvider, GROUPS, listField } from '../../estimate/inventory.js';
import { type Basis, line, type PlacedLine, transferLine } from '../../estimate/lines.js';
import type { CostContext } from '../../estimate/cost/context.js';

const COMPONENT = 'S3';
/** Replication metrics per rule: ReplicationLatency, BytesPendingReplication, OperationsPendingReplication, OperationsFailedReplication. */
export const REPLICATION_METRICS_PER_RULE = 4;

/** One replication rule. */
interface Rule {
  readonly destination: string;
  readonly rtc: boolean;
  readonly metrics: boolean;
}

/** One replicated bucket as the estimate sees it. */
interface ReplicatedBucket {
  readonly name: string;
  /** Where clients write: the active region. */
  readonly source: string;
  readonly regions: readonly string[];
  /** The rules of the active region's configuration: they carry the writes. */
  readonly rules: readonly Rule[];
  /** The rules of the other regions' configurations, idle until a failover, by their source region. */
  readonly idle: readonly (Rule & { readonly from: string })[];
  readonly basis: Basis;
}

const logicalName = (ctx: CostContext, r: PlannedResource): string | undefined =>
  (ctx.inventory.parent(r)?.spec as { bucket?: { name?: string } } | undefined)?.bucket?.name;

function ruleOf(raw: Record<string, unknown>): Rule {
  const destination = listField(raw.destination)[0] ?? {};
  const selector = destination.bucketSelector as { matchLabels?: Record<string, string> } | undefined;
  const status = (v: unknown) => listField(v)[0]?.status === 'Enabled';
  return {
    destination: selector?.matchLabels?.[LABEL.region] ?? String(raw.id ?? '').replace(/^to-/, ''),
    rtc: status(destination.replicationTime),
    metrics: status(destination.metrics),
  };
}

function fromPlan(ctx: CostContext): ReplicatedBucket[] {
  const configs = ctx.inventory.find({
    group: GROUPS.s3,
    kind: 'BucketReplicationConfiguration',
    parentKind: 'XReplicatedBucket',
  });
  const names = [...new Set(configs.map((r) => logicalName(ctx, r) ?? r.key))];
  return names.map((name) => {
    const own = configs.filter((r) => (logicalName(ctx, r) ?? r.key) === name);
    // Where clients write: the active region of the bucket's own composite (its estate context), as compose read it.
    const active = activeRegionOf(ctx.inventory.parent(own[0]!)) ?? ctx.active;
    const regions = ctx.inventory
      .find({ group: GROUPS.s3, kind: 'Bucket', parentKind: 'XReplicatedBucket' })
      .filter((b) => logicalName(ctx, b) === name)
      .map((b) => b.region ?? '');
    const rulesOf = (r: PlannedResource) => listField(forProvider(r).rule).map(ruleOf);
    return {
      name,
      source: active,
      regions,
      rules: own.filter((r) => r.region === active).flatMap(rulesOf),
      idle: own.filter((r) => r.region !== active).flatMap((r) => rulesOf(r).map((rule) => ({ ...rule, from: r.region ?? '' }))),
      basis: 'plan' as const,
    };
  });
}

function ruleLines(b: ReplicatedBucket, load: BucketLoad, rule: Rule): PlacedLine[] {
  const src = { component: COMPONENT, region: b.source, basis: b.basis };
  const what = `(bucket ${b.name} to ${rule.destination})`;
  return [
    transferLine({ ...src, to: rule.destination, item: `replication transfer ${what}`, quantity: load.newGbPerMonth }),
    ...(rule.rtc
      ? [line({ ...src, item: `Replication Time Control ${what}`, quantity: load.newGbPerMonth, priceId: 's3Rtc' })]
      : []),
    ...(rule.metrics
      ? [line({ ...src, item: `replication metrics ${what}`, quantity: REPLICATION_METRICS_PER_RULE, priceId: 'customMetric' })]
      : []),
    line({
      component: COMPONENT,
      region: rule.destination,
      basis: b.basis,
      item: `replica PUT requests (bucket ${b.name})`,
      quantity: load.putsPerMonth / 1000,
      priceId: 's3Put',
    }),
  ];
}

function oneBucket(ctx: CostContext, b: ReplicatedBucket): PlacedLine[] {
  const load = loadOf(ctx.assumptions.buckets, b.name);
  const src = { component: COMPONENT, region: b.source, basis: b.basis };
  return [
    ...b.regions.map((region) =>
      line({
        component: COMPONENT,
        region,
        basis: b.basis,
        item: `storage (bucket ${b.name})`,
        quantity: load.dataGb,
        priceId: 's3Storage',
      }),
    ),
    line({ ...src, item: `PUT requests (bucket ${b.name})`, quantity: load.putsPerMonth / 1000, priceId: 's3Put' }),
    line({ ...src, item: `GET requests (bucket ${b.name})`, quantity: load.getsPerMonth / 1000, priceId: 's3Get' }),
    ...b.rules.flatMap((rule) => ruleLines(b, load, rule)),
    ...b.idle
      .filter((rule) => rule.metrics)
      .map((rule) =>
        line({
          component: COMPONENT,
          region: rule.from,
          basis: b.basis,
          item: `replication metrics (bucket ${b.name} from ${rule.from} to ${rule.destination}, idle until a failover)`,
          quantity: REPLICATION_METRICS_PER_RULE,
          priceId: 'customMetric',
        }),
      ),
  ];
}

/** Every S3 line: per replicated bucket of the plan (its replication configurations and buckets). */
export function bucketLines(ctx: CostContext): PlacedLine[] {
  return fromPlan(ctx).flatMap((b) => oneBucket(ctx, b));
}
