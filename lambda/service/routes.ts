/**
 * Routing of Function URL and HTTP API (payload v2) requests. Pure.
 */

/** The operations the service offers. */
export type Route =
  | { readonly kind: 'health' }
  | { readonly kind: 'createTransaction' }
  | { readonly kind: 'getTransaction'; readonly id: string }
  | { readonly kind: 'methodNotAllowed'; readonly allow: string }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'badPath' };

/**
 * The request path without an HTTP API stage prefix (`/prod/health` → `/health` when the
 * stage is `prod`; the `$default` stage has none) and without a trailing slash.
 */
export function normalizePath(rawPath: string, stage: string | undefined): string {
  let path = rawPath === '' ? '/' : rawPath;
  if (stage !== undefined && stage !== '$default') {
    const prefix = `/${stage}`;
    if (path === prefix) path = '/';
    else if (path.startsWith(`${prefix}/`)) path = path.slice(prefix.length);
  }
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

/** Maps method and normalized path to a route. */
export function route(method: string, path: string): Route {
  const m = method.toUpperCase();
  if (path === '/health') return m === 'GET' ? { kind: 'health' } : { kind: 'methodNotAllowed', allow: 'GET' };
  if (path === '/transactions') {
    return m === 'POST' ? { kind: 'createTransaction' } : { kind: 'methodNotAllowed', allow: 'POST' };
  }
  const match = /^\/transactions\/([^/]+)$/.exec(path);
  if (match?.[1] !== undefined) {
    if (m !== 'GET') return { kind: 'methodNotAllowed', allow: 'GET' };
    try {
      return { kind: 'getTransaction', id: decodeURIComponent(match[1]) };
    } catch {
      return { kind: 'badPath' };
    }
  }
  return { kind: 'notFound' };
}
