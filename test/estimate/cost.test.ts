/**
 * Cost estimate on hand-computed estates. Constants used below (us-east-1 list prices, prices.ts):
 * 730 h/month = 2,628,000 s; Aurora db.r7g.large $0.276/h, storage
 * $0.10/GB, I/O and replicated write I/O $0.20/M; DynamoDB rWRU $0.625/M, RRU $0.125/M, storage
 * $0.25/GB, PITR $0.20/GB; S3 $0.023/GB, PUT $0.005/1k, GET $0.0004/1k, RTC $0.015/GB;
 * inter-region $0.02/GB; KMS $1/key + $0.03/10k requests; interface endpoint $0.01/AZ-h + $0.01/GB.
 * Default assumptions (assumptions.ts): tables 10 GB, 20 writes/s, 100 reads/s, 1 KB; database
 * 100 GB, 100 write + 300 read I/O/s; bucket 200 GB, 20 GB new/month, 500k PUT, 5M GET;
 * 10M requests, 120 ms; KMS 200k requests/region; endpoints 20 GB/region.
 * eu-west-1 (its own rows, regional-prices.ts): Aurora db.r7g.large $0.305/h, storage $0.11/GB; DynamoDB rWRU
 * $0.7068/M, RRU $0.1415/M, storage $0.283/GB, PITR $0.2264/GB; S3, Lambda, CloudWatch metrics and alarms as us-east-1;
 * interface endpoint $0.011/AZ-h; AWS Backup DynamoDB $0.1132/GB, Aurora snapshots $0.021/GB; Logs ingestion $0.57/GB.
 * Rows eu-west-1 does not list (API Gateway HTTP API, AWS Backup S3, SNS) are us-east-1's × 1.1.
 */
import { describe, expect, it } from 'vitest';
import { planClaim } from '../../src/compose/plan.js';
import { estimateCost } from '../../src/estimate/cost.js';
import { PRICES, PRICE_TABLE_DATE } from '../../src/estimate/prices.js';
import { CORE_PRIMITIVES, FULL, MINIMAL, claimOf, lineOf, linesOf, planOf, specOf, subtotal, usd } from './helpers.js';

const estimate = (spec: object, overrides = {}) => estimateCost(specOf(spec), planOf(spec), overrides);

describe('minimal estate: one table, two regions, no routing (real plan)', () => {
  const e = estimateCost(specOf(MINIMAL), planClaim(claimOf(MINIMAL)));

  it('prices the global table in both regions', () => {
    // rWRU in every replica: 20 writes/s × 2,628,000 s × 1 KB = 52.56M × $0.625 = $32.85
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'replicated writes').monthlyUsd).toBe(32.85);
    expect(lineOf(e, 'us-west-2', 'DynamoDB', 'replicated writes').monthlyUsd).toBe(32.85);
    // Reads only where traffic goes (no routing: the active region): 100 × 2,628,000 × 0.5 RRU = 131.4M × $0.125 = $16.425 → $16.43
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'reads').quantity).toBe(131.4);
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'reads').monthlyUsd).toBe(16.43);
    expect(linesOf(e, 'us-west-2', 'DynamoDB', 'reads')).toEqual([]);
    // Replication out of the active region: 20 × 2,628,000 KB / 1,048,576 KB per GB = 50.125122 GB × $0.02 = $1.0025 → $1.00
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'replication transfer').quantity).toBe(50.125122);
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'replication transfer').monthlyUsd).toBe(1);
  });

  it('adds up per region and in total', () => {
    // us-east-1: 32.85 + 16.43 + 2.50 storage + 2.00 PITR + 1.00 transfer + 1.00 key + 2.00 (its first two rotations)
    //   + 0.60 (20 × $0.03 requests) = 58.38
    expect(e.regions['us-east-1']!.totalUsd).toBe(58.38);
    // us-west-2: 32.85 + 2.50 + 2.00 + 1.00 + 2.00 + 0.60 = 40.95
    expect(e.regions['us-west-2']!.totalUsd).toBe(40.95);
    expect(e.global).toEqual({ totalUsd: 0, components: [] });
    expect(e.totalMonthlyUsd).toBe(99.33);
  });

  it('takes the table shape from the plan', () => {
    expect(lineOf(e, 'us-west-2', 'DynamoDB', 'storage').basis).toBe('plan');
    expect(e.priceTableDate).toBe(PRICE_TABLE_DATE);
  });
});

