/**
 * The orchestrator's configuration, read from its environment (see FAILOVER_ENV).
 */
import {
  AURORA_LAG_METRIC_NAMES,
  COMMON_ENV,
  FAILOVER_DEFAULTS,
  FAILOVER_ENV,
  ROUTING_CONTROLS,
  ROUTING_POLICIES,
  type NodeGroupTarget,
} from '../shared/env-contract.js';
import type { ArcConfig } from './arc.js';
import { parseArn } from '../shared/arn.js';
import type { DatabaseEndpoints } from './records.js';
import {
  ConfigError,
  checkRegion,
  checkRegionMap,
  isRecord,
  optionalJson,
  optionalString,
  positiveNumber,
  requireJson,
  requireEstateId,
  requireString,
  type Env,
} from '../shared/env.js';

/** What the orchestrator needs to run. */
export interface FailoverConfig {
  /** The function's own region (SSM, STS, CloudWatch metric). */
  readonly region: string;
  /** The estate id: the `Estate` dimension of every metric it publishes or reads (DRPLANE_ESTATE). */
  readonly estate: string;
  readonly primaryRegion: string;
  readonly secondaryRegions: readonly string[];
  /** Primary first, then the secondaries in configured order. */
  readonly allRegions: readonly string[];
  readonly globalClusterId: string;
  readonly clusterArns: Readonly<Record<string, string>>;
  readonly hostedZoneId: string;
  /** Lowercase, without a trailing dot. */
  readonly recordName: string;
  readonly healthUrls: Readonly<Record<string, string>>;
  readonly healthCheckIds: Readonly<Record<string, string>> | undefined;
  /** Each region's Aurora endpoints (writer./reader. records follow the target); undefined when not configured. */
  readonly databaseEndpoints: Readonly<Record<string, DatabaseEndpoints>> | undefined;
  /** routing.control arc: the ARC cluster's endpoints and each region's routing control; undefined for health-check. */
  readonly arc: ArcConfig | undefined;
  /** The records' routing policy as composed; undefined when not configured. */
  readonly routingPolicy: (typeof ROUTING_POLICIES)[number] | undefined;
  readonly topicArn: string;
  readonly topicRegion: string;
  readonly operationsRoleArn: string;
  readonly externalIdParameter: string;
  readonly deadlineSeconds: number;
  readonly pollSeconds: number;
  /** The failover workflow of this region (the starter needs it; the steps do not). */
  readonly stateMachineArn: string | undefined;
  /** Every region's failover workflow (wait-turn orders the estate's runs); undefined when not configured. */
  readonly stateMachineArns: Readonly<Record<string, string>> | undefined;
  /** Automatic mode: the trigger alarm of this region, which the probe reads to re-drive its failover. */
  readonly triggerAlarm: string | undefined;
  /** Automatic mode: this region's Aurora lag metric and the RPO guard in ms (check-rpo); undefined when not set. */
  readonly rpoGuard: { readonly metric: (typeof AURORA_LAG_METRIC_NAMES)[number]; readonly maxLagMs: number } | undefined;
  /** Each region's EKS node group (scale-nodes raises the target's); undefined when the estate has no cluster. */
  readonly nodeGroups: Readonly<Record<string, NodeGroupTarget>> | undefined;
}

/** `api.Example.com.` → `api.example.com`. */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function checkRegions(value: unknown): { primary: string; secondaries: string[] } {
  const v = FAILOVER_ENV.regions;
  if (!isRecord(value))
    throw new ConfigError(v, 'must be a JSON object like {"primary":"us-east-1","secondaries":["us-west-2"]}');
  const primary = checkRegion(v, 'primary', value.primary);
  if (!Array.isArray(value.secondaries) || value.secondaries.length === 0) {
    throw new ConfigError(v, 'secondaries must be a non-empty array of regions, e.g. ["us-west-2"]');
  }
  const secondaries = value.secondaries.map((r, i) => checkRegion(v, `secondaries[${i}]`, r));
  const all = [primary, ...secondaries];
  const dup = all.find((r, i) => all.indexOf(r) !== i);
  if (dup !== undefined) throw new ConfigError(v, `region ${dup} appears twice; every region must be listed once`);
  return { primary, secondaries };
}

