/**
 * The DisasterRecovery claim: what a platform team writes. The schema is the single source of
 * truth for the XRD, `drctl`, the portal and the TypeScript types.
 */
import { z } from 'zod';
import { environment, objectives, profile, providerConfigRef, regions, tags } from './fields.js';
import * as section from './sections.js';
import { activeRegion } from './sections.js';
import { CROSS_FIELD_RULES } from './rules.js';
import { kubernetes } from '../primitives/kubernetes/section.js';
import { CLUSTER_SCALE_UP } from '../facts/timings.js';

/** API group and version of every drplane kind. */
export const GROUP = 'drplane.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Spec of a DisasterRecovery claim (and of its XDisasterRecovery composite). */
export const DisasterRecoverySpecSchema = z
  .object({
    environment: environment(),
    profile: profile(),
    regions: regions(),
    activeRegion: activeRegion(),
    objectives: objectives().optional(),
    tags: tags().optional(),
    providerConfigRef: providerConfigRef().optional(),
    network: section.network().optional(),
    database: section.database().optional(),
    tables: section.tables().optional(),
    buckets: section.buckets().optional(),
    service: section.service().optional(),
    kubernetes: kubernetes().optional(),
    routing: section.routing().optional(),
    monitoring: section.monitoring().optional(),
    backup: section.backup().optional(),
    failover: section.failover().optional(),
  })
  .describe('Desired disaster-recovery estate: regions, objectives and the data and services to protect.');

/** Spec of a DisasterRecovery claim after defaults are applied. */
export type DisasterRecoverySpec = z.output<typeof DisasterRecoverySpecSchema>;
/** Spec of a DisasterRecovery claim as a user writes it (defaults optional). */
export type DisasterRecoverySpecInput = z.input<typeof DisasterRecoverySpecSchema>;

/**
 * Rules on a change of the claim (CEL transition rules: `oldSelf` is the spec before the update). The API server
 * enforces them on update only; `drctl validate` sees one version of a claim and cannot (`drctl plan --diff` shows
 * what a change replaces).
 */
export const TRANSITION_RULES = [
  {
    id: 'provider-config.immutable',
    path: 'spec.providerConfigRef',
    cel: "(has(self.providerConfigRef) ? self.providerConfigRef.name : 'default') == (has(oldSelf.providerConfigRef) ? oldSelf.providerConfigRef.name : 'default')",
    message:
      'spec.providerConfigRef cannot change: another ProviderConfig is another AWS account, where the estate would be created anew while its resources stay behind unmanaged; keep the name, and create a new claim for the other account',
  },
] as const;

/** CEL validations placed on spec: the cross-field rules, then the transition rules. */
export const SPEC_VALIDATIONS = [
  ...CROSS_FIELD_RULES.map((r) => ({ rule: r.cel, message: `${r.message} (${r.id})` })),
  ...TRANSITION_RULES.map((r) => ({ rule: r.cel, message: `${r.message} (${r.id})` })),
];

/** The last change of activeRegion, as the function observed it (estate and primitives alike). */
export const lastFailover = () =>
  z
    .object({
      from: z.string().optional().describe('Region that was active before.'),
      to: z.string().optional().describe('Region that became active.'),
      at: z.string().optional().describe('When the change of activeRegion was observed (RFC 3339).'),
    })
    .optional()
    .describe('The last change of activeRegion.');

/** A region's EKS managed node group as last observed (XRegionalCluster), reported in status. */
export const nodeGroupStatus = () =>
  z
    .object({
      ready: z.boolean().optional().describe('True when the NodeGroup resource reports Ready.'),
      desiredSize: z.number().int().optional().describe('Nodes the node group runs (its desired size).'),
      minSize: z
        .number()
        .int()
        .optional()
        .describe("The node group's minimum: this region's floor (its standby mode's, or minSize when active)."),
      maxSize: z.number().int().optional().describe("The node group's maximum."),
      status: z.string().max(32).optional().describe("EKS's status of the node group (ACTIVE, CREATING, UPDATING, DEGRADED, …)."),
      autoScalingGroup: z
        .string()
        .max(255)
        .optional()
        .describe('Name of the Auto Scaling group EKS runs the nodes in, once EKS reports it.'),
      capacitySince: z
        .string()
        .max(40)
        .optional()
        .describe(
          `When the node group was first seen holding serving capacity, in every reconcile since (RFC 3339): Ready, EKS status ACTIVE, at least kubernetes.nodeGroup.minSize nodes desired and its CoreDNS add-on Ready. A region that stopped serving scales down once every serving region has held it for ${CLUSTER_SCALE_UP.nodes.worstSeconds / 60} minutes.`,
        ),
    })
    .optional()
    .describe("The region's EKS node group as last observed: node counts, EKS status and readiness (once it exists).");

