/**
 * Every AWS name an estate will have, computed with the same Namer compose uses, so validation can
 * check each against its service's rules before anything reaches AWS.
 *
 * The list follows the primitives of DESIGN.md (what each makes per region). The logical part of each
 * name (second argument of Namer.fitted) must be the one compose passes for the same resource; if a
 * composer names a resource differently, change it here too (test/policy/estate-names.test.ts pins
 * the list).
 */
import type { DisasterRecoverySpec } from '../api/claim.js';
import { type FittedName, type NameKind, Namer } from '../compose/naming.js';
import type { ClaimIdentity } from './types.js';

/** One AWS name of the estate and where it comes from. */
export interface EstateName {
  /** Naming rule the name must follow. */
  readonly kind: NameKind;
  /** What the name is for, e.g. "Lambda function of the service". */
  readonly what: string;
  /** Claim section the resource belongs to (spec.service, spec.tables[0], …). */
  readonly path: string;
  /** Region of the resource; undefined for global resources. */
  readonly region?: string;
  /** The name, full and fitted. */
  readonly name: FittedName;
}

type Emit = (kind: NameKind, what: string, path: string, logical: string, region?: string) => void;

/** Every AWS name of the estate a spec describes, in a stable order. */
export function estateNames(spec: DisasterRecoverySpec, claim: ClaimIdentity): EstateName[] {
  const namer = new Namer({ name: claim.name, namespace: claim.namespace, environment: spec.environment });
  const regions = [spec.regions.primary, ...spec.regions.secondaries];
  const names: EstateName[] = [];
  const emit: Emit = (kind, what, path, logical, region) => names.push({ kind, what, path, region, name: namer.fitted(kind, logical, region) });
  databaseNames(spec, regions, emit);
  tableNames(spec, regions, emit);
  bucketNames(spec, regions, namer, names);
  serviceNames(spec, regions, emit);
  monitoringNames(spec, regions, emit);
  backupNames(spec, regions, emit);
  failoverNames(spec, regions, emit);
  return names;
}

function databaseNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  const db = spec.database;
  if (!db) return;
  const path = 'spec.database';
  emit('rdsIdentifier', 'Aurora global cluster', path, 'db-global');
  for (const region of regions) {
    const count = region === spec.regions.primary ? db.instances : db.secondaryInstances;
    emit('rdsIdentifier', 'Aurora cluster', path, 'db', region);
    for (let i = 1; i <= count; i++) emit('rdsIdentifier', 'Aurora instance', path, `db-${i}`, region);
    emit('subnetGroup', 'DB subnet group', path, 'db', region);
    emit('kmsAlias', 'KMS key alias of the database', path, 'database', region);
  }
}

function tableNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  (spec.tables ?? []).forEach((table, index) => {
    const path = `spec.tables[${index}]`;
    emit('dynamodbTable', 'DynamoDB global table', path, table.name);
    for (const region of regions) emit('kmsAlias', 'KMS key alias of the table', path, `table-${table.name}`, region);
  });
}

function bucketNames(spec: DisasterRecoverySpec, regions: string[], namer: Namer, names: EstateName[]): void {
  (spec.buckets ?? []).forEach((bucket, index) => {
    const path = `spec.buckets[${index}]`;
    for (const region of regions) {
      names.push({ kind: 's3Bucket', what: 'S3 bucket', path, region, name: namer.bucket(bucket.name, region) });
      names.push({ kind: 'iamRole', what: 'S3 replication role', path, region, name: namer.fitted('iamRole', `${bucket.name}-replication`, region) });
      names.push({ kind: 'kmsAlias', what: 'KMS key alias of the bucket', path, region, name: namer.fitted('kmsAlias', `bucket-${bucket.name}`, region) });
    }
  });
}

function serviceNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  if (!spec.service) return;
  for (const region of regions) {
    emit('lambdaFunction', 'Lambda function of the service', 'spec.service', 'service', region);
    emit('iamRole', 'IAM role of the service', 'spec.service', 'service', region);
  }
}

function monitoringNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  if (!spec.monitoring) return;
  const path = 'spec.monitoring';
  emit('alarm', 'estate-at-risk composite alarm', path, 'estate-at-risk', spec.regions.primary);
  if (spec.monitoring.dashboard) emit('dashboard', 'CloudWatch dashboard', path, 'dr');
  for (const region of regions) {
    emit('snsTopic', 'SNS alert topic', path, 'alerts', region);
    emit('alarm', 'replication-lag alarm', path, 'replication-lag', region);
    emit('lambdaFunction', 'replication-lag monitor function', path, 'lag-monitor', region);
    emit('iamRole', 'IAM role of the lag monitor', path, 'lag-monitor', region);
    emit('schedule', 'lag monitor schedule', path, 'lag-monitor', region);
  }
}

function backupNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  if (!spec.backup) return;
  emit('backupPlan', 'AWS Backup plan', 'spec.backup', 'plan', spec.regions.primary);
  emit('iamRole', 'IAM role of AWS Backup', 'spec.backup', 'backup');
  for (const region of regions) emit('backupVault', 'AWS Backup vault', 'spec.backup', 'vault', region);
}

function failoverNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  if (!spec.failover) return;
  emit('iamRole', 'DR-operations role', 'spec.failover', 'dr-operations');
  for (const region of regions) {
    emit('lambdaFunction', 'failover orchestrator function', 'spec.failover', 'failover', region);
    emit('iamRole', 'IAM role of the orchestrator', 'spec.failover', 'failover', region);
    emit('schedule', 'EventBridge rule of the orchestrator', 'spec.failover', 'failover', region);
  }
}
