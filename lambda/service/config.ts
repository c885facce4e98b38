/**
 * The service's configuration, read from its environment (see SERVICE_ENV).
 */
import { COMMON_ENV, SERVICE_DB_ENGINES, SERVICE_ENV, SERVICE_ROLES } from '../shared/env-contract.js';
import { ConfigError, checkRegion, optionalString, requireOneOf, requireString, type Env } from '../shared/env.js';

/** What the service needs to run. */
export interface ServiceConfig {
  readonly region: string;
  readonly role: (typeof SERVICE_ROLES)[number];
  readonly tableName: string;
  /** Undefined: the secret check of `/health` is skipped. */
  readonly dbSecretArn: string | undefined;
  readonly environment: string;
  /** The regional database endpoint `/health` probes; undefined: the check is skipped. */
  readonly database:
    { readonly engine: (typeof SERVICE_DB_ENGINES)[number]; readonly host: string; readonly port: number } | undefined;
}

/** `host:port` of DRPLANE_DB_ENDPOINT, with DRPLANE_DB_ENGINE. */
function databaseOf(env: Env): ServiceConfig['database'] {
  const endpoint = optionalString(env, SERVICE_ENV.dbEndpoint);
  if (endpoint === undefined) return undefined;
  const m = /^([A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(endpoint);
  const port = Number(m?.[2]);
  if (m === null || port < 1 || port > 65535) {
    throw new ConfigError(
      SERVICE_ENV.dbEndpoint,
      `is "${endpoint}"; expected host:port of the regional Aurora endpoint, e.g. db.cluster-ro-abc.us-east-1.rds.amazonaws.com:5432`,
    );
  }
  return { engine: requireOneOf(env, SERVICE_ENV.dbEngine, SERVICE_DB_ENGINES), host: m[1] as string, port };
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
    database: databaseOf(env),
  };
}
