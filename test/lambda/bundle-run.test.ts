/**
 * The Lambda build through its CLI (`--check`): zips holding exactly index.mjs with fixed
 * metadata, the typed artifacts module, and a bundle that really runs (the service zip's
 * index.mjs answers /health against moto, reading AWS_ENDPOINT_URL through the bundled SDK).
 * Byte-for-byte reproducibility of two builds is bundle.test.ts.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACTS, lambdaArtifactKey } from '../../lambda/artifacts.js';
import { useMoto } from './support/aws.js';
import { httpEvent, lambdaContext } from './support/lambda.js';
import { startMoto, type MotoServer } from './support/moto.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const HANDLERS = ['failover', 'lag-monitor', 'service'] as const;
// Under the repository so the bundle's external AWS SDK resolves from node_modules, as it does from the Lambda runtime's.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const work = mkdtempSync(join(root, 'node_modules', '.cache', 'drplane-lambda-build-'));

/** The entries of a zip, read from its local file headers (yazl writes no data descriptors for buffers). */
function entries(zip: Buffer): { name: string; data: Buffer; method: number; dosTime: number; dosDate: number }[] {
  const out = [];
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const method = zip.readUInt16LE(offset + 8);
    const dosTime = zip.readUInt16LE(offset + 10);
    const dosDate = zip.readUInt16LE(offset + 12);
    const compressed = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 30, offset + 30 + nameLength);
    const start = offset + 30 + nameLength + extraLength;
    const raw = zip.subarray(start, start + compressed);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : raw, method, dosTime, dosDate });
    offset = start + compressed;
  }
  return out;
}

async function build(dir: string): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [join(root, 'scripts/build-lambda.mjs'), '--out-dir', dir, '--check'], {
      cwd: root,
    });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: `${e.stdout ?? ''}${e.stderr ?? ''}`, code: e.code ?? 1 };
  }
}

let moto: MotoServer;
let built: { stdout: string; code: number };

beforeAll(async () => {
  [built, moto] = await Promise.all([build(join(work, 'a')), startMoto()]);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('lambda build', { timeout: 30_000 }, () => {
  it('`build-lambda.mjs --check` passes and the committed manifest and artifacts module describe the zips', () => {
    expect(built.code, built.stdout).toBe(0);
    const manifest: Record<string, { sha256: string; bytes: number }> = {};
    for (const name of HANDLERS) {
      const a = readFileSync(join(work, 'a', `${name}.zip`));
      manifest[name] = { sha256: createHash('sha256').update(a).digest('hex'), bytes: a.length };
    }
    const committed = readFileSync(join(root, 'lambda/artifacts.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
    expect(LAMBDA_ARTIFACTS).toEqual(manifest);
    expect(lambdaArtifactKey('service')).toBe(`lambda/service/${manifest.service?.sha256}.zip`);
  });

  it('each zip holds exactly index.mjs, deflated, dated 1980-01-01, with no build paths inside', () => {
    for (const name of HANDLERS) {
      const files = entries(readFileSync(join(work, 'a', `${name}.zip`)));
      expect(files.map((f) => f.name)).toEqual(['index.mjs']);
      const [file] = files;
      expect(file?.method).toBe(8);
      expect(file?.dosDate).toBe((0 << 9) | (1 << 5) | 1); // 1980-01-01
      expect(file?.dosTime).toBe(0);
      const code = file?.data.toString('utf8') ?? '';
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(code).not.toContain(root);
      expect(code).not.toContain('sourceMappingURL');
    }
  });

  it('the bundled service runs: its /health answers 200 from moto', async () => {
    useMoto(moto.endpoint);
    const table = `bundle-smoke-${process.pid}`;
    await new DynamoDBClient({ region: 'eu-west-1' }).send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const [file] = entries(readFileSync(join(work, 'a', 'service.zip')));
    const entry = join(work, 'service-index.mjs');
    writeFileSync(entry, file?.data ?? '');
    const bundled = (await import(/* @vite-ignore */ pathToFileURL(entry).href)) as {
      createServiceHandler: (o: object) => (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const handler = bundled.createServiceHandler({
      env: {
        AWS_REGION: 'eu-west-1',
        DRPLANE_ROLE: 'secondary',
        DRPLANE_TABLE_NAME: table,
        DRPLANE_TABLE_KEY: '{"hash":{"name":"id","type":"S"}}',
        DRPLANE_ENVIRONMENT: 'smoke',
      },
      logSink: () => {},
    });
    const res = await handler(httpEvent('GET', '/health'), lambdaContext());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      region: 'eu-west-1',
      role: 'secondary',
      checks: { table: { ok: true }, secret: { status: 'skipped' } },
    });
  });
});
