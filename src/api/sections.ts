/**
 * The optional sections of a DisasterRecovery claim. Each section also is (part of) the spec of a
 * DR primitive, so the claim and the primitives share one definition.
 */
import { z } from 'zod';
import { boundedRecord, region } from './fields.js';

/** VPC endpoint services the network can provide (gateway for s3/dynamodb, interface otherwise). */
export const ENDPOINT_SERVICES = [
  'dynamodb',
  's3',
  'secretsmanager',
  'sns',
  'logs',
  'monitoring',
  'kms',
  'sts',
  'rds',
  'lambda',
  'ssm',
] as const;

/** Endpoint services reached through gateway endpoints (route-table entries, no ENIs, no cost). */
export const GATEWAY_ENDPOINTS: readonly string[] = ['dynamodb', 's3'];

const cidr = () =>
  z
    .string()
    .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.0.0.0/16')
    .describe('IPv4 CIDR of the VPC in this region, /16 to /24.');

/** Network section: a VPC per region with private subnets, endpoints and peering. */
export const network = () =>
  z
    .object({
      cidrs: boundedRecord(z.string().max(32), cidr(), 6, 'regions').describe(
        'VPC CIDR per region, keyed by region name; one for every region of the estate, none overlapping.',
      ),
      peering: z.boolean().default(true).describe('Peer the primary VPC with every secondary VPC, with routes on both sides.'),
      endpoints: z
        .array(z.enum(ENDPOINT_SERVICES))
        .max(ENDPOINT_SERVICES.length)
        .default(['dynamodb', 's3', 'secretsmanager', 'sns', 'logs', 'monitoring'])
        .meta({ 'x-kubernetes-list-type': 'set' })
        .describe('AWS services reachable from the private subnets through VPC endpoints (there is no NAT gateway).'),
      availabilityZones: z
        .number()
        .int()
        .min(2)
        .max(3)
        .default(2)
        .describe('Number of availability zones with a private subnet in each region (2 or 3).'),
    })
    .describe('A VPC per region with private subnets, VPC endpoints instead of NAT, and peering.');

/** Aurora engines that support global databases. */
export const DATABASE_ENGINES = ['aurora-postgresql', 'aurora-mysql'] as const;

/**
 * Lambda runtimes the API accepts. nodejs20.x is deprecated by AWS and stays only so that estates created with it keep
 * reconciling after an upgrade of drplane: `drctl validate` and the portal refuse it (service.runtime-support) and the
 * function raises a Warning on such estates. Dates: src/facts/generated/lambda-runtimes.json (cfn-lint's lifecycle data).
 */
export const LAMBDA_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;

/** The runtime of a service that names none: the newest, with the longest support ahead. */
export const DEFAULT_LAMBDA_RUNTIME = 'nodejs24.x' satisfies (typeof LAMBDA_RUNTIMES)[number];

/** Database section: an Aurora global database across all regions. */
export const database = () =>
  z
    .object({
      engine: z.enum(DATABASE_ENGINES).default('aurora-postgresql').describe('Aurora engine of the global database.'),
      engineVersion: z
        .string()
        .regex(/^\d+\.\d+(\.[\w.]+)?$/, 'a version such as 16.6 or 8.0.mysql_aurora.3.08.2')
        .describe('Engine version; must support Aurora global databases and be in standard support (drctl validate checks it).'),
      instanceClass: z
        .string()
        .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'an instance class such as db.r6g.large')
        .default('db.r6g.large')
        .describe('Instance class of every cluster instance (global databases need db.r5/r6g/r7g or larger).'),
      instances: z.number().int().min(1).max(15).default(2).describe('Instances in the primary cluster (writer plus readers).'),
      secondaryInstances: z
        .number()
        .int()
        .min(1)
        .max(15)
        .default(1)
        .describe('Instances in each secondary cluster; they serve reads and become writers after failover.'),
      databaseName: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'starts with a letter; letters, digits and _; at most 63 characters')
        .optional()
        .describe('Name of the initial database, created in the primary cluster only.'),
      masterUsername: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, 'starts with a letter; letters, digits and _; at most 16 characters')
        .default('drplane_admin')
        .describe('Master user name; its password is generated and stored in a Kubernetes Secret, never in the claim.'),
      backupRetentionDays: z.number().int().min(1).max(35).default(7).describe('Days Aurora keeps automated backups (1-35).'),
      storageType: z
        .enum(['standard', 'io-optimized'])
        .default('standard')
        .describe(
          'Aurora storage configuration of every member cluster: standard bills each I/O; io-optimized bills no I/O but dearer instances and storage. drctl cost says which is cheaper for the assumed I/O.',
        ),
    })
    .describe('An Aurora global database: a primary cluster and a read-only cluster in every secondary region.');

