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
 * and bench:scale start it with them). `--max-semi-space-size=1` (MB; V8's default grows each of the young
 * generation's two semi-spaces to 16 MB): a call allocates a few MB of short-lived objects (the desired manifests and
 * their protobuf encoding) that die before the next scavenge either way, so a small young generation costs only more
 * scavenges of little live data. Measured with `npm run bench`'s three-region calls on 2 shared cores (load 11-13,
 * 2026-12-06): peak RSS with 16 calls in flight 160-190 MB with V8's default, 131-144 MB with 1 MB, with no loss of
 * calls per second (81-108 against 85-138). `--optimize-for-size` reached 100 MB but cost a third of the throughput.
 */
export const FUNCTION_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** The function's own flags, taken out of the command line before the SDK parses the rest. */
export interface OwnFlags {
  readonly metricsAddress: string;
  readonly responseTtlSeconds: number;
  /** The arguments left for the SDK. */
  readonly rest: string[];
}

/** Splits `--metrics-address` and `--response-ttl` (as `--flag=value` or `--flag value`) off `argv`. */
export function parseOwnFlags(argv: readonly string[]): OwnFlags {
  const values: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = ['--metrics-address', '--response-ttl'].find((f) => arg === f || arg.startsWith(`${f}=`));
    if (!flag) {
      rest.push(arg);
      continue;
    }
    const value = arg === flag ? argv[++i] : arg.slice(flag.length + 1);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values[flag] = value;
  }
  const ttl = values['--response-ttl'] ?? String(DEFAULT_RESPONSE_TTL_SECONDS);
  if (!/^\d+$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > 86_400)
    throw new Error(
      `--response-ttl ${JSON.stringify(ttl)} is not a whole number of seconds from 1 to 86400; write e.g. --response-ttl=60`,
    );
  return {
    metricsAddress: values['--metrics-address'] ?? `0.0.0.0:${DEFAULT_METRICS_PORT}`,
    responseTtlSeconds: Number(ttl),
    rest,
  };
}