describe('full three-region estate (plan of the network and data primitives and of the billed resources of the rest)', () => {
  const e = estimate(FULL);

  it('prices Aurora instances, storage, I/O, and bills replicated writes and their transfer to the primary', () => {
    // us-east-1: 2 × 730 h × $0.276 = $402.96; 100 GB × $0.10 = $10; (100 + 300) I/O/s × 2,628,000 = 1,051.2M × $0.20 = $210.24
    expect(lineOf(e, 'us-east-1', 'Aurora', 'db.r7g.large').monthlyUsd).toBe(402.96);
    // replicated writes to each secondary, billed in the primary at its price: 262.8M × $0.20 = 52.56 (eu-west-1 too, not × 1.1)
    expect(lineOf(e, 'us-east-1', 'Aurora', 'global database replicated write I/Os to us-west-2').monthlyUsd).toBe(52.56);
    expect(lineOf(e, 'us-east-1', 'Aurora', 'global database replicated write I/Os to eu-west-1').monthlyUsd).toBe(52.56);
    // replication stream: 262.8M × 4 KB / 1,048,576 = 1,002.502441 GB × $0.02 = 20.05 per secondary
    expect(lineOf(e, 'us-east-1', 'Aurora', 'global database replication transfer to eu-west-1').quantity).toBe(1002.502441);
    // continuous backup: 100 GB × 2% × 7 days = 14 GB beyond the free volume × $0.021 = 0.29
    expect(lineOf(e, 'us-east-1', 'Aurora', 'continuous backup').monthlyUsd).toBe(0.29);
    // 402.96 + 10 + 210.24 + 2 × 52.56 + 2 × 20.05 + 0.29
    expect(subtotal(e, 'us-east-1', 'Aurora')).toBe(768.71);
    // us-west-2: 730 × 0.276 = 201.48 + storage 10, and no replicated-write line of its own
    expect(linesOf(e, 'us-west-2', 'Aurora', 'global database')).toEqual([]);
    expect(subtotal(e, 'us-west-2', 'Aurora')).toBe(211.48);
    // eu-west-1: 730 × 0.305 = 222.65; 100 × 0.11 = 11
    expect(subtotal(e, 'eu-west-1', 'Aurora')).toBe(233.65);
  });

  it('spreads latency-routed traffic over the three regions for DynamoDB', () => {
    // per table, per US region: rWRU 32.85 + reads (131.4M / 3 = 43.8M × 0.125 = 5.475 → 5.48) + storage 2.50 + PITR 2.00
    //   + transfer to each other region (50.125122 GB / 3 = 16.708374 GB × 0.02 = 0.33, twice) = 43.49; two tables = 86.98
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'replication transfer to eu-west-1 (table orders)').quantity).toBe(16.708374);
    expect(subtotal(e, 'us-east-1', 'DynamoDB')).toBe(86.98);
    // sessions expires items (TTL): each delete replicates as a write into every replica but the active one:
    //   20 deletes/s × 2,628,000 s = 52.56M rWRU × $0.625 = 32.85
    expect(lineOf(e, 'us-west-2', 'DynamoDB', 'TTL deletes replicated from us-east-1').monthlyUsd).toBe(32.85);
    expect(linesOf(e, 'us-east-1', 'DynamoDB', 'TTL deletes')).toEqual([]);
    expect(linesOf(e, 'us-west-2', 'DynamoDB', 'TTL deletes replicated from us-east-1, rWRU (table orders')).toEqual([]);
    expect(subtotal(e, 'us-west-2', 'DynamoDB')).toBe(119.83);
    // eu-west-1 per table: 52.56 × 0.7068 = 37.149 → 37.15; 43.8 × 0.1415 = 6.1977 → 6.20; 10 × 0.283 = 2.83; 10 × 0.2264 = 2.26;
    //   2 × 0.33 = 49.10; × 2 + TTL deletes 52.56 × 0.7068 = 37.15
    expect(subtotal(e, 'eu-west-1', 'DynamoDB')).toBe(135.35);
  });

  it('prices S3 storage, requests and replication per rule', () => {
    // us-east-1: 200 × 0.023 = 4.60; PUT 500 × 0.005 = 2.50; GET 5,000 × 0.0004 = 2.00;
    //   per destination: transfer 20 × 0.02 = 0.40, RTC 20 × 0.015 = 0.30, 4 replication metrics × 0.30 = 1.20 → 12.90
    expect(subtotal(e, 'us-east-1', 'S3')).toBe(12.9);
    expect(lineOf(e, 'us-east-1', 'S3', 'Replication Time Control (bucket invoices to eu-west-1)').monthlyUsd).toBe(0.3);
    // destinations: storage + replica PUTs: 4.60 + 2.50 = 7.10 (eu-west-1 lists the same S3 prices);
    //   plus their own two-way rules, idle until a failover: 2 rules × 4 metrics × 0.30 = 2.40
    expect(subtotal(e, 'us-west-2', 'S3')).toBe(9.5);
    expect(subtotal(e, 'eu-west-1', 'S3')).toBe(9.5);
    const idle = lineOf(
      e,
      'us-west-2',
      'S3',
      'replication metrics (bucket invoices from us-west-2 to eu-west-1, idle until a failover)',
    );
    expect(idle).toMatchObject({ quantity: 4, monthlyUsd: 1.2 });
    expect(e.regions['us-west-2']!.components.some((l) => l.item.startsWith('replication transfer (bucket'))).toBe(false);
  });

  it('counts KMS keys and interface endpoint AZs from the plan', () => {
    // keys per region: database 1 + tables 2 + bucket 1 = 4 → $4, each rotating: 2 rotations billed → $8, + $0.60 requests
    expect(lineOf(e, 'eu-west-1', 'KMS', 'customer managed keys').quantity).toBe(4);
    expect(subtotal(e, 'us-east-1', 'KMS')).toBe(12.6);
    // 4 interface endpoints × 3 AZs = 12 endpoint-AZs × 730 h = 8,760 × $0.01 = $87.60 (+ 20 GB × $0.01); gateways at $0
    expect(lineOf(e, 'us-east-1', 'VPC endpoints', 'interface endpoints').quantity).toBe(8760);
    expect(lineOf(e, 'us-east-1', 'VPC endpoints', 'gateway endpoints').monthlyUsd).toBe(0);
    expect(subtotal(e, 'us-east-1', 'VPC endpoints')).toBe(87.8);
    // eu-west-1: 8,760 × $0.011 = 96.36 + 20 GB × $0.01 (the same data price there) = 96.56
    expect(subtotal(e, 'eu-west-1', 'VPC endpoints')).toBe(96.56);
  });

  it('bills the first two rotations of every rotating key, $3 a key-month from two years on (audit item 2)', () => {
    const rotating = planOf(FULL).filter((r) => r.manifest.kind === 'Key' && r.region === 'us-east-1');
    expect(rotating.length).toBe(4);
    const rotation = lineOf(e, 'us-east-1', 'KMS', 'key rotations billed');
    expect(rotation).toMatchObject({ quantity: 8, monthlyUsd: 8 });
    expect(rotation.item).toContain('kms.keyAgeYears');
    // younger keys: none billed in the first year, one in the second; never more than two
    const byAge = (keyAgeYears: number) => subtotal(estimate(FULL, { kms: { keyAgeYears } }), 'us-east-1', 'KMS');
    expect([byAge(0), byAge(1.5), byAge(2), byAge(7)]).toEqual([4.6, 8.6, 12.6, 12.6]);
    expect(e.notes.some((n) => n.startsWith('price of AWS KMS Automatic rotation') && n.includes('unconfirmed'))).toBe(true);
  });

  it("prices the service from the plan's Functions (arm64, src/compose/lambda.ts) and HTTP APIs", () => {
    // requests per region: 10M / 3 + health-check probes 15 × 2,628,000 / 10 s = 3,942,000 → 7.275333M
    const requests = lineOf(e, 'us-west-2', 'Lambda', 'service client + health-check requests');
    expect(requests.quantity).toBe(7.275333);
    expect(requests.basis).toBe('plan');
    // 7.275333M × $0.20 = 1.46; 7,275,333.3 × 0.12 s × 0.5 GB = 436,520 GB-s × $0.0000133334 (arm64) = 5.82; HTTP API 7.275333 × $1 = 7.28
    // (the spec fallback this replaced priced x86_64 at $0.0000166667 = 7.28, an architecture compose never creates)
    expect(lineOf(e, 'us-west-2', 'Lambda', 'service compute').item).toBe('service compute (512 MB, arm64)');
    expect(lineOf(e, 'us-west-2', 'Lambda', 'service compute').quantity).toBe(436520);
    expect(usd(linesOf(e, 'us-west-2', 'Lambda', 'service')) + subtotal(e, 'us-west-2', 'API Gateway')).toBe(14.56);
  });

  it('prices Route 53 and the dashboard globally', () => {
    // 3 health checks of execute-api / lambda-url hostnames, billed as non-AWS endpoints by default with none of the
    // account's free ones: 3 × $0.75 = 2.25; 3 × (HTTPS + fast interval) × $2 = 12.00;
    // queries: min(500 resolvers × 2,628,000 / 30 s = 43.8M, 10M requests) = 10M latency queries × $0.60 = 6.00; dashboard 3.00
    expect(lineOf(e, 'global', 'Route 53', 'health checks').item).toBe('health checks (non-AWS endpoints)');
    expect(lineOf(e, 'global', 'Route 53', 'health checks').quantity).toBe(3);
    expect(lineOf(e, 'global', 'Route 53', 'health checks').monthlyUsd).toBe(2.25);
    expect(lineOf(e, 'global', 'Route 53', 'health-check optional features').quantity).toBe(6);
    expect(lineOf(e, 'global', 'Route 53', 'health-check optional features').monthlyUsd).toBe(12);
    expect(lineOf(e, 'global', 'Route 53', 'DNS queries, latency').quantity).toBe(10);
    expect(e.global.totalUsd).toBe(23.25);
    // overridden to AWS endpoints with 50 free: 3 checks free, features 6 × $1
    expect(estimate(FULL, { routing: { endpointType: 'aws', freeAwsHealthChecks: 50 } }).global.totalUsd).toBe(15);
    expect(estimate(FULL, { routing: { endpointType: 'aws' } }).global.totalUsd).toBe(16.5);
  });

  it('prices AWS Backup: Aurora snapshots at full size outside the window, full copies, full DynamoDB copies, incremental S3', () => {
    // 4 recovery points a day (every 6 h) × 35 days = 140 full table copies: 10 GB × 140 = 1,400 GB × $0.10 = $140 per vault
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'warm storage, table orders').quantity).toBe(1400);
    // eu-west-1: 1,400 GB × $0.1132 = 158.48
    expect(lineOf(e, 'eu-west-1', 'AWS Backup', 'warm storage of copies, table orders').monthlyUsd).toBe(158.48);
    // Aurora, source vault: 4 a day × (35 − 7 days of the cluster's window) = 112 snapshots × 100 GB = 11,200 GB × $0.021 = 235.20
    const snapshots = lineOf(e, 'us-east-1', 'AWS Backup', 'snapshots, Aurora');
    expect(snapshots.item).toBe("snapshots, Aurora: 112 outside the cluster's 7-day window at full volume size (100 GB each)");
    expect(snapshots.monthlyUsd).toBe(235.2);
    // copies: 140 full snapshots × 100 GB = 14,000 GB × $0.021 = 294 (eu-west-1 lists the same $0.021: 294); each copy moves the volume:
    //   4 × 30.416667 days × 100 GB = 12,166.666667 GB × $0.02 = 243.33 per destination
    expect(lineOf(e, 'us-west-2', 'AWS Backup', 'snapshot copies, Aurora').monthlyUsd).toBe(294);
    expect(lineOf(e, 'eu-west-1', 'AWS Backup', 'snapshot copies, Aurora').monthlyUsd).toBe(294);
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'copy transfer to eu-west-1, Aurora').quantity).toBe(12166.666667);
    // S3: objects under 128 KB are billed as 128-KB backups (AWS Backup pricing); the assumed objects are 20 GB in
    //   500,000 PUTs = 41.94304 KB, so 200 × (1 + 0.02 × 35) = 340 GB bill as 340 × 128 / 41.94304 = 1,037.597656 GB
    //   × $0.05 = 51.88 per vault (eu-west-1 × $0.055 = 57.07); the copies move the real 2.43 GB a day's worth
    const bucket = lineOf(e, 'us-east-1', 'AWS Backup', 'warm storage, bucket invoices');
    expect(bucket.quantity).toBe(1037.597656);
    expect(bucket.item).toBe(
      'warm storage, bucket invoices (incremental; objects under 128 KB billed as 128 KB: 41.9 KB average assumed)',
    );
    expect(bucket.monthlyUsd).toBe(51.88);
    // us-east-1: Aurora 235.20 + 2 × 243.33; tables 2 × (140 + 2 × 24.33); bucket 51.88 + 2 × 2.43 = 1,155.92
    expect(subtotal(e, 'us-east-1', 'AWS Backup')).toBe(1155.92);
    // copies: us-west-2 294 + 140 + 140 + 51.88 = 625.88; eu-west-1 294 + 158.48 + 158.48 + 57.07 (S3: no eu-west-1 row, $0.05 × 1.1) = 668.03
    expect(subtotal(e, 'us-west-2', 'AWS Backup')).toBe(625.88);
    expect(subtotal(e, 'eu-west-1', 'AWS Backup')).toBe(668.03);
    expect(e.notes.some((n) => n.includes('140 recovery points'))).toBe(true);
    expect(e.notes.some((n) => n.startsWith("Aurora snapshots in AWS Backup: free while inside the cluster's 7-day"))).toBe(true);
    expect(e.notes).toContain(
      'Aurora snapshot copies are full copies: 4 a day send 400 GB a day to each of us-west-2, eu-west-1 and each is kept whole for 35 days; the global database already keeps a live copy in every region, so a daily schedule would cut the Aurora copy lines 4-fold.',
    );
  });

  it('a longer cluster window leaves fewer snapshots billed in the source vault, and none inside it', () => {
    const longer = estimate({ ...FULL, database: { ...FULL.database, backupRetentionDays: 35 } });
    expect(linesOf(longer, 'us-east-1', 'AWS Backup', 'snapshots, Aurora')).toEqual([]);
    // the copies are full whatever the window
    expect(lineOf(longer, 'us-west-2', 'AWS Backup', 'snapshot copies, Aurora').monthlyUsd).toBe(294);
  });

  it('adds up to the hand-computed totals', () => {
    // The service's compute is arm64 as composed (5.82 a region, not the 7.28 of x86_64 the spec fallback assumed) and the
    // alarms are the plan's MetricAlarms and CompositeAlarms (the spec fallback counted one service alarm a region and one
    // lag alarm per store in each secondary): the plan is what Crossplane creates, so these figures replace 2,147.43,
    // 1,089.81, 1,179.17 and 4,439.66; docs/cost-hand-computation.md prices the real plan and did not move.
    // us-east-1: Aurora 768.71 + DynamoDB 86.98 + S3 12.90 + Lambda/API 14.56 + KMS 12.60 (4 keys, 8 rotation-months, requests) + endpoints 87.80 + Backup 1,155.92
    //   + CloudWatch (15 alarm metrics 1.50 + composite 0.50) 2.00 + SNS 0.00
    //   + Aurora's exported logs 0.5 GB × $0.50 = 0.25, kept a year in RDS's group (no expiry): 0.5 × 365 / 30.4167 = 6 GB-month × $0.03 = 0.18
    //   + lag monitor (6 series × 0.30 = 1.80, runs 0.01, compute 0.15, GetMetricData 3.07, PutMetricData 0.44) 5.47
    //   → 2,147.37
    expect(lineOf(e, 'us-east-1', 'CloudWatch Logs', 'ingestion').item).toBe("ingestion, Aurora's exported logs (0.5 GB each)");
    expect(e.regions['us-east-1']!.totalUsd).toBe(2147.37);
    // us-west-2: 211.48 + 119.83 + 9.50 + 14.56 + 12.60 + 87.80 + 625.88 + (20 alarm metrics × 0.10 + composite 0.50) 2.50
    //   + 0.25 + 0.18 log storage + lag monitor (7 series 2.10 + 0.01 + 0.15 + 3.07 + 0.44) 5.77 = 1,090.35
    expect(e.regions['us-west-2']!.totalUsd).toBe(1090.35);
    // eu-west-1: 233.65 + 135.35 + 9.50 + Lambda/API (1.46 + 5.82 + HTTP API 7.275333 × 1.10 = 8.00) 15.28 + 12.60
    //   + endpoints (8,760 × 0.011 = 96.36 + 0.20) 96.56 + 668.03 + 12 alarm metrics 1.20 + logs (0.5 × 0.57 = 0.285 → 0.29) + 6 GB-month × $0.03 = 0.18
    //   + lag monitor (7 × 0.30 = 2.10 + 0.01 + 0.15 + 3.07 + 0.44) 5.77 = 1,178.41
    expect(e.regions['eu-west-1']!.totalUsd).toBe(1178.41);
    // 2,147.37 + 1,090.35 + 1,178.41 + 23.25 global
    expect(e.totalMonthlyUsd).toBe(4439.38);
    expect(Object.keys(e.regions)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
  });
});

