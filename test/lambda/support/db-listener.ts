/**
 * FAKE — a loopback TCP listener that answers the first message of a database protocol, for the service's
 * database probe (no Aurora runs here, and PostgreSQL refuses to start as root, as tests here run): `postgres`
 * checks the 8-byte SSLRequest and answers `N` (no TLS), as PostgreSQL does; `mysql` greets with a protocol-10
 * handshake packet, as MySQL does on connect; `silent` accepts and never answers (a hung server).
 */
import { createServer, type Socket } from 'node:net';

/** A running listener. */
export interface DbListener {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  stop(): Promise<void>;
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** Starts a listener speaking `mode` on a free loopback port. */
export async function startDbListener(mode: 'postgres' | 'mysql' | 'silent'): Promise<DbListener> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (mode === 'mysql') {
      const payload = Buffer.concat([Buffer.from([0x0a]), Buffer.from('8.0.39\0', 'latin1'), Buffer.alloc(8)]);
      const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, 0, 0]);
      socket.write(Buffer.concat([header, payload]));
    }
    if (mode === 'postgres') {
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= 8) socket.write(got.subarray(0, 8).equals(SSL_REQUEST) ? 'N' : 'E');
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no port');
  return {
    port: address.port,
    connections: () => accepted,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
