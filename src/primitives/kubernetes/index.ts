/** XRegionalCluster: an EKS cluster per region in the estate network, its node group sized by standby mode. */
import type { Primitive } from '../types.js';
import { composeCluster } from './compose.js';
import { clusterLines } from './cost.js';
import { controlPlaneLogLines } from './logs-cost.js';
import { clusterDrillChecks, clusterRecoverySteps, clusterRtoCandidates } from './recovery.js';
import { KUBERNETES_RULES } from './rules.js';
import { clusterStatus } from './status.js';
import { clusterWatch } from './watch.js';

/** The kubernetes primitive: composed when the claim has a kubernetes section and a network to put it in. */
export const kubernetes: Primitive<'XRegionalCluster'> = {
  key: 'kubernetes',
  // Stateful (a production cluster is orphaned on deletion), but no data store of the estate.
  holdsData: false,
  compose: (ctx, s, o, options, xr) => composeCluster(ctx, s, o, xr, options.today),
  // Without a network there are no private subnets: kubernetes.needs-network refuses such a claim.
  nested: (claim, x) =>
    claim.kubernetes && claim.network
      ? [
          {
            section: 'spec.kubernetes',
            spec: {
              kubernetes: claim.kubernetes,
              // Where the writer is: the node group there is sized as the active region's (scaling.ts servingRegions).
              ...(claim.database && x.writerRegion !== undefined ? { databaseWriterRegion: x.writerRegion } : {}),
            },
          },
        ]
      : [],
  cost: clusterLines,
  // Control-plane logs at their own assumed volume per log type (the estate-wide log lines leave those groups out).
  logs: controlPlaneLogLines,
  rules: KUBERNETES_RULES,
  // A warm or pilot-light standby scales up on failover: that enters the RTO, and a drill waits for it.
  recoverySteps: clusterRecoverySteps,
  // The standby modes that remove that scale-up, for the objectives advice to time.
  rtoCandidates: clusterRtoCandidates,
  drillChecks: clusterDrillChecks,
  // Each region's node group in the claim's status, a line per region in drctl status, counts under each NodeGroup.
  status: clusterStatus,
  // XDRMonitoring watches its node groups: alarms, the failed-launch rule, the lag monitor's reads (watch.ts).
  watch: clusterWatch,
};
