/**
 * The failover drill on moto: planned, unplanned and automatic failover of a two-region estate, and an unplanned one of
 * a three-region estate (latency records) whose us-east-1 is lost, each through the workflow compose renders, with the primary region's APIs failing where the scenario says so. `npm run drill` prints
 * what it measured; test/drill/drill.test.ts asserts it (so CI runs it).
 *
 * What runs is production code and rendered configuration (see estate.ts): the orchestrator's starter, step handlers
 * and probe, with the rendered environment, against moto (RDS, Route 53, STS, SSM, SNS, CloudWatch, Step Functions)
 * and the RDS fake for SwitchoverGlobalCluster/FailoverGlobalCluster (test/lambda/support/rds-global-fake.ts); the
 * rendered state machine definition played by the ASL interpreter (test/lambda/support/asl.ts), each Task invoking
 * the step handler of the function the Task names; the rendered trigger played by trigger.ts (FAKE CloudWatch
 * evaluation and EventBridge delivery). The outage is an HTTP proxy in front of moto that resets every request signed
 * for the primary region, Route 53's included (its control plane signs for us-east-1), so the primary's `/health` (the
 * service over its DynamoDB table) answers 503; in `unplanned-route53-hangs` Route 53 instead accepts every request
 * and never answers (a hanging, not refusing, endpoint); in `unplanned-states-unavailable` the primary's Step Functions
 * answers HTTP 503 (an endpoint whose service is down), which wait-turn asks again until its limit.
 *
 * Times: the timeline and the RTO are the production code's (each step's entry from the state, the RTO from the
 * execution's start to healthy, as the report step computes and publishes it). Waits are virtual (the definition's
 * Retry intervals and Wait states advance a clock instead of sleeping), so the figures are what the rendered definition's poll interval
 * (15 s) gives for the modelled durations: the fake completes a switchover after {@link SWITCHOVER_POLLS} describes and
 * a failover after {@link FAILOVER_POLLS}; the probe runs every virtual minute. They are not AWS's timings.
 */
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  DescribeGlobalClustersCommand,
  RDSClient,
  RDSServiceException,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { awsClients, type ClientFactory, type FailoverClients } from '../../lambda/failover/clients.js';
import { createFailoverHandler, type RunState, type StartResult } from '../../lambda/failover/index.js';
import type { ProbeResult } from '../../lambda/failover/probe.js';
import { createServiceHandler } from '../../lambda/service/index.js';
import { FAILOVER_ENV } from '../../lambda/shared/env-contract.js';
import { DRPLANE_METRICS, dimensionList, failoverRtoDimensions } from '../../lambda/shared/metrics-contract.js';
import type { StepEvent } from '../../lambda/shared/workflow-contract.js';
import { triggerKeys } from '../../src/compose/failover-trigger.js';
import { fp } from '../compose/helpers.js';
import { runDefinition, VirtualClock, type ExecutionResult } from '../lambda/support/asl.js';
import { useMoto } from '../lambda/support/aws.js';
import { startHealthServer, type HealthServer } from '../lambda/support/health-server.js';
import { httpEvent, lambdaContext } from '../lambda/support/lambda.js';
import { startMoto, type MotoServer } from '../lambda/support/moto.js';
import { startOutageProxy, type OutageProxy } from '../lambda/support/outage-proxy.js';
import { createGlobalClusterFake, type FakeOperation, type GlobalClusterFake } from '../lambda/support/rds-global-fake.js';
import {
  createDrillEstate,
  DRILL_NODES,
  drillSpec,
  invocationInput,
  PRIMARY,
  REGIONS,
  renderedOf,
  STANDBY,
  THIRD,
  type DrillEstate,
} from './estate.js';
import { playTrigger } from './trigger.js';
import { ASK_AGAIN_LIMIT_SECONDS } from '../../lambda/failover/turn.js';
import { SAFETY_RULE_WAIT_MS } from '../../src/primitives/routing/arc.js';
import { startArcClusterFake } from '../lambda/support/arc-cluster-fake.js';

/** The drill's ARC control panel (an ARN as ARC reports it: no region). */
const ARC_PANEL = 'arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef';

/** The automatic trigger's keys in the standby (the estate serves from the primary). */
const TRIGGER_KEYS = triggerKeys(STANDBY);
/** Describes until the fake completes a switchover (planned). */
export const SWITCHOVER_POLLS = 9;
/** Describes until the fake completes a failover with data loss (unplanned, automatic). */
export const FAILOVER_POLLS = 5;
/**
 * `switchover-stuck-refused`: describes until the stuck switchover fails (RDS gives it up), and describes it then
 * shows `cancelling` before the global cluster is back as it was.
 */
export const STUCK_SWITCHOVER_POLLS = 6;
export const CANCEL_POLLS = 2;
/** The replication lag the drill publishes for the standby: within the RPO (5 s), and past it. */
export const LAG_WITHIN_RPO_MS = 800;
export const LAG_PAST_RPO_MS = 12_000;
/** Virtual minutes of outage the automatic scenarios probe before giving up. */
const MAX_PROBES = 10;

/** The drill's scenarios. */
export type Scenario =
  | 'planned'
  | 'unplanned'
  | 'unplanned-route53-hangs'
  | 'switchover-stuck-takeover'
  | 'switchover-stuck-refused'
  | 'unplanned-states-unavailable'
  | 'three-region-use1-lost'
  | 'arc-use1-lost'
  | 'automatic'
  | 'automatic-past-rpo'
  | 'automatic-lag-unknown'
  | 'automatic-checkers-veto'
  | 'automatic-maintenance-hold'
  | 'automatic-first-run-fails';

/** One row of the per-step table. */
export interface StepRow {
  readonly step: string;
  /** Seconds from the scenario's start (the request, or the outage for automatic runs). */
  readonly start: number;
  readonly duration: number;
  readonly outcome: string;
  /** Task invocations of the state (1 + retries), from the interpreter's execution history. */
  readonly attempts?: number;
  readonly detail?: string;
}