/** Every configured region must have an entry, and no other region may. */
function requireCoverage(variable: string, map: Record<string, unknown>, regions: readonly string[]): void {
  const missing = regions.filter((r) => !(r in map));
  if (missing.length > 0)
    throw new ConfigError(variable, `has no entry for ${missing.join(', ')}; add one per region of ${FAILOVER_ENV.regions}`);
  const extra = Object.keys(map).filter((r) => !regions.includes(r));
  if (extra.length > 0)
    throw new ConfigError(variable, `has entries for ${extra.join(', ')}, which ${FAILOVER_ENV.regions} does not list`);
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** `https:` URLs; plain `http:` only to a loopback host (local tests). */
export function checkHealthUrl(variable: string, region: string, value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ConfigError(
      variable,
      `entry ${region} is ${JSON.stringify(value)}; expected an https:// URL of the /health endpoint`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new ConfigError(variable, `entry ${region} must use https:// (plain http is accepted only for loopback test servers)`);
  }
  return url.toString();
}

function checkStateMachineArn(value: string | undefined, variable: string = FAILOVER_ENV.stateMachineArn): string | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = parseArn(value);
  if (parsed?.service !== 'states' || !parsed.resource.startsWith('stateMachine:')) {
    throw new ConfigError(
      variable,
      `has ${JSON.stringify(value)}, which is not a Step Functions state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`,
    );
  }
  return value;
}

/** DRPLANE_STATE_MACHINE_ARNS: every region's workflow, each in its own region. */
function checkStateMachineArns(env: Env, allRegions: readonly string[]): Record<string, string> | undefined {
  const v = FAILOVER_ENV.stateMachineArns;
  const arns = optionalJson(env, v, '{"us-east-1":"arn:aws:states:us-east-1:111122223333:stateMachine:<name>"}', (m) =>
    checkRegionMap(v, m, (region, a) => {
      const arn = typeof a === 'string' && a !== '' ? checkStateMachineArn(a, v)! : undefined;
      if (arn === undefined) throw new ConfigError(v, `entry ${region} must be the ARN of ${region}'s failover workflow`);
      if (parseArn(arn)?.region !== region)
        throw new ConfigError(
          v,
          `entry ${region} names a state machine in ${parseArn(arn)?.region}; each entry must be its own region's`,
        );
      return arn;
    }),
  );
  if (arns !== undefined) requireCoverage(v, arns, allRegions);
  return arns;
}

function checkTriggerAlarm(value: string | undefined): string | undefined {
  // CloudWatch's AlarmName: 1-255 characters.
  if (value !== undefined && value.length > 255) {
    throw new ConfigError(FAILOVER_ENV.triggerAlarm, 'is longer than 255 characters; expected a CloudWatch alarm name');
  }
  return value;
}

function checkRpoGuard(env: Env): FailoverConfig['rpoGuard'] {
  const metric = optionalString(env, FAILOVER_ENV.lagMetric);
  if (metric === undefined) return undefined;
  if (!(AURORA_LAG_METRIC_NAMES as readonly string[]).includes(metric)) {
    throw new ConfigError(FAILOVER_ENV.lagMetric, `is "${metric}"; expected one of ${AURORA_LAG_METRIC_NAMES.join(', ')}`);
  }
  // Required with the metric: the RPO guard in milliseconds.
  const maxLagMs = positiveNumber(env, FAILOVER_ENV.rpoGuardMs);
  return { metric: metric as (typeof AURORA_LAG_METRIC_NAMES)[number], maxLagMs };
}

/** A region → health check id map covering every region. */
function checkIds(env: Env, variable: string, allRegions: readonly string[]): Record<string, string> | undefined {
  const ids = optionalJson(env, variable, '{"us-east-1":"<health check id>"}', (v) =>
    checkRegionMap(variable, v, (region, id) => {
      if (typeof id !== 'string' || id === '')
        throw new ConfigError(variable, `entry ${region} must be a health check ID string`);
      return id;
    }),
  );
  if (ids !== undefined) requireCoverage(variable, ids, allRegions);
  return ids;
}

