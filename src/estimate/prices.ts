/**
 * The price table of the cost estimate: public AWS list prices (on-demand, no free tier, no
 * discounts), us-east-1 as the baseline, in USD.
 *
 * Honesty notes — read before quoting a number from the estimate:
 * - The values are the public list prices as the author remembered the pricing pages when the table
 *   was written (PRICE_TABLE_DATE). The pages cannot be read from this machine and no package ships
 *   AWS price data, so a row is `confirmed` only when a source that could be read (the `search` tool's
 *   stored copy of the page) shows the figure; every other row is `unconfirmed` (or an `assumption`
 *   for a modelling choice). Check the page named on a row before budgeting on it.
 * - Where a page has tiers, the row is the first paid tier (the one a DR estate of this size lands in).
 * - Free tiers are account-wide and usually used up by other workloads, so they are not applied,
 *   except where an explicit, overridable assumption says so: free CloudWatch dashboards (none by
 *   default) and Route 53's first 50 health checks on AWS endpoints (none by default; the checks are billed as
 *   non-AWS endpoints unless assumptions.routing.endpointType says 'aws').
 * - Rows with `confirmBy` name what on the page would confirm them; the estimate repeats them in its notes.
 * - Other regions: the dominant rows have their own price per region in regional-prices.ts (us-east-2,
 *   us-west-2, eu-west-1); a regional row with no price for a region is us-east-1's times one coarse
 *   multiplier per region (REGION_MULTIPLIERS, an assumption), and the estimate names those lines
 *   ("us-east-1 price used, unconfirmed for <region>"). Treat such a line as ±10%.
 */

import { REGIONAL_AURORA_INSTANCE_HOURLY, REGIONAL_PRICES, regionalRows } from './regional-prices.js';

/** Year and month the table's list prices were written down (from memory of the pages, not checked offline). */
export const PRICE_TABLE_DATE = '2026-11';

/** How a price varies by region. */
export type PriceScope =
  /** us-east-1 list price; other regions multiply it by REGION_MULTIPLIERS. */
  | 'regional'
  /** The same list price in every commercial region. */
  | 'all-regions'
  /** A global service with one price (Route 53). */
  | 'global';

/**
 * How far a price can be trusted: `confirmed` (a readable source showed the figure: `confirmedBy` names it and
 * the day it was read), `unconfirmed` (a list price as remembered, not checked offline) or `assumption` (a
 * modelling choice, not a list price).
 */
export type PriceStatus = 'confirmed' | 'unconfirmed' | 'assumption';

/** One row of the price table. */
export interface PriceRow {
  /** AWS service, as the pricing page names it. */
  readonly service: string;
  /** What is priced. */
  readonly item: string;
  /** Unit the price is per (e.g. "GB-month", "1M requests"). */
  readonly unit: string;
  /** List price in USD per unit, us-east-1 for 'regional' rows. */
  readonly usd: number;
  readonly scope: PriceScope;
  /** Pricing page: name and URL. */
  readonly source: string;
  /** How far the figure can be trusted (see PriceStatus). */
  readonly status: PriceStatus;
  /** When the figure was written down (PRICE_TABLE_DATE, or the day of a later row). */
  readonly written: string;
  /** For a `confirmed` row: the source that showed the figure and the day it was read. */
  readonly confirmedBy?: string;
  /**
   * What on the page would confirm the figure, for rows whose doubt the estimate repeats in its notes.
   */
  readonly confirmBy?: string;
}

const AURORA = 'Amazon Aurora pricing — https://aws.amazon.com/rds/aurora/pricing/';
const DYNAMODB = 'Amazon DynamoDB pricing, on-demand capacity — https://aws.amazon.com/dynamodb/pricing/on-demand/';
const S3 = 'Amazon S3 pricing — https://aws.amazon.com/s3/pricing/';
const TRANSFER = 'Amazon EC2 on-demand pricing, Data Transfer (inter-Region) — https://aws.amazon.com/ec2/pricing/on-demand/';
const LAMBDA = 'AWS Lambda pricing — https://aws.amazon.com/lambda/pricing/';
const APIGW = 'Amazon API Gateway pricing, HTTP APIs — https://aws.amazon.com/api-gateway/pricing/';
const ROUTE53 = 'Amazon Route 53 pricing — https://aws.amazon.com/route53/pricing/';
const ARC =
  'Amazon Application Recovery Controller (ARC) pricing — https://aws.amazon.com/application-recovery-controller/pricing/';
