/**
 * The lag monitor's configuration, read from its environment (see LAG_MONITOR_ENV).
 */
import {
  AURORA_LAG_METRIC_NAMES,
  COMMON_ENV,
  LAG_MONITOR_ENV,
  s3LagThresholdSeconds,
  type LagStore,
} from '../shared/env-contract.js';
import { parseArn } from '../shared/arn.js';
import {
  ConfigError,
  checkRegion,
  isRecord,
  optionalJson,
  optionalString,
  positiveNumber,
  requireJson,
  requireEstateId,
  requireString,
  type Env,
} from '../shared/env.js';
import { lagDimensions } from '../shared/metrics-contract.js';
import type { NodeGroupRef } from './nodes.js';

/** What the monitor needs to run. */
export interface LagMonitorConfig {
  /** The function's own region: custom metrics and state parameters live here. */
  readonly region: string;
  /** The estate id (DRPLANE_ESTATE): the `Estate` dimension of ReadinessReportErrors. */
  readonly estate: string;
  readonly primaryRegion: string;
  readonly stores: readonly LagStore[];
  readonly topicArn: string;
  /** Region of the SNS topic (from its ARN). */
  readonly topicRegion: string;
  /** A lag above it is a breach (Aurora, DynamoDB). */
  readonly thresholdSeconds: number;
  /** A lag above it is a breach for S3 stores (Replication Time Control promises 15 minutes). */
  readonly s3ThresholdSeconds: number;
  readonly statePrefix: string;
  /** KMS key ARN of the SecureString state parameters. */
  readonly stateKeyArn: string;
  /** The Aurora global cluster whose writer is looked up each run; undefined: none is (every Aurora store is read). */
  readonly globalClusterId: string | undefined;
  /** This region's ARC readiness cell, whose readiness each run reports (readiness.ts); undefined: none. */
  readonly readinessCell: string | undefined;
  /** The estate's tags, put on the readiness report parameter the monitor creates ({} when none are given). */
  readonly reportTags: Readonly<Record<string, string>>;
  /** This region's EKS managed node group, whose health each run publishes (nodes.ts); undefined: none. */
  readonly nodeGroup: NodeGroupRef | undefined;
}

