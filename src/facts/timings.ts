/**
 * The time constants of the objectives model: replication lags, promotion times, detection and
 * human response. Each has a typical and a worst-case value and says where it comes from. Where
 * AWS publishes no bound, the worst case is drplane's planning value and the source says so;
 * `bounded` is true only where AWS commits to a number (an SLA).
 */

/**
 * Where a figure comes from: `documented` (AWS or the tool's own documentation states it, cited in the source),
 * `configured` (the claim or drplane's composition sets it), `assumption` (drplane's planning value: nothing
 * published confirms it; the source says why it was chosen).
 */
export type TimingBasis = 'documented' | 'configured' | 'assumption';

/** A duration the model adds up or compares. */
export interface Timing {
  /** Seconds in the common case. */
  readonly typicalSeconds: number;
  /** Seconds to plan for. */
  readonly worstSeconds: number;
  /** True when AWS commits to the worst case as a hard limit (an SLA with service credits is not one). */
  readonly bounded: boolean;
  /** Where the typical figure comes from. */
  readonly typicalBasis: TimingBasis;
  /** Where the worst-case figure comes from. */
  readonly worstBasis: TimingBasis;
  /** Where the numbers come from (document and section, or why drplane assumes them). */
  readonly source: string;
}

/** How much planning margin drplane puts on a "typical" lag AWS does not bound. */
export const UNBOUNDED_LAG_MARGIN = 5;

/** Replication lag of each technology drplane composes. */
export const LAG = {
  auroraGlobal: {
    typicalSeconds: 1,
    worstSeconds: 1 * UNBOUNDED_LAG_MARGIN,
    bounded: false,
    typicalBasis: 'documented',
    worstBasis: 'assumption',
    source:
      'Aurora User Guide, "Using Amazon Aurora Global Database": storage-level replication, typically under 1 second; RPO "typically measured in seconds". ' +
      `Assumption: no SLA or published bound, so the worst case is drplane's planning value (${UNBOUNDED_LAG_MARGIN}× typical).`,
  },
  dynamodbGlobal: {
    typicalSeconds: 1,
    worstSeconds: 1 * UNBOUNDED_LAG_MARGIN,
    bounded: false,
    typicalBasis: 'documented',
    worstBasis: 'assumption',
    source:
      'DynamoDB Developer Guide, "How DynamoDB global tables work" (multi-Region eventual consistency, MREC): changes are typically replicated to the other replicas within one second (ReplicationLatency metric). ' +
      `Assumption: AWS publishes no SLA for the lag, so the worst case is drplane's planning value (${UNBOUNDED_LAG_MARGIN}× typical).`,
  },
  dynamodbStrong: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    typicalBasis: 'documented',
    worstBasis: 'documented',
    source:
      'Amazon DynamoDB global tables product page (aws.amazon.com/dynamodb/global-tables): multi-Region strong consistency (MRSC) lets applications "build applications with a recovery point objective of zero"; ' +
      'DynamoDB API Reference (MultiRegionConsistency STRONG): three replicas, or two replicas and a witness, in one Region set.',
  },
  s3WithRtc: {
    typicalSeconds: 15,
    worstSeconds: 900,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'documented',
    source:
      'S3 User Guide, "Meeting compliance requirements with S3 Replication Time Control": most objects replicate in seconds; the design target is 99.99% within 15 minutes. ' +
      'Amazon S3 RTC SLA (last updated 2022-05-04): 99.9% of objects per Region pair and month within 15 minutes, service credits below that; not a hard bound, a few objects can take longer. ' +
      'Assumption: the typical 15 s is drplane\'s reading of "seconds".',
  },
  s3WithoutRtc: {
    typicalSeconds: 900,
    worstSeconds: 7200,
    bounded: false,
    typicalBasis: 'documented',
    worstBasis: 'assumption',
    source:
      'S3 User Guide, "Replicating objects": most objects replicate within 15 minutes, but sometimes it takes a couple of hours or more. ' +
      "Assumption: no SLA, so the worst case (2 hours) is drplane's planning value and can be exceeded.",
  },
} as const satisfies Record<string, Timing>;

