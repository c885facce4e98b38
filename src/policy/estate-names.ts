/**
 * Every AWS name an estate will have, computed with the same Namer compose uses, so validation can
 * check each against its service's rules before anything reaches AWS.
 *
 * The logical part of each name is the one compose passes for the same resource (src/compose/
 * database, table, bucket, kms, lambda, monitoring, backup, failover). CloudWatch metric alarms and
 * log groups are left out: their names stay far below their 255/512-character limits.
 * test/policy/names.test.ts compares these names with the ones `planClaim` emits, so a composer
 * that renames a resource fails it until this list follows.
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
  const namer = new Namer({
    name: claim.name,
    namespace: claim.namespace,
    environment: spec.environment,
    providerConfig: spec.providerConfigRef?.name,
  });
  const regions = [spec.regions.primary, ...spec.regions.secondaries];
  const names: EstateName[] = [];
  const emit: Emit = (kind, what, path, logical, region) =>
    names.push({ kind, what, path, region, name: namer.fitted(kind, logical, region) });
  databaseNames(spec, regions, emit);
  tableNames(spec, regions, emit);
  bucketNames(spec, regions, namer, names);
  serviceNames(spec, regions, namer, names, emit);
  monitoringNames(spec, regions, namer, names, emit);
  backupNames(spec, regions, emit);
  failoverNames(spec, regions, namer, names, emit);
  return names;
}

function databaseNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  const db = spec.database;
  if (!db) return;
  const path = 'spec.database';
  emit('rdsIdentifier', 'Aurora global cluster', path, 'global');
  for (const region of regions) {
    const count = region === spec.regions.primary ? db.instances : db.secondaryInstances;
    emit('rdsIdentifier', 'Aurora cluster', path, 'aurora', region);
    for (let i = 1; i <= count; i++) emit('rdsIdentifier', 'Aurora instance', path, `aurora-${i}`, region);
    emit('subnetGroup', 'DB subnet group', path, 'aurora', region);
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
    names.push({
      kind: 'iamRole',
      what: 'S3 replication role',
      path,
      name: namer.fitted('iamRole', `${bucket.name}-s3-replication`),
    });
    for (const region of regions) {
      names.push({ kind: 's3Bucket', what: 'S3 bucket', path, region, name: namer.bucket(bucket.name, region) });
      names.push({
        kind: 'kmsAlias',
        what: 'KMS key alias of the bucket',
        path,
        region,
        name: namer.fitted('kmsAlias', `bucket-${bucket.name}`, region),
      });
    }
  });
}

function serviceNames(spec: DisasterRecoverySpec, regions: string[], namer: Namer, names: EstateName[], emit: Emit): void {
  if (!spec.service) return;
  for (const region of regions) lambdaNames('the service', 'spec.service', 'service', region, namer, names, emit);
}

/** A Lambda function of drplane's: function, execution role, code bucket and KMS key alias (src/compose/lambda.ts). */
function lambdaNames(
  what: string,
  path: string,
  purpose: string,
  region: string,
  namer: Namer,
  names: EstateName[],
  emit: Emit,
): void {
  emit('lambdaFunction', `Lambda function of ${what}`, path, purpose, region);
  emit('iamRole', `IAM role of ${what}`, path, purpose, region);
  emit('kmsAlias', `KMS key alias of ${what}`, path, purpose, region);
  names.push({ kind: 's3Bucket', what: `code bucket of ${what}`, path, region, name: namer.lambdaBucket(purpose, region) });
}

function monitoringNames(spec: DisasterRecoverySpec, regions: string[], namer: Namer, names: EstateName[], emit: Emit): void {
  if (!spec.monitoring) return;
  const path = 'spec.monitoring';
  const primary = spec.regions.primary;
  emit('alarm', 'estate-at-risk composite alarm', path, 'estate-at-risk', primary);
  if (spec.monitoring.dashboard) emit('dashboard', 'CloudWatch dashboard', path, 'dr');
  for (const region of regions) {
    // One lag monitor per estate region.
    lambdaNames('the replication-lag monitor', path, 'lag-monitor', region, namer, names, emit);
    emit('schedule', 'schedule of the replication-lag monitor', path, 'lag-monitor', region);
    emit('snsTopic', 'SNS alert topic', path, 'alerts', region);
    emit('kmsAlias', 'KMS key alias of the alert topic', path, 'monitoring', region);
  }
}

function backupNames(spec: DisasterRecoverySpec, regions: string[], emit: Emit): void {
  if (!spec.backup) return;
  emit('backupPlan', 'AWS Backup plan', 'spec.backup', 'plan');
  emit('backupPlan', 'AWS Backup selection', 'spec.backup', 'estate');
  emit('iamRole', 'IAM role of AWS Backup', 'spec.backup', 'backup');
  for (const region of regions) {
    emit('backupVault', 'AWS Backup vault', 'spec.backup', 'vault', region);
    emit('kmsAlias', 'KMS key alias of the backup vault', 'spec.backup', 'backup', region);
  }
}

function failoverNames(spec: DisasterRecoverySpec, regions: string[], namer: Namer, names: EstateName[], emit: Emit): void {
  if (!spec.failover) return;
  emit('iamRole', 'DR-operations role', 'spec.failover', 'dr-operations');
  if (spec.failover.mode === 'automatic') {
    // In the standby region (src/compose/failover-trigger.ts): the first secondary while the primary serves, else the primary.
    const active = spec.activeRegion ?? spec.regions.primary;
    const standby = active === spec.regions.primary ? spec.regions.secondaries[0]! : spec.regions.primary;
    emit('schedule', 'EventBridge rule that probes the serving region', 'spec.failover', 'failover-probe', standby);
    emit('schedule', 'EventBridge rule that starts automatic failover', 'spec.failover', 'failover-trigger', standby);
    emit('alarm', 'composite alarm that starts automatic failover', 'spec.failover', 'failover-trigger', standby);
    emit(
      'alarm',
      'alarm: the serving region answered /health lately (arms the trigger)',
      'spec.failover',
      'failover-armed',
      standby,
    );
    emit('alarm', "alarm: Route 53's health checkers see the serving region down", 'spec.failover', 'failover-checkers', standby);
    emit(
      'alarm',
      "alarm: the serving region's Aurora cluster is in maintenance",
      'spec.failover',
      'failover-maintenance',
      standby,
    );
    emit(
      'alarm',
      "alarm: the serving region's Aurora cluster has been in maintenance for an hour (stuck)",
      'spec.failover',
      'failover-maintenance-stuck',
      standby,
    );
    emit(
      'alarm',
      'alarm: the automatic failover probe fails or publishes nothing',
      'spec.failover',
      'failover-probe-errors',
      standby,
    );
    emit(
      'alarm',
      'alarm: the trigger rule could not invoke the orchestrator',
      'spec.failover',
      'failover-trigger-undelivered',
      standby,
    );
  }
  for (const region of regions) {
    lambdaNames('the failover orchestrator', 'spec.failover', 'failover', region, namer, names, emit);
    emit('stateMachine', 'failover workflow (Step Functions)', 'spec.failover', 'failover', region);
    emit('iamRole', 'IAM role of the failover workflow', 'spec.failover', 'failover-workflow', region);
  }
}