/** SSM tag keys and values (botocore ssm TagKey 1-128, TagValue 0-256, pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]*). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function checkTags(value: unknown): Record<string, string> {
  if (!isRecord(value)) throw new ConfigError(LAG_MONITOR_ENV.reportTags, 'is not a JSON object of tag key to value');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new ConfigError(LAG_MONITOR_ENV.reportTags, `tag ${JSON.stringify(k)}: the value is not a string`);
    if (k.length < 1 || k.length > 128 || !TAG_CHARS.test(k))
      throw new ConfigError(LAG_MONITOR_ENV.reportTags, `tag key ${JSON.stringify(k)} is not an SSM tag key`);
    if (v.length > 256 || !TAG_CHARS.test(v))
      throw new ConfigError(LAG_MONITOR_ENV.reportTags, `tag ${JSON.stringify(k)}: ${JSON.stringify(v)} is not an SSM tag value`);
    out[k] = v;
  }
  return out;
}

const STORES_EXAMPLE =
  '[{"type":"aurora","region":"us-west-2","clusterIdentifier":"db-usw2"},' +
  '{"type":"dynamodb","tableName":"transactions-prod","receivingRegion":"us-west-2"},' +
  '{"type":"s3","sourceBucket":"docs-use1","destinationBucket":"docs-usw2","ruleId":"to-usw2","region":"us-west-2"}]';

const NAME_RULES = {
  clusterIdentifier: {
    pattern: /^[A-Za-z][A-Za-z0-9-]{0,62}$/,
    what: "an RDS cluster identifier (letter first, then letters, digits, '-'; at most 63)",
  },
  tableName: { pattern: /^[A-Za-z0-9_.-]{3,255}$/, what: "a DynamoDB table name (3-255 of letters, digits, '_', '.', '-')" },
  bucket: {
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    what: "an S3 bucket name (3-63 of lowercase letters, digits, '.', '-')",
  },
  ruleId: { pattern: /^.{1,255}$/su, what: 'a replication rule ID of 1-255 characters' },
} as const;

function field(index: number, entry: Record<string, unknown>, name: string, rule: keyof typeof NAME_RULES): string {
  const value = entry[name];
  const { pattern, what } = NAME_RULES[rule];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConfigError(LAG_MONITOR_ENV.stores, `entry ${index} field "${name}" is ${JSON.stringify(value)}; expected ${what}`);
  }
  return value;
}

const region = (index: number, entry: Record<string, unknown>, name: string): string =>
  checkRegion(LAG_MONITOR_ENV.stores, `entry ${index} field "${name}"`, entry[name]);

function auroraMetric(index: number, value: unknown): (typeof AURORA_LAG_METRIC_NAMES)[number] {
  const known = AURORA_LAG_METRIC_NAMES.find((m) => m === value);
  if (known === undefined) {
    throw new ConfigError(
      LAG_MONITOR_ENV.stores,
      `entry ${index} field "metric" is ${JSON.stringify(value)}; expected ${AURORA_LAG_METRIC_NAMES.map((m) => `"${m}"`).join(' or ')}`,
    );
  }
  return known;
}

/** Checks one `DRPLANE_STORES` entry. */
export function checkStore(index: number, entry: unknown): LagStore {
  if (!isRecord(entry)) throw new ConfigError(LAG_MONITOR_ENV.stores, `entry ${index} must be an object`);
  switch (entry.type) {
    case 'aurora':
      return {
        type: 'aurora',
        region: region(index, entry, 'region'),
        clusterIdentifier: field(index, entry, 'clusterIdentifier', 'clusterIdentifier'),
        ...(entry.metric === undefined ? {} : { metric: auroraMetric(index, entry.metric) }),
      };
    case 'dynamodb':
      return {
        type: 'dynamodb',
        tableName: field(index, entry, 'tableName', 'tableName'),
        receivingRegion: region(index, entry, 'receivingRegion'),
        ...(entry.sourceRegion === undefined ? {} : { sourceRegion: region(index, entry, 'sourceRegion') }),
      };
    case 's3': {
      // Before 2026-12 `region` named the source bucket's region and `destinationRegion` the destination's; S3 publishes
      // ReplicationLatency in the destination's region, so an entry of that shape would be read in the wrong region.
      if (entry.destinationRegion !== undefined) {
        throw new ConfigError(
          LAG_MONITOR_ENV.stores,
          `entry ${index} field "destinationRegion" is no longer accepted; set "region" to the destination bucket's region (where S3 publishes ReplicationLatency) and "sourceRegion" to the source bucket's`,
        );
      }
      const store: LagStore = {
        type: 's3',
        sourceBucket: field(index, entry, 'sourceBucket', 'bucket'),
        destinationBucket: field(index, entry, 'destinationBucket', 'bucket'),
        ruleId: field(index, entry, 'ruleId', 'ruleId'),
        region: region(index, entry, 'region'),
        ...(entry.sourceRegion === undefined ? {} : { sourceRegion: region(index, entry, 'sourceRegion') }),
      };
      return store;
    }
    default:
      throw new ConfigError(
        LAG_MONITOR_ENV.stores,
        `entry ${index} has type ${JSON.stringify(entry.type)}; expected "aurora", "dynamodb" or "s3"`,
      );
  }
}

function checkStores(value: unknown): LagStore[] {
  if (!Array.isArray(value)) throw new ConfigError(LAG_MONITOR_ENV.stores, `must be a JSON array like ${STORES_EXAMPLE}`);
  const stores = value.map((entry, i) => checkStore(i, entry));
  const seen = new Set<string>();
  stores.forEach((store, i) => {
    const d = lagDimensions(store);
    const key = `${d.StoreType}/${d.Store}/${d.Region}`;
    if (seen.has(key)) throw new ConfigError(LAG_MONITOR_ENV.stores, `entry ${i} repeats store ${key}`);
    seen.add(key);
  });
  return stores;
}

/** EKS cluster and node group names as the composition gives them (src/compose/naming.ts eksCluster, eksNodegroup). */
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** Most nodes of a managed node group the composition gives (src/primitives/kubernetes/section.ts MAX_NODES_PER_GROUP). */
const MAX_NODES_PER_GROUP = 5000;

/** DRPLANE_EKS_NODEGROUP_MINIMUM: an integer 0-5000, or unset. */
function checkMinimum(env: Env): number | undefined {
  const raw = optionalString(env, LAG_MONITOR_ENV.eksNodegroupMinimum);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d{1,4}$/.test(raw) || value > MAX_NODES_PER_GROUP)
    throw new ConfigError(
      LAG_MONITOR_ENV.eksNodegroupMinimum,
      `is "${raw}"; expected the node group's minimum size, an integer from 0 to ${MAX_NODES_PER_GROUP}`,
    );
  return value;
}

