/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs
 * as is. Fields whose name suggests a secret are replaced by "[redacted]" as a safety net;
 * callers still never pass request bodies or secret values.
 */

/** Log severities. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go (stdout by default; tests capture them). */
export type LogSink = (line: string) => void;

/** A structured logger bound to some fields (requestId, region, ...). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_KEY = /secret|password|passwd|token|credential|authorization|externalid|external_id|apikey|api_key/i;

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

function redact(value: unknown, depth: number): unknown {
  if (depth > 6 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** Describes an error for a log line: name and message, never the whole object (which may carry request data). */
export function describeError(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'NonError', message: String(err) };
}

/** Creates a logger writing JSON lines with `base` fields to `sink`. */
export function createLogger(base: Record<string, unknown> = {}, sink: LogSink = stdoutSink): Logger {
  const write = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    const record = redact({ time: new Date().toISOString(), level, msg, ...base, ...fields }, 0);
    sink(JSON.stringify(record));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, sink),
  };
}
