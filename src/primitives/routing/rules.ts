/**
 * Rules for Route 53 routing: names inside the zone, and something in every region that a health
 * check can probe without credentials.
 */
import { serviceHttpApi } from '../../api/sections.js';
import { type PolicyRule, problem, withFix } from '../../policy/types.js';
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
 * The public name reaches the service only through CNAMEs to its AWS hosts, which refuse a foreign Host (PITFALLS,
 * Route 53): failover of the name is real, but clients calling it get 403 until a custom domain fronts the service.
 */
export const customDomainRule: PolicyRule = {
  id: 'routing.custom-domain',
  severity: 'warning',
  summary:
    'routing.recordName CNAMEs to Function URL / HTTP API hosts, which answer 403 for a custom name until an API Gateway custom domain fronts them.',
  check: (spec) => {
    const routing = spec.routing;
    if (!routing || !spec.service) return [];
    return [
      problem(
        customDomainRule,
        'spec.routing.recordName',
        `${routing.recordName} will be a CNAME to the service's Function URL or HTTP API host in the active region; those hosts route on the Host header ` +
          `and answer 403 to requests for ${routing.recordName}. Health-checked failover of the name works, but clients must call the regional URLs ` +
          '(the claim status, regions.*.serviceUrl) until an API Gateway custom domain (DomainName, ApiMapping, ACM certificate) fronts the service; ' +
          'drplane cannot compose those yet (their CRDs are not in the pinned provider set). Accept this (it is a warning), or put your own CDN or custom domain in front',
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

/** A service record at the zone apex cannot be a CNAME. */
export const apexRecordRule: PolicyRule = {
  id: 'routing.zone-apex',
  severity: 'warning',
  summary: 'routing.recordName at the zone apex gets no service record: DNS allows no CNAME there.',
  check: (spec) =>
    spec.routing && spec.service && spec.routing.recordName === spec.routing.zoneName
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

/** Rules of the routing section. */
export const ROUTING_RULES: readonly PolicyRule[] = [
  recordInZoneRule,
  routingEndpointRule,
  healthCheckAuthRule,
  failoverPolicyRegionsRule,
  customDomainRule,
  healthPathRule,
  apexRecordRule,
];
