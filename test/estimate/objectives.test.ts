/**
 * Recovery objectives on hand-computed estates. Constants (timings.ts), typical / worst seconds:
 * lag Aurora 1 / 5, DynamoDB 2 / 10, S3 with RTC 15 / 900, without 900 / 7200;
 * health checks interval × threshold / interval × (threshold + 1); alarm 120 / 240;
 * orchestrator 5 / 30; people 600 / 1800; GitOps 60 / 240; Aurora failover 120 / 600;
 * DynamoDB, S3, warm service 0; DNS TTL / TTL + 60.
 */
import { describe, expect, it } from 'vitest';
import { estimateObjectives, estimateSwitchover } from '../../src/estimate/objectives.js';
import { FULL, MINIMAL, specOf } from './helpers.js';

const objectives = (spec: object) => estimateObjectives(specOf(spec));
const rto = (spec: object) => objectives(spec).rto;

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

  it('has the DynamoDB lag as RPO', () => {
    expect(o.rpoSeconds).toBe(10);
    expect(o.typical.rpoSeconds).toBe(2);
    expect(o.rpo).toMatchObject({ limitedBy: 'table items', guaranteed: false, objectiveSeconds: 60, met: true });
  });

  it('adds people and GitOps, with nothing to promote and no DNS', () => {
    // typical 600 + 60 + 0 + 0 = 660 s = 11 min; worst 1800 + 240 = 2040 s = 34 min
    expect(o.rto).toMatchObject({
      typicalSeconds: 660,
      worstSeconds: 2040,
      typicalMinutes: 11,
      worstMinutes: 34,
      objectiveMinutes: 60,
      met: true,
    });
    expect(o.rtoMinutes).toBe(34);
    expect(o.met).toBe(true);
    expect(o.advice).toEqual([]);
    expect(o.steps.find((s) => s.id === 'dns')).toMatchObject({ counted: false, worstSeconds: 0 });
  });
});

describe('full three-region estate: automatic failover, 10 s × 3 health checks, TTL 30', () => {
  const o = objectives(FULL);

  it('is limited by S3 RTC for RPO', () => {
    expect(o.rpoSeconds).toBe(900);
    expect(o.typical.rpoSeconds).toBe(15);
    expect(o.rpo.limitedBy).toBe('bucket invoices');
    expect(o.stores.map((s) => [s.store, s.rpo.worstSeconds])).toEqual([
      ['database', 5],
      ['table orders', 10],
      ['table sessions', 10],
      ['bucket invoices', 900],
    ]);
  });

  it('adds detection, alarm, orchestrator, Aurora failover and DNS for RTO', () => {
    // typical 30 + 120 + 5 + 120 + 0 + 30 = 305 s = 5.1 min; worst 40 + 240 + 30 + 600 + 0 + 90 = 1000 s = 16.7 min
    expect(o.rto).toMatchObject({ typicalSeconds: 305, worstSeconds: 1000, typicalMinutes: 5.1, worstMinutes: 16.7 });
    expect(o.steps.filter((s) => s.objective === 'rto' && s.counted).map((s) => s.id)).toEqual([
      'health-check',
      'alarm',
      'orchestrator',
      'promote-database',
      'service',
      'dns',
    ]);
  });

  it('meets 900 s / 30 min', () => {
    expect(o.met).toBe(true);
    expect(o.rpo.met).toBe(true);
    expect(o.rto.met).toBe(true);
    expect(o.advice).toEqual([]);
  });

  it('explains itself: counted steps sum to the estimate, every step has a source', () => {
    const counted = o.steps.filter((s) => s.objective === 'rto' && s.counted);
    expect(counted.reduce((n, s) => n + s.worstSeconds, 0)).toBe(o.rto.worstSeconds);
    expect(counted.reduce((n, s) => n + s.typicalSeconds, 0)).toBe(o.rto.typicalSeconds);
    expect(o.steps.filter((s) => s.objective === 'rpo' && s.counted).map((s) => s.worstSeconds)).toEqual([o.rpoSeconds]);
    for (const s of o.steps) expect(s.source.length, s.id).toBeGreaterThan(20);
  });
});

