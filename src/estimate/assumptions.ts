/**
 * Traffic and data-size assumptions of the cost estimate: everything the claim cannot say. Every
 * value has a default and can be overridden; the estimate echoes the resolved set so a reader
 * sees what the figures rest on. All rates are averages over a month.
 */

/** Load and size of one DynamoDB global table. */
export interface TableLoad {
  /** Table size in GB (each replica stores all of it). */
  readonly dataGb: number;
  /** Average writes per second across the estate. */
  readonly writesPerSecond: number;
  /** Average reads per second across the estate (eventually consistent). */
  readonly readsPerSecond: number;
  /** Average item size in KB: a write costs ceil(KB) units, an eventually consistent read half a unit per 4 KB. */
  readonly avgItemKb: number;
  /**
   * TTL deletes per second, for a table with a ttlAttribute: items expire about as fast as they are written
   * once the table is in steady state, so the default is the write rate (-1). Unset TTL: none.
   */
  readonly ttlDeletesPerSecond: number;
}

/** Load and size of one replicated bucket. */
export interface BucketLoad {
  /** Stored GB (current versions) in each region. */
  readonly dataGb: number;
  /** New or changed GB per month written to the primary bucket; this is what replicates. */
  readonly newGbPerMonth: number;
  /** PUT requests per month to the primary bucket (each also replicates to every secondary). */
  readonly putsPerMonth: number;
  /** GET requests per month. */
  readonly getsPerMonth: number;
}

/** Per-store defaults with optional overrides by logical name. */
export interface PerStore<T> {
  readonly default: T;
  /** Overrides by logical name (spec.tables[].name or spec.buckets[].name); unset fields fall back to default. */
  readonly byName: Readonly<Record<string, Partial<T>>>;
}

/** The EKS control-plane log types (EKS's LogType enum: botocore eks, LogSetup.types). */
export type ControlPlaneLogType = 'api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler';

/** Everything the cost estimate assumes about traffic and data. */
export interface CostAssumptions {
  /** Hours in a billing month (AWS pricing pages use 730). */
  readonly hoursPerMonth: number;
  readonly service: {
    /** Client requests per month to the regional service, all regions together. */
    readonly requestsPerMonth: number;
    /** Average billed duration of one invocation in ms. */
    readonly avgDurationMs: number;
  };
  readonly database: {
    /** Cluster volume in GB (every region stores a copy). */
    readonly dataGb: number;
    /** Write I/Os per second on the primary (each up to 4 KB of changes); every one replicates to every secondary. */
    readonly writeIosPerSecond: number;
    /** Read I/Os per second (buffer-cache misses) on the primary; secondaries are assumed idle. */
    readonly readIosPerSecond: number;
    /** KB each replicated write I/O sends to each secondary (a write I/O carries up to 4 KB of changes: 4 is the upper bound). */
    readonly replicatedKbPerWriteIo: number;
  };
  readonly tables: PerStore<TableLoad>;
  readonly buckets: PerStore<BucketLoad>;
  readonly backup: {
    /** Share of a store's data that changes per day; sizes incremental recovery points and copies. */
    readonly dailyChangeRate: number;
  };
  readonly network: {
    /** GB per month per region that passes through interface endpoints. */
    readonly endpointGbPerMonth: number;
  };
  readonly kms: {
    /** KMS API requests per month per region (S3 bucket keys and service caching keep this low). */
    readonly requestsPerMonth: number;
    /**
     * Age in years of the estate's keys (every planned Key rotates yearly): the first and the second rotation
     * each add a key-month, later ones nothing, so from 2 years on a key costs 3 key-months. Default 2: the
     * steady state.
     */
    readonly keyAgeYears: number;
  };
  readonly routing: {
    /** Distinct caching DNS resolvers that query the record; each re-asks once per TTL. */
    readonly resolvers: number;
    /**
     * Health-check requests an endpoint receives per request interval: Route 53 documents "about
     * every two seconds" for a 30 s interval, i.e. about 15 checkers.
     */
    readonly probesPerInterval: number;
    /**
     * Route 53 bills health checks of AWS endpoints lower than non-AWS ones. drplane's checks probe the regional custom
     * domains (<region>.<recordName>, aliases to API Gateway) or, without a custom domain, the service endpoints'
     * execute-api / lambda-url hostnames; no source says Route 53 counts those as AWS endpoints, so the default is 'non-aws'.
     */
    readonly endpointType: 'aws' | 'non-aws';
    /**
     * Of the account's free health checks on AWS endpoints (Route 53 pricing: the first 50; optional features are
     * still billed), how many this estate gets (with endpointType 'aws' only): none by default, as for every other
     * account-wide free tier; raise it when the account's other workloads leave some unused.
     */
    readonly freeAwsHealthChecks: number;
  };
  readonly logs: {
    /** Bytes of CloudWatch Logs each service invocation writes (Lambda's START/END/REPORT lines and the service's own). */
    readonly serviceBytesPerRequest: number;
    /** GB a month each other log group ingests (lag monitor, orchestrator, Aurora's exported logs). */
    readonly otherGbPerGroup: number;
    /**
     * Days of logs kept in a log group with no retention set: the groups RDS creates itself for a cluster's exported
     * logs never expire, so their stored volume grows every month; priced as if this many days are kept.
     */
    readonly unmanagedRetentionDays: number;
    /**
     * Stored (archived) GB per GB ingested. CloudWatch Logs bills storage on compressed data; 1 (no compression)
     * errs high.
     */
    readonly storedPerIngestedGb: number;
  };

