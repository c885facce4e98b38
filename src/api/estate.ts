/**
 * What every primitive's schema is built from: the estate context each primitive receives, field helpers shared by
 * the primitives' specs (src/primitives/<name>/schema.ts), the status every primitive reports, and the shape of one
 * composite kind. Imports only the API's field, section and claim builders.
 */
import { z } from 'zod';
import { boundedRecord, environment, objectives, owner, profile, providerConfigRef, regions, tags } from './fields.js';
import * as section from './sections.js';
import { lastFailover, readinessStatus } from './status.js';
import { nodeGroupStatus } from '../primitives/kubernetes/section.js';

/** Fields every primitive receives from the estate. */
export const estate = {
  owner: owner(),
  environment: environment(),
  profile: profile(),
  regions: regions(),
  activeRegion: z.string().max(32).optional().describe('Region that serves traffic and takes writes; defaults to the primary.'),
  tags: tags().default({}),
  objectives: objectives().optional(),
  providerConfigRef: providerConfigRef().optional(),
};

export const flag = (what: string) => z.boolean().default(false).describe(`True when the estate has ${what}.`);
export const names = (what: string) =>
  z.array(z.string().max(63)).max(10).default([]).describe(`Logical names of the estate's ${what}.`);

/**
 * A map region → value that only exists after creation in another primitive (a service host, a
 * health check id, an ARN). The estate composer copies it from that primitive's observed status;
 * a region is absent until its value is known, and resources that need it wait for it.
 */
export const observedPerRegion = (what: string, value: z.ZodString = z.string().max(2048)) =>
  boundedRecord(z.string().max(32), value.describe(`${what} in this region.`), 8, 'regions')
    .default({})
    .describe(`${what} per region, set by the estate from another primitive's observed status once known.`);

/** Engine and version of the estate's Aurora global database: together they decide which lag metric AWS publishes. */
export const databaseEngineFields = {
  databaseEngine: z
    .enum(section.DATABASE_ENGINES)
    .optional()
    .describe('Engine of the Aurora global database: with its version, which lag metric its secondaries publish.'),
  databaseEngineVersion: z
    .string()
    .max(64)
    .optional()
    .describe('Engine version of the Aurora global database (Aurora MySQL below 3.04.0/2.12.0 has no AuroraGlobalDBRPOLag).'),
};

/** Status shared by every primitive. */
export const PrimitiveStatusSchema = z
  .object({
    regions: z
      .record(
        z.string(),
        z.object({
          ready: z.boolean().optional().describe('True when every resource in the region is ready.'),
          endpoint: z.string().optional().describe('Main (writer) endpoint of the primitive in this region, once known.'),
          readerEndpoint: z.string().optional().describe('Reader endpoint in this region, for primitives that have one.'),
          identifier: z.string().optional().describe('AWS identifier of the primitive main resource in this region.'),
          arn: z
            .string()
            .optional()
            .describe(
              'ARN of the primitive main resource in this region (Aurora cluster, SNS alert topic, backup vault), once known.',
            ),
          url: z.string().optional().describe('HTTPS URL of the service in this region, once known.'),
          healthCheckId: z.string().optional().describe('Id of the Route 53 health check of this region, once known.'),
          nodes: nodeGroupStatus(),
          routingControlArn: z
            .string()
            .optional()
            .describe("ARN of this region's Route 53 ARC routing control (routing.control arc), once known."),
          readinessCell: z
            .string()
            .optional()
            .describe(
              "Name of this region's Route 53 ARC readiness cell (routing.control arc), once Ready: drctl status reads its readiness (GetCellReadinessSummary).",
            ),
          readiness: readinessStatus(),
        }),
      )
      .optional()
      .describe('Readiness and endpoints per region.'),
    resources: z.number().int().optional().describe('Number of resources composed.'),
    primaryRegion: z.string().optional().describe('Primary region of the estate.'),
    lastFailover: lastFailover(),
    activeRegion: z.string().optional().describe('Region that serves traffic and takes writes.'),
    writerRegion: z
      .string()
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (XGlobalDatabase); differs from activeRegion while a switchover is under way.",
      ),
    adoptedWriterRegion: z
      .string()
      .optional()
      .describe(
        'Set when the Aurora writer moved away from activeRegion while git did not move (automatic failover, or by hand): the region the estate follows until git records it (XGlobalDatabase; nothing is paused for it).',
      ),
    arcEndpoints: z
      .string()
      .optional()
      .describe(
        "The Route 53 ARC cluster's regional endpoints (routing.control arc) as JSON [{endpoint, region}], once the cluster reports them: where routing control states are read and set.",
      ),
    publicUrl: z
      .string()
      .optional()
      .describe(
        "HTTPS URL of routing.recordName once one of its service records is Ready (XFailoverRouting): the name clients call, fronting every region's HTTP API.",
      ),
    servingRegions: z
      .array(z.string().max(32))
      .max(8)
      .optional()
      .describe(
        "Regions whose EKS node group is sized as the active region's (XRegionalCluster): activeRegion and the observed Aurora writer's region; one that leaves this list owes its scale-down.",
      ),
    scaleDownRegions: z
      .array(z.string().max(32))
      .max(8)
      .optional()
      .describe(
        "Regions that served before the last change of activeRegion and whose EKS node group still runs above its standby mode's floor (XRegionalCluster): each is scaled down to the floor once every serving region's node group has held its serving capacity (status.regions.<region>.nodes.capacitySince) for the settle time.",
      ),
    clustersPaused: z
      .boolean()
      .optional()
      .describe(
        'True while the Aurora Cluster resources are paused around a switchover (XGlobalDatabase); the composite events say why and what clears it.',
      ),
  })
  .describe('Observed state of the primitive.');

