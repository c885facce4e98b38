/**
 * A loopback HTTP proxy in front of moto that never answers requests signed for some regions (SigV4 credential
 * scope `<date>/<region>/<service>/aws4_request`): a regional endpoint that accepts the connection and hangs, as
 * a region in trouble can. Every other request is forwarded to moto unchanged.
 */
import { startProxy } from './proxy.js';

/** A running proxy. */
export interface HangingProxy {
  /** e.g. `http://127.0.0.1:51234`: set it as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** How many requests were held, by `<region>/<service>`. */
  readonly held: Map<string, number>;
  stop(): Promise<void>;
}

/** Starts a proxy to `target` that holds every request signed for a region in `hangRegions`. */
export async function startHangingProxy(target: string, hangRegions: readonly string[]): Promise<HangingProxy> {
  const held = new Map<string, number>();
  const proxy = await startProxy(target, (scope, req) => {
    if (!hangRegions.includes(scope.split('/')[0] as string)) return false;
    held.set(scope, (held.get(scope) ?? 0) + 1);
    req.resume(); // read the body, never answer
    return true;
  });
  return { ...proxy, held };
}