/** What one scenario did and measured. */
export interface ScenarioResult {
  readonly scenario: Scenario;
  /** Execution status, or `not started` when no run started. */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'not started';
  readonly outcome?: RunState['outcome'];
  readonly request?: RunState['request'];
  readonly start?: StartResult;
  readonly rows: readonly StepRow[];
  /** The RTO the report step measured and published (execution start → healthy). */
  readonly rtoSeconds?: number;
  /** The FailoverRtoSeconds datapoint in CloudWatch of the run's region, if any. */
  readonly rtoMetric?: number;
  /** Automatic: first failed probe → the trigger alarm in ALARM (when it fired). */
  readonly detectionSeconds?: number;
  /** Outage (or request) → healthy. */
  readonly totalSeconds?: number;
  /** RDS operations the fake accepted. */
  readonly operations: readonly FakeOperation[];
  /** Region of the Aurora writer afterwards. */
  readonly writerRegion?: string;
  /** Each region's EKS node group desired size afterwards (moto's DescribeNodegroup). */
  readonly nodes?: Record<string, number | undefined>;
  /** Host the PRIMARY failover record serves afterwards, and each region's service host. */
  readonly primaryRecord?: string;
  readonly endpoints: Record<string, string>;
  /** Requests to the primary region the outage refused, by `<region>/<service>`. */
  readonly refused: Record<string, number>;
  /** Requests the outage held without an answer (a hanging Route 53), by `<region>/<service>`. */
  readonly held?: Record<string, number>;
  /** Requests the outage answered 503 (an unavailable Step Functions), by `<region>/<service>`. */
  readonly unavailable?: Record<string, number>;
  /** Final states of the standby's alarms (automatic scenarios). */
  readonly alarms?: Record<string, string>;
  /** The stale run of a scenario whose trigger did not fire (an event delivered although the trigger alarm is OK). */
  readonly replay?: ScenarioResult;
  /** `automatic-first-run-fails`: the first attempt, which failed, and what the probe's re-driver did after it. */
  readonly firstAttempt?: { readonly status: string; readonly outcome?: string; readonly name?: string };
  readonly redrives?: readonly string[];
  /** AWS calls of the runs by command name. */
  readonly calls: readonly string[];
  /** Each region's `/health` (the service on the composite-key table) after the run: HTTP status and table check. */
  readonly health?: Record<string, { readonly status: number; readonly table: string }>;
  /** routing.control arc: each routing control's state afterwards (by region, and the gate), and the calls the FAKE ARC cluster answered. */
  readonly arc?: {
    readonly states: Record<string, 'On' | 'Off'>;
    readonly calls: readonly { region: string; operation: string; status: number; overrides: boolean }[];
  };
}

/** The drill's report. */
export interface DrillReport {
  readonly scenarios: readonly ScenarioResult[];
  readonly wallSeconds: number;
  /** Wall time of each scenario, in seconds. */
  readonly scenarioWallSeconds: Readonly<Record<string, number>>;
}

/** Everything the scenarios share. */
interface Rig {
  readonly moto: MotoServer;
  readonly proxy: OutageProxy;
  readonly health: HealthServer;
  readonly clock: VirtualClock;
}

const seconds = (a: string | Date, b: string | Date): number =>
  Math.round((new Date(b).getTime() - new Date(a).getTime()) / 10) / 100;

/**
 * What a scenario plays where moto cannot (each a stand-in of one answer, applied before moto or the RDS fake):
 *
 * - `checkersHealthy`: FAKE GetHealthCheckStatus observations. moto 5.2.5 answers every call with one checker
 *   reporting "Success: HTTP Status Code: 200"; the stand-in reports Success or Failure (HTTP 503) from each checker as
 *   the scenario says Route 53's checkers see the primary.
 * - `primaryClusterStatus`: FAKE DBCluster Status of the primary region's clusters in DescribeDBClusters (moto keeps
 *   every cluster `available`): what Aurora shows during maintenance (e.g. `upgrading`).
 * - `failFailovers`: FailoverGlobalCluster answers InternalFailure (HTTP 500, a server fault) while `left` > 0, counting
 *   down: a transient failure of the first run's promotion.
 */
interface StandIns {
  readonly checkersHealthy?: () => boolean;
  readonly primaryClusterStatus?: string;
  readonly failFailovers?: { left: number };
}

/** One observation of a Route 53 checker, as GetHealthCheckStatus returns it (botocore route53 HealthCheckObservation). */
const checkerObservation = (region: string, healthy: boolean) => ({
  Region: region,
  IPAddress: '192.0.2.10',
  StatusReport: {
    Status: healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: HTTP Status Code 503, Service Unavailable',
    CheckedTime: new Date(),
  },
});

/** The production client factory, recording each command, with the RDS fake and the scenario's stand-ins installed. */
function factoryOf(fake: GlobalClusterFake, calls: string[], standIns: StandIns = {}): ClientFactory {
  return (creds) => {
    const inner = awsClients(creds);
    const seen = new WeakSet<object>();
    const record = <C extends { middlewareStack: { add: RDSClient['middlewareStack']['add'] } }>(
      client: C,
      region?: string,
    ): C => {
      if (seen.has(client)) return client;
      seen.add(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          calls.push(context.commandName ?? '?');
          const command = context.commandName;
          if (
            command === 'FailoverGlobalClusterCommand' &&
            standIns.failFailovers !== undefined &&
            standIns.failFailovers.left > 0
          ) {
            standIns.failFailovers.left--;
            throw new RDSServiceException({
              name: 'InternalFailure',
              $fault: 'server',
              message: 'drill: the request failed because of an unknown error',
              $metadata: { httpStatusCode: 500 },
            });
          }
          const result = await next(args);
          if (command === 'GetHealthCheckStatusCommand' && standIns.checkersHealthy !== undefined) {
            const healthy = standIns.checkersHealthy();
            (result.output as { HealthCheckObservations?: unknown[] }).HealthCheckObservations = [
              'us-east-1',
              'us-west-1',
              'eu-west-1',
            ].map((r) => checkerObservation(r, healthy));
          }
          if (command === 'DescribeDBClustersCommand' && region === PRIMARY && standIns.primaryClusterStatus !== undefined) {
            for (const c of (result.output as { DBClusters?: { Status?: string }[] }).DBClusters ?? [])
              c.Status = standIns.primaryClusterStatus;
          }
          return result;
        },
        { step: 'initialize', name: 'drplaneDrillRecorder', priority: 'high' },
      );
      return client;
    };
    const clients: FailoverClients = {
      rds: (r) => fake.install(record(inner.rds(r), r)),
      route53: (r) => record(inner.route53(r)),
      sns: (r) => record(inner.sns(r)),
      cloudWatch: (r) => record(inner.cloudWatch(r)),
      ssm: (r) => record(inner.ssm(r)),
      sts: (r) => record(inner.sts(r)),
      sfn: (r) => {
        const c = inner.sfn(r);
        record(c as unknown as RDSClient);
        return c;
      },
      eks: (r) => {
        const c = inner.eks(r);
        record(c as unknown as RDSClient);
        return c;
      },
      arc: (e) => record(inner.arc(e) as unknown as RDSClient) as unknown as ReturnType<FailoverClients['arc']>,
    };
    return clients;
  };
}

/** The orchestrator of each region of an estate, and the runner of its workflow executions. */
function orchestrators(rig: Rig, e: DrillEstate, factory: ClientFactory) {
  const handlers = Object.fromEntries(
    Object.keys(e.env).map((region) => [
      region,
      createFailoverHandler({ env: e.env[region]!, clientFactory: factory, now: rig.clock.now, logSink: () => undefined }),
    ]),
  );
  const handler = (region: string) => handlers[region]!;
  /** Plays the execution the starter of `region` started, as Step Functions would, to its end. */
  async function play(region: string, start: StartResult): Promise<{ execution: ExecutionResult; state: RunState }> {
    if (start.executionArn === undefined) throw new Error(`the starter started nothing: ${JSON.stringify(start)}`);
    const sfn = new SFNClient({ region, endpoint: rig.moto.endpoint });
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: start.executionArn }));
    const execution = await runDefinition(e.workflows[region]!.definition, JSON.parse(described.input ?? 'null'), {
      executionId: start.executionArn,
      clock: rig.clock,
      invoke: async (resource, payload) => {
        const target = Object.entries(e.functionArns).find(([, arn]) => arn === resource)?.[0];
        if (target === undefined) throw new Error(`the definition invokes ${resource}, which is no orchestrator of the estate`);
        return handler(target)(payload as StepEvent, lambdaContext());
      },
    });
    // moto does not run executions: end it as Step Functions does (the moto launcher's drplane.close), at the
    // virtual time it ended, with its status and error (the probe's re-driver reads them).
    await sfn.send(
      new StopExecutionCommand({
        executionArn: start.executionArn,
        error: 'drplane.close',
        cause: JSON.stringify({
          status: execution.status,
          ...(execution.error === undefined ? {} : { error: execution.error, cause: execution.cause }),
          stopDate: rig.clock.now().toISOString(),
        }),
      }),
    );
    return { execution, state: (execution.output ?? execution.lastState) as RunState };
  }
  return { handler, play };
}

