/**
 * The lag monitors' cost (src/primitives/monitoring/lag-monitor-cost.ts): every region runs one, which publishes a
 * ReplicationLagSeconds series for each store it watches (its own Aurora cluster unless it writes, its tables and
 * buckets toward every other region) and runs on its Rule's schedule. Figures: 730 h = 2,628,000 s; once a minute =
 * 43,800 runs; $0.30 per series; Lambda $0.20/1M requests, arm64 $0.0000133334/GB-s; CloudWatch $0.01 per 1,000
 * PutMetricData requests and per 1,000 metrics GetMetricData requests (the same in eu-west-1: regional-prices.ts).
 */
import { describe, expect, it } from 'vitest';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';
import { estimateCost } from '../../src/estimate/cost.js';
import { FULL, claimOf, lineOf, linesOf, specOf } from './helpers.js';

const plan = planClaim(claimOf(FULL));
const e = estimateCost(specOf(FULL), plan);

/** The plan with one manifest's forProvider changed. */
function edited(component: string, region: string, edit: (fp: Record<string, unknown>) => void): PlannedResource[] {
  return plan.map((r) => {
    const labels = (r.manifest.metadata as { labels?: Record<string, string> }).labels ?? {};
    if (labels['drplane.io/component'] !== component || labels['drplane.io/region'] !== region) return r;
    const copy = structuredClone(r);
    edit((copy.manifest.spec as { forProvider: Record<string, unknown> }).forProvider);
    return copy;
  });
}

describe('lag monitor series, per region, from the plan', () => {
  it('counts what each region publishes, in that region', () => {
    // us-east-1 writes: its Aurora cluster has no lag; 3 stores (2 tables, 1 bucket) × 2 other regions = 6
    expect(lineOf(e, 'us-east-1', 'CloudWatch', 'custom metrics: replication lag').quantity).toBe(6);
    expect(lineOf(e, 'us-east-1', 'CloudWatch', 'custom metrics: replication lag').monthlyUsd).toBe(1.8);
    // secondaries: their Aurora cluster + 6 = 7 each, billed where they are published
    expect(lineOf(e, 'us-west-2', 'CloudWatch', 'custom metrics: replication lag').quantity).toBe(7);
    expect(lineOf(e, 'eu-west-1', 'CloudWatch', 'custom metrics: replication lag').quantity).toBe(7);
    // eu-west-1 at its own price, listed as us-east-1's: 7 × $0.30 = $2.10
    expect(lineOf(e, 'eu-west-1', 'CloudWatch', 'custom metrics: replication lag').monthlyUsd).toBe(2.1);
    expect(lineOf(e, 'eu-west-1', 'CloudWatch', 'custom metrics: replication lag').regionalPrice).toBe('listed');
    expect(lineOf(e, 'eu-west-1', 'CloudWatch', 'custom metrics: replication lag').basis).toBe('plan');
  });

  it("reads the stores from the monitor's configuration in the plan", () => {
    const fewer = edited('lag-monitor-function', 'us-west-2', (fp) => {
      const vars = (fp.environment as { variables: Record<string, string> }).variables;
      vars.DRPLANE_STORES = JSON.stringify((JSON.parse(vars.DRPLANE_STORES!) as unknown[]).slice(0, 2));
    });
    const f = estimateCost(specOf(FULL), fewer);
    expect(lineOf(f, 'us-west-2', 'CloudWatch', 'custom metrics: replication lag').quantity).toBe(2);
    expect(lineOf(f, 'us-west-2', 'CloudWatch', 'lag monitor GetMetricData').quantity).toBe(87.6);
    expect(lineOf(f, 'eu-west-1', 'CloudWatch', 'custom metrics: replication lag').quantity).toBe(7);
  });
});

describe("the lag monitor's own runs", () => {
  it('prices one Function and its once-a-minute schedule in every region', () => {
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      // 43,800 runs = 0.0438M requests × $0.20 = $0.00876 → $0.01
      expect(lineOf(e, region, 'Lambda', 'lag monitor runs').quantity).toBe(0.0438);
      // 43,800 × 1 s (assumed) × 0.25 GB = 10,950 GB-s × $0.0000133334 = $0.146 → $0.15 (arm64, 256 MB from the plan)
      expect(lineOf(e, region, 'Lambda', 'lag monitor compute').item).toBe('lag monitor compute (256 MB, arm64, 1000 ms a run)');
      expect(lineOf(e, region, 'Lambda', 'lag monitor compute').quantity).toBe(10950);
      // 7 stores asked for each run: 306,600 metrics = 306.6 thousand
      expect(lineOf(e, region, 'CloudWatch', 'lag monitor GetMetricData').quantity).toBe(306.6);
      // one PutMetricData call a run (up to 20 series each): 43.8 thousand
      expect(lineOf(e, region, 'CloudWatch', 'lag monitor PutMetricData').quantity).toBe(43.8);
    }
    expect(lineOf(e, 'us-east-1', 'CloudWatch', 'lag monitor GetMetricData').monthlyUsd).toBe(3.07);
    expect(lineOf(e, 'us-east-1', 'CloudWatch', 'lag monitor PutMetricData').monthlyUsd).toBe(0.44);
    expect(lineOf(e, 'us-east-1', 'Lambda', 'lag monitor compute').monthlyUsd).toBe(0.15);
  });

  it("derives the runs from the Rule's schedule and the duration from the assumptions", () => {
    const slower = edited('lag-monitor-schedule', 'us-west-2', (fp) => {
      fp.scheduleExpression = 'rate(5 minutes)';
    });
    const f = estimateCost(specOf(FULL), slower, { monitoring: { lagMonitorDurationMs: 2000 } });
    // 2,628,000 s / 300 s = 8,760 runs
    expect(lineOf(f, 'us-west-2', 'Lambda', 'lag monitor runs').quantity).toBe(0.00876);
    expect(lineOf(f, 'us-west-2', 'Lambda', 'lag monitor runs').item).toBe('lag monitor runs (rate(5 minutes))');
    // 8,760 × 2 s × 0.25 GB = 4,380 GB-s
    expect(lineOf(f, 'us-west-2', 'Lambda', 'lag monitor compute').quantity).toBe(4380);
    expect(lineOf(f, 'us-east-1', 'Lambda', 'lag monitor runs').quantity).toBe(0.0438);
  });

  it('has no monitor lines without monitoring', () => {
    const { monitoring: _m, failover: _f, ...rest } = FULL;
    const bare = estimateCost(specOf(rest), planClaim(claimOf(rest)));
    expect(linesOf(bare, 'us-east-1', 'Lambda', 'lag monitor')).toEqual([]);
    expect(linesOf(bare, 'us-west-2', 'CloudWatch', 'custom metrics: replication lag')).toEqual([]);
  });
});
