/**
 * Recovery objectives on hand-computed estates, per failure type. Constants (timings.ts), typical / worst seconds:
 * lag Aurora 1 / 5, DynamoDB 1 / 5, S3 with RTC 15 / 900, without 900 / 7200;
 * health checks interval × threshold / interval × (threshold + 1); standby probe signal 180 / 300; orchestrator
 * start 5 / 30; trigger evaluation (composite alarm, EventBridge) 60 / 120; people 600 / 1800; GitOps = Argo CD poll 90 / 180 + sync 5 / 30 + watches 10 / 60 = 105 / 270;
 * Aurora unplanned failover 120 / 600, planned switchover 120 / 300;
 * DynamoDB, S3, warm service 0; DNS TTL / TTL + 60. Automatic mode bounds Aurora's loss at the RPO guard (rpoSeconds − 60
 * above 60 s, else rpoSeconds; 30 s without objectives) + 60 s (the lag metric's period).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FAILOVER_DEFAULTS } from '../../lambda/shared/env-contract.js';
import { ASK_AGAIN_LIMIT_SECONDS, TURN_DROP_WORST_SECONDS } from '../../lambda/shared/workflow-contract.js';
import { DEFAULT_GUARD_SECONDS, rpoGuardSeconds, SIGNAL_PERIODS } from '../../src/compose/failover-trigger.js';
import { MAX_EVENT_AGE_SECONDS } from '../../src/compose/failover-workflow.js';
import { failoverDefinition } from '../../src/compose/workflow.js';
import { estimateObjectives, estimateSwitchover } from '../../src/estimate/objectives.js';
import { CLUSTER_SCALE_UP, DETECTION, PROMOTION, PROVIDER_POLL, PROVIDER_POLL_WORST_SECONDS } from '../../src/facts/timings.js';
import { repoPath } from '../support/paths.js';
import { FULL, MINIMAL, specOf } from './helpers.js';

const objectives = (spec: object) => estimateObjectives(specOf(spec));
const rto = (spec: object) => objectives(spec).rto;
const failure = (spec: object, f: string) => objectives(spec).failures.find((x) => x.failure === f)!;

/** The payments estate of DESIGN.md: two regions, manual failover, 30 s × 3 health checks, TTL 60. */
const PAYMENTS = {
  ...FULL,
  regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
  network: undefined,
  database: { engine: 'aurora-postgresql', engineVersion: '16.8' },
  tables: [{ name: 'transactions', hashKey: { name: 'id' } }],
  buckets: [{ name: 'documents' }],
  routing: { ...FULL.routing, healthCheck: { intervalSeconds: 30, failureThreshold: 3 }, ttlSeconds: 60 },
  failover: { mode: 'manual' },
  objectives: { rpoSeconds: 5, rtoMinutes: 15 },
};

describe('minimal estate: one table, no routing, manual failover', () => {
  const o = objectives(MINIMAL);

  it('has the DynamoDB lag as RPO: typically within one second (Developer Guide), 5 s planned', () => {
    expect(o.rpoSeconds).toBe(5);
    expect(o.typical.rpoSeconds).toBe(1);
    expect(o.rpo).toMatchObject({ limitedBy: 'table items', guaranteed: false, objectiveSeconds: 60, met: true });
  });

  it('adds people and GitOps (Argo CD poll, sync, watches), with nothing to promote and no DNS', () => {
    // typical 600 + 105 = 705 s = 11.8 min; worst 1800 + 270 = 2070 s = 34.5 min
    expect(o.rto).toMatchObject({
      failure: 'region-loss',
      typicalSeconds: 705,
      worstSeconds: 2070,
      typicalMinutes: 11.8,
      worstMinutes: 34.5,
      objectiveMinutes: 60,
      met: true,
    });
    expect(o.met).toBe(true);
    expect(o.advice).toEqual([]);
    expect(o.steps.find((s) => s.id === 'dns')).toMatchObject({ counted: false, worstSeconds: 0 });
  });
});