/** Where things stand after a run: the writer's region and the PRIMARY record's host (read from moto, not the proxy). */
async function observe(rig: Rig, e: DrillEstate, fake: GlobalClusterFake) {
  const rds = fake.install(new RDSClient({ region: STANDBY, endpoint: rig.moto.endpoint }));
  const out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: e.globalClusterId }));
  // moto lists every global cluster whatever the identifier asked for: pick ours.
  const cluster = out.GlobalClusters?.find((c) => c.GlobalClusterIdentifier === e.globalClusterId);
  const writerArn = cluster?.GlobalClusterMembers?.find((m) => m.IsWriter === true)?.DBClusterArn;
  const writerRegion = Object.entries(e.clusterArns).find(([, arn]) => arn === writerArn)?.[0];
  const records = await new Route53Client({ region: PRIMARY, endpoint: rig.moto.endpoint }).send(
    new ListResourceRecordSetsCommand({ HostedZoneId: e.zoneId, StartRecordName: e.recordName }),
  );
  const primaryRecord = records.ResourceRecordSets?.find((r) => r.Failover === 'PRIMARY')?.ResourceRecords?.[0]?.Value;
  // Each region's node group: its desired size as EKS (moto) reports it.
  const nodes: Record<string, number | undefined> = {};
  for (const [region, group] of Object.entries(e.nodeGroups)) {
    const out = await new EKSClient({ region, endpoint: rig.moto.endpoint }).send(
      new DescribeNodegroupCommand({ clusterName: group.cluster, nodegroupName: group.nodegroup }),
    );
    nodes[region] = out.nodegroup?.scalingConfig?.desiredSize;
  }
  return { writerRegion, primaryRecord, nodes };
}

/** What each region's `/health` answers now. */
async function healthOf(rig: Rig, e: DrillEstate): Promise<Record<string, { status: number; table: string }>> {
  const out: Record<string, { status: number; table: string }> = {};
  for (const region of Object.keys(e.serviceEnv)) {
    const res = await fetch(rig.health.url(region));
    const body = (await res.json()) as { checks?: { table?: { status?: string } } };
    out[region] = { status: res.status, table: body.checks?.table?.status ?? 'none' };
  }
  return out;
}

/**
 * The FailoverRtoSeconds datapoint a run's report step published in `region` (between `from` and `to`), in the series
 * of the estate the rendered orchestrator names (DRPLANE_ESTATE).
 */
async function rtoMetric(
  estate: string,
  region: string,
  mode: 'planned' | 'unplanned',
  from: string,
  to: string,
  endpoint: string,
): Promise<number | undefined> {
  const out = await new CloudWatchClient({ region, endpoint }).send(
    new GetMetricStatisticsCommand({
      Namespace: DRPLANE_METRICS.namespace,
      MetricName: DRPLANE_METRICS.failoverRto,
      Dimensions: dimensionList(failoverRtoDimensions(estate, STANDBY, mode)),
      StartTime: new Date(Date.parse(from) - 1_000),
      EndTime: new Date(Date.parse(to) + 1_000),
      Period: 60,
      Statistics: ['Maximum'],
    }),
  );
  return out.Datapoints?.[0]?.Maximum;
}

function rowsOf(state: RunState, execution: ExecutionResult, origin: Date): StepRow[] {
  return state.timeline.map((t) => {
    // Every visit of the state: wait-turn loops through its Choice and Wait, each look one visit.
    const visits = execution.history.filter((h) => h.state === t.step);
    const visit = visits.length === 0 ? undefined : { attempts: visits.reduce((n, h) => n + h.attempts, 0) };
    return {
      step: t.step,
      start: seconds(origin, t.startedAt),
      duration: seconds(t.startedAt, t.endedAt),
      outcome: t.outcome,
      ...(visit === undefined ? {} : { attempts: visit.attempts }),
      ...(t.detail === undefined ? {} : { detail: t.detail }),
    };
  });
}

const tally = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m.entries()].sort());

/** A run started by `request` in `region`, played to its end, summarized. */
async function runScenario(
  rig: Rig,
  scenario: Scenario,
  e: DrillEstate,
  fake: GlobalClusterFake,
  calls: string[],
  orch: ReturnType<typeof orchestrators>,
  region: string,
  request: unknown,
  origin: Date,
  extra: Partial<ScenarioResult> = {},
): Promise<ScenarioResult> {
  const start = (await orch.handler(region)(request, lambdaContext())) as StartResult;
  return playScenario(rig, scenario, e, fake, calls, orch, region, start, origin, extra);
}

/** The execution `start` names (started by the starter or the probe's re-driver), played to its end, summarized. */
async function playScenario(
  rig: Rig,
  scenario: Scenario,
  e: DrillEstate,
  fake: GlobalClusterFake,
  calls: string[],
  orch: ReturnType<typeof orchestrators>,
  region: string,
  start: StartResult,
  origin: Date,
  extra: Partial<ScenarioResult> = {},
): Promise<ScenarioResult> {
  const { execution, state } = await orch.play(region, start);
  const rows = rowsOf(state, execution, origin);
  const where = await observe(rig, e, fake);
  const health = await healthOf(rig, e);
  const reported = state.timeline.find((t) => t.step === 'report');
  const healthyAt = state.timeline.find((t) => t.step === 'verify-health' && t.outcome === 'done')?.endedAt;
  return {
    scenario,
    status: execution.status,
    ...(state.outcome === undefined ? {} : { outcome: state.outcome }),
    request: state.request,
    start,
    rows: [...(extra.rows ?? []), ...rows],
    ...(state.rtoSeconds === undefined ? {} : { rtoSeconds: state.rtoSeconds }),
    ...(state.rtoSeconds === undefined || reported === undefined
      ? {}
      : {
          rtoMetric: await rtoMetric(
            e.env[region]![FAILOVER_ENV.estate]!,
            region,
            state.request.mode,
            reported.startedAt,
            reported.endedAt,
            rig.moto.endpoint,
          ),
        }),
    ...(healthyAt === undefined ? {} : { totalSeconds: seconds(origin, healthyAt) }),
    operations: [...fake.operations],
    ...where,
    endpoints: e.endpoints,
    refused: tally(rig.proxy.refused),
    held: tally(rig.proxy.held),
    unavailable: tally(rig.proxy.unavailable),
    calls: [...calls],
    health,
    ...extra,
    ...(extra.rows === undefined ? {} : { rows: [...extra.rows, ...rows] }),
  };
}

