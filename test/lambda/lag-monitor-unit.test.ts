/**
 * Pure parts of the lag monitor: state transitions, metric sources, dimensions, configuration.
 */
import { describe, expect, it } from 'vitest';
import { loadLagMonitorConfig } from '../../lambda/lag-monitor/config.js';
import { stateParameterName } from '../../lambda/lag-monitor/index.js';
import { lagSource } from '../../lambda/lag-monitor/sources.js';
import { clusterKey } from '../../lambda/lag-monitor/writer.js';
import { parseStoredState, transition, type AlertState, type LagReading } from '../../lambda/lag-monitor/state.js';
import { lagDimensions } from '../../lambda/shared/metrics-contract.js';

const value = (seconds: number): LagReading => ({ kind: 'value', seconds });
const unknown: LagReading = { kind: 'unknown', reason: 'no datapoint' };

describe('transition', () => {
  it.each<[AlertState, LagReading, AlertState, 'breach' | 'recovery' | undefined]>([
    ['ok', value(6), 'breach', 'breach'],
    ['breach', value(60), 'breach', undefined],
    ['breach', value(4), 'ok', 'recovery'],
    ['ok', value(4), 'ok', undefined],
    ['ok', value(5), 'ok', undefined],
    ['breach', value(5), 'ok', 'recovery'],
    ['ok', unknown, 'ok', undefined],
    ['breach', unknown, 'breach', undefined],
  ])('%s with %j → %s, notify %s', (previous, reading, next, notify) => {
    expect(transition(previous, reading, 5)).toEqual({ next, notify });
  });

  it('reads stored state leniently', () => {
    expect(parseStoredState(undefined)).toBe('ok');
    expect(parseStoredState('{"state":"breach","since":"x"}')).toBe('breach');
    expect(parseStoredState('{"state":"ok"}')).toBe('ok');
    expect(parseStoredState('not json')).toBe('ok');
  });
});

describe('metric sources and dimensions', () => {
  it('reads Aurora in its region in ms, DynamoDB in the primary region in ms, S3 in the destination region in s', () => {
    expect(lagSource({ type: 'aurora', region: 'eu-west-1', clusterIdentifier: 'db-1' }, 'us-east-1')).toEqual({
      readRegion: 'eu-west-1',
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBRPOLag',
      // A filter: the reader lists every dimension set carrying it (Aurora's published set is not pinned).
      dimensions: [{ Name: 'DBClusterIdentifier', Value: 'db-1' }],
      toSeconds: 0.001,
      discover: true,
    });
    // Older Aurora MySQL publishes only AuroraGlobalDBReplicationLag: the composition names it.
    expect(
      lagSource(
        { type: 'aurora', region: 'eu-west-1', clusterIdentifier: 'db-1', metric: 'AuroraGlobalDBReplicationLag' },
        'us-east-1',
      ),
    ).toMatchObject({
      readRegion: 'eu-west-1',
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBReplicationLag',
      toSeconds: 1 / 1000,
    });
    expect(lagSource({ type: 'dynamodb', tableName: 't1', receivingRegion: 'eu-west-1' }, 'us-east-1')).toMatchObject({
      readRegion: 'us-east-1',
      namespace: 'AWS/DynamoDB',
      metricName: 'ReplicationLatency',
      dimensions: [
        { Name: 'TableName', Value: 't1' },
        { Name: 'ReceivingRegion', Value: 'eu-west-1' },
      ],
      toSeconds: 0.001,
    });
    // After a failover the estate names the region the table replicates from.
    expect(
      lagSource({ type: 'dynamodb', tableName: 't1', receivingRegion: 'us-east-1', sourceRegion: 'us-west-2' }, 'us-east-1'),
    ).toMatchObject({
      readRegion: 'us-west-2',
      dimensions: [
        { Name: 'TableName', Value: 't1' },
        { Name: 'ReceivingRegion', Value: 'us-east-1' },
      ],
    });
    expect(
      lagSource(
        { type: 's3', sourceBucket: 'a1', destinationBucket: 'b1', ruleId: 'r', region: 'us-east-2', sourceRegion: 'us-west-1' },
        'us-east-1',
      ),
    ).toMatchObject({
      // ReplicationLatency is published in the destination bucket's region.
      readRegion: 'us-east-2',
      namespace: 'AWS/S3',
      dimensions: [
        { Name: 'SourceBucket', Value: 'a1' },
        { Name: 'DestinationBucket', Value: 'b1' },
        { Name: 'RuleId', Value: 'r' },
      ],
      toSeconds: 1,
    });
  });

  it('names the replica and its region', () => {
    expect(lagDimensions({ type: 'dynamodb', tableName: 't1', receivingRegion: 'eu-west-1' })).toEqual({
      Store: 't1',
      StoreType: 'dynamodb',
      Region: 'eu-west-1',
    });
    expect(lagDimensions({ type: 's3', sourceBucket: 'a1', destinationBucket: 'b1', ruleId: 'r', region: 'us-east-1' })).toEqual({
      Store: 'b1',
      StoreType: 's3',
      Region: 'us-east-1',
    });
    expect(
      lagDimensions({
        type: 's3',
        sourceBucket: 'a1',
        destinationBucket: 'b1',
        ruleId: 'r',
        region: 'eu-west-1',
        sourceRegion: 'us-east-1',
      }).Region,
    ).toBe('eu-west-1');
    expect(stateParameterName('/drplane/prod/lag', { Store: 'db-1', StoreType: 'aurora', Region: 'eu-west-1' })).toBe(
      '/drplane/prod/lag/aurora/db-1/eu-west-1',
    );
  });
});