describe('full three-region estate: automatic failover, 10 s × 3 health checks, TTL 30', () => {
  const o = objectives(FULL);

  it("has 900 s as RPO when the region is lost: the automatic path's Aurora bound (guard 840 s + 60 s) and S3 RTC's 900 s", () => {
    expect(o.rpoSeconds).toBe(900);
    expect(o.typical.rpoSeconds).toBe(15);
    // Equal worst cases: the first store (the database) is named.
    expect(o.rpo.limitedBy).toBe('database');
    expect(o.steps.find((s) => s.id === 'lag-bucket-invoices')!.worstSeconds).toBe(900);
    expect(o.rpo.guaranteed).toBe(false);
    expect(o.stores.map((s) => [s.store, s.rpo.worstSeconds])).toEqual([
      ['database', 5],
      ['table orders', 5],
      ['table sessions', 5],
      ['bucket invoices', 900],
    ]);
  });

  it("times the loss of the primary region through the standby region's automatic trigger and an unplanned failover", () => {
    // typical 180 + 60 + 5 + 0 + 120 + 0 + 30 = 395 s = 6.6 min;
    // worst 300 + 120 + 30 + 165 + 600 + 0 + 90 = 1305 s = 21.75 min (wait-turn's 150 s bound on a streak of looks, with
    // the looks' timeouts and interval: TURN_DROP_WORST_SECONDS)
    expect(o.rto).toMatchObject({ typicalSeconds: 395, worstSeconds: 1305, typicalMinutes: 6.6, worstMinutes: 21.8 });
    expect(o.steps.filter((s) => s.objective === 'rto' && s.counted).map((s) => s.id)).toEqual([
      'probe-signal',
      'trigger-evaluation',
      'orchestrator',
      'wait-turn',
      'promote-database',
      'service',
      'dns',
    ]);
    expect(failure(FULL, 'region-loss').path).toContain("the standby region probes us-east-1's /health");
    expect(o.steps.find((s) => s.id === 'promote-database')!.label).toContain('FailoverGlobalCluster with AllowDataLoss');
    // The lost region's Step Functions may hang or answer 5xx: wait-turn asks it again for 150 s of such looks, 5 + 150
    // + 5 + 5 = 165 s from the step's start at most (worst only).
    expect(o.steps.find((s) => s.id === 'wait-turn')).toMatchObject({ typicalSeconds: 0, worstSeconds: TURN_DROP_WORST_SECONDS });
    expect(ASK_AGAIN_LIMIT_SECONDS).toBe(150);
    expect(TURN_DROP_WORST_SECONDS).toBe(165);
    expect(o.steps.find((s) => s.id === 'wait-turn')!.source).toContain('ASK_AGAIN_LIMIT_SECONDS');
  });

  it('meets 900 s / 30 min for the loss of the primary region', () => {
    expect(o.rto.met).toBe(true);
    expect(o.rpo.met).toBe(true);
    expect(o.met).toBe(true);
  });

  it('times an application fault through the same automatic path: the failover is unplanned, so Aurora loses its lag', () => {
    const f = failure(FULL, 'application-fault');
    expect(f.rto).toMatchObject({ typicalSeconds: 395, worstSeconds: 1140, worstMinutes: 19 });
    // The region is up: tables and buckets keep replicating; the database fails over with AllowDataLoss, as far as
    // check-rpo lets it: the guard (900 − 60 = 840 s) plus the lag metric's 60 s period.
    expect(f.rpo).toMatchObject({ typicalSeconds: 1, worstSeconds: 900, limitedBy: 'database', guaranteed: true });
    // FULL does not set allowDataLoss: the loss comes from the automatic path, and the estimate says so.
    expect(FULL.failover).not.toHaveProperty('allowDataLoss');
    expect(f.path).toContain('the database fails over with data loss (automatic failover is always unplanned)');
    expect(f.steps.find((s) => s.id === 'lag-database')!.label).toContain('(automatic failover is always unplanned)');
    expect(JSON.stringify(f)).not.toContain('allowDataLoss: true');
    expect(f.objective).toBe(false);
    expect(f.verdict).toBeNull();
  });

  it('times a planned switchover: GitOps, switchover, DNS; nothing lost', () => {
    const f = failure(FULL, 'planned-switchover');
    // typical 105 + 120 + 30 = 255 s; worst 270 + 300 + 90 = 660 s = 11 min
    expect(f.rto).toMatchObject({ typicalSeconds: 255, worstSeconds: 660, worstMinutes: 11 });
    expect(f.rpo.worstSeconds).toBe(0);
  });

  it('explains itself: counted steps sum to each failure, every step has a source and a basis', () => {
    for (const f of o.failures) {
      const counted = f.steps.filter((s) => s.objective === 'rto' && s.counted);
      expect(counted.reduce((n, s) => n + s.worstSeconds, 0)).toBe(f.rto.worstSeconds);
      expect(counted.reduce((n, s) => n + s.typicalSeconds, 0)).toBe(f.rto.typicalSeconds);
      for (const s of f.steps) {
        expect(s.source.length, s.id).toBeGreaterThan(20);
        expect(['documented', 'configured', 'assumption']).toContain(s.typicalBasis);
        expect(['documented', 'configured', 'assumption']).toContain(s.worstBasis);
      }
    }
    expect(o.steps.filter((s) => s.objective === 'rpo' && s.counted).map((s) => s.worstSeconds)).toEqual([o.rpoSeconds]);
  });
});

describe('spec.objectives.failures', () => {
  it('defaults to the loss of the primary region', () => {
    expect(
      objectives(FULL)
        .failures.filter((f) => f.objective)
        .map((f) => f.failure),
    ).toEqual(['region-loss']);
  });

  it('judges every failure it names, and the worst of them sets the top-level figures', () => {
    const both = objectives({
      ...FULL,
      objectives: { rpoSeconds: 900, rtoMinutes: 30, failures: ['application-fault', 'planned-switchover'] },
    });
    expect(both.failures.map((f) => [f.failure, f.verdict?.met ?? null])).toEqual([
      ['region-loss', null],
      ['application-fault', true],
      ['planned-switchover', true],
    ]);
    expect(both.met).toBe(true);
    expect(both.rto).toMatchObject({ failure: 'application-fault', worstSeconds: 1140 });
    const all = objectives({
      ...FULL,
      objectives: { rpoSeconds: 900, rtoMinutes: 15, failures: ['region-loss', 'application-fault'] },
    });
    expect(all.met).toBe(false);
    expect(all.rto).toMatchObject({ failure: 'region-loss', worstMinutes: 21.8 });
  });
});