describe('totals', () => {
  const specs = {
    minimal: MINIMAL,
    full: FULL,
    odd: {
      ...FULL,
      regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1', 'ap-south-2'] },
      network: undefined,
    },
  };

  it.each(Object.entries(specs))(
    '%s: every line is quantity × unit price in cents, every total the sum of its lines',
    (_, spec) => {
      const e = estimate(spec, { service: { requestsPerMonth: 7_777_777 }, tables: { default: { avgItemKb: 2.3 } } });
      const groups = [...Object.values(e.regions), e.global];
      for (const g of groups) {
        for (const l of g.components)
          expect(Math.round(l.monthlyUsd * 100)).toBe(Math.round(Number((l.quantity * l.unitUsd * 100).toPrecision(12))));
        expect(g.totalUsd).toBe(usd(g.components));
      }
      expect(Math.round(e.totalMonthlyUsd * 100)).toBe(groups.reduce((c, g) => c + Math.round(g.totalUsd * 100), 0));
    },
  );

  it('flags regions outside the multiplier table', () => {
    const e = estimate(specs.odd);
    expect(e.notes.some((n) => n.startsWith('ap-south-2 is not in the regional price table'))).toBe(true);
    // regional rows × 1.2: DynamoDB storage $0.25 → $0.30
    expect(lineOf(e, 'ap-south-2', 'DynamoDB', 'storage (table orders)').unitUsd).toBe(0.3);
  });
});

