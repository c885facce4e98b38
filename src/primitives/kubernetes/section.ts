/**
 * The claim's `kubernetes` section: an EKS cluster per region with a managed node group sized by the region's role.
 * Only zod and the facts: the claim schema (src/api/claim.ts) and the primitive's spec (schema.ts) both build on it.
 */
import { z } from 'zod';
import { NEWEST_EKS_VERSION } from '../../facts/eks-versions.js';
import { CLUSTER_SCALE_UP } from '../../facts/timings.js';

/** How a standby region's node group waits: hot as the active one, warm with one node, pilot-light with none. */
export const STANDBY_MODES = ['hot', 'warm', 'pilot-light'] as const;
/** A standby mode. */
export type StandbyMode = (typeof STANDBY_MODES)[number];

/** Most extra networks that may reach the clusters' API (one security group rule each, per region). */
export const MAX_API_ACCESS_CIDRS = 20;

/**
 * EKS's default service quota "Nodes per managed node group". It is adjustable, so the schema does not stop there:
 * kubernetes.node-quota warns above it (ask AWS for more before the group has to grow past it).
 */
export const DEFAULT_NODES_QUOTA = 450;

/**
 * Most nodes the claim accepts in a node group: a sanity bound of drplane's (the EKS API sets none but maxSize >= 1),
 * above any quota increase a private /16 network could hold the pod addresses of (kubernetes.node-addresses).
 */
export const MAX_NODES_PER_GROUP = 5000;

/** Node group section. */
const nodeGroup = () =>
  z
    .object({
      instanceTypes: z
        .array(
          z
            .string()
            .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as m7i.large')
            .max(32)
            .describe('An EC2 instance type.'),
        )
        .min(1)
        .max(20)
        .default(['m7i.large'])
        .meta({ 'x-kubernetes-list-type': 'set' })
        .describe(
          'EC2 instance types of the nodes (1-20, one architecture: all Graviton or none); each must be offered in every region of the estate.',
        ),
      minSize: z
        .number()
        .int()
        .min(1)
        .max(MAX_NODES_PER_GROUP)
        .default(2)
        .describe('Nodes the active region (and a hot standby) always runs; at most maxSize.'),
      maxSize: z
        .number()
        .int()
        .min(1)
        .max(MAX_NODES_PER_GROUP)
        .default(6)
        .describe(
          'Most nodes of a region (1-5000): a ceiling for an autoscaler you run in the cluster (the Cluster Autoscaler reaches the node group through the autoscaling endpoint); drplane installs none, so without one a region runs its floor (minSize, or what its standby mode keeps). The private subnets must hold their pod IPs, and above 450 (the EKS default quota per managed node group) the quota must be raised first.',
        ),
    })
    .describe('The managed node group of every region.');

/** Kubernetes section: an EKS cluster per region. */
export const kubernetes = () =>
  z
    .object({
      version: z
        .string()
        .regex(/^1\.\d{2}$/, 'a Kubernetes minor version such as 1.35')
        .default(NEWEST_EKS_VERSION)
        .describe(
          'Kubernetes minor version of every cluster; must be in EKS standard or extended support (drctl validate checks it against src/facts/eks-versions.ts).',
        ),
      nodeGroup: nodeGroup().prefault({}),
      standby: z
        .enum(STANDBY_MODES)
        .default('warm')
        .describe(
          'Node group of a standby region: hot runs minSize nodes like the active region, warm one node, pilot-light none. ' +
            'The failover orchestrator scales the target region up first; the node start-up enters the RTO (drctl objectives).',
        ),
      platformRoleArn: z
        .string()
        .regex(
          /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
          'an IAM role ARN such as arn:aws:iam::123456789012:role/platform',
        )
        .describe(
          "IAM role of the platform team: an EKS access entry gives it cluster admin (AmazonEKSClusterAdminPolicy) in every cluster; nobody else, not even the provider's role that creates the cluster, gets access.",
        ),
      apiAccessCidrs: z
        .array(
          z
            .string()
            .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.100.0.0/16')
            .describe('An IPv4 network (a.b.c.d/n, no host bits set).'),
        )
        .max(MAX_API_ACCESS_CIDRS)
        .default([])
        .meta({ 'x-kubernetes-list-type': 'set' })
        .describe(
          "Networks besides the estate's VPCs that may reach each cluster's private API endpoint on HTTPS (443): a VPN, a Transit Gateway attachment, a bastion's or a CI runner's network (at most 20). " +
            "The API has no public endpoint: it resolves and routes only inside the region's VPC, so these networks need a route into it (peering, TGW, VPN) and DNS for the private endpoint (a Route 53 Resolver inbound endpoint or a private hosted zone association). " +
            "The estate's VPC CIDRs are always admitted; the nodes reach the API through the EKS-managed cluster security group.",
        ),
    })
    .describe(
      'An EKS cluster per region in the private subnets (private API endpoint, secrets encrypted with the region key, control-plane logs), a managed node group sized by standby, the core add-ons and Pod Identity.',
    );

/** A region's EKS managed node group as last observed (XRegionalCluster), reported in status. */
export const nodeGroupStatus = () =>
  z
    .object({
      ready: z.boolean().optional().describe('True when the NodeGroup resource reports Ready.'),
      desiredSize: z.number().int().optional().describe('Nodes the node group runs (its desired size).'),
      minSize: z
        .number()
        .int()
        .optional()
        .describe("The node group's minimum: this region's floor (its standby mode's, or minSize when active)."),
      maxSize: z.number().int().optional().describe("The node group's maximum."),
      status: z.string().max(32).optional().describe("EKS's status of the node group (ACTIVE, CREATING, UPDATING, DEGRADED, …)."),
      autoScalingGroup: z
        .string()
        .max(255)
        .optional()
        .describe('Name of the Auto Scaling group EKS runs the nodes in, once EKS reports it.'),
      capacitySince: z
        .string()
        .max(40)
        .optional()
        .describe(
          `When the node group was first seen holding serving capacity, in every reconcile since (RFC 3339): Ready, EKS status ACTIVE, at least kubernetes.nodeGroup.minSize nodes desired and its CoreDNS add-on Ready. A region that stopped serving scales down once every serving region has held it for ${CLUSTER_SCALE_UP.nodes.worstSeconds / 60} minutes.`,
        ),
    })
    .optional()
    .describe("The region's EKS node group as last observed: node counts, EKS status and readiness (once it exists).");
