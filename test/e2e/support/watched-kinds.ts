/** The managed-resource kinds the provider status stand-in watches: every AWS kind the claims' plans compose. */
import type { DisasterRecoveryClaim } from '../../../src/api/claim.js';
import type { ComposeOptions } from '../../../src/compose/index.js';
import { planClaim } from '../../../src/compose/plan.js';
import type { WatchedKind } from './provider-status-stand-in.js';
import { typeKey, type CrdIndex } from './schema.js';

/**
 * The served `*.aws.upbound.io` kinds of every resource planned for `claims`, with each of their regions active (a
 * failover composes kinds a fresh estate lacks, such as the orchestrator's Invocation), in the versions the plans use.
 */
export function plannedKinds(claims: readonly DisasterRecoveryClaim[], crds: CrdIndex, options: ComposeOptions): WatchedKind[] {
  const kinds = new Map<string, WatchedKind>();
  const variants = claims.flatMap((c) =>
    [c.spec.regions.primary, ...c.spec.regions.secondaries].map((r) => ({ ...c, spec: { ...c.spec, activeRegion: r } })),
  );
  for (const claim of variants) {
    for (const { manifest } of planClaim(claim, undefined, options)) {
      const key = typeKey(manifest.apiVersion, manifest.kind);
      const served = crds.get(key);
      if (!served || !served.group.endsWith('.aws.upbound.io') || kinds.has(key)) continue;
      kinds.set(key, {
        apiVersion: manifest.apiVersion,
        kind: manifest.kind,
        plural: served.resource.slice(0, served.resource.indexOf('.')),
        schema: served.schema,
      });
    }
  }
  return [...kinds.values()].sort((a, b) => typeKey(a.apiVersion, a.kind).localeCompare(typeKey(b.apiVersion, b.kind)));
}