describe('lag monitor configuration', () => {
  const good = {
    AWS_REGION: 'us-east-1',
    DRPLANE_PRIMARY_REGION: 'us-east-1',
    DRPLANE_STORES: '[{"type":"aurora","region":"us-west-2","clusterIdentifier":"db-usw2"}]',
    DRPLANE_TOPIC_ARN: 'arn:aws:sns:us-west-2:111122223333:alerts',
    DRPLANE_LAG_THRESHOLD_SECONDS: '5',
    DRPLANE_STATE_PARAMETER_PREFIX: '/drplane/prod/lag',
    DRPLANE_STATE_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/0000',
    DRPLANE_ESTATE: 'e1ab2c3d',
  };

  it("reads a valid environment, taking the topic's region from its ARN", () => {
    expect(loadLagMonitorConfig(good)).toMatchObject({
      region: 'us-east-1',
      topicRegion: 'us-west-2',
      thresholdSeconds: 5,
      estate: 'e1ab2c3d',
    });
    const older =
      '[{"type":"aurora","region":"us-west-2","clusterIdentifier":"db-usw2","metric":"AuroraGlobalDBReplicationLag"}]';
    expect(loadLagMonitorConfig({ ...good, DRPLANE_STORES: older }).stores).toEqual([
      { type: 'aurora', region: 'us-west-2', clusterIdentifier: 'db-usw2', metric: 'AuroraGlobalDBReplicationLag' },
    ]);
  });

  it('gives S3 the 15 minutes of Replication Time Control unless the general threshold or its own is larger', () => {
    expect(loadLagMonitorConfig(good).s3ThresholdSeconds).toBe(900);
    expect(loadLagMonitorConfig({ ...good, DRPLANE_LAG_THRESHOLD_SECONDS: '1200' }).s3ThresholdSeconds).toBe(1200);
    expect(loadLagMonitorConfig({ ...good, DRPLANE_S3_LAG_THRESHOLD_SECONDS: '600' }).s3ThresholdSeconds).toBe(600);
    expect(loadLagMonitorConfig(good).globalClusterId).toBeUndefined();
    expect(loadLagMonitorConfig({ ...good, DRPLANE_GLOBAL_CLUSTER_ID: 'gdb-prod' }).globalClusterId).toBe('gdb-prod');
  });

  it('names the writer cluster by region and identifier from its ARN', () => {
    expect(clusterKey('arn:aws:rds:us-west-2:111122223333:cluster:db-usw2')).toBe('us-west-2/db-usw2');
    expect(clusterKey('arn:aws:rds:us-west-2:111122223333:db:db-usw2-1')).toBeUndefined();
  });

  it.each([
    [{ DRPLANE_PRIMARY_REGION: undefined }, 'DRPLANE_PRIMARY_REGION: is not set'],
    [{ DRPLANE_STORES: '[{' }, 'DRPLANE_STORES: is not valid JSON'],
    [{ DRPLANE_STORES: '{}' }, 'DRPLANE_STORES: must be a JSON array'],
    [{ DRPLANE_STORES: '[{"type":"redis"}]' }, 'DRPLANE_STORES: entry 0 has type "redis"'],
    [
      { DRPLANE_STORES: '[{"type":"dynamodb","tableName":"tx1","receivingRegion":"us-east-1","sourceRegion":"west"}]' },
      'DRPLANE_STORES: entry 0 field "sourceRegion" is "west"',
    ],
    [
      { DRPLANE_STORES: '[{"type":"dynamodb","tableName":"tx1","receivingRegion":"mars-1"}]' },
      'DRPLANE_STORES: entry 0 field "receivingRegion" is "mars-1"',
    ],
    [
      { DRPLANE_STORES: '[{"type":"s3","sourceBucket":"A","destinationBucket":"b1b","ruleId":"r","region":"us-east-1"}]' },
      'entry 0 field "sourceBucket"',
    ],
    [
      {
        DRPLANE_STORES:
          '[{"type":"aurora","region":"us-west-2","clusterIdentifier":"x"},{"type":"aurora","region":"us-west-2","clusterIdentifier":"x"}]',
      },
      'DRPLANE_STORES: entry 1 repeats store aurora/x/us-west-2',
    ],
    [
      {
        DRPLANE_STORES:
          '[{"type":"s3","sourceBucket":"a1b","destinationBucket":"b1b","ruleId":"r","region":"us-east-1","destinationRegion":"us-west-2"}]',
      },
      'DRPLANE_STORES: entry 0 field "destinationRegion" is no longer accepted; set "region" to the destination bucket\'s region',
    ],
    [
      { DRPLANE_STORES: '[{"type":"aurora","region":"us-west-2","clusterIdentifier":"x","metric":"CPUUtilization"}]' },
      'DRPLANE_STORES: entry 0 field "metric" is "CPUUtilization"; expected "AuroraGlobalDBRPOLag" or "AuroraGlobalDBReplicationLag"',
    ],
    [{ DRPLANE_TOPIC_ARN: 'alerts' }, 'DRPLANE_TOPIC_ARN: is not an SNS topic ARN'],
    [{ DRPLANE_ESTATE: undefined }, 'DRPLANE_ESTATE: is not set; expected the estate id'],
    [{ DRPLANE_ESTATE: 'e12345678' }, 'DRPLANE_ESTATE: is "e12345678"; expected the estate id (e and 7 hex digits'],
    [{ DRPLANE_LAG_THRESHOLD_SECONDS: '0' }, 'DRPLANE_LAG_THRESHOLD_SECONDS: is "0"; expected a number greater than 0'],
    [{ DRPLANE_LAG_THRESHOLD_SECONDS: 'five' }, 'DRPLANE_LAG_THRESHOLD_SECONDS'],
    [{ DRPLANE_STATE_PARAMETER_PREFIX: 'drplane/lag/' }, 'DRPLANE_STATE_PARAMETER_PREFIX: is'],
    [{ DRPLANE_STATE_KEY_ARN: 'alias/aws/ssm' }, 'DRPLANE_STATE_KEY_ARN: is not a KMS key ARN'],
    [{ DRPLANE_STATE_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:alias/x' }, 'DRPLANE_STATE_KEY_ARN: is not a KMS key ARN'],
    [{ DRPLANE_S3_LAG_THRESHOLD_SECONDS: '-1' }, 'DRPLANE_S3_LAG_THRESHOLD_SECONDS: is "-1"; expected a number greater than 0'],
    [
      { DRPLANE_GLOBAL_CLUSTER_ID: 'gdb prod' },
      'DRPLANE_GLOBAL_CLUSTER_ID: is "gdb prod"; expected an Aurora global cluster identifier',
    ],
  ])('refuses %j', (override, message) => {
    expect(() => loadLagMonitorConfig({ ...good, ...override })).toThrow(message);
  });
});