/** Aurora PostgreSQL managed RPO (rds.global_db_rpo): the smallest bound it accepts. drplane does not set it. */
export const AURORA_MANAGED_RPO_MIN_SECONDS = 20;
/** Source of AURORA_MANAGED_RPO_MIN_SECONDS. */
export const AURORA_MANAGED_RPO_SOURCE =
  'Aurora User Guide, "Managing RPOs for Aurora PostgreSQL-based global databases": rds.global_db_rpo, at least 20 seconds; commits pause while every secondary lags beyond it.';

/**
 * Automatic mode's bound on Aurora's loss: the run's check-rpo step goes on only when the standby's lag metric stayed
 * within the RPO guard in the minutes before the loss; the metric has one point per minute, so the lag at the moment of
 * loss can exceed the last point by up to one period.
 */
export const AURORA_GUARDED_LAG = {
  source:
    "Automatic mode (src/compose/failover-trigger.ts rpoGuardSeconds, lambda/failover/rpo.ts): check-rpo reads the standby cluster's AuroraGlobalDB*Lag (Maximum per minute) in the 5 minutes before the first failed probe and ends the run `held` when a point is above the guard (spec.objectives.rpoSeconds less 60 s when above 60 s, else rpoSeconds; 30 s without objectives) or there is none; " +
    'a lag grows by at most one second per second, so the lag at the loss is at most the guard plus the 60 s period. The bound holds for the runs that fail over; a held run leaves the decision to people.',
} as const;

/** Making a secondary take writes, per data store (the slowest one counts). */
export const PROMOTION = {
  auroraUnplannedFailover: {
    typicalSeconds: 120,
    worstSeconds: 600,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      "RDS API Reference, FailoverGlobalCluster with AllowDataLoss (the orchestrator's unplanned mode). Assumption: AWS publishes no duration for it; " +
      "2 min typical is drplane's planning value, and 600 s is how long the workflow's wait-for-writer polls (every 15 s, 40 attempts, src/compose/workflow.ts) before the run fails and notifies.",
  },
  auroraPlannedSwitchover: {
    typicalSeconds: 120,
    worstSeconds: 300,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      'RDS API Reference, SwitchoverGlobalCluster: waits until the secondary has caught up, so no data is lost (needs the old primary region up). ' +
      "Assumption: AWS publishes no duration; 2 min typical and 300 s worst are drplane's planning values (the workflow's wait-for-writer gives up after 600 s).",
  },
  dynamodbMultiActive: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    typicalBasis: 'documented',
    worstBasis: 'documented',
    source:
      'DynamoDB Developer Guide, "How DynamoDB global tables work": every replica accepts writes (multi-active), so there is nothing to promote.',
  },
  s3Replica: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    typicalBasis: 'configured',
    worstBasis: 'configured',
    source:
      "Set by drplane's XReplicatedBucket (src/primitives/bucket/compose.ts): the replica bucket in every region is readable and writable at once, and every region's bucket has a replication rule to every other region, so writes after a failover reach the old region too.",
  },
  warmService: {
    typicalSeconds: 0,
    worstSeconds: 0,
    bounded: true,
    typicalBasis: 'configured',
    worstBasis: 'configured',
    source:
      'XRegionalService deploys the service in every region and Route 53 probes it all the time, so it is already running where traffic moves.',
  },
} as const satisfies Record<string, Timing>;

/**
 * How often the AWS providers observe a managed resource. provider-upjet-aws's `--poll` defaults to 10m
 * (cmd/provider/<family>/zz_main.go: `app.Flag("poll", …).Default("10m")`), and every managed resource is requeued
 * after it plus or minus a jitter of 5% of it (the same file: `pollJitter := 5% of pollInterval`; crossplane-runtime's
 * managed.WithPollJitterHook adds a uniform jitter in [-jitter, +jitter]). The bootstrap's provider runtime config
 * (charts/bootstrap/runtime.ts) passes no `--poll`, so this is the default; test/bootstrap/reconcile-settings.test.ts
 * holds the two together. A change made outside Crossplane (the orchestrator moving the Aurora writer) is seen at the
 * resource's next poll, not through a watch.
 */