/** A key attribute of a DynamoDB table: its name and type. */
export const attribute = () =>
  z
    .object({
      name: z.string().min(1).max(255).describe('Attribute name.'),
      type: z.enum(['S', 'N', 'B']).default('S').describe('Attribute type: S string, N number, B binary.'),
    })
    .describe('A key attribute of the table.');

/** One DynamoDB global table. */
export const table = () =>
  z
    .object({
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'lowercase letters, digits and inner hyphens, 3-40 characters')
        .describe('Logical table name; the AWS name adds the claim name, environment suffix and region.'),
      hashKey: attribute().describe('Partition key.'),
      rangeKey: attribute().optional().describe('Sort key, if any.'),
      ttlAttribute: z.string().min(1).max(255).optional().describe('Attribute holding an expiry epoch; enables TTL when set.'),
      consistency: z
        .enum(['eventual', 'strong'])
        .default('eventual')
        .describe(
          'Multi-Region consistency. eventual (MREC): asynchronous replication, typically within a second; losing a region loses that lag. ' +
            'strong (MRSC): RPO 0 for the loss of a region; exactly three regions of one AWS MRSC Region set: three replicas (primary and two secondaries), ' +
            'or two replicas and witnessRegion. AWS cannot change it after the table is created.',
        ),
      witnessRegion: region()
        .optional()
        .describe(
          'consistency strong with two regions: the third region of the same MRSC Region set, which holds replicated change data only (a witness), not a replica.',
        ),
    })
    .describe(
      'A DynamoDB global table with streams, point-in-time recovery, KMS encryption and a replica in every secondary region.',
    );

/** Tables section. */
export const tables = () =>
  z
    .array(table())
    .max(10)
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
    .describe('DynamoDB global tables (at most 10, names unique).');

/** One replicated S3 bucket. */
export const bucket = () =>
  z
    .object({
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,18}[a-z0-9]$/, 'lowercase letters, digits and inner hyphens, 3-20 characters')
        .describe('Logical bucket name; the AWS name adds the claim, environment, region and a uniqueness hash.'),
      replicationTimeControl: z
        .boolean()
        .default(true)
        .describe(
          'S3 Replication Time Control, with replication metrics: designed to replicate 99.99% of objects within 15 minutes; its SLA credits months below 99.9% (not a hard bound).',
        ),
      noncurrentVersionDays: z
        .number()
        .int()
        .min(1)
        .max(3650)
        .default(90)
        .describe('Days before noncurrent object versions expire.'),
    })
    .describe('An S3 bucket in every region, versioned and KMS-encrypted, replicated from the primary to every secondary.');

/** Buckets section. */
export const buckets = () =>
  z
    .array(bucket())
    .max(10)
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
    .describe('Replicated S3 buckets (at most 10, names unique).');