/**
 * A region's Route 53 ARC readiness as its lag monitor last reported it (routing.arc.readiness): the monitor reads the
 * region's cell from the readiness API every run and writes the result to an SSM parameter of its region, which the
 * routing composite observes. Needs the claim's monitoring section (the lag monitor runs there).
 */
export const readinessStatus = () =>
  z
    .object({
      state: z
        .enum(['READY', 'NOT_READY', 'UNKNOWN', 'NOT_AUTHORIZED'])
        .describe(
          "The cell's readiness as the ARC readiness API answered (GetCellReadinessSummary); UNKNOWN with a reason when there is no usable report.",
        ),
      checkedAt: z
        .string()
        .optional()
        .describe('When the readiness API answer was read (RFC 3339, UTC); absent without a usable report.'),
      staleAfter: z
        .string()
        .optional()
        .describe(
          'checkedAt plus 30 minutes (RFC 3339, UTC): a report not renewed by then is no longer current (the region, its lag monitor or the readiness API in us-west-2 is out, or monitoring was removed); drctl status asks the API itself.',
        ),
      reason: z
        .string()
        .optional()
        .describe(
          "Why the state is UNKNOWN without a report: none observed yet (before the lag monitor's first run, or while the region cannot be observed), an unreadable one, another cell's, or one dated more than 5 minutes after the function's clock (a skewed clock or a hand-written value).",
        ),
    })
    .optional()
    .describe(
      "This region's ARC readiness (routing.arc.readiness with monitoring) as its lag monitor last reported it, with the time and when it turns stale, or UNKNOWN with the reason. The report is an SSM parameter (/drplane/<estate id>/lag-state/arc-readiness) the lag monitor creates with the estate's tags; it is not deleted with the estate.",
    );

/** Endpoints of one region, reported in status. */
const regionEndpoints = z
  .object({
    serviceUrl: z.string().optional().describe('Function URL or HTTP API endpoint of the service in this region.'),
    databaseWriter: z.string().optional().describe('Writer endpoint of the Aurora cluster in this region.'),
    databaseReader: z.string().optional().describe('Reader endpoint of the Aurora cluster in this region.'),
    healthCheckId: z.string().optional().describe('Id of the Route 53 health check that probes the service in this region.'),
    clusterNodes: nodeGroupStatus(),
    readinessCell: z
      .string()
      .optional()
      .describe(
        "Name of this region's Route 53 ARC readiness cell (routing.arc.readiness), once Ready. drctl status reads each cell's readiness from the ARC readiness API itself; readiness below is what the region's lag monitor last reported.",
      ),
    readiness: readinessStatus(),
    ready: z.boolean().optional().describe('True when every resource of this region is ready.'),
  })
  .describe('Endpoints and readiness of one region.');

/** Observed state of an estate, written by the composition function. */
export const DisasterRecoveryStatusSchema = z
  .object({
    primaryRegion: z.string().optional().describe('Primary region of the estate.'),
    activeRegion: z.string().optional().describe('Region that currently serves traffic and takes writes.'),
    databaseWriterRegion: z
      .string()
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it; differs from activeRegion while a switchover is under way.",
      ),
    regions: z.record(z.string(), regionEndpoints).optional().describe('Endpoints and readiness per region.'),
    publicUrl: z
      .string()
      .optional()
      .describe(
        "HTTPS URL of routing.recordName once one of its service records is Ready: the name clients call, fronting every region's HTTP API through API Gateway custom domains.",
      ),
    rpoSeconds: z.number().int().optional().describe('Requested RPO in seconds (printer column).'),
    rtoMinutes: z.number().int().optional().describe('Requested RTO in minutes (printer column).'),
    lastFailover: lastFailover(),
    replication: z
      .record(z.string(), z.string())
      .optional()
      .describe('Replication health per data store: Healthy, Lagging or Unknown.'),
    resources: z.number().int().optional().describe('Number of resources composed for the estate.'),
  })
  .describe('Observed state of the estate.');

/** Observed status of an estate. */
export type DisasterRecoveryStatus = z.output<typeof DisasterRecoveryStatusSchema>;

/** A whole claim document. */
export const DisasterRecoveryClaimSchema = z.object({
  apiVersion: z.literal(API_VERSION).describe(`Always ${API_VERSION}.`),
  kind: z.literal('DisasterRecovery').describe('Always DisasterRecovery.'),
  metadata: z
    .object({
      name: z
        .string()
        .min(1)
        .max(40)
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens, at most 40 characters')
        .describe('Name of the estate; part of every AWS name.'),
      namespace: z
        .string()
        .max(63)
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a Kubernetes namespace name')
        .default('default')
        .describe('Namespace of the claim.'),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .loose(),
  spec: DisasterRecoverySpecSchema,
});

/** A DisasterRecovery claim after defaults are applied. */
export type DisasterRecoveryClaim = z.output<typeof DisasterRecoveryClaimSchema>;
