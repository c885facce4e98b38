/**
 * Rules for Route 53 routing: names inside the zone, and something in every region that a health
 * check can probe without credentials.
 */
import { arcArmed, arcReadiness, arcSharedCluster, routingControl, serviceHttpApi } from '../../api/sections.js';
import { type PolicyRule, problem, withFix } from '../../policy/types.js';
import { routingPolicy } from '../../estimate/cost/context.js';
import { HEALTH_PATH } from '../service/compose.js';

/** recordName is zoneName or a name under it. */
export const recordInZoneRule: PolicyRule = {
  id: 'routing.record-in-zone',
  severity: 'error',
  summary: 'routing.recordName must be inside routing.zoneName.',
  check: (spec) => {
    const routing = spec.routing;
    if (!routing || routing.recordName === routing.zoneName || routing.recordName.endsWith(`.${routing.zoneName}`)) return [];
    const label = routing.recordName.split('.')[0];
    return [
      withFix(
        problem(
          recordInZoneRule,
          'spec.routing.recordName',
          `${routing.recordName} is not inside the zone ${routing.zoneName}, so Route 53 cannot create it there; write a name under the zone, such as ${label}.${routing.zoneName}`,
        ),
        { path: 'spec.routing.recordName', value: `${label}.${routing.zoneName}` },
      ),
    ];
  },
};

/** With a service, routing needs a Function URL or an HTTP API for health checks to probe. */
export const routingEndpointRule: PolicyRule = {
  id: 'routing.needs-endpoint',
  severity: 'error',
  summary: 'routing with a service needs service.functionUrl or service.httpApi: health checks probe them.',
  check: (spec) =>
    spec.routing && spec.service && !spec.service.functionUrl && !serviceHttpApi(spec.service, spec.routing)
      ? [
          withFix(
            problem(
              routingEndpointRule,
              'spec.service.functionUrl',
              'routing health-checks the service in every region, but functionUrl is false and httpApi is not set, so there is nothing to probe; set service.httpApi: true (or functionUrl: true)',
            ),
            { path: 'spec.service.httpApi', value: true },
          ),
        ]
      : [],
};

/** Route 53 health checks cannot sign requests: an AWS_IAM Function URL answers them with 403. */
export const healthCheckAuthRule: PolicyRule = {
  id: 'routing.health-check-auth',
  severity: 'error',
  summary: 'Route 53 health checks send unsigned requests: with only an AWS_IAM Function URL every region looks unhealthy.',
  check: (spec) =>
    spec.routing &&
    spec.service?.functionUrl &&
    spec.service.authType === 'AWS_IAM' &&
    !serviceHttpApi(spec.service, spec.routing)
      ? [
          withFix(
            problem(
              healthCheckAuthRule,
              'spec.service.authType',
              `Route 53 health checks send unsigned HTTPS requests to ${spec.routing.healthCheck.path}, which an AWS_IAM Function URL answers with 403, so every region would look unhealthy; ` +
                'set service.httpApi: true (health checks then probe the HTTP API) or service.authType: NONE',
            ),
            { path: 'spec.service.httpApi', value: true },
          ),
        ]
      : [],
};

/** Failover routing has one PRIMARY and one SECONDARY record; a third region gets no traffic from it. */
export const failoverPolicyRegionsRule: PolicyRule = {
  id: 'routing.failover-two-regions',
  severity: 'warning',
  summary: 'routing.policy failover routes between two regions only; three or more regions want latency.',
  check: (spec) =>
    spec.routing?.policy === 'failover' && spec.regions.secondaries.length > 1
      ? [
          problem(
            failoverPolicyRegionsRule,
            'spec.routing.policy',
            `failover routing has one PRIMARY and one SECONDARY record, so only two of the ${spec.regions.secondaries.length + 1} regions receive traffic through DNS; ` +
              'write policy: latency (or leave policy unset) for an estate of three or more regions',
          ),
        ]
      : [],
};

/**
 * The public name answers through API Gateway custom domains, which front HTTP APIs; with service.httpApi false the name
 * is a CNAME to the Function URL hosts, which refuse a foreign Host (PITFALLS, Route 53): failover of the name is
 * real, but clients calling it get 403.
 */
