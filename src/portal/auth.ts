/** Bearer-token check for the writing endpoints (when DRPLANE_PORTAL_TOKEN is set). */
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

/** Throws 401 unless `header` is `Bearer <token>`; does nothing when no token is configured. */
export function requireToken(token: string | undefined, header: string | undefined): void {
  if (!token) return;
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new HttpError(
      401,
      given === ''
        ? 'this endpoint writes to git: send Authorization: Bearer <DRPLANE_PORTAL_TOKEN>'
        : 'the bearer token is not the portal token',
      'authorization',
    );
  }
}
