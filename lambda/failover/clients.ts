/**
 * AWS clients of the orchestrator, one per service and region, created lazily. Every client
 * after STS uses the DR-operations role's temporary credentials.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

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
  /** Step Functions: the starter starts the region's failover workflow. */
  sfn(region: string): SFNClient;
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
  // Bounded requests: a dead regional endpoint must not hang a run past its deadline.
  const config = (region: string) => ({
    region,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
    ...(credentials === undefined ? {} : { credentials }),
  });
  return {
    rds: (region) => get(`rds/${region}`, () => new RDSClient(config(region))),
    route53: (region) => get(`route53/${region}`, () => new Route53Client(config(region))),
    sns: (region) => get(`sns/${region}`, () => new SNSClient(config(region))),
    cloudWatch: (region) => get(`cloudwatch/${region}`, () => new CloudWatchClient(config(region))),
    ssm: (region) => get(`ssm/${region}`, () => new SSMClient(config(region))),
    sts: (region) => get(`sts/${region}`, () => new STSClient(config(region))),
    sfn: (region) => get(`sfn/${region}`, () => new SFNClient(config(region))),
  };
};