describe('assumption overrides', () => {
  const base = estimate(FULL);
  /** Lines (region, component: item) whose quantity or amount differ; both estimates have the same lines in the same order. */
  const changed = (a: ReturnType<typeof estimate>, b: ReturnType<typeof estimate>) =>
    [...Object.keys(a.regions), 'global']
      .flatMap((r) => {
        const [x, y] = r === 'global' ? [a.global, b.global] : [a.regions[r]!, b.regions[r]!];
        expect(y.components.map((l) => l.item)).toEqual(x.components.map((l) => l.item));
        return x.components.map((l, i) => ({ region: r, line: l, other: y.components[i]! }));
      })
      .filter(({ line, other }) => line.monthlyUsd !== other.monthlyUsd || line.quantity !== other.quantity)
      .map(({ region, line }) => ({ region, component: line.component, item: line.item }));

  it('a table size changes only that table’s storage, PITR and backup lines', () => {
    const e = estimate(FULL, { tables: { byName: { orders: { dataGb: 50 } } } });
    const diff = changed(base, e);
    expect(diff.length).toBeGreaterThan(0);
    expect(diff.every((d) => d.item.includes('table orders'))).toBe(true);
    expect(new Set(diff.map((d) => d.component))).toEqual(new Set(['DynamoDB', 'AWS Backup']));
    // 50 GB × $0.25 = 12.50 (was 2.50)
    expect(lineOf(e, 'us-west-2', 'DynamoDB', 'storage (table orders)').monthlyUsd).toBe(12.5);
    expect(lineOf(e, 'us-west-2', 'DynamoDB', 'storage (table sessions)').monthlyUsd).toBe(2.5);
    expect(e.assumptions.tables.byName.orders?.dataGb).toBe(50);
    expect(e.assumptions.tables.default.dataGb).toBe(10);
  });

  it('client requests change the service, HTTP API and DNS query lines only', () => {
    const e = estimate(FULL, { service: { requestsPerMonth: 40_000_000 } });
    const components = new Set(changed(base, e).map((d) => d.component));
    expect([...components].sort()).toEqual(['API Gateway', 'Lambda', 'Route 53']);
    // DNS queries: min(43.8M by resolvers, 40M requests) = 40M × $0.60 = $24
    expect(lineOf(e, 'global', 'Route 53', 'DNS queries').monthlyUsd).toBe(24);
  });

  it('the daily change rate moves incremental S3 backups and Aurora continuous backup only', () => {
    const e = estimate(FULL, { backup: { dailyChangeRate: 0.1 } });
    const diff = changed(base, e).filter((d) => d.component === 'AWS Backup');
    expect(diff.length).toBe(5); // bucket: primary storage, 2 copies' storage, 2 copy transfers
    expect(diff.every((d) => d.item.includes('bucket'))).toBe(true);
    // Aurora's full-size snapshots and copies do not move with it; its continuous backup does: 100 × 0.1 × 7 = 70 GB × $0.021 = 1.47
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'snapshots, Aurora').monthlyUsd).toBe(235.2);
    expect(lineOf(e, 'us-east-1', 'Aurora', 'continuous backup').monthlyUsd).toBe(1.47);
    // bucket: 200 × (1 + 0.1 × 35) = 900 GB, billed as 900 × 128 / 41.94304 = 2,746.58 GB (128-KB minimum) × $0.05 = 137.33
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'warm storage, bucket invoices').monthlyUsd).toBe(137.33);
  });

  it("bills no 128-KB minimum when the bucket's objects are larger (20 GB in 20,000 PUTs a month: 1 MB each)", () => {
    const e = estimate(FULL, { buckets: { default: { putsPerMonth: 20_000 } } });
    const bucket = lineOf(e, 'us-east-1', 'AWS Backup', 'warm storage, bucket invoices');
    // 200 × (1 + 0.02 × 35) = 340 GB × $0.05 = 17
    expect(bucket.item).toBe('warm storage, bucket invoices (incremental)');
    expect(bucket.monthlyUsd).toBe(17);
  });

  it('leaves the defaults untouched', () => {
    estimate(FULL, { database: { dataGb: 1 } });
    expect(estimate(FULL)).toEqual(base);
  });
});