/**
 * Sets the primary region up as lost (APIs refused, so its `/health` answers 503: its DynamoDB fails) or back; the
 * services in `hang` (Route 53) accept requests and never answer instead, those in `unavailable` (Step Functions,
 * `states`) answer HTTP 503.
 */
function outage(rig: Rig, on: boolean, hang: readonly string[] = [], unavailable: readonly string[] = []): void {
  rig.proxy.refused.clear();
  rig.proxy.held.clear();
  rig.proxy.unavailable.clear();
  rig.proxy.fail(on ? [PRIMARY] : [], hang, unavailable);
}

/**
 * Each region's `/health` is the service handler with the rendered environment, over the claim's composite-key table
 * in moto, through the outage proxy (as every production AWS call of the drill).
 */
function serveHealth(rig: Rig, e: DrillEstate): void {
  for (const [region, env] of Object.entries(e.serviceEnv)) {
    const service = createServiceHandler({ env: { ...env, AWS_REGION: region }, logSink: () => undefined });
    rig.health.serve(region, () => service(httpEvent('GET', '/health'), lambdaContext()));
  }
}

/** Planned: git moved activeRegion to the standby; the rendered Invocation's request; both regions up. */
async function planned(rig: Rig): Promise<ScenarioResult> {
  const e = await createDrillEstate(
    'drill-planned',
    drillSpec({ mode: 'manual', allowDataLoss: false }, STANDBY),
    rig.moto.endpoint,
    rig.health,
  );
  serveHealth(rig, e);
  const fake = createGlobalClusterFake(SWITCHOVER_POLLS, { endpoint: rig.moto.endpoint });
  const calls: string[] = [];
  const orch = orchestrators(rig, e, factoryOf(fake, calls));
  outage(rig, false);
  return runScenario(rig, 'planned', e, fake, calls, orch, STANDBY, invocationInput(e, STANDBY), rig.clock.now());
}

/**
 * Unplanned: the primary is lost; git moved activeRegion with failover.allowDataLoss; the standby runs it. In
 * `unplanned-route53-hangs`, Route 53's control plane (in the lost us-east-1) accepts connections and never answers;
 * in `unplanned-states-unavailable`, the lost region's Step Functions answers 503, so wait-turn asks it again until
 * ASK_AGAIN_LIMIT_SECONDS (lambda/failover/turn.ts) and then leaves it out; in `three-region-use1-lost` the estate has a third region (eu-west-1), so its records are latency records (the
 * claim's default for three regions) and Route 53 refuses as in `unplanned`.
 */
async function unplanned(
  rig: Rig,
  scenario: 'unplanned' | 'unplanned-route53-hangs' | 'unplanned-states-unavailable' | 'three-region-use1-lost' = 'unplanned',
): Promise<ScenarioResult> {
  const route53Hangs = scenario === 'unplanned-route53-hangs';
  const statesUnavailable = scenario === 'unplanned-states-unavailable';
  const regions = scenario === 'three-region-use1-lost' ? [PRIMARY, STANDBY, THIRD] : [PRIMARY, STANDBY];
  const e = await createDrillEstate(
    {
      unplanned: 'drill-unplanned',
      'unplanned-route53-hangs': 'drill-r53-hangs',
      'unplanned-states-unavailable': 'drill-sfn-503',
      'three-region-use1-lost': 'drill-three',
    }[scenario],
    drillSpec({ mode: 'manual', allowDataLoss: true }, STANDBY, regions),
    rig.moto.endpoint,
    rig.health,
  );
  serveHealth(rig, e);
  const fake = createGlobalClusterFake(FAILOVER_POLLS, { endpoint: rig.moto.endpoint });
  const calls: string[] = [];
  const orch = orchestrators(rig, e, factoryOf(fake, calls));
  outage(rig, true, route53Hangs ? ['route53'] : [], statesUnavailable ? ['states'] : []);
  try {
    return await runScenario(rig, scenario, e, fake, calls, orch, STANDBY, invocationInput(e, STANDBY), rig.clock.now());
  } finally {
    outage(rig, false);
  }
}

/**
 * A planned switchover toward the standby is under way (started before the loss, by a planned run or a person) when
 * us-east-1 is lost: it needs the old primary, so it does not finish. Git then moves activeRegion with
 * failover.allowDataLoss and the standby's unplanned run must take the switchover over with FailoverGlobalCluster
 * (AllowDataLoss). Whether RDS accepts that while the switchover is pending is not stated in the RDS model, so the
 * FAKE plays both answers:
 *
 * - `switchover-stuck-takeover`: RDS accepts the failover, which replaces the switchover;
 * - `switchover-stuck-refused`: RDS refuses it (InvalidGlobalClusterStateFault) while the switchover lasts; the
 *   switchover fails after {@link STUCK_SWITCHOVER_POLLS} describes and shows `cancelling` for {@link CANCEL_POLLS};
 *   promote-database asks again every poll (its Retry, within its budget) and fails over once it has ended.
 */
async function switchoverStuck(
  rig: Rig,
  scenario: 'switchover-stuck-takeover' | 'switchover-stuck-refused',
): Promise<ScenarioResult> {
  const refused = scenario === 'switchover-stuck-refused';
  const e = await createDrillEstate(
    refused ? 'drill-stuck-refused' : 'drill-stuck-takeover',
    drillSpec({ mode: 'manual', allowDataLoss: true }, STANDBY),
    rig.moto.endpoint,
    rig.health,
  );
  serveHealth(rig, e);
  const fake = createGlobalClusterFake(FAILOVER_POLLS, {
    endpoint: rig.moto.endpoint,
    ...(refused
      ? { refuseTakeover: true, switchoverPolls: STUCK_SWITCHOVER_POLLS, switchoverEnds: 'cancelled', cancelPolls: CANCEL_POLLS }
      : { switchoverPolls: Infinity }),
  });
  // The switchover started before the loss (its own run is over: the drill starts it directly).
  await fake.install(new RDSClient({ region: STANDBY, endpoint: rig.moto.endpoint })).send(
    new SwitchoverGlobalClusterCommand({
      GlobalClusterIdentifier: e.globalClusterId,
      TargetDbClusterIdentifier: e.clusterArns[STANDBY],
    }),
  );
  const calls: string[] = [];
  const orch = orchestrators(rig, e, factoryOf(fake, calls));
  outage(rig, true);
  try {
    return await runScenario(rig, scenario, e, fake, calls, orch, STANDBY, invocationInput(e, STANDBY), rig.clock.now());
  } finally {
    outage(rig, false);
  }
}

/**
 * routing.control arc, armed: a two-region estate whose failover records carry the ARC-gated checks; us-east-1 is lost
 * (its APIs refused, its ARC cluster endpoint down). The FAKE ARC cluster (test/lambda/support/arc-cluster-fake.ts:
 * moto has no route53-recovery-cluster) holds a routing control per region and the gate, with the estate's safety
 * rules (at least one region On; region controls change only while the gate is On) and their 5 s wait period; armed as
 * the claim says (the gate and both regions On). The standby's orchestrator runs the unplanned request: the database
 * first, then switch-dns flips the controls (us-west-2 On, us-east-1 Off) through an endpoint outside the lost region.
 */
