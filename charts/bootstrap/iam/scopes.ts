/**
 * Where the provider's IAM permissions apply: one scope per statement of the provider's managed policies. A scope names
 * resource ARNs (IAM globs) and, where AWS evaluates one, a condition; `why` says what it allows and, for `*`, why
 * it cannot be narrower.
 *
 * Every AWS name drplane chooses ends in the estate id, `-e` and 7 hex digits (docs/naming.md), so the named kinds are
 * scoped to ARNs ending in `-e???????` (`?` is one character in IAM globs). Kinds whose ids AWS assigns (VPCs, subnets,
 * security groups, KMS keys, health checks, backup plans) and actions AWS authorizes only on `*` cannot be scoped by
 * name. test/bootstrap/permissions.test.ts checks every glob against the ARN formats AWS documents for each action
 * (cfn-lint's Policies.json) and against every name the plans of the example claims choose.
 */

/** The suffix every drplane-chosen AWS name ends in: `-` and the estate id. */
export const ESTATE_SUFFIX = '*-e???????';

/** One statement's resources and condition. */
export interface Scope {
  /** Resource ARNs, IAM globs. */
  readonly resources: readonly string[];
  /** An IAM condition block, when AWS evaluates one for these actions. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** What the scope covers, and why it is not narrower. */
  readonly why: string;
  /**
   * The kinds whose planned AWS names the globs must cover, with the ARN a name gets (tests only): a composer that
   * names a resource outside the glob fails the test instead of failing in AWS.
   */
  readonly covers?: { readonly kinds: readonly string[]; readonly arn: (name: string) => string };
}

const E = ESTATE_SUFFIX;

/** The tag every resource drplane composes carries, with its estate id (src/compose/context.ts ESTATE_TAG). */
export const ESTATE_TAG = 'drplane:estate';
/** An estate id as an IAM glob: `e` and 7 characters. */
export const ESTATE_ID = 'e???????';

/**
 * An estate's EKS cluster name, `<claim>-eks-<environment>-<region code>-<estate id>`, as an IAM glob: tighter than
 * ESTATE_SUFFIX, which also matches names such as `payments-eu-west1`; IAM's `*` spans `/`, so the nested ARNs below
 * also name the node group by its own estate-id suffix.
 */
export const EKS_CLUSTER = '*-eks-*-e???????';

/** The estate's EKS clusters and what lives in them (ARN formats: cfn-lint's Policies.json, eks). */
const EKS_RESOURCES = [
  `arn:aws:eks:*:*:cluster/${EKS_CLUSTER}`,
  `arn:aws:eks:*:*:nodegroup/${EKS_CLUSTER}/${E}/*`,
  `arn:aws:eks:*:*:addon/${EKS_CLUSTER}/*`,
  `arn:aws:eks:*:*:access-entry/${EKS_CLUSTER}/*`,
  `arn:aws:eks:*:*:podidentityassociation/${EKS_CLUSTER}/*`,
];