describe('plan over spec', () => {
  it('counts endpoint AZs the plan really has (us-west-1 has two zones even when three are asked)', () => {
    const spec = {
      ...MINIMAL,
      regions: { primary: 'us-east-1', secondaries: ['us-west-1'] },
      network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-1': '10.1.0.0/16' }, availabilityZones: 3 },
    };
    const e = estimate(spec);
    // default endpoints: 4 interface × 3 AZs in us-east-1, × 2 AZs in us-west-1
    expect(lineOf(e, 'us-east-1', 'VPC endpoints', 'interface endpoints').quantity).toBe(12 * 730);
    expect(lineOf(e, 'us-west-1', 'VPC endpoints', 'interface endpoints').quantity).toBe(8 * 730);
  });

  it('uses the plan for health checks, service functions, alarms and dashboards once compose emits them', () => {
    const plan = [
      ...planOf(FULL, CORE_PRIMITIVES, []),
      ...synthetic('XFailoverRouting', 'routing', [
        [
          'route53.aws.upbound.io/v1beta1',
          'HealthCheck',
          undefined,
          { type: 'HTTPS_STR_MATCH', requestInterval: 30, measureLatency: true },
        ],
        ['route53.aws.upbound.io/v1beta1', 'HealthCheck', undefined, { type: 'HTTP', requestInterval: 30 }],
      ]),
      ...synthetic('XRegionalService', 'service', [
        [
          'lambda.aws.upbound.io/v1beta1',
          'Function',
          'us-east-1',
          { region: 'us-east-1', memorySize: 1024, architectures: ['arm64'] },
        ],
      ]),
      ...synthetic('XDRMonitoring', 'monitoring', [
        ['cloudwatch.aws.upbound.io/v1beta1', 'MetricAlarm', 'us-east-1', { period: 10 }],
        ['cloudwatch.aws.upbound.io/v1beta1', 'MetricAlarm', 'us-east-1', { period: 300 }],
        ['cloudwatch.aws.upbound.io/v1beta1', 'Dashboard', 'us-east-1', {}],
      ]),
    ];
    const e = estimateCost(specOf(FULL), plan);
    // 2 health checks; features: HTTPS + string match + latency on the first, none on the second = 3
    expect(lineOf(e, 'global', 'Route 53', 'health checks').item).toBe('health checks (non-AWS endpoints)');
    expect(lineOf(e, 'global', 'Route 53', 'health checks').quantity).toBe(2);
    const free = estimateCost(specOf(FULL), plan, { routing: { endpointType: 'aws', freeAwsHealthChecks: 50 } });
    expect(lineOf(free, 'global', 'Route 53', 'health checks').item).toBe(
      "health checks (AWS endpoints, 2 less 2 of the account's 50 free)",
    );
    expect(lineOf(e, 'global', 'Route 53', 'health-check optional features').quantity).toBe(3);
    expect(lineOf(e, 'global', 'Route 53', 'health checks').basis).toBe('plan');
    // the service runs where the plan puts it, with its memory and architecture
    expect(linesOf(e, 'us-west-2', 'Lambda', 'service')).toEqual([]);
    const compute = lineOf(e, 'us-east-1', 'Lambda', 'service compute');
    expect(compute.item).toBe('service compute (1024 MB, arm64)');
    expect(compute.unitUsd).toBe(PRICES.lambdaComputeArm.usd);
    // one high-resolution and one standard alarm in us-east-1, none estimated elsewhere
    expect(lineOf(e, 'us-east-1', 'CloudWatch', 'high-resolution').quantity).toBe(1);
    expect(lineOf(e, 'us-east-1', 'CloudWatch', 'standard-resolution').quantity).toBe(1);
    expect(linesOf(e, 'us-west-2', 'CloudWatch').filter((l) => l.item.includes('alarm'))).toEqual([]);
    expect(lineOf(e, 'global', 'CloudWatch', 'dashboards').basis).toBe('plan');
    // the lag monitors are not in this plan: the estimate reads only the plan, so none is billed
    expect(linesOf(e, 'us-west-2', 'Lambda', 'lag monitor')).toEqual([]);
    expect(linesOf(estimateCost(specOf(FULL), planOf(FULL)), 'us-west-2', 'Lambda', 'lag monitor runs')).toHaveLength(1);
  });
});

