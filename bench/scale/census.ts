/**
 * How many composed objects each estate has in the cluster: metadata-only lists (PartialObjectMetadataList, so the
 * API server sends names and labels, not specs) of every kind the plans compose, counted by the
 * `crossplane.io/claim-namespace` label Crossplane puts on everything composed for a claim, nested composites
 * included. Every estate of the benchmark has a namespace of its own.
 */
import { request } from 'node:https';
import { connectionOf, type Connection } from '../../test/e2e/support/provider-status-stand-in.js';

/** Label Crossplane sets on composed resources (and nested composites) of a claim. */
export const CLAIM_NAMESPACE_LABEL = 'crossplane.io/claim-namespace';

/** Accept header of a metadata-only list (PartialObjectMetadataList): names, labels and managedFields, no specs. */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

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

/** Counts composed objects by claim namespace. */
export class Census {
  private readonly c: Connection;
  constructor(
    kubeconfig: string,
    private readonly kinds: readonly CountedKind[],
  ) {
    this.c = connectionOf(kubeconfig);
  }

  /** Composed objects per claim namespace, over every kind, and the number of objects of each kind. */
  async count(): Promise<{ byNamespace: Map<string, number>; byKind: Map<string, number> }> {
    const byNamespace = new Map<string, number>();
    const byKind = new Map<string, number>();
    await Promise.all(
      this.kinds.map(async (k) => {
        let next: string | undefined = '';
        let n = 0;
        while (next !== undefined) {
          const path = `/apis/${k.apiVersion}/${k.plural}?labelSelector=${encodeURIComponent(CLAIM_NAMESPACE_LABEL)}&limit=2000${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
          const res = await getMetadata(this.c, path);
          if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
          const body = JSON.parse(res.text) as {
            metadata?: { continue?: string };
            items?: { metadata: { labels?: Record<string, string> } }[] | null;
          };
          for (const item of body.items ?? []) {
            const ns = item.metadata.labels?.[CLAIM_NAMESPACE_LABEL];
            if (ns) byNamespace.set(ns, (byNamespace.get(ns) ?? 0) + 1);
          }
          n += body.items?.length ?? 0;
          next = body.metadata?.continue || undefined;
        }
        byKind.set(`${k.apiVersion}/${k.plural}`, n);
      }),
    );
    return { byNamespace, byKind };
  }

  /** Closes the connection's sockets. */
  close(): void {
    this.c.agent.destroy();
    this.c.watchAgent.destroy();
  }
}
