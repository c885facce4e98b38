/**
 * What SSM reports as a SecureString parameter's KeyId when it was written with a KMS key ARN (audit-17 L5): the form
 * src/primitives/failover/external-id.ts relies on. Checked against moto (the server the Lambda tests run), which
 * echoes the key id as it was given; terraform-provider-aws's acceptance test TestAccSSMParameter_Secure_key expects
 * the same of AWS (key_id "alias/…" read back as "alias/…").
 */
import { DescribeParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMoto, type MotoServer } from './support/moto.js';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

it('DescribeParameters reports the KMS key ARN a SecureString was put with, in the same form', async () => {
  const config = {
    region: 'us-west-2',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  // KMS CreateKey over its JSON protocol (the repository has no KMS client; moto reads the region from the scope).
  const created = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.CreateKey',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261207/us-west-2/kms/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({ Description: 'failover' }),
  });
  expect(created.status).toBe(200);
  const keyArn = ((await created.json()) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
  expect(keyArn).toMatch(/^arn:aws:kms:us-west-2:\d{12}:key\/[0-9a-f-]{36}$/);
  const ssm = new SSMClient(config);
  await ssm.send(
    new PutParameterCommand({ Name: '/drplane/orders/external-id', Type: 'SecureString', Value: 'x', KeyId: keyArn }),
  );
  const described = await ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/drplane/orders/external-id'] }] }),
  );
  expect(described.Parameters?.map((p) => p.KeyId)).toEqual([keyArn]);
});