/** Every scope, by name, in the order of the statements. */
export const SCOPES = {
  any: {
    resources: ['*'],
    why: 'Actions AWS authorizes only on `*` (create calls of kinds whose ids AWS assigns, Describe/List calls, account settings), and kinds whose ids AWS assigns (EC2 networking, RDS parameter and option groups touched by every create): no name or ARN to scope by.',
  },
  iamRoles: {
    resources: [`arn:aws:iam::*:role/${E}`],
    why: 'The roles, inline policies and attachments of the estates: role names end in the estate id.',
    covers: { kinds: ['iam.aws.upbound.io/Role'], arn: (n) => `arn:aws:iam::111122223333:role/${n}` },
  },
  attachManagedPolicies: {
    resources: [`arn:aws:iam::*:role/${E}`],
    condition: {
      ArnEquals: {
        'iam:PolicyARN': [
          'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
          'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
          'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
          'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
          'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
          'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
          'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
          'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
          'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
        ],
      },
    },
    why: 'Attaching and detaching managed policies on estate roles: only the AWS managed policies src/compose attaches, so no estate role can be given AdministratorAccess this way.',
  },
  passRole: {
    resources: [`arn:aws:iam::*:role/${E}`],
    condition: {
      StringEquals: {
        'iam:PassedToService': [
          'backup.amazonaws.com',
          'ec2.amazonaws.com',
          'eks.amazonaws.com',
          'lambda.amazonaws.com',
          'pods.eks.amazonaws.com',
          's3.amazonaws.com',
          'states.amazonaws.com',
        ],
      },
    },
    why: 'Passing estate roles to the services their trust policies name (Lambda, S3 replication, AWS Backup, Step Functions, EKS and its Pod Identity, EC2 for EKS nodes), nothing else.',
  },
  serviceLinkedRoles: {
    resources: ['arn:aws:iam::*:role/aws-service-role/*'],
    condition: {
      StringEquals: {
        'iam:AWSServiceName': [
          'eks-nodegroup.amazonaws.com',
          'eks.amazonaws.com',
          'ops.apigateway.amazonaws.com',
          'rds.amazonaws.com',
          'replication.dynamodb.amazonaws.com',
          'route53-recovery-readiness.amazonaws.com',
        ],
      },
    },
    why: 'The service-linked roles Aurora, DynamoDB global tables, EKS (clusters, managed node groups), API Gateway (APIs, custom domain names: AWSServiceRoleForAPIGateway) and ARC readiness (readiness checks: AWSServiceRoleForRoute53RecoveryReadiness) create on first use in an account.',
  },
  s3Buckets: {
    resources: [`arn:aws:s3:::${E}`, `arn:aws:s3:::${E}/*`],
    why: "The estates' buckets (claim buckets and Lambda code buckets) and their objects: bucket names end in the estate id.",
    covers: { kinds: ['s3.aws.upbound.io/Bucket'], arn: (n) => `arn:aws:s3:::${n}` },
  },
  dynamodbTables: {
    resources: [`arn:aws:dynamodb:*:*:table/${E}`, `arn:aws:dynamodb:*:*:table/${E}/*`],
    why: 'The global tables, their replicas in every region, indexes and streams: table names end in the estate id.',
    covers: {
      kinds: ['dynamodb.aws.upbound.io/Table'],
      arn: (n) => `arn:aws:dynamodb:us-east-1:111122223333:table/${n}`,
    },
  },
  lambdaFunctions: {
    resources: [`arn:aws:lambda:*:*:function:${E}`, `arn:aws:lambda:*:*:function:${E}:*`],
    why: 'The Lambda functions (and their versions) of the estates: function names end in the estate id.',
    covers: {
      kinds: ['lambda.aws.upbound.io/Function'],
      arn: (n) => `arn:aws:lambda:us-east-1:111122223333:function:${n}`,
    },
  },
  logGroups: {
    resources: [
      `arn:aws:logs:*:*:log-group:/aws/${E}`,
      `arn:aws:logs:*:*:log-group:/aws/${E}:*`,
      // The group and its streams (`:*`) in one glob.
      `arn:aws:logs:*:*:log-group:/aws/eks/${E}/cluster*`,
    ],
    why: "The functions' log groups, /aws/lambda/<function name>, and the failover workflows', /aws/vendedlogs/states/<state machine name>: under /aws/, ending in the estate id; the EKS control-plane log groups, /aws/eks/<cluster name>/cluster (a name EKS fixes).",
    covers: {
      kinds: ['cloudwatchlogs.aws.upbound.io/Group'],
      arn: (n) => `arn:aws:logs:us-east-1:111122223333:log-group:${n}`,
    },
  },
  snsTopics: {
    resources: [`arn:aws:sns:*:*:${E}`],
    why: 'The alert topics and their subscriptions (SNS authorizes subscription calls on the topic): topic names end in the estate id.',
    covers: { kinds: ['sns.aws.upbound.io/Topic'], arn: (n) => `arn:aws:sns:us-east-1:111122223333:${n}` },
  },
  alarms: {
    resources: [`arn:aws:cloudwatch:*:*:alarm:${E}`],
    why: 'Metric and composite alarms: alarm names end in the estate id.',
    covers: {
      kinds: ['cloudwatch.aws.upbound.io/MetricAlarm', 'cloudwatch.aws.upbound.io/CompositeAlarm'],
      arn: (n) => `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${n}`,
    },
  },
  dashboards: {
    resources: [`arn:aws:cloudwatch::*:dashboard/${E}`],
    why: 'The estate dashboards: names end in the estate id.',
    covers: {
      kinds: ['cloudwatch.aws.upbound.io/Dashboard'],
      arn: (n) => `arn:aws:cloudwatch::111122223333:dashboard/${n}`,
    },
  },
  stateMachines: {
    resources: [`arn:aws:states:*:*:stateMachine:${E}`],
    why: 'The failover workflows (Step Functions state machines): names end in the estate id.',
    covers: {
      kinds: ['sfn.aws.upbound.io/StateMachine'],
      arn: (n) => `arn:aws:states:us-east-1:111122223333:stateMachine:${n}`,
    },
  },
  eventRules: {
    resources: [`arn:aws:events:*:*:rule/${E}`],
    why: 'EventBridge rules on the default bus and their targets: rule names end in the estate id.',
    covers: {
      kinds: ['cloudwatchevents.aws.upbound.io/Rule'],
      arn: (n) => `arn:aws:events:us-east-1:111122223333:rule/${n}`,
    },
  },
  parameters: {
    resources: ['arn:aws:ssm:*:*:parameter/drplane/e???????/*'],
    why: "The SSM parameters of the estates: each lives under /drplane/<estate id>/, the estate's own path.",
    covers: {
      kinds: ['ssm.aws.upbound.io/Parameter'],
      arn: (n) => `arn:aws:ssm:us-east-1:111122223333:parameter${n}`,
    },
  },
  eksClusters: {
    resources: EKS_RESOURCES,
    why: "The calls that create what lives in a cluster (node groups, add-ons, access entries, Pod Identity associations) and the tags a create call carries, which EKS authorizes on the resource being created before it has any tag: on the estate's clusters, whose names are `<claim>-eks-<environment>-<region code>-<estate id>` (never shortened: at most 73 of EKS's 100 characters), and, for what lives in one, under that name (node group names end in the estate id too).",
    covers: { kinds: ['eks.aws.upbound.io/Cluster'], arn: (n) => `arn:aws:eks:us-east-1:111122223333:cluster/${n}` },
  },
  eksCreateCluster: {
    resources: ['*'],
    condition: {
      StringEquals: { 'aws:RequestTag/ManagedBy': 'drplane' },
      StringLike: { [`aws:RequestTag/${ESTATE_TAG}`]: ESTATE_ID },
    },
    why: 'CreateCluster, which EKS authorizes on * only: only with the tags every drplane cluster is created with (ManagedBy drplane and an estate id), so a cluster created this way is always one the other EKS statements can reach.',
  },
  eksTagged: {
    resources: EKS_RESOURCES,
    condition: { StringLike: { [`aws:ResourceTag/${ESTATE_TAG}`]: ESTATE_ID } },
    why: "Reading, changing and deleting the estate's clusters and what lives in them, only while they carry an estate id tag (every resource drplane composes does): a foreign cluster whose name happens to fit the globs is out of reach.",
  },
  eksAccessPolicies: {
    resources: [`arn:aws:eks:*:*:access-entry/${EKS_CLUSTER}/*`],
    condition: {
      ArnEquals: { 'eks:policyArn': ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy'] },
      StringLike: { [`aws:ResourceTag/${ESTATE_TAG}`]: ESTATE_ID },
    },
    why: "Associating access policies with the estate's access entries and removing them: only the access policy src/primitives/kubernetes gives the platform team's role.",
  },
  kmsKeys: {
    resources: ['arn:aws:kms:*:*:key/*'],
    why: 'KMS keys: AWS assigns key ids, so any key of the account. The key policies drplane writes still decide what each key allows.',
  },
  kmsGrants: {
    resources: ['arn:aws:kms:*:*:key/*'],
    condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    why: "Grants on KMS keys, only those an AWS service integrated with KMS creates for the caller (kms:GrantIsForAWSResource): RDS/Aurora and Performance Insights, DynamoDB, EKS secrets encryption and AWS Backup create the grant on the estate key themselves during the provider's call; the provider never creates a grant directly, so it cannot grant a key to another principal.",
  },
  kmsAliases: {
    resources: [`arn:aws:kms:*:*:alias/${E}`, 'arn:aws:kms:*:*:key/*'],
    why: 'Aliases of the estate keys (alias names end in the estate id); CreateAlias/UpdateAlias/DeleteAlias are also authorized on the key, whose id AWS assigns.',
    covers: { kinds: ['kms.aws.upbound.io/Alias'], arn: (n) => `arn:aws:kms:us-east-1:111122223333:alias/${n}` },
  },
  backupVaults: {
    resources: [`arn:aws:backup:*:*:backup-vault:${E}`, 'arn:aws:backup:*:*:recovery-point:*'],
    why: 'The backup vaults of the estates (names end in the estate id) and, to empty a test vault on deletion, its recovery points (ids AWS assigns).',
    covers: {
      kinds: ['backup.aws.upbound.io/Vault'],
      arn: (n) => `arn:aws:backup:us-east-1:111122223333:backup-vault:${n}`,
    },
  },
  backupPlans: {
    resources: ['arn:aws:backup:*:*:backup-plan:*'],
    why: 'Backup plans and their selections: AWS assigns plan ids.',
  },
  apiGateway: {
    resources: [
      'arn:aws:apigateway:*::/apis',
      'arn:aws:apigateway:*::/apis/*',
      'arn:aws:apigateway:*::/domainnames',
      'arn:aws:apigateway:*::/domainnames/*',
      'arn:aws:apigateway:*::/tags/*',
    ],
    why: "HTTP APIs, their integrations, routes and stages, the custom domain names of the claims' record names and their API mappings, and their tags: API Gateway authorizes HTTP verbs on resource paths; AWS assigns API ids, and the domain names are the claims' (any zone).",
  },
  acmCertificates: {
    resources: ['arn:aws:acm:*:*:certificate/*'],
    why: "The ACM certificates of the claims' record names: AWS assigns certificate ids (RequestCertificate is authorized on * only).",
  },
  route53: {
    resources: ['arn:aws:route53:::hostedzone/*', 'arn:aws:route53:::healthcheck/*', 'arn:aws:route53:::change/*'],
    why: "Records in the claims' hosted zones (any zone: the claims name them, the bootstrap cannot know them), health checks and change status; AWS assigns zone, health check and change ids.",
  },
} as const satisfies Record<string, Scope>;

/** The name of a scope. */
export type ScopeName = keyof typeof SCOPES;