async function arcLost(rig: Rig): Promise<ScenarioResult> {
  const name = 'drill-arc';
  const controls = {
    [PRIMARY]: `${ARC_PANEL}/routingcontrol/${name}-use1`,
    [STANDBY]: `${ARC_PANEL}/routingcontrol/${name}-usw2`,
  };
  const gate = `${ARC_PANEL}/routingcontrol/${name}-gate`;
  const cluster = await startArcClusterFake([...Object.values(controls), gate], {
    assertion: { asserted: Object.values(controls), atLeast: 1 },
    gating: { gates: [gate], targets: Object.values(controls) },
    waitPeriodMs: SAFETY_RULE_WAIT_MS,
  });
  try {
    for (const arn of [gate, ...Object.values(controls)]) cluster.states.set(arn, 'On');
    const e = await createDrillEstate(
      name,
      drillSpec({ mode: 'manual', allowDataLoss: true }, STANDBY, REGIONS, true),
      rig.moto.endpoint,
      rig.health,
      { endpoints: cluster.endpoints, controls },
    );
    serveHealth(rig, e);
    const fake = createGlobalClusterFake(FAILOVER_POLLS, { endpoint: rig.moto.endpoint });
    const calls: string[] = [];
    const orch = orchestrators(rig, e, factoryOf(fake, calls));
    outage(rig, true);
    await cluster.stop(PRIMARY);
    try {
      const result = await runScenario(
        rig,
        'arc-use1-lost',
        e,
        fake,
        calls,
        orch,
        STANDBY,
        invocationInput(e, STANDBY),
        rig.clock.now(),
      );
      const states = Object.fromEntries(
        [...Object.entries(controls), ['gate', gate] as const].map(([k, arn]) => [k, cluster.states.get(arn)!]),
      );
      const arcCalls = cluster.calls.map((c) => ({
        region: c.region,
        operation: c.operation,
        status: c.status,
        overrides: (c.body as { SafetyRulesToOverride?: unknown } | undefined)?.SafetyRulesToOverride !== undefined,
      }));
      return { ...result, arc: { states, calls: arcCalls } };
    } finally {
      outage(rig, false);
    }
  } finally {
    await cluster.close();
  }
}

/** Publishes the standby cluster's lag as Aurora does in the standby region (dimensions DBClusterIdentifier, SourceRegion). */
async function publishLag(rig: Rig, e: DrillEstate, ms: number, at: Date = rig.clock.now()): Promise<void> {
  // The metric the rendered guard alarms on (AuroraGlobalDBRPOLag for Aurora PostgreSQL 16.6).
  const guard = fp(renderedOf(e, TRIGGER_KEYS.guard));
  const query = (guard.metricQuery as { expression?: string }[] | undefined)?.[0]?.expression;
  const metricName = (guard.metricName as string | undefined) ?? /\((\w+)\)/.exec(query ?? '')?.[1];
  if (metricName === undefined) throw new Error('the rendered RPO guard names no metric');
  await new CloudWatchClient({ region: STANDBY, endpoint: rig.moto.endpoint }).send(
    new PutMetricDataCommand({
      Namespace: 'AWS/RDS',
      MetricData: [
        {
          MetricName: metricName,
          Dimensions: [
            { Name: 'DBClusterIdentifier', Value: standbyClusterId(e) },
            { Name: 'SourceRegion', Value: PRIMARY },
          ],
          Value: ms,
          Unit: 'Milliseconds',
          Timestamp: at,
        },
      ],
    }),
  );
}

/** The standby cluster's identifier (the last segment of its ARN). */
const standbyClusterId = (e: DrillEstate): string => e.clusterArns[STANDBY]!.split(':').at(-1)!;

/** The automatic scenarios. */
type AutomaticScenario = Extract<Scenario, `automatic${string}`>;

/**
 * Automatic: the estate serves from the primary; the standby's probe finds it failing minute after minute, the rendered
 * alarms are evaluated, and when the trigger alarm enters ALARM the rendered rule delivers the rendered request to the
 * standby's orchestrator. The standby's lag is published every minute within the RPO, past it (`automatic-past-rpo`)
 * or not at all (`automatic-lag-unknown`): the run's check-rpo step holds the last two. How the primary fails:
 *
 * - `automatic`, `automatic-past-rpo`, `automatic-lag-unknown`, `automatic-first-run-fails`: the primary region is lost
 *   (its APIs refused, so its `/health` answers 503 and Route 53's API, in us-east-1, does not answer: no checkers data);
 * - `automatic-checkers-veto`: only the path from the standby to the primary's `/health` fails (503 to the probe); the
 *   primary's APIs answer and Route 53's checkers see it healthy (stand-in): the checkers alarm vetoes the failover;
 * - `automatic-maintenance-hold`: the primary's Aurora cluster is `upgrading` (stand-in) and its `/health` answers 503,
 *   as Route 53's checkers see too: the maintenance alarm holds the failover.
 *
 * `automatic-first-run-fails`: the first run's FailoverGlobalCluster fails (InternalFailure, every Retry of the step),
 * so the run fails transiently; the probe, every minute while the trigger alarm stays in ALARM, re-drives it
 * (start.ts redrive): the second attempt starts 120 s after the first ended and completes.
 */
