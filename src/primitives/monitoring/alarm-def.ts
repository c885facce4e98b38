/**
 * The shape of XDRMonitoring's metric alarms before their topic is known, shared by monitoring's own alarms (alarms.ts)
 * and those a watched primitive adds through its `watch` hook (src/primitives/types.ts Watch). No imports: a
 * primitive's folder may import it without reaching monitoring's composition.
 */

/** One metric alarm, before its topic is known. */
export interface AlarmDef {
  readonly key: string;
  readonly region: string;
  readonly logical: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: 'Maximum' | 'Minimum' | 'Sum';
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly treatMissingData: 'missing' | 'notBreaching' | 'breaching';
  /**
   * A Metrics Insights query the alarm evaluates instead of the metric (`statistic` and `dimensions` then only
   * describe it): for a metric whose published dimension set is not pinned (auroraLagQuery).
   */
  readonly query?: string;
}

/**
 * The test of an alarm on what a drplane Lambda publishes every run: it fires when every datapoint of each of its
 * periods was above 0 (the Minimum), and a period without data is `missing` (alarms.ts readinessReportAlarm says why).
 */
export const EVERY_RUN_ABOVE_ZERO = {
  statistic: 'Minimum',
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'missing',
} as const;
