/**
 * A loopback HTTP proxy in front of moto that lets a caller take over requests signed for some regions (SigV4
 * credential scope `<date>/<region>/<service>/aws4_request`) and forwards every other request to moto unchanged.
 * The outage and hanging proxies are this proxy with what they do to a taken request.
 *
 * A caller takes requests over in one of two ways: an `Intercept` sees each signed request as it arrives, before its
 * body is read, and answers through the response itself (or never); a `BufferedIntercept` sees each signed request
 * with its whole body read, so it can decide by what the body says, and returns the answer to send or undefined to
 * have the request, body as read, forwarded.
 */
import {
  request as httpRequest,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/** The `<region>/<service>` a request is signed for, from its Authorization header. */
export function scopeOf(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Answers a signed request itself (returns true: through `res`, or not at all), or leaves it to be forwarded (false). */
export type Intercept = (scope: string, req: IncomingMessage, res: ServerResponse) => boolean;

/** A signed request as a `BufferedIntercept` sees it: its body already read. */
export interface BufferedRequest {
  /** The `<region>/<service>` it is signed for. */
  readonly scope: string;
  /** The HTTP method, e.g. `POST`. */
  readonly method: string;
  /** The request target: path and query, e.g. `/clusters/c/node-groups/ng/update-config`. */
  readonly url: string;
  /** Its headers, lower-cased names (e.g. `x-amz-target` for the AWS JSON protocols' operation). */
  readonly headers: IncomingHttpHeaders;
  /** Its whole body. */
  readonly body: Buffer;
}

/** The answer a `BufferedIntercept` has the proxy send instead of forwarding the request. */
export interface ProxyAnswer {
  /** The HTTP status, e.g. 400. */
  readonly status: number;
  /** The answer's headers, e.g. `{ 'content-type': 'application/x-amz-json-1.1' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The answer's body. */
  readonly body: string | Buffer;
}

/**
 * Sees a signed request with its whole body read: returns the answer to send, or undefined to have the request
 * forwarded with the body as read. A rejection is answered HTTP 500 naming it, so a broken rule shows in the test.
 */
export type BufferedIntercept = (req: BufferedRequest) => ProxyAnswer | undefined | Promise<ProxyAnswer | undefined>;

/** A running proxy: its endpoint (set it as AWS_ENDPOINT_URL) and how to stop it. */
export interface Proxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts a proxy to `target` on a free loopback port; `intercept` sees every signed request first: as it arrives (an
 * `Intercept`), or with its body read (`{ buffered }`). Requests not signed are forwarded without being shown.
 */
export async function startProxy(
  target: string,
  intercept: Intercept | { readonly buffered: BufferedIntercept },
): Promise<Proxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  /** Sends `req` to `target`, with `body` when it was read already, else piping it on; relays the answer. */
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer): void => {
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    if (body === undefined) req.pipe(out);
    else out.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const scope = scopeOf(req.headers.authorization);
    if (scope === undefined) return forward(req, res);
    if (typeof intercept === 'function') {
      if (!intercept(scope, req, res)) forward(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen = { scope, method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      Promise.resolve()
        .then(() => intercept.buffered(seen))
        .then(
          (answer) => {
            if (answer === undefined) return forward(req, res, body);
            res.writeHead(answer.status, { ...answer.headers });
            res.end(answer.body);
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`proxy intercept failed on ${seen.method} ${seen.url}: ${String(err)}`);
          },
        );
    });
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
