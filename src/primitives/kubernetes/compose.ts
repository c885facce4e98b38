/**
 * XRegionalCluster: per region an EKS cluster in the estate's private subnets and what it needs to run without NAT.
 *
 * - The cluster: private API endpoint only, reached on 443 from the estate's VPCs and kubernetes.apiAccessCidrs
 *   through the network's eks-api security group (the EKS cluster security group admits only the nodes), Kubernetes secrets encrypted with the
 *   region's cluster key (a customer-managed KMS key; the cluster is composed once the key's ARN is observed, or the
 *   cluster's own report of it: the provider has no reference for `encryptionConfig.provider.keyArn`, and EKS takes
 *   an ARN or alias there), every
 *   control-plane log type into a log group with retention encrypted with the same key, authentication by access
 *   entries only (API): the platform team's role is cluster admin, the creator (the provider's role) gets nothing.
 * - IAM: a cluster role (AmazonEKSClusterPolicy, and the cluster key), a node role (worker node and ECR pull-only
 *   policies) and, through Pod Identity, a role for the VPC CNI's `aws-node` service account (AmazonEKS_CNI_Policy),
 *   so the nodes themselves hold no CNI permissions.
 * - The managed node group, its size set by the region's role (scaling.ts; a region serves while it is activeRegion or
 *   the observed Aurora writer's): the composition moves the bounds and gives the desired size in spec.initProvider,
 *   which the pinned provider (v2.6.0) re-applies on every update of the group (scaling.ts says why), so a scale-up by
 *   an autoscaler or the failover orchestrator lasts until the group's next poll unless the region serves by then.
 * - The node group waits for the VPC CNI's add-on, the Pod Identity Agent and the aws-node association to be Ready,
 *   so aws-node never starts without credentials.
 * - The core add-ons (vpc-cni, kube-proxy, eks-pod-identity-agent, coredns). CoreDNS is a Deployment: with no node
 *   it never becomes ACTIVE (EKS reports DEGRADED and the provider's create times out), so it runs only in regions
 *   whose role keeps nodes (the active region, a hot or warm standby); a pilot-light standby gets it when it becomes
 *   the active region (its creation is part of that failover), and keeps it after it stops being one while its node
 *   group is observed with nodes (its scale-down), so pods still running there keep their DNS. The add-on is created
 *   with `preserve`: when the composition drops it, EKS leaves the Deployment in the cluster instead of deleting it.
 * - Deletion order (ClusterUsages, deletionOrder): the node group, add-ons, access entry and policy association and the
 *   Pod Identity association go before the cluster; the cluster goes before its role, that role's managed policy, its
 *   key and its log group; the node group before its node role.
 * The interface endpoints the nodes need are the network primitive's (CLUSTER_ENDPOINTS): it composes them when the
 * estate has a cluster.
 */
