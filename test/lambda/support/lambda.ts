/**
 * Invocation inputs as Lambda delivers them: a context with the fields the handlers read, and
 * Function URL (payload v2) events. Plus a log sink that keeps the JSON lines for assertions.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** The context fields the handlers use; `awsRequestId` is what Lambda sets per invocation. */
export function lambdaContext(
  awsRequestId: string = randomUUID(),
  remainingMs = 900_000,
): Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'> {
  return { awsRequestId, getRemainingTimeInMillis: () => remainingMs };
}

/** Options of {@link httpEvent}. */
export interface HttpEventOptions {
  readonly body?: string;
  readonly base64?: boolean;
  /** HTTP API stage; Function URLs use `$default`. */
  readonly stage?: string;
}

/** A Function URL / HTTP API v2 event for `method path`. */
export function httpEvent(method: string, path: string, options: HttpEventOptions = {}): APIGatewayProxyEventV2 {
  const stage = options.stage ?? '$default';
  const body =
    options.body === undefined
      ? undefined
      : options.base64 === true
        ? Buffer.from(options.body).toString('base64')
        : options.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'abc.lambda-url.us-east-1.on.aws' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage,
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
    isBase64Encoded: options.base64 === true,
    ...(body === undefined ? {} : { body }),
  };
}

/** Captured log lines, parsed. */
export interface CapturedLogs {
  readonly sink: (line: string) => void;
  readonly raw: string[];
  readonly records: () => Record<string, unknown>[];
}

/** A log sink that keeps every line (and checks each is one JSON object). */
export function captureLogs(): CapturedLogs {
  const raw: string[] = [];
  return {
    sink: (line) => {
      raw.push(line);
    },
    raw,
    records: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
