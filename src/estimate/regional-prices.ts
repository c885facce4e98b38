/**
 * List prices of regional rows in regions other than us-east-1, for the services that dominate a DR estate (Aurora
 * instance-hours, storage and I/O, backup storage, DynamoDB, S3, Lambda, interface endpoints, CloudWatch), in the
 * regions the example claims use (us-east-2, us-west-2, eu-west-1).
 *
 * No row is confirmed: the pricing pages render their figures with JavaScript and cannot be read from this machine,
 * no package this project can install ships AWS price data, and AWS's price list API is not reachable here. Every
 * row is the list price as the author remembered the page's column for that region on ASSUMED_ON, and names the
 * column that would confirm it. A regional row (PRICES, scope 'regional') with no entry here for a region is priced
 * at the us-east-1 price times REGION_MULTIPLIERS (an assumption), and the estimate says so per region.
 */
import type { PriceStatus } from './prices.js';

/** Day the rows of this table were written down. */
export const REGIONAL_WRITTEN = '2026-12-05';

/** A price of one row in one region. */
export interface RegionalPrice {
  /** USD per unit of the row (the PRICES row's unit). */
  readonly usd: number;
  readonly status: PriceStatus;
  /** When the figure was written down. */
  readonly written: string;
  /** Pricing page, and the column or region selector that shows the figure. */
  readonly source: string;
}

/** Regions by the name the pricing pages' region selectors use. */
const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-2': 'US East (Ohio)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'Europe (Ireland)',
};

const PAGES = {
  aurora: 'https://aws.amazon.com/rds/aurora/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  s3: 'https://aws.amazon.com/s3/pricing/',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  backup: 'https://aws.amazon.com/backup/pricing/',
  privatelink: 'https://aws.amazon.com/privatelink/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
} as const;

/** Ids of PRICES rows (kept as strings here so this table does not import the price table's values). */
type Id =
  | 'auroraStorage'
  | 'auroraIo'
  | 'auroraReplicatedWriteIo'
  | 'auroraBackupStorage'
  | 'dynamodbReplicatedWrite'
  | 'dynamodbRead'
  | 'dynamodbStorage'
  | 'dynamodbPitr'
  | 's3Storage'
  | 's3Put'
  | 's3Get'
  | 'lambdaRequests'
  | 'lambdaComputeX86'
  | 'lambdaComputeArm'
  | 'interfaceEndpointHour'
  | 'interfaceEndpointData'
  | 'backupAuroraWarm'
  | 'backupDynamodbWarm'
  | 'alarmStandard'
  | 'alarmComposite'
  | 'customMetric'
  | 'cloudwatchApiRequests'
  | 'cloudwatchGetMetricData'
  | 'logsIngestion'
  | 'logsStorage';

const PAGE_OF: Readonly<Record<Id, keyof typeof PAGES>> = {
  auroraStorage: 'aurora',
  auroraIo: 'aurora',
  auroraReplicatedWriteIo: 'aurora',
  auroraBackupStorage: 'aurora',
  dynamodbReplicatedWrite: 'dynamodb',
  dynamodbRead: 'dynamodb',
  dynamodbStorage: 'dynamodb',
  dynamodbPitr: 'dynamodb',
  s3Storage: 's3',
  s3Put: 's3',
  s3Get: 's3',
  lambdaRequests: 'lambda',
  lambdaComputeX86: 'lambda',
  lambdaComputeArm: 'lambda',
  interfaceEndpointHour: 'privatelink',
  interfaceEndpointData: 'privatelink',
  backupAuroraWarm: 'backup',
  backupDynamodbWarm: 'backup',
  alarmStandard: 'cloudwatch',
  alarmComposite: 'cloudwatch',
  customMetric: 'cloudwatch',
  cloudwatchApiRequests: 'cloudwatch',
  cloudwatchGetMetricData: 'cloudwatch',
  logsIngestion: 'cloudwatch',
  logsStorage: 'cloudwatch',
};

const remembered = (region: string, page: keyof typeof PAGES, usd: number): RegionalPrice => ({
  usd,
  status: 'unconfirmed',
  written: REGIONAL_WRITTEN,
  source: `${PAGES[page]}, region ${REGION_NAMES[region] ?? region} (as remembered, not read on the page)`,
});

