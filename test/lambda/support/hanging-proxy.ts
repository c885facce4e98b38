/**
 * A loopback HTTP proxy in front of moto that never answers requests signed for some regions (SigV4 credential
 * scope `<date>/<region>/<service>/aws4_request`): a regional endpoint that accepts the connection and hangs, as
 * a region in trouble can. Every other request is forwarded to moto unchanged.
 */
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A running proxy. */
export interface HangingProxy {
  /** e.g. `http://127.0.0.1:51234`: set it as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** How many requests were held, by `<region>/<service>`. */
  readonly held: Map<string, number>;
  stop(): Promise<void>;
}

/** The `<region>/<service>` a request is signed for, from its Authorization header. */
function scopeOf(req: IncomingMessage): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Starts a proxy to `target` that holds every request signed for a region in `hangRegions`. */
export async function startHangingProxy(target: string, hangRegions: readonly string[]): Promise<HangingProxy> {
  const upstream = new URL(target);
  const held = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const scope = scopeOf(req);
    if (scope !== undefined && hangRegions.includes(scope.split('/')[0] as string)) {
      held.set(scope, (held.get(scope) ?? 0) + 1);
      req.resume(); // read the body, never answer
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
    held,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