export const customDomainRule: PolicyRule = {
  id: 'routing.custom-domain',
  severity: 'warning',
  summary:
    'routing.recordName reaches the service through API Gateway custom domains of its HTTP API; with service.httpApi false it is a CNAME to Function URL hosts, which answer 403 for it.',
  check: (spec) => {
    const routing = spec.routing;
    if (!routing || !spec.service || serviceHttpApi(spec.service, routing)) return [];
    return [
      withFix(
        problem(
          customDomainRule,
          'spec.service.httpApi',
          `service.httpApi is false, so ${routing.recordName} will be a CNAME to the service's Function URL host in the active region; that host routes on the Host header ` +
            `and answers 403 to requests for ${routing.recordName}, and a Function URL takes no custom domain. Health-checked failover of the name works, but clients must call the regional URLs ` +
            '(the claim status, regions.*.serviceUrl); set service.httpApi: true (or leave it unset) and drplane fronts the HTTP API with a custom domain for the name in every region',
        ),
        { path: 'spec.service.httpApi', value: true },
      ),
    ];
  },
};

/**
 * Longest first name of an ACM certificate, its Common Name (botocore acm RequestCertificate.DomainName: "In compliance
 * with RFC 5280, the length of the domain name (technically, the Common Name) ... cannot exceed 64 octets (characters),
 * including periods"). Each region's certificate has recordName first.
 */
export const COMMON_NAME_MAX = 64;

/**
 * recordName is each region's certificate's Common Name (at most 64 characters), or ACM refuses the certificate and the
 * name never answers. That bound is the only one that can bind: the certificate's other name, `<region>.<recordName>`,
 * is then at most 64 + 15 characters (the claim's regions, src/api/regions.ts, have at most 14), far under the 253 ACM
 * takes for a Subject Alternative Name (botocore acm DomainNameString).
 */
export const regionalNameLengthRule: PolicyRule = {
  id: 'routing.record-name-length',
  severity: 'error',
  summary: `routing.recordName is each region's certificate's Common Name, at most ${COMMON_NAME_MAX} characters.`,
  check: (spec) => {
    const routing = spec.routing;
    if (!routing || !spec.service || !serviceHttpApi(spec.service, routing)) return [];
    const length = Buffer.byteLength(routing.recordName, 'utf8');
    return length <= COMMON_NAME_MAX
      ? []
      : [
          problem(
            regionalNameLengthRule,
            'spec.routing.recordName',
            `${routing.recordName} has ${length} characters; it is the Common Name of each region's ACM certificate (the custom domain's), ` +
              `which ACM takes only up to ${COMMON_NAME_MAX} characters including the dots (RFC 5280), so RequestCertificate would be refused and the name would never answer: ` +
              `use a name of at most ${COMMON_NAME_MAX} characters inside the zone`,
          ),
        ];
  },
};

/** Health checks probe the path the service answers them on. */
export const healthPathRule: PolicyRule = {
  id: 'routing.health-path',
  severity: 'warning',
  summary: `routing.healthCheck.path must be ${HEALTH_PATH} when routing checks the service: the service answers health checks there only.`,
  check: (spec) =>
    spec.routing && spec.service && spec.routing.healthCheck.path !== HEALTH_PATH
      ? [
          withFix(
            problem(
              healthPathRule,
              'spec.routing.healthCheck.path',
              `routing.healthCheck.path is ${spec.routing.healthCheck.path}, but the service answers health checks on ${HEALTH_PATH}: every region will look unhealthy; write path: ${HEALTH_PATH}`,
            ),
            { path: 'spec.routing.healthCheck.path', value: HEALTH_PATH },
          ),
        ]
      : [],
};

/** A service record at the zone apex cannot be a CNAME (alias records, with an HTTP API, can be there). */
export const apexRecordRule: PolicyRule = {
  id: 'routing.zone-apex',
  severity: 'warning',
  summary: 'routing.recordName at the zone apex gets no service record without an HTTP API: DNS allows no CNAME there.',
  check: (spec) =>
    spec.routing &&
    spec.service &&
    !serviceHttpApi(spec.service, spec.routing) &&
    spec.routing.recordName === spec.routing.zoneName
      ? [
          withFix(
            problem(
              apexRecordRule,
              'spec.routing.recordName',
              `${spec.routing.recordName} is the zone apex, where DNS allows no CNAME: no service record is composed; use a name under the zone, such as api.${spec.routing.zoneName}`,
            ),
            { path: 'spec.routing.recordName', value: `api.${spec.routing.zoneName}` },
          ),
        ]
      : [],
};

