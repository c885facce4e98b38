/**
 * Where kube-apiserver's time goes: its own /metrics (read with the admin client certificate), differenced between two
 * scrapes into requests and handler seconds by verb and resource (`apiserver_request_total`,
 * `apiserver_request_duration_seconds_sum`) and watch events sent by kind (`apiserver_watch_events_total`,
 * `apiserver_watch_events_sizes_sum`). A request's seconds are wall time inside the handler, waiting for etcd and for a
 * core included: a share of the handler time, not of CPU.
 */
import { call, type Connection } from '../../test/e2e/support/provider-status-stand-in.js';
import { parseSamples, type Sample } from './prometheus.js';

/** Scrapes kube-apiserver's /metrics; an API server too busy to answer gives no samples rather than an error. */
export async function scrapeApiserver(c: Connection): Promise<Sample[]> {
  try {
    const res = await call(c, 'GET', '/metrics');
    return res.status === 200 ? parseSamples(res.text) : [];
  } catch {
    return [];
  }
}

/** One row: requests and handler seconds of a verb on a resource (`group/resource[/subresource]`). */
export interface RequestRow {
  readonly verb: string;
  readonly resource: string;
  readonly requests: number;
  readonly seconds: number;
  readonly meanMs: number;
}

const keyOf = (l: Sample['labels']) =>
  `${l.verb ?? '?'} ${l.group ? `${l.group}/` : ''}${l.resource ?? '?'}${l.subresource ? `/${l.subresource}` : ''}`;

function byKey(samples: readonly Sample[], name: string, key: (l: Sample['labels']) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (s.name === name) out.set(key(s.labels), (out.get(key(s.labels)) ?? 0) + s.value);
  return out;
}

function delta(later: Map<string, number>, earlier: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of later) if (v - (earlier.get(k) ?? 0) > 0) out.set(k, v - (earlier.get(k) ?? 0));
  return out;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The API server's work between two scrapes: totals, the `top` verb/resource pairs by handler seconds, the same summed
 * by verb, and watch events by kind. Empty when either scrape failed.
 */
export function apiserverBetween(a: readonly Sample[], b: readonly Sample[], top = 15) {
  if (a.length === 0 || b.length === 0) return { unavailable: 'kube-apiserver /metrics did not answer' } as const;
  const count = delta(byKey(b, 'apiserver_request_total', keyOf), byKey(a, 'apiserver_request_total', keyOf));
  const secs = delta(
    byKey(b, 'apiserver_request_duration_seconds_sum', keyOf),
    byKey(a, 'apiserver_request_duration_seconds_sum', keyOf),
  );
  const rows: RequestRow[] = [...new Set([...count.keys(), ...secs.keys()])]
    .filter((k) => !k.startsWith('WATCH') && !k.startsWith('CONNECT'))
    .map((k) => {
      const [verb, resource] = [k.slice(0, k.indexOf(' ')), k.slice(k.indexOf(' ') + 1)];
      const requests = count.get(k) ?? 0;
      const seconds = secs.get(k) ?? 0;
      return { verb, resource, requests, seconds: r2(seconds), meanMs: requests > 0 ? r2((seconds / requests) * 1000) : 0 };
    })
    .sort((x, y) => y.seconds - x.seconds || x.verb.localeCompare(y.verb) || x.resource.localeCompare(y.resource));
  const byVerb: Record<string, { requests: number; seconds: number }> = {};
  for (const r of rows) {
    const v = (byVerb[r.verb] ??= { requests: 0, seconds: 0 });
    v.requests += r.requests;
    v.seconds = r2(v.seconds + r.seconds);
  }
  const kindKey = (l: Sample['labels']) => `${l.group ? `${l.group}/` : ''}${l.kind ?? l.resource ?? '?'}`;
  const events = delta(byKey(b, 'apiserver_watch_events_total', kindKey), byKey(a, 'apiserver_watch_events_total', kindKey));
  const eventBytes = delta(
    byKey(b, 'apiserver_watch_events_sizes_sum', kindKey),
    byKey(a, 'apiserver_watch_events_sizes_sum', kindKey),
  );
  const watchEvents = [...events]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .slice(0, top)
    .map(([kind, n]) => ({ kind, events: n, mb: r2((eventBytes.get(kind) ?? 0) / 1024 / 1024) }));
  return {
    requests: rows.reduce((s, r) => s + r.requests, 0),
    handlerSeconds: r2(rows.reduce((s, r) => s + r.seconds, 0)),
    byVerb,
    top: rows.slice(0, top),
    watchEventsTotal: [...events.values()].reduce((s, n) => s + n, 0),
    watchEvents,
  };
}
