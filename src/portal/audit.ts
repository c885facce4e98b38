/**
 * The portal's audit log: one JSON line per write attempt (committing a claim, failing one over) with who, what,
 * when, from where and the outcome, refusals included. Written to DRPLANE_PORTAL_AUDIT_FILE, else to stdout.
 */
import { appendFileSync } from 'node:fs';

/** One audited write. */
export interface AuditEntry {
  /** ISO 8601 time of the answer. */
  readonly time: string;
  /** The signed-in user, `automation` (the token), or `anonymous` when nobody could be identified. */
  readonly who: string;
  readonly groups?: readonly string[];
  /** The ID token's subject and issuer (OpenID Connect sign-in): who, uniquely, when the name is not. */
  readonly sub?: string;
  readonly iss?: string;
  /** `claim.propose` or `claim.failover`. */
  readonly action: string;
  /** `<namespace>/<name>` when known. */
  readonly target?: string;
  /**
   * Client address: the socket's peer, or, when the peer is a trusted proxy (DRPLANE_PORTAL_TRUSTED_PROXIES), the
   * right-most X-Forwarded-For hop that is not a trusted proxy.
   */
  readonly from: string;
  /** The socket's peer (the proxy in front, if any), when there is a socket. */
  readonly peer?: string;
  /**
   * `attempted` (written before the write touches git; if it cannot be written the write is refused with 503), then
   * `ok`, `refused` (4xx) or `failed` (5xx).
   */
  readonly outcome: 'attempted' | 'ok' | 'refused' | 'failed';
  /** HTTP status answered (0 on the `attempted` line). */
  readonly status: number;
  /** Branch and commit of a write that happened, or the error of one that did not. */
  readonly detail?: string;
}

/** Where audit lines go. */
export type AuditSink = (line: string) => void;

/** A sink appending to `file`, or writing to stdout without one. */
export function auditSink(file?: string): AuditSink {
  return file ? (line) => appendFileSync(file, line + '\n') : (line) => process.stdout.write(line + '\n');
}

/** Writes one entry as a JSON line. */
export function audit(sink: AuditSink, entry: Omit<AuditEntry, 'time'>): void {
  sink(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}
