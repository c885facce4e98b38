/**
 * Reads the latest replication lag of every store from CloudWatch: one GetMetricData call per
 * region (paged), the Maximum of the newest one-minute period within the look-back window. A source whose dimension
 * set is not pinned (Aurora's lag) is first listed (ListMetrics with its dimensions as a filter) and each series found
 * is read with its exact set; the store's lag is the highest of their newest values.
 * No datapoint in the window, or a failed read, is `unknown`, never zero. Each call is bounded by `call()`'s
 * abort signal, so a hung region makes its own stores unknown and nothing else.
 */
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  type CloudWatchClient,
  type Dimension,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { LagStore } from '../shared/env-contract.js';
import type { LagReading } from './state.js';
import { lagSource } from './sources.js';

/** How far back a datapoint still counts as current. */
export const LOOKBACK_SECONDS = 300;

/** Reads every store's lag; `cloudWatch(region)` gives a client for a region. */
export async function readLags(
  stores: readonly LagStore[],
  primaryRegion: string,
  cloudWatch: (region: string) => CloudWatchClient,
  now: Date,
  call: () => { abortSignal?: AbortSignal } = () => ({}),
): Promise<LagReading[]> {
  const readings: LagReading[] = stores.map(() => ({ kind: 'unknown', reason: 'not read' }));
  const byRegion = new Map<string, { index: number; source: ReturnType<typeof lagSource> }[]>();
  stores.forEach((store, index) => {
    const source = lagSource(store, primaryRegion);
    byRegion.set(source.readRegion, [...(byRegion.get(source.readRegion) ?? []), { index, source }]);
  });

  await Promise.all(
    [...byRegion].map(async ([region, entries]) => {
      try {
        const cw = cloudWatch(region);
        // Each store's series: its own dimension set, or every set that carries its dimensions (discover).
        const series = await Promise.all(
          entries.map(async (e) =>
            e.source.discover === true ? listSeries(cw, e.source, call) : [e.source.dimensions as Dimension[]],
          ),
        );
        const queries: MetricDataQuery[] = entries.flatMap((e, i) =>
          series[i]!.map((dimensions, j) => ({
            Id: `m${e.index}x${j}`,
            MetricStat: {
              Metric: { Namespace: e.source.namespace, MetricName: e.source.metricName, Dimensions: dimensions },
              Period: 60,
              Stat: 'Maximum',
            },
            ReturnData: true,
          })),
        );
        const latest = queries.length === 0 ? new Map<string, number>() : await latestValues(cw, queries, now, call);
        entries.forEach((e, i) => {
          const values = series[i]!.map((_, j) => latest.get(`m${e.index}x${j}`)).filter((v): v is number => v !== undefined);
          readings[e.index] =
            values.length === 0
              ? { kind: 'unknown', reason: `no datapoint in the last ${LOOKBACK_SECONDS} s` }
              : { kind: 'value', seconds: Math.max(...values) * e.source.toSeconds };
        });
      } catch (err) {
        const name = err instanceof Error ? err.name : 'UnknownError';
        for (const e of entries) readings[e.index] = { kind: 'unknown', reason: `CloudWatch read in ${region} failed: ${name}` };
      }
    }),
  );
  return readings;
}

/** The dimension sets of the metrics that carry `source`'s dimensions (ListMetrics, paged). */
async function listSeries(
  cw: CloudWatchClient,
  source: ReturnType<typeof lagSource>,
  call: () => { abortSignal?: AbortSignal },
): Promise<Dimension[][]> {
  const sets: Dimension[][] = [];
  let nextToken: string | undefined;
  do {
    const out = await cw.send(
      new ListMetricsCommand({
        Namespace: source.namespace,
        MetricName: source.metricName,
        Dimensions: source.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
        NextToken: nextToken,
      }),
      call(),
    );
    for (const m of out.Metrics ?? []) sets.push(m.Dimensions ?? []);
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  return sets;
}

/** Newest value per query id (at most 500 queries per call, so chunked). */
async function latestValues(
  cw: CloudWatchClient,
  queries: MetricDataQuery[],
  now: Date,
  call: () => { abortSignal?: AbortSignal },
): Promise<Map<string, number>> {
  const latest = new Map<string, { at: number; value: number }>();
  for (let i = 0; i < queries.length; i += 500) {
    let nextToken: string | undefined;
    do {
      const out = await cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.slice(i, i + 500),
          StartTime: new Date(now.getTime() - LOOKBACK_SECONDS * 1000),
          EndTime: now,
          ScanBy: 'TimestampDescending',
          NextToken: nextToken,
        }),
        call(),
      );
      for (const result of out.MetricDataResults ?? []) {
        const id = result.Id;
        if (id === undefined) continue;
        (result.Timestamps ?? []).forEach((ts, k) => {
          const value = result.Values?.[k];
          if (value === undefined || !Number.isFinite(value)) return;
          const at = ts.getTime();
          const seen = latest.get(id);
          if (seen === undefined || at > seen.at) latest.set(id, { at, value });
        });
      }
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
  }
  return new Map([...latest].map(([id, v]) => [id, v.value]));
}
