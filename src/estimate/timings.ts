/**
 * The time constants of the objectives model: replication lags, promotion times, detection and
 * human response. Each has a typical and a worst-case value and says where it comes from. Where
 * AWS publishes no bound, the worst case is drplane's planning value and the source says so;
 * `bounded` is true only where AWS commits to a number (an SLA).
 */

/** A duration the model adds up or compares. */
export interface Timing {
  /** Seconds in the common case. */
  readonly typicalSeconds: number;
  /** Seconds to plan for. */
  readonly worstSeconds: number;
  /** True when AWS commits to the worst case (an SLA or a documented hard limit). */
  readonly bounded: boolean;
  /** Where the numbers come from. */
  readonly source: string;
}

/** How much planning margin drplane puts on a "typical" lag AWS does not bound. */
export const UNBOUNDED_LAG_MARGIN = 5;

/** Replication lag of each technology drplane composes (all asynchronous). */
export const LAG = {
  auroraGlobal: {
    typicalSeconds: 1,
    worstSeconds: 1 * UNBOUNDED_LAG_MARGIN,
    bounded: false,
    source:
      'Aurora User Guide, "Using Amazon Aurora Global Database": storage-level replication, typically under 1 second; RPO "typically measured in seconds". ' +
      `No SLA: the worst case is drplane's planning value (${UNBOUNDED_LAG_MARGIN}× typical).`,
  },
  dynamodbGlobal: {
    typicalSeconds: 2,
    worstSeconds: 2 * UNBOUNDED_LAG_MARGIN,
    bounded: false,
    source:
      'DynamoDB Developer Guide, "Global tables" (multi-Region eventual consistency): replicas typically converge within 1-2 seconds (ReplicationLatency metric). ' +
      `No SLA: the worst case is drplane's planning value (${UNBOUNDED_LAG_MARGIN}× typical).`,
  },
  s3WithRtc: {
    typicalSeconds: 15,
    worstSeconds: 900,
    bounded: true,
    source:
      'S3 User Guide, "Meeting compliance requirements with S3 Replication Time Control": most objects replicate in seconds, 99.99% within 15 minutes (SLA). ' +
      'The typical 15 s is drplane\'s reading of "seconds".',
  },
  s3WithoutRtc: {
    typicalSeconds: 900,
    worstSeconds: 7200,
    bounded: false,
    source:
      'S3 User Guide, "Replicating objects": most objects replicate within 15 minutes, but sometimes it takes a couple of hours or more. ' +
      "No SLA: the worst case (2 hours) is drplane's planning value and can be exceeded.",
  },
} as const satisfies Record<string, Timing>;

/** Aurora PostgreSQL managed RPO (rds.global_db_rpo): the smallest bound it accepts. drplane does not set it. */
export const AURORA_MANAGED_RPO_MIN_SECONDS = 20;
/** Source of AURORA_MANAGED_RPO_MIN_SECONDS. */
export const AURORA_MANAGED_RPO_SOURCE =
  'Aurora User Guide, "Managing RPOs for Aurora PostgreSQL-based global databases": rds.global_db_rpo, at least 20 seconds; commits pause while every secondary lags beyond it.';

/** Making a secondary take writes, per data store (the slowest one counts). */
export const PROMOTION = {
  auroraUnplannedFailover: {
    typicalSeconds: 120,
    worstSeconds: 600,
    bounded: false,
    source:
      'Aurora User Guide, "Performing managed failovers for Aurora global databases" (FailoverGlobalCluster with AllowDataLoss): typically a minute or two. ' +
      "Worst case: detach-and-promote or a slow failover; 600 s is the failover orchestrator's deadline (lambda/shared/env-contract.ts).",
  },
  auroraPlannedSwitchover: {
    typicalSeconds: 120,
    worstSeconds: 300,
    bounded: false,
    source:
      'Aurora User Guide, "Performing switchovers for Aurora global databases" (SwitchoverGlobalCluster): waits for the secondary to catch up, so RPO 0; typically 1-2 minutes. ' +
      "The 300 s worst case is drplane's planning value.",
  },
  dynamodbMultiActive: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    source:
      'DynamoDB Developer Guide, "Global tables": every replica accepts writes (multi-active), so there is nothing to promote.',
  },
  s3Replica: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    source:
      'The replica bucket in every region is readable and writable at once; replication runs both ways (every region to every other), so writes after a failover reach the old region too.',
  },
  warmService: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    source:
      'XRegionalService deploys the service in every region and Route 53 probes it all the time, so it is already running where traffic moves.',
  },
} as const satisfies Record<string, Timing>;

/** Finding out that a region is down, and deciding to fail over. */
export const DETECTION = {
  /** Added to interval × failureThreshold in the worst case: a failure just after a probe waits one more interval. */
  healthCheckExtraIntervals: 1,
  healthCheckSource:
    'Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is healthy": unhealthy after failureThreshold consecutive failed probes, one every requestInterval seconds. ' +
    'Worst case adds one interval for a failure that starts just after a probe.',
  alarm: {
    typicalSeconds: 120,
    worstSeconds: 240,
    bounded: false,
    source:
      'CloudWatch User Guide, "Using Amazon CloudWatch alarms": the health alarms XDRMonitoring composes (src/compose/monitoring.ts) need 2 breaching 1-minute periods of ' +
      "Route 53 HealthCheckStatus before the estate-at-risk composite alarm fires (120 s); metrics can arrive a minute or two late, so 240 s is drplane's planning worst case.",
  },
  orchestratorStart: {
    typicalSeconds: 5,
    worstSeconds: 30,
    bounded: false,
    source:
      "EventBridge delivers the alarm state change and starts the failover orchestrator Lambda within seconds; 30 s is drplane's planning value (cold start, retries).",
  },
  human: {
    typicalSeconds: 600,
    worstSeconds: 1800,
    bounded: false,
    source:
      "drplane's planning value for manual failover: page, acknowledge, confirm the region is down and decide (10 min typical, 30 min worst). Replace with your on-call's measured times.",
  },
  gitOps: {
    typicalSeconds: 60,
    worstSeconds: 240,
    bounded: false,
    source:
      'Argo CD polls git every 180 s by default (timeout.reconciliation) unless a webhook syncs at once; Crossplane then reconciles the composite and starts the orchestrator (~1 min). ' +
      'Planning values: 60 s with a webhook, 240 s without.',
  },
} as const;

/** DNS: clients follow the new answer once their cached one expires. */
export const DNS = {
  /** Added to the TTL in the worst case. */
  propagationWorstSeconds: 60,
  source:
    'Route 53 Developer Guide: record changes reach every Route 53 name server within 60 seconds (GetChange INSYNC); resolvers and clients then keep the old answer for up to the TTL. ' +
    'Typical = TTL; worst = TTL + 60 s. Clients that cache past the TTL (some JVMs, some resolvers) are not modelled.',
} as const;
