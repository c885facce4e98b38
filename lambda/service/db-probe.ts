/**
 * Is the database reachable from this region's service? A TCP connection to the regional Aurora endpoint and the
 * first message of the engine's own protocol, without credentials: PostgreSQL answers an SSLRequest with one byte
 * (`S` or `N`); MySQL greets every new connection with a handshake packet (protocol version 10). A server that
 * answers so is up, listening and routable through the VPC and its security groups; nothing logs in, so the service
 * needs no database secret for it. Bounded by a timeout.
 */
import { connect } from 'node:net';

/** The engines the probe speaks (the claim's database engines). */
export type ProbeEngine = 'aurora-postgresql' | 'aurora-mysql';

/** Outcome of one probe: ok, or the reason (an error code or name, never a message with addresses). */
export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** PostgreSQL SSLRequest: length 8, code 80877103 (1234 << 16 | 5679). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** Checks the first bytes the server sent; undefined while more are needed. */
function judge(engine: ProbeEngine, data: Buffer): ProbeResult | undefined {
  if (engine === 'aurora-postgresql') {
    if (data.length < 1) return undefined;
    return data[0] === 0x53 || data[0] === 0x4e ? { ok: true } : { ok: false, error: 'UnexpectedReply' };
  }
  // MySQL packet: 3-byte length, 1-byte sequence, then the payload; a handshake starts with protocol version 10.
  if (data.length < 5) return undefined;
  if (data[4] === 0x0a) return { ok: true };
  return { ok: false, error: data[4] === 0xff ? 'ServerRefused' : 'UnexpectedReply' };
}

/** Probes `host:port` for `engine` within `timeoutMs`. */
export function probeDatabase(engine: ProbeEngine, host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    const socket = connect({ host, port });
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'TimeoutError' }), timeoutMs);
    socket.once('connect', () => {
      if (engine === 'aurora-postgresql') socket.write(SSL_REQUEST);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const verdict = judge(engine, received);
      if (verdict !== undefined) finish(verdict);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: err.code ?? err.name }));
    socket.once('close', () => finish({ ok: false, error: 'ConnectionClosed' }));
  });
}
