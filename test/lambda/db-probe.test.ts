/** The service's database probe against a fake MySQL: it completes the handshake, so MySQL counts no aborted connects. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeDatabase } from '../../lambda/service/db-probe.js';
import { startDbListener, type DbListener } from './support/db-listener.js';

async function settled(db: DbListener): Promise<void> {
  for (let i = 0; i < 100 && db.closed() < db.connections(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(db.closed()).toBe(db.connections());
}

describe('MySQL probe', () => {
  it('answers the greeting with a handshake response, so 150 probes leave no aborted handshake (max_connect_errors is 100)', async () => {
    const db = await startDbListener('mysql');
    try {
      for (let i = 0; i < 150; i++) expect(await probeDatabase('aurora-mysql', '127.0.0.1', db.port, 700)).toEqual({ ok: true });
      await settled(db);
      expect(db.connections()).toBe(150);
      expect(db.abortedHandshakes()).toBe(0);
      expect(new Set(db.users())).toEqual(new Set(['drplane_health_probe']));
      expect(db.users()).toHaveLength(150);
    } finally {
      await db.stop();
    }
  });

  it('answers an auth-switch request so the exchange ends in the server ERR, not an abort', async () => {
    const db = await startDbListener('mysql', 'auth-switch');
    try {
      expect(await probeDatabase('aurora-mysql', '127.0.0.1', db.port, 700)).toEqual({ ok: true });
      await settled(db);
      expect(db.abortedHandshakes()).toBe(0);
    } finally {
      await db.stop();
    }
  });

  it('takes require_secure_transport ERR 3159 as reachable; a blocked host (ERR 1129) as unhealthy with the code named', async () => {
    const tls = await startDbListener('mysql', 'tls-required');
    try {
      expect(await probeDatabase('aurora-mysql', '127.0.0.1', tls.port, 700)).toEqual({ ok: true });
      await settled(tls);
      expect(tls.abortedHandshakes()).toBe(0);
    } finally {
      await tls.stop();
    }
    const blocked = await startDbListener('mysql-blocked');
    try {
      expect(await probeDatabase('aurora-mysql', '127.0.0.1', blocked.port, 700)).toEqual({
        ok: false,
        error: 'ER_HOST_IS_BLOCKED',
      });
    } finally {
      await blocked.stop();
    }
  });
});

/** A throwaway self-signed key and certificate, made with the openssl CLI (node:crypto cannot sign certificates). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drplane-pg-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PostgreSQL probe', () => {
  it('completes the TLS handshake after S and closes, so the server logs no SSL EOF per probe', async () => {
    const db = await startDbListener('postgres', 'denied', selfSigned());
    try {
      for (let i = 0; i < 20; i++)
        expect(await probeDatabase('aurora-postgresql', '127.0.0.1', db.port, 700)).toEqual({ ok: true });
      await settled(db);
      expect(db.tlsAborted()).toBe(0);
      expect(db.tlsHandshakes()).toBe(20);
    } finally {
      await db.stop();
    }
  });

  it('closes after N (no TLS) without further exchange', async () => {
    const db = await startDbListener('postgres');
    try {
      expect(await probeDatabase('aurora-postgresql', '127.0.0.1', db.port, 700)).toEqual({ ok: true });
      await settled(db);
      expect(db.tlsHandshakes()).toBe(0);
    } finally {
      await db.stop();
    }
  });
});