export const PROVIDER_POLL = {
  /** The providers' `--poll`, in seconds. */
  intervalSeconds: 600,
  /** The jitter either way, as a fraction of the interval. */
  jitterFraction: 0.05,
  /**
   * The longest one reconcile of a managed resource lasts before it fails (upjet's generated controllers give the
   * Terraform-backed kinds such as rds GlobalCluster `managed.WithTimeout(3 * time.Minute)`): how long the observation
   * of a resource in a lost region whose API hangs takes to turn Synced=False.
   */
  reconcileTimeoutSeconds: 180,
} as const;

/** The longest wait for a provider's next poll of a resource: the interval plus its jitter. */
export const PROVIDER_POLL_WORST_SECONDS = Math.round(PROVIDER_POLL.intervalSeconds * (1 + PROVIDER_POLL.jitterFraction));

/**
 * Bringing a standby EKS region (XRegionalCluster) up to the active size once it becomes the active region: the
 * failover orchestrator's first step raises its desired size (lambda/failover/nodes.ts) and the composition its floor
 * once the writer or activeRegion is there (src/primitives/kubernetes/scaling.ts), EKS
 * launches the instances, and a pilot-light region also gets CoreDNS, which it kept none of.
 */
export const CLUSTER_SCALE_UP = {
  nodes: {
    typicalSeconds: 240,
    worstSeconds: 600,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      'Assumption: EKS publishes no time for a managed node group to scale up. drplane plans 4 min typical (EC2 launches the instances, ' +
      'the EKS-optimized AMI bootstraps, the kubelet joins and the VPC CNI makes the node Ready) and 10 min worst (capacity retried in another AZ); measure it with drctl drill and replace these.',
  },
  /**
   * Orchestrator-driven failovers only (git's activeRegion did not move): Crossplane observing the Aurora writer in
   * the target region. Until then the composition sizes the target as a standby, and the pinned provider re-applies
   * that size at the node group's own poll, undoing the orchestrator's scale-nodes (src/primitives/kubernetes/
   * scaling.ts). The writer is observed at the rds provider's next poll of the global cluster after the failover, and
   * reaches the node group through watches (XGlobalDatabase, the estate, XRegionalCluster, the NodeGroup).
   */
  writerObserved: {
    typicalSeconds: PROVIDER_POLL.intervalSeconds / 2 + 10,
    worstSeconds: PROVIDER_POLL_WORST_SECONDS + 60,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'configured',
    source:
      `The composition sizes a region's node group for serving once git's activeRegion or the observed Aurora writer is there (src/primitives/kubernetes/scaling.ts); the pinned provider (provider-upjet-aws v2.6.0) re-applies the composition's sizes on every update of a node group, so the orchestrator's scale-nodes (lambda/failover/nodes.ts) is undone at the node group's next poll until then. ` +
      `The writer is observed when the rds provider next polls the global cluster: every ${PROVIDER_POLL.intervalSeconds} s ± ${PROVIDER_POLL.jitterFraction * 100}% (provider-upjet-aws's --poll default; the bootstrap sets none), so at worst ${PROVIDER_POLL_WORST_SECONDS} s after the failover, then a few watch hops (60 s worst, as for a claim edit). ` +
      `Assumption: the failover ends at a random moment of the interval, so the typical wait is half of it (${PROVIDER_POLL.intervalSeconds / 2} s) plus 10 s of watches.`,
  },
  coreDns: {
    typicalSeconds: 60,
    worstSeconds: 300,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      'Assumption: the coredns add-on is created once the region is active and becomes ACTIVE when its Deployment runs on the new nodes; drplane plans 1 min typical, 5 min worst (image pull through the ECR endpoints).',
  },
} as const satisfies Record<string, Timing>;

