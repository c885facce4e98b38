/**
 * A loopback HTTP proxy in front of moto that lets a caller take over requests signed for some regions (SigV4
 * credential scope `<date>/<region>/<service>/aws4_request`) and forwards every other request to moto unchanged.
 * The outage and hanging proxies are this proxy with what they do to a taken request.
 */
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The `<region>/<service>` a request is signed for, from its Authorization header. */
export function scopeOf(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Answers a signed request itself (returns true: through `res`, or not at all), or leaves it to be forwarded (false). */
export type Intercept = (scope: string, req: IncomingMessage, res: ServerResponse) => boolean;

/** A running proxy: its endpoint (set it as AWS_ENDPOINT_URL) and how to stop it. */
export interface Proxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts a proxy to `target` on a free loopback port; `intercept` sees every signed request first. */
export async function startProxy(target: string, intercept: Intercept): Promise<Proxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const scope = scopeOf(req.headers.authorization);
    if (scope !== undefined && intercept(scope, req, res)) return;
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
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
