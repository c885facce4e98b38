/**
 * Reading Prometheus text exposition (what the function's and Crossplane core's /metrics serve): samples, the sum of a
 * counter over label sets, and histograms merged over label sets with quantiles interpolated inside a bucket as
 * PromQL's histogram_quantile does.
 */
import { request } from 'node:http';

/** One sample: metric name, labels and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the text format (comments skipped; label values unescaped). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

/** GET a metrics URL and parse it. */
export function scrape(url: string): Promise<Sample[]> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(parseSamples(body)) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Sum of `name` over every label set that `match` accepts. */
export function total(
  samples: readonly Sample[],
  name: string,
  match: (labels: Sample['labels']) => boolean = () => true,
): number {
  return samples.filter((s) => s.name === name && match(s.labels)).reduce((sum, s) => sum + s.value, 0);
}

/** A histogram merged over its label sets: cumulative counts by upper bound, count and sum. */
export interface Histogram {
  readonly buckets: ReadonlyMap<number, number>;
  readonly count: number;
  readonly sum: number;
}

/** The histogram `name` (`<name>_bucket`, `_count`, `_sum`) summed over every label set. */
export function histogram(samples: readonly Sample[], name: string): Histogram {
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  return { buckets, count: total(samples, `${name}_count`), sum: total(samples, `${name}_sum`) };
}

/** `later - earlier`: what was observed between two scrapes of the same process. */
export function since(later: Histogram, earlier: Histogram): Histogram {
  const buckets = new Map<number, number>();
  for (const [le, n] of later.buckets) buckets.set(le, n - (earlier.buckets.get(le) ?? 0));
  return { buckets, count: later.count - earlier.count, sum: later.sum - earlier.sum };
}

/**
 * The q-quantile (0..1) as histogram_quantile computes it: linear inside the bucket that holds it, the upper bound of
 * the highest finite bucket when it falls in +Inf; undefined for an empty histogram.
 */
export function quantile(h: Histogram, q: number): number | undefined {
  const bounds = [...h.buckets.keys()].sort((a, b) => a - b);
  const count = h.buckets.get(Infinity) ?? h.count;
  if (count <= 0 || bounds.length === 0) return undefined;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const le of bounds) {
    const cumulative = h.buckets.get(le)!;
    if (cumulative >= rank) {
      if (le === Infinity) return lower;
      const inBucket = cumulative - below;
      return inBucket <= 0 ? le : lower + (le - lower) * ((rank - below) / inBucket);
    }
    lower = le;
    below = cumulative;
  }
  return lower;
}
