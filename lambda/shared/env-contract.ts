/**
 * The environment-variable contract of each Lambda handler: the names the compositions set
 * and the handlers read. Plain constants and types only; this module imports nothing, so
 * composition code can import it without pulling in the AWS SDK.
 *
 * A handler that finds a required variable missing or malformed fails the invocation with an
 * error that names the variable. Names are read at the first invocation, not at import.
 */

/** Variables that every handler honours. */
export const COMMON_ENV = {
  /** Region the function runs in. Set by Lambda itself; never set it in a composition. */
  region: 'AWS_REGION',
  /**
   * Optional endpoint override for every AWS client (e.g. a moto server in tests). The AWS SDK
   * for JavaScript v3 reads it natively (and the per-service `AWS_ENDPOINT_URL_<SERVICE>`);
   * never set it in a real deployment.
   */
  endpointUrl: 'AWS_ENDPOINT_URL',
} as const;

/**
 * The estate id the compositions give `DRPLANE_ESTATE` (src/compose/naming.ts Namer.estateId: `e` and 7 lowercase hex
 * digits). The handlers publish it as the `Estate` dimension of drplane's metrics (metrics-contract.ts), so two
 * estates in one account never share a series.
 */
export const ESTATE_ID_PATTERN = /^e[0-9a-f]{7}$/;

/** Environment of the regional service (`lambda/service`). */
export const SERVICE_ENV = {
  /** `primary` or `secondary`: this region's role in the estate, reported by `GET /health`. */
  role: 'DRPLANE_ROLE',
  /** Name of the DynamoDB table (global table replica in this region); its key is {@link tableKey}. */
  tableName: 'DRPLANE_TABLE_NAME',
  /**
   * JSON {@link TableKeySchema} of `DRPLANE_TABLE_NAME`: its partition key and sort key (if any), names and types, as
   * the claim declares them (`{"hash":{"name":"transactionId","type":"S"},"range":{"name":"createdAt","type":"N"}}`).
   * Required with the table: `/health`'s sentinel and the transactions are keyed with it.
   */
  tableKey: 'DRPLANE_TABLE_KEY',
  /**
   * Optional ARN of a database secret in this region. `GET /health` proves it is reachable
   * with `DescribeSecret` (never reads the value). Unset: the check is reported `skipped`. The
   * compositions leave it unset: the database probe needs no credentials.
   */
  dbSecretArn: 'DRPLANE_DB_SECRET_ARN',
  /** The estate's environment suffix (e.g. `prod`), reported by `GET /health` and in logs. */
  environment: 'DRPLANE_ENVIRONMENT',
  /**
   * Optional `host:port` of this region's Aurora endpoint. `GET /health` proves the database reachable: a TCP
   * connection and the engine's first protocol message, without credentials. Unset: the check is `skipped`.
   */
  dbEndpoint: 'DRPLANE_DB_ENDPOINT',
  /** The engine at `DRPLANE_DB_ENDPOINT` (one of {@link SERVICE_DB_ENGINES}); required with it. */
  dbEngine: 'DRPLANE_DB_ENGINE',
} as const;

/** DynamoDB key attribute types: string, number, binary. */
export const TABLE_KEY_TYPES = ['S', 'N', 'B'] as const;

/** Key attribute types the service's partition key may have: its transaction ids are strings (B holds their UTF-8). */
export const SERVICE_HASH_KEY_TYPES = ['S', 'B'] as const;

/** One key attribute of a table. */
export interface TableKeyAttribute {
  readonly name: string;
  readonly type: (typeof TABLE_KEY_TYPES)[number];
}

/** The value of `DRPLANE_TABLE_KEY`: the table's partition (hash) key and its sort (range) key, if any. */
export interface TableKeySchema {
  readonly hash: TableKeyAttribute;
  readonly range?: TableKeyAttribute;
}

/** The engines `DRPLANE_DB_ENGINE` accepts. */
export const SERVICE_DB_ENGINES = ['aurora-postgresql', 'aurora-mysql'] as const;