const KMS = 'AWS Key Management Service pricing — https://aws.amazon.com/kms/pricing/';
const PRIVATELINK = 'AWS PrivateLink pricing, interface endpoints — https://aws.amazon.com/privatelink/pricing/';
const VPC = 'Amazon VPC pricing (gateway endpoints: no charge) — https://aws.amazon.com/vpc/pricing/';
const ACM =
  'AWS Certificate Manager pricing (public certificates: no charge) — https://aws.amazon.com/certificate-manager/pricing/';
const BACKUP = 'AWS Backup pricing, warm storage — https://aws.amazon.com/backup/pricing/';
const CLOUDWATCH = 'Amazon CloudWatch pricing — https://aws.amazon.com/cloudwatch/pricing/';
const EKS = 'Amazon EKS pricing — https://aws.amazon.com/eks/pricing/';
const EBS = 'Amazon EBS pricing, General Purpose SSD volumes — https://aws.amazon.com/ebs/pricing/';
const SNS = 'Amazon SNS pricing — https://aws.amazon.com/sns/pricing/';
const RDS_SNAPSHOT =
  'Amazon Aurora pricing, Backup storage and Data transfer (snapshot copies: AWS Backup Developer Guide, "Metering, costs, and billing": a resource type without full AWS Backup management is billed in its own service\'s section) — https://aws.amazon.com/rds/aurora/pricing/';
const BACKUP_TRANSFER =
  'AWS Backup pricing, Cross-Region data transfer (resource types with full AWS Backup management: AWS Backup Developer Guide, "Metering, costs, and billing") — https://aws.amazon.com/backup/pricing/';

const row = (service: string, item: string, unit: string, usd: number, scope: PriceScope, source: string): PriceRow => ({
  service,
  item,
  unit,
  usd,
  scope,
  source,
  status: 'unconfirmed',
  written: PRICE_TABLE_DATE,
});

/** Day the later rows (with `confirmBy`, or confirmed) were written down. */
export const ASSUMED_ON = '2026-12-05';

/** Day the rows added after ASSUMED_ON's were written down (ebsGp2Storage), each with `confirmBy`. */
export const ADDED_ON = '2026-12-07';

/** A confirmed row: `evidence` names the readable source that shows the figure and the day it was read. */
const confirmedRow = (
  service: string,
  item: string,
  unit: string,
  usd: number,
  scope: PriceScope,
  source: string,
  evidence: string,
): PriceRow => ({
  ...row(service, item, unit, usd, scope, source),
  status: 'confirmed',
  written: ASSUMED_ON,
  confirmedBy: evidence,
});

/** An unconfirmed row the estimate notes: `what` says what would confirm it on the page named. */
const assumedRow = (
  service: string,
  item: string,
  unit: string,
  usd: number,
  scope: PriceScope,
  source: string,
  what: string,
): PriceRow => ({ ...row(service, item, unit, usd, scope, source), written: ASSUMED_ON, confirmBy: what });

