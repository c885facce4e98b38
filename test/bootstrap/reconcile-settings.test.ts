/**
 * The reconcile settings the bootstrap ships: the Crossplane core flags in the chart's `args` are flags (with values of
 * the right type) of the pinned Crossplane core, and the function's runtime config passes a response TTL the function
 * accepts. Why each value: charts/bootstrap/crossplane.ts and runtime.ts, figures in the README (Scale).
 */
import { describe, expect, it } from 'vitest';
import { CORE_FLAGS, crossplaneArgs } from '../../charts/bootstrap/crossplane.js';
import {
  FUNCTION_ARGS,
  FUNCTION_RESPONSE_TTL_AT_REST_SECONDS,
  FUNCTION_RESPONSE_TTL_SECONDS,
  FUNCTION_RUNTIME_CONFIG,
  PROVIDER_RUNTIME_CONFIG,
  RUNTIME_CONTAINER,
} from '../../charts/bootstrap/runtime.js';
import { PROVIDER_POLL } from '../../src/facts/timings.js';
import { parseOwnFlags } from '../../src/function/flags.js';
import { crossplaneCore, describeWithCrossplane } from '../support/crossplane.js';
import { run } from '../support/process.js';
import { renderBootstrap } from './render.js';

/** Exit code of `crossplane core start <args> --help`: 0 when kong accepts every flag and value, else non-zero. */
const coreAccepts = async (args: readonly string[]) => (await run(crossplaneCore(), ['core', 'start', ...args, '--help'])).code;

describeWithCrossplane('Crossplane core accepts the bootstrap flags', () => {
  it('every flag in the chart values is a flag of Crossplane core v2.3.4 with a valid value', async () => {
    expect(await coreAccepts(crossplaneArgs())).toBe(0);
  }, 30_000);

  it('and the check can fail: an unknown flag, or a value of the wrong type, is refused', async () => {
    expect(await coreAccepts(['--max-reconcile-rates=100'])).not.toBe(0);
    expect(await coreAccepts(['--circuit-breaker-burst=many'])).not.toBe(0);
  }, 30_000);
});

/** The package-runtime container of the bootstrap's DeploymentRuntimeConfig `name`. */
function runtimeContainer(name: string) {
  const config = renderBootstrap().objects.find((o) => o.kind === 'DeploymentRuntimeConfig' && o.metadata.name === name)!;
  return config.spec.deploymentTemplate.spec.template.spec.containers.find((c: { name: string }) => c.name === RUNTIME_CONTAINER);
}

describe('reconcile settings', () => {
  it('the Crossplane Application passes exactly CORE_FLAGS, each with its reason', () => {
    const app = renderBootstrap().files.get('apps/drplane-crossplane.yaml')![0]!;
    expect(app.spec.source.helm.valuesObject.args).toEqual(crossplaneArgs());
    expect(crossplaneArgs()).toEqual(['--max-reconcile-rate=10', '--circuit-breaker-burst=1000']);
    for (const f of CORE_FLAGS) expect(f.why.length, f.flag).toBeGreaterThan(40);
  });

  it("the function's runtime config passes the response TTL, and the function accepts it", () => {
    const container = runtimeContainer(FUNCTION_RUNTIME_CONFIG);
    expect(container.args).toEqual([...FUNCTION_ARGS]);
    const flags = parseOwnFlags(container.args);
    expect(flags.responseTtlSeconds).toBe(FUNCTION_RESPONSE_TTL_SECONDS);
    expect(flags.responseTtlAtRestSeconds).toBe(FUNCTION_RESPONSE_TTL_AT_REST_SECONDS);
    expect(FUNCTION_RESPONSE_TTL_AT_REST_SECONDS).toBeGreaterThan(FUNCTION_RESPONSE_TTL_SECONDS);
    expect(flags.rest, 'nothing left for the SDK: its --tls-server-certs-dir default is where Crossplane mounts').toEqual([]);
  });

  it("the providers poll at the interval the objectives model counts (PROVIDER_POLL): provider-upjet-aws's default 10m unless the runtime config passes --poll", () => {
    const container = runtimeContainer(PROVIDER_RUNTIME_CONFIG);
    const args: string[] = container.args ?? [];
    const poll = args.find((a) => a.startsWith('--poll=') || a === '--poll');
    // cmd/provider/<family>/zz_main.go: app.Flag("poll", …).Default("10m"); a passed value must be whole seconds here
    const seconds = poll === undefined ? 600 : Number(/^--poll=(\d+)s$/.exec(poll)?.[1] ?? NaN);
    expect(PROVIDER_POLL.intervalSeconds, `runtime config args ${JSON.stringify(args)}`).toBe(seconds);
  });
});