describe('edges', () => {
  it('an estate with no sections costs nothing', () => {
    const e = estimate({ environment: 'dev', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] } });
    expect(e.totalMonthlyUsd).toBe(0);
    expect(Object.values(e.regions).every((g) => g.components.length === 0)).toBe(true);
  });

  it('a schedule it cannot read is priced at one backup a day, and says so', () => {
    const e = estimate({ ...MINIMAL, backup: { schedule: 'cron(0 5 L * ? *)' } });
    expect(e.notes).toContain('backup.schedule cron(0 5 L * ? *) could not be read; priced as one recovery point per day.');
    // 1 a day × 35 days default retention × 10 GB = 350 GB of full table copies
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'warm storage, table items').quantity).toBe(350);
  });
});

describe('the real plan, whatever compose emits today', () => {
  const plan = planClaim(claimOf(FULL));
  const e = estimateCost(specOf(FULL), plan);
  const composes = (kind: string) =>
    plan.some((r) => r.manifest.kind === kind && !r.manifest.apiVersion.startsWith('drplane.io/'));
  const bases = (where: string, component: string, prefix = '') =>
    new Set(linesOf(e, where, component, prefix).map((l) => l.basis));

  it('reads each component from the plan exactly when the plan composes it', () => {
    const service = plan.some((r) => r.manifest.kind === 'XRegionalService');
    expect(bases('us-west-2', 'Lambda')).toEqual(new Set([service ? 'plan' : 'spec']));
    expect(bases('global', 'Route 53', 'health checks')).toEqual(new Set([composes('HealthCheck') ? 'plan' : 'spec']));
    expect(bases('us-east-1', 'CloudWatch', 'composite')).toEqual(new Set([composes('MetricAlarm') ? 'plan' : 'spec']));
    expect(bases('us-east-1', 'DynamoDB')).toEqual(new Set(['plan']));
  });

  it('prices the HTTP API and the health-checked service in every region either way', () => {
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      // 10M / 3 client requests + 3,942,000 probes
      expect(lineOf(e, region, 'API Gateway', 'HTTP API').quantity).toBe(7.275333);
      expect(lineOf(e, region, 'Lambda', 'service client + health-check requests').quantity).toBe(7.275333);
    }
  });

  it('counts every KMS key the plan has', () => {
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const keys = plan.filter((r) => r.manifest.kind === 'Key' && r.region === region).length;
      expect(lineOf(e, region, 'KMS', 'customer managed keys').quantity).toBe(keys);
    }
  });
});

describe('determinism', () => {
  it('gives the same output for the same input, and does not modify it', () => {
    const spec = specOf(FULL);
    const plan = planOf(FULL);
    const before = JSON.stringify({ spec, plan });
    const a = estimateCost(spec, plan);
    const b = estimateCost(structuredClone(spec), structuredClone(plan));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify({ spec, plan })).toBe(before);
  });
});

