/**
 * Write protection of the portal: no request from another site (Origin / Sec-Fetch-Site), and no write
 * without the bearer token unless the operator opted in to unauthenticated writes.
 */
import type { Context } from 'hono';
import { requireToken } from './auth.js';
import { HttpError } from './errors.js';

/** Who may write through the portal. */
export interface WriteAccess {
  /** Bearer token the writing endpoints require; writes are refused when unset, unless `allowUnauthenticated`. */
  readonly token?: string;
  /** Accept writes without a token (DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1): a portal only its user reaches. */
  readonly allowUnauthenticated?: boolean;
  /** Origins besides the portal's own allowed to send requests (a proxy in front, `https://portal.example.org`). */
  readonly origins?: readonly string[];
}

/** How the portal takes writes: with the token, open to anyone who reaches it, or not at all. */
export type WriteMode = 'token' | 'open' | 'off';

/** The write mode of an access setting. */
export function writeMode(access: WriteAccess): WriteMode {
  if (access.token) return 'token';
  return access.allowUnauthenticated ? 'open' : 'off';
}

/** Sec-Fetch-Site values of a request a page of another origin made. */
const OTHER_SITES = new Set(['cross-site', 'same-site']);

/**
 * Throws 403 when a browser says the request comes from another origin: an `Origin` that is neither this
 * portal's host nor one of `origins`, or `Sec-Fetch-Site: cross-site | same-site` without an allowed Origin.
 * Clients that are not browsers send neither header and pass (the token still applies to writes).
 */
export function requireSameOrigin(c: Context, origins: readonly string[] = []): void {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site')?.toLowerCase();
  if (origin !== undefined && origins.includes(origin)) return;
  const refuse = (why: string): never => {
    throw new HttpError(
      403,
      `${why}: the portal takes requests from its own pages only (add a proxy's origin to DRPLANE_PORTAL_ORIGINS)`,
      'origin',
    );
  };
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host === '' || host !== (c.req.header('host') ?? new URL(c.req.url).host))
      refuse(`cross-site request from origin ${origin}`);
  }
  if (site !== undefined && OTHER_SITES.has(site)) refuse(`cross-site request (Sec-Fetch-Site: ${site})`);
}

/** Throws 401 without the right token, or 403 when the portal takes no writes (no token, no opt-in). */
export function requireWriter(c: Context, access: WriteAccess): void {
  switch (writeMode(access)) {
    case 'token':
      return requireToken(access.token, c.req.header('authorization'));
    case 'open':
      return;
    case 'off':
      throw new HttpError(
        403,
        'this portal takes no writes: start it with DRPLANE_PORTAL_TOKEN=<secret> (then send Authorization: Bearer <secret>), or with DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1 when only you can reach it',
        'authorization',
      );
  }
}

/** The request's media type (without parameters), lowercased; '' when none. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Throws 415 unless the request's content type is one of `types`. */
export function requireContentType(c: Context, types: readonly string[], what: string): void {
  const type = mediaType(c);
  if (!types.includes(type))
    throw new HttpError(
      415,
      `send ${what} as ${types.join(', ')} (got ${type === '' ? 'no content type' : type})`,
      'content-type',
    );
}
