/**
 * How many composed objects each estate has in the cluster, kept by metadata-only watches (PartialObjectMetadata, so
 * the API server sends names and labels, not specs) of every kind the plans compose: one list per kind at the start,
 * then a watch from that list's resourceVersion, counted by the `crossplane.io/claim-namespace` label Crossplane puts
 * on everything composed for a claim, nested composites included. Every estate of the benchmark has a namespace of
 * its own.
 *
 * Watches, not lists every few seconds: listing every composed object of N estates each sample is work of the
 * benchmark, not of the control plane it measures, and it grows with N. Measured on 2026-12-06 (kube-apiserver's
 * /metrics, N=10, 2 busy cores): the 5-second lists were 713 LIST requests and about 6 % of the API server's handler
 * time while composing; at N=50 they timed out (60 s) and were sent again. A watch costs one event per change, which
 * the API server serializes once for every watcher of the kind.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { connectionOf, type Connection } from '../../test/e2e/support/provider-status-stand-in.js';
import { onWatchLines } from '../../test/e2e/support/watch-lines.js';

/** Label Crossplane sets on composed resources (and nested composites) of a claim. */
export const CLAIM_NAMESPACE_LABEL = 'crossplane.io/claim-namespace';

/** Accept header of a metadata-only list (PartialObjectMetadataList): names, labels and managedFields, no specs. */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** A kind to count: its apiVersion and plural. */
export interface CountedKind {
  readonly apiVersion: string;
  readonly plural: string;
}

/** GETs `path` from the API server as a metadata-only list (60 s timeout): its status and body. */
export function getMetadata(c: Connection, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c.server),
      { agent: c.agent, headers: { accept: METADATA_ONLY }, timeout: 60_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

interface Meta {
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly labels?: Record<string, string>;
}

/** What one kind's watch knows: the claim namespace of every object (by uid) that has the label. */
export class KindState {
  readonly objects = new Map<string, string>();
  synced = false;
  resourceVersion = '';
}

/**
 * Applies one line of a watch stream to a kind's state: an object with the label is counted under its claim
 * namespace, one deleted or without the label is not; a bookmark only moves the resourceVersion. Returns false for an
 * ERROR event (the resourceVersion expired: the kind must be listed again).
 */
export function applyWatchEvent(state: KindState, line: string): boolean {
  const event = JSON.parse(line) as { type: string; object: { metadata?: Meta } };
  if (event.type === 'ERROR') return false;
  const meta = event.object.metadata ?? {};
  if (meta.resourceVersion) state.resourceVersion = meta.resourceVersion;
  if (event.type === 'BOOKMARK' || !meta.uid) return true;
  const ns = meta.labels?.[CLAIM_NAMESPACE_LABEL];
  if (event.type === 'DELETED' || !ns) state.objects.delete(meta.uid);
  else state.objects.set(meta.uid, ns);
  return true;
}

/** Counts composed objects by claim namespace. */
export class Census {
  private readonly c: Connection;
  private readonly states: Map<string, KindState>;
  private readonly requests = new Set<{ destroy(): void }>();
  private closed = false;
  /** Errors of the lists and watches, newest last, at most 20. */
  readonly errors: string[] = [];

  constructor(kubeconfig: string, kinds: readonly CountedKind[]) {
    this.c = connectionOf(kubeconfig);
    this.states = new Map(kinds.map((k) => [this.key(k), new KindState()]));
    for (const k of kinds) void this.loop(k);
  }

  private key(k: CountedKind): string {
    return `${k.apiVersion}/${k.plural}`;
  }

  private note(message: string): void {
    this.errors.push(`${new Date().toISOString()} ${message}`);
    if (this.errors.length > 20) this.errors.shift();
  }

  /** List (paged), then watch from its resourceVersion; a watch that ends is resumed, one that expired is listed again. */
  private async loop(k: CountedKind): Promise<void> {
    const state = this.states.get(this.key(k))!;
    const collection = `/apis/${k.apiVersion}/${k.plural}`;
    const selector = `labelSelector=${encodeURIComponent(CLAIM_NAMESPACE_LABEL)}`;
    let listed = false;
    while (!this.closed) {
      try {
        if (!listed) {
          const objects = new Map<string, string>();
          let next = '';
          let rv = '';
          do {
            const res = await getMetadata(
              this.c,
              `${collection}?${selector}&limit=2000${next ? `&continue=${encodeURIComponent(next)}` : ''}`,
            );
            if (res.status !== 200) throw new Error(`list ${collection}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
            const body = JSON.parse(res.text) as {
              metadata: { continue?: string; resourceVersion: string };
              items?: { metadata: Meta }[] | null;
            };
            for (const item of body.items ?? []) {
              const ns = item.metadata.labels?.[CLAIM_NAMESPACE_LABEL];
              if (ns && item.metadata.uid) objects.set(item.metadata.uid, ns);
            }
            rv = body.metadata.resourceVersion;
            next = body.metadata.continue ?? '';
          } while (next);
          state.objects.clear();
          for (const [uid, ns] of objects) state.objects.set(uid, ns);
          state.resourceVersion = rv;
          state.synced = true;
          listed = true;
        }
        listed = await this.watch(collection, selector, state);
      } catch (err) {
        if (!this.closed) this.note(err instanceof Error ? err.message : String(err));
        listed = false;
      }
      if (!this.closed) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /** Applies one watch's events; resolves true when it can be resumed, false when the kind must be listed again. */
  private watch(collection: string, selector: string, state: KindState): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const path = `${collection}?${selector}&watch=1&allowWatchBookmarks=true&resourceVersion=${state.resourceVersion}&timeoutSeconds=600`;
      let expired = false;
      const req = request(
        new URL(path, this.c.server),
        { agent: this.c.watchAgent, headers: { accept: METADATA } },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`watch ${collection}: HTTP ${res.statusCode}`));
            return;
          }
          onWatchLines(res, (line) => {
            if (applyWatchEvent(state, line)) return true;
            // 410 Gone: the resourceVersion left etcd's window; list again.
            expired = true;
            req.destroy();
            return false;
          });
          res.on('end', () => resolve(!expired));
          res.on('error', (err) => (expired ? resolve(false) : reject(err)));
        },
      );
      this.requests.add(req);
      req.on('close', () => {
        this.requests.delete(req);
        resolve(!expired);
      });
      req.on('error', (err) => (expired ? resolve(false) : reject(err)));
      req.end();
    });
  }

  /**
   * Composed objects per claim namespace, over every kind, and the number of objects of each kind, as the watches
   * know them now. Rejects while a kind has not been listed yet (a missed sample).
   */
  async count(): Promise<{ byNamespace: Map<string, number>; byKind: Map<string, number> }> {
    const pending = [...this.states].filter(([, s]) => !s.synced).map(([k]) => k);
    if (pending.length > 0)
      throw new Error(`not listed yet: ${pending.slice(0, 5).join(', ')}${pending.length > 5 ? ', …' : ''}`);
    const byNamespace = new Map<string, number>();
    const byKind = new Map<string, number>();
    for (const [key, s] of this.states) {
      byKind.set(key, s.objects.size);
      for (const ns of s.objects.values()) byNamespace.set(ns, (byNamespace.get(ns) ?? 0) + 1);
    }
    return { byNamespace, byKind };
  }

  /** Ends the watches and closes the connection's sockets. */
  close(): void {
    this.closed = true;
    for (const r of this.requests) r.destroy();
    this.c.agent.destroy();
    this.c.watchAgent.destroy();
  }
}
