/**
 * FAKE — the Route 53 ARC Recovery Readiness API (route53-recovery-readiness, API version 2019-12-02), the read of a
 * cell's readiness only.
 *
 * moto 5.2.5 (test/requirements.txt) has no route53-recovery-readiness, so this fake stands in for it, following the
 * botocore service model (.venv/…/botocore/data/route53-recovery-readiness/2019-12-02/service-2.json.gz): rest-json,
 * GetCellReadinessSummary is `GET /cellreadiness/{cellName}` with the query parameters `maxResults` and `nextToken`,
 * answering `{"readiness": …, "readinessChecks": [{"readiness": …, "readinessCheckName": …}], "nextToken": …}`;
 * errors carry `X-Amzn-ErrorType: <Shape>` and `{"message": …}` with the shape's HTTP status (ResourceNotFoundException
 * 404, AccessDeniedException 403, ThrottlingException 429, InternalServerException 500: each shape's error.httpStatusCode
 * in the model). The real AWS SDK client talks to it, so requests are signed and answers parsed as
 * in production.
 *
 * Each cell's checks are answered `pageSize` to a page (1 by default, so a reader that ignores nextToken misses checks).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A readiness status (botocore shape Readiness). */
export type FakeReadiness = 'READY' | 'NOT_READY' | 'UNKNOWN' | 'NOT_AUTHORIZED';

/** One cell the fake knows: its readiness and its checks'. */
export interface FakeCell {
  readonly readiness: FakeReadiness;
  readonly checks: Readonly<Record<string, FakeReadiness>>;
}

/** What a test controls and observes. */
export interface FakeReadinessApi {
  /** The endpoint URL (for AWS_ENDPOINT_URL_ROUTE53_RECOVERY_READINESS). */
  readonly endpoint: string;
  /** Every request path answered, with its query. */
  readonly requests: string[];
  /** The region of each request's SigV4 credential scope (the region the client was built for). */
  readonly signedRegions: string[];
  /** Makes every call answer AccessDeniedException (or not). */
  deny(on: boolean): void;
  /** Makes every call answer this error of the model (or, undefined, answer normally). */
  failWith(error: FakeReadinessError | undefined): void;
  /** Called as each request arrives, before it is answered (a test's clock can move on here). */
  onRequest: (() => void) | undefined;
  close(): Promise<void>;
}

/** Errors of GetCellReadinessSummary the fake can answer, with their HTTP status in botocore's model. */
export type FakeReadinessError = 'AccessDeniedException' | 'ThrottlingException' | 'InternalServerException';
const ERROR_STATUS: Record<FakeReadinessError, number> = {
  AccessDeniedException: 403,
  ThrottlingException: 429,
  InternalServerException: 500,
};

/** Starts the fake with `cells` (name → readiness); an unknown cell is ResourceNotFoundException. */
export async function startFakeReadinessApi(cells: Readonly<Record<string, FakeCell>>, pageSize = 1): Promise<FakeReadinessApi> {
  const requests: string[] = [];
  const signedRegions: string[] = [];
  let denied = false;
  let failure: FakeReadinessError | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
    signedRegions.push(scope?.[1] ?? '');
    const fail = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ message }));
    };
    const match = /^\/cellreadiness\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return fail(404, 'ResourceNotFoundException', `no operation at ${url.pathname}`);
    api.onRequest?.();
    if (denied) return fail(403, 'AccessDeniedException', 'User is not authorized to perform GetCellReadinessSummary');
    if (failure !== undefined) return fail(ERROR_STATUS[failure], failure, `${failure} (fake)`);
    const name = decodeURIComponent(match[1]!);
    const cell = cells[name];
    if (!cell) return fail(404, 'ResourceNotFoundException', `cell ${name} not found`);
    const all = Object.entries(cell.checks);
    const start = Number(url.searchParams.get('nextToken') ?? '0');
    const page = all.slice(start, start + pageSize);
    const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        readiness: cell.readiness,
        readinessChecks: page.map(([readinessCheckName, readiness]) => ({ readiness, readinessCheckName })),
        ...(next ? { nextToken: next } : {}),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Requests are answered only once it is returned, so the handler above reads it after this line.
  const api: FakeReadinessApi = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    signedRegions,
    deny: (on) => {
      denied = on;
    },
    failWith: (error) => {
      failure = error;
    },
    onRequest: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return api;
}