/** Description of one composite kind for the XRD generator and the function. */
export interface CompositeKind {
  /** Composite kind, e.g. XGlobalDatabase. */
  readonly kind: string;
  /** Plural resource name. */
  readonly plural: string;
  /** Claim kind, only for the top-level estate. */
  readonly claimKind?: string;
  /** Short names for kubectl. */
  readonly shortNames: readonly string[];
  /** Spec schema. */
  readonly spec: z.ZodType;
  /** Status schema. */
  readonly status: z.ZodType;
}

/** Fields every primitive spec has. */
export type EstateContext = z.output<z.ZodObject<typeof estate>>;
/** Names of the estate fields, which the estate composer fills in for every nested composite. */
export type EstateField = keyof typeof estate;

/** The pages of the Backstage form that hold claim sections (src/backstage/template.ts; the estate's fields go first). */
export const FORM_PAGES = ['Data', 'Network and compute', 'Operations'] as const;
/** A page of the Backstage form a claim section is on. */
export type FormPage = (typeof FORM_PAGES)[number];

/** The section of the DisasterRecovery claim a primitive owns. */
export interface ClaimSection {
  /** The claim's spec field (`spec.<field>`). */
  readonly field: string;
  /** The section's schema (the claim makes it optional). */
  readonly schema: () => z.ZodType;
  /** The Backstage form page it is on (src/backstage/template.ts PAGES). */
  readonly page: FormPage;
  /**
   * The fields it adds to the claim's status.regions.<region> (src/api/claim.ts places them in the estate's order),
   * filled by its registry entry's `status` hook. None: it reports nothing in the claim's status.
   */
  readonly regionStatus?: z.ZodRawShape;
}

/** A primitive's composite kind: a CompositeKind without a claim (only the estate has one). */
export interface PrimitiveApi extends CompositeKind {
  readonly claimKind?: never;
  /**
   * Its section of the claim: src/api/claim.ts places every primitive's section in the claim's spec, in the estate's
   * order (src/primitives/kinds.ts), and the Backstage form puts it on its page.
   */
  readonly claim: ClaimSection;
  /** What it publishes in its status for the estate and the other primitives (src/compose/outputs.ts reads it). */
  readonly outputs: PrimitiveOutputs;
}

/** Status of a primitive, as PrimitiveStatusSchema describes it. */
type PrimitiveStatus = z.output<typeof PrimitiveStatusSchema>;
/** A field of `status.regions.<region>` a primitive publishes (`ready` is every primitive's). */
export type RegionOutputField = Exclude<keyof NonNullable<PrimitiveStatus['regions']>[string], 'ready'>;
/** A field of `status` a primitive publishes for others (the rest is the function's own: resources, activeRegion, …). */
export type CompositeOutputField = Exclude<
  keyof PrimitiveStatus,
  'regions' | 'resources' | 'primaryRegion' | 'activeRegion' | 'lastFailover'
>;

/** The outputs of a primitive: the typed contract between it and the primitives that read it. */
export interface PrimitiveOutputs {
  /** Fields it publishes per region. */
  readonly regions: readonly RegionOutputField[];
  /** Fields it publishes for the whole composite. */
  readonly composite: readonly CompositeOutputField[];
}