  readonly kubernetes: {
    /**
     * Day (YYYY-MM-DD, UTC) on which each EKS cluster's Kubernetes version is placed in standard or extended support:
     * the whole month is priced at that day's tier. Default: the day the estimate is made (`drctl cost --on` sets it).
     */
    readonly supportOn: string;
    /**
     * GB a month one EKS cluster sends to its control-plane log group for each log type it enables (the plan's
     * Cluster enabledClusterLogTypes; drplane enables all five). An assumption, not a measurement: no published
     * per-type volume was found (AWS documents only that ingestion and storage are billed at CloudWatch Logs rates).
     * The default is an order-of-magnitude estimate for a quiet cluster, dominated by `audit`: even with no workload,
     * the control plane's leader-elected components (controller manager, scheduler, EKS's own controllers) renew their
     * leases every few seconds and each node renews its node lease every 10 s, and every such API request is one audit
     * event of about 1-2 KB; about 4 requests a second × 1.5 KB × 2,628,000 s ≈ 15 GB a month. The API server,
     * authenticator (one entry per IAM token verified), controller manager and scheduler logs are far smaller.
     * A busy cluster writes much more (audit grows with every request, kubectl and controllers alike): measure the
     * group's IncomingBytes in CloudWatch and override.
     */
    readonly controlPlaneLogGbPerMonth: Readonly<Record<ControlPlaneLogType, number>>;
  };

  readonly monitoring: {
    /** Alert notifications per month per region (each goes to every subscribed address). */
    readonly notificationsPerMonth: number;
    /** CloudWatch dashboards of the account's free tier (3) still unused; usually 0. */
    readonly freeDashboards: number;
    /** Billed duration of one lag-monitor run in ms (a few CloudWatch, RDS and SSM calls). */
    readonly lagMonitorDurationMs: number;
  };
}

/** The defaults: a modest production service. Override what you know. The day-dependent ones are resolveAssumptions'. */
export const DEFAULT_ASSUMPTIONS: Omit<CostAssumptions, 'kubernetes'> & {
  readonly kubernetes: Omit<CostAssumptions['kubernetes'], 'supportOn'>;
} = {
  hoursPerMonth: 730,
  service: { requestsPerMonth: 10_000_000, avgDurationMs: 120 },
  database: { dataGb: 100, writeIosPerSecond: 100, readIosPerSecond: 300, replicatedKbPerWriteIo: 4 },
  tables: {
    default: { dataGb: 10, writesPerSecond: 20, readsPerSecond: 100, avgItemKb: 1, ttlDeletesPerSecond: -1 },
    byName: {},
  },
  buckets: { default: { dataGb: 200, newGbPerMonth: 20, putsPerMonth: 500_000, getsPerMonth: 5_000_000 }, byName: {} },
  backup: { dailyChangeRate: 0.02 },
  network: { endpointGbPerMonth: 20 },
  kms: { requestsPerMonth: 200_000, keyAgeYears: 2 },
  routing: { resolvers: 500, probesPerInterval: 15, endpointType: 'non-aws', freeAwsHealthChecks: 0 },
  logs: { serviceBytesPerRequest: 500, otherGbPerGroup: 0.5, unmanagedRetentionDays: 365, storedPerIngestedGb: 1 },
  monitoring: { notificationsPerMonth: 20, freeDashboards: 0, lagMonitorDurationMs: 1000 },
  kubernetes: { controlPlaneLogGbPerMonth: { api: 2, audit: 15, authenticator: 1, controllerManager: 1, scheduler: 0.5 } },
};

/** A partial override of CostAssumptions at any depth. */
export type AssumptionOverrides = DeepPartial<CostAssumptions>;

/** Every field optional, recursively (records stay records). */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/** A UTC day as YYYY-MM-DD. */
export const isoDay = (day: Date): string => day.toISOString().slice(0, 10);

/**
 * The defaults with the overrides applied (deep merge; the inputs are not modified); `today` is the default of the
 * day-dependent assumptions (kubernetes.supportOn).
 */
export function resolveAssumptions(overrides: AssumptionOverrides = {}, today: Date = new Date()): CostAssumptions {
  const dated = { ...DEFAULT_ASSUMPTIONS, kubernetes: { ...DEFAULT_ASSUMPTIONS.kubernetes, supportOn: isoDay(today) } };
  const resolved = merge(dated, overrides) as CostAssumptions;
  const day = resolved.kubernetes.supportOn;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new Error(`assumption kubernetes.supportOn ${day} is not a day written YYYY-MM-DD; write e.g. ${isoDay(today)}`);
  return resolved;
}

/** The load of one store: its byName override over the default. */
export function loadOf<T>(store: PerStore<T>, name: string): T {
  return { ...store.default, ...store.byName[name] };
}

/** Seconds in a billing month. */
export const secondsPerMonth = (a: CostAssumptions): number => a.hoursPerMonth * 3600;

/** Days in a billing month. */
export const daysPerMonth = (a: CostAssumptions): number => a.hoursPerMonth / 24;