/** routing.control arc gates the service records: without a service there is nothing for it to gate. */
export const arcNeedsServiceRule: PolicyRule = {
  id: 'routing.arc-needs-service',
  severity: 'error',
  summary: 'routing.control arc gates the service records with routing controls; it needs a service.',
  check: (spec) =>
    spec.routing && routingControl(spec.routing) === 'arc' && !spec.service
      ? [
          withFix(
            problem(
              arcNeedsServiceRule,
              'spec.routing.control',
              'routing.control is arc, but the claim has no service, so there are no service records for routing controls to gate and the ARC cluster would be billed for nothing; ' +
                'add a service, or remove routing.control (health-check)',
            ),
            { path: 'spec.routing.control', value: 'health-check' },
          ),
        ]
      : [],
};

/**
 * ARC takes tag values that are non-empty runs without white space (botocore route53-recovery-control-config: tag maps
 * are __mapOf__stringMin0Max256PatternS, whose values match ^\S+$); the claim's tag values may hold spaces or be empty,
 * which the cluster, control panel and safety rules would refuse.
 */
export const arcTagsRule: PolicyRule = {
  id: 'routing.arc-tags',
  severity: 'error',
  summary: 'With routing.control arc, every tag value must be non-empty with no white space (ARC refuses others).',
  check: (spec) => {
    if (!spec.routing || routingControl(spec.routing) !== 'arc') return [];
    return Object.entries(spec.tags ?? {})
      .filter(([, value]) => !/^\S+$/.test(value))
      .map(([key, value]) =>
        problem(
          arcTagsRule,
          `spec.tags.${key}`,
          `the value ${JSON.stringify(value)} of tag ${JSON.stringify(key)} is empty or holds white space, which Route 53 ARC refuses on its cluster, control panel and safety rules (tag values must match ^\\S+$); ` +
            'write it without spaces (for example with - or _), or remove routing.control',
        ),
      );
  },
};

/** What arming means for the records a claim gets: every region On (latency), PRIMARY and SECONDARY both On (failover). */
function armingAdvice(spec: Parameters<PolicyRule['check']>[0]): string {
  return routingPolicy(spec) === 'latency'
    ? "turn the gate control On, then every region's control On (latency records: ARC takes a region out by turning its control Off, and the endpoint check still takes out a region that fails; with one region On, every client goes there, and when it fails Route 53 serves all regions again)"
    : "turn the gate control On, then both the PRIMARY and the SECONDARY region's controls On (failover records: ARC moves traffic by turning PRIMARY's Off; with only PRIMARY's On, SECONDARY is unhealthy and Route 53 answers PRIMARY whatever its health)";
}

/**
 * ARC creates routing controls Off, and drplane never arms them: people turn the gate and the region controls On
 * through a cluster endpoint; until the claim says armed, the records keep the endpoint checks. Once armed, failover
 * flips them (the orchestrator's switch-dns, lambda/failover/arc.ts, after the database has moved).
 */
export const arcStatesByHandRule: PolicyRule = {
  id: 'routing.arc-states-by-hand',
  severity: 'warning',
  summary:
    'With routing.control arc, people arm the routing controls: drplane creates them (Off), gates the records on them only once routing.arc.armed is true, and then flips them when it fails over.',
  check: (spec) => {
    if (!spec.routing || routingControl(spec.routing) !== 'arc' || !spec.service) return [];
    const how =
      "with `aws route53-recovery-cluster update-routing-control-states` against one of the cluster's endpoints (the Cluster's status.atProvider.clusterEndpoints, or `aws route53-recovery-control-config describe-cluster`)";
    const lead =
      'ARC creates every routing control Off, and drplane never turns them On to arm the estate (once armed, the failover orchestrator flips them after the database has moved: the target region On, the region left Off, which stays Off until you turn it On again). ';
    return arcArmed(spec.routing)
      ? [
          problem(
            arcStatesByHandRule,
            'spec.routing.arc.armed',
            `${lead}routing.arc.armed is true, so the records use the gated checks: a region serves only while its control is On. Keep it armed: ${armingAdvice(spec)}; fail over with drctl failover (the orchestrator flips the controls), or by hand ${how}`,
          ),
        ]
      : [
          withFix(
            problem(
              arcStatesByHandRule,
              'spec.routing.control',
              `${lead}Until routing.arc.armed is true the records keep the endpoint health checks (failover works as with health-check and the controls move nothing). To arm: ${armingAdvice(spec)} ${how}, wait until each region's gated-health-check is healthy, then set routing.arc.armed: true`,
            ),
            { path: 'spec.routing.arc.armed', value: true },
          ),
        ];
  },
};

/** Clusters AWS allows per account (ARC Developer Guide, "Quotas for routing control"). */
export const ARC_CLUSTERS_PER_ACCOUNT = 2;
/** Control panels AWS allows per cluster (same table). */
export const ARC_PANELS_PER_CLUSTER = 50;

