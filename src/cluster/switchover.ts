/**
 * How far a switchover has got, read from the cluster the way `drctl status` (the estate tree) and `drctl unpause`
 * (the database guard) read it: the region the claim reports active, the Aurora writer's region, Ready of the claim and
 * its composite, and every object still paused. Read-only.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { readDatabase } from './database.js';
import { estateTree, flatten } from './tree.js';

/** One reading of an estate during a switchover. */
export interface SwitchoverObservation {
  /** status.activeRegion of the claim: the region the composite has applied. */
  readonly activeRegion?: string;
  /** Where the Aurora writer is (the global cluster's members, else the claim's status.databaseWriterRegion). */
  readonly writerRegion?: string;
  /** True when the claim and its composite are both Ready. */
  readonly ready: boolean;
  /** kind/name of the claim or composite that is not Ready, with its message. */
  readonly notReady: readonly string[];
  /** kind/name of every object carrying crossplane.io/paused, and of Aurora clusters the database guard keeps paused. */
  readonly paused: readonly string[];
  /** Each region's fields of the claim's status (status.regions.<region>), for the primitives' drill checks. */
  readonly regions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Reads the estate once; throws ClusterError (or the client's error) when the cluster or the claim cannot be read. */
export async function observeSwitchover(kc: KubeConfig, namespace: string, name: string): Promise<SwitchoverObservation> {
  const tree = await estateTree(kc, namespace, name);
  const db = await readDatabase(kc, namespace, name);
  const top = [tree, ...tree.children.slice(0, 1)];
  const notReady = top
    .filter((n) => n.ready !== 'True')
    .map((n) => `${n.kind}/${n.name}${n.message ? ` (${n.message})` : n.error ? ` (${n.error})` : ''}`);
  const paused = new Set(
    flatten(tree)
      .filter((n) => n.paused)
      .map((n) => `${n.kind}/${n.name}`),
  );
  let writerRegion = tree.estate?.databaseWriterRegion;
  if (db) {
    const { databaseSwitchover, liveView } = await import('../compose/index.js');
    const guard = databaseSwitchover(db.composite, liveView(db.observed));
    writerRegion = guard.writerRegion ?? writerRegion;
    if (guard.paused) {
      if (guard.stale.length === 0)
        paused.add(
          `${db.composite.kind}/${(db.composite.metadata as { name?: string } | undefined)?.name ?? ''} (clusters paused)`,
        );
      for (const s of guard.stale) paused.add(`Cluster/${s.name} (stale replicationSourceIdentifier ${s.value})`);
    }
  }
  return {
    ...(tree.estate?.activeRegion ? { activeRegion: tree.estate.activeRegion } : {}),
    ...(writerRegion ? { writerRegion } : {}),
    ready: notReady.length === 0,
    notReady,
    paused: [...paused].sort(),
    ...(tree.estate?.regions ? { regions: tree.estate.regions } : {}),
  };
}
