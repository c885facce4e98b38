import { describe, expect, it } from 'vitest';
import { liveView } from '../../src/compose/observed.js';
import { compositeOf } from '../../src/compose/plan.js';
import { ACCOUNT, ID, TWO_REGION_SPEC, byKey, claim, composeLive, observedView, spec, type Observed } from './helpers.js';

const estate = compositeOf(claim(TWO_REGION_SPEC));
const host = (r: string) => `api-${r}.execute-api.${r}.amazonaws.com`;
const children: Record<string, Observed> = {
  service: {
    status: {
      regions: {
        'us-east-1': { endpoint: host('us-east-1'), url: `https://${host('us-east-1')}/` },
        'us-west-2': { endpoint: host('us-west-2') },
      },
    },
  },
  database: {
    status: {
      regions: {
        'us-east-1': {
          endpoint: 'w.use1.rds.amazonaws.com',
          readerEndpoint: 'r.use1.rds.amazonaws.com',
          arn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:a`,
        },
        'us-west-2': {
          endpoint: 'w.usw2.rds.amazonaws.com',
          readerEndpoint: 'r.usw2.rds.amazonaws.com',
          arn: `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:b`,
        },
      },
    },
  },
  routing: { status: { regions: { 'us-east-1': { healthCheckId: 'hc-1' }, 'us-west-2': { healthCheckId: 'hc-2' } } } },
  monitoring: {
    status: {
      regions: {
        'us-east-1': { arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` },
        'us-west-2': { arn: `arn:aws:sns:us-west-2:${ACCOUNT}:alerts` },
      },
    },
  },
};