/** Service section: the regional Lambda service. */
export const service = () =>
  z
    .object({
      runtime: z
        .enum(LAMBDA_RUNTIMES)
        .default(DEFAULT_LAMBDA_RUNTIME)
        .describe(
          'Lambda Node.js runtime of the service in every region. nodejs20.x is deprecated by AWS and accepted only so existing estates keep reconciling; `drctl explain spec.service.runtime` lists the deprecation dates.',
        ),
      memoryMb: z.number().int().min(128).max(10240).default(256).describe('Memory of the function in MB (128-10240).'),
      timeoutSeconds: z.number().int().min(1).max(900).default(10).describe('Function timeout in seconds (1-900).'),
      reservedConcurrency: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .optional()
        .describe('Concurrent executions reserved for the function in each region (1-1000); unset means unreserved.'),
      functionUrl: z.boolean().default(true).describe('Expose the function through a Lambda Function URL.'),
      authType: z
        .enum(['AWS_IAM', 'NONE'])
        .default('AWS_IAM')
        .describe('Function URL auth: AWS_IAM (signed requests) or NONE (public; /health must be reachable by Route 53).'),
      httpApi: z
        .boolean()
        .optional()
        .describe(
          'Also front the function with an API Gateway HTTP API. Unset: true when the claim has routing (routing.recordName then reaches it through a custom domain in every region), else false. false with routing leaves the name a CNAME to the Function URL, which answers 403 for it.',
        ),
      vpc: z
        .boolean()
        .optional()
        .describe('Attach the function to the private subnets; defaults to true when the claim has a network.'),
      logRetentionDays: z
        .number()
        .int()
        .refine((v) => LOG_RETENTION_DAYS.includes(v), 'one of the retention periods CloudWatch Logs accepts')
        .default(30)
        .meta({ enum: [...LOG_RETENTION_DAYS] })
        .describe('Days CloudWatch Logs keeps the function logs (a value CloudWatch accepts, such as 7, 30, 90, 365).'),
    })
    .describe('The regional service: a Lambda function in every region behind a Function URL or HTTP API.');

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy API reference). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The values of routing.control: what moves traffic between regions. */
export const ROUTING_CONTROLS = ['health-check', 'arc'] as const;

/**
 * An ARC cluster ARN: arn:aws:route53-recovery-control::<account>:cluster/<id> (the ARC Developer Guide's form; botocore
 * route53-recovery-control-config ClusterArn allows [A-Za-z0-9:/_-], 1-256 characters).
 */
export const ARC_CLUSTER_ARN = /^arn:aws:route53-recovery-control::\d{12}:cluster\/[A-Za-z0-9_-]{1,64}$/;