import { Group } from '../../../imports/cloudwatchlogs.aws.upbound.io.js';
import {
  AccessEntry,
  AccessPolicyAssociation,
  Addon,
  Cluster,
  NodeGroup,
  PodIdentityAssociation,
} from '../../../imports/eks.aws.upbound.io.js';
import { Role, RolePolicy, RolePolicyAttachment } from '../../../imports/iam.aws.upbound.io.js';
import { arn, managedPolicy, observedAccount, observedArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { policyDocument, serviceTrust } from '../../compose/iam.js';
import { accountAdministersKey, keyKey, keySelector, kmsKey, logsUseKey } from '../../compose/kms.js';
import { ofEstate, own } from '../../compose/selector.js';
import type { DesiredResource, Manifest, ObservedView } from '../../compose/types.js';
import { usage } from '../../compose/usage.js';
import { isArm64 } from '../../facts/ec2.js';
import { NETWORK } from '../network/compose.js';
import {
  type FailBack,
  failBack,
  type NodeScaling,
  nodeScaling,
  type ObservedNodes,
  previousScalingOf,
  unknownPastWarning,
} from './scaling.js';
import type { RegionalClusterSpec } from './schema.js';

type Kubernetes = RegionalClusterSpec['kubernetes'];

/** Purpose of the cluster's KMS key (kms-cluster-<region>). */
export const CLUSTER_KEY = 'cluster';

/**
 * VPC endpoint services an EKS cluster in private subnets without NAT needs (EKS User Guide, private clusters):
 * nodes pull images from ECR (api, dkr) whose layers are in S3 (gateway), call EC2 and STS, ship logs, get Pod
 * Identity credentials (eks-auth), and load balancers are created through elasticloadbalancing; controllers in the
 * cluster call the EKS API itself (eks), and the Cluster Autoscaler scales the node group's Auto Scaling group
 * (autoscaling), both in the guide's list.
 */
export const CLUSTER_ENDPOINTS = [
  'autoscaling',
  'ec2',
  'ecr.api',
  'ecr.dkr',
  'eks',
  'eks-auth',
  'elasticloadbalancing',
  'logs',
  's3',
  'sts',
] as const;

/** Every control-plane log type EKS can export. */
export const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Days CloudWatch Logs keeps the control-plane logs. */
export const CONTROL_PLANE_LOG_DAYS = 90;

/** The core add-ons, in the order they are composed. */
export const CORE_ADDONS = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns'] as const;
/** Add-ons that run as Deployments and need a node to become ACTIVE. */
const NEEDS_NODES: readonly string[] = ['coredns'];

/** The access policy the platform team's role gets, cluster-wide. */
export const PLATFORM_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Component labels and composition keys of a region's cluster resources. */
export const CLUSTER = {
  cluster: 'eks-cluster',
  clusterRole: 'eks-cluster-role',
  nodeRole: 'eks-node-role',
  cniRole: 'eks-cni-role',
  nodes: 'eks-nodes',
  logs: 'eks-logs',
  access: 'eks-access-platform',
} as const;

/** Composition keys of a region's cluster resources. */
export const clusterKeys = (region: string) => ({
  cluster: `eks-cluster-${region}`,
  clusterRole: `eks-cluster-role-${region}`,
  clusterKeyPolicy: `eks-cluster-role-kms-${region}`,
  nodeRole: `eks-node-role-${region}`,
  cniRole: `eks-cni-role-${region}`,
  nodes: `eks-nodes-${region}`,
  logs: `eks-logs-${region}`,
  podIdentity: `eks-pod-identity-cni-${region}`,
  access: `eks-access-platform-${region}`,
  accessPolicy: `eks-access-platform-admin-${region}`,
  addon: (name: string) => `eks-addon-${name}-${region}`,
});

/** AWS name of the EKS cluster of a region. */
export const clusterName = (ctx: ComposeContext, region: string): string => ctx.namer.name('eksCluster', 'eks', region);
/** AWS name of the managed node group of a region (unique within its cluster). */
export const nodeGroupName = (ctx: ComposeContext, region: string): string => ctx.namer.name('eksNodegroup', 'nodes', region);
/** The log group EKS writes a cluster's control-plane logs to (fixed by EKS). */
export const controlPlaneLogGroup = (ctx: ComposeContext, region: string): string =>
  `/aws/eks/${clusterName(ctx, region)}/cluster`;

/** A region's node group as Crossplane observed it; undefined in a plan and before it exists. */
export function observedNodes(observed: ObservedView, region: string): ObservedNodes | undefined {
  const key = clusterKeys(region).nodes;
  if (observed.planning || !observed.exists(key)) return undefined;
  const count = (field: string) => {
    const v = observed.read(key, `status.atProvider.scalingConfig.${field}`);
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? { [field]: v } : {};
  };
  const status = observed.field(key, 'status.atProvider.status');
  const autoScalingGroup = autoScalingGroupOf(observed.read(key, 'status.atProvider.resources'));
  const coreDns = clusterKeys(region).addon('coredns');
  return {
    ready: observed.ready(key),
    ...count('desiredSize'),
    ...count('minSize'),
    ...count('maxSize'),
    ...(status ? { status } : {}),
    ...(autoScalingGroup ? { autoScalingGroup } : {}),
    coreDnsReady: observed.exists(coreDns) && observed.ready(coreDns),
  };
}

/**
 * The name of the Auto Scaling group EKS runs a managed node group's nodes in: the NodeGroup's observed
 * `status.atProvider.resources[].autoscalingGroups[].name` (pinned CRD eks.aws.upbound.io_nodegroups.yaml, v1beta2),
 * the first one reported. Undefined until EKS reports it.
 */
export function autoScalingGroupOf(resources: unknown): string | undefined {
  if (!Array.isArray(resources)) return undefined;
  for (const r of resources) {
    const groups = (r as { autoscalingGroups?: unknown } | null)?.autoscalingGroups;
    if (!Array.isArray(groups)) continue;
    for (const g of groups) {
      const name = (g as { name?: unknown } | null)?.name;
      // Auto Scaling group names: 1-255 characters (botocore autoscaling XmlStringMaxLen255).
      if (typeof name === 'string' && name.length > 0 && name.length <= 255) return name;
    }
  }
  return undefined;
}

/**
 * The key ARN a region's cluster encrypts its secrets with, as the cluster itself reports it: the cluster is composed
 * once its key's ARN is known, and if the key's observed status is lost (a control-plane restore) while the cluster
 * exists, this keeps it composed instead of dropping it (which the drop guard refuses, stopping the whole estate).
 */
export function observedClusterKey(observed: ObservedView, region: string): string | undefined {
  if (observed.planning) return undefined;
  const arn = observed.field(clusterKeys(region).cluster, 'status.atProvider.encryptionConfig.provider.keyArn');
  return arn !== undefined && /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(arn) ? arn : undefined;
}

/**
 * The EKS-optimized Amazon Linux 2023 AMI type for the instance types' architecture (src/facts/ec2.ts). Only the
 * standard AMI types: accelerated types (GPU, Inferentia, Trainium, …), which need the NVIDIA or Neuron AMI types or
 * none EKS offers, are refused by the policy rule kubernetes.instance-accelerated before a claim reaches compose.
 */
export const amiTypeOf = (instanceTypes: readonly string[]): string =>
  instanceTypes.every(isArm64) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';

/** A role trusted by one AWS service, with AWS managed policies attached. */
function role(
  ctx: ComposeContext,
  region: string,
  component: string,
  key: string,
  purpose: string,
  trust: string,
  policies: readonly string[],
): DesiredResource[] {
  return [
    {
      key,
      manifest: Role.manifest({
        metadata: ctx.metadata(component, region, ctx.namer.name('iamRole', purpose, region)),
        spec: {
          forProvider: {
            assumeRolePolicy: trust,
            description: `drplane ${purpose} of the EKS cluster in ${region}`,
            tags: ctx.tags(),
          },
        },
      }),
    },
    ...policies.map((policy) => ({
      key: `${key}-${policy.replace(/_/g, '-').toLowerCase()}`,
      manifest: RolePolicyAttachment.manifest({
        metadata: ctx.metadata(`${component}-policy`, region),
        spec: { forProvider: { policyArn: managedPolicy(policy), roleSelector: own(ctx, component, region) } },
      }),
    })),
  ];
}

/** The VPC CNI's service account: the one its Pod Identity association names and its role's trust admits. */
export const CNI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'aws-node' } as const;

