/**
 * The portal's sign-in session: a cookie sealed with AES-256-GCM under a key derived from the session secret
 * (DRPLANE_PORTAL_SESSION_SECRET_FILE), so replicas share sessions without a store and a client can neither read nor
 * forge one. The cookie's name is sealed into it (additional data): the short-lived sign-in cookie cannot pass for a
 * session. Every sealed value carries its expiry, checked on each request whatever the browser keeps.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** Largest cookie (name and value) written: browsers keep 4096 bytes with the attributes. */
export const MAX_COOKIE_BYTES = 3900;

/** Shortest session secret accepted, in characters. */
export const MIN_SECRET_LENGTH = 32;

/** Seals and opens cookie values; `secure` cookies get the `__Host-` prefix and the Secure attribute. */
export class CookieJar {
  private readonly key: Buffer;

  /**
   * @param secret the session secret (at least 32 characters)
   * @param secure true when the portal is served over https (its public URL): Secure cookies, `__Host-` names
   * @param now the clock in milliseconds (tests move it to expire sessions)
   */
  constructor(
    secret: string,
    readonly secure: boolean,
    readonly now: () => number = Date.now,
  ) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new Error(
        `the session secret has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH} (make one with: openssl rand -base64 48)`,
      );
    this.key = Buffer.from(hkdfSync('sha256', secret, 'drplane-portal', 'session cookie v1', 32));
  }

  /** The cookie's name as sent: `__Host-<name>` when secure. */
  name(base: string): string {
    return this.secure ? `__Host-${base}` : base;
  }

  /**
   * Sets cookie `base` to `value` sealed, valid for `seconds` (Max-Age and the sealed expiry alike), or until the time
   * `until` (ms since epoch) when given: a session resealed after a refresh keeps its first end.
   */
  set(c: Context, base: string, value: object, seconds: number, until?: number): void {
    const name = this.name(base);
    const expires = until ?? this.now() + seconds * 1000;
    if (until !== undefined) seconds = Math.max(1, Math.ceil((until - this.now()) / 1000));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name));
    const body = Buffer.concat([cipher.update(JSON.stringify({ exp: expires, v: value })), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    if (name.length + sealed.length > MAX_COOKIE_BYTES)
      throw new Error(
        `the ${base} cookie would be ${name.length + sealed.length} bytes, more than the ${MAX_COOKIE_BYTES} browsers keep (release fewer groups to the portal)`,
      );
    setCookie(c, name, sealed, {
      path: '/',
      httpOnly: true,
      secure: this.secure,
      sameSite: 'Lax',
      maxAge: seconds,
    });
  }

  /**
   * The value of cookie `base` and its expiry (ms since epoch): `missing` when absent or not sealed by this key
   * (forged, another secret), `expired` with its expiry time when past it.
   */
  get<T>(c: Context, base: string): { value: T; expires: number } | { missing: true } | { expired: number } {
    const name = this.name(base);
    const raw = getCookie(c, name);
    if (!raw) return { missing: true };
    try {
      const data = Buffer.from(raw, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(data.subarray(12, 28));
      const text = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
      const { exp, v } = JSON.parse(text) as { exp: number; v: T };
      return exp > this.now() ? { value: v, expires: exp } : { expired: exp };
    } catch {
      return { missing: true };
    }
  }

  /** Removes cookie `base`. */
  clear(c: Context, base: string): void {
    deleteCookie(c, this.name(base), { path: '/', secure: this.secure, httpOnly: true, sameSite: 'Lax' });
  }
}