/** The same figures as us-east-1 (the two US regions below list the same prices for these rows). */
const US_SAME: Readonly<Record<Id, number>> = {
  auroraStorage: 0.1,
  auroraIo: 0.2,
  auroraReplicatedWriteIo: 0.2,
  auroraBackupStorage: 0.021,
  dynamodbReplicatedWrite: 0.625,
  dynamodbRead: 0.125,
  dynamodbStorage: 0.25,
  dynamodbPitr: 0.2,
  s3Storage: 0.023,
  s3Put: 0.005,
  s3Get: 0.0004,
  lambdaRequests: 0.2,
  lambdaComputeX86: 0.0000166667,
  lambdaComputeArm: 0.0000133334,
  interfaceEndpointHour: 0.01,
  interfaceEndpointData: 0.01,
  backupAuroraWarm: 0.021,
  backupDynamodbWarm: 0.1,
  alarmStandard: 0.1,
  alarmComposite: 0.5,
  customMetric: 0.3,
  cloudwatchApiRequests: 0.01,
  cloudwatchGetMetricData: 0.01,
  logsIngestion: 0.5,
  logsStorage: 0.03,
};

/** Europe (Ireland). */
const EU_WEST_1: Readonly<Record<Id, number>> = {
  auroraStorage: 0.11,
  auroraIo: 0.22,
  auroraReplicatedWriteIo: 0.22,
  auroraBackupStorage: 0.021,
  dynamodbReplicatedWrite: 0.7068,
  dynamodbRead: 0.1415,
  dynamodbStorage: 0.283,
  dynamodbPitr: 0.2264,
  s3Storage: 0.023,
  s3Put: 0.005,
  s3Get: 0.0004,
  lambdaRequests: 0.2,
  lambdaComputeX86: 0.0000166667,
  lambdaComputeArm: 0.0000133334,
  interfaceEndpointHour: 0.011,
  interfaceEndpointData: 0.01,
  backupAuroraWarm: 0.021,
  backupDynamodbWarm: 0.1132,
  alarmStandard: 0.1,
  alarmComposite: 0.5,
  customMetric: 0.3,
  cloudwatchApiRequests: 0.01,
  cloudwatchGetMetricData: 0.01,
  logsIngestion: 0.57,
  logsStorage: 0.03,
};

const table = (region: string, figures: Readonly<Record<Id, number>>): Readonly<Record<string, RegionalPrice>> =>
  Object.fromEntries(Object.entries(figures).map(([id, usd]) => [id, remembered(region, PAGE_OF[id as Id], usd)]));

/** Price of a PRICES row by region, then row id. A region or row missing here falls back to us-east-1 × multiplier. */
export const REGIONAL_PRICES: Readonly<Record<string, Readonly<Record<string, RegionalPrice>>>> = {
  'us-east-2': table('us-east-2', US_SAME),
  'us-west-2': table('us-west-2', US_SAME),
  'eu-west-1': table('eu-west-1', EU_WEST_1),
};

/** Aurora Standard price per instance-hour of the `large` size by family, per region (sizes scale as in us-east-1). */
export const REGIONAL_AURORA_INSTANCE_HOURLY: Readonly<Record<string, Readonly<Record<string, RegionalPrice>>>> = {
  'us-east-2': {
    'db.r5': remembered('us-east-2', 'aurora', 0.29),
    'db.r6g': remembered('us-east-2', 'aurora', 0.26),
    'db.r6i': remembered('us-east-2', 'aurora', 0.29),
    'db.r7g': remembered('us-east-2', 'aurora', 0.276),
  },
  'us-west-2': {
    'db.r5': remembered('us-west-2', 'aurora', 0.29),
    'db.r6g': remembered('us-west-2', 'aurora', 0.26),
    'db.r6i': remembered('us-west-2', 'aurora', 0.29),
    'db.r7g': remembered('us-west-2', 'aurora', 0.276),
  },
  'eu-west-1': {
    'db.r5': remembered('eu-west-1', 'aurora', 0.32),
    'db.r6g': remembered('eu-west-1', 'aurora', 0.287),
    'db.r6i': remembered('eu-west-1', 'aurora', 0.32),
    'db.r7g': remembered('eu-west-1', 'aurora', 0.305),
  },
};

/** Every row of both tables (for the status counts). */
export function regionalRows(): RegionalPrice[] {
  return [...Object.values(REGIONAL_PRICES), ...Object.values(REGIONAL_AURORA_INSTANCE_HOURLY)].flatMap((t) => Object.values(t));
}
