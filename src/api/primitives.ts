/**
 * The DR primitives: one composite kind each, composed by the XDisasterRecovery composition from
 * the claim. Each primitive's spec is the shared estate context plus the claim section it owns.
 */
import { z } from 'zod';
import { boundedRecord, environment, objectives, owner, profile, providerConfigRef, regions, tags } from './fields.js';
import * as section from './sections.js';
import { DisasterRecoverySpecSchema, DisasterRecoveryStatusSchema, lastFailover } from './claim.js';

/** Fields every primitive receives from the estate. */
const estate = {
  owner: owner(),
  environment: environment(),
  profile: profile(),
  regions: regions(),
  activeRegion: z.string().max(32).optional().describe('Region that serves traffic and takes writes; defaults to the primary.'),
  tags: tags().default({}),
  objectives: objectives().optional(),
  providerConfigRef: providerConfigRef().optional(),
};

const flag = (what: string) => z.boolean().default(false).describe(`True when the estate has ${what}.`);
const names = (what: string) =>
  z.array(z.string().max(63)).max(10).default([]).describe(`Logical names of the estate's ${what}.`);

/**
 * A map region → value that only exists after creation in another primitive (a service host, a
 * health check id, an ARN). The estate composer copies it from that primitive's observed status;
 * a region is absent until its value is known, and resources that need it wait for it.
 */
const observedPerRegion = (what: string, value: z.ZodString = z.string().max(2048)) =>
  boundedRecord(z.string().max(32), value.describe(`${what} in this region.`), 8, 'regions')
    .default({})
    .describe(`${what} per region, set by the estate from another primitive's observed status once known.`);

/** Spec of XDRNetwork. */
/** Engine and version of the estate's Aurora global database: together they decide which lag metric AWS publishes. */
const databaseEngineFields = {
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

export const DRNetworkSpecSchema = z
  .object({
    ...estate,
    network: section.network(),
    databaseEngine: z
      .enum(section.DATABASE_ENGINES)
      .optional()
      .describe('Engine of the estate database, if any; only its port is opened, and only from the estate VPCs.'),
  })
  .describe('A VPC per region with private subnets, endpoints and peering.');

/** Spec of XGlobalDatabase. */
export const GlobalDatabaseSpecSchema = z
  .object({ ...estate, database: section.database() })
  .describe('An Aurora global database over all regions of the estate.');

/** Spec of XGlobalTable. */
export const GlobalTableSpecSchema = z
  .object({ ...estate, table: section.table() })
  .describe('A DynamoDB global table with a replica in every secondary region.');

/** Spec of XReplicatedBucket. */
export const ReplicatedBucketSpecSchema = z
  .object({ ...estate, bucket: section.bucket() })
  .describe('An S3 bucket per region with replication from the primary.');

/** Spec of XRegionalService. */
export const RegionalServiceSpecSchema = z
  .object({
    ...estate,
    service: section.service(),
    tables: names('DynamoDB tables the service reads and writes'),
    database: flag('an Aurora global database whose regional endpoint /health probes'),
    databaseEngine: z
      .enum(section.DATABASE_ENGINES)
      .optional()
      .describe('Engine of the Aurora global database: the protocol and port /health probes.'),
    databaseReaderEndpoints: observedPerRegion('Reader endpoint of the Aurora cluster, which /health probes'),
    network: flag('a network the service attaches to'),
    routing: flag(
      'Route 53 health checks, which cannot sign requests: an AWS_IAM service then gets an HTTP API with a public /health route',
    ),
  })
  .describe('The regional Lambda service in every region.');

/** Spec of XFailoverRouting. */
export const FailoverRoutingSpecSchema = z
  .object({
    ...estate,
    routing: section.routing(),
    database: flag('an Aurora global database that gets writer/reader CNAMEs'),
    service: flag('a regional service whose /health is checked'),
    serviceEndpoints: observedPerRegion('Host name of the service (Function URL or HTTP API host)'),
    databaseWriterEndpoints: observedPerRegion('Writer (cluster) endpoint of the Aurora cluster'),
    databaseReaderEndpoints: observedPerRegion('Reader endpoint of the Aurora cluster'),
    databaseWriterRegion: z
      .string()
      .max(32)
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (observed); the records follow it, so they stay on the writer after a failover outside git.",
      ),
  })
  .describe('Route 53 health checks and records that follow the database writer (else activeRegion).');

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
    healthCheckIds: observedPerRegion('Id of the Route 53 health check of the service'),
    databaseWriterRegion: z
      .string()
      .max(32)
      .optional()
      .describe(
        "Region of the Aurora global cluster's writer as AWS reports it (observed); shown on the dashboard (the lag monitors ask RDS who writes at run time).",
      ),
  })
  .describe('Alerts, alarms, a dashboard and the replication-lag monitor.');

