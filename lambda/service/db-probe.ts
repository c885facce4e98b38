/**
 * Is the database reachable from this region's service? A TCP connection to the regional Aurora endpoint and the
 * first messages of the engine's own protocol, without credentials: PostgreSQL answers an SSLRequest with one byte
 * (`S` or `N`; after `S` the probe completes the TLS handshake and closes cleanly); MySQL greets every new connection with a handshake packet (protocol version 10), and the probe
 * completes the handshake as a user that does not exist, so the server ends it with an ERR (access denied). MySQL
 * counts connections that end before a handshake response toward max_connect_errors (default 100) per client host
 * and then blocks the host (ERR 1129); Lambda ENIs share addresses, so a probe that only read the greeting would
 * block the service's own subnets. A failed authentication is not counted. A server that answers so is up,
 * listening and routable through the VPC and its security groups; nothing logs in, so the service needs no database
 * secret for it. Bounded by a timeout.
 */
import { connect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** The engines the probe speaks (the claim's database engines). */
export type ProbeEngine = 'aurora-postgresql' | 'aurora-mysql';

/** Outcome of one probe: ok, or the reason (an error code or name, never a message with addresses). */
export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** PostgreSQL SSLRequest: length 8, code 80877103 (1234 << 16 | 5679). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** MySQL capability flags the probe's handshake response sets (protocol 4.1, length-prefixed auth data, plugin name). */
const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;

/** The user the MySQL probe names: it should not exist, so the server answers ERR 1045 (access denied). */
export const MYSQL_PROBE_USER = 'drplane_health_probe';

/** MySQL errors that mean this service cannot use the database although the server answers. */
const MYSQL_UNHEALTHY: Readonly<Record<number, string>> = { 1129: 'ER_HOST_IS_BLOCKED', 1040: 'ER_CON_COUNT_ERROR' };

/** One MySQL packet: 3-byte length, 1-byte sequence, then the payload. */
function mysqlPacket(seq: number, payload: Buffer): Buffer {
  const n = payload.length;
  return Buffer.concat([Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, seq & 0xff]), payload]);
}

/** The auth plugin the greeting names (protocol 10), or undefined when it names none. */
function greetingPlugin(p: Buffer): string | undefined {
  let at = p.indexOf(0, 1); // end of the server version
  if (at < 0) return undefined;
  at += 1 + 4 + 8 + 1; // thread id, auth-plugin-data part 1, filler
  if (p.length < at + 2) return undefined;
  const lower = p.readUInt16LE(at);
  if (p.length < at + 8) return undefined;
  const caps = lower | (p.readUInt16LE(at + 5) << 16);
  const dataLen = p[at + 7]!;
  at += 8 + 10; // charset, status, upper capabilities, data length, reserved
  if ((caps & CLIENT_PLUGIN_AUTH) === 0) return undefined;
  at += Math.max(13, dataLen - 8);
  const end = p.indexOf(0, at);
  return at < p.length ? p.toString('latin1', at, end < 0 ? p.length : end) : undefined;
}

/**
 * HandshakeResponse41 for the probe user with an empty auth response (an empty password is valid for every
 * MySQL auth plugin), naming the greeting's plugin: a complete handshake that the server rejects as an
 * authentication failure, which MySQL's host cache does not count toward max_connect_errors.
 */
function handshakeResponse(plugin: string | undefined): Buffer {
  const caps = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | (plugin ? CLIENT_PLUGIN_AUTH : 0);
  const head = Buffer.alloc(32);
  head.writeUInt32LE(caps >>> 0, 0);
  head.writeUInt32LE(16 * 1024 * 1024, 4); // max packet size
  head[8] = 0xff; // utf8mb4_0900_ai_ci
  const parts = [head, Buffer.from(`${MYSQL_PROBE_USER}\0`, 'latin1'), Buffer.from([0])];
  if (plugin) parts.push(Buffer.from(`${plugin}\0`, 'latin1'));
  return Buffer.concat(parts);
}

