/**
 * A throwaway certificate authority for one control plane, made with the openssl command line: one CA signs every
 * serving and client certificate (etcd, kube-apiserver, the composition function, Crossplane's function client, the
 * admin user), so each side trusts the others with a single ca.crt. Keys are ECDSA P-256 (fast to make), valid for
 * a day, and live only in the control plane's temporary directory.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../../support/process.js';

/** A certificate and its private key, as file paths. */
export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

/** What a leaf certificate is for. */
export interface LeafSpec {
  /** Subject common name (for a client of kube-apiserver: the user name). */
  readonly commonName: string;
  /** Subject organizations (for a client of kube-apiserver: its groups, e.g. system:masters). */
  readonly organizations?: readonly string[];
  /** IP subject alternative names of a server. */
  readonly ips?: readonly string[];
  /** DNS subject alternative names of a server. */
  readonly dnsNames?: readonly string[];
  /** serverAuth, clientAuth, or both. */
  readonly usage: 'server' | 'client' | 'both';
}

const openssl = (args: readonly string[]) => runOk('openssl', args, { timeoutMs: 30_000 });

/** Writes a new ECDSA P-256 private key (PKCS#8 PEM) to `path`. */
async function newKey(path: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
}

/** The certificate authority of one control plane; issues leaf certificates into its directory. */
export class Pki {
  private constructor(
    /** Directory holding every key and certificate. */
    readonly dir: string,
    /** The CA's certificate and key. */
    readonly ca: KeyPair,
  ) {}

  /** Creates a new self-signed CA in `dir`. */
  static async create(dir: string): Promise<Pki> {
    mkdirSync(dir, { recursive: true });
    const ca = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
    await newKey(ca.key);
    await openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      ca.key,
      '-out',
      ca.cert,
      '-days',
      '1',
      '-subj',
      '/CN=drplane-e2e-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return new Pki(dir, ca);
  }

  /** Issues a certificate signed by the CA as `<dir>/<name>.crt` and `<dir>/<name>.key`. */
  async issue(name: string, spec: LeafSpec): Promise<KeyPair> {
    const pair = { cert: join(this.dir, `${name}.crt`), key: join(this.dir, `${name}.key`) };
    const csr = join(this.dir, `${name}.csr`);
    const ext = join(this.dir, `${name}.ext`);
    const subject = ['/CN=' + spec.commonName, ...(spec.organizations ?? []).map((o) => `/O=${o}`)].join('');
    const sans = [...(spec.ips ?? []).map((ip) => `IP:${ip}`), ...(spec.dnsNames ?? []).map((d) => `DNS:${d}`)];
    const usage = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[spec.usage];
    writeFileSync(
      ext,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        `extendedKeyUsage=${usage}`,
        ...(sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : []),
      ].join('\n') + '\n',
    );
    await newKey(pair.key);
    await openssl(['req', '-new', '-key', pair.key, '-out', csr, '-subj', subject]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      this.ca.cert,
      '-CAkey',
      this.ca.key,
      '-CAcreateserial',
      '-out',
      pair.cert,
      '-days',
      '1',
      '-extfile',
      ext,
    ]);
    return pair;
  }

  /**
   * Issues a certificate into its own directory laid out as Kubernetes TLS Secrets and Crossplane expect it:
   * `tls.crt`, `tls.key` and the CA as `ca.crt`. Returns the directory.
   */
  async issueDir(name: string, spec: LeafSpec): Promise<string> {
    const pair = await this.issue(name, spec);
    const dir = join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(pair.cert, join(dir, 'tls.crt'));
    copyFileSync(pair.key, join(dir, 'tls.key'));
    copyFileSync(this.ca.cert, join(dir, 'ca.crt'));
    return dir;
  }

  /** A key pair that signs and verifies service-account tokens: `<dir>/<name>.key` and the public `<dir>/<name>.pub`. */
  async signingKey(name: string): Promise<{ readonly key: string; readonly pub: string }> {
    const key = join(this.dir, `${name}.key`);
    const pub = join(this.dir, `${name}.pub`);
    await newKey(key);
    await openssl(['pkey', '-in', key, '-pubout', '-out', pub]);
    return { key, pub };
  }
}
