/** XDRMonitoring's names: its purpose, the alert topics' keys and regions, the estate-at-risk alarm's name. */
import type { DRMonitoringSpec } from './schema.js';
import type { ComposeContext } from '../../compose/context.js';
import { MONITORING, topicKey } from '../../compose/lag-monitor.js';

export { MONITORING, topicKey };
/** The only region with Route 53 health-check metrics. */
export const HEALTH_METRICS_REGION = 'us-east-1';
/** Name of the estate-at-risk composite alarm (a notification: automatic failover has its own trigger, failover-trigger.ts). */
export const compositeAlarmName = (ctx: ComposeContext): string => ctx.namer.name('alarm', 'estate-at-risk', ctx.primary);

/** Regions with an alert topic: the estate's, plus us-east-1 for health-check alarms. */
export function monitoringRegions(ctx: ComposeContext, spec: DRMonitoringSpec): string[] {
  return spec.routing && !ctx.regions.includes(HEALTH_METRICS_REGION) ? [...ctx.regions, HEALTH_METRICS_REGION] : ctx.regions;
}
