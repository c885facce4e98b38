/**
 * Rules for the regional Lambda service: a VPC function must reach every AWS service it calls
 * through VPC endpoints (there is no NAT), and a public Function URL is called out.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { LAMBDA_RUNTIMES } from '../../api/sections.js';
import { SERVICE_ENV } from '../../../lambda/shared/env-contract.js';
import { type LambdaRuntime, blocksOf, findRuntime } from '../../facts/lambda-runtimes.js';
import { daysUntil } from '../../facts/days.js';
import { capitalize } from '../../policy/text.js';
import { type PolicyRule, problem, withFix } from '../../policy/types.js';

/** Days before a runtime's deprecation from which it draws a warning. */
export const RUNTIME_WARNING_DAYS = 180;

/** True when the service will be attached to the private subnets (service.vpc defaults to having a network). */
export const serviceInVpc = (spec: DisasterRecoverySpec): boolean =>
  spec.service !== undefined && spec.network !== undefined && spec.service.vpc !== false;

/** Endpoint services the service calls, each with the part of the estate that makes it call them. */
export function endpointsTheServiceCalls(spec: DisasterRecoverySpec): Array<{ endpoint: string; because: string }> {
  const needs: Array<{ endpoint: string; because: string }> = [];
  if ((spec.tables ?? []).length > 0) needs.push({ endpoint: 'dynamodb', because: 'it reads and writes the DynamoDB tables' });
  if (spec.database)
    needs.push({ endpoint: 'secretsmanager', because: 'it reads the database credentials from Secrets Manager' });
  return needs;
}

/** A VPC service has an endpoint for every AWS service it calls (seeds 000 and 002: it hangs otherwise). */
export const vpcEndpointsRule: PolicyRule = {
  id: 'service.vpc-endpoints',
  severity: 'error',
  summary:
    'A service in the VPC needs a VPC endpoint for every AWS service it calls (dynamodb with tables, secretsmanager with a database): there is no NAT.',
  check: (spec) => {
    if (!serviceInVpc(spec)) return [];
    const endpoints: readonly string[] = spec.network!.endpoints;
    return endpointsTheServiceCalls(spec)
      .filter(({ endpoint }) => !endpoints.includes(endpoint))
      .map(({ endpoint, because }) =>
        withFix(
          problem(
            vpcEndpointsRule,
            'spec.network.endpoints',
            `the service runs in the private subnets, which have no NAT gateway, and ${because}: without a ${endpoint} endpoint every call times out. ` +
              `Add ${endpoint} to spec.network.endpoints, or set spec.service.vpc: false to run the function outside the VPC`,
          ),
          { path: 'spec.network.endpoints', value: [...endpoints, endpoint] },
        ),
      );
  },
};

/** service.vpc: true needs a network to attach to. */
export const vpcNeedsNetworkRule: PolicyRule = {
  id: 'service.vpc-needs-network',
  severity: 'error',
  summary: 'service.vpc: true needs a spec.network section.',
  check: (spec) =>
    spec.service?.vpc === true && !spec.network
      ? [
          problem(
            vpcNeedsNetworkRule,
            'spec.service.vpc',
            'service.vpc is true but the claim has no spec.network to attach the function to; add a network section or remove service.vpc',
          ),
        ]
      : [],
};

/** A service outside the VPC cannot connect to an Aurora database in private subnets. */
export const databaseReachableRule: PolicyRule = {
  id: 'service.database-unreachable',
  severity: 'warning',
  summary: 'A service outside the VPC cannot connect to the Aurora database, which lives in private subnets.',
  check: (spec) => {
    // service.vpc: true without a network is vpcNeedsNetworkRule's error.
    if (!spec.service || !spec.database || serviceInVpc(spec) || spec.service.vpc === true) return [];
    return [
      spec.service.vpc === false
        ? problem(
            databaseReachableRule,
            'spec.service.vpc',
            'service.vpc is false but the Aurora database lives in private subnets: the function cannot connect to it. Remove service.vpc (it defaults to true with a network) if the service uses the database',
          )
        : problem(
            databaseReachableRule,
            'spec.service',
            'the service runs outside a VPC (the claim has no spec.network), so /health cannot reach the Aurora database and does not check it; ' +
              'add a network section to have /health prove the database reachable',
          ),
    ];
  },
};

