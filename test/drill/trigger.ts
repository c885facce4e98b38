/**
 * FAKE: what CloudWatch and EventBridge do between the probe and the starter, which moto 5.2.5 does not: it stores
 * metric alarms but never evaluates them, has no PutCompositeAlarm, and its EventBridge does not deliver to Lambda.
 * This module plays them for the rendered trigger (src/compose/failover-trigger.ts), with CloudWatch's documented
 * semantics for the subset the trigger uses:
 *
 * - a metric alarm reads one metric with exactly its dimension set (CloudWatch matches dimension sets exactly: a
 *   metric published with more dimensions is another metric), or a Metrics Insights query
 *   `SELECT MAX|MIN(<metric>) FROM "<namespace>" WHERE <dim> = '<value>'` (every dimension set that has that
 *   dimension, aggregated); it evaluates the last `evaluationPeriods` periods ending now and goes to ALARM when at
 *   least `datapointsToAlarm` breach; missing periods follow `treatMissingData` (notBreaching: good; missing: only
 *   the periods with data count, none at all is INSUFFICIENT_DATA);
 * - a composite alarm's rule of ALARM("…"), OK("…"), NOT, AND, OR and parentheses over those states;
 * - the rule's event pattern (exact values in arrays, nested objects) against the alarm's "CloudWatch Alarm State
 *   Change" event, and the target's input transformer (`<name>` placeholders from `$.path` input paths).
 *
 * Data points come from moto's CloudWatch (what the probe published); states are written back into moto
 * (SetAlarmState), where the orchestrator's check-trigger step reads the trigger alarm. The composite is stored in moto
 * through PutMetricAlarm with an AlarmRule, which moto's parser keeps and describes as a composite alarm.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type Dimension,
} from '@aws-sdk/client-cloudwatch';
import { fp } from '../compose/helpers.js';
import { queryCall } from '../lambda/support/aws.js';
import type { Manifest } from '../../src/compose/types.js';

/** An alarm's state. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

type Params = Record<string, unknown>;

/** The alarm name of a rendered alarm (its external name). */
export const alarmNameOf = (m: Manifest): string =>
  (m.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name']!;

const compare = (op: string, value: number, threshold: number): boolean => {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      throw new Error(`alarm evaluator: unsupported comparisonOperator ${op}`);
  }
};

const sameDimensions = (a: readonly Dimension[], b: Record<string, string>): boolean =>
  a.length === Object.keys(b).length && a.every((d) => b[d.Name!] === d.Value);

/** What one alarm reads: metrics (exact dimension sets) and how their values combine per period. */
interface Reading {
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: 'Minimum' | 'Maximum';
  /** Which published dimension sets count. */
  readonly matches: (dims: readonly Dimension[]) => boolean;
  readonly period: number;
}

const INSIGHTS = /^SELECT (MAX|MIN)\((\w+)\) FROM "([^"]+)" WHERE (\w+) = '([^']*)'$/;

function readingOf(p: Params): Reading {
  if (Array.isArray(p.metricQuery)) {
    const queries = p.metricQuery as Params[];
    if (queries.length !== 1 || typeof queries[0]!.expression !== 'string')
      throw new Error('alarm evaluator: only a single Metrics Insights query is supported');
    const m = INSIGHTS.exec(queries[0]!.expression as string);
    if (m === null) throw new Error(`alarm evaluator: unsupported query ${String(queries[0]!.expression)}`);
    const [, agg, metricName, namespace, dim, value] = m;
    return {
      namespace: namespace!,
      metricName: metricName!,
      stat: agg === 'MAX' ? 'Maximum' : 'Minimum',
      matches: (dims) => dims.some((d) => d.Name === dim && d.Value === value),
      period: Number(queries[0]!.period),
    };
  }
  const dims = (p.dimensions ?? {}) as Record<string, string>;
  if (p.statistic !== 'Minimum' && p.statistic !== 'Maximum')
    throw new Error(`alarm evaluator: unsupported statistic ${String(p.statistic)}`);
  return {
    namespace: String(p.namespace),
    metricName: String(p.metricName),
    stat: p.statistic,
    matches: (d) => sameDimensions(d, dims),
    period: Number(p.period),
  };
}

/**
 * Evaluates a rendered metric alarm at `now` against the data points in moto's CloudWatch of `region`: one GetMetricData
 * call over the whole evaluation range (periods aligned to its start), each matching series a query, combined per
 * period with the alarm's statistic.
 */
