/** The provider-upjet-aws families drplane composes, pinned to the version whose CRDs are imported. */
export const PROVIDER_VERSION = 'v2.6.0';

/** Registry path of the provider-upjet-aws family packages. */
export const PROVIDER_REGISTRY = 'xpkg.crossplane.io/crossplane-contrib';

/** Provider families (service names) whose managed resources the primitives use. */
export const PROVIDER_FAMILIES = [
  'acm',
  'apigatewayv2',
  'backup',
  'cloudwatch',
  'cloudwatchevents',
  'cloudwatchlogs',
  'dynamodb',
  'ec2',
  'eks',
  'iam',
  'kms',
  'lambda',
  'rds',
  'route53',
  'route53recoverycontrolconfig',
  'route53recoveryreadiness',
  's3',
  'sfn',
  'sns',
  'ssm',
] as const;

/** A provider family drplane composes with. */
export type ProviderFamily = (typeof PROVIDER_FAMILIES)[number];

/** API group of a provider family's cluster-scoped kinds, e.g. rds.aws.upbound.io. */
export const providerGroup = (family: string): string => `${family}.aws.upbound.io`;

/** Package reference of a provider family, e.g. xpkg.crossplane.io/crossplane-contrib/provider-aws-rds. */
export const providerPackage = (family: string): string => `${PROVIDER_REGISTRY}/provider-aws-${family}`;