/** Environment of the replication-lag monitor (`lambda/lag-monitor`). */
export const LAG_MONITOR_ENV = {
  /** The estate's primary region; DynamoDB `ReplicationLatency` is read there. */
  primaryRegion: 'DRPLANE_PRIMARY_REGION',
  /** JSON array of {@link LagStore}: the replicated stores to watch. */
  stores: 'DRPLANE_STORES',
  /** ARN of the SNS topic that receives breach and recovery messages (any region). */
  topicArn: 'DRPLANE_TOPIC_ARN',
  /** A lag strictly above this many seconds is a breach (number > 0); S3 stores use {@link s3LagThresholdSeconds}. */
  lagThresholdSeconds: 'DRPLANE_LAG_THRESHOLD_SECONDS',
  /**
   * Optional threshold of S3 stores in seconds (number > 0). Default: the general threshold, but never under the
   * 15 minutes S3 Replication Time Control promises ({@link S3_RTC_SECONDS}): normal S3 lag is not a breach.
   */
  s3LagThresholdSeconds: 'DRPLANE_S3_LAG_THRESHOLD_SECONDS',
  /**
   * Optional identifier of the Aurora global cluster. The monitor asks RDS (DescribeGlobalClusters, in its region)
   * which member writes now and reports that cluster as the writer instead of reading a lag it does not have.
   */
  globalClusterId: 'DRPLANE_GLOBAL_CLUSTER_ID',
  /**
   * SSM parameter path prefix (starts with `/`, no trailing `/`) under which the monitor keeps
   * one `ok`/`breach` state parameter per store and region, in its own region, and its run lock
   * ({@link lockParameterName}).
   */
  stateParameterPrefix: 'DRPLANE_STATE_PARAMETER_PREFIX',
  /**
   * ARN of the KMS key (the region's monitoring key) the state parameters are SecureStrings of: PutParameter takes
   * the key on every write, or SSM would encrypt with the account's default key.
   */
  stateKeyArn: 'DRPLANE_STATE_KEY_ARN',
  /**
   * Optional name of this region's Route 53 ARC readiness cell (routing.arc.readiness). With it, each run reads the
   * cell's readiness and reports it in the String parameter readinessParameterName(prefix) (lambda/shared/readiness.ts),
   * which the routing composite observes for the claim's status.
   */
  readinessCell: 'DRPLANE_READINESS_CELL',
  /**
   * Optional JSON object of the estate's tags (key → value), with readinessCell: the monitor creates the readiness
   * report parameter with them and adds them again after each rewrite (the parameter is the monitor's, not Crossplane's).
   */
  reportTags: 'DRPLANE_REPORT_TAGS',
  /**
   * Optional name of this region's EKS cluster (spec.kubernetes), set together with {@link LAG_MONITOR_ENV.eksNodegroup}.
   * With both, each run observes the cluster's managed node group (EKS DescribeNodegroup, and Auto Scaling
   * DescribeAutoScalingGroups for the instances of its groups) and publishes its health issues and the nodes it lacks
   * below its minimum size (lambda/lag-monitor/nodes.ts; drplane/NodeGroupHealthIssues, NodeGroupNodesBelowMinimum).
   */
  eksCluster: 'DRPLANE_EKS_CLUSTER',
  /** Optional name of the managed node group of `DRPLANE_EKS_CLUSTER`; set together with it. */
  eksNodegroup: 'DRPLANE_EKS_NODEGROUP',
  /**
   * Optional, only with `DRPLANE_EKS_NODEGROUP`: the node group's minimum size as the composition plans it now (an
   * integer, 0 for a pilot-light standby), given once the group has existed (its Auto Scaling group was observed). When
   * EKS no longer knows the group (ResourceNotFoundException: deleted), each run publishes it as the nodes the group
   * lacks (drplane/NodeGroupNodesBelowMinimum), so a vanished group fires the below-minimum alarm instead of leaving it
   * without data. Unset: a group EKS does not know publishes nothing (not created yet).
   */
  eksNodegroupMinimum: 'DRPLANE_EKS_NODEGROUP_MINIMUM',
  /**
   * The estate id ({@link ESTATE_ID_PATTERN}): the `Estate` dimension of the metrics the monitor publishes that name no
   * estate otherwise (ReadinessReportErrors: metrics-contract.ts readinessReportDimensions). Required.
   */
  estate: 'DRPLANE_ESTATE',
} as const;

/** S3 Replication Time Control replicates 99.99 % of objects within 15 minutes: S3 lag below it is normal. */
export const S3_RTC_SECONDS = 900;

/** The threshold of S3 replication lag for a general threshold: the general one, floored at {@link S3_RTC_SECONDS}. */
export const s3LagThresholdSeconds = (generalSeconds: number): number => Math.max(generalSeconds, S3_RTC_SECONDS);

/** The lag monitor's run lock under its state prefix (no state parameter has this name: StoreType comes first). */
export const lockParameterName = (prefix: string): string => `${prefix}/lock`;