/** The service stores what it receives in a DynamoDB table of the estate. */
export const serviceTableRule: PolicyRule = {
  id: 'service.no-table',
  severity: 'warning',
  summary: `The service handler stores transactions in a DynamoDB table (${SERVICE_ENV.tableName}): an estate with a service needs one in spec.tables.`,
  check: (spec) =>
    spec.service && (spec.tables ?? []).length === 0
      ? [
          problem(
            serviceTableRule,
            'spec.tables',
            `the service handler stores transactions in a DynamoDB table (${SERVICE_ENV.tableName}) and this estate has none: its writes and /health fail until spec.tables has one`,
          ),
        ]
      : [],
};

/**
 * The service keys its transactions and /health's sentinel by a string id in the first table's partition key
 * (lambda/service/keys.ts): a number partition key cannot hold one, so every write and every /health would fail, and
 * a failing /health fails the estate over.
 */
export const serviceTableKeyRule: PolicyRule = {
  id: 'service.table-key',
  severity: 'error',
  summary: `The service keeps its items in the first table (${SERVICE_ENV.tableName}) under string ids: that table's hashKey must be of type S or B.`,
  check: (spec) => {
    const first = spec.tables?.[0];
    if (!spec.service || first === undefined || first.hashKey.type !== 'N') return [];
    return [
      problem(
        serviceTableKeyRule,
        'spec.tables[0].hashKey.type',
        `the service stores its transactions and /health's sentinel item in the first table, ${first.name}, keyed by a string id, and its hashKey ${first.hashKey.name} is a number (N): ` +
          'every write and every /health would fail (and a failing /health fails the estate over). Make that hashKey type S or B, or list a table with a string (S) or binary (B) hashKey first in spec.tables',
      ),
    ];
  },
};

/** A Function URL without authentication is a public endpoint. */
export const publicFunctionUrlRule: PolicyRule = {
  id: 'service.public-function-url',
  severity: 'warning',
  summary: 'A Function URL with authType NONE is public: anyone on the internet can invoke the function.',
  check: (spec) =>
    spec.service?.functionUrl && spec.service.authType === 'NONE'
      ? [
          problem(
            publicFunctionUrlRule,
            'spec.service.authType',
            'the Function URL has authType NONE, so anyone on the internet can invoke the function; the function must authorize every request except /health itself. ' +
              'Prefer authType: AWS_IAM and, for Route 53 health checks, httpApi: true',
          ),
        ]
      : [],
};

/**
 * The service's Lambda runtime is not deprecated (AWS stops patching it, then refuses to create and update functions
 * on it: a new region, a recreated function or a code change fails mid-incident) and warns ahead of it.
 */
export const runtimeSupportRule: PolicyRule = {
  id: 'service.runtime-support',
  dated: true,
  severity: 'error',
  summary: `The service's Lambda runtime must not be deprecated by AWS (warning within ${RUNTIME_WARNING_DAYS} days of its deprecation).`,
  check: (spec, ctx) => {
    const runtime = spec.service?.runtime;
    const row = runtime === undefined ? undefined : findRuntime(runtime);
    if (!row) return [];
    const days = daysUntil(row.deprecation, ctx.today);
    if (days > RUNTIME_WARNING_DAYS) return [];
    const blocks = blocksOf(row, ctx.today);
    const move = successorOf(row);
    const fix = move
      ? `write runtime: ${move.runtime} (supported until ${move.deprecation})`
      : 'no runtime drplane offers lasts longer: upgrade drplane to one that offers a newer runtime';
    const moveFix = move ? { path: 'spec.service.runtime', value: move.runtime } : undefined;
    if (days <= 0) {
      return [
        withFix(
          problem(
            runtimeSupportRule,
            'spec.service.runtime',
            `${row.runtime} was deprecated by AWS Lambda on ${row.deprecation} (no more security patches); ${blocks}, so a failover that needs a new or changed function fails. ${capitalize(fix)}`,
          ),
          moveFix,
        ),
      ];
    }
    return [
      withFix(
        problem(
          runtimeSupportRule,
          'spec.service.runtime',
          `AWS Lambda deprecates ${row.runtime} on ${row.deprecation} (in ${days} days); ${blocks}. Move now and test the service on it: ${fix}`,
          'warning',
        ),
        moveFix,
      ),
    ];
  },
};