/** A nested composite of `kind` and managed resources under it, as planClaim lists them. */
function synthetic(kind: string, key: string, resources: [string, string, string | undefined, Record<string, unknown>][]) {
  const composite = {
    key,
    parent: 'XDisasterRecovery',
    manifest: { apiVersion: 'drplane.io/v1alpha1', kind, metadata: {}, spec: {} },
  };
  return [
    composite,
    ...resources.map(([apiVersion, k, region, forProvider], i) => ({
      key: `${key}-${k}-${i}`,
      parent: `XDisasterRecovery/${key}`,
      region,
      manifest: { apiVersion, kind: k, metadata: {}, spec: { forProvider } },
    })),
  ];
}

describe('after a failover', () => {
  it('prices backups where the plan now runs (the active region) and copies to every other region', () => {
    const moved = estimate({ ...FULL, activeRegion: 'us-west-2' });
    const before = estimate(FULL);
    // The source vault moved: us-west-2 now holds what us-east-1 held, and us-east-1 receives copies.
    expect(lineOf(moved, 'us-west-2', 'AWS Backup', 'warm storage, table orders').quantity).toBe(
      lineOf(before, 'us-east-1', 'AWS Backup', 'warm storage, table orders').quantity,
    );
    expect(lineOf(moved, 'us-east-1', 'AWS Backup', 'warm storage of copies, table orders').quantity).toBe(1400);
    expect(lineOf(moved, 'us-west-2', 'AWS Backup', 'copy transfer to us-east-1, Aurora').quantity).toBe(12166.666667);
  });
});

describe('issue 22: lines an auditor checks', () => {
  it('prices transfer per pair: us-east-1 → us-east-2 at $0.01/GB, named as an assumption in the notes', () => {
    const e = estimate({ ...MINIMAL, regions: { primary: 'us-east-1', secondaries: ['us-east-2'] } });
    // 50.125122 GB × $0.01 = 0.50 (was 1.00 at a flat $0.02)
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'replication transfer to us-east-2').unitUsd).toBe(0.01);
    expect(lineOf(e, 'us-east-1', 'DynamoDB', 'replication transfer to us-east-2').monthlyUsd).toBe(0.5);
    expect(e.notes.some((n) => n.startsWith('inter-region transfer us-east-1 → us-east-2 at $0.01/GB is unconfirmed'))).toBe(
      true,
    );
    const tokyo = estimate({ ...MINIMAL, regions: { primary: 'ap-northeast-1', secondaries: ['us-west-2'] } });
    expect(lineOf(tokyo, 'ap-northeast-1', 'DynamoDB', 'replication transfer to us-west-2').unitUsd).toBe(0.09);
  });

  it('does not price DynamoDB copies the plan cannot make (no advanced DynamoDB backup in the source region), and says so', () => {
    const spec = { ...MINIMAL, backup: { schedule: 'cron(0 5 * * ? *)', copyToSecondary: true } };
    const full = planClaim(claimOf(spec));
    const withCopies = estimateCost(specOf(spec), full);
    expect(lineOf(withCopies, 'us-west-2', 'AWS Backup', 'warm storage of copies, table items').quantity).toBe(350);
    const without = full.filter((r) => r.manifest.kind !== 'RegionSettings');
    const e = estimateCost(specOf(spec), without);
    expect(linesOf(e, 'us-west-2', 'AWS Backup')).toEqual([]);
    expect(linesOf(e, 'us-east-1', 'AWS Backup', 'copy transfer')).toEqual([]);
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'warm storage, table items').quantity).toBe(350);
    expect(e.notes).toContain(
      "DynamoDB recovery points cannot be copied from us-east-1 to us-west-2: the plan does not turn on AWS Backup's advanced DynamoDB features in us-east-1 (RegionSettings resourceTypeManagementPreference DynamoDB), so no table copy is priced.",
    );
  });

  it('bills nothing for the external-ID parameters (standard tier), and prices log ingestion from the real plan', () => {
    const plan = planClaim(claimOf(FULL));
    const e = estimateCost(specOf(FULL), plan);
    // one standard-tier SecureString per region, no charge: no line, and no Secrets Manager line any more
    const parameters = plan.filter((r) => r.manifest.kind === 'Parameter');
    expect(parameters.map((r) => (r.manifest.spec as { forProvider: { tier: string } }).forProvider.tier)).toEqual([
      'Standard',
      'Standard',
      'Standard',
    ]);
    const components = [...Object.values(e.regions), e.global].flatMap((g) => g.components.map((l) => l.component));
    expect(components.filter((c) => /Secrets Manager|Parameter|SSM/.test(c))).toEqual([]);
    expect(components).toContain('CloudWatch Logs');
    // service logs: 7,275,333 requests × 500 bytes / 1024³ = 3.387841 GB × $0.50 = 1.69
    expect(lineOf(e, 'us-west-2', 'CloudWatch Logs', 'ingestion, service logs').quantity).toBe(3.387841);
  });

  it('says which Aurora storage configuration is cheaper for the assumed I/O', () => {
    const e = estimate(FULL);
    // Standard: instances 402.96 + 201.48 + 222.65, storage 10 + 10 + 11, I/O 210.24, replicated 105.12, transfer 40.10, backup 0.29 = 1,213.84
    // I/O-Optimized: instances × 1.3 (523.85 + 261.92 + 730 × 0.3965 = 289.45), storage 100 × 0.225 (22.50 + 22.50 + no eu-west-1 row: 24.75),
    //   no I/O, 105.12 + 40.10 + 0.29 = 1,290.48
    const note = e.notes.find((n) => n.startsWith('Aurora storage:'))!;
    expect(note).toMatch(
      /^Aurora storage: Aurora Standard \(database.storageType\) costs \$1213.84 a month, Aurora I\/O-Optimized would cost \$1290.48/,
    );
    expect(note).toMatch(/Aurora Standard is cheaper\./);
    // a claim that chooses I/O-Optimized is priced as such (compose sets aurora-iopt1): no I/O line, dearer instances and storage
    const io = estimate({ ...FULL, database: { ...FULL.database, storageType: 'io-optimized' } });
    expect(linesOf(io, 'us-east-1', 'Aurora', 'I/O requests')).toEqual([]);
    // 0.276 × 1.3 = 0.3588/h × 1,460 h = 523.848 → 523.85; 100 GB × $0.225 = 22.50
    expect(lineOf(io, 'us-east-1', 'Aurora', 'db.r7g.large').monthlyUsd).toBe(523.85);
    expect(lineOf(io, 'us-east-1', 'Aurora', 'storage (cluster volume, Aurora I/O-Optimized)').monthlyUsd).toBe(22.5);
    expect(io.notes.find((n) => n.startsWith('Aurora storage:'))).toMatch(
      /^Aurora storage: Aurora I\/O-Optimized \(database.storageType\) costs \$1290.48 a month, Aurora Standard would cost \$1213.84 .*: Aurora Standard is cheaper by \$76.64\./,
    );
    // heavy I/O tips it the other way
    const busy = estimate(FULL, { database: { readIosPerSecond: 3000 } });
    expect(busy.notes.find((n) => n.startsWith('Aurora storage:'))).toMatch(/Aurora I\/O-Optimized is cheaper by \$/);
  });
});

