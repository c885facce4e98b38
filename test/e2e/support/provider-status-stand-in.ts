/**
 * A STAND-IN for provider-upjet-aws's status writer — not the provider. The e2e tier runs no provider and reaches no
 * AWS; without one, every resource the function composes only once it knows a value AWS assigns (a key's ARN, a
 * cluster's endpoint, a health check's id) waits forever. This stand-in does the one thing the real provider does
 * after a successful create that the function depends on: for each managed resource of the watched kinds that has no
 * `Ready` condition yet, it writes `status.atProvider` values in AWS's formats (ARNs, ids, endpoints, URLs) and the
 * conditions `Ready=True` (Available) and `Synced=True` (ReconcileSuccess), once.
 *
 * Which fields: only those the kind's CRD declares under `status.atProvider` (read from the served schema, and of the
 * declared type: a string, a list of objects or an object) and that AWS assigns at create time, in the formats below;
 * every value is derived from the resource's region, its name (the `crossplane.io/external-name` annotation, else
 * metadata.name), a fixed account id and a hash of its uid, so the same object always gets the same values. Nothing
 * it writes is checked against AWS: it never stands in for a check
 * that needs AWS (an ARN AWS would accept, an endpoint that resolves, a policy AWS would allow).
 *
 * It talks to the API server over HTTPS with the kubeconfig's client certificate (kubectl per object is too slow for
 * estates of hundreds of resources on 2 cores): a list, then a watch, per kind; a broken watch (an API server
 * restart) is listed and watched again after a second.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';
import type { KubeObject } from './kubectl.js';
import type { JsonSchema } from './schema.js';
import { onWatchLines } from './watch-lines.js';

/** The account id every stand-in ARN carries. */
export const STAND_IN_ACCOUNT = '111122223333';

/** A managed-resource kind the stand-in watches, in the version the compositions use. */
export interface WatchedKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** The resource's plural name. */
  readonly plural: string;
  /** Schema of the whole object in this version (its `status.atProvider` properties pick the fields). */
  readonly schema: JsonSchema;
}

/** What one managed resource gives the formats. */
interface Subject {
  readonly kind: string;
  readonly region: string;
  readonly name: string;
  readonly forProvider: Record<string, unknown>;
  /** Deterministic lowercase hex of the uid, as long as asked (up to 64). */
  hex(n: number): string;
  /** Deterministic uppercase alphanumerics of the uid. */
  upper(n: number): string;
  /** Deterministic lowercase alphanumerics of the uid. */
  lower(n: number): string;
  /** A deterministic UUID. */
  uuid(): string;
}

/** A value of `status.atProvider`: a string, or a list or object of them (ACM's validation options, a domain's target). */
type Value = string | undefined | readonly Record<string, unknown>[] | Record<string, string>;
type Format = (s: Subject) => Record<string, Value>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arn = (service: string, region: string, resource: string, account = STAND_IN_ACCOUNT) =>
  `arn:aws:${service}:${region}:${account}:${resource}`;
/** EC2's resource ids: a prefix and 17 hex digits. */
const ec2 =
  (prefix: string, type: string): Format =>
  (s) => {
    const id = `${prefix}-${s.hex(17)}`;
    return { id, arn: arn('ec2', s.region, `${type}/${id}`), ownerId: STAND_IN_ACCOUNT };
  };
const alarm: Format = (s) => ({ id: s.name, arn: arn('cloudwatch', s.region, `alarm:${s.name}`) });
/** The configuration kinds of a bucket: the id is the bucket name. */
const bucketPart: Format = (s) => ({ id: str(s.forProvider.bucket) ?? s.name });

/** An ARC control-configuration ARN of a type with an AWS-generated id (32 hex digits). */
const arcId = (s: Subject, type: string) => `arn:aws:route53-recovery-control::${STAND_IN_ACCOUNT}:${type}/${s.hex(32)}`;
/** A readiness kind: named by its name (the external name), its ARN built from it. */
const readiness =
  (type: string): Format =>
  (s) => ({ id: s.name, arn: `arn:aws:route53-recovery-readiness::${STAND_IN_ACCOUNT}:${type}/${s.name}` });

