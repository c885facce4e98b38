/** Every policy rule on hand-built specs: silent on the valid estate, the right problem on a broken one. */
import { describe, expect, it } from 'vitest';
import { estimateObjectives } from '../../src/estimate/objectives.js';
import { CROSS_FIELD_RULES } from '../../src/api/rules.js';
import { CROSS_FIELD_POLICY_RULES } from '../../src/policy/rules/cross-field.js';
import { databaseRegionsRule, instanceClassRule } from '../../src/primitives/database/rules.js';
import { uniqueBucketsRule, uniqueEmailsRule, uniqueEndpointsRule, uniqueTablesRule } from '../../src/policy/rules/lists.js';
import { POLICY_RULES } from '../../src/policy/rules/index.js';
import { lagThresholdRule, rpoRule, rpoZeroRule, rtoRule } from '../../src/policy/rules/objectives.js';
import {
  alarmRecipientsRule,
  automaticNeedsMonitoringRule,
  automaticScopeRule,
  monitoringMissingRule,
  productionRetentionRule,
  protectsNothingRule,
  reservedTagsRule,
  testNamedProdRule,
} from '../../src/policy/rules/operations.js';
import { secondariesUniqueRule } from '../../src/policy/rules/regions.js';
import {
  COMMON_NAME_MAX,
  apexRecordRule,
  customDomainRule,
  failoverPolicyRegionsRule,
  healthCheckAuthRule,
  recordInZoneRule,
  regionalNameLengthRule,
  routingEndpointRule,
} from '../../src/primitives/routing/rules.js';
import {
  databaseReachableRule,
  publicFunctionUrlRule,
  reservedConcurrencyQuotaRule,
  serviceTableKeyRule,
  vpcEndpointsRule,
  vpcNeedsNetworkRule,
} from '../../src/primitives/service/rules.js';
import { AWS_REGIONS } from '../../src/api/regions.js';
import { FULL, check, spec } from './specs.js';

describe('the rule set', () => {
  it('finds nothing in the valid full estate: its public name answers through custom domains of the HTTP API', () => {
    expect(POLICY_RULES.flatMap((rule) => check(rule, spec()))).toEqual([]);
    // Without routing the failover section has no records to move (failover.orchestrator-needs): both go.
    expect(POLICY_RULES.flatMap((rule) => check(rule, spec({ routing: undefined, failover: undefined })))).toEqual([]);
  });

  it('has unique ids in area.what form and a summary each', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of POLICY_RULES) {
      expect(rule.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(rule.summary.length).toBeGreaterThan(20);
    }
  });

  it('runs every cross-field rule of the API, with the API id, path and message', () => {
    expect(CROSS_FIELD_POLICY_RULES.map((r) => r.id)).toEqual(CROSS_FIELD_RULES.map((r) => r.id));
    for (const id of CROSS_FIELD_RULES.map((r) => r.id)) expect(POLICY_RULES.map((r) => r.id)).toContain(id);
    const zone = CROSS_FIELD_POLICY_RULES.find((r) => r.id === 'routing.zone-required')!;
    const problems = check(zone, spec({ routing: { zoneName: 'example.com', recordName: 'api.example.com' } }));
    const api = CROSS_FIELD_RULES.find((r) => r.id === 'routing.zone-required')!;
    expect(problems).toEqual([{ path: api.path, message: api.message, ruleId: api.id, severity: 'error' }]);
  });
});

describe('regions and lists', () => {
  it('regions.secondaries-unique reports the repeated entry', () => {
    expect(check(secondariesUniqueRule, spec())).toEqual([]);
    const problems = check(
      secondariesUniqueRule,
      spec({ regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'us-west-2'] } }),
    );
    expect(problems.map((p) => p.path)).toEqual(['spec.regions.secondaries[1]']);
    expect(problems[0]!.message).toContain('us-west-2 is listed twice');
  });

  it('duplicate table, bucket, endpoint and email entries are errors on the repeated item', () => {
    const table = { name: 'items', hashKey: { name: 'id' } };
    expect(check(uniqueTablesRule, spec({ tables: [table, table] }))[0]!.path).toBe('spec.tables[1].name');
    expect(check(uniqueBucketsRule, spec({ buckets: [{ name: 'aaa' }, { name: 'bbb' }, { name: 'aaa' }] }))[0]!.path).toBe(
      'spec.buckets[2].name',
    );
    expect(
      check(
        uniqueEndpointsRule,
        spec({ network: { ...FULL.network, endpoints: ['dynamodb', 'secretsmanager', 'dynamodb'] } }),
      )[0]!.path,
    ).toBe('spec.network.endpoints[2]');
    expect(check(uniqueEmailsRule, spec({ monitoring: { alertEmails: ['a@example.com', 'a@example.com'] } }))).toHaveLength(1);
  });
});