/** Every price the estimate uses, by id. Aurora instance classes are in AURORA_INSTANCE_HOURLY. */
export const PRICES = {
  auroraStorage: row('Amazon Aurora', 'Database storage (Aurora Standard)', 'GB-month', 0.1, 'regional', AURORA),
  auroraIo: row('Amazon Aurora', 'I/O requests (Aurora Standard)', '1M requests', 0.2, 'regional', AURORA),
  auroraReplicatedWriteIo: row(
    'Amazon Aurora',
    'Global Database replicated write I/Os',
    '1M replicated write I/Os',
    0.2,
    'regional',
    AURORA,
  ),
  dynamodbReplicatedWrite: row(
    'Amazon DynamoDB',
    'Replicated write request units (rWRU), global tables',
    '1M rWRU',
    0.625,
    'regional',
    DYNAMODB,
  ),
  dynamodbRead: row('Amazon DynamoDB', 'Read request units (RRU)', '1M RRU', 0.125, 'regional', DYNAMODB),
  dynamodbStorage: row('Amazon DynamoDB', 'Data storage (Standard table class)', 'GB-month', 0.25, 'regional', DYNAMODB),
  dynamodbPitr: row('Amazon DynamoDB', 'Continuous backups (point-in-time recovery)', 'GB-month', 0.2, 'regional', DYNAMODB),
  s3Storage: row('Amazon S3', 'S3 Standard storage, first 50 TB', 'GB-month', 0.023, 'regional', S3),
  s3Put: row('Amazon S3', 'PUT, COPY, POST, LIST requests (S3 Standard)', '1,000 requests', 0.005, 'regional', S3),
  s3Get: row('Amazon S3', 'GET, SELECT and other requests (S3 Standard)', '1,000 requests', 0.0004, 'regional', S3),
  s3Rtc: row('Amazon S3', 'Replication Time Control data transfer', 'GB', 0.015, 'all-regions', S3),
  interRegionTransfer: row(
    'AWS Data Transfer',
    'Data transfer to another AWS Region (US, Canada and EU sources; per pair: transfer.ts)',
    'GB',
    0.02,
    'all-regions',
    TRANSFER,
  ),
  lambdaRequests: row('AWS Lambda', 'Requests', '1M requests', 0.2, 'regional', LAMBDA),
  lambdaComputeX86: row('AWS Lambda', 'Duration, x86_64', 'GB-second', 0.0000166667, 'regional', LAMBDA),
  lambdaComputeArm: row('AWS Lambda', 'Duration, arm64', 'GB-second', 0.0000133334, 'regional', LAMBDA),
  httpApiRequests: row('Amazon API Gateway', 'HTTP API requests, first 300M', '1M requests', 1.0, 'regional', APIGW),
  healthCheckAws: row('Amazon Route 53', 'Health check, AWS endpoint', 'health check-month', 0.5, 'global', ROUTE53),
  healthCheckNonAws: row('Amazon Route 53', 'Health check, non-AWS endpoint', 'health check-month', 0.75, 'global', ROUTE53),
  healthCheckOptionAws: row(
    'Amazon Route 53',
    'Health check optional feature (HTTPS, fast interval, string match, latency), AWS endpoint',
    'feature-month',
    1.0,
    'global',
    ROUTE53,
  ),
  healthCheckOptionNonAws: row(
    'Amazon Route 53',
    'Health check optional feature, non-AWS endpoint',
    'feature-month',
    2.0,
    'global',
    ROUTE53,
  ),
  healthCheckNoEndpoint: assumedRow(
    'Amazon Route 53',
    'Health check without an endpoint (calculated, ARC routing control), taken at the AWS-endpoint basic price',
    'health check-month',
    0.5,
    'global',
    ROUTE53,
    'the Route 53 pricing page (and the ARC page): what a calculated health check and a routing-control health check cost',
  ),
  arcCluster: assumedRow(
    'Amazon Application Recovery Controller',
    'Routing control cluster (its control panels, routing controls and safety rules taken as included)',
    'cluster-hour',
    2.5,
    'global',
    ARC,
    'the ARC pricing page, routing control: the price per cluster-hour, and that routing controls and safety rules add nothing',
  ),
  arcReadinessCheck: assumedRow(
    'Amazon Application Recovery Controller',
    'Readiness check (its recovery group, cells and resource sets taken as included)',
    'readiness check-hour',
    0.045,
    'global',
    ARC,
    'the ARC pricing page, readiness check: the price per readiness check-hour, and that recovery groups, cells and resource sets add nothing',
  ),
  dnsQueriesStandard: row(
    'Amazon Route 53',
    'Standard queries (incl. failover records), first 1B',
    '1M queries',
    0.4,
    'global',
    ROUTE53,
  ),
  dnsQueriesLatency: row('Amazon Route 53', 'Latency-based routing queries, first 1B', '1M queries', 0.6, 'global', ROUTE53),
  kmsKey: confirmedRow(
    'AWS KMS',
    'Customer managed key',
    'key-month',
    1.0,
    'all-regions',
    KMS,
    'the search tool\'s stored copy of https://aws.amazon.com/kms/pricing/ ("Each AWS KMS key that you create in KMS costs $1/month"), read 2026-12-05',
  ),
  kmsKeyRotation: assumedRow(
    'AWS KMS',
    'Automatic rotation: each of the first two rotations of a key (later ones free)',
    'rotation-month',
    1.0,
    'all-regions',
    KMS,
    "the KMS pricing page, Key Storage: that the first and the second rotation of a key each add $1/month and later rotations add nothing (the search tool's stored copy of the page still says each rotation adds $1/month, uncapped; third-party pages cite a 2024 change)",
  ),
  kmsRequests: row('AWS KMS', 'API requests', '10,000 requests', 0.03, 'all-regions', KMS),
  interfaceEndpointHour: row('AWS PrivateLink', 'Interface endpoint, per AZ', 'endpoint-AZ-hour', 0.01, 'regional', PRIVATELINK),
  interfaceEndpointData: row(
    'AWS PrivateLink',
    'Interface endpoint data processed, first 1 PB',
    'GB',
    0.01,
    'regional',
    PRIVATELINK,
  ),
  gatewayEndpoint: row('Amazon VPC', 'Gateway endpoint (S3, DynamoDB)', 'endpoint-month', 0, 'all-regions', VPC),
  acmPublicCertificate: row(
    'AWS Certificate Manager',
    'Public certificate (DNS-validated, used by API Gateway)',
    'certificate-month',
    0,
    'all-regions',
    ACM,
  ),
  apiCustomDomain: row('Amazon API Gateway', 'Custom domain name of an HTTP API', 'domain-month', 0, 'all-regions', APIGW),
  auroraBackupStorage: row(
    'Amazon Aurora',
    'Backup storage beyond the free allowance (100% of the cluster volume)',
    'GB-month',
    0.021,
    'regional',
    AURORA,
  ),
  auroraIoOptimizedStorage: assumedRow(
    'Amazon Aurora',
    'Database storage (Aurora I/O-Optimized; no I/O charge)',
    'GB-month',
    0.225,
    'regional',
    AURORA,
    'the Aurora pricing page, Storage, "Aurora I/O-Optimized" row for US East (N. Virginia)',
  ),
  logsIngestion: assumedRow(
    'Amazon CloudWatch',
    'Logs ingestion (Standard log class)',
    'GB',
    0.5,
    'regional',
    CLOUDWATCH,
    'the CloudWatch pricing page, Paid tier, Logs, "Collect (Data Ingestion)" for Standard logs in US East (N. Virginia)',
  ),
  logsStorage: assumedRow(
    'Amazon CloudWatch',
    'Logs storage (archival), Standard log class',
    'GB-month',
    0.03,
    'regional',
    CLOUDWATCH,
    'the CloudWatch pricing page, Paid tier, Logs, "Store (Archival)" for US East (N. Virginia), and whether it is billed on compressed data',
  ),
  backupAuroraWarm: row(
    'Amazon Aurora',
    'Snapshot storage of AWS Backup recovery points and their copies (billed by RDS as backup storage)',
    'GB-month',
    0.021,
    'regional',
    RDS_SNAPSHOT,
  ),
  backupCopyTransferRds: assumedRow(
    'Amazon Aurora',
    'Cross-Region snapshot copy data transfer, AWS Backup copies of Aurora snapshots (billed by RDS; per pair: transfer.ts)',
    'GB',
    0.02,
    'all-regions',
    RDS_SNAPSHOT,
    "the Aurora pricing page, Data transfer: that a cross-Region snapshot copy is billed at the source Region's inter-Region data transfer rate; and the AWS Backup Developer Guide's feature table: that Aurora has no full AWS Backup management (so RDS bills it)",
  ),
  backupCopyTransferBackup: assumedRow(
    'AWS Backup',
    'Cross-Region data transfer of copies, DynamoDB (advanced features) and S3 (per pair: transfer.ts)',
    'GB',
    0.02,
    'all-regions',
    BACKUP_TRANSFER,
    'the AWS Backup pricing page, Cross-Region data transfer: the rate per source and destination Region for DynamoDB and S3 copies (the usage type names the pair: <source>-<destination>-CrossRegion-WarmBytes-<resource>)',
  ),
  backupDynamodbWarm: row('AWS Backup', 'DynamoDB backup warm storage', 'GB-month', 0.1, 'regional', BACKUP),
  backupS3Warm: row('AWS Backup', 'S3 backup warm storage', 'GB-month', 0.05, 'regional', BACKUP),
  alarmStandard: row(
    'Amazon CloudWatch',
    'Standard-resolution alarm (per metric)',
    'alarm metric-month',
    0.1,
    'regional',
    CLOUDWATCH,
  ),
  alarmHighResolution: row(
    'Amazon CloudWatch',
    'High-resolution alarm (per metric)',
    'alarm metric-month',
    0.3,
    'regional',
    CLOUDWATCH,
  ),
  alarmComposite: row('Amazon CloudWatch', 'Composite alarm', 'alarm-month', 0.5, 'regional', CLOUDWATCH),
  dashboard: row(
    'Amazon CloudWatch',
    'Dashboard (beyond the free tier of 3 per account)',
    'dashboard-month',
    3.0,
    'all-regions',
    CLOUDWATCH,
  ),
  customMetric: row(
    'Amazon CloudWatch',
    'Custom metric (incl. S3 replication metrics), first 10,000',
    'metric-month',
    0.3,
    'regional',
    CLOUDWATCH,
  ),
  cloudwatchApiRequests: assumedRow(
    'Amazon CloudWatch',
    'API requests (PutMetricData and other metric API calls)',
    '1,000 requests',
    0.01,
    'regional',
    CLOUDWATCH,
    'the CloudWatch pricing page, Paid tier, API, "PutMetricData ... $0.01 per 1,000 requests" for US East (N. Virginia)',
  ),
  cloudwatchGetMetricData: assumedRow(
    'Amazon CloudWatch',
    'GetMetricData, per metric requested',
    '1,000 metrics requested',
    0.01,
    'regional',
    CLOUDWATCH,
    'the CloudWatch pricing page, Paid tier, API, "GetMetricData ... $0.01 per 1,000 metrics requested" for US East (N. Virginia)',
  ),
  snsEmail: row('Amazon SNS', 'Email notifications', '100,000 notifications', 2.0, 'regional', SNS),
  eksClusterHour: confirmedRow(
    'Amazon EKS',
    'Cluster (control plane), Kubernetes version in standard support',
    'cluster-hour',
    0.1,
    'all-regions',
    EKS,
    'the search tool\'s stored copy of https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ ("you will continue to pay $0.10 per cluster per hour"), read 2026-12-06',
  ),
  eksClusterExtendedHour: confirmedRow(
    'Amazon EKS',
    'Cluster (control plane), Kubernetes version in extended support (total, not on top of standard)',
    'cluster-hour',
    0.6,
    'all-regions',
    EKS,
    'the search tool\'s stored copy of https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ ("charged a total of $0.60 per cluster per hour"), read 2026-12-06',
  ),
  ebsGp2Storage: {
    ...assumedRow(
      'Amazon EBS',
      'General Purpose SSD (gp2) volume storage (an EKS node root volume: the dearer general-purpose type, see kubernetes cost)',
      'GB-month',
      0.1,
      'regional',
      EBS,
      'the EBS pricing page, Amazon EBS General Purpose SSD (gp2) Volumes, "$0.10 per GB-month of provisioned storage" for US East (N. Virginia)',
    ),
    written: ADDED_ON,
  },
} as const satisfies Record<string, PriceRow>;

