/**
 * Validation of the orchestrator's input event. Pure.
 *
 * Unknown keys are refused, so a typo such as `"dryrun": true` cannot turn a rehearsal into a
 * real failover. The one extra key accepted is `tf`, which a Crossplane/Terraform Lambda
 * Invocation with lifecycle scope CRUD adds (`{"tf": {"action": "create"|"update"|"delete"}}`).
 */
import type { FailoverEvent } from '../shared/env-contract.js';
import { REGION_PATTERN, isRecord } from '../shared/env.js';

/** The event is malformed or asks for something the configuration does not allow. */
export class EventError extends Error {
  override readonly name = 'EventError';
}

/** A validated event; `ignore` is set for an Invocation's delete action. */
export interface CheckedEvent extends FailoverEvent {
  readonly dryRun: boolean;
  readonly ignore: boolean;
}

const KEYS = ['targetRegion', 'mode', 'dryRun', 'reason', 'trigger', 'tf'];

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?)(Z|[+-]\d\d:?\d\d)$/;

/**
 * A trigger's time as ISO 8601 in UTC with milliseconds, or undefined when it is not a time. The rule sends the
 * alarm's `detail.state.timestamp` (CloudWatch writes `2026-12-06T10:01:02.345+0000`, an offset without a colon, which
 * `Date.parse` need not accept); the probe's re-driver sends the alarm's transition time from DescribeAlarms. Both
 * normalize to one text, so they name the same execution.
 */
export function normalizeTriggerTime(text: string): string | undefined {
  const m = TIME.exec(text);
  if (m === null) return undefined;
  const offset = m[2] === 'Z' ? 'Z' : `${m[2]!.slice(0, 3)}:${m[2]!.slice(-2)}`;
  // Milliseconds at most: Date keeps no more.
  const [whole, fraction] = m[1]!.split('.');
  const ms = Date.parse(`${whole}${fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function checkTrigger(trigger: unknown): FailoverEvent['trigger'] {
  if (trigger === undefined) return undefined;
  if (
    !isRecord(trigger) ||
    typeof trigger.alarmName !== 'string' ||
    trigger.alarmName === '' ||
    trigger.alarmName.length > 255 ||
    typeof trigger.time !== 'string' ||
    trigger.time.length > 64
  ) {
    throw new EventError('trigger must be {"alarmName": "<alarm of this region>", "time": "<time of its state change>"}');
  }
  const time = normalizeTriggerTime(trigger.time);
  if (time === undefined) {
    throw new EventError(
      `trigger.time is ${JSON.stringify(trigger.time)}; expected an ISO 8601 time such as 2026-12-06T10:01:02.345Z or …+0000`,
    );
  }
  if (trigger.region !== undefined && (typeof trigger.region !== 'string' || !REGION_PATTERN.test(trigger.region))) {
    throw new EventError(`trigger.region is ${JSON.stringify(trigger.region)}; expected the region the trigger found lost`);
  }
  return { alarmName: trigger.alarmName, time, ...(trigger.region === undefined ? {} : { region: trigger.region }) };
}

/** Checks `event` and that its target is one of `regions`. */
export function checkEvent(event: unknown, regions: readonly string[]): CheckedEvent {
  if (!isRecord(event))
    throw new EventError('the event must be a JSON object like {"targetRegion":"us-west-2","mode":"planned"}');
  const unknown = Object.keys(event).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) {
    throw new EventError(
      `unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: targetRegion, mode, dryRun, reason, trigger`,
    );
  }
  const { targetRegion, mode, dryRun, reason, trigger, tf } = event;
  if (typeof targetRegion !== 'string' || !REGION_PATTERN.test(targetRegion)) {
    throw new EventError(`targetRegion is ${JSON.stringify(targetRegion)}; expected one of ${regions.join(', ')}`);
  }
  if (!regions.includes(targetRegion)) {
    throw new EventError(`targetRegion ${targetRegion} is not a region of this estate; expected one of ${regions.join(', ')}`);
  }
  if (mode !== 'planned' && mode !== 'unplanned') {
    throw new EventError(
      `mode is ${JSON.stringify(mode)}; expected "planned" (switchover, no data loss) or "unplanned" (failover, allows data loss)`,
    );
  }
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new EventError('dryRun must be true or false');
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 1000)) {
    throw new EventError('reason must be a string of at most 1000 characters');
  }
  const ignore = isRecord(tf) && tf.action === 'delete';
  const checkedTrigger = checkTrigger(trigger);
  return {
    targetRegion,
    mode,
    dryRun: dryRun ?? false,
    ignore,
    ...(reason === undefined ? {} : { reason }),
    ...(checkedTrigger === undefined ? {} : { trigger: checkedTrigger }),
  };
}