describe('what moves RTO', () => {
  it('manual failover adds people and GitOps instead of the alarm and the orchestrator', () => {
    const manual = rto({ ...FULL, failover: { mode: 'manual' } });
    // worst: (1800 + 240) − (240 + 30) = 1770 s; typical: (600 + 60) − (120 + 5) = 535 s
    expect(manual.worstSeconds - rto(FULL).worstSeconds).toBe(1770);
    expect(manual.typicalSeconds - rto(FULL).typicalSeconds).toBe(535);
  });

  it('automatic failover without monitoring has no alarm to start it, so it counts as manual', () => {
    expect(rto({ ...FULL, monitoring: undefined })).toEqual(rto({ ...FULL, failover: { mode: 'manual' } }));
  });

  it('TTL moves typical and worst by the difference', () => {
    const longer = rto({ ...FULL, routing: { ...FULL.routing, ttlSeconds: 120 } });
    expect(longer.typicalSeconds - rto(FULL).typicalSeconds).toBe(90);
    expect(longer.worstSeconds - rto(FULL).worstSeconds).toBe(90);
  });

  it('health-check interval and threshold move detection by interval × threshold', () => {
    const slow = rto({ ...FULL, routing: { ...FULL.routing, healthCheck: { intervalSeconds: 30, failureThreshold: 3 } } });
    // typical 10 × 3 = 30 → 30 × 3 = 90 (+60); worst 10 × 4 = 40 → 30 × 4 = 120 (+80)
    expect(slow.typicalSeconds - rto(FULL).typicalSeconds).toBe(60);
    expect(slow.worstSeconds - rto(FULL).worstSeconds).toBe(80);
    const patient = rto({ ...FULL, routing: { ...FULL.routing, healthCheck: { intervalSeconds: 10, failureThreshold: 5 } } });
    expect(patient.worstSeconds - rto(FULL).worstSeconds).toBe(20);
  });

  it('without a database there is nothing slow to promote', () => {
    // worst 1000 − 600 Aurora failover
    expect(rto({ ...FULL, database: undefined }).worstSeconds).toBe(400);
  });
});

describe('RPO 0', () => {
  it.each([
    ['a table', MINIMAL],
    ['a database', { ...FULL, tables: undefined, buckets: undefined }],
    ['a bucket', { ...FULL, database: undefined, tables: undefined }],
    ['the full estate', FULL],
  ])('is never met with %s, and the advice says why and what to do instead', (_, spec) => {
    const o = objectives({ ...spec, objectives: { rpoSeconds: 0, rtoMinutes: 60 } });
    expect(o.rpo.met).toBe(false);
    expect(o.met).toBe(false);
    const rpoAdvice = o.advice.filter((a) => a.objective === 'rpo');
    expect(rpoAdvice).toHaveLength(1);
    expect(rpoAdvice[0]!.change).toMatch(/^RPO 0 is impossible with asynchronous replication/);
    expect(rpoAdvice[0]!.change).toContain(`worst case is ${o.rpoSeconds} s`);
    expect(rpoAdvice[0]!.change).toContain('planned switchover');
  });
});