/** Routing section: Route 53 health checks and failover records. */
export const routing = () =>
  z
    .object({
      zoneName: z
        .string()
        .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a DNS zone name such as example.com')
        .describe('Public hosted zone the estate owns (the records are created in it).'),
      zoneId: z
        .string()
        .regex(/^Z[A-Z0-9]{4,32}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ')
        .optional()
        .describe(
          'Id of the existing Route 53 hosted zone for zoneName; required: drplane never creates a zone for a domain it cannot prove it owns.',
        ),
      recordName: z
        .string()
        .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a DNS name such as api.example.com')
        .describe('Name that clients use; must be inside zoneName.'),
      policy: z
        .enum(['failover', 'latency'])
        .optional()
        .describe(
          'failover: PRIMARY/SECONDARY records (default for two regions). latency: one latency record per region with health checks (default for three or more).',
        ),
      healthCheck: z
        .object({
          path: z
            .string()
            .regex(/^\/[\w\-./]*$/, 'a path such as /health')
            .default('/health')
            .describe('Unauthenticated path Route 53 probes.'),
          intervalSeconds: z
            .union([z.literal(10), z.literal(30)])
            .default(30)
            .meta({ enum: [10, 30] })
            .describe('Seconds between probes: 10 (fast) or 30 (standard).'),
          failureThreshold: z
            .number()
            .int()
            .min(1)
            .max(10)
            .default(3)
            .describe('Consecutive failed probes before a region is unhealthy (1-10).'),
        })
        .prefault({})
        .describe('Route 53 health check of every region.'),
      ttlSeconds: z
        .number()
        .int()
        .min(0)
        .max(86400)
        .default(60)
        .describe('TTL of the records in seconds; lower fails over faster.'),
      control: z
        .enum(ROUTING_CONTROLS)
        .optional()
        .describe(
          "What moves traffic between regions. health-check (unset): the records follow the endpoint health checks and the failover orchestrator, which runs in the primary region. arc: a Route 53 Application Recovery Controller cluster (a data plane in five regions, billed by the hour: drctl cost shows it) with one routing control per region, a safety rule that keeps at least one region on and a gate for manual changes; once armed (arc.armed), each record also needs its region's routing control on, and failover flips the controls through any of the cluster's regional endpoints, so it survives the loss of any one region.",
        ),
      arc: z
        .object({
          armed: z
            .boolean()
            .default(false)
            .describe(
              "True once the operator has turned the routing controls On (every region's for latency records, both the PRIMARY and SECONDARY regions' for failover records, and the gate): the service records then use the gated checks (endpoint and routing control). false (default): the ARC resources are composed, but the records keep the endpoint health checks, because ARC creates controls Off and records whose checks are all unhealthy are all served.",
            ),
          clusterArn: z
            .string()
            .regex(ARC_CLUSTER_ARN, 'an ARC cluster ARN such as arn:aws:route53-recovery-control::111122223333:cluster/<id>')
            .optional()
            .describe(
              "ARN of an existing ARC cluster (arn:aws:route53-recovery-control::<account>:cluster/<id>) to put this estate's control panel, routing controls and safety rules on (the estate only observes the cluster, for its endpoints: never creates, changes or deletes it); AWS allows 2 clusters per account, and a cluster holds 50 control panels. Unset: the estate creates its own cluster.",
            ),
          readiness: z
            .boolean()
            .default(false)
            .describe(
              "True to also compose ARC readiness checks (a recovery group of one cell per region, a resource set and readiness check per replicated resource type): drctl status reads each region's readiness, and with monitoring each region's lag monitor reports it for the claim's status.regions.<region>.readiness, in an SSM parameter it creates with the estate's tags (/drplane/<estate id>/lag-state/arc-readiness in each region) that is not deleted with the estate (docs/gitops.md, Uninstall). AWS no longer opens the readiness check feature to new customers (ARC Developer Guide, readiness check availability change): set it only in an account that already uses readiness checks, or the readiness resources are refused and the routing composite is never Ready. false (default): none is composed.",
            ),
        })
        .optional()
        .describe(
          'Settings of routing.control arc: whether the routing controls are armed, a shared cluster, and readiness checks.',
        ),
    })
    .describe('Route 53 health checks per region and records that send traffic to the active region.');

/** The routing control in force: the claim's, else health-check (unset keeps every estate as it was). */
export const routingControl = (routing: { readonly control?: (typeof ROUTING_CONTROLS)[number] | undefined }) =>
  routing.control ?? 'health-check';

/**
 * True when routing.control is arc and routing.arc.armed is true: only then do the service records use the gated
 * (endpoint and routing control) checks, and only then does moving traffic mean flipping routing controls. Unarmed,
 * ARC is composed but the records, and failover, work as with health-check.
 */
export const arcArmed = (routing: {
  readonly control?: (typeof ROUTING_CONTROLS)[number] | undefined;
  readonly arc?: { readonly armed?: boolean | undefined } | undefined;
}): boolean => routingControl(routing) === 'arc' && routing.arc?.armed === true;

/** True when routing.control is arc and routing.arc.readiness is true: only then are ARC readiness checks composed. */
export const arcReadiness = (routing: {
  readonly control?: (typeof ROUTING_CONTROLS)[number] | undefined;
  readonly arc?: { readonly readiness?: boolean | undefined } | undefined;
}): boolean => routingControl(routing) === 'arc' && routing.arc?.readiness === true;

/** The existing ARC cluster the estate shares (routing.arc.clusterArn), or undefined when it creates its own. */
export const arcSharedCluster = (routing: { readonly arc?: { readonly clusterArn?: string | undefined } | undefined }) =>
  routing.arc?.clusterArn;

/** Monitoring section: alarms, notifications and the dashboard. */
export const monitoring = () =>
  z
    .object({
      alertEmails: z
        .array(
          z
            .string()
            .max(254)
            .regex(
              /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/,
              'an email address such as oncall@example.com',
            )
            .describe('An email address.'),
        )
        .max(10)
        .default([])
        .meta({ 'x-kubernetes-list-type': 'set' })
        .describe('Addresses subscribed to the alert topic in every region (at most 10).'),
      replicationLagThresholdSeconds: z
        .number()
        .int()
        .min(1)
        .max(3600)
        .default(30)
        .describe('Replication lag above which the estate alarms, in seconds.'),
      dashboard: z.boolean().default(true).describe('Create one cross-region CloudWatch dashboard.'),
    })
    .describe('SNS alerts, replication and service alarms, an estate-at-risk composite alarm and a dashboard.');

/** Backup section: AWS Backup vaults and plan. */
export const backup = () =>
  z
    .object({
      schedule: z
        .string()
        .regex(/^cron\((\S+ ){5}\S+\)$/, 'an AWS cron expression with six fields, such as cron(0 5 * * ? *)')
        .default('cron(0 5 * * ? *)')
        .describe('AWS Backup schedule as an AWS cron expression with six fields.'),
      retentionDays: z.number().int().min(1).max(36500).default(35).describe('Days each recovery point is kept.'),
      copyToSecondary: z
        .boolean()
        .default(true)
        .describe('Copy each recovery point to the vault of every other region (every secondary while the primary is active).'),
    })
    .describe(
      'AWS Backup: a KMS-encrypted vault per region and a plan in the active region that backs up the estate there by tag.',
    );

/** Failover section. */
export const failover = () =>
  z
    .object({
      mode: z
        .enum(['manual', 'automatic'])
        .default('manual')
        .describe(
          'manual: fail over by changing activeRegion in git. automatic: also, the standby region probes the serving region and fails over to itself (unplanned) after 3 minutes without a healthy answer, unless its replica lags more than the RPO.',
        ),
      allowDataLoss: z
        .boolean()
        .default(false)
        .describe(
          'How a change of activeRegion moves the database (an automatic failover is always unplanned, guarded by the RPO). false: planned switchover (SwitchoverGlobalCluster, no data loss; needs the old region up). ' +
            'true: unplanned failover (FailoverGlobalCluster with AllowDataLoss; works with the old region down, loses up to the replication lag). ' +
            '`drctl failover --unplanned --yes` sets it with activeRegion, a planned `drctl failover` sets it back.',
        ),
    })
    .describe('How failover starts.');

/** The region list used in routing and failover. */
export const activeRegion = () =>
  region()
    .optional()
    .describe('Region that serves traffic and takes writes; change it in git to fail over. Defaults to the primary.');

/**
 * Whether the service gets an HTTP API: as written, else true exactly when the claim has routing: the public name
 * reaches the service through API Gateway custom domains, which front HTTP APIs (a Function URL has no custom domain
 * and answers 403 for any other Host). The one place the default is decided: the schema, compose, cost and the rules
 * all read it.
 */
export function serviceHttpApi(
  service: { readonly httpApi?: boolean; readonly functionUrl: boolean; readonly authType: 'AWS_IAM' | 'NONE' },
  routing: object | boolean | undefined,
): boolean {
  // routing: the claim's section, or the nested XRegionalService's flag.
  return service.httpApi ?? Boolean(routing);
}
