/** The function's own command-line flags, beside the function SDK's (--address, --insecure, --tls-server-certs-dir, --debug). */

/** Default TTL of a response, in seconds: Crossplane core's own default poll interval (`--poll-interval=1m`). */
export const DEFAULT_RESPONSE_TTL_SECONDS = 60;

/**
 * Port of the Prometheus metrics (`--metrics-address` default `0.0.0.0:8080`): the port Crossplane core names
 * `metrics` on every package runtime, which the bootstrap's DeploymentRuntimeConfig and PodMonitor name too.
 */
export const DEFAULT_METRICS_PORT = 8080;

/**
 * Node's flags for the function's process (before the script: the image's ENTRYPOINT, `npm run bench`, the e2e tier
 * and bench:scale start it with them). A call allocates a few MB of short-lived objects (the desired manifests and
 * their protobuf encoding) over a live heap of ~19 MB (after a full GC), and V8's defaults size the heap for a far
 * larger program:
 * - `--max-semi-space-size=1` (MB; V8 grows each of the young generation's two semi-spaces to 16 MB): the call's
 *   garbage dies before the next scavenge either way, so a small young generation costs only more scavenges of little
 *   live data;
 * - `--heap-growing-percent=50`: the old generation may grow to 1.5 times what survived the last full GC before the
 *   next one (V8's own factor reached ~2.5 here: full GCs at 47 MB for 19 MB live).
 * Measured with `npm run bench`'s three-region calls, 16 in flight, on 2 shared cores (load 13-19, 2026-12-06): peak
 * RSS 160-190 MB with V8's defaults, 131-144 MB with the first flag, 96-97 MB with both; calls/s within the noise of
 * the shared machine (47-128 with the first flag, 52-76 with both, 60-66 with a 100 % growth). `--optimize-for-size`
 * reached 100 MB too but cost a third of the throughput.
 */
export const FUNCTION_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--heap-growing-percent=50'];

/** The function's own flags, taken out of the command line before the SDK parses the rest. */
export interface OwnFlags {
  readonly metricsAddress: string;
  /** `--response-ttl`: the TTL of a response while the composite is still settling (see handler.ts responseTtl). */
  readonly responseTtlSeconds: number;
  /** `--response-ttl-at-rest`: the TTL of a response for a composite at rest (default: `--response-ttl`'s value). */
  readonly responseTtlAtRestSeconds: number;
  /** The arguments left for the SDK. */
  readonly rest: string[];
}

const OWN_FLAGS = ['--metrics-address', '--response-ttl', '--response-ttl-at-rest'] as const;

/** A TTL flag's value in seconds, or an error that names the flag and shows a valid value. */
function ttlSeconds(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 86_400)
    throw new Error(
      `${flag} ${JSON.stringify(value)} is not a whole number of seconds from 1 to 86400; write e.g. ${flag}=${flag === '--response-ttl' ? 60 : 3600}`,
    );
  return Number(value);
}

/**
 * Splits `--metrics-address`, `--response-ttl` and `--response-ttl-at-rest` (as `--flag=value` or `--flag value`) off
 * `argv`.
 */
export function parseOwnFlags(argv: readonly string[]): OwnFlags {
  const values: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = OWN_FLAGS.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (!flag) {
      rest.push(arg);
      continue;
    }
    const value = arg === flag ? argv[++i] : arg.slice(flag.length + 1);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values[flag] = value;
  }
  const ttl = ttlSeconds('--response-ttl', values['--response-ttl'] ?? String(DEFAULT_RESPONSE_TTL_SECONDS));
  const atRestValue = values['--response-ttl-at-rest'];
  const atRest = atRestValue === undefined ? ttl : ttlSeconds('--response-ttl-at-rest', atRestValue);
  if (atRest < ttl)
    throw new Error(
      `--response-ttl-at-rest ${atRest} is shorter than --response-ttl ${ttl}: a composite at rest needs composing less often than one still settling; write e.g. --response-ttl-at-rest=${Math.max(ttl, 3600)}`,
    );
  return {
    metricsAddress: values['--metrics-address'] ?? `0.0.0.0:${DEFAULT_METRICS_PORT}`,
    responseTtlSeconds: ttl,
    responseTtlAtRestSeconds: atRest,
    rest,
  };
}
