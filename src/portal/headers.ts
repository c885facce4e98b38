/**
 * Security headers on every answer of the portal (audit 18 M3): no framing (a clickjacked "Fail over" click inside a
 * frame would be same-origin and pass the origin check), a Content-Security-Policy the built page works under (its
 * script and stylesheet are files of the portal, no inline script or style), no MIME sniffing.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** hono's secure-headers options. */
type Options = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * The Content-Security-Policy directives. `img-src data:` is the page's favicon. There is no `form-action`: Chromium
 * applies it to the redirects of a form submission too, and sign-out (a form POST) is redirected to the provider's
 * end-session endpoint, on another origin.
 */
export const CONTENT_SECURITY_POLICY: NonNullable<Options['contentSecurityPolicy']> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * The middleware. Referrer-Policy is `same-origin`, not hono's default `no-referrer`: under `no-referrer` browsers
 * send `Origin: null` on the page's own POSTs, which the same-origin check rightly refuses.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'same-origin',
  });
}
