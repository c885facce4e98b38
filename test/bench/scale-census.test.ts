/** bench/scale/census.ts and bench/scale/apiserver.ts: counting from watch events, and the API server's work by verb. */
import { describe, expect, it } from 'vitest';
import { apiserverBetween } from '../../bench/scale/apiserver.js';
import { applyWatchEvent, CLAIM_NAMESPACE_LABEL, KindState } from '../../bench/scale/census.js';
import { parseSamples } from '../../bench/scale/prometheus.js';

const event = (type: string, uid: string, rv: string, ns?: string) =>
  JSON.stringify({
    type,
    object: { metadata: { uid, resourceVersion: rv, labels: ns ? { [CLAIM_NAMESPACE_LABEL]: ns } : {} } },
  });

describe('applyWatchEvent', () => {
  it('counts labelled objects by claim namespace and forgets deleted or unlabelled ones', () => {
    const s = new KindState();
    expect(applyWatchEvent(s, event('ADDED', 'a', '10', 'scale-000'))).toBe(true);
    applyWatchEvent(s, event('ADDED', 'b', '11', 'scale-001'));
    applyWatchEvent(s, event('MODIFIED', 'a', '12', 'scale-000'));
    expect([...s.objects]).toEqual([
      ['a', 'scale-000'],
      ['b', 'scale-001'],
    ]);
    applyWatchEvent(s, event('DELETED', 'a', '13', 'scale-000'));
    applyWatchEvent(s, event('MODIFIED', 'b', '14'));
    expect(s.objects.size).toBe(0);
    expect(s.resourceVersion).toBe('14');
  });

  it('moves the resourceVersion on a bookmark and asks for a new list on an ERROR event', () => {
    const s = new KindState();
    applyWatchEvent(s, JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '99' } } }));
    expect(s.resourceVersion).toBe('99');
    expect(s.objects.size).toBe(0);
    expect(applyWatchEvent(s, JSON.stringify({ type: 'ERROR', object: { code: 410 } }))).toBe(false);
  });
});

describe('apiserverBetween', () => {
  const scrape = (applies: number, applySeconds: number, lists: number) =>
    parseSamples(
      [
        `apiserver_request_total{code="200",group="kms.aws.upbound.io",resource="keys",verb="APPLY"} ${applies}`,
        `apiserver_request_duration_seconds_sum{group="kms.aws.upbound.io",resource="keys",verb="APPLY"} ${applySeconds}`,
        `apiserver_request_total{code="200",group="",resource="secrets",verb="LIST"} ${lists}`,
        `apiserver_request_duration_seconds_sum{group="",resource="secrets",verb="LIST"} ${lists / 10}`,
        `apiserver_request_total{code="200",group="",resource="secrets",verb="WATCH"} 7`,
        `apiserver_watch_events_total{group="kms.aws.upbound.io",kind="Key",version="v1beta1"} ${applies * 2}`,
        `apiserver_watch_events_sizes_sum{group="kms.aws.upbound.io",kind="Key",version="v1beta1"} ${applies * 2 * 1024 * 1024}`,
      ].join('\n'),
    );

  it('differences requests and handler seconds by verb and resource, busiest first, watches left out', () => {
    const a = apiserverBetween(scrape(10, 1, 5), scrape(110, 31, 25));
    expect(a).toEqual({
      requests: 120,
      handlerSeconds: 32,
      byVerb: { APPLY: { requests: 100, seconds: 30 }, LIST: { requests: 20, seconds: 2 } },
      top: [
        { verb: 'APPLY', resource: 'kms.aws.upbound.io/keys', requests: 100, seconds: 30, meanMs: 300 },
        { verb: 'LIST', resource: 'secrets', requests: 20, seconds: 2, meanMs: 100 },
      ],
      watchEventsTotal: 200,
      watchEvents: [{ kind: 'kms.aws.upbound.io/Key', events: 200, mb: 200 }],
    });
  });

  it('says so when a scrape did not answer', () => {
    expect(apiserverBetween([], scrape(1, 1, 1))).toEqual({ unavailable: 'kube-apiserver /metrics did not answer' });
  });
});
