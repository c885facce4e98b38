/**
 * IPv4 network arithmetic for the network rules: parsing (through ip-address), ranges, overlap and
 * the private subnets compose carves out of each VPC.
 */
import { Address4 } from 'ip-address';
import { SUBNET_PREFIX_DELTA } from '../compose/cidr.js';

export { SUBNET_PREFIX_DELTA };

/** Addresses AWS reserves in every subnet (network, router, DNS, future use, broadcast). */
export const AWS_RESERVED_PER_SUBNET = 5;

/** An IPv4 network: first and last address as integers, and the prefix length. */
export interface Network {
  /** The CIDR as written. */
  readonly cidr: string;
  /** First address of the range. */
  readonly start: number;
  /** Last address of the range. */
  readonly end: number;
  /** Prefix length (/n). */
  readonly prefix: number;
}

/** The result of parsing a CIDR: a network, or why it is not one and what was meant. */
export type ParsedCidr = { ok: true; network: Network } | { ok: false; reason: string; suggestion?: string };

const toNumber = (address: Address4): number => Number(address.bigInt());

/** Dotted form of a 32-bit address. */
export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/**
 * Parses `a.b.c.d/n` strictly: four octets 0-255 without leading zeros, a prefix 0-32, and no host
 * bits set (10.0.1.0/16 is refused with the network it probably meant, 10.0.0.0/16).
 */
export function parseCidr(cidr: string): ParsedCidr {
  if (!/^[\d.]+\/\d{1,2}$/.test(cidr)) return { ok: false, reason: 'not in the form a.b.c.d/n' };
  let address: Address4;
  try {
    address = new Address4(cidr);
  } catch (error) {
    return { ok: false, reason: (error as Error).message.replace(/\.$/, '').toLowerCase() };
  }
  const start = toNumber(address.startAddress());
  const prefix = address.subnetMask;
  if (toNumber(address) !== start) {
    return {
      ok: false,
      reason: 'host bits are set (the address is not the first of its network)',
      suggestion: `${formatAddress(start)}/${prefix}`,
    };
  }
  return { ok: true, network: { cidr, start, end: toNumber(address.endAddress()), prefix } };
}

/** True when two networks share at least one address. */
export function overlaps(a: Network, b: Network): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Number of addresses in a network of this prefix length. */
export const addressCount = (prefix: number): number => 2 ** (32 - prefix);

/** Prefix length of the private subnets compose makes in a VPC of this prefix length. */
export const subnetPrefix = (vpcPrefix: number): number => vpcPrefix + SUBNET_PREFIX_DELTA;

/** How many subnet blocks fit in a VPC (compose uses the first one per availability zone). */
export const subnetBlocks = (): number => 2 ** SUBNET_PREFIX_DELTA;

/**
 * The first network of `prefix` length inside 10.0.0.0/8 that overlaps none of `taken`, for
 * suggestions; undefined when 10/8 is full.
 */
export function freeNetwork(prefix: number, taken: readonly Network[]): string | undefined {
  const size = addressCount(prefix);
  const base = 10 * 2 ** 24;
  for (let start = base; start + size - 1 < base + 2 ** 24; start += size) {
    const candidate: Network = { cidr: '', start, end: start + size - 1, prefix };
    if (!taken.some((t) => overlaps(t, candidate))) return `${formatAddress(start)}/${prefix}`;
  }
  return undefined;
}

/** True when the network lies inside one of the RFC 1918 private ranges. */
export function isPrivate(network: Network): boolean {
  return PRIVATE_RANGES.some((range) => network.start >= range.start && network.end <= range.end);
}

const PRIVATE_RANGES: readonly Network[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((cidr) => {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`bad private range ${cidr}`);
  return parsed.network;
});
