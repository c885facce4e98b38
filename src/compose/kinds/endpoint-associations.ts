/**
 * VPC endpoint association kinds of provider-upjet-aws v2.6.0 (ec2.aws.upbound.io/v1beta1).
 *
 * In v2.6.0 a VPCEndpoint no longer takes route tables, subnets or security groups in forProvider
 * (they are status-only); they are attached by these three kinds. Their CRDs are not in the pinned
 * set in ../shared/crds, so `cdk8s import` cannot generate classes for them; these small typed
 * builders follow the upstream CRDs (package/crds/ec2.aws.upbound.io_vpcendpoint*associations.yaml
 * at v2.6.0) field for field. scripts/fetch-crds downloads those CRDs for outside users.
 */

/** A label selector as the provider's *Selector fields take it. */
export interface Selector {
  readonly matchControllerRef?: boolean;
  readonly matchLabels?: Record<string, string>;
}

type Metadata = {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
};

const API_VERSION = 'ec2.aws.upbound.io/v1beta1';

/** Kinds built here; tests list them as validated against upstream, not ../shared/crds. */
export const ASSOCIATION_KINDS = [
  'VPCEndpointRouteTableAssociation',
  'VPCEndpointSubnetAssociation',
  'VPCEndpointSecurityGroupAssociation',
] as const;

/** Attaches a gateway endpoint to a route table. */
export function routeTableAssociation(
  metadata: Metadata,
  forProvider: { region: string; vpcEndpointIdSelector: Selector; routeTableIdSelector: Selector },
) {
  return { apiVersion: API_VERSION, kind: 'VPCEndpointRouteTableAssociation', metadata, spec: { forProvider } };
}

/** Places an interface endpoint's network interface in a subnet. */
export function subnetAssociation(
  metadata: Metadata,
  forProvider: { region: string; vpcEndpointIdSelector: Selector; subnetIdSelector: Selector },
) {
  return { apiVersion: API_VERSION, kind: 'VPCEndpointSubnetAssociation', metadata, spec: { forProvider } };
}

/** Attaches a security group to an interface endpoint. */
export function securityGroupAssociation(
  metadata: Metadata,
  forProvider: {
    region: string;
    vpcEndpointIdSelector: Selector;
    securityGroupIdSelector: Selector;
    replaceDefaultAssociation?: boolean;
  },
) {
  return { apiVersion: API_VERSION, kind: 'VPCEndpointSecurityGroupAssociation', metadata, spec: { forProvider } };
}
