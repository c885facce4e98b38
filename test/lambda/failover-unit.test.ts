/**
 * Pure parts of the orchestrator: plan computation, record analysis, event and configuration
 * checks, and the timeline.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { loadFailoverConfig } from '../../lambda/failover/config.js';
import { isThrottled, isUnavailable, servedByHealthChecks } from '../../lambda/failover/dns-fallback.js';
import { checkEvent } from '../../lambda/failover/event.js';
import type { ClientFactory, FailoverClients } from '../../lambda/failover/clients.js';
import type { FailoverConfig } from '../../lambda/failover/config.js';
import { IN_USE_CALL_ROOM_MS, IN_USE_RETRY, scaleNodeGroup } from '../../lambda/failover/nodes.js';
import { operationsClients } from '../../lambda/failover/operations.js';
import { NODES_RESERVE_MS, STEP_INVOCATION_MS } from '../../lambda/failover/steps.js';
import { afterRefusal, planDatabase, writerProgress, writerSettled, type ObservedCluster } from '../../lambda/failover/plan.js';
import { databaseChanges, failoverPairs, hostsOf, planDns, regionOfRecord, swapChanges } from '../../lambda/failover/records.js';
import { Timeline } from '../../lambda/failover/timeline.js';

const EAST = 'arn:aws:rds:us-east-1:111122223333:cluster:db-use1';
const WEST = 'arn:aws:rds:us-west-2:111122223333:cluster:db-usw2';
const REGIONS = ['us-east-1', 'us-west-2'];

function cluster(writer: string | undefined, failoverState?: ObservedCluster['failoverState']): ObservedCluster {
  return { status: 'available', members: [EAST, WEST].map((arn) => ({ arn, isWriter: arn === writer })), failoverState };
}

describe('planDatabase', () => {
  it('switches over (planned) or fails over (unplanned) when the target is a reader', () => {
    expect(planDatabase(cluster(EAST), WEST, 'planned')).toEqual({ action: 'switchover', fromArn: EAST, toArn: WEST });
    expect(planDatabase(cluster(EAST), WEST, 'unplanned')).toEqual({ action: 'failover', fromArn: EAST, toArn: WEST });
  });

  it('does nothing when the target already writes', () => {
    expect(planDatabase(cluster(WEST), WEST, 'planned')).toEqual({
      action: 'none',
      reason: 'the target cluster is already the writer',
    });
  });

  it('resumes an operation already running toward the target, matching ARNs case-insensitively', () => {
    const running = cluster(EAST, { status: 'switching-over', fromArn: EAST, toArn: WEST, dataLossAllowed: false });
    expect(planDatabase(running, WEST.toUpperCase(), 'planned')).toMatchObject({ action: 'wait' });
    // Even when the writer flag already flipped but the operation is not finished.
    expect(
      planDatabase(cluster(WEST, { status: 'pending', fromArn: EAST, toArn: WEST, dataLossAllowed: true }), WEST, 'unplanned'),
    ).toMatchObject({ action: 'wait' });
  });

  it('unplanned: a switchover in progress (no data loss allowed) gives way to a failover with data loss', () => {
    // A switchover stuck toward the target, and one toward another member: both are taken over.
    for (const toArn of [WEST, 'arn:aws:rds:eu-west-1:111122223333:cluster:third']) {
      const stuck = cluster(EAST, { status: 'switching-over', fromArn: EAST, toArn, dataLossAllowed: false });
      expect(planDatabase(stuck, WEST, 'unplanned')).toEqual({
        action: 'failover',
        fromArn: EAST,
        toArn: WEST,
        supersedes: `a switchover toward ${toArn} that is switching-over`,
      });
      // Planned runs still wait for it (toward the target) or refuse (toward another member).
      if (toArn === WEST) expect(planDatabase(stuck, WEST, 'planned')).toMatchObject({ action: 'wait' });
      else expect(() => planDatabase(stuck, WEST, 'planned')).toThrow('is in progress');
    }
    // A failover already running is never superseded.
    const failing = cluster(EAST, { status: 'failing-over', fromArn: EAST, toArn: WEST, dataLossAllowed: true });
    expect(planDatabase(failing, WEST, 'unplanned')).toMatchObject({ action: 'wait' });
  });

  it('unplanned: a switchover being cancelled gives way to a failover too (RDS may refuse it: afterRefusal)', () => {
    const cancelling = cluster(EAST, { status: 'cancelling', fromArn: EAST, toArn: WEST, dataLossAllowed: false });
    expect(planDatabase(cancelling, WEST, 'unplanned')).toEqual({
      action: 'failover',
      fromArn: EAST,
      toArn: WEST,
      supersedes: `a switchover toward ${WEST} that is cancelling`,
    });
    // A failover being cancelled is not taken over.
    expect(() =>
      planDatabase(cluster(EAST, { status: 'cancelling', fromArn: EAST, toArn: WEST, dataLossAllowed: true }), WEST, 'unplanned'),
    ).toThrow('being cancelled');
  });

  it('refuses while an operation toward another cluster runs, while one is cancelled, and for non-members', () => {
    expect(() =>
      planDatabase(cluster(WEST, { status: 'failing-over', fromArn: WEST, toArn: EAST, dataLossAllowed: true }), WEST, 'planned'),
    ).toThrow(`toward ${EAST} is in progress`);
    expect(() =>
      planDatabase(cluster(EAST, { status: 'cancelling', fromArn: EAST, toArn: WEST, dataLossAllowed: false }), WEST, 'planned'),
    ).toThrow('being cancelled');
    expect(() => planDatabase(cluster(EAST), 'arn:aws:rds:eu-west-1:111122223333:cluster:other', 'planned')).toThrow(
      'is not a member',
    );
  });

  it('treats a finished FailoverState as settled', () => {
    expect(writerSettled(cluster(WEST), WEST)).toBe(true);
    expect(
      writerSettled(cluster(WEST, { status: 'switching-over', fromArn: EAST, toArn: WEST, dataLossAllowed: false }), WEST),
    ).toBe(false);
    expect(writerSettled(cluster(WEST, { status: undefined, fromArn: EAST, toArn: WEST, dataLossAllowed: true }), WEST)).toBe(
      true,
    );
    expect(writerSettled(cluster(EAST), WEST)).toBe(false);
  });
});

const NAME = 'api.example.com';
const HC = { 'us-east-1': 'hc-east', 'us-west-2': 'hc-west' };

function cname(failover: 'PRIMARY' | 'SECONDARY', setId: string, value: string, healthCheckId?: string): ResourceRecordSet {
  return {
    Name: `${NAME}.`,
    Type: 'CNAME',
    SetIdentifier: setId,
    Failover: failover,
    TTL: 60,
    ResourceRecords: [{ Value: value }],
    ...(healthCheckId ? { HealthCheckId: healthCheckId } : {}),
  };
}

describe('records', () => {
  it("tells a record's region by health check, else by a regional endpoint in its value", () => {
    expect(regionOfRecord(cname('PRIMARY', 'p', 'whatever.example.net', 'hc-west'), REGIONS, HC)).toBe('us-west-2');
    expect(regionOfRecord(cname('PRIMARY', 'p', 'd-1.execute-api.us-east-1.amazonaws.com'), REGIONS, undefined)).toBe(
      'us-east-1',
    );
    expect(
      regionOfRecord(
        {
          Name: NAME,
          Type: 'A',
          AliasTarget: { HostedZoneId: 'Z', DNSName: 'abc.lambda-url.us-west-2.on.aws.', EvaluateTargetHealth: true },
        },
        REGIONS,
        undefined,
      ),
    ).toBe('us-west-2');
    expect(regionOfRecord(cname('PRIMARY', 'p', 'static.example.net'), REGIONS, HC)).toBeUndefined();
    expect(regionOfRecord(cname('PRIMARY', 'p', 'us-east-1.us-west-2.example.net'), REGIONS, undefined)).toBeUndefined();
    // A region name only counts as a whole label: us-east-10 is not us-east-1.
    expect(regionOfRecord(cname('PRIMARY', 'p', 'x.us-east-10.example.net'), REGIONS, undefined)).toBeUndefined();
  });

  it("swaps PRIMARY and SECONDARY contents, keeping set identifiers, with the regions' health checks", () => {
    const pairs = failoverPairs(
      [
        cname('PRIMARY', 'one', 'e.us-east-1.amazonaws.com', 'hc-east'),
        cname('SECONDARY', 'two', 'w.us-west-2.amazonaws.com', 'hc-west'),
      ],
      NAME,
      REGIONS,
      HC,
    );
    expect(pairs.map((p) => [p.type, p.primaryRegion, p.secondaryRegion])).toEqual([['CNAME', 'us-east-1', 'us-west-2']]);
    const { changes, warnings } = swapChanges(pairs, 'us-west-2', HC);
    expect(warnings).toEqual([]);
    expect(changes).toEqual([
      {
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: `${NAME}.`,
          Type: 'CNAME',
          SetIdentifier: 'one',
          Failover: 'PRIMARY',
          ResourceRecords: [{ Value: 'w.us-west-2.amazonaws.com' }],
          TTL: 60,
          HealthCheckId: 'hc-west',
        },
      },
      {
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: `${NAME}.`,
          Type: 'CNAME',
          SetIdentifier: 'two',
          Failover: 'SECONDARY',
          ResourceRecords: [{ Value: 'e.us-east-1.amazonaws.com' }],
          TTL: 60,
          HealthCheckId: 'hc-east',
        },
      },
    ]);
    expect(swapChanges(pairs, 'us-east-1', HC).changes).toEqual([]);
  });

  it('swaps alias records without inventing a TTL, and warns about a PRIMARY without health check', () => {
    const alias = (failover: 'PRIMARY' | 'SECONDARY', region: string): ResourceRecordSet => ({
      Name: NAME,
      Type: 'A',
      SetIdentifier: failover.toLowerCase(),
      Failover: failover,
      AliasTarget: { HostedZoneId: 'Z2', DNSName: `d-x.execute-api.${region}.amazonaws.com`, EvaluateTargetHealth: true },
    });
    const pairs = failoverPairs([alias('PRIMARY', 'us-east-1'), alias('SECONDARY', 'us-west-2')], NAME, REGIONS, undefined);
    const { changes, warnings } = swapChanges(pairs, 'us-west-2', undefined);
    expect(changes[0]?.ResourceRecordSet).toEqual({
      Name: NAME,
      Type: 'A',
      SetIdentifier: 'primary',
      Failover: 'PRIMARY',
      AliasTarget: { HostedZoneId: 'Z2', DNSName: 'd-x.execute-api.us-west-2.amazonaws.com', EvaluateTargetHealth: true },
    });
    expect(warnings).toEqual([]);
    const plain = failoverPairs(
      [cname('PRIMARY', 'p', 'e.us-east-1.amazonaws.com'), cname('SECONDARY', 's', 'w.us-west-2.amazonaws.com')],
      NAME,
      REGIONS,
      undefined,
    );
    expect(swapChanges(plain, 'us-west-2', undefined).warnings).toEqual([
      'the new PRIMARY CNAME record has no health check, so Route 53 can never fail away from it',
    ]);
  });

  it('refuses record sets it cannot fail over', () => {
    expect(() => failoverPairs([], NAME, REGIONS, HC)).toThrow(`no PRIMARY/SECONDARY failover records named ${NAME}`);
    expect(() => failoverPairs([cname('PRIMARY', 'p', 'e.us-east-1.amazonaws.com')], NAME, REGIONS, HC)).toThrow('found 1 and 0');
    expect(() =>
      failoverPairs(
        [cname('PRIMARY', 'p', 'static.example.net'), cname('SECONDARY', 's', 'w.us-west-2.amazonaws.com')],
        NAME,
        REGIONS,
        HC,
      ),
    ).toThrow('cannot tell which region the CNAME PRIMARY record (SetIdentifier p)');
    const three = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const pairs = failoverPairs(
      [cname('PRIMARY', 'p', 'e.us-east-1.amazonaws.com'), cname('SECONDARY', 's', 'w.us-west-2.amazonaws.com')],
      NAME,
      three,
      undefined,
    );
    expect(() => swapChanges(pairs, 'eu-west-1', undefined)).toThrow('eu-west-1 has no record to promote');
  });
});

describe('servedByHealthChecks: when the record swap may be skipped', () => {
  const pair = (pCheck?: string, sCheck?: string) => [
    cname('PRIMARY', 'one', 'e.us-east-1.amazonaws.com', pCheck),
    cname('SECONDARY', 'two', 'w.us-west-2.amazonaws.com', sCheck),
  ];
  it('only when the target is the SECONDARY and both records are health-checked', () => {
    expect(servedByHealthChecks(pair('hc-east', 'hc-west'), NAME, REGIONS, HC, 'us-west-2')).toContain(
      'us-west-2 is the health-checked SECONDARY',
    );
    expect(servedByHealthChecks(pair(undefined, 'hc-west'), NAME, REGIONS, undefined, 'us-west-2')).toBeUndefined();
    // A third region that neither record serves: DNS does not reach it by itself.
    const three = [...REGIONS, 'eu-west-1'];
    expect(servedByHealthChecks(pair('hc-east', 'hc-west'), NAME, three, HC, 'eu-west-1')).toBeUndefined();
    // Records not readable: only the two-region estate with health checks.
    expect(servedByHealthChecks(undefined, NAME, REGIONS, HC, 'us-west-2')).toContain('two-region estate');
    expect(servedByHealthChecks(undefined, NAME, REGIONS, undefined, 'us-west-2')).toBeUndefined();
    expect(servedByHealthChecks(undefined, NAME, three, { ...HC, 'eu-west-1': 'hc-eu' }, 'us-west-2')).toBeUndefined();
  });
  // Audit N1: three regions or latency records, Route 53's API lost (us-east-1), after the promotion.
  const THREE = [...REGIONS, 'eu-west-1'];
  const HC3 = { ...HC, 'eu-west-1': 'hc-eu' };
  it('records not readable, latency routing composed with a health check per region: served, nothing to move', () => {
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-west-2', { policy: 'latency' })).toContain(
      'routes by latency with a health check on every region',
    );
    expect(servedByHealthChecks(undefined, NAME, REGIONS, HC, 'us-west-2', { policy: 'latency' })).toContain('latency');
    // A region without a health check: Route 53 keeps sending clients to it while it is down.
    expect(servedByHealthChecks(undefined, NAME, THREE, HC, 'us-west-2', { policy: 'latency' })).toBeUndefined();
    // The policy unknown (an older composition): three regions stay undecided.
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-west-2', {})).toBeUndefined();
  });
  it('routing.control arc: never served without a change, whatever the records or the composition say (audit H3)', () => {
    // The same inputs that are served with health checks alone: a record serves only while its routing control is On.
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-west-2', { policy: 'latency' })).toBeDefined();
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-west-2', { policy: 'latency', control: 'arc' })).toBeUndefined();
    expect(servedByHealthChecks(pair('hc-east', 'hc-west'), NAME, REGIONS, HC, 'us-west-2', { control: 'arc' })).toBeUndefined();
    expect(servedByHealthChecks(undefined, NAME, REGIONS, HC, 'us-west-2', { control: 'arc' })).toBeUndefined();
  });
  it('records not readable, failover routing over three regions: served only when the target is the composed SECONDARY', () => {
    // Composed: PRIMARY → the writer's region, SECONDARY → the estate primary or, while the primary writes, the first secondary.
    const failover = (writerRegion: string) => ({ policy: 'failover' as const, writerRegion });
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-west-2', failover('us-east-1'))).toContain(
      'SECONDARY → us-west-2',
    );
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-east-1', failover('eu-west-1'))).toContain(
      'PRIMARY → eu-west-1',
    );
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'eu-west-1', failover('us-east-1'))).toBeUndefined();
    expect(servedByHealthChecks(undefined, NAME, THREE, HC3, 'us-west-2', { policy: 'failover' })).toBeUndefined();
    expect(servedByHealthChecks(undefined, NAME, THREE, HC, 'us-east-1', failover('eu-west-1'))).toBeUndefined();
  });
  it('latency records read before the promotion: nothing to move, whatever Route 53 does now', () => {
    const latency = THREE.map((r): ResourceRecordSet => ({
      Name: `${NAME}.`,
      Type: 'CNAME',
      SetIdentifier: r,
      Region: r as ResourceRecordSet['Region'],
      TTL: 60,
      ResourceRecords: [{ Value: `x.${r}.amazonaws.com` }],
      HealthCheckId: HC3[r as keyof typeof HC3],
    }));
    expect(servedByHealthChecks(latency, NAME, THREE, HC3, 'us-west-2')).toBe(
      'the records read before the promotion are latency records: nothing to move',
    );
    // The target without a record: the same warning planDns gives, and still nothing a swap could do.
    expect(servedByHealthChecks(latency.slice(0, 2), NAME, THREE, HC3, 'eu-west-1')).toContain(
      'no latency record of api.example.com serves eu-west-1',
    );
  });
  it('treats no answer, 5xx and throttling as unavailable, a refusal as not', () => {
    expect(isUnavailable(new Error('connect ECONNREFUSED'))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('x'), { $fault: 'server', $metadata: { httpStatusCode: 503 } }))).toBe(true);
    // Throttling means Route 53 answers: asked again, never counted as unavailable (botocore route53: both HTTP 400).
    for (const name of ['Throttling', 'ThrottlingException', 'PriorRequestNotComplete']) {
      const throttled = Object.assign(new Error('x'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
      expect(isUnavailable(throttled)).toBe(false);
      expect(isThrottled(throttled)).toBe(true);
    }
    expect(isThrottled(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(
      isUnavailable(
        Object.assign(new Error('x'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
      ),
    ).toBe(false);
  });
});

describe('databaseChanges: writer./reader. follow the target (audit H1)', () => {
  const ENDPOINTS = {
    'us-east-1': { writer: 'db.cluster-x.us-east-1.rds.amazonaws.com', reader: 'db.cluster-ro-x.us-east-1.rds.amazonaws.com' },
    'us-west-2': { writer: 'db.cluster-y.us-west-2.rds.amazonaws.com', reader: 'db.cluster-ro-y.us-west-2.rds.amazonaws.com' },
  };
  const cnameOf = (name: string, value: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'CNAME',
    TTL: 30,
    ResourceRecords: [{ Value: value }],
  });
  const before = [
    cnameOf(`writer.${NAME}`, ENDPOINTS['us-east-1'].writer),
    cnameOf(`reader.${NAME}`, ENDPOINTS['us-east-1'].reader),
  ];
  it('UPSERTs both CNAMEs to the target, keeping their TTL', () => {
    expect(databaseChanges(before, NAME, ENDPOINTS, 'us-west-2')).toEqual({
      changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: `writer.${NAME}.`,
            Type: 'CNAME',
            TTL: 30,
            ResourceRecords: [{ Value: ENDPOINTS['us-west-2'].writer }],
          },
        },
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: `reader.${NAME}.`,
            Type: 'CNAME',
            TTL: 30,
            ResourceRecords: [{ Value: ENDPOINTS['us-west-2'].reader }],
          },
        },
      ],
      warnings: [],
    });
  });
  it('changes nothing already on the target, and creates no record compose did not', () => {
    expect(databaseChanges(before, NAME, ENDPOINTS, 'us-east-1').changes).toEqual([]);
    expect(databaseChanges([], NAME, ENDPOINTS, 'us-west-2')).toEqual({
      changes: [],
      warnings: [
        `no CNAME writer.${NAME} in the hosted zone: it was not moved to us-west-2`,
        `no CNAME reader.${NAME} in the hosted zone: it was not moved to us-west-2`,
      ],
    });
    expect(databaseChanges(before, NAME, undefined, 'us-west-2')).toEqual({ changes: [], warnings: [] });
  });
});

describe('planDns: every routing policy drplane composes', () => {
  const THREE = ['us-east-1', 'us-west-2', 'eu-west-1'];
  const HC3 = { ...HC, 'eu-west-1': 'hc-eu' };
  const HOSTS = hostsOf({
    'us-east-1': 'https://e.us-east-1.amazonaws.com/health',
    'us-west-2': 'https://w.us-west-2.amazonaws.com/health',
    'eu-west-1': 'https://x.eu-west-1.amazonaws.com/health',
  });
  const latency = (region: string, healthCheckId?: string): ResourceRecordSet => ({
    Name: `${NAME}.`,
    Type: 'CNAME',
    SetIdentifier: region,
    Region: region as ResourceRecordSet['Region'],
    TTL: 60,
    ResourceRecords: [{ Value: HOSTS[region] as string }],
    ...(healthCheckId ? { HealthCheckId: healthCheckId } : {}),
  });

  it('latency records: nothing to move, whichever region is the target', () => {
    const records = THREE.map((r) => latency(r, HC3[r as keyof typeof HC3]));
    for (const target of THREE) {
      expect(planDns(records, NAME, THREE, HC3, HOSTS, target)).toEqual({
        changes: [],
        warnings: [],
        reason: `${NAME} uses latency records: every healthy region serves, nothing to move`,
      });
    }
  });

  it('latency records: warns when no record serves the target or a record has no health check', () => {
    const records = [latency('us-east-1', 'hc-east'), latency('us-west-2')];
    expect(planDns(records, NAME, THREE, HC3, HOSTS, 'eu-west-1').warnings).toEqual([
      `no latency record of ${NAME} serves eu-west-1: clients keep reaching the other healthy regions only`,
      `1 latency record(s) of ${NAME} have no health check, so Route 53 keeps sending clients to them when their region is down`,
    ]);
  });

  it('failover records with three regions: a CNAME PRIMARY moves to a target neither record served, with its health check', () => {
    const records = [
      cname('PRIMARY', 'primary', HOSTS['us-east-1'] as string, 'hc-east'),
      cname('SECONDARY', 'secondary', HOSTS['us-west-2'] as string, 'hc-west'),
    ];
    const plan = planDns(records, NAME, THREE, HC3, HOSTS, 'eu-west-1');
    expect(plan.changes.map((c) => c.ResourceRecordSet)).toEqual([
      {
        Name: `${NAME}.`,
        Type: 'CNAME',
        SetIdentifier: 'primary',
        Failover: 'PRIMARY',
        ResourceRecords: [{ Value: 'x.eu-west-1.amazonaws.com' }],
        TTL: 60,
        HealthCheckId: 'hc-eu',
      },
      {
        Name: `${NAME}.`,
        Type: 'CNAME',
        SetIdentifier: 'secondary',
        Failover: 'SECONDARY',
        ResourceRecords: [{ Value: 'e.us-east-1.amazonaws.com' }],
        TTL: 60,
        HealthCheckId: 'hc-east',
      },
    ]);
    expect(planDns(records, NAME, THREE, HC3, HOSTS, 'us-east-1')).toEqual({
      changes: [],
      warnings: [],
      reason: `${NAME} already points at us-east-1`,
    });
  });

  it('no service record (a zone apex) warns instead of blocking the database; mixed policies are refused', () => {
    expect(planDns([], NAME, THREE, HC3, HOSTS, 'us-west-2')).toEqual({
      changes: [],
      warnings: [`no failover or latency records named ${NAME} in the hosted zone: DNS was not moved`],
      reason: `no failover or latency records named ${NAME}`,
    });
    expect(() =>
      planDns(
        [latency('us-east-1', 'hc-east'), cname('PRIMARY', 'p', HOSTS['us-west-2'] as string)],
        NAME,
        THREE,
        HC3,
        HOSTS,
        'us-west-2',
      ),
    ).toThrow(`${NAME} has both failover (1) and latency (1) records; keep one routing policy per name`);
  });
});

describe('checkEvent', () => {
  it('accepts the documented shape and defaults dryRun to false', () => {
    expect(checkEvent({ targetRegion: 'us-west-2', mode: 'planned' }, REGIONS)).toEqual({
      targetRegion: 'us-west-2',
      mode: 'planned',
      dryRun: false,
      ignore: false,
    });
    expect(
      checkEvent(
        { targetRegion: 'us-west-2', mode: 'unplanned', dryRun: true, reason: 'drill', tf: { action: 'update' } },
        REGIONS,
      ),
    ).toMatchObject({
      dryRun: true,
      reason: 'drill',
      ignore: false,
    });
    expect(checkEvent({ targetRegion: 'us-west-2', mode: 'planned', tf: { action: 'delete' } }, REGIONS).ignore).toBe(true);
  });

  it("normalizes a trigger's time to ISO 8601 UTC milliseconds: CloudWatch's +0000 and DescribeAlarms' time agree", () => {
    const at = (time: string) =>
      checkEvent({ targetRegion: 'us-west-2', mode: 'unplanned', trigger: { alarmName: 'a', time } }, REGIONS).trigger?.time;
    // The rule's event (detail.state.timestamp) and the re-driver's (StateTransitionedTimestamp.toISOString()).
    expect(at('2026-12-06T10:01:02.345+0000')).toBe('2026-12-06T10:01:02.345Z');
    expect(at('2026-12-06T10:01:02.345Z')).toBe('2026-12-06T10:01:02.345Z');
    expect(at('2026-12-06T12:01:02.3+02:00')).toBe('2026-12-06T10:01:02.300Z');
    expect(at('2026-12-06T10:01:02Z')).toBe('2026-12-06T10:01:02.000Z');
    expect(() => at('<time>')).toThrow('trigger.time is "<time>"; expected an ISO 8601 time');
    expect(() => at('yesterday')).toThrow('trigger.time is "yesterday"');
  });

  it.each([
    [null, 'must be a JSON object'],
    [{ mode: 'planned' }, 'targetRegion is undefined'],
    [{ targetRegion: 'ap-south-1', mode: 'planned' }, 'ap-south-1 is not a region of this estate'],
    [{ targetRegion: 'us-west-2' }, 'mode is undefined'],
    [{ targetRegion: 'us-west-2', mode: 'planned', dryRun: 'yes' }, 'dryRun must be true or false'],
    [{ targetRegion: 'us-west-2', mode: 'planned', reason: 7 }, 'reason must be a string'],
    [{ targetRegion: 'us-west-2', mode: 'planned', DryRun: true }, 'unknown field(s) "DryRun"'],
  ])('refuses %j', (event, message) => {
    expect(() => checkEvent(event, REGIONS)).toThrow(message);
  });
});

describe('failover configuration', () => {
  const good: Record<string, string | undefined> = {
    AWS_REGION: 'us-east-1',
    DRPLANE_REGIONS: '{"primary":"us-east-1","secondaries":["us-west-2"]}',
    DRPLANE_GLOBAL_CLUSTER_ID: 'gdb',
    DRPLANE_CLUSTER_ARNS: JSON.stringify({ 'us-east-1': EAST, 'us-west-2': WEST }),
    DRPLANE_HOSTED_ZONE_ID: '/hostedzone/Z123',
    DRPLANE_RECORD_NAME: 'API.Example.com.',
    DRPLANE_HEALTH_URLS: JSON.stringify({
      'us-east-1': 'https://a.lambda-url.us-east-1.on.aws/health',
      'us-west-2': 'https://b.lambda-url.us-west-2.on.aws/health',
    }),
    DRPLANE_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:dr',
    DRPLANE_OPERATIONS_ROLE_ARN: 'arn:aws:iam::111122223333:role/dr-operations',
    DRPLANE_ESTATE: 'e0c0ffee',
    DRPLANE_EXTERNAL_ID_PARAMETER: '/drplane/prod/external-id',
  };

  it('reads a valid environment with defaults', () => {
    expect(loadFailoverConfig(good)).toMatchObject({
      allRegions: ['us-east-1', 'us-west-2'],
      hostedZoneId: 'Z123',
      recordName: 'api.example.com',
      healthCheckIds: undefined,
      deadlineSeconds: 600,
      pollSeconds: 15,
      topicRegion: 'us-east-1',
      estate: 'e0c0ffee',
    });
  });

  it.each([
    [{ DRPLANE_REGIONS: undefined }, 'DRPLANE_REGIONS: is not set'],
    [{ DRPLANE_REGIONS: '{"primary":"us-east-1","secondaries":[]}' }, 'DRPLANE_REGIONS: secondaries must be a non-empty array'],
    [
      { DRPLANE_REGIONS: '{"primary":"us-east-1","secondaries":["us-east-1"]}' },
      'DRPLANE_REGIONS: region us-east-1 appears twice',
    ],
    [{ DRPLANE_CLUSTER_ARNS: JSON.stringify({ 'us-east-1': EAST }) }, 'DRPLANE_CLUSTER_ARNS: has no entry for us-west-2'],
    [
      { DRPLANE_CLUSTER_ARNS: JSON.stringify({ 'us-east-1': EAST, 'us-west-2': EAST }) },
      'DRPLANE_CLUSTER_ARNS: entry us-west-2 names a cluster in us-east-1',
    ],
    [
      { DRPLANE_CLUSTER_ARNS: JSON.stringify({ 'us-east-1': 'db-use1', 'us-west-2': WEST }) },
      'DRPLANE_CLUSTER_ARNS: entry us-east-1 is not an Aurora cluster ARN',
    ],
    [
      { DRPLANE_HEALTH_URLS: JSON.stringify({ 'us-east-1': 'http://a.example.com/health', 'us-west-2': 'https://b/health' }) },
      'DRPLANE_HEALTH_URLS: entry us-east-1 must use https://',
    ],
    [{ DRPLANE_HEALTH_CHECK_IDS: '{"us-east-1":"hc"}' }, 'DRPLANE_HEALTH_CHECK_IDS: has no entry for us-west-2'],
    [{ DRPLANE_OPERATIONS_ROLE_ARN: 'dr-operations' }, 'DRPLANE_OPERATIONS_ROLE_ARN: is not an IAM role ARN'],
    [
      { DRPLANE_EXTERNAL_ID_PARAMETER: 'secret value with spaces' },
      'DRPLANE_EXTERNAL_ID_PARAMETER: must be an SSM parameter name',
    ],
    [{ DRPLANE_POLL_SECONDS: '-1' }, 'DRPLANE_POLL_SECONDS: is "-1"; expected a number greater than 0'],
    [{ DRPLANE_ESTATE: undefined }, 'DRPLANE_ESTATE: is not set; expected the estate id'],
    [{ DRPLANE_ESTATE: 'payments-prod' }, 'DRPLANE_ESTATE: is "payments-prod"; expected the estate id (e and 7 hex digits'],
    [{ DRPLANE_ESTATE: 'e0C0FFEE' }, 'DRPLANE_ESTATE: is "e0C0FFEE"; expected the estate id'],
    [{ DRPLANE_TOPIC_ARN: 'arn:aws:sqs:us-east-1:111122223333:q' }, 'DRPLANE_TOPIC_ARN: is not an SNS topic ARN'],
    [
      { DRPLANE_ROUTING_POLICY: 'weighted' },
      'DRPLANE_ROUTING_POLICY: is "weighted"; expected one of failover, latency, or unset',
    ],
  ])('refuses %j', (override, message) => {
    expect(() => loadFailoverConfig({ ...good, ...override })).toThrow(message);
  });

  describe('routing.control arc', () => {
    const rc = (id: string) => `arn:aws:route53-recovery-control::111122223333:controlpanel/p1/routingcontrol/${id}`;
    const arc = {
      DRPLANE_ROUTING_CONTROL: 'arc',
      DRPLANE_ARC_ENDPOINTS: JSON.stringify([
        { endpoint: 'https://host-aaa.us-west-2.example.com/v1', region: 'us-west-2' },
        { endpoint: 'https://host-bbb.eu-west-1.example.com/v1', region: 'eu-west-1' },
      ]),
      DRPLANE_ARC_CONTROLS: JSON.stringify({ 'us-east-1': rc('a'), 'us-west-2': rc('b') }),
    };
    it('reads the cluster endpoints, each region control and the wait period; unset is health-check', () => {
      expect(loadFailoverConfig(good).arc).toBeUndefined();
      expect(loadFailoverConfig({ ...good, DRPLANE_ROUTING_CONTROL: 'health-check' }).arc).toBeUndefined();
      expect(loadFailoverConfig({ ...good, ...arc, DRPLANE_ARC_WAIT_MS: '5000' }).arc).toEqual({
        endpoints: JSON.parse(arc.DRPLANE_ARC_ENDPOINTS),
        controls: { 'us-east-1': rc('a'), 'us-west-2': rc('b') },
        waitPeriodMs: 5000,
      });
    });
    it.each([
      [
        { DRPLANE_ROUTING_CONTROL: 'manual' },
        'DRPLANE_ROUTING_CONTROL: is "manual"; expected one of health-check, arc, or unset',
      ],
      [{ DRPLANE_ARC_ENDPOINTS: undefined }, 'DRPLANE_ARC_ENDPOINTS: is not set'],
      [{ DRPLANE_ARC_ENDPOINTS: '[]' }, 'DRPLANE_ARC_ENDPOINTS: must be a non-empty JSON array'],
      [
        { DRPLANE_ARC_ENDPOINTS: '[{"endpoint":"http://host.example.com/v1","region":"us-west-2"}]' },
        'DRPLANE_ARC_ENDPOINTS: entry 0 (http://host.example.com/v1) must be an https:// URL',
      ],
      [{ DRPLANE_ARC_CONTROLS: JSON.stringify({ 'us-east-1': rc('a') }) }, 'DRPLANE_ARC_CONTROLS: has no entry for us-west-2'],
      [
        { DRPLANE_ARC_CONTROLS: JSON.stringify({ 'us-east-1': rc('a'), 'us-west-2': 'arn:aws:route53:::healthcheck/x' }) },
        'DRPLANE_ARC_CONTROLS: entry us-west-2 is not a routing control ARN',
      ],
      [{ DRPLANE_ARC_WAIT_MS: '0' }, 'DRPLANE_ARC_WAIT_MS: is "0"'],
    ])('refuses %j', (override, message) => {
      expect(() => loadFailoverConfig({ ...good, ...arc, ...override })).toThrow(message);
    });
  });

  describe('EKS node groups (DRPLANE_NODE_GROUPS)', () => {
    const group = (r: string) => ({ cluster: `payments-eks-${r}-e1234567`, nodegroup: `payments-nodes-${r}`, size: 3 });
    const groups = { 'us-east-1': group('us-east-1'), 'us-west-2': group('us-west-2') };
    it("reads every region's node group and serving size; unset means no cluster", () => {
      expect(loadFailoverConfig(good).nodeGroups).toBeUndefined();
      expect(loadFailoverConfig({ ...good, DRPLANE_NODE_GROUPS: JSON.stringify(groups) }).nodeGroups).toEqual(groups);
    });
    it.each([
      [{ 'us-east-1': group('us-east-1') }, 'DRPLANE_NODE_GROUPS: has no entry for us-west-2'],
      [{ ...groups, 'us-west-2': { ...group('us-west-2'), size: 0 } }, 'DRPLANE_NODE_GROUPS: entry us-west-2 needs "size"'],
      [{ ...groups, 'us-west-2': { ...group('us-west-2'), size: 2.5 } }, 'DRPLANE_NODE_GROUPS: entry us-west-2 needs "size"'],
      [
        { ...groups, 'us-east-1': { ...group('us-east-1'), cluster: '-bad' } },
        'DRPLANE_NODE_GROUPS: entry us-east-1 needs "cluster"',
      ],
      [
        { ...groups, 'us-east-1': { ...group('us-east-1'), nodegroup: 'a/b' } },
        'DRPLANE_NODE_GROUPS: entry us-east-1 needs "nodegroup"',
      ],
      [[], 'DRPLANE_NODE_GROUPS: must be a JSON object mapping region to value'],
    ])('refuses %j', (value, message) => {
      expect(() => loadFailoverConfig({ ...good, DRPLANE_NODE_GROUPS: JSON.stringify(value) })).toThrow(message);
    });
  });

  it('accepts plain http only for loopback health URLs', () => {
    const urls = JSON.stringify({ 'us-east-1': 'http://127.0.0.1:8080/a/health', 'us-west-2': 'http://localhost:8080/b/health' });
    expect(loadFailoverConfig({ ...good, DRPLANE_HEALTH_URLS: urls }).healthUrls['us-west-2']).toBe(
      'http://localhost:8080/b/health',
    );
  });
});

describe('Timeline', () => {
  it('records steps in order with outcome and detail, and marks a throwing step failed', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const seen: string[] = [];
    const timeline = new Timeline(
      () => new Date((t += 1000)),
      (s) => seen.push(`${s.step}:${s.outcome}`),
    );
    await timeline.step('a', async (s) => s.detail('did a'));
    await timeline.step('b', async (s) => s.skip('nothing to do'));
    await expect(timeline.step('c', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(timeline.steps).toEqual([
      { step: 'a', startedAt: '2026-01-01T00:00:01.000Z', endedAt: '2026-01-01T00:00:02.000Z', outcome: 'done', detail: 'did a' },
      {
        step: 'b',
        startedAt: '2026-01-01T00:00:03.000Z',
        endedAt: '2026-01-01T00:00:04.000Z',
        outcome: 'skipped',
        detail: 'nothing to do',
      },
      {
        step: 'c',
        startedAt: '2026-01-01T00:00:05.000Z',
        endedAt: '2026-01-01T00:00:06.000Z',
        outcome: 'failed',
        detail: 'boom',
      },
    ]);
    expect(seen).toEqual(['a:done', 'b:skipped', 'c:failed']);
  });
});

describe('writerProgress (wait-for-writer), from the RDS model FailoverState', () => {
  it('settles a failover with data loss once the target writes, even while its FailoverState stays (old primary lost)', () => {
    const lingering = cluster(WEST, { status: 'failing-over', fromArn: EAST, toArn: WEST, dataLossAllowed: true });
    expect(writerProgress(lingering, WEST)).toMatchObject({ state: 'settled' });
    // A re-run finds nothing to do.
    expect(planDatabase(lingering, WEST, 'unplanned')).toEqual({
      action: 'none',
      reason: 'the target cluster is already the writer',
    });
    // Before the target writes, it waits.
    expect(
      writerProgress(cluster(EAST, { status: 'failing-over', fromArn: EAST, toArn: WEST, dataLossAllowed: true }), WEST),
    ).toEqual({
      state: 'waiting',
    });
  });

  it('waits for a switchover to end although the target already writes, and for any status it does not know', () => {
    expect(
      writerProgress(cluster(WEST, { status: 'switching-over', fromArn: EAST, toArn: WEST, dataLossAllowed: false }), WEST),
    ).toEqual({
      state: 'waiting',
    });
    expect(
      writerProgress(cluster(WEST, { status: 'synchronizing', fromArn: EAST, toArn: WEST, dataLossAllowed: false }), WEST),
    ).toEqual({
      state: 'waiting',
    });
    expect(writerProgress(cluster(WEST), WEST)).toMatchObject({ state: 'settled' });
    expect(writerProgress(cluster(EAST), WEST)).toEqual({ state: 'waiting' });
  });

  it('fails at once when the operation is cancelled or moves the writer elsewhere (instead of waiting out the budget)', () => {
    expect(
      writerProgress(cluster(EAST, { status: 'cancelling', fromArn: EAST, toArn: WEST, dataLossAllowed: false }), WEST),
    ).toEqual({
      state: 'failed',
      reason: 'the switchover toward the target is being cancelled',
    });
    expect(
      writerProgress(cluster(WEST, { status: 'failing-over', fromArn: WEST, toArn: EAST, dataLossAllowed: true }), WEST),
    ).toEqual({
      state: 'failed',
      reason: `an operation toward ${EAST} is failing-over`,
    });
  });
});

describe('operations role sessions', () => {
  it('assumes the role once per session name and reuses it only for that session', async () => {
    const assumed: string[] = [];
    const stub = (send: (c: { input: Record<string, unknown> }) => unknown) => ({ send: async (c: never) => send(c) });
    const own = {
      ssm: () => stub(() => ({ Parameter: { Value: 'external-id' } })),
      sts: () =>
        stub((c) => {
          assumed.push(String(c.input.RoleSessionName));
          return {
            Credentials: {
              AccessKeyId: 'a',
              SecretAccessKey: 's',
              SessionToken: 't',
              Expiration: new Date(Date.now() + 3_600_000),
            },
          };
        }),
    } as unknown as FailoverClients;
    const made: string[] = [];
    const factory = ((creds: { sessionToken: string } | undefined) => {
      made.push(creds?.sessionToken ?? 'own');
      return {} as FailoverClients;
    }) as unknown as ClientFactory;
    const cfg = {
      region: 'us-west-2',
      externalIdParameter: '/x',
      operationsRoleArn: 'arn:aws:iam::111122223333:role/ops',
    } as FailoverConfig;
    const ops = operationsClients(own, cfg, factory, () => new Date());
    await ops('drplane-failover-run-1');
    await ops('drplane-failover-run-1');
    await ops('drplane-failover-run-2');
    await ops('drplane-failover-run-1');
    expect(assumed).toEqual(['drplane-failover-run-1', 'drplane-failover-run-2']);
    expect(made).toHaveLength(2);
  });
});

describe('afterRefusal (RDS refused the operation with a state fault)', () => {
  const THIRD = 'arn:aws:rds:eu-west-1:111122223333:cluster:third';
  const three = (writer: string, failoverState?: ObservedCluster['failoverState']): ObservedCluster => ({
    status: failoverState?.status ?? 'available',
    members: [EAST, WEST, THIRD].map((arn) => ({ arn, isWriter: arn === writer })),
    failoverState,
  });

  it('unplanned: asks again while a switchover toward any member is in the way, or while nothing shows yet', () => {
    for (const toArn of [WEST, THIRD]) {
      for (const status of ['pending', 'switching-over', 'cancelling']) {
        const c = three(EAST, { status, fromArn: EAST, toArn, dataLossAllowed: false });
        expect(afterRefusal(c, WEST, 'unplanned')).toEqual({
          next: 'ask-again',
          reason: `a switchover toward ${toArn} that is ${status} is in the way`,
        });
      }
    }
    expect(afterRefusal(three(EAST), WEST, 'unplanned')).toEqual({
      next: 'ask-again',
      reason: 'the global cluster is available, no operation shows',
    });
  });

  it('follows an operation toward the target, or a target that writes, in both modes', () => {
    for (const mode of ['planned', 'unplanned'] as const) {
      expect(afterRefusal(three(WEST), WEST, mode)).toEqual({
        next: 'follow',
        reason: 'the target cluster is already the writer',
      });
      const failing = three(EAST, { status: 'failing-over', fromArn: EAST, toArn: WEST, dataLossAllowed: true });
      expect(afterRefusal(failing, WEST, mode)).toEqual({
        next: 'follow',
        reason: 'a failover to the target is already failing-over',
      });
    }
    // A planned run follows a switchover toward the target (an unplanned one asks again: above).
    const switching = three(EAST, { status: 'switching-over', fromArn: EAST, toArn: WEST, dataLossAllowed: false });
    expect(afterRefusal(switching, WEST, 'planned')).toEqual({
      next: 'follow',
      reason: 'a switchover to the target is already switching-over',
    });
  });

  it('planned with nothing to follow fails; a failover toward another member is a PlanError in both modes', () => {
    expect(afterRefusal(three(EAST), WEST, 'planned')).toEqual({ next: 'fail' });
    const other = three(EAST, { status: 'failing-over', fromArn: EAST, toArn: THIRD, dataLossAllowed: true });
    for (const mode of ['planned', 'unplanned'] as const)
      expect(() => afterRefusal(other, WEST, mode)).toThrow(`toward ${THIRD}`);
  });
});

describe('scale-nodes retries an update in progress within its deadline (audit M5)', () => {
  /** An EKS client stand-in that answers DescribeNodegroup with `desired` and refuses every UpdateNodegroupConfig. */
  const alwaysInUse = (desired: number) => {
    const updates: number[] = [];
    const eks = {
      send: async (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'DescribeNodegroupCommand') {
          return { nodegroup: { scalingConfig: { minSize: 0, maxSize: 6, desiredSize: desired } } };
        }
        updates.push(Date.now());
        throw Object.assign(new Error('Nodegroup is being updated'), { name: 'ResourceInUseException' });
      },
    };
    return { eks: eks as unknown as Parameters<typeof scaleNodeGroup>[0], updates };
  };
  const group = { cluster: 'c', nodegroup: 'ng', size: 3 };

  it('gives up after maxRetries, saying how many', async () => {
    const { eks, updates } = alwaysInUse(0);
    await expect(scaleNodeGroup(eks, group, { deadline: Date.now() + 60_000, firstWaitMs: 5, maxRetries: 4 })).rejects.toThrow(
      /being updated \(still in use after 4 retries\)$/,
    );
    expect(updates).toHaveLength(5);
  });

  it('does not wait past the deadline: no retry when the wait and the calls do not fit', async () => {
    const { eks, updates } = alwaysInUse(0);
    const deadline = Date.now() + IN_USE_CALL_ROOM_MS + IN_USE_RETRY.firstWaitMs - 200;
    await expect(scaleNodeGroup(eks, group, { deadline })).rejects.toThrow(/^Nodegroup is being updated$/);
    expect(updates).toHaveLength(1);
    // The default waits (1+2+4+8 s) and the room left for the calls fit the step's 60 s invocation with its reserve.
    const waits = [0, 1, 2, 3].reduce((sum, i) => sum + IN_USE_RETRY.firstWaitMs * 2 ** i, 0);
    expect(waits + IN_USE_CALL_ROOM_MS + NODES_RESERVE_MS).toBeLessThan(STEP_INVOCATION_MS / 2);
  });
});
