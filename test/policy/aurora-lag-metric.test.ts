/** The Aurora lag metric rule: which metric a global database's secondaries publish, by engine and version. */
import { describe, expect, it } from 'vitest';
import { auroraLagMetric } from '../../src/policy/aurora-lag-metric.js';

describe('auroraLagMetric', () => {
  it.each([
    ['aurora-postgresql', '11.9', 'AuroraGlobalDBRPOLag'],
    ['aurora-postgresql', '16.6', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.03.3', 'AuroraGlobalDBReplicationLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.01.0', 'AuroraGlobalDBReplicationLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.04.0', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.08.2', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.10.0', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '5.7.mysql_aurora.2.11.6', 'AuroraGlobalDBReplicationLag'],
    ['aurora-mysql', '5.7.mysql_aurora.2.07.0', 'AuroraGlobalDBReplicationLag'],
    ['aurora-mysql', '5.7.mysql_aurora.2.12.0', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '5.7.mysql_aurora.2.12.1', 'AuroraGlobalDBRPOLag'],
  ] as const)('%s %s publishes %s', (engine, version, metric) => {
    expect(auroraLagMetric(engine, version)).toBe(metric);
  });
});