/**
 * Pod Identity's trust policy: the EKS Auth service assumes the role and tags the session, and only for the aws-node
 * service account in kube-system of this region's cluster. The EKS User Guide ("Create IAM role with trust policy
 * required by EKS Pod Identity", Setting Conditions) restricts a role this way, with the session tags Pod Identity
 * adds (eks-cluster-arn, kubernetes-namespace, kubernetes-service-account) as aws:RequestTag conditions; it documents
 * no aws:SourceAccount or aws:SourceArn for pods.eks.amazonaws.com, and a condition key the service does not send would
 * lock the CNI out. So an association in another cluster, namespace or account that names the role gets nothing.
 * (The association must keep session tags on: drplane never sets disableSessionTags.)
 */
export const podIdentityTrust = (ctx: ComposeContext, region: string, account: string): string =>
  policyDocument([
    {
      Sid: 'AssumeByPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': arn('eks', region, account, `cluster/${clusterName(ctx, region)}`),
          'aws:RequestTag/kubernetes-namespace': CNI_SERVICE_ACCOUNT.namespace,
          'aws:RequestTag/kubernetes-service-account': CNI_SERVICE_ACCOUNT.name,
        },
      },
    },
  ]);

/** The cluster role may use its region's cluster key for envelope encryption of secrets, and nothing else in KMS. */
function clusterKeyPolicy(ctx: ComposeContext, region: string, keyArn: string): DesiredResource {
  return {
    key: clusterKeys(region).clusterKeyPolicy,
    manifest: RolePolicy.manifest({
      metadata: ctx.metadata(`${CLUSTER.clusterRole}-kms`, region, 'secrets-encryption'),
      spec: {
        forProvider: {
          policy: policyDocument([
            {
              Sid: 'EncryptSecrets',
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ListGrants'],
              Resource: [keyArn],
            },
          ]),
          roleSelector: own(ctx, CLUSTER.clusterRole, region),
        },
      },
    }),
  };
}