async function automatic(rig: Rig, scenario: AutomaticScenario): Promise<ScenarioResult> {
  // An hour after the previous scenario, so none of an earlier scenario's points may fall in this one's alarm windows
  // (maintenance 5 min, stuck 60 min) or in the minute check-rpo reads as the last healthy probe. (Each scenario's
  // estate has its own name, so its own estate id and Estate dimension: its probe series are apart as well.)
  rig.clock.advance(3600);
  const e = await createDrillEstate(
    `drill-${scenario}`,
    drillSpec({ mode: 'automatic', allowDataLoss: false }),
    rig.moto.endpoint,
    rig.health,
  );
  serveHealth(rig, e);
  const fake = createGlobalClusterFake(FAILOVER_POLLS, { endpoint: rig.moto.endpoint });
  const calls: string[] = [];
  const standIns: { checkersHealthy?: () => boolean; primaryClusterStatus?: string; failFailovers?: { left: number } } =
    scenario === 'automatic-checkers-veto'
      ? { checkersHealthy: () => true }
      : scenario === 'automatic-maintenance-hold'
        ? { checkersHealthy: () => false }
        : scenario === 'automatic-first-run-fails'
          ? // promote-database's Task: the call and the two States.ALL retries (src/compose/workflow.ts) all fail.
            { failFailovers: { left: 3 } }
          : {};
  const factory = factoryOf(fake, calls, standIns);
  const orch = orchestrators(rig, e, factory);
  const trigger = playTrigger(rig.moto.endpoint, STANDBY, {
    members: [
      TRIGGER_KEYS.signal,
      TRIGGER_KEYS.armed,
      TRIGGER_KEYS.checkers,
      TRIGGER_KEYS.maintenance,
      TRIGGER_KEYS.maintenanceStuck,
      TRIGGER_KEYS.guard,
    ].map((k) => renderedOf(e, k)),
    alarm: renderedOf(e, TRIGGER_KEYS.alarm),
    rule: renderedOf(e, TRIGGER_KEYS.rule),
    target: renderedOf(e, TRIGGER_KEYS.target),
  });
  await trigger.install();
  const probe = JSON.parse(String(fp(renderedOf(e, TRIGGER_KEYS.probeTarget)).input)) as unknown;
  const lag =
    scenario === 'automatic-past-rpo' ? LAG_PAST_RPO_MS : scenario === 'automatic-lag-unknown' ? undefined : LAG_WITHIN_RPO_MS;
  // The probe's schedule (an EventBridge schedule, rate 1 minute): one probe at every minute mark of the virtual clock,
  // whatever else runs. Each probe runs at its mark (its clock, the metrics' timestamps and the re-driver's `now` are
  // the mark), and the alarms are evaluated a second after it. A run is played to its end before the drill goes on, so
  // the marks a run spans are played after it, in order, each at its own time, as the schedule ran them meanwhile.
  // (Before, the next probe came 60 s after the previous minute's work had ended, which included the real time a run
  // took: under load the first run of automatic-first-run-fails left a one-minute period without a probe, the signal
  // alarm (3 of 3 periods, missing data not breaching) went OK, and its return to ALARM was a new transition, i.e. a new
  // request, so the failed one was never re-driven.)
  let mark = rig.clock.now().getTime();
  const minute = async () => {
    const at = new Date(mark);
    mark += 60_000;
    const ahead = (at.getTime() - rig.clock.now().getTime()) / 1000;
    if (ahead > 0) rig.clock.advance(ahead);
    if (lag !== undefined) await publishLag(rig, e, lag, at);
    const handler = createFailoverHandler({
      env: e.env[STANDBY]!,
      clientFactory: factory,
      now: () => at,
      logSink: () => undefined,
    });
    const probed = (await handler(probe, lambdaContext())) as ProbeResult;
    return { at, ...(await trigger.evaluate(new Date(at.getTime() + 1_000))), probed };
  };
  // A healthy minute first: the probe succeeds, nothing fires.
  outage(rig, false);
  const calm = await minute();
  if (calm.delivered !== undefined) throw new Error('the trigger fired while the primary was healthy');
  // The loss begins just before the next probe.
  rig.clock.advance(Math.max(0, (mark - rig.clock.now().getTime()) / 1000));
  const unhealthy = async () => ({ statusCode: 503, body: JSON.stringify({ status: 'unhealthy' }) });
  if (scenario === 'automatic-checkers-veto') rig.health.serve(PRIMARY, unhealthy);
  else if (scenario === 'automatic-maintenance-hold') {
    standIns.primaryClusterStatus = 'upgrading';
    rig.health.serve(PRIMARY, unhealthy);
  } else outage(rig, true);
  // The first failing probe runs at that mark.
  const lost = new Date(mark);
  try {
    let delivered: unknown;
    let states: Record<string, string> = {};
    for (let i = 0; i < MAX_PROBES && delivered === undefined; i++) {
      const out = await minute();
      states = out.states;
      delivered = out.delivered;
    }
    const detected = rig.clock.now();
    const detection: StepRow = {
      step: 'detect',
      start: 0,
      duration: seconds(lost, detected),
      outcome: delivered === undefined ? 'not fired' : 'done',
      detail:
        delivered === undefined
          ? `trigger alarm stayed OK over ${MAX_PROBES} failed probes: ${JSON.stringify(states)}`
          : 'failed probes every minute until the trigger alarm entered ALARM; EventBridge delivered the request',
    };
    if (delivered === undefined) {
      const sfn = new SFNClient({ region: STANDBY, endpoint: rig.moto.endpoint });
      const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn: e.workflows[STANDBY]!.arn }));
      if ((executions.executions ?? []).length > 0) throw new Error('an execution started although the trigger did not fire');
      // An event delivered anyway (an old transition, a replay): the run re-checks the alarm and does nothing.
      const target = fp(renderedOf(e, TRIGGER_KEYS.target)).inputTransformer as { inputTemplate: string };
      const late = JSON.parse(target.inputTemplate.split('<time>').join(rig.clock.now().toISOString())) as unknown;
      const replay = await runScenario(rig, scenario, e, fake, calls, orch, STANDBY, late, rig.clock.now());
      const where = await observe(rig, e, fake);
      return {
        scenario,
        status: 'not started',
        rows: [detection],
        operations: [...fake.operations],
        ...where,
        endpoints: e.endpoints,
        refused: tally(rig.proxy.refused),
        alarms: states,
        replay,
        calls: [...calls],
        health: await healthOf(rig, e),
      };
    }
    const extra = { rows: [detection], detectionSeconds: detection.duration, alarms: states };
    if (scenario !== 'automatic-first-run-fails') {
      return await runScenario(rig, scenario, e, fake, calls, orch, STANDBY, delivered, lost, extra);
    }
    // The first attempt fails; the probe re-drives while the trigger alarm stays in ALARM.
    const first = await runScenario(rig, scenario, e, fake, calls, orch, STANDBY, delivered, lost, extra);
    const failedAt = rig.clock.now();
    // The schedule's probes at the marks the first attempt spanned (it was RUNNING then: no re-drive).
    const during: string[] = [];
    while (mark <= failedAt.getTime()) {
      const r = (await minute()).probed.redrive;
      during.push(r?.outcome ?? 'none');
    }
    const redrives: string[] = [];
    let started: string | undefined;
    for (let i = 0; i < MAX_PROBES && started === undefined; i++) {
      const out = await minute();
      const r = out.probed.redrive;
      redrives.push(`${seconds(failedAt, out.at)} s: ${r?.outcome ?? 'none'}${r === undefined ? '' : ` (${r.name})`}`);
      if (r?.outcome === 'started') started = r.name;
    }
    if (started === undefined) throw new Error(`the probe did not re-drive the failed run: ${redrives.join('; ')}`);
    const redrive: StepRow = {
      step: 'redrive',
      start: seconds(lost, failedAt),
      duration: seconds(failedAt, rig.clock.now()),
      outcome: 'done',
      detail: `attempt 1 ${first.status}; ${during.length} probe(s) of the schedule during it (${during.join(', ') || 'none'}); then the probe, every minute while the trigger alarm is in ALARM: ${redrives.join('; ')}`,
    };
    const executionArn = `${e.workflows[STANDBY]!.arn.replace(':stateMachine:', ':execution:')}:${started}`;
    const second = await playScenario(
      rig,
      scenario,
      e,
      fake,
      calls,
      orch,
      STANDBY,
      { outcome: 'started', executionArn, name: started },
      lost,
      {
        ...extra,
        rows: [detection, ...first.rows.slice(1).map((r) => ({ ...r, step: `attempt-1/${r.step}` })), redrive],
      },
    );
    return {
      ...second,
      firstAttempt: {
        status: first.status,
        ...(first.outcome === undefined ? {} : { outcome: first.outcome }),
        ...(first.start?.name === undefined ? {} : { name: first.start.name }),
      },
      redrives,
    };
  } finally {
    outage(rig, false);
    serveHealth(rig, e);
  }
}

