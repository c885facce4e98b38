/**
 * `npm run bench`: speed and memory figures of drplane, printed and written to bench/results.json.
 *  - RunFunction latency p50/p99 over 1,000 gRPC calls to the function running as its own process
 *    (the bundled dist/function.mjs, as the package image runs it), cycling through every composite of
 *    the three-region estate (the estate and its nested primitives): one call at a time, then 1,000 more
 *    with 16 in flight (DRPLANE_BENCH_CONCURRENCY), as Crossplane's controllers call it;
 *  - peak RSS of that process (VmHWM) after the run; the process runs with the image's Node flags (FUNCTION_NODE_FLAGS);
 *  - offline plan time (compose of the whole estate) for estates of 2 to 6 regions;
 *  - `drctl plan` wall time on the three-region claim, as a user runs it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { parse } from 'yaml';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../src/api/claim.js';
import { AWS_REGIONS } from '../src/api/regions.js';
import { compositeOf, planClaim } from '../src/compose/plan.js';
import { FUNCTION_NODE_FLAGS } from '../src/function/flags.js';
import { functionClient } from '../test/support/grpc-client.js';
import { freePort } from '../test/support/net.js';

const CLAIM = process.env.DRPLANE_BENCH_CLAIM ?? 'examples/three-region.yaml';
const CALLS = 1000;
/** Calls in flight at once in the concurrent run (`DRPLANE_BENCH_CONCURRENCY`). */
const CONCURRENCY = Number(process.env.DRPLANE_BENCH_CONCURRENCY ?? 16);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function loadClaim(): DisasterRecoveryClaim {
  return DisasterRecoveryClaimSchema.parse(parse(readFileSync(CLAIM, 'utf8')));
}

/** The composites Crossplane would send the function for this estate: the XR and every nested XR. */
function composites(claim: DisasterRecoveryClaim): unknown[] {
  const nested = planClaim(claim)
    .filter((r) => r.manifest.apiVersion.startsWith('drplane.io/'))
    .map((r) => ({ ...r.manifest, metadata: { ...r.manifest.metadata, name: r.key } }));
  return [compositeOf(claim), ...nested];
}

async function functionBench(claim: DisasterRecoveryClaim) {
  const port = await freePort();
  const entry = existsSync('dist/function.mjs') ? ['dist/function.mjs'] : ['--import', 'tsx', 'src/function/main.ts'];
  const child = spawn(
    process.execPath,
    [...FUNCTION_NODE_FLAGS, ...entry, '--insecure', '--address', `127.0.0.1:${port}`, '--metrics-address=127.0.0.1:0'],
    {
      stdio: 'ignore',
    },
  );
  try {
    const client = functionClient(`127.0.0.1:${port}`);
    await client.waitForReady();
    const requests = composites(claim).map((xr) => RunFunctionRequest.fromJSON({ observed: { composite: { resource: xr } } }));
    const call = (req: RunFunctionRequest) => client.run(req);
    for (let i = 0; i < 50; i++) await call(requests[i % requests.length]!); // warm-up
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const start = process.hrtime.bigint();
      await call(requests[i % requests.length]!);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    // The same calls with CONCURRENCY in flight at once, as Crossplane's controllers call one function: each call's
    // time includes its wait behind the others (the function runs one call at a time on its event loop).
    const concurrentTimes: number[] = [];
    let next = 0;
    const concurrentStart = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const req = requests[next++ % requests.length]!;
          const start = process.hrtime.bigint();
          await call(req);
          concurrentTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
      }),
    );
    const concurrentSeconds = Number(process.hrtime.bigint() - concurrentStart) / 1e9;
    client.close();
    concurrentTimes.sort((a, b) => a - b);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    times.sort((a, b) => a - b);
    return {
      entry: entry.join(' '),
      composites: requests.length,
      calls: CALLS,
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
      maxMs: round(times.at(-1)!),
      concurrent: {
        inFlight: CONCURRENCY,
        calls: concurrentTimes.length,
        p50Ms: round(percentile(concurrentTimes, 50)),
        p99Ms: round(percentile(concurrentTimes, 99)),
        maxMs: round(concurrentTimes.at(-1)!),
        callsPerSecond: round(concurrentTimes.length / concurrentSeconds, 1),
      },
      peakRssMb: round(hwmKb / 1024, 1),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

/** The claim with `n` regions: its primary and the first n-1 other regions, CIDRs 10.<i>.0.0/16. */
function withRegions(claim: DisasterRecoveryClaim, n: number): DisasterRecoveryClaim {
  const primary = claim.spec.regions.primary;
  const secondaries = AWS_REGIONS.filter((r) => r !== primary).slice(0, n - 1);
  const regions = [primary, ...secondaries];
  const network = claim.spec.network
    ? { ...claim.spec.network, cidrs: Object.fromEntries(regions.map((r, i) => [r, `10.${i}.0.0/16`])) }
    : undefined;
  return {
    ...claim,
    spec: { ...claim.spec, regions: { primary, secondaries }, activeRegion: undefined, ...(network ? { network } : {}) },
  };
}

function planGrowth(claim: DisasterRecoveryClaim) {
  return [2, 3, 4, 5, 6].map((n) => {
    const c = withRegions(claim, n);
    for (let i = 0; i < 5; i++) planClaim(c);
    const runs = 30;
    const start = process.hrtime.bigint();
    let resources = 0;
    for (let i = 0; i < runs; i++) resources = planClaim(c).length;
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
    return { regions: n, resources, planMs: round(ms), msPerResource: round(ms / resources, 4) };
  });
}

function cliBench() {
  if (!existsSync('dist/cli/main.js')) return { skipped: 'dist/cli/main.js missing: run npm run build' };
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['bin/drctl.mjs', 'plan', CLAIM, '--output', 'json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) return { error: `drctl plan exited ${r.status}: ${r.stderr.toString().slice(0, 300)}` };
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { runs: times.length, minMs: round(times[0]!), medianMs: round(percentile(times, 50)), maxMs: round(times.at(-1)!) };
}

async function main(): Promise<void> {
  const claim = loadClaim();
  const results = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    claim: CLAIM,
    runFunction: await functionBench(claim),
    planGrowth: planGrowth(claim),
    drctlPlan: cliBench(),
    targets: { runFunctionP99Ms: 10, concurrentInFlight: 16, peakRssMb: 100, growth: 'linear in regions' },
  };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  const f = results.runFunction;
  console.log(
    `RunFunction over gRPC (${f.calls} calls one at a time over ${f.composites} composites): p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms`,
  );
  console.log(
    `RunFunction with ${f.concurrent.inFlight} calls in flight: p50 ${f.concurrent.p50Ms} ms, p99 ${f.concurrent.p99Ms} ms, max ${f.concurrent.maxMs} ms, ${f.concurrent.callsPerSecond} calls/s (target p99 < 10 ms)`,
  );
  console.log(`function peak RSS: ${f.peakRssMb} MB (target < 100 MB) [${f.entry}]`);
  for (const g of results.planGrowth)
    console.log(`plan, ${g.regions} regions: ${g.resources} resources in ${g.planMs} ms (${g.msPerResource} ms/resource)`);
  console.log(`drctl plan ${CLAIM}: ${JSON.stringify(results.drctlPlan)}`);
  console.log('written to bench/results.json');
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
