/**
 * The automatic trigger's probe: every minute (an EventBridge schedule in the standby region) it asks the serving
 * region's `/health` once and publishes `drplane/RegionHealthy` (1 healthy, 0 not; dimensions Region = the probed
 * region, ProbedFrom = its own) in its own region, where the trigger alarm reads it. An external signal: it goes
 * through the service's public endpoint from another region, so it sees what clients see, and it needs nothing of
 * the probed region's control plane.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Context } from 'aws-lambda';
import { createLogger, describeError } from '../shared/logger.js';
import { DRPLANE_METRICS } from '../shared/metrics-contract.js';
import type { ProbeEvent } from '../shared/workflow-contract.js';
import { awsClients } from './clients.js';
import { loadFailoverConfig, type FailoverConfig } from './config.js';
import { EventError } from './event.js';
import type { FailoverOptions } from './options.js';
import { checkHealthOnce } from './verify.js';

/** One probe's budget: Route 53 health checkers allow a region 2 s too. */
export const PROBE_TIMEOUT_MS = 2_000;

/** Creates the probe handler. */
export function createProbe(options: FailoverOptions = {}) {
  const factory = options.clientFactory ?? awsClients;
  let config: FailoverConfig | undefined;
  return async function probe(event: ProbeEvent, context: Pick<Context, 'awsRequestId'>): Promise<{ healthy: boolean }> {
    const env = options.env ?? process.env;
    const log = createLogger({ requestId: context.awsRequestId, region: env.AWS_REGION ?? 'unknown' }, options.logSink);
    try {
      config ??= loadFailoverConfig(env);
      const region = event.probe?.region;
      const url = typeof region === 'string' ? config.healthUrls[region] : undefined;
      if (url === undefined || region === config.region) {
        throw new EventError(`probe.region must be another region of this estate (${config.allRegions.join(', ')})`);
      }
      const r = await checkHealthOnce(url, region, PROBE_TIMEOUT_MS);
      await factory(undefined)
        .cloudWatch(config.region)
        .send(
          new PutMetricDataCommand({
            Namespace: DRPLANE_METRICS.namespace,
            MetricData: [
              {
                MetricName: DRPLANE_METRICS.regionHealthy,
                Dimensions: [
                  { Name: 'Region', Value: region },
                  { Name: 'ProbedFrom', Value: config.region },
                ],
                Value: r.ok ? 1 : 0,
                Unit: 'Count',
                ...(options.now === undefined ? {} : { Timestamp: options.now() }),
              },
            ],
          }),
        );
      log.info('probe', { probed: region, healthy: r.ok, ...(r.ok ? {} : { why: r.why }) });
      return { healthy: r.ok };
    } catch (err) {
      log.error('probe failed', { error: describeError(err) });
      throw err;
    }
  };
}