/** Environment of the failover orchestrator (`lambda/failover`). */
export const FAILOVER_ENV = {
  /** JSON {@link FailoverRegions}: `{"primary":"us-east-1","secondaries":["us-west-2"]}`. */
  regions: 'DRPLANE_REGIONS',
  /** Identifier of the Aurora global cluster. */
  globalClusterId: 'DRPLANE_GLOBAL_CLUSTER_ID',
  /** JSON map region → ARN of the Aurora cluster in that region; one entry per region. */
  clusterArns: 'DRPLANE_CLUSTER_ARNS',
  /** Route 53 hosted zone ID holding the failover records. */
  hostedZoneId: 'DRPLANE_HOSTED_ZONE_ID',
  /** Name of the PRIMARY/SECONDARY failover record set (e.g. `api.example.com`). */
  recordName: 'DRPLANE_RECORD_NAME',
  /** JSON map region → `https://` URL of that region's `/health` endpoint. */
  healthUrls: 'DRPLANE_HEALTH_URLS',
  /**
   * Optional JSON map region → Route 53 health check ID. Used to tell which region a record
   * serves, and set on the records when they are swapped.
   */
  healthCheckIds: 'DRPLANE_HEALTH_CHECK_IDS',
  /**
   * Optional routing policy compose chose for the records of `DRPLANE_RECORD_NAME`: `failover` or `latency`. When
   * Route 53's control plane (us-east-1) cannot be read, it tells whether health-checked DNS already serves the target.
   */
  routingPolicy: 'DRPLANE_ROUTING_POLICY',
  /**
   * Optional JSON map region → `{"writer": <cluster endpoint>, "reader": <reader endpoint>}` of the Aurora clusters.
   * switch-dns points `writer.<DRPLANE_RECORD_NAME>` and `reader.<DRPLANE_RECORD_NAME>` (when they exist) at the target's.
   */
  databaseEndpoints: 'DRPLANE_DB_ENDPOINTS',
  /** ARN of the SNS topic that receives the failover timeline (any region). */
  topicArn: 'DRPLANE_TOPIC_ARN',
  /** ARN of the DR-operations role the orchestrator assumes for every AWS call after STS. */
  operationsRoleArn: 'DRPLANE_OPERATIONS_ROLE_ARN',
  /**
   * Name of the SSM SecureString parameter (in the function's region) that holds the external
   * ID for assuming the operations role. The external ID itself is never put in the environment.
   */
  externalIdParameter: 'DRPLANE_EXTERNAL_ID_PARAMETER',
  /** Optional overall deadline of one run in seconds (default {@link FAILOVER_DEFAULTS}). */
  deadlineSeconds: 'DRPLANE_DEADLINE_SECONDS',
  /** Optional poll interval in seconds while waiting (default {@link FAILOVER_DEFAULTS}). */
  pollSeconds: 'DRPLANE_POLL_SECONDS',
  /** ARN of the failover workflow (Step Functions state machine) in the function's region; the starter runs it. */
  stateMachineArn: 'DRPLANE_STATE_MACHINE_ARN',
  /**
   * JSON map region → ARN of that region's failover workflow; one entry per region. The first step of every run
   * (wait-turn, lambda/failover/turn.ts) lists their RUNNING executions so that one run acts per estate at a time.
   */
  stateMachineArns: 'DRPLANE_STATE_MACHINE_ARNS',
  /**
   * Optional (automatic mode): name of the trigger alarm in the function's region. While it is in ALARM the probe
   * re-drives the failover of its transition (lambda/failover/start.ts redrive): a lost event or a failed run is
   * started again, at most three attempts.
   */
  triggerAlarm: 'DRPLANE_TRIGGER_ALARM',
  /**
   * Optional (automatic mode): the AWS/RDS lag metric of this region's Aurora cluster (one of
   * {@link AURORA_LAG_METRIC_NAMES}), read over every dimension set naming the cluster. check-rpo reads it in the
   * minutes before the serving region was lost.
   */
  lagMetric: 'DRPLANE_LAG_METRIC',
  /** Optional (automatic mode): the most lag in milliseconds an automatic failover may lose (the RPO guard). */
  rpoGuardMs: 'DRPLANE_RPO_GUARD_MS',
  /**
   * Optional: what moves the service records' traffic, one of {@link ROUTING_CONTROLS} (unset: `health-check`). With
   * `arc`, switch-dns never changes the service records (they carry the ARC-gated checks Crossplane owns); it flips the
   * routing controls through the cluster's regional endpoints, and the three ARC variables below are required.
   */
  routingControl: 'DRPLANE_ROUTING_CONTROL',
  /** With `arc`: JSON array of the ARC cluster's endpoints, `[{"endpoint": "https://…", "region": "…"}]`. */
  arcEndpoints: 'DRPLANE_ARC_ENDPOINTS',
  /** With `arc`: JSON map region → ARN of that region's routing control; one entry per region. */
  arcControls: 'DRPLANE_ARC_CONTROLS',
  /** Optional with `arc`: the safety rules' wait period in ms (after a ConflictException, the wait before retrying). */
  arcWaitMs: 'DRPLANE_ARC_WAIT_MS',
  /**
   * Optional (the estate has spec.kubernetes): JSON map region → {@link NodeGroupTarget}, one entry per region: the
   * EKS managed node group the run's scale-nodes step raises in its target region before the database moves.
   */
  nodeGroups: 'DRPLANE_NODE_GROUPS',
  /**
   * The estate id ({@link ESTATE_ID_PATTERN}): the `Estate` dimension of every metric the orchestrator publishes and
   * reads (RegionHealthy, CheckersHealthyPercent, RegionInMaintenance, ProbeErrors, FailoverRtoSeconds:
   * metrics-contract.ts), the one the trigger's alarms read. Required.
   */
  estate: 'DRPLANE_ESTATE',
} as const;

