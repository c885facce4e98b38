/**
 * What the AWS provider calls to manage each managed-resource kind drplane composes: the one table
 * provider-permissions.json is generated from (see policy.ts).
 *
 * provider-upjet-aws runs the Terraform AWS provider's resource code; each entry lists, per Terraform resource type
 * (the kind's `GetTerraformResourceType()` in the provider source), the AWS API operations that code makes to
 * create, read (observe, late-initialize), update, tag and delete the resource, as botocore names them
 * (`<botocore service>:<Operation>`). An operation is authorized by an IAM action of the same name under the
 * service's IAM prefix, except where `actions.ts` says otherwise (S3 and Lambda rename some, API Gateway authorizes
 * HTTP verbs). Permissions AWS checks that are not operations of their own (iam:PassRole, the DynamoDB replica
 * permissions, backup-storage:MountCapsule, KMS use by a service on the caller's behalf) are listed under `also`.
 *
 * Written from the Terraform resources' create/read/update/delete code; checked by
 * test/bootstrap/permissions.test.ts: every kind the compositions can emit has an entry and every entry a kind, the
 * Terraform type matches the provider source, every operation exists in botocore's model of its service, every IAM
 * action exists in cfn-lint's IAM policy data, and every scoped action accepts the scope's ARNs. Not checked: that the
 * list is complete against a live account; a call missing here shows as an AccessDenied in the managed resource's
 * Synced=False message, naming the action.
 *
 * Tags on create: most create calls carry the resource's tags, and AWS then also authorizes the service's tag action
 * on the resource being created. Where the name is drplane's (IAM roles, tables, functions, log groups, topics,
 * alarms, rules, vaults, parameters) that ARN is known at the call and lies in the entry's scope, which holds the tag
 * action too; kinds whose ids AWS assigns are in scope `any` already (EC2, RDS) or have their own `*`-style scope
 * (backup plans, API Gateway's /tags/*, Route 53 health checks, tagged after creation). The one kind created on `*`
 * while its other actions are scoped is the KMS key: see aws_kms_key.
 */
import type { ScopeName } from './scopes.js';

/** `<botocore service>:<Operation>`, optionally `@<scope>` when it differs from the entry's scope. */
export type Operation = string;

/** A permission AWS checks that is no API operation of its own (or is checked on a resource of another service). */
export interface AlsoAction {
  /** The IAM action, `<prefix>:<Action>`. */
  readonly action: string;
  /** Where it applies. */
  readonly scope: ScopeName;
  /** Which call needs it. */
  readonly why: string;
}

/** What the provider does for one Terraform resource type. */
export interface ResourcePermissions {
  /** The managed-resource kinds (`<group>/<Kind>`) backed by this Terraform type. */
  readonly kinds: readonly string[];
  /** Scope of the entry's operations unless an operation names its own. */
  readonly scope: ScopeName;
  readonly create: readonly Operation[];
  readonly read: readonly Operation[];
  readonly update: readonly Operation[];
  readonly tag: readonly Operation[];
  readonly delete: readonly Operation[];
  readonly also?: readonly AlsoAction[];
}

/** The lifecycle steps of an entry, in order. */
export const STEPS = ['create', 'read', 'update', 'tag', 'delete'] as const;

/**
 * KMS calls a service makes with the caller's credentials when a resource is encrypted with a customer managed key:
 * DescribeKey, and CreateGrant made by the service itself (scope kmsGrants: kms:GrantIsForAWSResource true).
 */
const useKey = (why: string): AlsoAction[] => [
  { action: 'kms:DescribeKey', scope: 'kmsKeys', why },
  { action: 'kms:CreateGrant', scope: 'kmsGrants', why },
];

const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags'];
const RDS_TAGS = ['rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'];

/**
 * Item operations DynamoDB authorizes, against the caller, on the table in each region where UpdateTable creates a
 * replica of a global table (version 2019.11.21): the Developer Guide, "Using IAM with global tables" (V2gt_IAM),
 * lists dynamodb:CreateTable, CreateTableReplica, Scan, Query, UpdateItem, PutItem, GetItem, DeleteItem and
 * BatchWriteItem as the permissions needed in the destination regions. The provider makes none of these item calls
 * itself; they are listed as operations because they are operations of DynamoDB (test/bootstrap checks that).
 */