export async function evaluateMetricAlarm(cw: CloudWatchClient, p: Params, now: Date): Promise<AlarmState> {
  const r = readingOf(p);
  const listed = await cw.send(new ListMetricsCommand({ Namespace: r.namespace, MetricName: r.metricName }));
  const series = (listed.Metrics ?? []).filter((m) => r.matches(m.Dimensions ?? []));
  const periods = Number(p.evaluationPeriods);
  const needed = Number(p.datapointsToAlarm ?? periods);
  // values[i]: the period ending i periods before now (0 = the newest).
  const values: (number | undefined)[] = Array.from({ length: periods }, () => undefined);
  // Whole seconds, as CloudWatch (and moto) align the periods.
  const end = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const start = new Date(end.getTime() - periods * r.period * 1000);
  if (series.length > 0) {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: series.map((s, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: { Namespace: r.namespace, MetricName: r.metricName, Dimensions: s.Dimensions },
            Period: r.period,
            Stat: r.stat,
          },
        })),
      }),
    );
    for (const result of out.MetricDataResults ?? []) {
      (result.Timestamps ?? []).forEach((t, j) => {
        const v = result.Values?.[j];
        const k = Math.floor((t.getTime() - start.getTime()) / (r.period * 1000));
        const i = periods - 1 - k;
        if (v === undefined || i < 0 || i >= periods) return;
        const old = values[i];
        values[i] = old === undefined ? v : r.stat === 'Maximum' ? Math.max(old, v) : Math.min(old, v);
      });
    }
  }
  const threshold = Number(p.threshold);
  const op = String(p.comparisonOperator);
  const present = values.filter((v): v is number => v !== undefined);
  const breaching = present.filter((v) => compare(op, v, threshold)).length;
  switch (String(p.treatMissingData ?? 'missing')) {
    case 'notBreaching':
      return breaching >= needed ? 'ALARM' : 'OK';
    case 'breaching':
      return breaching + (periods - present.length) >= needed ? 'ALARM' : 'OK';
    case 'missing':
      // Only the periods with data count; none at all is INSUFFICIENT_DATA.
      if (present.length === 0) return 'INSUFFICIENT_DATA';
      return breaching >= Math.min(needed, present.length) ? 'ALARM' : 'OK';
    default:
      throw new Error(`alarm evaluator: unsupported treatMissingData ${String(p.treatMissingData)}`);
  }
}

/** Evaluates a composite alarm rule over the member states. */
export function evaluateRule(rule: string, states: Readonly<Record<string, AlarmState>>): boolean {
  const tokens = rule.match(/(ALARM|OK|INSUFFICIENT_DATA)\("[^"]+"\)|AND|OR|NOT|\(|\)/g) ?? [];
  let i = 0;
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === 'NOT') return !primary();
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error(`alarm evaluator: unbalanced parentheses in ${rule}`);
      return v;
    }
    const m = /^(ALARM|OK|INSUFFICIENT_DATA)\("([^"]+)"\)$/.exec(t ?? '');
    if (m === null) throw new Error(`alarm evaluator: unexpected ${String(t)} in ${rule}`);
    const state = states[m[2]!];
    if (state === undefined) throw new Error(`alarm evaluator: ${rule} names ${m[2]}, which does not exist`);
    return state === m[1];
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[i] === 'AND') {
      i++;
      const w = primary();
      v = v && w;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === 'OR') {
      i++;
      const w = and();
      v = v || w;
    }
    return v;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`alarm evaluator: trailing tokens in ${rule}`);
  return result;
}

/** EventBridge's exact-value pattern matching (arrays of allowed values, nested objects). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((v) => v === event);
  if (typeof pattern !== 'object' || pattern === null) throw new Error('event pattern: unsupported leaf');
  if (typeof event !== 'object' || event === null) return false;
  return Object.entries(pattern).every(([k, v]) => matchesPattern(v, (event as Params)[k]));
}

/** The target's input for `event` through its input transformer. */
export function transformInput(
  transformer: { inputPaths: Record<string, string>; inputTemplate: string },
  event: Params,
): unknown {
  let text = transformer.inputTemplate;
  for (const [name, path] of Object.entries(transformer.inputPaths)) {
    if (!/^\$(\.\w+)+$/.test(path)) throw new Error(`input transformer: unsupported path ${path}`);
    const value = path
      .slice(2)
      .split('.')
      .reduce<unknown>((v, key) => (typeof v === 'object' && v !== null ? (v as Params)[key] : undefined), event);
    if (value === undefined) throw new Error(`input transformer: the event has no ${path}`);
    text = text.split(`<${name}>`).join(String(value));
  }
  return JSON.parse(text);
}