/** Spec of XDRBackup. */
export const DRBackupSpecSchema = z
  .object({
    ...estate,
    backup: section.backup(),
    buckets: flag('replicated S3 buckets (the backup role then also gets the AWS Backup S3 policies)'),
  })
  .describe('AWS Backup vaults and a plan with cross-region copies.');

/** Spec of XFailoverController. */
export const FailoverControllerSpecSchema = z
  .object({
    ...estate,
    failover: section.failover(),
    database: flag('an Aurora global database to switch over'),
    ...databaseEngineFields,
    routing: flag('Route 53 records to move'),
    monitoring: flag('an estate-at-risk alarm'),
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
    healthUrls: observedPerRegion('HTTPS URL of the service /health endpoint'),
    healthCheckIds: observedPerRegion('Id of the Route 53 health check of the service'),
    clusterArns: observedPerRegion('ARN of the Aurora cluster'),
    topicArns: observedPerRegion(
      'ARN of the SNS alert topic (the orchestrator of each region notifies its own, so a failover away from a region that is down is still heard)',
    ),
  })
  .describe('The failover orchestrator, its DR-operations role and the activeRegion trigger.');

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

/** Every composite kind drplane defines, the estate first. */
export const COMPOSITE_KINDS: readonly CompositeKind[] = [
  {
    kind: 'XDisasterRecovery',
    plural: 'xdisasterrecoveries',
    claimKind: 'DisasterRecovery',
    shortNames: ['xdr'],
    spec: DisasterRecoverySpecSchema,
    status: DisasterRecoveryStatusSchema,
  },
  { kind: 'XDRNetwork', plural: 'xdrnetworks', shortNames: ['xdrnet'], spec: DRNetworkSpecSchema, status: PrimitiveStatusSchema },
  {
    kind: 'XGlobalDatabase',
    plural: 'xglobaldatabases',
    shortNames: ['xgdb'],
    spec: GlobalDatabaseSpecSchema,
    status: PrimitiveStatusSchema,
  },
  {
    kind: 'XGlobalTable',
    plural: 'xglobaltables',
    shortNames: ['xgt'],
    spec: GlobalTableSpecSchema,
    status: PrimitiveStatusSchema,
  },
  {
    kind: 'XReplicatedBucket',
    plural: 'xreplicatedbuckets',
    shortNames: ['xrb'],
    spec: ReplicatedBucketSpecSchema,
    status: PrimitiveStatusSchema,
  },
  {
    kind: 'XRegionalService',
    plural: 'xregionalservices',
    shortNames: ['xsvc'],
    spec: RegionalServiceSpecSchema,
    status: PrimitiveStatusSchema,
  },
  {
    kind: 'XFailoverRouting',
    plural: 'xfailoverroutings',
    shortNames: ['xroute'],
    spec: FailoverRoutingSpecSchema,
    status: PrimitiveStatusSchema,
  },
  {
    kind: 'XDRMonitoring',
    plural: 'xdrmonitorings',
    shortNames: ['xmon'],
    spec: DRMonitoringSpecSchema,
    status: PrimitiveStatusSchema,
  },
  { kind: 'XDRBackup', plural: 'xdrbackups', shortNames: ['xbak'], spec: DRBackupSpecSchema, status: PrimitiveStatusSchema },
  {
    kind: 'XFailoverController',
    plural: 'xfailovercontrollers',
    shortNames: ['xfoc'],
    spec: FailoverControllerSpecSchema,
    status: PrimitiveStatusSchema,
  },
];

/** Spec types of the primitives, after defaults. */
export type DRNetworkSpec = z.output<typeof DRNetworkSpecSchema>;
export type GlobalDatabaseSpec = z.output<typeof GlobalDatabaseSpecSchema>;
export type GlobalTableSpec = z.output<typeof GlobalTableSpecSchema>;
export type ReplicatedBucketSpec = z.output<typeof ReplicatedBucketSpecSchema>;
export type RegionalServiceSpec = z.output<typeof RegionalServiceSpecSchema>;
export type FailoverRoutingSpec = z.output<typeof FailoverRoutingSpecSchema>;
export type DRMonitoringSpec = z.output<typeof DRMonitoringSpecSchema>;
export type DRBackupSpec = z.output<typeof DRBackupSpecSchema>;
export type FailoverControllerSpec = z.output<typeof FailoverControllerSpecSchema>;
/** Fields every primitive spec has. */
export type EstateContext = z.output<z.ZodObject<typeof estate>>;
