/**
 * Who writes what at rest: metadata-only watches (PartialObjectMetadata, so the API server sends names and managed
 * fields, not specs) of the given kinds from the moment they start, tallying every MODIFIED event by kind and by the
 * writer its newest `managedFields` entry names (field manager, operation, subresource). It answers which component
 * keeps changing objects while nothing should change, and so what keeps reconciling composites.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { connectionOf } from '../../test/e2e/support/provider-status-stand-in.js';
import { onWatchLines } from '../../test/e2e/support/watch-lines.js';
import { getMetadata, type CountedKind } from './census.js';

const METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** One entry of `metadata.managedFields`. */
interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly subresource?: string;
  readonly time?: string;
}

/** The writer of a change: the managedFields entry with the newest time (the last of equal times). */
export function writerOf(entries: readonly ManagedFieldsEntry[] | undefined): string {
  let newest: ManagedFieldsEntry | undefined;
  for (const e of entries ?? []) if (!newest || (e.time ?? '') >= (newest.time ?? '')) newest = e;
  if (!newest) return 'unknown';
  return `${newest.manager ?? '?'} ${newest.operation ?? '?'}${newest.subresource ? ` /${newest.subresource}` : ''}`;
}

/** What the watches saw: changes by `<plural> <- <writer>`, and how many distinct objects changed by plural. */
export interface WriteTally {
  readonly seconds: number;
  readonly modified: Record<string, number>;
  readonly objectsChanged: Record<string, number>;
  readonly errors: string[];
}

/** A running tally; `stop()` ends the watches and returns what they saw. */
export interface WriteWatch {
  stop(): WriteTally;
}

/** Starts watching `kinds` (from their current resourceVersion) and tallying their changes. */
export async function watchWrites(kubeconfig: string, kinds: readonly CountedKind[]): Promise<WriteWatch> {
  const c = connectionOf(kubeconfig);
  const modified: Record<string, number> = {};
  const changed = new Map<string, Set<string>>();
  const errors: string[] = [];
  const requests: { destroy(): void }[] = [];
  const start = performance.now();
  await Promise.all(
    kinds.map(async (k) => {
      const collection = `/apis/${k.apiVersion}/${k.plural}`;
      const list = await getMetadata(c, `${collection}?limit=1`).catch((err: unknown) => ({ status: 0, text: String(err) }));
      if (list.status !== 200) {
        errors.push(`${k.plural}: list HTTP ${list.status} ${list.text.slice(0, 120)}`);
        return;
      }
      const rv = (JSON.parse(list.text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      const path = `${collection}?watch=1&resourceVersion=${rv}&timeoutSeconds=3600`;
      const req = request(
        new URL(path, c.server),
        { agent: c.watchAgent, headers: { accept: METADATA } },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            errors.push(`${k.plural}: watch HTTP ${res.statusCode}`);
            res.resume();
            return;
          }
          onWatchLines(res, (line) => {
            const event = JSON.parse(line) as {
              type: string;
              object: { metadata: { uid?: string; managedFields?: ManagedFieldsEntry[] } };
            };
            if (event.type !== 'MODIFIED') return;
            const key = `${k.plural} <- ${writerOf(event.object.metadata.managedFields)}`;
            modified[key] = (modified[key] ?? 0) + 1;
            const set = changed.get(k.plural) ?? new Set<string>();
            set.add(event.object.metadata.uid ?? '');
            changed.set(k.plural, set);
          });
          res.on('error', () => undefined);
        },
      );
      req.on('error', (err) => errors.push(`${k.plural}: ${err.message}`));
      req.end();
      requests.push(req);
    }),
  );
  return {
    stop() {
      for (const r of requests) r.destroy();
      c.agent.destroy();
      c.watchAgent.destroy();
      return {
        seconds: Math.round((performance.now() - start) / 100) / 10,
        modified: Object.fromEntries(Object.entries(modified).sort((a, b) => b[1] - a[1])),
        objectsChanged: Object.fromEntries([...changed].map(([k, s]) => [k, s.size]).sort((a, b) => Number(b[1]) - Number(a[1]))),
        errors,
      };
    },
  };
}
