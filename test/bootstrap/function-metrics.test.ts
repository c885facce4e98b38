/**
 * The function's metrics are scraped: the PodMonitor the bootstrap writes is valid against the Prometheus Operator's
 * PodMonitor CRD (pinned release, test/support/prometheus-operator.ts), selects the pods Crossplane core runs for the
 * Function by the label it puts on them, and scrapes the port the function's DeploymentRuntimeConfig names, which is
 * the port the function serves /metrics on; the Application that syncs it exists only when the settings ask for it.
 */
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAME } from '../../charts/compositions.js';
import { FUNCTION_POD_LABEL } from '../../charts/bootstrap/function-metrics.js';
import { WAVES } from '../../charts/bootstrap/apps.js';
import { FUNCTION_RUNTIME_CONFIG, RUNTIME_CONTAINER } from '../../charts/bootstrap/runtime.js';
import { DEFAULT_SETTINGS, type BootstrapSettings } from '../../charts/bootstrap/settings.js';
import { parseOwnFlags } from '../../src/function/flags.js';
import { describeWithCrossplane, formatFailures, validateResources } from '../support/crossplane.js';
import { podMonitorCrd } from '../support/prometheus-operator.js';
import { orderViolations, placeObjects } from './order.js';
import { renderBootstrap, syncedApps, type Manifest } from './render.js';

const WITH_POD_MONITOR: BootstrapSettings = {
  ...DEFAULT_SETTINGS,
  functionMetrics: { podMonitor: true, labels: { release: 'kube-prometheus-stack' } },
};

const podMonitorOf = (settings = DEFAULT_SETTINGS): Manifest =>
  renderBootstrap(settings).files.get('monitoring/function-podmonitor.yaml')![0]!;

describeWithCrossplane('the PodMonitor validates against the Prometheus Operator CRD', () => {
  it('as written by default and with labels for a Prometheus that selects monitors by label', async () => {
    const objects = [podMonitorOf(), podMonitorOf(WITH_POD_MONITOR)];
    const report = await validateResources([podMonitorCrd()], { yaml: objects.map((o) => JSON.stringify(o)).join('\n---\n') });
    expect(report.ok, formatFailures(report)).toBe(true);
    expect(report.resources.map((r) => `${r.kind} ${r.status}`)).toEqual(['PodMonitor valid', 'PodMonitor valid']);
  }, 60_000);

  it('and the validator rejects a broken one (the check can fail)', async () => {
    const good = podMonitorOf();
    const broken = {
      ...good,
      spec: { ...good.spec, podMetricsEndpoints: [{ ...good.spec.podMetricsEndpoints[0], interval: 'thirty seconds' }] },
    };
    const report = await validateResources([podMonitorCrd()], { yaml: JSON.stringify(broken) });
    expect(report.ok).toBe(false);
    expect(formatFailures(report)).toMatch(/podMetricsEndpoints\[0\]\.interval/);
  }, 60_000);
});

describe('the PodMonitor scrapes what the function serves', () => {
  it('selects the Function package pods by the label Crossplane core sets, in the Crossplane namespace', () => {
    const monitor = podMonitorOf();
    expect(monitor.metadata.namespace).toBe(DEFAULT_SETTINGS.crossplaneNamespace);
    expect(monitor.spec.selector).toEqual({ matchLabels: { [FUNCTION_POD_LABEL]: FUNCTION_NAME } });
    expect(FUNCTION_POD_LABEL).toBe('pkg.crossplane.io/function');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [DEFAULT_SETTINGS.crossplaneNamespace] });
  });

  it("scrapes /metrics on the port the function's runtime config names, the port the function listens on", () => {
    const rendered = renderBootstrap();
    const config = rendered.objects.find(
      (o) => o.kind === 'DeploymentRuntimeConfig' && o.metadata.name === FUNCTION_RUNTIME_CONFIG,
    )!;
    const container = config.spec.deploymentTemplate.spec.template.spec.containers.find(
      (c: { name: string }) => c.name === RUNTIME_CONTAINER,
    );
    const [endpoint] = podMonitorOf().spec.podMetricsEndpoints;
    const port = container.ports.find((p: { name: string }) => p.name === endpoint.port);
    expect(port, `a port named ${endpoint.port} in ${FUNCTION_RUNTIME_CONFIG}`).toEqual({
      name: 'metrics',
      containerPort: 8080,
      protocol: 'TCP',
    });
    expect(parseOwnFlags([]).metricsAddress).toBe(`0.0.0.0:${port.containerPort}`);
    expect(endpoint.path).toBe('/metrics');
  });
});

describe('the drplane-monitoring Application', () => {
  const monitoringApp = (settings: BootstrapSettings) =>
    syncedApps(renderBootstrap(settings)).find((a) => a.app.metadata.name === 'drplane-monitoring');
  const platformKinds = (settings: BootstrapSettings) =>
    renderBootstrap(settings)
      .objects.find((o) => o.kind === 'AppProject' && o.metadata.name === 'drplane')!
      .spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`);

  it('is not there by default (the PodMonitor kind exists only where the Prometheus Operator runs)', () => {
    expect(monitoringApp(DEFAULT_SETTINGS)).toBeUndefined();
    expect(platformKinds(DEFAULT_SETTINGS)).not.toContain('monitoring.coreos.com/PodMonitor');
  });

  it('with functionMetrics.podMonitor, syncs the PodMonitor (labelled) after the function, allowed by its project', () => {
    const app = monitoringApp(WITH_POD_MONITOR)!;
    expect(app.wave).toBe(WAVES.monitoring);
    expect(app.wave).toBeGreaterThan(WAVES.function);
    expect(app.objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([`PodMonitor ${FUNCTION_NAME}`]);
    expect(app.objects[0]!.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(platformKinds(WITH_POD_MONITOR)).toContain('monitoring.coreos.com/PodMonitor');
    expect(orderViolations(placeObjects(renderBootstrap(WITH_POD_MONITOR)))).toEqual([]);
  });
});
