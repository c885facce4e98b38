/**
 * FAKE — a loopback TCP listener that answers the first messages of a database protocol, for the service's
 * database probe (no Aurora runs here, and PostgreSQL refuses to start as root, as tests here run): `postgres`
 * checks the 8-byte SSLRequest and answers `N` (no TLS), as PostgreSQL does; `mysql` greets with a protocol-10
 * handshake packet (capabilities and auth plugin as MySQL 8 sends them), parses the client's HandshakeResponse41 and
 * answers it as `mysqlReply` says (default: ERR 1045 access denied, as for an unknown user), then closes;
 * `mysql-blocked` sends ERR 1129 instead of the greeting, as a host over max_connect_errors gets; `silent` accepts
 * and never answers (a hung server). With `tls` (a key and certificate), `postgres` answers `S` and runs the server
 * side of a TLS handshake, counting completed handshakes and connections that ended during it (PostgreSQL logs
 * "could not accept SSL connection" for those). It counts MySQL's aborted handshakes — connections closed before a
 * well-formed handshake response arrived — as MySQL's host cache counts them toward max_connect_errors.
 */
import { createServer, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** A running listener. */
export interface DbListener {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Connections closed so far (by either side). */
  readonly closed: () => number;
  /** MySQL: connections closed before a well-formed handshake response arrived. */
  readonly abortedHandshakes: () => number;
  /** PostgreSQL with TLS: handshakes completed. */
  readonly tlsHandshakes: () => number;
  /** PostgreSQL with TLS: connections that answered `S` and ended before the TLS handshake completed. */
  readonly tlsAborted: () => number;
  /** MySQL: the user names of the handshake responses received. */
  readonly users: () => readonly string[];
  stop(): Promise<void>;
}

/** How the fake MySQL answers a handshake response. */
export type MysqlReply = 'denied' | 'auth-switch' | 'tls-required';

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_PLUGIN_AUTH_LENENC = 0x200000;
const CLIENT_CONNECT_WITH_DB = 0x8;

function packet(seq: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, seq]), payload]);
}

function errPacket(seq: number, code: number, state: string, message: string): Buffer {
  const head = Buffer.from([0xff, code & 0xff, code >> 8]);
  return packet(seq, Buffer.concat([head, Buffer.from(`#${state}${message}`, 'latin1')]));
}

function greeting(): Buffer {
  const caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC | 0x1;
  const lower = Buffer.alloc(2);
  lower.writeUInt16LE(caps & 0xffff);
  const upper = Buffer.alloc(2);
  upper.writeUInt16LE(caps >>> 16);
  return packet(
    0,
    Buffer.concat([
      Buffer.from([0x0a]),
      Buffer.from('8.0.39\0', 'latin1'),
      Buffer.from([7, 0, 0, 0]), // thread id
      Buffer.alloc(8, 0x41), // auth-plugin-data part 1
      Buffer.from([0]),
      lower,
      Buffer.from([0xff, 0x02, 0x00]), // charset, status
      upper,
      Buffer.from([21]), // auth-plugin-data length
      Buffer.alloc(10),
      Buffer.concat([Buffer.alloc(12, 0x42), Buffer.from([0])]), // auth-plugin-data part 2
      Buffer.from('caching_sha2_password\0', 'latin1'),
    ]),
  );
}

/** Parses a HandshakeResponse41 payload; the user name, or undefined when malformed. */
function parseHandshakeResponse(p: Buffer): string | undefined {
  if (p.length < 32) return undefined;
  const caps = p.readUInt32LE(0);
  if ((caps & CLIENT_PROTOCOL_41) === 0 || p.subarray(9, 32).some((b) => b !== 0)) return undefined;
  const userEnd = p.indexOf(0, 32);
  if (userEnd < 0) return undefined;
  let at = userEnd + 1;
  if ((caps & (CLIENT_PLUGIN_AUTH_LENENC | CLIENT_SECURE_CONNECTION)) === 0) return undefined;
  if (at >= p.length || p[at]! >= 0xfb) return undefined;
  at += 1 + p[at]!;
  if (caps & CLIENT_CONNECT_WITH_DB) {
    const end = p.indexOf(0, at);
    if (end < 0) return undefined;
    at = end + 1;
  }
  if (caps & CLIENT_PLUGIN_AUTH && p.indexOf(0, at) < 0) return undefined;
  if (at > p.length) return undefined;
  return p.toString('latin1', 32, userEnd);
}

/** Starts a listener speaking `mode` on a free loopback port. */
export async function startDbListener(
  mode: 'postgres' | 'mysql' | 'mysql-blocked' | 'silent',
  mysqlReply: MysqlReply = 'denied',
  tls?: { readonly key: string; readonly cert: string },
): Promise<DbListener> {
  let tlsDone = 0;
  let tlsAborted = 0;
  const sockets = new Set<Socket>();
  const users: string[] = [];
  let accepted = 0;
  let closed = 0;
  let aborted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    if (mode === 'mysql-blocked') {
      socket.end(errPacket(0, 1129, 'HY000', 'Host is blocked because of many connection errors'));
    }
    if (mode === 'mysql') {
      let answered = false;
      let got = Buffer.alloc(0);
      let stage: 'response' | 'switch' = 'response';
      socket.write(greeting());
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length < 4) return;
        const len = got.readUIntLE(0, 3);
        if (got.length < 4 + len) return;
        const seq = got[3]!;
        const payload = got.subarray(4, 4 + len);
        got = got.subarray(4 + len);
        if (stage === 'switch') {
          answered = true;
          socket.end(errPacket(seq + 1, 1045, '28000', 'Access denied'));
          return;
        }
        const user = seq === 1 ? parseHandshakeResponse(payload) : undefined;
        if (user === undefined) {
          socket.end(errPacket(seq + 1, 1043, '08S01', 'Bad handshake'));
          return;
        }
        users.push(user);
        if (mysqlReply === 'auth-switch') {
          // The handshake is complete only once the client answers the switch.
          stage = 'switch';
          socket.write(
            packet(
              seq + 1,
              Buffer.concat([
                Buffer.from([0xfe]),
                Buffer.from('mysql_native_password\0', 'latin1'),
                Buffer.alloc(20, 0x43),
                Buffer.from([0]),
              ]),
            ),
          );
          return;
        }
        answered = true;
        socket.end(
          mysqlReply === 'tls-required'
            ? errPacket(seq + 1, 3159, 'HY000', 'Connections using insecure transport are prohibited')
            : errPacket(seq + 1, 1045, '28000', 'Access denied'),
        );
      });
      socket.on('close', () => {
        if (!answered) aborted++;
      });
    }
    if (mode === 'postgres') {
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length < 8) return;
        const ssl = got.subarray(0, 8).equals(SSL_REQUEST);
        got = Buffer.alloc(0);
        if (!ssl || tls === undefined) {
          socket.write(ssl ? 'N' : 'E');
          return;
        }
        socket.removeAllListeners('data');
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
        let handshaken = false;
        secure.on('secure', () => {
          handshaken = true;
          tlsDone++;
        });
        secure.on('error', () => secure.destroy());
        secure.on('close', () => {
          if (!handshaken) tlsAborted++;
        });
      });
    }
    socket.on('close', () => {
      closed++;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no port');
  return {
    port: address.port,
    connections: () => accepted,
    closed: () => closed,
    abortedHandshakes: () => aborted,
    tlsHandshakes: () => tlsDone,
    tlsAborted: () => tlsAborted,
    users: () => users,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
