/** XDRMonitoring: alerts, alarms, a dashboard and the replication-lag monitor. */
import { arcReadiness } from '../../api/sections.js';
import type { Primitive } from '../types.js';
import { composeMonitoring } from './compose.js';
import { monitoringLines } from './cost.js';
import { lagMonitorLines } from './lag-monitor-cost.js';
import { watchedSpec } from './watches.js';

/** The monitoring primitive. */
export const monitoring: Primitive<'XDRMonitoring'> = {
  key: 'monitoring',
  holdsData: false,
  compose: (ctx, s, o, opts) => composeMonitoring(ctx, s, o, opts.artifacts),
  nested: (claim, x, ctx) =>
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
              // What each watched primitive passes (its watch hook: kubernetes' node groups).
              ...watchedSpec(claim, x, ctx),
              ...(claim.database && x.writerRegion !== undefined ? { databaseWriterRegion: x.writerRegion } : {}),
            },
          },
        ]
      : [],
  cost: (ctx) => [...monitoringLines(ctx), ...lagMonitorLines(ctx)],
  // Alarm recipients, the lag threshold and automatic mode's need of monitoring are estate-wide rules (src/policy/rules).
  rules: [],
};