describe('XDisasterRecovery passes what exists only after creation from one primitive to another', () => {
  it('waits with empty maps before anything is observed', () => {
    const out = composeLive(estate, liveView({}));
    expect(spec(byKey(out, 'routing'))).toMatchObject({ serviceEndpoints: {}, databaseWriterEndpoints: {} });
    expect(spec(byKey(out, 'failover'))).toMatchObject({ healthUrls: {}, clusterArns: {} });
    expect(spec(byKey(out, 'failover')).topicArns).toEqual({});
  });

  it('gives routing the service hosts and Aurora endpoints, monitoring the health check ids, failover all of them and the topic', () => {
    const out = composeLive(estate, observedView(children));
    expect(spec(byKey(out, 'routing'))).toMatchObject({
      serviceEndpoints: { 'us-east-1': host('us-east-1'), 'us-west-2': host('us-west-2') },
      databaseWriterEndpoints: { 'us-east-1': 'w.use1.rds.amazonaws.com', 'us-west-2': 'w.usw2.rds.amazonaws.com' },
      databaseReaderEndpoints: { 'us-east-1': 'r.use1.rds.amazonaws.com' },
    });
    expect(spec(byKey(out, 'monitoring')).healthCheckIds).toEqual({ 'us-east-1': 'hc-1', 'us-west-2': 'hc-2' });
    // The service's /health probes its region's reader endpoint.
    expect(spec(byKey(out, 'service'))).toMatchObject({
      databaseEngine: 'aurora-postgresql',
      databaseReaderEndpoints: { 'us-east-1': 'r.use1.rds.amazonaws.com', 'us-west-2': 'r.usw2.rds.amazonaws.com' },
    });
    expect(spec(byKey(out, 'failover'))).toMatchObject({
      healthUrls: { 'us-east-1': `https://${host('us-east-1')}/health`, 'us-west-2': `https://${host('us-west-2')}/health` },
      healthCheckIds: { 'us-east-1': 'hc-1', 'us-west-2': 'hc-2' },
      clusterArns: {
        'us-east-1': `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:a`,
        'us-west-2': `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:b`,
      },
      topicArns: {
        'us-east-1': `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
        'us-west-2': `arn:aws:sns:us-west-2:${ACCOUNT}:alerts`,
      },
      zoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'api.example.com',
      writeConnectionSecretToRef: { name: `payments-failover-external-id-prod-${ID}`, namespace: 'team-payments' },
    });
  });

  it('gives routing the Aurora writer region XGlobalDatabase observes (automatic failover moved it), and keeps it while the status is missing', () => {
    const failedOver = { ...children, database: { status: { ...(children.database as any).status, writerRegion: 'us-west-2' } } };
    const out = composeLive(estate, observedView(failedOver));
    expect(spec(byKey(out, 'routing')).databaseWriterRegion).toBe('us-west-2');
    // The lag monitor reads replication from the writer too.
    expect(spec(byKey(out, 'monitoring')).databaseWriterRegion).toBe('us-west-2');
    // The claim in git still says the primary is active.
    expect(spec(byKey(out, 'routing')).activeRegion ?? 'us-east-1').toBe('us-east-1');
    const missing = composeLive(estate, observedView({ routing: { spec: { databaseWriterRegion: 'us-west-2' } } }));
    expect(spec(byKey(missing, 'routing')).databaseWriterRegion).toBe('us-west-2');
    expect(spec(byKey(composeLive(estate, liveView({})), 'routing'))).not.toHaveProperty('databaseWriterRegion');
  });

  it('gives the EKS clusters the Aurora writer region and the orchestrator the serving node group size', () => {
    const k = { platformRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform`, nodeGroup: { minSize: 4, maxSize: 8 } };
    const withCluster = compositeOf(claim({ ...TWO_REGION_SPEC, kubernetes: k }));
    const failedOver = { ...children, database: { status: { ...(children.database as any).status, writerRegion: 'us-west-2' } } };
    const out = composeLive(withCluster, observedView(failedOver));
    expect(spec(byKey(out, 'kubernetes')).databaseWriterRegion).toBe('us-west-2');
    expect(spec(byKey(out, 'failover')).nodeGroupSize).toBe(4);
    // Kept from the cluster's own spec while the database status is momentarily missing.
    const missing = composeLive(withCluster, observedView({ kubernetes: { spec: { databaseWriterRegion: 'us-west-2' } } }));
    expect(spec(byKey(missing, 'kubernetes')).databaseWriterRegion).toBe('us-west-2');
    expect(spec(byKey(composeLive(withCluster, liveView({})), 'kubernetes'))).not.toHaveProperty('databaseWriterRegion');
    // No cluster, no size.
    expect(spec(byKey(composeLive(estate, observedView(failedOver)), 'failover'))).not.toHaveProperty('nodeGroupSize');
  });

  it('keeps a value it passed before when its source status is momentarily missing, so nothing built from it is removed', () => {
    const before = {
      routing: { spec: { serviceEndpoints: { 'us-east-1': host('us-east-1') } } },
      failover: {
        spec: {
          clusterArns: { 'us-west-2': `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:b` },
          topicArns: { 'us-east-1': 'arn:aws:sns:us-east-1:1:t' },
        },
      },
      monitoring: { spec: { healthCheckIds: { 'us-west-2': 'hc-2' } } },
    };
    const out = composeLive(estate, observedView(before));
    expect(spec(byKey(out, 'routing')).serviceEndpoints).toEqual({ 'us-east-1': host('us-east-1') });
    expect(spec(byKey(out, 'failover'))).toMatchObject({
      clusterArns: { 'us-west-2': `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:b` },
      topicArns: { 'us-east-1': 'arn:aws:sns:us-east-1:1:t' },
    });
    expect(spec(byKey(out, 'monitoring')).healthCheckIds).toEqual({ 'us-west-2': 'hc-2' });
  });

  it('reports service URLs, database endpoints and health check ids per region in the estate status', () => {
    const out = composeLive(estate, observedView(children));
    expect((out.status.regions as any)['us-east-1']).toMatchObject({
      serviceUrl: `https://${host('us-east-1')}/`,
      databaseWriter: 'w.use1.rds.amazonaws.com',
      databaseReader: 'r.use1.rds.amazonaws.com',
      healthCheckId: 'hc-1',
    });
    // Each primitive fills only its own fields (its status hook): nothing of a region it has not published.
    expect((out.status.regions as any)['us-west-2']).toEqual({
      databaseWriter: 'w.usw2.rds.amazonaws.com',
      databaseReader: 'r.usw2.rds.amazonaws.com',
      healthCheckId: 'hc-2',
      ready: false,
    });
  });

  it("reports each region's ARC readiness cell and its last readiness report, from XFailoverRouting", () => {
    const readiness = { readiness: 'READY', reportedAt: '2026-12-07T09:00:00Z' };
    const routing = {
      status: { regions: { 'us-east-1': { healthCheckId: 'hc-1', readinessCell: 'cell-use1', readiness } } },
    };
    const out = composeLive(estate, observedView({ ...children, routing }));
    expect((out.status.regions as any)['us-east-1']).toMatchObject({ readinessCell: 'cell-use1', readiness });
    expect((out.status.regions as any)['us-west-2']).not.toHaveProperty('readinessCell');
  });

  it("reports each region's EKS node group (counts, status, readiness) in the estate status, from XRegionalCluster", () => {
    const nodes = { ready: true, desiredSize: 3, minSize: 3, maxSize: 6, status: 'ACTIVE' };
    const kubernetes = { status: { regions: { 'us-east-1': { identifier: 'c', nodes }, 'us-west-2': { identifier: 'd' } } } };
    const out = composeLive(estate, observedView({ ...children, kubernetes }));
    expect((out.status.regions as any)['us-east-1'].clusterNodes).toEqual(nodes);
    expect((out.status.regions as any)['us-west-2'].clusterNodes).toBeUndefined();
  });

  it('composes no orchestrator without the database, records and topic it drives, and says so', () => {
    const { database: _d, ...noDatabase } = TWO_REGION_SPEC;
    const out = composeLive(compositeOf(claim(noDatabase)), liveView({}), { today: new Date('2026-11-23T00:00:00Z') });
    expect(out.resources.map((r) => r.key)).not.toContain('failover');
    const said = out.events.filter((e) => e.severity === 'Warning' && e.message.includes('a database to switch over'));
    expect(said.map((e) => e.message.endsWith('(failover.orchestrator-needs)'))).toEqual([true]);
  });
});

describe('XDisasterRecovery reader endpoints for the service', () => {
  const serviceWith = (readers: Record<string, string>): Observed => ({
    ...children.service,
    spec: { databaseReaderEndpoints: readers },
  });
  const passedBefore = { 'us-east-1': 'r.use1.rds.amazonaws.com', 'us-west-2': 'stale.usw2.rds.amazonaws.com' };

  it('keeps the readers it passed before while the database composite has never reported', () => {
    const out = composeLive(estate, observedView({ service: serviceWith(passedBefore) }));
    expect(spec(byKey(out, 'service')).databaseReaderEndpoints).toEqual(passedBefore);
  });

  it('drops a reader the database status no longer has, once the database has reported (no stale host)', () => {
    const database: Observed = {
      status: { regions: { 'us-east-1': { endpoint: 'w.use1.rds.amazonaws.com', readerEndpoint: 'r.use1.rds.amazonaws.com' } } },
    };
    const out = composeLive(estate, observedView({ service: serviceWith(passedBefore), database }));
    expect(spec(byKey(out, 'service')).databaseReaderEndpoints).toEqual({ 'us-east-1': 'r.use1.rds.amazonaws.com' });
  });
});
