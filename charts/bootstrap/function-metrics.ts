/**
 * Scraping the composition function's Prometheus metrics (src/function/metrics.ts): the container port its
 * DeploymentRuntimeConfig declares, and a Prometheus Operator PodMonitor that selects the function's pods by the label
 * Crossplane core puts on every pod of a Function package (`pkg.crossplane.io/function: <name>`, v2.3.4
 * internal/controller/pkg/runtime/runtime.go, podSelectors).
 *
 * The PodMonitor is always written (compositions/bootstrap/monitoring/); the `drplane-monitoring` Application syncs
 * it only when `settings.functionMetrics.podMonitor` is set, since its kind exists only where the Prometheus Operator
 * runs and a sync of an unknown kind fails.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { DEFAULT_METRICS_PORT } from '../../src/function/flags.js';
import { FUNCTION_NAME } from '../compositions.js';
import type { BootstrapSettings } from './settings.js';

/** Name of the metrics port: Crossplane core's own for package runtimes (MetricsPortName). */
export const METRICS_PORT_NAME = 'metrics';

/** The function container's metrics port, as the DeploymentRuntimeConfig declares it. */
export const FUNCTION_METRICS_PORT = {
  name: METRICS_PORT_NAME,
  containerPort: DEFAULT_METRICS_PORT,
  protocol: 'TCP',
} as const;

/** Pod label Crossplane core sets on the pods of the Function package named FUNCTION_NAME. */
export const FUNCTION_POD_LABEL = 'pkg.crossplane.io/function';

/**
 * How often Prometheus scrapes the function: a RunFunction histogram moves with every reconcile (about once a minute
 * per composite at rest, see the response TTL), so 30 s shows a backlog within a minute at the cost of one small
 * request (~10 KB) per pod.
 */
export const SCRAPE_INTERVAL = '30s';
/** A scrape must answer well within its interval; /metrics answers in milliseconds. */
export const SCRAPE_TIMEOUT = '10s';

/** The PodMonitor API of the Prometheus Operator (monitoring.coreos.com/v1, its storage version). */
export const POD_MONITOR = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' } as const;
/** The API group of {@link POD_MONITOR}. */
export const POD_MONITOR_GROUP = 'monitoring.coreos.com';

/** The PodMonitor of the function's pods in the Crossplane namespace. */
export class FunctionMetricsChart extends Chart {
  constructor(scope: Construct, id: string, settings: Pick<BootstrapSettings, 'crossplaneNamespace' | 'functionMetrics'>) {
    super(scope, id, { disableResourceNameHashes: true });
    const labels = settings.functionMetrics.labels;
    new ApiObject(this, 'pod-monitor', {
      ...POD_MONITOR,
      metadata: {
        name: FUNCTION_NAME,
        namespace: settings.crossplaneNamespace,
        ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
      },
      spec: {
        selector: { matchLabels: { [FUNCTION_POD_LABEL]: FUNCTION_NAME } },
        namespaceSelector: { matchNames: [settings.crossplaneNamespace] },
        podMetricsEndpoints: [
          { port: METRICS_PORT_NAME, path: '/metrics', interval: SCRAPE_INTERVAL, scrapeTimeout: SCRAPE_TIMEOUT },
        ],
      },
    });
  }
}
