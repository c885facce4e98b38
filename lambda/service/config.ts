/**
 * The service's configuration, read from its environment (see SERVICE_ENV).
 */
import { COMMON_ENV, SERVICE_ENV, SERVICE_ROLES } from '../shared/env-contract.js';
import { checkRegion, optionalString, requireOneOf, requireString, type Env } from '../shared/env.js';

/** What the service needs to run. */
export interface ServiceConfig {
  readonly region: string;
  readonly role: (typeof SERVICE_ROLES)[number];
  readonly tableName: string;
  /** Undefined: the secret check of `/health` is skipped. */
  readonly dbSecretArn: string | undefined;
  readonly environment: string;
}

/** Reads and checks the service environment; throws ConfigError naming the variable. */
export function loadServiceConfig(env: Env): ServiceConfig {
  return {
    region: checkRegion(
      COMMON_ENV.region,
      'the value',
      requireString(env, COMMON_ENV.region, "the function's region (Lambda sets it)"),
    ),
    role: requireOneOf(env, SERVICE_ENV.role, SERVICE_ROLES),
    tableName: requireString(env, SERVICE_ENV.tableName, 'the DynamoDB table name'),
    dbSecretArn: optionalString(env, SERVICE_ENV.dbSecretArn),
    environment: requireString(env, SERVICE_ENV.environment, 'the environment suffix, e.g. prod'),
  };
}