describe('what moves RTO', () => {
  it('automatic failover shortens the loss of the region and an application fault', () => {
    const manual = { ...FULL, failover: { mode: 'manual' } };
    // region loss, worst: (40 + 1800 + 270) − (300 + 120 + 30) = 1660 s; typical: (30 + 600 + 105) − (180 + 60 + 5) = 490 s
    expect(rto(manual).worstSeconds - rto(FULL).worstSeconds).toBe(1660);
    expect(rto(manual).typicalSeconds - rto(FULL).typicalSeconds).toBe(490);
    // application fault, worst: manual 40 + 1800 + 270 + 300 (switchover) + 90 = 2500; automatic 1140
    expect(failure(manual, 'application-fault').rto.worstSeconds - failure(FULL, 'application-fault').rto.worstSeconds).toBe(
      1360,
    );
  });

  it('automatic failover without monitoring has no alarm to start it, so it counts as manual', () => {
    const noMonitoring = { ...FULL, monitoring: undefined };
    expect(failure(noMonitoring, 'application-fault').rto).toEqual(
      failure({ ...FULL, failover: { mode: 'manual' } }, 'application-fault').rto,
    );
  });

  it('automatic mode without an orchestrator (no database here) has nothing to start: people decide', () => {
    const noDb = { ...FULL, database: undefined };
    const f = failure(noDb, 'application-fault');
    expect(f.steps.map((s) => s.id)).toContain('human');
    expect(f.path).toContain('no failover orchestrator is composed (it needs a database to switch over)');
    expect(f.steps.find((s) => s.id === 'crossplane-watch')!.label).toContain('no orchestrator');
  });

  it('the automatic path is the same whatever the primary region (the probe runs in the standby)', () => {
    const west = { ...FULL, regions: { primary: 'eu-west-1', secondaries: ['us-west-2', 'us-east-1'] } };
    const f = failure(west, 'region-loss');
    expect(f.steps.filter((s) => s.objective === 'rto' && s.counted).map((s) => s.id)).toEqual([
      'probe-signal',
      'trigger-evaluation',
      'orchestrator',
      'wait-turn',
      'promote-database',
      'service',
      'dns',
    ]);
    expect(f.rto.worstSeconds).toBe(1305);
  });

  it('TTL moves typical and worst by the difference', () => {
    const longer = rto({ ...FULL, routing: { ...FULL.routing, ttlSeconds: 120 } });
    expect(longer.typicalSeconds - rto(FULL).typicalSeconds).toBe(90);
    expect(longer.worstSeconds - rto(FULL).worstSeconds).toBe(90);
  });

  it('health-check interval and threshold move detection by interval × threshold (manual failover)', () => {
    const MANUAL = { ...FULL, failover: { mode: 'manual' } };
    const rtoOf = (spec: object) => rto(spec);
    const slow = rtoOf({ ...MANUAL, routing: { ...FULL.routing, healthCheck: { intervalSeconds: 30, failureThreshold: 3 } } });
    // typical 10 × 3 = 30 → 30 × 3 = 90 (+60); worst 10 × 4 = 40 → 30 × 4 = 120 (+80)
    expect(slow.typicalSeconds - rtoOf(MANUAL).typicalSeconds).toBe(60);
    expect(slow.worstSeconds - rtoOf(MANUAL).worstSeconds).toBe(80);
    const patient = rtoOf({ ...MANUAL, routing: { ...FULL.routing, healthCheck: { intervalSeconds: 10, failureThreshold: 5 } } });
    expect(patient.worstSeconds - rtoOf(MANUAL).worstSeconds).toBe(20);
  });

  it('without a database there is nothing slow to promote', () => {
    // worst 2800 − 600 Aurora failover
    expect(rto({ ...FULL, database: undefined }).worstSeconds).toBe(2200);
  });
});

describe('timings of the automatic path agree with what the composition configures', () => {
  it('the probe signal needs SIGNAL_PERIODS one-minute periods; its worst case adds a period and a minute of lag', () => {
    expect(DETECTION.probeSignal.typicalSeconds).toBe(SIGNAL_PERIODS * 60);
    expect(DETECTION.probeSignal.worstSeconds).toBe((SIGNAL_PERIODS + 2) * 60);
  });

  it("the unplanned failover's worst case is the workflow's wait-for-writer budget (poll interval × attempts)", () => {
    const definition = failoverDefinition({
      functionArn: 'arn:aws:lambda:us-west-2:123456789012:function:f',
      pollSeconds: FAILOVER_DEFAULTS.pollSeconds,
      waitSeconds: FAILOVER_DEFAULTS.deadlineSeconds,
    });
    const retry = (definition.States as Record<string, { Retry: Record<string, unknown>[] }>)['wait-for-writer']!.Retry.find(
      (r) => (r.ErrorEquals as string[]).includes('NotYet'),
    )!;
    expect(retry).toMatchObject({ IntervalSeconds: 15, MaxAttempts: 40, BackoffRate: 1 });
    expect(PROMOTION.auroraUnplannedFailover.worstSeconds).toBe(
      (retry.IntervalSeconds as number) * (retry.MaxAttempts as number),
    );
  });

  it('the orchestrator start is within the age after which the stale trigger event is dropped', () => {
    expect(DETECTION.orchestratorStart.worstSeconds).toBeLessThan(MAX_EVENT_AGE_SECONDS);
  });

  it('without objectives the path names the guard the composition sets', () => {
    const { objectives: _none, ...spec } = FULL as typeof FULL & { objectives?: unknown };
    expect(failure(spec, 'region-loss').path).toContain(`lag exceeds ${DEFAULT_GUARD_SECONDS} s`);
  });
});

describe("automatic mode's Aurora loss is what check-rpo lets through (audit 21 M4)", () => {
  const lag = (spec: object, f = 'region-loss') => failure(spec, f).steps.find((s) => s.id === 'lag-database')!;
  const withObjectives = (rpoSeconds: number) => ({ ...FULL, objectives: { rpoSeconds, rtoMinutes: 30 } });

  it('the guard leaves the lag metric its 60 s period inside an RPO above 60 s, else is the RPO itself', () => {
    expect(rpoGuardSeconds(undefined)).toBe(DEFAULT_GUARD_SECONDS);
    expect(rpoGuardSeconds({ rpoSeconds: 900 })).toBe(840);
    expect(rpoGuardSeconds({ rpoSeconds: 61 })).toBe(1);
    expect(rpoGuardSeconds({ rpoSeconds: 60 })).toBe(60);
    expect(rpoGuardSeconds({ rpoSeconds: 5 })).toBe(5);
  });

  it('three-region with rpoSeconds 900: Aurora loses at most 840 + 60 = 900 s, bounded, configured', () => {
    const three = withObjectives(900);
    expect(lag(three)).toMatchObject({ typicalSeconds: 1, worstSeconds: 900, worstBasis: 'configured' });
    expect(lag(three).label).toContain('RPO guard (840 s)');
    expect(lag(three).source).toContain('check-rpo');
    expect(lag(three, 'application-fault').worstSeconds).toBe(900);
    expect(failure({ ...three, buckets: undefined, tables: undefined }, 'region-loss').rpo).toMatchObject({
      worstSeconds: 900,
      guaranteed: true,
      unbounded: [],
    });
  });

  it('without objectives: the default guard 30 s + 60 s = 90 s', () => {
    const { objectives: _none, ...spec } = FULL as typeof FULL & { objectives?: unknown };
    expect(lag(spec)).toMatchObject({ worstSeconds: 90, worstBasis: 'configured' });
  });

  it('an RPO of 60 s or less cannot be met on the automatic path, and the advice says what can', () => {
    const o = objectives({ ...withObjectives(10), buckets: undefined, tables: undefined });
    expect(o.rpo).toMatchObject({ worstSeconds: 70, met: false, limitedBy: 'database' });
    const advice = o.advice.filter((a) => a.objective === 'rpo');
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatchObject({ field: 'spec.objectives.rpoSeconds' });
    expect(advice[0]!.change).toContain('write rpoSeconds: 90 or more');
    expect(objectives({ ...withObjectives(90), buckets: undefined, tables: undefined }).rpo).toMatchObject({
      worstSeconds: 90,
      met: true,
    });
  });

  it('manual mode keeps the replication lag (no guard runs)', () => {
    const manual = { ...withObjectives(900), failover: { mode: 'manual' } };
    expect(lag(manual)).toMatchObject({ typicalSeconds: 1, worstSeconds: 5, worstBasis: 'assumption' });
    expect(failure(manual, 'region-loss').rpo.guaranteed).toBe(false);
  });

  it('the trigger evaluation (composite alarm, EventBridge) is its own step, after the signal', () => {
    const steps = failure(FULL, 'region-loss').steps;
    expect(steps.find((s) => s.id === 'trigger-evaluation')).toMatchObject({
      typicalSeconds: 60,
      worstSeconds: 120,
      counted: true,
      typicalBasis: 'assumption',
    });
    expect(failure({ ...FULL, failover: { mode: 'manual' } }, 'region-loss').steps.map((s) => s.id)).not.toContain(
      'trigger-evaluation',
    );
  });
});