/** Runs every scenario on a fresh moto. */
export async function runDrill(): Promise<DrillReport> {
  const began = Date.now();
  const moto = await startMoto();
  const proxy = await startOutageProxy(moto.endpoint);
  const health = await startHealthServer();
  try {
    // Every AWS call of the production code goes through the proxy; the drill's own reads go to moto directly.
    useMoto(proxy.endpoint);
    const rig: Rig = { moto, proxy, health, clock: new VirtualClock() };
    const scenarios: ScenarioResult[] = [];
    const wall: Record<string, number> = {};
    const timed = async (run: () => Promise<ScenarioResult>) => {
      const at = Date.now();
      const result = await run();
      wall[result.scenario] = Math.round((Date.now() - at) / 100) / 10;
      scenarios.push(result);
    };
    await timed(() => planned(rig));
    await timed(() => unplanned(rig));
    await timed(() => unplanned(rig, 'unplanned-route53-hangs'));
    await timed(() => switchoverStuck(rig, 'switchover-stuck-takeover'));
    await timed(() => switchoverStuck(rig, 'switchover-stuck-refused'));
    await timed(() => unplanned(rig, 'unplanned-states-unavailable'));
    await timed(() => unplanned(rig, 'three-region-use1-lost'));
    await timed(() => arcLost(rig));
    await timed(() => automatic(rig, 'automatic'));
    await timed(() => automatic(rig, 'automatic-past-rpo'));
    await timed(() => automatic(rig, 'automatic-lag-unknown'));
    await timed(() => automatic(rig, 'automatic-checkers-veto'));
    await timed(() => automatic(rig, 'automatic-maintenance-hold'));
    await timed(() => automatic(rig, 'automatic-first-run-fails'));
    return { scenarios, wallSeconds: Math.round((Date.now() - began) / 100) / 10, scenarioWallSeconds: wall };
  } finally {
    await health.stop();
    await proxy.stop();
    await moto.stop();
  }
}