function cluster(ctx: ComposeContext, k: Kubernetes, region: string, keyArn: string): DesiredResource {
  return {
    key: clusterKeys(region).cluster,
    region,
    manifest: ctx.stateful(
      Cluster.manifest({
        metadata: ctx.metadata(CLUSTER.cluster, region, clusterName(ctx, region)),
        spec: {
          forProvider: {
            region,
            version: k.version,
            roleArnSelector: own(ctx, CLUSTER.clusterRole, region),
            vpcConfig: {
              endpointPrivateAccess: true,
              endpointPublicAccess: false,
              subnetIdSelector: ofEstate(ctx, NETWORK.subnet, region),
              // The network's eks-api group: HTTPS from the estate VPCs and kubernetes.apiAccessCidrs. Without it only
              // the EKS cluster security group applies, which admits the nodes alone.
              securityGroupIdSelector: ofEstate(ctx, NETWORK.clusterApiSg, region),
            },
            encryptionConfig: { provider: { keyArn }, resources: ['secrets'] },
            enabledClusterLogTypes: [...CONTROL_PLANE_LOGS],
            accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
            bootstrapSelfManagedAddons: false,
            // Extended support (EKS's default) keeps a version past its standard support at a price instead of an
            // upgrade AWS starts on its own, mid-incident; kubernetes.version-support warns before either.
            upgradePolicy: { supportType: 'EXTENDED' },
            deletionProtection: ctx.production,
            tags: ctx.tags({ Name: clusterName(ctx, region) }),
          },
        },
      }),
    ),
  };
}

/**
 * The Kubernetes version of a region's nodes: the cluster's as observed, else the claim's. EKS accepts no other version
 * for a managed node group than its cluster's (botocore CreateNodegroup/UpdateNodegroupVersion), so after a change of
 * kubernetes.version the nodes follow once the control plane reports it, instead of being refused while it upgrades.
 * Written out because the provider never late-initializes a node group's version (eks/config.go ignores it): without
 * it the nodes would stay on the version they were created with.
 */
export function nodeVersion(k: Kubernetes, region: string, observed: ObservedView): string {
  const running = observed.planning ? undefined : observed.field(clusterKeys(region).cluster, 'status.atProvider.version');
  return running !== undefined && /^1\.\d{2}$/.test(running) ? running : k.version;
}

function nodeGroup(ctx: ComposeContext, k: Kubernetes, region: string, scaling: NodeScaling, version: string): DesiredResource {
  return {
    key: clusterKeys(region).nodes,
    region,
    manifest: NodeGroup.manifest({
      metadata: ctx.metadata(CLUSTER.nodes, region, nodeGroupName(ctx, region)),
      spec: {
        forProvider: {
          region,
          clusterNameSelector: own(ctx, CLUSTER.cluster, region),
          version,
          nodeRoleArnSelector: own(ctx, CLUSTER.nodeRole, region),
          subnetIdSelector: ofEstate(ctx, NETWORK.subnet, region),
          instanceTypes: [...k.nodeGroup.instanceTypes],
          amiType: amiTypeOf(k.nodeGroup.instanceTypes),
          capacityType: 'ON_DEMAND',
          scalingConfig: {
            minSize: scaling.minSize,
            maxSize: scaling.maxSize,
            ...(scaling.desiredSize === undefined ? {} : { desiredSize: scaling.desiredSize }),
          },
          updateConfig: { maxUnavailable: 1 },
          tags: ctx.tags({ Name: nodeGroupName(ctx, region) }),
        },
        // Meant for creation only, but the pinned provider re-applies it on every update (scaling.ts), so it is the
        // region's size for as long as the group lives; eks/config.go skips late-initializing scaling_config.
        initProvider: { scalingConfig: { desiredSize: scaling.initialDesired } },
      },
    }),
  };
}