/** Id of a row of PRICES. */
export type PriceId = keyof typeof PRICES;

/**
 * Aurora on-demand price per instance-hour of the `large` size, us-east-1, Aurora Standard, by
 * instance family (the same for MySQL- and PostgreSQL-Compatible). Sizes scale linearly
 * (AURORA_SIZE_FACTORS), as the pricing page does for these families.
 */
export const AURORA_INSTANCE_HOURLY: Readonly<Record<string, number>> = {
  'db.r5': 0.29,
  'db.r6g': 0.26,
  'db.r6i': 0.29,
  'db.r7g': 0.276,
};

/** Source of AURORA_INSTANCE_HOURLY. */
export const AURORA_INSTANCE_SOURCE = `${AURORA} (on-demand, Aurora Standard, unconfirmed list prices written ${PRICE_TABLE_DATE})`;

/**
 * Aurora I/O-Optimized instance-hours cost this many times the Aurora Standard price of the same class (an
 * assumption, ASSUMED_ON: confirm on the Aurora pricing page, "Aurora I/O-Optimized" instance prices).
 */
export const AURORA_IO_OPTIMIZED_INSTANCE_FACTOR = 1.3;

/** Family used for classes whose family is not in AURORA_INSTANCE_HOURLY: the dearest known one, so the estimate errs high. */
export const AURORA_FALLBACK_FAMILY = 'db.r6i';

