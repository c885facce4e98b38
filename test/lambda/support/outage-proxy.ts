/**
 * A loopback HTTP proxy in front of moto that plays a regional outage: while a region is failing, every request
 * signed for it (SigV4 credential scope `<date>/<region>/<service>/aws4_request`; Route 53, IAM and other global
 * services sign for us-east-1) has its connection reset without an answer, as a lost regional endpoint does. Every
 * other request is forwarded to moto unchanged. Which regions fail can change while it runs.
 *
 * Global services live in us-east-1 whatever region a client names: Route 53's control plane
 * (route53.amazonaws.com) and IAM's. With a custom endpoint the SDK signs their requests for the client's region, so
 * the proxy places them by service, not by the credential scope.
 */
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A running proxy. */
export interface OutageProxy {
  /** e.g. `http://127.0.0.1:51234`: set it as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** Requests refused so far, by `<region reached>/<service>`. */
  readonly refused: Map<string, number>;
  /** Makes every request signed for `regions` fail from now on (an empty list ends the outage). */
  fail(regions: readonly string[]): void;
  stop(): Promise<void>;
}

/** The `<region>/<service>` a request is signed for, from its Authorization header. */
export function scopeOf(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Services whose control plane is in us-east-1 for every caller. */
const GLOBAL_IN_US_EAST_1 = ['route53', 'iam'];

/** The region a request reaches: its signing region, or us-east-1 for a global service. */
export function regionOf(scope: string): string {
  const [region, service] = scope.split('/') as [string, string];
  return GLOBAL_IN_US_EAST_1.includes(service) ? 'us-east-1' : region;
}

/** Starts a proxy to `target` with no region failing. */
export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const upstream = new URL(target);
  const refused = new Map<string, number>();
  const sockets = new Set<Socket>();
  let failing: readonly string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const scope = scopeOf(req.headers.authorization);
    if (scope !== undefined && failing.includes(regionOf(scope))) {
      const key = `${regionOf(scope)}/${scope.split('/')[1]}`;
      refused.set(key, (refused.get(key) ?? 0) + 1);
      req.socket.destroy(); // no HTTP answer at all: ECONNRESET for the client
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    refused,
    fail: (regions) => {
      failing = [...regions];
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