/** DRPLANE_ROUTING_CONTROL and, with arc, the cluster's endpoints and every region's routing control. */
function checkArc(env: Env, allRegions: readonly string[]): ArcConfig | undefined {
  const E = FAILOVER_ENV;
  const control = optionalString(env, E.routingControl) ?? 'health-check';
  if (!(ROUTING_CONTROLS as readonly string[]).includes(control)) {
    throw new ConfigError(E.routingControl, `is "${control}"; expected one of ${ROUTING_CONTROLS.join(', ')}, or unset`);
  }
  if (control !== 'arc') return undefined;
  const endpoints = requireJson(env, E.arcEndpoints, '[{"endpoint":"https://host.example/v1","region":"us-west-2"}]', (v) => {
    if (!Array.isArray(v) || v.length === 0)
      throw new ConfigError(E.arcEndpoints, 'must be a non-empty JSON array of {"endpoint": "https://…", "region": "…"}');
    return v.map((e: unknown, i) => {
      if (!isRecord(e) || typeof e.endpoint !== 'string')
        throw new ConfigError(E.arcEndpoints, `entry ${i} must be {"endpoint": "https://…", "region": "…"}`);
      if (!/^https:\/\//.test(e.endpoint) && !/^http:\/\/(localhost|127(\.\d{1,3}){3})[:/]/.test(e.endpoint))
        throw new ConfigError(E.arcEndpoints, `entry ${i} (${e.endpoint}) must be an https:// URL`);
      return { endpoint: e.endpoint, region: checkRegion(E.arcEndpoints, `entry ${i} region`, e.region) };
    });
  });
  const controls = requireJson(env, E.arcControls, '{"us-east-1":"arn:aws:route53-recovery-control::…"}', (v) =>
    checkRegionMap(E.arcControls, v, (region, a) => {
      const parsed = typeof a === 'string' ? parseArn(a) : undefined;
      if (parsed?.service !== 'route53-recovery-control' || !/(^|\/)routingcontrol\/[^/]+$/.test(parsed.resource))
        throw new ConfigError(
          E.arcControls,
          `entry ${region} is not a routing control ARN (arn:aws:route53-recovery-control::<account>:controlpanel/<id>/routingcontrol/<id>)`,
        );
      return a as string;
    }),
  );
  const arc: ArcConfig = { endpoints, controls };
  requireCoverage(E.arcControls, controls, allRegions);
  const waitPeriodMs = optionalString(env, E.arcWaitMs) === undefined ? undefined : positiveNumber(env, E.arcWaitMs);
  return waitPeriodMs === undefined ? arc : { ...arc, waitPeriodMs };
}

/**
 * DRPLANE_NODE_GROUPS: every region's node group. Names as EKS takes them (botocore eks model: clusterName and
 * nodegroupName are URI path strings; EKS names are 1-100 letters, digits, hyphens and underscores, starting with a
 * letter or digit); the size a whole number within EKS's Capacity/ZeroCapacity shapes (at least 0).
 */
function checkNodeGroups(env: Env, allRegions: readonly string[]): FailoverConfig['nodeGroups'] {
  const v = FAILOVER_ENV.nodeGroups;
  const name = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
  const groups = optionalJson(env, v, '{"us-east-1":{"cluster":"<cluster>","nodegroup":"<node group>","size":2}}', (value) =>
    checkRegionMap(v, value, (region, e): NodeGroupTarget => {
      if (!isRecord(e) || typeof e.cluster !== 'string' || !name.test(e.cluster))
        throw new ConfigError(v, `entry ${region} needs "cluster": the EKS cluster's name (letters, digits, - and _)`);
      if (typeof e.nodegroup !== 'string' || !name.test(e.nodegroup))
        throw new ConfigError(v, `entry ${region} needs "nodegroup": the managed node group's name (letters, digits, - and _)`);
      if (typeof e.size !== 'number' || !Number.isInteger(e.size) || e.size < 1)
        throw new ConfigError(v, `entry ${region} needs "size": the nodes of a serving region, a whole number of at least 1`);
      return { cluster: e.cluster, nodegroup: e.nodegroup, size: e.size };
    }),
  );
  if (groups !== undefined) requireCoverage(v, groups, allRegions);
  return groups;
}

function checkRoutingPolicy(env: Env): FailoverConfig['routingPolicy'] {
  const value = optionalString(env, FAILOVER_ENV.routingPolicy);
  if (value === undefined) return undefined;
  if (!(ROUTING_POLICIES as readonly string[]).includes(value)) {
    throw new ConfigError(FAILOVER_ENV.routingPolicy, `is "${value}"; expected one of ${ROUTING_POLICIES.join(', ')}, or unset`);
  }
  return value as FailoverConfig['routingPolicy'];
}

/** Reads and checks the orchestrator environment; throws ConfigError naming the variable. */
export function loadFailoverConfig(env: Env): FailoverConfig {
  const E = FAILOVER_ENV;
  const regions = requireJson(env, E.regions, '{"primary":"us-east-1","secondaries":["us-west-2"]}', checkRegions);
  const allRegions = [regions.primary, ...regions.secondaries];

  const clusterArns = requireJson(env, E.clusterArns, '{"us-east-1":"arn:aws:rds:us-east-1:111122223333:cluster:db-use1"}', (v) =>
    checkRegionMap(E.clusterArns, v, (region, arn) => {
      const parsed = typeof arn === 'string' ? parseArn(arn) : undefined;
      if (parsed?.service !== 'rds' || !parsed.resource.startsWith('cluster:')) {
        throw new ConfigError(
          E.clusterArns,
          `entry ${region} is not an Aurora cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>)`,
        );
      }
      if (parsed.region !== region) {
        throw new ConfigError(
          E.clusterArns,
          `entry ${region} names a cluster in ${parsed.region}; each entry must be the cluster in its own region`,
        );
      }
      return arn as string;
    }),
  );
  requireCoverage(E.clusterArns, clusterArns, allRegions);

  const healthUrls = requireJson(env, E.healthUrls, '{"us-east-1":"https://abc.lambda-url.us-east-1.on.aws/health"}', (v) =>
    checkRegionMap(E.healthUrls, v, (region, url) => checkHealthUrl(E.healthUrls, region, url)),
  );
  requireCoverage(E.healthUrls, healthUrls, allRegions);

  const healthCheckIds = checkIds(env, E.healthCheckIds, allRegions);
  const arc = checkArc(env, allRegions);

  const databaseEndpoints = optionalJson(env, E.databaseEndpoints, '{"us-east-1":{"writer":"<host>","reader":"<host>"}}', (v) =>
    checkRegionMap(E.databaseEndpoints, v, (region, e) => {
      const host = (x: unknown) => typeof x === 'string' && /^[A-Za-z0-9.-]{1,253}$/.test(x);
      if (!isRecord(e) || !host(e.writer) || !host(e.reader)) {
        throw new ConfigError(E.databaseEndpoints, `entry ${region} must be {"writer": <host name>, "reader": <host name>}`);
      }
      return { writer: e.writer as string, reader: e.reader as string };
    }),
  );
  if (databaseEndpoints !== undefined) requireCoverage(E.databaseEndpoints, databaseEndpoints, allRegions);

  const topicArn = requireString(env, E.topicArn, 'an SNS topic ARN');
  const topic = parseArn(topicArn);
  if (topic?.service !== 'sns' || topic.region === '') {
    throw new ConfigError(E.topicArn, 'is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)');
  }
  const operationsRoleArn = requireString(env, E.operationsRoleArn, 'an IAM role ARN');
  const role = parseArn(operationsRoleArn);
  if (role?.service !== 'iam' || !role.resource.startsWith('role/')) {
    throw new ConfigError(E.operationsRoleArn, 'is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)');
  }
  const externalIdParameter = requireString(env, E.externalIdParameter, 'the name of an SSM SecureString parameter');
  if (!/^\/?[A-Za-z0-9_.\-/]{1,2048}$/.test(externalIdParameter)) {
    throw new ConfigError(
      E.externalIdParameter,
      "must be an SSM parameter name (letters, digits, '_', '.', '-', '/'), not the external ID itself",
    );
  }
  const region = checkRegion(
    COMMON_ENV.region,
    'the value',
    requireString(env, COMMON_ENV.region, "the function's region (Lambda sets it)"),
  );

  return {
    region,
    estate: requireEstateId(env, E.estate),
    primaryRegion: regions.primary,
    secondaryRegions: regions.secondaries,
    allRegions,
    globalClusterId: requireString(env, E.globalClusterId, 'the Aurora global cluster identifier'),
    clusterArns,
    hostedZoneId: requireString(env, E.hostedZoneId, 'a Route 53 hosted zone ID').replace(/^\/hostedzone\//, ''),
    recordName: normalizeDnsName(requireString(env, E.recordName, 'the failover record name, e.g. api.example.com')),
    healthUrls,
    healthCheckIds,
    arc,
    databaseEndpoints,
    routingPolicy: checkRoutingPolicy(env),
    topicArn,
    topicRegion: topic.region,
    operationsRoleArn,
    externalIdParameter,
    deadlineSeconds: positiveNumber(env, E.deadlineSeconds, FAILOVER_DEFAULTS.deadlineSeconds),
    pollSeconds: positiveNumber(env, E.pollSeconds, FAILOVER_DEFAULTS.pollSeconds),
    stateMachineArn: checkStateMachineArn(env[E.stateMachineArn]),
    stateMachineArns: checkStateMachineArns(env, allRegions),
    triggerAlarm: checkTriggerAlarm(optionalString(env, E.triggerAlarm)),
    rpoGuard: checkRpoGuard(env),
    nodeGroups: checkNodeGroups(env, allRegions),
  };
}