describe('timings carry their source, or say they are assumptions', () => {
  const steps = (spec: object, f: string) => failure(spec, f).steps;

  it("the Aurora failover times are assumptions (no AWS figure); 600 s is the workflow's wait-for-writer limit", () => {
    const promote = steps(FULL, 'region-loss').find((s) => s.id === 'promote-database')!;
    expect(promote).toMatchObject({
      typicalSeconds: 120,
      worstSeconds: 600,
      typicalBasis: 'assumption',
      worstBasis: 'assumption',
    });
    expect(promote.source).toContain('wait-for-writer');
  });

  it('S3 RTC is a 99.9% SLA with service credits and a 99.99% design target, not a bound', () => {
    const rtc = objectives(FULL).stores.find((s) => s.store === 'bucket invoices')!;
    expect(rtc.rpo.bounded).toBe(false);
    expect(rtc.rpo.source).toContain('99.9% of objects');
    expect(rtc.rpo.source).toContain('service credits');
    const texts = JSON.stringify(objectives({ ...PAYMENTS, objectives: { rpoSeconds: 60, rtoMinutes: 60 } }));
    expect(texts).not.toMatch(/SLA\)? ?99\.99|99\.99% within 15 minutes \(SLA\)/);
  });

  it('Argo CD polls every 120 s plus up to 60 s of jitter without a webhook; the typical wait assumes none', () => {
    const poll = steps(MINIMAL, 'region-loss').find((s) => s.id === 'argocd-poll')!;
    expect(poll).toMatchObject({ typicalSeconds: 90, worstSeconds: 180, worstBasis: 'documented', typicalBasis: 'assumption' });
    expect(poll.source).toContain('timeout.reconciliation.jitter');
    const watch = steps(MINIMAL, 'region-loss').find((s) => s.id === 'crossplane-watch')!;
    expect(watch.source).toContain("not Crossplane's poll");
  });
});

describe('RPO 0', () => {
  it.each([
    ['a table', MINIMAL],
    ['a database', { ...FULL, tables: undefined, buckets: undefined }],
    ['a bucket', { ...FULL, database: undefined, tables: undefined }],
    ['the full estate', FULL],
  ])('is never met for the loss of the region with %s, and the advice says why and what to do instead', (_, spec) => {
    const o = objectives({ ...spec, objectives: { rpoSeconds: 0, rtoMinutes: 60 } });
    expect(o.rpo.met).toBe(false);
    expect(o.met).toBe(false);
    const rpoAdvice = o.advice.filter((a) => a.objective === 'rpo');
    expect(rpoAdvice).toHaveLength(1);
    expect(rpoAdvice[0]!.change).toMatch(/^RPO 0 cannot be met for loss of the primary region us-east-1: .* asynchronously/);
    expect(rpoAdvice[0]!.change).toContain(`worst case ${o.rpoSeconds} s`);
    expect(rpoAdvice[0]!.change).toContain('planned switchover');
  });

  it('is met by a planned switchover and by an application fault failed over by people with the default lossless move', () => {
    const o = objectives({
      ...FULL,
      failover: { mode: 'manual' },
      objectives: { rpoSeconds: 0, rtoMinutes: 60, failures: ['application-fault', 'planned-switchover'] },
    });
    expect(o.rpo.met).toBe(true);
    // Automatic failover is always unplanned: the database loses its lag, up to the guard (0 s here) + 60 s.
    const lossy = objectives({ ...FULL, objectives: { rpoSeconds: 0, rtoMinutes: 60, failures: ['application-fault'] } });
    expect(lossy.rpo).toMatchObject({ met: false, worstSeconds: 60, limitedBy: 'database' });
  });
});