describe('CloudWatch Logs storage', () => {
  const e = estimateCost(specOf(FULL), planClaim(claimOf(FULL)));

  it("keeps each planned group's retention of what it ingests, and a year of Aurora's exported logs (RDS's groups never expire)", () => {
    const service = lineOf(e, 'us-east-1', 'CloudWatch Logs', 'storage, service logs');
    const ingested = lineOf(e, 'us-east-1', 'CloudWatch Logs', 'ingestion, service logs').quantity;
    expect(service.item).toBe('storage, service logs (30-day retention; no compression assumed)');
    expect(service.quantity).toBeCloseTo((ingested * 30) / (730 / 24), 5);
    expect(service.unitUsd).toBe(0.03);
    const aurora = lineOf(e, 'us-east-1', 'CloudWatch Logs', "storage, Aurora's exported logs");
    expect(aurora.item).toContain('never expire: 365 days kept assumed');
    expect(aurora.quantity).toBeCloseTo((0.5 * 365) / (730 / 24), 5);
  });

  it('follows the retention assumption and the compression ratio', () => {
    const kept = estimateCost(specOf(FULL), planClaim(claimOf(FULL)), {
      logs: { unmanagedRetentionDays: 730, storedPerIngestedGb: 0.5 },
    });
    const aurora = lineOf(kept, 'us-east-1', 'CloudWatch Logs', "storage, Aurora's exported logs");
    expect(aurora.quantity).toBeCloseTo((0.5 * 0.5 * 730) / (730 / 24), 5);
    expect(aurora.item).toContain('0.5 GB stored per GB ingested');
  });
});

describe('AWS Backup copies: who bills the transfer, at which pair rate (issue 22)', () => {
  const e = estimateCost(specOf(FULL), planClaim(claimOf(FULL)));

  it('bills Aurora snapshot copies as RDS snapshot copy transfer and table/bucket copies as AWS Backup transfer', () => {
    const aurora = lineOf(e, 'us-east-1', 'AWS Backup', 'copy transfer to eu-west-1, Aurora');
    expect(aurora.priceId).toBe('backupCopyTransferRds');
    expect(aurora.item).toBe('copy transfer to eu-west-1, Aurora (RDS snapshot copy data transfer, us-east-1 → eu-west-1 rate)');
    const table = lineOf(e, 'us-east-1', 'AWS Backup', 'copy transfer to us-west-2, table orders');
    expect(table.priceId).toBe('backupCopyTransferBackup');
    expect(table.item).toContain('AWS Backup cross-Region data transfer');
    expect(lineOf(e, 'us-east-1', 'AWS Backup', 'copy transfer to us-west-2, bucket invoices').priceId).toBe(
      'backupCopyTransferBackup',
    );
    // the copies are kept in the destination vault, billed there at that region's price
    expect(lineOf(e, 'eu-west-1', 'AWS Backup', 'snapshot copies, Aurora').unitUsd).toBe(0.021);
    expect(lineOf(e, 'eu-west-1', 'AWS Backup', 'warm storage of copies, table orders').unitUsd).toBe(0.1132);
  });

  it('prices each copy at its pair: us-east-1 → us-east-2 $0.01/GB, from Asia Pacific $0.09/GB', () => {
    const east = { ...FULL, regions: { primary: 'us-east-1', secondaries: ['us-east-2'] }, network: undefined };
    const e2 = estimateCost(specOf(east), planClaim(claimOf(east)));
    expect(lineOf(e2, 'us-east-1', 'AWS Backup', 'copy transfer to us-east-2, Aurora').unitUsd).toBe(0.01);
    expect(lineOf(e2, 'us-east-1', 'AWS Backup', 'copy transfer to us-east-2, table orders').unitUsd).toBe(0.01);
    const ap = { ...east, regions: { primary: 'ap-southeast-1', secondaries: ['ap-northeast-1'] } };
    const e3 = estimateCost(specOf(ap), planClaim(claimOf(ap)));
    expect(lineOf(e3, 'ap-southeast-1', 'AWS Backup', 'copy transfer to ap-northeast-1, Aurora').unitUsd).toBe(0.09);
    // the notes name what would confirm each row
    expect(e.notes.some((n) => n.startsWith('price of Amazon Aurora Cross-Region snapshot copy data transfer'))).toBe(true);
    expect(e.notes.some((n) => n.startsWith('price of AWS Backup Cross-Region data transfer of copies'))).toBe(true);
  });
});
