/**
 * Shared modules: the environment contract, env readers, logger, ARN parsing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArn } from '../../lambda/shared/arn.js';
import { COMMON_ENV, FAILOVER_ENV, LAG_MONITOR_ENV, SERVICE_ENV } from '../../lambda/shared/env-contract.js';
import { ConfigError, optionalJson, positiveNumber, requireOneOf, requireString } from '../../lambda/shared/env.js';
import { createLogger } from '../../lambda/shared/logger.js';
import { captureLogs } from './support/lambda.js';

describe('env contract', () => {
  it('imports nothing, so composition code can use it without the AWS SDK', () => {
    for (const file of ['env-contract.ts', 'metrics-contract.ts']) {
      const text = readFileSync(new URL(`../../lambda/shared/${file}`, import.meta.url), 'utf8');
      const imports = text.split('\n').filter((l) => /^\s*(import|export .* from)\b/.test(l));
      expect(imports.every((l) => /^import type .* from ["']\.\/env-contract\.js["'];$/.test(l))).toBe(true);
    }
  });

  it('names the variables the handlers read', () => {
    expect(Object.values(COMMON_ENV)).toEqual(['AWS_REGION', 'AWS_ENDPOINT_URL']);
    expect(Object.values(SERVICE_ENV)).toEqual([
      'DRPLANE_ROLE',
      'DRPLANE_TABLE_NAME',
      'DRPLANE_TABLE_KEY',
      'DRPLANE_DB_SECRET_ARN',
      'DRPLANE_ENVIRONMENT',
      'DRPLANE_DB_ENDPOINT',
      'DRPLANE_DB_ENGINE',
    ]);
    expect(Object.values(LAG_MONITOR_ENV)).toEqual([
      'DRPLANE_PRIMARY_REGION',
      'DRPLANE_STORES',
      'DRPLANE_TOPIC_ARN',
      'DRPLANE_LAG_THRESHOLD_SECONDS',
      'DRPLANE_S3_LAG_THRESHOLD_SECONDS',
      'DRPLANE_GLOBAL_CLUSTER_ID',
      'DRPLANE_STATE_PARAMETER_PREFIX',
      'DRPLANE_STATE_KEY_ARN',
      'DRPLANE_READINESS_CELL',
      'DRPLANE_REPORT_TAGS',
      'DRPLANE_EKS_CLUSTER',
      'DRPLANE_EKS_NODEGROUP',
      'DRPLANE_EKS_NODEGROUP_MINIMUM',
      'DRPLANE_ESTATE',
    ]);
    expect(Object.values(FAILOVER_ENV)).toEqual([
      'DRPLANE_REGIONS',
      'DRPLANE_GLOBAL_CLUSTER_ID',
      'DRPLANE_CLUSTER_ARNS',
      'DRPLANE_HOSTED_ZONE_ID',
      'DRPLANE_RECORD_NAME',
      'DRPLANE_HEALTH_URLS',
      'DRPLANE_HEALTH_CHECK_IDS',
      'DRPLANE_ROUTING_POLICY',
      'DRPLANE_DB_ENDPOINTS',
      'DRPLANE_TOPIC_ARN',
      'DRPLANE_OPERATIONS_ROLE_ARN',
      'DRPLANE_EXTERNAL_ID_PARAMETER',
      'DRPLANE_DEADLINE_SECONDS',
      'DRPLANE_POLL_SECONDS',
      'DRPLANE_STATE_MACHINE_ARN',
      'DRPLANE_STATE_MACHINE_ARNS',
      'DRPLANE_TRIGGER_ALARM',
      'DRPLANE_LAG_METRIC',
      'DRPLANE_RPO_GUARD_MS',
      'DRPLANE_ROUTING_CONTROL',
      'DRPLANE_ARC_ENDPOINTS',
      'DRPLANE_ARC_CONTROLS',
      'DRPLANE_ARC_WAIT_MS',
      'DRPLANE_NODE_GROUPS',
      'DRPLANE_ESTATE',
    ]);
  });
});

describe('env readers', () => {
  it('name the variable and say what to write', () => {
    expect(() => requireString({}, 'X_NAME', 'a table name')).toThrow(
      new ConfigError('X_NAME', 'is not set; expected a table name'),
    );
    expect(() => requireString({ X_NAME: '  ' }, 'X_NAME', 'a table name')).toThrow('X_NAME: is not set');
    expect(requireString({ X_NAME: ' t1 ' }, 'X_NAME', 'a table name')).toBe('t1');
    expect(() => requireOneOf({ R: 'leader' }, 'R', ['primary', 'secondary'])).toThrow(
      'R: is "leader"; expected one of primary, secondary',
    );
    expect(positiveNumber({}, 'N', 7)).toBe(7);
    expect(positiveNumber({ N: '0.5' }, 'N', 7)).toBe(0.5);
    expect(() => positiveNumber({ N: 'abc' }, 'N', 7)).toThrow('N: is "abc"; expected a number greater than 0');
    expect(optionalJson({}, 'J', '{}', (v) => v)).toBeUndefined();
    expect(() => optionalJson({ J: '{' }, 'J', '{"a":1}', (v) => v)).toThrow('J: is not valid JSON; expected JSON like {"a":1}');
  });
});

describe('logger', () => {
  it('writes one JSON object per line with its bound fields, and redacts secret-looking keys', () => {
    const logs = captureLogs();
    const log = createLogger({ requestId: 'r1', region: 'us-east-1' }, logs.sink).child({ step: 'x' });
    log.info('hello\nworld', { externalId: 'e-123', nested: { password: 'p', keep: 1 }, sessionToken: 't' });
    expect(logs.raw).toHaveLength(1);
    expect(logs.raw[0]).not.toMatch(/\n/);
    const [record] = logs.records();
    expect(record).toMatchObject({
      level: 'info',
      msg: 'hello\nworld',
      requestId: 'r1',
      region: 'us-east-1',
      step: 'x',
      externalId: '[redacted]',
      nested: { password: '[redacted]', keep: 1 },
      sessionToken: '[redacted]',
    });
    expect(logs.raw[0]).not.toContain('e-123');
  });
});

describe('parseArn', () => {
  it('splits ARNs, keeping colons in the resource', () => {
    expect(parseArn('arn:aws:rds:us-west-2:111122223333:cluster:db-1')).toEqual({
      partition: 'aws',
      service: 'rds',
      region: 'us-west-2',
      account: '111122223333',
      resource: 'cluster:db-1',
    });
    expect(parseArn('arn:aws:iam::111122223333:role/x')?.region).toBe('');
    expect(parseArn('arn:aws-cn:sns:cn-north-1:111122223333:t')?.partition).toBe('aws-cn');
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(parseArn('arn:aws:sns:us-east-1:1')).toBeUndefined();
  });
});
