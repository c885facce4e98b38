/**
 * A drill estate: a two-region claim composed by drplane's own composition function, and the AWS side of it built in
 * moto under the names compose chose. What the drill runs is what compose renders:
 *
 * - the orchestrator's environment is the rendered Function's (FAILOVER_ENV), with the values AWS would report
 *   replaced by moto's (cluster ARNs, hosted zone, health checks, topics, the operations role) before rendering, so
 *   they pass through compose exactly as observed values do;
 * - each region's state machine is created in moto with the rendered name and the rendered definition (the ASL that
 *   src/compose/workflow.ts writes, with the production poll interval and budgets);
 * - the GitOps request is the rendered Lambda Invocation's input, the automatic trigger is the rendered probe
 *   schedule, alarms, rule pattern and input transformer;
 * - each region's `/health` is the service handler with the rendered service Function's environment, over the
 *   claim's table, created in moto in every region with the claim's composite key (transactionId + createdAt N, as
 *   examples/seed-004 declares it): the primary's `/health` fails because its region's DynamoDB does.
 *
 * - each region's EKS cluster and managed node group (the claim's kubernetes section, pilot-light standby) is created in
 *   moto under the names the rendered orchestrator's DRPLANE_NODE_GROUPS gives, sized as the composition sizes them
 *   (src/primitives/kubernetes/scaling.ts: minSize in the serving region, none in a pilot-light standby);
 *
 * Two substitutions, named: the service's database probe (renderedServiceEnv) and the external ID parameter. Compose points the orchestrator at Parameter Store's reference
 * to a Secrets Manager secret (`/aws/reference/secretsmanager/…`), which moto's SSM does not serve; the drill writes
 * the same value (SHA-256 of the composite UID) as a SecureString parameter of its own name.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateGlobalClusterCommand, CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomUUID } from 'node:crypto';
import { FAILOVER_ENV, SERVICE_ENV, type NodeGroupTarget } from '../../lambda/shared/env-contract.js';
import { ComposeContext } from '../../src/compose/context.js';
import { clusterId, globalClusterId } from '../../src/primitives/database/compose.js';
import { externalIdOf, invocationKey } from '../../src/primitives/failover/compose.js';
import { workflowKeys } from '../../src/compose/failover-workflow.js';
import { lambdaComponents, lambdaKeys } from '../../src/compose/lambda.js';
import { planClaim } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { triggerKeys } from '../../src/compose/failover-trigger.js';
import { claim, composeLive, fp, labels, observedView, withUid, type Observed } from '../compose/helpers.js';
import { createQueue, createRole, MOTO_ACCOUNT, type TestQueue } from '../lambda/support/aws.js';
import type { HealthServer } from '../lambda/support/health-server.js';

/** The estate's two regions: the primary and its standby. */
export const PRIMARY = 'us-east-1';
export const STANDBY = 'us-west-2';
export const REGIONS = [PRIMARY, STANDBY] as const;
/** The third region of the three-region scenario (the claim's default routing there: latency records). */
export const THIRD = 'eu-west-1';
/** The drill's EKS node groups: nodes of a serving region (a pilot-light standby runs none). */
export const DRILL_NODES = { minSize: 2, maxSize: 4 } as const;

/**
 * The claim the drill composes: two regions (or `regions`, primary first) with every primitive, its RPO 5 s, failover
 * as asked.
 */
