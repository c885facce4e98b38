/** The switchover guard: member Cluster resources paused while the writer moves and while a stale source remains. */
import { describe, expect, it } from 'vitest';
import { liveView } from '../../src/compose/observed.js';
import { compositeOf } from '../../src/compose/plan.js';
import { PAUSED, clearCommand, regionOfClusterArn } from '../../src/primitives/database/switchover.js';
import type { Manifest } from '../../src/compose/types.js';
import { ACCOUNT, FULL_SPEC, byKey, claim, composeLive, managed, nestedOf, plan } from './helpers.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
const clusterArn = (region: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:payments-aurora-${region}-prod`;

/** Observed state: the global cluster's members with one writer, and each member's spec replication source. */
function observed(writer: string, sources: Partial<Record<string, string>>): Record<string, Manifest> {
  const objects: Record<string, Manifest> = {
    'aurora-global': {
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'GlobalCluster',
      status: {
        atProvider: { globalClusterMembers: REGIONS.map((r) => ({ dbClusterArn: clusterArn(r), isWriter: r === writer })) },
      },
    },
  };
  for (const r of REGIONS) {
    objects[`aurora-cluster-${r}`] = {
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: `payments-aurora-${r}-prod` },
      spec: { forProvider: { region: r, ...(sources[r] ? { replicationSourceIdentifier: sources[r] } : {}) } },
    };
  }
  return objects;
}

/** Observed state with the member Cluster of a region carrying the paused annotation. */
function withPaused(objects: Record<string, Manifest>, region: string): Record<string, Manifest> {
  const copy = structuredClone(objects);
  const member = copy[`aurora-cluster-${region}`]!;
  member.metadata = { ...member.metadata, annotations: { [PAUSED]: 'true' } };
  return copy;
}

/** The steady state before any switchover: the writer in us-east-1, both readers replicating from it. */
const STEADY = observed('us-east-1', { 'us-west-2': clusterArn('us-east-1'), 'eu-west-1': clusterArn('us-east-1') });

const database = (activeRegion?: string): Manifest =>
  nestedOf(activeRegion ? { ...FULL_SPEC, activeRegion } : FULL_SPEC, 'XGlobalDatabase');

const pausedOf = (result: ReturnType<typeof composeLive>) =>
  Object.fromEntries(
    REGIONS.map((r) => {
      const annotations = (byKey(result, `aurora-cluster-${r}`).metadata as { annotations?: Record<string, string> }).annotations;
      return [r, annotations?.[PAUSED] === 'true'];
    }),
  );

describe('the switchover guard', () => {
  it('reads the region of a cluster ARN', () => {
    expect(regionOfClusterArn(clusterArn('eu-west-1'))).toBe('eu-west-1');
    expect(regionOfClusterArn('arn:aws:rds:us-east-1:111122223333:db:instance-1')).toBeUndefined();
  });

  it('pauses nothing in the steady state, and reports the writer region', () => {
    const out = composeLive(database(), liveView(STEADY));
    expect(pausedOf(out)).toEqual({ 'us-east-1': false, 'us-west-2': false, 'eu-west-1': false });
    expect(out.status).toMatchObject({ writerRegion: 'us-east-1' });
    expect(out.status.clustersPaused).toBeUndefined();
    expect(out.events).toEqual([]);
  });

  it('pauses nothing before the global cluster reports its members (a new estate)', () => {
    const out = composeLive(database('us-west-2'), liveView({}));
    expect(Object.values(pausedOf(out))).toEqual([false, false, false]);
    expect(out.status.writerRegion).toBeUndefined();
  });

  it('pauses every member Cluster while activeRegion names a region whose cluster does not write yet', () => {
    const out = composeLive(database('us-west-2'), liveView(STEADY));
    expect(pausedOf(out)).toEqual({ 'us-east-1': true, 'us-west-2': true, 'eu-west-1': true });
    expect(out.status).toMatchObject({ writerRegion: 'us-east-1', clustersPaused: true, activeRegion: 'us-west-2' });
    expect(out.events).toEqual([
      expect.objectContaining({
        severity: 'Normal',
        message: expect.stringContaining("global cluster's writer is in us-east-1"),
      }),
    ]);
    // It may also be a failover outside git (automatic mode): the event says how to make git agree.
    expect(out.events[0]!.message).toContain('then set activeRegion: us-east-1 in the claim');
    // Everything else about the clusters is unchanged: pausing is an annotation only.
    const calm = composeLive(database(), liveView(STEADY));
    expect(byKey(out, 'aurora-cluster-us-west-2').spec).toEqual(byKey(calm, 'aurora-cluster-us-west-2').spec);
  });

  it('keeps them paused after the switchover while a member holds a stale replication source, and says how to clear it', () => {
    // The writer moved to us-west-2; the specs still hold what was late-initialized before.
    const after = observed('us-west-2', { 'us-west-2': clusterArn('us-east-1'), 'eu-west-1': clusterArn('us-east-1') });
    const out = composeLive(database('us-west-2'), liveView(after));
    expect(Object.values(pausedOf(out))).toEqual([true, true, true]);
    const warnings = out.events.filter((e) => e.severity === 'Warning');
    expect(warnings.map((w) => w.message.split(' ')[2])).toEqual([
      'payments-aurora-us-west-2-prod',
      'payments-aurora-eu-west-1-prod',
    ]);
    expect(warnings[0]!.message).toContain('AWS now has none: it is the writer');
    expect(warnings[1]!.message).toContain(`AWS now has ${clusterArn('us-west-2')}`);
    expect(warnings[0]!.message).toContain(clearCommand('payments-aurora-us-west-2-prod'));
    expect(out.status).toMatchObject({ writerRegion: 'us-west-2', clustersPaused: true });
  });

  it('unpauses once the stale sources are cleared (the old writer, now a reader, re-initializes from the new one)', () => {
    const cleared = observed('us-west-2', { 'us-east-1': clusterArn('us-west-2') });
    const out = composeLive(database('us-west-2'), liveView(cleared));
    expect(Object.values(pausedOf(out))).toEqual([false, false, false]);
    expect(out.events).toEqual([]);
    expect(out.status.clustersPaused).toBeUndefined();
  });

  it('does not start a pause on an ambiguous observation (no writer, or two), but keeps one in place', () => {
    const none = observed('nowhere', {});
    const two = structuredClone(STEADY);
    const members = (two['aurora-global']!.status as { atProvider: { globalClusterMembers: Array<{ isWriter: boolean }> } })
      .atProvider.globalClusterMembers;
    members[1]!.isWriter = true;
    const unobserved = structuredClone(STEADY);
    delete unobserved['aurora-global']!.status;
    for (const view of [none, two, unobserved]) {
      expect(Object.values(pausedOf(composeLive(database('us-west-2'), liveView(view))))).toEqual([false, false, false]);
      // Mid-switchover the members may briefly report no single writer: a pause already in place stays.
      const midway = withPaused(view, 'us-west-2');
      const out = composeLive(database('us-west-2'), liveView(midway));
      expect(Object.values(pausedOf(out))).toEqual([true, true, true]);
      expect(out.events[0]!.message).toContain('stay paused until it does');
    }
  });

  it('pauses nothing while the active region has no member cluster yet (an estate created with a secondary active)', () => {
    const early = structuredClone(STEADY);
    const status = early['aurora-global']!.status as { atProvider: { globalClusterMembers: Array<{ dbClusterArn: string }> } };
    status.atProvider.globalClusterMembers = status.atProvider.globalClusterMembers.filter(
      (m) => !m.dbClusterArn.includes('us-west-2'),
    );
    const out = composeLive(database('us-west-2'), liveView(early));
    expect(Object.values(pausedOf(out))).toEqual([false, false, false]);
    expect(out.events[0]!.message).toContain('not a member of the global cluster yet');
  });

  it('changes nothing about the pause when the writer is outside the estate, and says so', () => {
    const foreign = structuredClone(STEADY);
    const status = foreign['aurora-global']!.status as {
      atProvider: { globalClusterMembers: Array<{ dbClusterArn: string; isWriter: boolean }> };
    };
    status.atProvider.globalClusterMembers = [
      ...status.atProvider.globalClusterMembers.map((m) => ({ ...m, isWriter: false })),
      { dbClusterArn: clusterArn('ap-south-1'), isWriter: true },
    ];
    const out = composeLive(database(), liveView(foreign));
    expect(Object.values(pausedOf(out))).toEqual([false, false, false]);
    expect(out.events).toEqual([
      expect.objectContaining({ severity: 'Warning', message: expect.stringContaining('ap-south-1, which is not a region') }),
    ]);
    expect(Object.values(pausedOf(composeLive(database(), liveView(withPaused(foreign, 'us-east-1')))))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('adopts a writer that moved outside git (automatic failover): nothing paused, now or later; a move in git still pauses', () => {
    // The composite's status after the previous reconcile: writer and activeRegion both in us-east-1.
    const withStatus = (xr: Manifest, status: Record<string, unknown>): Manifest => ({ ...xr, status });
    const calmBefore = { activeRegion: 'us-east-1', writerRegion: 'us-east-1' };
    // The failover moved the writer to us-west-2 (no stale source: the fields were cleared or never set).
    const failedOver = observed('us-west-2', { 'us-east-1': clusterArn('us-west-2'), 'eu-west-1': clusterArn('us-west-2') });
    const first = composeLive(withStatus(database(), calmBefore), liveView(failedOver));
    expect(Object.values(pausedOf(first))).toEqual([false, false, false]);
    expect(first.status).toMatchObject({
      writerRegion: 'us-west-2',
      adoptedWriterRegion: 'us-west-2',
      activeRegion: 'us-east-1',
    });
    expect(first.status.clustersPaused).toBeUndefined();
    expect(first.events).toEqual([
      expect.objectContaining({ severity: 'Normal', message: expect.stringContaining('moved to us-west-2 outside git') }),
    ]);
    expect(first.events[0]!.message).toContain('drctl failover <claim file> --to us-west-2');
    // Every later reconcile (its own status fed back) stays unpaused: nothing waits for a person.
    let status = first.status;
    for (let i = 0; i < 3; i++) {
      const next = composeLive(withStatus(database(), status), liveView(failedOver));
      expect(Object.values(pausedOf(next))).toEqual([false, false, false]);
      expect(next.status.adoptedWriterRegion).toBe('us-west-2');
      status = next.status;
    }
    // git then records the region: the writer agrees with activeRegion, nothing adopted, nothing paused.
    const recorded = composeLive(withStatus(database('us-west-2'), status), liveView(failedOver));
    expect(Object.values(pausedOf(recorded))).toEqual([false, false, false]);
    expect(recorded.status.adoptedWriterRegion).toBeUndefined();
    expect(recorded.events).toEqual([]);

    // A move in git (activeRegion changed since the last reconcile) is a switchover: paused until the writer arrives,
    // on the reconciles after the change as well.
    const moving = composeLive(withStatus(database('us-west-2'), calmBefore), liveView(STEADY));
    expect(Object.values(pausedOf(moving))).toEqual([true, true, true]);
    expect(moving.status.adoptedWriterRegion).toBeUndefined();
    const stillMoving = composeLive(withStatus(database('us-west-2'), moving.status), liveView(STEADY));
    expect(Object.values(pausedOf(stillMoving))).toEqual([true, true, true]);
    // An adopted failover does not hide stale replication sources: those still keep the clusters paused.
    const stale = observed('us-west-2', { 'us-west-2': clusterArn('us-east-1') });
    const staleOut = composeLive(withStatus(database(), calmBefore), liveView(stale));
    expect(staleOut.status).toMatchObject({ adoptedWriterRegion: 'us-west-2', clustersPaused: true });
  });

  it('observes the global cluster from every secondary region, Observe only (audit H1)', () => {
    const views = managed(plan(FULL_SPEC), 'GlobalCluster').filter((m) =>
      (m.spec as { managementPolicies?: string[] }).managementPolicies?.includes('Observe'),
    );
    expect(views.map((v) => [(v.spec as { forProvider: { region: string } }).forProvider.region, v.spec])).toEqual(
      ['us-west-2', 'eu-west-1'].map((r) => [r, expect.objectContaining({ managementPolicies: ['Observe'] })]),
    );
    const managedOne = managed(plan(FULL_SPEC), 'GlobalCluster').filter((m) => !views.includes(m));
    const externalName = (m: Manifest) =>
      (m.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name'];
    for (const v of views) expect(externalName(v)).toBe(externalName(managedOne[0]!));
  });

  it('follows the writer a secondary sees while the primary region is lost (its global cluster Synced=False, stale) (audit H1)', () => {
    const withStatus = (xr: Manifest, status: Record<string, unknown>): Manifest => ({ ...xr, status });
    const calmBefore = { activeRegion: 'us-east-1', writerRegion: 'us-east-1' };
    const members = (writer: string) => REGIONS.map((r) => ({ dbClusterArn: clusterArn(r), isWriter: r === writer }));
    const view = (region: string, writer: string, synced = true): Manifest => ({
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'GlobalCluster',
      status: {
        atProvider: { globalClusterMembers: members(writer) },
        conditions: [{ type: 'Synced', status: synced ? 'True' : 'False' }],
      },
    });
    // The primary's managed global cluster cannot be observed (us-east-1 lost): its status still says us-east-1.
    const lost = structuredClone(STEADY);
    lost['aurora-global'] = view('us-east-1', 'us-east-1', false);
    lost['aurora-global-view-us-west-2'] = view('us-west-2', 'us-west-2');
    lost['aurora-global-view-eu-west-1'] = view('eu-west-1', 'us-west-2');
    const out = composeLive(withStatus(database(), calmBefore), liveView(lost));
    expect(out.status).toMatchObject({ writerRegion: 'us-west-2', adoptedWriterRegion: 'us-west-2' });

    // Current observations that disagree (one has seen the failover, the other not yet): the last writer is kept.
    const split = structuredClone(lost);
    split['aurora-global-view-eu-west-1'] = view('eu-west-1', 'us-east-1');
    const undecided = composeLive(withStatus(database(), calmBefore), liveView(split));
    expect(undecided.status.writerRegion).toBe('us-east-1');
    expect(undecided.events).toEqual([
      expect.objectContaining({ severity: 'Warning', message: expect.stringContaining('name different writers') }),
    ]);
  });

  it('is never part of a plan, even one with another active region', () => {
    const planned = managed(plan({ ...FULL_SPEC, activeRegion: 'us-west-2' }), 'Cluster');
    expect(planned).toHaveLength(3);
    for (const c of planned) expect(JSON.stringify(c.metadata)).not.toContain(PAUSED);
  });

  it('names the exact JSON patch that clears a stale source', () => {
    expect(clearCommand('c')).toBe(
      `kubectl patch clusters.rds.aws.upbound.io c --type=json -p '[{"op":"remove","path":"/spec/forProvider/replicationSourceIdentifier"}]'`,
    );
  });
});

describe('the estate during a switchover', () => {
  const estate = compositeOf(claim({ ...FULL_SPEC, activeRegion: 'us-west-2' }));
  const database = (status: Record<string, unknown>) =>
    liveView({ database: { apiVersion: 'drplane.io/v1alpha1', kind: 'XGlobalDatabase', status } });

  it('reports the writer region and points at the paused database', () => {
    const out = composeLive(estate, database({ writerRegion: 'us-east-1', clustersPaused: true }));
    expect(out.status).toMatchObject({ databaseWriterRegion: 'us-east-1', activeRegion: 'us-west-2' });
    expect(out.events).toContainEqual(
      expect.objectContaining({
        severity: 'Normal',
        message: expect.stringContaining('paused around a switchover (writer in us-east-1, activeRegion us-west-2)'),
      }),
    );
  });

  it('warns when the clusters stay paused with the writer already in the active region (stale fields need a person)', () => {
    const out = composeLive(estate, database({ writerRegion: 'us-west-2', clustersPaused: true }));
    expect(out.events).toContainEqual(
      expect.objectContaining({ severity: 'Warning', message: expect.stringContaining('say why and what clears it') }),
    );
  });

  it('says nothing once the database is no longer paused', () => {
    const out = composeLive(estate, database({ writerRegion: 'us-west-2' }));
    expect(out.status).toMatchObject({ databaseWriterRegion: 'us-west-2' });
    expect(out.events.filter((e) => e.message.includes('paused'))).toEqual([]);
  });
});