/** The rendered trigger of the standby region, played against moto. */
export interface PlayedTrigger {
  /** Creates the alarms in moto (composite as a metric alarm with an AlarmRule, see above). */
  install(): Promise<void>;
  /**
   * Evaluates every alarm at `now`, writes the states into moto, and when the trigger alarm enters ALARM returns the
   * request EventBridge would deliver to the orchestrator (pattern matched, input transformed).
   */
  evaluate(now: Date): Promise<{ states: Record<string, AlarmState>; delivered?: unknown }>;
}

/** Plays the trigger made of the rendered member metric alarms, the `alarm` (composite), `rule` and `target`. */
export function playTrigger(
  motoEndpoint: string,
  region: string,
  r: { members: readonly Manifest[]; alarm: Manifest; rule: Manifest; target: Manifest },
): PlayedTrigger {
  const cw = new CloudWatchClient({ region, endpoint: motoEndpoint });
  const metricAlarms = r.members;
  const trigger = alarmNameOf(r.alarm);
  let previous: AlarmState = 'INSUFFICIENT_DATA';
  // Stamped with the evaluation's (virtual) time through the moto launcher's drplane.at (support/moto_server.py), so
  // the alarm's StateTransitionedTimestamp, which the probe's re-driver reads, is the time the delivered event names.
  const set = (name: string, state: AlarmState, why: string, at: Date) =>
    cw.send(
      new SetAlarmStateCommand({
        AlarmName: name,
        StateValue: state,
        StateReason: why,
        StateReasonData: JSON.stringify({ 'drplane.at': at.toISOString() }),
      }),
    );
  return {
    async install() {
      for (const m of metricAlarms) {
        const p = fp(m);
        await cw.send(
          new PutMetricAlarmCommand({
            AlarmName: alarmNameOf(m),
            AlarmDescription: p.alarmDescription,
            ComparisonOperator: p.comparisonOperator,
            EvaluationPeriods: p.evaluationPeriods,
            DatapointsToAlarm: p.datapointsToAlarm,
            Threshold: p.threshold,
            TreatMissingData: p.treatMissingData,
            ...(Array.isArray(p.metricQuery)
              ? {
                  Metrics: (p.metricQuery as Params[]).map((q) => ({
                    Id: String(q.id),
                    Expression: String(q.expression),
                    Period: Number(q.period),
                    ReturnData: q.returnData === true,
                  })),
                }
              : {
                  Namespace: p.namespace,
                  MetricName: p.metricName,
                  Dimensions: Object.entries(p.dimensions as Record<string, string>).map(([Name, Value]) => ({ Name, Value })),
                  Statistic: p.statistic,
                  Period: p.period,
                }),
          }),
        );
      }
      await queryCall(motoEndpoint, 'monitoring', region, {
        Action: 'PutMetricAlarm',
        Version: '2010-08-01',
        AlarmName: trigger,
        AlarmRule: String(fp(r.alarm).alarmRule),
        AlarmDescription: String(fp(r.alarm).alarmDescription),
      });
    },
    async evaluate(now) {
      const states: Record<string, AlarmState> = {};
      for (const m of metricAlarms) {
        states[alarmNameOf(m)] = await evaluateMetricAlarm(cw, fp(m), now);
        await set(alarmNameOf(m), states[alarmNameOf(m)]!, 'drill evaluation', now);
      }
      const state: AlarmState = evaluateRule(String(fp(r.alarm).alarmRule), states) ? 'ALARM' : 'OK';
      states[trigger] = state;
      // Written on a transition only: moto keeps no StateTransitionedTimestamp and moves StateUpdatedTimestamp on every
      // write, so its StateUpdatedTimestamp stays the transition's time, as CloudWatch's StateTransitionedTimestamp.
      if (state !== previous) await set(trigger, state, `drill evaluation of ${String(fp(r.alarm).alarmRule)}`, now);
      const entered = state === 'ALARM' && previous !== 'ALARM';
      previous = state;
      if (!entered) return { states };
      // The state's timestamp as CloudWatch writes it into the event (offset +0000): the evaluation's (virtual) time,
      // on the clock the probe's metrics carry (moto stamps the alarm's StateUpdatedTimestamp with real time).
      const transitioned = now;
      const event = {
        version: '0',
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        region,
        time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        detail: {
          alarmName: trigger,
          state: { value: 'ALARM', timestamp: transitioned.toISOString().replace('Z', '+0000') },
          previousState: { value: 'OK' },
        },
      };
      if (!matchesPattern(JSON.parse(String(fp(r.rule).eventPattern)), event)) return { states };
      const transformer = fp(r.target).inputTransformer as { inputPaths: Record<string, string>; inputTemplate: string };
      return { states, delivered: transformInput(transformer, event) };
    },
  };
}
