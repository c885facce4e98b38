/**
 * The AWS names compose gives its resources, as data beside the manifests (never inside them, so rendered output is
 * unchanged): for each named resource its naming rule, what it is, and the name before shortening. drctl validate
 * checks the names of a plan with these (src/policy/rules/names.ts) instead of deriving them a second time.
 *
 * A name is one the estate's Namer made (src/compose/naming.ts) and a resource carries as its external name or
 * `spec.forProvider.name`. Names composed from a Namer name (a log group `/aws/lambda/<function>`, an ARC readiness
 * name with `_` for `-`) or constant (an inline policy's `replication`) are not Namer names and are left out.
 */
import type { MadeName, NameKind, Namer } from './naming.js';
import type { Manifest } from './types.js';

/** One AWS name of a composed resource. */
export interface ComposedName {
  /** Naming rule of the resource's service (NAME_RULES). */
  readonly kind: NameKind;
  /** What the resource is, for messages ("Aurora instance"). */
  readonly what: string;
  /** The name as AWS gets it (a KMS alias without its `alias/`), the name before shortening and its logical part. */
  readonly name: MadeName;
}

/** Naming rule and noun of every resource type whose name drplane chooses, by `<API group>/<kind>`. */
const NAMED_TYPES: Readonly<Record<string, { readonly kind: NameKind; readonly what: string }>> = {
  'backup.aws.upbound.io/Plan': { kind: 'backupPlan', what: 'AWS Backup plan' },
  'backup.aws.upbound.io/Selection': { kind: 'backupPlan', what: 'AWS Backup selection' },
  'backup.aws.upbound.io/Vault': { kind: 'backupVault', what: 'AWS Backup vault' },
  'cloudwatch.aws.upbound.io/CompositeAlarm': { kind: 'alarm', what: 'CloudWatch composite alarm' },
  'cloudwatch.aws.upbound.io/Dashboard': { kind: 'dashboard', what: 'CloudWatch dashboard' },
  'cloudwatch.aws.upbound.io/MetricAlarm': { kind: 'alarm', what: 'CloudWatch alarm' },
  'cloudwatchevents.aws.upbound.io/Rule': { kind: 'schedule', what: 'EventBridge rule' },
  'dynamodb.aws.upbound.io/Table': { kind: 'dynamodbTable', what: 'DynamoDB global table' },
  'eks.aws.upbound.io/Cluster': { kind: 'eksCluster', what: 'EKS cluster' },
  'eks.aws.upbound.io/NodeGroup': { kind: 'eksNodegroup', what: 'EKS node group' },
  'iam.aws.upbound.io/Policy': { kind: 'iamPolicy', what: 'IAM policy' },
  'iam.aws.upbound.io/Role': { kind: 'iamRole', what: 'IAM role' },
  'kms.aws.upbound.io/Alias': { kind: 'kmsAlias', what: 'KMS key alias' },
  'lambda.aws.upbound.io/Function': { kind: 'lambdaFunction', what: 'Lambda function' },
  'rds.aws.upbound.io/Cluster': { kind: 'rdsIdentifier', what: 'Aurora cluster' },
  'rds.aws.upbound.io/ClusterInstance': { kind: 'rdsIdentifier', what: 'Aurora instance' },
  'rds.aws.upbound.io/GlobalCluster': { kind: 'rdsIdentifier', what: 'Aurora global cluster' },
  'rds.aws.upbound.io/SubnetGroup': { kind: 'subnetGroup', what: 'DB subnet group' },
  'route53recoverycontrolconfig.aws.upbound.io/Cluster': { kind: 'arc', what: 'Route 53 ARC cluster' },
  'route53recoverycontrolconfig.aws.upbound.io/ControlPanel': { kind: 'arc', what: 'Route 53 ARC control panel' },
  'route53recoverycontrolconfig.aws.upbound.io/RoutingControl': { kind: 'arc', what: 'Route 53 ARC routing control' },
  'route53recoverycontrolconfig.aws.upbound.io/SafetyRule': { kind: 'arc', what: 'Route 53 ARC safety rule' },
  's3.aws.upbound.io/Bucket': { kind: 's3Bucket', what: 'S3 bucket' },
  'sfn.aws.upbound.io/StateMachine': { kind: 'stateMachine', what: 'Step Functions state machine' },
  'sns.aws.upbound.io/Topic': { kind: 'snsTopic', what: 'SNS topic' },
};

/** The names a manifest carries: its external name, then `spec.forProvider.name`, each once. */
function nameFields(manifest: Manifest): string[] {
  const annotations = (manifest.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  const forProvider = (manifest.spec as { forProvider?: { name?: unknown } } | undefined)?.forProvider;
  const fields = [annotations?.['crossplane.io/external-name'], forProvider?.name];
  return [...new Set(fields.filter((f): f is string => typeof f === 'string'))];
}

/** The AWS names the Namer of a composite made for one of its manifests; none for a type drplane does not name. */
export function composedNames(namer: Namer, manifest: Manifest): ComposedName[] {
  const type = NAMED_TYPES[`${manifest.apiVersion.split('/')[0]}/${manifest.kind}`];
  if (!type) return [];
  return nameFields(manifest).flatMap((value) => {
    const name = namer.made(value);
    return name ? [{ ...type, name }] : [];
  });
}