/** One region's EKS managed node group in `DRPLANE_NODE_GROUPS`, and the size it runs at when the region serves. */
export interface NodeGroupTarget {
  /** The EKS cluster's name. */
  readonly cluster: string;
  /** The managed node group's name within the cluster. */
  readonly nodegroup: string;
  /** Nodes of a serving region (the claim's kubernetes.nodeGroup.minSize). */
  readonly size: number;
}

/** The values of `DRPLANE_ROUTING_CONTROL`. */
export const ROUTING_CONTROLS = ['health-check', 'arc'] as const;

/** The values of `DRPLANE_ROUTING_POLICY`. */
export const ROUTING_POLICIES = ['failover', 'latency'] as const;

/** Defaults of the optional failover variables. */
export const FAILOVER_DEFAULTS = {
  /** Ten minutes: the budget of each waiting state of the workflow (writer, INSYNC, health). */
  deadlineSeconds: 600,
  pollSeconds: 15,
} as const;

/** The AWS/RDS lag metrics an Aurora store may name (src/policy/aurora-lag-metric.ts chooses one). */
export const AURORA_LAG_METRIC_NAMES = ['AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicationLag'] as const;

/** The `role` values of {@link SERVICE_ENV}. */
export const SERVICE_ROLES = ['primary', 'secondary'] as const;

/** One entry of `DRPLANE_STORES`: a replicated store whose lag the monitor reads. */
export type LagStore =
  | {
      /** Aurora secondary cluster: its lag metric (AWS/RDS, `metric`) is read in `region`. */
      readonly type: 'aurora';
      readonly region: string;
      readonly clusterIdentifier: string;
      /**
       * Optional metric to read (one of {@link AURORA_LAG_METRIC_NAMES}); default `AuroraGlobalDBRPOLag`. Aurora MySQL
       * below 3.04.0 (2.x below 2.12.0) publishes only `AuroraGlobalDBReplicationLag`.
       */
      readonly metric?: (typeof AURORA_LAG_METRIC_NAMES)[number];
    }
  | {
      /** DynamoDB global-table replica: `ReplicationLatency` (AWS/DynamoDB), read in `sourceRegion`. */
      readonly type: 'dynamodb';
      readonly tableName: string;
      readonly receivingRegion: string;
      /** The region replicating to `receivingRegion` (where the metric is published); default the primary region. */
      readonly sourceRegion?: string;
    }
  | {
      /**
       * S3 replication rule: `ReplicationLatency` (AWS/S3) is published in the destination bucket's region (S3 User
       * Guide, "Using S3 Replication metrics"), so it is read in `region`, the destination bucket's region.
       */
      readonly type: 's3';
      readonly sourceBucket: string;
      readonly destinationBucket: string;
      readonly ruleId: string;
      /** The destination bucket's region: where the metric is published and read, and the `Region` dimension. */
      readonly region: string;
      /** Optional region of the source bucket (named in messages only). */
      readonly sourceRegion?: string;
    };

/** The value of `DRPLANE_REGIONS`. */
export interface FailoverRegions {
  readonly primary: string;
  readonly secondaries: readonly string[];
}

/** The input event of the failover orchestrator. */
export interface FailoverEvent {
  /** Region whose Aurora cluster becomes the writer and receives the traffic. */
  readonly targetRegion: string;
  /** `planned`: SwitchoverGlobalCluster (no data loss). `unplanned`: FailoverGlobalCluster with AllowDataLoss. */
  readonly mode: 'planned' | 'unplanned';
  /** Compute and return the plan from the observed AWS state; change nothing. */
  readonly dryRun?: boolean;
  /** Free text carried into the notification. */
  readonly reason?: string;
  /**
   * Set by the automatic trigger: the alarm whose ALARM state started the run (in the function's region) and the
   * time of the state change. The run goes on only while the alarm is still in ALARM; the time tells two
   * transitions apart (it is part of the execution name).
   */
  readonly trigger?: {
    readonly alarmName: string;
    readonly time: string;
    /** The region the trigger found lost (the probed one): check-rpo finds when its failed probes began. */
    readonly region?: string;
  };
}