describe('unmet objectives give advice', () => {
  const o = objectives(PAYMENTS);

  it('misses both objectives of the payments estate', () => {
    // worst RTO: 30 × 4 = 120 + 1800 + 240 + 600 + (60 + 60) = 2880 s = 48 min > 15 min
    expect(o.rto).toMatchObject({ worstSeconds: 2880, worstMinutes: 48, met: false });
    // worst RPO: the bucket's 900 s > 5 s; DynamoDB 10 s > 5 s; Aurora 5 s is within 5 s
    expect(o.rpo).toMatchObject({ worstSeconds: 900, met: false, metTypically: false });
    expect(o.met).toBe(false);
  });

  it('names each RTO change with the worst-case time it saves', () => {
    const rtoAdvice = o.advice.filter((a) => a.objective === 'rto');
    expect(rtoAdvice.map((a) => [a.field, a.savesSeconds])).toEqual([
      // people 1800 + GitOps 240 → alarm 240 + orchestrator 30
      ['spec.failover.mode', 1770],
      // TTL 60 → 30
      ['spec.routing.ttlSeconds', 30],
      // 30 × 4 = 120 → 10 × 4 = 40
      ['spec.routing.healthCheck.intervalSeconds', 80],
      // 30 × 4 = 120 → 30 × 3 = 90
      ['spec.routing.healthCheck.failureThreshold', 30],
      // all four: 10 × 3 + 240 + 30 + 600 + 0 + (30 + 60) = 990 s = 16.5 min, still above 15
      ['spec.objectives.rtoMinutes', undefined],
    ]);
    expect(rtoAdvice[0]!.change).toBe(
      'set failover.mode: automatic; it covers failures the primary region can still alarm on, not the loss of that region (saves ~29.5 min worst case)',
    );
    expect(rtoAdvice[4]!.change).toContain('worst case is 16.5 min');
    expect(rtoAdvice[4]!.change).toContain('raise objectives.rtoMinutes to 17');
  });

  it('saves exactly what re-estimating with the change gives', () => {
    const base = rto(PAYMENTS).worstSeconds;
    expect(base - rto({ ...PAYMENTS, failover: { mode: 'automatic' } }).worstSeconds).toBe(1770);
    expect(base - rto({ ...PAYMENTS, routing: { ...PAYMENTS.routing, ttlSeconds: 30 } }).worstSeconds).toBe(30);
  });

  it('an RTO the changes can reach gets no floor warning', () => {
    const reachable = objectives({ ...PAYMENTS, objectives: { rpoSeconds: 900, rtoMinutes: 20 } });
    expect(reachable.rto.met).toBe(false);
    expect(reachable.advice.map((a) => a.field)).not.toContain('spec.objectives.rtoMinutes');
  });

  it('names the stores that miss the RPO', () => {
    const rpoAdvice = o.advice.filter((a) => a.objective === 'rpo');
    expect(rpoAdvice.map((a) => a.field)).toEqual(['spec.objectives.rpoSeconds', 'spec.buckets[0]']);
    expect(rpoAdvice[0]!.change).toContain('DynamoDB global table (table transactions)');
    expect(rpoAdvice[1]!.change).toMatch(/^RPO below 900 s is not guaranteed for S3 objects/);
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
    const o2 = objectives({ ...MINIMAL, objectives: { rpoSeconds: 5, rtoMinutes: 20 } });
    // RPO typical 2 ≤ 5, worst 10 > 5; RTO typical 11 min ≤ 20, worst 34 min > 20
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
    expect(o.rtoMinutes).toBe(16.7);
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
    expect(full.steps.map((s) => s.id)).toEqual(['gitops', 'switchover-database', 'dns']);
    const [gitops, database, dns] = full.steps;
    expect(database).toMatchObject({ typicalSeconds: 120, worstSeconds: 300 });
    const typical = gitops!.typicalSeconds + database!.typicalSeconds + dns!.typicalSeconds;
    expect(full.typicalMinutes).toBe(Math.round(typical / 6) / 10);
    // Far shorter than an unplanned failover of the same estate, which waits for detection and a decision.
    expect(full.worstMinutes).toBeLessThan(objectives(FULL).rtoMinutes);
  });

  it('has no database step without a database', () => {
    expect(estimateSwitchover(specOf(MINIMAL)).steps.map((s) => s.id)).toEqual(['gitops', 'dns']);
  });
});
