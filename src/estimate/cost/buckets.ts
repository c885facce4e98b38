/**
 * Replicated S3 buckets. Source: the plan (Bucket per region, BucketReplicationConfiguration rules
 * with RTC and metrics per destination), falling back to spec.buckets with the API's promises (a
 * bucket in every region, a rule per secondary, metrics on, RTC as written) when the plan does not
 * hold the replication configuration. Traffic: assumptions.buckets (default, or byName).
 *
 * Billing (S3 pricing, Replication): storage in every region; requests where clients send them
 * (the primary: replication is one-way); per rule the source pays inter-region transfer and the
 * RTC fee, the destination pays the replica PUTs; replication metrics bill as custom metrics.
 */
import { LABEL } from '../../compose/context.js';
import type { PlannedResource } from '../../compose/plan.js';
import { type BucketLoad, loadOf } from '../assumptions.js';
import { forProvider, GROUPS, listField } from '../inventory.js';
import { type Basis, line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';

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
  readonly source: string;
  readonly regions: readonly string[];
  readonly rules: readonly Rule[];
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
  return ctx.inventory
    .find({ group: GROUPS.s3, kind: 'BucketReplicationConfiguration', parentKind: 'XReplicatedBucket' })
    .map((r) => {
      const name = logicalName(ctx, r) ?? r.key;
      const regions = ctx.inventory
        .find({ group: GROUPS.s3, kind: 'Bucket', parentKind: 'XReplicatedBucket' })
        .filter((b) => logicalName(ctx, b) === name)
        .map((b) => b.region ?? '');
      return {
        name,
        source: r.region ?? ctx.spec.regions.primary,
        regions,
        rules: listField(forProvider(r).rule).map(ruleOf),
        basis: 'plan',
      };
    });
}

type BucketSection = NonNullable<CostContext['spec']['buckets']>[number];

function fromSpec(ctx: CostContext, b: BucketSection): ReplicatedBucket {
  return {
    name: b.name,
    source: ctx.spec.regions.primary,
    regions: ctx.regions,
    rules: ctx.spec.regions.secondaries.map((destination) => ({ destination, rtc: b.replicationTimeControl, metrics: true })),
    basis: 'spec',
  };
}

function ruleLines(b: ReplicatedBucket, load: BucketLoad, rule: Rule): PlacedLine[] {
  const src = { component: COMPONENT, region: b.source, basis: b.basis };
  const what = `(bucket ${b.name} to ${rule.destination})`;
  return [
    line({ ...src, item: `replication transfer ${what}`, quantity: load.newGbPerMonth, priceId: 'interRegionTransfer' }),
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
  ];
}

/** Every S3 line: per spec bucket, the plan's view when it holds the replication configuration, else the spec's. */
export function bucketLines(ctx: CostContext): PlacedLine[] {
  const planned = new Map(fromPlan(ctx).map((b) => [b.name, b]));
  return (ctx.spec.buckets ?? []).flatMap((b) => oneBucket(ctx, planned.get(b.name) ?? fromSpec(ctx, b)));
}