/** What the drill requires of each scenario; empty when all holds. */
export function drillFailures(report: DrillReport): string[] {
  const out: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  for (const s of report.scenarios) {
    const name = s.scenario;
    const step = (n: string) => s.rows.find((r) => r.step === n);
    const op = s.operations;
    if (name === 'automatic-checkers-veto' || name === 'automatic-maintenance-hold') {
      const alarm = (key: string) => Object.entries(s.alarms ?? {}).find(([n]) => n.startsWith(`drill-${name}-${key}-prod`))?.[1];
      need(s.status === 'not started', `${name}: no run starts (got ${s.status})`);
      need(alarm('failover-signal') === 'ALARM', `${name}: the probe's signal is in ALARM`);
      need(alarm('failover-trigger') === 'OK', `${name}: the trigger alarm stays OK`);
      if (name === 'automatic-checkers-veto')
        need(alarm('failover-checkers') === 'OK', `${name}: Route 53's checkers see the primary healthy (veto)`);
      else {
        need(alarm('failover-maintenance') === 'ALARM', `${name}: the maintenance alarm holds`);
        need(alarm('failover-checkers') === 'ALARM', `${name}: Route 53's checkers see the primary failing (no veto)`);
      }
      need(
        s.replay?.outcome === 'stale',
        `${name}: a stray event ends stale at check-trigger (got ${String(s.replay?.outcome)})`,
      );
      need(op.length === 0 && !s.calls.includes('FailoverGlobalClusterCommand'), `${name}: no RDS operation`);
      need(s.writerRegion === PRIMARY, `${name}: the writer stays in ${PRIMARY}`);
      need(s.nodes?.[STANDBY] === 0, `${name}: no node started in ${STANDBY} (got ${String(s.nodes?.[STANDBY])})`);
      continue;
    }
    if (name === 'automatic-past-rpo' || name === 'automatic-lag-unknown') {
      need(s.status === 'SUCCEEDED' && s.outcome === 'held', `${name}: the run ends held (got ${s.status}/${String(s.outcome)})`);
      need(/^held: /.test(step('check-rpo')?.detail ?? ''), `${name}: check-rpo held it`);
      need(op.length === 0, `${name}: no RDS operation`);
      need(!s.calls.includes('FailoverGlobalClusterCommand'), `${name}: no FailoverGlobalCluster call`);
      need(s.writerRegion === PRIMARY, `${name}: the writer stays in ${PRIMARY}`);
      need(s.nodes?.[STANDBY] === 0, `${name}: no node started in ${STANDBY} (got ${String(s.nodes?.[STANDBY])})`);
      continue;
    }
    need(
      s.status === 'SUCCEEDED' && s.outcome === 'completed',
      `${name}: the run completes (got ${s.status}/${String(s.outcome)})`,
    );
    need(s.writerRegion === STANDBY, `${name}: the writer is in ${STANDBY} (got ${String(s.writerRegion)})`);
    need(
      typeof s.rtoSeconds === 'number' && s.rtoMetric === s.rtoSeconds,
      `${name}: the RTO metric is emitted (${String(s.rtoMetric)} vs ${String(s.rtoSeconds)})`,
    );
    need(step('verify-health')?.outcome === 'done', `${name}: verification ran`);
    // The pilot-light standby's node group was raised first, before the database moved (after a failed first attempt:
    // by that attempt, and the re-driven one finds it raised).
    const scaled = name === 'automatic-first-run-fails' ? step('attempt-1/scale-nodes') : step('scale-nodes');
    need(scaled?.outcome === 'done', `${name}: scale-nodes raised the node group (got ${String(scaled?.detail)})`);
    need(
      s.nodes?.[STANDBY] === DRILL_NODES.minSize,
      `${name}: the node group in ${STANDBY} runs ${DRILL_NODES.minSize} nodes (got ${String(s.nodes?.[STANDBY])})`,
    );
    need(
      s.rows.findIndex((r) => r.step === 'scale-nodes') < s.rows.findIndex((r) => r.step === 'promote-database'),
      `${name}: scale-nodes ran before promote-database`,
    );
    if (name === 'planned') {
      need(
        op.length === 1 && op[0]?.operation === 'SwitchoverGlobalCluster' && !op[0].allowDataLoss,
        `${name}: one switchover, no data loss`,
      );
      need(s.primaryRecord === s.endpoints[STANDBY], `${name}: the PRIMARY record points at ${STANDBY}`);
    } else if (name === 'switchover-stuck-takeover' || name === 'switchover-stuck-refused') {
      need(
        op.length === 2 &&
          op[0]?.operation === 'SwitchoverGlobalCluster' &&
          op[1]?.operation === 'FailoverGlobalCluster' &&
          op[1].allowDataLoss,
        `${name}: the switchover, then one FailoverGlobalCluster with AllowDataLoss (got ${JSON.stringify(op.map((o) => o.operation))})`,
      );
      need(s.request?.mode === 'unplanned', `${name}: unplanned`);
      const promote = step('promote-database');
      if (name === 'switchover-stuck-takeover')
        need(
          promote?.attempts === 1 && /, superseding a switchover toward .* that is switching-over$/.test(promote.detail ?? ''),
          `${name}: the failover superseded the switchover at once (got ${String(promote?.attempts)}: ${String(promote?.detail)})`,
        );
      else
        need(
          (promote?.attempts ?? 0) > 1 && /\(observe saw a switchover toward .*; it has ended\)$/.test(promote?.detail ?? ''),
          `${name}: refused while the switchover lasted, the failover once it had ended (got ${String(promote?.attempts)}: ${String(promote?.detail)})`,
        );
      need(
        s.calls.filter((c) => c === 'FailoverGlobalClusterCommand').length ===
          (name === 'switchover-stuck-refused' ? promote?.attempts : 1),
        `${name}: one FailoverGlobalCluster call per attempt of promote-database`,
      );
      need((s.refused[`${PRIMARY}/route53`] ?? 0) > 0, `${name}: Route 53 (us-east-1) was down and refused calls`);
      need(
        step('switch-dns')?.outcome === 'skipped' && /^best effort/.test(step('switch-dns')?.detail ?? ''),
        `${name}: the DNS swap is best effort`,
      );
    } else {
      need(
        op.length === 1 && op[0]?.operation === 'FailoverGlobalCluster' && op[0].allowDataLoss,
        `${name}: one FailoverGlobalCluster with AllowDataLoss`,
      );
      need(s.request?.mode === 'unplanned', `${name}: unplanned`);
      if (name === 'unplanned-route53-hangs') {
        need((s.held?.[`${PRIMARY}/route53`] ?? 0) > 0, `${name}: Route 53 (us-east-1) hung on calls`);
        need((step('observe')?.duration ?? Infinity) < 3, `${name}: observe did not wait for the hanging Route 53`);
        need((step('switch-dns')?.duration ?? Infinity) <= 13, `${name}: switch-dns ended within Route 53's call limit`);
      } else {
        if (name === 'unplanned-states-unavailable') {
          const turn = step('wait-turn');
          need((s.unavailable?.[`${PRIMARY}/states`] ?? 0) > 0, `${name}: Step Functions (us-east-1) answered 503`);
          need(
            (turn?.duration ?? 0) >= ASK_AGAIN_LIMIT_SECONDS && (turn?.duration ?? Infinity) < ASK_AGAIN_LIMIT_SECONDS + 10,
            `${name}: wait-turn asked ${PRIMARY} again for ${ASK_AGAIN_LIMIT_SECONDS} s of 503s, then went on (got ${String(turn?.duration)} s)`,
          );
          need(
            new RegExp(`left out: ${PRIMARY} \\(not answering for \\d+ s, past the ${ASK_AGAIN_LIMIT_SECONDS} s limit`).test(
              turn?.detail ?? '',
            ),
            `${name}: wait-turn names the region it left out (got ${String(turn?.detail)})`,
          );
        }
        need((s.refused[`${PRIMARY}/route53`] ?? 0) > 0, `${name}: Route 53 (us-east-1) was down and refused calls`);
      }
      if (name === 'arc-use1-lost') {
        const states = s.arc?.states ?? {};
        need(
          states[STANDBY] === 'On' && states[PRIMARY] === 'Off' && states.gate === 'On',
          `${name}: ${STANDBY}'s routing control On, ${PRIMARY}'s Off, the gate untouched (got ${JSON.stringify(states)})`,
        );
        need(
          /through the ARC endpoint in (?!us-east-1)/.test(step('switch-dns')?.detail ?? ''),
          `${name}: the controls flipped through an endpoint outside the lost region (got ${String(step('switch-dns')?.detail)})`,
        );
        need(!(s.arc?.calls ?? []).some((c) => c.overrides), `${name}: no call overrides a safety rule`);
      }
      if (name === 'three-region-use1-lost') {
        need(
          /routes by latency/.test(step('switch-dns')?.detail ?? ''),
          `${name}: the latency records need no move (got ${String(step('switch-dns')?.detail)})`,
        );
        need(s.health?.[THIRD]?.status === 200, `${name}: the third region still serves`);
      }
      if (name !== 'arc-use1-lost')
        need(
          step('switch-dns')?.outcome === 'skipped' && /^best effort/.test(step('switch-dns')?.detail ?? ''),
          `${name}: the DNS swap is best effort`,
        );
      else need(step('switch-dns')?.outcome === 'done', `${name}: switch-dns flipped the controls`);
    }
    if (name === 'automatic-first-run-fails') {
      need(s.firstAttempt?.status === 'FAILED', `${name}: the first attempt fails (got ${String(s.firstAttempt?.status)})`);
      need(step('attempt-1/promote-database')?.outcome === 'failed', `${name}: the first attempt failed at promote-database`);
      need(
        s.start?.name !== undefined && s.start.name === `${String(s.firstAttempt?.name)}-2`,
        `${name}: the probe re-drove the same request as attempt 2 (got ${String(s.start?.name)})`,
      );
      need(
        (step('redrive')?.duration ?? 0) >= 120,
        `${name}: the re-drive waits 120 s after the failed attempt (got ${String(step('redrive')?.duration)})`,
      );
      need(s.calls.filter((c) => c === 'FailoverGlobalClusterCommand').length === 4, `${name}: 3 failed calls, then 1`);
    }
    if (name === 'automatic') {
      need(
        s.request?.trigger !== undefined && step('check-trigger')?.outcome === 'done',
        `${name}: started by the standby's trigger, re-checked`,
      );
      need(s.start?.name?.startsWith(`unplanned-${STANDBY}-`) === true, `${name}: the execution of an unplanned request`);
    }
  }
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const num = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));

/** The per-step table and the figures, as `npm run drill` prints them. */
export function formatReport(report: DrillReport): string {
  const lines: string[] = [];
  const header = ['scenario', 'step', 'start s', 'duration s', 'tries', 'outcome'];
  const widths = [28, 28, 9, 11, 6, 10];
  lines.push(header.map((h, i) => pad(h, widths[i]!)).join(' '));
  lines.push(widths.map((w) => '-'.repeat(w)).join(' '));
  const print = (s: ScenarioResult, label: string) => {
    for (const r of s.rows) {
      lines.push(
        [label, r.step, num(r.start), num(r.duration), r.attempts === undefined ? '-' : String(r.attempts), r.outcome]
          .map((c, i) => pad(c, widths[i]!))
          .join(' '),
      );
    }
  };
  for (const s of report.scenarios) {
    print(s, s.scenario);
    if (s.replay !== undefined) print(s.replay, `${s.scenario} (replay)`);
  }
  lines.push('');
  for (const s of report.scenarios) {
    const figures =
      s.status === 'not started'
        ? `no run started (alarms ${JSON.stringify(s.alarms)}); replayed event: ${String(s.replay?.outcome)}`
        : `${s.status} ${String(s.outcome)}; RTO ${num(s.rtoSeconds)} s (metric ${num(s.rtoMetric)})` +
          (s.detectionSeconds === undefined
            ? ''
            : `; detection ${num(s.detectionSeconds)} s; outage to healthy ${num(s.totalSeconds)} s`);
    lines.push(`${pad(s.scenario, 28)} ${figures}; wall ${num(report.scenarioWallSeconds[s.scenario])} s`);
  }
  lines.push(`drill took ${report.wallSeconds} s of wall time; times above are virtual except "wall" (see test/drill/drill.ts)`);
  return lines.join('\n');
}
