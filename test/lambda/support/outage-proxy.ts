/**
 * A loopback HTTP proxy in front of moto that plays a regional outage: while a region is failing, every request
 * signed for it (SigV4 credential scope `<date>/<region>/<service>/aws4_request`; Route 53, IAM and other global
 * services sign for us-east-1) has its connection reset without an answer, as a lost regional endpoint does, or, for
 * the services named to hang, is accepted and never answered, or, for the services named to answer 503, gets an HTTP
 * 503 (an endpoint whose service behind it is down). Every other request is forwarded to moto unchanged.
 * Which regions fail can change while it runs.
 *
 * Global services live in us-east-1 whatever region a client names: Route 53's control plane
 * (route53.amazonaws.com) and IAM's. With a custom endpoint the SDK signs their requests for the client's region, so
 * the proxy places them by service, not by the credential scope.
 */
import { startProxy } from './proxy.js';

/** A running proxy. */
export interface OutageProxy {
  /** e.g. `http://127.0.0.1:51234`: set it as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** Requests refused so far, by `<region reached>/<service>`. */
  readonly refused: Map<string, number>;
  /** Requests held without an answer so far (services in `hang`), by `<region reached>/<service>`. */
  readonly held: Map<string, number>;
  /** Requests answered 503 so far (services in `unavailable`), by `<region reached>/<service>`. */
  readonly unavailable: Map<string, number>;
  /**
   * Makes every request signed for `regions` fail from now on (an empty list ends the outage): reset, or, for the
   * services in `hang` (e.g. `route53`), accepted and never answered, as an endpoint in trouble can, or, for the
   * services in `unavailable` (e.g. `states`), answered HTTP 503.
   */
  fail(regions: readonly string[], hang?: readonly string[], unavailable?: readonly string[]): void;
  stop(): Promise<void>;
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
  const refused = new Map<string, number>();
  const held = new Map<string, number>();
  const unavailable = new Map<string, number>();
  let failing: readonly string[] = [];
  let hanging: readonly string[] = [];
  let answering503: readonly string[] = [];
  const proxy = await startProxy(target, (scope, req, res) => {
    if (!failing.includes(regionOf(scope))) return false;
    const service = scope.split('/')[1] as string;
    const key = `${regionOf(scope)}/${service}`;
    if (hanging.includes(service)) {
      held.set(key, (held.get(key) ?? 0) + 1);
      req.resume(); // read the body, never answer
      return true;
    }
    if (answering503.includes(service)) {
      unavailable.set(key, (unavailable.get(key) ?? 0) + 1);
      req.resume();
      // An error body of the JSON protocol (botocore stepfunctions 2016-11-23: protocol json, jsonVersion 1.0).
      res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'ServiceUnavailable', message: 'Service Unavailable' }));
      return true;
    }
    refused.set(key, (refused.get(key) ?? 0) + 1);
    req.socket.destroy(); // no HTTP answer at all: ECONNRESET for the client
    return true;
  });
  return {
    ...proxy,
    refused,
    held,
    unavailable,
    fail: (regions, hang = [], down = []) => {
      failing = [...regions];
      hanging = [...hang];
      answering503 = [...down];
    },
  };
}