const REPLICA_ITEM_CHECKS = [
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** The table, by Terraform resource type. */
export const PERMISSIONS: Readonly<Record<string, ResourcePermissions>> = {
  aws_acm_certificate: {
    kinds: ['acm.aws.upbound.io/Certificate'],
    scope: 'acmCertificates',
    create: ['acm:RequestCertificate@any', 'acm:DescribeCertificate'],
    read: ['acm:DescribeCertificate'],
    update: ['acm:UpdateCertificateOptions'],
    // RequestCertificate carries the tags: AWS authorizes adding them on the certificate it is creating, so on `*`.
    tag: ['acm:AddTagsToCertificate@any', 'acm:RemoveTagsFromCertificate', 'acm:ListTagsForCertificate'],
    delete: ['acm:DeleteCertificate'],
  },
  aws_acm_certificate_validation: {
    kinds: ['acm.aws.upbound.io/CertificateValidation'],
    scope: 'acmCertificates',
    // Waits until the certificate is issued; deleting it only forgets it.
    create: ['acm:DescribeCertificate'],
    read: ['acm:DescribeCertificate'],
    update: [],
    tag: [],
    delete: [],
  },
  aws_apigatewayv2_api_mapping: {
    kinds: ['apigatewayv2.aws.upbound.io/APIMapping'],
    scope: 'apiGateway',
    create: ['apigatewayv2:CreateApiMapping'],
    read: ['apigatewayv2:GetApiMapping'],
    update: ['apigatewayv2:UpdateApiMapping'],
    tag: [],
    delete: ['apigatewayv2:DeleteApiMapping'],
  },
  aws_apigatewayv2_domain_name: {
    kinds: ['apigatewayv2.aws.upbound.io/DomainName'],
    scope: 'apiGateway',
    create: ['apigatewayv2:CreateDomainName'],
    read: ['apigatewayv2:GetDomainName'],
    update: ['apigatewayv2:UpdateDomainName'],
    tag: ['apigatewayv2:TagResource', 'apigatewayv2:UntagResource'],
    delete: ['apigatewayv2:DeleteDomainName'],
    also: [
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: "CreateDomainName creates API Gateway's AWSServiceRoleForAPIGateway on first use in an account (API Gateway Developer Guide, using service-linked roles)",
      },
    ],
  },
  aws_apigatewayv2_api: {
    kinds: ['apigatewayv2.aws.upbound.io/API'],
    scope: 'apiGateway',
    create: ['apigatewayv2:CreateApi'],
    read: ['apigatewayv2:GetApi'],
    update: ['apigatewayv2:UpdateApi', 'apigatewayv2:DeleteCorsConfiguration'],
    tag: ['apigatewayv2:TagResource', 'apigatewayv2:UntagResource'],
    delete: ['apigatewayv2:DeleteApi'],
    also: [
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: "CreateApi creates API Gateway's AWSServiceRoleForAPIGateway on first use in an account (API Gateway Developer Guide, using service-linked roles)",
      },
    ],
  },
  aws_apigatewayv2_integration: {
    kinds: ['apigatewayv2.aws.upbound.io/Integration'],
    scope: 'apiGateway',
    create: ['apigatewayv2:CreateIntegration'],
    read: ['apigatewayv2:GetIntegration'],
    update: ['apigatewayv2:UpdateIntegration'],
    tag: [],
    delete: ['apigatewayv2:DeleteIntegration'],
  },
  aws_apigatewayv2_route: {
    kinds: ['apigatewayv2.aws.upbound.io/Route'],
    scope: 'apiGateway',
    create: ['apigatewayv2:CreateRoute'],
    read: ['apigatewayv2:GetRoute'],
    update: ['apigatewayv2:UpdateRoute'],
    tag: [],
    delete: ['apigatewayv2:DeleteRoute'],
  },
  aws_apigatewayv2_stage: {
    kinds: ['apigatewayv2.aws.upbound.io/Stage'],
    scope: 'apiGateway',
    create: ['apigatewayv2:CreateStage'],
    read: ['apigatewayv2:GetStage', 'apigatewayv2:GetApi'],
    update: ['apigatewayv2:UpdateStage'],
    tag: ['apigatewayv2:TagResource', 'apigatewayv2:UntagResource'],
    delete: ['apigatewayv2:DeleteStage'],
  },
  aws_backup_plan: {
    kinds: ['backup.aws.upbound.io/Plan'],
    scope: 'backupPlans',
    create: ['backup:CreateBackupPlan'],
    read: ['backup:GetBackupPlan'],
    update: ['backup:UpdateBackupPlan'],
    tag: ['backup:ListTags', 'backup:TagResource', 'backup:UntagResource'],
    delete: ['backup:DeleteBackupPlan'],
  },
  aws_backup_region_settings: {
    kinds: ['backup.aws.upbound.io/RegionSettings'],
    scope: 'any',
    create: ['backup:UpdateRegionSettings'],
    read: ['backup:DescribeRegionSettings'],
    update: ['backup:UpdateRegionSettings'],
    tag: [],
    // The settings are orphaned (deletionPolicy: Orphan, src/primitives/backup/compose.ts): never deleted.
    delete: [],
  },
  aws_backup_selection: {
    kinds: ['backup.aws.upbound.io/Selection'],
    scope: 'backupPlans',
    create: ['backup:CreateBackupSelection'],
    read: ['backup:GetBackupSelection'],
    update: [],
    tag: [],
    delete: ['backup:DeleteBackupSelection'],
    also: [{ action: 'iam:PassRole', scope: 'passRole', why: 'CreateBackupSelection passes the backup role to AWS Backup' }],
  },
  aws_backup_vault: {
    kinds: ['backup.aws.upbound.io/Vault'],
    scope: 'backupVaults',
    create: ['backup:CreateBackupVault'],
    read: ['backup:DescribeBackupVault'],
    update: [],
    tag: ['backup:ListTags', 'backup:TagResource', 'backup:UntagResource'],
    delete: ['backup:DeleteBackupVault', 'backup:ListRecoveryPointsByBackupVault', 'backup:DeleteRecoveryPoint'],
    also: [
      {
        action: 'backup-storage:MountCapsule',
        scope: 'any',
        why: 'CreateBackupVault mounts the vault storage (AWS Backup documents this permission; it has no resource type)',
      },
      ...useKey('CreateBackupVault with the estate key'),
      { action: 'kms:GenerateDataKey', scope: 'kmsKeys', why: 'CreateBackupVault with the estate key' },
      { action: 'kms:Decrypt', scope: 'kmsKeys', why: 'CreateBackupVault with the estate key' },
      { action: 'kms:RetireGrant', scope: 'kmsKeys', why: 'DeleteBackupVault retires the grant on the estate key' },
    ],
  },
  aws_cloudwatch_composite_alarm: {
    kinds: ['cloudwatch.aws.upbound.io/CompositeAlarm'],
    scope: 'alarms',
    create: ['cloudwatch:PutCompositeAlarm'],
    read: ['cloudwatch:DescribeAlarms'],
    update: ['cloudwatch:PutCompositeAlarm'],
    tag: ['cloudwatch:ListTagsForResource', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
    delete: ['cloudwatch:DeleteAlarms'],
  },
  aws_cloudwatch_dashboard: {
    kinds: ['cloudwatch.aws.upbound.io/Dashboard'],
    scope: 'dashboards',
    create: ['cloudwatch:PutDashboard'],
    read: ['cloudwatch:GetDashboard'],
    update: ['cloudwatch:PutDashboard'],
    tag: [],
    delete: ['cloudwatch:DeleteDashboards'],
  },
  aws_cloudwatch_metric_alarm: {
    kinds: ['cloudwatch.aws.upbound.io/MetricAlarm'],
    scope: 'alarms',
    create: ['cloudwatch:PutMetricAlarm'],
    read: ['cloudwatch:DescribeAlarms'],
    update: ['cloudwatch:PutMetricAlarm'],
    tag: ['cloudwatch:ListTagsForResource', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
    delete: ['cloudwatch:DeleteAlarms'],
  },
  aws_cloudwatch_event_rule: {
    kinds: ['cloudwatchevents.aws.upbound.io/Rule'],
    scope: 'eventRules',
    create: ['events:PutRule'],
    read: ['events:DescribeRule'],
    update: ['events:PutRule', 'events:EnableRule', 'events:DisableRule'],
    tag: ['events:ListTagsForResource', 'events:TagResource', 'events:UntagResource'],
    delete: ['events:DeleteRule'],
  },
  aws_cloudwatch_event_target: {
    kinds: ['cloudwatchevents.aws.upbound.io/Target'],
    scope: 'eventRules',
    create: ['events:PutTargets'],
    read: ['events:ListTargetsByRule'],
    update: ['events:PutTargets'],
    tag: [],
    delete: ['events:RemoveTargets'],
  },
  aws_cloudwatch_log_group: {
    kinds: ['cloudwatchlogs.aws.upbound.io/Group'],
    scope: 'logGroups',
    create: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
    read: ['logs:DescribeLogGroups@any'],
    update: ['logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey'],
    tag: ['logs:ListTagsForResource', 'logs:TagResource', 'logs:UntagResource'],
    delete: ['logs:DeleteLogGroup'],
  },
  aws_dynamodb_table: {
    kinds: ['dynamodb.aws.upbound.io/Table'],
    scope: 'dynamodbTables',
    create: [
      'dynamodb:CreateTable',
      'dynamodb:UpdateTable',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:UpdateContinuousBackups',
      ...REPLICA_ITEM_CHECKS,
    ],
    read: ['dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:DescribeContinuousBackups'],
    update: ['dynamodb:UpdateTable', 'dynamodb:UpdateTimeToLive', 'dynamodb:UpdateContinuousBackups', ...REPLICA_ITEM_CHECKS],
    tag: ['dynamodb:ListTagsOfResource', 'dynamodb:TagResource', 'dynamodb:UntagResource'],
    delete: ['dynamodb:DeleteTable'],
    also: [
      { action: 'dynamodb:CreateTableReplica', scope: 'dynamodbTables', why: 'UpdateTable adding a replica region' },
      { action: 'dynamodb:DeleteTableReplica', scope: 'dynamodbTables', why: 'UpdateTable removing a replica region' },
      {
        action: 'dynamodb:CreateGlobalTableWitness',
        scope: 'dynamodbTables',
        why: 'UpdateTable adding the witness region of a strongly consistent (MRSC) table (globalTableWitness)',
      },
      {
        action: 'dynamodb:DeleteGlobalTableWitness',
        scope: 'dynamodbTables',
        why: 'UpdateTable removing the witness region, with a replica, or deleting the MRSC table',
      },
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: 'the first replica creates AWSServiceRoleForDynamoDBReplication',
      },
      ...useKey('CreateTable and replicas encrypted with the estate key'),
    ],
  },
  aws_eks_cluster: {
    kinds: ['eks.aws.upbound.io/Cluster'],
    scope: 'eksTagged',
    // CreateCluster is authorized on * only (with its tags as a condition); the Service Authorization Reference lists
    // eks:TagResource as its dependent action, which EKS checks on the new cluster's ARN (in eksClusters), not on *.
    create: ['eks:CreateCluster@eksCreateCluster', 'eks:TagResource@eksClusters', 'eks:DescribeCluster'],
    read: ['eks:DescribeCluster'],
    update: ['eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:AssociateEncryptionConfig', 'eks:DescribeUpdate'],
    tag: ['eks:ListTagsForResource', 'eks:TagResource@eksClusters', 'eks:UntagResource'],
    delete: ['eks:DeleteCluster', 'eks:DescribeCluster'],
    also: [
      { action: 'iam:PassRole', scope: 'passRole', why: 'CreateCluster passes the cluster role' },
      ...useKey('CreateCluster with secrets encryption: EKS creates a grant on the cluster key with the caller'),
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: "CreateCluster creates EKS's service-linked role on first use in an account",
      },
    ],
  },
  aws_eks_node_group: {
    kinds: ['eks.aws.upbound.io/NodeGroup'],
    scope: 'eksTagged',
    create: ['eks:CreateNodegroup@eksClusters', 'eks:DescribeNodegroup'],
    read: ['eks:DescribeNodegroup'],
    update: ['eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion', 'eks:DescribeUpdate'],
    tag: ['eks:ListTagsForResource', 'eks:TagResource@eksClusters', 'eks:UntagResource'],
    delete: ['eks:DeleteNodegroup', 'eks:DescribeNodegroup'],
    also: [
      { action: 'iam:PassRole', scope: 'passRole', why: 'CreateNodegroup passes the node role' },
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: "CreateNodegroup creates EKS's node group service-linked role on first use in an account",
      },
    ],
  },
  aws_eks_addon: {
    kinds: ['eks.aws.upbound.io/Addon'],
    scope: 'eksTagged',
    create: ['eks:CreateAddon@eksClusters', 'eks:DescribeAddon'],
    read: ['eks:DescribeAddon'],
    update: ['eks:UpdateAddon', 'eks:DescribeUpdate'],
    tag: ['eks:ListTagsForResource', 'eks:TagResource@eksClusters', 'eks:UntagResource'],
    delete: ['eks:DeleteAddon', 'eks:DescribeAddon'],
  },
  aws_eks_pod_identity_association: {
    kinds: ['eks.aws.upbound.io/PodIdentityAssociation'],
    scope: 'eksTagged',
    create: ['eks:CreatePodIdentityAssociation@eksClusters'],
    read: ['eks:DescribePodIdentityAssociation'],
    update: ['eks:UpdatePodIdentityAssociation'],
    // No eks:ListTagsForResource: cfn-lint's IAM data (Policies.json, eks) authorizes it on neither podidentityassociation
    // nor access-entry, and DescribePodIdentityAssociation/DescribeAccessEntry return the tags (botocore eks model:
    // PodIdentityAssociation.tags, AccessEntry.tags).
    tag: ['eks:TagResource@eksClusters', 'eks:UntagResource'],
    delete: ['eks:DeletePodIdentityAssociation'],
    also: [{ action: 'iam:PassRole', scope: 'passRole', why: 'CreatePodIdentityAssociation passes the role pods assume' }],
  },
  aws_eks_access_entry: {
    kinds: ['eks.aws.upbound.io/AccessEntry'],
    scope: 'eksTagged',
    create: ['eks:CreateAccessEntry@eksClusters'],
    read: ['eks:DescribeAccessEntry'],
    update: ['eks:UpdateAccessEntry'],
    tag: ['eks:TagResource@eksClusters', 'eks:UntagResource'],
    delete: ['eks:DeleteAccessEntry'],
  },
  aws_eks_access_policy_association: {
    kinds: ['eks.aws.upbound.io/AccessPolicyAssociation'],
    scope: 'eksTagged',
    create: ['eks:AssociateAccessPolicy@eksAccessPolicies'],
    read: ['eks:ListAssociatedAccessPolicies'],
    update: [],
    tag: [],
    delete: ['eks:DisassociateAccessPolicy@eksAccessPolicies'],
  },
  aws_route: {
    kinds: ['ec2.aws.upbound.io/Route'],
    scope: 'any',
    create: ['ec2:CreateRoute'],
    read: ['ec2:DescribeRouteTables'],
    update: ['ec2:ReplaceRoute'],
    tag: [],
    delete: ['ec2:DeleteRoute'],
  },
  aws_route_table: {
    kinds: ['ec2.aws.upbound.io/RouteTable'],
    scope: 'any',
    create: ['ec2:CreateRouteTable'],
    read: ['ec2:DescribeRouteTables'],
    update: [],
    tag: EC2_TAGS,
    delete: ['ec2:DeleteRouteTable'],
  },
  aws_route_table_association: {
    kinds: ['ec2.aws.upbound.io/RouteTableAssociation'],
    scope: 'any',
    create: ['ec2:AssociateRouteTable'],
    read: ['ec2:DescribeRouteTables'],
    update: ['ec2:ReplaceRouteTableAssociation'],
    tag: [],
    delete: ['ec2:DisassociateRouteTable'],
  },
  aws_security_group: {
    kinds: ['ec2.aws.upbound.io/SecurityGroup'],
    scope: 'any',
    // Terraform removes the default allow-all egress rule AWS adds to every new group.
    create: ['ec2:CreateSecurityGroup', 'ec2:RevokeSecurityGroupEgress'],
    read: ['ec2:DescribeSecurityGroups'],
    update: [],
    tag: EC2_TAGS,
    delete: [
      'ec2:DeleteSecurityGroup',
      'ec2:DescribeNetworkInterfaces',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupEgress',
    ],
  },
  aws_vpc_security_group_egress_rule: {
    kinds: ['ec2.aws.upbound.io/SecurityGroupEgressRule'],
    scope: 'any',
    create: ['ec2:AuthorizeSecurityGroupEgress'],
    read: ['ec2:DescribeSecurityGroupRules'],
    update: ['ec2:ModifySecurityGroupRules'],
    tag: EC2_TAGS,
    delete: ['ec2:RevokeSecurityGroupEgress'],
  },
  aws_vpc_security_group_ingress_rule: {
    kinds: ['ec2.aws.upbound.io/SecurityGroupIngressRule'],
    scope: 'any',
    create: ['ec2:AuthorizeSecurityGroupIngress'],
    read: ['ec2:DescribeSecurityGroupRules'],
    update: ['ec2:ModifySecurityGroupRules'],
    tag: EC2_TAGS,
    delete: ['ec2:RevokeSecurityGroupIngress'],
  },
  aws_subnet: {
    kinds: ['ec2.aws.upbound.io/Subnet'],
    scope: 'any',
    create: ['ec2:CreateSubnet', 'ec2:ModifySubnetAttribute'],
    read: ['ec2:DescribeSubnets'],
    update: ['ec2:ModifySubnetAttribute'],
    tag: EC2_TAGS,
    delete: ['ec2:DeleteSubnet', 'ec2:DescribeNetworkInterfaces'],
  },
  aws_vpc: {
    kinds: ['ec2.aws.upbound.io/VPC'],
    scope: 'any',
    create: ['ec2:CreateVpc', 'ec2:ModifyVpcAttribute'],
    // Besides the VPC, Terraform reads its main route table, default security group and default network ACL.
    read: [
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeNetworkAcls',
    ],
    update: ['ec2:ModifyVpcAttribute'],
    tag: EC2_TAGS,
    delete: ['ec2:DeleteVpc'],
  },
  aws_vpc_endpoint: {
    kinds: ['ec2.aws.upbound.io/VPCEndpoint'],
    scope: 'any',
    create: ['ec2:CreateVpcEndpoint'],
    read: ['ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
    update: ['ec2:ModifyVpcEndpoint'],
    tag: EC2_TAGS,
    delete: ['ec2:DeleteVpcEndpoints'],
  },
  aws_vpc_endpoint_route_table_association: {
    kinds: ['ec2.aws.upbound.io/VPCEndpointRouteTableAssociation'],
    scope: 'any',
    create: ['ec2:ModifyVpcEndpoint'],
    read: ['ec2:DescribeVpcEndpoints'],
    update: [],
    tag: [],
    delete: ['ec2:ModifyVpcEndpoint'],
  },
  aws_vpc_endpoint_security_group_association: {
    kinds: ['ec2.aws.upbound.io/VPCEndpointSecurityGroupAssociation'],
    scope: 'any',
    create: ['ec2:ModifyVpcEndpoint'],
    read: ['ec2:DescribeVpcEndpoints'],
    update: [],
    tag: [],
    delete: ['ec2:ModifyVpcEndpoint'],
  },
  aws_vpc_endpoint_subnet_association: {
    kinds: ['ec2.aws.upbound.io/VPCEndpointSubnetAssociation'],
    scope: 'any',
    create: ['ec2:ModifyVpcEndpoint'],
    read: ['ec2:DescribeVpcEndpoints'],
    update: [],
    tag: [],
    delete: ['ec2:ModifyVpcEndpoint'],
  },
  aws_vpc_peering_connection: {
    kinds: ['ec2.aws.upbound.io/VPCPeeringConnection'],
    scope: 'any',
    create: ['ec2:CreateVpcPeeringConnection'],
    read: ['ec2:DescribeVpcPeeringConnections'],
    update: ['ec2:ModifyVpcPeeringConnectionOptions'],
    tag: EC2_TAGS,
    delete: ['ec2:DeleteVpcPeeringConnection'],
  },
  aws_vpc_peering_connection_accepter: {
    kinds: ['ec2.aws.upbound.io/VPCPeeringConnectionAccepter'],
    scope: 'any',
    create: ['ec2:AcceptVpcPeeringConnection'],
    read: ['ec2:DescribeVpcPeeringConnections'],
    update: ['ec2:ModifyVpcPeeringConnectionOptions'],
    tag: EC2_TAGS,
    // Deleting the accepter only forgets it; the requester side deletes the connection.
    delete: [],
  },
  aws_vpc_peering_connection_options: {
    kinds: ['ec2.aws.upbound.io/VPCPeeringConnectionOptions'],
    scope: 'any',
    // Creating the options modifies the active connection (and waits for it); deleting them only forgets them.
    create: ['ec2:ModifyVpcPeeringConnectionOptions', 'ec2:DescribeVpcPeeringConnections'],
    read: ['ec2:DescribeVpcPeeringConnections'],
    update: ['ec2:ModifyVpcPeeringConnectionOptions'],
    tag: [],
    delete: [],
  },
  aws_iam_role: {
    kinds: ['iam.aws.upbound.io/Role'],
    scope: 'iamRoles',
    create: ['iam:CreateRole'],
    read: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
    update: ['iam:UpdateRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRoleDescription'],
    tag: ['iam:ListRoleTags', 'iam:TagRole', 'iam:UntagRole'],
    // Terraform detaches and deletes what is left on the role first.
    delete: [
      'iam:DeleteRole',
      'iam:ListInstanceProfilesForRole',
      'iam:DetachRolePolicy@attachManagedPolicies',
      'iam:DeleteRolePolicy',
    ],
  },
  aws_iam_role_policy: {
    kinds: ['iam.aws.upbound.io/RolePolicy'],
    scope: 'iamRoles',
    create: ['iam:PutRolePolicy'],
    read: ['iam:GetRolePolicy'],
    update: ['iam:PutRolePolicy'],
    tag: [],
    delete: ['iam:DeleteRolePolicy'],
  },
  aws_iam_role_policy_attachment: {
    kinds: ['iam.aws.upbound.io/RolePolicyAttachment'],
    scope: 'attachManagedPolicies',
    create: ['iam:AttachRolePolicy'],
    read: ['iam:ListAttachedRolePolicies@iamRoles'],
    update: [],
    tag: [],
    delete: ['iam:DetachRolePolicy'],
  },
  aws_kms_alias: {
    kinds: ['kms.aws.upbound.io/Alias'],
    scope: 'kmsAliases',
    create: ['kms:CreateAlias'],
    read: ['kms:ListAliases@any'],
    update: ['kms:UpdateAlias'],
    tag: [],
    delete: ['kms:DeleteAlias'],
  },
  aws_kms_key: {
    kinds: ['kms.aws.upbound.io/Key'],
    scope: 'kmsKeys',
    // CreateKey carries the key's tags. KMS Developer Guide, "Controlling access to tags": to add tags while creating a
    // key, kms:TagResource must be allowed in an IAM policy not restricted to particular keys (the key has no ARN yet),
    // so it is granted on `*` beside CreateKey; tagging an existing key stays on the key ARNs (tag step).
    create: ['kms:CreateKey@any', 'kms:TagResource@any'],
    read: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus'],
    update: [
      'kms:PutKeyPolicy',
      'kms:EnableKeyRotation',
      'kms:DisableKeyRotation',
      'kms:UpdateKeyDescription',
      'kms:EnableKey',
      'kms:DisableKey',
    ],
    tag: ['kms:ListResourceTags', 'kms:TagResource@any', 'kms:UntagResource'],
    delete: ['kms:ScheduleKeyDeletion'],
  },
  aws_lambda_function: {
    kinds: ['lambda.aws.upbound.io/Function'],
    scope: 'lambdaFunctions',
    create: ['lambda:CreateFunction', 'lambda:PutFunctionConcurrency'],
    read: [
      'lambda:GetFunction',
      'lambda:GetFunctionCodeSigningConfig',
      'lambda:GetRuntimeManagementConfig',
      'lambda:ListVersionsByFunction',
    ],
    update: [
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:PutFunctionConcurrency',
      'lambda:DeleteFunctionConcurrency',
      'lambda:PublishVersion',
    ],
    tag: ['lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'],
    delete: ['lambda:DeleteFunction'],
    also: [
      {
        action: 'iam:PassRole',
        scope: 'passRole',
        why: 'CreateFunction and UpdateFunctionConfiguration pass the execution role',
      },
      {
        action: 's3:GetObject',
        scope: 's3Buckets',
        why: 'Lambda reads the code object from S3 with the caller\u2019s permissions',
      },
      { action: 'ec2:DescribeSecurityGroups', scope: 'any', why: 'Lambda checks the VPC configuration for the caller' },
      { action: 'ec2:DescribeSubnets', scope: 'any', why: 'Lambda checks the VPC configuration for the caller' },
      { action: 'ec2:DescribeVpcs', scope: 'any', why: 'Lambda checks the VPC configuration for the caller' },
    ],
  },
  aws_lambda_function_event_invoke_config: {
    kinds: ['lambda.aws.upbound.io/FunctionEventInvokeConfig'],
    scope: 'lambdaFunctions',
    create: ['lambda:PutFunctionEventInvokeConfig'],
    read: ['lambda:GetFunctionEventInvokeConfig'],
    update: ['lambda:PutFunctionEventInvokeConfig'],
    tag: [],
    delete: ['lambda:DeleteFunctionEventInvokeConfig'],
  },
  aws_lambda_function_url: {
    kinds: ['lambda.aws.upbound.io/FunctionURL'],
    scope: 'lambdaFunctions',
    create: ['lambda:CreateFunctionUrlConfig'],
    read: ['lambda:GetFunctionUrlConfig'],
    update: ['lambda:UpdateFunctionUrlConfig'],
    tag: [],
    delete: ['lambda:DeleteFunctionUrlConfig'],
  },
  aws_lambda_invocation: {
    kinds: ['lambda.aws.upbound.io/Invocation'],
    scope: 'lambdaFunctions',
    create: ['lambda:Invoke'],
    read: [],
    update: ['lambda:Invoke'],
    tag: [],
    delete: ['lambda:Invoke'],
  },
  aws_lambda_permission: {
    kinds: ['lambda.aws.upbound.io/Permission'],
    scope: 'lambdaFunctions',
    create: ['lambda:AddPermission'],
    read: ['lambda:GetPolicy'],
    update: [],
    tag: [],
    delete: ['lambda:RemovePermission'],
  },
  aws_rds_cluster: {
    kinds: ['rds.aws.upbound.io/Cluster'],
    scope: 'any',
    create: ['rds:CreateDBCluster'],
    read: ['rds:DescribeDBClusters', 'rds:DescribeGlobalClusters'],
    update: ['rds:ModifyDBCluster'],
    tag: RDS_TAGS,
    // A production cluster's final snapshot is taken by DeleteDBCluster and authorized as CreateDBClusterSnapshot.
    delete: ['rds:DeleteDBCluster', 'rds:CreateDBClusterSnapshot', 'rds:RemoveFromGlobalCluster'],
    also: [
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: 'the first Aurora cluster creates AWSServiceRoleForRDS',
      },
      ...useKey('CreateDBCluster encrypted with the estate key'),
    ],
  },
  aws_rds_cluster_instance: {
    kinds: ['rds.aws.upbound.io/ClusterInstance'],
    scope: 'any',
    create: ['rds:CreateDBInstance'],
    read: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
    update: ['rds:ModifyDBInstance'],
    tag: RDS_TAGS,
    delete: ['rds:DeleteDBInstance'],
    also: useKey('Performance Insights encrypted with the estate key'),
  },
  aws_rds_global_cluster: {
    kinds: ['rds.aws.upbound.io/GlobalCluster'],
    scope: 'any',
    create: ['rds:CreateGlobalCluster'],
    read: ['rds:DescribeGlobalClusters'],
    update: ['rds:ModifyGlobalCluster'],
    tag: RDS_TAGS,
    // forceDestroy: members are removed from the global cluster before it is deleted.
    delete: ['rds:DeleteGlobalCluster', 'rds:RemoveFromGlobalCluster'],
  },
  aws_db_subnet_group: {
    kinds: ['rds.aws.upbound.io/SubnetGroup'],
    scope: 'any',
    create: ['rds:CreateDBSubnetGroup'],
    read: ['rds:DescribeDBSubnetGroups'],
    update: ['rds:ModifyDBSubnetGroup'],
    tag: RDS_TAGS,
    delete: ['rds:DeleteDBSubnetGroup'],
  },
  aws_route53_health_check: {
    kinds: ['route53.aws.upbound.io/HealthCheck'],
    scope: 'route53',
    create: ['route53:CreateHealthCheck@any'],
    read: ['route53:GetHealthCheck'],
    update: ['route53:UpdateHealthCheck'],
    tag: ['route53:ListTagsForResource', 'route53:ChangeTagsForResource'],
    delete: ['route53:DeleteHealthCheck'],
  },
  aws_route53_record: {
    kinds: ['route53.aws.upbound.io/Record'],
    scope: 'route53',
    create: ['route53:ChangeResourceRecordSets', 'route53:GetChange'],
    read: ['route53:ListResourceRecordSets', 'route53:GetHostedZone'],
    update: ['route53:ChangeResourceRecordSets', 'route53:GetChange'],
    tag: [],
    delete: ['route53:ChangeResourceRecordSets', 'route53:GetChange'],
  },
  aws_route53recoverycontrolconfig_cluster: {
    kinds: ['route53recoverycontrolconfig.aws.upbound.io/Cluster'],
    scope: 'any',
    create: ['route53-recovery-control-config:CreateCluster'],
    read: ['route53-recovery-control-config:DescribeCluster'],
    update: ['route53-recovery-control-config:UpdateCluster'],
    tag: [
      'route53-recovery-control-config:ListTagsForResource',
      'route53-recovery-control-config:TagResource',
      'route53-recovery-control-config:UntagResource',
    ],
    delete: ['route53-recovery-control-config:DeleteCluster'],
  },
  aws_route53recoverycontrolconfig_control_panel: {
    kinds: ['route53recoverycontrolconfig.aws.upbound.io/ControlPanel'],
    scope: 'any',
    create: ['route53-recovery-control-config:CreateControlPanel'],
    read: ['route53-recovery-control-config:DescribeControlPanel'],
    update: ['route53-recovery-control-config:UpdateControlPanel'],
    tag: [
      'route53-recovery-control-config:ListTagsForResource',
      'route53-recovery-control-config:TagResource',
      'route53-recovery-control-config:UntagResource',
    ],
    delete: ['route53-recovery-control-config:DeleteControlPanel'],
  },
  aws_route53recoverycontrolconfig_routing_control: {
    kinds: ['route53recoverycontrolconfig.aws.upbound.io/RoutingControl'],
    scope: 'any',
    create: ['route53-recovery-control-config:CreateRoutingControl'],
    read: ['route53-recovery-control-config:DescribeRoutingControl'],
    update: ['route53-recovery-control-config:UpdateRoutingControl'],
    tag: [],
    delete: ['route53-recovery-control-config:DeleteRoutingControl'],
  },
  aws_route53recoverycontrolconfig_safety_rule: {
    kinds: ['route53recoverycontrolconfig.aws.upbound.io/SafetyRule'],
    scope: 'any',
    create: ['route53-recovery-control-config:CreateSafetyRule'],
    read: ['route53-recovery-control-config:DescribeSafetyRule'],
    update: ['route53-recovery-control-config:UpdateSafetyRule'],
    tag: [
      'route53-recovery-control-config:ListTagsForResource',
      'route53-recovery-control-config:TagResource',
      'route53-recovery-control-config:UntagResource',
    ],
    delete: ['route53-recovery-control-config:DeleteSafetyRule'],
  },
  // Route 53 ARC readiness (cfn-lint IAM data, route53-recovery-readiness: Create/Get/Update/Delete of each kind take
  // its resource type; tags through TagResource/UntagResource and ListTagsForResources).
  aws_route53recoveryreadiness_cell: {
    kinds: ['route53recoveryreadiness.aws.upbound.io/Cell'],
    scope: 'any',
    create: ['route53-recovery-readiness:CreateCell'],
    read: ['route53-recovery-readiness:GetCell'],
    update: ['route53-recovery-readiness:UpdateCell'],
    tag: [
      'route53-recovery-readiness:ListTagsForResources',
      'route53-recovery-readiness:TagResource',
      'route53-recovery-readiness:UntagResource',
    ],
    delete: ['route53-recovery-readiness:DeleteCell'],
  },
  aws_route53recoveryreadiness_readiness_check: {
    kinds: ['route53recoveryreadiness.aws.upbound.io/ReadinessCheck'],
    scope: 'any',
    create: ['route53-recovery-readiness:CreateReadinessCheck'],
    read: ['route53-recovery-readiness:GetReadinessCheck'],
    update: ['route53-recovery-readiness:UpdateReadinessCheck'],
    tag: [
      'route53-recovery-readiness:ListTagsForResources',
      'route53-recovery-readiness:TagResource',
      'route53-recovery-readiness:UntagResource',
    ],
    delete: ['route53-recovery-readiness:DeleteReadinessCheck'],
    also: [
      {
        action: 'iam:CreateServiceLinkedRole',
        scope: 'serviceLinkedRoles',
        why: 'the first readiness check creates AWSServiceRoleForRoute53RecoveryReadiness (ARC Developer Guide, service-linked role for readiness check)',
      },
    ],
  },
  aws_route53recoveryreadiness_recovery_group: {
    kinds: ['route53recoveryreadiness.aws.upbound.io/RecoveryGroup'],
    scope: 'any',
    create: ['route53-recovery-readiness:CreateRecoveryGroup'],
    read: ['route53-recovery-readiness:GetRecoveryGroup'],
    update: ['route53-recovery-readiness:UpdateRecoveryGroup'],
    tag: [
      'route53-recovery-readiness:ListTagsForResources',
      'route53-recovery-readiness:TagResource',
      'route53-recovery-readiness:UntagResource',
    ],
    delete: ['route53-recovery-readiness:DeleteRecoveryGroup'],
  },
  aws_route53recoveryreadiness_resource_set: {
    kinds: ['route53recoveryreadiness.aws.upbound.io/ResourceSet'],
    scope: 'any',
    create: ['route53-recovery-readiness:CreateResourceSet'],
    read: ['route53-recovery-readiness:GetResourceSet'],
    update: ['route53-recovery-readiness:UpdateResourceSet'],
    tag: [
      'route53-recovery-readiness:ListTagsForResources',
      'route53-recovery-readiness:TagResource',
      'route53-recovery-readiness:UntagResource',
    ],
    delete: ['route53-recovery-readiness:DeleteResourceSet'],
  },
  aws_s3_bucket: {
    kinds: ['s3.aws.upbound.io/Bucket'],
    scope: 's3Buckets',
    create: ['s3:CreateBucket'],
    // Terraform reads every sub-configuration of the bucket on each observe.
    read: [
      's3:HeadBucket',
      's3:GetBucketAcl',
      's3:GetBucketCors',
      's3:GetBucketWebsite',
      's3:GetBucketVersioning',
      's3:GetBucketAccelerateConfiguration',
      's3:GetBucketRequestPayment',
      's3:GetBucketLogging',
      's3:GetBucketLifecycleConfiguration',
      's3:GetBucketReplication',
      's3:GetBucketEncryption',
      's3:GetObjectLockConfiguration',
      's3:GetBucketPolicy',
    ],
    update: [],
    tag: ['s3:GetBucketTagging', 's3:PutBucketTagging', 's3:DeleteBucketTagging'],
    // forceDestroy (test profile) empties the bucket, every version, first.
    delete: ['s3:DeleteBucket', 's3:ListObjectVersions', 's3:DeleteObject'],
    also: [
      {
        action: 's3:DeleteObjectVersion',
        scope: 's3Buckets',
        why: 'DeleteObject with a version id (forceDestroy) is authorized as DeleteObjectVersion',
      },
    ],
  },
  aws_s3_bucket_lifecycle_configuration: {
    kinds: ['s3.aws.upbound.io/BucketLifecycleConfiguration'],
    scope: 's3Buckets',
    create: ['s3:PutBucketLifecycleConfiguration'],
    read: ['s3:GetBucketLifecycleConfiguration'],
    update: ['s3:PutBucketLifecycleConfiguration'],
    tag: [],
    delete: ['s3:DeleteBucketLifecycle'],
  },
  aws_s3_bucket_ownership_controls: {
    kinds: ['s3.aws.upbound.io/BucketOwnershipControls'],
    scope: 's3Buckets',
    create: ['s3:PutBucketOwnershipControls'],
    read: ['s3:GetBucketOwnershipControls'],
    update: ['s3:PutBucketOwnershipControls'],
    tag: [],
    delete: ['s3:DeleteBucketOwnershipControls'],
  },
  aws_s3_bucket_policy: {
    kinds: ['s3.aws.upbound.io/BucketPolicy'],
    scope: 's3Buckets',
    create: ['s3:PutBucketPolicy'],
    read: ['s3:GetBucketPolicy'],
    update: ['s3:PutBucketPolicy'],
    tag: [],
    delete: ['s3:DeleteBucketPolicy'],
  },
  aws_s3_bucket_public_access_block: {
    kinds: ['s3.aws.upbound.io/BucketPublicAccessBlock'],
    scope: 's3Buckets',
    create: ['s3:PutPublicAccessBlock'],
    read: ['s3:GetPublicAccessBlock'],
    update: ['s3:PutPublicAccessBlock'],
    tag: [],
    delete: ['s3:DeletePublicAccessBlock'],
  },
  aws_s3_bucket_replication_configuration: {
    kinds: ['s3.aws.upbound.io/BucketReplicationConfiguration'],
    scope: 's3Buckets',
    create: ['s3:PutBucketReplication'],
    read: ['s3:GetBucketReplication'],
    update: ['s3:PutBucketReplication'],
    tag: [],
    delete: ['s3:DeleteBucketReplication'],
    also: [{ action: 'iam:PassRole', scope: 'passRole', why: 'PutBucketReplication passes the replication role to S3' }],
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    kinds: ['s3.aws.upbound.io/BucketServerSideEncryptionConfiguration'],
    scope: 's3Buckets',
    create: ['s3:PutBucketEncryption'],
    read: ['s3:GetBucketEncryption'],
    update: ['s3:PutBucketEncryption'],
    tag: [],
    delete: ['s3:DeleteBucketEncryption'],
  },
  aws_s3_bucket_versioning: {
    kinds: ['s3.aws.upbound.io/BucketVersioning'],
    scope: 's3Buckets',
    create: ['s3:PutBucketVersioning'],
    read: ['s3:GetBucketVersioning'],
    update: ['s3:PutBucketVersioning'],
    tag: [],
    delete: ['s3:PutBucketVersioning'],
  },
  aws_s3_object: {
    kinds: ['s3.aws.upbound.io/Object'],
    scope: 's3Buckets',
    create: ['s3:PutObject'],
    read: ['s3:HeadObject', 's3:GetObjectTagging'],
    update: ['s3:PutObject'],
    tag: ['s3:PutObjectTagging'],
    // Terraform deletes every version of the key.
    delete: ['s3:ListObjectVersions', 's3:DeleteObject'],
    also: [
      { action: 's3:DeleteObjectVersion', scope: 's3Buckets', why: 'DeleteObject with a version id' },
      { action: 'kms:GenerateDataKey', scope: 'kmsKeys', why: 'PutObject into a bucket encrypted with the estate key' },
      { action: 'kms:Decrypt', scope: 'kmsKeys', why: 'PutObject into a bucket encrypted with the estate key' },
    ],
  },
  aws_ssm_parameter: {
    kinds: ['ssm.aws.upbound.io/Parameter'],
    scope: 'parameters',
    create: ['ssm:PutParameter'],
    read: ['ssm:GetParameter', 'ssm:DescribeParameters@any', 'ssm:ListTagsForResource'],
    update: ['ssm:PutParameter'],
    tag: ['ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
    delete: ['ssm:DeleteParameter'],
    also: [
      { action: 'kms:Encrypt', scope: 'kmsKeys', why: 'PutParameter of a standard-tier SecureString with the estate key' },
      { action: 'kms:Decrypt', scope: 'kmsKeys', why: 'GetParameter WithDecryption of a SecureString with the estate key' },
    ],
  },
  aws_sfn_state_machine: {
    kinds: ['sfn.aws.upbound.io/StateMachine'],
    scope: 'stateMachines',
    create: ['stepfunctions:CreateStateMachine'],
    read: ['stepfunctions:DescribeStateMachine'],
    update: ['stepfunctions:UpdateStateMachine'],
    tag: ['stepfunctions:ListTagsForResource', 'stepfunctions:TagResource', 'stepfunctions:UntagResource'],
    delete: ['stepfunctions:DeleteStateMachine'],
    also: [
      {
        action: 'iam:PassRole',
        scope: 'passRole',
        why: 'CreateStateMachine and UpdateStateMachine pass the workflow role to Step Functions',
      },
    ],
  },
  aws_sns_topic: {
    kinds: ['sns.aws.upbound.io/Topic'],
    scope: 'snsTopics',
    create: ['sns:CreateTopic', 'sns:SetTopicAttributes'],
    read: ['sns:GetTopicAttributes'],
    update: ['sns:SetTopicAttributes'],
    tag: ['sns:ListTagsForResource', 'sns:TagResource', 'sns:UntagResource'],
    delete: ['sns:DeleteTopic'],
  },
  aws_sns_topic_subscription: {
    kinds: ['sns.aws.upbound.io/TopicSubscription'],
    scope: 'snsTopics',
    create: ['sns:Subscribe'],
    read: ['sns:GetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic'],
    update: ['sns:SetSubscriptionAttributes'],
    tag: [],
    delete: ['sns:Unsubscribe'],
  },
};
