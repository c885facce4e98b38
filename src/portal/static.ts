/** Serving the built page (dist/portal) with no way out of its folder. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** A file of the page: its bytes and content type, or undefined. Unknown paths get index.html. */
export function staticFile(dir: string, urlPath: string): { body: Uint8Array; type: string } | undefined {
  const decoded = (() => {
    try {
      return decodeURIComponent(urlPath);
    } catch {
      return '/';
    }
  })();
  const file = normalize(join(dir, decoded));
  const inside = file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  const chosen = inside && existsSync(file) && statSync(file).isFile() ? file : join(dir, 'index.html');
  if (!existsSync(chosen)) return undefined;
  return { body: readFileSync(chosen), type: TYPES[extname(chosen)] ?? 'application/octet-stream' };
}

/** The page shown when the front end has not been built. */
export const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>drplane portal</title>
<body><h1>drplane portal</h1>
<p>The page is not built yet: run <code>npm run build</code>, then reload. The API is up at <a href="/api/openapi.json">/api/openapi.json</a>.</p>`;
