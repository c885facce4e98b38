/**
 * Reads the latest replication lag of every store from CloudWatch: one GetMetricData call per
 * region (paged), the Maximum of the newest one-minute period within the look-back window.
 * No datapoint in the window, or a failed read, is `unknown`, never zero. Each call is bounded by `call()`'s
 * abort signal, so a hung region makes its own stores unknown and nothing else.
 */
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
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
  const byRegion = new Map<string, { index: number; query: MetricDataQuery; toSeconds: number }[]>();
  stores.forEach((store, index) => {
    const source = lagSource(store, primaryRegion);
    const query: MetricDataQuery = {
      Id: `m${index}`,
      MetricStat: {
        Metric: { Namespace: source.namespace, MetricName: source.metricName, Dimensions: [...source.dimensions] },
        Period: 60,
        Stat: 'Maximum',
      },
      ReturnData: true,
    };
    const list = byRegion.get(source.readRegion) ?? [];
    list.push({ index, query, toSeconds: source.toSeconds });
    byRegion.set(source.readRegion, list);
  });

  await Promise.all(
    [...byRegion].map(async ([region, entries]) => {
      try {
        const latest = await latestValues(
          cloudWatch(region),
          entries.map((e) => e.query),
          now,
          call,
        );
        for (const e of entries) {
          const value = latest.get(e.query.Id as string);
          readings[e.index] =
            value === undefined
              ? { kind: 'unknown', reason: `no datapoint in the last ${LOOKBACK_SECONDS} s` }
              : { kind: 'value', seconds: value * e.toSeconds };
        }
      } catch (err) {
        const name = err instanceof Error ? err.name : 'UnknownError';
        for (const e of entries) readings[e.index] = { kind: 'unknown', reason: `CloudWatch read in ${region} failed: ${name}` };
      }
    }),
  );
  return readings;
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
