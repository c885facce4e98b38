/**
 * The service's configuration, read from its environment (see SERVICE_ENV).
 */
import {
  COMMON_ENV,
  SERVICE_DB_ENGINES,
  SERVICE_ENV,
  SERVICE_HASH_KEY_TYPES,
  SERVICE_ROLES,
  TABLE_KEY_TYPES,
  type TableKeyAttribute,
  type TableKeySchema,
} from '../shared/env-contract.js';
import {
  ConfigError,
  checkRegion,
  isRecord,
  optionalString,
  requireJson,
  requireOneOf,
  requireString,
  type Env,
} from '../shared/env.js';
import type { TransactionTable } from './transactions.js';

/** What the service needs to run. */
export interface ServiceConfig {
  readonly region: string;
  readonly role: (typeof SERVICE_ROLES)[number];
  /** The table (DRPLANE_TABLE_NAME) and its key (DRPLANE_TABLE_KEY). */
  readonly table: TransactionTable;
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

const KEY_EXAMPLE = '{"hash":{"name":"id","type":"S"},"range":{"name":"createdAt","type":"N"}}';

function keyAttribute(where: 'hash' | 'range', value: unknown, types: readonly string[]): TableKeyAttribute {
  const v = SERVICE_ENV.tableKey;
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '' || value.name.length > 255) {
    throw new ConfigError(v, `${where} must be {"name": <attribute name, 1-255 characters>, "type": ${types.join('|')}}`);
  }
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    const why =
      where === 'hash' && value.type === 'N'
        ? "; the service's transaction ids are strings, so the partition key must be S or B (policy rule service.table-key)"
        : '';
    throw new ConfigError(v, `${where}.type is ${JSON.stringify(value.type)}; expected one of ${types.join(', ')}${why}`);
  }
  return { name: value.name, type: value.type as TableKeyAttribute['type'] };
}

/** DRPLANE_TABLE_KEY: `{hash: {name, type S|B}, range?: {name, type S|N|B}}`, two different names. */
function checkTableKey(value: unknown): TableKeySchema {
  if (!isRecord(value)) throw new ConfigError(SERVICE_ENV.tableKey, `must be a JSON object like ${KEY_EXAMPLE}`);
  const extra = Object.keys(value).filter((k) => k !== 'hash' && k !== 'range');
  if (extra.length > 0)
    throw new ConfigError(SERVICE_ENV.tableKey, `has unknown field(s) ${extra.join(', ')}; expected hash and range`);
  const hash = keyAttribute('hash', value.hash, SERVICE_HASH_KEY_TYPES);
  if (value.range === undefined) return { hash };
  const range = keyAttribute('range', value.range, TABLE_KEY_TYPES);
  if (range.name === hash.name) throw new ConfigError(SERVICE_ENV.tableKey, `hash and range both name "${hash.name}"`);
  return { hash, range };
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
    table: {
      name: requireString(env, SERVICE_ENV.tableName, 'the DynamoDB table name'),
      key: requireJson(env, SERVICE_ENV.tableKey, KEY_EXAMPLE, checkTableKey),
    },
    dbSecretArn: optionalString(env, SERVICE_ENV.dbSecretArn),
    environment: requireString(env, SERVICE_ENV.environment, 'the environment suffix, e.g. prod'),
    database: databaseOf(env),
  };
}
