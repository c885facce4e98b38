/** The schema of XFailoverController: the estate context and the claim section it owns. */
import { z } from 'zod';
import {
  estate,
  flag,
  observedPerRegion,
  databaseEngineFields,
  PrimitiveStatusSchema,
  type PrimitiveApi,
} from '../../api/estate.js';
import * as section from '../../api/sections.js';
import { MAX_NODES_PER_GROUP } from '../kubernetes/section.js';

/** Spec of XFailoverController. */
export const FailoverControllerSpecSchema = z
  .object({
    ...estate,
    failover: section.failover(),
    database: flag('an Aurora global database to switch over'),
    ...databaseEngineFields,
    routing: flag('Route 53 records to move'),
    monitoring: flag('an alert topic per region (the automatic trigger reports to it)'),
    zoneId: z
      .string()
      .max(32)
      .optional()
      .describe('Id of the Route 53 hosted zone that holds the failover records (spec.routing.zoneId of the claim).'),
    recordName: z
      .string()
      .max(253)
      .optional()
      .describe('Name of the PRIMARY/SECONDARY failover record set (spec.routing.recordName of the claim).'),
    routingPolicy: z
      .enum(['failover', 'latency'])
      .optional()
      .describe(
        "Routing policy of the service records in force (the claim's spec.routing.policy or its default by region count); the orchestrator reads it when Route 53's API is lost, to know whether health-checked DNS already serves the target.",
      ),
    routingControl: z
      .enum(['health-check', 'arc'])
      .optional()
      .describe(
        "What moves the service records' traffic when the orchestrator fails over: arc once the claim's routing controls are armed (the records carry the ARC-gated checks, the orchestrator flips the controls), else health-check (it moves the records).",
      ),
    arcControlArns: observedPerRegion("ARN of the region's Route 53 ARC routing control (routing.control arc)"),
    arcEndpoints: z
      .string()
      .max(4096)
      .optional()
      .describe(
        "The ARC cluster's regional endpoints as JSON [{endpoint, region}] (observed), through which the orchestrator flips the routing controls.",
      ),
    databaseWriterRegion: z
      .string()
      .max(32)
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (observed); the automatic trigger watches it, so after a failover outside git it watches the region that now serves.",
      ),
    nodeGroupSize: z
      .number()
      .int()
      .min(1)
      .max(MAX_NODES_PER_GROUP)
      .optional()
      .describe(
        "Set when the estate has an EKS cluster per region (the claim's spec.kubernetes.nodeGroup.minSize): the run's first step raises the target region's node group to this many nodes.",
      ),
    healthUrls: observedPerRegion('HTTPS URL of the service /health endpoint'),
    healthCheckIds: observedPerRegion('Id of the Route 53 health check of the service'),
    clusterArns: observedPerRegion('ARN of the Aurora cluster'),
    databaseWriterEndpoints: observedPerRegion(
      'Cluster (writer) endpoint of the Aurora cluster; the orchestrator points writer.<recordName> at the target region',
    ),
    databaseReaderEndpoints: observedPerRegion(
      'Reader endpoint of the Aurora cluster; the orchestrator points reader.<recordName> at the target region',
    ),
    topicArns: observedPerRegion(
      'ARN of the SNS alert topic (the orchestrator of each region notifies its own, so a failover away from a region that is down is still heard)',
    ),
  })
  .describe('The failover orchestrator, its DR-operations role and the activeRegion trigger.');

/** Spec of XFailoverController, after defaults. */
export type FailoverControllerSpec = z.output<typeof FailoverControllerSpecSchema>;

/** XFailoverController as the XRD generator and the function see it. */
export const api = {
  kind: 'XFailoverController',
  plural: 'xfailovercontrollers',
  shortNames: ['xfoc'],
  spec: FailoverControllerSpecSchema,
  status: PrimitiveStatusSchema,
  /** Publishes nothing other primitives read (its external ID goes to its connection secret). */
  outputs: { regions: [], composite: [] },
  /** Its claim section: spec.failover. */
  claim: { field: 'failover', schema: section.failover, page: 'Operations' },
} as const satisfies PrimitiveApi;