describe('unmet objectives give advice', () => {
  const o = objectives(PAYMENTS);

  it('misses both objectives of the payments estate', () => {
    // worst RTO: 30 × 4 = 120 + 1800 + 270 + 165 (wait-turn) + 600 + (60 + 60) = 3075 s = 51.25 min > 15 min
    expect(o.rto).toMatchObject({ worstSeconds: 3075, worstMinutes: 51.3, met: false });
    // worst RPO: the bucket's 900 s > 5 s; Aurora and DynamoDB 5 s are within 5 s
    expect(o.rpo).toMatchObject({ worstSeconds: 900, met: false, metTypically: false });
    expect(o.met).toBe(false);
  });

  it('names each RTO change with the worst-case time it saves', () => {
    const rtoAdvice = o.advice.filter((a) => a.objective === 'rto');
    expect(rtoAdvice.map((a) => [a.field, a.savesSeconds])).toEqual([
      // people 1800 + GitOps 270 + health checks 120 → probe 300 + trigger evaluation 120 + start 30
      ['spec.failover.mode', 1740],
      // TTL 60 → 30
      ['spec.routing.ttlSeconds', 30],
      // 30 × 4 = 120 → 10 × 4 = 40
      ['spec.routing.healthCheck.intervalSeconds', 80],
      // 30 × 4 = 120 → 30 × 3 = 90
      ['spec.routing.healthCheck.failureThreshold', 30],
      // all: 300 + 120 + 30 + 165 + 600 + 0 + (30 + 60) = 1305 s = 21.75 min, still above 15
      ['spec.objectives.rtoMinutes', undefined],
    ]);
    expect(rtoAdvice.every((a) => a.failure === 'region-loss')).toBe(true);
    expect(rtoAdvice[0]!.change).toContain('the standby region then detects the failure and fails over unplanned');
    expect(rtoAdvice[4]!.change).toContain('worst case is 21.8 min');
    expect(rtoAdvice[4]!.change).toContain('raise objectives.rtoMinutes to 22');
  });

  it('says what automatic mode needs monitoring for, not the retired estate-at-risk trigger', () => {
    const bare = objectives({ ...PAYMENTS, monitoring: undefined });
    const auto = bare.advice.find((a) => a.field === 'spec.failover.mode');
    expect(auto!.change).toContain('add a monitoring section');
    expect(auto!.change).toContain('alert topic');
    expect(auto!.change).not.toContain('estate-at-risk');
  });

  it('advises automatic mode for an application fault, with its computed saving', () => {
    const app = objectives({ ...PAYMENTS, objectives: { rpoSeconds: 900, rtoMinutes: 15, failures: ['application-fault'] } });
    const advice = app.advice.find((a) => a.field === 'spec.failover.mode')!;
    // manual: 120 + 1800 + 270 + 300 + 120 = 2610; automatic: 300 + 120 + 30 + 600 + 0 + 120 = 1170
    expect(advice.savesSeconds).toBe(1440);
  });

  it('saves exactly what re-estimating with the change gives', () => {
    const base = rto(PAYMENTS).worstSeconds;
    expect(base - rto({ ...PAYMENTS, failover: { mode: 'automatic' } }).worstSeconds).toBe(1740);
    expect(base - rto({ ...PAYMENTS, routing: { ...PAYMENTS.routing, ttlSeconds: 30 } }).worstSeconds).toBe(30);
  });

  it('an RTO the changes can reach gets no floor warning', () => {
    const reachable = objectives({ ...PAYMENTS, objectives: { rpoSeconds: 900, rtoMinutes: 47 } });
    expect(reachable.rto.met).toBe(false);
    expect(reachable.advice.map((a) => a.field)).not.toContain('spec.objectives.rtoMinutes');
  });

  it('names the stores that miss the RPO', () => {
    const rpoAdvice = o.advice.filter((a) => a.objective === 'rpo');
    expect(rpoAdvice.map((a) => a.field)).toEqual(['spec.buckets[0]']);
    expect(rpoAdvice[0]!.change).toMatch(/^RPO below 900 s is not guaranteed for S3 objects/);
    const tighter = objectives({ ...PAYMENTS, objectives: { rpoSeconds: 2, rtoMinutes: 60 } });
    const tighterAdvice = tighter.advice.filter((a) => a.objective === 'rpo');
    expect(tighterAdvice.map((a) => a.field)).toEqual([
      'spec.objectives.rpoSeconds',
      'spec.tables[0].consistency',
      'spec.buckets[0]',
    ]);
    // us-east-1 and us-west-2 are in the US MRSC set: strong consistency with the set's third region as witness.
    expect(tighterAdvice[1]!.change).toContain('set consistency: strong, witnessRegion: us-east-2');
    // Regions in two sets (FULL: us-east-1, us-west-2, eu-west-1): no MRSC to offer.
    const mixed = objectives({ ...FULL, objectives: { rpoSeconds: 2, rtoMinutes: 60 } });
    expect(mixed.advice.map((a) => a.change).join(' ')).not.toContain('consistency: strong');
  });

  it('tells a bucket without RTC to turn it on', () => {
    const noRtc = objectives({
      ...PAYMENTS,
      buckets: [{ name: 'documents', replicationTimeControl: false }],
      objectives: { rpoSeconds: 3600, rtoMinutes: 60 },
    });
    // without RTC: planning worst 7200 s > 3600 s
    expect(noRtc.rpo).toMatchObject({ worstSeconds: 7200, met: false, guaranteed: false });
    expect(noRtc.advice).toEqual([
      expect.objectContaining({
        objective: 'rpo',
        failure: 'region-loss',
        field: 'spec.buckets[0].replicationTimeControl',
        change: expect.stringMatching(/^set replicationTimeControl: true on bucket documents/),
      }),
    ]);
  });

  it('points aurora-postgresql at managed RPO', () => {
    const tight = objectives({
      ...PAYMENTS,
      tables: undefined,
      buckets: undefined,
      objectives: { rpoSeconds: 2, rtoMinutes: 60 },
    });
    expect(tight.advice.find((a) => a.objective === 'rpo')?.change).toContain('managed RPO (rds.global_db_rpo');
  });

  it('reports typical and worst separately', () => {
    const o2 = objectives({ ...MINIMAL, objectives: { rpoSeconds: 3, rtoMinutes: 20 } });
    // RPO typical 1 ≤ 3, worst 5 > 3; RTO typical 11.8 min ≤ 20, worst 34.5 min > 20
    expect([o2.rpo.metTypically, o2.rpo.met, o2.rto.metTypically, o2.rto.met]).toEqual([true, false, true, false]);
    expect(o2.advice.map((a) => a.field)).toContain('spec.routing');
  });
});

describe('without objectives', () => {
  it('estimates but does not judge', () => {
    const o = objectives({ ...FULL, objectives: undefined });
    expect(o.met).toBeNull();
    expect(o.rpo.met).toBeNull();
    expect(o.rto.metTypically).toBeNull();
    expect(o.advice).toEqual([]);
    expect(o.rtoMinutes).toBe(21.8);
    expect(o.failures.every((f) => f.verdict === null && !f.objective)).toBe(true);
  });
});

