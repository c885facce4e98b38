/** XFailoverController: the failover orchestrator, its DR-operations role and the activeRegion trigger. */
import type { Manifest } from '../../compose/types.js';
import { arcArmed } from '../../api/sections.js';
import { routingPolicy } from '../routing/compose.js';
import type { Primitive } from '../types.js';
import { composeFailover, connectionSecretOf } from './compose.js';
import { FAILOVER_RULES, failoverBlocker } from './rules.js';

/** The UID the API server gave a composite, if it has one (a plan's and a render's composites have none). */
const uidOf = (xr: Manifest): string | undefined => {
  const uid = (xr.metadata as { uid?: unknown } | undefined)?.uid;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
};

/** The failover primitive: composed only when the estate has everything the orchestrator needs (failoverBlocker). */
export const failover: Primitive<'XFailoverController'> = {
  key: 'failover',
  holdsData: false,
  compose: (ctx, s, o, opts, xr) => composeFailover(ctx, s, o, uidOf(xr), opts.artifacts),
  nested: (claim, x, ctx) =>
    claim.failover && failoverBlocker(claim) === undefined
      ? [
          {
            section: 'spec.failover',
            spec: {
              failover: claim.failover,
              database: true,
              databaseEngine: claim.database!.engine,
              databaseEngineVersion: claim.database!.engineVersion,
              routing: true,
              monitoring: true,
              zoneId: claim.routing!.zoneId!,
              recordName: claim.routing!.recordName,
              routingPolicy: routingPolicy(ctx, { routing: claim.routing! }),
              // routing.control arc, armed (the records carry the gated checks): the orchestrator flips the routing
              // controls (their ARNs and the cluster's endpoints). Unarmed, the records keep the endpoint checks and
              // the orchestrator moves them as with health-check.
              ...(arcArmed(claim.routing!)
                ? {
                    routingControl: 'arc' as const,
                    arcControlArns: x.arcControlArns,
                    ...(x.arcEndpoints !== undefined ? { arcEndpoints: x.arcEndpoints } : {}),
                  }
                : {}),
              ...(x.writerRegion !== undefined ? { databaseWriterRegion: x.writerRegion } : {}),
              // An EKS cluster per region (XRegionalCluster is composed with a network): scale-nodes raises the target's.
              ...(claim.kubernetes && claim.network ? { nodeGroupSize: claim.kubernetes.nodeGroup.minSize } : {}),
              healthUrls: x.healthUrls,
              healthCheckIds: x.healthCheckIds,
              clusterArns: x.clusterArns,
              databaseWriterEndpoints: x.writers,
              databaseReaderEndpoints: x.readers,
              topicArns: x.topicArns,
            },
            // The composite's connection details (the orchestrator's external ID) go to this Secret.
            writeConnectionSecretToRef: connectionSecretOf(ctx),
          },
        ]
      : [],
  // The orchestrator's invocations are not modelled; its log groups and keys are in the estate-wide lines.
  cost: null,
  rules: FAILOVER_RULES,
};