/** Finding out that something failed, deciding to fail over, and getting the decision to the orchestrator. */
export const DETECTION = {
  /** Added to interval × failureThreshold in the worst case: a failure just after a probe waits one more interval. */
  healthCheckExtraIntervals: 1,
  healthCheckSource:
    'Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is healthy": unhealthy after failureThreshold consecutive failed probes, one every requestInterval seconds (both set in spec.routing.healthCheck). ' +
    'Worst case adds one interval for a failure that starts just after a probe.',
  probeSignal: {
    typicalSeconds: 180,
    worstSeconds: 300,
    bounded: false,
    typicalBasis: 'configured',
    worstBasis: 'assumption',
    source:
      'Automatic mode (src/compose/failover-trigger.ts): the standby region\'s orchestrator probes the serving region\'s /health every minute (drplane/RegionHealthy) and its signal alarm needs 3 of 3 failed one-minute periods (180 s; CloudWatch User Guide, "Using Amazon CloudWatch alarms"). ' +
      "Assumption: a failure just after a probe waits one more period, and alarm evaluation can lag a minute, so 300 s is drplane's planning worst case.",
  },
  triggerEvaluation: {
    typicalSeconds: 60,
    worstSeconds: 120,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      'Automatic mode (src/compose/failover-trigger.ts): once the signal alarm is in ALARM, CloudWatch evaluates the composite trigger alarm over its members and emits the state change to EventBridge, whose rule matches it. ' +
      'The Route 53 checkers member treats missing data as breaching (audit 21 N3), so a lost Route 53 API stops vetoing within the same three minutes as the signal and adds nothing here. ' +
      "Assumption: AWS publishes no bound for metric-alarm evaluation, composite evaluation or the event's delivery; one evaluation minute typical and two worst are drplane's planning values.",
  },
  orchestratorStart: {
    typicalSeconds: 5,
    worstSeconds: 30,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      "EventBridge invokes the standby's orchestrator asynchronously on the trigger alarm (events older than 300 s are dropped, no retries), which starts the Step Functions execution. " +
      "Assumption: AWS publishes no bound; within seconds typically, 30 s is drplane's planning value (cold start).",
  },
  human: {
    typicalSeconds: 600,
    worstSeconds: 1800,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      "Assumption: drplane's planning value for people: page, acknowledge, confirm the failure and decide, then run drctl failover (10 min typical, 30 min worst). Replace with your on-call's measured times.",
  },
  argoPoll: {
    typicalSeconds: 90,
    worstSeconds: 180,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'documented',
    source:
      'Argo CD operator manual, argocd-cm.yaml: without a webhook the repository is polled every timeout.reconciliation (default 120 s) plus up to timeout.reconciliation.jitter (default 60 s), so a commit waits up to 180 s (docs/gitops.md). ' +
      'drplane configures no webhook. Assumption: a commit lands at a random moment of the interval, so the typical wait is half of it (90 s).',
  },
  argoSync: {
    typicalSeconds: 5,
    worstSeconds: 30,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      'Assumption: Argo CD applies one changed claim within seconds of noticing the commit; 30 s allows for a busy controller queue.',
  },
  crossplaneWatch: {
    typicalSeconds: 10,
    worstSeconds: 60,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      "The claim edit reaches the orchestrator through watches, not Crossplane's poll interval: the claim's composite, the nested XFailoverController and the Lambda Invocation managed resource are each reconciled on the change event, and the provider invokes the orchestrator when the Invocation's input changes; it starts the Step Functions workflow and returns. " +
      'Assumption: a few seconds per hop (10 s typical), 60 s with busy work queues.',
  },
} as const satisfies Record<string, unknown>;

/** DNS: clients follow the new answer once their cached one expires. */
/** Route 53 ARC (routing.control arc): a routing control change reaching the records it gates. */
export const ARC_TIMING = {
  flip: {
    typicalSeconds: 5,
    worstSeconds: 60,
    bounded: false,
    typicalBasis: 'assumption',
    worstBasis: 'assumption',
    source:
      'Assumption: one UpdateRoutingControlStates call at a cluster endpoint (up to five endpoints tried, 8 s each at most: lambda/failover/arc.ts), then the RECOVERY_CONTROL health check and the calculated check over it follow the new state. ' +
      "ARC's documents give no bound for the health checks to follow a routing control; 5 s typical and 60 s worst are drplane's planning values.",
  },
} as const satisfies Record<string, Timing>;

export const DNS = {
  /** Added to the TTL in the worst case. */
  propagationWorstSeconds: 60,
  source:
    'Route 53 Developer Guide: record changes reach every Route 53 name server within 60 seconds (GetChange INSYNC); resolvers and clients then keep the old answer for up to the TTL (spec.routing.ttlSeconds). ' +
    'Typical = TTL; worst = TTL + 60 s. Clients that cache past the TTL (some JVMs, some resolvers) are not modelled.',
} as const;