describe('determinism', () => {
  it('gives the same output for the same spec and leaves it untouched', () => {
    const spec = specOf(PAYMENTS);
    const before = JSON.stringify(spec);
    expect(JSON.stringify(estimateObjectives(spec))).toBe(JSON.stringify(estimateObjectives(structuredClone(spec))));
    expect(JSON.stringify(spec)).toBe(before);
  });
});

describe('a planned switchover (drctl drill)', () => {
  it('times git, the Aurora planned switchover and DNS only: no detection, no one paged', () => {
    const full = estimateSwitchover(specOf(FULL));
    expect(full.steps.map((s) => s.id)).toEqual(['argocd-poll', 'argocd-sync', 'crossplane-watch', 'promote-database', 'dns']);
    expect(full.steps.find((s) => s.id === 'promote-database')).toMatchObject({ typicalSeconds: 120, worstSeconds: 300 });
    const typical = full.steps.reduce((n, s) => n + s.typicalSeconds, 0);
    expect(full.typicalMinutes).toBe(Math.round(typical / 6) / 10);
    expect(full.worstMinutes).toBe(failure(FULL, 'planned-switchover').rto.worstMinutes);
    // Far shorter than an unplanned failover of the same estate, which waits for detection and a decision.
    expect(full.worstMinutes).toBeLessThan(objectives(FULL).rtoMinutes);
  });

  it('has no database step without a database', () => {
    expect(estimateSwitchover(specOf(MINIMAL)).steps.map((s) => s.id)).toEqual([
      'argocd-poll',
      'argocd-sync',
      'crossplane-watch',
    ]);
  });
});

describe('DynamoDB multi-Region strong consistency (MRSC)', () => {
  const strong = {
    ...PAYMENTS,
    database: undefined,
    buckets: undefined,
    tables: [{ name: 'transactions', hashKey: { name: 'id' }, consistency: 'strong', witnessRegion: 'us-east-2' }],
    objectives: { rpoSeconds: 0, rtoMinutes: 60 },
  };

  it('loses nothing when the region is lost: RPO 0 is met, with its source', () => {
    const o = objectives(strong);
    expect(o.rpo).toMatchObject({ worstSeconds: 0, met: true, guaranteed: true });
    expect(o.stores[0]!.technology).toContain('MRSC');
    expect(o.stores[0]!.rpo.source).toContain('recovery point objective of zero');
    expect(o.advice).toEqual([]);
  });

  it('is still not RPO 0 with an asynchronous store beside it', () => {
    const o = objectives({ ...strong, buckets: [{ name: 'docs' }] });
    expect(o.rpo).toMatchObject({ met: false, limitedBy: 'bucket docs' });
  });
});

describe('an RPO that rests on a lag AWS does not bound names the stores', () => {
  it('lists every store that loses data with no hard AWS bound on its lag (planning values, S3 RTC 99.9% SLA)', () => {
    const lost = failure(PAYMENTS, 'region-loss');
    expect(lost.rpo.guaranteed).toBe(false);
    expect(lost.rpo.unbounded).toEqual(['database', 'table transactions', 'bucket documents']);
  });

  it('lists none when nothing is lost (application fault, manual lossless switchover)', () => {
    expect(failure(PAYMENTS, 'application-fault').rpo).toMatchObject({ worstSeconds: 0, guaranteed: true, unbounded: [] });
  });

  it('lists none for a strongly consistent (MRSC) table: RPO 0 is documented', () => {
    const mrsc = {
      ...PAYMENTS,
      database: undefined,
      buckets: undefined,
      tables: [{ name: 'ledger', hashKey: { name: 'id', type: 'S' }, consistency: 'strong', witnessRegion: 'us-east-2' }],
    };
    expect(failure(mrsc, 'region-loss').rpo).toMatchObject({ guaranteed: true, unbounded: [] });
  });
});