describe('database', () => {
  it('database.instance-class refuses burstable and undersized classes and suggests db.r6g.large', () => {
    for (const ok of ['db.r6g.large', 'db.r7g.2xlarge', 'db.r5.24xlarge', 'db.x2g.16xlarge', 'db.r8g.xlarge']) {
      expect(check(instanceClassRule, spec({ database: { ...FULL.database, instanceClass: ok } })), ok).toEqual([]);
    }
    const burstable = check(instanceClassRule, spec({ database: { ...FULL.database, instanceClass: 'db.t4g.medium' } }));
    expect(burstable[0]!.message).toMatch(/db\.t4g\.medium is a burstable class.*db\.r6g\.large/);
    expect(
      check(instanceClassRule, spec({ database: { ...FULL.database, instanceClass: 'db.r6g.medium' } }))[0]!.message,
    ).toContain('smaller than');
    expect(
      check(instanceClassRule, spec({ database: { ...FULL.database, instanceClass: 'db.m5.large' } }))[0]!.message,
    ).toContain('not a class');
  });

  it('database.region-unsupported names the region without Aurora global databases', () => {
    const problems = check(
      databaseRegionsRule,
      spec({
        regions: { primary: 'us-east-1', secondaries: ['ap-southeast-7'] },
        network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'ap-southeast-7': '10.1.0.0/16' }, endpoints: FULL.network!.endpoints },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(['spec.regions.secondaries[0]']);
    expect(problems[0]!.message).toContain('ap-southeast-7');
    expect(
      check(
        databaseRegionsRule,
        spec({ database: undefined, network: undefined, regions: { primary: 'ap-east-2', secondaries: ['us-east-1'] } }),
      ),
    ).toEqual([]);
  });
});

describe('service', () => {
  it('service.vpc-endpoints: a VPC service with tables needs dynamodb, with a database secretsmanager', () => {
    const problems = check(vpcEndpointsRule, spec({ network: { ...FULL.network, endpoints: ['s3'] } }));
    expect(problems.map((p) => p.message.match(/without a (\w+) endpoint/)![1])).toEqual(['dynamodb', 'secretsmanager']);
    expect(problems[0]!.message).toContain('set spec.service.vpc: false');
    expect(problems[0]!.path).toBe('spec.network.endpoints');
  });

  it('service.vpc-endpoints is silent outside the VPC or when nothing is called', () => {
    const noEndpoints = { ...FULL.network, endpoints: [] };
    expect(check(vpcEndpointsRule, spec({ network: noEndpoints, service: { ...FULL.service, vpc: false } }))).toEqual([]);
    expect(check(vpcEndpointsRule, spec({ network: noEndpoints, tables: undefined, database: undefined }))).toEqual([]);
  });

  it('service.vpc-needs-network and service.database-unreachable', () => {
    expect(
      check(vpcNeedsNetworkRule, spec({ network: undefined, database: undefined, service: { vpc: true, httpApi: true } })),
    ).toHaveLength(1);
    expect(check(vpcNeedsNetworkRule, spec({ service: { vpc: true, httpApi: true } }))).toEqual([]);
    const outside = check(databaseReachableRule, spec({ service: { vpc: false, httpApi: true } }));
    expect(outside[0]!.severity).toBe('warning');
  });

  it('service.public-function-url warns about authType NONE only', () => {
    expect(check(publicFunctionUrlRule, spec())).toEqual([]);
    const open = check(publicFunctionUrlRule, spec({ service: { functionUrl: true, authType: 'NONE' } }));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'warning', path: 'spec.service.authType' });
  });

  it('service.table-key refuses a number partition key in the first table, where the service keys its items by string id', () => {
    expect(check(serviceTableKeyRule, spec())).toEqual([]);
    const composite = [{ name: 'orders', hashKey: { name: 'orderId', type: 'S' }, rangeKey: { name: 'createdAt', type: 'N' } }];
    expect(check(serviceTableKeyRule, spec({ tables: composite }))).toEqual([]);
    const numeric = [{ name: 'counters', hashKey: { name: 'counterId', type: 'N' } }];
    const refused = check(serviceTableKeyRule, spec({ tables: numeric }));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ severity: 'error', path: 'spec.tables[0].hashKey.type' });
    expect(refused[0]!.message).toContain('counterId is a number (N)');
    // A table the service does not use may have any key; without a service no table is the service's.
    expect(check(serviceTableKeyRule, spec({ tables: [...composite, ...numeric] }))).toEqual([]);
    expect(check(serviceTableKeyRule, spec({ tables: numeric, service: undefined }))).toEqual([]);
  });

  it('service.reserved-concurrency-quota warns whenever the claim reserves concurrency, with the quota it needs per region', () => {
    expect(check(reservedConcurrencyQuotaRule, spec({ service: { functionUrl: true } }))).toEqual([]);
    const five = check(reservedConcurrencyQuotaRule, spec({ service: { functionUrl: true, reservedConcurrency: 5 } }));
    expect(five).toHaveLength(1);
    expect(five[0]).toMatchObject({ severity: 'warning', path: 'spec.service.reservedConcurrency' });
    expect(five[0]!.message).toContain("the account's concurrency quota must be at least 15 in every one of them");
    expect(five[0]!.message).toContain('an account with a quota below 15 refuses it (new accounts often have 10-50)');
    expect(five[0]!.message).toContain('or remove reservedConcurrency');
    const big = check(reservedConcurrencyQuotaRule, spec({ service: { functionUrl: true, reservedConcurrency: 100 } }));
    expect(big[0]!.message).toContain('at least 110');
    expect(big[0]!.message).toContain('no account with a new-account quota (10-50) can hold it');
  });
});

