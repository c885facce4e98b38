/** The schema of XDRMonitoring: the estate context and the claim section it owns. */
import { z } from 'zod';
import {
  estate,
  flag,
  names,
  observedPerRegion,
  databaseEngineFields,
  PrimitiveStatusSchema,
  type PrimitiveApi,
} from '../../api/estate.js';
import { boundedRecord } from '../../api/fields.js';
import * as section from '../../api/sections.js';
import { MAX_NODES_PER_GROUP } from '../kubernetes/section.js';

/** Spec of XDRMonitoring. */
export const DRMonitoringSpecSchema = z
  .object({
    ...estate,
    monitoring: section.monitoring(),
    tables: names('DynamoDB global tables'),
    buckets: names('replicated buckets'),
    database: flag('an Aurora global database'),
    ...databaseEngineFields,
    service: flag('a regional service'),
    routing: flag('Route 53 health checks'),
    arcReadiness: flag(
      "Route 53 ARC readiness checks (routing.arc.readiness): each region's lag monitor then reports its region's cell readiness for the claim's status",
    ),
    healthCheckIds: observedPerRegion('Id of the Route 53 health check of the service'),
    nodeHealth: flag(
      "EKS clusters with a network (spec.kubernetes): each region's node-health rule publishes to the alert topic, so the monitoring key admits EventBridge from the start",
    ),
    nodeGroupAutoScalingGroups: observedPerRegion(
      "Name of the Auto Scaling group of the EKS managed node group (XRegionalCluster's nodes.autoScalingGroup)",
      z.string().max(255),
    ),
    nodeGroupMinimumSizes: boundedRecord(
      z.string().max(32),
      z.number().int().min(0).max(MAX_NODES_PER_GROUP).describe("The node group's minimum size in this region."),
      8,
      'regions',
    )
      .default({})
      .describe(
        "Per region, the minimum size the composition gives the EKS managed node group now (XRegionalCluster's floor: kubernetes.nodeGroup.minSize where the region serves, its standby mode's elsewhere), set by the estate with nodeHealth. Once the group's Auto Scaling group is known (it existed), the region's lag monitor publishes it as the nodes the group lacks whenever EKS no longer knows the group, so a vanished group fires the below-minimum alarm.",
      ),
    databaseWriterRegion: z
      .string()
      .max(32)
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (observed); shown on the dashboard (the lag monitors ask RDS who writes at run time).",
      ),
  })
  .describe('Alerts, alarms, a dashboard and the replication-lag monitor.');

/** Spec of XDRMonitoring, after defaults. */
export type DRMonitoringSpec = z.output<typeof DRMonitoringSpecSchema>;

/** XDRMonitoring as the XRD generator and the function see it. */
export const api = {
  kind: 'XDRMonitoring',
  plural: 'xdrmonitorings',
  shortNames: ['xmon'],
  spec: DRMonitoringSpecSchema,
  status: PrimitiveStatusSchema,
  /** Each region's alert topic ARN. */
  outputs: { regions: ['arn'], composite: [] },
  /** Its claim section: spec.monitoring. */
  claim: { field: 'monitoring', schema: section.monitoring, page: 'Operations' },
} as const satisfies PrimitiveApi;