/** Unreserved concurrent executions Lambda keeps per account and region: a reservation may not go below them. */
export const LAMBDA_MIN_UNRESERVED = 10;
/** Account concurrency quotas new accounts often start with (PITFALLS, Lambda). */
export const NEW_ACCOUNT_QUOTAS = { low: 10, high: 50 } as const;

/**
 * service.reservedConcurrency is refused by accounts whose concurrency quota leaves no room for it: Lambda keeps at
 * least 10 unreserved executions per account and region ("decreases account's UnreservedConcurrentExecution below
 * its minimum value"), and new accounts often have quotas of 10-50, so any value can fail the function's creation
 * in one of the estate's regions. drplane reserves nothing for its own functions.
 */
export const reservedConcurrencyQuotaRule: PolicyRule = {
  id: 'service.reserved-concurrency-quota',
  severity: 'warning',
  summary: `service.reservedConcurrency needs an account concurrency quota of at least the value + ${LAMBDA_MIN_UNRESERVED} in every region; new accounts often have ${NEW_ACCOUNT_QUOTAS.low}-${NEW_ACCOUNT_QUOTAS.high}.`,
  check: (spec) => {
    const reserved = spec.service?.reservedConcurrency;
    if (reserved === undefined) return [];
    const regions = [spec.regions.primary, ...spec.regions.secondaries];
    const needed = reserved + LAMBDA_MIN_UNRESERVED;
    const fits =
      needed <= NEW_ACCOUNT_QUOTAS.high
        ? `an account with a quota below ${needed} refuses it (new accounts often have ${NEW_ACCOUNT_QUOTAS.low}-${NEW_ACCOUNT_QUOTAS.high})`
        : `no account with a new-account quota (${NEW_ACCOUNT_QUOTAS.low}-${NEW_ACCOUNT_QUOTAS.high}) can hold it`;
    return [
      problem(
        reservedConcurrencyQuotaRule,
        'spec.service.reservedConcurrency',
        `reservedConcurrency ${reserved} reserves ${reserved} concurrent executions in each of ${regions.join(', ')}, and Lambda keeps at least ` +
          `${LAMBDA_MIN_UNRESERVED} unreserved per account and region, so the account's concurrency quota must be at least ${needed} in every one ` +
          `of them, plus what its other functions reserve; ${fits} and the function is not created ("decreases account's UnreservedConcurrentExecution below its minimum value"). ` +
          'Check the "Concurrent executions" quota in Service Quotas in each region (and request more), or remove reservedConcurrency',
      ),
    ];
  },
};

/** The runtime the API offers that AWS supports longest, if it outlasts `row`. */
function successorOf(row: LambdaRuntime): LambdaRuntime | undefined {
  const offered = LAMBDA_RUNTIMES.map(findRuntime).filter((r): r is LambdaRuntime => r !== undefined);
  const longest = offered.sort((a, b) => b.deprecation.localeCompare(a.deprecation))[0];
  return longest && longest.deprecation > row.deprecation ? longest : undefined;
}

/** Rules of the service section. */
export const SERVICE_RULES: readonly PolicyRule[] = [
  vpcEndpointsRule,
  vpcNeedsNetworkRule,
  databaseReachableRule,
  serviceTableRule,
  serviceTableKeyRule,
  publicFunctionUrlRule,
  runtimeSupportRule,
  reservedConcurrencyQuotaRule,
];