function addon(ctx: ComposeContext, region: string, name: string): DesiredResource {
  // DeleteAddon with preserve keeps the add-on's software in the cluster: a Deployment dropped from a region whose
  // nodes are being scaled down keeps serving the pods still there.
  const preserve = NEEDS_NODES.includes(name);
  return {
    key: clusterKeys(region).addon(name),
    region,
    manifest: Addon.manifest({
      metadata: ctx.metadata(`eks-addon-${name}`, region),
      spec: {
        forProvider: {
          region,
          addonName: name,
          // No addonVersion: EKS picks the default version for the cluster's Kubernetes version at creation, and the
          // provider late-initializes it, so an upgrade of kubernetes.version leaves the add-ons where they were until
          // someone bumps them. Pinning them needs a table of DescribeAddonVersions per Kubernetes version, and no
          // such data is on hand to source one from (botocore names the call, not its answers).
          clusterNameSelector: own(ctx, CLUSTER.cluster, region),
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'OVERWRITE',
          ...(preserve ? { preserve: true } : {}),
          tags: ctx.tags(),
        },
      },
    }),
  };
}

/** The platform team's access entry and its cluster-admin policy association. */
function access(ctx: ComposeContext, k: Kubernetes, region: string): DesiredResource[] {
  const keys = clusterKeys(region);
  return [
    {
      key: keys.access,
      region,
      manifest: AccessEntry.manifest({
        metadata: ctx.metadata(CLUSTER.access, region),
        spec: {
          forProvider: {
            region,
            clusterNameSelector: own(ctx, CLUSTER.cluster, region),
            principalArn: k.platformRoleArn,
            type: 'STANDARD',
            tags: ctx.tags(),
          },
        },
      }),
    },
    {
      key: keys.accessPolicy,
      region,
      manifest: AccessPolicyAssociation.manifest({
        metadata: ctx.metadata(`${CLUSTER.access}-admin`, region),
        spec: {
          forProvider: {
            region,
            clusterNameSelector: own(ctx, CLUSTER.cluster, region),
            // From the access entry: the association waits for the entry it needs.
            principalArnSelector: own(ctx, CLUSTER.access, region),
            policyArn: PLATFORM_ACCESS_POLICY,
            accessScope: { type: 'cluster' },
          },
        },
      }),
    },
  ];
}

/** The control-plane log group, with retention, encrypted with the cluster key (whose policy admits CloudWatch Logs for it). */
function logGroup(ctx: ComposeContext, region: string): DesiredResource {
  return {
    key: clusterKeys(region).logs,
    region,
    manifest: Group.manifest({
      metadata: ctx.metadata(CLUSTER.logs, region, controlPlaneLogGroup(ctx, region)),
      spec: {
        forProvider: {
          region,
          retentionInDays: CONTROL_PLANE_LOG_DAYS,
          kmsKeyIdSelector: keySelector(ctx, CLUSTER_KEY, region),
          tags: ctx.tags(),
        },
      },
    }),
  };
}

