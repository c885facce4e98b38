/**
 * Which hops the portal trusts: identity headers (X-Forwarded-User, -Email, -Groups) and X-Forwarded-For count only
 * when the request's socket peer is in DRPLANE_PORTAL_TRUSTED_PROXIES (CIDRs, default loopback only: the
 * authenticating proxy runs as a sidecar in the portal's pod and the portal listens on 127.0.0.1).
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Default DRPLANE_PORTAL_TRUSTED_PROXIES: loopback only. */
export const DEFAULT_TRUSTED_PROXIES = '127.0.0.0/8,::1/128';

/** A set of trusted proxy addresses. */
export interface TrustedProxies {
  /** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) is a trusted proxy. */
  has(address: string | undefined): boolean;
}

/** An address without its IPv4-mapped IPv6 prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Parses a list of CIDRs (`10.0.0.0/8, ::1/128`; a bare address is one host), DRPLANE_PORTAL_TRUSTED_PROXIES unless
 * `variable` names another; throws naming the variable and the bad entry.
 */
export function parseTrustedProxies(
  text: string = DEFAULT_TRUSTED_PROXIES,
  variable = 'DRPLANE_PORTAL_TRUSTED_PROXIES',
): TrustedProxies {
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (!family || !/^\d+$/.test(bits ?? '0') || prefix > (family === 6 ? 128 : 32))
      throw new Error(`${variable}: ${JSON.stringify(entry)} is not an address or CIDR; write e.g. 127.0.0.1/32,::1/128`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return {
    has(address) {
      if (!address) return false;
      const a = plain(address.trim());
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** The socket peer of a request, or undefined without one. */
export function peerAddress(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? plain(address) : undefined;
  } catch {
    return undefined; // app.request() without a socket in its env
  }
}

/**
 * The client address of a request: the socket peer, unless the peer is a trusted proxy or forwarder; then the
 * right-most X-Forwarded-For hop that is neither (hops further left were written by the client). Forwarders
 * (DRPLANE_PORTAL_FORWARDED_BY: the ingress controllers) count for the address only, never for identity headers.
 */
export function clientAddress(c: Context, trusted: TrustedProxies, forwarders?: TrustedProxies): string {
  const peer = peerAddress(c);
  const hop = (address: string | undefined) => trusted.has(address) || (forwarders?.has(address) ?? false);
  if (!hop(peer)) return peer ?? 'unknown';
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  while (hops.length > 0 && hop(hops.at(-1))) hops.pop();
  return hops.at(-1) ?? peer ?? 'unknown';
}