/** Size multiplier relative to `large`. */
export const AURORA_SIZE_FACTORS: Readonly<Record<string, number>> = {
  large: 1,
  xlarge: 2,
  '2xlarge': 4,
  '4xlarge': 8,
  '8xlarge': 16,
  '12xlarge': 24,
  '16xlarge': 32,
  '24xlarge': 48,
};

/**
 * Coarse price multiplier per region relative to us-east-1, applied to 'regional' rows. Derived
 * by the author from the Aurora r6g.large, S3 Standard and DynamoDB on-demand pages (a rounded
 * middle of the three); Lambda is often the same as us-east-1, so Lambda lines outside the
 * baseline regions err slightly high.
 */
export const REGION_MULTIPLIERS: Readonly<Record<string, number>> = {
  'us-east-1': 1,
  'us-east-2': 1,
  'us-west-2': 1,
  'us-west-1': 1.12,
  'ca-central-1': 1.1,
  'eu-west-1': 1.1,
  'eu-west-2': 1.15,
  'eu-central-1': 1.17,
  'eu-north-1': 1.05,
  'ap-south-1': 1.1,
  'ap-northeast-1': 1.22,
  'ap-southeast-1': 1.2,
  'ap-southeast-2': 1.2,
  'sa-east-1': 1.55,
};