export function drillSpec(
  failover: { mode: 'manual' | 'automatic'; allowDataLoss: boolean },
  activeRegion?: string,
  regions: readonly string[] = REGIONS,
  /** routing.control arc with its routing controls armed. */
  arc = false,
) {
  return {
    environment: 'prod',
    profile: 'production',
    regions: { primary: regions[0]!, secondaries: regions.slice(1) },
    ...(activeRegion === undefined ? {} : { activeRegion }),
    objectives: { rpoSeconds: 5, rtoMinutes: 15 },
    network: { cidrs: Object.fromEntries(regions.map((r, i) => [r, `10.${i}.0.0/16`])) },
    database: { engine: 'aurora-postgresql', engineVersion: '16.6', databaseName: 'transactions' },
    tables: [
      {
        name: 'transactions',
        hashKey: { name: 'transactionId', type: 'S' as const },
        rangeKey: { name: 'createdAt', type: 'N' as const },
      },
    ],
    service: { runtime: 'nodejs22.x', memoryMb: 512, functionUrl: true, authType: 'AWS_IAM' },
    routing: {
      zoneName: 'drill.example.com',
      zoneId: 'Z0000000000000000000',
      recordName: 'api.drill.example.com',
      ttlSeconds: 30,
      ...(arc ? { control: 'arc' as const, arc: { armed: true } } : {}),
    },
    monitoring: { alertEmails: ['oncall@example.com'] },
    kubernetes: {
      platformRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/platform`,
      standby: 'pilot-light' as const,
      nodeGroup: { ...DRILL_NODES },
    },
    failover,
  };
}

/** The estate in moto and what compose rendered for it. */
export interface DrillEstate {
  readonly name: string;
  readonly globalClusterId: string;
  readonly clusterArns: Record<string, string>;
  readonly zoneId: string;
  readonly recordName: string;
  /** The service host of each region (what the failover records point at). */
  readonly endpoints: Record<string, string>;
  readonly healthCheckIds: Record<string, string>;
  /** Each region's alert topic, observed through an SQS queue. */
  readonly queues: Record<string, TestQueue>;
  /** The rendered XFailoverController resources by composition key. */
  readonly rendered: ReadonlyMap<string, Manifest>;
  /** The orchestrator's environment per region: the rendered Function's, with the external ID parameter swapped. */
  readonly env: Record<string, Record<string, string>>;
  /** Each region's orchestrator ARN (what the definition's Tasks invoke). */
  readonly functionArns: Record<string, string>;
  /** The service's environment per region: the rendered service Function's. */
  readonly serviceEnv: Record<string, Record<string, string>>;
  /** Each region's state machine: its ARN in moto and its rendered definition. */
  readonly workflows: Record<string, { readonly arn: string; readonly definition: Record<string, unknown> }>;
  /** Each region's EKS node group as the rendered orchestrator names it (DRPLANE_NODE_GROUPS). */
  readonly nodeGroups: Record<string, NodeGroupTarget>;
}

/** The rendered resource under `key` (throws when compose did not render it). */
export function renderedOf(e: DrillEstate, key: string): Manifest {
  const m = e.rendered.get(key);
  if (m === undefined) throw new Error(`compose rendered no ${key}; it rendered ${[...e.rendered.keys()].join(', ')}`);
  return m;
}

/** The request the rendered GitOps Invocation of `region` sends the orchestrator. */
export const invocationInput = (e: DrillEstate, region: string): unknown =>
  JSON.parse(String(fp(renderedOf(e, invocationKey(region))).input));

const nestedController = (spec: object, name: string): Manifest => {
  const found = planClaim(claim(spec, name, 'team-drill')).find((r) => r.manifest.kind === 'XFailoverController');
  if (found === undefined) throw new Error('the claim composes no XFailoverController');
  return found.manifest;
};

/** The estate's regions, primary first. */
const regionsOf = (spec: ReturnType<typeof drillSpec>): string[] => [spec.regions.primary, ...spec.regions.secondaries];

/** The rendered service Function's environment in each region. */
function renderedServiceEnv(spec: ReturnType<typeof drillSpec>, name: string): Record<string, Record<string, string>> {
  const fns = planClaim(claim(spec, name, 'team-drill'))
    .map((r) => r.manifest)
    .filter((m) => m.kind === 'Function' && labels(m)['drplane.io/component'] === lambdaComponents('service').function);
  // Second substitution, named: no database probe. The plan holds a placeholder for the reader endpoint (known after
  // creation) and moto serves no Aurora protocol; test/lambda/db-probe.test.ts covers that check.
  const env = Object.fromEntries(
    fns.map((m) => {
      const vars = (fp(m).environment as { variables: Record<string, string> }).variables;
      const { [SERVICE_ENV.dbEndpoint]: _endpoint, [SERVICE_ENV.dbEngine]: _engine, ...rest } = vars;
      return [fp(m).region as string, rest];
    }),
  );
  for (const r of regionsOf(spec)) if (env[r] === undefined) throw new Error(`compose rendered no service Function in ${r}`);
  return env;
}

/**
 * Builds the AWS side of claim `name` in moto (through AWS_ENDPOINT_URL) and renders its XFailoverController with
 * what moto reports, as if every other primitive were Ready. `health` serves each region's `/health`.
 */
export async function createDrillEstate(
  name: string,
  spec: ReturnType<typeof drillSpec>,
  motoEndpoint: string,
  health: HealthServer,
  /**
   * routing.control arc: the ARC cluster's endpoints and each region's routing control, as XFailoverRouting publishes
   * them from what Crossplane observes (status.arcEndpoints, status.regions.*.routingControlArn).
   */
  arc?: { readonly endpoints: readonly { endpoint: string; region: string }[]; readonly controls: Record<string, string> },
): Promise<DrillEstate> {
  const xr = nestedController(spec, name);
  const ctx = new ComposeContext(xr.spec as never);
  const REGIONS = regionsOf(spec);
  const latency = (xr.spec as { routingPolicy?: string }).routingPolicy === 'latency';
  const gid = globalClusterId(ctx);

  // The global database, named as compose names it.
  await new RDSClient({ region: PRIMARY }).send(
    new CreateGlobalClusterCommand({ GlobalClusterIdentifier: gid, Engine: 'aurora-postgresql', EngineVersion: '16.6' }),
  );
  const clusterArns: Record<string, string> = {};
  // The Aurora endpoints moto reports (compose passes XGlobalDatabase's to the orchestrator: writer./reader. records).
  const writers: Record<string, string> = {};
  const readers: Record<string, string> = {};
  for (const region of REGIONS) {
    const out = await new RDSClient({ region }).send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: clusterId(ctx, region),
        Engine: 'aurora-postgresql',
        EngineVersion: '16.6',
        GlobalClusterIdentifier: gid,
        ...(region === PRIMARY ? { MasterUsername: 'dradmin', ManageMasterUserPassword: true } : {}),
      }),
    );
    clusterArns[region] = out.DBCluster?.DBClusterArn as string;
    writers[region] = out.DBCluster?.Endpoint as string;
    readers[region] = out.DBCluster?.ReaderEndpoint as string;
  }

  // The service's table in every region, keyed as the claim declares it (the global table's replicas).
  const serviceEnv = renderedServiceEnv(spec, name);
  const table = spec.tables[0]!;
  for (const region of REGIONS) {
    await new DynamoDBClient({ region }).send(
      new CreateTableCommand({
        TableName: serviceEnv[region]![SERVICE_ENV.tableName],
        AttributeDefinitions: [table.hashKey, table.rangeKey].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
        KeySchema: [
          { AttributeName: table.hashKey.name, KeyType: 'HASH' },
          { AttributeName: table.rangeKey.name, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }

  // Routing: the zone, a health check per region and the records compose renders for the policy in force: the failover
  // pair, PRIMARY on the serving region, or one latency record per region (three regions by default).
  const route53 = new Route53Client({ region: PRIMARY });
  const zone = await route53.send(new CreateHostedZoneCommand({ Name: spec.routing.zoneName, CallerReference: randomUUID() }));
  const zoneId = (zone.HostedZone?.Id as string).replace('/hostedzone/', '');
  const recordName = spec.routing.recordName;
  const endpoints = Object.fromEntries(REGIONS.map((r) => [r, `${name}-${r}.lambda-url.${r}.on.aws`]));
  const healthCheckIds: Record<string, string> = {};
  for (const region of REGIONS) {
    const hc = await route53.send(
      new CreateHealthCheckCommand({
        CallerReference: randomUUID(),
        HealthCheckConfig: {
          Type: 'HTTPS',
          FullyQualifiedDomainName: endpoints[region],
          ResourcePath: '/health',
          Port: 443,
          EnableSNI: true,
        },
      }),
    );
    healthCheckIds[region] = hc.HealthCheck?.Id as string;
  }
  const record = (region: string, failover: 'PRIMARY' | 'SECONDARY', setId: string): ResourceRecordSet => ({
    Name: recordName,
    Type: 'CNAME',
    SetIdentifier: setId,
    Failover: failover,
    TTL: spec.routing.ttlSeconds,
    ResourceRecords: [{ Value: endpoints[region] as string }],
    HealthCheckId: healthCheckIds[region],
  });
  const latencyRecord = (region: string): ResourceRecordSet => ({
    Name: recordName,
    Type: 'CNAME',
    SetIdentifier: region,
    Region: region as ResourceRecordSet['Region'],
    TTL: spec.routing.ttlSeconds,
    ResourceRecords: [{ Value: endpoints[region] as string }],
    HealthCheckId: healthCheckIds[region],
  });
  // Before a GitOps move the records still serve the old region: PRIMARY → the estate primary.
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: (latency
          ? REGIONS.map(latencyRecord)
          : [record(PRIMARY, 'PRIMARY', 'primary'), record(STANDBY, 'SECONDARY', 'secondary')]
        ).map((r) => ({
          Action: 'CREATE',
          ResourceRecordSet: r,
        })),
      },
    }),
  );

  // Each region's alert topic, observed through a queue.
  const topicArns: Record<string, string> = {};
  const queues: Record<string, TestQueue> = {};
  for (const region of REGIONS) {
    const sns = new SNSClient({ region });
    topicArns[region] = (await sns.send(new CreateTopicCommand({ Name: `${name}-alerts` }))).TopicArn as string;
    queues[region] = await createQueue(motoEndpoint, region, `${name}-alerts-observer`);
    await sns.send(new SubscribeCommand({ TopicArn: topicArns[region], Protocol: 'sqs', Endpoint: queues[region]!.arn }));
  }

  // The DR-operations role and the external ID of the composite's UID.
  const uid = randomUUID();
  const opsRoleArn = await createRole(motoEndpoint, `${name}-dr-operations`, {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  });
  const externalIdParameter = `/drplane-drill/${name}/external-id`;
  for (const region of REGIONS) {
    await new SSMClient({ region }).send(
      new PutParameterCommand({ Name: externalIdParameter, Value: externalIdOf(uid), Type: 'SecureString' }),
    );
  }

  // Render the controller with moto's values, everything else observed Ready.
  const map = (f: (r: string) => string) => Object.fromEntries(REGIONS.map((r) => [r, f(r)]));
  const functionArns = map((r) => `arn:aws:lambda:${r}:${MOTO_ACCOUNT}:function:${name}-failover`);
  const composite = withUid(
    {
      ...xr,
      spec: {
        ...(xr.spec as object),
        zoneId,
        healthUrls: map((r) => health.url(r)),
        healthCheckIds,
        clusterArns,
        databaseWriterEndpoints: writers,
        databaseReaderEndpoints: readers,
        topicArns,
        ...(arc ? { arcControlArns: arc.controls, arcEndpoints: JSON.stringify(arc.endpoints) } : {}),
      },
    },
    uid,
  );
  const T = triggerKeys(STANDBY);
  const observed: Record<string, Observed> = {
    'failover-operations-role': { ready: true, arn: opsRoleArn },
    ...Object.fromEntries(
      [T.signal, T.armed, T.checkers, T.maintenance, T.maintenanceStuck, T.guard].map((k) => [k, { ready: true }]),
    ),
    [T.probeRule]: { ready: true, arn: `arn:aws:events:${STANDBY}:${MOTO_ACCOUNT}:rule/${name}-failover-probe` },
    [T.rule]: { ready: true, arn: `arn:aws:events:${STANDBY}:${MOTO_ACCOUNT}:rule/${name}-failover-trigger` },
  };
  for (const r of REGIONS) {
    const k = lambdaKeys('failover', r);
    observed[k.role] = { ready: true, arn: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}-failover-${r}` };
    observed[k.function] = { ready: true, arn: functionArns[r] };
    observed[`kms-failover-${r}`] = { ready: true, arn: `arn:aws:kms:${r}:${MOTO_ACCOUNT}:key/drill` };
    observed[workflowKeys(r).logs] = { ready: true, arn: `arn:aws:logs:${r}:${MOTO_ACCOUNT}:log-group:drill` };
  }
  // A GitOps move has an Invocation once the active region's function is Ready.
  const out = composeLive(composite, observedView(observed));
  const rendered = new Map(out.resources.map((r) => [r.key, r.manifest]));
  const get = (key: string): Manifest => {
    const m = rendered.get(key);
    if (m === undefined) throw new Error(`compose rendered no ${key}`);
    return m;
  };

  const env: Record<string, Record<string, string>> = {};
  const workflows: Record<string, { arn: string; definition: Record<string, unknown> }> = {};
  for (const region of REGIONS) {
    const vars = (fp(get(lambdaKeys('failover', region).function)).environment as { variables: Record<string, string> })
      .variables;
    env[region] = { ...vars, AWS_REGION: region, [FAILOVER_ENV.externalIdParameter]: externalIdParameter };
    const machine = get(workflowKeys(region).stateMachine);
    const machineName = (machine.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name']!;
    const definition = JSON.parse(String(fp(machine).definition)) as Record<string, unknown>;
    const created = await new SFNClient({ region }).send(
      new CreateStateMachineCommand({
        name: machineName,
        definition: JSON.stringify(definition),
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}-failover-workflow-${region}`,
        type: 'STANDARD',
      }),
    );
    const arn = created.stateMachineArn as string;
    // The orchestrator starts the state machine compose told it about: it must be this one.
    if (vars[FAILOVER_ENV.stateMachineArn] !== arn) {
      throw new Error(
        `rendered ${FAILOVER_ENV.stateMachineArn} ${vars[FAILOVER_ENV.stateMachineArn]} is not the state machine ${arn}`,
      );
    }
    workflows[region] = { arn, definition };
  }

  // Each region's EKS cluster and node group, named as the rendered orchestrator names them; the serving region (git's
  // activeRegion, where the writer is before the run) at minSize, a pilot-light standby at none.
  const nodeGroups = JSON.parse(env[PRIMARY]![FAILOVER_ENV.nodeGroups] ?? 'null') as Record<string, NodeGroupTarget> | null;
  if (nodeGroups === null) throw new Error(`compose rendered no ${FAILOVER_ENV.nodeGroups} for a claim with kubernetes`);
  for (const region of REGIONS) {
    const group = nodeGroups[region]!;
    const eks = new EKSClient({ region });
    await eks.send(
      new CreateClusterCommand({
        name: group.cluster,
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}-eks-cluster-${region}`,
        resourcesVpcConfig: { subnetIds: [`subnet-${region}`], endpointPrivateAccess: true, endpointPublicAccess: false },
      }),
    );
    const size = region === PRIMARY ? group.size : 0;
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: group.cluster,
        nodegroupName: group.nodegroup,
        nodeRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}-eks-node-${region}`,
        subnets: [`subnet-${region}`],
        scalingConfig: { minSize: size, maxSize: DRILL_NODES.maxSize, desiredSize: size },
      }),
    );
  }
  return {
    name,
    globalClusterId: gid,
    clusterArns,
    zoneId,
    recordName,
    endpoints,
    healthCheckIds,
    queues,
    rendered,
    env,
    functionArns,
    serviceEnv,
    workflows,
    nodeGroups,
  };
}