describe('an EKS standby in the RTO: the scale-up a warm or pilot-light region needs', () => {
  const withCluster = (kubernetes: object) => ({
    ...MINIMAL,
    network: { cidrs: { 'us-east-1': '10.20.0.0/16', 'us-west-2': '10.21.0.0/16' } },
    kubernetes: {
      platformRoleArn: 'arn:aws:iam::123456789012:role/platform',
      nodeGroup: { minSize: 3, maxSize: 6 },
      ...kubernetes,
    },
  });
  const base = rto(MINIMAL);

  it('adds the node scale-up and CoreDNS for a pilot-light standby', () => {
    const o = objectives(withCluster({ standby: 'pilot-light' }));
    const nodes = o.steps.find((s) => s.id === 'eks-nodes')!;
    expect(nodes).toMatchObject({
      typicalSeconds: CLUSTER_SCALE_UP.nodes.typicalSeconds,
      counted: true,
      typicalBasis: 'assumption',
    });
    expect(nodes.label).toMatch(/from 0 to minSize 3/);
    expect(o.steps.find((s) => s.id === 'eks-coredns')).toMatchObject({ worstSeconds: CLUSTER_SCALE_UP.coreDns.worstSeconds });
    // 705 s of the minimal estate + 240 + 60; worst 2070 + 600 + 300
    expect(o.rto.typicalSeconds).toBe(base.typicalSeconds + 300);
    expect(o.rto.worstSeconds).toBe(base.worstSeconds + 900);
  });

  it('adds only the node scale-up for a warm standby, and nothing for a hot one', () => {
    const warm = objectives(withCluster({ standby: 'warm' }));
    expect(warm.steps.find((s) => s.id === 'eks-nodes')!.label).toMatch(/from 1 to minSize 3/);
    expect(warm.steps.some((s) => s.id === 'eks-coredns')).toBe(false);
    expect(warm.rto.typicalSeconds).toBe(base.typicalSeconds + 240);
    const hot = objectives(withCluster({ standby: 'hot' }));
    expect(hot.steps.find((s) => s.id === 'eks-nodes')).toMatchObject({ typicalSeconds: 0, worstSeconds: 0 });
    expect(hot.rto.worstSeconds).toBe(base.worstSeconds);
  });

  describe('automatic failover: the scale-up that counts waits for Crossplane to observe the writer (audit-16 M1)', () => {
    /** FULL (automatic, orchestrator composed) with a pilot-light cluster; the same estate in manual mode. */
    const automatic = (standby: string, failover = { mode: 'automatic' }) => ({
      ...FULL,
      failover,
      kubernetes: {
        platformRoleArn: 'arn:aws:iam::123456789012:role/platform',
        nodeGroup: { minSize: 3, maxSize: 6 },
        standby,
      },
    });
    const ids = (f: { steps: readonly { id: string }[] }) => f.steps.map((s) => s.id);
    const writer = CLUSTER_SCALE_UP.writerObserved;

    it("counts the rds provider's poll of the writer before the node scale-up, with the provider's interval and jitter", () => {
      // provider-upjet-aws --poll 10m ± 5%, then watch hops: 300 + 10 typical, 630 + 60 worst
      expect(PROVIDER_POLL_WORST_SECONDS).toBe(630);
      expect(writer).toMatchObject({ typicalSeconds: 310, worstSeconds: 690, worstBasis: 'configured' });
      const fault = failure(automatic('pilot-light'), 'application-fault');
      const step = fault.steps.find((s) => s.id === 'eks-writer-observed')!;
      expect(step).toMatchObject({ typicalSeconds: 310, worstSeconds: 690, counted: true });
      expect(step.label).toMatch(/reverts the orchestrator's scale-nodes head start/);
      expect(ids(fault).indexOf('eks-writer-observed')).toBe(ids(fault).indexOf('eks-nodes') - 1);
      expect(ids(fault).indexOf('eks-writer-observed')).toBeGreaterThan(ids(fault).indexOf('promote-database'));
    });

    it("adds the lost region's failing observation (one reconcile timeout) when the region is lost", () => {
      const loss = failure(automatic('pilot-light'), 'region-loss');
      const step = loss.steps.find((s) => s.id === 'eks-writer-observed')!;
      expect(step.worstSeconds).toBe(690 + PROVIDER_POLL.reconcileTimeoutSeconds);
      expect(step.label).toContain("us-east-1's own observation fails");
      // the database guard keeps the writer it saw last while the views disagree (audit-16b L2)
      expect(step.source).toContain('while the views disagree drplane keeps the writer it saw last, the old one');
    });

    it('raises the RTO of the automatic path by the poll, and leaves the git paths alone', () => {
      const without = (f: { steps: readonly { objective: string; id: string; counted: boolean; worstSeconds: number }[] }) =>
        f.steps
          .filter((s) => s.objective === 'rto' && s.counted && s.id !== 'eks-writer-observed')
          .reduce((n, s) => n + s.worstSeconds, 0);
      const fault = failure(automatic('pilot-light'), 'application-fault');
      expect(fault.rto.worstSeconds).toBe(without(fault) + 690);
      // planned switchover and a manual failover go through git: the composition sizes activeRegion at once
      expect(ids(failure(automatic('pilot-light'), 'planned-switchover'))).not.toContain('eks-writer-observed');
      expect(ids(failure(automatic('pilot-light', { mode: 'manual' }), 'region-loss'))).not.toContain('eks-writer-observed');
      expect(ids(failure(automatic('pilot-light', { mode: 'manual' }), 'region-loss'))).toContain('eks-nodes');
    });

    it('counts it for a warm standby too, and not for a hot one (nothing to revert)', () => {
      expect(ids(failure(automatic('warm'), 'application-fault'))).toContain('eks-writer-observed');
      expect(ids(failure(automatic('hot'), 'application-fault'))).not.toContain('eks-writer-observed');
    });
  });
});

describe('the advice times the EKS standby mode and leads with it when it meets the RTO (audit-16b L3, audit-16c M1)', () => {
  const eks = {
    version: '1.35',
    nodeGroup: { instanceTypes: ['m7g.large'], minSize: 2, maxSize: 6 },
    standby: 'pilot-light',
    platformRoleArn: 'arn:aws:iam::123456789012:role/platform-admins',
  };
  /** examples/seed-004-financial-transactions.yaml (automatic mode, RTO 22 min) with a pilot-light EKS cluster. */
  const seed004 = (kubernetes: object = eks, rtoMinutes?: number) => {
    const spec = (
      parse(readFileSync(repoPath('examples/seed-004-financial-transactions.yaml'), 'utf8')) as {
        spec: { objectives: object; routing: object };
      }
    ).spec;
    return { ...spec, kubernetes, ...(rtoMinutes ? { objectives: { ...spec.objectives, rtoMinutes } } : {}) };
  };
  const last = (spec: object, f: string) =>
    objectives(spec).advice.filter((a) => a.failure === f && a.field === 'spec.objectives.rtoMinutes');
  const rtoAdviceOf = (spec: object, f: string) =>
    objectives(spec).advice.filter((a) => a.failure === f && a.objective === 'rto');
  const min = (seconds: number) => Math.round(seconds / 6) / 10;

  it('seed-004 + pilot-light EKS: standby hot meets the 22 min asked, so the advice leads with it, timed by the model, and asks no higher RTO', () => {
    for (const f of ['region-loss', 'application-fault']) {
      const before = failure(seed004(), f);
      expect(before.verdict!.rtoMet).toBe(false);
      const worst = before.steps.filter((s) => s.counted).reduce((a, b) => (b.worstSeconds > a.worstSeconds ? b : a));
      expect(worst.id).toBe('eks-writer-observed');
      // the model's figures for the patched claim
      const hot = failure(seed004({ ...eks, standby: 'hot' }), f);
      expect(hot.verdict!.rtoMet).toBe(true);
      const saves = before.rto.worstSeconds - hot.rto.worstSeconds;
      const advice = rtoAdviceOf(seed004(), f);
      expect(advice[0]!.field).toBe('spec.kubernetes.standby');
      expect(advice[0]!.savesSeconds).toBe(saves);
      expect(advice[0]!.change).toMatch(
        /^set kubernetes\.standby: hot: the standby region us-west-2 then runs minSize 2 nodes all the time instead of 0/,
      );
      expect(advice[0]!.change).toContain(
        `(saves ~${min(saves)} min worst case: ${hot.rto.worstMinutes} min worst, meets the 22 min asked)`,
      );
      expect(last(seed004(), f)).toEqual([]);
      expect(advice.map((a) => a.change).join('\n')).not.toContain('every change above');
      // warm keeps 1 node of minSize 2: the writer observation and the scale-up are left, so it does not meet 22 min
      // and is not named
      expect(failure(seed004({ ...eks, standby: 'warm' }), f).verdict!.rtoMet).toBe(false);
      expect(advice.filter((a) => a.change.includes('standby: warm'))).toEqual([]);
    }
    // the figures the audit measured (audit-16c M1)
    expect(failure(seed004({ ...eks, standby: 'hot' }), 'region-loss').rto.worstMinutes).toBe(21.8);
    expect(failure(seed004({ ...eks, standby: 'hot' }), 'application-fault').rto.worstMinutes).toBe(19);
  });

  it('when even a hot standby misses the RTO it is listed with its saving and the advice still says raise rtoMinutes', () => {
    const spec = seed004(eks, 15);
    const hot = failure(seed004({ ...eks, standby: 'hot' }, 15), 'region-loss');
    expect(hot.verdict!.rtoMet).toBe(false);
    const advice = rtoAdviceOf(spec, 'region-loss');
    expect(advice.map((a) => a.field)).toEqual(['spec.kubernetes.standby', 'spec.objectives.rtoMinutes']);
    expect(advice[0]!.change).not.toContain('meets');
    expect(advice[0]!.change).toContain(
      `(saves ~${min(failure(spec, 'region-loss').rto.worstSeconds - hot.rto.worstSeconds)} min worst case)`,
    );
    // the floor is the claim with the standby hot
    expect(advice[1]!.change).toContain(
      `even with every change above the worst case is ${hot.rto.worstMinutes} min (largest step: database: Aurora unplanned failover`,
    );
    expect(advice[1]!.change).toMatch(
      new RegExp(`raise objectives\\.rtoMinutes to ${Math.ceil(hot.rto.worstSeconds / 60)} or accept the risk$`),
    );
  });

  it("the writer observation keeps its lever outside the claim: the rds provider's poll", () => {
    const step = failure(seed004(), 'region-loss').steps.find((s) => s.id === 'eks-writer-observed')!;
    expect(step.lever).toContain("shorten the rds provider's poll");
    expect(step.lever).toContain('--poll flag (default 10m); the bootstrap has no setting for it');
    expect(step.lever).not.toContain('standby');
  });

  it("with minSize 1 a warm standby meets it too: both are named, hot first, with the model's figure", () => {
    const one = { ...eks, nodeGroup: { ...eks.nodeGroup, minSize: 1 } };
    const advice = rtoAdviceOf(seed004(one), 'region-loss');
    expect(advice.map((a) => a.field)).toEqual(['spec.kubernetes.standby', 'spec.kubernetes.standby']);
    expect(advice[0]!.change).toMatch(/^set kubernetes\.standby: hot: /);
    const warm = failure(seed004({ ...one, standby: 'warm' }), 'region-loss');
    expect(warm.verdict!.rtoMet).toBe(true);
    const saves = failure(seed004(one), 'region-loss').rto.worstSeconds - warm.rto.worstSeconds;
    expect(advice[1]!.change).toBe(
      'set kubernetes.standby: warm: the standby region us-west-2 then runs 1 node all the time instead of 0 (billed: drctl cost); ' +
        `that is minSize (1), so a failover has no EKS step left (saves ~${min(saves)} min worst case: ${warm.rto.worstMinutes} min worst, meets the 22 min asked)`,
    );
  });

  it('says "every change above" only when a change is printed above (audit-16c M1)', () => {
    // seed-004 without EKS: its one candidate (failureThreshold 3 → 2) saves nothing on the automatic path
    const { kubernetes: _none, ...plain } = seed004(eks, 15);
    const advice = rtoAdviceOf(plain, 'region-loss');
    expect(advice.map((a) => a.field)).toEqual(['spec.objectives.rtoMinutes']);
    expect(advice[0]!.change).toMatch(/^even with this design the worst case is /);
  });

  it('a change that meets the objective leads, before one that only saves time (a TTL of 60 s)', () => {
    const base = seed004(eks, 23);
    const spec = { ...base, routing: { ...base.routing, ttlSeconds: 60 } };
    const advice = rtoAdviceOf(spec, 'region-loss');
    expect(advice.map((a) => a.field)).toEqual(['spec.kubernetes.standby', 'spec.routing.ttlSeconds']);
    expect(advice[0]!.change).toContain('meets the 23 min asked');
    expect(advice[1]!.change).not.toContain('meets');
  });

  it('a hot standby gets no standby advice', () => {
    const spec = seed004({ ...eks, standby: 'hot' }, 15);
    expect(objectives(spec).advice.map((a) => a.field)).not.toContain('spec.kubernetes.standby');
  });

  it('names no lever when the largest step is not an EKS one (people decide: no orchestrator can be composed)', () => {
    const spec = {
      ...MINIMAL,
      objectives: { rpoSeconds: 60, rtoMinutes: 30 },
      network: { cidrs: { 'us-east-1': '10.20.0.0/16', 'us-west-2': '10.21.0.0/16' } },
      kubernetes: eks,
    };
    const f = failure(spec, 'region-loss');
    expect(f.steps.map((s) => s.id)).toContain('eks-nodes');
    const advice = last(spec, 'region-loss');
    expect(advice).toHaveLength(1);
    expect(advice[0]!.change).toContain('largest step: people notice');
    expect(advice[0]!.change).toMatch(/raise objectives\.rtoMinutes to \d+ or accept the risk$/);
    expect(advice[0]!.change).not.toContain('kubernetes');
  });

  it('the objectives module names no primitive of its own: the lever comes with the step (src/primitives/kubernetes/recovery.ts)', () => {
    const dir = repoPath('src/estimate/objectives');
    for (const file of readdirSync(dir)) expect(readFileSync(`${dir}/${file}`, 'utf8'), file).not.toMatch(/kubernetes/i);
  });
});