/** Multiplier for regions not in REGION_MULTIPLIERS: a deliberately high guess, flagged in the estimate's notes. */
export const UNKNOWN_REGION_MULTIPLIER = 1.2;

/** Price multiplier of a region, and whether it came from the table. */
export function regionMultiplier(region: string): { multiplier: number; known: boolean } {
  const known = REGION_MULTIPLIERS[region];
  return known === undefined ? { multiplier: UNKNOWN_REGION_MULTIPLIER, known: false } : { multiplier: known, known: true };
}

/** Trims floating-point noise from a computed price (0.286000000001 → 0.286). */
const clean = (usd: number): number => Number(usd.toPrecision(10));

/**
 * Where a unit price comes from: `us-east-1` (the baseline, or a row that is the same in every region), `listed` (the
 * region's own row in regional-prices.ts) or `fallback` (no row for the region: us-east-1's price × the region's
 * multiplier, unconfirmed for that region).
 */
export type PriceOrigin = 'us-east-1' | 'listed' | 'fallback';

/** USD per unit of a price row in a region, and where the figure comes from. */
export function regionalUnitPrice(id: PriceId, region: string): { usd: number; origin: PriceOrigin } {
  const price = PRICES[id];
  if (price.scope !== 'regional' || region === 'us-east-1') return { usd: price.usd, origin: 'us-east-1' };
  const listed = REGIONAL_PRICES[region]?.[id];
  if (listed) return { usd: listed.usd, origin: 'listed' };
  return { usd: clean(price.usd * regionMultiplier(region).multiplier), origin: 'fallback' };
}

/** USD per unit of a price row in a region ('global' and 'all-regions' rows ignore the region). */
export function unitPrice(id: PriceId, region: string): number {
  return regionalUnitPrice(id, region).usd;
}

/**
 * Hourly price of an Aurora instance class in a region; `known` is false when the family was not in the table,
 * `origin` says whether the region has its own row for the family.
 */
export function auroraInstanceHourly(
  instanceClass: string,
  region: string,
): { usd: number; known: boolean; origin: PriceOrigin } {
  const [, family = '', size = ''] = instanceClass.split('.');
  const base = AURORA_INSTANCE_HOURLY[`db.${family}`];
  const factor = AURORA_SIZE_FACTORS[size];
  const known = base !== undefined && factor !== undefined;
  const fam = base !== undefined ? `db.${family}` : AURORA_FALLBACK_FAMILY;
  const listed = region === 'us-east-1' ? undefined : REGIONAL_AURORA_INSTANCE_HOURLY[region]?.[fam];
  const origin: PriceOrigin = region === 'us-east-1' ? 'us-east-1' : listed ? 'listed' : 'fallback';
  const large = listed?.usd ?? AURORA_INSTANCE_HOURLY[fam]! * regionMultiplier(region).multiplier;
  return { usd: clean(large * (factor ?? 1)), known, origin };
}