/** Every resource of one region's cluster. */
function regionResources(
  ctx: ComposeContext,
  k: Kubernetes,
  region: string,
  observed: ObservedView,
  back: FailBack,
): DesiredResource[] {
  const keys = clusterKeys(region);
  const account = observedAccount(observed, [keyKey(CLUSTER_KEY, region), keys.clusterRole]);
  const keyPolicy =
    account === undefined
      ? undefined
      : policyDocument([accountAdministersKey(account), logsUseKey(region, account, controlPlaneLogGroup(ctx, region))]);
  const keyArn = observedArn(observed, keyKey(CLUSTER_KEY, region)) ?? observedClusterKey(observed, region);
  const seen = observedNodes(observed, region);
  const scaling = nodeScaling(k, region, seen, back);
  // From the region's role, and kept while a region that stopped serving still has nodes (observed desired size above
  // 0): the plan (the steady state, nodes at the floor) and the live estate agree once its scale-down is done.
  const stillRuns = (name: string) => observed.exists(keys.addon(name)) && (seen?.desiredSize ?? 0) > 0;
  const addons = CORE_ADDONS.filter((name) => !NEEDS_NODES.includes(name) || scaling.minSize > 0 || stillRuns(name));
  // Nodes start only once the VPC CNI can get its credentials: its add-on, the Pod Identity Agent and the aws-node
  // association Ready. A node started earlier runs aws-node without credentials (the node role has no CNI rights),
  // stays NotReady, and the node group ends CREATE_FAILED. Once created, the node group (and CoreDNS) stay.
  const nodesMayStart =
    observed.exists(keys.nodes) ||
    (observed.ready(keys.addon('vpc-cni')) &&
      observed.ready(keys.addon('eks-pod-identity-agent')) &&
      observed.ready(keys.podIdentity));
  const withNodes = (name: string) => !NEEDS_NODES.includes(name) || nodesMayStart;
  const resources = [
    ...kmsKey(ctx, CLUSTER_KEY, region, { observed, ...(keyPolicy === undefined ? {} : { policy: keyPolicy }) }),
    ...role(ctx, region, CLUSTER.clusterRole, keys.clusterRole, 'eks-cluster', serviceTrust('eks.amazonaws.com'), [
      'AmazonEKSClusterPolicy',
    ]),
    ...role(ctx, region, CLUSTER.nodeRole, keys.nodeRole, 'eks-node', serviceTrust('ec2.amazonaws.com'), [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEC2ContainerRegistryPullOnly',
    ]),
    // The CNI role's trust names the account, so it (and the association that passes it) waits for the account.
    ...(account === undefined
      ? []
      : role(ctx, region, CLUSTER.cniRole, keys.cniRole, 'eks-cni', podIdentityTrust(ctx, region, account), [
          'AmazonEKS_CNI_Policy',
        ])),
    logGroup(ctx, region),
    ...(keyArn === undefined ? [] : [clusterKeyPolicy(ctx, region, keyArn), cluster(ctx, k, region, keyArn)]),
    ...(nodesMayStart ? [nodeGroup(ctx, k, region, scaling, nodeVersion(k, region, observed))] : []),
    ...addons.filter(withNodes).map((name) => addon(ctx, region, name)),
    ...(account === undefined ? [] : [cniAssociation(ctx, region)]),
    ...access(ctx, k, region),
  ];
  return [...resources, ...deletionOrder(ctx, region, resources)];
}

/**
 * ClusterUsages that make Crossplane delete a region's cluster resources in dependency order instead of relying on
 * retries: EKS refuses DeleteCluster while node groups exist (botocore DeleteCluster: ResourceInUseException), the
 * cluster keeps writing to its log group until it is gone (EKS would recreate a deleted group without retention or
 * key), and the cluster and the node group keep using their roles and key until they are deleted. One usage per pair
 * of composed resources, made only when both are in `resources` (a usage whose selector resolves nothing never
 * becomes ready): each side is selected by all its labels within this composite, which match it alone.
 *
 * The subnets and security groups the cluster uses are the network composite's: a usage here could only select one
 * of them by labels across composites, so they are left to retries.
 */
