/**
 * A tiny local HTTP server for each region's `/health` endpoint: `GET /<region>/health` answers like the service does
 * (`{"region": ...}`) with a status the test sets per region, or, for a region given a handler ({@link
 * HealthServer.serve}), with what that handler (the real service, in the drill) answers. Loopback only; stopped by
 * the test.
 */
import { createServer, type Server } from 'node:http';

/** The running server. */
export interface HealthServer {
  /** `http://127.0.0.1:<port>/<region>/health` */
  url(region: string): string;
  /** HTTP status `/health` answers for a region (default 200); not used for a region served by a handler. */
  setStatus(region: string, status: number): void;
  /** Answers a region's `/health` with `handler` from now on (undefined: the status again). */
  serve(region: string, handler: HealthHandler | undefined): void;
  /** Paths requested so far. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Answers one `/health` request: status and JSON body. */
export type HealthHandler = () => Promise<{ readonly statusCode: number; readonly body: string }>;

/** Starts the server on a free loopback port. */
export async function startHealthServer(): Promise<HealthServer> {
  const statuses = new Map<string, number>();
  const handlers = new Map<string, HealthHandler>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const match = /^\/([a-z0-9-]+)\/health$/.exec(path);
    if (req.method !== 'GET' || match?.[1] === undefined) {
      res.writeHead(404).end();
      return;
    }
    const region = match[1];
    const handler = handlers.get(region);
    if (handler !== undefined) {
      handler().then(
        (out) => res.writeHead(out.statusCode, { 'content-type': 'application/json' }).end(out.body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    const status = statuses.get(region) ?? 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ region, role: 'secondary', checks: { table: { ok: status === 200 } } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('health server has no port');
  return {
    url: (region) => `http://127.0.0.1:${address.port}/${region}/health`,
    setStatus: (region, status) => statuses.set(region, status),
    serve: (region, handler) => {
      if (handler === undefined) handlers.delete(region);
      else handlers.set(region, handler);
    },
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
