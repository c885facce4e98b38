/**
 * Points the AWS SDK of this test worker at a moto server: fake credentials and
 * AWS_ENDPOINT_URL in process.env, which the SDK v3 reads natively (no endpoint is passed to
 * any client in the handlers). Also small helpers for moto APIs whose SDK clients the project
 * does not install (SQS, IAM): plain HTTP requests in the services' documented wire protocols.
 */

/** Fake credentials moto accepts; never real ones. */
export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** The account moto uses by default. */
export const MOTO_ACCOUNT = '123456789012';

/** Sets the SDK environment of this worker process to talk to `endpoint`. */
export function useMoto(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/drplane-test-aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/drplane-test-aws-credentials';
}

/** moto picks the service and region from the credential scope of the Authorization header. */
function authorization(service: string, region: string): string {
  return (
    `AWS4-HMAC-SHA256 Credential=${FAKE_CREDENTIALS.accessKeyId}/20260101/${region}/${service}/aws4_request, ` +
    'SignedHeaders=host, Signature=0'
  );
}

async function expectOk(res: Response, what: string): Promise<string> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} failed with HTTP ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** Calls an AWS JSON-1.0 protocol operation (e.g. SQS) on moto. */
export async function jsonCall<T>(
  endpoint: string,
  service: string,
  targetPrefix: string,
  region: string,
  operation: string,
  body: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `${targetPrefix}.${operation}`,
      authorization: authorization(service, region),
    },
    body: JSON.stringify(body),
  });
  return JSON.parse(await expectOk(res, `${service} ${operation}`)) as T;
}

/** Calls an AWS Query protocol operation (e.g. IAM) on moto; returns the XML text. */
export async function queryCall(
  endpoint: string,
  service: string,
  region: string,
  params: Record<string, string>,
): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: authorization(service, region),
    },
    body: new URLSearchParams(params).toString(),
  });
  return expectOk(res, `${service} ${params.Action ?? '?'}`);
}

/** A queue in moto's SQS, used to observe what SNS delivers. */
export interface TestQueue {
  readonly url: string;
  readonly arn: string;
  /** Receives and deletes everything currently in the queue; returns the SNS `Message` bodies. */
  drain(): Promise<SnsEnvelope[]>;
}

/** The JSON envelope SNS puts on an SQS message (raw delivery off). */
export interface SnsEnvelope {
  readonly Subject?: string;
  readonly Message: string;
  readonly TopicArn: string;
}

/** Creates an SQS queue in moto. */
export async function createQueue(endpoint: string, region: string, name: string): Promise<TestQueue> {
  const call = <T>(op: string, body: Record<string, unknown>): Promise<T> =>
    jsonCall<T>(endpoint, 'sqs', 'AmazonSQS', region, op, body);
  const { QueueUrl } = await call<{ QueueUrl: string }>('CreateQueue', { QueueName: name });
  const attrs = await call<{ Attributes: { QueueArn: string } }>('GetQueueAttributes', {
    QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  return {
    url: QueueUrl,
    arn: attrs.Attributes.QueueArn,
    async drain() {
      const out: SnsEnvelope[] = [];
      for (;;) {
        const res = await call<{ Messages?: { Body: string; ReceiptHandle: string }[] }>('ReceiveMessage', {
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        });
        const messages = res.Messages ?? [];
        if (messages.length === 0) return out;
        for (const m of messages) {
          out.push(JSON.parse(m.Body) as SnsEnvelope);
          await call('DeleteMessage', { QueueUrl, ReceiptHandle: m.ReceiptHandle });
        }
      }
    },
  };
}

/** Creates an IAM role in moto (IAM has no SDK client installed here); returns its ARN. */
export async function createRole(endpoint: string, name: string, trustPolicy: unknown): Promise<string> {
  const xml = await queryCall(endpoint, 'iam', 'us-east-1', {
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
  });
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(xml)?.[1];
  if (arn === undefined) throw new Error(`CreateRole returned no ARN: ${xml.slice(0, 300)}`);
  return arn;
}
