/**
 * XDRMonitoring: alerts that reach someone, alarms that always have actions (seed 003), a composite
 * estate-at-risk alarm, one cross-region dashboard, and the replication-lag monitor.
 *
 * - An SNS alert topic in every estate region, and in us-east-1 when the estate has Route 53 health
 *   checks (their metrics exist only there), each KMS-encrypted with a monitoring key. The key is
 *   created with the default key policy; once its ARN is observed (it carries the account id) its
 *   policy adds what CloudWatch needs to publish alarm notifications to an encrypted topic. Every
 *   alertEmails address is subscribed (protocol email: each address confirms once per topic).
 * - Metric alarms, each with alarmActions and okActions = the SNS topic ARN of its region, as
 *   strings (the provider's alarmActionsRefs point at autoscaling policies, not SNS), emitted once
 *   the topic ARN is observed: Aurora lag (auroraLagMetricOf) per member cluster (in its region: the
 *   metric comes from whichever clusters are secondaries, so after a failover the old primary's is
 *   watched), DynamoDB ReplicationLatency per table from every region to every other (in the source
 *   region) and per bucket rule of every region S3 ReplicationLatency (in the destination region) and
 *   OperationsFailedReplication (in the source region): tables are multi-writer and buckets replicate
 *   both ways, so replication from the new active region is alarmed after a failover; Lambda Errors and Throttles of the service per
 *   region, Route 53 HealthCheckStatus per health check (in us-east-1).
 * - The estate-at-risk composite alarm lives in the primary region and covers the primary region's
 *   alarms only: a composite alarm can only reference alarms of its own region, so the Aurora RPO
 *   alarms (secondary regions) and, unless the primary is us-east-1, the health-check alarms notify
 *   on their own but are not part of it.
 * - The dashboard (primary region) shows every region through per-metric `region` properties.
 * - The lag monitor (lambda/lag-monitor) runs in every estate region, each watching what its region
 *   observes (lag-monitor.ts), with an Errors alarm of its own in its region, and with ARC readiness checks an alarm
 *   on its readiness report's failures (drplane/ReadinessReportErrors, alarms.ts).
 *
 * The replicated stores and their metrics come from one catalogue (src/compose/replicated-stores.ts). This module
 * assembles names.ts, topics.ts (keys, topics, subscriptions), alarms.ts (metric alarms, estate at risk),
 * dashboard.ts, and what each watched primitive adds through its watch hook (watches.ts: kubernetes' node-group alarms,
 * failed-launch rules and lag-monitor reads, src/primitives/kubernetes/watch.ts).
 */
import type { DRMonitoringSpec } from './schema.js';
import { observedArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { hasLagMonitor, lagMonitor } from '../../compose/lag-monitor.js';
import type { LambdaArtifacts } from '../../compose/lambda.js';
import type { ComposeEvent, DesiredResource, ObservedView } from '../../compose/types.js';
import { Dashboard } from '../../../imports/cloudwatch.aws.upbound.io.js';
import { alarmDefs, estateAtRisk, metricAlarm } from './alarms.js';
import { dashboardBody } from './dashboard.js';
import { monitoringRegions, topicKey } from './names.js';
import { alertTopic } from './topics.js';
import { watches } from './watches.js';

export { MONITORING, compositeAlarmName, topicKey } from './names.js';

/** Every resource of an XDRMonitoring, its events and status. */
export function composeMonitoring(
  ctx: ComposeContext,
  spec: DRMonitoringSpec,
  observed: ObservedView,
  artifacts?: LambdaArtifacts,
) {
  const resources: DesiredResource[] = [];
  const events: ComposeEvent[] = [];
  const regions = monitoringRegions(ctx, spec);
  const withLagMonitor = hasLagMonitor(ctx, spec);
  const defs = alarmDefs(ctx, spec, withLagMonitor);
  // The topic an alarm of the region was composed with: while the topic's status is lost (a control-plane restore),
  // the alarms keep it instead of being dropped (and deleted by Crossplane) until it is observed again.
  const lastTopic = (region: string): string | undefined =>
    defs
      .filter((d) => d.region === region)
      .map((d) => observed.read(d.key, 'spec.forProvider.alarmActions'))
      .flatMap((a) => (Array.isArray(a) && typeof a[0] === 'string' && a[0] !== '' ? [a[0] as string] : []))[0];
  const topics: Record<string, string | undefined> = {};
  for (const region of regions) {
    resources.push(...alertTopic(ctx, spec, region, observed));
    topics[region] = observedArn(observed, topicKey(region)) ?? lastTopic(region);
  }
  // Watched primitives' EventBridge rules notifying the region's topic (kubernetes: a node group's failed launches).
  for (const region of ctx.regions) {
    const topic = topics[region];
    if (topic !== undefined)
      for (const w of watches()) resources.push(...(w.eventRules?.resources(ctx, spec, region, topic) ?? []));
  }
  const alarms = defs.flatMap((d) => (topics[d.region] === undefined ? [] : [metricAlarm(ctx, d, topics[d.region]!)]));
  resources.push(...alarms);
  const waiting = [...new Set(defs.filter((d) => topics[d.region] === undefined).map((d) => d.region))];
  if (waiting.length > 0)
    events.push({ severity: 'Normal', message: `alarms wait for the alert topic ARN in ${waiting.join(', ')}` });

  // Estate at risk: the primary region's alarms that exist (alarms.ts).
  const atRisk = estateAtRisk(ctx, defs, alarms, topics[ctx.primary], observed);
  if (atRisk) resources.push(atRisk);

  const healthIdsKnown = !spec.routing || ctx.regions.every((r) => spec.healthCheckIds[r] !== undefined);
  if (spec.monitoring.dashboard && healthIdsKnown) {
    resources.push({
      key: 'dashboard',
      region: ctx.primary,
      manifest: Dashboard.manifest({
        metadata: ctx.metadata('dashboard', ctx.primary, ctx.namer.name('dashboard', 'dr')),
        spec: { forProvider: { region: ctx.primary, dashboardBody: dashboardBody(ctx, spec) } },
      }),
    });
  }
  if (withLagMonitor) {
    for (const region of ctx.regions) {
      const lag = lagMonitor(ctx, spec, region, observed, artifacts);
      resources.push(...lag.resources);
      events.push(...lag.events);
    }
  }
  const status = Object.fromEntries(
    regions.map((r) => [r, observed.planning || topics[r] === undefined ? {} : { arn: topics[r]! }]),
  );
  return { resources, events, status: { regions: status } };
}
