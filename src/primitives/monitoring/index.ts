/** XDRMonitoring: alerts, alarms, a dashboard and the replication-lag monitor. */
import { arcReadiness } from '../../api/sections.js';
import type { Primitive } from '../types.js';
import { composeMonitoring } from './compose.js';
import { monitoringLines } from './cost.js';
import { lagMonitorLines } from './lag-monitor-cost.js';

/** The monitoring primitive. */
export const monitoring: Primitive<'XDRMonitoring'> = {
  key: 'monitoring',
  holdsData: false,
  compose: (ctx, s, o, opts) => composeMonitoring(ctx, s, o, opts.artifacts),
  nested: (claim, x) =>
    claim.monitoring
      ? [
          {
            section: 'spec.monitoring',
            spec: {
              monitoring: claim.monitoring,
              tables: (claim.tables ?? []).map((t) => t.name),
              buckets: (claim.buckets ?? []).map((b) => b.name),
              database: claim.database !== undefined,
              ...(claim.database
                ? { databaseEngine: claim.database.engine, databaseEngineVersion: claim.database.engineVersion }
                : {}),
              service: claim.service !== undefined,
              routing: claim.routing !== undefined && claim.service !== undefined,
              arcReadiness: claim.routing !== undefined && claim.service !== undefined && arcReadiness(claim.routing),
              healthCheckIds: x.healthCheckIds,
              // With a cluster (kubernetes.needs-network: only with a network), its node groups' Auto Scaling groups.
              nodeHealth: claim.kubernetes !== undefined && claim.network !== undefined,
              ...(claim.kubernetes && claim.network ? { nodeGroupAutoScalingGroups: x.nodeGroupAutoScalingGroups } : {}),
              ...(claim.database && x.writerRegion !== undefined ? { databaseWriterRegion: x.writerRegion } : {}),
            },
          },
        ]
      : [],
  cost: (ctx) => [...monitoringLines(ctx), ...lagMonitorLines(ctx)],
  // Alarm recipients, the lag threshold and automatic mode's need of monitoring are estate-wide rules (src/policy/rules).
  rules: [],
};
