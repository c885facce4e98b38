/** The drill's wait, on a scripted sequence of readings and a fake clock: step order, retries, the deadline. */
import { describe, expect, it } from 'vitest';
import type { SwitchoverObservation } from '../../src/cluster/switchover.js';
import { parseDuration, waitForSwitchover } from '../../src/cli/drill-watch.js';
import { MINIMAL, specOf } from '../estimate/helpers.js';

/** A claim's spec with an Aurora database and an EKS section of that minSize, as asked: its primitives add the checks. */
const spec = (o: { database: boolean; minSize?: number }) =>
  specOf({
    ...MINIMAL,
    ...(o.database ? { database: { engine: 'aurora-postgresql', engineVersion: '16.8' } } : {}),
    ...(o.minSize !== undefined
      ? {
          network: { cidrs: { 'us-east-1': '10.20.0.0/16', 'us-west-2': '10.21.0.0/16' } },
          kubernetes: {
            platformRoleArn: 'arn:aws:iam::123456789012:role/platform',
            nodeGroup: { minSize: o.minSize, maxSize: 6 },
          },
        }
      : {}),
  });

const home: SwitchoverObservation = {
  activeRegion: 'us-east-1',
  writerRegion: 'us-east-1',
  ready: true,
  notReady: [],
  paused: [],
};
const there: SwitchoverObservation = { ...home, activeRegion: 'us-west-2', writerRegion: 'us-west-2' };

/** Readings one per 10 s of a fake clock; an Error in the list is a failed read. */
function script(readings: (SwitchoverObservation | Error)[]) {
  let t = 0;
  let i = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    observe: async () => {
      const r = readings[Math.min(i++, readings.length - 1)]!;
      if (r instanceof Error) throw r;
      return r;
    },
  };
}

describe('waitForSwitchover', () => {
  it('does not count a Ready left over from before the commit: each step is timed once the steps before it hold', async () => {
    const s = script([
      home,
      { ...home, activeRegion: 'us-west-2', ready: false, notReady: ['XDisasterRecovery/x'], paused: ['Cluster/a'] },
      new Error('connection refused'),
      { ...there, ready: false, notReady: ['XDisasterRecovery/x'], paused: ['Cluster/a'] },
      { ...there, paused: ['Cluster/a'] },
      there,
    ]);
    const r = await waitForSwitchover({
      target: 'us-west-2',
      spec: spec({ database: true }),
      since: 0,
      timeoutMs: 600_000,
      intervalMs: 10_000,
      ...s,
    });
    expect(r.completed).toBe(true);
    expect(r.steps.map((x) => [x.id, x.atSeconds, x.seconds])).toEqual([
      ['applied', 10, 10],
      ['writer', 30, 20],
      ['ready', 40, 10],
      ['unpaused', 50, 10],
    ]);
    expect(r.elapsedSeconds).toBe(50);
    expect(r.polls).toBe(6);
  });

  it('gives up at the deadline with what is not done, including a failing read', async () => {
    const s = script([{ ...there, paused: ['Cluster/a'] }, new Error('connection refused')]);
    const r = await waitForSwitchover({
      target: 'us-west-2',
      spec: spec({ database: false }),
      since: 0,
      timeoutMs: 25_000,
      intervalMs: 10_000,
      ...s,
    });
    expect(r.completed).toBe(false);
    expect(r.elapsedSeconds).toBe(25);
    expect(r.steps.map((x) => x.id)).toEqual(['applied', 'ready', 'unpaused']);
    expect(r.pending).toEqual(['still paused: Cluster/a', 'the last read of the cluster failed: connection refused']);
  });
});

describe('waitForSwitchover with EKS clusters', () => {
  // The claim's status.regions as the observation carries it; the kubernetes primitive's drill check reads clusterNodes.
  const nodes = (desiredSize: number, ready: boolean, capacitySince?: string) => ({
    regions: {
      'us-west-2': {
        clusterNodes: {
          ready,
          desiredSize,
          minSize: 0,
          maxSize: 6,
          status: ready ? 'ACTIVE' : 'UPDATING',
          ...(capacitySince ? { capacitySince } : {}),
        },
      },
    },
  });

  it("waits for the target's node group to show serving capacity, not only its requested size, and times it", async () => {
    const s = script([
      { ...there, ...nodes(0, true) },
      { ...there, ...nodes(3, false) },
      // Ready and ACTIVE with 3 nodes desired, but the primitive has not seen serving capacity (CoreDNS not running).
      { ...there, ...nodes(3, true) },
      { ...there, ...nodes(3, true, '2026-12-07T03:00:30Z') },
    ]);
    const r = await waitForSwitchover({
      target: 'us-west-2',
      spec: spec({ database: true, minSize: 3 }),
      since: 0,
      timeoutMs: 600_000,
      intervalMs: 10_000,
      ...s,
    });
    expect(r.completed).toBe(true);
    expect(r.steps.map((x) => [x.id, x.atSeconds])).toEqual([
      ['applied', 0],
      ['writer', 0],
      ['nodes', 30],
      ['ready', 30],
      ['unpaused', 30],
    ]);
  });

  it('gives up saying how many nodes the target runs, and when the claim reports none', async () => {
    const wait = (reading: SwitchoverObservation) =>
      waitForSwitchover({
        target: 'us-west-2',
        spec: spec({ database: false, minSize: 2 }),
        since: 0,
        timeoutMs: 15_000,
        intervalMs: 10_000,
        ...script([reading]),
      });
    expect((await wait({ ...there, ...nodes(1, false) })).pending).toEqual([
      'the EKS node group in us-west-2 shows no serving capacity yet: 1 nodes desired (needs 2), not Ready (UPDATING)',
    ]);
    expect((await wait({ ...there, ...nodes(2, true) })).pending).toEqual([
      'the EKS node group in us-west-2 shows no serving capacity yet: 2 nodes desired (needs 2) (ACTIVE), waiting for its CoreDNS add-on to run',
    ]);
    expect((await wait(there)).pending).toEqual(['the claim reports no EKS node group in us-west-2 yet']);
    // Without a kubernetes section there is no such step.
    const plain = await waitForSwitchover({
      target: 'us-west-2',
      spec: spec({ database: false }),
      since: 0,
      timeoutMs: 1,
      intervalMs: 1,
      ...script([there]),
    });
    expect(plain.steps.map((x) => x.id)).toEqual(['applied', 'ready', 'unpaused']);
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m and h and refuses anything else', () => {
    expect([parseDuration('200ms'), parseDuration('90s'), parseDuration('30m'), parseDuration('1.5h')]).toEqual([
      200, 90_000, 1_800_000, 5_400_000,
    ]);
    expect([parseDuration('30'), parseDuration('soon'), parseDuration('0s'), parseDuration('-1m')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
