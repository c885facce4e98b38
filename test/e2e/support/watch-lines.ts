/**
 * A Kubernetes watch answers with one JSON event per line, split across chunks at any byte. This reads a response's
 * complete, non-empty lines in order and hands each to `onLine`; returning `false` stops reading the rest (the caller
 * then ends the request).
 */
import type { IncomingMessage } from 'node:http';

/** Calls `onLine` with each complete non-empty line of the response, until it returns `false`. */
export function onWatchLines(res: IncomingMessage, onLine: (line: string) => boolean | void): void {
  let buffer = '';
  let stopped = false;
  res.setEncoding('utf8');
  res.on('data', (d: string) => {
    if (stopped) return;
    buffer += d;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      if (onLine(line) === false) {
        stopped = true;
        return;
      }
    }
  });
}
