/**
 * The DisasterRecovery claim: what a platform team writes. The schema is the single source of
 * truth for the XRD, `drctl`, the portal and the TypeScript types.
 */
import { z } from 'zod';
import { environment, objectives, profile, providerConfigRef, regions, tags } from './fields.js';
import { activeRegion } from './sections.js';
import { CROSS_FIELD_RULES } from './rules.js';
import { lastFailover } from './status.js';
import { PRIMITIVE_APIS, type PrimitiveKind } from '../primitives/kinds.js';
import type { ClaimSection } from './estate.js';

export { lastFailover, readinessStatus } from './status.js';

/** API group and version of every drplane kind. */
export const GROUP = 'drplane.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

type Apis = typeof PRIMITIVE_APIS;
/** Every primitive's claim section, optional, by its claim field. */
type ClaimSections = {
  [K in PrimitiveKind as Apis[K]['claim']['field']]: z.ZodOptional<ReturnType<Apis[K]['claim']['schema']>>;
};

/** The primitives' sections of the claim, in the estate's order (src/primitives/kinds.ts): each primitive names its own. */
function claimSections(): ClaimSections {
  const apis = Object.values(PRIMITIVE_APIS);
  return Object.fromEntries(apis.map((api) => [api.claim.field, api.claim.schema().optional()])) as ClaimSections;
}

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
    ...claimSections(),
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

/**
 * The primitives' own fields of the claim's status.regions.<region> (each api's `claim.regionStatus`), in the estate's
 * order: each primitive's registry entry fills its own (its `status` hook).
 */
function primitiveRegionStatus(): z.ZodRawShape {
  const sections: readonly ClaimSection[] = Object.values(PRIMITIVE_APIS).map((api) => api.claim);
  return Object.assign({}, ...sections.map((section) => section.regionStatus ?? {})) as z.ZodRawShape;
}

/** Endpoints of one region, reported in status. */
const regionEndpoints = z
  .object({
    ...primitiveRegionStatus(),
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