export function deletionOrder(ctx: ComposeContext, region: string, resources: readonly DesiredResource[]): DesiredResource[] {
  const keys = clusterKeys(region);
  const byKey = new Map(resources.map((r) => [r.key, r.manifest]));
  const clusterRolePolicy = `${keys.clusterRole}-amazoneksclusterpolicy`;
  const pairs: readonly (readonly [name: string, of: string, by: string, reason: string])[] = [
    ['cluster-by-nodes', keys.cluster, keys.nodes, 'The node group goes before its cluster.'],
    ...CORE_ADDONS.map(
      (name) => [`cluster-by-addon-${name}`, keys.cluster, keys.addon(name), 'Add-ons go before their cluster.'] as const,
    ),
    ['cluster-by-access', keys.cluster, keys.access, 'Access entries go before their cluster.'],
    ['cluster-by-access-admin', keys.cluster, keys.accessPolicy, 'Access policy associations go before their cluster.'],
    ['cluster-by-pod-identity-cni', keys.cluster, keys.podIdentity, 'Pod Identity associations go before their cluster.'],
    ['cluster-role-by-cluster', keys.clusterRole, keys.cluster, 'The cluster role outlives its cluster.'],
    ['cluster-role-policy-by-cluster', clusterRolePolicy, keys.cluster, "The cluster role's policy outlives its cluster."],
    ['key-by-cluster', keyKey(CLUSTER_KEY, region), keys.cluster, 'The secrets key outlives its cluster.'],
    ['logs-by-cluster', keys.logs, keys.cluster, 'The control-plane log group outlives its cluster.'],
    ['node-role-by-nodes', keys.nodeRole, keys.nodes, 'The node role outlives its node group.'],
  ];
  return pairs.flatMap(([name, of, by, reason]) => {
    const ofManifest = byKey.get(of);
    const byManifest = byKey.get(by);
    return ofManifest && byManifest ? [usage(ctx, `eks-${region}-${name}`, ofManifest, byManifest, reason)] : [];
  });
}

/** The VPC CNI's aws-node service account gets the CNI role through Pod Identity. */
function cniAssociation(ctx: ComposeContext, region: string): DesiredResource {
  return {
    key: clusterKeys(region).podIdentity,
    region,
    manifest: PodIdentityAssociation.manifest({
      metadata: ctx.metadata('eks-pod-identity-cni', region),
      spec: {
        forProvider: {
          region,
          clusterNameSelector: own(ctx, CLUSTER.cluster, region),
          namespace: CNI_SERVICE_ACCOUNT.namespace,
          serviceAccount: CNI_SERVICE_ACCOUNT.name,
          roleArnSelector: own(ctx, CLUSTER.cniRole, region),
          tags: ctx.tags(),
        },
      },
    }),
  };
}

/**
 * Every resource of an XRegionalCluster and its status: each region's cluster name and, once known, API endpoint, ARN
 * and node group (node counts, EKS status, readiness: observedNodes; and since when it has held its serving capacity,
 * by `now`, the function's clock); the regions that still owe their fail-back scale-down (scaling.ts), read back from
 * the previous status `xr` holds; while a scale-down waits for the settle time, when the clock alone may open it; and a
 * Warning for each region whose past role the lost status no longer says (scaling.ts unknownPast).
 */
export function composeCluster(
  ctx: ComposeContext,
  spec: RegionalClusterSpec,
  observed: ObservedView,
  xr: Manifest,
  now: Date | undefined,
) {
  const writer = observed.planning ? undefined : spec.databaseWriterRegion;
  const back = failBack(ctx, spec.kubernetes, previousScalingOf(xr), (r) => observedNodes(observed, r), writer, now);
  const resources = ctx.regions.flatMap((region) => regionResources(ctx, spec.kubernetes, region, observed, back));
  const regions = Object.fromEntries(
    ctx.regions.map((region) => {
      const endpoint = observed.planning ? undefined : observed.field(clusterKeys(region).cluster, 'status.atProvider.endpoint');
      const arn = observed.planning ? undefined : observedArn(observed, clusterKeys(region).cluster);
      const seen = observedNodes(observed, region);
      const since = back.capacitySince[region];
      const nodes = seen && {
        ...Object.fromEntries(Object.entries(seen).filter(([field]) => field !== 'coreDnsReady')),
        ...(since ? { capacitySince: since } : {}),
      };
      return [
        region,
        {
          identifier: clusterName(ctx, region),
          ...(endpoint ? { endpoint } : {}),
          ...(arn ? { arn } : {}),
          ...(nodes ? { nodes } : {}),
        },
      ];
    }),
  );
  const events = back.unknownPast.map((region) => ({
    severity: 'Warning' as const,
    message: unknownPastWarning(spec.kubernetes, region, observedNodes(observed, region), back),
  }));
  return {
    resources,
    status: {
      regions,
      servingRegions: [...back.serving],
      ...(back.owed.length > 0 ? { scaleDownRegions: [...back.owed] } : {}),
    },
    ...(events.length > 0 ? { events } : {}),
    ...(back.recheckAfterSeconds !== undefined ? { recheckAfterSeconds: back.recheckAfterSeconds } : {}),
  };
}