/**
 * The values AWS assigns on create, per kind (`<group>/<kind>`), in AWS's formats. A kind missing here gets only the
 * conditions; a field its CRD does not declare is dropped.
 */
const FORMATS: Readonly<Record<string, Format>> = {
  // An ACM certificate's Terraform id is its ARN. With DNS validation, ACM asks for one CNAME per name on the
  // certificate (its domain name and each subject alternative name), in the form `_<token>.<name>.` →
  // `_<token>.<token>.acm-validations.aws.`.
  'acm.aws.upbound.io/Certificate': (s) => {
    const id = arn('acm', s.region, `certificate/${s.uuid()}`);
    const names = [
      s.forProvider.domainName,
      ...(Array.isArray(s.forProvider.subjectAlternativeNames) ? s.forProvider.subjectAlternativeNames : []),
    ]
      .map(str)
      .filter((n): n is string => n !== undefined);
    const domainValidationOptions =
      s.forProvider.validationMethod === 'DNS'
        ? [...new Set(names)].map((domainName) => {
            const token = createHash('sha256')
              .update(`${s.hex(32)}/${domainName}`)
              .digest('hex');
            return {
              domainName,
              resourceRecordName: `_${token.slice(0, 32)}.${domainName}.`,
              resourceRecordType: 'CNAME',
              resourceRecordValue: `_${token.slice(32, 64)}.${s.lower(10)}.acm-validations.aws.`,
            };
          })
        : undefined;
    return { id, arn: id, domainValidationOptions };
  },
  'acm.aws.upbound.io/CertificateValidation': (s) => ({ id: s.name }),
  'apigatewayv2.aws.upbound.io/APIMapping': (s) => ({ id: s.lower(6) }),
  // A regional custom domain's target: `d-<id>.execute-api.<region>.amazonaws.com` in API Gateway's hosted zone of the
  // region. The zone id here is a stand-in of the right shape (Z and 13 alphanumerics), not API Gateway's real one.
  'apigatewayv2.aws.upbound.io/DomainName': (s) => {
    const config = (s.forProvider.domainNameConfiguration ?? {}) as Record<string, unknown>;
    const given = Object.fromEntries(Object.entries(config).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    return {
      id: s.name,
      arn: `arn:aws:apigateway:${s.region}::/domainnames/${s.name}`,
      apiMappingSelectionExpression: '$request.basepath',
      domainNameConfiguration: {
        ...given,
        targetDomainName: `d-${s.lower(10)}.execute-api.${s.region}.amazonaws.com`,
        hostedZoneId: `Z${s.upper(13)}`,
      },
    };
  },
  'apigatewayv2.aws.upbound.io/API': (s) => {
    const id = s.lower(10);
    return {
      id,
      arn: `arn:aws:apigateway:${s.region}::/apis/${id}`,
      executionArn: arn('execute-api', s.region, id),
      apiEndpoint: `https://${id}.execute-api.${s.region}.amazonaws.com`,
    };
  },
  'apigatewayv2.aws.upbound.io/Integration': (s) => ({ id: s.lower(7) }),
  'apigatewayv2.aws.upbound.io/Route': (s) => ({ id: s.lower(7) }),
  'apigatewayv2.aws.upbound.io/Stage': (s) => ({ id: s.name }),
  'backup.aws.upbound.io/Plan': (s) => {
    const id = s.uuid();
    return { id, arn: arn('backup', s.region, `backup-plan:${id}`) };
  },
  'backup.aws.upbound.io/RegionSettings': (s) => ({ id: s.region }),
  'backup.aws.upbound.io/Selection': (s) => ({ id: s.uuid() }),
  'backup.aws.upbound.io/Vault': (s) => ({ id: s.name, arn: arn('backup', s.region, `backup-vault:${s.name}`) }),
  'cloudwatch.aws.upbound.io/CompositeAlarm': alarm,
  'cloudwatch.aws.upbound.io/MetricAlarm': alarm,
  'cloudwatch.aws.upbound.io/Dashboard': (s) => ({ id: s.name, dashboardArn: arn('cloudwatch', '', `dashboard/${s.name}`) }),
  'cloudwatchevents.aws.upbound.io/Rule': (s) => ({ id: s.name, arn: arn('events', s.region, `rule/${s.name}`) }),
  'cloudwatchevents.aws.upbound.io/Target': (s) => ({ id: s.name }),
  'cloudwatchlogs.aws.upbound.io/Group': (s) => ({ id: s.name, arn: arn('logs', s.region, `log-group:${s.name}`) }),
  'dynamodb.aws.upbound.io/Table': (s) => {
    const table = arn('dynamodb', s.region, `table/${s.name}`);
    return {
      id: s.name,
      arn: table,
      streamArn: s.forProvider.streamEnabled === true ? `${table}/stream/2026-01-01T00:00:00.000` : undefined,
    };
  },
  'ec2.aws.upbound.io/VPC': (s) => ({
    ...ec2('vpc', 'vpc')(s),
    defaultRouteTableId: `rtb-${s.hex(64).slice(17, 34)}`,
    mainRouteTableId: `rtb-${s.hex(64).slice(17, 34)}`,
    defaultSecurityGroupId: `sg-${s.hex(64).slice(34, 51)}`,
    defaultNetworkAclId: `acl-${s.hex(64).slice(47, 64)}`,
  }),
  'ec2.aws.upbound.io/Subnet': ec2('subnet', 'subnet'),
  'ec2.aws.upbound.io/RouteTable': ec2('rtb', 'route-table'),
  'ec2.aws.upbound.io/RouteTableAssociation': (s) => ({ id: `rtbassoc-${s.hex(17)}` }),
  'ec2.aws.upbound.io/Route': (s) => ({ id: `r-rtb-${s.hex(17)}1080289494` }),
  'ec2.aws.upbound.io/SecurityGroup': ec2('sg', 'security-group'),
  'ec2.aws.upbound.io/SecurityGroupEgressRule': (s) => {
    const id = `sgr-${s.hex(17)}`;
    return { id, securityGroupRuleId: id, arn: arn('ec2', s.region, `security-group-rule/${id}`) };
  },
  'ec2.aws.upbound.io/SecurityGroupIngressRule': (s) => {
    const id = `sgr-${s.hex(17)}`;
    return { id, securityGroupRuleId: id, arn: arn('ec2', s.region, `security-group-rule/${id}`) };
  },
  'ec2.aws.upbound.io/VPCEndpoint': ec2('vpce', 'vpc-endpoint'),
  'ec2.aws.upbound.io/VPCEndpointRouteTableAssociation': (s) => ({ id: `a-vpce-${s.hex(17)}` }),
  'ec2.aws.upbound.io/VPCEndpointSubnetAssociation': (s) => ({ id: `a-vpce-${s.hex(17)}` }),
  'ec2.aws.upbound.io/VPCEndpointSecurityGroupAssociation': (s) => ({ id: `vpce-sg-${s.hex(17)}` }),
  'ec2.aws.upbound.io/VPCPeeringConnection': (s) => ({ id: `pcx-${s.hex(17)}` }),
  'ec2.aws.upbound.io/VPCPeeringConnectionAccepter': (s) => ({ id: str(s.forProvider.vpcPeeringConnectionId) }),
  'ec2.aws.upbound.io/VPCPeeringConnectionOptions': (s) => ({ id: str(s.forProvider.vpcPeeringConnectionId) }),
  // A managed node group: Terraform's id is `<cluster>:<node group>`; EKS runs the nodes in an Auto Scaling group it
  // names `eks-<node group>-<node group uuid>` and reports under resources[].autoscalingGroups[] (the node-health rule
  // of XDRMonitoring matches its events).
  'eks.aws.upbound.io/NodeGroup': (s) => {
    const cluster = str(s.forProvider.clusterName) ?? '';
    const uuid = s.uuid();
    return {
      id: `${cluster}:${s.name}`,
      arn: arn('eks', s.region, `nodegroup/${cluster}/${s.name}/${uuid}`),
      status: 'ACTIVE',
      resources: [{ autoscalingGroups: [{ name: `eks-${s.name}-${uuid}` }] }],
    };
  },
  'iam.aws.upbound.io/Role': (s) => ({
    id: s.name,
    arn: `arn:aws:iam::${STAND_IN_ACCOUNT}:role${str(s.forProvider.path) ?? '/'}${s.name}`,
    uniqueId: `AROA${s.upper(17)}`,
  }),
  'iam.aws.upbound.io/RolePolicy': (s) => ({ id: `${str(s.forProvider.role) ?? ''}:${s.name}` }),
  'iam.aws.upbound.io/RolePolicyAttachment': (s) => ({ id: `${str(s.forProvider.role) ?? s.name}-${s.hex(26)}` }),
  'kms.aws.upbound.io/Key': (s) => {
    const id = s.uuid();
    return { id, keyId: id, arn: arn('kms', s.region, `key/${id}`) };
  },
  'kms.aws.upbound.io/Alias': (s) => {
    const name = s.name.replace(/^alias\//, '');
    return { id: `alias/${name}`, arn: arn('kms', s.region, `alias/${name}`) };
  },
  'lambda.aws.upbound.io/Function': (s) => {
    const fn = arn('lambda', s.region, `function:${s.name}`);
    return {
      id: s.name,
      arn: fn,
      qualifiedArn: `${fn}:$LATEST`,
      version: '$LATEST',
      invokeArn: `arn:aws:apigateway:${s.region}:lambda:path/2015-03-31/functions/${fn}/invocations`,
    };
  },
  'lambda.aws.upbound.io/FunctionEventInvokeConfig': (s) => ({ id: str(s.forProvider.functionName) ?? s.name }),
  'lambda.aws.upbound.io/FunctionURL': (s) => {
    const urlId = s.lower(32);
    const fn = str(s.forProvider.functionName);
    return {
      id: fn ?? s.name,
      urlId,
      functionUrl: `https://${urlId}.lambda-url.${s.region}.on.aws/`,
      functionArn: fn ? arn('lambda', s.region, `function:${fn}`) : undefined,
    };
  },
  'lambda.aws.upbound.io/Invocation': (s) => ({ id: `${str(s.forProvider.functionName) ?? s.name}_$LATEST_${s.hex(32)}` }),
  'lambda.aws.upbound.io/Permission': (s) => ({ id: str(s.forProvider.statementId) ?? s.name }),
  'rds.aws.upbound.io/Cluster': (s) => {
    const dns = s.lower(12);
    return {
      id: s.name,
      arn: arn('rds', s.region, `cluster:${s.name}`),
      endpoint: `${s.name}.cluster-${dns}.${s.region}.rds.amazonaws.com`,
      readerEndpoint: `${s.name}.cluster-ro-${dns}.${s.region}.rds.amazonaws.com`,
      clusterResourceId: `cluster-${s.upper(26)}`,
    };
  },
  'rds.aws.upbound.io/ClusterInstance': (s) => ({
    id: s.name,
    arn: arn('rds', s.region, `db:${s.name}`),
    endpoint: `${s.name}.${s.lower(12)}.${s.region}.rds.amazonaws.com`,
    dbiResourceId: `db-${s.upper(26)}`,
  }),
  'rds.aws.upbound.io/GlobalCluster': (s) => ({
    id: s.name,
    arn: `arn:aws:rds::${STAND_IN_ACCOUNT}:global-cluster:${s.name}`,
    globalClusterResourceId: `cluster-${s.hex(16)}`,
  }),
  'rds.aws.upbound.io/SubnetGroup': (s) => ({ id: s.name, arn: arn('rds', s.region, `subgrp:${s.name}`) }),
  'route53.aws.upbound.io/HealthCheck': (s) => {
    const id = s.uuid();
    return { id, arn: `arn:aws:route53:::healthcheck/${id}` };
  },
  'route53.aws.upbound.io/Record': (s) => ({
    id: [s.forProvider.zoneId, s.forProvider.name, s.forProvider.type, s.forProvider.setIdentifier]
      .filter((x) => typeof x === 'string' && x !== '')
      .join('_'),
  }),
  // Route 53 ARC: the control-configuration kinds are imported by ARN (AWS-generated ids), the readiness kinds by
  // name; their ARNs carry no region (cfn-lint IAM data: arn:aws:route53-recovery-control::<account>:cluster/<id>,
  // …:controlpanel/<id>[/routingcontrol|safetyrule/<id>]; arn:aws:route53-recovery-readiness::<account>:cell/<name>, …).
  'route53recoverycontrolconfig.aws.upbound.io/Cluster': (s) => {
    const id = arcId(s, 'cluster');
    return {
      id,
      arn: id,
      status: 'DEPLOYED',
      clusterEndpoints: ['ap-northeast-1', 'ap-southeast-2', 'eu-west-1', 'us-east-1', 'us-west-2'].map((region) => ({
        endpoint: `https://host-${s.lower(6)}.${region}.example.aws/v1`,
        region,
      })),
    };
  },
  'route53recoverycontrolconfig.aws.upbound.io/ControlPanel': (s) => {
    const id = arcId(s, 'controlpanel');
    return { id, arn: id, status: 'DEPLOYED' };
  },
  'route53recoverycontrolconfig.aws.upbound.io/RoutingControl': (s) => {
    const id = `${arcId(s, 'controlpanel')}/routingcontrol/${s.hex(16)}`;
    return { id, arn: id, status: 'DEPLOYED' };
  },
  'route53recoverycontrolconfig.aws.upbound.io/SafetyRule': (s) => {
    const id = `${arcId(s, 'controlpanel')}/safetyrule/${s.hex(16)}`;
    return { id, arn: id, status: 'DEPLOYED' };
  },
  'route53recoveryreadiness.aws.upbound.io/Cell': readiness('cell'),
  'route53recoveryreadiness.aws.upbound.io/ReadinessCheck': readiness('readiness-check'),
  'route53recoveryreadiness.aws.upbound.io/RecoveryGroup': readiness('recovery-group'),
  'route53recoveryreadiness.aws.upbound.io/ResourceSet': readiness('resource-set'),
  's3.aws.upbound.io/Bucket': (s) => ({ id: s.name, arn: `arn:aws:s3:::${s.name}` }),
  's3.aws.upbound.io/BucketLifecycleConfiguration': bucketPart,
  's3.aws.upbound.io/BucketOwnershipControls': bucketPart,
  's3.aws.upbound.io/BucketPolicy': bucketPart,
  's3.aws.upbound.io/BucketPublicAccessBlock': bucketPart,
  's3.aws.upbound.io/BucketReplicationConfiguration': bucketPart,
  's3.aws.upbound.io/BucketServerSideEncryptionConfiguration': bucketPart,
  's3.aws.upbound.io/BucketVersioning': bucketPart,
  's3.aws.upbound.io/Object': (s) => {
    const key = str(s.forProvider.key) ?? s.name;
    return { id: key, arn: `arn:aws:s3:::${str(s.forProvider.bucket) ?? ''}/${key}`, versionId: s.lower(32) };
  },
  'sfn.aws.upbound.io/StateMachine': (s) => {
    const id = arn('states', s.region, `stateMachine:${s.name}`);
    return { id, arn: id };
  },
  'sns.aws.upbound.io/Topic': (s) => {
    const id = arn('sns', s.region, s.name);
    return { id, arn: id };
  },
  'sns.aws.upbound.io/TopicSubscription': (s) => {
    const id = `${str(s.forProvider.topicArn) ?? arn('sns', s.region, s.name)}:${s.uuid()}`;
    return { id, arn: id, ownerId: STAND_IN_ACCOUNT };
  },
  // The name is the id; a name in a hierarchy starts with "/", which the ARN's "parameter" is followed by directly.
  'ssm.aws.upbound.io/Parameter': (s) => ({ id: s.name, arn: arn('ssm', s.region, `parameter${s.name}`) }),
};

function subjectOf(o: KubeObject): Subject {
  const forProvider = (o.spec?.forProvider ?? {}) as Record<string, unknown>;
  const digest = (salt: string) => createHash('sha256').update(`${o.metadata.uid}/${salt}`).digest();
  const alphabet = (chars: string) => (n: number) =>
    [...digest(chars)]
      .concat([...digest(`${chars}+`)])
      .slice(0, n)
      .map((b) => chars[b % chars.length])
      .join('');
  const hex = digest('hex').toString('hex') + digest('hex2').toString('hex');
  return {
    kind: o.kind,
    region: str(forProvider.region) ?? '',
    name: o.metadata.annotations?.['crossplane.io/external-name'] ?? o.metadata.name,
    forProvider,
    hex: (n) => hex.slice(0, n),
    upper: alphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    lower: alphabet('abcdefghijklmnopqrstuvwxyz0123456789'),
    uuid: () => {
      const h = hex.slice(0, 32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

/** Whether a value is present and of the type the CRD declares for its field (absent fields are dropped). */
function ofDeclaredType(v: Value, declared: JsonSchema | undefined): boolean {
  if (v === undefined || v === '' || !declared) return false;
  if (declared.type === 'string') return typeof v === 'string';
  if (declared.type === 'array') return Array.isArray(v) && v.length > 0;
  if (declared.type === 'object') return typeof v === 'object' && !Array.isArray(v);
  return false;
}

/** The `status` the stand-in writes for an object of `kind` (atProvider limited to the CRD's fields). */
export function standInStatus(o: KubeObject, kind: WatchedKind, now = new Date()): Record<string, unknown> {
  const group = kind.apiVersion.split('/')[0]!;
  const declared = kind.schema.properties?.status?.properties?.atProvider?.properties ?? {};
  const values = FORMATS[`${group}/${kind.kind}`]?.(subjectOf(o)) ?? {};
  const atProvider = Object.fromEntries(Object.entries(values).filter(([field, v]) => ofDeclaredType(v, declared[field])));
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const generation = o.metadata.generation;
  return {
    atProvider,
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: at, observedGeneration: generation },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: at, observedGeneration: generation },
    ],
  };
}

/** Whether the stand-in (or a provider) has already written an object's status. */
const written = (o: KubeObject): boolean =>
  Array.isArray(o.status?.conditions) && (o.status.conditions as { type?: string }[]).some((c) => c.type === 'Ready');

/** A running stand-in. */
export interface ProviderStatusStandIn {
  /** Objects whose status it wrote, by `<kind>/<name>`, with their uid. */
  readonly written: ReadonlyMap<string, string>;
  /** Errors it met (a failed patch, a refused watch), newest last, at most 50. */
  readonly errors: readonly string[];
  /** Stops every watch. */
  stop(): void;
}

/** The API server of a kubeconfig, with agents that present its client certificate. */
export interface Connection {
  readonly server: URL;
  /** For lists and patches: a few sockets, so hundreds of patches queue instead of opening hundreds of connections. */
  readonly agent: Agent;
  /** For watches: one long-lived socket each. */
  readonly watchAgent: Agent;
}

/** Reads the server and client certificate of the kubeconfig's current context. */
export function connectionOf(kubeconfig: string): Connection {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority': string } }[];
    users: { name: string; user: { 'client-certificate': string; 'client-key': string } }[];
  };
  const context = config.contexts.find((c) => c.name === config['current-context'])!.context;
  const cluster = config.clusters.find((c) => c.name === context.cluster)!.cluster;
  const user = config.users.find((u) => u.name === context.user)!.user;
  const tls = {
    ca: readFileSync(cluster['certificate-authority']),
    cert: readFileSync(user['client-certificate']),
    key: readFileSync(user['client-key']),
  };
  return {
    server: new URL(cluster.server),
    agent: new Agent({ keepAlive: true, maxSockets: 4, ...tls }),
    watchAgent: new Agent({ keepAlive: false, ...tls }),
  };
}

/** One request to the API server; resolves with the status and body whatever the status. */
export function call(
  c: Connection,
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c.server),
      { method, agent: c.agent, headers: body ? { 'content-type': contentType } : {}, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Statuses with which the API server asks a client to retry (storage initializing, overloaded). */
const TRANSIENT = new Set([429, 503]);

/**
 * Starts watching `kinds` through the kubeconfig's API server and writing the status of every managed resource
 * that has none.
 */
export function startProviderStatusStandIn(kubeconfig: string, kinds: readonly WatchedKind[]): ProviderStatusStandIn {
  const c = connectionOf(kubeconfig);
  const done = new Map<string, string>();
  const errors: string[] = [];
  const pending = new Set<string>();
  let stopped = false;
  const requests = new Set<{ destroy(): void }>();
  const note = (message: string) => {
    errors.push(`${new Date().toISOString()} ${message}`);
    if (errors.length > 50) errors.shift();
  };

  const collection = (k: WatchedKind) => `/apis/${k.apiVersion}/${k.plural}`;

  const consider = async (k: WatchedKind, o: KubeObject) => {
    if (stopped || written(o) || o.metadata.deletionTimestamp) return;
    const id = `${k.kind}/${o.metadata.name}`;
    if (pending.has(o.metadata.uid)) return;
    pending.add(o.metadata.uid);
    try {
      const patch = JSON.stringify({ status: standInStatus(o, k) });
      const res = await call(
        c,
        'PATCH',
        `${collection(k)}/${encodeURIComponent(o.metadata.name)}/status`,
        patch,
        'application/merge-patch+json',
      );
      if (res.status === 200) done.set(id, o.metadata.uid);
      else if (TRANSIENT.has(res.status)) setTimeout(() => void consider(k, o), 1_000);
      else if (res.status !== 404) note(`PATCH status of ${id}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    } catch (err) {
      note(`PATCH status of ${id}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      pending.delete(o.metadata.uid);
    }
  };

  const loop = async (k: WatchedKind) => {
    while (!stopped) {
      try {
        const list = await call(c, 'GET', collection(k));
        // 429 (the API server's storage for a just-established CRD is still initializing) and 503 ask the client to
        // come back, as the real provider's informers do; anything else is an error of the stand-in.
        if (TRANSIENT.has(list.status)) {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          continue;
        }
        if (list.status !== 200) throw new Error(`list: HTTP ${list.status} ${list.text.slice(0, 200)}`);
        const body = JSON.parse(list.text) as { metadata: { resourceVersion: string }; items: KubeObject[] };
        await Promise.all(body.items.map((o) => consider(k, { ...o, apiVersion: k.apiVersion, kind: k.kind })));
        await watch(k, body.metadata.resourceVersion);
      } catch (err) {
        if (!stopped) note(`${k.kind}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };

  /** Resolves when the watch ends (the server closed it, or it failed). */
  const watch = (k: WatchedKind, resourceVersion: string) =>
    new Promise<void>((resolve, reject) => {
      const path = `${collection(k)}?watch=1&allowWatchBookmarks=false&resourceVersion=${resourceVersion}&timeoutSeconds=300`;
      const req = request(new URL(path, c.server), { method: 'GET', agent: c.watchAgent }, (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch: HTTP ${res.statusCode}`));
          return;
        }
        onWatchLines(res, (line) => {
          const event = JSON.parse(line) as { type: string; object: KubeObject };
          if (event.type === 'ERROR') {
            req.destroy();
            resolve();
            return false;
          }
          if (event.type === 'ADDED' || event.type === 'MODIFIED') void consider(k, event.object);
          return true;
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      requests.add(req);
      req.on('close', () => {
        requests.delete(req);
        resolve();
      });
      req.on('error', reject);
      req.end();
    });

  for (const k of kinds) void loop(k);
  return {
    written: done,
    errors,
    stop() {
      stopped = true;
      for (const r of requests) r.destroy();
      c.agent.destroy();
      c.watchAgent.destroy();
    },
  };
}