/** An estate that creates its own ARC cluster uses one of the account's two. */
export const arcClusterQuotaRule: PolicyRule = {
  id: 'routing.arc-cluster-quota',
  severity: 'warning',
  summary: `With routing.control arc and no routing.arc.clusterArn, the estate creates an ARC cluster: AWS allows ${ARC_CLUSTERS_PER_ACCOUNT} per account.`,
  check: (spec) =>
    spec.routing && routingControl(spec.routing) === 'arc' && spec.service && arcSharedCluster(spec.routing) === undefined
      ? [
          problem(
            arcClusterQuotaRule,
            'spec.routing.arc.clusterArn',
            `this estate creates its own ARC cluster, billed by the hour, and AWS allows ${ARC_CLUSTERS_PER_ACCOUNT} clusters per account (ARC Developer Guide, quotas for routing control): ` +
              'a third estate in the account that creates one fails at CreateCluster. To share one, set routing.arc.clusterArn to the ARN of an existing cluster ' +
              "(another estate's Cluster status.atProvider.arn, or `aws route53-recovery-control-config list-clusters --region us-west-2`); " +
              `each estate then puts only its control panel, routing controls and safety rules on it (${ARC_PANELS_PER_CLUSTER} control panels per cluster), and the cluster is billed once, where it was created`,
          ),
        ]
      : [],
};

/** routing.arc configures routing.control arc; with another control it does nothing. */
export const arcUnusedRule: PolicyRule = {
  id: 'routing.arc-unused',
  severity: 'warning',
  summary: 'routing.arc has an effect only with routing.control arc.',
  check: (spec) =>
    spec.routing?.arc !== undefined && routingControl(spec.routing) !== 'arc'
      ? [
          withFix(
            problem(
              arcUnusedRule,
              'spec.routing.arc',
              `routing.arc is set, but routing.control is ${routingControl(spec.routing)}, so no ARC resource is composed and it does nothing; set routing.control: arc, or remove routing.arc`,
            ),
            { path: 'spec.routing.arc', remove: true },
          ),
        ]
      : [],
};

/** routing.arc.readiness composes a feature AWS no longer opens to new customers. */
export const arcReadinessAvailabilityRule: PolicyRule = {
  id: 'routing.arc-readiness-availability',
  severity: 'warning',
  summary:
    'ARC readiness checks are no longer open to new AWS customers; only an account that already uses them can create them.',
  check: (spec) =>
    spec.routing && spec.service && arcReadiness(spec.routing)
      ? [
          problem(
            arcReadinessAvailabilityRule,
            'spec.routing.arc.readiness',
            'the readiness check feature of Route 53 ARC is no longer open to new customers (ARC Developer Guide, "readiness check availability change"; existing customers keep it): ' +
              'in an account that has not used readiness checks before, the recovery group, cells, resource sets and readiness checks are refused and the routing composite never becomes Ready. ' +
              'Keep routing.arc.readiness: true only in an account that already uses readiness checks; otherwise remove it (drctl status then shows no readiness, and drctl cost bills none)',
          ),
        ]
      : [],
};

/** routing.arc.readiness without monitoring: the claim's status gets no per-region readiness (the lag monitor reports it). */
export const arcReadinessStatusRule: PolicyRule = {
  id: 'routing.arc-readiness-status',
  severity: 'warning',
  summary: "Per-region readiness in the claim's status comes from the lag monitor, which needs the monitoring section.",
  check: (spec) =>
    spec.routing && spec.service && arcReadiness(spec.routing) && !spec.monitoring
      ? [
          problem(
            arcReadinessStatusRule,
            'spec.routing.arc.readiness',
            "each region's readiness reaches the claim's status (status.regions.<region>.readiness) through that region's lag monitor, which runs only with the monitoring section: without it the status has none (drctl status still reads the readiness API). " +
              'Add spec.monitoring (e.g. monitoring: {alertEmails: [you@example.com]}) to have it in the status',
          ),
        ]
      : [],
};

/** Rules of the routing section. */
export const ROUTING_RULES: readonly PolicyRule[] = [
  recordInZoneRule,
  routingEndpointRule,
  healthCheckAuthRule,
  failoverPolicyRegionsRule,
  customDomainRule,
  regionalNameLengthRule,
  healthPathRule,
  apexRecordRule,
  arcNeedsServiceRule,
  arcTagsRule,
  arcStatesByHandRule,
  arcClusterQuotaRule,
  arcUnusedRule,
  arcReadinessAvailabilityRule,
  arcReadinessStatusRule,
];