/** DRPLANE_EKS_CLUSTER and DRPLANE_EKS_NODEGROUP: both or neither; DRPLANE_EKS_NODEGROUP_MINIMUM only with them. */
function checkNodeGroup(env: Env): NodeGroupRef | undefined {
  const cluster = optionalString(env, LAG_MONITOR_ENV.eksCluster);
  const nodegroup = optionalString(env, LAG_MONITOR_ENV.eksNodegroup);
  const minimum = checkMinimum(env);
  if (cluster === undefined && nodegroup === undefined) {
    if (minimum !== undefined)
      throw new ConfigError(
        LAG_MONITOR_ENV.eksNodegroupMinimum,
        `is set without ${LAG_MONITOR_ENV.eksCluster} and ${LAG_MONITOR_ENV.eksNodegroup}; set it only with them`,
      );
    return undefined;
  }
  if (cluster === undefined)
    throw new ConfigError(
      LAG_MONITOR_ENV.eksCluster,
      `is unset while ${LAG_MONITOR_ENV.eksNodegroup} is set; set both or neither`,
    );
  if (nodegroup === undefined)
    throw new ConfigError(
      LAG_MONITOR_ENV.eksNodegroup,
      `is unset while ${LAG_MONITOR_ENV.eksCluster} is set; set both or neither`,
    );
  for (const [variable, value, what] of [
    [LAG_MONITOR_ENV.eksCluster, cluster, 'an EKS cluster name'],
    [LAG_MONITOR_ENV.eksNodegroup, nodegroup, 'an EKS node group name'],
  ] as const) {
    if (!EKS_NAME.test(value))
      throw new ConfigError(
        variable,
        `is "${value}"; expected ${what} (1-100 letters, digits, '-' and '_', starting with a letter or digit)`,
      );
  }
  return { cluster, nodegroup, ...(minimum === undefined ? {} : { minimum }) };
}

/** Reads and checks the monitor environment; throws ConfigError naming the variable. */
export function loadLagMonitorConfig(env: Env): LagMonitorConfig {
  const topicArn = requireString(env, LAG_MONITOR_ENV.topicArn, 'an SNS topic ARN');
  const arn = parseArn(topicArn);
  if (arn?.service !== 'sns' || arn.region === '') {
    throw new ConfigError(LAG_MONITOR_ENV.topicArn, `is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
  }
  const statePrefix = requireString(env, LAG_MONITOR_ENV.stateParameterPrefix, 'an SSM path such as /drplane/prod/lag');
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(statePrefix)) {
    throw new ConfigError(
      LAG_MONITOR_ENV.stateParameterPrefix,
      `is "${statePrefix}"; expected an SSM path starting with "/" without a trailing "/", e.g. /drplane/prod/lag`,
    );
  }
  const stateKeyArn = requireString(env, LAG_MONITOR_ENV.stateKeyArn, 'a KMS key ARN');
  const key = parseArn(stateKeyArn);
  if (key?.service !== 'kms' || !key.resource.startsWith('key/')) {
    throw new ConfigError(LAG_MONITOR_ENV.stateKeyArn, 'is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)');
  }
  const globalClusterId = optionalString(env, LAG_MONITOR_ENV.globalClusterId);
  if (globalClusterId !== undefined && !NAME_RULES.clusterIdentifier.pattern.test(globalClusterId)) {
    throw new ConfigError(
      LAG_MONITOR_ENV.globalClusterId,
      `is "${globalClusterId}"; expected an Aurora global cluster identifier (${NAME_RULES.clusterIdentifier.what})`,
    );
  }
  const readinessCell = optionalString(env, LAG_MONITOR_ENV.readinessCell);
  // Readiness names: 1-64 letters, digits and underscores (botocore __stringMax64PatternAAZAZ09Z).
  if (readinessCell !== undefined && !/^[A-Za-z0-9_]{1,64}$/.test(readinessCell)) {
    throw new ConfigError(
      LAG_MONITOR_ENV.readinessCell,
      `is "${readinessCell}"; expected an ARC readiness cell name (1-64 letters, digits and '_'), or unset for none`,
    );
  }
  const thresholdSeconds = positiveNumber(env, LAG_MONITOR_ENV.lagThresholdSeconds);
  return {
    region: checkRegion(
      COMMON_ENV.region,
      'the value',
      requireString(env, COMMON_ENV.region, "the function's region (Lambda sets it)"),
    ),
    estate: requireEstateId(env, LAG_MONITOR_ENV.estate),
    primaryRegion: checkRegion(
      LAG_MONITOR_ENV.primaryRegion,
      'the value',
      requireString(env, LAG_MONITOR_ENV.primaryRegion, 'a region such as us-east-1'),
    ),
    stores: requireJson(env, LAG_MONITOR_ENV.stores, STORES_EXAMPLE, checkStores),
    topicArn,
    topicRegion: arn.region,
    thresholdSeconds,
    s3ThresholdSeconds: positiveNumber(env, LAG_MONITOR_ENV.s3LagThresholdSeconds, s3LagThresholdSeconds(thresholdSeconds)),
    statePrefix,
    stateKeyArn,
    globalClusterId,
    readinessCell,
    reportTags: optionalJson(env, LAG_MONITOR_ENV.reportTags, '{"Environment":"prod","ManagedBy":"drplane"}', checkTags) ?? {},
    nodeGroup: checkNodeGroup(env),
  };
}