describe('routing', () => {
  it('routing.record-in-zone accepts the apex and names under it, refuses others with a suggestion', () => {
    const routing = (recordName: string) => spec({ routing: { ...FULL.routing, recordName } });
    expect(check(recordInZoneRule, routing('example.com'))).toEqual([]);
    expect(check(recordInZoneRule, routing('a.b.example.com'))).toEqual([]);
    expect(check(recordInZoneRule, routing('api.notexample.com'))[0]!.message).toContain('such as api.example.com');
    expect(check(recordInZoneRule, routing('api.example.org'))).toHaveLength(1);
  });

  it('routing.needs-endpoint when the service has neither a Function URL nor an HTTP API', () => {
    expect(check(routingEndpointRule, spec({ service: { functionUrl: false, httpApi: false } }))).toHaveLength(1);
    // Left unset, httpApi defaults to true with routing: the defaults always give health checks something to probe.
    expect(check(routingEndpointRule, spec({ service: { functionUrl: false } }))).toEqual([]);
    expect(check(routingEndpointRule, spec({ service: { functionUrl: false, httpApi: true } }))).toEqual([]);
    expect(check(routingEndpointRule, spec({ routing: undefined, service: { functionUrl: false } }))).toEqual([]);
  });

  it('routing.health-check-auth refuses health checks against an AWS_IAM Function URL alone', () => {
    const problems = check(healthCheckAuthRule, spec({ service: { functionUrl: true, httpApi: false } }));
    expect(problems[0]!.message).toMatch(/403.*httpApi: true/);
    // The default (httpApi unset) fronts an AWS_IAM URL with an HTTP API when routing probes it: no problem.
    expect(check(healthCheckAuthRule, spec({ service: { functionUrl: true } }))).toEqual([]);
    expect(check(healthCheckAuthRule, spec({ service: { functionUrl: true, authType: 'NONE' } }))).toEqual([]);
  });

  it('routing.custom-domain warns only when service.httpApi is false: the name is then a CNAME that answers 403', () => {
    const cname = check(customDomainRule, spec({ service: { functionUrl: true, authType: 'NONE', httpApi: false } }));
    expect(cname).toHaveLength(1);
    expect(cname[0]).toMatchObject({
      severity: 'warning',
      path: 'spec.service.httpApi',
      fix: { path: 'spec.service.httpApi', value: true },
    });
    expect(cname[0]!.message).toContain('answers 403 to requests for api.example.com');
    // Unset, httpApi defaults to true with routing (the Function URL alone, authType NONE, was enough before).
    expect(check(customDomainRule, spec({ service: { functionUrl: true, authType: 'NONE' } }))).toEqual([]);
    expect(check(customDomainRule, spec())).toEqual([]);
  });

  it('routing.zone-apex only without an HTTP API: alias records may sit at the apex, a CNAME may not', () => {
    const apex = { ...FULL.routing, recordName: 'example.com' };
    expect(check(apexRecordRule, spec({ routing: apex }))).toEqual([]);
    expect(check(apexRecordRule, spec({ routing: apex, service: { authType: 'NONE', httpApi: false } }))).toHaveLength(1);
  });

  it("routing.record-name-length: recordName is each certificate's Common Name, at most 64 characters (ACM, RFC 5280)", () => {
    // audit-17 M1: 66 characters passed validate and ACM refused the three certificates.
    const label = 'a'.repeat(60);
    const named = (n: number) => `${[label, label, label, label].join('.').slice(0, n - 'example.com'.length - 1)}.example.com`;
    expect(named(65)).toHaveLength(65);
    const problems = check(regionalNameLengthRule, spec({ routing: { ...FULL.routing, recordName: named(65) } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('spec.routing.recordName');
    expect(problems[0]!.severity).toBe('error');
    expect(problems[0]!.message).toContain('has 65 characters');
    expect(problems[0]!.message).toContain('Common Name');
    expect(problems[0]!.message).toContain('at most 64');
    expect(check(regionalNameLengthRule, spec({ routing: { ...FULL.routing, recordName: named(64) } }))).toEqual([]);
    const audit = 'api.payments-settlement-gateway.eu-operations.platform-example.org';
    expect(audit).toHaveLength(66);
    expect(check(regionalNameLengthRule, spec({ routing: { ...FULL.routing, recordName: audit } }))).toHaveLength(1);
    // The regional name <region>.<recordName> of a recordName at the bound fits ACM's Subject Alternative Name (253,
    // botocore acm DomainNameString) in every region a claim may name: no second length bound can bind.
    expect(Math.max(...AWS_REGIONS.map((r) => r.length)) + 1 + COMMON_NAME_MAX).toBeLessThanOrEqual(253);
    // Without an HTTP API there is no certificate.
    expect(
      check(
        regionalNameLengthRule,
        spec({ routing: { ...FULL.routing, recordName: named(240) }, service: { authType: 'NONE', httpApi: false } }),
      ),
    ).toEqual([]);
  });

  it('routing.failover-two-regions warns when failover records face three regions', () => {
    const three = {
      regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] },
      network: undefined,
      database: undefined,
    };
    expect(
      check(failoverPolicyRegionsRule, spec({ ...three, routing: { ...FULL.routing, policy: 'failover' } }))[0]!.severity,
    ).toBe('warning');
    expect(check(failoverPolicyRegionsRule, spec({ ...three, routing: { ...FULL.routing, policy: 'latency' } }))).toEqual([]);
  });
});

describe('objectives', () => {
  it('objectives.rpo-zero: RPO 0 with any replicated data store is an error naming the replication', () => {
    const problems = check(rpoZeroRule, spec({ objectives: { rpoSeconds: 0, rtoMinutes: 60 } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/Aurora global database.*DynamoDB global table/);
    // The value it proposes is the model's worst case, the one objective this estate meets (the bucket's 900 s).
    expect(problems[0]!.message).toContain('rpoSeconds: 900 is what this estate delivers in the worst case');
    const stateless = spec({
      objectives: { rpoSeconds: 0, rtoMinutes: 60 },
      database: undefined,
      tables: undefined,
      buckets: undefined,
      network: undefined,
    });
    expect(check(rpoZeroRule, stateless)).toEqual([]);
  });

  it('objectives.rpo-not-met warns per store whose worst-case lag (the objectives model) exceeds the RPO', () => {
    // 5 s: S3 RTC's planned worst case is 900 s; Aurora's and DynamoDB's 5 s meet it.
    const tight = check(rpoRule, spec({ objectives: { rpoSeconds: 5, rtoMinutes: 60 } }));
    expect(tight.map((p) => [p.severity, p.path])).toEqual([['warning', 'spec.buckets[0]']]);
    expect(tight[0]!.message).toContain('not met for loss of the primary region');
    expect(tight[0]!.message).toContain('up to 900 s of writes in the worst case (bucket docs; 15 s typically)');
    // 2 s: DynamoDB's 5 s planned worst case misses it too.
    const tighter = check(rpoRule, spec({ objectives: { rpoSeconds: 2, rtoMinutes: 60 } }));
    expect(tighter.map((p) => p.message).join('\n')).toContain('DynamoDB global table (table items)');
    expect(check(rpoRule, spec({ objectives: { rpoSeconds: 900, rtoMinutes: 60 } }))).toEqual([]);
    // Without RTC there is no bound: the fix is to turn RTC on.
    const noRtc = spec({ buckets: [{ name: 'docs', replicationTimeControl: false }] });
    expect(check(rpoRule, noRtc).map((p) => p.path)).toEqual(['spec.buckets[0].replicationTimeControl']);
    expect(check(rpoRule, spec({ objectives: { rpoSeconds: 0, rtoMinutes: 60 } })), 'RPO 0 is rpo-zero').toEqual([]);
  });

  it('monitoring.lag-threshold-above-rpo warns when lag can pass the RPO unalarmed', () => {
    expect(check(lagThresholdRule, spec({ objectives: { rpoSeconds: 10, rtoMinutes: 15 } }))[0]!.message).toContain(
      'replicationLagThresholdSeconds: 10',
    );
    expect(check(lagThresholdRule, spec({ objectives: { rpoSeconds: 30, rtoMinutes: 15 } }))).toEqual([]);
  });

  it('objectives.rto-not-met warns when the objectives model misses the RTO in the worst case, with its steps', () => {
    const manual = spec({ failover: { mode: 'manual' }, objectives: { rpoSeconds: 900, rtoMinutes: 10 } });
    const estimate = estimateObjectives(manual);
    const [warning] = check(rtoRule, manual);
    expect(warning).toMatchObject({ severity: 'warning', path: 'spec.objectives.rtoMinutes' });
    // The same numbers drctl objectives prints: the steps add up to the model's worst-case RTO.
    expect(warning!.message).toContain(`= ${estimate.rto.worstMinutes} min (${estimate.typical.rtoMinutes} min typically`);
    expect(warning!.message).toMatch(
      /health-check \d+s \+ human 1800s \+ argocd-poll 180s \+ argocd-sync 30s \+ crossplane-watch 60s \+ wait-turn 165s \+ promote-database 600s \+ dns \d+s/,
    );
    // Automatic mode detects from the standby region, so it is offered for the loss of the primary region too.
    expect(warning!.message).toContain('set failover.mode: automatic');
    expect(warning!.message).toContain('not met for loss of the primary region');
    // For an application fault it is, with its computed saving.
    const appFault = spec({
      failover: { mode: 'manual' },
      objectives: { rpoSeconds: 900, rtoMinutes: 10, failures: ['application-fault'] },
    });
    expect(check(rtoRule, appFault)[0]!.message).toContain('set failover.mode: automatic');
    expect(warning!.message).toMatch(
      new RegExp(
        `or write rtoMinutes: ${Math.ceil(estimate.rto.worstMinutes)} \\(what this estate delivers in the worst case\\)$`,
      ),
    );
    // Met typically but not in the worst case: not met, as drctl objectives says.
    const typical = spec({
      failover: { mode: 'manual' },
      objectives: { rpoSeconds: 900, rtoMinutes: Math.ceil(estimate.typical.rtoMinutes) },
    });
    expect(estimateObjectives(typical).rto.met).toBe(false);
    expect(check(rtoRule, typical)).toHaveLength(1);
    const worst = spec({
      failover: { mode: 'manual' },
      objectives: { rpoSeconds: 900, rtoMinutes: Math.ceil(estimate.rto.worstMinutes) },
    });
    expect(check(rtoRule, worst)).toEqual([]);
  });
});

describe('operations', () => {
  it('estate.protects-nothing warns about a claim of regions only (or empty lists), not about one with any store or a service', () => {
    const none = {
      network: undefined,
      database: undefined,
      tables: undefined,
      buckets: undefined,
      service: undefined,
      routing: undefined,
    };
    const [warning] = check(protectsNothingRule, spec({ ...none, monitoring: undefined, backup: undefined }));
    expect(warning).toMatchObject({ severity: 'warning', path: 'spec', ruleId: 'estate.protects-nothing' });
    expect(warning!.message).toContain('no database, tables, buckets or service');
    expect(warning!.message).toContain('between us-east-1 and us-west-2');
    expect(check(protectsNothingRule, spec({ ...none, tables: [], buckets: [] }))).toHaveLength(1);
    for (const kept of [
      { tables: FULL.tables },
      { buckets: FULL.buckets },
      { database: FULL.database, network: FULL.network },
      { service: { functionUrl: true } },
    ])
      expect(check(protectsNothingRule, spec({ ...none, ...kept })), JSON.stringify(kept)).toEqual([]);
  });

  it('monitoring.no-recipients and monitoring.missing warn about alarms nobody hears', () => {
    expect(check(alarmRecipientsRule, spec({ monitoring: { alertEmails: [] } }))[0]!.severity).toBe('warning');
    expect(check(monitoringMissingRule, spec({ monitoring: undefined }))).toHaveLength(1);
    expect(check(monitoringMissingRule, spec({ monitoring: undefined, profile: 'test', environment: 'dev' }))).toEqual([]);
  });

  it('failover.automatic-scope says automatic failover runs from the standby, unplanned, and is not reverted', () => {
    const [warning] = check(automaticScopeRule, spec({ failover: { mode: 'automatic' } }));
    expect(warning).toMatchObject({ severity: 'warning', path: 'spec.failover.mode' });
    expect(warning!.message).toContain('automatic failover runs in the standby region us-west-2');
    expect(warning!.message).toContain("when us-east-1's /health fails 3 one-minute probes in a row it fails over unplanned");
    expect(warning!.message).toContain('for the loss of us-east-1 and for a service fault alike');
    expect(warning!.message).not.toContain('not the loss of');
    expect(warning!.message).toContain('drctl failover <claim> --to us-west-2');
    // Automatic is always unplanned: allowDataLoss does not change what it says.
    const lossy = check(automaticScopeRule, spec({ failover: { mode: 'automatic', allowDataLoss: true } }));
    expect(lossy[0]!.message).toBe(warning!.message);
    // Serving from the secondary, the primary is the standby.
    const moved = check(automaticScopeRule, spec({ failover: { mode: 'automatic' }, activeRegion: 'us-west-2' }));
    expect(moved[0]!.message).toContain('automatic failover runs in the standby region us-east-1');
    expect(check(automaticScopeRule, spec({ failover: { mode: 'manual' } }))).toEqual([]);
  });

  it('failover.automatic-needs-monitoring is an error without monitoring only', () => {
    expect(
      check(automaticNeedsMonitoringRule, spec({ failover: { mode: 'automatic' }, monitoring: undefined }))[0]!.severity,
    ).toBe('error');
    expect(check(automaticNeedsMonitoringRule, spec({ failover: { mode: 'automatic' } }))).toEqual([]);
  });

  it('failover.automatic-needs-monitoring names what automatic mode needs monitoring for, not the retired alarm trigger', () => {
    const [p] = check(automaticNeedsMonitoringRule, spec({ failover: { mode: 'automatic' }, monitoring: undefined }));
    // The estate-at-risk alarm only notifies; the standby's trigger alarms start the failover and report to the topic.
    for (const text of [p!.message, automaticNeedsMonitoringRule.summary]) {
      expect(text).not.toContain('estate-at-risk');
      expect(text).toContain('alert topic');
    }
  });

  it('backup.production-retention warns below 7 days, for AWS Backup and Aurora', () => {
    const short = check(
      productionRetentionRule,
      spec({ backup: { retentionDays: 3 }, database: { ...FULL.database, backupRetentionDays: 1 } }),
    );
    expect(short.map((p) => p.path)).toEqual(['spec.backup.retentionDays', 'spec.database.backupRetentionDays']);
    expect(check(productionRetentionRule, spec({ profile: 'test', environment: 'dev', backup: { retentionDays: 1 } }))).toEqual(
      [],
    );
  });

  it('profile.test-named-prod warns on a destroyable estate named like production', () => {
    expect(check(testNamedProdRule, spec({ profile: 'test' }))).toHaveLength(1);
    expect(check(testNamedProdRule, spec({ profile: 'test', environment: 'prod-eu' }))).toHaveLength(1);
    expect(check(testNamedProdRule, spec({ profile: 'test', environment: 'product' }))).toEqual([]);
  });

  it('tags.reserved warns that drplane owns Environment (seed 004 hard-coded it)', () => {
    const problems = check(reservedTagsRule, spec({ tags: { Environment: 'production', Team: 'x', 'drplane:claim': 'y' } }));
    expect(problems.map((p) => p.path)).toEqual(['spec.tags.Environment', 'spec.tags.drplane:claim']);
    expect(problems[0]!.message).toContain('"prod"');
  });
});