const EC2 = 'Amazon EC2 On-Demand pricing, Linux — https://aws.amazon.com/ec2/pricing/on-demand/';

/**
 * EC2 on-demand price per instance-hour of the `large` size, us-east-1, Linux, by instance family: what an EKS managed
 * node costs (EKS adds nothing per node). Sizes scale linearly (EC2_SIZE_FACTORS), as these families do on the page.
 * Unconfirmed list prices, written from memory like the Aurora table (a third-party copy stored by the search tool,
 * "Amazon EC2 On-Demand Pricing … (2026)", agrees on m7g.large at $0.0816).
 */
export const EC2_INSTANCE_HOURLY: Readonly<Record<string, number>> = {
  c6g: 0.068,
  c6i: 0.085,
  c7g: 0.0725,
  c7i: 0.08925,
  m5: 0.096,
  m6g: 0.077,
  m6i: 0.096,
  m7g: 0.0816,
  m7i: 0.1008,
  'm7i-flex': 0.09576,
  r6g: 0.1008,
  r6i: 0.126,
  r7g: 0.1071,
  r7i: 0.1323,
  t3: 0.0832,
  t3a: 0.0752,
  t4g: 0.0672,
};

/** Source of EC2_INSTANCE_HOURLY. */
export const EC2_INSTANCE_SOURCE = `${EC2} (on-demand, Linux, unconfirmed list prices written 2026-12)`;

/**
 * Family used for types whose family is not in EC2_INSTANCE_HOURLY: the dearest known one, so the estimate errs high
 * for general-purpose, compute and memory families (and low for accelerated ones: GPU, Inferentia, Trainium).
 */
export const EC2_FALLBACK_FAMILY = 'r7i';

/** Size multiplier relative to `large`. */
export const EC2_SIZE_FACTORS: Readonly<Record<string, number>> = {
  nano: 0.0625,
  micro: 0.125,
  small: 0.25,
  medium: 0.5,
  large: 1,
  xlarge: 2,
  '2xlarge': 4,
  '4xlarge': 8,
  '8xlarge': 16,
  '12xlarge': 24,
  '16xlarge': 32,
  '24xlarge': 48,
  '48xlarge': 96,
};

/**
 * Hourly on-demand price of an EC2 instance type in a region (us-east-1's × the region multiplier elsewhere);
 * `known` is false when the family or size is not in the table (priced as EC2_FALLBACK_FAMILY, size `large` if the size
 * is unknown too).
 */
export function ec2InstanceHourly(instanceType: string, region: string): { usd: number; known: boolean; origin: PriceOrigin } {
  const [family = '', size = ''] = instanceType.split('.');
  const base = EC2_INSTANCE_HOURLY[family];
  const factor = EC2_SIZE_FACTORS[size];
  const known = base !== undefined && factor !== undefined;
  const large = base ?? EC2_INSTANCE_HOURLY[EC2_FALLBACK_FAMILY]!;
  const origin: PriceOrigin = region === 'us-east-1' ? 'us-east-1' : 'fallback';
  return { usd: clean(large * (factor ?? 1) * regionMultiplier(region).multiplier), known, origin };
}

/**
 * Rows of each status: the price table, Aurora instance prices (unconfirmed list prices), the regional rows
 * (regional-prices.ts) and the two modelling factors.
 */
export function priceStatusCounts(): Record<PriceStatus, number> {
  const counts: Record<PriceStatus, number> = { confirmed: 0, unconfirmed: 0, assumption: 0 };
  for (const r of Object.values(PRICES) as PriceRow[]) counts[r.status] += 1;
  counts.unconfirmed += Object.keys(AURORA_INSTANCE_HOURLY).length;
  counts.unconfirmed += Object.keys(EC2_INSTANCE_HOURLY).length;
  for (const r of regionalRows()) counts[r.status] += 1;
  // AURORA_IO_OPTIMIZED_INSTANCE_FACTOR and REGION_MULTIPLIERS are modelling choices
  counts.assumption += 2;
  return counts;
}
