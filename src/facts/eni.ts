/**
 * IPv4 addresses a node takes from its subnet through the VPC CNI, per EC2 instance type: its ENI limit × IPv4
 * addresses per ENI (the CNI attaches interfaces and fills each with pod addresses). From the VPC CNI's generated
 * limits table at a pinned commit (src/facts/generated/eni-addresses.json, `npm run facts:vpc-cni`).
 */
import data from './generated/eni-addresses.json' with { type: 'json' };
import { VPC_CNI_SOURCE } from './source.js';

/** The generated VPC CNI facts. */
export interface EniFacts {
  readonly source: typeof VPC_CNI_SOURCE & { readonly generatedBy: string };
  /** Instance type → ENIs × IPv4 addresses per ENI. */
  readonly addresses: Readonly<Record<string, number>>;
}

/** The VPC CNI's addresses per instance type. */
export const ENI_FACTS: EniFacts = data as EniFacts;

/** Addresses a node of `instanceType` may hold in its subnet; undefined for a type the table does not know. */
export const addressesOf = (instanceType: string): number | undefined =>
  Object.hasOwn(ENI_FACTS.addresses, instanceType) ? ENI_FACTS.addresses[instanceType] : undefined;

/** The most addresses any type of the table holds (what a type it does not know is assumed to take). */
export const MOST_ADDRESSES: number = Math.max(...Object.values(ENI_FACTS.addresses));

/** "aws/amazon-vpc-cni-k8s v1.23.1 (b5218838)": how messages name the source. */
export const describeEniSource = (): string =>
  `${ENI_FACTS.source.repository} ${ENI_FACTS.source.release} (${ENI_FACTS.source.commit.slice(0, 8)}) ${ENI_FACTS.source.path}`;
