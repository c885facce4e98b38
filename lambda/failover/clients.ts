/**
 * AWS clients of the orchestrator, one per service and region, created lazily. Every client
 * after STS uses the DR-operations role's temporary credentials.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { boundedClientConfig, type CallLimits } from '../shared/limits.js';
import { arcClients, type ArcClientFactory } from './arc.js';

/**
 * Limits of the orchestrator's AWS clients. Each step runs in one invocation (function timeout 60 s,
 * STEP_INVOCATION_MS in steps.ts; the Task's 70 s): a call that hangs must fail well inside it, so the step fails (and
 * its Retry or Catch acts) instead of the invocation timing out. The client settings are the bound: two attempts, each
 * at most 3 s to connect and 10 s to answer, and the SDK's back-off between them (under a second before the second
 * attempt): at worst 2 × 13 s = 26 s and the back-off. These clients' calls carry no abort signal, so `callTimeoutMs`
 * (25 s) is not applied to them; Route 53's calls are bounded tighter ({@link ROUTE53_LIMITS}).
 */
export const FAILOVER_CLIENT_LIMITS: CallLimits = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
  maxAttempts: 2,
  callTimeoutMs: 25_000,
};

/**
 * Route 53's control plane (route53.amazonaws.com) is served from us-east-1, which may be the region that is lost, and
 * a lost endpoint may hang rather than refuse. Its calls are bounded tighter: two attempts of 2 s to connect and 5 s
 * to answer, every call aborted after 12 s ({@link route53Call}). In one invocation switch-dns makes one call per page
 * of the listing (the estate's few records: one page) and one change, so Route 53 costs it at most 24 s of its 60 s:
 * a Route 53 that hangs fails the listing within 12 s and the change is never sent; one that answers the listing and
 * hangs on the change, 12 s more. The rest of the invocation holds the RDS read before (at most 26 s,
 * {@link FAILOVER_CLIENT_LIMITS}) and the best effort's /health probe after (5 s, HEALTH_ATTEMPT_MS in steps.ts); with
 * routing.control arc the routing controls' update ends 26 s (ARC_RESERVE_MS) before the invocation does, to leave
 * room for these two calls. dns-insync makes one call (GetChange). A Route 53 that throttles is asked again in later
 * invocations, for at most SWITCH_DNS_BUDGET_SECONDS (120 s, lambda/shared/workflow-contract.ts) from the step's
 * start. Route 53 answers a healthy call in about a second.
 */
export const ROUTE53_LIMITS: CallLimits = {
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 2,
  callTimeoutMs: 12_000,
};

/** Options of one Route 53 call: an abort signal at {@link ROUTE53_LIMITS}' call timeout (and `signal`, if given). */
export function route53Call(signal?: AbortSignal): { abortSignal: AbortSignal } {
  const bound = AbortSignal.timeout(ROUTE53_LIMITS.callTimeoutMs);
  return { abortSignal: signal === undefined ? bound : AbortSignal.any([bound, signal]) };
}

/** Temporary credentials from STS AssumeRole. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** Clients bound to one set of credentials (undefined: the function's own role). */
export interface FailoverClients {
  rds(region: string): RDSClient;
  /** Route 53 is global; the region only selects the partition's endpoint. */
  route53(region: string): Route53Client;
  sns(region: string): SNSClient;
  cloudWatch(region: string): CloudWatchClient;
  ssm(region: string): SSMClient;
  sts(region: string): STSClient;
  /** EKS: scale-nodes raises the target region's managed node group. */
  eks(region: string): EKSClient;
  /** Step Functions: the starter starts the region's failover workflow. */
  sfn(region: string): SFNClient;
  /** Route 53 ARC data plane: a client of one of the cluster's regional endpoints (routing.control arc). */
  arc: ArcClientFactory;
}

/** Makes the clients for a set of credentials; tests wrap it to observe calls. */
export type ClientFactory = (credentials: TemporaryCredentials | undefined) => FailoverClients;

/** The production factory. */
export const awsClients: ClientFactory = (credentials) => {
  const cache = new Map<string, unknown>();
  const get = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  // Bounded requests: a dead or hanging endpoint must not hang a step past its invocation.
  const config = (region: string, limits: CallLimits = FAILOVER_CLIENT_LIMITS) => ({
    region,
    ...boundedClientConfig(limits),
    ...(credentials === undefined ? {} : { credentials }),
  });
  return {
    rds: (region) => get(`rds/${region}`, () => new RDSClient(config(region))),
    route53: (region) => get(`route53/${region}`, () => new Route53Client(config(region, ROUTE53_LIMITS))),
    sns: (region) => get(`sns/${region}`, () => new SNSClient(config(region))),
    cloudWatch: (region) => get(`cloudwatch/${region}`, () => new CloudWatchClient(config(region))),
    ssm: (region) => get(`ssm/${region}`, () => new SSMClient(config(region))),
    sts: (region) => get(`sts/${region}`, () => new STSClient(config(region))),
    sfn: (region) => get(`sfn/${region}`, () => new SFNClient(config(region))),
    eks: (region) => get(`eks/${region}`, () => new EKSClient(config(region))),
    arc: (endpoint) => get(`arc/${endpoint.region}/${endpoint.endpoint}`, () => arcClients(credentials)(endpoint)),
  };
};