/** A MySQL ERR packet's verdict: reachable, unless the error says this host cannot connect. */
function mysqlErr(payload: Buffer): ProbeResult {
  if (payload.length < 3) return { ok: false, error: 'UnexpectedReply' };
  const code = payload.readUInt16LE(1);
  const name = MYSQL_UNHEALTHY[code];
  return name === undefined ? { ok: true } : { ok: false, error: name };
}

/**
 * The MySQL exchange as a state machine over whole packets: the greeting (or an ERR instead of it), the probe's
 * handshake response, then the server's reply. ERR 1045 (access denied), 3159 (secure transport required) or any
 * other well-formed ERR means reachable, except 1129 (host blocked) and 1040 (too many connections); an
 * auth-switch request is answered once with an empty auth response so that the exchange ends in the server's ERR
 * rather than in an aborted connection; OK (the user exists without a password) is reachable, and the probe quits.
 */
function mysqlStep(stage: number, seq: number, payload: Buffer, send: (b: Buffer) => void): { next: number } | ProbeResult {
  const kind = payload[0];
  if (kind === 0xff) return mysqlErr(payload);
  if (stage === 0) {
    if (kind !== 0x0a) return { ok: false, error: 'UnexpectedReply' };
    send(mysqlPacket(seq + 1, handshakeResponse(greetingPlugin(payload))));
    return { next: 1 };
  }
  if (kind === 0x00) {
    send(mysqlPacket(0, Buffer.from([0x01]))); // COM_QUIT
    return { ok: true };
  }
  if (kind === 0xfe && stage === 1) {
    send(mysqlPacket(seq + 1, Buffer.alloc(0)));
    return { next: 2 };
  }
  // Auth "more data" (a plugin asking for more than an empty password) or a second switch: the server spoke
  // MySQL past the handshake response; the probe cannot go further without credentials.
  return kind === 0x01 || kind === 0xfe ? { ok: true } : { ok: false, error: 'UnexpectedReply' };
}

/** Probes `host:port` for `engine` within `timeoutMs`. */
export function probeDatabase(engine: ProbeEngine, host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    let stage = 0;
    const socket = connect({ host, port });
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'TimeoutError' }), timeoutMs);
    /**
     * PostgreSQL said `S`: closing now would make the server log "could not accept SSL connection: EOF detected"
     * for every probe, so the probe completes the TLS handshake and closes cleanly (close_notify, then FIN); the
     * server then sees EOF before a startup packet, which it does not log. The certificate is not verified
     * (rejectUnauthorized: false) only because nothing is sent over this connection: no credentials, no data.
     */
    const finishTls = (): void => {
      const secure = tlsConnect({
        socket,
        rejectUnauthorized: false,
        ...(isIP(host) === 0 ? { servername: host } : {}),
      });
      secure.once('secureConnect', () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        secure.end();
        setTimeout(() => secure.destroy(), 1_000).unref();
        resolve({ ok: true });
      });
      secure.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: err.code ?? err.name }));
    };
    socket.once('connect', () => {
      if (engine === 'aurora-postgresql') socket.write(SSL_REQUEST);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (engine === 'aurora-postgresql') {
        const first = received[0];
        if (first === 0x53) {
          socket.removeAllListeners('data');
          finishTls();
          return;
        }
        finish(first === 0x4e ? { ok: true } : { ok: false, error: 'UnexpectedReply' });
        return;
      }
      while (!done && received.length >= 4) {
        const len = received.readUIntLE(0, 3);
        if (received.length < 4 + len) return;
        const seq = received[3]!;
        const payload = received.subarray(4, 4 + len);
        received = received.subarray(4 + len);
        const step = mysqlStep(stage, seq, payload, (b) => socket.write(b));
        if ('next' in step) stage = step.next;
        else finish(step);
      }
    });
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: err.code ?? err.name }));
    socket.once('close', () => finish({ ok: false, error: 'ConnectionClosed' }));
  });
}
